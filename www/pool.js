// @ts-check
/**
 * A pool of module Web Workers (`pool-worker.js`) for independent jobs: sweep points
 * (`sweep.js`) and benchmark workloads (`bench.html`). Workers start lazily, up to `size`.
 * A job whose worker dies (an `error` event, or a trapped wasm instance) is rerun once on
 * a fresh worker; if that one dies too, the job fails with an Error whose `lost` is true.
 * A job the wasm rejects (bad input) fails at once with the wasm's message. The workers
 * speak `rpc.js` (the job name is the call).
 */
import { RpcWorker } from './rpc.js';

const WORKER_URL = new URL('./pool-worker.js', import.meta.url);
/** Attempts per job when its worker dies (1 = no rerun). */
const MAX_ATTEMPTS = 2;

/**
 * @typedef {{request: import('./protocol.js').PoolRequest,
 *            resolve: (result: any) => void, reject: (error: Error) => void}} Task
 */

export class WorkerPool {
  /** @param {number} size largest number of workers */
  constructor(size) {
    this.size = Math.max(1, size);
    /** @type {RpcWorker[]} */
    this.idle = [];
    /** @type {Set<RpcWorker>} */
    this.busy = new Set();
    /** @type {Task[]} */
    this.queue = [];
    this.started = 0;
    /** Jobs rerun after their worker died. */
    this.reruns = 0;
    this.closed = false;
  }

  /**
   * Run `job` (`{job: POOL_JOB.*, ...fields}`); resolves to its result.
   * @param {Omit<import('./protocol.js').PoolRequest, 'attempt'>} job
   * @returns {Promise<any>}
   */
  run(job) {
    if (this.closed) return Promise.reject(new Error('the worker pool was terminated'));
    return new Promise((resolve, reject) => {
      this.queue.push({ request: { ...job, attempt: 1 }, resolve, reject });
      this.dispatch();
    });
  }

  /** Start queued jobs on idle (or new) workers. */
  dispatch() {
    while (this.queue.length > 0 && !this.closed) {
      let worker = this.idle.pop();
      if (!worker && this.busy.size < this.size) {
        worker = new RpcWorker(WORKER_URL);
        this.started++;
      }
      if (!worker) return;
      const task = /** @type {Task} */ (this.queue.shift());
      this.busy.add(worker);
      const { job, ...fields } = task.request;
      const rpc = worker;
      rpc.call(job, fields).then((result) => {
        this.busy.delete(rpc);
        this.idle.push(rpc);
        task.resolve(result);
      }, (error) => {
        this.busy.delete(rpc);
        if (error.died) this.lost(task, error.message);
        else {
          this.idle.push(rpc);
          task.reject(error);
        }
      }).finally(() => this.dispatch());
    }
  }

  /** `task`'s worker died: rerun it once on a fresh worker, else fail it. @param {Task} task @param {string} reason */
  lost(task, reason) {
    if (this.closed) return;
    if (task.request.attempt < MAX_ATTEMPTS) {
      this.reruns++;
      this.queue.unshift({ ...task, request: { ...task.request, attempt: task.request.attempt + 1 } });
    } else {
      task.reject(Object.assign(new Error(`lost twice: ${reason}`), { lost: true }));
    }
  }

  /** Stop every worker; pending jobs never settle. */
  terminate() {
    this.closed = true;
    for (const worker of [...this.idle, ...this.busy]) worker.terminate();
    this.idle = [];
    this.busy.clear();
    this.queue = [];
  }
}
