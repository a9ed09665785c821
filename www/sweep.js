// @ts-check
/**
 * The sweep panel: a list of independent points (`sweepPoints` / `runSweepPoint` of the
 * wasm module) run by a pool of up to 4 Web Workers (`navigator.hardwareConcurrency`),
 * with a progress bar, a Cancel button that terminates the workers, and a chart redrawn
 * (by Rust, `drawChart`) as results arrive.
 */
import { drawChart, sweepPoints } from './pkg/sparse_rnn_lab.js';

/** Largest pool. */
const MAX_WORKERS = 4;

/**
 * @typedef {{title: string, points: () => object[],
 *            chart: (results: any[]) => object}} SweepKind
 */

/** @param {number} lo @param {number} hi */
function range(lo, hi) {
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}

/** Group `results` by `key(result)` into chart series made by `point(result)`. */
function grouped(results, key, point, options = { markers: true, line: true }) {
  /** @type {Map<string, [number, number][]>} */
  const groups = new Map();
  for (const r of results) {
    const k = key(r);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)?.push(point(r));
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true }))
    .map(([label, points]) => ({ label, points: points.sort((a, b) => a[0] - b[0]), ...options }));
}

/** A run description of the learning-rule comparison, for `rule`. @param {object} rule */
function ruleRun(rule) {
  return {
    network: { n_neurons: 100, k: 10, connectivity: 'fixed-in-degree', activation: 'rectified-tanh',
      input_map: 'identity', readout: 'trained', dt_ms: 10, tau_ms: 100, seed: 1 },
    train: { learning_rate: 0.01, batch_size: 32, seed: 1 },
    task: { id: 'turcu-classification', n_patterns: 200 },
    rule,
  };
}

/** @type {Record<string, SweepKind>} */
export const SWEEPS = {
  capacity: {
    title: 'Turcu & Abbott capacity: accuracy vs P for several K (N = 100)',
    points: () => sweepPoints({ experiment: 'capacity', ns: [100], ks: [5, 10, 20], ps: [10, 20, 40, 80, 160], steps: 150, seed: 1 }),
    chart: (results) => ({
      title: 'Capacity: accuracy vs number of patterns', x_label: 'patterns P', y_label: 'accuracy',
      y_range: [0, 1.02],
      series: grouped(results, (r) => `K = ${r.k}`, (r) => [r.p, r.accuracy]),
    }),
  },
  percolation: {
    title: 'Turcu & Abbott percolation: min K for a strongly connected graph vs ln N',
    points: () => sweepPoints({ experiment: 'percolation', ns: [100, 200, 400, 800, 1600, 3200], ks: range(1, 16), trials: 10 }),
    chart: (results) => {
      /** @type {Map<number, Map<number, number[]>>} */
      const byN = new Map();
      for (const r of results) {
        if (!byN.has(r.n)) byN.set(r.n, new Map());
        const byK = byN.get(r.n);
        if (!byK.has(r.k)) byK.set(r.k, []);
        byK.get(r.k).push(r.fraction_in_scc >= 1 ? 1 : 0);
      }
      /** @type {[number, number][]} */
      const points = [];
      for (const [n, byK] of byN) {
        const ks = [...byK.keys()].sort((a, b) => a - b);
        const k = ks.find((kk) => {
          const v = byK.get(kk) ?? [];
          return v.length > 0 && v.reduce((s, x) => s + x, 0) / v.length >= 0.5;
        });
        if (k !== undefined) points.push([Math.log(n), k]);
      }
      points.sort((a, b) => a[0] - b[0]);
      return {
        title: 'Min K with a fully strongly connected graph (>= half of 10 draws)',
        x_label: 'ln N', y_label: 'min K', series: [{ label: 'min K', points, markers: true, line: true }],
      };
    },
  },
  sparsity: {
    title: 'Khona et al. sparsity: local vs random vs dense vs autapse on yang-go (N = 64)',
    points: () => sweepPoints({ experiment: 'sparsity', task: 'yang-go', n: 64, radii: [1.5], steps: 150, eval_every: 15, criterion: 0.8, seeds: [1] }),
    chart: (results) => ({
      title: 'Performance during training (legend: density, steps to 0.8)', x_label: 'step', y_label: 'performance',
      y_range: [0, 1.02],
      series: results
        .slice()
        .sort((a, b) => a.mask.localeCompare(b.mask))
        .map((r) => ({
          label: `${r.mask} (d = ${r.density.toFixed(2)}, ${r.steps_to_criterion ?? '>' + r.curve.at(-1)[0]} steps)`,
          points: r.curve, markers: true, line: true,
        })),
    }),
  },
  rules: {
    title: 'Learning rules on 200 patterns (N = 100, K = 10): BPTT, FA, DFA, FPA predictive coding',
    points: () => [
      ['BPTT', { rule: 'bptt' }],
      ['FA', { rule: 'feedback-alignment' }],
      ['DFA', { rule: 'direct-feedback-alignment' }],
      ['PC (FPA)', { rule: 'predictive-coding', iterations: 20 }],
    ].map(([label, rule]) => ({ experiment: 'run', label, config: ruleRun(rule), steps: 300, eval_every: 20 })),
    chart: (results) => ({
      title: 'Accuracy during training, per learning rule', x_label: 'step', y_label: 'accuracy',
      y_range: [0, 1.02],
      series: results
        .slice()
        .sort((a, b) => a.label.localeCompare(b.label))
        .map((r) => ({ label: r.label, points: r.curve, markers: false, line: true })),
    }),
  },
};

