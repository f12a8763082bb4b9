// Routes live in the URL's hash, so every view is a link and the back button walks the views and filters:
//   #/                               landing page
//   #/project/<name>?<filters>       one package
//   #/compare/<a>,<b>,…?<filters>    packages side by side
// parseHash and formatHash are inverse on canonical hashes: formatHash(parseHash(h)) is h's one spelling.
import { formatFilters, parseFilters } from './filters.js';

const decode = text => {
  try { return decodeURIComponent(text); } catch { return text; }
};

/** {page: 'landing' | 'project' | 'compare', name?, names?, filters} of a location.hash ("" = the landing page). */
export function parseHash(hash) {
  const [path, query] = String(hash ?? '').replace(/^#/, '').split(/\?(.*)/s);
  const parts = path.split('/').filter(Boolean);
  const filters = parseFilters(query);
  if (parts[0] === 'project' && parts[1]) {
    const name = decode(parts[1]).trim();
    if (name) return { page: 'project', name, filters };
  }
  if (parts[0] === 'compare' && parts[1]) {
    const names = [...new Set(parts[1].split(',').map(part => decode(part).trim()).filter(Boolean))];
    if (names.length) return { page: 'compare', names, filters };
  }
  return { page: 'landing', filters: {} };
}

/** The canonical hash of a route. */
export function formatHash(route) {
  const query = formatFilters(route.filters ?? {});
  const tail = query ? `?${query}` : '';
  switch (route.page) {
    case 'project': return `#/project/${encodeURIComponent(route.name)}${tail}`;
    case 'compare': return `#/compare/${route.names.map(encodeURIComponent).join(',')}${tail}`;
    default: return '#/';
  }
}
