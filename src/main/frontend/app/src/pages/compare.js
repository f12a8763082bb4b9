// Packages side by side: one series each and their totals, under the route's filters. The totals are one
// registered ProjectTotal per name (in parallel; each a cacheable GET), so an unknown name is told apart
// from one without downloads.
import { ApiError } from '../api.js';
import { el, link, number, panel, table } from '../dom.js';
import { downloadFilter, filterProblem } from '../filters.js';
import { filterBar } from './filter-bar.js';

export const DEFAULT_GRANULARITY = 'MONTH';

/** A name as PyPI compares names (PEP 503): case and runs of - _ . do not matter. */
const normalized = name => name.toLowerCase().replace(/[-_.]+/g, '-');

/** The names to compare: each package once (first spelling kept); an error when that leaves fewer than 2 or more than 10. */
export function namesToCompare(names) {
  const seen = new Map();
  for (const name of names) if (!seen.has(normalized(name))) seen.set(normalized(name), name);
  const distinct = [...seen.values()];
  if (distinct.length < 2) throw new ApiError('Compare needs at least two different packages: add another name after a comma.');
  if (distinct.length > 10) throw new ApiError(`Compare takes at most 10 packages; this link names ${distinct.length}.`);
  return distinct;
}

export async function load(api, route, signal) {
  const problem = filterProblem(route.filters);
  if (problem) throw new ApiError(problem);
  const names = namesToCompare(route.names);
  route = { ...route, names };
  const filter = downloadFilter(route.filters);
  const granularity = route.filters.granularity ?? DEFAULT_GRANULARITY;
  const [series, ...totals] = await Promise.all([
    api.run('CompareSeries', { names: route.names, filter, granularity }, { signal }),
    ...route.names.map(name => api.run('ProjectTotal', { name, filter }, { signal })),
  ]);
  return { compare: series.compare, totals: totals.map((data, i) => ({ asked: route.names[i], project: data.project })) };
}

export function render(data, route, { navigate, charts }) {
  const granularity = route.filters.granularity ?? DEFAULT_GRANULARITY;
  const unknown = data.totals.filter(t => !t.project).map(t => t.asked);
  // Only the packages that exist are drawn: an unknown name is reported above the chart, not drawn as a flat zero.
  const known = new Set(data.totals.filter(t => t.project).map(t => t.project.name));
  return [
    el('h1', {}, 'Compare ', route.names.join(' · ')),
    filterBar(route, granularity, navigate),
    unknown.length ? el('p', { class: 'notice', 'data-test': 'unknown' }, `No package named ${unknown.map(n => `“${n}”`).join(', ')}.`) : '',
    el('div', { class: 'grid' },
      el('section', { class: 'panel wide', 'data-test': 'compare-chart' }, el('h2', {}, `Downloads per ${granularity.toLowerCase()}`),
        charts.line(data.compare.filter(s => known.has(s.name)).map(s => ({ name: s.name, points: s.downloads })), { granularity, test: 'compare-lines' })),
      panel('Totals in the selected range', table([{ label: 'project' }, { label: 'downloads', num: true }],
        data.totals.filter(t => t.project).map(({ project }) => [link(project.name), number.format(project.totalDownloads)])))),
  ];
}
