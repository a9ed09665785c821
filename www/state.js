// @ts-check
/**
 * The whole run configuration lives in the URL hash (e.g.
 * `#task=turcu-classification&n=200&k=20&...&rule=bptt`), so a reload or a shared link
 * reproduces the run. Every persisted field is declared once in PROPS.
 */
import { errorText } from './errors.js';

/**
 * Menus of names the Rust side accepts (`network.connectivity`, `.activation`,
 * `.dynamics`, `.init`, `rule.rule`, and `reservoir.mask`: the connectivity menu of a
 * reservoir, with Rodan & Tiňo's `cycle`), read from the wasm module by
 * `configureOptions` (`optionNames()`), never listed here. Empty until then: a state read
 * before that keeps any name (the Rust constructor still rejects a bad one, naming the
 * field).
 * @type {{connectivity: string[], activation: string[], dynamics: string[], init: string[], rule: string[], reservoirMask: string[]}}
 */
export const OPTIONS = { connectivity: [], activation: [], dynamics: [], init: [], rule: [], reservoirMask: [] };

/**
 * The names the connectivity menu offers for a state: the reservoir masks for an
 * echo-state network (`reservoir` = 1), else the network's connectivities.
 * @param {Record<string, string | number>} state
 */
export function connectivityMenu(state) {
  return Number(state.reservoir) === 1 ? OPTIONS.reservoirMask : OPTIONS.connectivity;
}

/**
 * Settings the page suggests for a learning rule (a hint in the rule-settings field); a
 * rule without an entry gets none.
 * @type {Record<string, string>}
 */
export const RULE_HINTS = {
  'feedback-alignment': '{"feedback_scale": 1.0, "seed": 7}',
  'direct-feedback-alignment': '{"feedback_scale": 1.0, "seed": 7}',
  'predictive-coding': '{"variant": "fixed-prediction", "step_size": 1.0, "iterations": 20}',
  'hebbian-os': '{"g_factor": 10, "epsilon_prime": 0.03}',
  'hebbian-os-plus': '{"g_factor": 10, "epsilon_prime": 0.03}',
  'local-plasticity': '{"kind": "oja", "learning_rate": 0.001}',
  bean: '{"strength": 3.0, "gamma": 1.0, "variant": "bean1"}',
  'imperfect-forward': '{"weight_noise_std": 0.05, "quantize_bits": 0, "backward": "ideal"}',
};

/**
 * Fill OPTIONS and CATALOG from the loaded wasm module (idempotent).
 * @param {{optionNames: () => any, taskCatalog: () => any}} wasm
 */
export function configureOptions(wasm) {
  for (const entry of wasm.taskCatalog()) CATALOG.set(String(entry.id), entry);
  const names = wasm.optionNames();
  for (const key of /** @type {(keyof typeof OPTIONS)[]} */ (Object.keys(OPTIONS))) {
    if (!Array.isArray(names[key])) throw new Error(`optionNames() has no list "${key}"`);
    OPTIONS[key] = names[key].map(String);
  }
}

/**
 * @typedef {{name: string, type: 'string' | 'int' | 'float', value: string | number,
 *            options?: keyof typeof OPTIONS, omitEmpty?: boolean, omitDefault?: boolean}} Property
 * `omitEmpty`: left out of the hash while empty; `omitDefault`: left out while at its
 * default (both so older hashes stay the same).
 */

