// Run the training-workload benchmark in wasm: in node (this process) or in headless
// Chromium (via playwright-core, in a module Web Worker). Prints one JSON line per workload
// with runtime, name, workers (1), flavour, ms_per_step (see src/bench.rs) and
// wasm_memory_mib: the instance's linear memory after the run (it never shrinks, so this
// is the peak; bench.sh runs one workload per instance).
//   node scripts/bench-wasm.mjs node     n256_sp10 n1024_sp5       # www/pkg (SIMD128)
//   node --experimental-wasm-relaxed-simd scripts/bench-wasm.mjs node-fma n256_sp10
//   node scripts/bench-wasm.mjs chromium n256_sp10                 # www/pkg
//   node scripts/bench-wasm.mjs chromium-fma n256_sp10             # www/pkg-relaxed
//   node scripts/bench-wasm.mjs chromium-dp [WORKLOAD...] [WORKERS...]
//        # default n256_sp10 n1024_sp5 n4096_k64, workers 1 2: data-parallel training
//        # (www/data-parallel.js) of the workload's shape as a run description (dpRun) with
//        # train.shards = BENCH_DP_SHARDS (2), the worker counts interleaved over
//        # BENCH_DP_ROUNDS (3) rounds in one page (flavour chosen by www/flavour.js); one
//        # row per worker count with the median round, plus a "chromium-dp-alone" row (one
//        # Simulator's trainSteps, no protocol)
//   node scripts/bench-wasm.mjs chromium-profile [PRESET] [BATCHING] [STEPS]
//   node scripts/bench-wasm.mjs chromium-fma-profile yang random 4
//        # the phase profile of a preset's training step (profileStep, lab::profile) in a
//        # Web Worker of headless Chromium: one JSON line with every phase's ms and GFLOP,
//        # the trainer's own step and the build's madd peak (default yang random 4)
//   node scripts/bench-wasm.mjs chromium-reservoir|node-reservoir RUN.json
//        # the phase profile of one ridge step of a reservoir run description
//        # (profileReservoir, lab::reservoir_profile) in a Web Worker of headless Chromium
//        # or in node: one JSON line with every phase's ms (scripts/reservoir-speed.sh)
//   node scripts/bench-wasm.mjs chromium-samplers|chromium-fma-samplers|node-samplers [DRAWS]
//        # ns per draw of the normal samplers on DRAWS (2^21) noise values (benchSamplers,
//        # lab::sampler_bench): one JSON line per sampler
//   BENCH_PKG=DIR / BENCH_PKG_FMA=DIR (folders under www/, default pkg / pkg-relaxed) run
//        # another build, e.g. a copy of the branch point's for a before/after in one run
//   node --experimental-wasm-relaxed-simd scripts/bench-wasm.mjs fingerprint
//        # determinismProbe(20) of both builds and their flavours (one JSON line each)
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { serve } from './serve.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [mode, ...names] = process.argv.slice(2);
const targetMs = Number(process.env.BENCH_TARGET_MS || 400);
const PKG = {
  baseline: process.env.BENCH_PKG || 'pkg',
  fma: process.env.BENCH_PKG_FMA || 'pkg-relaxed',
};

/** Load a wasm-bindgen build into this node process. */
async function loadInNode(dir) {
  const pkg = await import(path.join(root, 'www', dir, 'sparse_rnn_lab.js'));
  const bytes = await readFile(path.join(root, 'www', dir, 'sparse_rnn_lab_bg.wasm'));
  const exports = pkg.initSync({ module: bytes });
  return { ...pkg, memoryMiB: () => exports.memory.buffer.byteLength / 2 ** 20 };
}

/** The worker that runs in Chromium: imports the chosen build, times on request. */
function workerSource(moduleUrl) {
  return `import init, * as pkg from ${JSON.stringify(moduleUrl)};
const ready = init();
self.onmessage = async ({ data }) => {
  try {
    const wasm = await ready;
    const result = data.profile
      ? pkg.profileStep(data.profile.preset, data.profile.batching, data.profile.steps, true)
      : data.reservoir
        ? pkg.profileReservoir(data.reservoir)
      : data.samplers
        ? { samplers: pkg.benchSamplers(data.samplers) }
        : pkg.benchWorkload(data.name, data.targetMs);
    self.postMessage({ result: { flavour: pkg.kernelFlavour(), ...result,
      wasm_memory_mib: wasm.memory.buffer.byteLength / 2 ** 20 } });
  } catch (e) { self.postMessage({ error: String(e && e.message ? e.message : e) }); }
};`;
}

