// @ts-check
/**
 * Page glue: form <-> URL-hash state, the training worker (through `trainer-client.js`),
 * presets, model files, the sweep panel, the status line and the plots. Training and
 * analysis run in `worker.js`; this thread draws the snapshots it posts with the same
 * wasm module (`Simulator.drawSnapshot`, `Simulator.drawAnalysis`). When the worker
 * dies, the client starts a new one and restores the autosaved model; the status line
 * says so. Test hooks: `window.labLog`, `window.labDebug`.
 */
import { loadWasm } from './wasm.js';
import { FROM_TRAINER } from './protocol.js';
import { TrainerClient, defaultWorkers } from './trainer-client.js';
import {
  CATALOG, OPTIONS, PROPS, RULE_HINTS, buildConfig, configureOptions, connectivityMenu, hashOf, paperDefaults, readHash,
  stateFromHash, writeHash,
} from './state.js';
import { PRESETS, loadPresets, presetById } from './presets.js';
import { createSweepRunner } from './sweep.js';
import { createSheet } from './sheet.js';
import { download, readModelFile } from './files.js';
import {
  claimRun, deleteRun, getModel, getRun, migrateLegacyAutosave, newRunId, saveRun, tabRunId,
} from './runs.js';
import { createRunsPanel } from './runs-panel.js';
import { errorText } from './errors.js';
import { TASK_VARIANCE_TRIALS, createLongRun } from './long-run.js';
import { createClaimsTable } from './claims.js';

/** Canvas ids of the training plots, as `Simulator.drawSnapshot` expects them. */
const CANVAS_IDS = {
  loss: 'plot-loss',
  accuracy: 'plot-accuracy',
  activity: 'plot-activity',
  weights: 'plot-weights',
  output: 'plot-output',
  trial: 'plot-trial',
  perTask: 'plot-pertask',
  raster: 'plot-raster',
};
/** Canvas ids of the analysis plots, as `Simulator.drawAnalysis` expects them. */
const ANALYSIS_IDS = { eigen: 'plot-eigen', degradation: 'plot-degradation', pca: 'plot-pca' };
/** Canvas ids of Turcu & Abbott's readout picture (`Simulator.readoutTraces`). */
const READOUT_IDS = { before: 'plot-readout-before', after: 'plot-readout-after' };

/** @param {string} id */
function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`element #${id} missing from index.html`);
  return element;
}

const status = byId('status');
const form = /** @type {HTMLFormElement} */ (byId('controls'));
const trainButton = /** @type {HTMLButtonElement} */ (byId('train'));
const pauseButton = /** @type {HTMLButtonElement} */ (byId('pause'));
const analyseButton = /** @type {HTMLButtonElement} */ (byId('analyse'));
const caption = byId('preset-caption');

/** Progress log, read by the smoke test: `[{step, loss}]`. */
const log = /** @type {{step: number, loss: number}[]} */ ([]);
Object.assign(window, { labLog: log });

/** @type {object | null} latest snapshot not yet drawn */
let pending = null;
/** @type {object | null} latest analysis not yet drawn */
let pendingAnalysis = null;
/** @type {{before: object, after: object} | null} latest readout picture not yet drawn */
let pendingReadout = null;
/** @type {{generation: any, memory: any} | null} a reservoir's charts (`Simulator.reservoirCharts`) to draw */
let pendingReservoir = null;
/** Whether the task has Turcu & Abbott's readout picture (`info().hasReadout`). */
let showReadout = false;
/** @type {any} the built network's `info()` (task facts: isMixture, hasReadout, family) */
let info = null;
let ready = false;
/** What happened to the worker (shown after the progress line until the next build). */
let notice = '';
/** Workers restored after dying (`#status[data-recoveries]`, read by the smoke test). */
let recoveries = 0;
/** Networks built so far (`#status[data-builds]`, read by the smoke test). */
let builds = 0;
/** @type {import('./presets.js').Preset | null} preset being run */
let activePreset = null;
/**
 * This tab's run in the run library (`runs.js`): saved under `id` while it trains; the
 * URL-hash state it was started with (`hash`), its best score so far, and its run
 * description when that is not the form's (a preset's, defined in Rust, or a stored
 * run's), else null.
 * @type {{id: string, name: string, hash: string, created: number, best: number | null, config: object | null}}
 */
let run = { id: '', name: '', hash: '', created: 0, best: null, config: null };

/** @param {string} text @param {'info' | 'error'} kind */
function setStatus(text, kind = 'info') {
  status.textContent = text;
  status.className = kind;
}

/** @param {unknown} error */
function showError(error) {
  setStatus(`Error: ${errorText(error)}`, 'error');
}

