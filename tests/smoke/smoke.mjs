// Browser smoke test: serve the site, open the page in headless Debian Chromium
// (playwright-core, no downloaded browser), and check that
//   1. the page loads and draws the plots; the task picker lists every task by paper and
//      the menus hold the names the wasm module accepts; a Turcu task draws the readout
//      picture, the 2-D sheet is hidden for a non-local mask, and the claims table runs
//      a claim (or, in a build without `runClaim`, says claims are not available),
//   2. the Jarne & Laje preset trains 300 steps, the loss falls, the analysis is drawn,
//   3. the model is autosaved and restored on reload,
//   4. switching to a Yang task (and lowering N) trains, a Jarne & Laje task builds,
//   5. a malformed model file is reported in the status line and training goes on,
//   6. a dead training worker (trapped, or hung: no heartbeat) is replaced: the autosaved
//      model is restored, the status line says so, and training goes on; one that traps
//      while building a network is reported and not restarted with that network,
//   7. bad rule settings are named (rule.step_size, malformed JSON),
//   8. a sweep runs in workers; a point whose worker dies is rerun once, then reported as
//      failed, and the sweep goes on; another sweep can be cancelled,
//   9. a bad value is reported in the status line, naming the field, and survives a
//      reload through the URL hash,
//  10. the Khona et al. preset trains the Mod-Cog mixture and its sparsity sweep draws
//      local, random, dense and autapse (its wall time is printed); a bad id in the
//      mixture-tasks field is named (`task.tasks`),
//  11. the SpyTorch preset trains a spiking network above chance and draws its raster,
//  12. the three widgets of www/embed.html (preset, config + autoplay + no controls,
//      hash + methods + events) train and draw,
//  13. every control of the three views has an accessible name (Chromium's computed
//      accessibility tree), no view scrolls sideways at 1280×800 or 820×1180 (tablet),
//      and Tab reaches the task menu, the fields and the run buttons in document order.
// Any console error or uncaught page error fails the check during which it happened.
// Prints `<label>: <passed> passed, <failed> failed` and exits non-zero on failure.
//   node tests/smoke/smoke.mjs [--root DIR | --base URL] [--label NAME] [--only TEXT]
// --only: run only the checks whose name contains TEXT; a check whose predecessor is not
// run starts from its own setup (a fresh playground, or the preset it continues), so
// every check can run alone.
// --root: the folder to serve (default: the repository root, which needs www/pkg built
// by scripts/build-web.sh; scripts/build-site.sh's dist/ works the same way); --base: test
// a site already served there instead (e.g. a static host), ending with `/`.
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { check, colouredIn as colouredInPage, launch, runChecks, waitColoured, watch, siteUnderTest } from './browser.mjs';

const { values: args } = parseArgs({
  options: {
    root: { type: 'string' }, base: { type: 'string' }, label: { type: 'string', default: 'smoke' }, only: { type: 'string' },
  },
});
const STEPS = 300;
const CANVASES = ['plot-loss', 'plot-accuracy', 'plot-activity', 'plot-weights', 'plot-output', 'plot-trial'];

mkdirSync(new URL('../../target/screenshots', import.meta.url), { recursive: true });
const { server, base } = await siteUnderTest(args);
const browser = await launch();
const page = await browser.newPage();
const problems = watch(page);

async function statusText() {
  return (await page.textContent('#status')) ?? '';
}

/** Coloured pixels of each canvas of CANVASES. */
async function colouredPixels() {
  return Promise.all(CANVASES.map((id) => colouredIn(id)));
}