/** @type {Property[]} every persisted field with its default */
export const PROPS = [
  { name: 'task', type: 'string', value: 'turcu-classification' },
  { name: 'n', type: 'int', value: 200 },
  { name: 'k', type: 'int', value: 20 },
  { name: 'connectivity', type: 'string', value: 'fixed-in-degree', options: 'connectivity' },
  { name: 'radius', type: 'float', value: 2.5 },
  { name: 'periodic', type: 'int', value: 1 },
  { name: 'activation', type: 'string', value: 'rectified-tanh', options: 'activation' },
  { name: 'init', type: 'string', value: 'normal', options: 'init' },
  { name: 'dynamics', type: 'string', value: 'rate', options: 'dynamics' },
  { name: 'gain', type: 'float', value: 0.9 },
  { name: 'sr', type: 'float', value: 0 },
  { name: 'exc', type: 'float', value: 0 },
  { name: 'noise', type: 'float', value: 0 },
  { name: 'seed', type: 'int', value: 1 },
  { name: 'rule', type: 'string', value: 'bptt', options: 'rule' },
  { name: 'ruleopts', type: 'string', value: '' },
  { name: 'lr', type: 'float', value: 0.003 },
  { name: 'batch', type: 'int', value: 32 },
  { name: 'shards', type: 'int', value: 1 },
  { name: 'patterns', type: 'int', value: 40 },
  // a mixture's component ids, comma-separated (empty = every task of the mixture)
  { name: 'tasks', type: 'string', value: '', omitEmpty: true },
  // the task's other options (`n_steps`, `warmup`, `horizon`, …) as a JSON object
  { name: 'taskopts', type: 'string', value: '', omitEmpty: true },
  // an echo-state network (the run description's `reservoir` section, reservoirpy's
  // names): 1 = the form's Neurons are its `units`, Connections its `mask`, Seed and
  // Excitatory fraction its own; these fields hold the rest. 0 = an ordinary `network`.
  { name: 'reservoir', type: 'int', value: 0, omitDefault: true },
  { name: 'leak', type: 'float', value: 1, omitDefault: true }, // reservoir.lr
  { name: 'rsr', type: 'float', value: 0.9, omitDefault: true }, // reservoir.sr
  { name: 'inscale', type: 'float', value: 1, omitDefault: true }, // reservoir.input_scaling
  { name: 'rcconn', type: 'float', value: 0.1, omitDefault: true }, // reservoir.rc_connectivity
  { name: 'inconn', type: 'float', value: 0.1, omitDefault: true }, // reservoir.input_connectivity
  { name: 'layers', type: 'int', value: 1, omitDefault: true }, // reservoir.layers
  { name: 'ridge', type: 'float', value: 1e-6, omitDefault: true }, // rule.ridge
  { name: 'warmup', type: 'int', value: 0, omitDefault: true }, // rule.warmup
];

/**
 * @typedef {{network: Record<string, unknown>, train: Record<string, unknown>,
 *            task: Record<string, unknown>}} Setting
 * @typedef {{id: string, name: string, paper: string, family: string, setting: Setting,
 *            defaults: {network?: object, train?: object} | null}} CatalogEntry
 */

/**
 * The wasm task catalog (`taskCatalog()`), by task id, filled by `configureOptions`. Each
 * entry carries, from Rust (`lab::form_setting`): `paper` and `family` (task facts, never
 * read from the id), `setting` (how a network built from the form meets the task, e.g.
 * Turcu & Abbott's identity input, population readout and hinge targets) and `defaults`
 * (the fields the form switches to when the user picks a task of another paper).
 * @type {Map<string, CatalogEntry>}
 */
export const CATALOG = new Map();

/** The setting of a task missing from the catalog (before the wasm module loaded). @type {Setting} */
const PLAIN_SETTING = { network: { input_map: 'dense', readout: 'trained' }, train: {}, task: {} };

/**
 * The catalog's paper defaults of `task` as form fields, or `undefined` when its paper has
 * none (or the task is unknown).
 * @param {string} task
 * @returns {State | undefined}
 */
export function paperDefaults(task) {
  const defaults = CATALOG.get(task)?.defaults;
  return defaults ? fieldsOf(defaults) : undefined;
}

/** @typedef {Record<string, string | number>} State */

/** The defaults of every field. @returns {State} */
export function defaults() {
  return Object.fromEntries(PROPS.map((p) => [p.name, p.value]));
}

/**
 * The state in a URL-hash string (`task=...&n=...`, with or without `#`); missing fields
 * take their defaults, a name missing from its menu (OPTIONS) the default. Values are
 * not range-checked here: the Rust constructor does that and names the bad field.
 * @param {string} hash
 * @returns {State}
 */
