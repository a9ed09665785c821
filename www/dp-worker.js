// @ts-check
/**
 * One worker of data-parallel training (`data-parallel.js`): holds a `Simulator` built
 * from the shared run description and answers these `rpc.js` calls (in order):
 * - `init {config}` → `{shards, flavour}`: build the Simulator (`train.shards` from the config);
 * - `grads {step, first, count}` → Float32Array `[loss, dW_rec…, dW_in…, db…, dW_out…]` per
 *   shard (transferred): draws step `step`'s batch, so every worker gets it every step;
 * - `apply {flat}` (the owner) → `{stats, params}`: adds all shards' gradients, steps the
 *   optimizer, returns the new parameters (transferred);
 * - `set {params}` → `true`: take the owner's parameters;
 * - `params` → Float32Array of `parameters()`;
 * - `scoreTasks {params, first, count, trials}` → Float32Array of `count` scores
 *   (transferred): take `params` (the owner's current parameters, so the scores are those
 *   of that step whatever came before), then score tasks `first .. first + count` of the
 *   mixture on their own `trials` trials each (`Simulator.scoreTasks`): the worker's range
 *   of a split long-run evaluation (`long-run-driver.js`);
 * - `trainSteps {n}` → `{step, loss, gradNorm}`: the single-Simulator path (reference).
 */
import { loadWasm } from './wasm.js';
import { serveRpc, withTransfer } from './rpc.js';

const ready = loadWasm();
ready.catch(() => {}); // reported with the first request

/** @type {any} */
let sim = null;

/** The Simulator, once `init` built it. @param {string} call */
function built(call) {
  if (!sim) throw new Error(`"${call}" before "init"`);
  return sim;
}

serveRpc({
  init: async (/** @type {any} */ request) => {
    const wasm = await ready;
    if (sim) sim.free();
    sim = new wasm.Simulator(request.config);
    return { shards: sim.shardCount(), flavour: wasm.kernelFlavour() };
  },
  grads: (/** @type {any} */ request) => {
    const flat = built('grads').shardGradients(request.step, request.first, request.count);
    return withTransfer(flat, [flat.buffer]);
  },
  apply: (/** @type {any} */ request) => {
    const stats = built('apply').applyShardGradients(request.flat);
    const params = sim.parameters();
    return withTransfer({ stats, params }, [params.buffer]);
  },
  set: (/** @type {any} */ request) => {
    built('set').setParameters(request.params);
    return true;
  },
  params: () => {
    const params = built('params').parameters();
    return withTransfer(params, [params.buffer]);
  },
  scoreTasks: (/** @type {any} */ request) => {
    const worker = built('scoreTasks');
    worker.setParameters(request.params);
    const scores = worker.scoreTasks(request.first, request.count, request.trials);
    return withTransfer(scores, [scores.buffer]);
  },
  trainSteps: (/** @type {any} */ request) => built('trainSteps').trainSteps(request.n),
});
