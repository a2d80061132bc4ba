// Target health, the lateness bounds and the sources, as /ready reports them.
import { h, card, table, badge, facts, fmt } from './dom.js';

/** One target instance: UP / RETRYING / FAILING, its queue, and its last error while it fails. */
function targetCard(t) {
  const status = String(t.status).toLowerCase();
  const waiting = t.waitingForRetry ? `, ${fmt.count(t.waitingForRetry)} waiting to retry` : '';
  return h('div', { class: `card target ${status}`, 'data-target': t.target },
    h('div', { class: 'target-head' }, h('h3', {}, t.target, h('span', { class: 'muted' }, ` #${t.instance}`)),
      badge(t.status)),
    facts([
      ['Queued', `${fmt.count(t.queued)}${waiting}`],
      ['In flight', fmt.count(t.inFlight)],
      ['Parked', t.overflow ? fmt.count(t.overflow) : null],
      ['Failing for', t.failingForMs != null ? fmt.ms(t.failingForMs) : null],
      ['Last success', t.lastSuccessAgoMs != null ? `${fmt.ms(t.lastSuccessAgoMs)} ago` : 'none yet'],
      ['Last error', t.lastError ?? t.error],
    ]));
}

export class TargetsView {
  constructor(section) {
    this.body = h('div');
    section.append(h('h2', {}, 'Targets ', h('span', { class: 'muted small' }, 'from /ready, refreshed every 2 s')),
      this.body);
  }

  /** @param ready the body of GET /ready */
  update(ready) {
    const targets = ready.targets ?? [];
    const reorder = ready.reorder ?? {};
    const bounds = Object.entries(reorder.latenessMs ?? {}).map(([source, ms]) => `${source}: ${fmt.ms(ms)}`);
    const sources = ['kafka', 'genesys'].flatMap((group) => ready[group] ?? []);
    const pipeline = card('Pipeline', facts([
      ['Status', badge(ready.status)],
      ['In flight', `${fmt.count(ready.inFlight)} of ${fmt.count(ready.maxInFlight)}`],
      ['Journal', ready.journal ? `${ready.journal.state}${ready.journal.full ? ', full' : ''}` : null],
      ['Reorder', reorder.release ? `release ${reorder.release}, lateness ${reorder.lateness}` : null],
      ['Lateness bound L', bounds.join(', ') || 'no source has sent events yet'],
    ]));
    const sourceRows = sources.map((s) => [s.source ?? s.id ?? '?', badge(s.state ?? '?'), s.lastError ?? s.error ?? '']);
    this.body.replaceChildren(
      h('div', { class: 'target-grid' },
        targets.length ? targets.map(targetCard) : h('p', { class: 'muted' }, 'No targets configured.')),
      pipeline,
      ...(sources.length ? [card('Sources', table(['Source', 'State', 'Last error'], sourceRows))] : []),
    );
  }
}