const runNotice = byId('run-notice');
/**
 * Say (visibly) that this run's model was not saved, and offer it as a download; null
 * clears the notice. @param {string | null} problem @param {string} [text] the model file
 */
function showSaveProblem(problem, text = '') {
  runNotice.hidden = problem === null;
  if (problem === null) return;
  const offer = document.createElement('button');
  offer.type = 'button';
  offer.textContent = 'Download the model';
  offer.addEventListener('click', () => download(text, `${run.name}.json`, 'application/json'));
  runNotice.replaceChildren(`${problem}. `, offer);
}

/** The default name of a run of `state` (a preset's title when a preset started it). @param {Record<string, string | number>} state */
function runName(state) {
  return activePreset ? activePreset.title.split(':')[0] : `${state.task} · N ${state.n} · seed ${state.seed}`;
}

/**
 * Start a new run of `state` in this tab (saved once it has trained), training `config`
 * when given (a preset's run description), else the form's.
 * @param {Record<string, string | number>} state @param {object | null} [config]
 */
function freshRun(state, config = null) {
  run = { id: newRunId(), name: runName(state), hash: hashOf(state), created: Date.now(), best: null, config };
  status.dataset.run = run.id;
  delete status.dataset.saved;
  claimRun(run.id).then(() => runs.refresh());
  showSaveProblem(null);
}

/**
 * Open run `id` of the library in this tab: its settings, its model and its long-run
 * record. False (and nothing changed) when another tab has it open or it is unknown.
 * `fromUrl`: an address-bar hash that differs from the run's starts a new run instead.
 * @param {string} id @param {boolean} [fromUrl]
 */
async function openRun(id, fromUrl = false) {
  const record = await getRun(id).catch(() => null);
  if (fromUrl && record && window.location.hash.length > 1 && hashOf(readHash()) !== record.hash) return false;
  if (!(await claimRun(id))) {
    runNotice.hidden = false;
    runNotice.textContent = `The run ${record?.name ?? id} is open in another tab, which trains and saves it; this tab starts a new run.`;
    return false;
  }
  if (!record) {
    // this tab's run, reloaded before its first save
    const state = readHash();
    run = { id, name: runName(state), hash: hashOf(state), created: Date.now(), best: null, config: null };
    status.dataset.run = id;
    reset();
    return true;
  }
  const model = await getModel(id).catch(() => null);
  activePreset = null;
  sweeps.cancel();
  caption.textContent = '';
  writeHash(stateFromHash(record.hash));
  run = { id, name: record.name, hash: record.hash, created: record.created, best: record.best, config: record.config };
  status.dataset.run = id;
  delete status.dataset.saved;
  showSaveProblem(null);
  reset(model);
  runs.refresh();
  return true;
}

/**
 * Store this run's model (the client's autosave): in the run library, with its long-run
 * record; a refusal (quota) is shown with a download.
 * @param {string} text @param {object | null} history @param {number} step
 */
function storeRun(text, history, step) {
  if (step === 0 && !history) return; // an untrained network is not worth a record
  const id = run.id;
  const state = stateFromHash(run.hash);
  saveRun({
    id, name: run.name, task: String(state.task), hash: run.hash, config: client.config ?? buildConfig(state),
    steps: step, best: run.best, created: run.created,
  }, text, /** @type {any} */ (history)).then((problem) => {
    if (id !== run.id) return;
    status.dataset.autosave = problem ?? 'saved';
    if (!problem) status.dataset.saved = String(step);
    showSaveProblem(problem, text);
  });
}

/** @param {string} name */
function field(name) {
  return /** @type {HTMLInputElement} */ (form.elements.namedItem(name));
}

/** @param {HTMLSelectElement} select @param {string[]} names */
function fillOptions(select, names) {
  for (const name of names) select.add(new Option(name, name));
}

/** Task select, grouped by paper. @param {{id: string, name: string, paper: string, family: string}[]} catalog */
function fillTasks(catalog) {
  const select = /** @type {HTMLSelectElement} */ (/** @type {unknown} */ (field('task')));
  /** @type {Map<string, HTMLOptGroupElement>} */
  const groups = new Map();
  for (const task of catalog) {
    let group = groups.get(task.paper);
    if (!group) {
      group = document.createElement('optgroup');
      group.label = task.paper;
      groups.set(task.paper, group);
      select.append(group);
    }
    group.append(new Option(task.id === task.name ? task.id : `${task.name} (${task.id})`, task.id));
  }
}

