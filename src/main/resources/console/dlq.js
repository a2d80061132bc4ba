// Dead letters: filter and page through GET /dlq, inspect one (GET /dlq/{id}), replay a selection (POST /dlq/replay).
import { getJson, postJson, withQuery } from './api.js';
import { confirmAction } from './dialogs.js';
import { h, card, badge, facts, fmt, error } from './dom.js';

const COLUMNS = ['Time', 'Stage', 'Reason', 'Target', 'Event', 'Conversation', 'Error', 'Replay'];

function field(label, control) {
  return h('label', {}, label, control);
}

function choice(name, options, chosen = '') {
  return h('select', { name }, options.map(([value, text]) => h('option', { value, selected: value === chosen }, text)));
}

/** The filter form: every /dlq query parameter but the cursor. */
function filterForm(meta, onSearch) {
  const any = [['', 'any']];
  const form = h('form', { class: 'card filters' },
    field('Reason', choice('reason', any.concat(meta.reasons.map((r) => [r, r.replaceAll('_', ' ')])))),
    field('Stage', choice('stage', any.concat(meta.stages.map((s) => [s, s])))),
    field('Target', choice('target', any.concat(meta.targets.map((t) => [t.id, t.id])))),
    field('Conversation id', h('input', { name: 'conversationId', type: 'text', spellcheck: 'false' })),
    field('Event id', h('input', { name: 'eventId', type: 'text', spellcheck: 'false' })),
    field('From', h('input', { name: 'from', type: 'datetime-local', step: 1 })),
    field('To', h('input', { name: 'to', type: 'datetime-local', step: 1 })),
    field('Replayed', choice('replayed', any.concat([['true', 'yes'], ['false', 'no']]))),
    field('Page size', choice('limit', ['25', '50', '100', '500'].map((n) => [n, n]), '50')),
    h('div', { class: 'actions' },
      h('button', { type: 'reset', onclick: () => setTimeout(onSearch) }, 'Clear'),
      h('button', { type: 'submit', class: 'primary' }, 'Search')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    onSearch();
  });
  return form;
}

/** The form's filters as /dlq query parameters; `from`/`to` (local time in the form) as ISO instants. */
function filtersOf(form) {
  const params = Object.fromEntries(new FormData(form));
  for (const bound of ['from', 'to']) {
    if (params[bound]) params[bound] = new Date(params[bound]).toISOString();
  }
  return params;
}

/** The event type from the stored envelope's topic (`…conversation.<id>.customer.start`), when it has one. */
function eventType(entry) {
  const topic = entry.payload?.detail?.topicName ?? entry.payload?.topicName ?? '';
  return /\.conversation\.[^.]+\.(.+)$/.exec(topic)?.[1] ?? '';
}

function replayStatus(entry) {
  const last = entry.lastReplay;
  if (!last) return '';
  return h('span', { class: `replay ${last.outcome}` }, `${last.outcome.replaceAll('_', ' ')} → ${last.target}`);
}

export class DlqView {
  constructor(section, meta) {
    this.entries = [];
    this.selected = new Set();
    this.form = filterForm(meta, () => this.search());
    this.replayTo = h('select', { 'aria-label': 'Replay to' },
      meta.targets.map((t) => h('option', { value: t.id }, t.id)),
      h('option', { value: 'pipeline' }, 'pipeline (start again)'));
    this.count = h('span', { class: 'muted' });
    this.rows = h('tbody');
    this.more = h('button', { type: 'button', hidden: true, onclick: () => this.load(true) }, 'Load more');
    this.problem = h('div');
    this.result = h('div');
    this.detail = h('div', { id: 'dlq-detail' });
    this.all = h('input', { type: 'checkbox', 'aria-label': 'Select all shown',
      onchange: () => this.selectAll(this.all.checked) });
    const toolbar = h('div', { class: 'toolbar' }, this.count, h('span', { class: 'spacer' }), 'Replay selected to ',
      this.replayTo, h('button', { type: 'button', class: 'primary', onclick: () => this.replay() }, 'Replay selected…'));
    const list = h('table', { class: 'grid-table dlq' },
      h('thead', {}, h('tr', {}, h('th', {}, this.all), COLUMNS.map((c) => h('th', {}, c)))), this.rows);
    section.append(h('h2', {}, 'Dead letters ', h('span', { class: 'muted small' }, "this node's DLQ, oldest first")),
      this.form, this.problem, this.result,
      card(null, toolbar, h('div', { class: 'scroll' }, list), this.more),
      this.detail);
  }

  /** Shown with `#dlq?name=value…`: those filters, then a search. */
  show(query) {
    if (query) {
      this.form.reset();
      for (const [name, value] of new URLSearchParams(query)) {
        if (this.form.elements[name]) this.form.elements[name].value = value;
      }
      this.search();
    } else if (!this.loaded) {
      this.search();
    }
  }

  search() {
    this.open = null;
    this.entries = [];
    this.selected.clear();
    this.cursor = null;
    this.detail.replaceChildren();
    return this.load(false);
  }

  async load(more) {
    this.loaded = true;
    try {
      const page = await getJson(withQuery('/dlq', { ...filtersOf(this.form), cursor: more ? this.cursor : null }));
      this.entries.push(...page.entries);
      this.cursor = page.nextCursor;
      this.problem.replaceChildren();
    } catch (e) {
      this.problem.replaceChildren(error(`Cannot list the dead letters: ${e.message}`));
    }
    this.render();
  }

