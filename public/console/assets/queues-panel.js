// The dashboard's queues table: live counts, and enable / disable / edit through PUT /job-manager/queues/{name},
// which replaces the whole queue (docs/queues.md), so every change sends every writable field.
import { api, ApiError } from './api.js';
import { announce, confirmDialog, field, h, problemBox, replaceChildren, select, uid } from './dom.js';

/** As src/queues/queue.entity.ts (a unit test keeps them equal). */
export const QUEUE_STATUSES = ['ENABLED', 'SCHEDULED', 'DISABLED'];
const WRITABLE = ['description', 'priority', 'parallelism', 'status', 'timeSlots', 'timezone'];
const SLOT = /^([0-2]\d:[0-5]\d)\s*[-–]\s*([0-2]\d:[0-5]\d)$/;

/** The PUT body for `queue` (as GET answered it) with `changes` applied. */
export function queueBody(queue, changes = {}) {
  return Object.fromEntries(WRITABLE.map((name) => [name, name in changes ? changes[name] : queue[name]]));
}

/** `[{from, to}]` as people write it: `08:00–11:00, 22:00–02:00`. */
export function formatTimeSlots(slots) {
  return slots.map((slot) => `${slot.from}–${slot.to}`).join(', ');
}

/** The inverse of formatTimeSlots: {slots} or {error}. The gateway still checks each slot. */
export function parseTimeSlots(text) {
  const parts = text.split(',').map((part) => part.trim()).filter(Boolean);
  const slots = [];
  for (const part of parts) {
    const match = part.match(SLOT);
    if (!match) return { error: `"${part}" is not a slot: write HH:MM-HH:MM, several separated by commas` };
    slots.push({ from: match[1], to: match[2] });
  }
  return { slots };
}

/** How a refused change reads: a 403 says which permission is missing rather than the bare code. */
export function queueRefusal(error) {
  if (error instanceof ApiError && error.status === 403) {
    return h('p', { class: 'notice error', role: 'alert' }, 'Your roles do not grant QUEUES: you may look at the queues but not change them.');
  }
  return problemBox(error);
}

function statusBadge(status) {
  return h('span', { class: `badge queue-${status.toLowerCase()}` }, status);
}

function editDialog(queue, onSaved) {
  const titleId = uid('dialog-title');
  const inputs = {
    description: h('textarea', { rows: 2, maxlength: 1024 }),
    priority: h('input', { type: 'number', min: 1, max: 10, step: 1, required: true, value: queue.priority }),
    parallelism: h('input', { type: 'number', min: 0, step: 1, required: true, value: queue.parallelism }),
    status: select('status', QUEUE_STATUSES.map((status) => [status, status]), queue.status),
    timeSlots: h('input', { value: formatTimeSlots(queue.timeSlots), spellcheck: 'false', placeholder: '08:00-11:00, 22:00-02:00' }),
    timezone: h('input', { value: queue.timezone, spellcheck: 'false', required: true }),
  };
  inputs.description.value = queue.description ?? '';
  const feedback = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { method: 'dialog' },
    h('h2', { id: titleId }, `Edit queue ${queue.name}`),
    field('Description', inputs.description),
    field('Priority', inputs.priority, '1 (very low) to 10 (very high)'),
    field('Parallelism', inputs.parallelism, 'At most this many jobs running; 0: unbounded'),
    field('Status', inputs.status, 'SCHEDULED: only inside the time slots'),
    field('Time slots', inputs.timeSlots, 'Daily windows, e.g. 08:00-11:00, 22:00-02:00'),
    field('Time zone', inputs.timezone, 'IANA name, e.g. Europe/Paris'),
    feedback,
    h(
      'div',
      { class: 'buttons' },
      h('button', { type: 'button', class: 'secondary', onclick: () => dialog.close() }, 'Cancel'),
      h('button', { type: 'submit' }, 'Save'),
    ),
  );
  const dialog = h('dialog', { class: 'confirm edit-queue', 'aria-labelledby': titleId }, form);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const slots = parseTimeSlots(inputs.timeSlots.value);
    if (slots.error) return replaceChildren(feedback, h('p', { class: 'notice error', role: 'alert' }, `Time slots: ${slots.error}`));
    const changes = {
      description: inputs.description.value.trim() || null,
      priority: Number(inputs.priority.value),
      parallelism: Number(inputs.parallelism.value),
      status: inputs.status.value,
      timeSlots: slots.slots,
      timezone: inputs.timezone.value.trim(),
    };
    try {
      await api(`/job-manager/queues/${encodeURIComponent(queue.name)}`, { method: 'PUT', body: queueBody(queue, changes) });
      dialog.close();
      await onSaved(`Queue ${queue.name} saved.`);
    } catch (error) {
      replaceChildren(feedback, queueRefusal(error));
    }
  });
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
}

