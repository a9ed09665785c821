// Long runs in the page (www/long-run.js, www/long-run-driver.js) in headless Chromium.
//
// Check mode (default, for scripts/test.sh): serve the repository root (or open `--base
// URL`, a site served elsewhere) and check that
//   1. a short long run (N = 16 on the 20 Yang tasks, low target) stops at the criterion
//      before its cap, draws the per-task curves, shows steps/s and the time left, and
//      then draws the task-variance map,
//   2. after a reload the run resumes and its curve continues (same first step, more
//      evaluations, later steps),
//   3. the Yang preset builds the issue's network, and its run description is
//      examples/yang256_page.json (what `srnn train --config` takes).
// Prints `long-run: P passed, F failed` and exits non-zero on failure.
//
// Drive mode: `--preset yang` runs that preset until its criterion (tens of minutes),
// printing a progress line every `--every` seconds (step, mean per-task performance,
// steps/s, elapsed) and the final wall time, and writing each evaluation as a JSON line
// `{step, mean, seconds, perTask: {task: [score, low95, high95]}, evalSeconds, evalWorkers}`
// (evalSeconds: the evaluation's wall time in the worker) to `--out` (default
// target/long-run-<preset>.jsonl). `--shots DIR --shot-step N`: after N steps, screenshot
// the page and the task-variance map into DIR and stop (no full run). `--max-minutes M`
// gives up after M minutes (exit 1). `--workers W` sets the page's Workers field.
// `--stop-step N`: stop once the page has trained N steps (no screenshots) and print the
// steps/s between the curve's last two evaluations (training clock, evaluations included).
//   node tests/smoke/long-run.mjs [--base http://127.0.0.1:8000/]
//   node tests/smoke/long-run.mjs --preset yang [--out FILE] [--every 30] [--workers 2]
//   node tests/smoke/long-run.mjs --preset yang --shots /tmp/shots --shot-step 300
// Needs www/pkg (bash scripts/build-web.sh).
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { check, colouredIn, errorText, launch, runChecks, siteUnderTest, waitColoured, watch } from './browser.mjs';

const { values: args } = parseArgs({
  options: {
    preset: { type: 'string' },
    out: { type: 'string' },
    every: { type: 'string', default: '30' },
    shots: { type: 'string' },
    'shot-step': { type: 'string', default: '300' },
    'stop-step': { type: 'string' },
    'max-minutes': { type: 'string', default: '240' },
    workers: { type: 'string' },
    base: { type: 'string' },
  },
});
const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** The small network of the check mode (hash state of the page). */
const SMALL = 'task=yang-mixture&n=16&k=4&connectivity=random-density&activation=relu&init=orthogonal' +
  '&gain=1&noise=0.05&lr=0.02&batch=16&seed=4&rule=bptt&shards=1';

const { server, base } = await siteUnderTest({ base: args.base });
const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
const problems = watch(page);

/** The long-run status line's data attributes. */
function longRunData() {
  return page.evaluate(() => ({ ...document.getElementById('long-run-status')?.dataset }));
}

/** Wait until the status line says the network is built. */
async function waitReady() {
  await page.waitForFunction(() => /^(ready|recovered)/.test(document.getElementById('status')?.textContent ?? ''), null,
    { timeout: 120_000 });
}

/** Each check starts here, whatever ran before it: the small network, as a fresh run (Reset). */
async function openSmall() {
  await page.goto(`${base}index.html?view=playground#${SMALL}`);
  await waitReady();
  await page.click('#reset');
  await waitReady();
}

/** Open the long-run disclosure and set its inputs. @param {Record<string, string | number>} values */
async function setInputs(values) {
  await page.evaluate((v) => {
    /** @type {HTMLDetailsElement} */ (document.getElementById('long-run-details')).open = true;
    for (const [id, value] of Object.entries(v)) {
      /** @type {HTMLInputElement} */ (document.getElementById(`long-run-${id}`)).value = String(value);
    }
  }, values);
}