/** @param {Record<string, string | number>} state */
function showState(state) {
  // the connectivity menu of the model: the network's, or the reservoir's masks (cycle)
  const connectivityField = /** @type {HTMLSelectElement} */ (/** @type {unknown} */ (field('connectivity')));
  const menu = connectivityMenu(state);
  if ([...connectivityField.options].map((o) => o.value).join() !== menu.join()) {
    connectivityField.replaceChildren();
    fillOptions(connectivityField, menu);
  }
  for (const p of PROPS) {
    const element = field(p.name);
    if (element) element.value = String(state[p.name]);
  }
  // only the controls that apply to this task and connectivity are shown
  const connectivity = String(state.connectivity);
  byId('k-label').hidden = !['fixed-in-degree', 'random-density'].includes(connectivity);
  byId('radius-label').hidden = connectivity !== 'local';
  // an echo-state network: its own fields instead of the network's K
  const esn = Number(state.reservoir) === 1;
  byId('reservoir-fields').hidden = !esn;
  if (esn) byId('k-label').hidden = true;
  byId('periodic-label').hidden = connectivity !== 'local';
  // task facts from the wasm catalog (`family`), not from the id
  byId('patterns-label').hidden = CATALOG.get(String(state.task))?.family !== 'patterns';
  byId('tasks-label').hidden = CATALOG.get(String(state.task))?.family !== 'mixture';
  field('ruleopts').placeholder = RULE_HINTS[String(state.rule)] || 'no settings';
}

function formState() {
  const state = readHash();
  for (const p of PROPS) {
    const element = field(p.name);
    if (!element) continue;
    state[p.name] = p.type === 'string' ? element.value : Number(element.value);
  }
  return state;
}

const workersField = /** @type {HTMLInputElement} */ (document.getElementById('workers'));
workersField.value = String(defaultWorkers());
const client = new TrainerClient({
  workers: defaultWorkers(),
  onMessage,
  restoreModel: () => getModel(run.id).then((m) => m?.text ?? null),
  restoreHistory: () => getModel(run.id).then((m) => m?.history ?? null),
  storeModel: storeRun,
  onRecovered: (reason) => {
    recoveries++;
    status.dataset.recoveries = String(recoveries);
  },
  onDead: (reason) => {
    setButtons();
    setStatus(`Error: the training worker died (${reason}); it is not restarted. Change the settings or press Reset.`, 'error');
  },
});
const longRun = createLongRun({
  client,
  status: byId('long-run-status'),
  table: byId('long-run-table'),
  button: /** @type {HTMLButtonElement} */ (byId('long-run-start')),
  tvButton: /** @type {HTMLButtonElement} */ (byId('task-variance')),
  inputs: {
    target: /** @type {HTMLInputElement} */ (byId('long-run-target')),
    cap: /** @type {HTMLInputElement} */ (byId('long-run-cap')),
    trials: /** @type {HTMLInputElement} */ (byId('long-run-trials')),
    every: /** @type {HTMLInputElement} */ (byId('long-run-every')),
  },
});
const sheet = createSheet(
  /** @type {HTMLCanvasElement} */ (byId('sheet')),
  byId('sheet-caption'),
  (neuron) => client.footprint(neuron),
);
const claims = createClaimsTable({
  select: /** @type {HTMLSelectElement} */ (byId('claims-paper')),
  quick: /** @type {HTMLInputElement} */ (byId('claims-quick')),
  run: /** @type {HTMLButtonElement} */ (byId('claims-run')),
  cancel: /** @type {HTMLButtonElement} */ (byId('claims-cancel')),
  status: byId('claims-status'),
  body: byId('claims-body'),
  charts: byId('claims-charts'),
});
const runs = createRunsPanel({
  body: byId('runs-list'),
  status: byId('runs-status'),
  currentId: () => run.id,
  resume: (id) => {
    openRun(id).then((opened) => { if (opened) setView('playground'); }, showError);
  },
  npz: (config, text) => {
    if (!wasmModule) throw new Error('the wasm module is not loaded yet');
    const sim = new wasmModule.Simulator(config);
    try {
      sim.loadModel(text);
      return sim.exportNpz();
    } finally {
      sim.free();
    }
  },
});
/** @type {any} the wasm module, once loaded */
let wasmModule = null;
const sweeps = createSweepRunner({
  canvasId: 'plot-sweep',
  progress: /** @type {HTMLProgressElement} */ (byId('sweep-progress')),
  status: byId('sweep-status'),
  native: byId('sweep-native'),
});

/** The views of the page: the paper gallery, the playground, the run library. */
const VIEWS = ['gallery', 'playground', 'runs'];

