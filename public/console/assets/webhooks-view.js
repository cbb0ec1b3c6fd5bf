// The webhooks view (docs/webhooks.md, "API"): list, create, disable / enable, delete, and each webhook's deliveries.
import { api, queryString } from './api.js';
import { announce, confirmDialog, field, h, problemBox, replaceChildren, time, uid } from './dom.js';

/** As JobEventType in docs/openapi.json (console-webhooks.browser-spec.ts keeps them equal): what a webhook may subscribe to. */
export const WEBHOOK_EVENTS = [
  'job.submitted',
  'job.replayed',
  'job.claimed',
  'job.completed',
  'job.failed',
  'job.lease_expired',
  'job.abort_requested',
  'job.aborted',
  'job.suspended',
  'job.resumed',
  'job.restarted',
  'job.updated',
  'job.resubmitted',
];
const DELIVERY_PAGE = 20;

/** `a, b ,, c` as the gateway's contract list: trimmed, empties dropped; undefined (every contract) when none. */
export function parseContracts(text) {
  const names = text.split(',').map((name) => name.trim()).filter(Boolean);
  return names.length ? names : undefined;
}

/** Without WEBHOOKS, a bookmarked link says why rather than showing a 403. */
function refused(main, me) {
  if (me.permissions.includes('WEBHOOKS')) return false;
  replaceChildren(main, h('h1', {}, 'Webhooks'), h('p', { class: 'notice' }, 'Your roles do not grant WEBHOOKS: you cannot see or change the webhooks.'));
  return true;
}

function enabledBadge(enabled) {
  return enabled ? h('span', { class: 'badge queue-enabled' }, 'enabled') : h('span', { class: 'badge queue-disabled' }, 'disabled');
}

function createForm(onCreated) {
  const inputs = {
    url: h('input', { type: 'url', name: 'url', required: true, maxlength: 2048, spellcheck: 'false', autocomplete: 'off', placeholder: 'https://hooks.example.com/gateway' }),
    contracts: h('input', { name: 'contracts', spellcheck: 'false', autocomplete: 'off' }),
    description: h('textarea', { name: 'description', rows: 2, maxlength: 1024 }),
  };
  const events = WEBHOOK_EVENTS.map((type) => h('input', { type: 'checkbox', name: 'events', value: type }));
  const feedback = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'card webhook-form', 'aria-labelledby': 'new-webhook-title' },
    h('h2', { id: 'new-webhook-title' }, 'New webhook'),
    field('URL', inputs.url, 'http or https; the gateway refuses hosts on private networks unless it is configured to allow them'),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Events'),
      h('div', { class: 'event-choices' }, events.map((box) => h('label', { class: 'check' }, box, h('code', {}, box.value)))),
    ),
    field('Contracts', inputs.contracts, 'Comma-separated contract names; empty: every contract'),
    field('Description', inputs.description),
    h('div', { class: 'buttons' }, h('button', { type: 'submit' }, 'Create webhook')),
    feedback,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = {
      url: inputs.url.value.trim(),
      events: events.filter((box) => box.checked).map((box) => box.value),
      contracts: parseContracts(inputs.contracts.value),
      description: inputs.description.value.trim() || undefined,
    };
    try {
      const created = (await api('/admin/webhooks', { method: 'POST', body })).body;
      form.reset();
      replaceChildren(feedback);
      await onCreated(created);
    } catch (error) {
      replaceChildren(feedback, problemBox(error));
    }
  });
  return form;
}

/** Events, contracts and description of a webhook in a dialog (PATCH); its URL is for ever: delete and create another. */
function editDialog(webhook, onSaved) {
  const titleId = uid('dialog-title');
  const events = WEBHOOK_EVENTS.map((type) => h('input', { type: 'checkbox', name: 'events', value: type, checked: webhook.events.includes(type) }));
  const contracts = h('input', { name: 'contracts', spellcheck: 'false', autocomplete: 'off', value: (webhook.contracts ?? []).join(', ') });
  const description = h('textarea', { name: 'description', rows: 2, maxlength: 1024 });
  description.value = webhook.description ?? '';
  const feedback = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { method: 'dialog' },
    h('h2', { id: titleId }, `Edit webhook ${webhook.id}`),
    h('p', { class: 'url' }, webhook.url),
    h('fieldset', {}, h('legend', {}, 'Events'), h('div', { class: 'event-choices' }, events.map((box) => h('label', { class: 'check' }, box, h('code', {}, box.value))))),
    field('Contracts', contracts, 'Comma-separated contract names; empty: every contract'),
    field('Description', description),
    feedback,
    h(
      'div',
      { class: 'buttons' },
      h('button', { type: 'button', class: 'secondary', onclick: () => dialog.close() }, 'Cancel'),
      h('button', { type: 'submit' }, 'Save'),
    ),
  );
  const dialog = h('dialog', { class: 'confirm edit-webhook', 'aria-labelledby': titleId }, form);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = {
      events: events.filter((box) => box.checked).map((box) => box.value),
      contracts: parseContracts(contracts.value) ?? null,
      description: description.value.trim() || null,
    };
    try {
      await api(`/admin/webhooks/${webhook.id}`, { method: 'PATCH', body });
      dialog.close();
      await onSaved(`Webhook ${webhook.id} saved.`);
    } catch (error) {
      replaceChildren(feedback, problemBox(error));
    }
  });
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
}

