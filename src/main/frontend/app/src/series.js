// What the charts draw, computed from the API's answers, free of the DOM and of Chart.js (unit-tested in
// test/series.test.mjs): series aligned on shared dates, partial buckets, shares of a bucket, the
// installer × file type matrix, and which filter a click on a chart's part sets.

/** Months after a YYYY-MM-DD date (day kept: buckets start on the 1st). */
function plusMonths(date, months) {
  const [y, m, d] = date.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  return `${String(Math.floor(total / 12)).padStart(4, '0')}-${String((total % 12) + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
const plusDays = (date, days) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const STEP = { DAY: d => plusDays(d, 1), WEEK: d => plusDays(d, 7), MONTH: d => plusMonths(d, 1), QUARTER: d => plusMonths(d, 3), YEAR: d => plusMonths(d, 12) };

/**
 * Every bucket from the first date to the last at the granularity's step, so a bucket without downloads (the API
 * leaves it out) is drawn as a zero, not skipped over. Unknown granularity, or dates off the step: as given.
 */
export function everyBucket(dates, granularity) {
  const step = STEP[granularity];
  if (!step || dates.length < 2) return dates;
  const all = [];
  for (let date = dates[0]; date <= dates.at(-1) && all.length <= 20_000; date = step(date)) all.push(date);
  const stepped = new Set(all);
  return dates.every(date => stepped.has(date)) ? all : dates;
}

/**
 * The dates of all series, in order (every bucket of the granularity between the first and the last), and each
 * series' downloads on them (0 where it has no point: the API leaves out buckets without downloads), with the
 * dates some series marks partial.
 */
export function alignSeries(series, granularity = null) {
  const labels = everyBucket([...new Set(series.flatMap(s => s.points.map(p => p.date)))].sort(), granularity);
  const partial = new Set(series.flatMap(s => s.points.filter(p => p.partial).map(p => p.date)));
  return {
    labels,
    partial: labels.map(date => partial.has(date)),
    values: series.map(s => {
      const byDate = new Map(s.points.map(p => [p.date, p.downloads]));
      return labels.map(date => byDate.get(date) ?? 0);
    }),
  };
}

/** Each value as a percentage of its column's sum (columns with no downloads stay 0). */
export function shares(values) {
  if (!values.length) return [];
  const totals = values[0].map((_, i) => values.reduce((sum, row) => sum + row[i], 0));
  return values.map(row => row.map((v, i) => (totals[i] ? (100 * v) / totals[i] : 0)));
}

/** Whether a series has nothing to draw (no bucket, or only zeros). */
export const isEmpty = series => series.every(s => s.points.every(p => !p.downloads));

/** The label of a downloadsBy group: "other" for the rest, "unknown" for the empty value, else its name or value. */
export function groupLabel(group) {
  if (group.other) return 'other';
  if (group.value === '' || group.value === null || group.value === undefined) return 'unknown';
  return group.name ? `${group.name} (${group.value})` : group.value;
}

/** downloadsBy groups as chart series: [{name, value, points}] (value null for other and unknown: not a filter). */
export const groupsAsSeries = groups => groups.map(g => ({
  name: groupLabel(g), value: g.other || g.value === '' ? null : g.value, points: g.downloads,
}));

/**
 * The installer × file type rows as a matrix: installers (most downloads first) × file types (most first),
 * downloads in each cell (0 where none).
 */
export function matrix(rows) {
  const order = key => {
    const totals = new Map();
    for (const row of rows) totals.set(row[key], (totals.get(row[key]) ?? 0) + row.downloads);
    return [...totals.entries()].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0]))).map(e => e[0]);
  };
  const installers = order('installer');
  const fileTypes = order('fileType');
  const cell = new Map(rows.map(r => [`${r.installer}\u0000${r.fileType}`, r.downloads]));
  return { installers, fileTypes, values: fileTypes.map(t => installers.map(i => cell.get(`${i}\u0000${t}`) ?? 0)) };
}

/** The URL filter a dimension's value sets (click-to-filter), by the API's Dimension. */
export const FILTER_OF_DIMENSION = {
  VERSION: 'version', COUNTRY: 'country', PYTHON_MINOR: 'python', SYSTEM: 'system', INSTALLER: 'installer', FILE_TYPE: 'fileType',
};

/**
 * The filter changes a click on `value` of `dimension` makes: that value alone (a second click on the only
 * selected value removes it again). Null for what is not a value (other, unknown).
 */
export function clickFilter(filters, dimension, value) {
  const key = FILTER_OF_DIMENSION[dimension];
  if (!key || value === null || value === undefined || value === '') return null;
  const current = filters[key];
  if (Array.isArray(current) && current.length === 1 && current[0] === value) return { [key]: undefined };
  return { [key]: [value] };
}

/**
 * The filter changes a click on the installer × file type cell makes: both values (keeping the other filters); the
 * same cell again removes both. An unknown (empty) value is not a filter: the other key is left as it was.
 */
export function clickMatrixFilter(filters, installer, fileType) {
  const only = (key, value) => Array.isArray(filters[key]) && filters[key].length === 1 && filters[key][0] === value;
  if (installer && fileType && only('installer', installer) && only('fileType', fileType)) return { installer: undefined, fileType: undefined };
  const changes = {};
  if (installer) changes.installer = [installer];
  if (fileType) changes.fileType = [fileType];
  return Object.keys(changes).length ? changes : null;
}
