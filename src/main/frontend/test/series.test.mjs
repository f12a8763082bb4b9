import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formProblem } from '../app/src/pages/filter-bar.js';
import { suggestNames } from '../app/src/pages/project.js';
import { describeFreshness } from '../app/src/freshness.js';
import { alignSeries, clickFilter, clickMatrixFilter, everyBucket, groupsAsSeries, isEmpty, matrix, shares } from '../app/src/series.js';
import { namesToCompare } from '../app/src/pages/compare.js';
import { parseFilters } from '../app/src/filters.js';

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
  test('a threshold under two hours is said in minutes', () => {
    assert.match(describeFreshness(stats, Date.parse('2026-12-06T00:00:00Z'), 10, { stale: true, staleAfterSeconds: 900 }).stale, /\(15 minutes\)/);
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

describe('gaps and clicks', () => {
  test('a bucket without downloads is drawn as a zero, at every granularity, not skipped over', () => {
    const aligned = alignSeries([{ name: 'a', points: [{ date: '2025-01-30', downloads: 1 }, { date: '2025-02-02', downloads: 3 }] }], 'DAY');
    assert.deepEqual(aligned.labels, ['2025-01-30', '2025-01-31', '2025-02-01', '2025-02-02']);
    assert.deepEqual(aligned.values, [[1, 0, 0, 3]]);
    assert.deepEqual(everyBucket(['2024-12-30', '2025-01-13'], 'WEEK'), ['2024-12-30', '2025-01-06', '2025-01-13']);
    assert.deepEqual(everyBucket(['2024-11-01', '2025-02-01'], 'MONTH'), ['2024-11-01', '2024-12-01', '2025-01-01', '2025-02-01']);
    assert.deepEqual(everyBucket(['2024-10-01', '2025-04-01'], 'QUARTER'), ['2024-10-01', '2025-01-01', '2025-04-01']);
    assert.deepEqual(everyBucket(['2022-01-01', '2024-01-01'], 'YEAR'), ['2022-01-01', '2023-01-01', '2024-01-01']);
    // Dates off the step (not the API's buckets): drawn as given.
    assert.deepEqual(everyBucket(['2025-01-01', '2025-01-05'], 'WEEK'), ['2025-01-01', '2025-01-05']);
  });

  test('installer × file type: both values; the same cell again removes both; an unknown value keeps the other filter', () => {
    assert.deepEqual(clickMatrixFilter({}, 'pip', 'sdist'), { installer: ['pip'], fileType: ['sdist'] });
    assert.deepEqual(clickMatrixFilter({ installer: ['pip'] }, 'pip', 'sdist'), { installer: ['pip'], fileType: ['sdist'] },
      'an installer filter already set stays set');
    assert.deepEqual(clickMatrixFilter({ installer: ['pip'], fileType: ['sdist'] }, 'pip', 'sdist'), { installer: undefined, fileType: undefined });
    assert.deepEqual(clickMatrixFilter({ installer: ['uv'] }, '', 'sdist'), { fileType: ['sdist'] });
    assert.equal(clickMatrixFilter({}, '', ''), null);
  });

  test('compare: each package once, 2 to 10 of them', () => {
    assert.deepEqual(namesToCompare(['Requests', 'requests', 'numpy']), ['Requests', 'numpy']);
    assert.throws(() => namesToCompare(['pip']), /at least two different packages/);
    assert.throws(() => namesToCompare(['pip', 'PIP']), /at least two different packages/);
    assert.throws(() => namesToCompare(Array.from({ length: 11 }, (_, i) => `p${i}`)), /at most 10 packages; this link names 11/);
  });

  test('a shared link: country codes in capitals, a plus is a plus', () => {
    assert.deepEqual(parseFilters('country=us,de'), { country: ['US', 'DE'] });
    assert.deepEqual(parseFilters('version=1.0+cpu'), { version: ['1.0+cpu'] });
  });
});
