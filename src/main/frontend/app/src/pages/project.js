// One package: what it is, its figures and downloads over time first (PackageOverview), then its breakdowns
// over time, map and matrix (PackageBreakdowns) and its dependencies, dependents and repository
// (PackageDetails), all under the route's filters. The overview is asked first and the page shown when it
// answers (the first chart); the other two are asked then, and their panels keep their place (a skeleton) until
// they answer. A click on a chart's part or a table's value (a version, a Python minor, a system, a country, an
// installer, a file type) filters the page by it.
import { breakdownTable, card, compact, el, link, number, panel, skeleton, table } from '../dom.js';
import { ApiError } from '../api.js';
import { downloadFilter, filterProblem, withFilters } from '../filters.js';
import { clickFilter, clickMatrixFilter, groupsAsSeries } from '../series.js';
import { filterBar } from './filter-bar.js';

export const DEFAULT_GRANULARITY = 'WEEK';

/** Resolves once the browser has drawn what is on screen now (the next frame), at once without a browser. */
const afterPaint = () => new Promise(resolve => (globalThis.requestAnimationFrame
  ? requestAnimationFrame(() => setTimeout(resolve, 0)) : setTimeout(resolve, 0)));

/** Resolves with the overview (`project`) once it answers; `rest` holds the other two answers' promise. */
export async function load(api, route, signal) {
  const granularity = route.filters.granularity ?? DEFAULT_GRANULARITY;
  const problem = filterProblem(route.filters);
  if (problem) throw new ApiError(problem); // not worth a request: said at once, with a way back (main.js)
  const variables = { name: route.name, filter: downloadFilter(route.filters), granularity };
  const overview = api.run('PackageOverview', variables, { signal });
  // The rest is asked once the overview is in and drawn (the first chart does not share the warehouse and the cores
  // with eleven more statements), and only for a package that exists.
  const rest = overview.then(data => (!data.project ? null : afterPaint().then(() => Promise.all([
    api.run('PackageBreakdowns', variables, { signal }),
    api.run('PackageDetails', { name: route.name }, { signal }),
  ])).then(([breakdowns, details]) => ({ breakdowns: breakdowns.project, details: details.project }))));
  rest.catch(() => {}); // Read by render; a page left before it answers leaves nobody waiting for it.
  const data = await overview;
  return { project: data.project, rest, signal };
}

/** The page's layout before any answer: the same panels, empty. */
export function placeholder(route) {
  return [
    el('h1', {}, route.name),
    el('p', { class: 'muted skeleton-line' }, '\u00a0'),
    el('div', { class: 'cards' }, ['last day', 'last 7 days', 'last 30 days', 'all time', 'in the selected range']
      .map(label => el('div', { class: 'card' }, el('div', { class: 'value skeleton-line' }, '\u00a0'), el('div', { class: 'label' }, label)))),
    el('div', { class: 'grid' }, el('section', { class: 'panel wide' }, el('h2', {}, 'Downloads'), skeleton())),
  ];
}

const tierText = tier => ({ TOP_1_PERCENT: 'top 1 %', TOP_10_PERCENT: 'top 10 %', TOP_25_PERCENT: 'top 25 %' }[tier] ?? '');

function details(p) {
  const parts = [];
  if (p.author) parts.push(`by ${p.author}`);
  if (p.license) parts.push(p.license);
  if (p.requiresPython) parts.push(`Python ${p.requiresPython}`);
  if (p.lastUpload) parts.push(`last upload ${p.lastUpload}`);
  const line = el('p', { class: 'muted details', 'data-test': 'details' }, parts.join(' · '));
  if (p.homePage && /^https?:\/\//i.test(p.homePage)) {
    line.append(parts.length ? ' · ' : '', el('a', { href: p.homePage, rel: 'noopener noreferrer nofollow', 'data-test': 'home-page' }, 'home page'));
  }
  return line;
}

function ranking(r) {
  if (!r) return '';
  const tier = tierText(r.tier);
  return el('p', { class: 'ranking', 'data-test': 'ranking' },
    tier ? el('span', { class: 'tier', 'data-tier': r.tier }, tier) : '',
    ` #${number.format(r.rank)} of ${number.format(r.of)} projects by all-time downloads, whatever the filters (top ${r.topPercent < 1 ? r.topPercent.toFixed(2) : r.topPercent.toFixed(1)} %)`);
}

