// @ts-check
/**
 * The anywidget front end of `sparse_rnn_lab.Lab`: the page's `<srnn-widget>` (www/widget.js,
 * unchanged; training in its Web Worker) in a notebook output, its state mirrored into the
 * model's traitlets:
 * - `run` (the run description; filled from `preset` when empty; setting it rebuilds),
 *   `preset`, `steps`, `plots`, `autoplay`: what the widget shows and trains;
 * - `step`, `loss`, `accuracy`, `state` (loading, ready, training, paused, done, error),
 *   `error`: progress, written here;
 * - `_model`: the model file's text after each finished run or pause (`Lab.model()`);
 * custom messages `{cmd: "train" | "pause" | "reset"}` drive the buttons' methods.
 */
import '../../www/widget.js';
import { errorText } from '../../www/errors.js';
import { loadPresets, presetById, PRESETS } from '../../www/presets.js';
import { loadWasm } from './wasm-inline.js';

/** The run description, title and step limit (presets come from the wasm module). @param {any} model */
async function describe(model) {
  const run = model.get('run');
  if (run && Object.keys(run).length > 0) return { run, title: '', steps: undefined };
  const name = model.get('preset') || 'turcu';
  loadPresets(await loadWasm());
  const preset = presetById(name);
  if (!preset) throw new Error(`preset must be one of ${PRESETS.map((p) => p.id).join(', ')}, but is "${name}"`);
  return { run: preset.run, title: preset.title, steps: preset.steps };
}

/** @param {{model: any, el: HTMLElement}} view */
function render({ model, el }) {
  const widget = /** @type {any} */ (document.createElement('srnn-widget'));
  const set = (/** @type {Record<string, unknown>} */ values) => {
    for (const [key, value] of Object.entries(values)) model.set(key, value);
    model.save_changes();
  };
  const configure = async () => {
    const { run, title, steps } = await describe(model);
    if (JSON.stringify(model.get('run')) !== JSON.stringify(run)) set({ run });
    widget.setAttribute('config', JSON.stringify(run));
    widget.setAttribute('title', title);
    const limit = model.get('steps') ?? steps;
    if (limit) widget.setAttribute('steps', String(limit)); else widget.removeAttribute('steps');
    widget.setAttribute('plots', model.get('plots') || 'trial,loss');
    if (model.get('autoplay')) widget.setAttribute('autoplay', ''); else widget.removeAttribute('autoplay');
  };
  const saveModel = () => widget.saveModel().then((/** @type {string} */ text) => set({ _model: text }),
    (/** @type {any} */ error) => set({ error: errorText(error) }));
  widget.addEventListener('ready', () => {
    delete el.dataset.labSynced;
    set({ state: 'ready', step: 0, error: '' });
  });
  widget.addEventListener('progress', (/** @type {CustomEvent} */ e) => {
    const d = e.detail;
    set({ step: d.step, loss: d.loss ?? null, accuracy: d.accuracy ?? null, state: widget.dataset.state ?? 'training' });
  });
  // "done" reaches the kernel together with the trained model's text; `data-lab-synced`
  // on the view's element says so (for tests and other front-end code)
  widget.addEventListener('done', (/** @type {CustomEvent} */ e) => {
    const step = e.detail.step;
    widget.saveModel().then((/** @type {string} */ text) => {
      set({ step, state: 'done', _model: text });
      el.dataset.labSynced = 'done';
    }, (/** @type {any} */ error) => set({ step, state: 'error', error: errorText(error) }));
  });
  widget.addEventListener('error', (/** @type {CustomEvent} */ e) => set({ state: 'error', error: e.detail.message }));
  model.on('msg:custom', (/** @type {any} */ msg) => {
    if (msg?.cmd === 'train') { widget.train(); set({ state: 'training' }); }
    else if (msg?.cmd === 'pause') { widget.pause(); set({ state: 'paused' }); saveModel(); }
    else if (msg?.cmd === 'reset') rebuild();
  });
  const failed = (/** @type {unknown} */ error) => set({ state: 'error', error: errorText(error) });
  const rebuild = () => configure().then(() => widget.reset(), failed);
  // a run set from Python rebuilds; the one this view wrote back (from the preset) does not
  model.on('change:run', () => {
    if (JSON.stringify(model.get('run')) !== widget.getAttribute('config')) rebuild();
  });
  for (const name of ['change:preset', 'change:steps', 'change:plots']) model.on(name, rebuild);
  configure().then(() => el.appendChild(widget), (error) => { // connecting builds the network in its worker
    failed(error);
    el.textContent = `sparse-rnn-lab: ${errorText(error)}`;
  });
  return () => { widget.remove(); };
}

export default { render };
