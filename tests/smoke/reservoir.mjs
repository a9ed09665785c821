// Browser smoke test of the reservoir preset (issue #22): serve the site, open
// `index.html?preset=reservoir` in headless Debian Chromium (playwright-core), and check
// that the echo-state network fits its ridge readout in the page (the preset's 2 steps),
// scores R² > 0.99 on one-step Mackey-Glass prediction (the status line's score, labelled R²), and
// draws prediction vs target (the trial and output plots), the eigen-spectrum with ρ, the
// closed-loop generation and the memory-capacity curve; that the
// form shows the reservoir's own parameters (300 units, leak 0.3, sr 1.25, ridge, warmup),
// that the form's state gives back the preset's run description, and that a reload keeps
// the reservoir (the state lives in the URL hash); that the connectivity menu of a reservoir
// is the wasm module's reservoir masks (Rodan & Tiňo's `cycle` included) and a cycle
// reservoir trains.
// Writes target/screenshots/reservoir-smoke.png (the preset, to check by eye).
// Any console error or uncaught page error fails the check during which it happened.
//   node tests/smoke/reservoir.mjs [--root DIR | --base URL]
// --root: the folder to serve (default: the repository root, which needs www/pkg built by
// scripts/build-web.sh); --base: test a site already served there, ending with `/`.
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { check, colouredIn, launch, runChecks, waitColoured, watch, siteUnderTest } from './browser.mjs';

const { values: args } = parseArgs({
  options: { root: { type: 'string' }, base: { type: 'string' }, label: { type: 'string', default: 'reservoir' } },
});
mkdirSync(new URL('../../target/screenshots', import.meta.url), { recursive: true });
const { server, base } = await siteUnderTest(args);
const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
const problems = watch(page);

const statusText = async () => (await page.textContent('#status')) ?? '';

