// Data-parallel training over Web Workers (www/data-parallel.js) in headless Chromium:
// 1, 2 and 4 workers on a run with train.shards = 4 give bit-identical parameters after a
// few steps (on every worker), equal to one Simulator's trainSteps; the weights move; the
// worker count is clamped to the shard count; a bad shard count is refused naming the field;
// the page's training worker (worker.js via TrainerClient) gives the same model file with
// 1 and 2 workers, and a short Yang long run the same curve points (2 workers split each
// evaluation's tasks between them: `scoreTasks`); the page's Shards and Workers settings
// reach the status line.
// Needs www/pkg (bash scripts/build-web.sh). Prints `data-parallel: P passed, F failed`.
//   node tests/smoke/data-parallel.mjs [--root DIR | --base URL]
import { parseArgs } from 'node:util';
import { check, launch, runChecks, siteUnderTest, watch } from './browser.mjs';

const { values: args } = parseArgs({ options: { root: { type: 'string' }, base: { type: 'string' } } });
const STEPS = 4;
/** A small sparse run with recurrent noise (each shard draws its own noise stream). */
const CONFIG = {
  network: { n_neurons: 48, connectivity: 'random-density', density: 0.2, activation: 'relu',
    tau_ms: 100, rec_noise_std: 0.05, init: 'orthogonal', gain: 1.0, seed: 3 },
  train: { learning_rate: 0.01, batch_size: 8, seed: 5, shards: 4 },
  task: { id: 'yang-go' },
};

const { server, base } = await siteUnderTest(args);
const browser = await launch();
const page = await browser.newPage();
const problems = watch(page);
await page.goto(`${base}www/bench.html`);

/**
 * In the page: train `steps` steps with `workers` workers; every worker's parameters
 * (as plain arrays), the worker count used and the last stats.
 */
function trainIn(config, workers, steps) {
  return page.evaluate(async ([c, w, n]) => {
    const { DataParallelTrainer } = await import('/www/data-parallel.js');
    const trainer = await DataParallelTrainer.start(c, w);
    try {
      let stats = null;
      for (let i = 0; i < n; i++) stats = await trainer.step();
      const all = await trainer.allParameters();
      return { workers: trainer.workers, stats, params: all.map((p) => Array.from(p)) };
    } finally {
      trainer.terminate();
    }
  }, [config, workers, steps]);
}

/**
 * In the page: the training worker (`worker.js` through `TrainerClient`) with `workers`
 * workers trains until DONE — `run.steps` steps, or a long run with `run.longRun` settings;
 * the model file's text, the most workers reported and every LONG_RUN point
 * `{step, mean, finished, scores, ci95, evalWorkers}`.
 * @param {any} config @param {number} workers @param {{steps?: number, longRun?: any}} run
 */
function trainViaClient(config, workers, run) {
  return page.evaluate(async ([c, w, r]) => {
    const { TrainerClient } = await import('/www/trainer-client.js');
    const { FROM_TRAINER } = await import('/www/protocol.js');
    /** @type {any[]} */
    const points = [];
    let seen = 0;
    /** @type {(v?: unknown) => void} */
    let finished = () => {};
    const done = new Promise((resolve) => { finished = resolve; });
    const client = new TrainerClient({
      workers: w,
      onMessage: (m) => {
        if (m.type === FROM_TRAINER.READY) {
          if (r.longRun) client.runLongRun(r.longRun);
          else client.run(r.steps);
        }
        if (m.type === FROM_TRAINER.PROGRESS) seen = Math.max(seen, m.workers ?? 0);
        if (m.type === FROM_TRAINER.LONG_RUN) {
          const p = m.point;
          points.push({ step: p.step, mean: p.mean, finished: p.finished ?? null, evalWorkers: m.evalWorkers,
            scores: p.perTask.map((/** @type {any} */ t) => t.score), ci95: p.perTask.map((/** @type {any} */ t) => t.ci95) });
        }
        if (m.type === FROM_TRAINER.DONE) finished();
        if (m.type === FROM_TRAINER.ERROR) finished(m.message);
      },
    });
    client.start(c);
    const error = await done;
    const text = await client.saveModel();
    client.terminate();
    return { error, points, workers: seen, text };
  }, [config, workers, run]);
}

