// The web dashboard in a real headless Chromium (Debian's, driven by
// playwright-core) against the real firefighter-web and the real
// firefighterd with a temporary database, seeded through the `ff` CLI (real
// gRPC calls), and against a database of incidents spanning days written
// by --seed (dashboard_seed.cc). Writes screenshots of the overview, an
// incident, the insights, the follow-ups and the phone layout into
// --screenshots.
//
// Usage: node browser_test.js --firefighterd PATH --web PATH --ff PATH
//                             --seed PATH --chromium PATH --screenshots DIR
'use strict';

const assert = require('node:assert/strict');
const {spawn, execFileSync} = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const crypto = require('node:crypto');
const {chromium} = require('playwright-core');

const args = {};
for (let i = 2; i < process.argv.length; i += 2) {
  args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
}
for (const name of ['firefighterd', 'web', 'ff', 'seed', 'chromium', 'screenshots']) {
  if (!args[name]) throw new Error(`missing --${name}`);
}

const children = new Set();
process.on('exit', () => { for (const child of children) child.kill('SIGKILL'); });

// start runs `binary` and resolves with its address once it prints
// "<marker> HOST:PORT".
function start(binary, argv, marker) {
  const child = spawn(binary, argv, {stdio: ['ignore', 'pipe', 'pipe']});
  children.add(child);
  child.on('exit', () => children.delete(child));
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${binary} did not start: ${stderr}`)), 30000);
    child.on('exit', (code) => reject(new Error(`${binary} exited (${code}): ${stderr}`)));
    readline.createInterface({input: child.stdout}).on('line', (line) => {
      if (line.startsWith(marker)) {
        clearTimeout(timer);
        resolve({child, address: line.slice(marker.length).trim()});
      }
    });
  });
}

function stop(child, signal = 'SIGKILL') {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ff-web-browser-'));
const db = path.join(tmp, 'ff.db');
let core = null;  // {child, address}

function startCore(listen, database = db) {
  return start(args.firefighterd, ['--listen', listen, '--db', database],
    'firefighterd listening on ');
}

function startWeb(coreAddress) {
  return start(args.web, ['--listen', '127.0.0.1:0', '--server', coreAddress],
    'firefighter-web listening on ');
}

// ff runs the CLI against the core as `user`; returns its parsed JSON.
// `on` is another core and its bearer token.
function ff(user, ...argv) {
  return ffOn({address: core.address, token: ''}, user, ...argv);
}
function ffOn(on, user, ...argv) {
  const out = execFileSync(args.ff, ['--addr', on.address, '-o', 'json', ...argv],
    {env: {...process.env, FF_USER: user, FF_TOKEN: on.token}, encoding: 'utf8'});
  return out.trim() ? JSON.parse(out) : null;
}

// startSignedIn starts a core that checks bearer tokens and a dashboard
// that acts through its service token ("web") for the person the
// authenticating proxy names in X-Forwarded-Email; here the test is that
// proxy, on the trusted loopback source.
async function startSignedIn(database = 'signed.db') {
  const sha256 = (text) => crypto.createHash('sha256').update(text).digest('hex');
  const tokens = path.join(tmp, 'tokens');
  fs.writeFileSync(tokens, `${sha256('web-token')} web responder service\n` +
    `${sha256('tester-token')} tester admin\n`);
  fs.writeFileSync(path.join(tmp, 'web-token'), 'web-token\n');
  const signedCore = await start(args.firefighterd, ['--listen', '127.0.0.1:0', '--db',
    path.join(tmp, database), '--auth-tokens', tokens], 'firefighterd listening on ');
  const signedWeb = await start(args.web, ['--listen', '127.0.0.1:0', '--server',
    signedCore.address, '--token-file', path.join(tmp, 'web-token'), '--auth-proxy-header',
    'X-Forwarded-Email', '--trusted-proxy', '127.0.0.1'], 'firefighter-web listening on ');
  return {core: signedCore, web: signedWeb, ff: {address: signedCore.address, token: 'tester-token'}};
}

function open(user, title, domain, severity, description = '') {
  const incident = ff(user, 'open', '--title', title, '--domain', domain, '--severity', severity,
    '--description', description);
  return Number(incident.id);
}

function seed() {
  const checkout = open('alice', 'Checkout returns 502 for card payments', 'payment', 'sev1',
    'Every POST /pay fails since 14:02 UTC. Card payments only; PayPal is fine.');
  ff('alice', 'update', checkout, '--status', 'investigating', '--commander', 'alice',
    '--ops-lead', 'bob', '--comms-lead', 'carol');
  ff('bob', 'note', checkout, 'Errors started with release 2024.11.3');
  ff('carol', 'note', checkout, 'Status page updated: degraded checkout');

  const search = open('dave', 'Search results empty for non-English queries', 'search', 'sev2');
  ff('dave', 'update', search, '--status', 'fixing', '--commander', 'dave',
    '--message', 'analyzer config lost in the last deploy');
  const images = open('erin', 'Product images load slowly in the EU', 'main-website', 'sev3');
  const invoices = open('frank', 'Invoice export times out for large accounts', 'backoffice',
    'sev4');
  ff('frank', 'update', invoices, '--status', 'fixed', '--commander', 'frank');

  const refunds = open('alice', 'Refund webhooks delayed', 'payment', 'sev2');
  ff('alice', 'update', refunds, '--status', 'fixed', '--commander', 'alice');
  ff('alice', 'update', refunds, '--status', 'postmortem');
  ff('alice', 'close', refunds, '--message', 'postmortem meeting held');
  const typo = open('erin', 'Typo on the pricing page', 'main-website', 'sev5');
  ff('erin', 'update', typo, '--status', 'fixed');
  ff('erin', 'close', typo);
  const duplicate = open('bob', 'Indexer lag alert', 'search', 'sev3');
  ff('bob', 'close', duplicate, '--reason', 'duplicate');
  return {checkout, search, images, invoices, refunds};
}

const results = [];
async function check(name, page, body) {
  try {
    await body();
    results.push(name);
    console.log(`ok - ${name}`);
  } catch (error) {
    const shot = path.join(args.screenshots, `failed-${results.length + 1}.png`);
    await page.screenshot({path: shot, fullPage: true}).catch(() => {});
    console.log(`not ok - ${name} (screenshot: ${shot})`);
    throw error;
  }
}

async function main() {
  fs.mkdirSync(args.screenshots, {recursive: true});
  core = await startCore('127.0.0.1:0');
  const ids = seed();
  const web = await startWeb(core.address);
  const base = `http://${web.address}`;

  const browser = await chromium.launch({
    executablePath: args.chromium,
    // Chromium refuses to run as root with its sandbox (CI runs as root).
    args: process.getuid() === 0 ? ['--no-sandbox'] : [],
  });
  const context = await browser.newContext({
    viewport: {width: 1280, height: 820}, locale: 'en-GB', timezoneId: 'UTC',
    colorScheme: 'light', deviceScaleFactor: 1,
  });
  const page = await context.newPage();

  await check('the overview lists the seeded incidents, active first', page, async () => {
    await page.goto(base + '/');
    await page.locator('#active li[data-id]').nth(3).waitFor();
    assert.equal(await page.locator('#active li[data-id]').count(), 4);
    assert.equal(await page.locator('#closed li[data-id]').count(), 3);
    // Triage order: the open SEV3 nobody commands first, then by severity.
    assert.deepEqual(await page.locator('#active li[data-id]').evaluateAll(
      (items) => items.map((item) => item.dataset.id)),
    [ids.images, ids.checkout, ids.search, ids.invoices].map(String));
    assert.equal(await page.locator('#active li[data-id]').first().locator('.commander')
      .innerText(), 'No commander');
    const checkout = page.locator(`#active li[data-id="${ids.checkout}"]`);
    assert.equal(await checkout.locator('.sev').innerText(), 'SEV1');
    assert.equal(await checkout.locator('.status').innerText(), 'Investigating');
    assert.equal(await checkout.locator('.domain').innerText(), 'payment');
    assert.equal(await checkout.locator('.commander').innerText(), 'IC alice');
    for (const title of ['Search results empty for non-English queries', 'Refund webhooks delayed',
      'Typo on the pricing page']) {
      await page.getByText(title, {exact: true}).waitFor();
    }
    await page.locator('#live[data-state="live"]').waitFor();
    await page.screenshot({path: path.join(args.screenshots, 'web-overview.png')});
  });

  await check('durations tick without reload', page, async () => {
    const cell = page.locator(`#active li[data-id="${ids.checkout}"] .duration`);
    const before = await cell.innerText();
    await page.waitForFunction(([selector, text]) =>
      document.querySelector(selector).textContent !== text,
    [`#active li[data-id="${ids.checkout}"] .duration`, before], {timeout: 5000});
  });

  await check('filters narrow the list and live in the URL', page, async () => {
    await page.selectOption('#filter-severity', 'sev1');
    // Each step waits for the list it expects, not just a count: a render
    // for the previous filter may still land in between.
    const only = (list, id) => page.waitForFunction(([list, id]) => {
      const items = document.querySelectorAll('li[data-id]');
      return items.length === 1 && items[0].dataset.id === id && items[0].closest(list) !== null;
    }, [list, String(id)]);
    await only('#active', ids.checkout);
    assert.equal(await page.locator('#closed li[data-id]').count(), 0);
    assert.match(page.url(), /severity=sev1/);
    await page.selectOption('#filter-severity', '');
    await page.fill('#filter-q', 'refund');
    await only('#closed', ids.refunds);
    await page.fill('#filter-q', '');
    await page.selectOption('#filter-domain', 'search');
    await page.selectOption('#filter-status', 'fixing');
    await only('#active', ids.search);
    await page.goto(base + '/?severity=sev1');  // a shared link restores the filter
    await only('#active', ids.checkout);
    assert.equal(await page.inputValue('#filter-severity'), 'sev1');
  });

  await check('a new incident opened through gRPC appears on the overview within 2 s', page,
    async () => {
      await page.goto(base + '/');
      await page.locator('#active li[data-id]').nth(3).waitFor();
      const id = open('grace', 'Login page shows a blank screen', 'main-website', 'sev2');
      await page.locator(`#active li[data-id="${id}"]`).waitFor({timeout: 2000});
      ff('grace', 'close', id, '--reason', 'mistake');
    });

  await check('the incident page shows fields, roles, links, time per status and timeline',
    page, async () => {
      await page.goto(base + '/');
      await page.locator(`#active li[data-id="${ids.checkout}"] a`).click();
      await page.waitForURL(`${base}/incidents/${ids.checkout}`);
      await page.locator('#content:not([hidden])').waitFor();
      assert.equal(await page.locator('#inc-title').innerText(),
        'Checkout returns 502 for card payments');
      assert.equal(await page.locator('#inc-meta .sev').innerText(), 'SEV1');
      const timeline = page.locator('#timeline');
      await timeline.getByText('Errors started with release 2024.11.3').waitFor();
      await timeline.getByText('Status page updated: degraded checkout').waitFor();
      await timeline.getByText('status OPEN → INVESTIGATING').waitFor();
      assert.equal(await page.locator('#steps li.current .name').innerText(), 'Investigating');
      assert.equal(await page.locator('#steps li').count(), 6);
      const roles = await page.locator('#roles').innerText();
      assert.match(roles, /Incident commander\s+alice/);
      assert.match(roles, /Communication lead\s+carol/);
      assert.match(roles, /Operations lead\s+bob/);
      assert.match(await page.locator('#links').innerText(), /Slack channel\s+—/);
      assert.match(await page.locator('#description').innerText(), /Every POST \/pay fails/);
      await page.screenshot({path: path.join(args.screenshots, 'web-incident.png'),
        fullPage: true});
    });

  await check('a change made through gRPC appears on the open page within 2 s, no reload',
    page, async () => {
      await page.evaluate(() => { window.stillTheSamePage = true; });
      ff('bob', 'note', ids.checkout, 'Rolling back to 2024.11.2');
      await page.locator('#timeline').getByText('Rolling back to 2024.11.2')
        .waitFor({timeout: 2000});
      ff('alice', 'update', ids.checkout, '--status', 'fixing', '--message', 'bad release');
      await page.locator('#inc-meta .status', {hasText: 'Fixing'}).waitFor({timeout: 2000});
      await page.locator('#steps li.current', {hasText: 'Fixing'}).waitFor({timeout: 2000});
      assert.equal(await page.evaluate(() => window.stillTheSamePage), true);
    });

  await check('an unknown incident is a 404 page', page, async () => {
    for (const address of ['/incidents/9999', '/incidents/not-a-number', '/no-such-page']) {
      const response = await page.goto(base + address);
      assert.equal(response.status(), 404, address);
      assert.equal(await page.locator('h1').innerText(), 'Not found');
      await page.getByRole('link', {name: 'See all incidents'}).waitFor();
    }
  });

  await check('insights chart incidents per week and time to fix', page, async () => {
    await page.goto(base + '/insights');
    await page.locator('#weekly-chart svg rect').first().waitFor();
    const rows = await page.locator('#weekly-table tbody tr').count();
    assert.equal(rows, 12);
    const lastWeek = await page.locator('#weekly-table tbody tr').last().innerText();
    assert.match(lastWeek, /\t1\t3\t2\t1\t1\t8$/);  // SEV1..SEV5 and the total, all this week
    await page.selectOption('#preset', '4');
    await page.waitForFunction(() =>
      document.querySelectorAll('#weekly-table tbody tr').length === 4);
    assert.match(await page.locator('#fix-table').innerText(), /SEV4\s+1\s+1/);
    await page.screenshot({path: path.join(args.screenshots, 'web-insights.png'),
      fullPage: true});
  });

  await check('on a phone the overview fits the screen', page, async () => {
    const phone = await browser.newContext({
      viewport: {width: 390, height: 844}, locale: 'en-GB', timezoneId: 'UTC',
      colorScheme: 'light', isMobile: true, hasTouch: true, deviceScaleFactor: 2,
    });
    const small = await phone.newPage();
    await small.goto(base + '/');
    await small.locator('#active li[data-id]').nth(3).waitFor();
    assert.equal(await small.evaluate(() =>
      document.documentElement.scrollWidth <= window.innerWidth), true);
    await small.screenshot({path: path.join(args.screenshots, 'web-phone.png')});
    await phone.close();
  });

  await check('words the server sends label the pages: close reasons, filter choices', page,
    async () => {
      const id = open('heidi', 'Synthetic check flapped', 'search', '4');
      ff('heidi', 'close', id, '--reason', 'not_an_incident');
      await page.goto(`${base}/incidents/${id}`);
      await page.locator('#content:not([hidden])').waitFor();
      assert.match(await page.locator('#details').innerText(), /Close reason\s+Not an incident/);
      await page.goto(base + '/');
      assert.deepEqual(await page.locator('#filter-severity option').allInnerTexts(),
        ['Any severity', 'SEV1 critical', 'SEV2 major', 'SEV3 minor', 'SEV4 minor', 'SEV5 cosmetic',
          'SEV1 and SEV2']);
      assert.deepEqual(await page.locator('#filter-status option').allInnerTexts(),
        ['Any status', 'Not closed', 'Open', 'Investigating', 'Fixing', 'Fixed', 'Postmortem',
          'Closed']);
      const notClosed = 'open,investigating,fixing,fixed,postmortem';
      await page.goto(`${base}/?status=${notClosed}`);  // the link the old page made
      assert.equal(await page.inputValue('#filter-status'), notClosed);
    });

  await check('triage order: an open SEV2 nobody commands before a fixed SEV1 and SEV2s in ' +
    'postmortem; chips name and colour the phase', page, async () => {
    const fixedSev1 = open('alice', 'Triage: cache serves stale prices', 'payment', 'sev1');
    ff('alice', 'update', fixedSev1, '--status', 'fixed', '--commander', 'alice');
    const postmortems = ['Triage: refunds doubled', 'Triage: refunds delayed'].map((title) => {
      const id = open('bob', title, 'payment', 'sev2');
      ff('bob', 'update', id, '--status', 'fixed', '--commander', 'bob');
      ff('bob', 'update', id, '--status', 'postmortem');
      return id;
    });
    const unattended = open('carol', 'Triage: payouts stuck', 'payment', 'sev2');

    await page.goto(base + '/?q=triage');
    const rows = page.locator('#active li[data-id]');
    await page.waitForFunction(() => document.querySelectorAll('#active li[data-id]').length === 4);
    assert.deepEqual(await rows.evaluateAll((items) => items.map((item) => item.dataset.id)),
      [unattended, fixedSev1, postmortems[1], postmortems[0]].map(String));

    const chip = (id) => page.locator(`#active li[data-id="${id}"] .status`);
    const expected = [[unattended, 'Open', 'status-open', 'phase-responding'],
      [fixedSev1, 'Fixed', 'status-fixed', 'phase-resolved'],
      [postmortems[0], 'Postmortem', 'status-postmortem', 'phase-resolved']];
    for (const [id, text, statusClass, phaseClass] of expected) {
      assert.equal(await chip(id).innerText(), text);
      assert.deepEqual(await chip(id).evaluate((node) => [...node.classList]),
        ['status', statusClass, phaseClass]);
    }
    const background = (id) => chip(id).evaluate((node) => getComputedStyle(node).backgroundColor);
    assert.notEqual(await background(unattended), await background(fixedSev1));
    assert.equal(await background(fixedSev1), await background(postmortems[0]));

    // The duration stops at FIXED; the running one counts.
    assert.match(await page.locator(`li[data-id="${fixedSev1}"] .duration`).innerText(),
      /^fixed after \d+s$/);
    assert.equal(await page.locator(`li[data-id="${unattended}"] .duration`)
      .getAttribute('data-since') !== null, true);

    // Last update: how long ago, the exact time in <time datetime>.
    const {body} = await page.evaluate(async (id) => ({
      body: await (await fetch(`/api/incidents/${id}`)).json()}), unattended);
    const updated = page.locator(`li[data-id="${unattended}"] .updated time`);
    assert.equal(await updated.getAttribute('datetime'), body.incident.updated_at);
    assert.match(await updated.innerText(), /^(just now|\d+ min ago)$/);
    assert.notEqual(await updated.getAttribute('title'), '');
  });

  await check('a five-day incident: day headings, folded delivery notices, the channel by ' +
    'name, durations stopped when fixed', page, async () => {
    const seeded = path.join(tmp, 'seeded.db');
    execFileSync(args.seed, [seeded]);
    const seededCore = await startCore('127.0.0.1:0', seeded);
    const seededWeb = await startWeb(seededCore.address);
    const seededBase = `http://${seededWeb.address}`;

    await page.goto(seededBase + '/');
    await page.locator('#closed li[data-id="1"]').waitFor();
    assert.equal(await page.locator('#closed li[data-id="1"] .duration').innerText(),
      'fixed after 2d 2h');
    assert.equal(await page.locator('#active li[data-id="2"] .duration').innerText(),
      'fixed after 2h 14m');
    assert.equal(await page.locator('#active li[data-id="2"] .status').innerText(), 'Postmortem');

    await page.goto(seededBase + '/incidents/1');
    await page.locator('#content:not([hidden])').waitFor();
    assert.equal(await page.locator('#inc-meta .lasted').innerText(), 'Fixed after 2d 2h');
    const days = page.locator('#timeline li.day time');
    assert.deepEqual(
      await days.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('datetime'))),
      ['2025-03-07', '2025-03-06', '2025-03-05', '2025-03-04', '2025-03-03']);
    assert.match(await days.first().innerText(), /^Fri,? 7 Mar 2025$/);
    assert.match(await days.last().innerText(), /^Mon,? 3 Mar 2025$/);

    // Monday's three notices are one line that opens; single ones stay lines.
    const folded = page.locator('#timeline details');
    assert.equal(await folded.count(), 1);
    assert.equal(await folded.locator('summary').innerText(),
      '3 delivery notices (datadog, slack)');
    const datadog = page.getByText('Datadog notebook: https://app.datadoghq.com/notebook/42');
    assert.equal(await datadog.isVisible(), false);
    await folded.locator('summary').click();
    await datadog.waitFor();
    await page.getByText('Participants added: bob@example.com').waitFor();
    assert.equal(await page.getByText('Slack #inc-1-ledger-drift: invited 1 person').isVisible(),
      true);
    assert.equal(await page.locator('#timeline > li[data-kind="notices"]').count(), 1);

    const links = await page.locator('#links').innerText();
    assert.match(links, /Slack channel\s+#inc-1-ledger-drift/);
    assert.doesNotMatch(links, /C0INC168/);
    await page.screenshot({path: path.join(args.screenshots, 'web-timeline.png'), fullPage: true});
    await stop(seededWeb.child, 'SIGTERM');
    await stop(seededCore.child, 'SIGTERM');
  });

  await check('without a signed-in person the pages say why and offer no action', page,
    async () => {
      await page.goto(`${base}/incidents/${ids.checkout}`);
      await page.locator('#content:not([hidden])').waitFor();
      await page.locator('.acts .why', {hasText: 'nobody is signed in'}).waitFor();
      assert.equal(await page.locator('#note-text').isDisabled(), true);
      assert.equal(await page.getByRole('button', {name: 'Update'}).isDisabled(), true);
      assert.equal(await page.locator('#who').innerText(), 'Read only');
      await page.goto(base + '/');
      await page.locator('#declare summary').click();
      await page.locator('#declare .why', {hasText: 'nobody is signed in'}).waitFor();
      assert.equal(await page.locator('#declare-title').isDisabled(), true);
    });

  await check('signed in: declare, update, take command, note and a refused move, each seen ' +
    'live on another open page', page, async () => {
    const signed = await startSignedIn();
    const signedBase = `http://${signed.web.address}`;
    const as = async (email) => (await browser.newContext({
      viewport: {width: 1280, height: 900}, locale: 'en-GB', timezoneId: 'UTC',
      colorScheme: 'light', deviceScaleFactor: 1,
      extraHTTPHeaders: {'X-Forwarded-Email': email}})).newPage();
    const alice = await as('alice@example.com');
    const bob = await as('bob@example.com');

    await alice.goto(signedBase + '/');
    await alice.locator('#who', {hasText: 'Signed in as alice@example.com'}).waitFor();
    await alice.locator('#declare summary').click();
    await alice.fill('#declare-title', 'Payouts stuck since 09:00');
    await alice.selectOption('#declare-domain', 'payment');
    assert.equal(await alice.locator('#declare-severity option[value="sev2"]').innerText(),
      'SEV2 — major, impacting customers');
    await alice.selectOption('#declare-severity', 'sev2');
    await alice.fill('#declare-description', 'No payout batch has left since 09:00.');
    await alice.getByRole('button', {name: 'Declare'}).click();
    await alice.waitForURL(/\/incidents\/\d+$/);
    const id = Number(alice.url().split('/').pop());
    const declared = ffOn(signed.ff, 'tester', 'info', id);
    assert.equal(declared.reporter, 'alice@example.com');
    assert.equal(declared.title, 'Payouts stuck since 09:00');

    await bob.goto(`${signedBase}/incidents/${id}`);
    await bob.locator('#content:not([hidden])').waitFor();
    await bob.evaluate(() => { window.stillTheSamePage = true; });
    await alice.locator('#content:not([hidden])').waitFor();

    await alice.selectOption('#update-status', 'investigating');
    await alice.fill('#update-commander', 'alice@example.com');
    await alice.getByRole('button', {name: 'Update'}).click();
    await bob.locator('#inc-meta .status', {hasText: 'Investigating'}).waitFor({timeout: 3000});
    await bob.locator('#inc-meta', {hasText: 'Commander alice@example.com'}).waitFor();
    await bob.locator('#timeline .actor', {hasText: 'alice@example.com via web'}).first().waitFor();

    await bob.getByRole('button', {name: 'Take command'}).click();
    await alice.locator('#inc-meta', {hasText: 'Commander bob@example.com'})
      .waitFor({timeout: 3000});
    assert.equal(ffOn(signed.ff, 'tester', 'info', id).roles.commander, 'bob@example.com');

    await alice.fill('#note-text', 'Payout provider confirms an outage');
    await alice.getByRole('button', {name: 'Add note'}).click();
    const note = bob.locator('#timeline li', {hasText: 'Payout provider confirms an outage'});
    await note.waitFor({timeout: 3000});
    assert.equal(await note.locator('.actor').innerText(), 'alice@example.com via web');

    await alice.selectOption('#update-status', 'fixing');
    await alice.getByRole('button', {name: 'Update'}).click();
    await bob.locator('#inc-meta .status', {hasText: 'Fixing'}).waitFor({timeout: 3000});
    await alice.locator('#inc-meta .status', {hasText: 'Fixing'}).waitFor();
    await alice.selectOption('#update-status', 'investigating');
    await alice.getByRole('button', {name: 'Update'}).click();
    const refusal = alice.locator('#update-message-error');
    await refusal.waitFor();
    assert.match(await refusal.innerText(), /needs a message saying why/);
    assert.equal(await alice.locator('#update-message').getAttribute('aria-invalid'), 'true');
    assert.equal(ffOn(signed.ff, 'tester', 'info', id).status, 'STATUS_FIXING');
    await alice.screenshot({path: path.join(args.screenshots, 'web-actions.png'), fullPage: true});

    // Bob renames it while Alice's form is still open: her press is refused
    // (nothing of hers overwrites his title), a second press applies only what
    // she changed, over his change.
    await bob.fill('#update-title', 'Payouts stuck: provider outage');
    await bob.getByRole('button', {name: 'Update'}).click();
    await alice.locator('#inc-title', {hasText: 'provider outage'}).waitFor({timeout: 3000});
    await alice.fill('#update-message', 'Provider back, checking the batch');
    await alice.getByRole('button', {name: 'Update'}).click();
    const stale = alice.locator('#update-form .form-error');
    await stale.waitFor();
    assert.match(await stale.innerText(), /changed this incident since this form was filled in/);
    assert.equal(ffOn(signed.ff, 'tester', 'info', id).status, 'STATUS_FIXING');
    await alice.getByRole('button', {name: 'Update'}).click();
    await bob.locator('#inc-meta .status', {hasText: 'Investigating'}).waitFor({timeout: 3000});
    const after = ffOn(signed.ff, 'tester', 'info', id);
    assert.equal(after.status, 'STATUS_INVESTIGATING');
    assert.equal(after.title, 'Payouts stuck: provider outage');
    assert.equal(await bob.evaluate(() => window.stillTheSamePage), true);

    await alice.context().close();
    await bob.context().close();
    await stop(signed.web.child, 'SIGTERM');
    await stop(signed.core.child, 'SIGTERM');
  });

  await check('signed in: follow-ups are listed, added, edited and done on the incident page; ' +
    'the Follow-ups page groups the open ones by owner', page, async () => {
    const signed = await startSignedIn('followups.db');
    const signedBase = `http://${signed.web.address}`;
    const tester = (...argv) => ffOn(signed.ff, 'tester', ...argv);
    const day = (days) => new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);
    const id = Number(tester('open', '--title', 'Payouts stuck', '--domain', 'payment',
      '--severity', 'sev2').id);
    const other = Number(tester('open', '--title', 'Search is slow', '--domain', 'search',
      '--severity', 'sev3').id);
    tester('followup', 'add', id, 'Rotate the payout credentials', '--owner', 'bob@example.com',
      '--due', day(10));
    tester('followup', 'add', id, 'Alert on the payout backlog', '--owner', 'alice@example.com',
      '--no-due');
    tester('followup', 'add', other, 'Reindex nightly', '--owner', 'bob@example.com', '--due',
      day(3));
    tester('followup', 'add', other, 'Write the search runbook', '--no-due');
    const alice = await (await browser.newContext({
      viewport: {width: 1280, height: 900}, locale: 'en-GB', timezoneId: 'UTC',
      colorScheme: 'light', deviceScaleFactor: 1,
      extraHTTPHeaders: {'X-Forwarded-Email': 'alice@example.com'}})).newPage();

    await alice.goto(`${signedBase}/incidents/${id}`);
    const rows = alice.locator('#followup-list li');
    await rows.nth(1).waitFor();
    assert.equal(await rows.count(), 2);
    const first = alice.locator('#followup-list li[data-followup-id="1"]');
    assert.equal(await first.locator('.fu-title').innerText(), 'Rotate the payout credentials');
    assert.equal(await first.locator('.fu-owner').innerText(), 'bob@example.com');
    assert.equal(await first.locator('.fu-due').innerText(), `Due ${day(10)}`);
    assert.equal(await first.locator('.status').innerText(), 'Open');
    assert.equal(await alice.locator('#followup-list li[data-followup-id="2"] .fu-due')
      .innerText(), 'No due date');

    await alice.locator('#followup-add > summary').click();
    await alice.fill('#followup-title', 'Ask the provider for a status feed');
    await alice.fill('#followup-owner', 'carol@example.com');
    await alice.fill('#followup-due', day(-1));
    await alice.getByRole('button', {name: 'Add follow-up'}).click();
    const dueError = alice.locator('#followup-due-error');
    await dueError.waitFor();
    assert.match(await dueError.innerText(), /due_date/);
    assert.equal(tester('followup', 'list', id).follow_ups.length, 2);
    await alice.fill('#followup-due', day(14));
    await alice.getByRole('button', {name: 'Add follow-up'}).click();
    const added = alice.locator('#followup-list li', {hasText: 'Ask the provider'});
    await added.waitFor({timeout: 3000});
    const stored = tester('followup', 'list', id).follow_ups[2];
    assert.equal(stored.created_by, 'alice@example.com');
    assert.equal(stored.owner, 'carol@example.com');
    assert.equal(stored.due_date, day(14));

    await first.locator('summary', {hasText: 'Edit'}).click();
    await alice.fill('#fu-1-title', 'Rotate the payout API credentials');
    await first.getByRole('button', {name: 'Save'}).click();
    await alice.locator('#followup-list li[data-followup-id="1"] .fu-title',
      {hasText: 'Rotate the payout API credentials'}).waitFor({timeout: 3000});
    const second = alice.locator('#followup-list li[data-followup-id="2"]');
    await second.getByRole('button', {name: 'Done'}).click();
    await second.locator('.status', {hasText: 'Done'}).waitFor({timeout: 3000});
    await second.getByRole('button', {name: 'Reopen'}).waitFor();
    const listed = tester('followup', 'list', id).follow_ups;
    assert.equal(listed[0].title, 'Rotate the payout API credentials');
    assert.equal(listed[1].status, 'FOLLOW_UP_STATUS_DONE');
    await alice.screenshot({path: path.join(args.screenshots, 'web-followups-incident.png'),
      fullPage: true});

    await alice.goto(`${signedBase}/followups`);
    const groups = alice.locator('#owners .owner-group');
    await groups.nth(2).waitFor();
    const owners = await groups.evaluateAll((nodes) => nodes.map((n) => n.dataset.owner));
    assert.deepEqual(owners, ['bob@example.com', 'carol@example.com', '']);
    const bobs = await alice.locator('.owner-group[data-owner="bob@example.com"] .fu-title')
      .allInnerTexts();
    assert.deepEqual(bobs, ['Reindex nightly', 'Rotate the payout API credentials']);
    // Section headings are set in capitals by the style sheet.
    assert.equal((await alice.locator('.owner-group[data-owner=""] h2').innerText()).toLowerCase(),
      'nobody 1 open');
    await alice.screenshot({path: path.join(args.screenshots, 'web-followups.png'),
      fullPage: true});

    tester('followup', 'add', other, 'Add a search latency alert', '--owner',
      'alice@example.com', '--no-due');
    await alice.locator('.owner-group[data-owner="alice@example.com"]',
      {hasText: 'Add a search latency alert'}).waitFor({timeout: 3000});

    await alice.context().close();
    await stop(signed.web.child, 'SIGTERM');
    await stop(signed.core.child, 'SIGTERM');
  });

  await check('firefighterd down: the page says so, then recovers when it is back', page,
    async () => {
      await page.goto(`${base}/incidents/${ids.checkout}`);
      await page.locator('#content:not([hidden])').waitFor();
      const overview = await context.newPage();
      await overview.goto(base + '/');
      await overview.locator('#active li[data-id]').first().waitFor();

      const address = core.address;
      await stop(core.child, 'SIGKILL');
      for (const p of [page, overview]) {
        await p.locator('#banner:not([hidden])', {hasText: 'Cannot reach firefighterd'})
          .waitFor({timeout: 15000});
        await p.locator('#live[data-state="down"]').waitFor();
      }
      // What was shown stays readable meanwhile.
      assert.equal(await page.locator('#inc-title').innerText(),
        'Checkout returns 502 for card payments');

      core = await startCore(address);  // same address and database
      for (const p of [page, overview]) {
        await p.locator('#banner').waitFor({state: 'hidden', timeout: 20000});
        await p.locator('#live[data-state="live"]').waitFor({timeout: 20000});
      }
      ff('bob', 'note', ids.checkout, 'Back after the core restart');
      await page.locator('#timeline').getByText('Back after the core restart')
        .waitFor({timeout: 10000});
      await overview.close();
    });

  await browser.close();
  await stop(web.child, 'SIGTERM');
  await stop(core.child, 'SIGTERM');
  console.log(`${results.length} checks passed`);
}

main().then(() => {
  fs.rmSync(tmp, {recursive: true, force: true});
  process.exit(0);
}, (error) => {
  console.error(error);
  fs.rmSync(tmp, {recursive: true, force: true});
  process.exit(1);
});
