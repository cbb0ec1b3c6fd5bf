import { api, queryString } from './api.js';
import { announce, field, h, problemBox, replaceChildren, select, statusBadge } from './dom.js';
import { submitRefusal } from './job-actions.js';
import { variableFacts } from './variable-facts.js';

/** A control for one declared variable; empty means "not sent", so the gateway fills the default in. */
function variableControl(variable) {
  const name = `var:${variable.name}`;
  if (variable.enum) {
    const choices = variable.enum.map((value) => [JSON.stringify(value), String(value)]);
    return select(name, [['', variable.required ? 'Choose…' : 'Default'], ...choices], '');
  }
  if (variable.type === 'boolean') return select(name, [['', 'Default'], ['true', 'true'], ['false', 'false']], '');
  if (variable.type === 'number' || variable.type === 'integer') {
    return h('input', { name, type: 'number', step: variable.type === 'integer' ? 1 : 'any', min: variable.minimum, max: variable.maximum });
  }
  if (variable.type === 'object' || variable.type === 'array') {
    return h('textarea', { name, rows: 3, spellcheck: 'false', placeholder: variable.type === 'object' ? '{ }' : '[ ]' });
  }
  return h('input', { name, maxlength: variable.maxLength, spellcheck: 'false', autocomplete: 'off' });
}

/** The hint under a field: what the label and the control do not already say. */
function hintFor(variable) {
  const facts = variableFacts(variable)
    .filter(({ key }) => key !== 'required' && key !== 'enum')
    .map(({ text, code }) => (code === undefined ? text : `${text} ${code}`));
  return [variable.description, [variable.type, ...facts].join(', ')].filter(Boolean).join(' — ');
}

/** Form text to the JSON value the declaration asks for; throws a message for the field on bad input. */
function parseValue(variable, text) {
  if (variable.enum) return JSON.parse(text);
  if (variable.type === 'boolean') return text === 'true';
  if (variable.type === 'number' || variable.type === 'integer') return Number(text);
  if (variable.type === 'object' || variable.type === 'array') {
    try {
      return JSON.parse(text);
    } catch {
      throw new Error(`${variable.name}: not valid JSON`);
    }
  }
  return text;
}

function outcome(answer) {
  const job = answer.body;
  const link = h('a', { href: `#/jobs/${job.id}` }, `job ${job.id}`);
  if (answer.status === 201) {
    return h(
      'div',
      { class: 'notice success', role: 'status' },
      h('strong', {}, '201 Created: a new job.'),
      h('p', {}, 'Submitted as ', link, ', status ', statusBadge(job.status), '.'),
    );
  }
  const mismatch = answer.headers.get('Idempotency-Mismatch');
  return h(
    'div',
    { class: 'notice warning', role: 'status' },
    h('strong', {}, '409 Conflict: already submitted, nothing new was created.'),
    h('p', {}, 'This extIPID was used before for this contract action; the existing ', link, ' is ', statusBadge(job.status), '.'),
    mismatch ? h('p', {}, `Its ${mismatch} differ from the ones you sent: the original ones are kept.`) : null,
  );
}

export async function renderSubmit({ main, me, params }) {
  const contract = params.get('contract') ?? '';
  const actionName = params.get('action') ?? '';
  document.title = `Submit ${contract} / ${actionName} · Ghibli console`;
  const back = h('p', {}, h('a', { href: '#/contracts' }, '← Contracts'));
  let action;
  try {
    action = (await api(`/contracts/${encodeURIComponent(contract)}/actions/${encodeURIComponent(actionName)}`)).body;
  } catch (error) {
    replaceChildren(main, back, h('h1', {}, 'Submit a job'), problemBox(error));
    return;
  }
  const heading = [
    back,
    h('h1', { id: 'submit-title' }, `Submit ${contract} / ${action.name}`),
    h('p', { class: 'hint' }, `Queue ${action.queue}, workflow ${action.workflowTemplate.name} r${action.workflowTemplate.revision}.`),
  ];
  const jobsLink = h('p', {}, h('a', { href: `#/jobs${queryString({ contract, contractAction: action.name })}` }, `Jobs of ${contract} / ${action.name}`));
  const refusal = submitRefusal(me, action);
  if (refusal) {
    replaceChildren(main, heading, h('p', { class: 'notice' }, refusal), jobsLink);
    return;
  }

  const result = h('div', { class: 'result', 'aria-live': 'polite' });
  const variables = action.variables.map((variable) => {
    const control = variableControl(variable);
    control.required = Boolean(variable.required);
    return field(variable.required ? `${variable.name} (required)` : variable.name, control, hintFor(variable));
  });
  const form = h(
    'form',
    { class: 'submit', 'aria-labelledby': 'submit-title' },
    h(
      'fieldset',
      {},
      h('legend', {}, 'Variables'),
      variables.length ? variables : h('p', { class: 'empty' }, 'This action declares no variables.'),
    ),
    field(
      'extIPID (optional)',
      h('input', { name: 'extIPID', maxlength: 64, spellcheck: 'false', autocomplete: 'off' }),
      'Your idempotency key: submitting again with the same extIPID answers 409 with the existing job instead of creating one.',
    ),
    h('div', { class: 'buttons' }, h('button', { type: 'submit' }, 'Submit job')),
  );

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const body = { contractName: contract, actionName, actionVariables: {} };
    try {
      for (const variable of action.variables) {
        const text = String(data.get(`var:${variable.name}`) ?? '').trim();
        if (text !== '') body.actionVariables[variable.name] = parseValue(variable, text);
      }
    } catch (error) {
      replaceChildren(result, h('p', { class: 'notice error', role: 'alert' }, error.message));
      return;
    }
    const extIPID = String(data.get('extIPID') ?? '').trim();
    if (extIPID) body.extIPID = extIPID;
    try {
      const answer = await api('/job-manager/jobs', { method: 'POST', body, acceptStatuses: [409] });
      replaceChildren(result, outcome(answer));
      announce(answer.status === 201 ? 'Created a new job' : 'Already submitted: 409');
    } catch (error) {
      replaceChildren(result, problemBox(error));
    }
  });

  replaceChildren(main, heading, form, result, jobsLink);
}
