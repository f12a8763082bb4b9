// Charts (Chart.js and chartjs-chart-geo, bundled from npm; the world map's shapes are world-atlas's file,
// served by the gateway itself). A page's charts belong to one ChartSet, destroyed when the page is replaced,
// so no chart outlives its canvas. Every chart has axis titles with units, a legend where it has several
// series, tooltips with exact figures, and says so when it has nothing to draw. A bucket covering only part of
// its period (the API's `partial`) is drawn hollow with a dashed line to it, and named in the tooltip.
import {
  BarController, BarElement, CategoryScale, Chart, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip,
} from 'chart.js';
import { ChoroplethController, ColorScale, GeoFeature, ProjectionScale, topojson } from 'chartjs-chart-geo';
import countries from 'i18n-iso-countries';
import { compact, el, number } from './dom.js';
import { alignSeries, isEmpty, matrix, shares } from './series.js';

Chart.register(LineController, LineElement, PointElement, BarController, BarElement, LinearScale, CategoryScale, Legend, Tooltip, Filler,
  ChoroplethController, GeoFeature, ColorScale, ProjectionScale);

export const PALETTE = ['#2c6bd6', '#f7b500', '#16a34a', '#dc2626', '#7c3aed', '#0891b2', '#ea580c', '#4b5563', '#db2777', '#65a30d'];
const OTHER = '#b8c0cc';

const BUCKET = { DAY: 'day', WEEK: 'week (starting)', MONTH: 'month', QUARTER: 'quarter (starting)', YEAR: 'year' };

/** The world map's shapes, fetched once per page load (≈100 KB, from the gateway). */
let world = null;
function worldShapes() {
  world ??= fetch('/app/countries-110m.json')
    .then(response => { if (!response.ok) throw new Error(`map shapes: ${response.status}`); return response.json(); })
    .then(atlas => topojson.feature(atlas, atlas.objects.countries).features)
    .catch(error => { world = null; throw error; });
  return world;
}

const empty = text => el('p', { class: 'empty', 'data-test': 'empty' }, text);

/** The x-axis and y-axis options of a time chart. */
function axes(granularity, yTitle, stacked = false, max = undefined) {
  return {
    x: { stacked, title: { display: true, text: BUCKET[granularity] ?? 'date' }, ticks: { maxRotation: 0, autoSkipPadding: 12 } },
    y: { stacked, beginAtZero: true, max, title: { display: true, text: yTitle },
      ticks: { callback: v => (yTitle.includes('%') ? `${v}%` : compact.format(v)) } },
  };
}

/**
 * Writes where a chart's plot area is on its canvas (CSS pixels) into the canvas's data-area, and how many series it
 * draws into data-series: what a test (or an assistive script) needs to point at a part of it.
 */
const describeLayout = {
  id: 'describeLayout',
  afterRender(chart) {
    const { left, top, right, bottom } = chart.chartArea;
    const area = JSON.stringify({ left: Math.round(left), top: Math.round(top), right: Math.round(right), bottom: Math.round(bottom) });
    if (chart.canvas.dataset.area !== area) chart.canvas.dataset.area = area;
    chart.canvas.dataset.series = String(chart.data.datasets.length);
  },
};

