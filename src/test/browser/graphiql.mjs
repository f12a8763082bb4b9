// Loads the gateway's GraphiQL in headless Chromium, runs the welcome query and reports what it saw.
// usage: node graphiql.mjs <base url> <screenshot file>   prints JSON
import { chromium } from 'playwright-core';

const [base, screenshot] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run',
    '--disable-component-update', '--disable-sync'],
});
const report = { foreignRequests: [], consoleErrors: [], cspViolations: [], result: null, tabs: [] };
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const origin = new URL(base).origin;
  // Every asset must come from the gateway: anything else is recorded and refused.
  await page.route('**/*', route => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('data:')) return route.continue();
    report.foreignRequests.push(url);
    return route.abort();
  });
  page.on('console', message => { if (message.type() === 'error') report.consoleErrors.push(message.text()); });
  await page.addInitScript(() => document.addEventListener('securitypolicyviolation',
    event => console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`)));
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
