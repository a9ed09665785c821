// @ts-check
/**
 * Embeddable trainer: `<srnn-widget>`, a custom element with its own training worker.
 * Load it as a module, from this folder, an npm install or a CDN (cross-origin works: the
 * worker starts from a Blob URL and the wasm is fetched by absolute URL; the host must
 * send `Access-Control-Allow-Origin`):
 *   <script type="module" src=".../widget.js"></script>
 *   <srnn-widget preset="jarne" steps="300" plots="trial,loss" autoplay></srnn-widget>
 * Attributes (read when the element is connected, and again by `reset()`):
 * - `config`: a run description as JSON (`{network, train, task, rule}`, as `new
 *   Simulator`), or `hash`: the page's URL-hash state (`task=jl-xor&n=50&...`), or
 *   `preset`: a preset id of the wasm module (`presetIds()`: turcu, khona, jarne, rules,
 *   yang; the default is turcu), which trains its run description as it is.
 *   The first present wins.
 * - `plots`: comma list of canvases: trial, loss, accuracy, output, activity, weights,
 *   perTask (drawn while training), eigen, degradation, pca (drawn when training is
 *   done). Default `trial`.
 * - `controls`: comma list of train, pause, reset, status, or `none`. Default all four.
 * - `autoplay`: present = start training once the network is built.
 * - `steps`: stop after that many training steps (default: the preset's; none for
 *   `config` and `hash`: train until paused).
 * Events (CustomEvent, `detail`): `ready` {info}, `progress` {step, loss, accuracy,
 * lateAccuracy, stepsPerSec}, `done` {step}, `error` {message}.
 * Methods: `train()`, `pause()`, `reset()`, `saveModel()` (a Promise of the model file's
 * text, the format the page's Load model reads).
 * State for scripts and tests: `data-state` (loading, ready, training, paused, done,
 * error), `data-steps` (last reported step), `data-saved` (step of the model kept for a
 * dead worker; cleared by `pause()` until its save arrives), and on each canvas
 * `data-drawn` (how many times it was drawn).
 */
import { errorText } from './errors.js';
import { loadWasm } from './wasm.js';
import { FROM_TRAINER } from './protocol.js';
import { TrainerClient } from './trainer-client.js';
import { PRESETS, loadPresets, presetById } from './presets.js';
import { buildConfig, configureOptions, stateFromHash } from './state.js';

/** Plots drawn from progress snapshots (`Simulator.drawSnapshot` keys), with canvas sizes. */
const SNAPSHOT_PLOTS = { trial: [640, 300], loss: [320, 220], accuracy: [320, 220], output: [320, 220], activity: [320, 220], weights: [320, 220], perTask: [320, 220] };
/** Plots drawn from the analysis after training (`Simulator.drawAnalysis` keys). */
const ANALYSIS_PLOTS = { eigen: [320, 260], degradation: [320, 260], pca: [320, 260] };
const CONTROLS = ['train', 'pause', 'reset', 'status'];
let counter = 0;

/** Comma list in `value`, each entry checked against `allowed`. @param {string} what @param {string} value @param {string[]} allowed */
function list(what, value, allowed) {
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const item of items) {
    if (!allowed.includes(item)) throw new Error(`srnn-widget: ${what} must list some of ${allowed.join(', ')}, but has "${item}"`);
  }
  return items;
}

class SrnnWidget extends HTMLElement {
  connectedCallback() {
    this.uid = `srnn-widget-${++counter}`;
    this.client = new TrainerClient({
      onMessage: (message) => this.receive(message),
      restoreModel: () => this.savedModel ?? null,
      storeModel: (text, _history, step) => {
        this.savedModel = text;
        this.dataset.saved = String(step);
      },
      onDead: (reason) => this.fail(`the training worker died (${reason})`),
    });
    this.reset();
  }

  disconnectedCallback() {
    this.client?.terminate();
  }

  /** @param {string} name @param {object} detail */
  emit(name, detail) {
    this.dispatchEvent(new CustomEvent(name, { detail }));
  }

  /** @param {string} text */
  say(text) {
    const status = this.querySelector('[data-status]');
    if (status) status.textContent = text;
  }

  /** @param {string} message */
  fail(message) {
    this.dataset.state = 'error';
    this.say(`Error: ${message}`);
    this.buttons(false);
    this.emit('error', { message });
  }

