// One package: summary, figures, downloads over time and the breakdowns, under the route's filters.
import { breakdownTable, card, el, number, panel, table } from '../dom.js';
import { downloadFilter } from '../filters.js';
import { filterBar } from './filter-bar.js';

export const DEFAULT_GRANULARITY = 'WEEK';

export function load(api, route, signal) {
  const granularity = route.filters.granularity ?? DEFAULT_GRANULARITY;
  return api.run('PackagePage', { name: route.name, filter: downloadFilter(route.filters), granularity }, { signal });
}

export function render(data, route, { navigate, charts }) {
  const p = data.project;
  if (!p) return [el('div', { class: 'error' }, `No package named “${route.name}”.`)];
  const granularity = route.filters.granularity ?? DEFAULT_GRANULARITY;
  const s = p.downloadSummary;
  const here = { ...route, name: p.name };
  const compareInput = el('input', { id: 'compare-input', placeholder: 'compare with… (comma-separated)', 'aria-label': 'compare with' });
  const compareButton = el('button', { type: 'button', id: 'compare-go', onclick: () => {
    const others = compareInput.value.split(',').map(x => x.trim()).filter(Boolean);
    if (others.length) navigate({ page: 'compare', names: [p.name, ...others], filters: route.filters });
  } }, 'Compare');
  return [
    el('h1', {}, p.name, ' ', el('span', { class: 'muted' }, p.latestVersion ?? '')),
    el('p', { class: 'muted' }, p.summary ?? '', p.license ? ` · ${p.license}` : '', p.requiresPython ? ` · Python ${p.requiresPython}` : '',
      p.ranking ? ` · #${number.format(p.ranking.rank)} of ${number.format(p.ranking.of)}` : ''),
    filterBar(here, granularity, navigate, [compareInput, compareButton]),
    el('div', { class: 'cards' },
      card('last day', s.lastDay, 'last-day'), card('last 7 days', s.lastWeek, 'last-week'),
      card('last 30 days', s.lastMonth, 'last-month'), card('all time', s.allTime, 'all-time'),
      card('in the selected range', p.totalDownloads, 'total')),
    el('div', { class: 'grid' },
      el('section', { class: 'panel wide' }, el('h2', {}, `Downloads per ${granularity.toLowerCase()}`),
        charts.line([{ name: p.name, points: p.downloads }])),
      panel('Versions', table([{ label: 'version' }, { label: 'released' }, { label: 'downloads', num: true }],
        p.versions.map(v => [v.name, v.uploadDay ?? '', number.format(v.downloads)]))),
      panel('Python', breakdownTable(p.python, 'python')),
      panel('Systems', breakdownTable(p.systems, 'system')),
      panel('Countries', breakdownTable(p.countries, 'country')),
      panel('Installer × file type', table([{ label: 'installer' }, { label: 'file type' }, { label: 'downloads', num: true }],
        p.installerFileTypes.map(c => [c.installer, c.fileType, number.format(c.downloads)])))),
  ];
}