/** The queues section; `reload` redraws the dashboard after a change. */
export function queuesSection(me) {
  const canEdit = me.permissions.includes('QUEUES');
  const feedback = h('div', { 'aria-live': 'polite' });
  const content = h('div');
  const section = h(
    'section',
    { 'aria-labelledby': 'queues-title' },
    h('h2', { id: 'queues-title' }, 'Queues'),
    canEdit ? null : h('p', { class: 'hint' }, 'Your roles do not grant QUEUES: the queues are shown read-only.'),
    feedback,
    content,
  );

  async function changed(message) {
    await load();
    replaceChildren(feedback, h('p', { class: 'notice success', role: 'status' }, message));
    announce(message);
  }

  async function setStatus(queue, status) {
    if (status === 'DISABLED') {
      const confirmed = await confirmDialog({
        title: `Disable queue ${queue.name}?`,
        message: 'Its waiting jobs stay SUBMITTED until the queue is enabled again; running ones finish.',
        confirmLabel: 'Disable',
      });
      if (!confirmed) return;
    }
    try {
      await api(`/job-manager/queues/${encodeURIComponent(queue.name)}`, { method: 'PUT', body: queueBody(queue, { status }) });
      await changed(`Queue ${queue.name} ${status === 'DISABLED' ? 'disabled' : 'enabled'}.`);
    } catch (error) {
      replaceChildren(feedback, queueRefusal(error));
    }
  }

  function controls(queue) {
    const enable = queue.status === 'DISABLED';
    return h(
      'div',
      { class: 'buttons compact' },
      h(
        'button',
        {
          type: 'button',
          class: enable ? undefined : 'secondary',
          'aria-label': `${enable ? 'Enable' : 'Disable'} queue ${queue.name}`,
          onclick: () => setStatus(queue, enable ? 'ENABLED' : 'DISABLED'),
        },
        enable ? 'Enable' : 'Disable',
      ),
      h('button', { type: 'button', class: 'secondary', 'aria-label': `Edit queue ${queue.name}`, onclick: () => editDialog(queue, changed) }, 'Edit'),
    );
  }

  function row(queue) {
    return h(
      'tr',
      {},
      h('th', { scope: 'row' }, h('a', { href: `#/jobs?queue=${encodeURIComponent(queue.name)}` }, queue.name), queue.description ? h('div', { class: 'hint' }, queue.description) : null),
      h('td', {}, statusBadge(queue.status)),
      h('td', { class: 'number' }, queue.priority),
      h('td', { class: 'number' }, queue.parallelism === 0 ? 'unbounded' : queue.parallelism),
      h('td', { class: 'number' }, queue.running),
      h('td', { class: 'number' }, queue.ready),
      h('td', {}, queue.timeSlots.length ? `${formatTimeSlots(queue.timeSlots)} (${queue.timezone})` : '—'),
      canEdit ? h('td', {}, controls(queue)) : null,
    );
  }

  async function load() {
    try {
      const { queues } = (await api('/job-manager/queues')).body;
      const headings = ['Queue', 'Status', 'Priority', 'Parallelism', 'Running', 'Ready', 'Time slots', ...(canEdit ? [''] : [])];
      replaceChildren(
        content,
        queues.length === 0
          ? h('p', { class: 'empty' }, 'No queue yet: one appears when an action names it.')
          : h(
              'div',
              { class: 'table-wrap' },
              h(
                'table',
                { class: 'queues' },
                h('thead', {}, h('tr', {}, headings.map((name) => h('th', { scope: 'col' }, name)))),
                h('tbody', {}, queues.map(row)),
              ),
            ),
      );
    } catch (error) {
      replaceChildren(content, problemBox(error));
    }
  }

  return { section, load };
}
