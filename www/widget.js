// @ts-check
/**
 * Embeddable widget: `<srnn-widget preset="jarne" steps="300"></srnn-widget>` shows a
 * compact trainer (Train / Pause, a status line and one plot: the task view of one
 * trial) for a preset of `presets.js` (`turcu`, `khona`, `jarne`, `rules`; default
 * `turcu`). `steps` (optional) stops training after that many steps. Attributes are read
 * once, when the element is connected. Import it as a module:
 * `<script type="module" src="www/widget.js"></script>` (needs `www/pkg` next to it).
 * Each widget owns its own training worker (`worker.js`).
 */
import init, { Simulator } from './pkg/sparse_rnn_lab.js';
import { PRESETS, presetById } from './presets.js';
import { buildConfig, defaults } from './state.js';

const ready = init();
let counter = 0;

class SrnnWidget extends HTMLElement {
  connectedCallback() {
    const preset = presetById(this.getAttribute('preset') ?? 'turcu') ?? PRESETS[0];
    const steps = Number(this.getAttribute('steps') ?? preset.steps);
    const id = `srnn-widget-${++counter}`;
    this.innerHTML = `
      <div style="font: 14px system-ui, sans-serif; border: 1px solid #ccc; border-radius: 6px; padding: .5rem; max-width: 640px">
        <strong></strong>
        <div style="margin: .4rem 0"><button type="button" data-run>Train</button>
          <button type="button" data-pause disabled>Pause</button>
          <span data-status style="font-family: monospace; font-size: 12px">loading…</span></div>
        <canvas id="${id}" width="640" height="300" style="width: 100%; height: auto"></canvas>
      </div>`;
    /** @type {HTMLElement} */ (this.querySelector('strong')).textContent = preset.title;
    const status = /** @type {HTMLElement} */ (this.querySelector('[data-status]'));
    const run = /** @type {HTMLButtonElement} */ (this.querySelector('[data-run]'));
    const pause = /** @type {HTMLButtonElement} */ (this.querySelector('[data-pause]'));
    const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    this.worker = worker;
    /** @param {object} snapshot */
    const draw = async (snapshot) => {
      await ready;
      try {
        Simulator.drawSnapshot(snapshot, { trial: id });
      } catch (error) {
        status.textContent = `Error: ${error instanceof Error ? error.message : error}`;
      }
    };
    worker.onmessage = (event) => {
      const m = event.data;
      if (m.type === 'error') status.textContent = `Error: ${m.message}`;
      if (m.type === 'ready') { run.disabled = false; status.textContent = `ready: N = ${m.info.nNeurons}`; draw(m.snapshot); }
      if (m.type === 'progress') {
        status.textContent = `step ${m.step} · loss ${m.loss?.toFixed(4) ?? '–'} · accuracy ${m.evaluation.accuracy.toFixed(2)}`;
        this.dataset.steps = String(m.step);
        draw(m.snapshot);
      }
      if (m.type === 'done') { run.disabled = false; pause.disabled = true; }
    };
    run.addEventListener('click', () => {
      run.disabled = true;
      pause.disabled = false;
      worker.postMessage({ type: 'run', untilStep: steps });
    });
    pause.addEventListener('click', () => {
      run.disabled = false;
      pause.disabled = true;
      worker.postMessage({ type: 'pause' });
    });
    worker.postMessage({ type: 'init', config: buildConfig({ ...defaults(), ...preset.state }) });
  }

  disconnectedCallback() {
    this.worker?.terminate();
  }
}

customElements.define('srnn-widget', SrnnWidget);
