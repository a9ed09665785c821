// @ts-check
/**
 * Page glue: form <-> URL-hash state, the training worker, the status line and the
 * plots. Training runs in `worker.js`; this thread only draws the snapshots it posts,
 * with the same wasm module (`Simulator.drawSnapshot`).
 */
import init, { Simulator, taskCatalog } from './pkg/sparse_rnn_lab.js';
import { ACTIVATIONS, CONNECTIVITIES, PROPS, buildConfig, readHash, writeHash } from './state.js';

/** Canvas ids of the five plots, as `Simulator.drawSnapshot` expects them. */
const CANVAS_IDS = {
  loss: 'plot-loss',
  accuracy: 'plot-accuracy',
  activity: 'plot-activity',
  weights: 'plot-weights',
  output: 'plot-output',
};

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
const resetButton = /** @type {HTMLButtonElement} */ (byId('reset'));

/** Progress log, read by the smoke test: `[{step, loss}]`. */
const log = /** @type {{step: number, loss: number}[]} */ ([]);
Object.assign(window, { labLog: log });

/** @type {object | null} latest snapshot not yet drawn */
let pending = null;
let running = false;
let ready = false;

/** @param {string} text @param {'info' | 'error'} kind */
function setStatus(text, kind = 'info') {
  status.textContent = text;
  status.className = kind;
}

/** @param {HTMLSelectElement} select @param {string[]} names */
function fillOptions(select, names) {
  for (const name of names) select.add(new Option(name, name));
}

/** Task select, grouped by paper. */
function fillTasks() {
  const select = /** @type {HTMLSelectElement} */ (form.elements.namedItem('task'));
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
    group.append(new Option(task.name, task.id));
  }
}

/** @param {Record<string, string | number>} state */
function showState(state) {
  for (const p of PROPS) {
    const field = /** @type {HTMLInputElement} */ (form.elements.namedItem(p.name));
    if (field) field.value = String(state[p.name]);
  }
  const kField = /** @type {HTMLInputElement} */ (form.elements.namedItem('k'));
  kField.disabled = state.connectivity === 'dense' || state.connectivity === 'autapse';
}

function formState() {
  const state = readHash();
  for (const p of PROPS) {
    const field = /** @type {HTMLInputElement} */ (form.elements.namedItem(p.name));
    if (!field) continue;
    state[p.name] = p.type === 'string' ? field.value : Number(field.value);
  }
  return state;
}

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });

/** (Re)build the simulator in the worker from the URL-hash state. */
function reset() {
  running = false;
  ready = false;
  log.length = 0;
  const state = readHash();
  showState(state);
  setButtons();
  setStatus('building network…');
  worker.postMessage({ type: 'init', config: buildConfig(state) });
}

function setButtons() {
  trainButton.disabled = !ready || running;
  pauseButton.disabled = !running;
}

/** @param {number | null | undefined} x @param {number} digits */
function fmt(x, digits) {
  return typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : '–';
}

worker.onmessage = (event) => {
  const message = event.data;
  if (message.type === 'error') {
    running = false;
    setButtons();
    setStatus(`Error: ${message.message}`, 'error');
  } else if (message.type === 'ready') {
    ready = true;
    setButtons();
    const i = message.info;
    setStatus(
      `ready: ${i.taskName} (${i.paper}); N = ${i.nNeurons}, ${i.nSynapses} synapses, ` +
        `${i.nTrainable} trainable parameters. Press Train.`,
    );
    pending = message.snapshot;
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
  }
};
worker.onerror = (event) => {
  running = false;
  setButtons();
  setStatus(`Error: the training worker failed (${event.message || 'could not load'})`, 'error');
  event.preventDefault();
};

function drawLoop() {
  if (pending) {
    try {
      Simulator.drawSnapshot(pending, CANVAS_IDS);
    } catch (error) {
      setStatus(`Error: ${error instanceof Error ? error.message : error}`, 'error');
    }
    pending = null;
  }
  requestAnimationFrame(drawLoop);
}

async function main() {
  try {
    await init();
    fillOptions(/** @type {HTMLSelectElement} */ (form.elements.namedItem('connectivity')), CONNECTIVITIES);
    fillOptions(/** @type {HTMLSelectElement} */ (form.elements.namedItem('activation')), ACTIVATIONS);
    fillTasks();
  } catch (error) {
    setStatus(`Error: ${error instanceof Error ? error.message : error}`, 'error');
    return;
  }
  form.addEventListener('change', () => {
    writeHash(formState());
    reset();
  });
  form.addEventListener('submit', (event) => event.preventDefault());
  trainButton.addEventListener('click', () => {
    running = true;
    setButtons();
    worker.postMessage({ type: 'run' });
  });
  pauseButton.addEventListener('click', () => {
    running = false;
    setButtons();
    worker.postMessage({ type: 'pause' });
  });
  resetButton.addEventListener('click', reset);
  window.addEventListener('hashchange', reset);
  writeHash(readHash());
  reset();
  requestAnimationFrame(drawLoop);
}

main();