/** @param {string} id */
async function colouredIn(id) {
  return colouredInPage(page, `#${id}`);
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

/** Open the disclosure (`<details>`) around `selector`, if any, so it can be used. @param {string} selector */
async function reveal(selector) {
  await page.$eval(selector, (element) => {
    const details = element.closest('details');
    if (details) details.open = true;
  });
}

/** Select `value` in the form field `name` (fires change); resolves to the build count before. @param {string} name @param {string} value */
async function choose(name, value) {
  const before = await builds();
  await reveal(`[name=${name}]`);
  await page.selectOption(`[name=${name}]`, value);
  return before;
}

/** Type `value` into field `name` and fire change; resolves to the build count before. @param {string} name @param {string} value */
async function type(name, value) {
  const before = await builds();
  await reveal(`[name=${name}]`);
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
    await page.goto(`${base}index.html?view=playground`);
    await waitReady();
    await waitColoured(page, CANVASES.map((id) => `#${id}`)).catch(() => {});
    const counts = await colouredPixels();
    counts.forEach((count, i) => check(count > 500, `${CANVASES[i]} is blank (${count} coloured pixels)`));
    check(page.url().includes('#task=turcu-classification'), `state not in the URL hash: ${page.url()}`);
    // the task menu is the wasm catalog, grouped by paper: one group per paper, every task once
    const shownGroups = await page.$$eval('select[name=task] optgroup', (g) => g.map((x) => `${x.getAttribute('label')}:${x.children.length}`));
    const catalogGroups = await page.evaluate(async () => {
      const { loadWasm } = await import('./www/wasm.js');
      /** @type {Map<string, number>} */
      const byPaper = new Map();
      for (const t of (await loadWasm()).taskCatalog()) byPaper.set(t.paper, (byPaper.get(t.paper) ?? 0) + 1);
      return [...byPaper].map(([paper, n]) => `${paper}:${n}`);
    });
    check(catalogGroups.length >= 5 && shownGroups.join('|') === catalogGroups.join('|'), `task groups ${shownGroups} != catalog ${catalogGroups}`);
    // the form's task setting and paper defaults are the catalog's (Rust lab::form_setting)
    const setting = await page.evaluate(async () => {
      const { buildConfig, defaults, paperDefaults } = await import('./www/state.js');
      const config = buildConfig({ ...defaults(), task: 'turcu-classification', patterns: 12 });
      return { config, yang: paperDefaults('yang-go'), jl: paperDefaults('jl-xor'), plain: buildConfig({ ...defaults(), task: 'jl-xor' }) };
    });
    const { network: tn, train: tt, task: tk } = setting.config;
    check(tn.input_map === 'identity' && tn.readout === 'population' && tn.train_bias === false && tk.n_patterns === 12
      && tk.target_high === 0.6 && tk.target_low === 0.4 && 'hinge' in (tt.loss ?? {}) && tt.clip_norm === 0,
      `Turcu setting from the catalog: ${JSON.stringify(setting.config)}`);
    check(setting.plain.network.input_map === 'dense' && setting.plain.network.readout === 'trained' && !('n_patterns' in setting.plain.task),
      `plain task setting: ${JSON.stringify(setting.plain)}`);
    check(setting.yang?.n === 256 && setting.yang?.noise === 0.05 && setting.jl?.n === 50 && setting.jl?.lr === 0.01,
      `paper defaults from the catalog: ${JSON.stringify([setting.yang, setting.jl])}`);
    // the menus are the wasm module's lists (optionNames), not copies
    const menus = await page.evaluate(async () => {
      const { loadWasm } = await import('./www/wasm.js');
      const names = (await loadWasm()).optionNames();
      const shown = (/** @type {string} */ n) => [...document.querySelectorAll(`select[name=${n}] option`)].map((o) => /** @type {HTMLOptionElement} */ (o).value);
      return ['connectivity', 'activation', 'dynamics', 'init', 'rule'].map((n) => [n, names[n].join(), shown(n).join()]);
    });
    for (const [name, fromWasm, shown] of menus) check(fromWasm.length > 0 && fromWasm === shown, `${name} menu ${shown} != wasm ${fromWasm}`);
    check(menus.find(([n]) => n === 'rule')?.[1].includes('predictive-coding'), 'rule menu lacks predictive-coding');
    // the percolation chart's min K comes from the wasm summary: it grows with N
    const summary = await page.evaluate(async () => {
      const { loadWasm } = await import('./www/wasm.js');
      const wasm = await loadWasm();
      const points = wasm.sweepPoints({ experiment: 'percolation', ns: [50, 3200], ks: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], trials: 4 });
      return wasm.percolationSummary(points.map((p) => wasm.runSweepPoint(p)), 0.5);
    });
    check(summary.length === 2 && summary[0].min_k !== null && summary[1].min_k > summary[0].min_k,
      `percolationSummary: ${JSON.stringify(summary)}`);
  }],
  ['a Turcu task draws the readout picture, the sheet shows only for local masks, the claims table runs', async () => {
    check(await page.isVisible('#readout'), 'readout picture hidden for a Turcu task');
    check(!(await page.isVisible('#sheet')), 'the 2-D sheet is shown for a fixed-in-degree mask');
    await page.click('#analyse');
    await page.waitForFunction(() => Number(document.getElementById('status')?.dataset.readout ?? 0) > 3, null, { timeout: 60_000, polling: 250 });
    for (const id of ['plot-readout-before', 'plot-readout-after']) check((await colouredIn(id)) > 500, `${id} is blank`);
    const available = await page.evaluate(async () => {
      const { loadWasm } = await import('./www/wasm.js');
      const wasm = /** @type {any} */ (await loadWasm());
      return typeof wasm.runClaim === 'function' && typeof wasm.claimIds === 'function';
    });
    if (!available) {
      check((await page.textContent('#claims-status'))?.includes('claims not available in this build'), 'no "not available" note');
      check(await page.isDisabled('#claims-run'), 'Run claims enabled without the exports');
      return;
    }
    // the first Turcu & Abbott claim, quick, in a pool worker: its row is filled
    await page.evaluate(() => /** @type {any} */ (window).labDebug.claims('turcu', 1));
    await page.waitForFunction(() => document.getElementById('claims-status')?.dataset.done === 'turcu', null, { timeout: 300_000, polling: 500 });
    const cells = await page.$$eval('#claims-body tr:first-child td', (tds) => tds.map((td) => td.textContent ?? ''));
    check(cells.length === 6 && ['✓', '✗'].includes(cells[4]) && Number.isFinite(Number(cells[5])),
      `claim row: ${JSON.stringify(cells)}; status: ${await page.textContent('#claims-status')}`);
    check(/claims hold/.test((await page.textContent('#claims-status')) ?? ''), `claims status: ${await page.textContent('#claims-status')}`);
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
    await waitColoured(page, ['#plot-eigen', '#plot-degradation', '#plot-pca']).catch(() => {});
    for (const id of ['plot-eigen', 'plot-degradation', 'plot-pca']) {
      check((await colouredIn(id)) > 500, `${id} is blank`);
    }
  }],
  ['the model is autosaved and restored on reload', async () => {
    // the run is saved (IndexedDB) at the step the preset stopped at
    await page.waitForFunction(() => document.getElementById('status')?.dataset.saved === '300', null, { timeout: 30_000, polling: 100 });
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
  ['a dead training worker is replaced, the autosaved model restored, training goes on', async () => {
    const steps = () => page.evaluate(() => Number(document.getElementById('status')?.dataset.steps ?? 0));
    await page.click('#train');
    await page.waitForFunction((n) => Number(document.getElementById('status')?.dataset.steps ?? 0) > n, (await steps()) + 20, { timeout: 60_000, polling: 100 });
    await page.click('#pause'); // autosaves
    await page.waitForFunction(() => {
      const d = document.getElementById('status')?.dataset ?? {};
      return d.saved !== undefined && d.saved === d.steps;
    }, null, { timeout: 30_000, polling: 100 });
    const saved = await steps();
    const workers = await page.evaluate(() => /** @type {any} */ (window).labDebug.workersStarted());
    await page.click('#train');
    await page.waitForFunction((n) => Number(document.getElementById('status')?.dataset.steps ?? 0) > n, saved, { timeout: 60_000, polling: 100 });
    await page.evaluate(() => /** @type {any} */ (window).labDebug.trapTrainer());
    await page.waitForFunction(() => document.getElementById('status')?.dataset.recoveries === '1', null, { timeout: 30_000, polling: 50 });
    const text = await statusText();
    const restored = Number(/the autosaved model \((\d+) steps\)/.exec(text)?.[1] ?? -1);
    check(restored >= saved, `restored ${restored} steps, autosaved at ${saved}: ${text}`);
    check(text.includes('the training worker died') && text.includes('unreachable'), `status does not say what happened: ${text}`);
    check(await page.evaluate(() => /** @type {any} */ (window).labDebug.workersStarted()) === workers + 1, 'no new worker');
    // training resumes by itself, from the restored step
    await page.waitForFunction((n) => Number(document.getElementById('status')?.dataset.steps ?? 0) > n + 10, restored, { timeout: 60_000, polling: 100 });
    check((await statusText()).includes('recovered'), `the status line forgot the recovery: ${await statusText()}`);
    await page.click('#pause');
    console.log(`  autosaved at step ${saved}, restored ${restored} steps, trained on to step ${await steps()}`);
    // a hung worker (no heartbeat for 3 s) is replaced the same way
    await page.evaluate(() => /** @type {any} */ (window).labDebug.hangTrainer(20_000, 3000));
    await page.waitForFunction(() => document.getElementById('status')?.dataset.recoveries === '2', null, { timeout: 15_000, polling: 100 });
    const hung = await statusText();
    check(hung.includes('no heartbeat for 3 s') && hung.includes('the autosaved model'), `after a hang: ${hung}`);
    await page.evaluate(() => { /** @type {any} */ (window).labDebug.hangTrainer(0, 60_000); });
    // a worker that traps while building a network is not restarted with the same
    // network (it would trap again); the next build starts a new worker
    await page.evaluate(() => /** @type {any} */ (window).labDebug.trapNextBuild());
    await type('n', '48');
    const dead = await waitError();
    check(dead.includes('while building this network') && dead.includes('not restarted'), `status: ${dead}`);
    await waitReady(await type('n', '50'));
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
  ['a sweep runs in workers, reruns a lost point once, reports a twice-lost one, and can be cancelled', async () => {
    // point 0's worker dies once (the rerun succeeds), point 1's twice (reported failed)
    await reveal('#sweep-kind');
    await page.selectOption('#sweep-kind', 'percolation');
    await page.evaluate(() => /** @type {any} */ (window).labDebug.sweep('percolation', { 0: 1, 1: 2 }));
    await page.waitForFunction(() => document.getElementById('sweep-status')?.dataset.done === 'percolation', null, { timeout: 120_000, polling: 250 });
    const data = await page.evaluate(() => ({ ...document.getElementById('sweep-status')?.dataset }));
    let text = (await page.textContent('#sweep-status')) ?? '';
    check(data.failed === '1' && data.reruns === '2', `failed ${data.failed}, reruns ${data.reruns}: ${text}`);
    check(text.includes('1 failed') && text.includes('point 2') && text.includes('lost twice'), text);
    check((await colouredIn('plot-sweep')) > 500, 'sweep chart blank');
    await page.selectOption('#sweep-kind', 'capacity');
    await page.click('#sweep-run');
    await page.click('#sweep-cancel');
    text = (await page.textContent('#sweep-status')) ?? '';
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
  ['the Khona preset trains the Mod-Cog mixture, its sweep draws four masks (autapses fail the seq task, dense learns it) beside the native N = 1024 figure; a bad `tasks` id is named', async () => {
    const started = Date.now();
    await page.goto(`${base}index.html?preset=khona`);
    await page.waitForFunction(() => document.getElementById('sweep-status')?.dataset.done === 'sparsity' ||
      document.getElementById('sweep-status')?.classList.contains('error'), null, { timeout: 300_000, polling: 500 });
    const seconds = (Date.now() - started) / 1000;
    const sweep = (await page.textContent('#sweep-status')) ?? '';
    console.log(`  Khona preset (training + sweep): ${seconds.toFixed(1)} s; ${sweep}`);
    check(sweep.includes('done, 4 points') && !sweep.includes('failed'), sweep);
    check(page.url().includes('task=ngym-modcog-mixture') && page.url().includes('tasks=ngym-modcog-dlygo'), page.url());
    check(await page.isVisible('#tasks-label'), 'the mixture-tasks field is hidden for a mixture');
    // the chart's legend: the four masks (drawn by Rust into the canvas; read the labels back)
    const labels = JSON.parse(await page.evaluate(() => document.getElementById('sweep-status')?.dataset.labels ?? '[]'));
    for (const mask of ['autapse', 'dense', 'local', 'random']) {
      check(labels.some((/** @type {string} */ l) => l.startsWith(mask)), `no ${mask} series: ${JSON.stringify(labels)}`);
    }
    // what the caption says: autapses alone solve the plain tasks, not the sequence task,
    // which dense learns (each score read from its series' legend)
    const score = (/** @type {string} */ mask, /** @type {string} */ family) =>
      Number(new RegExp(`${family} ([0-9.]+)`).exec(labels.find((/** @type {string} */ l) => l.startsWith(mask)) ?? '')?.[1]);
    check(score('autapse', 'base') > 0.8 && score('autapse', 'seq') < 0.3 && score('dense', 'seq') > 0.8,
      `autapse base ${score('autapse', 'base')}, seq ${score('autapse', 'seq')}; dense seq ${score('dense', 'seq')}`);
    check((await colouredIn('plot-sweep')) > 2000, 'sweep chart blank');
    check((await colouredIn('plot-pertask')) > 500, 'per-task plot blank');
    // beside it, the native LM-RNN study at N = 1024 (lab::page_sweeps, www/data): its two
    // charts drawn under a caption that names its seeds
    await page.waitForFunction(() => document.getElementById('sweep-native')?.dataset.drawn !== undefined,
      null, { timeout: 30_000, polling: 200 });
    const native = await page.evaluate(() => {
      const box = document.getElementById('sweep-native');
      return { drawn: box?.dataset.drawn, hidden: box?.hidden, text: box?.textContent ?? '' };
    });
    check(native.drawn === '2' && !native.hidden && native.text.includes('N = 1024') && native.text.includes('seed'),
      `native figure: ${JSON.stringify(native)}`);
    for (const id of ['plot-sweep-native-0', 'plot-sweep-native-1']) {
      check((await colouredIn(id)) > 2000, `${id} blank`);
    }
    await page.screenshot({ path: new URL('../../target/screenshots/khona-smoke.png', import.meta.url).pathname, fullPage: true });
    await type('tasks', 'ngym-modcog-dlygo, ngym-modcog-nope');
    const text = await waitError();
    check(text.includes('task.tasks') && text.includes('ngym-modcog-nope'), `status: ${text}`);
  }],
  ['the SpyTorch preset trains a spiking network above chance and draws its spike raster', async () => {
    const started = Date.now();
    await page.goto(`${base}index.html?preset=spytorch`);
    await page.waitForFunction(() => document.getElementById('status')?.dataset.preset === 'spytorch' ||
      document.getElementById('status')?.classList.contains('error'), null, { timeout: 300_000, polling: 500 });
    const text = await statusText();
    console.log(`  SpyTorch preset: ${((Date.now() - started) / 1000).toFixed(1)} s; ${text}`);
    const accuracy = Number(/accuracy ([0-9.]+)/.exec(text)?.[1]);
    // the tutorial's 0.86 after 1000 steps; chance is 0.5
    check(accuracy >= 0.7, `accuracy ${accuracy} after the preset (status: ${text})`);
    check(await page.isVisible('#plot-raster'), 'spike raster hidden for a spiking network');
    await waitColoured(page, ['#plot-raster'], 2000).catch(() => {});
    check((await colouredIn('plot-raster')) > 2000, 'spike raster blank');
    await page.screenshot({ path: new URL('../../target/screenshots/spytorch-smoke.png', import.meta.url).pathname, fullPage: true });
  }],
  ['the three widgets of www/embed.html train and draw', async () => {
    await page.goto(`${base}www/embed.html`);
    const state = (/** @type {string} */ id) => page.evaluate((i) => document.getElementById(i)?.dataset.state, id);
    // 1: preset, default controls
    await page.waitForFunction(() => document.getElementById('w-preset')?.dataset.state === 'ready', null, { timeout: 60_000 });
    await page.click('#w-preset [data-run]');
    await page.waitForFunction(() => Number(document.getElementById('w-preset')?.dataset.steps ?? 0) >= 50, null, { timeout: 60_000, polling: 250 });
    await page.click('#w-preset [data-pause]'); // keeps the model in memory
    // a dead widget worker is replaced too, with the model it kept (saved when paused)
    await page.waitForFunction(() => document.getElementById('w-preset')?.dataset.saved !== undefined, null, { timeout: 30_000, polling: 50 });
    const paused = Number(await page.evaluate(() => document.getElementById('w-preset')?.dataset.saved));
    const reported = Number(await page.evaluate(() => document.getElementById('w-preset')?.dataset.steps));
    check(paused === reported, `widget saved at step ${paused}, last reported ${reported}`);
    await page.evaluate(() => /** @type {any} */ (document.getElementById('w-preset')).client.debugTrap());
    await page.waitForFunction(() => /recovered after the worker died/.test(document.querySelector('#w-preset [data-status]')?.textContent ?? ''), null, { timeout: 30_000, polling: 100 });
    const restored = Number(await page.evaluate(() => document.getElementById('w-preset')?.dataset.steps));
    check(restored === paused, `widget restored ${restored} steps, paused at ${paused}`);
    await page.click('#w-preset [data-run]');
    await page.waitForFunction((n) => Number(document.getElementById('w-preset')?.dataset.steps ?? 0) > n + 5, paused, { timeout: 60_000, polling: 100 });
    const first = await page.evaluate(() => /** @type {any} */ (document.getElementById('w-preset')).client.workersStarted);
    check(first === 2, `widget workers started: ${first}`);
    await page.click('#w-preset [data-pause]');
    // 2: config, autoplay, no controls: trains to `steps` by itself
    check(await page.$$eval('#w-config button, #w-config [data-status]', (b) => b.length) === 0, 'controls="none" shows controls');
    await page.waitForFunction(() => document.getElementById('w-config')?.dataset.state === 'done', null, { timeout: 90_000, polling: 250 });
    check(await page.evaluate(() => document.getElementById('w-config')?.dataset.steps) === '60', 'config widget did not stop at 60');
    // 3: hash, driven by the page through methods and events
    check(await page.$$eval('#w-hash button', (b) => b.length) === 0, 'controls="status" shows buttons');
    check(await state('w-hash') === 'ready', `hash widget: ${await state('w-hash')}`);
    await page.click('#go');
    await page.waitForFunction(() => /^done at step 60/.test(document.getElementById('events')?.textContent ?? ''), null, { timeout: 90_000, polling: 250 });
    const model = await page.evaluate(() => /** @type {any} */ (document.getElementById('w-hash')).saveModel());
    check(JSON.parse(model).schema === 'sparse-rnn-lab/model' && JSON.parse(model).steps_done === 60, `saveModel: ${model.slice(0, 120)}`);
    const drawn = ['#w-preset canvas[data-plot=trial]', '#w-preset canvas[data-plot=loss]', '#w-config canvas[data-plot=output]',
      '#w-config canvas[data-plot=accuracy]', '#w-hash canvas[data-plot=loss]', '#w-hash canvas[data-plot=eigen]'];
    // the eigenvalue plot is drawn from the analysis that follows `done`
    await page.waitForFunction((sels) => sels.every((sel) => document.querySelector(sel)?.getAttribute('data-drawn')), drawn,
      { timeout: 60_000, polling: 100 });
    for (const selector of drawn) {
      const pixels = await colouredInPage(page, selector);
      check(pixels > 1000, `${selector} blank (${pixels})`);
    }
    await page.screenshot({ path: new URL('../../target/screenshots/embed.png', import.meta.url).pathname, fullPage: true });
  }],
  ['every control has an accessible name, Tab reaches the buttons in document order, and the layout fits 1280×800 and a tablet', async () => {
    const cdp = await page.context().newCDPSession(page);
    /** The interactive nodes without a name in Chromium's accessibility tree (its computed names). */
    const unnamed = async () => {
      const { nodes } = /** @type {{nodes: any[]}} */ (await cdp.send('Accessibility.getFullAXTree'));
      const roles = ['button', 'textbox', 'combobox', 'spinbutton', 'checkbox', 'slider', 'listbox', 'radio', 'link', 'progressbar', 'searchbox'];
      return nodes.filter((n) => !n.ignored && roles.includes(n.role?.value) && !String(n.name?.value ?? '').trim())
        .map((n) => `${n.role.value}#${n.backendDOMNodeId}`);
    };
    for (const [width, height] of [[1280, 800], [820, 1180]]) {
      await page.setViewportSize({ width, height });
      for (const view of ['gallery', 'playground', 'runs']) {
        await page.goto(`${base}index.html?view=${view}`);
        await page.waitForFunction((v) => document.body.dataset.view === v, view, { timeout: 60_000 });
        if (view === 'playground') await waitReady();
        if (view === 'gallery') await page.waitForFunction(() => document.querySelectorAll('#gallery-cards [data-card]').length > 0, null, { timeout: 60_000 });
        // open every disclosure so its controls are in the tree too
        await page.$$eval('details', (all) => all.forEach((d) => { /** @type {HTMLDetailsElement} */ (d).open = true; }));
        const missing = await unnamed();
        check(missing.length === 0, `${view} at ${width}×${height}: controls without an accessible name: ${missing.join(', ')}`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        check(overflow <= 0, `${view} at ${width}×${height} scrolls sideways by ${overflow} px`);
        await page.screenshot({ path: new URL(`../../target/screenshots/a11y-${view}-${width}x${height}.png`, import.meta.url).pathname });
      }
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    // no positive tabindex (focus follows the document), and Tab reaches the run buttons
    check(await page.$$eval('[tabindex]', (all) => all.filter((e) => Number(e.getAttribute('tabindex')) > 0).length) === 0, 'a positive tabindex');
    // from a fresh load (the focus starts at the document; no click moved it)
    await page.goto(`${base}index.html?view=playground`);
    await waitReady();
    /** @type {string[]} */
    const reached = [];
    for (let i = 0; i < 120 && !reached.includes('reset'); i++) {
      await page.keyboard.press('Tab');
      reached.push(await page.evaluate(() => document.activeElement?.id || document.activeElement?.getAttribute('name') || document.activeElement?.tagName || ''));
    }
    for (const id of ['task', 'n', 'train', 'reset']) check(reached.includes(id), `Tab never reaches ${id}: ${reached.join(' ')}`);
    check(reached.indexOf('task') < reached.indexOf('train'), `focus order: ${reached.join(' ')}`);
    await cdp.detach();
  }],
];

/** The state a check starts from when the check before it did not run (`--only`). */
async function freshPlayground() {
  await page.goto(`${base}index.html?view=playground`);
  await waitReady();
}
/** @type {Record<number, () => Promise<void>>} setup of check i run alone (check 0 and the last load their own page) */
const setups = {
  1: freshPlayground,
  2: freshPlayground,
  3: async () => { await freshPlayground(); await checks[2][1](); }, // the reload restores the preset's run
  4: freshPlayground, 5: freshPlayground, 6: freshPlayground, 7: freshPlayground, 8: freshPlayground, 9: freshPlayground,
};
const chosen = /** @type {[string, () => Promise<void>][]} */ (checks.flatMap(([name, run], i) => {
  if (args.only !== undefined && !String(name).includes(args.only)) return [];
  const previousRuns = args.only === undefined || String(checks[i - 1]?.[0] ?? '').includes(args.only);
  const setup = setups[i];
  return [[name, previousRuns || !setup ? run : async () => { await setup(); await run(); }]];
}));
check(chosen.length > 0, `no check matches --only ${args.only}`);
const failed = await runChecks(args.label, chosen, problems, async () => `status: ${await statusText()}`);
await browser.close();
server?.close();
process.exit(failed === 0 ? 0 : 1);