export function render(data, route, { navigate, charts, signal = data.signal }) {
  const p = data.project;
  if (!p) return notFound(route, { navigate });
  const granularity = route.filters.granularity ?? DEFAULT_GRANULARITY;
  const s = p.downloadSummary;
  const here = { ...route, name: p.name };
  const filterBy = changes => { if (changes) navigate({ ...here, filters: withFilters(route.filters, changes) }); };
  const by = dimension => value => filterBy(clickFilter(route.filters, dimension, value));
  const compare = () => {
    const others = compareInput.value.split(',').map(x => x.trim()).filter(Boolean);
    if (others.length) navigate({ page: 'compare', names: [p.name, ...others], filters: route.filters });
  };
  // Enter in this field compares (it sits in the filters' form, whose Enter would apply the filters instead).
  const compareInput = el('input', { id: 'compare-input', placeholder: 'compare with… (comma-separated)', 'aria-label': 'compare with',
    onkeydown: event => { if (event.key === 'Enter') { event.preventDefault(); compare(); } } });
  const compareButton = el('button', { type: 'button', id: 'compare-go', onclick: compare }, 'Compare');

  // The panels the second answer fills: each keeps its place with a skeleton until then.
  const slot = (title, test, wide = false) => {
    const body = el('div', { class: 'slot', 'aria-busy': 'true', 'data-test': test }, skeleton());
    const section = el('section', { class: `panel${wide ? ' wide' : ''}` }, el('h2', {}, title), body);
    return { section, body };
  };
  const unit = granularity.toLowerCase();
  const versions = slot(`Versions per ${unit}`, 'versions', true);
  const python = slot(`Python minors per ${unit}`, 'python');
  const systems = slot(`Systems per ${unit}`, 'systems');
  const countries = slot('Countries', 'countries', true);
  const installers = slot('Installer × file type', 'installers');
  const dependencies = slot('Dependencies', 'dependencies');
  const dependents = slot('Dependents (the ten most downloaded)', 'dependents');
  const repository = slot('GitHub', 'repository');

  const filled = (target, ...nodes) => { target.body.replaceChildren(...nodes); target.body.setAttribute('aria-busy', 'false'); };
  data.rest?.then(({ breakdowns: b, details: d }) => {
    if (signal?.aborted) return;
    const shareToggle = (draw, test) => {
      const holder = el('div', {});
      const buttons = ['downloads', 'share'].map(mode => el('button', { type: 'button', 'data-mode': mode, 'aria-pressed': String(mode === 'downloads'),
        onclick: () => {
          buttons.forEach(x => x.setAttribute('aria-pressed', String(x === buttonOf(mode))));
          charts.destroyIn(holder); // the chart it replaces goes with its canvas
          holder.replaceChildren(draw(mode === 'share'));
        } }, mode));
      const buttonOf = mode => buttons.find(x => x.dataset.mode === mode);
      holder.append(draw(false));
      return [el('div', { class: 'segmented small', role: 'group', 'aria-label': `${test}: downloads or share`, 'data-test': `${test}-mode` }, buttons), holder];
    };
    filled(versions, ...shareToggle(share => charts.stacked(groupsAsSeries(b.versionsOverTime), { granularity, share, test: 'versions-chart', onSelect: by('VERSION') }), 'versions'),
      el('details', { class: 'table-box' }, el('summary', {}, 'Newest versions'),
        table([{ label: 'version' }, { label: 'released' }, { label: 'downloads', num: true }],
          b.versions.map(v => [filterLink(v.name, () => by('VERSION')(v.name)), v.uploadDay ?? '', number.format(v.downloads)]))));
    filled(python, ...shareToggle(share => charts.stacked(groupsAsSeries(b.pythonOverTime), { granularity, share, test: 'python-chart', onSelect: by('PYTHON_MINOR') }), 'python'),
      breakdownTable(b.python, 'python', by('PYTHON_MINOR')));
    filled(systems, ...shareToggle(share => charts.stacked(groupsAsSeries(b.systemsOverTime), { granularity, share, test: 'systems-chart', onSelect: by('SYSTEM') }), 'systems'),
      breakdownTable(b.systems, 'system', by('SYSTEM')));
    const top = { ...b.countries, entries: b.countries.entries.slice(0, 10),
      other: b.countries.other + b.countries.entries.slice(10).reduce((sum, e) => sum + e.downloads, 0) };
    filled(countries, el('div', { class: 'map-and-table' },
      charts.worldMap(b.countries.entries, { test: 'map', onSelect: by('COUNTRY') }), breakdownTable(top, 'country', by('COUNTRY'))));
    filled(installers, charts.installerBars(b.installerFileTypes, { test: 'installer-chart',
      onSelect: (installer, fileType) => filterBy(clickMatrixFilter(route.filters, installer, fileType)) }),
    el('details', { class: 'table-box' }, el('summary', {}, 'As a table'),
      table([{ label: 'installer' }, { label: 'file type' }, { label: 'downloads', num: true }],
        b.installerFileTypes.map(c => [
          c.installer ? filterLink(c.installer, () => filterBy(clickFilter(route.filters, 'INSTALLER', c.installer))) : 'unknown',
          c.fileType ? filterLink(c.fileType, () => filterBy(clickFilter(route.filters, 'FILE_TYPE', c.fileType))) : 'unknown',
          number.format(c.downloads)]))));
    const scroll = node => el('div', { class: 'table-scroll' }, node);
    filled(dependencies, d.dependencies.length
      ? scroll(table([{ label: 'requires' }, { label: 'version' }, { label: 'downloads', num: true }],
        d.dependencies.map(x => [link(x.name), `${x.requirement}${x.optional ? ' (optional)' : ''}`, x.downloads ? number.format(x.downloads) : '–'])))
      : el('p', { class: 'empty' }, 'Its latest upload requires nothing.'));
    filled(dependents, d.dependents.length
      ? scroll(table([{ label: 'required by' }, { label: 'downloads', num: true }], d.dependents.map(x => [link(x.name), number.format(x.downloads)])))
      : el('p', { class: 'empty' }, 'No project here requires it.'));
    if (d.repository) {
      const r = d.repository;
      filled(repository, el('p', {}, el('a', { href: r.url, rel: 'noopener noreferrer nofollow', 'data-test': 'repository-link' }, r.name)),
        el('div', { class: 'cards small' }, card('stars', r.stars, 'stars'), card('forks', r.forks, 'forks'),
          card('issues opened', r.openedIssues, 'issues'), card('pull requests', r.pullRequests, 'pulls'), card('contributors', r.contributors, 'contributors')));
    } else {
      repository.section.remove();
    }
  }).catch(error => {
    if (signal?.aborted) return;
    for (const target of [versions, python, systems, countries, installers, dependencies, dependents, repository]) {
      filled(target, el('div', { class: 'error', role: 'alert' }, `This part could not be loaded: ${error.message}`));
    }
  });

  return [
    el('h1', {}, p.name, ' ', el('span', { class: 'muted' }, p.latestVersion ?? '')),
    p.summary ? el('p', { class: 'summary' }, p.summary) : '',
    details(p),
    ranking(p.ranking),
    filterBar(here, granularity, navigate, [compareInput, compareButton]),
    filtered(route.filters) ? el('p', { class: 'muted cards-note', 'data-test': 'cards-note' },
      'The first four figures count the downloads the filters select, over their fixed periods (the date range does not apply to them).') : '',
    el('div', { class: 'cards' },
      card('last day', s.lastDay, 'last-day'), card('last 7 days', s.lastWeek, 'last-week'),
      card('last 30 days', s.lastMonth, 'last-month'), card('all time', s.allTime, 'all-time'),
      card('in the selected range', p.totalDownloads, 'total')),
    el('div', { class: 'grid' },
      el('section', { class: 'panel wide' }, el('h2', {}, `Downloads per ${unit}`),
        charts.line([{ name: p.name, points: p.downloads }], { granularity, test: 'downloads-chart' })),
      versions.section, python.section, systems.section, countries.section, installers.section,
      dependencies.section, dependents.section, repository.section),
  ];
}

