// @ts-check
/**
 * The sweep panel: a list of independent points (`sweepPoints` / `runSweepPoint` of the
 * wasm module) run by a pool of up to 4 Web Workers (`pool.js`,
 * `navigator.hardwareConcurrency`), with a progress bar, a Cancel button that terminates
 * the workers, and a chart redrawn (by Rust, `drawChart`) as results arrive. A point
 * whose worker dies is rerun once by the pool; a point that fails (twice lost, or
 * rejected by the wasm) is counted as failed and the sweep goes on.
 */
import { errorText } from './errors.js';
import { loadWasm } from './wasm.js';
import { WorkerPool } from './pool.js';
import { POOL_JOB } from './protocol.js';

/** @typedef {import('./wasm.js').WasmModule} WasmModule */

/** Largest pool. */
const MAX_WORKERS = 4;
/**
 * A page sweep as Rust defines it (`pageSweep(id)`, `lab::page_sweeps`): its title and
 * either the request `sweepPoints` expands or the points themselves.
 * @typedef {{id: string, title: string, request?: any, points?: object[], criterion?: number,
 *            native?: string}} SweepSpec
 * `native`: the path of a native result's figure (`{title, caption, charts}`, written by
 * Rust: `khona_study chart`) that the panel draws beside the sweep, e.g. the LM-RNN study
 * at a size the page does not train.
 */

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

/**
 * Legend of one sparsity point: mask, density, steps to criterion (`>max` when not
 * reached) and the mean scores, each task scored on its own trials, of the mixture's plain
 * tasks (`base`: neither sequence nor integration), its sequence (`seq`) and its
 * integration (`int`) tasks (a task with both counts as `seq`); `–` where the mixture has
 * none. @param {any} r
 */
export function sparsityLabel(r) {
  const tasks = /** @type {{task: string, score: number}[]} */ (r.per_task ?? []);
  const family = (/** @type {string} */ task) => (task.includes('seq') ? 'seq' : task.includes('int') ? 'int' : 'base');
  const score = (/** @type {string} */ kind) => {
    const found = tasks.filter((t) => family(t.task) === kind);
    return found.length ? (found.reduce((a, t) => a + t.score, 0) / found.length).toFixed(2) : '–';
  };
  const steps = r.steps_to_criterion ?? `>${r.steps_trained}`;
  return `${r.mask} (d = ${r.density.toFixed(2)}, ${steps} steps; base ${score('base')}, seq ${score('seq')}, int ${score('int')})`;
}

/**
 * How each page sweep's results are drawn; what it runs is Rust's (`pageSweep(id)`).
 * @type {Record<string, (results: any[], wasm: WasmModule, spec: SweepSpec) => any>}
 */
export const SWEEP_CHARTS = {
  capacity: (results) => ({
      title: 'Capacity: accuracy vs number of patterns', x_label: 'patterns P', y_label: 'accuracy',
      y_range: [0, 1.02],
    series: grouped(results, (r) => `K = ${r.k}`, (r) => [r.p, r.accuracy]),
  }),
  percolation: (results, wasm, spec) => {
    /** @type {{n: number, ln_n: number, min_k: number | null}[]} */
    const rows = wasm.percolationSummary(results, spec.criterion);
    /** @type {[number, number][]} */
    const points = rows.filter((r) => r.min_k !== null).map((r) => [r.ln_n, Number(r.min_k)]);
    return {
      title: `Min K with a fully strongly connected graph (>= ${spec.criterion} of ${spec.request.trials} draws)`,
      x_label: 'ln N', y_label: 'min K', series: [{ label: 'min K', points, markers: true, line: true }],
    };
  },
  sparsity: (results, _wasm, spec) => ({
    title: `Mixture performance during training (legend: density, steps to ${spec.request.criterion}; base, seq, int scores)`,
    x_label: 'step', y_label: 'mean performance', y_range: [0, 1.02],
    series: results
      .slice()
      .sort((a, b) => a.mask.localeCompare(b.mask))
      .map((r) => ({ label: sparsityLabel(r), points: r.curve, markers: true, line: true })),
  }),
  rules: (results) => ({
    title: 'Accuracy during training, per learning rule', x_label: 'step', y_label: 'accuracy',
    y_range: [0, 1.02],
    series: results
      .slice()
      .sort((a, b) => a.label.localeCompare(b.label))
      .map((r) => ({ label: r.label, points: r.curve, markers: false, line: true })),
  }),
};

/**
 * Run sweeps in a worker pool.
 * @param {{canvasId: string, progress: HTMLProgressElement, status: HTMLElement,
 *          native?: HTMLElement, onDone?: (results: any[]) => void}} ui
 */