async function checkMode() {
  const checks = [
    ['a short long run stops at the criterion, draws the curves, the time left and the task variance', async () => {
      await openSmall();
      await setInputs({ target: 0.15, cap: 600, trials: 16, every: 20 });
      await page.click('#long-run-start');
      await page.waitForFunction(() => document.getElementById('long-run-status')?.dataset.finished !== undefined, null, { timeout: 240_000 });
      const data = await longRunData();
      check(data.finished === 'criterion', `finished: ${JSON.stringify(data)}`);
      check(Number(data.step) < 600 && Number(data.mean) >= 0.15, `stopped at ${data.step} with mean ${data.mean}`);
      check(Number(data.points) >= 2 && Number(data.stepsPerSecond) > 0, JSON.stringify(data));
      check(data.secondsLeft !== '' && Number.isFinite(Number(data.secondsLeft)), `time left: ${JSON.stringify(data)}`);
      const text = await page.textContent('#long-run-status');
      check(/left to the cap \d/.test(text ?? '') && /elapsed \d/.test(text ?? ''), `status: ${text}`);
      const rows = await page.locator('#long-run-table tbody tr').count();
      check(rows === 20, `per-task table has ${rows} rows`);
      const curve = await colouredIn(page, '#plot-long-run');
      check(curve > 3000, `per-task curve canvas has ${curve} coloured pixels`);
      await page.waitForFunction(() => document.getElementById('plot-task-variance')?.dataset.k, null, { timeout: 120_000 });
      const k = Number(await page.getAttribute('#plot-task-variance', 'data-k'));
      const map = await colouredIn(page, '#plot-task-variance');
      check(k >= 2 && map > 20_000, `task variance: k = ${k}, ${map} coloured pixels`);
    }],
    ['after a reload the long run resumes and its curve continues', async () => {
      await openSmall();
      await setInputs({ target: 0.99, cap: 5000, trials: 8, every: 10 });
      await page.click('#long-run-start');
      check(await page.isEnabled('#pause') && !(await page.isEnabled('#train')), 'Pause enabled, Train disabled during a long run');
      await page.waitForFunction(() => Number(document.getElementById('long-run-status')?.dataset.points) >= 4, null, { timeout: 120_000 });
      // each point is autosaved (the model with its long-run record): wait until the run library has it
      await page.waitForFunction(() => Number(document.getElementById('status')?.dataset.saved ?? -1) >=
        Number(document.getElementById('long-run-status')?.dataset.step), null, { timeout: 60_000, polling: 100 });
      const before = await longRunData();
      await page.reload();
      await page.waitForFunction((n) => Number(document.getElementById('long-run-status')?.dataset.points) > n &&
        document.getElementById('long-run-status')?.dataset.step !== undefined, Number(before.points) + 1, { timeout: 120_000 });
      const after = await longRunData();
      check(after.firstStep === before.firstStep && after.firstStep === '0', `first step ${before.firstStep} → ${after.firstStep}`);
      check(Number(after.step) > Number(before.step), `step ${before.step} → ${after.step}`);
      const restored = await page.textContent('#status');
      check(/resumes|training/.test(restored ?? ''), `status after reload: ${restored}`);
      await page.click('#pause');
    }],
    ['the Yang preset builds the issue network; its run description is Rust\'s (examples/presets/yang.json = examples/yang256_page.json)', async () => {
      await openSmall(); // a fresh run, so the preset does not open an earlier check's
      await page.goto(`${base}index.html?preset=yang`);
      await page.waitForFunction(() => /N = 256/.test(document.getElementById('status')?.textContent ?? '') ||
        document.getElementById('long-run-status')?.dataset.step !== undefined, null, { timeout: 120_000 });
      const config = await page.evaluate(() => /** @type {any} */ (window).labDebug.config());
      // the preset's run description is Rust's (examples/presets/yang.json), the issue network
      const canonical = (/** @type {any} */ v) => JSON.stringify(v, (_, x) => (x && typeof x === 'object' && !Array.isArray(x)
        ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x));
      const expected = JSON.parse(readFileSync(join(ROOT, 'examples/presets/yang.json'), 'utf8'));
      check(canonical(config) === canonical(expected), `page: ${JSON.stringify(config)}`);
      const issue = JSON.parse(readFileSync(join(ROOT, 'examples/yang256_page.json'), 'utf8'));
      check(canonical(config) === canonical(issue), `the Yang preset is not examples/yang256_page.json: ${JSON.stringify(config)}`);
      const caption = await page.textContent('#preset-caption');
      check(/20 cognitive tasks/.test(caption ?? ''), `caption: ${caption}`);
      const target = await page.inputValue('#long-run-target');
      check(target === '0.9', `target ${target}`);
      await page.goto('about:blank');
    }],
  ];
  const failures = await runChecks('long-run', /** @type {any} */ (checks), problems);
  return failures === 0 ? 0 : 1;
}

