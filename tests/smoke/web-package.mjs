// Browser tests of the npm package (scripts/package.sh -> target/npm/sparse-rnn-lab-*.tgz),
// each away from the repository, in headless Debian Chromium (playwright-core):
//   1. cross-origin: the unpacked package served from one localhost origin with
//      `Access-Control-Allow-Origin: *` (as a CDN), a tutorial page from another; the
//      widget builds, trains to `steps` and draws, its worker and wasm come from the CDN,
//   2. the control: the same package served without CORS fails to load (so check 1
//      tests the CORS path, not a same-origin accident),
//   3. installed from the tarball with `npm install` into a fresh temp folder, a consumer
//      page that uses only node_modules: the widget, and the ES-module entry through an
//      import map (`loadWasm`, `Simulator`, `taskCatalog`),
//   4. the same install in Node: `initSync` + `Simulator` through the package entry, and
//      the wasm-bindgen types (`index.d.ts` -> `pkg/sparse_rnn_lab.d.ts`) are in it.
// Prints `web-package: P passed, F failed`; exits non-zero on failure.
//   node tests/smoke/web-package.mjs [--tarball FILE]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { portOf, serve } from '../../scripts/serve.mjs';
import { check, colouredIn, launch, runChecks, until, watch } from './browser.mjs';

const NPM_DIR = fileURLToPath(new URL('../../target/npm/', import.meta.url));
const { values: args } = parseArgs({ options: { tarball: { type: 'string' } } });
const tarball = args.tarball ?? (() => {
  const found = (() => { try { return readdirSync(NPM_DIR); } catch { return []; } })().filter((f) => /^sparse-rnn-lab-.*\.tgz$/.test(f));
  if (found.length === 0) {
    console.error('target/npm/sparse-rnn-lab-*.tgz is missing: run `bash scripts/package.sh` first');
    process.exit(2);
  }
  return join(NPM_DIR, found.sort().at(-1) ?? '');
})();
console.log(`tarball ${tarball}: ${(statSync(tarball).size / 1024).toFixed(0)} KiB`);

/** A small, fast run description (Jarne & Laje XOR, 30 sparse tanh neurons). */
const CONFIG = {
  network: { n_neurons: 30, connectivity: 'fixed-in-degree', k: 8, activation: 'tanh', init: 'orthogonal', seed: 2 },
  train: { learning_rate: 0.01, batch_size: 16, seed: 2 },
  task: { id: 'jl-xor' },
  rule: { rule: 'bptt' },
};
const STEPS = 40;

/** A page holding one autoplaying widget loaded from `widgetUrl`. @param {string} widgetUrl @param {string} [head] */
function widgetPage(widgetUrl, head = '') {
  return `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">${head}
<script type="module" src="${widgetUrl}"></script></head><body>
<srnn-widget id="w" autoplay controls="status" steps="${STEPS}" plots="trial,loss"
  config='${JSON.stringify(CONFIG)}'></srnn-widget></body></html>`;
}

const work = mkdtempSync(join(tmpdir(), 'srnn-web-package-'));
execFileSync('tar', ['xzf', tarball, '-C', work]);
const cdnRoot = join(work, 'package');
const tutorialRoot = mkdtempSync(join(work, 'tutorial-'));
const cdn = await serve(0, cdnRoot, { cors: true });
const noCors = await serve(0, cdnRoot);
const tutorial = await serve(0, tutorialRoot);
const cdnBase = `http://127.0.0.1:${portOf(cdn)}/`;
writeFileSync(join(tutorialRoot, 'cors.html'), widgetPage(`${cdnBase}widget.js`));
writeFileSync(join(tutorialRoot, 'no-cors.html'), widgetPage(`http://127.0.0.1:${portOf(noCors)}/widget.js`));

const consumer = mkdtempSync(join(work, 'consumer-'));
const browser = await launch();
const page = await browser.newPage();
const problems = watch(page);
/** @type {string[]} */
const requests = [];
page.on('request', (request) => requests.push(request.url()));

/** Wait until widget #w is done; returns its step count. */
async function widgetDone() {
  await page.waitForFunction(() => ['done', 'error'].includes(document.getElementById('w')?.dataset.state ?? ''), null, { timeout: 45_000, polling: 100 });
  const state = await page.evaluate(() => ({ ...document.getElementById('w')?.dataset, text: document.getElementById('w')?.textContent }));
  check(state.state === 'done', `widget: ${state.state}: ${state.text}`);
  return Number(state.steps);
}

