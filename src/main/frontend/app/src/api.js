// The dashboard's only way to the API: registered operations (graphql/operations, listed with their ids at
// GET /graphql/operations), sent by id as GraphQL-over-GET requests (automatic persisted queries). No query
// text ever leaves the browser, so the dashboard works when the gateway runs registered operations only
// (allow-list mode), and every answer is cacheable by the browser and by proxies.

export class ApiError extends Error {}

/** How often a request refused as busy (503, BUSY) is sent again, after the Retry-After it names (at most 5 s). */
const BUSY_RETRIES = 2;

const pause = (ms, signal) => new Promise((resolve, reject) => {
  if (signal?.aborted) { reject(signal.reason ?? new DOMException('The operation was aborted.', 'AbortError')); return; }
  const timer = setTimeout(resolve, ms);
  signal?.addEventListener('abort', () => { clearTimeout(timer); reject(signal.reason ?? new DOMException('The operation was aborted.', 'AbortError')); });
});

export function createApi(fetch, { sleep = pause } = {}) {
  let operations = null;

  function registered() {
    operations ??= fetch('/graphql/operations', { headers: { accept: 'application/json' } })
      .then(response => {
        if (!response.ok) throw new ApiError(`The API's list of operations answered ${response.status}.`);
        return response.json();
      })
      .then(manifest => Object.fromEntries(manifest.operations.map(op => [op.name, op])))
      .catch(error => { operations = null; throw error; });
    return operations;
  }

  /**
   * Runs the registered operation `name`; resolves to its data, rejects with the API's error messages.
   * `signal` aborts the request; `revalidate` asks the server again even when the browser holds a fresh copy
   * (a 304 when the data has not changed): for figures that move while the page is open.
   */
  async function run(name, variables = {}, { signal, revalidate = false } = {}) {
    const op = (await registered())[name];
    if (!op) throw new ApiError(`The gateway has no registered operation named ${name}.`);
    const params = new URLSearchParams({
      operationName: name,
      variables: JSON.stringify(variables ?? {}),
      extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: op.id } }),
    });
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(`/graphql?${params}`, {
        headers: { accept: 'application/json' }, signal, cache: revalidate ? 'no-cache' : 'default',
      });
      let body;
      try { body = await response.json(); } catch { throw new ApiError(`The API answered ${response.status}.`); }
      const busy = response.status === 503 && body.errors?.[0]?.extensions?.classification === 'BUSY';
      if (busy && attempt < BUSY_RETRIES) {
        // The gateway is serving as many requests as it can: wait as it asks, then ask again.
        const seconds = Number(response.headers.get('retry-after'));
        await sleep(1000 * Math.min(5, Number.isFinite(seconds) && seconds > 0 ? seconds : 1), signal);
        continue;
      }
      if (body.errors?.length) throw new ApiError(body.errors.map(e => e.message).join(' '));
      return body.data;
    }
  }

  return { run };
}