/** Show view `name` (and keep it in the address bar: `?view=`, the hash untouched). @param {string} name */
function setView(name) {
  const view = VIEWS.includes(name) ? name : 'playground';
  for (const panel of document.querySelectorAll('[data-panel]')) {
    /** @type {HTMLElement} */ (panel).hidden = /** @type {HTMLElement} */ (panel).dataset.panel !== view;
  }
  for (const button of document.querySelectorAll('nav [data-view]')) {
    if (/** @type {HTMLElement} */ (button).dataset.view === view) button.setAttribute('aria-current', 'page');
    else button.removeAttribute('aria-current');
  }
  document.body.dataset.view = view;
  const url = new URL(window.location.href);
  url.searchParams.delete('preset');
  url.searchParams.delete('run');
  url.searchParams.set('view', view);
  window.history.replaceState(null, '', url);
  if (view === 'runs') runs.refresh();
}

/**
 * Elements a preset can put first (`preset.figure`), with where they live otherwise.
 * @type {Map<string, {element: HTMLElement, home: Comment}>}
 */
const movable = new Map();
for (const id of ['readout', 'analysis', 'sweeps-details', 'long-run-details', 'task-plots']) {
  const element = byId(id);
  const home = document.createComment(`home of #${id}`);
  element.before(home);
  movable.set(id, { element, home });
}

/** Put the figure `id` at the top of the results (null: every figure at home). @param {string | null} id */
function resultFirst(id) {
  for (const [key, { element, home }] of movable) {
    if (key === id) {
      byId('result').append(element);
      if (element instanceof HTMLDetailsElement) element.open = true;
    } else if (element.parentElement?.id === 'result') {
      home.after(element);
    }
  }
}

/** Show the sweep panel (open, its chart visible). */
function showSweeps() {
  /** @type {HTMLDetailsElement} */ (byId('sweeps-details')).open = true;
  byId('plot-sweep').hidden = false;
}

/** Presets with a picture of their figure in www/img (`tests/smoke/screenshot.mjs --thumbs www/img`). */
const GALLERY_FIGURES = ['turcu', 'khona', 'jarne', 'rules', 'reservoir', 'spytorch'];

/**
 * A claims-table paper value without its source label (`[code: …]`, `[paper]`) and, when
 * still long, without its parenthesised details: the card is short, the claims table shows
 * the whole value. @param {string} value
 */
function paperNumber(value) {
  const head = (/** @type {string} */ text, /** @type {string} */ mark) => {
    const cut = text.indexOf(mark);
    return cut > 0 ? text.slice(0, cut) : text;
  };
  const short = head(value, ' [').trim();
  return short.length > 60 ? head(short, ' (').trim() : short;
}

/** One card per preset in the gallery: the paper's claim, the numbers, Run it / Open in playground. */
function fillGallery() {
  const cards = byId('gallery-cards');
  for (const preset of PRESETS) {
    const card = document.createElement('article');
    card.className = 'card';
    card.dataset.card = preset.id;
    const [paper, topic] = preset.title.split(':');
    const heading = document.createElement('h3');
    heading.textContent = paper;
    const what = document.createElement('p');
    what.className = 'topic';
    what.textContent = topic?.trim() ?? '';
    const figure = document.createElement('img');
    if (GALLERY_FIGURES.includes(preset.id)) {
      figure.src = `www/img/${preset.id}.jpg`;
      figure.alt = `${paper}: the figure this preset draws`;
    } else {
      figure.hidden = true;
    }
    const claim = document.createElement('p');
    claim.className = 'claim';
    claim.textContent = preset.claim;
    const numbers = document.createElement('p');
    numbers.className = 'numbers';
    // the paper's numbers are the claims table's rows (Rust); ours live on the results page
    numbers.textContent = preset.headline.length > 0
      ? `Paper: ${preset.headline.map((row) => `${row.label} ${paperNumber(row.paper_value)}`.trim()).join(' · ')}` : '';
    const more = document.createElement('a');
    more.href = `docs/results.md${preset.results ? `#${preset.results}` : ''}`;
    more.textContent = 'ours: results page';
    numbers.append(numbers.textContent ? ' · ' : '', more);
    const buttons = document.createElement('div');
    buttons.className = 'buttons';
    const runIt = document.createElement('button');
    runIt.type = 'button';
    runIt.className = 'primary';
    runIt.textContent = 'Run it';
    runIt.setAttribute('aria-label', `Run it: ${preset.title}`);
    runIt.addEventListener('click', () => {
      setView('playground');
      runPreset(preset);
    });
    const open = document.createElement('button');
    open.type = 'button';
    open.textContent = 'Open in playground';
    open.setAttribute('aria-label', `Open in playground: ${preset.title}`);
    open.addEventListener('click', () => {
      setView('playground');
      openPreset(preset);
    });
    buttons.append(runIt, open);
    card.append(heading, what, figure, claim, numbers, buttons);
    cards.append(card);
  }
}