/** The secret of a webhook just created: shown here once, since the gateway never answers it again. */
function secretNotice(webhook) {
  return h(
    'div',
    { class: 'notice success secret', role: 'status', tabindex: '-1' },
    h('strong', {}, `Webhook ${webhook.id} created.`),
    h('p', {}, 'Its signing secret: ', h('code', { class: 'secret-value' }, webhook.secret)),
    h('p', {}, h('strong', {}, 'Store it now; it is not shown again.'), ' Receivers verify each request’s signature with it.'),
  );
}

export async function renderWebhooks({ main, me }) {
  document.title = 'Webhooks · Ghibli console';
  if (refused(main, me)) return;
  const feedback = h('div', { 'aria-live': 'polite' });
  // Apart from the other notices, so a later change on the page does not take the secret away before it is stored.
  const secretBox = h('div');
  const content = h('div');

  function done(message) {
    replaceChildren(feedback, h('p', { class: 'notice success', role: 'status' }, message));
    announce(message);
  }

  async function setEnabled(webhook, enabled) {
    if (!enabled) {
      const confirmed = await confirmDialog({
        title: `Disable webhook ${webhook.id}?`,
        message: 'Events that happen while it is disabled are never delivered to it; its pending deliveries wait until it is enabled again.',
        confirmLabel: 'Disable',
      });
      if (!confirmed) return;
    }
    try {
      await api(`/admin/webhooks/${webhook.id}`, { method: 'PATCH', body: { enabled } });
      await load();
      done(`Webhook ${webhook.id} ${enabled ? 'enabled' : 'disabled'}.`);
      // The button pressed was redrawn: focus its successor so the keyboard stays on the row.
      content.querySelector(`button[data-toggle="${webhook.id}"]`)?.focus();
    } catch (error) {
      replaceChildren(feedback, problemBox(error));
    }
  }

  async function saved(message) {
    await load();
    done(message);
  }

  async function remove(webhook) {
    const confirmed = await confirmDialog({
      title: `Delete webhook ${webhook.id}?`,
      message: `${webhook.url} gets no more requests (one already in flight may still arrive); its deliveries are deleted with it.`,
      confirmLabel: 'Delete',
    });
    if (!confirmed) return;
    try {
      await api(`/admin/webhooks/${webhook.id}`, { method: 'DELETE' });
      await load();
      done(`Webhook ${webhook.id} deleted.`);
    } catch (error) {
      replaceChildren(feedback, problemBox(error));
    }
  }

  function row(webhook) {
    return h(
      'tr',
      {},
      h('th', { scope: 'row' }, h('span', { class: 'url' }, webhook.url), webhook.description ? h('div', { class: 'hint' }, webhook.description) : null),
      h('td', {}, h('ul', { class: 'events' }, webhook.events.map((type) => h('li', {}, h('code', {}, type))))),
      h('td', {}, webhook.contracts ? webhook.contracts.join(', ') : h('span', { class: 'empty' }, 'every contract')),
      h('td', {}, enabledBadge(webhook.enabled)),
      h('td', {}, time(webhook.createdAt), h('div', { class: 'hint' }, `by ${webhook.createdBy}`)),
      h(
        'td',
        {},
        h(
          'div',
          { class: 'buttons compact' },
          h('a', { class: 'button', href: `#/webhooks/${webhook.id}` }, 'Deliveries', h('span', { class: 'visually-hidden' }, ` of webhook ${webhook.id}`)),
          h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              dataset: { toggle: webhook.id },
              'aria-label': `${webhook.enabled ? 'Disable' : 'Enable'} webhook ${webhook.id}`,
              onclick: () => setEnabled(webhook, !webhook.enabled),
            },
            webhook.enabled ? 'Disable' : 'Enable',
          ),
          h('button', { type: 'button', class: 'secondary', 'aria-label': `Edit webhook ${webhook.id}`, onclick: () => editDialog(webhook, saved) }, 'Edit'),
          h('button', { type: 'button', class: 'danger', 'aria-label': `Delete webhook ${webhook.id}`, onclick: () => remove(webhook) }, 'Delete'),
        ),
      ),
    );
  }

  async function load() {
    try {
      const { webhooks } = (await api('/admin/webhooks')).body;
      replaceChildren(
        content,
        webhooks.length === 0
          ? h('p', { class: 'empty' }, 'No webhook yet.')
          : h(
              'div',
              { class: 'table-wrap' },
              h(
                'table',
                { class: 'webhooks' },
                h('thead', {}, h('tr', {}, ['URL', 'Events', 'Contracts', 'State', 'Created', ''].map((name) => h('th', { scope: 'col' }, name)))),
                h('tbody', {}, webhooks.map(row)),
              ),
            ),
      );
    } catch (error) {
      replaceChildren(content, problemBox(error));
    }
  }

  async function created(webhook) {
    await load();
    const notice = secretNotice(webhook);
    replaceChildren(feedback);
    replaceChildren(secretBox, notice);
    announce(`Webhook ${webhook.id} created. Store its secret now; it is not shown again.`);
    notice.focus();
  }

  replaceChildren(
    main,
    h('h1', {}, 'Webhooks'),
    h('p', { class: 'hint' }, 'Signed HTTP requests to your receivers when jobs change; each delivery is retried until it succeeds or its retries are spent.'),
    secretBox,
    feedback,
    content,
    createForm(created),
  );
  await load();
}

