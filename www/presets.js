// @ts-check
/**
 * One-click reproductions of each paper's headline result, with small settings that
 * finish in about a minute in the page. A preset sets the form (and so the URL hash),
 * trains for `steps` steps, then runs the analysis and, if given, a sweep in the sweep
 * panel, and selects its `paper` in the claims table. Captions say what to look for and
 * put the paper's number beside ours (measured in headless Chromium, see the README).
 */

/**
 * @typedef {{id: string, title: string, caption: string, state: Record<string, string | number>,
 *            steps: number, sweep?: string, paper?: string, longRun?: object,
 *            taskVariance?: number}} Preset
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
    caption:
      'The authors\' capacity setting: N = 100 neurons in the voltage form, an Erdős–Rényi mask of ' +
      'density f = 0.05 (mean in-degree K = 5), each neuron driven by one pattern component, the ' +
      'readout the mean rate of 5 random neurons (no trained output unit), P = 250 patterns, so ' +
      'α = P/(K·N) = 0.5 patterns per synapse; full batch, Adam lr 0.15, hinge loss to 0.6 / 0.4 ' +
      'from input offset. Paper (authors\' code): 96.0 % after 100 epochs. Ours: the "end of ' +
      'trial" accuracy in the status line and the accuracy plot (about 0.96 after 250 steps). ' +
      'Look at "Readout of every pattern": before training both classes overlap; after training ' +
      'the amplified class (blue) rises above the threshold after the input ends and the other ' +
      '(orange) falls below it, with no convergent output unit. On trials 5x longer than in ' +
      'training the decision fades (the red "5x longer trial" curve near 0.5), as in the authors\' ' +
      'example (96 % at 2 τ, about 73 % at 4 τ, chance from about 5.5 τ). The sweep then shows the ' +
      'in-degree K needed for a strongly connected graph growing like ln N.',
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
    caption:
      'A 64-neuron network with a local mask on the 8 x 8 sheet (radius 1: each neuron hears itself and its ' +
      '4 neighbours, 7.8 % of the synapses) trains 1000 steps on four Mod-Cog tasks in the authors\' ' +
      'neurogym form (dt 100 ms, 16-unit rings): dlygo, dlygoseqr (sequence read-out), dlygointr ' +
      '(integration) and dm1 (the "Mixture tasks" field; per-task bars on the right). The sweep then ' +
      'trains the same mixture with that local mask, a random mask of equal density, a dense and an ' +
      'autapse-only network (at most 1500 steps, stopping at 0.6 mean performance; legend: density, steps ' +
      'to 0.6, and the seq / int task scores on 128 trials each). Paper (Khona et al. 2023, abstract): a ' +
      'pool of autapses solves Yang\'s 20 tasks but not Mod-Cog\'s int/seq tasks; locality-masked RNNs ' +
      'match dense ones and train faster at an optimal sparsity, with masks as sparse as 4 %; the ' +
      'authors\' material gives no optimal density or speed-up factor. Ours: dense reaches 0.6 at step ' +
      '1400 (seq 0.84, int 0.52); autapse-only levels off near 0.4 (seq 0.00, int 0.12: it learns dlygo ' +
      'and dm1, not the seq/int tasks), as in the paper. Unlike the paper, at this size and budget the ' +
      'sparse masks do not reach 0.6 (local about 0.25, random about 0.15 at step 1500; local ahead of ' +
      'random at equal density). Natively at N = 256 (srnn reproduce khona --quick, 3 seeds) a local mask ' +
      'with 11 % of the synapses reaches 0.6 in 1200 steps, as fast as dense (1167) and before a random ' +
      'mask of equal density (1467); at 3.5 % local takes 1967 and random never gets there in 2500: local ' +
      'matches dense and beats random, but is not faster than dense. 29-44 s in headless Chromium on 2 ' +
      'busy cores (training about 5 s, sweep 21-33 s).',
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
    caption:
      'A dense 50-neuron tanh network with orthogonal initialisation learns the XOR task (two ' +
      'noisy input pulses, the answer from 70 ms on). Faster settings than the authors\' (Adam lr ' +
      '0.01, batch 16, 300 steps; theirs lr 1e-4, batch 64, 20 epochs). Look at the eigenvalues: ' +
      'before training they sit on the unit circle (orthogonal), after training a few escape it ' +
      '(each trained network finds its own set: the paper\'s "diversity of solutions"). The ' +
      'degradation plot removes synapses after training: accuracy falls later when the smallest ' +
      'weights go first than at random. Paper (authors\' AND-task data, their distance ' +
      '‖target − output‖₂): 0.22 intact, 0.42 at 10 % and 1.40 at 14 % removed (smallest first). ' +
      'Ours is accuracy, not their distance: with the smallest first it stays at 1.0 up to about ' +
      '70 % removed here, at random it falls from about 40 %.',
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
    caption:
      'The same sparse network (N = 100, K = 10, trained readout) learns to classify P = 200 ' +
      'patterns with four rules, run in parallel in the sweep panel (300 steps each). Paper ' +
      '(Rosenbaum 2022): with the fixed-prediction assumption, predictive coding computes exactly ' +
      'the backprop gradient. Ours: the PC (FPA) line lies on top of BPTT\'s and hides it (about ' +
      '0.95 at 300 steps), while feedback alignment and direct feedback alignment (random ' +
      'feedback instead of the transposed weights) lag behind (about 0.8). The network trained ' +
      'above the sweep uses DFA.',
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
    caption:
      'One network learns the 20 cognitive tasks of Yang et al. 2019 (Go, anti, delayed, ' +
      'decision-making, context and matching tasks) in the issue\'s sparse setting: N = 256 ReLU ' +
      'units, a random mask of density 0.1 (K/N = 25.6/256), τ = 100 ms, dt = 20 ms, recurrent noise ' +
      '0.05, Adam lr 1e-3, batch 64 (in 4 shards, computed by the Workers set below). It trains ' +
      'until the mean performance over the tasks reaches 0.9, each task scored on its own 512 ' +
      'trials every 500 steps as in Yang\'s code (table: score and 95 % interval), which takes tens of minutes or more: ' +
      'measured in headless Chromium on a 2-core Xeon (2 workers, nothing else running), this ' +
      'preset reached a mean of 0.904 at step 9500 after 32 min (5.1 steps/s including the ' +
      'evaluations; the same run natively follows the same curve: 0.409 / 0.649 / 0.703 at ' +
      'steps 500 / 2000 / 3000 in both) — the status line below measures your machine and estimates ' +
      'the time left. Leave the tab open; the model and the curve autosave, and a reload ' +
      'resumes the run. When it stops (or on "Task variance"), Yang et al.\'s analysis: each ' +
      'unit\'s variance across trials per task, normalised by its maximum, units clustered by ' +
      'these profiles (k of best silhouette) and the task × cluster map. Paper: units form ' +
      'distinct clusters specialised to subsets of tasks (their Fig. 2).',
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
