// @ts-check
/**
 * Training loop in a module Web Worker, so the page stays responsive. The Simulator and
 * every big array live here; the page only receives small snapshots.
 *
 * Messages in: `{type: 'init', config, model?}` (model: a saved model file to restore),
 * `{type: 'run', untilStep?}` (pause by itself at that step and post `done`),
 * `{type: 'pause'}`, `{type: 'analyse'}`, `{type: 'save', purpose}`, `{type: 'load', text}`,
 * `{type: 'npy', what}`, `{type: 'footprint', neuron}`.
 * Messages out: `{type: 'ready', info, snapshot, restored?}`, `{type: 'progress', ...}` a
 * few times per second, `{type: 'done', step}`, `{type: 'analysis', analysis}`,
 * `{type: 'model', text, purpose}`, `{type: 'loaded', result, info, snapshot}`,
 * `{type: 'npy', what, bytes}`, `{type: 'footprint', neuron, partners}`,
 * `{type: 'error', message, context}`.
 */
import init, { Simulator } from './pkg/sparse_rnn_lab.js';

/** Milliseconds of training between checks for messages. */
const SLICE_MS = 40;
/** Milliseconds between progress reports (evaluation + snapshot). */
const REPORT_MS = 300;
/** Trials per evaluation. */
const EVAL_TRIALS = 64;

const ready = init();
/** @type {Simulator | null} */
let sim = null;
let running = false;
/** @type {number | null} step at which to stop by itself */
let untilStep = null;
let lastReport = 0;
let stepsAtReport = 0;
let timeAtReport = 0;
/** @type {{step: number, loss: number, gradNorm: number} | null} */
let lastStep = null;

/** @param {unknown} error @param {string} context */
function fail(error, context) {
  running = false;
  const message = error instanceof Error ? error.message : String(error);
  self.postMessage({ type: 'error', message, context });
}

function report() {
  if (!sim) return;
  const now = performance.now();
  const steps = sim.stepsDone();
  const stepsPerSec = now > timeAtReport ? ((steps - stepsAtReport) * 1000) / (now - timeAtReport) : 0;
  const evaluation = sim.evaluate(EVAL_TRIALS);
  self.postMessage({
    type: 'progress',
    step: steps,
    loss: lastStep ? lastStep.loss : null,
    gradNorm: lastStep ? lastStep.gradNorm : null,
    stepsPerSec,
    evaluation,
    snapshot: sim.snapshot(),
  });
  lastReport = now;
  stepsAtReport = steps;
  timeAtReport = now;
}

function loop() {
  if (!running || !sim) return;
  const start = performance.now();
  try {
    let chunk = 1;
    while (performance.now() - start < SLICE_MS) {
      if (untilStep !== null) chunk = Math.min(chunk, untilStep - sim.stepsDone());
      if (chunk <= 0) break;
      const t0 = performance.now();
      lastStep = sim.trainSteps(chunk);
      const perStep = (performance.now() - t0) / chunk;
      chunk = Math.max(1, Math.min(64, Math.floor((SLICE_MS / 4) / Math.max(perStep, 0.01))));
    }
    if (untilStep !== null && sim.stepsDone() >= untilStep) {
      running = false;
      untilStep = null;
      report();
      self.postMessage({ type: 'done', step: sim.stepsDone() });
      return;
    }
    if (performance.now() - lastReport > REPORT_MS) report();
  } catch (error) {
    fail(error, 'training');
    return;
  }
  setTimeout(loop, 0);
}

/** @param {any} message */
function handle(message) {
  if (message.type === 'init') {
    running = false;
    untilStep = null;
    if (sim) sim.free();
    sim = null;
    lastStep = null;
    sim = new Simulator(message.config);
    let restored = null;
    if (message.model) {
      try {
        restored = sim.loadModel(message.model);
      } catch (error) {
        restored = { error: error instanceof Error ? error.message : String(error) };
      }
    }
    stepsAtReport = sim.stepsDone();
    timeAtReport = performance.now();
    self.postMessage({ type: 'ready', info: sim.info(), snapshot: sim.snapshot(), restored });
    return;
  }
  if (!sim) return;
  if (message.type === 'run' && !running) {
    untilStep = typeof message.untilStep === 'number' ? message.untilStep : null;
    running = true;
    timeAtReport = performance.now();
    stepsAtReport = sim.stepsDone();
    lastReport = timeAtReport;
    loop();
  } else if (message.type === 'pause') {
    if (running) report();
    running = false;
    untilStep = null;
  } else if (message.type === 'analyse') {
    self.postMessage({ type: 'analysis', analysis: sim.analysis() });
  } else if (message.type === 'save') {
    self.postMessage({ type: 'model', text: sim.saveModel(), purpose: message.purpose });
  } else if (message.type === 'load') {
    const wasRunning = running;
    running = false;
    const result = sim.loadModel(message.text);
    lastStep = null;
    self.postMessage({ type: 'loaded', result, info: sim.info(), snapshot: sim.snapshot(), wasRunning });
  } else if (message.type === 'npy') {
    const bytes = sim.exportNpy(message.what);
    self.postMessage({ type: 'npy', what: message.what, bytes }, [bytes.buffer]);
  } else if (message.type === 'footprint') {
    const partners = sim.presynaptic(message.neuron);
    self.postMessage({ type: 'footprint', neuron: message.neuron, partners });
  }
}

self.onmessage = async (event) => {
  await ready.catch((error) => fail(error, 'loading'));
  try {
    handle(event.data);
  } catch (error) {
    fail(error, event.data?.type ?? 'message');
  }
};
