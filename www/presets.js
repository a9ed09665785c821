// @ts-check
/**
 * One-click reproductions of each paper's headline result, with small settings that
 * finish in about a minute in the page. A preset sets the form (and so the URL hash),
 * trains for `steps` steps, then runs the analysis and, if given, a sweep in the sweep
 * panel.
 */

/**
 * @typedef {{id: string, title: string, caption: string, state: Record<string, string | number>,
 *            steps: number, sweep?: string}} Preset
 */

/** @type {Preset[]} */
export const PRESETS = [
  {
    id: 'turcu',
    title: 'Turcu & Abbott: sparse classification by amplification',
    caption:
      'N = 200 neurons with only K = 10 inputs each learn to classify P = 20 random patterns ' +
      'with a fixed population readout. Look for accuracy near 1 and the red "5x longer trial" ' +
      'curve staying high (the decision persists after the input is gone); the sweep then shows ' +
      'that the in-degree K needed for a fully connected (strongly connected) graph grows like ln N.',
    state: {
      task: 'turcu-classification', n: 200, k: 10, connectivity: 'fixed-in-degree',
      activation: 'rectified-tanh', init: 'normal', gain: 0.9, sr: 0, exc: 0, noise: 0,
      rule: 'bptt', ruleopts: '', lr: 0.01, batch: 20, patterns: 20, seed: 1,
    },
    steps: 300,
    sweep: 'percolation',
  },
  {
    id: 'khona',
    title: 'Khona et al.: local vs random vs dense connectivity',
    caption:
      'A 64-neuron network with a local mask on an 8 x 8 sheet (radius 1.5) learns the Yang Go ' +
      'task; the sweep trains the same task with a local mask, a random mask of equal density, a ' +
      'dense and an autapse-only network. Look at how many steps each needs to reach the ' +
      'criterion: the local mask should be about as fast as dense at a fraction of the synapses.',
    state: {
      task: 'yang-go', n: 64, k: 8, connectivity: 'local', radius: 1.5, periodic: 1,
      activation: 'relu', init: 'normal', gain: 0.9, sr: 0, exc: 0, noise: 0.05,
      rule: 'bptt', ruleopts: '', lr: 0.003, batch: 32, seed: 1,
    },
    steps: 150,
    sweep: 'sparsity',
  },
  {
    id: 'jarne',
    title: 'Jarne & Laje: XOR, eigen-spectrum and degradation',
    caption:
      'A dense 50-neuron tanh network with orthogonal initialisation learns the XOR task. Look at ' +
      'the eigenvalues: before training they sit on the unit circle (orthogonal), after training a ' +
      'few escape it; the degradation curve shows accuracy falling as synapses are removed, more ' +
      'slowly when the smallest weights go first.',
    state: {
      task: 'jl-xor', n: 50, k: 10, connectivity: 'dense', activation: 'tanh', init: 'orthogonal',
      gain: 1, sr: 0, exc: 0, noise: 0, rule: 'bptt', ruleopts: '', lr: 0.01, batch: 16, seed: 1,
    },
    steps: 300,
  },
  {
    id: 'rules',
    title: 'Learning rules: BPTT vs FA vs DFA vs predictive coding',
    caption:
      'The same sparse network (N = 100, K = 10, trained readout) learns to classify P = 200 ' +
      'patterns with four rules, run in parallel in the sweep panel. Look for BPTT learning ' +
      'fastest, FPA predictive coding on top of it (its fixed-prediction inference reproduces the ' +
      'BPTT gradient, so its line hides BPTT\'s), and feedback alignment and direct feedback ' +
      'alignment (random feedback instead of the transposed weights) lagging behind.',
    state: {
      task: 'turcu-classification', n: 100, k: 10, connectivity: 'fixed-in-degree',
      activation: 'rectified-tanh', init: 'normal', gain: 0.9, sr: 0, exc: 0, noise: 0,
      rule: 'direct-feedback-alignment', ruleopts: '', lr: 0.01, batch: 32, patterns: 200, seed: 1,
    },
    steps: 200,
    sweep: 'rules',
  },
];

/** @param {string} id */
export function presetById(id) {
  return PRESETS.find((p) => p.id === id);
}
