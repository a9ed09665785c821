// Screenshots of the page after each preset ran, for looking at the plots:
//   node tests/smoke/screenshot.mjs [preset ...]     (default: every preset but the long runs)
// Writes target/screenshots/<preset>.png (full page). Needs www/pkg (scripts/build-web.sh).
// Console errors and page errors are printed and make the exit status non-zero.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serve } from '../../scripts/serve.mjs';
import { PRESETS } from '../../www/presets.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUT = `${ROOT}target/screenshots`;
const wanted = process.argv.slice(2);
// a long-run preset (Yang: tens of minutes) only when asked for; see tests/smoke/long-run.mjs
const presets = PRESETS.filter((p) => (wanted.length === 0 && !p.longRun) || wanted.includes(p.id));
mkdirSync(OUT, { recursive: true });

const server = await serve(0, ROOT);
const address = server.address();
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
let problems = 0;
for (const preset of presets) {
  const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
  page.on('console', (m) => { if (m.type() === 'error') { problems++; console.log(`  console.error: ${m.text()}`); } });
  page.on('pageerror', (e) => { problems++; console.log(`  page error: ${e.message}`); });
  const started = Date.now();
  await page.goto(`${base}index.html?preset=${preset.id}`);
  await page.waitForFunction((id) => document.getElementById('status')?.dataset.preset === id, preset.id, { timeout: 600_000, polling: 500 });
  if (preset.sweep) {
    await page.waitForFunction((s) => document.getElementById('sweep-status')?.dataset.done === s || document.getElementById('sweep-status')?.classList.contains('error'), preset.sweep, { timeout: 600_000, polling: 500 });
  }
  await page.waitForTimeout(2500);
  const file = `${OUT}/${preset.id}.png`;
  await page.screenshot({ path: file, fullPage: true });
  console.log(`${preset.id}: ${((Date.now() - started) / 1000).toFixed(0)} s -> ${file}`);
  console.log(`  status: ${await page.textContent('#status')}`);
  console.log(`  sweep:  ${await page.textContent('#sweep-status')}`);
  await page.close();
}
await browser.close();
server.close();
process.exit(problems === 0 ? 0 : 1);
