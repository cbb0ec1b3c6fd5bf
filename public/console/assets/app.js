import { api, ApiError, clearCredential, loadCredential, makeCredential, saveCredential, whenUnauthenticated } from './api.js';
import { announce, field, h, problemBox, replaceChildren } from './dom.js';
import { renderContracts } from './contracts-view.js';
import { renderDashboard } from './dashboard-view.js';
import { renderJob } from './job-view.js';
import { renderJobs } from './jobs-view.js';
import { renderSubmit } from './submit-view.js';
import { renderWebhookDeliveries, renderWebhooks } from './webhooks-view.js';

const main = document.getElementById('main');
/** The caller as GET /auth/me last answered: {principal, via, roles, permissions}. */
let me = null;
/** Stops the current view's timers when the route changes. */
let disposeView = () => {};

/** Without a hash: the dashboard for those who may change queues (administrators), the jobs for everyone else. */
function route() {
  const hash = location.hash.replace(/^#/, '') || (me?.permissions.includes('QUEUES') ? '/dashboard' : '/jobs');
  const [path, query = ''] = hash.split('?');
  return { path, params: new URLSearchParams(query) };
}

function markNav(view) {
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.dataset.view === view) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

async function render() {
  disposeView();
  disposeView = () => {};
  if (!loadCredential()) return renderSignIn();
  try {
    // Asked again on every view, so a change of roles or of the permission map shows without signing in again.
    me = (await api('/auth/me')).body;
  } catch (error) {
    // A 401 has already signed out (whenUnauthenticated); anything else leaves the credential for a retry.
    if (!(error instanceof ApiError && error.status === 401)) replaceChildren(main, problemBox(error));
    return;
  }
  showSignedIn();
  const { path, params } = route();
  const context = { main, me, params };
  const job = path.match(/^\/jobs\/(\d+)$/);
  const webhook = path.match(/^\/webhooks\/(\d+)$/);
  let dispose;
  if (job) {
    markNav('jobs');
    dispose = await renderJob({ ...context, id: job[1] });
  } else if (path === '/dashboard') {
    markNav('dashboard');
    dispose = await renderDashboard(context);
  } else if (path === '/contracts') {
    markNav('contracts');
    dispose = await renderContracts(context);
  } else if (path === '/webhooks') {
    markNav('webhooks');
    dispose = await renderWebhooks(context);
  } else if (webhook) {
    markNav('webhooks');
    dispose = await renderWebhookDeliveries({ ...context, id: webhook[1] });
  } else if (path === '/submit') {
    markNav('contracts');
    dispose = await renderSubmit(context);
  } else {
    markNav('jobs');
    dispose = await renderJobs(context);
  }
  if (typeof dispose === 'function') disposeView = dispose;
}

/**
 * After a navigation: the new view from its top, focus on its content so screen readers read on from
 * there. A plain focus() would scroll a `main` taller than the window to its top, hiding the header.
 */
function showFromTop() {
  window.scrollTo(0, 0);
  main.focus({ preventScroll: true });
}

function showSignedIn() {
  document.getElementById('nav').hidden = !me;
  document.getElementById('who').hidden = !me;
  // Only for callers the WEBHOOKS routes would answer; a bookmarked link still explains the refusal.
  document.querySelector('#nav a[data-view="webhooks"]').hidden = !me?.permissions.includes('WEBHOOKS');
  document.getElementById('who-name').textContent = me ? `${me.principal} (${me.roles.join(', ') || 'no roles'})` : '';
}

function signOut(message) {
  clearCredential();
  me = null;
  showSignedIn();
  renderSignIn(message);
}

const KINDS = [
  ['basic', 'Local user'],
  ['api-key', 'API key'],
  ['bearer', 'Bearer token'],
];

function renderSignIn(message) {
  document.title = 'Sign in · Ghibli console';
  const inputs = {
    user: h('input', { name: 'user', autocomplete: 'username', required: true }),
    password: h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true }),
    key: h('input', { name: 'key', autocomplete: 'off', spellcheck: 'false', required: true }),
    token: h('textarea', { name: 'token', rows: 4, spellcheck: 'false', required: true }),
  };
  const groups = {
    basic: h('div', {}, field('User name', inputs.user), field('Password', inputs.password)),
    'api-key': h('div', {}, field('API key', inputs.key, 'gw_… as shown once when the key was created')),
    bearer: h('div', {}, field('Token', inputs.token, 'A JWT from your identity provider')),
  };
  const feedback = h('div', { 'aria-live': 'polite' }, message ? h('p', { class: 'notice warning' }, message) : null);
  const show = (kind) => {
    for (const [name, group] of Object.entries(groups)) {
      group.hidden = name !== kind;
      for (const control of group.querySelectorAll('input, textarea')) control.disabled = name !== kind;
    }
  };
  const radios = KINDS.map(([kind, label], index) =>
    h(
      'label',
      { class: 'radio' },
      h('input', { type: 'radio', name: 'kind', value: kind, checked: index === 0, onchange: () => show(kind) }),
      label,
    ),
  );
  const form = h(
    'form',
    { class: 'sign-in', 'aria-labelledby': 'sign-in-title' },
    h('h1', { id: 'sign-in-title' }, 'Sign in'),
    h('fieldset', {}, h('legend', {}, 'Credential'), radios),
    Object.values(groups),
    h('p', { class: 'hint' }, 'Kept in this tab’s session storage only: closing the tab signs you out.'),
    h('button', { type: 'submit' }, 'Sign in'),
    feedback,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const kind = new FormData(form).get('kind');
    const credential = makeCredential(kind, {
      user: inputs.user.value,
      password: inputs.password.value,
      key: inputs.key.value,
      token: inputs.token.value,
    });
    try {
      const caller = (await api('/auth/me', { credential })).body;
      saveCredential(credential);
      announce(`Signed in as ${caller.principal}`);
      await render();
      showFromTop();
    } catch (error) {
      const refused = error instanceof ApiError && error.status === 401;
      replaceChildren(feedback, refused ? h('p', { class: 'notice error', role: 'alert' }, 'These credentials were refused.') : problemBox(error));
    }
  });
  replaceChildren(main, form);
  show('basic');
}

whenUnauthenticated(() => signOut('Your credentials are no longer accepted; sign in again.'));
document.getElementById('sign-out').addEventListener('click', () => signOut());
window.addEventListener('hashchange', () => render().then(showFromTop));
// The hash is the route, so the skip link focuses the content without following its `#main`.
document.querySelector('.skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});

render();
