import { api, queryString } from './api.js';
import { announce, field, h, problemBox, replaceChildren, select, statusBadge, time } from './dom.js';

// The API's vocabularies (a unit test keeps them equal to the gateway's).
export const STATUSES = ['SUBMITTED', 'SUSPENDED', 'RUNNING', 'ERROR', 'ABORTED', 'COMPLETED'];
export const CONTRACT_TYPES = ['INPUT', 'OUTPUT', 'MEDIATION', 'CONNECTION'];
export const TRIGGERS = ['ON_DEMAND', 'SCHEDULED', 'EVENT', 'TIME'];
const PAGE_SIZES = ['20', '50', '100', '500'];
const REFRESH_MS = 5000;

/** Filters shown at once; the rest sit under "More filters". Names are the API's query parameters. */
const MAIN_FILTERS = [
  ['status', 'Status'],
  ['contract', 'Contract'],
  ['contractAction', 'Action'],
  ['queue', 'Queue'],
  ['submittedBy', 'Submitted by'],
  ['extIPID', 'extIPID'],
  ['id', 'Job id'],
];
const MORE_FILTERS = [
  ['actor', 'Actor'],
  ['contractType', 'Contract type'],
  ['contractActionTrigger', 'Trigger'],
  ['workflowTemplateId', 'Workflow template id'],
  ['workflowTemplateName', 'Workflow template name'],
  ['workflowTemplateRevision', 'Workflow template revision'],
  ['dfiid', 'dfiid'],
  ['lcid', 'lcid (correlation id)'],
  ['resubmittedFrom', 'Resubmitted from job'],
];
const TIME_FILTERS = [
  ['createdAtFrom', 'Created from'],
  ['createdAtTo', 'Created before'],
  ['updatedAtFrom', 'Updated from'],
  ['updatedAtTo', 'Updated before'],
];
const PAGING_PARAMS = ['maxItems', 'sort', 'includeTotal', 'cursor'];
export const FILTER_PARAMS = [...MAIN_FILTERS, ...MORE_FILTERS, ...TIME_FILTERS].map(([name]) => name);

/** [key, header, sortable]: the sortable ones are the API's sort fields. */
export const COLUMNS = [
  ['id', 'Id', true],
  ['status', 'Status', true],
  ['contract', 'Contract', true],
  ['contractAction', 'Action', false],
  ['queue', 'Queue', true],
  ['submittedBy', 'Submitted by', true],
  ['extIPID', 'extIPID', false],
  ['createdAt', 'Created', true],
  ['updatedAt', 'Updated', true],
];

const ENUMS = { status: STATUSES, contractType: CONTRACT_TYPES, contractActionTrigger: TRIGGERS };

/** The API wants an offset; datetime-local gives local wall time, so convert through Date. */
function toIso(local) {
  return local ? new Date(local).toISOString() : '';
}

