// Drives the views from the URL's hash: a navigation sets the hash (one history entry; none when the view
// would not change), the hashchange that follows (or the back button's) loads the route's data and shows
// it. Only the newest route's answer is shown: loading another route aborts the previous one's requests
// and drops its answer if it comes anyway. Free of the DOM: `win` needs location, history and
// addEventListener, so tests drive it with a fake window.
import { latest } from './latest.js';
import { formatHash, parseHash } from './route.js';

export function createRouter(win, { load, show, failed, loading = () => {} }) {
  const next = latest();

  async function render() {
    const route = parseHash(win.location.hash);
    const canonical = formatHash(route);
    // Another spelling of the same view (parameters in another order, a malformed one): replaced, not pushed.
    if (win.location.hash && win.location.hash !== canonical) win.history.replaceState(null, '', canonical);
    const ticket = next();
    loading(route);
    try {
      const data = await load(route, ticket.signal);
      if (ticket.current()) show(route, data);
    } catch (error) {
      if (ticket.current()) failed(route, error);
    }
  }

  /** Goes to a route; false (and no history entry) when it is the view already shown. */
  function navigate(route) {
    const hash = formatHash(route);
    if (hash === (win.location.hash || '#/')) return false;
    win.location.hash = hash;
    return true;
  }

  win.addEventListener('hashchange', render);
  // reload: the view shown now, asked again (after an error, say).
  return { start: render, reload: render, navigate, current: () => parseHash(win.location.hash) };
}
