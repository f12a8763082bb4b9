// The landing page: the warehouse's figures and what is popular, rising, hot, ageing and new.
import { compact, el, link, number, panel, table } from '../dom.js';

export function load(api, route, signal) {
  return api.run('LandingPage', {}, { signal });
}

export function render(data) {
  const t = data.trends;
  const ranked = (list, extra) => table([{ label: 'project' }, { label: extra ? extra.label : 'downloads', num: true }],
    list.map(p => [link(p.name), extra ? extra.value(p) : number.format(p.downloads)]));
  return [
    el('h1', {}, 'Python package downloads'),
    el('p', { class: 'muted' }, `${number.format(data.stats.totalDownloads)} downloads of ${number.format(data.stats.projects)} projects, `
      + `${data.stats.firstDay} to ${data.stats.lastDay}.`),
    el('div', { class: 'grid' },
      panel(`Most downloaded, last 30 days (to ${t.asOf})`, ranked(t.top)),
      panel('Most downloaded without CI', ranked(t.topWithoutCi)),
      panel('Emerging (first download in the last 6 months)', ranked(t.emerging)),
      panel('Hot (last month over the one before)', ranked(t.hot, { label: 'growth', value: p => `×${p.growth.toFixed(1)} (${compact.format(p.lastMonth)})` })),
      panel('Needing a refresh (no upload for a year)', ranked(t.needingRefresh)),
      panel('Recent releases', table([{ label: 'project' }, { label: 'version' }, { label: 'day' }],
        t.recentReleases.map(r => [link(r.name), r.version, r.uploadDay])))),
  ];
}