function toLocalInput(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function filterControl(name, label, value) {
  if (ENUMS[name]) return field(label, select(name, [['', 'Any'], ...ENUMS[name].map((v) => [v, v])], value ?? ''));
  if (name.endsWith('From') || name.endsWith('To')) {
    return field(label, h('input', { name, type: 'datetime-local', value: toLocalInput(value) }));
  }
  return field(label, h('input', { name, value: value ?? '', spellcheck: 'false', autocomplete: 'off' }));
}

function jobsHash(params) {
  return `#/jobs${queryString(Object.fromEntries(params))}`;
}

export async function renderJobs({ main, params }) {
  document.title = 'Jobs · Ghibli console';
  const current = new URLSearchParams(params);
  const sort = current.get('sort') ?? '-id';

  const form = h('form', { class: 'filters', 'aria-label': 'Filters' });
  const more = [...MORE_FILTERS, ...TIME_FILTERS];
  const moreOpen = more.some(([name]) => current.get(name));
  form.append(
    h('div', { class: 'grid' }, MAIN_FILTERS.map(([name, label]) => filterControl(name, label, current.get(name)))),
    h(
      'details',
      { open: moreOpen },
      h('summary', {}, 'More filters'),
      h('div', { class: 'grid' }, more.map(([name, label]) => filterControl(name, label, current.get(name)))),
    ),
    h(
      'div',
      { class: 'buttons' },
      h('button', { type: 'submit' }, 'Apply filters'),
      h('button', { type: 'button', class: 'secondary', onclick: () => (location.hash = '#/jobs') }, 'Clear'),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      const text = String(value).trim();
      if (!text) continue;
      next.set(name, name.endsWith('From') || name.endsWith('To') ? toIso(text) : text);
    }
    for (const name of ['maxItems', 'sort', 'includeTotal']) if (current.get(name)) next.set(name, current.get(name));
    location.hash = jobsHash(next);
  });

  const setParam = (name, value) => {
    const next = new URLSearchParams(current);
    next.delete('cursor');
    if (value) next.set(name, value);
    else next.delete(name);
    location.hash = jobsHash(next);
  };

  const pageSize = select('maxItems', PAGE_SIZES.map((size) => [size, size]), current.get('maxItems') ?? '100');
  pageSize.addEventListener('change', () => setParam('maxItems', pageSize.value));
  const totalBox = h('input', { type: 'checkbox', id: 'include-total', checked: current.get('includeTotal') === 'true' });
  totalBox.addEventListener('change', () => setParam('includeTotal', totalBox.checked ? 'true' : ''));
  const refreshBox = h('input', { type: 'checkbox', id: 'auto-refresh' });
  const summary = h('p', { class: 'summary', 'aria-live': 'polite' });
  const results = h('div', { class: 'results' });

  replaceChildren(
    main,
    h('h1', {}, 'Jobs'),
    form,
    h(
      'div',
      { class: 'toolbar' },
      field('Page size', pageSize),
      h('label', { class: 'check' }, totalBox, 'Show total'),
      h('label', { class: 'check' }, refreshBox, `Auto-refresh (${REFRESH_MS / 1000} s)`),
      h('button', { type: 'button', class: 'secondary', onclick: () => load() }, 'Refresh'),
      summary,
    ),
    results,
  );

  const sortHeader = ([key, header, sortable]) => {
    if (!sortable) return h('th', { scope: 'col' }, header);
    const active = sort.slice(1) === key;
    const descending = sort.startsWith('-');
    const nextSort = active && descending ? `+${key}` : `-${key}`;
    return h(
      'th',
      { scope: 'col', 'aria-sort': active ? (descending ? 'descending' : 'ascending') : 'none' },
      h(
        'button',
        { type: 'button', class: 'sort', onclick: () => setParam('sort', nextSort) },
        header,
        h('span', { 'aria-hidden': 'true' }, active ? (descending ? ' ▼' : ' ▲') : ''),
      ),
    );
  };

  const row = (job) =>
    h(
      'tr',
      {},
      h('td', {}, h('a', { href: `#/jobs/${job.id}` }, job.id)),
      h('td', {}, statusBadge(job.status)),
      h('td', {}, job.contract),
      h('td', {}, job.contractAction),
      h('td', {}, job.queue),
      h('td', {}, job.submittedBy),
      h('td', {}, job.extIPID ?? '—'),
      h('td', {}, time(job.createdAt)),
      h('td', {}, time(job.updatedAt)),
    );

  const apiParams = Object.fromEntries(
    [...current].filter(([name]) => FILTER_PARAMS.includes(name) || PAGING_PARAMS.includes(name)),
  );

  async function load() {
    try {
      const { body } = await api(`/job-manager/jobs${queryString(apiParams)}`);
      const paging = h('div', { class: 'buttons paging' });
      if (current.get('cursor')) {
        paging.append(h('button', { type: 'button', class: 'secondary', onclick: () => setParam('cursor', '') }, '⏮ First page'));
      }
      if (body.next) {
        const nextQuery = new URL(body.next, location.origin).searchParams;
        paging.append(h('a', { class: 'button', href: jobsHash(nextQuery), rel: 'next' }, 'Next page ▶'));
      }
      replaceChildren(
        results,
        body.jobs.length === 0
          ? h('p', { class: 'empty' }, 'No job matches these filters.')
          : h(
              'div',
              { class: 'table-wrap' },
              h(
                'table',
                { class: 'jobs' },
                h('caption', { class: 'visually-hidden' }, 'Jobs; column headers with buttons sort the list'),
                h('thead', {}, h('tr', {}, COLUMNS.map(sortHeader))),
                h('tbody', {}, body.jobs.map(row)),
              ),
            ),
        paging,
      );
      const count = `${body.jobs.length} job${body.jobs.length === 1 ? '' : 's'} on this page`;
      summary.textContent = body.total === undefined ? count : `${count} · ${body.total} in total`;
    } catch (error) {
      replaceChildren(results, problemBox(error));
      summary.textContent = '';
    }
  }

  let timer;
  refreshBox.addEventListener('change', () => {
    clearInterval(timer);
    if (refreshBox.checked) {
      timer = setInterval(() => document.visibilityState === 'visible' && load(), REFRESH_MS);
      announce('Auto-refresh on');
    }
  });

  await load();
  return () => clearInterval(timer);
}
