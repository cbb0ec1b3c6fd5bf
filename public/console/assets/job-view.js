import { api } from './api.js';
import { announce, confirmDialog, h, json, problemBox, replaceChildren, statusBadge, time } from './dom.js';
import { allowedCommands, CONTROL_COMMANDS } from './job-actions.js';
import { timelineSection } from './job-timeline.js';

const LOG_PAGE = 50;

function definitions(entries) {
  return h(
    'dl',
    { class: 'fields' },
    entries.map(([term, value]) => [h('dt', {}, term), h('dd', {}, value === null || value === undefined || value === '' ? '—' : value)]),
  );
}

function dataOneFields(job) {
  const instance = job.contractActionWorkflowInstance;
  return definitions([
    ['id', job.id],
    ['status', statusBadge(job.status)],
    ['statusMessage', job.statusMessage],
    ['createdAt', time(job.createdAt)],
    ['updatedAt', time(job.updatedAt)],
    ['submittedBy', job.submittedBy],
    ['queue', job.queue],
    ['actor', job.actor],
    ['contract', job.contract],
    ['contractType', job.contractType],
    ['contractAction', job.contractAction],
    ['contractActionTrigger', job.contractActionTrigger],
    ['workflow instance id', instance.id],
    ['workflowTemplateId', instance.workflowTemplateId],
    ['workflowTemplateName', instance.workflowTemplateName],
    ['workflowTemplateRevision', instance.workflowTemplateRevision],
    ['workflowTemplateDescription', instance.workflowTemplateDescription],
    ['dfic.dfiid', job.dfic.dfiid],
    ['dfic.lcid', job.dfic.lcid],
    ['dfic.userAttrs', Object.keys(job.dfic.userAttrs ?? {}).length ? json(job.dfic.userAttrs) : null],
    ['extIPID', job.extIPID],
    ['resubmittedFrom', job.resubmittedFrom],
  ]);
}

function executionFields(job) {
  const progress =
    job.progress === null || job.progress === undefined
      ? null
      : h('span', {}, h('progress', { max: 100, value: job.progress, 'aria-label': 'Progress' }), ` ${job.progress} %`);
  return definitions([
    ['progress', progress],
    ['attempts', `${job.attempts} of ${job.maxAttempts}`],
    ['priority', job.priority],
    ['notBefore', job.notBefore ? time(job.notBefore) : null],
    ['startedAt', time(job.startedAt)],
    ['finishedAt', time(job.finishedAt)],
    ['abortRequested', job.abortRequested ? 'yes: the worker stops at its next heartbeat' : 'no'],
    ['name', job.name],
    ['description', job.description],
    ['tags', job.tags?.length ? job.tags.join(', ') : null],
  ]);
}

function executionsTable(executions) {
  if (executions.length === 0) return h('p', { class: 'empty' }, 'No execution yet: no worker has claimed this job.');
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, ['#', 'Worker', 'Started', 'Ended', 'Status', 'Error'].map((name) => h('th', { scope: 'col' }, name)))),
      h(
        'tbody',
        {},
        executions.map((execution) =>
          h(
            'tr',
            {},
            h('td', {}, execution.number),
            h('td', {}, execution.workerId),
            h('td', {}, time(execution.startedAt)),
            h('td', {}, time(execution.endedAt)),
            h('td', {}, statusBadge(execution.status)),
            h('td', {}, execution.error ?? '—'),
          ),
        ),
      ),
    ),
  );
}

