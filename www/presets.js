// @ts-check
/**
 * One-click reproductions of each paper's headline result, with small settings that
 * finish in about a minute in the page. A preset sets the form (and so the URL hash),
 * trains for `steps` steps, then runs the analysis and, if given, a sweep in the sweep
 * panel, and selects its `paper` in the claims table. Captions say what to look for and
 * put the paper's number beside ours (measured in headless Chromium, see the README).
 */

/**
 * @typedef {{id: string, title: string, caption: string, claim: string, numbers: string,
 *            figure: string, state: Record<string, string | number>,
 *            steps: number, sweep?: string, paper?: string, longRun?: object,
 *            taskVariance?: number}} Preset
 * `claim`: the paper's claim in one sentence (the gallery card); `numbers`: the paper's
 * number beside ours, short (details: docs/results.md); `caption`: at most two sentences
 * on what to look at; `figure`: id of the page element that shows the result (moved to
 * the top of the playground while the preset runs).
 * `longRun` (`{target, max_steps, per_task_trials, eval_every}`): train until the mean
 * per-task performance reaches `target` instead of `steps` steps (`long-run.js`); then
 * `taskVariance` trials per task for Yang et al.'s task-variance analysis.
 */

/** The Khona preset's Mod-Cog mixture (authors' neurogym form, dt 100 ms). */
export const KHONA_TASKS = ['ngym-modcog-dlygo', 'ngym-modcog-dlygoseqr', 'ngym-modcog-dlygointr', 'ngym-modcog-dm1'];
/**
 * The Khona preset's sparsity sweep (the same run descriptions as `srnn sweep sparsity
 * --task ngym-modcog-mixture --tasks <KHONA_TASKS> --n 64 --radius 1 --steps 1500
 * --eval-every 100 --criterion 0.6 --per-task-trials 128`).
 */
export const KHONA_SWEEP = { n: 64, radius: 1, steps: 1500, evalEvery: 100, criterion: 0.6, perTaskTrials: 128 };

/** Steps the Khona preset trains its local network before the sweep. */
const KHONA_STEPS = 1000;