  row(entry) {
    const select = h('input', { type: 'checkbox', 'aria-label': `Select ${entry.id}`, checked: this.selected.has(entry.id),
      onchange: (e) => this.select(entry.id, e.target.checked) });
    const conversation = entry.conversationId
      ? h('a', { href: `#conversation/${encodeURIComponent(entry.conversationId)}` }, entry.conversationId) : '';
    const open = (e) => {
      if (!e.target.closest('input, a')) this.inspect(entry.id);
    };
    return h('tr', { 'data-id': entry.id, class: entry.id === this.open ? 'open' : null, onclick: open },
      h('td', {}, select),
      h('td', { class: 'nowrap' }, fmt.time(entry.time)),
      h('td', {}, entry.stage),
      h('td', {}, badge(entry.reason)),
      h('td', {}, entry.target ?? ''),
      h('td', { class: 'nowrap' }, eventType(entry)),
      h('td', { class: 'id' }, conversation),
      h('td', { class: 'clip', title: entry.error }, entry.error),
      h('td', {}, replayStatus(entry)));
  }

  render() {
    this.rows.replaceChildren(...this.entries.map((entry) => this.row(entry)));
    if (!this.entries.length) {
      this.rows.append(h('tr', {}, h('td', { colspan: COLUMNS.length + 1, class: 'muted' }, 'No dead letters match.')));
    }
    this.more.hidden = !this.cursor;
    this.counted();
  }

  counted() {
    const more = this.cursor ? ' (more to load)' : '';
    this.count.textContent = `${this.entries.length} shown${more} · ${this.selected.size} selected`;
  }

  select(id, on) {
    if (on) this.selected.add(id);
    else this.selected.delete(id);
    this.counted();
  }

  selectAll(on) {
    this.entries.forEach((e) => this.select(e.id, on));
    this.render();
  }

  async inspect(id) {
    this.open = id;
    this.rows.querySelectorAll('tr').forEach((tr) => tr.classList.toggle('open', tr.dataset.id === id));
    try {
      this.detail.replaceChildren(this.details(await getJson(`/dlq/${encodeURIComponent(id)}`)));
      this.detail.scrollIntoView({ behavior: 'smooth', block: 'start' });
    } catch (e) {
      this.detail.replaceChildren(error(`Cannot read dead letter ${id}: ${e.message}`));
    }
  }

  /** One entry in full, its payload as the server keeps it (what was redacted stays redacted). */
  details(entry) {
    const json = entry.payload !== undefined;
    const replayThis = () => {
      this.selected = new Set([entry.id]);
      this.render();
      this.replay();
    };
    const close = () => {
      this.open = null;
      this.render();
      this.detail.replaceChildren();
    };
    return h('div', { class: 'card detail' },
      h('div', { class: 'toolbar' }, h('h3', {}, 'Dead letter ', h('code', {}, entry.id)), h('span', { class: 'spacer' }),
        h('button', { type: 'button', onclick: replayThis }, 'Replay this…'),
        h('button', { type: 'button', onclick: close }, 'Close')),
      facts([
        ['Time', fmt.time(entry.time)],
        ['Stage', entry.stage],
        ['Reason', badge(entry.reason)],
        ['Error', entry.error],
        ['Target', entry.target],
        ['Attempts', entry.attempts],
        ['First attempt', entry.firstAttemptAt && fmt.time(entry.firstAttemptAt)],
        ['Last attempt', entry.lastAttemptAt && fmt.time(entry.lastAttemptAt)],
        ['Event', eventType(entry)],
        ['Event id', entry.eventId],
        ['Conversation', entry.conversationId],
        ['File', `${entry.file}:${entry.line}`],
        ['Replay', replayStatus(entry) || 'not replayed'],
      ]),
      h('h4', {}, json ? 'Payload (as stored; redacted fields stay redacted)' : 'Payload (not JSON)'),
      h('pre', { class: 'payload' }, json ? JSON.stringify(entry.payload, null, 2) : entry.payloadText));
  }

  async replay() {
    const ids = this.entries.map((e) => e.id).filter((id) => this.selected.has(id));
    if (!ids.length) {
      this.result.replaceChildren(error('Select the dead letters to replay first.'));
      return;
    }
    const to = this.replayTo.value;
    const where = to === 'pipeline' ? 'the start of the pipeline (validated again, past dedup)'
      : `target ${to} (through its filter, retry policy and idempotency key)`;
    const question = `Send ${ids.length} dead letter${ids.length > 1 ? 's' : ''} to ${where}?`;
    if (!(await confirmAction('Replay dead letters', question, 'Replay'))) return;
    try {
      this.result.replaceChildren(outcome(await postJson('/dlq/replay', { ids, to })));
      setTimeout(() => this.search(), 1500);
    } catch (e) {
      this.result.replaceChildren(error(`Replay failed: ${e.message}`));
    }
  }
}

/** POST /dlq/replay's answer: accepted ids, rejected ones with why. */
function outcome(answer) {
  const accepted = answer.accepted.map((id) => h('li', {}, badge('accepted'), ' ', h('code', {}, id)));
  const rejected = answer.rejected.map((r) => h('li', {}, badge('rejected'), ' ', h('code', {}, r.id), ` ${r.error}`));
  return h('div', { class: 'card result', role: 'status', 'data-testid': 'replay-result' },
    h('h3', {}, `Replay to ${answer.to}: ${answer.accepted.length} accepted, ${answer.rejected.length} rejected`),
    h('ul', {}, accepted, rejected),
    h('p', { class: 'hint' }, 'Accepted means sent on its way; the Replay column shows the outcome once the target '
      + 'reports it.'));
}