/** The preset's settings in the playground, not trained. @param {import('./presets.js').Preset} preset */
function openPreset(preset) {
  sweeps.cancel();
  activePreset = null;
  caption.textContent = preset.caption;
  resultFirst(null);
  const state = { ...readHash(), ...preset.state };
  writeHash(state);
  freshRun(state, preset.run);
  reset();
}

/**
 * (Re)build the simulator in the worker from the URL-hash state, restoring `stored` (a
 * run's model and long-run record) when given.
 * @param {{text: string, history: any} | null} [stored]
 */
function reset(stored = null) {
  ready = false;
  notice = '';
  log.length = 0;
  const state = readHash();
  showState(state);
  setButtons();
  setStatus('building network…');
  let config;
  try {
    // the run's own description (a preset's, a stored run's) while the form shows it
    config = run.config && run.hash === hashOf(state) ? run.config : buildConfig(state);
  } catch (error) {
    showError(error);
    return;
  }
  client.start(config, stored?.text ?? null, stored?.history ?? null);
}

function setButtons() {
  trainButton.disabled = !ready || client.running;
  pauseButton.disabled = !client.running;
  analyseButton.disabled = !ready;
}

/** @param {number | null | undefined} x @param {number} digits */
function fmt(x, digits) {
  return typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : '–';
}

/**
 * Training speed for the status line: steps/s, or seconds per step when a step takes
 * longer than a second (a reservoir's ridge fit is one step of several seconds).
 * @param {number | null | undefined} stepsPerSec
 */
function speed(stepsPerSec) {
  if (typeof stepsPerSec !== 'number' || !Number.isFinite(stepsPerSec) || stepsPerSec <= 0) return '– steps/s';
  if (stepsPerSec < 1) return `${fmt(1 / stepsPerSec, 1)} s/step`;
  return `${fmt(stepsPerSec, stepsPerSec < 10 ? 1 : 0)} steps/s`;
}

/** @param {any} i */
function describe(i) {
  return `${i.taskName} (${i.paper}); N = ${i.nNeurons}, ${i.nSynapses} synapses, ` +
    `${i.nTrainable} trainable parameters, rule ${i.rule}`;
}

/** @param {any} message READY (after a build, or after a recovery: `message.recovered`) */
function onReady(message) {
  ready = true;
  setButtons();
  builds++;
  status.dataset.builds = String(builds);
  sheet.setInfo(message.info);
  info = message.info;
  byId('plot-pertask').hidden = !message.info.isMixture;
  byId('plot-raster').hidden = !message.info.spiking;
  // the 2-D sheet means something only for the local mask
  const local = message.info.connectivity === 'local';
  /** @type {HTMLElement} */ (byId('sheet').closest('figure')).hidden = !local;
  // show one footprint at once (the centre neuron's), so the sheet is not a blank grid
  if (local) client.footprint(Math.floor(message.info.sheetHeight / 2) * message.info.sheetWidth + Math.floor(message.info.sheetWidth / 2));
  showReadout = Boolean(message.info.hasReadout);
  byId('readout').hidden = !showReadout;
  if (showReadout && !message.recovered) {
    const empty = (/** @type {string} */ when) => ({ title: `Readout of every pattern ${when}`, x_label: 'time (ms)',
      y_label: 'readout (mean rate)', series: [] });
    pendingReadout = { before: empty('before training (drawn after training)'), after: empty('after training') };
  }
  const r = message.restored;
  status.dataset.steps = String(r && !r.error ? r.stepsDone : 0);
  let note = 'Press Train.';
  if (r && r.error) note = `(autosaved model not restored: ${r.error})`;
  else if (r) note = `Restored the autosaved model (${r.stepsDone} steps). Press Train to continue.`;
  if (message.recovered) {
    notice = `the training worker died (${message.recovered}); a new one restored ` +
      (r && !r.error ? `the autosaved model (${r.stepsDone} steps)` : 'a fresh network (no autosaved model)');
    note = client.running ? 'Training resumes.' : 'Press Train to continue.';
    setStatus(`recovered: ${notice}. ${note}`);
  } else {
    setStatus(`ready: ${describe(message.info)}. ${note}`);
  }
  pending = message.snapshot;
  const resumeLongRun = message.recovered ? false : longRun.onReady(message);
  if (message.longRun && !message.longRun.error) {
    /** @type {HTMLDetailsElement} */ (byId('long-run-details')).open = true;
    byId('plot-long-run').hidden = false;
  }
  if (activePreset && !message.recovered) {
    if (activePreset.longRun) longRun.start(activePreset.longRun);
    else client.run(activePreset.steps);
    setButtons();
  } else if (resumeLongRun) {
    longRun.start();
    setStatus(`ready: ${describe(message.info)}. Restored the autosaved model and the long run's curve; the long run resumes.`);
    setButtons();
  }
}

