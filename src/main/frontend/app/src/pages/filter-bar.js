// The filters' toolbar of the package and compare pages: granularity buttons, date range, CI, mirrors, and a
// field for every other filter the API has (versions with PEP 440 prefixes such as 2.*, countries, Python
// minors, systems, installers, file types; comma-separated). It changes the route's filter state only (through
// `navigate`); the URL is the state, so the back button undoes a change and a link shares it. A form that
// cannot be sent (a range that ends before it starts) says why and changes nothing.
import { el } from '../dom.js';
import { FIELDS, GRANULARITIES, filterProblem, withFilters } from '../filters.js';

/** The list filters, their field's label and an example of what it takes. */
export const LIST_FILTERS = [
  { key: 'version', label: 'versions', example: '2.* or 1.0,1.1' },
  { key: 'country', label: 'countries', example: 'US,DE' },
  { key: 'python', label: 'Python', example: '3.12,3.11' },
  { key: 'system', label: 'systems', example: 'Linux' },
  { key: 'installer', label: 'installers', example: 'pip,uv' },
  { key: 'fileType', label: 'file types', example: 'bdist_wheel' },
];

/** Filters shown as removable chips when set. */
const SHOWN_AS_CHIPS = FIELDS.map(field => field.key).filter(key => !['granularity', 'ci', 'mirrors', 'from', 'to'].includes(key));

/** Why a form's values cannot be applied (null: they can). */
export const formProblem = ({ from, to }) => filterProblem({ from, to });

const splitList = text => String(text ?? '').split(',').map(value => value.trim()).filter(Boolean);

export function filterBar(route, granularity, navigate, extra = []) {
  const filters = route.filters;
  const go = changes => navigate({ ...route, filters: withFilters(filters, changes) });
  const select = (id, label, current, options) => el('select', { id, 'aria-label': label },
    options.map(([value, text]) => el('option', { value, selected: (current ?? 'ALL') === value }, text)));
  const ci = select('filter-ci', 'CI downloads', filters.ci, [['ALL', 'all downloads'], ['EXCLUDE', 'without CI'], ['ONLY', 'CI only']]);
  const mirrors = select('filter-mirrors', 'mirrors', filters.mirrors,
    [['ALL', 'with mirrors'], ['EXCLUDE', 'without mirrors'], ['ONLY', 'mirrors only']]);
  const from = el('input', { id: 'filter-from', type: 'date', value: filters.from ?? '' });
  const to = el('input', { id: 'filter-to', type: 'date', value: filters.to ?? '' });
  const lists = Object.fromEntries(LIST_FILTERS.map(({ key, label, example }) => [key, el('input', {
    id: `filter-${key}`, type: 'text', value: [filters[key] ?? []].flat().join(','), placeholder: example, 'aria-label': label,
    autocomplete: 'off', spellcheck: 'false',
  })]));
  const problem = el('p', { class: 'form-problem', role: 'alert', 'data-test': 'form-problem', hidden: true });
  const buttons = GRANULARITIES.map(g => el('button', {
    type: 'button', 'aria-pressed': String(g === granularity), 'data-granularity': g,
    onclick: () => go({ granularity: g }),
  }, g.toLowerCase()));
  const apply = el('button', { type: 'submit', class: 'primary', id: 'filter-apply' }, 'Apply');
  const chips = SHOWN_AS_CHIPS.filter(key => filters[key] !== undefined).map(key => el('button', {
    type: 'button', class: 'chip', 'data-filter': key, title: 'remove this filter', onclick: () => go({ [key]: undefined }),
  }, `${key}: ${[filters[key]].flat().join(', ')} ×`));
  const more = el('details', { class: 'more-filters', open: LIST_FILTERS.some(({ key }) => filters[key] !== undefined) || undefined },
    el('summary', { id: 'more-filters' }, 'More filters'),
    el('div', { class: 'toolbar inner' }, LIST_FILTERS.map(({ key, label }) => el('label', {}, label, lists[key]))));
  return el('form', {
    class: 'toolbar', novalidate: true, onsubmit: event => {
      event.preventDefault();
      const why = formProblem({ from: from.value, to: to.value });
      from.setAttribute('aria-invalid', String(Boolean(why)));
      to.setAttribute('aria-invalid', String(Boolean(why)));
      problem.hidden = !why;
      problem.textContent = why ?? '';
      if (why) return;
      const changes = { ci: ci.value, mirrors: mirrors.value, from: from.value, to: to.value };
      for (const { key } of LIST_FILTERS) changes[key] = splitList(lists[key].value);
      go(changes);
    },
  }, el('div', { class: 'segmented', role: 'group', 'aria-label': 'granularity' }, buttons),
  el('label', {}, 'from', from), el('label', {}, 'to', to), el('label', {}, 'CI', ci), el('label', {}, 'mirrors', mirrors),
  apply, ...chips, ...extra, more, problem);
}
