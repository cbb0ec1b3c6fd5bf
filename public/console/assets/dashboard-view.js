import { api } from './api.js';
import { announce, h, problemBox, replaceChildren, time } from './dom.js';
import { barChart, chartCanvas, loadChartJs, perMinuteChart, perMinuteSummary, STATUS_COLOURS } from './charts.js';
import { STATUSES } from './jobs-view.js';
import { queuesSection } from './queues-panel.js';

const REFRESH_MS = 10_000;
export const STATS_MINUTES = 60;
/** The facets the charts draw; maxItems=1 because only the counts are wanted, not the page. */
export const FACETS_QUERY = '/job-manager/jobs?facets=status,queue&maxItems=1';

/** Every status, zero when the facet has none of it, in the order of the state machine. */
export function statusCounts(facet = {}) {
  return Object.fromEntries(STATUSES.map((status) => [status, facet[status] ?? 0]));
}

/** Queues by their number of jobs, most first (the facet's own order), at most `limit`. */
export function queueCounts(facet = {}, limit = 12) {
  return Object.fromEntries(Object.entries(facet).slice(0, limit));
}

/** Counts as a list of links into the jobs view: the chart's numbers as text, and a way in. */
function countLinks(counts, filter) {
  return h(
    'ul',
    { class: 'counts' },
    Object.entries(counts).map(([value, count]) =>
      h('li', {}, h('a', { href: `#/jobs?${filter}=${encodeURIComponent(value)}` }, value), ` ${count}`),
    ),
  );
}

function panel(id, title, ...children) {
  return h('section', { class: 'card panel', 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

function schedulesTable(schedules) {
  if (schedules.length === 0) return h('p', { class: 'empty' }, 'No TIME action: nothing is scheduled.');
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'schedules' },
      h('thead', {}, h('tr', {}, ['Action', 'Cron', 'Time zone', 'Active', 'Next fires', 'Last fire'].map((name) => h('th', { scope: 'col' }, name)))),
      h(
        'tbody',
        {},
        schedules.map((entry) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, `${entry.contractName} / ${entry.actionName}`),
            h('td', {}, h('code', {}, entry.schedule.cron)),
            h('td', {}, entry.schedule.timezone),
            h('td', {}, entry.active ? h('span', { class: 'badge queue-enabled' }, 'active') : h('span', { class: 'badge muted' }, 'inactive')),
            h('td', {}, entry.nextFires.length ? h('ol', { class: 'fires' }, entry.nextFires.slice(0, 3).map((fire) => h('li', {}, time(fire)))) : '—'),
            h(
              'td',
              {},
              entry.lastFire
                ? [time(entry.lastFire.fireAt), ' ', h('a', { href: `#/jobs/${entry.lastFire.jobId}` }, `job ${entry.lastFire.jobId}`)]
                : '—',
            ),
          ),
        ),
      ),
    ),
  );
}

export async function renderDashboard({ main, me }) {
  document.title = 'Dashboard · Ghibli console';
  const charts = [];
  const destroyCharts = () => charts.splice(0).forEach((chart) => chart.destroy());
  const statusHolder = chartCanvas('Jobs by status');
  const queueHolder = chartCanvas('Jobs by queue');
  const minuteHolder = chartCanvas(`Jobs submitted and finished per minute over the last ${STATS_MINUTES} minutes`);
  const statusText = h('div');
  const queueText = h('div');
  const minuteText = h('p', { class: 'hint' });
  const schedules = h('div');
  const queues = queuesSection(me);
  const refreshBox = h('input', { type: 'checkbox', id: 'dashboard-refresh' });
  let timer;

  async function drawCharts() {
    const [Chart, facets, stats] = await Promise.all([
      loadChartJs(),
      api(FACETS_QUERY).then((answer) => answer.body.facets),
      api(`/job-manager/jobs/stats?minutes=${STATS_MINUTES}`).then((answer) => answer.body),
    ]);
    destroyCharts();
    const byStatus = statusCounts(facets.status);
    const byQueue = queueCounts(facets.queue);
    charts.push(barChart(Chart, statusHolder, byStatus, { colours: STATUS_COLOURS }));
    charts.push(barChart(Chart, queueHolder, byQueue, { horizontal: true }));
    charts.push(perMinuteChart(Chart, minuteHolder, stats.buckets));
    replaceChildren(statusText, countLinks(byStatus, 'status'));
    replaceChildren(queueText, Object.keys(byQueue).length ? countLinks(byQueue, 'queue') : h('p', { class: 'empty' }, 'No jobs yet.'));
    replaceChildren(minuteText, `Since `, time(stats.from), `: ${perMinuteSummary(stats.buckets)}.`);
  }

  async function loadSchedules() {
    try {
      replaceChildren(schedules, schedulesTable((await api('/job-manager/schedules')).body.schedules));
    } catch (error) {
      replaceChildren(schedules, problemBox(error));
    }
  }

  const chartProblem = h('div');
  async function load() {
    const drawn = drawCharts().then(
      () => replaceChildren(chartProblem),
      (error) => replaceChildren(chartProblem, problemBox(error)),
    );
    await Promise.all([drawn, queues.load(), loadSchedules()]);
  }

  replaceChildren(
    main,
    h(
      'div',
      { class: 'title-row' },
      h('h1', {}, 'Dashboard'),
      h(
        'div',
        { class: 'buttons' },
        h('label', { class: 'check' }, refreshBox, `Auto-refresh (${REFRESH_MS / 1000} s)`),
        h('button', { type: 'button', class: 'secondary', onclick: () => load() }, 'Refresh'),
      ),
    ),
    chartProblem,
    h(
      'div',
      { class: 'dashboard-grid' },
      panel('by-status-title', 'Jobs by status', statusHolder, statusText),
      panel('by-queue-title', 'Jobs by queue', queueHolder, queueText),
      panel('per-minute-title', `Last ${STATS_MINUTES} minutes, per minute`, minuteHolder, minuteText),
    ),
    queues.section,
    h('section', { 'aria-labelledby': 'schedules-title' }, h('h2', { id: 'schedules-title' }, 'Schedules'), schedules),
  );
  refreshBox.addEventListener('change', () => {
    clearInterval(timer);
    if (refreshBox.checked) {
      // Not while a dialog is open: a redraw under an edit form would lose the queue it edits.
      timer = setInterval(() => document.visibilityState === 'visible' && !document.querySelector('dialog[open]') && load(), REFRESH_MS);
      announce('Auto-refresh on');
    } else {
      announce('Auto-refresh off');
    }
  });
  await load();
  return () => {
    clearInterval(timer);
    destroyCharts();
  };
}
