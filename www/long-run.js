// @ts-check
/**
 * The page's long-run panel: "train until" the mean per-task score reaches a target (each
 * task scored on its own trials, Yang et al.'s test, with its 95 % Wilson interval), with
 * a step cap; the per-task learning curves (a chart the worker builds in Rust and posts
 * only when a point was added), the elapsed training time, steps/s, the time left to the
 * cap and a projection to the criterion from the recent trend (an estimate); and Yang et
 * al.'s task-variance analysis on demand or after a preset's run. The curve is stored with
 * the autosaved model (`files.js`), so a reload continues it (and resumes the run).
 * Test hook: `window.labLongRun` lists every point received `{step, mean, seconds,
 * perTask: {task: [score, low, high]}, evalSeconds, evalWorkers}` (the evaluation's wall
 * time and the workers that scored it); `#long-run-status` carries `data-step`,
 * `data-mean`, `data-points`, `data-first-step`, `data-finished`, `data-seconds-left`,
 * `data-criterion-seconds`; `#plot-task-variance` `data-k` once drawn.
 */

/** Canvas of the per-task curves. */
export const CURVE_CANVAS = 'plot-long-run';
/** Canvas of the task-variance map. */
export const TASK_VARIANCE_CANVAS = 'plot-task-variance';
/** Trials per task of the task-variance analysis (the Yang claim's setting). */
export const TASK_VARIANCE_TRIALS = 64;

