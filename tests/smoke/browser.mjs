// Shared helpers of the browser tests (smoke.mjs, web-package.mjs): headless Debian
// Chromium through playwright-core (no downloaded browser), a problem log per page, and
// a count of the coloured pixels of a canvas.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { portOf, serve } from '../../scripts/serve.mjs';
import { errorText } from '../../www/errors.js';

export { errorText };

/**
 * The site a test opens: `base` when given (nothing served), else `root` (default: the
 * repository) served on a free port. Exits with 2 when the served folder has no built
 * page (`www/pkg`). @param {{ root?: string, base?: string }} args
 * @returns {Promise<{ server: import('node:http').Server | null, base: string }>}
 */
export async function siteUnderTest(args) {
  if (args.base !== undefined) return { server: null, base: String(args.base) };
  const root = resolve(args.root ?? fileURLToPath(new URL('../..', import.meta.url)));
  if (!existsSync(join(root, 'www/pkg/sparse_rnn_lab_bg.wasm'))) {
    console.error(`${root}/www/pkg is missing: run \`bash scripts/build-web.sh\` first`);
    process.exit(2);
  }
  const server = await serve(0, root);
  return { server, base: `http://127.0.0.1:${portOf(server)}/` };
}

/**
 * Chromium as root on a CI machine: headless, no sandbox, no network chatter. `options`
 * add to playwright's launch options (e.g. `handleSIGHUP: false` for a background run).
 * @param {import('playwright-core').LaunchOptions} [options]
 */
export async function launch(options = {}) {
  return chromium.launch({
    ...options,
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run',
    ],
  });
}

/**
 * Collect the console errors, page errors and failed requests of `page` into the
 * returned array, `problems` when given (a navigation's aborted fetches, net::ERR_ABORTED,
 * are not failures). @param {import('playwright-core').Page} page @param {string[]} [problems]
 */
export function watch(page, problems = /** @type {string[]} */ ([])) {
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText ?? 'unknown';
    if (reason === 'net::ERR_ABORTED') return;
    problems.push(`request failed (${reason}): ${request.url()}`);
  });
  return problems;
}

/** Throw `message` unless `condition`. @param {unknown} condition @param {string} message */
export function check(condition, message) {
  if (!condition) throw new Error(message);
}

/**
 * Pixels that are neither transparent nor white in the canvas `selector` (a CSS
 * selector; `#id` for an id). @param {import('playwright-core').Page} page @param {string} selector
 */
export async function colouredIn(page, selector) {
  return page.evaluate((sel) => {
    const canvas = /** @type {HTMLCanvasElement | null} */ (document.querySelector(sel));
    if (!canvas) return -1;
    const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
    let count = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] > 0 && (data[i] < 250 || data[i + 1] < 250 || data[i + 2] < 250)) count++;
    }
    return count;
  }, selector);
}

/**
 * Run `checks` ([name, async fn] pairs) in order; a check fails when it throws or when
 * it added to `problems`. Prints `ok`/`FAIL` lines and the closing
 * `<label>: P passed, F failed` line that scripts/test.sh reads; returns the failures.
 * @param {string} label @param {[string, () => Promise<void>][]} checks @param {string[]} problems
 * @param {() => Promise<string>} [context] extra text printed under a failure
 */
export async function runChecks(label, checks, problems, context) {
  let passed = 0;
  let failed = 0;
  for (const [name, run] of checks) {
    const before = problems.length;
    const started = Date.now();
    try {
      await run();
      const fresh = problems.slice(before);
      check(fresh.length === 0, fresh.join('\n    '));
      passed++;
      console.log(`ok   ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } catch (error) {
      failed++;
      const extra = context ? `\n    ${await context().catch(() => '?')}` : '';
      console.log(`FAIL ${name}\n    ${errorText(error)}${extra}`);
    }
  }
  console.log(`${label}: ${passed} passed, ${failed} failed`);
  return failed;
}

/**
 * Wait until every canvas of `selectors` has more than `min` coloured pixels (drawn).
 * @param {import('playwright-core').Page} page @param {string[]} selectors @param {number} [min]
 * @param {number} [timeout]
 */
export async function waitColoured(page, selectors, min = 500, timeout = 60_000) {
  await page.waitForFunction(([sels, least]) => sels.every((sel) => {
    const canvas = /** @type {HTMLCanvasElement | null} */ (document.querySelector(sel));
    const data = canvas?.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
    let count = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] > 0 && (data[i] < 250 || data[i + 1] < 250 || data[i + 2] < 250)) count++;
    }
    return count > least;
  }), [selectors, min], { timeout, polling: 200 });
}

/**
 * Wait until `condition()` (checked in Node every 50 ms) holds; throws `message` after
 * `timeout` ms. For conditions on Node-side state (a problem log, a file), where
 * `page.waitForFunction` cannot look. @param {() => boolean | Promise<boolean>} condition
 * @param {number} timeout @param {string} message
 */
export async function until(condition, timeout, message) {
  const deadline = Date.now() + timeout;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(message);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
