// The dashboard: a single page over the public GraphQL API's registered operations only (api.js).
// Wires the router (router.js), the pages (pages/), the search box (suggest.js) and the freshness line.
import { createApi } from './api.js';
import { createChartSet } from './charts.js';
import { compact, el, number, projectHref } from './dom.js';
import { describeFreshness } from './freshness.js';
import * as compare from './pages/compare.js';
import * as landing from './pages/landing.js';
import * as project from './pages/project.js';
import { createRouter } from './router.js';
import { createSuggester } from './suggest.js';

const pages = { landing, project, compare };
const api = createApi(window.fetch.bind(window));
const view = document.getElementById('view');
const charts = createChartSet();

const title = route => (route.page === 'project' ? `${route.name} · PyPI downloads`
  : route.page === 'compare' ? `${route.names.join(',')} · PyPI downloads` : 'PyPI downloads');

const router = createRouter(window, {
  load: (route, signal) => pages[route.page].load(api, route, signal),
  loading(route) {
    charts.destroy();
    view.replaceChildren(el('p', { class: 'loading' }, 'Loading…'));
    view.setAttribute('aria-busy', 'true');
    document.title = title(route);
  },
  show(route, data) {
    charts.destroy();
    view.replaceChildren(...pages[route.page].render(data, route, { navigate: next => router.navigate(next), charts }));
    view.setAttribute('aria-busy', 'false');
  },
  failed(route, error) {
    charts.destroy();
    view.replaceChildren(el('div', { class: 'error', role: 'alert' }, error.message));
    view.setAttribute('aria-busy', 'false');
  },
});

// ------------------------------------------------------------------ search

const input = document.getElementById('search-input');
const suggestions = document.getElementById('suggestions');
const clearSearch = () => { suggester.cancel(); suggestions.replaceChildren(); input.value = ''; };
const suggester = createSuggester(api, {
  show: projects => suggestions.replaceChildren(...projects.map(node => el('li', {}, el('a', {
    href: projectHref(node.name), 'data-project': node.name, onclick: clearSearch,
  }, el('span', {}, node.name), el('span', { class: 'muted' }, compact.format(node.totalDownloads)))))),
  failed: error => suggestions.replaceChildren(el('li', {}, el('a', {}, error.message))),
});
input.addEventListener('input', () => suggester.input(input.value));
document.getElementById('search').addEventListener('submit', event => {
  event.preventDefault();
  const first = suggestions.querySelector('a[data-project]');
  const name = first ? first.dataset.project : input.value.trim();
  if (name) { clearSearch(); router.navigate({ page: 'project', name, filters: {} }); }
});

// ------------------------------------------------------------------ data freshness

// Re-read every 30 s, revalidated with the server (a 304 while the data's version stands), so downloads
// arriving (a followed folder, the live demo) show without a reload.
const freshnessLine = document.getElementById('freshness');
let firstTotal = null;
async function refreshFreshness() {
  try {
    const { stats } = await api.run('DataFreshness', {}, { revalidate: true });
    if (firstTotal === null) firstTotal = stats.totalDownloads;
    const { text, arriving } = describeFreshness(stats, Date.now(), firstTotal);
    freshnessLine.replaceChildren(text, ...(arriving ? [' · ', el('span', { class: 'arriving' }, `+${number.format(arriving)} since this page opened`)] : []));
    freshnessLine.dataset.lastDay = stats.lastDay ?? '';
  } catch {
    // The API down: the line stays as it was.
  }
}
refreshFreshness();
setInterval(refreshFreshness, 30_000);

router.start();
