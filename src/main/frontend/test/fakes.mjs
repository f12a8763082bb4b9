// Test doubles: a fetch whose answers the test hands out in any order, and a window whose location.hash
// and history behave as a browser's (setting the hash pushes an entry and fires hashchange later; back()
// fires it too; the same hash again does nothing).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const operationsDir = path.join(path.dirname(new URL(import.meta.url).pathname), '../../../../graphql/operations');

/** The gateway's manifest of registered operations, made from graphql/operations as the server makes it (id = SHA-256 of the file). */
export function manifestOfRegisteredOperations() {
  const operations = fs.readdirSync(operationsDir).filter(file => file.endsWith('.graphql')).map(file => {
    const body = fs.readFileSync(path.join(operationsDir, file), 'utf8');
    return { id: createHash('sha256').update(body, 'utf8').digest('hex'), name: file.replace(/\.graphql$/, ''), type: 'query', body };
  });
  return { format: 'apollo-persisted-query-manifest', version: 1, operations };
}

const json = (body, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/**
 * fetch for the API: the manifest answers at once; every other request waits in `pending` until the test
 * calls its answer(data) / error(message). With honourAbort, an aborted request rejects as a browser's does.
 */
export function fakeFetch({ manifest = manifestOfRegisteredOperations(), honourAbort = true } = {}) {
  const requests = [];
  const fetch = (url, init = {}) => {
    if (url === '/graphql/operations') return Promise.resolve(json(manifest));
    const parsed = new URL(url, 'http://gateway.test');
    let settle;
    const answered = new Promise((resolve, reject) => { settle = { resolve, reject }; });
    const request = {
      url, init, path: parsed.pathname, params: parsed.searchParams,
      operationName: parsed.searchParams.get('operationName'),
      variables: JSON.parse(parsed.searchParams.get('variables') ?? '{}'),
      answer: data => settle.resolve(json({ data })),
      error: message => settle.resolve(json({ errors: [{ message }] })),
      busy: seconds => settle.resolve(new Response(JSON.stringify({ errors: [{ message: 'The gateway is busy.', extensions: { classification: 'BUSY', retryAfterSeconds: seconds } }] }),
        { status: 503, headers: { 'content-type': 'application/json', 'retry-after': String(seconds) } })),
    };
    if (honourAbort && init.signal) {
      if (init.signal.aborted) return Promise.reject(new DOMException('The operation was aborted.', 'AbortError'));
      init.signal.addEventListener('abort', () => settle.reject(new DOMException('The operation was aborted.', 'AbortError')));
    }
    requests.push(request);
    return answered;
  };
  return { fetch, requests };
}

/** Lets queued promise callbacks and timers of 0 ms run. */
export const settle = () => new Promise(resolve => setTimeout(resolve, 5));

export class FakeWindow {
  constructor(hash = '') {
    this.entries = [hash];
    this.index = 0;
    this.listeners = [];
    const self = this;
    this.location = {
      get hash() { return self.entries[self.index]; },
      set hash(value) {
        const hash = value.startsWith('#') ? value : `#${value}`;
        if (hash === self.entries[self.index]) return;
        self.entries.splice(self.index + 1, Infinity, hash);
        self.index++;
        self.fire();
      },
    };
    this.history = {
      back: () => { if (self.index > 0) { self.index--; self.fire(); } },
      forward: () => { if (self.index < self.entries.length - 1) { self.index++; self.fire(); } },
      replaceState: (state, title, url) => { self.entries[self.index] = url; },
      get length() { return self.entries.length; },
    };
  }

  addEventListener(type, listener) {
    if (type === 'hashchange') this.listeners.push(listener);
  }

  fire() {
    setTimeout(() => this.listeners.forEach(listener => listener()), 0);
  }
}
