// The gateway's API as the console uses it: the credential, fetch, and problem details.

/** The context path: this module is served from `<context path>/console/assets/api.js`. */
export const API_BASE = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');

const STORAGE_KEY = 'ghibli-console.credential';

/** The credential lives in this tab's session storage only: closing the tab signs out. */
export function loadCredential() {
  const raw = sessionStorage.getItem(STORAGE_KEY);
  return raw ? JSON.parse(raw) : null;
}

export function saveCredential(credential) {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(credential));
}

export function clearCredential() {
  sessionStorage.removeItem(STORAGE_KEY);
}

function base64Utf8(text) {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

/** `kind` is basic, api-key or bearer; the header is built once, at sign-in. */
export function makeCredential(kind, fields) {
  if (kind === 'basic') return { kind, header: ['Authorization', `Basic ${base64Utf8(`${fields.user}:${fields.password}`)}`] };
  if (kind === 'api-key') return { kind, header: ['X-API-Key', fields.key.trim()] };
  return { kind: 'bearer', header: ['Authorization', `Bearer ${fields.token.trim()}`] };
}

/** A 4xx/5xx answer, with its problem details when the gateway sent them. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

let onUnauthenticated = () => {};

/** Called when a stored credential stops working (expired token, revoked key). */
export function whenUnauthenticated(handler) {
  onUnauthenticated = handler;
}

/**
 * Calls the API with `credential`, by default the stored one. `path` is relative to the context path, or absolute from the host (as `next` links
 * are). Answers {status, body, headers} for 2xx and for `acceptStatuses`; throws ApiError otherwise.
 */
export async function api(path, { method = 'GET', body, credential, acceptStatuses = [] } = {}) {
  const stored = credential === undefined;
  if (stored) credential = loadCredential();
  const headers = { Accept: 'application/json' };
  if (credential) headers[credential.header[0]] = credential.header[1];
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const url = path.startsWith(`${API_BASE}/`) ? path : `${API_BASE}${path}`;
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const parsed = text ? JSON.parse(text) : null;
  if (response.ok || acceptStatuses.includes(response.status)) {
    return { status: response.status, body: parsed, headers: response.headers };
  }
  // A credential being tried at sign-in is not a session that ended.
  if (response.status === 401 && stored && credential) onUnauthenticated();
  throw new ApiError(response.status, parsed);
}

/** `?a=1&b=2` for the defined, non-empty values. */
export function queryString(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