  /** @param {boolean} running */
  buttons(running) {
    const set = (/** @type {string} */ name, /** @type {boolean} */ disabled) => {
      const button = /** @type {HTMLButtonElement | null} */ (this.querySelector(`[data-${name}]`));
      if (button) button.disabled = disabled;
    };
    set('run', running || this.dataset.state === 'error' || this.dataset.state === 'loading');
    set('pause', !running);
  }

  /** The run description and step limit from the attributes. @returns {Promise<{config: object, steps?: number, title: string}>} */
  async describe() {
    const stepsAttribute = this.getAttribute('steps');
    const steps = stepsAttribute === null ? undefined : Number(stepsAttribute);
    if (steps !== undefined && !(Number.isInteger(steps) && steps > 0)) {
      throw new Error(`srnn-widget: steps must be a positive integer, but is "${stepsAttribute}"`);
    }
    const configText = this.getAttribute('config');
    if (configText !== null) {
      try {
        return { config: JSON.parse(configText), steps, title: this.getAttribute('title') ?? '' };
      } catch (error) {
        throw new Error(`srnn-widget: config must be a run description in JSON (${errorText(error)})`);
      }
    }
    const hash = this.getAttribute('hash');
    if (hash !== null) {
      configureOptions(await loadWasm());
      return { config: buildConfig(stateFromHash(hash)), steps, title: this.getAttribute('title') ?? '' };
    }
    const name = this.getAttribute('preset') ?? 'turcu';
    loadPresets(await loadWasm());
    const preset = presetById(name);
    if (!preset) throw new Error(`srnn-widget: preset must be one of ${PRESETS.map((p) => p.id).join(', ')}, but is "${name}"`);
    return { config: preset.run, steps: steps ?? preset.steps, title: preset.title };
  }

  /** Lay out the controls and canvases from `plots` and `controls`. */
  layout() {
    const plots = list('plots', this.getAttribute('plots') ?? 'trial', [...Object.keys(SNAPSHOT_PLOTS), ...Object.keys(ANALYSIS_PLOTS)]);
    const controlsText = this.getAttribute('controls') ?? CONTROLS.join(',');
    const controls = controlsText.trim() === 'none' ? [] : list('controls', controlsText, CONTROLS);
    /** @type {Record<string, string>} */
    this.snapshotIds = {};
    /** @type {Record<string, string>} */
    this.analysisIds = {};
    const sizes = { ...SNAPSHOT_PLOTS, ...ANALYSIS_PLOTS };
    const canvases = plots.map((plot) => {
      const id = `${this.uid}-${plot}`;
      if (plot in SNAPSHOT_PLOTS) this.snapshotIds[plot] = id;
      else this.analysisIds[plot] = id;
      const [w, h] = sizes[/** @type {keyof typeof sizes} */ (plot)];
      return `<canvas id="${id}" data-plot="${plot}" width="${w}" height="${h}" style="max-width: 100%; height: auto"></canvas>`;
    }).join('');
    const button = (/** @type {string} */ name, /** @type {string} */ label, /** @type {string} */ data) =>
      controls.includes(name) ? `<button type="button" data-${data}>${label}</button> ` : '';
    this.innerHTML = `
      <div style="font: 14px system-ui, sans-serif; border: 1px solid #ccc; border-radius: 6px; padding: .5rem; max-width: 660px">
        <strong></strong>
        <div style="margin: .4rem 0">${button('train', 'Train', 'run')}${button('pause', 'Pause', 'pause')}${button('reset', 'Reset', 'reset')}
          ${controls.includes('status') ? '<span data-status style="font-family: monospace; font-size: 12px">loading…</span>' : ''}</div>
        <div style="display: flex; flex-wrap: wrap; align-items: flex-end; gap: .25rem">${canvases}</div>
      </div>`;
    this.querySelector('[data-run]')?.addEventListener('click', () => this.train());
    this.querySelector('[data-pause]')?.addEventListener('click', () => this.pause());
    this.querySelector('[data-reset]')?.addEventListener('click', () => this.reset());
  }

