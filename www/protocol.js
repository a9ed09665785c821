// @ts-check
/**
 * The message protocol between the page (or a widget) and its training worker
 * (`worker.js`, a stream of typed messages), and the jobs of the worker pool (`pool.js`,
 * `pool-worker.js`, request/reply through `rpc.js`). Every side uses these constants,
 * never string literals.
 */

/** Messages to the training worker. */
export const TO_TRAINER = Object.freeze({
  /**
   * `{type, config, model?, history?, workers?}`: build a Simulator (and restore a saved
   * model file, and with it `history = {record, running}`, a long run's stored record);
   * `workers` > 1 with `train.shards` > 1 trains data-parallel (not after a restored model).
   */
  INIT: 'init',
  /**
   * `{type, untilStep?, longRun?}`: train; with `untilStep`, pause there and post DONE;
   * with `longRun = {target, max_steps, per_task_trials, eval_every}`, train until the
   * mean per-task score reaches `target` or the cap (LONG_RUN per evaluation, then DONE
   * with `reason`).
   */
  RUN: 'run',
  /** `{type}`: stop training (posts a last PROGRESS). */
  PAUSE: 'pause',
  /** `{type}`: post ANALYSIS (eigenvalues, degradation, PCA). */
  ANALYSE: 'analyse',
  /** `{type, purpose}`: post MODEL with the model file text. */
  SAVE: 'save',
  /** `{type, text}`: replace the model by a model file; posts LOADED. */
  LOAD: 'load',
  /** `{type, what}`: post NPY with `what` (weights, mask, activity) as `.npy` bytes. */
  NPY: 'npy',
  /** `{type, neuron}`: post FOOTPRINT (the neuron's presynaptic partners). */
  FOOTPRINT: 'footprint',
  /** `{type, trials}`: post TASK_VARIANCE (Yang et al.'s analysis, `trials` per task). */
  TASK_VARIANCE: 'task-variance',
  /**
   * `{type, when}`: test hook: the worker dies as a trapped wasm instance would, now
   * (`when: 'now'`, an uncaught trap) or in the next INIT (`'next-init'`, a caught one).
   */
  DEBUG_TRAP: 'debug-trap',
  /** `{type, ms}`: test hook: the worker hangs (busy, no heartbeat) for `ms`. */
  DEBUG_HANG: 'debug-hang',
});

/** Messages from the training worker. */
export const FROM_TRAINER = Object.freeze({
  /** `{type, info, snapshot, restored, longRun}` after INIT (`longRun`: a restored record). */
  READY: 'ready',
  /** `{type, step, loss, gradNorm, stepsPerSec, workers, evaluation, snapshot}`, a few per second. */
  PROGRESS: 'progress',
  /** `{type, step, reason?}`: reached `untilStep` (`reason` of a long run: criterion, step-cap). */
  DONE: 'done',
  /** `{type, analysis}`. */
  ANALYSIS: 'analysis',
  /** `{type, text, purpose, history, step}` (`history`: `{record, running}` of a long run, or null). */
  MODEL: 'model',
  /** `{type, result, info, snapshot, wasRunning}` after LOAD. */
  LOADED: 'loaded',
  /** `{type, what, bytes}`. */
  NPY: 'npy',
  /** `{type, neuron, partners}`. */
  FOOTPRINT: 'footprint',
  /** `{type, point, settings, estimate, chart, finished}` after each long-run evaluation. */
  LONG_RUN: 'long-run',
  /** `{type, record}`: a task-variance record for `Simulator.drawTaskVariance`. */
  TASK_VARIANCE: 'task-variance',
  /** `{type, message, context, fatal}`; `fatal`: the wasm instance trapped and is unusable. */
  ERROR: 'error',
  /** `{type, step, wasmBytes}` every HEARTBEAT_MS while the worker's event loop runs (`wasmBytes`: its wasm memory). */
  HEARTBEAT: 'heartbeat',
});

/** Milliseconds between heartbeats of an idle or training worker. */
export const HEARTBEAT_MS = 1000;

/** Jobs of the worker pool: `rpc.js` calls of `pool-worker.js`, with the `PoolRequest` fields. */
export const POOL_JOB = Object.freeze({
  /** `{point}`: `runSweepPoint(point)`, result = the parsed JSON object. */
  SWEEP_POINT: 'sweep-point',
  /** `{name, targetMs}`: `benchWorkload(name, targetMs)`. */
  BENCH: 'bench',
  /** `{paper, claim, quick}`: `runClaim(paper, claim, quick)` (when the build has it), result = the parsed JSON. */
  CLAIM: 'claim',
});

/**
 * @typedef {{type: string, config?: object, model?: string | null, untilStep?: number,
 *            purpose?: string, text?: string, what?: string, neuron?: number, ms?: number,
 *            when?: string, readout?: boolean, longRun?: object, history?: object | null,
 *            trials?: number}} TrainerRequest
 * @typedef {{type: string, [key: string]: any}} TrainerMessage
 * @typedef {{accuracy: number, lateAccuracy: number, [key: string]: any}} Evaluation
 * @typedef {{type: 'progress', step: number, loss: number | null, gradNorm: number | null,
 *            stepsPerSec: number, evaluation: Evaluation, snapshot: object}} ProgressMessage
 * @typedef {{attempt: number, job: string, trapAttempts?: number,
 *            point?: object, name?: string, targetMs?: number,
 *            paper?: string, claim?: string, quick?: boolean}} PoolRequest
 */
