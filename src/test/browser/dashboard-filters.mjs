// Walks the package page's filters, charts and states in headless Chromium, against a gateway treated as in
// allow-list mode (registered operations only), keeping a screenshot of each step, and reports what the pages
// showed (figures are checked against raw counts by DashboardBrowserIntegrationTests):
//   cold first chart · details · every filter of the bar · click-to-filter (table, stacked chart, bar chart) · a
//   reload keeps the state · partial bucket, lone point, empty range, inverted range · unknown name in compare ·
//   did you mean · keyboard in the suggestions · an error and Try again · the page at 390 px.
// usage: node dashboard-filters.mjs <base url> <screenshot dir> <json of the walk's values>   prints JSON
import { allowListOnly, guard, guardedPage } from './guarded.mjs';

const [base, shots, json] = process.argv.slice(2);
const v = JSON.parse(json);
const number = text => Number(String(text).replace(/[^0-9]/g, ''));
const { browser, page, report } = await guardedPage(base, { width: 1400, height: 1000 });
const { failNext } = await allowListOnly(page, base, report);
report.steps = [];
const projectHash = (filters = '') => `#/project/${encodeURIComponent(v.project)}${filters ? `?${filters}` : ''}`;

const settled = async (target = page) => {
  // The view shown is the one the URL asks for (not the previous one, still on screen while the next loads), and loaded.
  await target.waitForFunction(() => document.getElementById('view').getAttribute('aria-busy') === 'false'
    && document.getElementById('view').dataset.route === (location.hash || '#/'), null, { timeout: 60_000 });
  const error = await target.locator('#view .error').count();
  if (error) throw new Error(`the page shows an error: ${await target.locator('#view .error').first().innerText()}`);
};
/** The page and every panel it fills later have their data. */
const complete = async (target = page) => {
  await settled(target);
  await target.waitForFunction(() => !document.querySelector('#view [aria-busy="true"]'), null, { timeout: 60_000 });
  const error = await target.locator('#view .error').count();
  if (error) throw new Error(`a panel shows an error: ${await target.locator('#view .error').first().innerText()}`);
};
const shot = async (name, target = page) => { await target.screenshot({ path: `${shots}/${name}.png`, fullPage: true }); report.steps.push(name); };
const open = async hash => {
  await page.goto('about:blank');
  await page.goto(`${base}/${hash}`, { waitUntil: 'load' });
  await complete();
};
const total = async () => number(await page.locator('[data-test="total"] .value').innerText());
const hash = () => page.evaluate(() => decodeURIComponent(location.hash));
const rows = (selector, cells) => page.locator(selector).evaluateAll((trs, n) => trs.map(tr => [...tr.cells].slice(0, n).map(td => td.textContent.trim())), cells);
/** Clicks a canvas at a point given as fractions of its plot area (data-area, written by the chart). */
const clickPlot = async (selector, fx, fy) => {
  const canvas = page.locator(`${selector} canvas`);
  await page.waitForFunction(s => document.querySelector(`${s} canvas`)?.dataset.area, selector);
  const area = JSON.parse(await canvas.getAttribute('data-area'));
  await canvas.click({ position: { x: area.left + fx * (area.right - area.left), y: area.top + fy * (area.bottom - area.top) } });
};

