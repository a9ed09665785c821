// @ts-check
/**
 * The training worker's side of a long run (`RUN` with `longRun` settings): "train until"
 * the mean per-task score reaches `target` or the step cap `max_steps`, evaluating each
 * task on its own `per_task_trials` trials every `eval_every` steps (`Simulator.
 * longRunEvaluate`; the record and its curve stay in wasm memory). It keeps the training
 * clock (wall time while training, evaluations included, continued from a restored
 * record) and builds the fields of the LONG_RUN events: the point, the estimates and the chart of the
 * curves, posted only when a point was added. See `lab::long_run` for the definitions.
 */

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
    this.lastPoint = sim.longRunEvaluate(this.seconds());
    return this.message(sim, this.lastPoint);
  }

  /** @param {any} sim @param {any} point */
  message(sim, point) {
    return {
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
