// Soak test of a long run in the page (issue 24), in headless Debian Chromium: the Yang
// preset ("train until" the mean of 20 tasks reaches 0.9) runs for `--minutes` (default
// 20); every minute it samples the training worker's wasm memory, the page's JS heap
// (Chrome DevTools Protocol `Performance.getMetrics`) and the browser's resident memory
// (the RSS of every Chromium process); the tab is reloaded at 1/3 and 2/3 of the time
// and must resume the run (its step goes on from where it was saved, the long-run curve
// keeps its first step). Appends one JSON line per sample to `--out` (default
// target/soak.jsonl) and prints them; exits non-zero when a reload does not resume or
// the wasm memory grows after the first reload's warm-up by more than `--growth-mb`.
// Too long for CI: not in scripts/test.sh.
// The preset starts its own long run when its network is ready, as it does for a user
// (its evaluations: 512 trials per task every 500 steps); each evaluation raises the
// worker's wasm memory to a high-water mark that a reload resets, so memory is compared
// between samples taken after an evaluation that followed the first reload.
//   node tests/smoke/soak.mjs [--minutes 20] [--out FILE] [--growth-mb 64]
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { portOf, serve } from '../../scripts/serve.mjs';
import { launch, watch } from './browser.mjs';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '20' },
    out: { type: 'string' },
    'growth-mb': { type: 'string', default: '64' },
  },
});
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const out = resolve(args.out ?? `${ROOT}target/soak.jsonl`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, '');
const minutes = Number(args.minutes);

const server = await serve(0, ROOT);
const base = `http://127.0.0.1:${portOf(server)}/`;
// Other processes on a shared machine may SIGTERM every node process: a soak logs the
// signal and goes on (playwright would otherwise close the browser); Ctrl-C still stops it.
const browser = await launch({ handleSIGHUP: false, handleSIGTERM: false });
for (const signal of ['SIGHUP', 'SIGTERM']) {
  process.on(signal, () => console.log(`${new Date().toISOString()} ignored ${signal}`));
}
const page = await browser.newPage();
const problems = watch(page);
// a renderer that dies (out of memory, killed) is the soak's finding: say so, not just "closed"
page.on('crash', () => console.log(`${new Date().toISOString()} the page crashed (renderer gone)`));
browser.on('disconnected', () => console.log(`${new Date().toISOString()} the browser disconnected`));
const cdp = await page.context().newCDPSession(page);
await cdp.send('Performance.enable');

/** Resident memory (MiB) of every Chromium process of this browser (Linux `ps`). */
function chromiumRssMb() {
  try {
    const lines = execFileSync('ps', ['-eo', 'rss=,args='], { encoding: 'utf8' }).split('\n');
    const kb = lines.filter((l) => l.includes('chromium') && l.includes('--headless'))
      .reduce((sum, l) => sum + (Number(l.trim().split(/\s+/)[0]) || 0), 0);
    return kb / 1024;
  } catch {
    return null;
  }
}

async function sample(minute, note = '') {
  const metrics = /** @type {{metrics: {name: string, value: number}[]}} */ (await cdp.send('Performance.getMetrics')).metrics;
  const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
  const state = await page.evaluate(() => ({
    step: Number(document.getElementById('status')?.dataset.steps ?? 0),
    saved: Number(document.getElementById('status')?.dataset.saved ?? 0),
    wasm: /** @type {any} */ (window).labDebug?.workerWasmBytes?.() ?? 0,
    points: Number(document.getElementById('long-run-status')?.dataset.points ?? 0),
    firstStep: document.getElementById('long-run-status')?.dataset.firstStep ?? '',
    mean: Number(document.getElementById('long-run-status')?.dataset.mean ?? NaN),
  }));
  const row = {
    minute, at: new Date().toISOString(), step: state.step, saved: state.saved, points: state.points,
    firstStep: state.firstStep, mean: state.mean, workerWasmMb: +(state.wasm / 2 ** 20).toFixed(1),
    pageHeapMb: +(heap / 2 ** 20).toFixed(1), chromiumRssMb: chromiumRssMb()?.toFixed(0) ?? null, note,
  };
  appendFileSync(out, `${JSON.stringify(row)}\n`);
  console.log(JSON.stringify(row));
  return row;
}

/** Wait until the page trains again (a step beyond `step`). @param {number} step */
async function waitTraining(step) {
  await page.waitForFunction((n) => Number(document.getElementById('status')?.dataset.steps ?? 0) > n &&
    /^training/.test(document.getElementById('status')?.textContent ?? ''), step, { timeout: 600_000, polling: 500 });
}

let failed = false;
const reloads = [Math.round(minutes / 3), Math.round((2 * minutes) / 3)];
const started = Date.now();
await page.goto(`${base}index.html?preset=yang`);
// the Yang preset builds its network and starts its long run ("Train until") by itself
await page.waitForFunction(() => /^ready/.test(document.getElementById('status')?.textContent ?? ''), null, { timeout: 600_000, polling: 500 });
await waitTraining(0);
const rows = [];
for (let minute = 1; minute <= minutes; minute++) {
  // wait for the minute mark (a condition on the clock: this is a soak, not a check)
  await page.waitForFunction((t) => Date.now() >= t, started + minute * 60_000, { timeout: 120_000, polling: 1000 });
  rows.push(await sample(minute));
  if (reloads.includes(minute)) {
    const before = rows[rows.length - 1];
    await page.reload();
    await waitTraining(Math.max(before.saved - 1, 0));
    const after = await sample(minute, 'after reload');
    const resumed = after.step >= before.saved && after.firstStep === before.firstStep;
    console.log(`reload at minute ${minute}: saved at step ${before.saved}, training again from ${after.step}; ` +
      `curve starts at ${after.firstStep} (was ${before.firstStep}): ${resumed ? 'resumed' : 'NOT resumed'}`);
    if (!resumed) failed = true;
  }
  if (problems.length > 0) {
    console.log(problems.join('\n'));
    failed = true;
    break;
  }
}
// memory after the first reload's warm-up (its first evaluation) must stay flat
const atReload = rows.find((r) => r.note === 'after reload');
const settled = rows.filter((r) => atReload && r.minute > atReload.minute && r.note === '' && r.points > atReload.points);
if (settled.length >= 2) {
  const growth = settled[settled.length - 1].workerWasmMb - settled[0].workerWasmMb;
  console.log(`worker wasm memory from minute ${settled[0].minute} to ${settled[settled.length - 1].minute}: ${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MiB`);
  if (growth > Number(args['growth-mb'])) failed = true;
}
console.log(`soak: ${failed ? 'FAILED' : 'ok'}; samples in ${out}`);
await browser.close();
server.close();
process.exit(failed ? 1 : 0);
