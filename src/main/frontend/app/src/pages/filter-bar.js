// The filters' toolbar of the package and compare pages: granularity buttons, CI, from, to. It changes the
// route's filter state only (through `navigate`); the URL is the state, so the back button undoes a change.
import { el } from '../dom.js';
import { FIELDS, GRANULARITIES, withFilters } from '../filters.js';

/** Filters the bar has no input for (set by a URL): shown, each with a button that removes it. */
const SHOWN_AS_CHIPS = FIELDS.map(field => field.key).filter(key => !['granularity', 'ci', 'from', 'to'].includes(key));

export function filterBar(route, granularity, navigate, extra = []) {
  const filters = route.filters;
  const go = changes => navigate({ ...route, filters: withFilters(filters, changes) });
  const ci = el('select', { id: 'filter-ci', 'aria-label': 'CI downloads' },
    [['ALL', 'all downloads'], ['EXCLUDE', 'without CI'], ['ONLY', 'CI only']]
      .map(([value, label]) => el('option', { value, selected: (filters.ci ?? 'ALL') === value }, label)));
  const from = el('input', { id: 'filter-from', type: 'date', value: filters.from ?? '' });
  const to = el('input', { id: 'filter-to', type: 'date', value: filters.to ?? '' });
  const buttons = GRANULARITIES.map(g => el('button', {
    type: 'button', 'aria-pressed': String(g === granularity), 'data-granularity': g,
    onclick: () => go({ granularity: g }),
  }, g.toLowerCase()));
  const apply = el('button', { type: 'submit', class: 'primary', id: 'filter-apply' }, 'Apply');
  const chips = SHOWN_AS_CHIPS.filter(key => filters[key] !== undefined).map(key => el('button', {
    type: 'button', class: 'chip', 'data-filter': key, title: 'remove this filter', onclick: () => go({ [key]: undefined }),
  }, `${key}: ${[filters[key]].flat().join(', ')} ×`));
  return el('form', {
    class: 'toolbar', onsubmit: event => {
      event.preventDefault();
      go({ ci: ci.value, from: from.value, to: to.value });
    },
  }, el('div', { class: 'segmented', role: 'group', 'aria-label': 'granularity' }, buttons),
  el('label', {}, 'CI', ci), el('label', {}, 'from', from), el('label', {}, 'to', to), apply, ...chips, ...extra);
}