const checks = [
  ['the reservoir preset fits its ridge readout and predicts Mackey-Glass one step ahead', async () => {
    const started = Date.now();
    await page.goto(`${base}index.html?preset=reservoir`);
    await page.waitForFunction(() => document.getElementById('status')?.dataset.preset === 'reservoir' ||
      document.getElementById('status')?.classList.contains('error'), null, { timeout: 180_000, polling: 250 });
    const text = await statusText();
    console.log(`  reservoir preset: ${((Date.now() - started) / 1000).toFixed(1)} s; ${text}`);
    check(!text.startsWith('Error'), text);
    // the status line names the task's score (R², not "accuracy") and the time per step
    const accuracy = Number(/R² \(≤ 0 shown as 0\) ([0-9.]+)/.exec(text)?.[1]);
    check(accuracy > 0.99, `one-step R² ${accuracy} (status: ${text})`);
    check(!/\b0 steps\/s/.test(text), `a multi-second fit reads as 0 steps/s: ${text}`);
    const log = await page.evaluate(() => /** @type {any} */ (window).labLog);
    check(log.length >= 1 && log[log.length - 1].step >= 2, `progress: ${JSON.stringify(log)}`);
    check((await page.textContent('#preset-caption'))?.includes('Mackey-Glass'), 'caption missing');
    const plots = ['#plot-trial', '#plot-output', '#plot-eigen', '#plot-generation', '#plot-memory'];
    await waitColoured(page, plots).catch(() => {});
    for (const id of plots) check((await colouredIn(page, id)) > 500, `${id} is blank`);
    await page.screenshot({ path: new URL('../../target/screenshots/reservoir-smoke.png', import.meta.url).pathname, fullPage: true });
  }],
  ['the form shows the reservoir section, and its state gives back the preset', async () => {
    const values = await page.evaluate(() => Object.fromEntries(
      ['reservoir', 'n', 'leak', 'rsr', 'inscale', 'rcconn', 'inconn', 'ridge', 'warmup', 'connectivity', 'taskopts']
        .map((name) => [name, /** @type {HTMLInputElement} */ (document.querySelector(`[name="${name}"]`))?.value])));
    const want = { reservoir: '1', n: '300', leak: '0.3', rsr: '1.25', inscale: '1', rcconn: '0.1', inconn: '0.1', ridge: '0.000001', warmup: '100', connectivity: 'random-density' };
    for (const [name, value] of Object.entries(want)) check(values[name] === value, `field ${name}: ${values[name]}, want ${value}`);
    check(JSON.parse(values.taskopts ?? '{}').n_steps === 2000, `task settings ${values.taskopts}`);
    check(await page.isVisible('#reservoir-fields'), 'the reservoir fields are hidden');
    check(!(await page.isVisible('#k-label')), 'the network K shows for a reservoir');
    const roundTrip = await page.evaluate(async () => {
      const state = await import('./www/state.js');
      const presets = await import('./www/presets.js');
      const preset = presets.presetById('reservoir');
      return { built: state.buildConfig(state.stateFromConfig(preset.run)), run: preset.run };
    });
    const { built, run } = roundTrip;
    for (const [key, value] of Object.entries(run.reservoir)) {
      check(built.reservoir?.[key] === value, `reservoir.${key}: ${built.reservoir?.[key]} vs the preset's ${value}`);
    }
    for (const key of ['ridge', 'warmup', 'readout', 'rule']) check(built.rule[key] === run.rule[key], `rule.${key}: ${built.rule[key]} vs ${run.rule[key]}`);
    for (const key of Object.keys(run.task)) check(built.task[key] === run.task[key], `task.${key}: ${built.task[key]} vs ${run.task[key]}`);
    check(built.network === undefined, 'a network section beside the reservoir');
  }],
  ['a reload keeps the reservoir in the form', async () => {
    const hash = await page.evaluate(() => window.location.hash);
    check(hash.includes('reservoir=1') && hash.includes('n=300'), `hash ${hash}`);
    await page.reload();
    await page.waitForFunction(() => !(document.getElementById('status')?.textContent ?? 'loading').startsWith('loading'),
      null, { timeout: 120_000, polling: 250 });
    const n = await page.inputValue('[name="n"]');
    const leak = await page.inputValue('[name="leak"]');
    check(n === '300' && leak === '0.3', `after the reload: n ${n}, leak ${leak}`);
    check(await page.isVisible('#reservoir-fields'), 'the reservoir fields are hidden after the reload');
    const text = await statusText();
    check(!text.startsWith('Error'), text);
  }],
  ['the connectivity menu of a reservoir is Rust\'s reservoir masks, cycle included, and cycle builds', async () => {
    const menu = await page.evaluate(async () => {
      const { loadWasm } = await import('./www/wasm.js');
      const names = (await loadWasm()).optionNames();
      const shown = [...document.querySelectorAll('select[name=connectivity] option')].map((o) => /** @type {HTMLOptionElement} */ (o).value);
      return { wasm: names.reservoirMask.join(), shown: shown.join() };
    });
    check(menu.wasm.length > 0 && menu.shown === menu.wasm, `reservoir menu ${menu.shown} != wasm ${menu.wasm}`);
    check(menu.shown.split(',').includes('cycle'), `no cycle mask in ${menu.shown}`);
    await page.selectOption('[name="connectivity"]', 'cycle');
    await page.waitForFunction(() => window.location.hash.includes('connectivity=cycle'), null, { timeout: 30_000, polling: 250 });
    await page.click('#train');
    await page.waitForFunction(() => {
      const status = document.getElementById('status');
      return status?.classList.contains('error') || /step [1-9]/.test(status?.textContent ?? '');
    }, null, { timeout: 120_000, polling: 250 });
    const text = await statusText();
    check(!text.startsWith('Error'), `cycle reservoir: ${text}`);
  }],
];

const failed = await runChecks(args.label, checks, problems, async () => `status: ${await statusText()}`);
await browser.close();
server?.close();
process.exit(failed === 0 ? 0 : 1);
