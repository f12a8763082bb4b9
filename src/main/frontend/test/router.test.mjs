import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createApi } from '../app/src/api.js';
import * as compare from '../app/src/pages/compare.js';
import * as project from '../app/src/pages/project.js';
import { createRouter } from '../app/src/router.js';
import { FakeWindow, fakeFetch, settle } from './fakes.mjs';

/** The package pages' overview requests among `requests` (a live view: it grows as they come). */
const overviews = requests => new Proxy(requests, { get: (target, key) => {
  const list = target.filter(r => r.operationName === 'PackageOverview');
  const value = list[key];
  return typeof value === 'function' ? value.bind(list) : value;
} });

/** A router on a fake window whose loads answer at once with the route itself; records what was shown. */
function instantRouter(hash = '') {
  const win = new FakeWindow(hash);
  const shown = [];
  const router = createRouter(win, {
    load: async route => route,
    show: (route, data) => shown.push(data),
    failed: (route, error) => { throw error; },
  });
  return { win, shown, router };
}

describe('router and the back button', () => {
  test('each filter change is one history entry; back shows the previous state again', async () => {
    const { win, shown, router } = instantRouter();
    await router.start();
    router.navigate({ page: 'project', name: 'pip', filters: {} });
    await settle();
    router.navigate({ page: 'project', name: 'pip', filters: { ci: 'EXCLUDE', from: '2025-06-01' } });
    await settle();
    router.navigate({ page: 'project', name: 'pip', filters: { ci: 'EXCLUDE', from: '2025-06-01', granularity: 'MONTH' } });
    await settle();
    assert.deepEqual(win.entries, ['', '#/project/pip', '#/project/pip?ci=EXCLUDE&from=2025-06-01',
      '#/project/pip?granularity=MONTH&ci=EXCLUDE&from=2025-06-01']);

    win.history.back();
    await settle();
    assert.deepEqual(shown.at(-1), { page: 'project', name: 'pip', filters: { ci: 'EXCLUDE', from: '2025-06-01' } });
    assert.deepEqual(router.current(), shown.at(-1));
    win.history.back();
    await settle();
    assert.deepEqual(shown.at(-1), { page: 'project', name: 'pip', filters: {} });
    win.history.back();
    await settle();
    assert.deepEqual(shown.at(-1), { page: 'landing', filters: {} });
    win.history.forward();
    await settle();
    assert.deepEqual(shown.at(-1), { page: 'project', name: 'pip', filters: {} });
    assert.equal(shown.length, 8);
  });

  test('going to the view already shown adds no history entry', async () => {
    const { win, shown, router } = instantRouter('#/project/pip?ci=EXCLUDE');
    await router.start();
    assert.equal(router.navigate({ page: 'project', name: 'pip', filters: { ci: 'EXCLUDE' } }), false);
    assert.equal(router.navigate({ page: 'landing', filters: {} }), true);
    await settle();
    assert.equal(router.navigate({ page: 'landing', filters: {} }), false);
    await settle();
    assert.equal(win.history.length, 2);
    assert.equal(shown.length, 2);
  });

  test('another spelling of a view is replaced by its own, not pushed', async () => {
    const { win, shown, router } = instantRouter('#/project/pip?to=2025-01-31&ci=EXCLUDE&bogus=1');
    await router.start();
    assert.deepEqual(win.entries, ['#/project/pip?ci=EXCLUDE&to=2025-01-31']);
    assert.deepEqual(shown, [{ page: 'project', name: 'pip', filters: { ci: 'EXCLUDE', to: '2025-01-31' } }]);
  });

  test('a failed load is reported for the route being shown', async () => {
    const win = new FakeWindow('#/project/nope');
    const failures = [];
    const router = createRouter(win, {
      load: async () => { throw new Error('No package'); }, show: () => assert.fail('nothing to show'),
      failed: (route, error) => failures.push([route.name, error.message]),
    });
    await router.start();
    assert.deepEqual(failures, [['nope', 'No package']]);
  });
});

describe('a newer route is never overwritten by an older one', () => {
  for (const honourAbort of [true, false]) {
    test(`answers in reverse order${honourAbort ? '' : ', from a fetch that ignores aborts'}`, async () => {
      const { fetch, requests: all } = fakeFetch({ honourAbort });
      // A package page asks its overview first (what decides the page); its other answers fill panels later.
      const requests = overviews(all);
      const api = createApi(fetch);
      const win = new FakeWindow('#/project/first');
      const shown = [];
      const failed = [];
      const loads = [];
      const router = createRouter(win, {
        load: (route, signal) => { loads.push(signal); return (route.page === 'project' ? project : compare).load(api, route, signal); },
        show: (route, data) => shown.push({ project: data.project }),
        failed: (route, error) => failed.push(error),
      });
      router.start();
      await settle();
      router.navigate({ page: 'project', name: 'second', filters: { granularity: 'MONTH' } });
      await settle();
      assert.deepEqual(requests.map(r => r.variables.name), ['first', 'second']);
      assert.equal(loads[0].aborted, true, 'the first route\'s requests are aborted');

      requests[1].answer({ project: { name: 'second' } });
      await settle();
      requests[0].answer({ project: { name: 'first' } });
      await settle();
      assert.deepEqual(shown, [{ project: { name: 'second' } }]);
      assert.deepEqual(failed, [], 'an aborted request is not an error on the screen');

      // Back to the first page: its own request again, shown when it comes.
      win.history.back();
      await settle();
      requests[2].answer({ project: { name: 'first' } });
      await settle();
      assert.deepEqual(shown.at(-1), { project: { name: 'first' } });
    });
  }

  test('an older error does not replace a newer page either', async () => {
    const { fetch, requests: all } = fakeFetch({ honourAbort: false });
    const requests = overviews(all);
    const api = createApi(fetch);
    const win = new FakeWindow('#/project/first');
    const events = [];
    const router = createRouter(win, {
      load: (route, signal) => project.load(api, route, signal),
      show: (route, data) => events.push(['show', data.project.name]),
      failed: (route, error) => events.push(['failed', error.message]),
    });
    router.start();
    await settle();
    router.navigate({ page: 'project', name: 'second', filters: {} });
    await settle();
    requests[1].answer({ project: { name: 'second' } });
    requests[0].error('The warehouse is slow today.');
    await settle();
    assert.deepEqual(events, [['show', 'second']]);
  });
});