/** @param {any} message */
function onMessage(message) {
  if (message.type === FROM_TRAINER.ERROR) {
    setButtons();
    const prefix = message.context === 'load' ? 'could not load the model (the current model is kept): ' : '';
    setStatus(`Error: ${prefix}${message.message}`, 'error');
  } else if (message.type === FROM_TRAINER.READY) {
    onReady(message);
  } else if (message.type === FROM_TRAINER.PROGRESS) {
    const e = message.evaluation;
    if (typeof message.loss === 'number') log.push({ step: message.step, loss: message.loss });
    setStatus(
      `${client.running ? 'training' : 'paused'} · step ${message.step} · ` +
        `${speed(message.stepsPerSec)} (${message.workers ?? 1} worker${(message.workers ?? 1) > 1 ? 's' : ''}) · loss ${fmt(message.loss, 4)} · ` +
        `${info?.scoreLabel ?? 'accuracy'} ${fmt(e.accuracy, 2)}` +
        (typeof e.lateAccuracy === 'number' ? ` · late accuracy ${fmt(e.lateAccuracy, 2)}` : '') +
        (notice ? ` · recovered: ${notice}` : ''),
    );
    status.dataset.steps = String(message.step);
    const score = typeof e?.accuracy === 'number' ? e.accuracy : e?.mean;
    if (typeof score === 'number' && Number.isFinite(score)) run.best = Math.max(run.best ?? 0, score);
    pending = message.snapshot;
    longRun.progress(message);
  } else if (message.type === FROM_TRAINER.DONE) {
    setButtons();
    setStatus(`${status.textContent?.replace(/^training/, 'done')}`);
    client.analyse(showReadout);
    const preset = activePreset;
    activePreset = null;
    if (preset?.taskVariance || (message.reason && preset === null && info?.isMixture)) {
      client.taskVariance(preset?.taskVariance ?? TASK_VARIANCE_TRIALS);
    }
    if (preset) {
      status.dataset.preset = preset.id;
      if (preset.sweep) {
        /** @type {HTMLSelectElement} */ (byId('sweep-kind')).value = preset.sweep; // the menu names what runs
        showSweeps();
        sweeps.start(preset.sweep).catch(showError);
      }
      if (preset.paper) claims.choose(preset.paper);
    }
  } else if (longRun.onMessage(message)) {
    // LONG_RUN, TASK_VARIANCE: drawn by the long-run panel (shown now that it has data)
    /** @type {HTMLDetailsElement} */ (byId('long-run-details')).open = true;
    byId(message.type === FROM_TRAINER.LONG_RUN ? 'plot-long-run' : 'plot-task-variance').hidden = false;
  } else if (message.type === FROM_TRAINER.ANALYSIS) {
    pendingAnalysis = message.analysis;
    byId('analysis-plots').hidden = false;
    if (message.readout) pendingReadout = message.readout;
    pendingReservoir = message.reservoir ?? null;
    byId('reservoir-plots').hidden = pendingReservoir === null;
  } else if (message.type === FROM_TRAINER.LOADED) {
    const r = message.result;
    sheet.setInfo(message.info);
    pending = message.snapshot;
    setStatus(`loaded a model trained for ${r.stepsDone} steps: N = ${r.nNeurons}, ${r.nSynapses} synapses. Press Train to continue.`);
    client.autosave();
  } else if (message.type === FROM_TRAINER.NPY) {
    download(message.bytes, `${message.what}.npy`, 'application/octet-stream');
  } else if (message.type === FROM_TRAINER.FOOTPRINT) {
    sheet.setFootprint(message.neuron, message.partners);
  }
}

/**
 * After drawing the training plots for d ms, the next snapshot waits at least
 * SNAPSHOT_REST × d ms, so the plots take at most ~10 % of the page's thread (and of a
 * core the training workers share; the newest snapshot is drawn, none is lost).
 */
const SNAPSHOT_REST = 9;
let snapshotDueAt = 0;

