// @ts-check
/**
 * Data-parallel training over Web Workers (`dp-worker.js`), with transferred copies (no
 * SharedArrayBuffer). Every worker holds a Simulator built from the same run description;
 * the batch is cut into `train.shards` shards (fixed by the run, not by the number of
 * workers); each step every worker computes the gradients of its contiguous range of
 * shards, the first worker (the owner) adds all of them in shard order, steps the
 * optimizer and the new parameters are posted to the other workers. So 1, 2, 4 or 8
 * workers give bit-identical weights.
 *
 *   const trainer = await DataParallelTrainer.start(config, 2);
 *   const stats = await trainer.step();     // {step, loss, gradNorm}
 *   const weights = await trainer.parameters();
 *   trainer.terminate();
 */
import { spawnModuleWorker } from './spawn.js';

const WORKER_URL = new URL('./dp-worker.js', import.meta.url);

/** A worker with in-order replies (the worker answers every request, in order). */
export class Peer {
  constructor() {
    this.worker = spawnModuleWorker(WORKER_URL);
    /** @type {{resolve: (v: any) => void, reject: (e: Error) => void}[]} */
    this.pending = [];
    this.nextId = 0;
    this.worker.onmessage = ({ data }) => {
      const waiter = this.pending.shift();
      if (!waiter) return;
      if (data.error !== undefined) waiter.reject(new Error(data.error));
      else waiter.resolve(data.result);
    };
    this.worker.onerror = (event) => {
      event.preventDefault();
      const error = new Error(`a data-parallel worker failed: ${event.message || 'load error'}`);
      for (const waiter of this.pending.splice(0)) waiter.reject(error);
    };
  }

  /** @param {Record<string, any>} request @param {Transferable[]} [transfer] @returns {Promise<any>} */
  call(request, transfer = []) {
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.worker.postMessage({ ...request, id: this.nextId++ }, transfer);
    });
  }
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
      const { shards, flavour } = await first.call({ op: 'init', config });
      const count = Math.max(1, Math.min(Math.floor(workers) || 1, shards));
      const peers = [first];
      for (let i = 1; i < count; i++) peers.push(new Peer());
      await Promise.all(peers.slice(1).map((peer) => peer.call({ op: 'init', config })));
      return new DataParallelTrainer(peers, shards, flavour);
    } catch (error) {
      first.worker.terminate();
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
    const step = this.stepsDone + 1;
    const parts = await Promise.all(this.peers.map((peer, w) => {
      const [first, count] = this.ranges[w];
      return peer.call({ op: 'grads', step, first, count });
    }));
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
    const { stats, params } = await this.peers[0].call({ op: 'apply', flat }, [flat.buffer]);
    this.stepsDone = step;
    // each helper gets its own copy; its next `grads` runs after this `set` (in order)
    for (const peer of this.peers.slice(1)) {
      const copy = params.slice();
      peer.call({ op: 'set', params: copy }, [copy.buffer]).catch(() => {});
    }
    return stats;
  }

  /** The owner's parameters `[W_rec…, W_in…, b…, W_out…]`. @returns {Promise<Float32Array>} */
  parameters() {
    return this.peers[0].call({ op: 'params' });
  }

  /** Every worker's parameters (they agree after each step). @returns {Promise<Float32Array[]>} */
  allParameters() {
    return Promise.all(this.peers.map((peer) => peer.call({ op: 'params' })));
  }

  /** Stop every worker. */
  terminate() {
    for (const peer of this.peers) peer.worker.terminate();
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
    await peer.call({ op: 'init', config });
    if (warmup > 0) await peer.call({ op: 'trainSteps', n: warmup });
    const started = performance.now();
    const stats = await peer.call({ op: 'trainSteps', n: steps });
    const ms = performance.now() - started;
    return { params: await peer.call({ op: 'params' }), ms, stats };
  } finally {
    peer.worker.terminate();
  }
}
