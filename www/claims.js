// @ts-check
/**
 * The claims table ("does our number match the paper's?"): for a paper, the claims the
 * wasm module lists (`claimIds(paper)`) run one at a time in a pool worker
 * (`runClaim(paper, id, quick)` -> JSON of a claim `{paper, group, id, claim, setting,
 * paper_value, authors_code?, ours, ours_range?, seeds?, ours_text?, holds, seconds,
 * chart?}`, or an array of them), and each row is filled as its
 * claim finishes: the paper's value, ours, whether it holds (✓ / ✗, under the tolerance
 * written next to the claim before the run) and the seconds it took. A claim's `chart`
 * (a `plot::Chart` record) is drawn with `drawChart` into its own canvas under the table.
 * A build without those exports shows "claims not available in this build".
 * Test hooks: `#claims-status[data-done]` (paper id when finished), `[data-rows]`.
 */
import { errorText } from './errors.js';
import { loadWasm } from './wasm.js';
import { WorkerPool } from './pool.js';
import { POOL_JOB } from './protocol.js';

/** Papers the table offers, in menu order, with their menu text. */
export const CLAIM_PAPERS = [
  ['turcu', 'Turcu & Abbott 2022'],
  ['jarne-laje', 'Jarne & Laje'],
  ['rules', 'Learning rules (Rosenbaum 2022, FA / DFA)'],
  ['khona', 'Khona et al. 2023'],
  ['yang', 'Yang et al. 2019'],
];

/** @param {any} wasm */
export function claimsAvailable(wasm) {
  return typeof wasm.runClaim === 'function' && typeof wasm.claimIds === 'function';
}

/** @param {unknown} x */
function format(x) {
  if (typeof x === 'number') return Number.isFinite(x) ? String(Number(x.toPrecision(4))) : String(x);
  if (x === null || x === undefined) return '–';
  return String(x);
}

/**
 * @param {{select: HTMLSelectElement, quick: HTMLInputElement, run: HTMLButtonElement,
 *          cancel: HTMLButtonElement, status: HTMLElement, body: HTMLElement, charts: HTMLElement}} ui
 */
