// @ts-check
/**
 * The page's and the widget's end of the training worker (`worker.js`): calls it through
 * `rpc.js` (the TO_TRAINER calls of `protocol.js`), hands its owner one stream of typed
 * messages (`onMessage`: each reply as its FROM_TRAINER type, READY for INIT's, ..., and
 * the worker's events: PROGRESS, DONE, LONG_RUN, ERROR), autosaves the model while
 * training, and survives a dead worker. When the worker fires `error` (an uncaught trap),
 * replies or emits `fatal` (the wasm instance trapped) or stops sending heartbeats for
 * `heartbeatTimeoutMs`, the client
 * terminates it, starts a new one, rebuilds the last configuration with the last
 * autosaved model (`restoreModel()`), resumes training if it was training, and tells the
 * owner through `onRecovered(reason)`. A worker that dies while building a configuration,
 * or again before it is rebuilt, is not restarted (the configuration itself kills it);
 * `onDead(reason)` says so, and the next `start` starts a new worker.
 */
import { errorText } from './errors.js';
import { FROM_TRAINER, TO_TRAINER } from './protocol.js';
import { RpcWorker } from './rpc.js';

/**
 * Least heartbeat timeout during a long run: an evaluation of 20 tasks × 512 trials of a
 * 256-unit network is one wasm call of tens of seconds on a slow machine.
 */
const LONG_RUN_HEARTBEAT_TIMEOUT_MS = 300_000;

/** Absolute URL of the training worker module. */
const WORKER_URL = new URL('./worker.js', import.meta.url);

/**
 * @typedef {{
 *   onMessage: (message: import('./protocol.js').TrainerMessage) => void,
 *   restoreModel?: () => string | null | Promise<string | null>,
 *   restoreHistory?: () => object | null | Promise<object | null>,
 *   storeModel?: (text: string, history: object | null, step: number) => void,
 *   onRecovered?: (reason: string) => void,
 *   onDead?: (reason: string) => void,
 *   autosaveMs?: number,
 *   heartbeatTimeoutMs?: number,
 *   workers?: number,
 * }} ClientOptions
 * `workers`: data-parallel workers for runs with `train.shards` > 1 (default
 * `defaultWorkers()`; the worker uses min(workers, train.shards, 8), so 1 when shards is 1).
 * `restoreHistory`: the long-run record stored with the autosaved model (`storeModel`'s
 * second argument), restored with it after a dead worker.
 */

/** `min(navigator.hardwareConcurrency, 8)` (1 when unknown). */
export function defaultWorkers() {
  const cores = typeof navigator === 'object' ? Number(navigator.hardwareConcurrency) : 1;
  return Math.max(1, Math.min(Number.isFinite(cores) ? cores : 1, 8));
}

export class TrainerClient {
  /** @param {ClientOptions} options */
  constructor(options) {
    this.options = options;
    /** Milliseconds between autosaves while training. */
    this.autosaveMs = options.autosaveMs ?? 15_000;
    /** Milliseconds without a heartbeat after which the worker counts as dead. */
    this.heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? 60_000;
    /** Whether the worker is training (as far as this side knows). */
    this.running = false;
    /** @type {number | undefined} step at which the current run stops */
    this.untilStep = undefined;
    /** @type {object | undefined} settings of the current long run (`runLongRun`) */
    this.longRun = undefined;
    /** Workers started so far (1 + restarts). */
    this.workersStarted = 0;
    /** @type {object | null} configuration of the last `start` */
    this.config = null;
    /** Whether that configuration was built (READY came): only then is a rebuild worth trying. */
    this.built = false;
    /** @type {string | null} reason of a recovery in progress (until READY) */
    this.recovering = null;
    this.resumeAfterRecovery = false;
    this.lastAutosave = 0;
    /** @type {import('./protocol.js').TrainerMessage | null} the latest heartbeat (its `wasmBytes`) */
    this.lastHeartbeat = null;
    /** Networks started (`start`): autosaves of an earlier one are dropped. */
    this.generation = 0;
    /** @type {RpcWorker | null} */
    this.rpc = null;
    this.spawn();
    this.watchdog = setInterval(() => {
      if (this.rpc && performance.now() - this.rpc.lastHeard > this.heartbeatTimeoutMs) {
        this.rpc.die(`no heartbeat for ${Math.round(this.heartbeatTimeoutMs / 1000)} s`);
      }
    }, 1000);
  }

