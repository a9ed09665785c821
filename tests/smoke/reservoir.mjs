// Browser smoke test of the reservoir preset (issue #22): serve the site, open
// `index.html?preset=reservoir` in headless Debian Chromium (playwright-core), and check
// that the echo-state network fits its ridge readout in the page (the preset's 2 steps),
// scores R² > 0.99 on one-step Mackey-Glass prediction (the status line's accuracy), and
// draws prediction vs target (the trial and output plots) and the eigen-spectrum.
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
    const accuracy = Number(/accuracy ([0-9.]+)/.exec(text)?.[1]);
    check(accuracy > 0.99, `one-step R² ${accuracy} (status: ${text})`);
    const log = await page.evaluate(() => /** @type {any} */ (window).labLog);
    check(log.length >= 1 && log[log.length - 1].step >= 2, `progress: ${JSON.stringify(log)}`);
    check((await page.textContent('#preset-caption'))?.includes('Mackey-Glass'), 'caption missing');
    const plots = ['#plot-trial', '#plot-output', '#plot-eigen'];
    await waitColoured(page, plots).catch(() => {});
    for (const id of plots) check((await colouredIn(page, id)) > 500, `${id} is blank`);
    await page.screenshot({ path: new URL('../../target/screenshots/reservoir-smoke.png', import.meta.url).pathname, fullPage: true });
  }],
];

const failed = await runChecks(args.label, checks, problems, async () => `status: ${await statusText()}`);
await browser.close();
server?.close();
process.exit(failed === 0 ? 0 : 1);
