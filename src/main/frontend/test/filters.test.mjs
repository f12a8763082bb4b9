import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { downloadFilter, formatFilters, parseFilters, withFilters } from '../app/src/filters.js';

describe('filter state in the URL', () => {
  test('reads every filter the URL holds', () => {
    assert.deepEqual(parseFilters('?granularity=MONTH&ci=EXCLUDE&from=2025-06-01&to=2025-06-30&country=US,DE&version=2.*'), {
      granularity: 'MONTH', ci: 'EXCLUDE', from: '2025-06-01', to: '2025-06-30', version: ['2.*'], country: ['US', 'DE'],
    });
  });

  test('leaves out what is absent, unknown or malformed (the page default applies)', () => {
    assert.deepEqual(parseFilters(''), {});
    assert.deepEqual(parseFilters('granularity=FORTNIGHT&ci=ALL&from=2025-02-30&to=yesterday&colour=red&country=,'), {});
  });

  test('writes one spelling per state, in a fixed order, without defaults', () => {
    const a = formatFilters(parseFilters('to=2025-06-30&ci=EXCLUDE&granularity=MONTH'));
    const b = formatFilters(parseFilters('granularity=MONTH&ci=EXCLUDE&to=2025-06-30&extra=1'));
    assert.equal(a, 'granularity=MONTH&ci=EXCLUDE&to=2025-06-30');
    assert.equal(a, b);
    assert.equal(formatFilters({}), '');
  });

  test('reading what was written gives the same state back', () => {
    const states = [
      {},
      { granularity: 'DAY' },
      { ci: 'ONLY', mirrors: 'EXCLUDE', from: '2024-02-29' },
      { version: ['2.*', '1.26.0'], country: ['US'], python: ['3.12'], system: ['Linux'], installer: ['pip'], fileType: ['bdist_wheel'] },
      { version: ['a b&c=d'] },
    ];
    for (const state of states) assert.deepEqual(parseFilters(formatFilters(state)), state);
  });

  test('a change sets or removes single filters and keeps the others', () => {
    const state = parseFilters('granularity=MONTH&ci=EXCLUDE&from=2025-06-01');
    assert.deepEqual(withFilters(state, { ci: 'ALL', to: '2025-07-01', from: '' }), { granularity: 'MONTH', to: '2025-07-01' });
    assert.deepEqual(withFilters(state, { from: 'not a day' }), { granularity: 'MONTH', ci: 'EXCLUDE' });
    assert.deepEqual(state, { granularity: 'MONTH', ci: 'EXCLUDE', from: '2025-06-01' }, 'the old state is unchanged');
  });

  test('the API filter has the DownloadFilter field names and no granularity', () => {
    assert.deepEqual(downloadFilter(parseFilters('granularity=WEEK&ci=EXCLUDE&from=2025-06-01&python=3.12,3.13&fileType=sdist')), {
      ci: 'EXCLUDE', from: '2025-06-01', pythonMinors: ['3.12', '3.13'], fileTypes: ['sdist'],
    });
    assert.deepEqual(downloadFilter({}), {});
  });
});