  /** Rebuild the network from the attributes (a fresh model; the saved one is dropped). */
  reset() {
    this.savedModel = null;
    this.dataset.state = 'loading';
    delete this.dataset.steps;
    try {
      this.layout();
    } catch (error) {
      this.innerHTML = '<span data-status></span>';
      this.fail(errorText(error));
      return;
    }
    this.buttons(false);
    this.describe().then(({ config, steps, title }) => {
      /** @type {HTMLElement} */ (this.querySelector('strong')).textContent = title;
      this.steps = steps;
      this.client?.start(config);
    }, (error) => this.fail(errorText(error)));
  }

  /** Train (until `steps`, when set). */
  train() {
    if (!this.client || this.dataset.state === 'loading' || this.dataset.state === 'error') return;
    this.dataset.state = 'training';
    this.buttons(true);
    this.client.run(this.steps);
  }

  /** Stop training. */
  pause() {
    if (!this.client?.running) return;
    delete this.dataset.saved; // set again by the save that pausing asks for
    this.client.pause();
    this.dataset.state = 'paused';
    this.buttons(false);
  }

  /** The model file's text (as the page's Save model writes it). @returns {Promise<string>} */
  saveModel() {
    if (!this.client) return Promise.reject(new Error('srnn-widget: not connected'));
    return this.client.saveModel();
  }

  /** @param {import('./protocol.js').TrainerMessage} m */
  async receive(m) {
    if (m.type === FROM_TRAINER.ERROR) {
      this.fail(m.message);
    } else if (m.type === FROM_TRAINER.READY) {
      const restored = m.restored && !m.restored.error ? m.restored.stepsDone : 0;
      if (m.recovered) this.dataset.steps = String(restored);
      this.say(m.recovered
        ? `recovered after the worker died (${m.recovered}), ${restored ? `${restored} steps restored` : 'from a fresh network'}`
        : `ready: ${m.info.taskName}, N = ${m.info.nNeurons}`);
      if (!m.recovered) {
        this.dataset.state = 'ready';
        const heading = /** @type {HTMLElement} */ (this.querySelector('strong'));
        if (!heading.textContent) heading.textContent = `${m.info.taskName} (${m.info.paper})`;
        this.emit('ready', { info: m.info });
        if (this.hasAttribute('autoplay')) this.train();
      }
      this.buttons(this.client?.running ?? false);
      await this.draw(m.snapshot);
    } else if (m.type === FROM_TRAINER.PROGRESS) {
      const e = m.evaluation;
      this.say(`step ${m.step} · loss ${m.loss?.toFixed(4) ?? '–'} · accuracy ${e.accuracy.toFixed(2)}`);
      this.dataset.steps = String(m.step);
      this.emit('progress', { step: m.step, loss: m.loss, accuracy: e.accuracy, lateAccuracy: e.lateAccuracy, stepsPerSec: m.stepsPerSec });
      await this.draw(m.snapshot);
    } else if (m.type === FROM_TRAINER.DONE) {
      this.dataset.state = 'done';
      this.buttons(false);
      if (Object.keys(this.analysisIds ?? {}).length > 0) this.client?.analyse();
      this.emit('done', { step: m.step });
    } else if (m.type === FROM_TRAINER.ANALYSIS) {
      await this.draw(null, m.analysis);
    }
  }

  /** Count the drawings on each canvas of `ids` (`data-drawn`, what tests wait for). @param {Record<string, string>} ids */
  markDrawn(ids) {
    for (const id of Object.values(ids)) {
      const canvas = document.getElementById(id);
      if (canvas) canvas.dataset.drawn = String(Number(canvas.dataset.drawn ?? 0) + 1);
    }
  }

  /** @param {object | null} snapshot @param {object} [analysis] */
  async draw(snapshot, analysis) {
    const wasm = await loadWasm();
    try {
      if (snapshot && Object.keys(this.snapshotIds ?? {}).length > 0) {
        wasm.Simulator.drawSnapshot(snapshot, this.snapshotIds);
        this.markDrawn(this.snapshotIds);
      }
      if (analysis) {
        wasm.Simulator.drawAnalysis(analysis, this.analysisIds);
        this.markDrawn(this.analysisIds ?? {});
      }
    } catch (error) {
      this.fail(errorText(error));
    }
  }
}

if (!customElements.get('srnn-widget')) customElements.define('srnn-widget', SrnnWidget);
