// The dashboard: a single page over the public GraphQL API's registered operations only (api.js).
// Wires the router (router.js), the pages (pages/), the search box (suggest.js) and the freshness line.
import { createApi } from './api.js';
import { createChartSet } from './charts.js';
import { compact, el, number, projectHref, skeleton } from './dom.js';
import { describeFreshness } from './freshness.js';
import * as compare from './pages/compare.js';
import * as landing from './pages/landing.js';
import * as project from './pages/project.js';
import { formatHash } from './route.js';
import { createRouter } from './router.js';
import { createSuggester } from './suggest.js';

const pages = { landing, project, compare };
const api = createApi(window.fetch.bind(window));
const view = document.getElementById('view');
const charts = createChartSet();

const title = route => (route.page === 'project' ? `${route.name} · PyPI downloads`
  : route.page === 'compare' ? `${route.names.join(',')} · PyPI downloads` : 'PyPI downloads');

/** A selector finding an element of the view again once the view is redrawn (null: none that would). */
const focusKey = element => {
  if (!element || !view.contains(element)) return null;
  if (element.id) return `#${CSS.escape(element.id)}`;
  for (const attribute of ['data-granularity', 'data-mode', 'data-filter']) {
    if (element.hasAttribute(attribute)) return `[${attribute}="${CSS.escape(element.getAttribute(attribute))}"]`;
  }
  return null;
};
// Loading keeps the layout: a filter change on the page shown dims it until the new answer replaces it; a new
// page shows its skeleton (the same panels, empty) instead of collapsing to a line of text.
const sameView = route => view.dataset.page === route.page && view.dataset.key === key(route);
const key = route => (route.page === 'project' ? route.name : route.page === 'compare' ? route.names.join(',') : '');
const router = createRouter(window, {
  load: (route, signal) => pages[route.page].load(api, route, signal),
  loading(route) {
    view.setAttribute('aria-busy', 'true');
    document.title = title(route);
    if (sameView(route) && view.dataset.shown === 'true') {
      view.classList.add('refreshing');
      return;
    }
    charts.destroy();
    view.classList.remove('refreshing');
    view.dataset.page = route.page;
    view.dataset.key = key(route);
    view.dataset.shown = 'false';
    view.replaceChildren(...(pages[route.page].placeholder?.(route) ?? [skeleton()]));
  },
  show(route, data) {
    // A filter change redraws the bar: the control that made it keeps the focus (keyboard users stay where they were).
    const focused = sameView(route) ? focusKey(document.activeElement) : null;
    charts.destroy();
    view.classList.remove('refreshing');
    view.dataset.page = route.page;
    view.dataset.key = key(route);
    view.dataset.shown = 'true';
    view.replaceChildren(...pages[route.page].render(data, route, { navigate: next => router.navigate(next), charts }));
    view.dataset.route = formatHash(route); // which view this is (a test waits for the one it asked for)
    if (focused) view.querySelector(focused)?.focus();
    view.setAttribute('aria-busy', 'false');
    setTimeout(startFreshness, 0);
    if (route.page === 'project' && !data.project) {
      // An unknown package: the packages whose names start like it (for this page only: dropped if the user moved on).
      project.suggestNames(api, route.name, data.signal).then(names => {
        if (!data.signal?.aborted) project.showSuggestions(view, names, route.name);
      }).catch(() => {});
    }
  },
  failed(route, error) {
    charts.destroy();
    view.classList.remove('refreshing');
    view.dataset.shown = 'false';
    // Try again; and when the page has filters (a shared link the API refuses, say), a way back to it without them.
    const filtered = Object.keys(route.filters ?? {}).length > 0 && route.page !== 'landing';
    view.replaceChildren(el('div', { class: 'error', role: 'alert' }, el('p', {}, error.message),
      el('button', { type: 'button', id: 'retry', onclick: () => router.reload() }, 'Try again'),
      filtered ? el('button', { type: 'button', id: 'clear-filters', onclick: () => router.navigate({ ...route, filters: {} }) }, 'Remove the filters') : ''));
    view.dataset.route = formatHash(route);
    view.setAttribute('aria-busy', 'false');
    setTimeout(startFreshness, 0);
  },
});