/** A small Yang network (20 tasks) with 4 shards, for the long run with 1 and 2 workers. */
const YANG = {
  network: { n_neurons: 16, connectivity: 'random-density', density: 0.25, activation: 'relu',
    init: 'orthogonal', rec_noise_std: 0.05, seed: 4 },
  train: { learning_rate: 0.02, batch_size: 16, seed: 4, shards: 4 },
  task: { id: 'yang-mixture' },
};

/** Index of the first difference of two arrays (bitwise via Float32), or -1. */
function firstDifference(a, b) {
  if (a.length !== b.length) return 0;
  const x = new Uint32Array(new Float32Array(a).buffer);
  const y = new Uint32Array(new Float32Array(b).buffer);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}

/** @type {Record<number, any>} */
const runs = {};
const failed = await runChecks('data-parallel', [
  [`1, 2 and 4 workers give bit-identical parameters after ${STEPS} steps`, async () => {
    for (const workers of [1, 2, 4]) runs[workers] = await trainIn(CONFIG, workers, STEPS);
    for (const workers of [1, 2, 4]) {
      const run = runs[workers];
      check(run.workers === workers, `asked for ${workers} workers, got ${run.workers}`);
      check(run.stats.step === STEPS, `last step ${run.stats.step}, expected ${STEPS}`);
      run.params.forEach((params, w) => {
        const at = firstDifference(params, runs[1].params[0]);
        check(at === -1, `${workers} workers: worker ${w}'s parameter ${at} is ${params[at]}, 1 worker: ${runs[1].params[0][at]}`);
      });
      check(run.stats.loss === runs[1].stats.loss, `${workers} workers: loss ${run.stats.loss} vs ${runs[1].stats.loss}`);
    }
  }],
  ['the protocol equals one Simulator\'s trainSteps, and the weights moved', async () => {
    const alone = await page.evaluate(async ([c, n]) => {
      const { trainAlone } = await import('/www/data-parallel.js');
      const fresh = await trainAlone(c, 1);
      const trained = await trainAlone(c, n);
      return { fresh: Array.from(fresh.params), params: Array.from(trained.params) };
    }, [CONFIG, STEPS]);
    const at = firstDifference(alone.params, runs[1].params[0]);
    check(at === -1, `trainSteps parameter ${at} is ${alone.params[at]}, protocol: ${runs[1].params[0][at]}`);
    check(firstDifference(alone.fresh, alone.params) !== -1, 'the weights did not change between step 1 and step 4');
  }],
  ['the page\'s training worker trains alike with 1 and 2 workers (worker.js)', async () => {
    const one = await trainViaClient(CONFIG, 1, { steps: 12 });
    const two = await trainViaClient(CONFIG, 2, { steps: 12 });
    const plain = await trainViaClient({ ...CONFIG, train: { ...CONFIG.train, shards: 1 } }, 2, { steps: 12 });
    check(!one.error && !two.error && !plain.error, `errors: ${one.error} / ${two.error} / ${plain.error}`);
    check(one.workers === 1 && two.workers === 2, `workers reported ${one.workers} and ${two.workers}`);
    check(plain.workers === 1, `shards 1 with 2 workers asked reported ${plain.workers} workers`);
    check(one.text === two.text, 'the model files after 12 steps differ between 1 and 2 workers');
  }],
  ['a short Yang long run gives the same curve points with 1 and 2 workers (the tasks split over 2)', async () => {
    const settings = { target: 0.99, max_steps: 40, per_task_trials: 24, eval_every: 10 };
    const one = await trainViaClient(YANG, 1, { longRun: settings });
    const two = await trainViaClient(YANG, 2, { longRun: settings });
    check(!one.error && !two.error, `errors: ${one.error} / ${two.error}`);
    check(one.workers === 1 && two.workers === 2, `workers reported ${one.workers} and ${two.workers}`);
    const steps = (/** @type {any} */ run) => run.points.map((/** @type {any} */ p) => p.step).join(',');
    check(steps(one) === '0,10,20,30,40' && steps(two) === steps(one), `steps: ${steps(one)} / ${steps(two)}`);
    // after the first (at RUN, on the coordinator alone) every evaluation of 2 workers was split
    const split = two.points.slice(1).map((/** @type {any} */ p) => p.evalWorkers);
    check(split.length > 0 && split.every((n) => n === 2), `2 workers: evaluations scored by ${split}`);
    check(one.points.every((/** @type {any} */ p) => p.evalWorkers === 1), '1 worker: every evaluation alone');
    const strip = (/** @type {any} */ run) => JSON.stringify(run.points.map(({ evalWorkers, ...p }) => p));
    check(strip(one) === strip(two), `curve points differ:\n1: ${strip(one)}\n2: ${strip(two)}`);
    const scores = one.points.flatMap((/** @type {any} */ p) => p.scores);
    check(new Set(scores).size > 5, `the scores vary between tasks and steps: ${scores.slice(0, 20)}`);
    check(one.text === two.text, 'the model files after the long run differ between 1 and 2 workers');
  }],
  ['the page trains with the Workers setting when Shards > 1, and alone when Shards = 1', async () => {
    const trainUntil = async (hash, workers) => {
      await page.goto(`${base}index.html?view=playground#${hash}`);
      await page.waitForFunction(() => !document.getElementById('train')?.hasAttribute('disabled'), null, { timeout: 60_000 });
      // Workers sits in the "More settings" disclosure of the playground
      await page.$eval('#workers', (element) => {
        const details = element.closest('details');
        if (details) details.open = true;
      });
      await page.fill('#workers', String(workers));
      await page.dispatchEvent('#workers', 'change');
      await page.waitForFunction(() => !document.getElementById('train')?.hasAttribute('disabled'), null, { timeout: 60_000 });
      await page.click('#train');
      await page.waitForFunction(() => /worker/.test(document.getElementById('status')?.textContent ?? ''), null, { timeout: 60_000, polling: 250 });
      await page.click('#pause');
      return (await page.textContent('#status')) ?? '';
    };
    const yang = 'task=yang-go&n=48&k=10&connectivity=random-density&batch=16';
    const two = await trainUntil(`${yang}&shards=4`, 2);
    check(two.includes('(2 workers)'), `shards 4, workers 2: ${two}`);
    const one = await trainUntil(`${yang}&shards=1`, 2);
    check(one.includes('(1 worker)'), `shards 1, workers 2: ${one}`);
    await page.goto(`${base}www/bench.html`);
  }],
  ['workers are clamped to train.shards (1 shard: 1 worker)', async () => {
    const one = await trainIn({ ...CONFIG, train: { ...CONFIG.train, shards: 1 } }, 4, 1);
    check(one.workers === 1, `shards 1 with 4 workers asked: ${one.workers} workers`);
    const two = await trainIn({ ...CONFIG, train: { ...CONFIG.train, shards: 2 } }, 8, 1);
    check(two.workers === 2, `shards 2 with 8 workers asked: ${two.workers} workers`);
  }],
  ['a shard count above the batch size is refused, naming the field', async () => {
    const message = await page.evaluate(async (c) => {
      const { DataParallelTrainer } = await import('/www/data-parallel.js');
      const { errorText } = await import('/www/errors.js');
      try {
        (await DataParallelTrainer.start(c, 2)).terminate();
        return null;
      } catch (error) {
        return errorText(error);
      }
    }, { ...CONFIG, train: { ...CONFIG.train, shards: 9 } });
    check(message !== null && /shards/.test(message), `shards 9 > batch 8 gave ${message}`);
  }],
], problems);

await browser.close();
server?.close();
process.exit(failed ? 1 : 0);
