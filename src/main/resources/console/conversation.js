// Conversation lookup: GET /conversations/{id} (state, timeline, timings), and its dead letters per target.
import { getJson, withQuery } from './api.js';
import { h, card, table, badge, facts, fmt, error } from './dom.js';

const TIMINGS = [
  ['queueWaitMs', 'Queue wait'],
  ['talkMs', 'Talk'],
  ['acwMs', 'After-call work'],
  ['handleMs', 'Handle'],
  ['totalMs', 'Total'],
];

/** The last events, oldest first: time since the first shown, type, the state it left, and its flags. */
function timeline(events) {
  const first = events[0]?.eventTime;
  const item = (e) => h('li', { class: e.late || e.violation ? 'flagged' : null },
    h('span', { class: 'at', title: fmt.time(e.eventTime) }, `+${fmt.ms(e.eventTime - first)}`),
    h('span', { class: 'type' }, e.type),
    h('span', { class: 'arrow' }, '→'),
    badge(e.state),
    e.late ? badge('late') : null,
    e.outOfBand ? h('span', { class: 'chip' }, 'out of band') : null,
    e.violation ? badge(e.violation) : null,
    h('span', { class: 'muted small' }, fmt.time(e.eventTime)));
  return h('ol', { class: 'timeline' }, events.map(item));
}

/** Its dead letters counted per target (those of the stages before dispatch under their stage). */
function deliveries(id, page) {
  const counts = new Map();
  for (const entry of page.entries) {
    const key = entry.target ?? `(${entry.stage} stage)`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return card('Deliveries per target',
    h('p', { class: 'hint' }, 'Switchboard keeps no per-conversation delivery log: what it records per target is '
      + 'what failed, in the DLQ. A target not listed here has dead-lettered nothing of this conversation.'),
    counts.size ? table(['Target', 'Dead letters #'], [...counts])
      : h('p', {}, 'No dead letters: every event of it was delivered, filtered out or is still on its way.'),
    h('a', { href: `#dlq?conversationId=${encodeURIComponent(id)}` }, 'Show them in Dead letters'));
}

function summary(c) {
  const counters = c.counters ?? {};
  const list = (ids) => (ids ?? []).join(', ') || '–';
  return card(null,
    h('div', { class: 'target-head' }, h('h3', {}, h('code', {}, c.id)),
      h('span', { 'data-stat': 'conversation-state' }, badge(c.state))),
    facts([
      ['Stage', c.stage],
      ['Terminal', c.terminal ? 'yes' : 'no'],
      ['Joined mid-way', c.joinedMidway ? 'yes (state inferred)' : 'no'],
      ['Channels', list(c.channels)],
      ['Queues', list(c.queues)],
      ['Agents', list(c.agents)],
      ['Owner node', c.ownerNode],
      ['First event', fmt.time(c.firstEventTime)],
      ['Last event', fmt.time(c.lastEventTime)],
      ['Events', `${fmt.count(counters.events)} (late ${fmt.count(counters.late)}, out of band `
        + `${fmt.count(counters.outOfBand)}, rejected ${fmt.count(counters.rejected)})`],
    ]));
}

function participants(c) {
  const rows = (Array.isArray(c.participants) ? c.participants : [])
    .map((p) => [p.purpose, h('span', { class: 'id' }, p.userId ?? ''), h('span', { class: 'id' }, p.queueId ?? ''),
      (p.sessions ?? []).length]);
  return card('Participants', table(['Purpose', 'User', 'Queue', 'Sessions #'], rows));
}

export class ConversationView {
  constructor(section) {
    this.input = h('input', { name: 'id', type: 'search', placeholder: 'conversation id', 'aria-label': 'Conversation id',
      spellcheck: 'false', required: true });
    this.body = h('div');
    const lookup = (e) => {
      e.preventDefault();
      location.hash = `#conversation/${encodeURIComponent(this.input.value.trim())}`;
    };
    section.append(h('h2', {}, 'Conversation'),
      h('form', { class: 'card lookup', onsubmit: lookup }, this.input,
        h('button', { type: 'submit', class: 'primary' }, 'Look up')),
      this.body);
  }

  /** Shown with `#conversation/<id>` (URI-encoded): looks it up. */
  show(encoded) {
    if (!encoded) return;
    const id = decodeURIComponent(encoded);
    this.input.value = id;
    this.lookup(id);
  }

  async lookup(id) {
    this.body.replaceChildren(h('p', { class: 'muted' }, 'Looking up…'));
    let c;
    try {
      c = await getJson(`/conversations/${encodeURIComponent(id)}`);
    } catch (e) {
      const unknown = `No conversation ${id} is known here (never seen, or evicted).`;
      this.body.replaceChildren(error(e.status === 404 ? unknown : e.message));
      return;
    }
    const dead = await getJson(withQuery('/dlq', { conversationId: id, limit: 1000 })).then(
      (page) => deliveries(id, page),
      (e) => error(`Cannot read its dead letters: ${e.message}`));
    const timings = TIMINGS.map(([key, label]) => h('div', { class: 'tile' }, h('div', { class: 'label' }, label),
      h('div', { class: 'value' }, fmt.ms(c.timings?.[key]))));
    const events = c.lastEvents ?? [];
    this.body.replaceChildren(
      summary(c),
      h('div', { class: 'tiles' }, timings),
      h('div', { class: 'columns' },
        card(`Timeline (last ${events.length} events)`, timeline(events)),
        h('div', {}, dead, participants(c))));
  }
}