/** Run `preset` until its criterion (or the shot step), printing progress. @param {string} preset */
async function driveMode(preset) {
  const out = resolve(args.out ?? join(ROOT, `target/long-run-${preset}.jsonl`));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, '');
  const started = Date.now();
  const limitMs = Number(args['max-minutes']) * 60_000;
  await page.goto(`${base}index.html?view=playground`);
  await waitReady();
  await page.click('#reset');
  await page.goto(`${base}index.html?preset=${preset}`);
  if (args.workers) {
    // not in the URL: set after loading (rebuilds the network; the preset's run goes on)
    await page.$eval('#workers', (element) => { /** @type {HTMLDetailsElement} */ (element.closest('details')).open = true; });
    await page.fill('#workers', String(args.workers));
    await page.dispatchEvent('#workers', 'change');
  }
  const shotStep = args.shots ? Number(args['shot-step']) : Infinity;
  let written = 0;
  let lastPrint = 0;
  let lastSteps = 0;
  let lastSeen = -1;
  for (;;) {
    // until the page trains a step further, finishes or fails (checked every 2 s)
    await page.waitForFunction((n) => Number(document.getElementById('status')?.dataset.steps ?? 0) > n ||
      document.getElementById('long-run-status')?.dataset.finished !== undefined ||
      /^Error/.test(document.getElementById('status')?.textContent ?? ''), lastSeen, { timeout: 600_000, polling: 2000 });
    const state = await page.evaluate(() => ({
      points: /** @type {any} */ (window).labLongRun ?? [],
      data: { ...document.getElementById('long-run-status')?.dataset },
      steps: Number(document.getElementById('status')?.dataset.steps ?? 0),
      status: document.getElementById('status')?.textContent ?? '',
    }));
    lastSeen = state.steps;
    for (const point of state.points.slice(written)) appendFileSync(out, `${JSON.stringify(point)}\n`);
    written = state.points.length;
    const wall = (Date.now() - started) / 1000;
    if (wall - lastPrint >= Number(args.every) || state.data.finished) {
      const rate = (state.steps - lastSteps) / Math.max(wall - lastPrint, 1e-9);
      lastPrint = wall;
      lastSteps = state.steps;
      const d = state.data;
      console.log(`step ${state.steps} · mean ${Number(d.mean ?? NaN).toFixed(3)} (at step ${d.step ?? '–'}) · ` +
        `${rate.toFixed(2)} steps/s now (page: ${Number(d.stepsPerSecond ?? NaN).toFixed(2)}, with evaluations once there are two) · ` +
        `elapsed ${Number(d.elapsed ?? 0).toFixed(0)} s (training clock) · wall ${wall.toFixed(0)} s · ${written} evaluations`);
    }
    if (problems.length > 0) throw new Error(problems.join('\n'));
    if (/^Error/.test(state.status)) throw new Error(state.status);
    if (args['stop-step'] !== undefined && state.steps >= Number(args['stop-step'])) {
      const points = state.points.filter((/** @type {{seconds: number | null}} */ p) => p.seconds !== null);
      const [a, b] = points.slice(-2);
      const rate = a && b ? (b.step - a.step) / (b.seconds - a.seconds) : NaN;
      console.log(`stopped at step ${state.steps}; wall ${wall.toFixed(0)} s; ` +
        `${rate.toFixed(3)} steps/s between the evaluations at steps ${a?.step} and ${b?.step} (training clock, with evaluations); ` +
        `mean ${b?.mean}`);
      console.log(JSON.stringify({ stop_step: state.steps, wall_s: wall, steps_per_s: rate, from: a?.step, to: b?.step,
        seconds_from: a?.seconds, seconds_to: b?.seconds, mean: b?.mean }));
      return 0;
    }
    if (state.steps >= shotStep) {
      mkdirSync(String(args.shots), { recursive: true });
      await page.click('#pause');
      await page.click('#task-variance');
      await page.waitForFunction(() => document.getElementById('plot-task-variance')?.dataset.k, null, { timeout: 300_000 });
      await waitColoured(page, ['#plot-task-variance'], 20_000);
      await page.screenshot({ path: join(String(args.shots), `${preset}-page.png`), fullPage: true });
      await page.locator('#long-run').screenshot({ path: join(String(args.shots), `${preset}-long-run.png`) });
      await page.locator('#plot-task-variance').screenshot({ path: join(String(args.shots), `${preset}-task-variance.png`) });
      console.log(`screenshots after ${state.steps} steps in ${args.shots}; wall ${wall.toFixed(0)} s`);
      return 0;
    }
    if (state.data.finished) {
      console.log(`finished (${state.data.finished}) at step ${state.data.step}, mean ${state.data.mean}; ` +
        `training clock ${Number(state.data.elapsed).toFixed(0)} s; wall time ${wall.toFixed(0)} s; curve in ${out}`);
      return state.data.finished === 'criterion' ? 0 : 1;
    }
    if (Date.now() - started > limitMs) {
      console.log(`gave up after ${args['max-minutes']} min at step ${state.steps}`);
      return 1;
    }
  }
}

let code = 1;
try {
  code = args.preset ? await driveMode(args.preset) : await checkMode();
} catch (error) {
  console.error(errorText(error));
} finally {
  await browser.close();
  server?.close();
}
process.exit(code);