function deliveryBadge(status) {
  return h('span', { class: `badge delivery-${status.toLowerCase()}` }, status);
}

export async function renderWebhookDeliveries({ main, me, id }) {
  document.title = `Webhook ${id} deliveries · Ghibli console`;
  if (refused(main, me)) return;
  const titleId = uid('deliveries-title');
  const summary = h('div');
  const feedback = h('div', { 'aria-live': 'polite' });
  const body = h('tbody');
  const more = h('div', { class: 'buttons' });
  const statusFilter = h('select', { name: 'status' }, h('option', { value: '' }, 'every status'), ['PENDING', 'SUCCEEDED', 'DEAD'].map((status) => h('option', { value: status }, status)));
  statusFilter.addEventListener('change', () => void reload());

  async function retry(delivery) {
    try {
      await api(`/admin/webhooks/${id}/deliveries/${delivery.id}/retry`, { method: 'POST' });
      await reload();
      const message = `Delivery ${delivery.id} is due again.`;
      replaceChildren(feedback, h('p', { class: 'notice success', role: 'status' }, message));
      announce(message);
    } catch (error) {
      replaceChildren(feedback, problemBox(error));
    }
  }

  function row(delivery) {
    const retryable = delivery.status !== 'SUCCEEDED';
    return h(
      'tr',
      {},
      h('td', {}, time(delivery.createdAt)),
      h('td', {}, h('code', {}, delivery.eventType)),
      h('td', {}, h('a', { href: `#/jobs/${delivery.jobId}` }, `job ${delivery.jobId}`)),
      h('td', {}, deliveryBadge(delivery.status)),
      h('td', { class: 'number' }, delivery.attempts),
      h('td', { class: 'number' }, delivery.lastStatusCode ?? '—'),
      h('td', { class: 'message' }, delivery.lastError ?? '—'),
      h('td', {}, delivery.status === 'SUCCEEDED' ? ['delivered ', time(delivery.deliveredAt)] : time(delivery.nextAttemptAt)),
      h(
        'td',
        {},
        retryable
          ? h('button', { type: 'button', class: 'secondary', 'aria-label': `Retry delivery ${delivery.id}`, onclick: () => retry(delivery) }, 'Retry')
          : null,
      ),
    );
  }

  async function load(before) {
    try {
      const page = (await api(`/admin/webhooks/${id}/deliveries${queryString({ maxItems: DELIVERY_PAGE, before, status: statusFilter.value || undefined })}`)).body;
      body.append(...page.deliveries.map(row));
      if (body.children.length === 0) body.append(h('tr', {}, h('td', { colspan: 9, class: 'empty' }, 'No delivery yet.')));
      replaceChildren(more, page.next ? h('button', { type: 'button', class: 'secondary', onclick: () => load(page.next) }, 'Load more deliveries') : null);
    } catch (error) {
      replaceChildren(more, problemBox(error));
    }
  }

  /** From the newest again: a retry or time changes the statuses of rows already shown. */
  async function reload() {
    replaceChildren(body);
    replaceChildren(more);
    await load();
  }

  async function loadSummary() {
    try {
      const webhook = (await api(`/admin/webhooks/${id}`)).body;
      replaceChildren(
        summary,
        h('p', {}, h('span', { class: 'url' }, webhook.url), ' ', enabledBadge(webhook.enabled), ' ', h('span', { class: 'hint' }, webhook.events.join(', '))),
      );
    } catch (error) {
      replaceChildren(summary, problemBox(error));
    }
  }

  replaceChildren(
    main,
    h(
      'div',
      { class: 'title-row' },
      h('h1', { id: titleId }, `Deliveries of webhook ${id}`),
      h(
        'div',
        { class: 'buttons' },
        h('a', { href: '#/webhooks' }, 'All webhooks'),
        h('button', { type: 'button', class: 'secondary', onclick: () => reload() }, 'Refresh'),
      ),
    ),
    summary,
    h('div', { class: 'toolbar' }, field('Status', statusFilter)),
    feedback,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'deliveries', 'aria-labelledby': titleId },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Created', 'Event', 'Job', 'Status', 'Attempts', 'Last status', 'Last error', 'Next attempt or delivered', ''].map((name) => h('th', { scope: 'col' }, name)),
          ),
        ),
        body,
      ),
    ),
    more,
  );
  await Promise.all([loadSummary(), load()]);
}
