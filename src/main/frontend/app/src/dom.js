// Small DOM builders and number formats shared by the pages.
export const number = new Intl.NumberFormat('en');
export const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (value !== undefined && value !== null && value !== false) node.setAttribute(key, value);
  }
  for (const child of children.flat()) node.append(child instanceof Node ? child : document.createTextNode(String(child ?? '')));
  return node;
}

export const projectHref = name => `#/project/${encodeURIComponent(name)}`;
export const link = name => el('a', { href: projectHref(name) }, name);
export const panel = (title, ...content) => el('section', { class: 'panel' }, el('h2', {}, title), ...content);
export const card = (label, value, test) => el('div', { class: 'card', 'data-test': test },
  el('div', { class: 'value' }, value === null || value === undefined ? '–' : number.format(value)), el('div', { class: 'label' }, label));

export function table(headers, rows) {
  return el('table', {},
    el('thead', {}, el('tr', {}, headers.map(h => el('th', { class: h.num ? 'num' : '' }, h.label)))),
    el('tbody', {}, rows.map(row => el('tr', {}, row.map((cell, i) => el('td', { class: headers[i].num ? 'num' : '' }, cell))))));
}

/**
 * A breakdown ({entries: [{value, name?, downloads}], other}) as a table with a bar per value (its share of the
 * largest); with onSelect, each value is a button that filters the page by it.
 */
export function breakdownTable(breakdown, label, onSelect) {
  const max = Math.max(1, ...breakdown.entries.map(e => e.downloads));
  const total = breakdown.entries.reduce((sum, e) => sum + e.downloads, 0) + (breakdown.other ?? 0);
  const text = e => (e.value === '' ? 'unknown' : e.name ? `${e.name} (${e.value})` : e.value);
  const rows = breakdown.entries.map(e => [
    onSelect && e.value !== '' ? el('button', { type: 'button', class: 'link', 'data-value': e.value, title: `filter by ${text(e)}`, onclick: () => onSelect(e.value) }, text(e)) : text(e),
    el('div', { class: 'bar', style: `width:${Math.max(1, Math.round(100 * e.downloads / max))}%` }),
    number.format(e.downloads),
    total ? `${(100 * e.downloads / total).toFixed(1)} %` : '']);
  if (breakdown.other) rows.push(['other', '', number.format(breakdown.other), total ? `${(100 * breakdown.other / total).toFixed(1)} %` : '']);
  return el('div', { class: 'table-scroll' }, table([{ label }, { label: '' }, { label: 'downloads', num: true }, { label: 'share', num: true }], rows));
}

/** A grey block where content will be (keeps the layout while a panel's data is on its way). */
export const skeleton = (height = '16rem') => el('div', { class: 'skeleton', style: `height:${height}`, 'aria-hidden': 'true' });
