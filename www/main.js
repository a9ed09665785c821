// @ts-check
/**
 * Page glue: form <-> URL-hash state, the training worker, presets, model files, the
 * sweep panel, the status line and the plots. Training and analysis run in `worker.js`;
 * this thread draws the snapshots it posts with the same wasm module
 * (`Simulator.drawSnapshot`, `Simulator.drawAnalysis`).
 */
import init, { Simulator, taskCatalog } from './pkg/sparse_rnn_lab.js';
import {
  ACTIVATIONS, CONNECTIVITIES, DYNAMICS, FAMILY_DEFAULTS, INITS, PROPS, RULES, buildConfig, family, hashOf,
  readHash, writeHash,
} from './state.js';
import { PRESETS, presetById } from './presets.js';
import { createSweepRunner } from './sweep.js';
import { createSheet } from './sheet.js';
import { autosave, autosaved, clearAutosave, download, readModelFile } from './files.js';

/** Canvas ids of the training plots, as `Simulator.drawSnapshot` expects them. */
const CANVAS_IDS = {
  loss: 'plot-loss',
  accuracy: 'plot-accuracy',
  activity: 'plot-activity',
  weights: 'plot-weights',
  output: 'plot-output',
  trial: 'plot-trial',
  perTask: 'plot-pertask',
};
/** Canvas ids of the analysis plots, as `Simulator.drawAnalysis` expects them. */
const ANALYSIS_IDS = { eigen: 'plot-eigen', degradation: 'plot-degradation', pca: 'plot-pca' };
/** Milliseconds between autosaves while training. */
const AUTOSAVE_MS = 15_000;

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
let running = false;
let ready = false;
let firstInit = true;
let lastAutosave = 0;
/** Networks built so far (`#status[data-builds]`, read by the smoke test). */
let builds = 0;
/** @type {import('./presets.js').Preset | null} preset being run */
let activePreset = null;

/** @param {string} text @param {'info' | 'error'} kind */
function setStatus(text, kind = 'info') {
  status.textContent = text;
  status.className = kind;
}

/** @param {unknown} error */
function showError(error) {
  setStatus(`Error: ${error instanceof Error ? error.message : error}`, 'error');
}

/** @param {string} name */
function field(name) {
  return /** @type {HTMLInputElement} */ (form.elements.namedItem(name));
}

/** @param {HTMLSelectElement} select @param {string[]} names */
function fillOptions(select, names) {
  for (const name of names) select.add(new Option(name, name));
}

