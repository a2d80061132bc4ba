// The cluster as this node sees it: /ready's `cluster` (members, the shards it owns, rebalancing).
import { h, card, badge, facts, fmt } from './dom.js';

function chips(items) {
  if (!items?.length) return h('div', { class: 'chips' }, h('span', { class: 'muted' }, 'none'));
  return h('div', { class: 'chips' }, [...items].sort((a, b) => a - b).map((i) => h('span', { class: 'chip shard' }, i)));
}

function member(c, name) {
  const crashed = (c.crashedSinceStart ?? []).includes(name) ? ' · crashed before' : '';
  const self = name === c.node;
  return h('span', { class: `chip ${self ? 'self' : ''}` }, name, self ? ' (this node)' : '', crashed);
}

export class ClusterView {
  constructor(section) {
    this.body = h('div');
    section.append(h('h2', {}, 'Cluster'), this.body);
  }

  /** @param ready the body of GET /ready */
  update(ready) {
    const c = ready.cluster;
    if (!c) {
      const alone = 'This node runs alone: clustering is off (cluster.* in the config; README, "Running a cluster").';
      this.body.replaceChildren(h('p', { class: 'card muted' }, alone));
    } else if (c.error) {
      this.body.replaceChildren(h('p', { class: 'error' }, `The cluster stage did not answer: ${c.error}`));
    } else {
      this.body.replaceChildren(
        card('Members', h('div', { class: 'chips' }, (c.members ?? []).map((name) => member(c, name))), facts([
          ['This node', c.node],
          ['Rebalancing', badge(c.rebalancing ? 'REBALANCING' : 'STABLE')],
          ['Joined the cluster', c.joined ? 'yes' : 'not yet'],
          ['View epoch', c.epoch],
          ['Last view change', c.lastViewChangeAt ? fmt.time(c.lastViewChangeAt) : null],
        ])),
        card(`Shards this node owns (${(c.owned ?? []).length})`, chips(c.owned),
          h('h3', {}, 'Awaiting handover'), chips(c.awaitingHandover),
          h('h3', {}, 'Handing over'), chips(c.handingOver)));
    }
  }
}
