// Small DOM and formatting helpers shared by the views.

/** An element: h('td', {class: 'num'}, 'text', child). `on*` attributes add listeners; null children are skipped. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = value;
    else el.setAttribute(name, value === true ? '' : value);
  }
  const shown = children.flat().filter((c) => c != null && c !== false);
  el.append(...shown.map((c) => (c instanceof Node ? c : String(c))));
  return el;
}

/** A card: a titled box. */
export function card(title, ...children) {
  return h('div', { class: 'card' }, title ? h('h3', {}, title) : null, ...children);
}

/**
 * A table. `columns`: header texts, a trailing ' #' marks a right-aligned number column. `rows`: arrays of cells
 * (text or nodes), or ready <tr> elements.
 */
export function table(columns, rows, cls = '') {
  const numeric = columns.map((c) => c.endsWith(' #'));
  const head = columns.map((c, i) => h('th', { class: numeric[i] ? 'num' : null }, numeric[i] ? c.slice(0, -2) : c));
  const body = rows.map((row) =>
    row instanceof Node ? row : h('tr', {}, row.map((cell, i) => h('td', { class: numeric[i] ? 'num' : null }, cell))),
  );
  return h('table', { class: `grid-table ${cls}` }, h('thead', {}, h('tr', {}, head)), h('tbody', {}, body));
}

/** A status badge, coloured by its text (UP, RETRYING, FAILING, ...). */
export function badge(text) {
  return h('span', { class: `badge ${String(text).toLowerCase()}` }, text);
}

/** A labelled number tile; `stat` names it for tests and bookmarks. */
export function tile(label, stat, hint) {
  return h('div', { class: 'tile' }, h('div', { class: 'label' }, label),
    h('div', { class: 'value', 'data-stat': stat }, '–'), hint ? h('div', { class: 'hint' }, hint) : null);
}

/** Sets the text of `[data-stat=name]` under `root`. */
export function setStat(root, name, text) {
  const el = root.querySelector(`[data-stat="${name}"]`);
  if (el) el.textContent = text;
}

/** Key and value rows of a definition list. */
export function facts(pairs) {
  const shown = pairs.filter(([, v]) => v != null && v !== '');
  return h('dl', { class: 'facts' }, shown.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

export function error(message) {
  return h('p', { class: 'error', role: 'alert' }, message);
}

const integer = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });

export const fmt = {
  count: (n) => (n == null ? '–' : integer.format(n)),
  rate: (n) => (n == null ? '–' : n >= 100 ? integer.format(n) : decimal.format(n)),
  ms(ms) {
    if (ms == null || ms < 0) return '–';
    if (ms < 1000) return `${integer.format(ms)} ms`;
    if (ms < 60_000) return `${decimal.format(ms / 1000)} s`;
    const minutes = Math.floor(ms / 60_000);
    return minutes < 60
      ? `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`
      : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  },
  /** Local time, ISO-like: 2026-12-03 11:32:54. */
  time: (t) => (t == null ? '–' : new Date(t).toLocaleString('sv-SE')),
};
