// @ts-check
/**
 * The "Runs" panel: the run library (`runs.js`) as a table — name, task, steps, best
 * score, date, size — with resume, rename, export (`.json` model file, `.npz` arrays) and
 * delete per run. A run open in another tab cannot be resumed here (its lock is held);
 * the panel says so. Refreshes when any tab changes the library and when this tab comes
 * back into view. Test hook: `#runs-list` rows carry `data-run` (id) and `data-steps`.
 */
import { deleteRun, getModel, listRuns, megabytes, onLibraryChange, renameRun, runsInUse } from './runs.js';
import { download } from './files.js';
import { errorText } from './errors.js';

/**
 * @param {{body: HTMLElement, status: HTMLElement, currentId: () => string | null,
 *          resume: (id: string) => void, npz: (config: object, text: string) => Uint8Array}} parts
 * `resume(id)`: open that run in this tab; `npz(config, model)`: the run's `.npz` bytes.
 */
export function createRunsPanel({ body, status, currentId, resume, npz }) {
  let refreshing = Promise.resolve();

  /** @param {string} tag @param {Record<string, string>} [attrs] @param {string} [text] */
  function el(tag, attrs = {}, text = '') {
    const element = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) element.setAttribute(key, value);
    if (text) element.textContent = text;
    return element;
  }

  /** @param {string} label @param {string} name @param {() => void | Promise<void>} action */
  function button(label, name, action) {
    const b = /** @type {HTMLButtonElement} */ (el('button', { type: 'button', 'aria-label': `${label}: ${name}` }, label));
    b.addEventListener('click', () => {
      Promise.resolve(action()).catch((error) => {
        status.textContent = `Error: ${errorText(error)}`;
      });
    });
    return b;
  }

  /** Replace the name cell by a text field until Enter or blur. @param {HTMLElement} cell @param {import('./runs.js').RunRecord} run */
  function editName(cell, run) {
    const input = /** @type {HTMLInputElement} */ (el('input', { type: 'text', 'aria-label': 'run name' }));
    input.value = run.name;
    cell.replaceChildren(input);
    input.focus();
    input.select();
    let finished = false;
    const finish = async (/** @type {boolean} */ keep) => {
      if (finished) return;
      finished = true;
      const name = input.value.trim();
      if (keep && name && name !== run.name) await renameRun(run.id, name);
      refresh();
    };
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') finish(true);
      if (event.key === 'Escape') finish(false);
    });
    input.addEventListener('blur', () => finish(true));
  }

  async function render() {
    const [runs, inUse] = await Promise.all([listRuns(), runsInUse()]);
    const mine = currentId();
    body.replaceChildren();
    for (const run of runs) {
      const row = el('tr', { 'data-run': run.id, 'data-steps': String(run.steps) });
      const name = el('td', {}, run.name);
      const when = new Date(run.updated);
      row.append(
        name,
        el('td', {}, run.task),
        el('td', { class: 'number' }, String(run.steps)),
        el('td', { class: 'number' }, typeof run.best === 'number' ? run.best.toFixed(2) : '–'),
        el('td', {}, `${when.toLocaleDateString()} ${when.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`),
        el('td', { class: 'number' }, megabytes(run.size)),
      );
      const actions = el('td', { class: 'actions' });
      if (run.id === mine) {
        actions.append(el('span', { class: 'tag' }, 'this tab'));
      } else if (inUse.has(run.id)) {
        actions.append(el('span', { class: 'tag', title: 'open in another tab: it trains and saves there' }, 'open in another tab'));
      } else {
        actions.append(button('Resume', run.name, () => resume(run.id)));
      }
      actions.append(
        button('Rename', run.name, () => editName(name, run)),
        button('.json', run.name, async () => {
          const model = await getModel(run.id);
          if (!model) throw new Error(`run ${run.name} has no stored model`);
          download(model.text, `${run.name}.json`, 'application/json');
        }),
        button('.npz', run.name, async () => {
          const model = await getModel(run.id);
          if (!model) throw new Error(`run ${run.name} has no stored model`);
          download(npz(run.config, model.text), `${run.name}.npz`, 'application/octet-stream');
        }),
      );
      if (run.id !== mine && !inUse.has(run.id)) {
        actions.append(button('Delete', run.name, async () => {
          await deleteRun(run.id);
          refresh();
        }));
      }
      row.append(actions);
      body.append(row);
    }
    status.textContent = runs.length === 0
      ? 'No saved runs yet: a run is saved here while it trains.'
      : `${runs.length} run${runs.length > 1 ? 's' : ''} saved in this browser.`;
    status.dataset.runs = String(runs.length);
  }

  /** Redraw the table (serialised: one render at a time). */
  function refresh() {
    refreshing = refreshing.then(render).catch((error) => {
      status.textContent = `Error: the run library is unavailable (${errorText(error)})`;
    });
    return refreshing;
  }

  onLibraryChange(() => refresh());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') refresh();
  });
  return { refresh };
}
