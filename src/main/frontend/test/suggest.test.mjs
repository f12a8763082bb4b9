import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createApi } from '../app/src/api.js';
import { createSuggester } from '../app/src/suggest.js';
import { fakeFetch, settle } from './fakes.mjs';

const answer = (...names) => ({ projects: { edges: names.map(name => ({ node: { name, totalDownloads: 1 } })) } });

function suggester(options) {
  const { fetch, requests } = fakeFetch(options);
  const shown = [];
  const failures = [];
  const box = createSuggester(createApi(fetch), {
    delay: 0, show: (projects, prefix) => shown.push([prefix, projects.map(p => p.name)]), failed: error => failures.push(error.message),
  });
  return { box, requests, shown, failures };
}

describe('search suggestions: the newest text wins', () => {
  for (const honourAbort of [true, false]) {
    test(`an older answer arriving last is dropped${honourAbort ? '' : ' (fetch ignoring aborts)'}`, async () => {
      const { box, requests, shown, failures } = suggester({ honourAbort });
      box.input('nu');
      await settle();
      box.input('num');
      await settle();
      assert.deepEqual(requests.map(r => r.variables.prefix), ['nu', 'num']);
      assert.equal(requests[0].init.signal.aborted, true);
      requests[1].answer(answer('numpy'));
      await settle();
      requests[0].answer(answer('nuitka', 'numpy'));
      await settle();
      assert.deepEqual(shown, [['num', ['numpy']]]);
      assert.deepEqual(failures, []);
    });
  }

  test('emptying the box drops a search still under way', async () => {
    const { box, requests, shown } = suggester({ honourAbort: false });
    box.input('req');
    await settle();
    box.input('  ');
    requests[0].answer(answer('requests'));
    await settle();
    assert.deepEqual(shown, [['', []]]);
  });

  test('typing fast sends one search, for the last text', async () => {
    const { fetch, requests } = fakeFetch();
    const shown = [];
    const box = createSuggester(createApi(fetch), { delay: 20, show: (projects, prefix) => shown.push(prefix), failed: assert.fail });
    for (const text of ['d', 'dj', 'dja', 'djan']) box.input(text);
    await new Promise(resolve => setTimeout(resolve, 40));
    assert.deepEqual(requests.map(r => r.variables), [{ prefix: 'djan', first: 8 }]);
  });

  test('cancel drops the pending answer; a newer error is shown, an older one is not', async () => {
    const { box, requests, shown, failures } = suggester({ honourAbort: false });
    box.input('a');
    await settle();
    box.cancel();
    requests[0].answer(answer('attrs'));
    box.input('b');
    await settle();
    box.input('bo');
    await settle();
    requests[2].error('Too many requests');
    requests[1].error('older');
    await settle();
    assert.deepEqual(shown, []);
    assert.deepEqual(failures, ['Too many requests']);
  });
});
