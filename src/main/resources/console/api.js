// Requests to Switchboard's JSON endpoints, carrying the admin key once the server has asked for it.
import { askKey } from './dialogs.js';

const KEY = 'switchboard.adminKey';
const HEADER = 'x-admin-key';
let prompt = null; // one key prompt at a time, shared by every request that was refused
let declined = false; // cancelled: polls fail quietly until the user asks for the prompt again (enterKey)

/** A request that did not succeed: `status` is the HTTP status (0: no answer), the message the server's `error`. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** GET `path` as JSON. Statuses in `accept` (e.g. /ready's 503) return their body instead of failing. */
export function getJson(path, accept = []) {
  return request('GET', path, undefined, accept);
}

export function postJson(path, body) {
  return request('POST', path, body, []);
}

/** `path` with the query parameters that have a value. */
export function withQuery(path, params) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v != null && v !== ''));
  return query.size ? `${path}?${query}` : path;
}

export function hasKey() {
  return sessionStorage.getItem(KEY) != null;
}

export function forgetKey() {
  sessionStorage.removeItem(KEY);
}

/** Opens the key prompt on the user's request, even after an earlier prompt was cancelled. */
export function enterKey() {
  declined = false;
  return newKey(null).catch(() => {});
}

async function request(method, path, body, accept) {
  for (;;) {
    const key = sessionStorage.getItem(KEY);
    const headers = { accept: 'application/json' };
    if (key) headers[HEADER] = key;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response;
    try {
      response = await fetch(path, {
        method,
        headers,
        cache: 'no-store',
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new ApiError(0, `Switchboard did not answer (${e.message})`);
    }
    if (response.status === 401) {
      await newKey(key ? 'That admin key was refused. Enter the right one.' : null);
      continue;
    }
    const text = await response.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: reported below with the status
    }
    if (response.ok || accept.includes(response.status)) return json;
    throw new ApiError(response.status, json?.error || `${method} ${path} answered ${response.status}`);
  }
}

async function newKey(reason) {
  if (declined) throw new ApiError(401, 'The admin key is needed to show this (Enter admin key, top right).');
  prompt ??= askKey(reason).finally(() => {
    prompt = null;
  });
  const key = await prompt;
  if (key == null) {
    declined = true;
    throw new ApiError(401, 'The admin key is needed to show this (Enter admin key, top right).');
  }
  sessionStorage.setItem(KEY, key);
  document.dispatchEvent(new CustomEvent('adminkey'));
}
