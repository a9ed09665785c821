// @ts-check
/**
 * Training loop in a module Web Worker, so the page stays responsive. The Simulator and
 * every big array live here; the page (or a widget) only receives small snapshots.
 * It speaks `rpc.js`: each TO_TRAINER of `protocol.js` is a call answered by a reply (INIT
 * by READY's fields, SAVE by MODEL's, ...), and training streams events (PROGRESS, DONE,
 * LONG_RUN, HEARTBEAT, ERROR); `trainer-client.js` is the other end. A heartbeat every
 * HEARTBEAT_MS lets the client notice a hung worker; a wasm trap
 * (WebAssembly.RuntimeError) is replied or emitted as `fatal`, since the instance is then
 * unusable and the client must start a new worker. Evaluation: at every progress
 * report, and during a bounded run (`RUN` with `untilStep`) also every 1/EVALS_PER_RUN of
 * its steps, so even a run of a few seconds draws an accuracy curve. `ANALYSE` with
 * `readout: true` adds Turcu & Abbott's readout picture (`readoutTraces`). `RUN` with
 * `longRun` settings trains until the mean per-task score reaches a target
 * (`long-run-driver.js`; evaluations only at its own steps) and posts LONG_RUN per point;
 * the autosave (MODEL) carries its record, and INIT restores it with the model. With
 * data-parallel helpers a mixture's long-run evaluation is split too: each helper scores
 * a range of the tasks (`scoreTasks`), this worker the first range, and it records the
 * merged scores (the same point, bit for bit, as evaluating alone; the evaluation at the
 * start of a RUN stays on this worker alone). A helper failing there drops the helpers and
 * the evaluation is done here.
 */
import { errorText } from './errors.js';
import { loadWasm } from './wasm.js';
import { FROM_TRAINER, HEARTBEAT_MS, TO_TRAINER } from './protocol.js';
import { emit, serveRpc, withTransfer } from './rpc.js';
import { Peer, shardRanges, shardedStep } from './data-parallel.js';
import { LongRunDriver } from './long-run-driver.js';

/** Milliseconds of training between checks for messages. */
const SLICE_MS = 40;
/** Milliseconds between progress reports (evaluation + snapshot). */
const REPORT_MS = 300;
/** Trials per evaluation. */
const EVAL_TRIALS = 64;
/** Evaluations per bounded run (`RUN` with `untilStep`), so the accuracy plot is a curve. */
const EVALS_PER_RUN = 40;

const ready = loadWasm();
ready.catch(() => {}); // reported to the client by the first call
/** @type {import('./pkg/sparse_rnn_lab.js').Simulator | null} */
let sim = null;
let running = false;
/** Set after a wasm trap: the instance is unusable, every later message is refused. */
let dead = false;
/** Test hook (DEBUG_TRAP `next-init`): the next INIT traps. */
let trapNextInit = false;
/** @type {number | null} step at which to stop by itself */
let untilStep = null;
let lastReport = 0;
let stepsAtReport = 0;
let timeAtReport = 0;
/** @type {{step: number, loss: number, gradNorm: number} | null} */
let lastStep = null;
/** @type {number | null} evaluate every this many steps during a bounded run */
let evalEvery = null;
/** Step of the latest evaluation (not repeated by a report at the same step). */
let evaluatedAt = -1;
/** @type {any} latest evaluation */
let lastEvaluation = null;
/**
 * Data-parallel helpers (`dp-worker.js`, nested workers) when INIT asked for `workers` > 1
 * and the run has `train.shards` > 1: this worker's Simulator is the owner and computes
 * the first range of shards (see `data-parallel.js`). Only for a fresh network (no
 * restored model); a failed helper drops every helper and training goes on alone
 * (the owner holds the whole state, so the weights are unchanged).
 * @type {Peer[]}
 */
let helpers = [];
/** @type {[number, number][]} shard ranges, owner first */
let ranges = [];
/** @type {Promise<unknown>} */
let helpersReady = Promise.resolve();
/** Whether a data-parallel slice (async) is in flight. */
let sliceInFlight = false;
/** The long run ("train until"), when RUN asked for one. */
const longRun = new LongRunDriver();

/** After a training step: evaluate when the long run is due; true when it stopped. */
function longRunCheck() {
  if (!sim || !longRun.due(sim.stepsDone())) return false;
  return longRunReport(longRun.evaluate(sim));
}

/**
 * Post a long-run evaluation's LONG_RUN event and stop the run when it finished; true
 * when it stopped. @param {any} message the fields of `LongRunDriver.evaluate*`
 */