function logsSection(id) {
  const body = h('tbody');
  const more = h('div', { class: 'buttons' });
  const section = h(
    'section',
    { 'aria-labelledby': 'logs-title' },
    h('h2', { id: 'logs-title' }, 'Logs'),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'logs' },
        h('thead', {}, h('tr', {}, ['Time', 'Execution', 'Level', 'Message'].map((name) => h('th', { scope: 'col' }, name)))),
        body,
      ),
    ),
    more,
  );
  async function load(path) {
    try {
      const page = (await api(path)).body;
      for (const line of page.lines) {
        body.append(
          h(
            'tr',
            {},
            h('td', {}, time(line.at)),
            h('td', {}, line.execution),
            h('td', {}, line.level),
            h('td', { class: 'message' }, line.message),
          ),
        );
      }
      if (body.children.length === 0) body.append(h('tr', {}, h('td', { colspan: 4, class: 'empty' }, 'No log lines.')));
      replaceChildren(
        more,
        page.next ? h('button', { type: 'button', class: 'secondary', onclick: () => load(page.next) }, 'Load more log lines') : null,
      );
    } catch (error) {
      replaceChildren(more, problemBox(error));
    }
  }
  return { section, load: () => load(`/job-manager/jobs/${id}/logs?maxItems=${LOG_PAGE}`) };
}

export async function renderJob({ main, me, id }) {
  document.title = `Job ${id} · Ghibli console`;
  const feedback = h('div', { 'aria-live': 'polite' });

  async function control(job, command) {
    const { label, done } = CONTROL_COMMANDS[command];
    const confirmed = await confirmDialog({
      title: `${label} job ${job.id}?`,
      message:
        command === 'abort' && job.status === 'RUNNING'
          ? 'The job is running: the worker is asked to stop at its next heartbeat.'
          : `The job is ${job.status}.`,
      confirmLabel: label,
    });
    if (!confirmed) return;
    try {
      const answer = await api(`/job-manager/jobs/${job.id}/${command}`, { method: 'POST' });
      const message = answer.status === 202 ? 'Abort requested: the worker stops at its next heartbeat.' : done;
      await show();
      replaceChildren(feedback, h('p', { class: 'notice success', role: 'status' }, message));
      announce(message);
    } catch (error) {
      await show();
      replaceChildren(feedback, problemBox(error));
    }
  }

  async function show() {
    let job, executions;
    try {
      [job, executions] = await Promise.all([
        api(`/job-manager/jobs/${id}`).then((answer) => answer.body),
        api(`/job-manager/jobs/${id}/executions`).then((answer) => answer.body.executions),
      ]);
    } catch (error) {
      replaceChildren(main, h('p', {}, h('a', { href: '#/jobs' }, '← Jobs')), h('h1', {}, `Job ${id}`), problemBox(error));
      return;
    }
    const commands = allowedCommands(job, me.permissions);
    const logs = logsSection(id);
    const timeline = timelineSection(id);
    const buttons = commands.map((command) =>
      h(
        'button',
        { type: 'button', class: command === 'abort' ? 'danger' : undefined, onclick: () => control(job, command) },
        CONTROL_COMMANDS[command].label,
      ),
    );
    replaceChildren(
      main,
      h('p', {}, h('a', { href: '#/jobs' }, '← Jobs')),
      h(
        'div',
        { class: 'title-row' },
        h('h1', {}, `Job ${job.id} `, statusBadge(job.status)),
        h('div', { class: 'buttons' }, buttons, h('button', { type: 'button', class: 'secondary', onclick: () => show() }, 'Refresh')),
      ),
      feedback,
      h(
        'div',
        { class: 'columns' },
        h('section', { 'aria-labelledby': 'data-one-title' }, h('h2', { id: 'data-one-title' }, 'Job'), dataOneFields(job)),
        h(
          'div',
          {},
          h('section', { 'aria-labelledby': 'execution-title' }, h('h2', { id: 'execution-title' }, 'Execution'), executionFields(job)),
          h('section', { 'aria-labelledby': 'variables-title' }, h('h2', { id: 'variables-title' }, 'Variables'), json(job.actionVariables ?? {})),
          h(
            'section',
            { 'aria-labelledby': 'result-title' },
            h('h2', { id: 'result-title' }, 'Result'),
            job.result === null ? h('p', { class: 'empty' }, 'No result yet.') : json(job.result),
          ),
        ),
      ),
      h('section', { 'aria-labelledby': 'executions-title' }, h('h2', { id: 'executions-title' }, 'Executions'), executionsTable(executions)),
      timeline.section,
      logs.section,
    );
    await Promise.all([timeline.load(), logs.load()]);
  }

  await show();
}
