// Drive a JupyterLab notebook in headless Debian Chromium (playwright-core):
//   node jupyter_widget.mjs <notebook URL with token>
// Runs cell 1 (the Lab widget, autoplay 40 steps), waits until <srnn-widget> reports
// step 40 and state "done" (trained in its Web Worker), then runs cell 2 and prints the
// line the kernel printed ("KERNEL {...}"). Prints the widget's load times.
import { chromium } from 'playwright-core';

const url = process.argv[2];
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--no-first-run'],
});
const fail = async (message) => {
  console.error(`jupyter_widget.mjs: ${message}`);
  await browser.close();
  process.exit(1);
};
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') console.error(`console: ${m.text()}`); });
  await page.goto(url);
  // the app, the notebook and an idle kernel
  await page.waitForFunction(() => {
    const app = /** @type {any} */ (window).jupyterapp;
    const kernel = app?.shell?.currentWidget?.sessionContext?.session?.kernel;
    return kernel && kernel.connectionStatus === 'connected' && kernel.status === 'idle';
  }, null, { timeout: 180_000, polling: 250 });
  const run = () => page.evaluate(() => /** @type {any} */ (window).jupyterapp.commands.execute('notebook:run-cell-and-select-next'));
  const t0 = Date.now();
  await run();
  await page.waitForSelector('srnn-widget', { timeout: 120_000 });
  const tShown = Date.now() - t0;
  await page.waitForFunction(() => {
    const w = document.querySelector('srnn-widget');
    return w && w.getAttribute('data-state') !== 'loading';
  }, null, { timeout: 120_000, polling: 100 });
  const tReady = Date.now() - t0;
  await page.waitForFunction(() => {
    const w = /** @type {HTMLElement | null} */ (document.querySelector('srnn-widget'));
    if (w?.dataset.state === 'error') return true;
    return w?.dataset.steps === '40' && w.dataset.state === 'done';
  }, null, { timeout: 240_000, polling: 200 });
  const tDone = Date.now() - t0;
  const state = await page.evaluate(() => {
    const w = /** @type {HTMLElement} */ (document.querySelector('srnn-widget'));
    return { state: w.dataset.state, steps: w.dataset.steps, status: w.querySelector('[data-status]')?.textContent };
  });
  console.log(`widget: ${JSON.stringify(state)}`);
  if (state.state !== 'done') await fail(`the widget did not finish: ${JSON.stringify(state)}`);
  console.log(`widget load in JupyterLab: element shown ${tShown} ms after running the cell, network built (wasm compiled in the worker) after ${tReady} ms; 40 steps done after ${tDone} ms`);
  // "done" and the model's text have been sent to the kernel; ask it what it sees
  await page.waitForSelector('[data-lab-synced="done"]', { timeout: 60_000 });
  await run();
  const handle = await page.waitForFunction(() => {
    const text = [...document.querySelectorAll('.jp-OutputArea-output')].map((e) => e.textContent ?? '').join('\n');
    const line = text.split('\n').find((l) => l.startsWith('KERNEL ') || l.includes('Error'));
    return line ?? false;
  }, null, { timeout: 120_000, polling: 250 });
  console.log(await handle.jsonValue());
} catch (error) {
  await fail(error instanceof Error ? error.stack ?? error.message : String(error));
}
await browser.close();
