// The run library in the page (issue 24's acceptance scenario), in headless Debian
// Chromium (playwright-core): two tabs train two runs (Jarne & Laje XOR, seeds 1 and 2)
// and pause at different steps; then
//   1. tab A is reloaded: it resumes its own run at its own step (B's saves did not
//      clobber it),
//   2. tab B's worker dies: the new worker restores B's run at B's step,
//   3. a third tab asking for A's run (`?run=<id>`) is refused (A holds it) and starts
//      a new run,
//   4. Reset in tab B deletes only B's run: A, reloaded again, still resumes at its step,
//      and B's new run resumes after B's reload,
//   5. an N = 1024 dense run (a model file of ≈ 30 MB) is saved and survives a reload,
//   6. the one localStorage autosave of earlier versions becomes a run of the library,
//   7. the Runs panel lists the runs with their steps.
// Every wait is for a condition (a status attribute), never a fixed time; the checks
// depend on each other (one scenario) and run in order.
//   node tests/smoke/runs.mjs [--root DIR | --base URL]
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { check, launch, runChecks, watch, siteUnderTest } from './browser.mjs';

const { values: args } = parseArgs({
  options: { root: { type: 'string' }, base: { type: 'string' }, label: { type: 'string', default: 'runs' } },
});
const { server, base } = await siteUnderTest(args);
const browser = await launch();
// one context: the tabs share IndexedDB, Web Locks and BroadcastChannel, as tabs do
const context = await browser.newContext();
/** @type {string[]} */
const problems = [];

/** @param {number} seed @param {number} [n] @param {string} [extra] */
function xor(seed, n = 32, extra = '') {
  return `${base}index.html?view=playground#task=jl-xor&n=${n}&k=10&connectivity=dense&activation=tanh&init=orthogonal` +
    `&gain=1&noise=0&dynamics=rate&rule=bptt&lr=0.01&batch=16&seed=${seed}${extra}`;
}

/** A new tab, watched for errors. */
async function tab() {
  const page = await context.newPage();
  watch(page, problems);
  return page;
}

/** @param {import('playwright-core').Page} page */
async function dataset(page) {
  return page.evaluate(() => ({ ...document.getElementById('status')?.dataset }));
}

/** Wait until `page` says ready after more than `before` builds. @param {import('playwright-core').Page} page @param {number} [before] */
async function waitReady(page, before = 0) {
  await page.waitForFunction((n) => Number(document.getElementById('status')?.dataset.builds ?? 0) > n &&
    /^(ready|recovered)/.test(document.getElementById('status')?.textContent ?? ''), before, { timeout: 120_000, polling: 100 });
  return (await page.textContent('#status')) ?? '';
}

/**
 * Train to at least `steps` steps, pause, and wait for the run to be saved at the step
 * it paused at; resolves to that step. @param {import('playwright-core').Page} page @param {number} steps
 */
async function trainTo(page, steps) {
  await page.click('#train');
  await page.waitForFunction((n) => Number(document.getElementById('status')?.dataset.steps ?? 0) >= n, steps, { timeout: 300_000, polling: 50 });
  await page.click('#pause');
  await page.waitForFunction(() => {
    const d = document.getElementById('status')?.dataset ?? {};
    return !(/** @type {HTMLButtonElement} */ (document.getElementById('train'))).disabled && d.saved !== undefined && d.saved === d.steps;
  }, null, { timeout: 300_000, polling: 50 });
  return Number((await dataset(page)).saved);
}

/** @param {import('playwright-core').Page} page */
async function runId(page) {
  return String((await dataset(page)).run);
}

const pages = /** @type {Record<string, import('playwright-core').Page>} */ ({});
const steps = /** @type {Record<string, number>} */ ({});
const ids = /** @type {Record<string, string>} */ ({});