export function createChartSet() {
  const charts = [];
  const make = (canvas, config) => {
    const chart = new Chart(canvas, { ...config, plugins: [describeLayout] });
    charts.push(chart);
    return chart;
  };
  // The canvas in a box of fixed height (Chart.js sizes itself to it), notes under it.
  const box = (test, label, canvas, ...notes) => el('div', { class: 'chart', 'data-test': test, role: 'img', 'aria-label': label },
    el('div', { class: 'canvas-box' }, canvas), ...notes);

  return {
    /**
     * A line chart of series [{name, points: [{date, downloads, partial}]}], one line each. A lone bucket is a
     * visible point; partial buckets are hollow points on a dashed stretch.
     */
    line(series, { granularity = 'DAY', test = 'chart', onPoint } = {}) {
      if (isEmpty(series)) return empty('No downloads in this range.');
      const { labels, values, partial } = alignSeries(series, granularity);
      const canvas = el('canvas');
      const few = labels.length <= 3;
      const chart = make(canvas, {
        type: 'line',
        data: {
          labels,
          datasets: series.map((s, i) => {
            const color = PALETTE[i % PALETTE.length];
            return {
              label: s.name, data: values[i], borderColor: color, backgroundColor: color, borderWidth: 2, tension: 0.2,
              pointRadius: labels.map((_, j) => (partial[j] ? 4 : few ? 4 : 0)),
              pointBackgroundColor: labels.map((_, j) => (partial[j] ? '#fff' : color)),
              segment: { borderDash: ctx => (partial[ctx.p0DataIndex] || partial[ctx.p1DataIndex] ? [5, 4] : undefined) },
            };
          }),
        },
        options: {
          animation: false, maintainAspectRatio: false, interaction: { mode: 'index', intersect: false },
          plugins: {
            legend: { display: series.length > 1 },
            tooltip: { callbacks: {
              label: ctx => `${ctx.dataset.label}: ${number.format(ctx.parsed.y)}`,
              footer: items => (items.length && partial[items[0].dataIndex] ? 'partial: covers only part of this period' : ''),
            } },
          },
          scales: axes(granularity, 'downloads'),
          onClick: onPoint ? (event, elements) => { if (elements.length) onPoint(labels[elements[0].index]); } : undefined,
        },
      });
      canvas.dataset.points = String(labels.length);
      canvas.dataset.partial = String(partial.filter(Boolean).length);
      return box(test, `${series.map(s => s.name).join(', ')}: downloads per ${BUCKET[granularity] ?? 'date'}`, canvas,
        partial.some(Boolean) ? el('p', { class: 'legend-note' }, '◌ dashed, hollow: a period the data covers only in part (not a drop)') : '');
    },

    /**
     * Series stacked over time ([{name, value, points}], the last ones "other"/"unknown"), as downloads or as
     * each bucket's shares; a click on a series calls onSelect(value) (value null: not a filter).
     */
    stacked(series, { granularity = 'MONTH', share = false, test, onSelect } = {}) {
      if (isEmpty(series)) return empty('No downloads in this range.');
      const { labels, values, partial } = alignSeries(series, granularity);
      const shown = share ? shares(values) : values;
      const canvas = el('canvas');
      const few = labels.length <= 3;
      make(canvas, {
        type: 'line',
        data: {
          labels,
          datasets: series.map((s, i) => {
            const color = s.value === null ? OTHER : PALETTE[i % PALETTE.length];
            return {
              label: s.name, data: shown[i], borderColor: color, backgroundColor: `${color}cc`, fill: i === 0 ? 'origin' : '-1',
              pointRadius: labels.map((_, j) => (partial[j] ? 3 : few ? 4 : 0)),
              pointBackgroundColor: labels.map((_, j) => (partial[j] ? '#fff' : color)),
              borderWidth: 1, tension: 0.15, value: s.value,
              segment: { borderDash: ctx => (partial[ctx.p0DataIndex] || partial[ctx.p1DataIndex] ? [5, 4] : undefined) },
            };
          }),
        },
        options: {
          animation: false, maintainAspectRatio: false, interaction: { mode: 'index', intersect: false },
          plugins: {
            legend: {
              position: 'bottom',
              onClick: onSelect ? (event, item) => onSelect(series[item.datasetIndex].value) : undefined,
            },
            tooltip: { callbacks: {
              label: ctx => `${ctx.dataset.label}: ${share ? `${ctx.parsed.y.toFixed(1)}%` : number.format(ctx.parsed.y)}`,
              footer: items => (items.length && partial[items[0].dataIndex] ? 'partial: covers only part of this period' : ''),
            } },
          },
          scales: axes(granularity, share ? 'share of downloads (%)' : 'downloads', true, share ? 100 : undefined),
          onClick: onSelect ? (event, elements, chart) => {
            // The band under the pointer: the first dataset whose stacked top is above the pointer's value.
            const hit = chart.getElementsAtEventForMode(event, 'index', { intersect: false }, false);
            if (!hit.length) return;
            const y = chart.scales.y.getValueForPixel(event.y);
            let top = 0;
            for (let i = 0; i < series.length; i++) {
              top += shown[i][hit[0].index];
              if (y <= top) { onSelect(series[i].value); return; }
            }
          } : undefined,
        },
      });
      canvas.dataset.points = String(labels.length);
      canvas.dataset.partial = String(partial.filter(Boolean).length);
      return box(test, `downloads per ${BUCKET[granularity] ?? 'date'} by ${series.map(s => s.name).join(', ')}`, canvas,
        partial.some(Boolean) ? el('p', { class: 'legend-note' }, '◌ dashed, hollow: a period the data covers only in part (not a drop)') : '');
    },

    /** Installer × file type: a bar per installer, stacked by file type; a click filters by both. */
    installerBars(rows, { test, onSelect } = {}) {
      const { installers, fileTypes, values } = matrix(rows);
      if (!installers.length) return empty('No downloads in this range.');
      const canvas = el('canvas');
      const name = value => (value === '' ? 'unknown' : value);
      make(canvas, {
        type: 'bar',
        data: {
          labels: installers.map(name),
          datasets: fileTypes.map((type, i) => ({ label: name(type), data: values[i], backgroundColor: PALETTE[i % PALETTE.length] })),
        },
        options: {
          animation: false, maintainAspectRatio: false, indexAxis: 'y',
          plugins: { legend: { position: 'bottom' },
            tooltip: { callbacks: { label: ctx => `${ctx.dataset.label}: ${number.format(ctx.parsed.x)}` } } },
          scales: {
            x: { stacked: true, beginAtZero: true, title: { display: true, text: 'downloads' }, ticks: { callback: v => compact.format(v) } },
            y: { stacked: true, title: { display: true, text: 'installer' } },
          },
          onClick: onSelect ? (event, elements) => {
            if (elements.length) onSelect(installers[elements[0].index], fileTypes[elements[0].datasetIndex]);
          } : undefined,
        },
      });
      return box(test, 'downloads by installer and file type', canvas);
    },

    /** Countries on a world map, coloured by downloads; a click on a country filters by it. */
    worldMap(entries, { test, onSelect } = {}) {
      if (!entries.length) return empty('No downloads in this range.');
      const canvas = el('canvas');
      const holder = box(test, 'downloads by country on a world map', canvas);
      const byNumeric = new Map();
      for (const entry of entries) {
        const numeric = countries.alpha2ToNumeric(String(entry.value).toUpperCase());
        if (numeric) byNumeric.set(numeric, entry);
      }
      worldShapes().then(features => {
        if (!canvas.isConnected && !holder.isConnected) return;
        const shapes = features.filter(f => f.properties.name !== 'Antarctica');
        make(canvas, {
          type: 'choropleth',
          data: {
            labels: shapes.map(f => f.properties.name),
            datasets: [{ label: 'downloads', outline: shapes,
              data: shapes.map(f => ({ feature: f, value: byNumeric.get(f.id)?.downloads ?? 0 })) }],
          },
          options: {
            animation: false, maintainAspectRatio: false,
            plugins: { legend: { display: false },
              tooltip: { callbacks: { label: ctx => `${ctx.chart.data.labels[ctx.dataIndex]}: ${number.format(ctx.raw.value)}` } } },
            scales: {
              projection: { axis: 'x', projection: 'equalEarth' },
              color: { axis: 'x', quantize: 6, interpolate: 'blues', legend: { position: 'bottom-left', align: 'right' },
                ticks: { callback: v => compact.format(v) } },
            },
            onClick: onSelect ? (event, elements) => {
              if (!elements.length) return;
              const entry = byNumeric.get(shapes[elements[0].index].id);
              if (entry) onSelect(entry.value);
            } : undefined,
          },
        });
        canvas.dataset.drawn = 'true';
      }).catch(() => holder.replaceChildren(empty('The world map could not be loaded; the table lists the countries.')));
      return holder;
    },

    /** Destroys the charts drawn inside `node` (a part of the page about to be redrawn). */
    destroyIn(node) {
      for (let i = charts.length - 1; i >= 0; i--) {
        if (node.contains(charts[i].canvas)) charts.splice(i, 1)[0].destroy();
      }
    },

    destroy() {
      charts.splice(0).forEach(chart => chart.destroy());
    },
  };
}
