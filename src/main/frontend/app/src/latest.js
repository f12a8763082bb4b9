// "Only the newest counts": each start() aborts the previous request and makes its answer stale, so an
// older answer arriving late (a slow search, the page left before its data came) is dropped, never shown
// over a newer one. Fetches get the signal (the browser cancels them); current() guards the commit, for
// answers that come anyway (a fetch that ignores the signal, work after the await).
export function latest() {
  let generation = 0;
  let controller = null;
  return function start() {
    controller?.abort();
    const mine = new AbortController();
    controller = mine;
    const ticket = ++generation;
    return { signal: mine.signal, current: () => ticket === generation };
  };
}
