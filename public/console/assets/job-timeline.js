// The job view's timeline: GET /job-manager/jobs/{id}/events, oldest first, following `next` links.
import { api, ApiError } from './api.js';
import { h, problemBox, replaceChildren, time } from './dom.js';

/** Pages read at once before offering "Load more": a job's history is usually one page. */
const AUTO_PAGES = 5;

/** An event's data as one line of text: `key: value` pairs, JSON for anything but strings and numbers. */
export function eventDetails(data) {
  const entries = Object.entries(data ?? {});
  if (entries.length === 0) return '—';
  return entries.map(([key, value]) => `${key}: ${typeof value === 'string' || typeof value === 'number' ? value : JSON.stringify(value)}`).join(', ');
}

function eventRow(event) {
  return h(
    'tr',
    {},
    h('td', {}, time(event.at)),
    h('td', {}, h('code', {}, event.type)),
    h('td', {}, event.actor),
    h('td', { class: 'message' }, eventDetails(event.data)),
  );
}

export function timelineSection(id) {
  const body = h('tbody');
  const more = h('div', { class: 'buttons' });
  const section = h(
    'section',
    { 'aria-labelledby': 'timeline-title' },
    h('h2', { id: 'timeline-title' }, 'Timeline'),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'timeline' },
        h('thead', {}, h('tr', {}, ['Time', 'Event', 'Actor', 'Details'].map((name) => h('th', { scope: 'col' }, name)))),
        body,
      ),
    ),
    more,
  );

  async function load(path) {
    let next = path;
    try {
      for (let page = 0; next && page < AUTO_PAGES; page++) {
        const answer = (await api(next)).body;
        body.append(...answer.events.map(eventRow));
        next = answer.next;
      }
      if (body.children.length === 0) body.append(h('tr', {}, h('td', { colspan: 4, class: 'empty' }, 'No events.')));
      replaceChildren(more, next ? h('button', { type: 'button', class: 'secondary', onclick: () => load(next) }, 'Load more events') : null);
    } catch (error) {
      // A gateway without the events route answers a plain 404 (the job itself was found above).
      const missing = error instanceof ApiError && error.status === 404 && error.problem?.code !== 'JOB_NOT_FOUND';
      replaceChildren(more, missing ? h('p', { class: 'empty' }, 'This gateway keeps no timeline of job events.') : problemBox(error));
    }
  }

  return { section, load: () => load(`/job-manager/jobs/${id}/events`) };
}