/**
 * The data-parallel benchmark's run description for a standard workload shape
 * (shared/bench/README.md: relu, α = dt/τ = 0.2, masked MSE, Adam lr 1e-3, no clipping,
 * random mask of the workload's density; T, I = O = 33 and B from `WorkloadSpec`) on the
 * `bench-noise` task (i.i.d. N(0, 1) inputs and targets), cut into `shards` shards.
 */
function dpRun(name, shards) {
  const shapes = {
    n256_dense: [256, 1.0, 100, 32], n256_sp10: [256, 0.1, 100, 32],
    n1024_sp5: [1024, 0.05, 100, 32], n1024_dense: [1024, 1.0, 100, 32],
    n4096_k64: [4096, 64 / 4096, 50, 16],
  };
  const shape = shapes[name];
  if (!shape) throw new Error(`chromium-dp: unknown workload '${name}' (${Object.keys(shapes).join(', ')})`);
  const [n, density, steps, batch] = shape;
  return {
    network: { n_neurons: n, connectivity: density >= 1 ? 'dense' : 'random-density', density,
      activation: 'relu', tau_ms: 100, rec_noise_std: 0, init: 'normal', gain: 0.9, seed: 1 },
    train: { learning_rate: 0.001, batch_size: batch, clip_norm: 0, seed: 1, shards },
    task: { id: 'bench-noise', n_steps: steps, n_trials: batch, dt_ms: 20 },
  };
}

/** Median of a non-empty list. @param {number[]} xs */
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Data-parallel rows: for each workload, 1 and more workers interleaved over rounds. */
async function dataParallelInChromium(page, args) {
  const counts = args.filter((a) => /^\d+$/.test(a)).map(Number);
  const workloads = args.filter((a) => !/^\d+$/.test(a));
  const shards = Number(process.env.BENCH_DP_SHARDS || 2);
  const rounds = Number(process.env.BENCH_DP_ROUNDS || 3);
  for (const name of workloads.length ? workloads : ['n256_sp10', 'n1024_sp5', 'n4096_k64']) {
    const config = dpRun(name, shards);
    const workerCounts = counts.length ? counts : [1, 2];
    const byCount = new Map(workerCounts.map((c) => [c, []]));
    const alone = [];
    let flavour = '?';
    for (let round = 0; round < rounds; round++) {
      for (const workers of workerCounts) {
        const row = await page.evaluate(([c, w, t]) => window.runDataParallel(c, w, t),
          [config, workers, targetMs]);
        flavour = row.flavour;
        byCount.get(workers).push(row.ms_per_step);
        console.error(`${name} round ${round + 1}: ${workers} worker(s) ${row.ms_per_step.toFixed(2)} ms/step (${row.steps} steps)`);
      }
      const one = await page.evaluate(([c, n]) => window.runAlone(c, n), [config, 5]);
      alone.push(one.ms_per_step);
    }
    const base = median(byCount.get(workerCounts[0]));
    for (const [workers, times] of byCount) {
      const ms = median(times);
      console.log(JSON.stringify({ runtime: 'chromium-dp', name, workers, shards, flavour,
        ms_per_step: ms, min_ms: Math.min(...times), rounds_ms: times,
        speedup_vs_first: base / ms }));
    }
    console.log(JSON.stringify({ runtime: 'chromium-dp-alone', name, workers: 1, shards, flavour,
      ms_per_step: median(alone), min_ms: Math.min(...alone), rounds_ms: alone }));
  }
}

async function inChromium(dir, runtime) {
  const { chromium } = await import('playwright-core');
  const server = await serve(0, root);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'],
  });
  try {
    const page = await browser.newPage();
    page.on('console', (m) => {
      // the page has no favicon; anything else the page reports is shown
      if (m.type() === 'error' && !/favicon|404/.test(`${m.location().url} ${m.text()}`)) {
        console.error('page:', m.text());
      }
    });
    const origin = `http://127.0.0.1:${server.address().port}`;
    await page.goto(`${origin}/www/bench.html`);
    if (runtime === 'chromium-dp') {
      await dataParallelInChromium(page, names);
      return;
    }
    const source = workerSource(`${origin}/www/${dir}/sparse_rnn_lab.js`);
    const profile = runtime.endsWith('-profile')
      ? { preset: names[0] || 'yang', batching: names[1] || 'random', steps: Number(names[2] || 4) }
      : null;
    const samplers = runtime.endsWith('-samplers') ? Number(names[0] || 2 ** 21) : 0;
    const reservoir = runtime.endsWith('-reservoir') ? JSON.parse(await readFile(names[0], 'utf8')) : null;
    for (const name of profile ? [profile.preset] : samplers ? ['samplers'] : reservoir ? ['reservoir'] : names) {
      const result = await page.evaluate(([src, n, t, p, d, r]) => new Promise((resolve, reject) => {
        const url = URL.createObjectURL(new Blob([src], { type: 'text/javascript' }));
        const worker = new Worker(url, { type: 'module' });
        worker.onerror = (e) => reject(new Error(e.message || 'worker failed to load'));
        worker.onmessage = ({ data }) => {
          worker.terminate();
          if (data.error) reject(new Error(data.error)); else resolve(data.result);
        };
        worker.postMessage({ name: n, targetMs: t, profile: p, samplers: d, reservoir: r });
      }), [source, name, targetMs, profile, samplers, reservoir]);
      if (samplers) {
        for (const row of result.samplers) {
          console.log(JSON.stringify({ runtime, flavour: result.flavour, ...row }));
        }
        continue;
      }
      console.log(JSON.stringify({ runtime, workers: 1, ...result }));
    }
  } finally {
    await browser.close();
    server.close();
  }
}