/** `1 h 02 min`, `3 min 05 s`, `12 s`. @param {number | null | undefined} seconds */
export function duration(seconds) {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return '–';
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
  if (s >= 60) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${s} s`;
}

/**
 * @param {{client: import('./trainer-client.js').TrainerClient, status: HTMLElement,
 *          table: HTMLElement, button: HTMLButtonElement, tvButton: HTMLButtonElement,
 *          inputs: {target: HTMLInputElement, cap: HTMLInputElement, trials: HTMLInputElement,
 *                   every: HTMLInputElement}}} parts
 */
export function createLongRun({ client, status, table, button, tvButton, inputs }) {
  /** @type {any[]} */
  const points = [];
  Object.assign(window, { labLongRun: points });
  /** @type {object | null} */
  let pendingChart = null;
  /** @type {object | null} */
  let pendingVariance = null;
  /** @type {any} */
  let latest = null;
  let firstStep = -1;
  /** Evaluations in the curve (restored ones included). */
  let curvePoints = 0;

  /** The settings in the inputs. */
  function settings() {
    return {
      target: Number(inputs.target.value),
      max_steps: Math.floor(Number(inputs.cap.value)),
      per_task_trials: Math.floor(Number(inputs.trials.value)),
      eval_every: Math.floor(Number(inputs.every.value)),
    };
  }

  /** Show `s` in the inputs. @param {any} s */
  function show(s) {
    inputs.target.value = String(s.target);
    inputs.cap.value = String(s.max_steps);
    inputs.trials.value = String(s.per_task_trials);
    inputs.every.value = String(s.eval_every);
  }

  /** Forget the shown curve (a new network). */
  function clear() {
    points.length = 0;
    latest = null;
    firstStep = -1;
    curvePoints = 0;
    table.textContent = '';
    status.textContent = 'No long run yet: "Train until" trains until the mean per-task performance reaches the target.';
    for (const key of Object.keys(status.dataset)) delete status.dataset[key];
    pendingChart = { title: 'Per-task performance (long run)', x_label: 'training step', y_label: 'performance', y_range: [0, 1], series: [] };
  }

  /** Start (or continue) the long run, with `s` or the inputs' settings. @param {any} [s] */
  function start(s) {
    if (s) show(s);
    client.runLongRun(s ?? settings());
  }

  /** The per-task table: task, score and its 95 % interval, trials. @param {any[]} perTask */
  function fillTable(perTask) {
    const rows = perTask.map((t) => {
      const [lo, hi] = t.ci95;
      return `<tr><td>${t.task}</td><td>${t.score.toFixed(3)}</td><td>[${lo.toFixed(3)}, ${hi.toFixed(3)}]</td><td>${t.trials}</td></tr>`;
    });
    table.innerHTML = `<thead><tr><th>Task</th><th>Performance</th><th>95 % interval</th><th>Trials</th></tr></thead><tbody>${rows.join('')}</tbody>`;
  }

  /**
   * The status line from the latest estimate; between evaluations (PROGRESS) with the
   * live step and rate, the time to the cap from them (the rate of the estimate includes
   * the evaluations, the live one does not). @param {number} [liveStep] @param {number} [liveRate]
   */
  function describe(liveStep, liveRate) {
    if (!latest) return;
    const { point, estimate, settings: s } = latest;
    const e = { ...(estimate ?? {}) };
    if (liveStep !== undefined && !(e.steps_per_second > 0) && liveRate && liveRate > 0) {
      e.steps_per_second = liveRate;
      e.seconds_to_cap = Math.max(0, s.max_steps - liveStep) / liveRate;
    }
    const finished = point.finished === 'criterion'
      ? `stopped: mean ≥ ${s.target} reached at step ${point.step}`
      : point.finished === 'step-cap' ? `stopped at the step cap (${s.max_steps}) below the target` : 'training';
    const toCriterion = e.seconds_to_criterion !== null && e.seconds_to_criterion !== undefined
      ? `≈ ${duration(e.seconds_to_criterion)} (${Math.round(e.steps_to_criterion)} steps; estimate from the trend of the last evaluations)`
      : 'no estimate yet (it needs 3 evaluations and a rising trend that reaches the target before the cap)';
    status.textContent =
      `Long run (${finished}) · step ${liveStep ?? point.step} of at most ${s.max_steps} · mean per-task performance ` +
      `${point.mean.toFixed(3)} (target ${s.target}; each task on ${s.per_task_trials} trials) · ` +
      `elapsed ${duration(e.elapsed_seconds)} · ${(e.steps_per_second ?? 0).toFixed(2)} steps/s · ` +
      `left to the cap ${duration(e.seconds_to_cap)} · to the criterion ${point.finished ? '–' : toCriterion}`;
    Object.assign(status.dataset, {
      step: String(point.step),
      mean: String(point.mean),
      points: String(curvePoints),
      firstStep: String(firstStep),
      secondsLeft: String(e.seconds_to_cap ?? ''),
      criterionSeconds: String(e.seconds_to_criterion ?? ''),
      stepsPerSecond: String(e.steps_per_second ?? ''),
      elapsed: String(e.elapsed_seconds ?? ''),
    });
    if (point.finished) status.dataset.finished = point.finished;
    else delete status.dataset.finished;
  }

  /** A LONG_RUN message. @param {any} message */
  function onPoint(message) {
    latest = message;
    pendingChart = message.chart;
    const p = message.point;
    if (Array.isArray(p.perTask)) {
      fillTable(p.perTask);
      const perTask = Object.fromEntries(p.perTask.map((t) => [t.task, [t.score, t.ci95[0], t.ci95[1]]]));
      points.push({ step: p.step, mean: p.mean, seconds: message.estimate?.elapsed_seconds ?? null, perTask,
        evalSeconds: message.evalSeconds ?? null, evalWorkers: message.evalWorkers ?? null });
    }
    const series = message.chart?.series ?? [];
    const mean = series[series.length - 1];
    curvePoints = mean ? mean.points.length : points.length;
    if (firstStep < 0) firstStep = mean && mean.points.length > 0 ? mean.points[0][0] : p.step;
    describe();
    // store the new point with the model now (a reload then continues from here)
    client.autosave();
  }

  /** READY: a restored record (`message.longRun`), shown; true when it was training. @param {any} message */
  function onReady(message) {
    clear();
    const restored = message.longRun;
    if (!restored) return false;
    if (restored.error) {
      status.textContent = `(the stored long-run curve was not restored: ${restored.error})`;
      return false;
    }
    const state = restored.state;
    show(state.config);
    pendingChart = restored.chart;
    const series = restored.chart?.series ?? [];
    const mean = series[series.length - 1];
    firstStep = mean && mean.points.length > 0 ? mean.points[0][0] : -1;
    curvePoints = Number(state.points);
    status.textContent = `Restored a long-run curve of ${state.points} evaluations (${duration(state.elapsedSeconds)} of training).`;
    status.dataset.points = String(state.points);
    status.dataset.firstStep = String(firstStep);
    return restored.running && !state.finished;
  }

  button.addEventListener('click', () => start());
  tvButton.addEventListener('click', () => client.taskVariance(TASK_VARIANCE_TRIALS));
  clear();

  return {
    start,
    clear,
    onReady,
    /** Whether `message` (LONG_RUN, TASK_VARIANCE) was this panel's. @param {any} message */
    onMessage(message) {
      if (message.type === 'long-run') {
        onPoint(message);
        return true;
      }
      if (message.type === 'task-variance') {
        pendingVariance = message.record;
        return true;
      }
      return false;
    },
    /** Keep the step (and, before a second evaluation, the rate) live (PROGRESS). @param {any} message */
    progress(message) {
      if (latest && !latest.point.finished && client.longRun) describe(message.step, message.stepsPerSec);
    },
    /** Draw what came since the last frame. @param {any} wasm */
    draw(wasm) {
      if (pendingChart) wasm.drawChart(CURVE_CANVAS, pendingChart);
      pendingChart = null;
      if (pendingVariance) {
        wasm.Simulator.drawTaskVariance(pendingVariance, TASK_VARIANCE_CANVAS);
        const canvas = document.getElementById(TASK_VARIANCE_CANVAS);
        if (canvas) canvas.dataset.k = String(pendingVariance.k ?? '');
      }
      pendingVariance = null;
    },
  };
}