/**
 * Run sweeps in a worker pool.
 * @param {{canvasId: string, progress: HTMLProgressElement, status: HTMLElement,
 *          onDone?: (results: any[]) => void}} ui
 */
export function createSweepRunner(ui) {
  /** @type {Worker[]} */
  let workers = [];
  let generation = 0;
  /** @type {any[]} */
  let results = [];

  function stop() {
    for (const w of workers) w.terminate();
    workers = [];
    generation++;
  }

  /** @param {string} text @param {'info' | 'error'} kind */
  function say(text, kind = 'info') {
    ui.status.textContent = text;
    ui.status.className = kind;
  }

  /** Start sweep `name` (a key of SWEEPS); a running sweep is cancelled first. @param {string} name */
  function start(name) {
    stop();
    const kind = SWEEPS[name];
    if (!kind) throw new Error(`unknown sweep "${name}"`);
    const points = kind.points();
    const mine = generation;
    results = [];
    let next = 0;
    let finished = 0;
    const total = points.length;
    ui.progress.max = total;
    ui.progress.value = 0;
    const started = performance.now();
    const redraw = () => {
      try {
        drawChart(ui.canvasId, kind.chart(results));
      } catch (error) {
        say(`Error: ${error instanceof Error ? error.message : error}`, 'error');
      }
    };
    redraw();
    say(`${kind.title}: 0 / ${total} points`);
    const count = Math.max(1, Math.min(navigator.hardwareConcurrency || 2, MAX_WORKERS, total));
    /** @param {Worker} worker */
    const feed = (worker) => {
      if (next < total) {
        worker.postMessage({ id: next, point: points[next] });
        next++;
      }
    };
    for (let i = 0; i < count; i++) {
      const worker = new Worker(new URL('./sweep-worker.js', import.meta.url), { type: 'module' });
      worker.onmessage = (event) => {
        if (mine !== generation) return;
        const { result, error } = event.data;
        finished++;
        ui.progress.value = finished;
        if (error) {
          stop();
          say(`Error in sweep point: ${error}`, 'error');
          return;
        }
        results.push(result);
        redraw();
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        say(`${kind.title}: ${finished} / ${total} points (${count} workers, ${seconds} s)`);
        if (finished === total) {
          stop();
          say(`${kind.title}: done, ${total} points in ${seconds} s`);
          ui.status.dataset.done = name;
          ui.onDone?.(results);
        } else {
          feed(worker);
        }
      };
      worker.onerror = (event) => {
        event.preventDefault();
        if (mine !== generation) return;
        stop();
        say(`Error: a sweep worker failed (${event.message || 'could not load'})`, 'error');
      };
      workers.push(worker);
      feed(worker);
    }
  }

  function cancel() {
    if (workers.length === 0) return;
    stop();
    say(`cancelled after ${results.length} points`);
  }

  return { start, cancel, running: () => workers.length > 0 };
}