if (mode === 'node' || mode === 'node-fma') {
  const pkg = await loadInNode(mode === 'node' ? PKG.baseline : PKG.fma);
  for (const name of names) {
    console.log(JSON.stringify({
      runtime: mode === 'node' ? 'wasm-node' : 'wasm-node-fma',
      workers: 1,
      flavour: pkg.kernelFlavour(),
      ...pkg.benchWorkload(name, targetMs),
      wasm_memory_mib: pkg.memoryMiB(),
    }));
  }
} else if (mode === 'chromium' || mode === 'chromium-fma') {
  await inChromium(mode === 'chromium' ? PKG.baseline : PKG.fma,
    mode === 'chromium' ? 'wasm-chromium' : 'wasm-chromium-fma');
} else if (mode === 'chromium-profile' || mode === 'chromium-fma-profile') {
  await inChromium(mode === 'chromium-profile' ? PKG.baseline : PKG.fma,
    mode === 'chromium-profile' ? 'wasm-chromium-profile' : 'wasm-chromium-fma-profile');
} else if (mode === 'chromium-samplers' || mode === 'chromium-fma-samplers') {
  await inChromium(mode === 'chromium-samplers' ? PKG.baseline : PKG.fma,
    mode === 'chromium-samplers' ? 'wasm-chromium-samplers' : 'wasm-chromium-fma-samplers');
} else if (mode === 'chromium-reservoir') {
  await inChromium(PKG.baseline, 'wasm-chromium-reservoir');
} else if (mode === 'node-reservoir') {
  const pkg = await loadInNode(PKG.baseline);
  const run = JSON.parse(await readFile(names[0], 'utf8'));
  console.log(JSON.stringify({ runtime: 'wasm-node-reservoir', ...pkg.profileReservoir(run) }));
} else if (mode === 'node-samplers') {
  const pkg = await loadInNode(PKG.baseline);
  for (const row of pkg.benchSamplers(Number(names[0] || 2 ** 21))) {
    console.log(JSON.stringify({ runtime: 'wasm-node-samplers', flavour: pkg.kernelFlavour(), ...row }));
  }
} else if (mode === 'chromium-dp') {
  await inChromium(PKG.baseline, 'chromium-dp');
} else if (mode === 'fingerprint') {
  // www/flavour.js must pick pkg-relaxed exactly when that build runs as flavour "fma".
  const { detectFlavour } = await import(path.join(root, 'www/flavour.js'));
  for (const [want, dir] of Object.entries(PKG)) {
    let pkg;
    try {
      pkg = await loadInNode(dir);
    } catch (e) {
      if (want === 'fma' && detectFlavour() === 'baseline') {
        console.log(JSON.stringify({ pkg: dir, skipped: 'no relaxed SIMD in this engine (flavour.js: baseline)' }));
        continue;
      }
      throw e;
    }
    const flavour = pkg.kernelFlavour();
    console.log(JSON.stringify({ pkg: dir, flavour, fingerprint: pkg.determinismProbe(20) }));
    if (want === 'fma' && (flavour === 'fma') !== (detectFlavour() === 'fma')) {
      console.error(`flavour.js says ${detectFlavour()} but ${dir} runs as ${flavour}`);
      process.exit(1);
    }
  }
} else {
  console.error('usage: node scripts/bench-wasm.mjs node|node-fma|chromium|chromium-fma <workload>... | chromium-profile|chromium-fma-profile [preset] [batching] [steps] | chromium-reservoir|node-reservoir RUN.json | chromium-dp [workers...] | fingerprint');
  process.exit(2);
}
