// @ts-check
/**
 * One worker of data-parallel training (`data-parallel.js`): holds a `Simulator` built
 * from the shared run description and answers, in order, one reply per request
 * `{id, op, ...}` with `{id, result}` or `{id, error}`:
 * - `init {config}` → `{shards, flavour}`: build the Simulator (`train.shards` from the config);
 * - `grads {step, first, count}` → Float32Array `[loss, dW_rec…, dW_in…, db…, dW_out…]` per
 *   shard (transferred): draws step `step`'s batch, so every worker gets it every step;
 * - `apply {flat}` (the owner) → `{stats, params}`: adds all shards' gradients, steps the
 *   optimizer, returns the new parameters (transferred);
 * - `set {params}` → `true`: take the owner's parameters;
 * - `params` → Float32Array of `parameters()`;
 * - `trainSteps {n}` → `{step, loss, gradNorm}`: the single-Simulator path (reference).
 */
import { errorText } from './errors.js';
import { loadWasm } from './wasm.js';

const ready = loadWasm();
ready.catch(() => {}); // reported with the first request

/** @type {any} */
let sim = null;

/** @param {any} request @returns {Promise<[any, Transferable[]]>} */
async function handle(request) {
  const wasm = await ready;
  if (request.op === 'init') {
    if (sim) sim.free();
    sim = new wasm.Simulator(request.config);
    return [{ shards: sim.shardCount(), flavour: wasm.kernelFlavour() }, []];
  }
  if (!sim) throw new Error(`"${request.op}" before "init"`);
  if (request.op === 'grads') {
    const flat = sim.shardGradients(request.step, request.first, request.count);
    return [flat, [flat.buffer]];
  }
  if (request.op === 'apply') {
    const raw = sim.applyShardGradients(request.flat);
    // serde_wasm_bindgen gives a Map for a JSON object
    const stats = raw instanceof Map ? Object.fromEntries(raw) : raw;
    const params = sim.parameters();
    return [{ stats, params }, [params.buffer]];
  }
  if (request.op === 'set') {
    sim.setParameters(request.params);
    return [true, []];
  }
  if (request.op === 'params') {
    const params = sim.parameters();
    return [params, [params.buffer]];
  }
  if (request.op === 'trainSteps') return [sim.trainSteps(request.n), []];
  throw new Error(`unknown data-parallel op "${request.op}" (init, grads, apply, set, params, trainSteps)`);
}

self.onmessage = async (event) => {
  const request = event.data;
  try {
    const [result, transfer] = await handle(request);
    self.postMessage({ id: request.id, result }, transfer);
  } catch (error) {
    self.postMessage({ id: request.id, error: errorText(error) });
  }
};