/** Task select, grouped by paper. */
function fillTasks() {
  const select = /** @type {HTMLSelectElement} */ (/** @type {unknown} */ (field('task')));
  /** @type {Map<string, HTMLOptGroupElement>} */
  const groups = new Map();
  for (const task of taskCatalog()) {
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
  for (const p of PROPS) {
    const element = field(p.name);
    if (element) element.value = String(state[p.name]);
  }
  const connectivity = state.connectivity;
  field('k').disabled = !['fixed-in-degree', 'random-density'].includes(String(connectivity));
  field('radius').disabled = connectivity !== 'local';
  field('periodic').disabled = connectivity !== 'local';
  field('patterns').disabled = state.task !== 'turcu-classification';
  field('ruleopts').placeholder = RULES[String(state.rule)] || 'no settings';
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

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
const sheet = createSheet(
  /** @type {HTMLCanvasElement} */ (byId('sheet')),
  byId('sheet-caption'),
  (neuron) => worker.postMessage({ type: 'footprint', neuron }),
);
const sweeps = createSweepRunner({
  canvasId: 'plot-sweep',
  progress: /** @type {HTMLProgressElement} */ (byId('sweep-progress')),
  status: byId('sweep-status'),
});

/** (Re)build the simulator in the worker from the URL-hash state. */
function reset() {
  running = false;
  ready = false;
  log.length = 0;
  const state = readHash();
  showState(state);
  setButtons();
  setStatus('building network…');
  /** @type {Record<string, unknown>} */
  const message = { type: 'init' };
  try {
    message.config = buildConfig(state);
  } catch (error) {
    showError(error);
    return;
  }
  if (firstInit) message.model = autosaved(hashOf(state));
  firstInit = false;
  worker.postMessage(message);
}

function setButtons() {
  trainButton.disabled = !ready || running;
  pauseButton.disabled = !running;
  analyseButton.disabled = !ready;
}

/** @param {number | null | undefined} x @param {number} digits */
function fmt(x, digits) {
  return typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : '–';
}

/** @param {any} i */
function describe(i) {
  return `${i.taskName} (${i.paper}); N = ${i.nNeurons}, ${i.nSynapses} synapses, ` +
    `${i.nTrainable} trainable parameters, rule ${i.rule}`;
}

/** Autosave the model (the worker answers with `{type: 'model', purpose: 'autosave'}`). */
function requestAutosave() {
  lastAutosave = performance.now();
  worker.postMessage({ type: 'save', purpose: 'autosave' });
}

/** @param {any} message */
function onModel(message) {
  if (message.purpose === 'download') {
    download(message.text, 'sparse-rnn-lab-model.json', 'application/json');
  } else {
    const problem = autosave(hashOf(readHash()), message.text);
    if (problem) status.dataset.autosave = problem;
  }
}

worker.onmessage = (event) => {
  const message = event.data;
  if (message.type === 'error') {
    running = false;
    setButtons();
    const prefix = message.context === 'load' ? 'could not load the model (the current model is kept): ' : '';
    setStatus(`Error: ${prefix}${message.message}`, 'error');
  } else if (message.type === 'ready') {
    ready = true;
    setButtons();
    builds++;
    status.dataset.builds = String(builds);
    sheet.setInfo(message.info);
    byId('plot-pertask').hidden = !String(message.info.taskId).endsWith('mixture');
    let note = 'Press Train.';
    if (message.restored && message.restored.error) note = `(autosaved model not restored: ${message.restored.error})`;
    else if (message.restored) note = `Restored the autosaved model (${message.restored.stepsDone} steps). Press Train to continue.`;
    setStatus(`ready: ${describe(message.info)}. ${note}`);
    pending = message.snapshot;
    if (activePreset) {
      running = true;
      setButtons();
      worker.postMessage({ type: 'run', untilStep: activePreset.steps });
    }
  } else if (message.type === 'progress') {
    const e = message.evaluation;
    if (typeof message.loss === 'number') log.push({ step: message.step, loss: message.loss });
    setStatus(
      `${running ? 'training' : 'paused'} · step ${message.step} · ` +
        `${fmt(message.stepsPerSec, 0)} steps/s · loss ${fmt(message.loss, 4)} · ` +
        `accuracy ${fmt(e.accuracy, 2)} · late accuracy ${fmt(e.lateAccuracy, 2)}`,
    );
    status.dataset.steps = String(message.step);
    pending = message.snapshot;
    if (running && performance.now() - lastAutosave > AUTOSAVE_MS) requestAutosave();
  } else if (message.type === 'done') {
    running = false;
    setButtons();
    setStatus(`${status.textContent?.replace(/^training/, 'done')}`);
    requestAutosave();
    worker.postMessage({ type: 'analyse' });
    const preset = activePreset;
    activePreset = null;
    if (preset) {
      status.dataset.preset = preset.id;
      if (preset.sweep) sweeps.start(preset.sweep);
    }
  } else if (message.type === 'analysis') {
    pendingAnalysis = message.analysis;
  } else if (message.type === 'model') {
    onModel(message);
  } else if (message.type === 'loaded') {
    const r = message.result;
    sheet.setInfo(message.info);
    pending = message.snapshot;
    setStatus(`loaded a model trained for ${r.stepsDone} steps: N = ${r.nNeurons}, ${r.nSynapses} synapses. Press Train to continue.`);
    requestAutosave();
  } else if (message.type === 'npy') {
    download(message.bytes, `${message.what}.npy`, 'application/octet-stream');
  } else if (message.type === 'footprint') {
    sheet.setFootprint(message.neuron, message.partners);
  }
};
worker.onerror = (event) => {
  running = false;
  setButtons();
  setStatus(`Error: the training worker failed (${event.message || 'could not load'})`, 'error');
  event.preventDefault();
};

function drawLoop() {
  try {
    if (pending) Simulator.drawSnapshot(pending, CANVAS_IDS);
    if (pendingAnalysis) Simulator.drawAnalysis(pendingAnalysis, ANALYSIS_IDS);
  } catch (error) {
    showError(error);
  }
  pending = null;
  pendingAnalysis = null;
  requestAnimationFrame(drawLoop);
}

/** Apply the form: per-family defaults when the task family changed. @param {Event} event */
function onFormChange(event) {
  const target = /** @type {HTMLInputElement} */ (event.target);
  if (!PROPS.some((p) => p.name === target.name)) return;
  const before = readHash();
  const state = formState();
  if (target.name === 'task' && family(String(state.task)) !== family(String(before.task))) {
    Object.assign(state, FAMILY_DEFAULTS[family(String(state.task))] ?? {});
  }
  if (target.name === 'rule') state.ruleopts = '';
  // a second change event for the same edit (e.g. on blur) must not rebuild the network
  if (hashOf(state) === hashOf(before)) return;
  activePreset = null;
  caption.textContent = '';
  writeHash(state);
  reset();
}

/** @param {import('./presets.js').Preset} preset */
function runPreset(preset) {
  sweeps.cancel();
  activePreset = preset;
  caption.textContent = preset.caption;
  delete status.dataset.preset;
  writeHash({ ...readHash(), ...preset.state });
  reset();
}

function wireButtons() {
  trainButton.addEventListener('click', () => {
    running = true;
    setButtons();
    worker.postMessage({ type: 'run' });
  });
  pauseButton.addEventListener('click', () => {
    running = false;
    setButtons();
    worker.postMessage({ type: 'pause' });
    requestAutosave();
  });
  byId('reset').addEventListener('click', () => {
    activePreset = null;
    clearAutosave();
    reset();
  });
  analyseButton.addEventListener('click', () => worker.postMessage({ type: 'analyse' }));
  byId('save-model').addEventListener('click', () => worker.postMessage({ type: 'save', purpose: 'download' }));
  const loader = /** @type {HTMLInputElement} */ (byId('load-model'));
  loader.addEventListener('change', async () => {
    const file = loader.files?.[0];
    loader.value = '';
    if (!file) return;
    try {
      const text = await readModelFile(file);
      running = false;
      setButtons();
      worker.postMessage({ type: 'load', text });
    } catch (error) {
      showError(error);
    }
  });
  for (const button of document.querySelectorAll('[data-npy]')) {
    button.addEventListener('click', () => worker.postMessage({ type: 'npy', what: /** @type {HTMLElement} */ (button).dataset.npy }));
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
  byId('sweep-run').addEventListener('click', () => {
    try {
      sweeps.start(/** @type {HTMLSelectElement} */ (byId('sweep-kind')).value);
    } catch (error) {
      showError(error);
    }
  });
  byId('sweep-cancel').addEventListener('click', () => sweeps.cancel());
}

async function main() {
  try {
    await init();
    fillOptions(/** @type {HTMLSelectElement} */ (/** @type {unknown} */ (field('connectivity'))), CONNECTIVITIES);
    fillOptions(/** @type {HTMLSelectElement} */ (/** @type {unknown} */ (field('activation'))), ACTIVATIONS);
    fillOptions(/** @type {HTMLSelectElement} */ (/** @type {unknown} */ (field('dynamics'))), DYNAMICS);
    fillOptions(/** @type {HTMLSelectElement} */ (/** @type {unknown} */ (field('init'))), INITS);
    fillOptions(/** @type {HTMLSelectElement} */ (/** @type {unknown} */ (field('rule'))), Object.keys(RULES));
    fillTasks();
  } catch (error) {
    showError(error);
    return;
  }
  form.addEventListener('change', onFormChange);
  form.addEventListener('submit', (event) => event.preventDefault());
  wireButtons();
  window.addEventListener('hashchange', reset);
  writeHash(readHash());
  const requested = new URLSearchParams(window.location.search).get('preset');
  const preset = requested ? presetById(requested) : undefined;
  if (preset) runPreset(preset);
  else reset();
  requestAnimationFrame(drawLoop);
}

main();