/** @param {import('./wasm.js').WasmModule} wasm */
function drawLoop(wasm) {
  /** @type {any} */
  let drawn = null;
  try {
    if (pending && performance.now() >= snapshotDueAt) {
      const started = performance.now();
      drawn = pending;
      wasm.Simulator.drawSnapshot(pending, CANVAS_IDS);
      const ended = performance.now();
      snapshotDueAt = ended + SNAPSHOT_REST * (ended - started);
    }
    longRun.draw(wasm);
    if (pendingAnalysis) wasm.Simulator.drawAnalysis(pendingAnalysis, ANALYSIS_IDS);
    if (pendingReadout) {
      wasm.drawChart(READOUT_IDS.before, pendingReadout.before);
      wasm.drawChart(READOUT_IDS.after, pendingReadout.after);
      status.dataset.readout = String(pendingReadout.after.series?.length ?? 0);
    }
    if (pendingReservoir) {
      const generation = byId('plot-generation');
      generation.hidden = !pendingReservoir.generation;
      if (pendingReservoir.generation) wasm.drawChart('plot-generation', pendingReservoir.generation);
      wasm.drawChart('plot-memory', pendingReservoir.memory);
      status.dataset.reservoirCharts = pendingReservoir.generation ? '2' : '1';
    }
  } catch (error) {
    showError(error);
  }
  if (drawn !== null) pending = null; // drawn, or failed while drawing (not retried); else waiting for its turn
  pendingAnalysis = null;
  pendingReadout = null;
  pendingReservoir = null;
  requestAnimationFrame(() => drawLoop(wasm));
}

/** Apply the form: per-paper defaults when the task's paper changed. @param {Event} event */
function onFormChange(event) {
  const target = /** @type {HTMLInputElement} */ (event.target);
  if (!PROPS.some((p) => p.name === target.name)) return;
  const before = readHash();
  const state = formState();
  const paperOf = (/** @type {string} */ task) => CATALOG.get(task)?.paper;
  if (target.name === 'task' && paperOf(String(state.task)) !== paperOf(String(before.task))) {
    Object.assign(state, paperDefaults(String(state.task)) ?? {});
  }
  if (target.name === 'rule') state.ruleopts = '';
  // network ↔ reservoir: keep the connectivity only if the other menu has it
  const menu = connectivityMenu(state);
  if (target.name === 'reservoir' && !menu.includes(String(state.connectivity))) {
    state.connectivity = menu.includes('random-density') ? 'random-density' : menu[0];
  }
  if (target.name === 'task') {
    state.tasks = ''; // another task: all of its components
    state.taskopts = ''; // and its own default options
  }
  // a second change event for the same edit (e.g. on blur) must not rebuild the network
  if (hashOf(state) === hashOf(before)) return;
  activePreset = null;
  caption.textContent = '';
  resultFirst(null);
  writeHash(state);
  freshRun(state);
  reset();
}

/** @param {import('./presets.js').Preset} preset */
function runPreset(preset) {
  sweeps.cancel();
  activePreset = preset;
  caption.textContent = preset.caption;
  resultFirst(preset.figure);
  if (preset.sweep) showSweeps();
  delete status.dataset.preset;
  const state = { ...readHash(), ...preset.state };
  writeHash(state);
  freshRun(state, preset.run);
  reset();
}

function wireButtons() {
  trainButton.addEventListener('click', () => {
    client.run();
    setButtons();
  });
  pauseButton.addEventListener('click', () => {
    client.pause();
    setButtons();
  });
  byId('reset').addEventListener('click', () => {
    // this run starts over: its record goes, every other run stays
    activePreset = null;
    const old = run.id;
    freshRun(readHash());
    deleteRun(old).catch(() => {}).then(() => runs.refresh());
    reset();
  });
  analyseButton.addEventListener('click', () => client.analyse(showReadout));
  byId('save-model').addEventListener('click', () => {
    client.saveModel().then((text) => download(text, 'sparse-rnn-lab-model.json', 'application/json'), showError);
  });
  const loader = /** @type {HTMLInputElement} */ (byId('load-model'));
  loader.addEventListener('change', async () => {
    const file = loader.files?.[0];
    loader.value = '';
    if (!file) return;
    try {
      const text = await readModelFile(file);
      client.load(text);
      setButtons();
    } catch (error) {
      showError(error);
    }
  });
  for (const button of document.querySelectorAll('[data-npy]')) {
    button.addEventListener('click', () => client.npy(String(/** @type {HTMLElement} */ (button).dataset.npy)));
  }
  const presetButtons = byId('preset-buttons');
  for (const preset of PRESETS) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = preset.title.split(':')[0];
    button.title = preset.title;
    button.dataset.preset = preset.id;
    button.addEventListener('click', () => runPreset(preset));
    presetButtons.append(button);
  }
  // after the long-run panel's own listener has started the run
  byId('long-run-start').addEventListener('click', () => setButtons());
  byId('save-run').addEventListener('click', () => {
    if (client.config) download(JSON.stringify(client.config, null, 2), 'run.json', 'application/json');
  });
  byId('sweep-run').addEventListener('click', () => {
    showSweeps();
    sweeps.start(/** @type {HTMLSelectElement} */ (byId('sweep-kind')).value).catch(showError);
  });
  byId('sweep-cancel').addEventListener('click', () => sweeps.cancel());
}

