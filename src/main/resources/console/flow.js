// Live flow: this node's counters from /console/api/flow, sampled every 2 s; rates are the difference of two samples.
import { getJson } from './api.js';
import { LineChart } from './chart.js';
import { h, card, table, tile, setStat, fmt, error } from './dom.js';

const PERIOD_MS = 2000;
const WINDOW_MS = 5 * 60_000; // the history kept and charted; a younger page charts what it has, 30 s at least
const STAGES = [
  ['ingested', 'Ingested'],
  ['accepted', 'Admitted'],
  ['released', 'Released by reorder'],
  ['delivered', 'Delivered (all targets)'],
  ['deadLettered', 'Dead-lettered'],
];
const TILES = [
  ['In, events/s', 'ingested-rate'],
  ['Deliveries/s', 'delivered-rate', 'all targets'],
  ['Dead-lettered, /s', 'deadlettered-rate'],
  ['Ingested in all', 'ingested-total'],
  ['In flight', 'in-flight', 'admitted, not yet settled'],
  ['Reorder buffer', 'reorder-buffered', 'events held'],
  ['Lateness bound', 'lateness-bound', 'largest L in force'],
  ['Late events', 'late-events', 'flagged or dead-lettered'],
  ['DLQ depth', 'dlq-depth', 'not yet replayed; counted every 10 s'],
  ['Open conversations', 'conversations-open'],
];

/** Events per second of `pick(sample)` between two samples. */
function rate(before, after, pick) {
  const seconds = (after.at - before.at) / 1000;
  return seconds > 0 ? Math.max(0, (pick(after) - pick(before)) / seconds) : 0;
}

export class FlowView {
  constructor(section) {
    this.section = section;
    this.samples = [];
    this.problem = h('div');
    this.stages = new LineChart('Events per second, by stage', '/s');
    this.targets = new LineChart('Delivered per second, by target', '/s');
    this.targetTable = h('div');
    this.sourceTable = h('div');
    section.append(
      h('h2', {}, 'Live flow ', h('span', { class: 'muted small' }, 'this node, refreshed every 2 s')),
      this.problem,
      h('div', { class: 'tiles' }, TILES.map(([label, stat, hint]) => tile(label, stat, hint))),
      h('div', { class: 'charts' }, this.stages.element, this.targets.element),
      card('Targets', this.targetTable),
      card('Ingest by source', this.sourceTable),
    );
  }

  start() {
    const tick = () => this.sample().finally(() => setTimeout(tick, PERIOD_MS));
    tick();
  }

  async sample() {
    try {
      const flow = await getJson('/console/api/flow');
      this.samples.push(flow);
      while (this.samples.length > 2 && this.samples[0].at < flow.at - WINDOW_MS - PERIOD_MS) this.samples.shift();
      this.problem.replaceChildren();
      this.render();
    } catch (e) {
      this.problem.replaceChildren(error(`Cannot read the flow: ${e.message}`));
    }
  }

  /** [[time, rate], ...] of `pick` over the samples kept. */
  series(pick) {
    return this.samples.slice(1).map((after, i) => [after.at, rate(this.samples[i], after, pick)]);
  }

  render() {
    const now = this.samples.at(-1);
    const before = this.samples.at(-2) ?? now;
    const perSecond = (pick) => fmt.rate(rate(before, now, pick));
    const bounds = Object.values(now.reorder.latenessBoundMs);
    const stats = {
      'ingested-rate': perSecond((f) => f.stages.ingested),
      'delivered-rate': perSecond((f) => f.stages.delivered),
      'deadlettered-rate': perSecond((f) => f.stages.deadLettered),
      'ingested-total': fmt.count(now.stages.ingested),
      'in-flight': fmt.count(now.inFlight),
      'reorder-buffered': fmt.count(now.reorder.buffered),
      'lateness-bound': bounds.length ? fmt.ms(Math.max(...bounds)) : '–',
      'late-events': fmt.count(now.reorder.lateFlagged + now.reorder.lateDeadLettered),
      'dlq-depth': fmt.count(now.deadLetters.depth),
      'conversations-open': fmt.count(now.conversationsOpen),
    };
    Object.entries(stats).forEach(([name, text]) => setStat(this.section, name, text));

    const span = Math.min(WINDOW_MS, Math.max(30_000, now.at - this.samples[0].at));
    this.stages.draw(STAGES.map(([key, name]) => ({ name, points: this.series((f) => f.stages[key]) })), now.at, span);
    const ids = Object.keys(now.targets);
    const delivered = ids.map((id) => ({ name: id, points: this.series((f) => f.targets[id]?.delivered ?? 0) }));
    this.targets.draw(delivered, now.at, span);

    const targetRate = (id, key) => perSecond((f) => f.targets[id]?.[key] ?? 0);
    const targetRows = ids.map((id) => {
      const t = now.targets[id];
      const row = [id, ...['delivered', 'retried', 'deadLettered', 'filtered'].map((key) => targetRate(id, key))];
      return h('tr', { 'data-target': id }, [...row, t.queued, t.inFlight, t.parked, fmt.count(t.delivered)]
        .map((cell, i) => h('td', { class: i ? 'num' : null }, typeof cell === 'number' ? fmt.count(cell) : cell)));
    });
    this.targetTable.replaceChildren(table(['Target', 'Delivered/s #', 'Retried/s #', 'Dead-lettered/s #',
      'Filtered/s #', 'Queued #', 'In flight #', 'Parked #', 'Delivered in all #'], targetRows));

    const sourceRows = Object.entries(now.ingested).flatMap(([source, outcomes]) =>
      Object.entries(outcomes).map(([outcome, count]) => [source, outcome.replaceAll('_', ' '),
        perSecond((f) => f.ingested[source]?.[outcome] ?? 0), fmt.count(count)]));
    this.sourceTable.replaceChildren(table(['Source', 'Outcome', 'Events/s #', 'In all #'], sourceRows));
  }
}