const checks = /** @type {[string, () => Promise<void>][]} */ ([
  ['the widget works cross-origin from a CORS host (a CDN)', async () => {
    const url = `http://127.0.0.1:${portOf(tutorial)}/cors.html`;
    check(new URL(url).origin !== new URL(cdnBase).origin, 'the two origins are the same');
    await page.goto(url);
    check((await widgetDone()) === STEPS, `did not stop at ${STEPS}`);
    await page.waitForFunction(() => ['trial', 'loss'].every((plot) => document.querySelector(`#w canvas[data-plot=${plot}]`)
      ?.getAttribute('data-drawn')), null, { timeout: 30_000, polling: 100 });
    for (const plot of ['trial', 'loss']) {
      const pixels = await colouredIn(page, `#w canvas[data-plot=${plot}]`);
      check(pixels > 1000, `${plot} blank (${pixels})`);
    }
    const model = await page.evaluate(() => /** @type {any} */ (document.getElementById('w')).saveModel());
    check(JSON.parse(model).steps_done === STEPS, 'saveModel');
    check(requests.includes(`${cdnBase}widget.js`), `widget.js not fetched from the CDN origin (${requests.join(', ')})`);
    // the wasm module of either flavour (www/flavour.js picks pkg-relaxed/ where FMA is fused)
    check(['pkg/sparse_rnn_lab.js', 'pkg-relaxed/sparse_rnn_lab.js'].some((file) => requests.includes(`${cdnBase}${file}`)),
      `no wasm module fetched from the CDN origin (${requests.join(', ')})`);
  }],
  ['the control: without CORS headers the cross-origin widget does not load', async () => {
    const control = await browser.newPage();
    const controlProblems = watch(control);
    await control.goto(`http://127.0.0.1:${portOf(tutorial)}/no-cors.html`);
    // the module request fails (CORS), which `watch` records
    await until(() => controlProblems.length > 0, 30_000, 'no failure recorded without CORS');
    const defined = await control.evaluate(() => customElements.get('srnn-widget') !== undefined);
    await control.close();
    check(!defined && controlProblems.length > 0, `loaded without CORS (defined ${defined}; ${controlProblems.join('; ')})`);
  }],
  ['installed from the tarball, a consumer page uses only node_modules', async () => {
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', tarball], { cwd: consumer, stdio: 'inherit' });
    const importMap = `<script type="importmap">${JSON.stringify({ imports: { 'sparse-rnn-lab': './node_modules/sparse-rnn-lab/index.js' } })}</script>
<script type="module">
  import { loadWasm } from 'sparse-rnn-lab';
  const { Simulator, taskCatalog } = await loadWasm();
  const sim = new Simulator(${JSON.stringify(CONFIG)});
  sim.trainSteps(5);
  window.esm = { steps: sim.stepsDone(), tasks: taskCatalog().length };
</script>`;
    writeFileSync(join(consumer, 'index.html'), widgetPage('node_modules/sparse-rnn-lab/widget.js', importMap));
    const server = await serve(0, consumer);
    try {
      await page.goto(`http://127.0.0.1:${portOf(server)}/index.html`);
      check((await widgetDone()) === STEPS, `did not stop at ${STEPS}`);
      const esm = await page.evaluate(() => /** @type {any} */ (window).esm);
      check(esm && esm.steps === 5 && esm.tasks > 150, `ES-module entry: ${JSON.stringify(esm)}`);
    } finally {
      server.close();
    }
  }],
  ['the installed package works in Node and carries its types', async () => {
    writeFileSync(join(consumer, 'train.mjs'), `
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { initSync, Simulator } from 'sparse-rnn-lab';
initSync({ module: readFileSync(fileURLToPath(import.meta.resolve('sparse-rnn-lab/pkg/sparse_rnn_lab_bg.wasm'))) });
const sim = new Simulator(${JSON.stringify(CONFIG)});
const report = sim.trainSteps(3);
console.log(JSON.stringify({ steps: sim.stepsDone(), loss: report.loss }));
`);
    const out = JSON.parse(execFileSync('node', ['train.mjs'], { cwd: consumer, encoding: 'utf8' }));
    check(out.steps === 3 && Number.isFinite(out.loss), `node: ${JSON.stringify(out)}`);
    const installed = join(consumer, 'node_modules/sparse-rnn-lab');
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    check(manifest.type === 'module' && manifest.exports['.'].types === './index.d.ts', 'package.json entry');
    const types = readFileSync(join(installed, 'pkg/sparse_rnn_lab.d.ts'), 'utf8');
    check(/export class Simulator/.test(types) && /trainSteps\(/.test(types), 'Simulator types missing');
    check(readFileSync(join(installed, 'index.d.ts'), 'utf8').includes('loadWasm'), 'index.d.ts lacks loadWasm');
  }],
]);

const failed = await runChecks('web-package', checks, problems);
await browser.close();
for (const server of [cdn, noCors, tutorial]) server.close();
rmSync(work, { recursive: true, force: true });
process.exit(failed === 0 ? 0 : 1);
