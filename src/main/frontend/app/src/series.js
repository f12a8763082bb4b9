// What the charts draw, computed from the API's answers, free of the DOM and of Chart.js (unit-tested in
// test/series.test.mjs): series aligned on shared dates, partial buckets, shares of a bucket, the
// installer × file type matrix, and which filter a click on a chart's part sets.

/**
 * The dates of all series, in order, and each series' downloads on them (0 where it has no point: the API
 * leaves out buckets without downloads), with the dates some series marks partial.
 */
export function alignSeries(series) {
  const labels = [...new Set(series.flatMap(s => s.points.map(p => p.date)))].sort();
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
