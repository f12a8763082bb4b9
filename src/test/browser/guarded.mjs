// A headless Chromium page (Debian's /usr/bin/chromium, or $CHROMIUM) that may load only from the
// gateway: any other request is refused and recorded. Console errors and content-security-policy
// violations are recorded too.
import { chromium } from 'playwright-core';

export async function guardedPage(base, viewport) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run',
      '--disable-component-update', '--disable-sync'],
  });
  const report = { foreignRequests: [], consoleErrors: [] };
  const page = await browser.newPage({ viewport });
  const origin = new URL(base).origin;
  await page.route('**/*', route => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('data:')) return route.continue();
    report.foreignRequests.push(url);
    return route.abort();
  });
  page.on('console', message => { if (message.type() === 'error') report.consoleErrors.push(message.text()); });
  page.on('pageerror', error => report.consoleErrors.push(String(error)));
  await page.addInitScript(() => document.addEventListener('securitypolicyviolation',
    event => console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`)));
  return { browser, page, report };
}