async function main() {
  let wasm;
  try {
    wasm = await loadWasm();
    wasmModule = wasm;
    configureOptions(wasm);
    for (const [name, list] of Object.entries(OPTIONS)) {
      // the reservoir masks fill the connectivity menu when the model is a reservoir
      if (name === 'reservoirMask') continue;
      fillOptions(/** @type {HTMLSelectElement} */ (/** @type {unknown} */ (field(name))), list);
    }
    fillTasks(wasm.taskCatalog());
    // the sweep menu is Rust's page sweeps (lab::page_sweeps), titled by their own titles
    for (const id of wasm.pageSweepIds()) {
      /** @type {HTMLSelectElement} */ (byId('sweep-kind')).add(new Option(wasm.pageSweep(id).title, id));
    }
    claims.init(wasm);
    loadPresets(wasm);
  } catch (error) {
    showError(error);
    return;
  }
  form.addEventListener('change', onFormChange);
  // the worker count is this machine's setting (not in the hash: it never changes the weights)
  workersField.addEventListener('change', () => {
    const workers = Math.max(1, Math.min(8, Math.floor(Number(workersField.value)) || 1));
    workersField.value = String(workers);
    if (client.options.workers === workers) return;
    client.options.workers = workers;
    reset();
  });
  form.addEventListener('submit', (event) => event.preventDefault());
  wireButtons();
  fillGallery();
  for (const button of document.querySelectorAll('nav [data-view]')) {
    button.addEventListener('click', () => setView(String(/** @type {HTMLElement} */ (button).dataset.view)));
  }
  window.addEventListener('hashchange', () => {
    if (hashOf(readHash()) !== run.hash) freshRun(readHash());
    reset();
  });
  const search = new URLSearchParams(window.location.search);
  const requested = search.get('preset');
  // the gallery greets a newcomer; a link with settings, a preset or a run, or a tab
  // that already has a run, opens the playground
  const landing = search.get('view') ??
    (requested || search.get('run') || window.location.hash.length > 1 || tabRunId() ? 'playground' : 'gallery');
  const preset = requested ? presetById(requested) : undefined;
  // the one autosave of earlier versions becomes a run of the library (once)
  const legacyHash = (() => {
    try {
      return JSON.parse(localStorage.getItem('sparse-rnn-lab/autosave') ?? 'null')?.hash ?? null;
    } catch {
      return null;
    }
  })();
  const migrated = await migrateLegacyAutosave((hash) => {
    const state = stateFromHash(hash);
    return { config: buildConfig(state), task: String(state.task) };
  }).catch(() => null);
  const resumeId = search.get('run') ?? tabRunId() ?? (migrated && legacyHash === hashOf(readHash()) ? migrated : null);
  if (preset) runPreset(preset);
  else if (!(resumeId && await openRun(resumeId, true))) {
    writeHash(readHash());
    freshRun(readHash());
    reset();
  }
  setView(landing);
  runs.refresh();
  requestAnimationFrame(() => drawLoop(wasm));
  Object.assign(window, {
    labDebug: {
      /** Make the training worker die as a trapped wasm instance would. */
      trapTrainer: () => client.debugTrap(),
      /** Make the training worker trap while it builds the next network. */
      trapNextBuild: () => client.debugTrap('next-init'),
      /** Make the training worker hang for `ms`, after which it counts as dead after `timeoutMs` of silence. */
      hangTrainer: (/** @type {number} */ ms, /** @type {number} */ timeoutMs) => {
        client.heartbeatTimeoutMs = timeoutMs;
        client.debugHang(ms);
      },
      /** Run sweep `name`; point i's worker dies on its first `trap[i]` attempts. */
      sweep: (/** @type {string} */ name, /** @type {Record<number, number>} */ trap) => {
        showSweeps();
        return sweeps.start(name, trap);
      },
      workersStarted: () => client.workersStarted,
      /** The training worker's wasm memory in bytes (its latest heartbeat), for the soak test. */
      workerWasmBytes: () => Number(client.lastHeartbeat?.wasmBytes ?? 0),
      /** The run description of the current network (what `srnn train --config` takes). */
      config: () => client.config,
      /** Run the first `limit` claims of `paper` in the claims table. */
      claims: (/** @type {string} */ paper, /** @type {number} */ limit) => claims.start(paper, limit),
    },
  });
}

main();
