// The console's shell: one view per hash (#flow, #targets, #dlq?filters, #conversation/<id>, #cluster), the /ready
// poll that feeds the header, Targets and Cluster, and the admin key control.
import { getJson, hasKey, forgetKey, enterKey } from './api.js';
import { h, error } from './dom.js';
import { FlowView } from './flow.js';
import { TargetsView } from './targets.js';
import { DlqView } from './dlq.js';
import { ConversationView } from './conversation.js';
import { ClusterView } from './cluster.js';

const READY_PERIOD_MS = 2000;
const section = (name) => document.getElementById(`view-${name}`);

async function main() {
  const keyButton = document.getElementById('forget-key');
  const showKey = () => {
    keyButton.hidden = false;
    keyButton.textContent = hasKey() ? 'Forget admin key' : 'Enter admin key';
  };
  keyButton.addEventListener('click', () => {
    if (hasKey()) {
      forgetKey();
      location.reload();
    } else {
      enterKey().then(showKey);
    }
  });
  document.addEventListener('adminkey', showKey);
  showKey();

  const flow = new FlowView(section('flow'));
  flow.start();
  let meta;
  try {
    meta = await getJson('/console/api/meta');
  } catch (e) {
    section('dlq').append(error(`Cannot read the console's settings: ${e.message}`));
    meta = { targets: [], reasons: [], stages: [] };
  }
  const views = {
    flow: { show() {} },
    targets: new TargetsView(section('targets')),
    dlq: new DlqView(section('dlq'), meta),
    conversation: new ConversationView(section('conversation')),
    cluster: new ClusterView(section('cluster')),
  };
  const route = () => {
    const [, name = 'flow', rest] = /^#?([a-z]*)[/?]?(.*)$/.exec(location.hash) ?? [];
    const current = views[name] ? name : 'flow';
    for (const view of Object.keys(views)) section(view).hidden = view !== current;
    for (const link of document.querySelectorAll('nav a'))
      link.classList.toggle('active', link.dataset.view === current);
    views[current].show?.(rest);
  };
  window.addEventListener('hashchange', route);
  route();
  pollReady([views.targets, views.cluster]);
}

/** /ready every 2 s (its 503 SATURATED body too): the header badge, then each view's `update`. */
function pollReady(views) {
  const badge = document.getElementById('ready');
  const node = document.getElementById('node');
  const tick = async () => {
    try {
      const ready = await getJson('/ready', [503]);
      badge.textContent = ready.status;
      badge.className = `badge ${ready.status.toLowerCase()}`;
      node.textContent = ready.cluster?.node ? `node ${ready.cluster.node}` : '';
      views.forEach((view) => view.update(ready));
    } catch (e) {
      badge.textContent = 'NO ANSWER';
      badge.className = 'badge failing';
      badge.title = e.message;
    }
    setTimeout(tick, READY_PERIOD_MS);
  };
  tick();
}

main();