export function stateFromHash(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const state = defaults();
  for (const p of PROPS) {
    const raw = params.get(p.name);
    if (raw === null || raw === '') continue;
    if (p.type === 'string') {
      // the connectivity is checked below, once `reservoir` (which picks its menu) is read
      const menu = p.options && p.name !== 'connectivity' ? OPTIONS[p.options] : [];
      state[p.name] = menu.length > 0 && !menu.includes(raw) ? p.value : raw;
    } else {
      const value = Number(raw);
      state[p.name] = Number.isFinite(value) ? value : p.value;
    }
  }
  const menu = connectivityMenu(state);
  if (menu.length > 0 && !menu.includes(String(state.connectivity))) {
    state.connectivity = Number(state.reservoir) === 1 ? 'random-density' : 'fixed-in-degree';
  }
  return state;
}

/** The state in `location.hash` (see `stateFromHash`). @returns {State} */
export function readHash() {
  return stateFromHash(window.location.hash);
}

/** The hash string of `state` (without `#`). @param {State} state */
export function hashOf(state) {
  const params = new URLSearchParams();
  for (const p of PROPS) {
    const value = String(state[p.name] ?? p.value);
    if (p.omitEmpty && value === '') continue;
    if (p.omitDefault && value === String(p.value)) continue;
    params.set(p.name, value);
  }
  return params.toString();
}

/** Write `state` to the hash without adding a history entry. @param {State} state */
export function writeHash(state) {
  window.history.replaceState(null, '', `#${hashOf(state)}`);
}

/** Rules that need a trained readout (the error must reach the neurons through B). */
const NEEDS_TRAINED_READOUT = ['feedback-alignment', 'direct-feedback-alignment', 'predictive-coding'];

/**
 * The `rule` of the run description: `{rule: name, ...settings}`; the settings text is
 * JSON (an object), and a syntax error there throws an Error naming `rule settings`.
 * @param {State} s
 */
export function buildRule(s) {
  return { rule: s.rule, ...jsonObjectField(s.ruleopts, 'rule settings') };
}

/**
 * The JSON object in a settings field (`{}` when it is empty); a syntax error, or JSON that
 * is not an object, throws an Error naming the field (`what`).
 * @param {unknown} field @param {string} what
 * @returns {Record<string, unknown>}
 */
