// Drives the Switchboard console in a real headless Chromium (the system's, through playwright-core), as
// ConsoleBrowserIT's browser half: every step waits for what a person would see, and any failed check, page error
// or console error ends the run with a non-zero exit. Prints `RESULT name=value` lines for the Java side.
//
// Environment: BASE_URL (the console's listener), ADMIN_KEY, CHROMIUM (executable), DRIVER_HOME (where
// playwright-core is installed), SHOTS (screenshot directory), FAILING_TARGET, HEALTHY_TARGET, CONVERSATION_ID,
// CONVERSATION_STATE (what GET /conversations/{id} answered).
import { createRequire } from 'node:module';
import { strict as assert } from 'node:assert';
import { join } from 'node:path';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const { chromium } = createRequire(join(env('DRIVER_HOME'), 'package.json'))('playwright-core');
const shots = env('SHOTS');
const numberIn = async (locator) => Number((await locator.textContent()).replace(/[^0-9.]/g, ''));
const step = (what) => console.log(`step: ${what}`);

const browser = await chromium.launch({
  executablePath: env('CHROMIUM'),
  // No background traffic: this machine reaches nothing but loopback.
  args: [
    '--disable-gpu',
    '--disable-quic',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});
const problems = [];
const problem = (text) => {
  console.log(text);
  problems.push(text);
};
const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
try {
  page.setDefaultTimeout(20_000);
  page.on('pageerror', (e) => problem(`page error: ${e.message}`));
  page.on('console', (m) => {
    // 401s are the console asking for the key, by design; anything else is a fault.
    if (m.type() === 'error' && !m.text().includes('401')) problem(`console error: ${m.text()}`);
  });

  step('open the console; it asks for the admin key');
  await page.goto(`${env('BASE_URL')}/console/`);
  const keyField = page.getByLabel('Admin key');
  await keyField.waitFor();
  await page.screenshot({ path: join(shots, '0-admin-key.png') });
  await keyField.fill(env('ADMIN_KEY'));
  await page.getByRole('button', { name: 'Use key' }).click();

  step('live numbers change under load');
  const ingested = page.locator('[data-stat="ingested-total"]');
  await page.waitForFunction(() => /\d/.test(document.querySelector('[data-stat="ingested-total"]').textContent));
  const first = await numberIn(ingested);
  await page.waitForFunction(
    (before) =>
      Number(document.querySelector('[data-stat="ingested-total"]').textContent.replace(/[^0-9.]/g, '')) > before,
    first,
  );
  const second = await numberIn(ingested);
  assert.ok(second > first, `ingested total went from ${first} to ${second}`);
  // A few samples more, so that the charts have lines and the rates are not zero.
  await page.waitForFunction(() => document.querySelectorAll('svg.chart path').length >= 2);
  await page.waitForFunction(() => Number(document.querySelector('[data-stat="ingested-rate"]').textContent) > 0);
  await page.waitForTimeout(6_000);
  console.log(`RESULT ingestedFirst=${first}`);
  console.log(`RESULT ingestedSecond=${second}`);
  await page.screenshot({ path: join(shots, '1-flow.png'), fullPage: true });

  step('target health: the failing target says so, with its error');
  await page.getByRole('link', { name: 'Targets' }).click();
  const failing = page.locator(`.target[data-target="${env('FAILING_TARGET')}"]`);
  await failing.locator('.badge.failing, .badge.retrying').waitFor();
  await failing.getByText('Last error').waitFor();
  await page.locator(`.target[data-target="${env('HEALTHY_TARGET')}"] .badge.up`).waitFor();
  await page.screenshot({ path: join(shots, '2-targets.png'), fullPage: true });

  step('dead letters: filter by the failing target, open one');
  await page.getByRole('link', { name: 'Dead letters' }).click();
  const filters = page.locator('form.filters');
  await filters.getByLabel('Target').selectOption(env('FAILING_TARGET'));
  await filters.getByLabel('Replayed').selectOption('false');
  await filters.getByRole('button', { name: 'Search' }).click();
  const row = page.locator('table.dlq tbody tr[data-id]').first();
  await row.waitFor();
  const id = await row.getAttribute('data-id');
  await row.locator('td').nth(2).click();
  const detail = page.locator('#dlq-detail');
  await detail.getByText(id).waitFor();
  await detail.locator('pre.payload').waitFor();
  assert.match(await detail.locator('pre.payload').textContent(), /"detail-type"/, 'the payload is shown');
  await page.screenshot({ path: join(shots, '3-dlq-entry.png'), fullPage: true });

  step('replay it to the healthy target, after the confirmation');
  await page.getByRole('checkbox', { name: `Select ${id}` }).check();
  await page.getByLabel('Replay to').selectOption(env('HEALTHY_TARGET'));
  await page.getByRole('button', { name: 'Replay selected…' }).click();
  const confirm = page.locator('dialog.modal');
  await confirm.getByText(`Send 1 dead letter to target ${env('HEALTHY_TARGET')}`).waitFor();
  await page.screenshot({ path: join(shots, '4-dlq-confirm.png') });
  await confirm.getByRole('button', { name: 'Replay' }).click();
  const result = page.locator('[data-testid="replay-result"]');
  await result.getByText('1 accepted, 0 rejected').waitFor();
  assert.ok((await result.textContent()).includes(id), 'the result names the replayed entry');
  console.log(`RESULT replayed=${id}`);
  // The target reports the outcome: the Replay column shows it once the list is read again.
  await filters.getByLabel('Replayed').selectOption('true');
  const replayed = page.locator(`table.dlq tbody tr[data-id="${id}"] .replay.delivered`);
  for (let i = 0; i < 20 && !(await replayed.count()); i++) {
    await filters.getByRole('button', { name: 'Search' }).click();
    await page.waitForTimeout(500);
  }
  await replayed.waitFor();
  await page.screenshot({ path: join(shots, '5-dlq-replayed.png'), fullPage: true });

  step('look up a conversation');
  await page.getByRole('link', { name: 'Conversation' }).click();
  await page.locator('#view-conversation').getByLabel('Conversation id').fill(env('CONVERSATION_ID'));
  await page.getByRole('button', { name: 'Look up' }).click();
  const state = page.locator('[data-stat="conversation-state"]');
  await state.waitFor();
  assert.equal((await state.textContent()).trim(), env('CONVERSATION_STATE'));
  await page.locator('ol.timeline li').first().waitFor();
  await page.getByText('Deliveries per target').waitFor();
  await page.screenshot({ path: join(shots, '6-conversation.png'), fullPage: true });

  step('cluster view');
  await page.getByRole('link', { name: 'Cluster' }).click();
  await page.getByText('This node runs alone').waitFor();
  await page.screenshot({ path: join(shots, '7-cluster.png') });
  // How a member of a cluster shows it: this node's /ready with a `cluster` part added in the browser (what a
  // clustered node reports is ClusterIT's business; this checks the page renders it).
  await page.route('**/ready', async (route) => {
    const response = await route.fetch();
    const body = await response.json();
    body.cluster = {
      node: 'node-1',
      epoch: 7,
      members: ['node-1', 'node-2', 'node-3'],
      joined: true,
      owned: [0, 3, 6, 9, 12, 15],
      awaitingHandover: [4],
      handingOver: [],
      rebalancing: true,
      crashedSinceStart: ['node-3'],
      lastViewChangeAt: new Date().toISOString(),
    };
    await route.fulfill({ response, json: body });
  });
  await page.locator('.chip.self').getByText('node-1').waitFor();
  await page.locator('.badge.rebalancing').waitFor();
  await page.screenshot({ path: join(shots, '8-cluster-members.png') });

  assert.deepEqual(problems, [], 'the page logged errors');
  step('done');
} catch (e) {
  await page.screenshot({ path: join(shots, 'failed.png'), fullPage: true });
  throw e;
} finally {
  await browser.close();
}