export function createClaimsTable(ui) {
  /** @type {WorkerPool | null} */
  let pool = null;
  let generation = 0;
  let chartCount = 0;
  /** @type {any} */
  let wasm = null;
  /** @type {[string, string][]} */
  let papers = CLAIM_PAPERS;

  /** @param {string} text @param {'info' | 'error'} kind */
  function say(text, kind = 'info') {
    ui.status.textContent = text;
    ui.status.className = kind;
  }

  /** @param {string[]} cells @returns {HTMLTableRowElement} */
  function addRow(cells) {
    const row = document.createElement('tr');
    for (const text of cells) {
      const cell = document.createElement('td');
      cell.textContent = text;
      row.append(cell);
    }
    ui.body.append(row);
    // the table shows once it has rows (an empty table says nothing)
    /** @type {HTMLElement} */ (ui.body.closest('table')).hidden = false;
    return row;
  }

  /** Fill `row` with `claim` (a finished claim record). @param {HTMLTableRowElement} row @param {any} claim */
  function fill(row, claim) {
    const cells = row.querySelectorAll('td');
    // The paper's number, then the authors'-code spread where we ran it; ours is the
    // median over seeds with its range.
    const paper = claim.authors_code
      ? `${format(claim.paper_value)}; authors' code: ${claim.authors_code}` : format(claim.paper_value);
    const ours = Array.isArray(claim.ours_range)
      ? `${format(claim.ours)} [${format(claim.ours_range[0])}, ${format(claim.ours_range[1])}] over ${claim.seeds?.length ?? '?'} seeds`
      : format(claim.ours);
    const values = [
      claim.claim ?? cells[0].textContent, claim.setting ?? '', paper,
      ours, claim.holds ? '✓' : '✗', format(claim.seconds),
    ];
    values.forEach((v, i) => { cells[i].textContent = v; });
    if (claim.tolerance) cells[4].title = `tolerance: ${claim.tolerance}`;
    row.className = claim.holds ? 'holds' : 'fails';
    if (claim.chart && wasm) {
      const canvas = document.createElement('canvas');
      canvas.id = `claim-chart-${chartCount++}`;
      canvas.width = 480;
      canvas.height = 320;
      canvas.setAttribute('aria-label', String(claim.claim));
      ui.charts.append(canvas);
      try {
        wasm.drawChart(canvas.id, claim.chart);
      } catch (error) {
        canvas.remove();
        cells[1].textContent += ` (chart not drawn: ${errorText(error)})`;
      }
    }
  }

  /**
   * Run every claim of `paper` (at most `limit`, a test hook), one at a time.
   * @param {string} paper @param {number} [limit]
   */
  async function start(paper, limit = Infinity) {
    cancel();
    const mine = ++generation;
    wasm = await loadWasm();
    delete ui.status.dataset.done;
    if (!claimsAvailable(wasm)) {
      say('claims not available in this build (the wasm module has no runClaim / claimIds)', 'error');
      ui.status.dataset.done = paper;
      return;
    }
    ui.body.replaceChildren();
    ui.charts.replaceChildren();
    /** @type {string[]} */
    let ids;
    try {
      ids = /** @type {string[]} */ (wasm.claimIds(paper)).map(String).slice(0, limit);
    } catch (error) {
      say(`Error: ${errorText(error)}`, 'error');
      ui.status.dataset.done = paper;
      return;
    }
    const quick = ui.quick.checked;
    const rows = ids.map((id) => addRow([id, 'waiting…', '', '', '', '']));
    const mypool = new WorkerPool(1);
    pool = mypool;
    const started = performance.now();
    let held = 0;
    let total = 0;
    for (let i = 0; i < ids.length; i++) {
      if (mine !== generation) return;
      say(`${paper}: running claim ${i + 1} of ${ids.length} (${ids[i]})${quick ? ', quick' : ''}…`);
      rows[i].cells[1].textContent = 'running…';
      try {
        const result = await mypool.run({ job: POOL_JOB.CLAIM, paper, claim: ids[i], quick });
        if (mine !== generation) return;
        const claims = Array.isArray(result) ? result : Array.isArray(result?.claims) ? result.claims : [result];
        claims.forEach((claim, j) => {
          const row = j === 0 ? rows[i] : addRow(['', '', '', '', '', '']);
          if (j > 0) rows[i].after(row);
          fill(row, claim);
          total++;
          if (claim.holds) held++;
        });
      } catch (error) {
        if (mine !== generation) return;
        rows[i].cells[1].textContent = `failed: ${errorText(error)}`;
        rows[i].className = 'fails';
        total++;
      }
      ui.status.dataset.rows = String(total);
    }
    mypool.terminate();
    if (pool === mypool) pool = null;
    const seconds = ((performance.now() - started) / 1000).toFixed(0);
    say(`${paper}: ${held} of ${total} claims hold (${seconds} s${quick ? ', quick settings' : ''})`);
    ui.status.dataset.done = paper;
  }

  function cancel() {
    generation++;
    if (!pool) return;
    pool.terminate();
    pool = null;
    say('cancelled');
  }

  /** Fill the paper menu; say whether this build has claims. @param {any} module */
  function init(module) {
    wasm = module;
    // the wasm module lists its papers (`claimPapers()`); the fallback names them for a
    // build without claims, whose menu only says so
    if (typeof module.claimPapers === 'function') {
      papers = /** @type {{id: string, title: string}[]} */ (module.claimPapers()).map((p) => [String(p.id), String(p.title)]);
    }
    for (const [id, name] of papers) ui.select.add(new Option(name, id));
    ui.run.addEventListener('click', () => { start(ui.select.value).catch((e) => say(errorText(e), 'error')); });
    ui.cancel.addEventListener('click', cancel);
    if (!claimsAvailable(module)) {
      ui.run.disabled = true;
      say('claims not available in this build (the wasm module has no runClaim / claimIds)');
    } else {
      say('Pick a paper and press Run claims: each claim runs in a worker and fills its row when done.');
    }
  }

  /** Select `paper` in the menu (after a preset). @param {string} paper */
  function choose(paper) {
    if (papers.some(([id]) => id === paper)) ui.select.value = paper;
  }

  return { init, start, cancel, choose };
}