// ------------------------------------------------------------------ search

// The suggestions are a listbox driven from the box: ↓/↑ move through them, Enter opens the one chosen (or the
// first), Escape closes them.
const input = document.getElementById('search-input');
const suggestions = document.getElementById('suggestions');
let active = -1;
const options = () => [...suggestions.querySelectorAll('a[data-project]')];
function highlight(index) {
  const all = options();
  active = all.length ? ((index % all.length) + all.length) % all.length : -1;
  all.forEach((a, i) => a.parentElement.setAttribute('aria-selected', String(i === active)));
  input.setAttribute('aria-activedescendant', active >= 0 ? all[active].parentElement.id : '');
  all[active]?.scrollIntoView?.({ block: 'nearest' });
}
const closeSuggestions = () => { suggestions.replaceChildren(); active = -1; input.setAttribute('aria-expanded', 'false'); input.removeAttribute('aria-activedescendant'); };
const clearSearch = () => { suggester.cancel(); closeSuggestions(); input.value = ''; };
const suggester = createSuggester(api, {
  show: projects => {
    suggestions.replaceChildren(...projects.map((node, i) => el('li', { id: `suggestion-${i}`, role: 'option', 'aria-selected': 'false' }, el('a', {
      href: projectHref(node.name), 'data-project': node.name, tabindex: '-1', onclick: clearSearch,
    }, el('span', {}, node.name), el('span', { class: 'muted' }, compact.format(node.totalDownloads))))));
    active = -1;
    input.removeAttribute('aria-activedescendant');
    input.setAttribute('aria-expanded', String(projects.length > 0));
  },
  failed: error => suggestions.replaceChildren(el('li', {}, el('a', {}, error.message))),
});
input.setAttribute('role', 'combobox');
input.setAttribute('aria-controls', 'suggestions');
input.setAttribute('aria-autocomplete', 'list');
input.setAttribute('aria-expanded', 'false');
input.addEventListener('input', () => suggester.input(input.value));
input.addEventListener('keydown', event => {
  if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
    if (!options().length) return;
    event.preventDefault();
    // ↓ from nothing highlighted: the first; ↑ from nothing: the last.
    highlight(active < 0 ? (event.key === 'ArrowDown' ? 0 : -1) : active + (event.key === 'ArrowDown' ? 1 : -1));
  } else if (event.key === 'Escape') {
    suggester.cancel();
    closeSuggestions();
  }
});
document.getElementById('search').addEventListener('submit', event => {
  event.preventDefault();
  // The suggestion highlighted with the arrows, else the name as typed (an unknown one gets "did you mean").
  const chosen = options()[active];
  const name = chosen ? chosen.dataset.project : input.value.trim();
  if (name) { clearSearch(); router.navigate({ page: 'project', name, filters: {} }); }
});

// ------------------------------------------------------------------ data freshness

// Re-read every 30 s, revalidated with the server (a 304 while the data's version stands), so downloads
// arriving (a followed folder, the live demo) show without a reload.
const freshnessLine = document.getElementById('freshness');
let firstTotal = null;
async function refreshFreshness() {
  try {
    const { stats, freshness } = await api.run('DataFreshnessStatus', {}, { revalidate: true });
    if (firstTotal === null) firstTotal = stats.totalDownloads;
    const { text, arriving, stale } = describeFreshness(stats, Date.now(), firstTotal, freshness);
    freshnessLine.replaceChildren(text, ...(arriving ? [' · ', el('span', { class: 'arriving' }, `+${number.format(arriving)} since this page opened`)] : []),
      ...(stale ? [' ', el('span', { class: 'stale', role: 'status', 'data-test': 'stale' }, stale)] : []));
    freshnessLine.dataset.lastDay = stats.lastDay ?? '';
  } catch {
    // The API down: the line stays as it was.
  }
}
// First read once the first view is on screen (or after 2 s): the page's own first answer does not share the
// warehouse with the freshness statements.
let freshnessStarted = false;
function startFreshness() {
  if (freshnessStarted) return;
  freshnessStarted = true;
  refreshFreshness();
  setInterval(refreshFreshness, 30_000);
}
setTimeout(startFreshness, 2_000);

router.start();
