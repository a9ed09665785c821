// The page's wasm side of `scripts/reservoir-speed.sh`: one run description (the
// reservoir section, a Mackey-Glass task and the `reservoir` rule with a ridge readout)
// through the page's `Simulator` (the same `Session` as `srnn train`), timed in node.
//   node benches/reservoir_speed.mjs RUN.json [--pkg www/pkg]
// Prints one JSON line: {build_ms, fit_ms, eval_ms, total_ms}: `new Simulator` (weights,
// spectral radius), `trainSteps(1)` (states of every step + the ridge fit) and
// `evaluate(1)` (one more pass over a trial), as `srnn train --steps 1 --eval-every 1
// --eval-trials 1` does natively; or {refused: message} when the page refuses the run.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: { pkg: { type: 'string', default: 'www/pkg' } },
});
const pkg = resolve(args.pkg);
const lab = await import(pathToFileURL(`${pkg}/sparse_rnn_lab.js`).href);
lab.initSync({ module: readFileSync(`${pkg}/sparse_rnn_lab_bg.wasm`) });
const config = JSON.parse(readFileSync(positionals[0], 'utf8'));
const t0 = performance.now();
let simulator;
try {
  simulator = new lab.Simulator(config);
} catch (e) {
  // the page refuses runs over its memory budget: report it instead of a time
  console.log(JSON.stringify({ refused: String(e?.message ?? e) }));
  process.exit(0);
}
const t1 = performance.now();
simulator.trainSteps(1);
const t2 = performance.now();
const evaluation = simulator.evaluate(1);
const t3 = performance.now();
console.log(JSON.stringify({
  build_ms: t1 - t0, fit_ms: t2 - t1, eval_ms: t3 - t2, total_ms: t3 - t0,
  accuracy: evaluation.accuracy,
}));
