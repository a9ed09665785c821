// @ts-check
/**
 * The whole run configuration lives in the URL hash (e.g.
 * `#task=turcu-classification&n=200&k=20&...`), so a reload or a shared link reproduces
 * the run. Every persisted field is declared once in PROPS.
 */

/** Names accepted by the Rust side for `network.connectivity`. */
export const CONNECTIVITIES = ['dense', 'fixed-in-degree', 'random-density', 'autapse', 'local'];
/** Names accepted by the Rust side for `network.activation`. */
export const ACTIVATIONS = ['rectified-tanh', 'relu', 'tanh', 'softplus', 'linear'];

/**
 * @typedef {{name: string, type: 'string' | 'int' | 'float', value: string | number,
 *            options?: string[]}} Property
 */

/** @type {Property[]} every persisted field with its default */
export const PROPS = [
  { name: 'task', type: 'string', value: 'turcu-classification' },
  { name: 'n', type: 'int', value: 200 },
  { name: 'k', type: 'int', value: 20 },
  { name: 'connectivity', type: 'string', value: 'fixed-in-degree', options: CONNECTIVITIES },
  { name: 'activation', type: 'string', value: 'rectified-tanh', options: ACTIVATIONS },
  { name: 'seed', type: 'int', value: 1 },
  { name: 'lr', type: 'float', value: 0.003 },
  { name: 'batch', type: 'int', value: 32 },
  { name: 'patterns', type: 'int', value: 40 },
];

/** @typedef {Record<string, string | number>} State */

/** The defaults of every field. @returns {State} */
export function defaults() {
  return Object.fromEntries(PROPS.map((p) => [p.name, p.value]));
}

/**
 * Read the state from `location.hash`; missing fields take their defaults. Values are
 * not range-checked here: the Rust constructor does that and names the bad field.
 * @returns {State}
 */
export function readHash() {
  const params = new URLSearchParams(window.location.hash.slice(1));
  const state = defaults();
  for (const p of PROPS) {
    const raw = params.get(p.name);
    if (raw === null || raw === '') continue;
    if (p.type === 'string') {
      state[p.name] = p.options && !p.options.includes(raw) ? p.value : raw;
    } else {
      const value = Number(raw);
      state[p.name] = Number.isFinite(value) ? value : p.value;
    }
  }
  return state;
}

/** Write `state` to the hash without adding a history entry. @param {State} state */
export function writeHash(state) {
  const params = new URLSearchParams();
  for (const p of PROPS) params.set(p.name, String(state[p.name]));
  window.history.replaceState(null, '', `#${params}`);
}

/**
 * Per-task settings: how the network meets the task and which page fields become task
 * options. Tasks without an entry get a trained dense input map and readout.
 * @type {Record<string, {network: object, options: (s: State) => object}>}
 */
const TASK_PRESETS = {
  'turcu-classification': {
    // Turcu & Abbott 2022: each neuron receives its own pattern component; the output is
    // the mean rate of the population, not a trained unit.
    network: { input_map: 'identity', readout: 'population', dt_ms: 10, tau_ms: 100 },
    options: (s) => ({ n_patterns: s.patterns }),
  },
};

/**
 * The `Simulator` constructor's argument for `state`.
 * @param {State} s
 */
export function buildConfig(s) {
  const n = Number(s.n);
  const k = Number(s.k);
  const preset = TASK_PRESETS[String(s.task)] ?? {
    network: { input_map: 'dense', readout: 'trained' },
    options: () => ({}),
  };
  /** @type {Record<string, unknown>} */
  const network = {
    ...preset.network,
    n_neurons: n,
    connectivity: s.connectivity,
    activation: s.activation,
    seed: s.seed,
  };
  if (s.connectivity === 'fixed-in-degree') network.k = k;
  if (s.connectivity === 'random-density') network.density = n > 0 ? k / n : k;
  // on a 2-D sheet about pi r^2 neighbours lie within radius r
  if (s.connectivity === 'local') network.radius = Math.sqrt(k / Math.PI);
  return {
    network,
    train: { learning_rate: s.lr, batch_size: s.batch, seed: s.seed },
    task: { id: s.task, ...preset.options(s) },
  };
}