export function createSweepRunner(ui) {
  /** @type {WorkerPool | null} */
  let pool = null;
  let generation = 0;
  /** @type {any[]} */
  let results = [];

  function stop() {
    pool?.terminate();
    pool = null;
    generation++;
  }

  /** @param {string} text @param {'info' | 'error'} kind */
  function say(text, kind = 'info') {
    ui.status.textContent = text;
    ui.status.className = kind;
  }

  /**
   * Start the page sweep `name` (`pageSweepIds()`); a running sweep is cancelled first. `trap` is a
   * test hook: `{pointIndex: attempts}` makes that point's worker die on its first
   * `attempts` attempts.
   * @param {string} name @param {Record<number, number>} [trap]
   */
  /**
   * Draw the native result's figure at `path` (a sweep's `native`) into `ui.native`, one
   * canvas per chart under its caption; without a path the box is emptied and hidden.
   * `dataset.drawn` = the number of charts drawn (0 when the file could not be read).
   * @param {string | undefined} path @param {WasmModule} wasm
   */
  async function showNative(path, wasm) {
    const box = ui.native;
    if (!box) return;
    box.replaceChildren();
    box.hidden = !path;
    delete box.dataset.drawn;
    if (!path) return;
    try {
      const response = await fetch(path);
      if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
      const figure = await response.json();
      const caption = document.createElement('p');
      caption.className = 'note';
      const title = document.createElement('strong');
      title.textContent = `${figure.title}. `;
      caption.append(title, figure.caption);
      box.append(caption);
      /** @type {any[]} */ (figure.charts).forEach((chart, index) => {
        const canvas = document.createElement('canvas');
        canvas.id = `plot-sweep-native-${index}`;
        canvas.width = 560;
        canvas.height = 380;
        canvas.setAttribute('aria-label', chart.title);
        box.append(canvas);
        wasm.drawChart(canvas.id, chart);
      });
      box.dataset.drawn = String(figure.charts.length);
    } catch (error) {
      const note = document.createElement('p');
      note.className = 'error';
      note.textContent = `The native figure is not shown: ${errorText(error)}`;
      box.append(note);
      box.dataset.drawn = '0';
    }
  }

  async function start(name, trap = {}) {
    stop();
    const wasm = await loadWasm();
    /** @type {SweepSpec} */
    const spec = wasm.pageSweep(name); // an unknown name throws, naming the known ones
    showNative(spec.native, wasm);
    const draw = SWEEP_CHARTS[name];
    if (!draw) throw new Error(`sweep "${name}" has no chart (charts: ${Object.keys(SWEEP_CHARTS).join(', ')})`);
    const points = spec.points ?? wasm.sweepPoints(spec.request);
    const kind = { title: spec.title, chart: (/** @type {any[]} */ r, /** @type {WasmModule} */ w) => draw(r, w, spec) };
    const mine = generation;
    results = [];
    /** @type {string[]} */
    const failures = [];
    const total = points.length;
    ui.progress.max = total;
    ui.progress.value = 0;
    delete ui.status.dataset.done;
    const started = performance.now();
    const redraw = () => {
      try {
        const chart = kind.chart(results, wasm);
        wasm.drawChart(ui.canvasId, chart);
        // the legend, for tests and screen readers (the chart itself is pixels)
        ui.status.dataset.labels = JSON.stringify(chart.series.map((/** @type {any} */ s) => s.label));
      } catch (error) {
        say(`Error: ${errorText(error)}`, 'error');
      }
    };
    redraw();
    say(`${kind.title}: 0 / ${total} points`);
    const count = Math.max(1, Math.min(navigator.hardwareConcurrency || 2, MAX_WORKERS, total));
    const mypool = new WorkerPool(count);
    pool = mypool;
    const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
    const failedNote = () => (failures.length > 0 ? `, ${failures.length} failed (first: ${failures[0]})` : '');
    const settled = () => {
      if (mine !== generation) return;
      const finished = results.length + failures.length;
      ui.progress.value = finished;
      if (finished < total) {
        say(`${kind.title}: ${finished} / ${total} points (${count} workers, ${seconds()} s${failedNote()})`);
        return;
      }
      const reruns = mypool.reruns > 0 ? `, ${mypool.reruns} rerun after a worker died` : '';
      stop();
      say(`${kind.title}: done, ${total} points in ${seconds()} s${reruns}${failedNote()}`, failures.length > 0 ? 'error' : 'info');
      ui.status.dataset.done = name;
      ui.status.dataset.failed = String(failures.length);
      ui.status.dataset.reruns = String(mypool.reruns);
      ui.onDone?.(results);
    };
    points.forEach((point, index) => {
      mypool.run({ job: POOL_JOB.SWEEP_POINT, point, trapAttempts: trap[index] ?? 0 }).then(
        (result) => {
          if (mine !== generation) return;
          results.push(result);
          redraw();
          settled();
        },
        (error) => {
          if (mine !== generation) return;
          failures.push(`point ${index + 1}: ${errorText(error)}`);
          settled();
        },
      );
    });
  }

  function cancel() {
    if (!pool) return;
    stop();
    say(`cancelled after ${results.length} points`);
  }

  return { start, cancel, running: () => pool !== null };
}
