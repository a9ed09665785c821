// Screenshots of the landing view (the paper gallery) and of each preset's playground
// view, at 1280 × 800 (and the landing view at a tablet's 820 × 1180), for looking at
// the page by eye; prints the time from opening the page to the first drawn plot and to
// the preset's result (its figure drawn, its sweep done):
//   node tests/smoke/screenshot.mjs [--out DIR] [preset ...]   (default: every preset but
//   the long runs; DIR default target/screenshots)
// Writes DIR/landing.png, DIR/landing-tablet.png, DIR/<preset>.png (the first screen) and
// DIR/<preset>-full.png; with --thumbs T also T/<preset>.jpg, the preset's figure for its
// gallery card (www/img). Needs www/pkg (scripts/build-web.sh). Console errors and page
// errors are printed and make the exit status non-zero. Not part of scripts/test.sh.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { portOf, serve } from '../../scripts/serve.mjs';
import { PAGE } from '../../www/presets.js';
import { launch, waitColoured } from './browser.mjs';

const { values: args, positionals: wanted } = parseArgs({
  options: { out: { type: 'string' }, thumbs: { type: 'string' } }, allowPositionals: true,
});
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUT = args.out ?? `${ROOT}target/screenshots`;
// a long-run preset (Yang: tens of minutes) only when asked for; see tests/smoke/long-run.mjs
const presets = Object.entries(PAGE).map(([id, page]) => ({ id, ...page }))
  .filter((p) => (wanted.length === 0 && p.figure !== 'long-run-details') || wanted.includes(p.id));
mkdirSync(OUT, { recursive: true });

const server = await serve(0, ROOT);
const base = `http://127.0.0.1:${portOf(server)}/`;
// a long background run: a stray SIGTERM on the shared machine is logged, not fatal
const browser = await launch({ handleSIGHUP: false, handleSIGTERM: false });
process.on('SIGTERM', () => console.log('ignored SIGTERM'));
let problems = 0;
/** @param {import('playwright-core').Page} page */
function watchPage(page) {
  page.on('console', (m) => { if (m.type() === 'error') { problems++; console.log(`  console.error: ${m.text()}`); } });
  page.on('pageerror', (e) => { problems++; console.log(`  page error: ${e.message}`); });
}

for (const [name, viewport] of [['landing', { width: 1280, height: 800 }], ['landing-tablet', { width: 820, height: 1180 }]]) {
  const context = await browser.newContext({ viewport: /** @type {any} */ (viewport) });
  const page = await context.newPage();
  watchPage(page);
  await page.goto(`${base}index.html`);
  await page.waitForSelector('#gallery-cards .card');
  await page.screenshot({ path: `${OUT}/${name}.png` });
  console.log(`${name}: ${OUT}/${name}.png`);
  await context.close();
}

for (const preset of presets) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  watchPage(page);
  const started = Date.now();
  await page.goto(`${base}index.html?preset=${preset.id}`);
  await waitColoured(page, ['#plot-trial'], 500, 120_000);
  const firstPlot = (Date.now() - started) / 1000;
  // a long-run preset (Yang) trains until stopped by hand: its first screen is its result
  const longRun = preset.figure === 'long-run-details';
  if (!longRun) await page.waitForFunction((id) => document.getElementById('status')?.dataset.preset === id, preset.id, { timeout: 900_000, polling: 500 });
  // the preset as the page read it from the wasm module (its sweep, if any)
  const sweep = await page.evaluate(async (id) => (await import('./www/presets.js')).presetById(id)?.sweep ?? null, preset.id);
  if (sweep && !longRun) {
    await page.waitForFunction((s) => document.getElementById('sweep-status')?.dataset.done === s || document.getElementById('sweep-status')?.classList.contains('error'), sweep, { timeout: 900_000, polling: 500 });
  }
  const figure = { readout: '#plot-readout-after', analysis: '#plot-eigen', 'sweeps-details': '#plot-sweep', 'long-run-details': '#plot-long-run', 'task-plots': '#plot-trial' }[preset.figure];
  if (figure && !longRun) await waitColoured(page, [figure], 2000, 120_000).catch(() => console.log(`  ${figure} not drawn`));
  const result = (Date.now() - started) / 1000;
  if (args.thumbs && figure) {
    mkdirSync(args.thumbs, { recursive: true });
    const shown = preset.figure === 'readout' ? '#readout .plots' : figure;
    await page.locator(shown).screenshot({ path: `${args.thumbs}/${preset.id}.jpg`, type: 'jpeg', quality: 80 });
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${OUT}/${preset.id}.png` });
  await page.screenshot({ path: `${OUT}/${preset.id}-full.png`, fullPage: true });
  console.log(`${preset.id}: first plot ${firstPlot.toFixed(1)} s, result ${result.toFixed(1)} s -> ${OUT}/${preset.id}.png`);
  console.log(`  status: ${await page.textContent('#status')}`);
  if (sweep) console.log(`  sweep:  ${await page.textContent('#sweep-status')}`);
  await context.close();
}
await browser.close();
server.close();
process.exit(problems === 0 ? 0 : 1);