  /** Data-parallel workers asked for. */
  workers() {
    return this.options.workers ?? defaultWorkers();
  }

  /** Start a new worker and wire it. */
  spawn() {
    /** @type {RpcWorker} */
    let rpc;
    try {
      rpc = new RpcWorker(WORKER_URL, {
        onEvent: ({ event, ...fields }) => {
          if (rpc === this.rpc) this.receive(event === FROM_TRAINER.ERROR ? { type: event, message: fields.error, context: fields.context } : { type: event, ...fields });
        },
        onDeath: (reason) => {
          if (rpc === this.rpc) this.crashed(reason);
        },
      });
    } catch (error) {
      this.rpc = null;
      this.options.onDead?.(`cannot start the training worker: ${errorText(error)}`);
      return;
    }
    this.rpc = rpc;
    this.workersStarted++;
  }

  /**
   * Call `call` on the worker; its reply (unless null) is handed on as a `type` message,
   * an error as ERROR with `context` = the call. A dead worker's rejection is dropped
   * (`crashed` handles the death).
   * @param {string} call @param {Record<string, any>} [fields] @param {string} [type]
   */
  ask(call, fields = {}, type = undefined) {
    const rpc = this.rpc;
    if (!rpc) return;
    rpc.call(call, fields).then((result) => {
      if (type !== undefined && result !== null && rpc === this.rpc) this.receive({ type, ...result });
    }, (error) => {
      if (!error.died && rpc === this.rpc) this.receive({ type: FROM_TRAINER.ERROR, message: error.message, context: call });
    });
  }

  /** @param {import('./protocol.js').TrainerMessage} message */
  receive(message) {
    const type = message.type;
    if (type === FROM_TRAINER.HEARTBEAT) {
      this.lastHeartbeat = message;
      return;
    }
    if (type === FROM_TRAINER.ERROR || type === FROM_TRAINER.DONE) this.running = false;
    if (type === FROM_TRAINER.PROGRESS && this.running && performance.now() - this.lastAutosave > this.autosaveMs) {
      this.autosave();
    }
    if (type === FROM_TRAINER.DONE) this.autosave();
    if (type === FROM_TRAINER.READY) this.built = true;
    if (type === FROM_TRAINER.READY && this.recovering !== null) {
      const reason = this.recovering;
      this.recovering = null;
      if (this.resumeAfterRecovery && this.longRun) this.runLongRun(this.longRun);
      else if (this.resumeAfterRecovery) this.run(this.untilStep);
      this.options.onRecovered?.(reason);
      this.options.onMessage({ ...message, recovered: reason });
      return;
    }
    this.options.onMessage(message);
  }

  /** The worker is gone (`reason`): restart it and rebuild, once per successful build. @param {string} reason */
  crashed(reason) {
    this.rpc = null;
    if (this.recovering !== null || this.config === null || !this.built) {
      const why = this.recovering !== null
        ? `${reason}, again while rebuilding after: ${this.recovering}`
        : this.config !== null ? `${reason}, while building this network` : reason;
      this.running = false;
      this.recovering = null;
      this.options.onDead?.(why);
      return;
    }
    this.resumeAfterRecovery = this.running;
    this.running = false;
    this.recovering = reason;
    this.spawn();
    const config = this.config;
    // the stored model may come from IndexedDB (a promise) or from memory
    Promise.all([this.options.restoreModel?.() ?? null, this.options.restoreHistory?.() ?? null])
      .catch(() => [null, null])
      .then(([model, history]) => {
        if (this.recovering !== reason || this.config !== config) return; // superseded by a start
        this.ask(TO_TRAINER.INIT, { config, model, history, workers: this.workers() }, FROM_TRAINER.READY);
      });
  }

  /**
   * Build a Simulator from `config` (the run description), restoring `model` (a model
   * file's text) when given, and with it `history` (a long run's stored record). A dead
   * worker is replaced first.
   * @param {object} config @param {string | null} [model] @param {object | null} [history]
   */
  start(config, model = null, history = null) {
    this.generation++;
    this.config = config;
    this.built = false;
    this.running = false;
    this.recovering = null;
    this.longRun = undefined;
    if (!this.rpc) this.spawn();
    this.ask(TO_TRAINER.INIT, { config, model, history, workers: this.workers() }, FROM_TRAINER.READY);
  }

