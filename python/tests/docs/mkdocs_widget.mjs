// The widget inside a static docs site built by the real MkDocs:
//   node python/tests/docs/mkdocs_widget.mjs <python with mkdocs> <npm package dir>
// Serves the npm package (scripts/package.sh) with CORS as the "CDN" on one port, builds
// docs/mkdocs/ with its extra_javascript pointed there (an INHERIT config), serves the
// built site on another port and opens it in headless Chromium: both widgets on the page
// (a preset, and a notebook's run description in `config`) must train 40 steps.
// Prints "mkdocs-widget: N passed, M failed".
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { portOf, serve } from '../../../scripts/serve.mjs';
import { errorText } from '../../../www/errors.js';

const [python, packageDir] = process.argv.slice(2);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const cdn = await serve(0, path.resolve(packageDir), { cors: true });
const work = mkdtempSync(path.join(tmpdir(), 'srnn-mkdocs-'));
const site = path.join(work, 'site');
const config = path.join(work, 'mkdocs.yml');
writeFileSync(config, [
  `INHERIT: ${path.join(root, 'docs/mkdocs/mkdocs.yml')}`,
  `docs_dir: ${path.join(root, 'docs/mkdocs/pages')}`,
  `site_dir: ${site}`,
  'extra_javascript:',
  `  - path: http://127.0.0.1:${portOf(cdn)}/widget.js`,
  '    type: module',
  '',
].join('\n'));
const t0 = Date.now();
execFileSync(python, ['-m', 'mkdocs', 'build', '--strict', '-q', '-f', config], { stdio: 'inherit' });
console.log(`mkdocs build: ${Date.now() - t0} ms`);
const server = await serve(0, site);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--no-first-run'],
});
let passed = 0;
let failed = 0;
const check = (name, ok, detail = '') => {
  console.log(`${ok ? 'ok' : 'FAILED'}: ${name}${detail ? ` (${detail})` : ''}`);
  if (ok) passed++; else failed++;
};
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  const started = Date.now();
  await page.goto(`http://127.0.0.1:${portOf(server)}/index.html`);
  const count = await page.locator('srnn-widget').count();
  check('the built page holds both widgets', count === 2, `${count}`);
  await page.waitForFunction(() => [...document.querySelectorAll('srnn-widget')]
    .every((w) => /** @type {HTMLElement} */ (w).dataset.state === 'done' || /** @type {HTMLElement} */ (w).dataset.state === 'error'),
  null, { timeout: 240_000, polling: 200 });
  const states = await page.evaluate(() => [...document.querySelectorAll('srnn-widget')]
    .map((w) => ({ state: /** @type {HTMLElement} */ (w).dataset.state, steps: /** @type {HTMLElement} */ (w).dataset.steps,
      status: w.querySelector('[data-status]')?.textContent })));
  console.log(`both widgets done ${Date.now() - started} ms after opening the page`);
  check('the preset widget trained 40 steps', states[0]?.state === 'done' && states[0]?.steps === '40', JSON.stringify(states[0]));
  check("the notebook's widget trained 40 steps", states[1]?.state === 'done' && states[1]?.steps === '40', JSON.stringify(states[1]));
} catch (error) {
  check('the page loaded and trained', false, errorText(error));
}
await browser.close();
server.close();
cdn.close();
console.log(`mkdocs-widget: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