function longRunReport(message) {
  emit(FROM_TRAINER.LONG_RUN, message);
  if (!message.finished) return false;
  finishLongRun(message.finished);
  return true;
}

/**
 * `longRunCheck` for the data-parallel slice: the due evaluation split over the helpers
 * (`LongRunDriver.evaluateSplit`) when the task is a mixture, else (or when a helper
 * failed, which drops the helpers) on this worker alone. True when training must stop
 * here: the run finished, or the network or the helpers were replaced meanwhile.
 */
async function longRunCheckSplit() {
  if (!sim || !longRun.due(sim.stepsDone())) return false;
  if (!longRun.canSplit(helpers)) return longRunCheck();
  const owner = sim;
  const pool = helpers;
  let message;
  try {
    message = await longRun.evaluateSplit(owner, pool, () => sim === owner && helpers === pool);
  } catch (error) {
    if (sim !== owner || helpers !== pool) return true;
    if (error instanceof WebAssembly.RuntimeError) throw error; // this worker's instance trapped
    stopHelpers(); // a helper failed: go on alone, as training does (an error of ours recurs there)
    return longRunCheck();
  }
  if (!message) return true;
  return longRunReport(message);
}

/** Stop training at the end of a long run (`reason`: criterion, step-cap). @param {string} reason */
function finishLongRun(reason) {
  if (!sim) return;
  longRun.pause();
  running = false;
  untilStep = null;
  evalEvery = null;
  report();
  emit(FROM_TRAINER.DONE, { step: sim.stepsDone(), reason });
}

function stopHelpers() {
  for (const helper of helpers) helper.terminate();
  helpers = [];
}

/** Start `workers` − 1 helpers on `config` (clamped to 1 ..= min(train.shards, 8)). */
function startHelpers(config, workers) {
  stopHelpers();
  if (!sim || typeof sim.shardCount !== 'function' || sim.stepsDone() !== 0) return;
  const shards = sim.shardCount();
  const count = Math.max(1, Math.min(Math.floor(Number(workers)) || 1, shards, 8));
  if (count <= 1) return;
  helpers = Array.from({ length: count - 1 }, () => new Peer());
  ranges = shardRanges(shards, count);
  helpersReady = Promise.all(helpers.map((helper) => helper.call('init', { config })));
  helpersReady.catch(() => stopHelpers());
}

/** Workers computing gradients (this one and its helpers). */
function workerCount() {
  return helpers.length + 1;
}

/** One data-parallel step (`shardedStep`: the owner's shards here, the helpers' in parallel). */
async function parallelStep() {
  const owner = /** @type {any} */ (sim);
  const local = {
    grads: (/** @type {number} */ step, /** @type {number} */ first, /** @type {number} */ count) => owner.shardGradients(step, first, count),
    apply: (/** @type {Float32Array} */ flat) => ({ stats: owner.applyShardGradients(flat), params: owner.parameters() }),
  };
  const stats = await shardedStep(local, helpers, ranges, owner.stepsDone() + 1);
  return sim === owner ? stats : null;
}

/** A slice of data-parallel training (SLICE_MS), then the same bookkeeping as `loop`. */
async function parallelSlice() {
  const owner = sim;
  const start = performance.now();
  try {
    await helpersReady.catch(() => {});
    while (helpers.length > 0 && running && sim === owner && performance.now() - start < SLICE_MS) {
      if (untilStep !== null && owner && owner.stepsDone() >= untilStep) break;
      let stats;
      try {
        stats = await parallelStep();
      } catch (error) {
        // a helper failed (or a non-finite gradient, which training alone reports too)
        stopHelpers();
        break;
      }
      if (!stats || sim !== owner) return;
      lastStep = stats;
      if (evalEvery !== null && owner && owner.stepsDone() % evalEvery === 0) evaluateNow();
      if (await longRunCheckSplit()) return;
    }
  } finally {
    sliceInFlight = false;
  }
  if (sim === owner) loop(false);
}

/** Evaluate (recorded in the accuracy history) unless already done at this step. */
function evaluateNow() {
  if (!sim) return null;
  const step = sim.stepsDone();
  if (step !== evaluatedAt || !lastEvaluation) {
    lastEvaluation = sim.evaluate(EVAL_TRIALS);
    evaluatedAt = step;
  }
  return lastEvaluation;
}

