// @ts-check
/**
 * One-click reproductions of each paper's headline result. Every preset is defined once,
 * in Rust (`lab::presets`): its run description, title, caption (at most two sentences),
 * steps, sweep, long run, results anchor and headline claims-table rows (whose paper
 * values the gallery card shows), read here from the wasm module (`presetIds()`,
 * `presetConfig(id)`) by `loadPresets`. The page adds only what is about its own layout:
 * the gallery card's one-sentence claim and which element shows the result. A preset trains its run description as it is (the form
 * shows it through `stateFromConfig`), then runs the analysis and, if given, a sweep in
 * the sweep panel, and selects its `paper` in the claims table.
 */
import { stateFromConfig } from './state.js';

/**
 * @typedef {{label: string, key: string, claim: string, paper_value: string, authors_code: string | null}} HeadlineRow
 * @typedef {{id: string, title: string, caption: string, results: string, claim: string,
 *            headline: HeadlineRow[], figure: string, run: object, state: Record<string, string | number>,
 *            steps: number, sweep?: string, paper?: string, longRun?: object,
 *            taskVariance?: number}} Preset
 * `run`: the run description (what `srnn train --preset <id>` trains); `state`: the page
 * state showing it in the form; `claim`: the paper's claim in one sentence (the gallery
 * card); `headline`: the claims-table rows whose paper values the card shows (ours: the
 * claims table and docs/results.md#<results>);
 * `figure`: id of the page element that shows the result (moved to the top of the
 * playground while the preset runs). `longRun` (`{target, max_steps, per_task_trials,
 * eval_every}`): train until the mean per-task performance reaches `target` instead of
 * `steps` steps (`long-run.js`); then `taskVariance` trials per task for Yang et al.'s
 * task-variance analysis.
 */

/** The page's own part of each preset: the gallery card's claim and the result's element. */
export const PAGE = {
  turcu: {
    claim: 'A sparse network classifies patterns by amplifying one class in its recurrent activity, without a convergent output unit.',
    figure: 'readout',
  },
  khona: {
    claim: 'Locally connected sparse networks learn a modular task battery as well as dense ones; autapses alone cannot do the sequence and integration tasks.',
    figure: 'sweeps-details',
  },
  jarne: {
    claim: 'Trained networks solve XOR with a few eigenvalues outside the unit circle, each with its own set: a diversity of solutions.',
    figure: 'analysis',
  },
  rules: {
    claim: 'With the fixed-prediction assumption, predictive coding computes exactly the backprop gradient.',
    figure: 'sweeps-details',
  },
  yang: {
    claim: 'One network learns 20 cognitive tasks, and its units form clusters specialised to subsets of the tasks.',
    figure: 'long-run-details',
  },
  reservoir: {
    claim: 'A random sparse network whose recurrent weights never change predicts a chaotic series: only its linear readout is fitted, in closed form.',
    figure: 'analysis',
  },
  spytorch: {
    claim: 'A surrogate derivative of the spike makes a spiking network trainable by backprop; the true gradient (zero almost everywhere) does not train it.',
    figure: 'task-plots',
  },
};

/**
 * Every preset, in the page's order: empty until `loadPresets` read them from the wasm
 * module.
 * @type {Preset[]}
 */
export const PRESETS = [];

/**
 * Fill PRESETS from the wasm module (`presetIds()`, `presetConfig(id)`); idempotent.
 * @param {{presetIds: () => string[], presetConfig: (id: string) => any}} wasm
 */
export function loadPresets(wasm) {
  if (PRESETS.length > 0) return PRESETS;
  for (const id of wasm.presetIds()) {
    const p = wasm.presetConfig(id);
    const page = /** @type {Record<string, {claim: string, figure: string}>} */ (PAGE)[id] ??
      { claim: p.caption, figure: '' };
    PRESETS.push({
      id,
      title: p.title,
      caption: p.caption,
      results: p.results,
      paper: p.paper,
      steps: p.steps,
      sweep: p.sweep ?? undefined,
      longRun: p.long_run ?? undefined,
      taskVariance: p.task_variance ?? undefined,
      headline: p.headline_rows ?? [],
      run: p.run,
      state: stateFromConfig(p.run),
      ...page,
    });
  }
  return PRESETS;
}

/** @param {string} id */
export function presetById(id) {
  return PRESETS.find((p) => p.id === id);
}
