// Browser smoke test: serve the repository root, open the page in headless Debian
// Chromium (playwright-core, no downloaded browser), and check that
//   1. the page loads and draws the plots; the task picker lists every task by paper,
//   2. the Jarne & Laje preset trains 300 steps, the loss falls, the analysis is drawn,
//   3. the model is autosaved and restored on reload,
//   4. switching to a Yang task (and lowering N) trains, a Jarne & Laje task builds,
//   5. a malformed model file is reported in the status line and training goes on,
//   6. bad rule settings are named (rule.step_size, malformed JSON),
//   7. a sweep runs in workers and another can be cancelled,
//   8. a bad value is reported in the status line, naming the field, and survives a
//      reload through the URL hash,
//   9. the embeddable widget (www/embed.html) trains and draws.
// Any console error or uncaught page error fails the check during which it happened.
// Prints `smoke: <passed> passed, <failed> failed` and exits non-zero on failure.
//   node tests/smoke/smoke.mjs            (needs www/pkg built by scripts/build-web.sh)
import { chromium } from 'playwright-core';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serve } from '../../scripts/serve.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const STEPS = 300;
const CANVASES = ['plot-loss', 'plot-accuracy', 'plot-activity', 'plot-weights', 'plot-output', 'plot-trial'];

if (!existsSync(new URL('../../www/pkg/sparse_rnn_lab_bg.wasm', import.meta.url))) {
  console.error('www/pkg is missing: run `bash scripts/build-web.sh` first');
  process.exit(2);
}

mkdirSync(new URL('../../target/screenshots', import.meta.url), { recursive: true });
const server = await serve(0, ROOT);
const address = server.address();
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: [
    '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run',
  ],
});
const page = await browser.newPage();
/** @type {string[]} */
const problems = [];
page.on('console', (message) => {
  if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
});
page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
page.on('requestfailed', (request) => {
  // A reload or navigation aborts the previous document's in-flight fetches
  // (net::ERR_ABORTED); that is not a failure of the page. Anything else is.
  const reason = request.failure()?.errorText ?? 'unknown';
  if (reason === 'net::ERR_ABORTED') return;
  problems.push(`request failed (${reason}): ${request.url()}`);
});

/** @param {string} message */
function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function statusText() {
  return (await page.textContent('#status')) ?? '';
}

/** Pixels that are neither transparent nor white, per canvas id. */
async function colouredPixels() {
  return page.evaluate((ids) => ids.map((id) => {
    const canvas = /** @type {HTMLCanvasElement} */ (document.getElementById(id));
    const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
    let count = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] > 0 && (data[i] < 250 || data[i + 1] < 250 || data[i + 2] < 250)) count++;
    }
    return count;
  }), CANVASES);
}

/** @param {string} id */
async function colouredIn(id) {
  return page.evaluate((canvasId) => {
    const canvas = /** @type {HTMLCanvasElement} */ (document.getElementById(canvasId));
    const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
    let count = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] > 0 && (data[i] < 250 || data[i + 1] < 250 || data[i + 2] < 250)) count++;
    }
    return count;
  }, id);
}

/** Number of networks the page has built so far. */
async function builds() {
  return page.evaluate(() => Number(document.getElementById('status')?.dataset.builds ?? 0));
}

/** Wait until the page has built more than `before` networks and says ready. @param {number} before */
async function waitReady(before = 0) {
  await page.waitForFunction(
    (n) => Number(document.getElementById('status')?.dataset.builds ?? 0) > n &&
      /^ready/.test(document.getElementById('status')?.textContent ?? ''),
    before, { timeout: 60_000 });
}

/** Select `value` in the form field `name` (fires change); resolves to the build count before. @param {string} name @param {string} value */
async function choose(name, value) {
  const before = await builds();
  await page.selectOption(`[name=${name}]`, value);
  return before;
}

/** Type `value` into field `name` and fire change; resolves to the build count before. @param {string} name @param {string} value */
async function type(name, value) {
  const before = await builds();
  await page.fill(`[name=${name}]`, value);
  await page.dispatchEvent(`[name=${name}]`, 'change');
  return before;
}

async function waitError() {
  await page.waitForFunction(() => document.getElementById('status')?.classList.contains('error'), null, { timeout: 30_000 });
  return statusText();
}

