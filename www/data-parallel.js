// @ts-check
/**
 * Data-parallel training over Web Workers (`dp-worker.js`), with transferred copies (no
 * SharedArrayBuffer). Every worker holds a Simulator built from the same run description;
 * the batch is cut into `train.shards` shards (fixed by the run, not by the number of
 * workers); each step every worker draws the trials of its contiguous range of shards
 * (each shard has its own random stream) and computes their gradients, the first worker (the owner) adds all of them in shard order, steps the
 * optimizer and the new parameters are posted to the other workers. So 1, 2, 4 or 8
 * workers give bit-identical weights.
 *
 *   const trainer = await DataParallelTrainer.start(config, 2);
 *   const stats = await trainer.step();     // {step, loss, gradNorm}
 *   const weights = await trainer.parameters();
 *   trainer.terminate();
 */
import { RpcWorker } from './rpc.js';

const WORKER_URL = new URL('./dp-worker.js', import.meta.url);

/** A data-parallel worker (`dp-worker.js`, through `rpc.js`). */
export class Peer {
  constructor() {
    this.rpc = new RpcWorker(WORKER_URL);
  }

  /**
   * `rpc.call(call, fields, transfer)`; a dead worker's error says which worker failed.
   * @param {string} call @param {Record<string, any>} [fields] @param {Transferable[]} [transfer]
   * @returns {Promise<any>}
   */
  call(call, fields = {}, transfer = []) {
    return this.rpc.call(call, fields, transfer).catch((error) => {
      throw error.died ? Object.assign(new Error(`a data-parallel worker failed: ${error.message}`), { died: true }) : error;
    });
  }

  /** Stop the worker. */
  terminate() {
    this.rpc.terminate();
  }
}

/**
 * @typedef {{grads: (step: number, first: number, count: number) => Float32Array | Promise<Float32Array>,
 *            apply: (flat: Float32Array) => {stats: any, params: Float32Array} | Promise<{stats: any, params: Float32Array}>}} ShardOwner
 * The worker that owns the optimizer: computes its own shards' gradients and applies
 * everyone's (a `Peer` through `peerOwner`, or the training worker's own Simulator).
 */

/** A `Peer` as the owner. @param {Peer} peer @returns {ShardOwner} */
function peerOwner(peer) {
  return {
    grads: (step, first, count) => peer.call('grads', { step, first, count }),
    apply: (flat) => peer.call('apply', { flat }, [flat.buffer]),
  };
}

/**
 * The one data-parallel step: the helpers' gradient requests are posted first, then
 * the owner computes its range (`ranges[0]`; the helpers' follow in order), the parts
 * are joined in shard order, the owner adds them and steps the optimizer, and each
 * helper gets a copy of the new parameters (its next `grads` runs after that `set`, in
 * order). Resolves to the owner's step statistics.
 * @param {ShardOwner} owner @param {Peer[]} helpers @param {[number, number][]} ranges
 * @param {number} step the step to compute (steps done + 1)
 */
export async function shardedStep(owner, helpers, ranges, step) {
  const pending = helpers.map((helper, i) => {
    const [first, count] = ranges[i + 1];
    return helper.call('grads', { step, first, count });
  });
  const own = await owner.grads(step, ranges[0][0], ranges[0][1]);
  const parts = [own, ...(await Promise.all(pending))];
  /** @type {Float32Array} */
  let flat;
  if (parts.length === 1) {
    flat = parts[0];
  } else {
    flat = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
    let offset = 0;
    for (const part of parts) {
      flat.set(part, offset);
      offset += part.length;
    }
  }
  const { stats, params } = await owner.apply(flat);
  for (const helper of helpers) {
    const copy = params.slice();
    helper.call('set', { params: copy }, [copy.buffer]).catch(() => {});
  }
  return stats;
}

/**
 * Contiguous shard ranges `[first, count]` of `workers` workers over `shards` shards
 * (every worker gets at least one shard; `workers` ≤ `shards`).
 * @param {number} shards @param {number} workers @returns {[number, number][]}
 */
export function shardRanges(shards, workers) {
  /** @type {[number, number][]} */
  const ranges = [];
  for (let w = 0; w < workers; w++) {
    const first = Math.floor((w * shards) / workers);
    const end = Math.floor(((w + 1) * shards) / workers);
    ranges.push([first, end - first]);
  }
  return ranges;
}

export class DataParallelTrainer {
  /**
   * Build `workers` workers (clamped to 1 ..= `train.shards`) on run description `config`.
   * @param {object} config run description ({network, train: {shards, ...}, task})
   * @param {number} workers
   * @returns {Promise<DataParallelTrainer>}
   */
  static async start(config, workers) {
    const first = new Peer();
    try {
      const { shards, flavour } = await first.call('init', { config });
      const count = Math.max(1, Math.min(Math.floor(workers) || 1, shards));
      const peers = [first];
      for (let i = 1; i < count; i++) peers.push(new Peer());
      await Promise.all(peers.slice(1).map((peer) => peer.call('init', { config })));
      return new DataParallelTrainer(peers, shards, flavour);
    } catch (error) {
      first.terminate();
      throw error;
    }
  }

  /** @param {Peer[]} peers @param {number} shards @param {string} flavour */
  constructor(peers, shards, flavour) {
    this.peers = peers;
    this.shards = shards;
    this.flavour = flavour;
    this.ranges = shardRanges(shards, peers.length);
    /** Steps done (the next step is `stepsDone + 1`). */
    this.stepsDone = 0;
  }

  /** Number of workers computing gradients. */
  get workers() {
    return this.peers.length;
  }

  /**
   * One training step: every worker's shard gradients, added and applied by the owner,
   * the new parameters posted to the others. @returns {Promise<{step: number, loss: number, gradNorm: number}>}
   */
  async step() {
    const stats = await shardedStep(peerOwner(this.peers[0]), this.peers.slice(1), this.ranges, this.stepsDone + 1);
    this.stepsDone++;
    return stats;
  }

  /** The owner's parameters `[W_rec…, W_in…, b…, W_out…]`. @returns {Promise<Float32Array>} */
  parameters() {
    return this.peers[0].call('params');
  }

  /** Every worker's parameters (they agree after each step). @returns {Promise<Float32Array[]>} */
  allParameters() {
    return Promise.all(this.peers.map((peer) => peer.call('params')));
  }

  /** Stop every worker. */
  terminate() {
    for (const peer of this.peers) peer.terminate();
  }
}

/**
 * The reference: one worker training with `trainSteps` (the single-Simulator path):
 * `warmup` untimed steps, then `steps` timed ones (`ms`).
 * @param {object} config @param {number} steps @param {number} [warmup]
 * @returns {Promise<{params: Float32Array, ms: number, stats: any}>}
 */
export async function trainAlone(config, steps, warmup = 0) {
  const peer = new Peer();
  try {
    await peer.call('init', { config });
    if (warmup > 0) await peer.call('trainSteps', { n: warmup });
    const started = performance.now();
    const stats = await peer.call('trainSteps', { n: steps });
    const ms = performance.now() - started;
    return { params: await peer.call('params'), ms, stats };
  } finally {
    peer.terminate();
  }
}
