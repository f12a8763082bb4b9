// The search box's suggestions, free of the DOM: typing schedules a search (after `delay` ms of quiet);
// each keystroke makes the searches before it stale (aborted, their answers dropped), so the suggestions
// shown are always those of the newest text, whatever order the answers come in.
import { latest } from './latest.js';

export function createSuggester(api, { show, failed, delay = 150, first = 8 }) {
  const next = latest();
  let timer = null;

  /** The box now holds `text`. */
  function input(text) {
    clearTimeout(timer);
    const ticket = next();
    const prefix = String(text ?? '').trim();
    if (!prefix) { show([], prefix); return; }
    timer = setTimeout(async () => {
      try {
        const data = await api.run('SearchProjects', { prefix, first }, { signal: ticket.signal });
        if (ticket.current()) show(data.projects.edges.map(edge => edge.node), prefix);
      } catch (error) {
        if (ticket.current()) failed(error, prefix);
      }
    }, delay);
  }

  /** Drops what is pending (a suggestion was chosen, the box emptied). */
  function cancel() {
    clearTimeout(timer);
    next();
  }

  return { input, cancel };
}