const checks = [
  ['page loads and draws the plots', async () => {
    await page.goto(`${base}index.html`);
    await waitReady();
    await page.waitForTimeout(500);
    const counts = await colouredPixels();
    counts.forEach((count, i) => check(count > 500, `${CANVASES[i]} is blank (${count} coloured pixels)`));
    check(page.url().includes('#task=turcu-classification'), `state not in the URL hash: ${page.url()}`);
    const groups = await page.$$eval('select[name=task] optgroup', (g) => g.map((x) => x.children.length));
    check(groups.length === 4 && groups.reduce((a, b) => a + b, 0) > 150, `task groups ${groups}`);
  }],
  [`the Jarne & Laje preset trains ${STEPS} steps, the loss falls, the analysis is drawn`, async () => {
    await page.click('[data-preset=jarne]');
    await page.waitForFunction(() => document.getElementById('status')?.dataset.preset === 'jarne', null, { timeout: 180_000, polling: 250 });
    const log = await page.evaluate(() => /** @type {any} */ (window).labLog);
    check(log.length >= 2, `only ${log.length} progress reports`);
    const first = log[0];
    const last = log[log.length - 1];
    console.log(`  loss ${first.loss.toFixed(4)} at step ${first.step} -> ${last.loss.toFixed(4)} at step ${last.step}`);
    check(last.loss < first.loss, `loss did not fall: ${first.loss} -> ${last.loss}`);
    check(last.step >= STEPS, `stopped at ${last.step}`);
    check((await page.textContent('#preset-caption'))?.includes('XOR'), 'caption missing');
    await page.waitForTimeout(1500);
    for (const id of ['plot-eigen', 'plot-degradation', 'plot-pca']) {
      check((await colouredIn(id)) > 500, `${id} is blank`);
    }
  }],
  ['the model is autosaved and restored on reload', async () => {
    await page.waitForTimeout(500);
    await page.reload();
    await waitReady();
    const text = await statusText();
    check(text.includes('Restored the autosaved model (300 steps)'), `status: ${text}`);
  }],
  ['switching to a Yang task and a Jarne & Laje task works', async () => {
    await waitReady(await choose('task', 'yang-dm1'));
    check((await page.inputValue('[name=n]')) === '256', 'Yang default N = 256');
    await waitReady(await type('n', '32'));
    check((await statusText()).includes('N = 32'), await statusText());
    await page.click('#train');
    await page.waitForFunction(() => /step ([5-9]|\d\d)/.test(document.getElementById('status')?.textContent ?? ''), null, { timeout: 60_000, polling: 250 });
    await page.click('#pause');
    check((await colouredIn('plot-trial')) > 2000, 'Yang trial not drawn');
    await waitReady(await choose('task', 'jl-flipflop'));
    const text = await statusText();
    check(text.includes('Flip-flop') && text.includes('N = 50'), text);
  }],
  ['a malformed model file is reported and the model is kept', async () => {
    await page.setInputFiles('#load-model', { name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"schema": "sparse-rnn-lab/model", "vers') });
    const text = await waitError();
    check(text.includes('model file') && text.includes('current model is kept'), `status: ${text}`);
    const stepsBefore = await page.evaluate(() => Number(document.getElementById('status')?.dataset.steps ?? 0));
    await page.click('#train');
    await page.waitForFunction((n) => Number(document.getElementById('status')?.dataset.steps ?? 0) > n, stepsBefore, { timeout: 60_000, polling: 250 });
    await page.click('#pause');
  }],
  ['rule settings are checked and errors name the field', async () => {
    await waitReady(await choose('rule', 'predictive-coding'));
    await type('ruleopts', '{"step_size": 2}');
    let text = await waitError();
    check(text.includes('rule.step_size') && text.includes('2'), `status: ${text}`);
    await type('ruleopts', '{"step_size": ');
    text = await waitError();
    check(text.includes('rule settings'), `status: ${text}`);
    await waitReady(await type('ruleopts', ''));
  }],
  ['a sweep runs in workers and a sweep can be cancelled', async () => {
    await page.selectOption('#sweep-kind', 'percolation');
    await page.click('#sweep-run');
    await page.waitForFunction(() => document.getElementById('sweep-status')?.dataset.done === 'percolation', null, { timeout: 120_000, polling: 250 });
    check((await colouredIn('plot-sweep')) > 500, 'sweep chart blank');
    await page.selectOption('#sweep-kind', 'capacity');
    await page.click('#sweep-run');
    await page.click('#sweep-cancel');
    const text = (await page.textContent('#sweep-status')) ?? '';
    check(text.includes('cancelled'), text);
  }],
  ['a bad value is named in the status line and survives a reload', async () => {
    await page.fill('input[name=n]', '0');
    await page.dispatchEvent('input[name=n]', 'change');
    let text = await waitError();
    check(text.includes('n_neurons') && text.includes('0'), `status does not name n_neurons: ${text}`);
    check(page.url().includes('n=0'), `hash not updated: ${page.url()}`);
    await page.reload();
    text = await waitError();
    check(text.includes('n_neurons'), `after reload: ${text}`);
    check((await page.inputValue('input[name=n]')) === '0', 'form not restored from the hash');
  }],
  ['the embeddable widget trains in www/embed.html', async () => {
    await page.goto(`${base}www/embed.html`);
    await page.waitForFunction(() => !document.querySelector('srnn-widget [data-run]')?.hasAttribute('disabled'), null, { timeout: 60_000 });
    await page.click('srnn-widget [data-run]');
    await page.waitForFunction(() => Number(/** @type {HTMLElement} */ (document.querySelector('srnn-widget'))?.dataset.steps ?? 0) >= 50, null, { timeout: 60_000, polling: 250 });
    await page.waitForTimeout(300);
    const pixels = await colouredIn('srnn-widget-1');
    check(pixels > 2000, `widget plot blank (${pixels})`);
    await page.screenshot({ path: new URL('../../target/screenshots/embed.png', import.meta.url).pathname });
  }],
];

let passed = 0;
let failed = 0;
for (const [name, run] of checks) {
  const before = problems.length;
  try {
    await run();
    const fresh = problems.slice(before);
    check(fresh.length === 0, fresh.join('\n    '));
    passed++;
    console.log(`ok   ${name}`);
  } catch (error) {
    failed++;
    console.log(`FAIL ${name}\n    ${error instanceof Error ? error.message : error}\n    status: ${await statusText().catch(() => '?')}`);
  }
}
await browser.close();
server.close();
console.log(`smoke: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
