// Run the training-workload benchmark in wasm: in node (this process) or in headless
// Chromium (via playwright-core and www/bench.html). Prints one JSON line per workload.
//   node scripts/bench-wasm.mjs node     n256_sp10 n1024_sp5
//   node scripts/bench-wasm.mjs chromium n256_sp10
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { serve } from './serve.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [runtime, ...names] = process.argv.slice(2);
const targetMs = Number(process.env.BENCH_TARGET_MS || 400);

if (runtime === 'node') {
  const pkg = await import(path.join(root, 'www/pkg/sparse_rnn_lab.js'));
  const bytes = await readFile(path.join(root, 'www/pkg/sparse_rnn_lab_bg.wasm'));
  pkg.initSync({ module: bytes });
  for (const name of names) {
    console.log(JSON.stringify({ runtime: 'wasm-node', ...pkg.benchWorkload(name, targetMs) }));
  }
} else if (runtime === 'chromium') {
  const { chromium } = await import('playwright-core');
  const server = await serve(0, root);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'],
  });
  try {
    const page = await browser.newPage();
    page.on('console', (m) => { if (m.type() === 'error') console.error('page:', m.text()); });
    const url = `http://127.0.0.1:${server.address().port}/www/bench.html`;
    await page.goto(url);
    for (const name of names) {
      const result = await page.evaluate(([n, t]) => window.runBench(n, t), [name, targetMs]);
      console.log(JSON.stringify({ runtime: 'wasm-chromium', ...result }));
    }
  } finally {
    await browser.close();
    server.close();
  }
} else {
  console.error('usage: node scripts/bench-wasm.mjs node|chromium <workload>...');
  process.exit(2);
}
