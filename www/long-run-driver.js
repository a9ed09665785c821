// @ts-check
/**
 * The training worker's side of a long run (`RUN` with `longRun` settings): "train until"
 * the mean per-task score reaches `target` or the step cap `max_steps`, evaluating each
 * task on its own `per_task_trials` trials every `eval_every` steps (`Simulator.
 * longRunEvaluate`; the record and its curve stay in wasm memory). It keeps the training
 * clock (wall time while training, evaluations included, continued from a restored
 * record) and builds the fields of the LONG_RUN events: the point, the estimates and the chart of the
 * curves, posted only when a point was added. See `lab::long_run` for the definitions.
 *
 * With data-parallel helpers (`dp-worker.js`) a mixture's evaluation is split
 * (`evaluateSplit`): each helper scores a contiguous range of the tasks (`scoreTasks`, sent
 * the current parameters), this worker's Simulator the first range, and the merged scores
 * are recorded (`longRunEvaluateScored`, which also runs the shared batch). Every task has
 * its own trial stream, so the point is the one `longRunEvaluate` records, bit for bit;
 * only the wall time changes. Each LONG_RUN event carries `evalSeconds` (the evaluation's
 * wall time) and `evalWorkers` (how many workers scored the tasks).
 */
import { shardRanges } from './data-parallel.js';

/**
 * @typedef {{target?: number, max_steps?: number, per_task_trials?: number, eval_every?: number}} LongRunSettings
 */

export class LongRunDriver {
  constructor() {
    /** Whether a long run is training. */
    this.active = false;
    /** @type {Required<LongRunSettings> | null} settings of the current (or last) run */
    this.settings = null;
    /** Training seconds before `startedAt`. */
    this.baseSeconds = 0;
    this.startedAt = 0;
    /** @type {any} the latest point (`longRunEvaluate`), reused by the progress reports */
    this.lastPoint = null;
    /** Tasks of the run's record (> 1 for a mixture, whose evaluation can be split). */
    this.tasks = 1;
  }

  /** Training seconds so far. */
  seconds() {
    return this.baseSeconds + (this.active ? (performance.now() - this.startedAt) / 1000 : 0);
  }

  /**
   * Start (or continue, same settings) a long run on `sim`; returns the LONG_RUN event's fields
   * of the first evaluation when the curve has no point at the current step yet.
   * @param {any} sim @param {LongRunSettings} settings
   */
  start(sim, settings) {
    const state = sim.longRunStart(settings);
    this.settings = state.config;
    this.baseSeconds = Number(state.elapsedSeconds) || 0;
    this.startedAt = performance.now();
    this.active = true;
    const record = sim.longRunRecord();
    this.tasks = record.tasks.length;
    const last = record.points[record.points.length - 1];
    if (!last || last.step !== sim.stepsDone()) return this.evaluate(sim);
    this.lastPoint = { step: last.step, mean: last.mean, finished: record.finished ?? undefined };
    return this.message(sim, this.lastPoint);
  }

  /** Steps until the next evaluation is due (≥ 1). @param {number} step */
  stepsToNext(step) {
    if (!this.settings) return Infinity;
    const every = this.settings.eval_every;
    return Math.max(1, Math.min(every - (step % every), this.settings.max_steps - step));
  }

  /** Whether an evaluation is due after `step` steps. @param {number} step */
  due(step) {
    return this.active && this.settings !== null &&
      (step % this.settings.eval_every === 0 || step >= this.settings.max_steps);
  }

  /** Evaluate, record the point and return the LONG_RUN event's fields. @param {any} sim */
  evaluate(sim) {
    const started = performance.now();
    this.lastPoint = sim.longRunEvaluate(this.seconds());
    return this.message(sim, this.lastPoint, { evalSeconds: (performance.now() - started) / 1000, evalWorkers: 1 });
  }

  /**
   * Whether an evaluation can be split over `helpers`: there are some, and the run's task
   * is a mixture. @param {unknown[]} helpers
   */
  canSplit(helpers) {
    return helpers.length > 0 && this.tasks > 1 && this.settings !== null;
  }

  /**
   * Evaluate with the tasks split over `sim` and `helpers` (data-parallel peers with
   * `call(name, fields, transfer)`, see `dp-worker.js`): the helpers' `scoreTasks` calls are
   * posted first (with a copy of the current parameters), `sim` scores the first range
   * meanwhile, then the merged scores are recorded. Resolves to the LONG_RUN event's
   * fields, or null when `stillCurrent()` is false once the helpers answered (the network
   * was replaced or the helpers stopped meanwhile; nothing is recorded). Rejects when a
   * helper failed (nothing recorded; the caller falls back to `evaluate`).
   * @param {any} sim @param {{call: (name: string, fields?: object, transfer?: Transferable[]) => Promise<any>}[]} helpers
   * @param {() => boolean} stillCurrent
   */
  async evaluateSplit(sim, helpers, stillCurrent) {
    const started = performance.now();
    const seconds = this.seconds();
    const trials = /** @type {Required<LongRunSettings>} */ (this.settings).per_task_trials;
    const parts = Math.min(helpers.length + 1, this.tasks);
    const ranges = shardRanges(this.tasks, parts);
    const params = sim.parameters();
    const pending = ranges.slice(1).map(([first, count], i) => {
      const copy = params.slice();
      return helpers[i].call('scoreTasks', { params: copy, first, count, trials }, [copy.buffer]);
    });
    for (const part of pending) part.catch(() => {}); // awaited below; not unhandled if ours throws first
    const own = sim.scoreTasks(ranges[0][0], ranges[0][1], trials);
    const others = await Promise.all(pending);
    if (!stillCurrent()) return null;
    const scores = new Float32Array(this.tasks);
    let offset = 0;
    for (const part of [own, ...others]) {
      scores.set(part, offset);
      offset += part.length;
    }
    this.lastPoint = sim.longRunEvaluateScored(scores, seconds);
    return this.message(sim, this.lastPoint, { evalSeconds: (performance.now() - started) / 1000, evalWorkers: parts });
  }

  /** @param {any} sim @param {any} point @param {{evalSeconds?: number, evalWorkers?: number}} [timing] */
  message(sim, point, timing = {}) {
    return {
      ...timing,
      point,
      settings: this.settings,
      estimate: sim.longRunEstimate(),
      chart: sim.longRunChart(),
      finished: point.finished,
    };
  }

  /** Stop the clock (PAUSE, DONE, a new network). */
  pause() {
    this.baseSeconds = this.seconds();
    this.active = false;
  }

  /** What the autosave stores beside the model. @param {any} sim */
  saved(sim) {
    const record = sim && typeof sim.longRunRecord === 'function' ? sim.longRunRecord() : undefined;
    return record === undefined ? null : { record, running: this.active };
  }
}
