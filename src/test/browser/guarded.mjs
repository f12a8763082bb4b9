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
  await guard(page, base, report);
  return { browser, page, report };
}

/** Guards one more page (another context, a phone) the same way, recording into the same report. */
export async function guard(page, base, report) {
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
}

/**
 * The gateway in allow-list mode runs registered operations only: a request to /graphql that is not a registered
 * operation's id (GET, persistedQuery with an id of GET /graphql/operations, no query text) is recorded in
 * report.unregistered and refused here as that mode refuses it, so a view that needs one fails the walk. The names
 * of the operations run go to report.operations. `failNext(name)` makes the next request of that operation answer
 * with an error (a warehouse failure, as the gateway words it), once.
 */
export async function allowListOnly(page, base, report) {
  const manifest = await (await fetch(`${base}/graphql/operations`)).json();
  const registered = new Map(manifest.operations.map(op => [op.id, op.name]));
  // Several pages of one walk record into the same lists.
  report.operations ??= [];
  report.unregistered ??= [];
  const failing = new Set();
  await page.route(url => url.pathname === '/graphql', route => {
    const request = route.request();
    const url = new URL(request.url());
    let name;
    if (request.method() === 'GET' && url.searchParams.get('query') === null) {
      try { name = registered.get(JSON.parse(url.searchParams.get('extensions')).persistedQuery.sha256Hash); } catch { name = undefined; }
    }
    if (!name) {
      report.unregistered.push(`${request.method()} ${url.search} ${request.postData() ?? ''}`.slice(0, 300));
      return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ errors: [{
        message: 'This gateway runs registered operations only; this query is not one of them (see GET /graphql/operations).',
        extensions: { code: 'OPERATION_NOT_REGISTERED', classification: 'BAD_REQUEST' } }] }) });
    }
    report.operations.push(name);
    if (failing.delete(name)) {
      return route.fulfill({ status: 200, contentType: 'application/json', headers: { 'cache-control': 'no-store' }, body: JSON.stringify({
        errors: [{ message: 'The warehouse is unavailable; try again shortly.', extensions: { classification: 'UNAVAILABLE' } }], data: null }) });
    }
    return route.fallback();
  });
  return { failNext: name => failing.add(name) };
}
