// Charts (Chart.js, bundled from its npm package). A page's charts belong to one ChartSet, destroyed when
// the page is replaced, so no chart outlives its canvas.
import { CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { compact, el } from './dom.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Legend, Tooltip);

const PALETTE = ['#2c6bd6', '#f7b500', '#16a34a', '#dc2626', '#7c3aed', '#0891b2', '#ea580c', '#4b5563', '#db2777', '#65a30d'];

/** The dates of all series, in order, and each series' downloads on them (0 where it has no point). */
export function alignSeries(series) {
  const labels = [...new Set(series.flatMap(s => s.points.map(p => p.date)))].sort();
  return {
    labels,
    values: series.map(s => {
      const byDate = new Map(s.points.map(p => [p.date, p.downloads]));
      return labels.map(date => byDate.get(date) ?? 0);
    }),
  };
}

export function createChartSet() {
  const charts = [];
  return {
    /** A line chart of series [{name, points: [{date, downloads}]}], in its box. */
    line(series) {
      const canvas = el('canvas');
      const box = el('div', { class: 'chart' }, canvas);
      const { labels, values } = alignSeries(series);
      charts.push(new Chart(canvas, {
        type: 'line',
        data: {
          labels,
          datasets: series.map((s, i) => ({ label: s.name, data: values[i], borderColor: PALETTE[i % PALETTE.length],
            backgroundColor: PALETTE[i % PALETTE.length], pointRadius: 0, borderWidth: 2, tension: 0.2 })),
        },
        options: { animation: false, maintainAspectRatio: false, interaction: { mode: 'index', intersect: false },
          scales: { y: { ticks: { callback: v => compact.format(v) } } } },
      }));
      return box;
    },
    destroy() {
      charts.splice(0).forEach(chart => chart.destroy());
    },
  };
}