function jsonObjectField(field, what) {
  const text = String(field ?? '').trim();
  if (!text) return {};
  let value;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${what} must be a JSON object, but is ${text} (${errorText(error)})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${what} must be a JSON object, but is ${text}`);
  }
  return value;
}

/** An object as the text of a settings field: JSON, or empty for no keys. @param {object} value */
function jsonOrEmpty(value) {
  return Object.keys(value).length > 0 ? JSON.stringify(value) : '';
}

/**
 * A setter of `state`'s fields that skips `undefined` and `null` (the run description left
 * the field out). @param {State} state
 */
function setterOf(state) {
  return (/** @type {string} */ name, /** @type {unknown} */ value) => {
    if (value !== undefined && value !== null) state[name] = /** @type {string | number} */ (value);
  };
}

/**
 * A run description's `rule` as `{rule: name, ...settings}` (`rule` may be a bare name;
 * absent: `fallback`). @param {{rule?: any}} config @param {string} fallback
 */
function ruleOf(config, fallback) {
  return typeof config.rule === 'string' ? { rule: config.rule } : (config.rule ?? { rule: fallback });
}

/**
 * The `tasks` option of a mixture from the comma-separated field (empty entries
 * dropped; ids are checked by the wasm side, whose errors name `task.tasks`), or
 * `undefined` when the field is empty. The page shows the field only for a mixture (the
 * catalog's family) and empties it when the task changes.
 * @param {State} s
 */
export function mixtureTasks(s) {
  const ids = String(s.tasks ?? '').split(',').map((id) => id.trim()).filter((id) => id !== '');
  return ids.length > 0 ? ids : undefined;
}

/**
 * The task's other options from the `taskopts` field (a JSON object; a syntax error throws
 * an Error naming `task settings`).
 * @param {State} s
 */
export function taskOptions(s) {
  return jsonObjectField(s.taskopts, 'task settings');
}

/** Activations a reservoir accepts (others fall back to its default, tanh). */
const RESERVOIR_ACTIVATIONS = ['tanh', 'linear'];

/**
 * The run description of a reservoir state (`reservoir` = 1): the `reservoir` section in
 * reservoirpy's names, the `reservoir` rule with the form's `ridge` and `warmup` (the
 * rule-settings JSON adds the rest, e.g. `readout`, `dfa_learning_rate`).
 * @param {State} s
 */
function buildReservoirConfig(s) {
  /** @type {Record<string, unknown>} */
  const reservoir = {
    units: s.n,
    lr: s.leak,
    sr: s.rsr,
    input_scaling: s.inscale,
    rc_connectivity: s.rcconn,
    input_connectivity: s.inconn,
    mask: s.connectivity,
    seed: s.seed,
  };
  if (Number(s.layers) > 1) reservoir.layers = s.layers;
  if (s.connectivity === 'local') reservoir.radius = s.radius;
  if (RESERVOIR_ACTIVATIONS.includes(String(s.activation))) reservoir.activation = s.activation;
  if (Number(s.exc) > 0) reservoir.excitatory_fraction = s.exc;
  const rule = buildRule(s);
  if (rule.rule === 'reservoir') Object.assign(rule, { ridge: s.ridge, warmup: s.warmup });
  /** @type {Record<string, unknown>} */
  const train = { batch_size: s.batch, seed: s.seed };
  if (Number(s.shards) !== 1) train.shards = s.shards;
  return { reservoir, train, task: { ...taskOptions(s), id: s.task }, rule };
}

/**
 * The `Simulator` constructor's argument for `state`.
 * @param {State} s
 */
export function buildConfig(s) {
  if (Number(s.reservoir) === 1) return buildReservoirConfig(s);
  const n = Number(s.n);
  const k = Number(s.k);
  const setting = CATALOG.get(String(s.task))?.setting ?? PLAIN_SETTING;
  /** @type {Record<string, unknown>} */
  const network = {
    ...setting.network,
    n_neurons: n,
    connectivity: s.connectivity,
    activation: s.activation,
    init: s.init,
    dynamics: s.dynamics,
    gain: s.gain,
    rec_noise_std: s.noise,
    seed: s.seed,
  };
  if (NEEDS_TRAINED_READOUT.includes(String(s.rule))) network.readout = 'trained';
  if (Number(s.sr) > 0) network.spectral_radius = s.sr;
  if (Number(s.exc) > 0) network.excitatory_fraction = s.exc;
  if (s.connectivity === 'fixed-in-degree') network.k = k;
  if (s.connectivity === 'random-density') network.density = n > 0 ? k / n : k;
  if (s.connectivity === 'local') {
    network.radius = s.radius;
    network.periodic = Number(s.periodic) !== 0;
  }
  if (network.readout === 'population' && n > 0) network.readout_fraction = Math.min(1, Math.max(k, 1) / n);
  /** @type {Record<string, unknown>} */
  const train = { ...setting.train, learning_rate: s.lr, batch_size: s.batch, seed: s.seed };
  // shards > 1 cut each batch for data-parallel workers (1 keeps the run description as before)
  if (Number(s.shards) !== 1) train.shards = s.shards;
  const tasks = mixtureTasks(s);
  return {
    network,
    train,
    // the task settings field first; a task option the form also holds (the Turcu patterns'
    // `n_patterns`) takes the form's value
    task: {
      ...taskOptions(s),
      id: s.task,
      ...setting.task,
      ...('n_patterns' in setting.task ? { n_patterns: s.patterns } : {}),
      ...(tasks ? { tasks } : {}),
    },
    rule: buildRule(s),
  };
}

/**
 * The page state of a run description (the inverse of `buildConfig` for everything the
 * form holds), e.g. for a preset defined in Rust (`presetConfig(id)`): fields the form
 * has no control for take their defaults, and `buildConfig` adds the task's own setting
 * back (the catalog's `setting`).
 * A `reservoir` section fills the reservoir fields (`units` → Neurons, `mask` →
 * Connections, the rest their own fields; `ridge` and `warmup` of its rule too), and the
 * task's options other than those the form has a field for go to `taskopts`.
 * @param {{network?: any, reservoir?: any, train?: any, task: any, rule?: any}} config
 * @returns {State}
 */
export function stateFromConfig(config) {
  if (config.reservoir) return stateFromReservoirConfig(config);
  const state = { ...defaults(), ...fieldsOf(config) };
  setTask(state, config.task);
  const { rule: name, ...settings } = ruleOf(config, 'bptt');
  setterOf(state)('rule', name);
  state.ruleopts = jsonOrEmpty(settings);
  return state;
}

/**
 * The network and training fields a (possibly partial) run description sets: only those
 * present (the task's fields: `setTask`).
 * @param {{network?: any, train?: any}} config
 * @returns {State}
 */
function fieldsOf(config) {
  const network = config.network ?? {};
  const train = config.train ?? {};
  /** @type {State} */
  const state = {};
  const set = setterOf(state);
  set('n', network.n_neurons);
  set('connectivity', network.connectivity);
  if (network.connectivity === 'random-density' && typeof network.density === 'number') {
    state.k = +(network.density * Number(network.n_neurons ?? defaults().n)).toFixed(6);
  } else {
    set('k', network.k);
  }
  set('radius', network.radius);
  if (typeof network.periodic === 'boolean') state.periodic = network.periodic ? 1 : 0;
  set('activation', network.activation);
  set('init', network.init);
  set('dynamics', network.dynamics);
  set('gain', network.gain);
  set('sr', network.spectral_radius);
  set('exc', network.excitatory_fraction);
  set('noise', network.rec_noise_std);
  set('seed', network.seed ?? train.seed);
  set('lr', train.learning_rate);
  set('batch', train.batch_size);
  set('shards', train.shards);
  return state;
}

/**
 * The task fields of `state` from a run description's `task`: `task`, `patterns`,
 * `tasks`, and every other option as JSON in `taskopts`.
 * @param {State} state @param {any} task
 */
function setTask(state, task) {
  const { id, n_patterns: patterns, tasks, ...rest } = task ?? {};
  if (id !== undefined) state.task = id;
  if (typeof patterns === 'number') state.patterns = patterns;
  if (Array.isArray(tasks)) state.tasks = tasks.join(',');
  // the task's own setting (the catalog's, e.g. Turcu's targets) is added back by buildConfig
  for (const key of Object.keys(CATALOG.get(String(id))?.setting.task ?? {})) delete rest[key];
  state.taskopts = jsonOrEmpty(rest);
}

/**
 * `stateFromConfig` for a run description with a `reservoir` section.
 * @param {{reservoir: any, train?: any, task: any, rule?: any}} config
 * @returns {State}
 */
function stateFromReservoirConfig(config) {
  const esn = config.reservoir;
  const train = config.train ?? {};
  const state = defaults();
  const set = setterOf(state);
  state.reservoir = 1;
  setTask(state, config.task);
  // the Rust defaults of EsnConfig for fields the section leaves out
  state.n = esn.units ?? 100;
  state.connectivity = esn.mask ?? 'random-density';
  state.activation = esn.activation ?? 'tanh';
  state.seed = esn.seed ?? 1;
  set('leak', esn.lr);
  set('rsr', esn.sr);
  set('inscale', esn.input_scaling);
  set('rcconn', esn.rc_connectivity);
  set('inconn', esn.input_connectivity);
  set('layers', esn.layers);
  set('radius', esn.radius);
  set('exc', esn.excitatory_fraction);
  set('batch', train.batch_size);
  set('shards', train.shards);
  const { rule: name, ridge, warmup, ...settings } = ruleOf(config, 'reservoir');
  set('rule', name);
  if (name === 'reservoir') {
    state.ridge = ridge ?? 1e-6;
    state.warmup = warmup ?? 0;
  } else {
    if (ridge !== undefined) settings.ridge = ridge;
    if (warmup !== undefined) settings.warmup = warmup;
  }
  state.ruleopts = jsonOrEmpty(settings);
  return state;
}
