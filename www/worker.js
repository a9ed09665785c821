// @ts-check
/**
 * Training loop in a module Web Worker, so the page stays responsive. Messages in:
 * `{type: 'init', config}`, `{type: 'run'}`, `{type: 'pause'}`. Messages out:
 * `{type: 'ready', info, snapshot}`, `{type: 'progress', ...}` a few times per second
 * (with a `snapshot` for the plots), `{type: 'error', message}`.
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
let lastReport = 0;
let stepsAtReport = 0;
let timeAtReport = 0;
/** @type {{step: number, loss: number, gradNorm: number} | null} */
let lastStep = null;

/** @param {unknown} error */
function fail(error) {
  running = false;
  const message = error instanceof Error ? error.message : String(error);
  self.postMessage({ type: 'error', message });
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
      const t0 = performance.now();
      lastStep = sim.trainSteps(chunk);
      const perStep = (performance.now() - t0) / chunk;
      chunk = Math.max(1, Math.min(64, Math.floor((SLICE_MS / 4) / Math.max(perStep, 0.01))));
    }
    if (performance.now() - lastReport > REPORT_MS) report();
  } catch (error) {
    fail(error);
    return;
  }
  setTimeout(loop, 0);
}

self.onmessage = async (event) => {
  try {
    await ready;
    const message = event.data;
    if (message.type === 'init') {
      running = false;
      if (sim) sim.free();
      sim = null;
      lastStep = null;
      sim = new Simulator(message.config);
      stepsAtReport = 0;
      timeAtReport = performance.now();
      self.postMessage({ type: 'ready', info: sim.info(), snapshot: sim.snapshot() });
    } else if (message.type === 'run' && sim && !running) {
      running = true;
      timeAtReport = performance.now();
      stepsAtReport = sim.stepsDone();
      lastReport = timeAtReport;
      loop();
    } else if (message.type === 'pause') {
      if (running && sim) report();
      running = false;
    }
  } catch (error) {
    fail(error);
  }
};
