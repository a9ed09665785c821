// @ts-check
/**
 * One worker of the pool (`pool.js`), for sweep points, benchmark workloads and claims. In: a
 * `PoolRequest` of `protocol.js`; out: `{id, result}`, `{id, error}` (the wasm call
 * threw; the instance is fine) or `{id, error, fatal: true}` (the wasm instance trapped:
 * the pool replaces this worker). `trapAttempts` is a test hook: the worker dies, as a
 * trapped instance would, on attempts 1..trapAttempts.
 */
import { errorText } from './errors.js';
import { loadWasm } from './wasm.js';
import { POOL_JOB } from './protocol.js';

const ready = loadWasm();
ready.catch(() => {}); // reported with the first job

/** @param {import('./protocol.js').PoolRequest} request */
async function runJob(request) {
  const wasm = await ready;
  if (request.job === POOL_JOB.SWEEP_POINT) return JSON.parse(wasm.runSweepPoint(JSON.stringify(request.point)));
  if (request.job === POOL_JOB.BENCH) return wasm.benchWorkload(String(request.name), Number(request.targetMs));
  if (request.job === POOL_JOB.CLAIM) {
    if (typeof wasm.runClaim !== 'function') throw new Error('claims not available in this build (no runClaim export)');
    const claim = wasm.runClaim(String(request.paper), String(request.claim), Boolean(request.quick));
    return typeof claim === 'string' ? JSON.parse(claim) : claim;
  }
  throw new Error(`unknown pool job "${request.job}" (jobs: ${Object.values(POOL_JOB).join(', ')})`);
}

self.onmessage = async (event) => {
  /** @type {import('./protocol.js').PoolRequest} */
  const request = event.data;
  if (request.trapAttempts && request.attempt <= request.trapAttempts) {
    setTimeout(() => { throw new WebAssembly.RuntimeError('unreachable (pool trap test hook)'); }, 0);
    return;
  }
  try {
    self.postMessage({ id: request.id, result: await runJob(request) });
  } catch (error) {
    const fatal = error instanceof WebAssembly.RuntimeError;
    self.postMessage({ id: request.id, error: errorText(error), fatal });
  }
};
