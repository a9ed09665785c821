// @ts-check
/**
 * A pool of module Web Workers (`pool-worker.js`) for independent jobs: sweep points
 * (`sweep.js`) and benchmark workloads (`bench.html`). Workers start lazily, up to `size`.
 * A job whose worker dies (an `error` event, or a trapped wasm instance) is rerun once on
 * a fresh worker; if that one dies too, the job fails with an Error whose `lost` is true.
 * A job the wasm rejects (bad input) fails at once with the wasm's message.
 */
import { spawnModuleWorker } from './spawn.js';

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
    /** @type {Worker[]} */
    this.idle = [];
    /** @type {Map<Worker, Task>} */
    this.busy = new Map();
    /** @type {Task[]} */
    this.queue = [];
    this.started = 0;
    this.nextId = 0;
    /** Jobs rerun after their worker died. */
    this.reruns = 0;
    this.closed = false;
  }

  /**
   * Run `job` (`{job: POOL_JOB.*, ...fields}`); resolves to its result.
   * @param {Omit<import('./protocol.js').PoolRequest, 'id' | 'attempt'>} job
   * @returns {Promise<any>}
   */
  run(job) {
    if (this.closed) return Promise.reject(new Error('the worker pool was terminated'));
    return new Promise((resolve, reject) => {
      this.queue.push({ request: { ...job, id: this.nextId++, attempt: 1 }, resolve, reject });
      this.dispatch();
    });
  }

  /** Start queued jobs on idle (or new) workers. */
  dispatch() {
    while (this.queue.length > 0) {
      let worker = this.idle.pop();
      if (!worker && this.busy.size < this.size) worker = this.spawn();
      if (!worker) return;
      const task = /** @type {Task} */ (this.queue.shift());
      this.busy.set(worker, task);
      worker.postMessage(task.request);
    }
  }

  /** @returns {Worker} */
  spawn() {
    const worker = spawnModuleWorker(WORKER_URL);
    this.started++;
    worker.onmessage = (event) => {
      const task = this.busy.get(worker);
      if (!task || event.data.id !== task.request.id) return;
      if (event.data.fatal) {
        this.died(worker, `the wasm instance trapped: ${event.data.error}`);
        return;
      }
      this.busy.delete(worker);
      this.idle.push(worker);
      if (event.data.error !== undefined) task.reject(new Error(event.data.error));
      else task.resolve(event.data.result);
      this.dispatch();
    };
    worker.onerror = (event) => {
      event.preventDefault();
      this.died(worker, event.message || 'the worker failed');
    };
    return worker;
  }

  /** `worker` is gone: rerun its job once, else fail it. @param {Worker} worker @param {string} reason */
  died(worker, reason) {
    worker.terminate();
    const task = this.busy.get(worker);
    this.busy.delete(worker);
    this.idle = this.idle.filter((w) => w !== worker);
    if (task && !this.closed) {
      if (task.request.attempt < MAX_ATTEMPTS) {
        this.reruns++;
        this.queue.unshift({ ...task, request: { ...task.request, attempt: task.request.attempt + 1 } });
      } else {
        const error = Object.assign(new Error(`lost twice: ${reason}`), { lost: true });
        task.reject(error);
      }
    }
    this.dispatch();
  }

  /** Stop every worker; pending jobs never settle. */
  terminate() {
    this.closed = true;
    for (const worker of [...this.idle, ...this.busy.keys()]) worker.terminate();
    this.idle = [];
    this.busy.clear();
    this.queue = [];
  }
}
