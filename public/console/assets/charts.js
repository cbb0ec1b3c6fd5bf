// Charts of the dashboard, drawn by Chart.js: its UMD build is served from node_modules as
// `chart.umd.js` (docs/console.md, "Dashboard"), loaded on first use so other views never pay for it.
import { h } from './dom.js';

/** Fills that keep the status badges' hues, dark enough to stand out on white. */
export const STATUS_COLOURS = {
  SUBMITTED: '#2563eb',
  SUSPENDED: '#7c3aed',
  RUNNING: '#d97706',
  COMPLETED: '#15803d',
  ERROR: '#b91c1c',
  ABORTED: '#6b7280',
};
const SUBMITTED_LINE = '#1f4e79';
const QUEUE_BAR = '#1f4e79';

let loading;

/** window.Chart, after loading the vendored script once; a classic script, so CSP `script-src 'self'` covers it. */
export function loadChartJs() {
  loading ??= new Promise((resolve, reject) => {
    if (window.Chart) return resolve(window.Chart);
    const script = h('script', { src: new URL('./chart.umd.js', import.meta.url).pathname });
    script.addEventListener('load', () => resolve(window.Chart));
    script.addEventListener('error', () => {
      loading = undefined;
      reject(new Error('Chart.js could not be loaded from the gateway.'));
    });
    document.head.append(script);
  });
  return loading;
}

/** A canvas for a chart, described for screen readers by `label` (the numbers are also shown as text beside it). */
export function chartCanvas(label) {
  return h('div', { class: 'chart' }, h('canvas', { role: 'img', 'aria-label': label }));
}

const BASE_OPTIONS = {
  // No animation: the numbers are live, and screenshots and tests see the final drawing at once.
  animation: false,
  responsive: true,
  maintainAspectRatio: false,
};

/** Counts by a category (statuses, queues) as bars; `colours` maps a label to its fill. */
export function barChart(Chart, holder, counts, { colours = {}, horizontal = false } = {}) {
  const labels = Object.keys(counts);
  return new Chart(holder.querySelector('canvas'), {
    type: 'bar',
    data: {
      labels,
      datasets: [{ label: 'Jobs', data: labels.map((label) => counts[label]), backgroundColor: labels.map((label) => colours[label] ?? QUEUE_BAR) }],
    },
    options: {
      ...BASE_OPTIONS,
      indexAxis: horizontal ? 'y' : 'x',
      plugins: { legend: { display: false } },
      scales: { [horizontal ? 'x' : 'y']: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/** Per-minute buckets of GET /job-manager/jobs/stats: finished jobs as stacked bars by status, submitted as a line. */
export function perMinuteChart(Chart, holder, buckets) {
  const finished = ['COMPLETED', 'ERROR', 'ABORTED'].map((status) => ({
    type: 'bar',
    label: `${status.charAt(0)}${status.slice(1).toLowerCase()}`,
    data: buckets.map((bucket) => bucket.finished[status]),
    backgroundColor: STATUS_COLOURS[status],
    stack: 'finished',
    order: 2,
  }));
  return new Chart(holder.querySelector('canvas'), {
    data: {
      labels: buckets.map((bucket) => timeFormat.format(new Date(bucket.minute))),
      datasets: [
        {
          type: 'line',
          label: 'Submitted',
          data: buckets.map((bucket) => bucket.submitted),
          borderColor: SUBMITTED_LINE,
          backgroundColor: SUBMITTED_LINE,
          pointRadius: 0,
          borderWidth: 2,
          order: 1,
        },
        ...finished,
      ],
    },
    options: {
      ...BASE_OPTIONS,
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: { stacked: true, ticks: { maxTicksLimit: 13, maxRotation: 0 } },
        y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
      },
    },
  });
}

/** What the per-minute chart shows, in words: totals over its window. */
export function perMinuteSummary(buckets) {
  const total = (pick) => buckets.reduce((sum, bucket) => sum + pick(bucket), 0);
  const finished = ['COMPLETED', 'ERROR', 'ABORTED'].map((status) => `${total((bucket) => bucket.finished[status])} ${status}`);
  return `${total((bucket) => bucket.submitted)} submitted, finished: ${finished.join(', ')}`;
}
