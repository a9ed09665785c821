// @ts-check
/**
 * One worker of the pool (`pool.js`), for sweep points, benchmark workloads and claims,
 * served through `rpc.js`: each `POOL_JOB` of `protocol.js` is a call with the
 * `PoolRequest` fields (a trap is replied `fatal` and the pool replaces this worker).
 * `trapAttempts` is a test hook: the worker dies, as a trapped instance would, on
 * attempts 1..trapAttempts.
 */
import { loadWasm } from './wasm.js';
import { POOL_JOB } from './protocol.js';
import { serveRpc } from './rpc.js';

const ready = loadWasm();
ready.catch(() => {}); // reported with the first job

/**
 * The test hook `trapAttempts`: on attempts 1..trapAttempts the worker dies, as a trapped
 * instance would (an uncaught trap), and never replies.
 * @param {import('./protocol.js').PoolRequest} request
 */
function trapHook(request) {
  if (request.trapAttempts && request.attempt <= request.trapAttempts) {
    setTimeout(() => { throw new WebAssembly.RuntimeError('unreachable (pool trap test hook)'); }, 0);
    return new Promise(() => {});
  }
  return null;
}

serveRpc({
  [POOL_JOB.SWEEP_POINT]: async (/** @type {any} */ request) => {
    const wasm = await ready;
    return trapHook(request) ?? wasm.runSweepPoint(request.point);
  },
  [POOL_JOB.BENCH]: async (/** @type {any} */ request) => (await ready).benchWorkload(String(request.name), Number(request.targetMs)),
  [POOL_JOB.CLAIM]: async (/** @type {any} */ request) => {
    const wasm = /** @type {any} */ (await ready);
    if (typeof wasm.runClaim !== 'function') throw new Error('claims not available in this build (no runClaim export)');
    return wasm.runClaim(String(request.paper), String(request.claim), Boolean(request.quick));
  },
});
