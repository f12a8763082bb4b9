import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formProblem } from '../app/src/pages/filter-bar.js';
import { suggestNames } from '../app/src/pages/project.js';
import { describeFreshness } from '../app/src/freshness.js';
import { alignSeries, clickFilter, groupsAsSeries, isEmpty, matrix, shares } from '../app/src/series.js';

describe('what the charts draw', () => {
  test('series are aligned on every date any of them has (0 where one has none); partial dates are kept', () => {
    const aligned = alignSeries([
      { name: 'a', points: [{ date: '2025-01-01', downloads: 5 }, { date: '2025-03-01', downloads: 7, partial: true }] },
      { name: 'b', points: [{ date: '2025-02-01', downloads: 2 }] },
    ]);
    assert.deepEqual(aligned.labels, ['2025-01-01', '2025-02-01', '2025-03-01']);
    assert.deepEqual(aligned.values, [[5, 0, 7], [0, 2, 0]]);
    assert.deepEqual(aligned.partial, [false, false, true]);
  });

  test('shares: each bucket sums to 100 %, an empty bucket stays 0', () => {
    const result = shares([[1, 0, 3], [3, 0, 1]]);
    assert.deepEqual(result, [[25, 0, 75], [75, 0, 25]]);
    assert.deepEqual(shares([]), []);
  });

  test('nothing to draw: no bucket, or only zeros', () => {
    assert.equal(isEmpty([{ points: [] }]), true);
    assert.equal(isEmpty([{ points: [{ date: 'x', downloads: 0 }] }]), true);
    assert.equal(isEmpty([{ points: [{ date: 'x', downloads: 1 }] }]), false);
  });

  test('downloadsBy groups: other and the unknown value are labelled and are not filters', () => {
    const series = groupsAsSeries([
      { value: 'US', name: 'United States', other: false, downloads: [] },
      { value: '', name: null, other: false, downloads: [] },
      { value: '', name: null, other: true, downloads: [] },
    ]);
    assert.deepEqual(series.map(s => [s.name, s.value]), [['United States (US)', 'US'], ['unknown', null], ['other', null]]);
  });

  test('installer × file type: a matrix, most downloaded first on both axes, 0 in empty cells', () => {
    const m = matrix([
      { installer: 'pip', fileType: 'sdist', downloads: 2 },
      { installer: 'uv', fileType: 'bdist_wheel', downloads: 10 },
      { installer: 'pip', fileType: 'bdist_wheel', downloads: 5 },
    ]);
    assert.deepEqual(m.installers, ['uv', 'pip']);
    assert.deepEqual(m.fileTypes, ['bdist_wheel', 'sdist']);
    assert.deepEqual(m.values, [[10, 5], [0, 2]]);
  });

  test('a click filters by the value; the same click again removes it; other and unknown set nothing', () => {
    assert.deepEqual(clickFilter({}, 'VERSION', '2.1.0'), { version: ['2.1.0'] });
    assert.deepEqual(clickFilter({ version: ['2.1.0'] }, 'VERSION', '2.1.0'), { version: undefined });
    assert.deepEqual(clickFilter({ version: ['1.0', '2.1.0'] }, 'VERSION', '2.1.0'), { version: ['2.1.0'] });
    assert.deepEqual(clickFilter({}, 'COUNTRY', 'DE'), { country: ['DE'] });
    assert.deepEqual(clickFilter({}, 'PYTHON_MINOR', '3.12'), { python: ['3.12'] });
    assert.equal(clickFilter({}, 'SYSTEM', null), null);
    assert.equal(clickFilter({}, 'SYSTEM', ''), null);
    assert.equal(clickFilter({}, 'CI', 'true'), null, 'no URL filter takes a CI value this way');
  });
});

describe('the filter form', () => {
  test('a range that ends before it starts is refused with the reason; anything else goes', () => {
    assert.match(formProblem({ from: '2025-06-02', to: '2025-06-01' }), /ends \(2025-06-01\) before it starts \(2025-06-02\)/);
    assert.equal(formProblem({ from: '2025-06-01', to: '2025-06-01' }), null);
    assert.equal(formProblem({ from: '2025-06-01', to: '' }), null);
    assert.equal(formProblem({ from: '', to: '' }), null);
  });
});

describe('the freshness line', () => {
  const stats = { lastDay: '2026-12-01', lastCompleteDay: '2026-12-01', totalDownloads: 10 };
  test('warns when the gateway says the data is stale, with its threshold', () => {
    const line = describeFreshness(stats, Date.parse('2026-12-06T00:00:00Z'), 10, { stale: true, staleAfterSeconds: 172800 });
    assert.match(line.stale, /Stale.*48 hours/);
    assert.match(line.text, /^Data up to 2026-12-01, 96 hours behind/);
  });
  test('no warning when fresh, or when the gateway does not say', () => {
    assert.equal(describeFreshness(stats, Date.parse('2026-12-02T01:00:00Z'), 10, { stale: false }).stale, null);
    assert.equal(describeFreshness(stats, Date.parse('2026-12-02T01:00:00Z'), 10).stale, null);
  });
});

describe('did you mean', () => {
  test('ever shorter prefixes of the name asked, until one finds packages', async () => {
    const asked = [];
    const api = { run: async (name, variables) => {
      asked.push([name, variables.prefix]);
      return { projects: { edges: variables.prefix === 'req' ? [{ node: { name: 'requests', totalDownloads: 5 } }] : [] } };
    } };
    assert.deepEqual(await suggestNames(api, 'Req_uestz'), [{ name: 'requests', totalDownloads: 5 }]);
    assert.deepEqual(asked.map(a => a[1]), ['req-ue', 'req-u', 'req-', 'req']);
    assert.ok(asked.every(a => a[0] === 'SearchProjects'));
  });
  test('nothing close: an empty list, after the two-letter prefix', async () => {
    const asked = [];
    const api = { run: async (name, variables) => { asked.push(variables.prefix); return { projects: { edges: [] } }; } };
    assert.deepEqual(await suggestNames(api, 'zzzz'), []);
    assert.deepEqual(asked, ['zzzz', 'zzz', 'zz']);
  });
});
