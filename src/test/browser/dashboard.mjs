// Walks the dashboard in headless Chromium: landing page → search → package page → filter → compare → back,
// as against a gateway in allow-list mode (registered operations only), keeping a screenshot of each step,
// and reports what the pages showed and which operations they ran.
// usage: node dashboard.mjs <base url> <screenshot dir> <project> <prefix> <from day> <other project> <country>   prints JSON
import { allowListOnly, guardedPage } from './guarded.mjs';

const [base, shots, project, prefix, from, other, country] = process.argv.slice(2);
const number = text => Number(String(text).replace(/[^0-9]/g, ''));
const { browser, page, report } = await guardedPage(base, { width: 1400, height: 1000 });
report.steps = [];

await allowListOnly(page, base, report);
try {
  const settled = async () => {
    // The view shown is the one the URL asks for (not the previous one, still on screen while the next loads), and loaded.
    await page.waitForFunction(() => document.getElementById('view').getAttribute('aria-busy') === 'false'
      && document.getElementById('view').dataset.route === (location.hash || '#/'), null, { timeout: 60_000 });
    const error = await page.locator('#view .error').count();
    if (error) throw new Error(`the page shows an error: ${await page.locator('#view .error').innerText()}`);
  };
  const shot = async name => { await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true }); report.steps.push(name); };

  // 1. Landing page.
  await page.goto(`${base}/`, { waitUntil: 'load' });
  await settled();
  report.landingPanels = await page.locator('section.panel h2').allInnerTexts();
  report.landingTop = await page.locator('section.panel').first().locator('tbody tr td:first-child').allInnerTexts();
  await page.waitForFunction(() => document.getElementById('freshness').textContent.length > 0, null, { timeout: 30_000 });
  report.freshness = await page.locator('[data-test="freshness"]').innerText();
  await shot('1-landing');

  // 2. Search, then the package page from a suggestion.
  await page.fill('#search-input', prefix);
  await page.waitForSelector(`#suggestions a[data-project="${project}"]`, { timeout: 30_000 });
  report.suggestions = await page.locator('#suggestions a[data-project]').evaluateAll(links => links.map(a => a.dataset.project));
  await shot('2-search');
  await page.click(`#suggestions a[data-project="${project}"]`);
  await page.waitForFunction(name => location.hash.startsWith(`#/project/${name}`), project);
  await settled();
  report.heading = await page.locator('h1').innerText();
  report.allTime = number(await page.locator('[data-test="all-time"] .value').innerText());
  report.lastMonth = number(await page.locator('[data-test="last-month"] .value').innerText());
  report.panels = await page.locator('section.panel h2').allInnerTexts();
  await shot('3-package');

  // 3. Filter: without CI, from a day; then monthly buckets.
  await page.selectOption('#filter-ci', 'EXCLUDE');
  await page.fill('#filter-from', from);
  await page.click('#filter-apply');
  await page.waitForFunction(() => location.hash.includes('ci=EXCLUDE'));
  await settled();
  await page.click('button[data-granularity="MONTH"]');
  await page.waitForFunction(() => location.hash.includes('granularity=MONTH'));
  await settled();
  report.filteredHash = await page.evaluate(() => location.hash);
  report.filteredTotal = number(await page.locator('[data-test="total"] .value').innerText());
  report.chartHeading = await page.locator('section.panel.wide h2').first().innerText();
  await shot('4-package-filtered');

  // 4. Compare with another package, keeping the filter.
  await page.fill('#compare-input', other);
  await page.click('#compare-go');
  await page.waitForFunction(() => location.hash.startsWith('#/compare/'));
  await settled();
  await page.waitForSelector('[data-test="compare-chart"] canvas');
  report.compareHash = await page.evaluate(() => location.hash);
  report.compareTotals = await page.locator('section.panel').last().locator('tbody tr').evaluateAll(rows =>
    rows.map(row => [row.cells[0].innerText, Number(row.cells[1].innerText.replace(/[^0-9]/g, ''))]));
  await shot('5-compare');

  // 5. Back: the filtered package page again, from the URL alone.
  await page.goBack();
  await page.waitForFunction(() => location.hash.startsWith('#/project/'));
  await page.waitForSelector('[data-test="total"] .value');
  await settled();
  report.backHash = await page.evaluate(() => location.hash);
  report.backTotal = number(await page.locator('[data-test="total"] .value').innerText());
  await shot('6-back');

  // 6. A shared link with a filter the bar has no input for (parameters in another order): applied, written
  //    back in its one spelling, shown as a chip; removing the chip removes the filter.
  await page.goto('about:blank');
  await page.goto(`${base}/#/project/${encodeURIComponent(project)}?country=${country}&ci=EXCLUDE`, { waitUntil: 'load' });
  await page.waitForSelector('[data-test="total"] .value');
  await settled();
  report.sharedHash = await page.evaluate(() => location.hash);
  report.sharedTotal = number(await page.locator('[data-test="total"] .value').innerText());
  report.chips = await page.locator('button.chip').allInnerTexts();
  await shot('7-shared-link');
  await page.click('button.chip[data-filter="country"]');
  await page.waitForFunction(() => !document.querySelector('button.chip') && document.querySelector('[data-test="total"] .value')
    && document.getElementById('view').getAttribute('aria-busy') === 'false');
  await settled();
  report.unchippedHash = await page.evaluate(() => location.hash);
  report.unchippedTotal = number(await page.locator('[data-test="total"] .value').innerText());
} finally {
  await browser.close();
}
report.cspViolations = report.consoleErrors.filter(text => text.startsWith('CSP violation'));
console.log(JSON.stringify(report));