  /** Train; with `untilStep`, stop at that step (the worker emits DONE). @param {number} [untilStep] */
  run(untilStep) {
    this.running = true;
    this.untilStep = untilStep;
    this.longRun = undefined;
    this.lastAutosave = performance.now();
    this.ask(TO_TRAINER.RUN, untilStep === undefined ? {} : { untilStep });
  }

  /**
   * Train until the mean per-task score reaches `settings.target` or `settings.max_steps`
   * (the worker emits LONG_RUN per evaluation, then DONE with its `reason`); the same
   * settings continue a restored curve. @param {object} settings
   */
  runLongRun(settings) {
    // one evaluation (every task on its own trials) is one uninterruptible wasm call
    this.heartbeatTimeoutMs = Math.max(this.heartbeatTimeoutMs, LONG_RUN_HEARTBEAT_TIMEOUT_MS);
    this.running = true;
    this.untilStep = undefined;
    this.longRun = settings;
    this.lastAutosave = performance.now();
    this.ask(TO_TRAINER.RUN, { longRun: settings });
  }

  /** Ask for Yang et al.'s task-variance analysis (`trials` per task). @param {number} trials */
  taskVariance(trials) { this.ask(TO_TRAINER.TASK_VARIANCE, { trials }, FROM_TRAINER.TASK_VARIANCE); }

  /** Stop training and autosave. */
  pause() {
    this.running = false;
    this.untilStep = undefined;
    this.longRun = undefined;
    this.ask(TO_TRAINER.PAUSE);
    this.autosave();
  }

  /** Save the model; the answer goes to `storeModel` (unless a newer `start` came first). */
  autosave() {
    this.lastAutosave = performance.now();
    const generation = this.generation;
    this.saveRecord().then((saved) => {
      if (saved && generation === this.generation) this.options.storeModel?.(saved.text, saved.history ?? null, Number(saved.step));
    }, () => {});
  }

  /** SAVE's reply `{text, history, step}` (null before a network is built). @returns {Promise<any>} */
  saveRecord() {
    if (!this.rpc) return Promise.reject(new Error('the training worker is not running'));
    return this.rpc.call(TO_TRAINER.SAVE).catch((error) => {
      throw error.died ? new Error(`the training worker died (${error.message})`) : error;
    });
  }

  /** The model file's text. @returns {Promise<string>} */
  async saveModel() {
    const saved = await this.saveRecord();
    if (!saved) throw new Error('no network to save yet');
    return saved.text;
  }

  /** Ask for an analysis; `readout` adds Turcu & Abbott's readout picture. @param {boolean} [readout] */
  analyse(readout = false) { this.ask(TO_TRAINER.ANALYSE, { readout }, FROM_TRAINER.ANALYSIS); }

  /** Replace the model by a model file's text. @param {string} text */
  load(text) {
    this.running = false;
    this.ask(TO_TRAINER.LOAD, { text }, FROM_TRAINER.LOADED);
  }

  /** @param {string} what weights, mask or activity */
  npy(what) { this.ask(TO_TRAINER.NPY, { what }, FROM_TRAINER.NPY); }

  /** @param {number} neuron */
  footprint(neuron) { this.ask(TO_TRAINER.FOOTPRINT, { neuron }, FROM_TRAINER.FOOTPRINT); }

  /**
   * Test hook: make the worker die as a trapped wasm instance would, now or while it
   * builds the next network. @param {'now' | 'next-init'} [when]
   */
  debugTrap(when = 'now') { this.ask(TO_TRAINER.DEBUG_TRAP, { when }); }

  /** Test hook: make the worker hang (no heartbeat) for `ms`. @param {number} ms */
  debugHang(ms) { this.ask(TO_TRAINER.DEBUG_HANG, { ms }); }

  /** Stop the worker for good. */
  terminate() {
    clearInterval(this.watchdog);
    this.rpc?.terminate();
    this.rpc = null;
  }
}
