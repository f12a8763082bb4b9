// The dashboard: a single page over the public GraphQL API only. Routes (in the URL's hash):
//   #/                              landing page: warehouse figures, top, emerging, hot, needing a refresh, new releases
//   #/project/<name>?<filters>      package page (filters: granularity, ci, from, to)
//   #/compare/<a>,<b>,...?<filters> packages side by side
// Registered operations (graphql/operations) are sent by id (automatic persisted queries) as cacheable
// GETs; the text of ad-hoc ones is sent by POST.
(function () {
  'use strict';

  const view = document.getElementById('view');
  const number = new Intl.NumberFormat('en');
  const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
  const charts = [];
  let operations = null;

  // ------------------------------------------------------------------ API

  async function registered() {
    if (!operations) {
      const manifest = await (await fetch('/graphql/operations')).json();
      operations = Object.fromEntries(manifest.operations.map(op => [op.name, op]));
    }
    return operations;
  }

  async function run(name, variables) {
    const op = (await registered())[name];
    const params = new URLSearchParams({
      operationName: name,
      variables: JSON.stringify(variables ?? {}),
      extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: op.id } }),
    });
    const response = await fetch('/graphql?' + params, { headers: { accept: 'application/json' } });
    return answer(response);
  }

  async function query(text, variables) {
    const response = await fetch('/graphql', {
      method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: text, variables }),
    });
    return answer(response);
  }

  async function answer(response) {
    let body;
    try { body = await response.json(); } catch { throw new Error(`The API answered ${response.status}.`); }
    if (body.errors && body.errors.length) throw new Error(body.errors.map(e => e.message).join(' '));
    return body.data;
  }

  // ------------------------------------------------------------------ helpers

  const el = (tag, attributes = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes)) {
      if (key === 'class') node.className = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else if (value !== undefined && value !== null && value !== false) node.setAttribute(key, value);
    }
    for (const child of children.flat()) node.append(child instanceof Node ? child : document.createTextNode(String(child ?? '')));
    return node;
  };
  const link = (name) => el('a', { href: `#/project/${encodeURIComponent(name)}` }, name);
  const panel = (title, ...content) => el('section', { class: 'panel' }, el('h2', {}, title), ...content);
  const card = (label, value, test) => el('div', { class: 'card', 'data-test': test },
    el('div', { class: 'value' }, value === null || value === undefined ? '–' : number.format(value)), el('div', { class: 'label' }, label));

  function table(headers, rows) {
    return el('table', {},
      el('thead', {}, el('tr', {}, headers.map(h => el('th', { class: h.num ? 'num' : '' }, h.label)))),
      el('tbody', {}, rows.map(row => el('tr', {}, row.map((cell, i) => el('td', { class: headers[i].num ? 'num' : '' }, cell))))));
  }

  function breakdownTable(breakdown, label) {
    const max = Math.max(1, ...breakdown.entries.map(e => e.downloads));
    const rows = breakdown.entries.map(e => [e.name ? `${e.name} (${e.value})` : e.value,
      el('div', { class: 'bar', style: `width:${Math.round(100 * e.downloads / max)}%` }), number.format(e.downloads)]);
    if (breakdown.other) rows.push(['other', '', number.format(breakdown.other)]);
    return table([{ label }, { label: '' }, { label: 'downloads', num: true }], rows);
  }

  function lineChart(series) {
    const canvas = el('canvas');
    const box = el('div', { class: 'chart' }, canvas);
    const palette = ['#2c6bd6', '#f7b500', '#16a34a', '#dc2626', '#7c3aed', '#0891b2', '#ea580c', '#4b5563', '#db2777', '#65a30d'];
    const labels = [...new Set(series.flatMap(s => s.points.map(p => p.date)))].sort();
    charts.push(new Chart(canvas, {
      type: 'line',
      data: {
        labels,
        datasets: series.map((s, i) => {
          const byDate = new Map(s.points.map(p => [p.date, p.downloads]));
          return { label: s.name, data: labels.map(d => byDate.get(d) ?? 0), borderColor: palette[i % palette.length],
            backgroundColor: palette[i % palette.length], pointRadius: 0, borderWidth: 2, tension: 0.2 };
        }),
      },
      options: { animation: false, maintainAspectRatio: false, interaction: { mode: 'index', intersect: false },
        scales: { y: { ticks: { callback: v => compact.format(v) } } } },
    }));
    return box;
  }

  function filtersFrom(params) {
    const filter = {};
    if (params.get('ci') && params.get('ci') !== 'ALL') filter.ci = params.get('ci');
    if (params.get('from')) filter.from = params.get('from');
    if (params.get('to')) filter.to = params.get('to');
    return filter;
  }

  function filterBar(params, onApply, extra = []) {
    const granularity = params.get('granularity') || 'WEEK';
    const ci = el('select', { id: 'filter-ci', 'aria-label': 'CI downloads' },
      [['ALL', 'all downloads'], ['EXCLUDE', 'without CI'], ['ONLY', 'CI only']]
        .map(([value, label]) => el('option', { value, selected: (params.get('ci') || 'ALL') === value }, label)));
    const from = el('input', { id: 'filter-from', type: 'date', value: params.get('from') || '' });
    const to = el('input', { id: 'filter-to', type: 'date', value: params.get('to') || '' });
    const buttons = ['DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR'].map(g => el('button', {
      type: 'button', 'aria-pressed': String(g === granularity), 'data-granularity': g,
      onclick: () => { params.set('granularity', g); onApply(params); },
    }, g.toLowerCase()));
    const apply = el('button', { type: 'submit', class: 'primary', id: 'filter-apply' }, 'Apply');
    return el('form', {
      class: 'toolbar', onsubmit: event => {
        event.preventDefault();
        for (const [key, input] of [['ci', ci], ['from', from], ['to', to]]) {
          if (input.value && input.value !== 'ALL') params.set(key, input.value); else params.delete(key);
        }
        onApply(params);
      },
    }, el('div', { class: 'segmented', role: 'group', 'aria-label': 'granularity' }, buttons),
    el('label', {}, 'CI', ci), el('label', {}, 'from', from), el('label', {}, 'to', to), apply, ...extra);
  }

  // ------------------------------------------------------------------ pages

  async function landing() {
    const data = await run('LandingPage');
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

  async function packagePage(name, params) {
    const filter = filtersFrom(params);
    const granularity = params.get('granularity') || 'WEEK';
    const data = await run('PackagePage', { name, filter, granularity });
    const p = data.project;
    if (!p) return [el('div', { class: 'error' }, `No package named “${name}”.`)];
    const s = p.downloadSummary;
    const compareInput = el('input', { id: 'compare-input', placeholder: 'compare with… (comma-separated)', 'aria-label': 'compare with' });
    const go = next => { location.hash = `#/project/${encodeURIComponent(p.name)}?${next}`; };
    const compareButton = el('button', { type: 'button', id: 'compare-go', onclick: () => {
      const others = compareInput.value.split(',').map(x => x.trim()).filter(Boolean);
      if (others.length) location.hash = `#/compare/${[p.name, ...others].map(encodeURIComponent).join(',')}?${params}`;
    } }, 'Compare');
    return [
      el('h1', {}, p.name, ' ', el('span', { class: 'muted' }, p.latestVersion ?? '')),
      el('p', { class: 'muted' }, p.summary ?? '', p.license ? ` · ${p.license}` : '', p.requiresPython ? ` · Python ${p.requiresPython}` : '',
        p.ranking ? ` · #${number.format(p.ranking.rank)} of ${number.format(p.ranking.of)}` : ''),
      filterBar(params, next => go(next), [compareInput, compareButton]),
      el('div', { class: 'cards' },
        card('last day', s.lastDay, 'last-day'), card('last 7 days', s.lastWeek, 'last-week'),
        card('last 30 days', s.lastMonth, 'last-month'), card('all time', s.allTime, 'all-time'),
        card('in the selected range', p.totalDownloads, 'total')),
      el('div', { class: 'grid' },
        el('section', { class: 'panel wide' }, el('h2', {}, `Downloads per ${granularity.toLowerCase()}`),
          lineChart([{ name: p.name, points: p.downloads }])),
        panel('Versions', table([{ label: 'version' }, { label: 'released' }, { label: 'downloads', num: true }],
          p.versions.map(v => [v.name, v.uploadDay ?? '', number.format(v.downloads)]))),
        panel('Python', breakdownTable(p.python, 'python')),
        panel('Systems', breakdownTable(p.systems, 'system')),
        panel('Countries', breakdownTable(p.countries, 'country')),
        panel('Installer × file type', table([{ label: 'installer' }, { label: 'file type' }, { label: 'downloads', num: true }],
          p.installerFileTypes.map(c => [c.installer, c.fileType, number.format(c.downloads)])))),
    ];
  }

  async function compare(names, params) {
    const filter = filtersFrom(params);
    const granularity = params.get('granularity') || 'MONTH';
    const data = await run('ComparePackages', { names, filter, granularity });
    const totals = await query(`query Totals($filter: DownloadFilter) { ${names.map((n, i) =>
      `p${i}: project(name: ${JSON.stringify(n)}) { name totalDownloads(filter: $filter) }`).join(' ')} }`, { filter });
    const go = next => { location.hash = `#/compare/${names.map(encodeURIComponent).join(',')}?${next}`; };
    return [
      el('h1', {}, 'Compare ', names.join(' · ')),
      filterBar(params, next => go(next)),
      el('div', { class: 'grid' },
        el('section', { class: 'panel wide', 'data-test': 'compare-chart' }, el('h2', {}, `Downloads per ${granularity.toLowerCase()}`),
          lineChart(data.compare.map(s => ({ name: s.name, points: s.downloads })))),
        panel('Totals in the selected range', table([{ label: 'project' }, { label: 'downloads', num: true }],
          Object.values(totals).filter(Boolean).map(p => [link(p.name), number.format(p.totalDownloads)])))),
    ];
  }

  // ------------------------------------------------------------------ search

  const input = document.getElementById('search-input');
  const suggestions = document.getElementById('suggestions');
  let searchTimer = null;
  input.addEventListener('input', () => {
    clearTimeout(searchTimer);
    const prefix = input.value.trim();
    if (!prefix) { suggestions.replaceChildren(); return; }
    searchTimer = setTimeout(async () => {
      try {
        const data = await run('SearchProjects', { prefix, first: 8 });
        suggestions.replaceChildren(...data.projects.edges.map(({ node }) => el('li', {}, el('a', {
          href: `#/project/${encodeURIComponent(node.name)}`, 'data-project': node.name,
          onclick: () => { suggestions.replaceChildren(); input.value = ''; },
        }, el('span', {}, node.name), el('span', { class: 'muted' }, compact.format(node.totalDownloads))))));
      } catch (error) {
        suggestions.replaceChildren(el('li', {}, el('a', {}, error.message)));
      }
    }, 150);
  });
  document.getElementById('search').addEventListener('submit', event => {
    event.preventDefault();
    const first = suggestions.querySelector('a[data-project]');
    const name = first ? first.dataset.project : input.value.trim();
    if (name) { suggestions.replaceChildren(); input.value = ''; location.hash = `#/project/${encodeURIComponent(name)}`; }
  });

  // ------------------------------------------------------------------ data freshness

  // "Data up to <last day>, N hours behind": N counts from the end of the last day with downloads (midnight
  // UTC after it) to now, as the gateway's pypi_ingest_lag_seconds does. Re-read every 30 s (a POST: never
  // an HTTP-cached answer), so downloads arriving (a followed folder, the live demo) show without a reload.
  const freshnessLine = document.getElementById('freshness');
  let firstTotal = null;

  function describeFreshness(stats, now) {
    if (!stats.lastDay) return [document.createTextNode('No downloads loaded yet.')];
    const end = Date.parse(`${stats.lastDay}T00:00:00Z`) + 86_400_000;
    const hours = Math.max(0, Math.floor((now - end) / 3_600_000));
    let text = `Data up to ${stats.lastDay}, ${number.format(hours)} hours behind`;
    if (hours >= 48) text += ` (${number.format(Math.floor(hours / 24))} days)`;
    if (stats.lastCompleteDay && stats.lastCompleteDay !== stats.lastDay) text += `; complete up to ${stats.lastCompleteDay}`;
    text += ` · ${number.format(stats.totalDownloads)} downloads`;
    const parts = [document.createTextNode(text)];
    if (firstTotal !== null && stats.totalDownloads > firstTotal) {
      parts.push(document.createTextNode(' · '),
        el('span', { class: 'arriving' }, `+${number.format(stats.totalDownloads - firstTotal)} since this page opened`));
    }
    return parts;
  }

  async function refreshFreshness() {
    try {
      const data = await query('query DataFreshness { stats { lastDay lastCompleteDay totalDownloads } }');
      if (firstTotal === null) firstTotal = data.stats.totalDownloads;
      freshnessLine.replaceChildren(...describeFreshness(data.stats, Date.now()));
      freshnessLine.dataset.lastDay = data.stats.lastDay ?? '';
    } catch {
      // Ad-hoc queries refused (allow-list-only) or the API down: the line stays as it was.
    }
  }
  refreshFreshness();
  setInterval(refreshFreshness, 30_000);

  // ------------------------------------------------------------------ routing

  async function route() {
    const [path, search] = (location.hash.slice(1) || '/').split('?');
    const params = new URLSearchParams(search || '');
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    charts.splice(0).forEach(chart => chart.destroy());
    view.replaceChildren(el('p', { class: 'loading' }, 'Loading…'));
    view.setAttribute('aria-busy', 'true');
    try {
      let content;
      if (parts[0] === 'project' && parts[1]) content = await packagePage(parts[1], params);
      else if (parts[0] === 'compare' && parts[1]) content = await compare(parts[1].split(',').filter(Boolean), params);
      else content = await landing();
      view.replaceChildren(...content);
    } catch (error) {
      view.replaceChildren(el('div', { class: 'error', role: 'alert' }, error.message));
    } finally {
      view.setAttribute('aria-busy', 'false');
      document.title = parts[1] ? `${parts[1]} · PyPI downloads` : 'PyPI downloads';
    }
  }
  window.addEventListener('hashchange', route);
  route();
})();
