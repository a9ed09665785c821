// Browser smoke test: serve the repository root, open the page in headless Debian
// Chromium (playwright-core, no downloaded browser), and check that
//   1. the page loads and draws all five plots,
//   2. Train runs >= 300 steps and the logged loss falls,
//   3. a bad value is reported in the status line, naming the field, and survives a
//      reload through the URL hash.
// Any console error or uncaught page error fails the check during which it happened.
// Prints `smoke: <passed> passed, <failed> failed` and exits non-zero on failure.
//   node tests/smoke/smoke.mjs            (needs www/pkg built by scripts/build-web.sh)
import { chromium } from 'playwright-core';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serve } from '../../scripts/serve.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const STEPS = 300;
const CANVASES = ['plot-loss', 'plot-accuracy', 'plot-activity', 'plot-weights', 'plot-output'];

if (!existsSync(new URL('../../www/pkg/sparse_rnn_lab_bg.wasm', import.meta.url))) {
  console.error('www/pkg is missing: run `bash scripts/build-web.sh` first');
  process.exit(2);
}

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
page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));

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

const checks = [
  ['page loads and draws all five plots', async () => {
    await page.goto(`${base}index.html`);
    await page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('ready'), null, { timeout: 60_000 });
    await page.waitForTimeout(500);
    const counts = await colouredPixels();
    counts.forEach((count, i) => check(count > 500, `${CANVASES[i]} is blank (${count} coloured pixels)`));
    check(page.url().includes('#task=turcu-classification'), `state not in the URL hash: ${page.url()}`);
  }],
  [`training runs ${STEPS} steps and the loss falls`, async () => {
    await page.click('#train');
    await page.waitForFunction((steps) => Number(document.getElementById('status')?.dataset.steps ?? 0) >= steps,
      STEPS, { timeout: 180_000, polling: 250 });
    await page.click('#pause');
    const log = await page.evaluate(() => /** @type {any} */ (window).labLog);
    check(log.length >= 2, `only ${log.length} progress reports`);
    const first = log[0];
    const last = log[log.length - 1];
    console.log(`  loss ${first.loss.toFixed(4)} at step ${first.step} -> ${last.loss.toFixed(4)} at step ${last.step}`);
    check(last.loss < first.loss, `loss did not fall: ${first.loss} -> ${last.loss}`);
    const text = await statusText();
    check(/steps\/s/.test(text) && /accuracy/.test(text) && /late accuracy/.test(text), `status: ${text}`);
  }],
  ['a bad value is named in the status line and survives a reload', async () => {
    await page.fill('input[name=n]', '0');
    await page.dispatchEvent('input[name=n]', 'change');
    await page.waitForFunction(() => document.getElementById('status')?.classList.contains('error'), null, { timeout: 30_000 });
    let text = await statusText();
    check(text.includes('n_neurons') && text.includes('0'), `status does not name n_neurons: ${text}`);
    check(page.url().includes('n=0'), `hash not updated: ${page.url()}`);
    await page.reload();
    await page.waitForFunction(() => document.getElementById('status')?.classList.contains('error'), null, { timeout: 30_000 });
    text = await statusText();
    check(text.includes('n_neurons'), `after reload: ${text}`);
    check((await page.inputValue('input[name=n]')) === '0', 'form not restored from the hash');
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
    console.log(`FAIL ${name}\n    ${error instanceof Error ? error.message : error}`);
  }
}
await browser.close();
server.close();
console.log(`smoke: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
