import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createApi } from '../app/src/api.js';
import * as compare from '../app/src/pages/compare.js';
import * as landing from '../app/src/pages/landing.js';
import * as project from '../app/src/pages/project.js';
import { parseHash } from '../app/src/route.js';
import { createSuggester } from '../app/src/suggest.js';
import { fakeFetch, manifestOfRegisteredOperations, settle } from './fakes.mjs';

const registered = new Map(manifestOfRegisteredOperations().operations.map(op => [op.name, op.id]));

/** Every request is GET /graphql with a registered operation's id and no query text (what allow-list mode runs). */
function assertRegisteredOnly(requests) {
  assert.ok(requests.length > 0);
  for (const request of requests) {
    assert.equal(request.init.method ?? 'GET', 'GET', request.url);
    assert.equal(request.init.body, undefined, request.url);
    assert.equal(request.path, '/graphql');
    assert.equal(request.params.get('query'), null, `${request.url} sends query text`);
    const { persistedQuery } = JSON.parse(request.params.get('extensions'));
    assert.ok(registered.has(request.operationName), `${request.operationName} is not in graphql/operations`);
    assert.deepEqual(persistedQuery, { version: 1, sha256Hash: registered.get(request.operationName) });
  }
}

describe('the dashboard sends registered operations only', () => {
  test('every page, the search box and the freshness line', async () => {
    const { fetch, requests } = fakeFetch();
    const api = createApi(fetch);
    landing.load(api, parseHash('#/'));
    project.load(api, parseHash('#/project/pip?ci=EXCLUDE&from=2025-06-01&country=US'));
    compare.load(api, parseHash('#/compare/pip,numpy,no-such-project?granularity=YEAR'));
    createSuggester(api, { delay: 0, show() {}, failed() {} }).input('pi');
    api.run('DataFreshnessStatus', {}, { revalidate: true });
    await settle();
    // The package page asks its breakdowns and details once its overview is in (the first chart goes first).
    assert.equal(requests.filter(r => r.operationName.startsWith('Package')).map(r => r.operationName).join(), 'PackageOverview');
    requests.find(r => r.operationName === 'PackageOverview').answer({ project: { name: 'pip' } });
    await settle();
    assert.deepEqual(requests.map(r => r.operationName).sort(),
      ['CompareSeries', 'DataFreshnessStatus', 'LandingPage', 'PackageBreakdowns', 'PackageDetails', 'PackageOverview', 'ProjectTotal',
        'ProjectTotal', 'ProjectTotal', 'SearchProjects']);
    assertRegisteredOnly(requests);
    const asked = name => requests.find(r => r.operationName === name).variables;
    const filtered = { name: 'pip', filter: { ci: 'EXCLUDE', from: '2025-06-01', countries: ['US'] }, granularity: 'WEEK' };
    assert.deepEqual(asked('PackageOverview'), filtered);
    assert.deepEqual(asked('PackageBreakdowns'), filtered, 'the breakdowns follow the same filters');
    assert.deepEqual(asked('PackageDetails'), { name: 'pip' });
    assert.deepEqual(asked('CompareSeries'), { names: ['pip', 'numpy', 'no-such-project'], filter: {}, granularity: 'YEAR' });
    assert.equal(requests.find(r => r.operationName === 'DataFreshnessStatus').init.cache, 'no-cache', 'the freshness line asks the server each time');
    assert.equal(requests[0].init.cache, 'default');
  });

  test('compare reports unknown names apart from the totals', async () => {
    const { fetch, requests } = fakeFetch();
    const loaded = compare.load(createApi(fetch), parseHash('#/compare/pip,nope'));
    await settle();
    requests[0].answer({ compare: [{ name: 'pip', downloads: [] }, { name: 'nope', downloads: [] }] });
    requests[1].answer({ project: { name: 'pip', totalDownloads: 12 } });
    requests[2].answer({ project: null });
    assert.deepEqual((await loaded).totals, [{ asked: 'pip', project: { name: 'pip', totalDownloads: 12 } }, { asked: 'nope', project: null }]);
  });

  test('an operation the gateway does not list is refused before sending anything', async () => {
    const { fetch, requests } = fakeFetch({ manifest: { operations: [] } });
    await assert.rejects(createApi(fetch).run('LandingPage'), /no registered operation named LandingPage/);
    assert.equal(requests.length, 0);
  });

  test('a request refused as busy is sent again after the Retry-After it names, twice at most', async () => {
    const { fetch, requests } = fakeFetch();
    const waits = [];
    const api = createApi(fetch, { sleep: async ms => { waits.push(ms); } });
    const running = api.run('SearchProjects', { prefix: 'pi' });
    await settle();
    requests[0].busy(2);
    await settle();
    requests[1].busy(30);
    await settle();
    requests[2].answer({ projects: { edges: [] } });
    assert.deepEqual(await running, { projects: { edges: [] } });
    assert.deepEqual(waits, [2000, 5000], 'Retry-After in ms, at most 5 s');
    assert.equal(requests.length, 3);
    assert.equal(requests[2].url, requests[0].url);

    const refused = api.run('SearchProjects', { prefix: 'nu' });
    await settle();
    requests[3].busy(1);
    await settle();
    requests[4].busy(1);
    await settle();
    requests[5].busy(1);
    await assert.rejects(refused, /The gateway is busy\./);
    assert.equal(requests.length, 6);
  });

  test('a page left while waiting to ask again stops waiting at once and sends nothing more', async () => {
    const { fetch, requests } = fakeFetch();
    const controller = new AbortController();
    const running = createApi(fetch).run('SearchProjects', { prefix: 'pi' }, { signal: controller.signal });
    await settle();
    requests[0].busy(5);
    await settle();
    controller.abort();
    // Retry-After says 5 s: the abort must end the wait, not the wait's end.
    const outcome = await Promise.race([running.then(() => 'answered', error => error.name),
      new Promise(resolve => setTimeout(() => resolve('still waiting'), 2000))]);
    assert.equal(outcome, 'AbortError');
    assert.equal(requests.length, 1);
  });

  test('GraphQL errors become the error message', async () => {
    const { fetch, requests } = fakeFetch();
    const running = createApi(fetch).run('SearchProjects', { prefix: '' });
    await settle();
    requests[0].error('prefix: too short.');
    await assert.rejects(running, /prefix: too short\./);
  });
});
