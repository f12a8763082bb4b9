// A page's filter state: what the URL's query part holds (#/project/pip?ci=EXCLUDE&from=2025-06-01).
// One table says, per URL parameter, how it is read, written and sent to the API (DownloadFilter), so a new
// filter is one line. Only explicit, valid values are kept: an absent or malformed one means the page's
// default. The URL is written in the table's order, so one state has one URL (no duplicate history entries).

export const GRANULARITIES = ['DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR'];

const oneOf = values => text => (values.includes(text) ? text : undefined);
const day = text => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text) ? text : undefined;
};
const list = text => {
  const values = [...new Set(text.split(',').map(value => value.trim()).filter(Boolean))];
  return values.length ? values : undefined;
};
/** Country codes are ISO 3166 alpha-2 in capitals, as the API takes them (a shared link may say ?country=us). */
const countries = text => list(text.toUpperCase());

/** URL parameter → how to read it and which DownloadFilter field it sets (none: not a download filter). */
export const FIELDS = [
  { key: 'granularity', read: oneOf(GRANULARITIES) },
  { key: 'ci', read: oneOf(['EXCLUDE', 'ONLY']), api: 'ci' },
  { key: 'mirrors', read: oneOf(['EXCLUDE', 'ONLY']), api: 'mirrors' },
  { key: 'from', read: day, api: 'from' },
  { key: 'to', read: day, api: 'to' },
  { key: 'version', read: list, api: 'versions' },
  { key: 'country', read: countries, api: 'countries' },
  { key: 'python', read: list, api: 'pythonMinors' },
  { key: 'system', read: list, api: 'systems' },
  { key: 'installer', read: list, api: 'installers' },
  { key: 'fileType', read: list, api: 'fileTypes' },
];

/** The filter state of a URL query ("ci=EXCLUDE&from=…", with or without "?"); unknown or invalid parameters are left out. */
export function parseFilters(query) {
  // A '+' in a hand-typed URL is a plus (a local version label such as 1.0+cpu), not the space of a form encoding.
  const params = new URLSearchParams(String(query ?? '').replace(/\+/g, '%2B'));
  const state = {};
  for (const { key, read } of FIELDS) {
    const text = params.get(key);
    const value = text === null ? undefined : read(text.trim());
    if (value !== undefined) state[key] = value;
  }
  return state;
}

/** The URL query of a filter state (without "?"): the table's order, empty values left out; commas kept readable. */
export function formatFilters(state) {
  const parts = [];
  for (const { key, read } of FIELDS) {
    const value = state?.[key];
    if (value === undefined || value === null || value === '' || (Array.isArray(value) && !value.length)) continue;
    const text = Array.isArray(value) ? value.join(',') : String(value);
    if (read(text) === undefined) continue;
    parts.push(`${key}=${encodeURIComponent(text).replace(/%2C/g, ',')}`);
  }
  return parts.join('&');
}

/** A state changed by `changes` (a value of undefined, '' or 'ALL' removes that filter). */
export function withFilters(state, changes) {
  const next = { ...state };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined || value === null || value === '' || value === 'ALL') delete next[key];
    else next[key] = value;
  }
  return parseFilters(formatFilters(next));
}

/** Why the state cannot be asked as it is (a range that ends before it starts), or null. */
export function filterProblem(state) {
  if (state.from && state.to && state.from > state.to) {
    return `The range ends (${state.to}) before it starts (${state.from}): pick a "to" day on or after the "from" day.`;
  }
  return null;
}

/** The API's DownloadFilter for a state (granularity is an argument of its own). */
export function downloadFilter(state) {
  const filter = {};
  for (const { key, api } of FIELDS) {
    if (api && state[key] !== undefined) filter[api] = state[key];
  }
  return filter;
}
