// Building the page with DOM calls, never HTML strings: job data is shown as text, so it cannot inject markup.

/** `h('a', {href: '#/jobs'}, 'Jobs')`. Attributes starting with `on` become listeners. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2).toLowerCase(), value);
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replaceChildren(parent, ...children) {
  parent.replaceChildren();
  append(parent, children);
}

let nextId = 0;
/** An id for label/aria wiring, unique in the page. */
export function uid(prefix) {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

/** A labelled form control: the label, the control, and an optional hint tied with aria-describedby. */
export function field(label, control, hint) {
  const id = control.id || uid('field');
  control.id = id;
  const hintNode = hint ? h('span', { class: 'hint', id: `${id}-hint` }, hint) : null;
  if (hintNode) control.setAttribute('aria-describedby', hintNode.id);
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hintNode);
}

export function select(name, options, value) {
  return h(
    'select',
    { name },
    options.map(([optionValue, text]) => h('option', { value: optionValue, selected: optionValue === value }, text)),
  );
}

/** Says a message to screen readers (the visible text changes on its own). */
export function announce(message) {
  const announcer = document.getElementById('announcer');
  announcer.textContent = '';
  setTimeout(() => (announcer.textContent = message), 50);
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** A timestamp for people, with the exact ISO value as a tooltip and machine-readable datetime. */
export function time(iso) {
  if (!iso) return '—';
  return h('time', { datetime: iso, title: iso }, dateFormat.format(new Date(iso)));
}

export function statusBadge(status) {
  return h('span', { class: `badge status-${status.toLowerCase()}` }, status);
}

export function json(value) {
  return h('pre', { class: 'json' }, JSON.stringify(value, null, 2));
}

/** The problem details of a failed call, with each field error. */
export function problemBox(error) {
  const problem = error.problem ?? {};
  return h(
    'div',
    { class: 'notice error', role: 'alert' },
    h('strong', {}, `${error.status ?? ''} ${problem.code ?? problem.title ?? 'Request failed'}`.trim()),
    h('p', {}, error.message),
    problem.errors?.length ? h('ul', {}, problem.errors.map((item) => h('li', {}, `${item.field}: ${item.message}`))) : null,
  );
}

/** A modal confirmation; resolves true when confirmed. Escape and Cancel resolve false. */
export function confirmDialog({ title, message, confirmLabel }) {
  return new Promise((resolve) => {
    const titleId = uid('dialog-title');
    const dialog = h(
      'dialog',
      { class: 'confirm', 'aria-labelledby': titleId },
      h('h2', { id: titleId }, title),
      h('p', {}, message),
      h(
        'div',
        { class: 'buttons' },
        h('button', { type: 'button', class: 'secondary', onclick: () => dialog.close('cancel') }, 'Cancel'),
        h('button', { type: 'button', class: 'danger', onclick: () => dialog.close('confirm') }, confirmLabel),
      ),
    );
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(dialog.returnValue === 'confirm');
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}