/** Training failed (outside any call): an ERROR event, `fatal` for a trap. @param {unknown} error @param {string} context */
function fail(error, context) {
  running = false;
  const fatal = error instanceof WebAssembly.RuntimeError;
  if (fatal) dead = true;
  emit(FROM_TRAINER.ERROR, { error: errorText(error), context, fatal });
}

/** Bytes of the wasm memory (0 before the module is loaded; the soak test samples it). */
let wasmBytes = () => 0;
ready.then((wasm) => { if (typeof wasm.wasmMemoryBytes === 'function') wasmBytes = () => wasm.wasmMemoryBytes(); }, () => {});
setInterval(() => emit(FROM_TRAINER.HEARTBEAT, { step: sim && !dead ? sim.stepsDone() : 0, wasmBytes: wasmBytes() }), HEARTBEAT_MS);

function report() {
  if (!sim) return;
  const now = performance.now();
  const steps = sim.stepsDone();
  const stepsPerSec = now > timeAtReport ? ((steps - stepsAtReport) * 1000) / (now - timeAtReport) : 0;
  const evaluation = longRun.active ? longRun.lastPoint : evaluateNow();
  emit(FROM_TRAINER.PROGRESS, {
    step: steps,
    loss: lastStep ? lastStep.loss : null,
    gradNorm: lastStep ? lastStep.gradNorm : null,
    stepsPerSec,
    workers: workerCount(),
    evaluation,
    snapshot: sim.snapshot(),
  });
  lastReport = now;
  stepsAtReport = steps;
  timeAtReport = now;
}

/** @param {boolean} [train] false: only the end-of-slice bookkeeping (after a parallel slice) */
function loop(train = true) {
  if (!running || !sim || dead) return;
  if (train && helpers.length > 0) {
    if (sliceInFlight) return;
    sliceInFlight = true;
    parallelSlice().catch((error) => fail(error, 'training'));
    return;
  }
  const start = performance.now();
  try {
    let chunk = 1;
    while (train && performance.now() - start < SLICE_MS) {
      if (untilStep !== null) chunk = Math.min(chunk, untilStep - sim.stepsDone());
      if (evalEvery !== null) chunk = Math.min(chunk, evalEvery - (sim.stepsDone() % evalEvery));
      if (longRun.active) chunk = Math.min(chunk, longRun.stepsToNext(sim.stepsDone()));
      if (chunk <= 0) break;
      const t0 = performance.now();
      lastStep = sim.trainSteps(chunk);
      const perStep = (performance.now() - t0) / chunk;
      if (evalEvery !== null && sim.stepsDone() % evalEvery === 0) evaluateNow();
      if (longRunCheck()) return;
      chunk = Math.max(1, Math.min(64, Math.floor((SLICE_MS / 4) / Math.max(perStep, 0.01))));
    }
    if (untilStep !== null && sim.stepsDone() >= untilStep) {
      longRun.pause();
      running = false;
      untilStep = null;
      evalEvery = null;
      report();
      emit(FROM_TRAINER.DONE, { step: sim.stepsDone() });
      return;
    }
    if (performance.now() - lastReport > REPORT_MS) report();
  } catch (error) {
    fail(error, 'training');
    return;
  }
  setTimeout(loop, 0);
}

/**
 * INIT: build the Simulator (restoring a model and its long-run record); the reply is
 * READY's fields.
 * @param {import('./pkg/sparse_rnn_lab.js')} wasm @param {import('./protocol.js').TrainerRequest} message
 */
function init(wasm, message) {
  if (trapNextInit) throw new WebAssembly.RuntimeError('unreachable (debug-trap test hook, while building)');
  running = false;
  untilStep = null;
  longRun.pause();
  longRun.settings = null;
  longRun.lastPoint = null;
  stopHelpers();
  if (sim) sim.free();
  sim = null;
  lastStep = null;
  evalEvery = null;
  evaluatedAt = -1;
  lastEvaluation = null;
  sim = new wasm.Simulator(message.config);
  let restored = null;
  if (message.model) {
    try {
      restored = sim.loadModel(message.model);
    } catch (error) {
      restored = { error: errorText(error) };
    }
  }
  if (!message.model) startHelpers(message.config, message.workers);
  /** @type {any} the restored long run: {state, running, chart, estimate} or {error} */
  let restoredRun = null;
  if (restored && !restored.error && message.history && message.history.record != null) {
    try {
      const state = sim.longRunRestore(message.history.record);
      restoredRun = { state, running: Boolean(message.history.running), chart: sim.longRunChart(), estimate: sim.longRunEstimate() };
    } catch (error) {
      restoredRun = { error: errorText(error) };
    }
  }
  stepsAtReport = sim.stepsDone();
  timeAtReport = performance.now();
  return { info: sim.info(), snapshot: sim.snapshot(), restored, longRun: restoredRun };
}