/** Whether a filter other than the date range and granularity is set. */
const filtered = filters => Object.keys(filters).some(key => !['granularity', 'from', 'to'].includes(key));

/** A value in a table that filters the page by itself. */
function filterLink(text, onclick) {
  return el('button', { type: 'button', class: 'link', title: `filter by ${text}`, onclick }, text);
}

/** An unknown package: said so, with the packages whose names start like it (asked by the page, see main.js). */
function notFound(route, { navigate }) {
  const list = el('ul', { class: 'did-you-mean', 'data-test': 'did-you-mean' });
  const box = el('div', { class: 'notice not-found', 'data-test': 'not-found' }, `No package named “${route.name}” here.`, list);
  box.dataset.name = route.name;
  return [el('h1', {}, route.name), box];
}

/** Fills the not-found box with near names (most downloaded first), from ever shorter prefixes of the name asked. */
export async function suggestNames(api, name, signal) {
  const normalized = name.toLowerCase().replace(/[-_.]+/g, '-');
  for (let length = Math.min(normalized.length, 6); length >= 2; length--) {
    const data = await api.run('SearchProjects', { prefix: normalized.slice(0, length), first: 5 }, { signal });
    const names = data.projects.edges.map(edge => edge.node);
    if (names.length) return names;
  }
  return [];
}

/** Shows `names` in the not-found box of `asked`, if that box is still the one on screen (and was not filled yet). */
export function showSuggestions(container, names, asked) {
  const box = container.querySelector('[data-test="not-found"]');
  const list = box?.querySelector('[data-test="did-you-mean"]');
  if (!list || box.dataset.name !== asked || box.dataset.filled || !names.length) return;
  box.dataset.filled = 'true';
  list.before(el('p', {}, 'Did you mean:'));
  list.replaceChildren(...names.map(n => el('li', {}, link(n.name), el('span', { class: 'muted' }, ` ${compact.format(n.totalDownloads)} downloads`))));
}
