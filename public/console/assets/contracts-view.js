import { api, queryString } from './api.js';
import { h, problemBox, replaceChildren } from './dom.js';
import { submitRefusal } from './job-actions.js';
import { variableFacts } from './variable-facts.js';

function variableList(variables) {
  if (!variables.length) return h('span', { class: 'empty' }, 'none');
  return h(
    'ul',
    { class: 'variables' },
    variables.map((variable) =>
      h(
        'li',
        {},
        h('code', {}, variable.name),
        `: ${variable.type}`,
        variableFacts(variable).map(({ text, code }) => [`, ${text}`, code === undefined ? null : [' ', h('code', {}, code)]]),
        variable.description ? h('span', { class: 'hint' }, ` — ${variable.description}`) : null,
      ),
    ),
  );
}

function actionsTable(contract, me) {
  if (!contract.actions.length) return h('p', { class: 'empty' }, 'No actions.');
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      h('caption', { class: 'visually-hidden' }, `Actions of ${contract.name}`),
      h(
        'thead',
        {},
        h('tr', {}, ['Action', 'Queue', 'Workflow template', 'Variables', 'Allowed roles', ''].map((name) => h('th', { scope: 'col' }, name))),
      ),
      h(
        'tbody',
        {},
        contract.actions.map((action) => {
          const template = action.workflowTemplate;
          const submittable = contract.enabled && action.enabled && !submitRefusal(me, action);
          return h(
            'tr',
            {},
            h(
              'td',
              {},
              h('strong', {}, action.name),
              h('br'),
              h('span', { class: 'hint' }, action.trigger),
              action.enabled ? null : h('span', { class: 'badge muted' }, 'disabled'),
            ),
            h('td', {}, action.queue),
            h('td', {}, `${template.name} #${template.id} r${template.revision}`),
            h('td', {}, variableList(action.variables)),
            h('td', {}, action.allowedRoles.length ? action.allowedRoles.join(', ') : 'any with WORKFLOW'),
            h(
              'td',
              {},
              submittable
                ? h(
                    'a',
                    { class: 'button', href: `#/submit${queryString({ contract: contract.name, action: action.name })}` },
                    'Submit job…',
                    h('span', { class: 'visually-hidden' }, ` ${contract.name} / ${action.name}`),
                  )
                : null,
            ),
          );
        }),
      ),
    ),
  );
}

export async function renderContracts({ main, me }) {
  document.title = 'Contracts · Ghibli console';
  const canSubmit = me.permissions.includes('WORKFLOW');
  const list = h('div', { class: 'contracts' });
  const more = h('div', { class: 'buttons' });
  replaceChildren(
    main,
    h('h1', {}, 'Contracts'),
    canSubmit ? null : h('p', { class: 'notice' }, 'Your roles do not grant WORKFLOW: you can read contracts but not submit jobs.'),
    list,
    more,
  );

  async function load(path) {
    try {
      const page = (await api(path)).body;
      for (const contract of page.contracts) {
        const titleId = `contract-${contract.name}`;
        list.append(
          h(
            'section',
            { class: 'card', 'aria-labelledby': titleId },
            h(
              'h2',
              { id: titleId },
              contract.name,
              ' ',
              h('span', { class: 'badge muted' }, contract.type),
              contract.enabled ? null : h('span', { class: 'badge muted' }, 'disabled'),
            ),
            h('p', {}, h('span', { class: 'hint' }, `Actor ${contract.actor}. `), contract.description ?? ''),
            actionsTable(contract, me),
          ),
        );
      }
      if (list.children.length === 0) list.append(h('p', { class: 'empty' }, 'No contracts yet.'));
      replaceChildren(more, page.next ? h('button', { type: 'button', class: 'secondary', onclick: () => load(page.next) }, 'More contracts') : null);
    } catch (error) {
      replaceChildren(more, problemBox(error));
    }
  }

  await load('/contracts');
}