try {
  report.at = '1. Cold';
  // 1. Cold: the first chart, timed from navigation (printed by the test; not asserted).
  const started = Date.now();
  await page.goto(`${base}/${projectHash()}`, { waitUntil: 'commit' });
  await page.waitForSelector('[data-test="downloads-chart"] canvas', { timeout: 60_000 });
  report.firstChartMs = Date.now() - started;
  // Where that time went: the page's own resources and API requests, from the browser's timings (ms from navigation).
  report.firstChartTimings = await page.evaluate(() => performance.getEntriesByType('resource')
    .filter(e => /app\.js$|\/graphql\/operations$|operationName=/.test(e.name))
    .map(e => `${(new URL(e.name).searchParams.get('operationName') ?? new URL(e.name).pathname)} ${Math.round(e.startTime)}→${Math.round(e.responseEnd)}`));
  await complete();
  // Again in a new browser (nothing cached in it) for another package, the server now warm.
  const fresh = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const second = await fresh.newPage();
  await guard(second, base, report);
  await allowListOnly(second, base, report);
  const again = Date.now();
  await second.goto(`${base}/#/project/${encodeURIComponent(v.other)}`, { waitUntil: 'commit' });
  await second.waitForSelector('[data-test="downloads-chart"] canvas', { timeout: 60_000 });
  report.firstChartWarmServerMs = Date.now() - again;
  await fresh.close();
  report.allTimeTotal = await total();
  report.panels = await page.locator('section.panel h2').allInnerTexts();
  report.details = await page.locator('[data-test="details"]').innerText();
  report.homePage = await page.locator('[data-test="home-page"]').count() ? await page.locator('[data-test="home-page"]').getAttribute('href') : null;
  report.ranking = await page.locator('[data-test="ranking"]').count() ? await page.locator('[data-test="ranking"]').innerText() : null;
  report.dependencies = await rows('[data-test="dependencies"] tbody tr', 3);
  report.dependents = await rows('[data-test="dependents"] tbody tr', 2);
  report.countriesTable = await rows('[data-test="countries"] tbody tr', 3);
  await page.waitForFunction(() => document.querySelector('[data-test="map"] canvas')?.dataset.drawn === 'true', null, { timeout: 30_000 });
  report.mapDrawn = true;
  report.chartSeries = Object.fromEntries(await page.locator('[data-test$="-chart"] canvas').evaluateAll(canvases =>
    canvases.map(c => [c.closest('[data-test]').dataset.test, Number(c.dataset.series)])));
  // The share view of the versions: every bucket sums to 100 %.
  await page.click('[data-test="versions-mode"] button[data-mode="share"]');
  await page.waitForFunction(() => document.querySelector('[data-test="versions-chart"] canvas')?.dataset.area);
  report.shareMode = await page.locator('[data-test="versions-mode"] button[aria-pressed="true"]').innerText();
  await shot('f1-package-charts');

  report.at = '2. Every filter';
  // 2. Every filter of the bar, one at a time from the unfiltered page.
  report.filters = {};
  for (const [key, value] of Object.entries(v.filters)) {
    await open(projectHash());
    if (key === 'mirrors' || key === 'ci') {
      await page.selectOption(`#filter-${key}`, value);
    } else if (key === 'from' || key === 'to') {
      await page.fill(`#filter-${key}`, value);
    } else {
      await page.click('#more-filters');
      await page.fill(`#filter-${key}`, value);
    }
    await page.click('#filter-apply');
    await page.waitForFunction(k => location.hash.includes(`${k}=`), key);
    await complete();
    report.filters[key] = { hash: await hash(), total: await total(), focus: await page.evaluate(() => document.activeElement?.id ?? '') };
  }
  await shot('f2-filtered');

  report.at = '3. A reload';
  // 3. A reload keeps the state: the same figures, the field shows the filter.
  await open(projectHash(`version=${v.filters.version}`));
  const before = await total();
  await page.reload({ waitUntil: 'load' });
  await complete();
  report.reload = { before, after: await total(), field: await page.locator('#filter-version').inputValue(),
    chips: await page.locator('button.chip').allInnerTexts() };

  report.at = '4. Click to filter';
  // 4. Click to filter: a value in the countries table, a band of the Python chart, the first installer bar.
  await open(projectHash());
  await page.click(`[data-test="countries"] button.link[data-value="${v.country}"]`);
  await page.waitForFunction(() => location.hash.includes('country='));
  await complete();
  report.clickCountry = { hash: await hash(), total: await total() };
  await open(projectHash());
  report.at = '4. Click to filter: python chart';
  await clickPlot('[data-test="python-chart"]', 0.95, 0.97);
  await page.waitForFunction(() => location.hash.includes('python='));
  await complete();
  report.clickPython = { hash: await hash(), total: await total() };
  await open(projectHash());
  report.at = '4. Click to filter: installer bars';
  const installers = await page.locator('[data-test="installers"] details tbody tr').count();
  await page.waitForFunction(() => document.querySelector('[data-test="installer-chart"] canvas')?.dataset.area);
  const area = JSON.parse(await page.locator('[data-test="installer-chart"] canvas').getAttribute('data-area'));
  const firstBand = (area.bottom - area.top) / Math.max(1, new Set((await rows('[data-test="installers"] details tbody tr', 1)).map(r => r[0])).size);
  await page.locator('[data-test="installer-chart"] canvas').click({ position: { x: area.left + 4, y: area.top + firstBand / 2 } });
  await page.waitForFunction(() => location.hash.includes('installer='));
  await complete();
  report.clickInstaller = { hash: await hash(), total: await total(), rows: installers };
  await shot('f3-click-filtered');

  report.at = '5. Honest charts';
  // 5. Honest charts.
  await open(projectHash(`granularity=MONTH&from=${v.midMonth}`));
  report.partial = { points: Number(await page.locator('[data-test="downloads-chart"] canvas').getAttribute('data-points')),
    partial: Number(await page.locator('[data-test="downloads-chart"] canvas').getAttribute('data-partial')),
    note: await page.locator('[data-test="downloads-chart"] .legend-note').count() };
  await shot('f4-partial');
  await open(projectHash(`granularity=MONTH&from=${v.busyDay}&to=${v.busyDay}`));
  report.single = { points: Number(await page.locator('[data-test="downloads-chart"] canvas').getAttribute('data-points')), total: await total() };
  await open(projectHash(`from=${v.emptyDay}&to=${v.emptyDay}`));
  report.empty = { total: await total(), emptyPanels: await page.locator('#view [data-test="empty"]').count(),
    downloadsChart: await page.locator('[data-test="downloads-chart"]').count() };
  await shot('f5-empty');
  await open(projectHash());
  const hashBefore = await hash();
  await page.fill('#filter-from', v.busyDay);
  await page.fill('#filter-to', v.emptyDay < v.busyDay ? v.emptyDay : '2000-01-01');
  await page.click('#filter-apply');
  await page.waitForSelector('[data-test="form-problem"]:not([hidden])');
  report.inverted = { problem: await page.locator('[data-test="form-problem"]').innerText(), hashAfter: await hash(), hashBefore,
    invalid: await page.locator('#filter-to').getAttribute('aria-invalid') };
  await shot('f6-inverted');

  report.at = '6. Compare';
  // A link with an inverted range: said at once, with a way back to the page without filters.
  await page.goto('about:blank');
  await page.goto(`${base}/${projectHash(`from=${v.busyDay}&to=${v.emptyDay < v.busyDay ? v.emptyDay : '2000-01-01'}`)}`, { waitUntil: 'load' });
  await page.waitForSelector('#view .error #clear-filters', { timeout: 30_000 });
  report.invertedLink = { text: await page.locator('#view .error p').innerText() };
  await page.click('#clear-filters');
  await complete();
  report.invertedLink.hash = await hash();
  report.invertedLink.total = await total();

  // 6. Compare with an unknown name: reported, not drawn.
  await open(`#/compare/${encodeURIComponent(v.project)},${v.unknown}`);
  report.compareUnknown = { notice: await page.locator('[data-test="unknown"]').innerText(),
    series: Number(await page.locator('[data-test="compare-chart"] canvas').getAttribute('data-series')) };

  report.at = '7. Did you mean';
  // 7. Did you mean.
  await page.goto('about:blank');
  await page.goto(`${base}/#/project/${encodeURIComponent(v.misspelt)}`, { waitUntil: 'load' });
  await settled();
  await page.waitForSelector('[data-test="did-you-mean"] a', { timeout: 30_000 });
  report.didYouMean = await page.locator('[data-test="did-you-mean"] a').allInnerTexts();
  await shot('f7-did-you-mean');

  report.at = '8. Keyboard';
  // 8. Keyboard in the suggestions: ↓ ↓ Enter opens the second.
  await open('#/');
  await page.fill('#search-input', v.prefix);
  await page.waitForSelector('#suggestions a[data-project]');
  report.suggestions = await page.locator('#suggestions a[data-project]').evaluateAll(links => links.map(a => a.dataset.project));
  await page.press('#search-input', 'ArrowDown');
  await page.press('#search-input', 'ArrowDown');
  report.keyboardSelected = await page.locator('#suggestions li[aria-selected="true"] a').getAttribute('data-project');
  report.activeDescendant = await page.locator('#search-input').getAttribute('aria-activedescendant');
  await page.press('#search-input', 'Enter');
  await page.waitForFunction(() => location.hash.startsWith('#/project/'));
  await settled();
  report.keyboardHash = await hash();

  report.at = '9. An error';
  // 9. An error, then Try again.
  failNext('PackageOverview');
  await page.goto('about:blank');
  await page.goto(`${base}/${projectHash('granularity=YEAR')}`, { waitUntil: 'load' });
  await page.waitForSelector('#view .error #retry', { timeout: 30_000 });
  report.errorText = await page.locator('#view .error').innerText();
  await shot('f8-error');
  await page.click('#retry');
  await complete();
  report.retried = { heading: await page.locator('h1').innerText(), total: await total() };

  report.at = '10. A phone';
  // 10. A phone, 390 px wide.
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await guard(phone, base, report);
  await allowListOnly(phone, base, report);
  await phone.goto(`${base}/${projectHash()}`, { waitUntil: 'load' });
  await complete(phone);
  await phone.waitForFunction(() => document.querySelector('[data-test="map"] canvas')?.dataset.drawn === 'true', null, { timeout: 30_000 });
  await phone.click('#more-filters');
  report.mobile = await phone.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    // Everything on the page ends within the screen, except what scrolls inside its own box (wide tables).
    widest: Math.max(...[...document.querySelectorAll('body *')].filter(e => !e.closest('.table-scroll, .table-box') && e.getClientRects().length)
      .map(e => Math.ceil(e.getBoundingClientRect().right))),
    clipped: [...document.querySelectorAll('#view section.panel')].filter(p => p.scrollWidth > p.clientWidth + 1).map(p => p.querySelector('h2')?.innerText),
    searchWidth: Math.round(document.getElementById('search-input').getBoundingClientRect().width),
    charts: document.querySelectorAll('#view canvas').length,
    total: document.querySelector('[data-test="total"] .value').innerText,
  }));
  await shot('f9-mobile-390', phone);
} catch (error) {
  // What failed and where, in the report (the test prints it), with a screenshot of the page at that moment.
  report.failure = `${report.at}: ${String(error.message).split('\n')[0]}`;
  await page.screenshot({ path: `${shots}/f-failure.png`, fullPage: true }).catch(() => {});
} finally {
  await browser.close();
}
report.cspViolations = report.consoleErrors.filter(text => text.startsWith('CSP violation'));
console.log(JSON.stringify(report));
