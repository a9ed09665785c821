// @ts-check
/**
 * The names of the page's worker protocol (`rpc.js`: calls with replies, and events the
 * worker streams): the training worker's calls (`worker.js`, TO_TRAINER) and what its
 * client (`trainer-client.js`) hands its owner (FROM_TRAINER: replies, as the type of
 * their call's answer, and events), and the jobs of the worker pool (`pool.js`,
 * `pool-worker.js`). Every side uses these constants, never string literals.
 */

/** Calls of the training worker (fields below; the reply's FROM_TRAINER type in parentheses). */
export const TO_TRAINER = Object.freeze({
  /**
   * `{config, model?, history?, workers?}` (READY): build a Simulator (and restore a saved
   * model file, and with it `history = {record, running}`, a long run's stored record);
   * `workers` > 1 with `train.shards` > 1 trains data-parallel (not after a restored model).
   */
  INIT: 'init',
  /**
   * `{untilStep?, longRun?}`: train (events: PROGRESS, then DONE); with `untilStep`, pause there;
   * with `longRun = {target, max_steps, per_task_trials, eval_every}`, train until the
   * mean per-task score reaches `target` or the cap (a LONG_RUN event per evaluation,
   * then DONE with `reason`).
   */
  RUN: 'run',
  /** `{}`: stop training (emits a last PROGRESS). */
  PAUSE: 'pause',
  /** `{readout?}`: (ANALYSIS) eigenvalues, degradation, PCA; `readout`: Turcu's readout picture; a reservoir's `reservoir` charts always. */
  ANALYSE: 'analyse',
  /** `{}`: the model file's text with the long-run record, `{text, history, step}` (`history`:
   * `{record, running}` of a long run, or null); the client hands it to `storeModel` or
   * `saveModel()`, not to `onMessage`. */
  SAVE: 'save',
  /** `{text}`: (LOADED) replace the model by a model file. */
  LOAD: 'load',
  /** `{what}`: (NPY) `what` (weights, mask, activity) as `.npy` bytes. */
  NPY: 'npy',
  /** `{neuron}`: (FOOTPRINT) the neuron's presynaptic partners. */
  FOOTPRINT: 'footprint',
  /** `{trials}`: (TASK_VARIANCE) Yang et al.'s analysis, `trials` per task. */
  TASK_VARIANCE: 'task-variance',
  /**
   * `{when}`: test hook: the worker dies as a trapped wasm instance would, now
   * (`when: 'now'`, an uncaught trap) or in the next INIT (`'next-init'`, a caught one).
   */
  DEBUG_TRAP: 'debug-trap',
  /** `{ms}`: test hook: the worker hangs (busy, no heartbeat) for `ms`. */
  DEBUG_HANG: 'debug-hang',
});

/**
 * What the training client hands its owner, each `{type, ...fields}`: a call's reply
 * (READY, ANALYSIS, LOADED, NPY, FOOTPRINT, TASK_VARIANCE) or an event the worker
 * streams (PROGRESS, DONE, LONG_RUN, ERROR, HEARTBEAT; a failed call is an ERROR too,
 * its `context` the call).
 */
export const FROM_TRAINER = Object.freeze({
  /** `{type, info, snapshot, restored, longRun}` after INIT (`longRun`: a restored record). */
  READY: 'ready',
  /** `{type, step, loss, gradNorm, stepsPerSec, workers, evaluation, snapshot}`, a few per second. */
  PROGRESS: 'progress',
  /** `{type, step, reason?}`: reached `untilStep` (`reason` of a long run: criterion, step-cap). */
  DONE: 'done',
  /** `{type, analysis}`. */
  ANALYSIS: 'analysis',
  /** `{type, result, info, snapshot, wasRunning}` after LOAD. */
  LOADED: 'loaded',
  /** `{type, what, bytes}`. */
  NPY: 'npy',
  /** `{type, neuron, partners}`. */
  FOOTPRINT: 'footprint',
  /**
   * `{type, point, settings, estimate, chart, finished, evalSeconds, evalWorkers}` after each
   * long-run evaluation (`evalSeconds`: its wall time; `evalWorkers`: workers that scored the tasks).
   */
  LONG_RUN: 'long-run',
  /** `{type, record}`: a task-variance record for `Simulator.drawTaskVariance`. */
  TASK_VARIANCE: 'task-variance',
  /** `{type, message, context}` (a fatal one, a trap, never reaches the owner: the client restarts the worker). */
  ERROR: 'error',
  /** `{type, step, wasmBytes}` every HEARTBEAT_MS while the worker's event loop runs (`wasmBytes`: its wasm memory). */
  HEARTBEAT: 'heartbeat',
});

/** Milliseconds between heartbeats of an idle or training worker. */
export const HEARTBEAT_MS = 1000;

/** Jobs of the worker pool: `rpc.js` calls of `pool-worker.js`, with the `PoolRequest` fields. */
export const POOL_JOB = Object.freeze({
  /** `{point}`: `runSweepPoint(point)`, result = its record. */
  SWEEP_POINT: 'sweep-point',
  /** `{name, targetMs}`: `benchWorkload(name, targetMs)`. */
  BENCH: 'bench',
  /** `{paper, claim, quick}`: `runClaim(paper, claim, quick)` (when the build has it), result = its claims. */
  CLAIM: 'claim',
});

/**
 * @typedef {{config?: object, model?: string | null, untilStep?: number, workers?: number,
 *            text?: string, what?: string, neuron?: number, ms?: number,
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
