// @ts-check
/**
 * The one message protocol of the page's workers: the training worker (`worker.js`,
 * through `trainer-client.js`), the sweep and claims pool (`pool.js` + `pool-worker.js`)
 * and data-parallel training (`data-parallel.js` + `dp-worker.js`).
 * - A request is `{id, call, ...fields}`; its reply is `{id, result}` or
 *   `{id, error, fatal?}` (`fatal`: the wasm instance trapped and the worker is unusable).
 *   Replies are matched by `id`, so a worker may answer out of order.
 * - An event is `{event, ...fields}` (no `id`): what a worker streams on its own (the
 *   training worker's progress, done, long-run points, heartbeats and training errors),
 *   posted with `emit` and handed to the page's `onEvent`. An event with `fatal` ends the
 *   worker as a fatal reply does.
 *
 *   page:   const rpc = new RpcWorker(new URL('./dp-worker.js', import.meta.url), { onEvent });
 *           const { shards } = await rpc.call('init', { config });
 *   worker: serveRpc({ init: async ({ config }) => ({ shards: ... }) });
 *           emit('progress', { step });
 *
 * A handler returns its result, or `withTransfer(result, [buffers])` to transfer them.
 * When the worker dies (an `error` event: a load error or an uncaught trap; a `fatal`
 * reply or event; or `die(reason)`, e.g. a watchdog), every pending call rejects with an
 * Error whose `died` is true, later calls reject at once, and `onDeath(reason)` is told.
 */
import { errorText } from './errors.js';
import { spawnModuleWorker } from './spawn.js';

/** A result to post with its transferables. */
class Transfer {
  /** @param {any} result @param {Transferable[]} transfer */
  constructor(result, transfer) {
    this.result = result;
    this.transfer = transfer;
  }
}

/** Reply `result`, transferring `transfer` (e.g. a Float32Array's buffer). @param {any} result @param {Transferable[]} transfer */
export function withTransfer(result, transfer) {
  return new Transfer(result, transfer);
}

/**
 * @typedef {{onEvent?: (event: {event: string, [field: string]: any}) => void,
 *            onDeath?: (reason: string) => void}} RpcOptions
 */

/** The page's side: a module worker answering `call`s and streaming events. */
export class RpcWorker {
  /** @param {URL} url the worker module (it calls `serveRpc`) @param {RpcOptions} [options] */
  constructor(url, options = {}) {
    this.options = options;
    this.worker = spawnModuleWorker(url);
    /** @type {Map<number, {resolve: (v: any) => void, reject: (e: Error) => void}>} */
    this.pending = new Map();
    this.nextId = 0;
    /** Why the worker died (null while it lives). @type {string | null} */
    this.death = null;
    /** When the worker last spoke (`performance.now()`), for a watchdog. */
    this.lastHeard = performance.now();
    this.worker.onmessage = ({ data }) => {
      this.lastHeard = performance.now();
      if (data?.fatal) {
        this.die(`the wasm instance trapped: ${data.error}`);
        return;
      }
      if (data?.event !== undefined) {
        this.options.onEvent?.(data);
        return;
      }
      const waiter = this.pending.get(data?.id);
      if (!waiter) return;
      this.pending.delete(data.id);
      if (data.error !== undefined) waiter.reject(new Error(data.error));
      else waiter.resolve(data.result);
    };
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.die(event.message || 'the worker failed to load');
    };
  }

  /**
   * Ask the worker for `call` with `fields`; resolves to its result.
   * @param {string} call @param {Record<string, any>} [fields] @param {Transferable[]} [transfer]
   * @returns {Promise<any>}
   */
  call(call, fields = {}, transfer = []) {
    if (this.death !== null) return Promise.reject(died(this.death));
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...fields, id, call }, transfer);
    });
  }

  /** The worker is gone (or is given up): stop it, reject every pending call, tell `onDeath`. @param {string} reason */
  die(reason) {
    if (this.death !== null) return;
    this.death = reason;
    this.worker.terminate();
    for (const waiter of this.pending.values()) waiter.reject(died(reason));
    this.pending.clear();
    this.options.onDeath?.(reason);
  }

  /** Stop the worker; pending calls never settle. */
  terminate() {
    this.death = 'terminated';
    this.pending.clear();
    this.worker.terminate();
  }
}

/** @param {string} reason */
function died(reason) {
  return Object.assign(new Error(reason), { died: true });
}

/**
 * The worker's side: stream an event `{event, ...fields}` to the page (`onEvent`).
 * @param {string} event @param {Record<string, any>} [fields] @param {Transferable[]} [transfer]
 */
export function emit(event, fields = {}, transfer = []) {
  self.postMessage({ ...fields, event }, { transfer });
}

/**
 * The worker's side: answer each request with `handlers[request.call](request)` (awaited).
 * An unknown call or a thrown error is replied as `error`; a `WebAssembly.RuntimeError`
 * (a trap) as `fatal`.
 * @param {Record<string, (request: any) => any>} handlers
 */
export function serveRpc(handlers) {
  self.onmessage = async (event) => {
    const request = event.data;
    try {
      const handler = handlers[request.call];
      if (!handler) throw new Error(`unknown call "${request.call}" (calls: ${Object.keys(handlers).join(', ')})`);
      const answer = await handler(request);
      if (answer instanceof Transfer) self.postMessage({ id: request.id, result: answer.result }, { transfer: answer.transfer });
      else self.postMessage({ id: request.id, result: answer });
    } catch (error) {
      self.postMessage({ id: request.id, error: errorText(error), fatal: error instanceof WebAssembly.RuntimeError });
    }
  };
}
