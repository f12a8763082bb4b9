import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatHash, parseHash } from '../app/src/route.js';

describe('routes in the hash', () => {
  test('the three pages', () => {
    assert.deepEqual(parseHash(''), { page: 'landing', filters: {} });
    assert.deepEqual(parseHash('#/'), { page: 'landing', filters: {} });
    assert.deepEqual(parseHash('#/project/requests?ci=EXCLUDE'), { page: 'project', name: 'requests', filters: { ci: 'EXCLUDE' } });
    assert.deepEqual(parseHash('#/compare/numpy,pandas,numpy?granularity=YEAR'),
      { page: 'compare', names: ['numpy', 'pandas'], filters: { granularity: 'YEAR' } });
  });

  test('names are decoded; a malformed escape is kept as written rather than failing', () => {
    assert.equal(parseHash('#/project/zope.interface%20').name, 'zope.interface');
    assert.equal(parseHash('#/project/a%2Fb').name, 'a/b');
    assert.equal(parseHash('#/project/100%').name, '100%');
  });

  test('unknown or incomplete paths are the landing page', () => {
    for (const hash of ['#/project/', '#/compare/,,', '#/nowhere', '#project']) assert.equal(parseHash(hash).page, 'landing', hash);
  });

  test('formatHash is the one spelling of a route, and parseHash reads it back', () => {
    const routes = [
      { page: 'landing', filters: {} },
      { page: 'project', name: 'typing_extensions', filters: {} },
      { page: 'project', name: 'a/b c', filters: { granularity: 'MONTH', ci: 'EXCLUDE', from: '2025-06-01' } },
      { page: 'compare', names: ['numpy', 'pandas'], filters: { country: ['US', 'DE'] } },
    ];
    for (const route of routes) assert.deepEqual(parseHash(formatHash(route)), route);
    assert.equal(formatHash(parseHash('#/project/pip?to=2025-01-31&ci=EXCLUDE&bogus=1')), '#/project/pip?ci=EXCLUDE&to=2025-01-31');
    assert.equal(formatHash({ page: 'compare', names: ['a', 'b'], filters: { country: ['US', 'DE'] } }), '#/compare/a,b?country=US,DE');
  });
});