/** RUN: start training (bounded, open-ended or a long run); the progress streams as events. @param {import('./protocol.js').TrainerRequest} message */
function run(message) {
  if (running || !sim) return;
  if (message.longRun) {
    const first = longRun.start(sim, message.longRun);
    emit(FROM_TRAINER.LONG_RUN, first);
    if (first.finished === 'criterion') {
      finishLongRun(first.finished);
      return;
    }
    untilStep = longRun.settings ? longRun.settings.max_steps : null;
    evalEvery = null;
  } else {
    untilStep = typeof message.untilStep === 'number' ? message.untilStep : null;
    // a bounded run evaluates every 1/EVALS_PER_RUN of its steps (and at its start)
    evalEvery = untilStep !== null ? Math.max(1, Math.round((untilStep - sim.stepsDone()) / EVALS_PER_RUN)) : null;
    if (evalEvery !== null) evaluateNow();
  }
  running = true;
  timeAtReport = performance.now();
  stepsAtReport = sim.stepsDone();
  lastReport = timeAtReport;
  loop();
}

/**
 * A call's handler: waits for the wasm, refuses when a trap made the instance unusable,
 * and (unless `needsNetwork` is false) answers null before INIT built a network.
 * @param {(wasm: any, sim: any, request: any) => any} answer @param {boolean} [needsNetwork]
 */
function serve(answer, needsNetwork = true) {
  return async (/** @type {any} */ request) => {
    const wasm = await ready;
    if (dead) throw new WebAssembly.RuntimeError('the wasm instance trapped earlier and is unusable');
    if (needsNetwork && !sim) return null;
    return answer(wasm, sim, request);
  };
}

serveRpc({
  [TO_TRAINER.INIT]: serve((wasm, _, request) => init(wasm, request), false),
  [TO_TRAINER.RUN]: serve((_, __, request) => { run(request); return null; }),
  [TO_TRAINER.PAUSE]: serve(() => {
    if (running) report();
    longRun.pause();
    running = false;
    untilStep = null;
    evalEvery = null;
    return null;
  }),
  [TO_TRAINER.ANALYSE]: serve((_, sim, request) => ({
    analysis: sim.analysis(),
    readout: request.readout && typeof sim.readoutTraces === 'function' ? sim.readoutTraces() : undefined,
    // a reservoir's own pictures (closed-loop generation, memory capacity); undefined otherwise
    reservoir: typeof sim.reservoirCharts === 'function' ? sim.reservoirCharts() : undefined,
  })),
  [TO_TRAINER.SAVE]: serve((_, sim) => ({ text: sim.saveModel(), history: longRun.saved(sim), step: sim.stepsDone() })),
  [TO_TRAINER.TASK_VARIANCE]: serve((_, sim, request) => ({ record: sim.taskVariance(Number(request.trials) || 64) })),
  [TO_TRAINER.LOAD]: serve((_, sim, request) => {
    const wasRunning = running;
    running = false;
    stopHelpers(); // the loaded model's weights and batch stream are the owner's alone
    const result = sim.loadModel(String(request.text));
    lastStep = null;
    return { result, info: sim.info(), snapshot: sim.snapshot(), wasRunning };
  }),
  [TO_TRAINER.NPY]: serve((_, sim, request) => {
    const bytes = sim.exportNpy(String(request.what));
    return withTransfer({ what: request.what, bytes }, [bytes.buffer]);
  }),
  [TO_TRAINER.FOOTPRINT]: serve((_, sim, request) => ({ neuron: request.neuron, partners: sim.presynaptic(Number(request.neuron)) })),
  [TO_TRAINER.DEBUG_TRAP]: serve((_, __, request) => {
    if (request.when === 'next-init') trapNextInit = true;
    // an uncaught trap, as Rust's abort would raise it outside any handler
    else setTimeout(() => { throw new WebAssembly.RuntimeError('unreachable (debug-trap test hook)'); }, 0);
    return null;
  }, false),
  [TO_TRAINER.DEBUG_HANG]: serve((_, __, request) => {
    const until = performance.now() + Number(request.ms);
    while (performance.now() < until) { /* hung, as an endless wasm call would be */ }
    return null;
  }, false),
});