const checks = [
  ['two tabs train two runs to different steps', async () => {
    pages.a = await tab();
    pages.b = await tab();
    await pages.a.goto(xor(1));
    await pages.b.goto(xor(2));
    await Promise.all([waitReady(pages.a), waitReady(pages.b)]);
    steps.a = await trainTo(pages.a, 30);
    steps.b = await trainTo(pages.b, steps.a + 40);
    ids.a = await runId(pages.a);
    ids.b = await runId(pages.b);
    console.log(`  run A ${ids.a} at step ${steps.a}, run B ${ids.b} at step ${steps.b}`);
    check(ids.a !== ids.b && steps.a !== steps.b, `runs ${ids.a}/${ids.b} at ${steps.a}/${steps.b}`);
  }],
  ['tab A, reloaded, resumes its own run at its own step', async () => {
    await pages.a.reload();
    const text = await waitReady(pages.a);
    check(text.includes(`Restored the autosaved model (${steps.a} steps)`), `A after reload: ${text}`);
    check(await runId(pages.a) === ids.a, `A's run after reload: ${await runId(pages.a)}`);
  }],
  ['tab B\'s worker dies: the new worker restores B\'s run at B\'s step', async () => {
    const before = Number((await dataset(pages.b)).builds);
    await pages.b.evaluate(() => /** @type {any} */ (window).labDebug.trapTrainer());
    const text = await waitReady(pages.b, before);
    check(text.startsWith('recovered') && text.includes(`the autosaved model (${steps.b} steps)`), `B after its worker died: ${text}`);
  }],
  ['a third tab cannot open the run tab A holds', async () => {
    const c = await tab();
    await c.goto(`${base}index.html?view=playground&run=${ids.a}`);
    await waitReady(c);
    const notice = (await c.textContent('#run-notice')) ?? '';
    check(notice.includes('open in another tab'), `notice: ${notice}`);
    check(await runId(c) !== ids.a, 'the third tab took A\'s run');
    await c.close();
  }],
  ['Reset in tab B removes only B\'s run; A and B\'s new run resume after reloads', async () => {
    const before = Number((await dataset(pages.b)).builds);
    await pages.b.click('#reset');
    await waitReady(pages.b, before);
    ids.b2 = await runId(pages.b);
    check(ids.b2 !== ids.b, 'Reset kept the run id');
    steps.b2 = await trainTo(pages.b, 20);
    await pages.a.reload();
    const text = await waitReady(pages.a);
    check(text.includes(`Restored the autosaved model (${steps.a} steps)`), `A after B's reset: ${text}`);
    await pages.b.reload();
    const textB = await waitReady(pages.b);
    check(textB.includes(`Restored the autosaved model (${steps.b2} steps)`) && await runId(pages.b) === ids.b2, `B after reload: ${textB}`);
  }],
  ['an N = 1024 dense run (≈ 30 MB model) survives a reload', async () => {
    pages.d = await tab();
    await pages.d.goto(xor(3, 1024, '&batch=2'));
    await waitReady(pages.d);
    steps.d = await trainTo(pages.d, 1);
    ids.d = await runId(pages.d);
    const size = await pages.d.evaluate(async (id) => {
      const { getRun } = await import('./www/runs.js');
      return (await getRun(id))?.size ?? 0;
    }, ids.d);
    console.log(`  N = 1024 run: a ${(size / 1e6).toFixed(1)} MB model stored at step ${steps.d}`);
    check(size > 20e6, `stored size ${size}`);
    check(await pages.d.isHidden('#run-notice'), `notice: ${await pages.d.textContent('#run-notice')}`);
    await pages.d.reload();
    const text = await waitReady(pages.d);
    check(text.includes(`Restored the autosaved model (${steps.d} steps)`), `N = 1024 after reload: ${text}`);
  }],
  ['the one localStorage autosave of earlier versions becomes a run, once', async () => {
    // an earlier version's autosave of run A's model, under A's settings
    const legacy = await pages.a.evaluate(async (id) => {
      const { getModel } = await import('./www/runs.js');
      const model = await getModel(id);
      const hash = location.hash.slice(1);
      localStorage.setItem('sparse-rnn-lab/autosave', JSON.stringify({ hash, text: model?.text, history: null, savedAt: Date.now() }));
      return hash;
    }, ids.a);
    const e = await tab();
    await e.goto(`${base}index.html?view=playground#${legacy}`);
    const text = await waitReady(e);
    check(text.includes(`Restored the autosaved model (${steps.a} steps)`), `after the migration: ${text}`);
    const left = await e.evaluate(() => localStorage.getItem('sparse-rnn-lab/autosave'));
    check(left === null, 'the localStorage entry is still there');
    const name = await e.evaluate(async (id) => (await (await import('./www/runs.js')).getRun(id))?.name ?? '', await runId(e));
    check(name.includes('earlier version'), `migrated run's name: ${name}`);
    await e.close();
  }],
  ['the Runs panel lists the runs with their steps', async () => {
    await pages.a.waitForFunction((n) => document.querySelectorAll('#runs-list tr').length >= n, 3, { timeout: 30_000 });
    const rows = await pages.a.$$eval('#runs-list tr', (trs) => trs.map((tr) => [tr.getAttribute('data-run'), Number(tr.getAttribute('data-steps')), tr.textContent ?? '']));
    const byId = new Map(rows.map(([id, s, text]) => [id, { s, text }]));
    check(byId.get(ids.a)?.s === steps.a && byId.get(ids.a)?.text.includes('this tab'), `A's row: ${JSON.stringify(byId.get(ids.a))}`);
    check(byId.get(ids.b2)?.s === steps.b2 && byId.get(ids.b2)?.text.includes('open in another tab'), `B's row: ${JSON.stringify(byId.get(ids.b2))}`);
    check(byId.get(ids.d)?.s === steps.d, `the N = 1024 row: ${JSON.stringify(byId.get(ids.d))}`);
    check(!byId.has(ids.b), 'B\'s reset run is still listed');
    // the Runs view, reachable from the navigation
    await pages.a.click('nav [data-view=runs]');
    check(await pages.a.isVisible('#runs-table'), 'the Runs view is not shown');
    mkdirSync(new URL('../../target/screenshots', import.meta.url), { recursive: true });
    await pages.a.screenshot({ path: new URL('../../target/screenshots/runs-view.png', import.meta.url).pathname });
  }],
];

const failed = await runChecks(args.label, checks, problems, async () => {
  const texts = await Promise.all(Object.entries(pages).map(async ([k, p]) => `${k}: ${await p.textContent('#status').catch(() => '?')} [notice: ${await p.textContent('#run-notice').catch(() => '?')}] [run ${await runId(p).catch(() => '?')}]`));
  return texts.join(' | ');
});
await browser.close();
server?.close();
process.exit(failed === 0 ? 0 : 1);
