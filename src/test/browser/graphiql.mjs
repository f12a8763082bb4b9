// Loads the gateway's GraphiQL in headless Chromium, runs the welcome query and reports what it saw.
// usage: node graphiql.mjs <base url> <screenshot file>   prints JSON
import { guardedPage } from './guarded.mjs';

const [base, screenshot] = process.argv.slice(2);
const { browser, page, report } = await guardedPage(base, { width: 1400, height: 900 });
report.result = null;
report.tabs = [];
try {
  await page.goto(`${base}/graphiql`, { waitUntil: 'networkidle' });
  await page.waitForSelector('.graphiql-execute-button', { timeout: 30_000 });
  report.tabs = await page.locator('.graphiql-tab').allInnerTexts();
  await page.click('.graphiql-execute-button');
  await page.waitForFunction(() => (document.querySelector('.result-window')?.innerText ?? '').includes('allTime'), null, { timeout: 30_000 });
  report.result = await page.locator('.result-window').innerText();
  await page.screenshot({ path: screenshot, fullPage: true });
  report.cspViolations = report.consoleErrors.filter(text => text.startsWith('CSP violation'));
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