/** @type {Preset[]} */
export const PRESETS = [
  {
    id: 'turcu',
    paper: 'turcu',
    title: 'Turcu & Abbott: sparse classification by amplification',
    claim: 'A sparse network classifies patterns by amplifying one class in its recurrent activity, without a convergent output unit.',
    numbers: 'Paper: 96 % of 250 patterns at α = 0.5 · ours: ≈ 0.96 after 250 steps',
    figure: 'readout',
    caption:
      "After training, the blue readouts rise above the threshold once the input ends and the orange ones fall below it, with no trained output unit. N = 100 voltage neurons, 5 inputs each, 250 patterns (α = 0.5 per synapse), the authors' settings.",
    state: {
      task: 'turcu-classification', n: 100, k: 5, connectivity: 'random-density', dynamics: 'voltage',
      activation: 'rectified-tanh', init: 'normal', gain: 0.9, sr: 0, exc: 0, noise: 0,
      rule: 'bptt', ruleopts: '', lr: 0.15, batch: 250, patterns: 250, seed: 1,
    },
    steps: 250,
    sweep: 'percolation',
  },
  {
    id: 'khona',
    paper: 'khona',
    title: 'Khona et al.: local vs random vs dense vs autapse on the Mod-Cog mixture',
    claim: 'Locally connected sparse networks learn a modular task battery as well as dense ones; autapses alone cannot do the sequence and integration tasks.',
    numbers: 'Paper: local ≈ dense, autapse fails seq/int · ours: autapse fails seq/int; local beats random',
    figure: 'sweeps-details',
    caption:
      'A 64-neuron network with a local mask learns four Mod-Cog tasks, then the sweep trains the same mixture with local, random, dense and autapse-only connectivity. Look at which masks reach 0.6 and how fast.',
    state: {
      task: 'ngym-modcog-mixture', tasks: KHONA_TASKS.join(','), n: KHONA_SWEEP.n, k: 8, connectivity: 'local',
      radius: KHONA_SWEEP.radius, periodic: 1, activation: 'relu', init: 'normal', gain: 0.9, sr: 0, exc: 0,
      noise: 0.05, dynamics: 'rate', rule: 'bptt', ruleopts: '', lr: 0.003, batch: 32, shards: 1, seed: 1,
    },
    steps: KHONA_STEPS,
    sweep: 'sparsity',
  },
  {
    id: 'jarne',
    paper: 'jarne-laje',
    title: 'Jarne & Laje: XOR, eigen-spectrum and degradation',
    claim: 'Trained networks solve XOR with a few eigenvalues outside the unit circle, each with its own set: a diversity of solutions.',
    numbers: 'Paper: distance 0.22 intact, 1.40 at 14 % pruned · ours (accuracy): 1.0 up to ≈ 70 % pruned, smallest first',
    figure: 'analysis',
    caption:
      'A dense 50-neuron tanh network learns XOR; after training a few eigenvalues leave the unit circle. Removing the smallest weights first hurts accuracy later than removing weights at random.',
    state: {
      task: 'jl-xor', n: 50, k: 10, connectivity: 'dense', activation: 'tanh', init: 'orthogonal',
      gain: 1, sr: 0, exc: 0, noise: 0, dynamics: 'rate', rule: 'bptt', ruleopts: '', lr: 0.01, batch: 16, seed: 1,
    },
    steps: 300,
  },
  {
    id: 'rules',
    paper: 'rules',
    title: 'Learning rules: BPTT vs FA vs DFA vs predictive coding',
    claim: 'With the fixed-prediction assumption, predictive coding computes exactly the backprop gradient.',
    numbers: 'Paper: PC = BPTT exactly · ours: PC on top of BPTT (≈ 0.95), FA/DFA ≈ 0.8 at 300 steps',
    figure: 'sweeps-details',
    caption:
      "The same sparse network learns 200 patterns with four learning rules side by side. The predictive-coding line lies on top of backprop's; feedback alignment and direct feedback alignment lag.",
    state: {
      task: 'turcu-classification', n: 100, k: 10, connectivity: 'fixed-in-degree',
      activation: 'rectified-tanh', init: 'normal', gain: 0.9, sr: 0, exc: 0, noise: 0,
      dynamics: 'rate', rule: 'direct-feedback-alignment', ruleopts: '', lr: 0.01, batch: 32, patterns: 200, seed: 1,
    },
    steps: 200,
    sweep: 'rules',
  },
  {
    id: 'yang',
    paper: 'yang',
    title: 'Yang et al.: 20 cognitive tasks',
    claim: 'One network learns 20 cognitive tasks, and its units form clusters specialised to subsets of the tasks.',
    numbers: 'Paper: 20 tasks, clusters · ours: mean 0.904 at step 9500 (32 min, 2 workers)',
    figure: 'long-run-details',
    caption:
      "One 256-unit sparse network trains on Yang's 20 cognitive tasks until their mean score reaches 0.9, which takes tens of minutes; it saves as it goes and resumes after a reload. Then the task-variance map shows units clustering by task.",
    state: {
      task: 'yang-mixture', n: 256, k: 25.6, connectivity: 'random-density', activation: 'relu',
      init: 'orthogonal', gain: 1, sr: 0, exc: 0, noise: 0.05, dynamics: 'rate', rule: 'bptt',
      ruleopts: '', lr: 0.001, batch: 64, shards: 4, seed: 1,
    },
    steps: 20000,
    longRun: { target: 0.9, max_steps: 20000, per_task_trials: 512, eval_every: 500 },
    taskVariance: 64,
  },
];

/** @param {string} id */
export function presetById(id) {
  return PRESETS.find((p) => p.id === id);
}
