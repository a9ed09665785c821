// The page's claims are the CLI's claims: run the same claim groups with their quick
// settings through `srnn reproduce <paper>/<group> --quick` (native) and through the
// page's wasm module (`www/pkg`, the export `runClaim` the claims table calls, loaded in
// Node's V8), and check that every row gives the same measured numbers — `ours`, its range
// and per-seed values, `holds` — bit for bit. Both sides are the "baseline" kernel flavour
// (native default build, wasm SIMD128), within which training is bit-identical
// (docs/benchmarks.md#flavours); with `--fma-bin` the `+fma` native binary is compared
// with `www/pkg-relaxed` instead (run node with --experimental-wasm-relaxed-simd).
// The two sides run at the same time (one core each); each group's time is printed as each
// side's own clock: the largest of its rows' `seconds` (a group is one experiment on one
// clock, and each row's `seconds` is the wall time of the experiment up to that row, so
// the rows are cumulative and must not be added).
//   node tests/smoke/claims-parity.mjs --bin target/debug/srnn [paper/group ...]
//   node tests/smoke/claims-parity.mjs --bin target/release/srnn --all   # every group, quick
//   node tests/smoke/claims-parity.mjs --bin target/release/srnn --full spiking/eprop-angle
//     # the full (paper) setting on both sides instead of the quick one: its times are the
//     # full rows' times natively and in the page's module (minutes to hours per group)
// Without groups: a set of cheap quick groups of several papers (the CI set).
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    bin: { type: 'string', default: path.join(root, 'target/debug/srnn') },
    'fma-bin': { type: 'string' },
    all: { type: 'boolean', default: false },
    full: { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});

// Cheap quick groups (a few seconds each natively), one or more per paper.
// (turcu/k-min, jarne-laje/and and the rest are compared with `--all`, minutes each.)
const CI_GROUPS = ['rules/pc-vs-bptt', 'rules/feedback-alignment', 'turcu/capacity',
  'reservoir/memory-capacity', 'spiking/spytorch'];

/** Run the native binary; resolves to {status, stdout, stderr, error}. */
function runNative(group) {
  return new Promise((resolve) => {
    const child = spawn(bin, ['reproduce', group, ...(args.full ? [] : ['--quick']), '--quiet']);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const done = (status, error) => resolve({ status, stdout, stderr, error });
    child.on('error', (error) => done(null, error));
    child.on('close', (status) => done(status, null));
  });
}

const dir = args['fma-bin'] ? 'pkg-relaxed' : 'pkg';
const bin = args['fma-bin'] ?? args.bin;
const pkg = await import(path.join(root, 'www', dir, 'sparse_rnn_lab.js'));
pkg.initSync({ module: await readFile(path.join(root, 'www', dir, 'sparse_rnn_lab_bg.wasm')) });
console.log(`claims-parity: native ${bin} (flavour of the build) vs www/${dir} (flavour ${pkg.kernelFlavour()}), ${args.full ? 'full' : 'quick'} settings`);

const allGroups = /** @type {string[]} */ (pkg.claimIds('all'));
const groups = args.all ? allGroups : positionals.length > 0 ? positionals : CI_GROUPS;
const known = new Set(allGroups);
for (const g of groups) {
  if (!known.has(g)) {
    console.error(`claims-parity: unknown group '${g}' (known: ${[...known].join(', ')})`);
    process.exit(2);
  }
}

/** The measured part of a claim record: what must be equal on both sides. */
const measured = (c) => JSON.stringify({
  id: c.id, ours: c.ours, ours_range: c.ours_range ?? null, ours_values: c.ours_values ?? null,
  seeds: c.seeds ?? null, holds: c.holds, setting: c.setting,
});

let passed = 0;
let failed = 0;
for (const group of groups) {
  const [paper, id] = group.split('/');
  // the native process runs while the wasm side computes (two cores: wall time ≈ the slower)
  const nativeRun = runNative(group);
  const wasmClaims = /** @type {any[]} */ (pkg.runClaim(paper, id, !args.full));
  const native = await nativeRun;
  if (native.status === null) {
    console.error(`claims-parity: could not run ${bin}: ${native.error}`);
    process.exit(2);
  }
  const nativeClaims = native.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  // each side's own clock (the native process's exit is only seen once the wasm side returns);
  // rows are cumulative (`Measured::seconds`: the experiment's time up to that row)
  const seconds = (claims) => claims.reduce((t, c) => Math.max(t, c.seconds ?? 0), 0);
  const nativeSeconds = seconds(nativeClaims);
  const wasmSeconds = seconds(wasmClaims);
  const problems = [];
  if (nativeClaims.length === 0) problems.push(`native gave no claims (exit ${native.status}): ${native.stderr.slice(-400)}`);
  if (nativeClaims.length !== wasmClaims.length) {
    problems.push(`${nativeClaims.length} native rows vs ${wasmClaims.length} wasm rows`);
  }
  for (let i = 0; i < Math.min(nativeClaims.length, wasmClaims.length); i++) {
    const a = measured(nativeClaims[i]);
    const b = measured(wasmClaims[i]);
    if (a !== b) problems.push(`row ${nativeClaims[i].id}: native ${a} vs wasm ${b}`);
  }
  const holds = wasmClaims.filter((c) => c.holds).length;
  const line = `${group}: ${wasmClaims.length} rows (${holds} hold), native ${nativeSeconds.toFixed(1)} s, wasm ${wasmSeconds.toFixed(1)} s`;
  const row = { group, rows: wasmClaims.length, holds, native_s: nativeSeconds, wasm_s: wasmSeconds,
    ours: wasmClaims.map((c) => [c.id, c.ours]), same: problems.length === 0 };
  // one line per group as it finishes, so a stopped run keeps what it compared
  if (args.json) appendFileSync(args.json, `${JSON.stringify({ ...row, when: new Date().toISOString(), wasm: dir, full: args.full })}\n`);
  if (problems.length === 0) {
    passed += 1;
    console.log(`  ok    ${line}`);
  } else {
    failed += 1;
    console.log(`  FAIL  ${line}\n        ${problems.join('\n        ')}`);
  }
}
console.log(`claims-parity: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
