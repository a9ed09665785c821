// @ts-check
/**
 * The run library: every run of this browser in IndexedDB (database `sparse-rnn-lab`),
 * one record per run in two stores, so that listing runs never reads a model:
 *   `runs`:   {id, name, task, hash, config, steps, best, created, updated, size}
 *   `models`: {id, text, history}   (the model file's text and the long-run record)
 * A tab owns at most one run at a time through the Web Locks API (lock `run:<id>`, held
 * until the tab switches run or closes), so two tabs never train or save the same run;
 * a tab remembers its run across reloads in sessionStorage. Every change is announced on
 * the BroadcastChannel `sparse-rnn-lab/runs` so other tabs' run panels refresh.
 * Saving checks the storage quota first and says, instead of throwing, when a model does
 * not fit; long or large runs ask for persistent storage (`navigator.storage.persist()`).
 */

/** IndexedDB name and version. */
const DB_NAME = 'sparse-rnn-lab';
const DB_VERSION = 1;
/** sessionStorage key of this tab's run id (survives reloads, not shared between tabs). */
const TAB_RUN_KEY = 'sparse-rnn-lab/run';
/** localStorage key of the single autosave of earlier versions (migrated once). */
export const LEGACY_AUTOSAVE_KEY = 'sparse-rnn-lab/autosave';
/** Models larger than this ask for persistent storage. */
const PERSIST_BYTES = 8 * 1024 * 1024;
/** Channel on which tabs announce changes to the library. */
const CHANNEL = 'sparse-rnn-lab/runs';

/**
 * @typedef {{id: string, name: string, task: string, hash: string, config: object,
 *            steps: number, best: number | null, created: number, updated: number,
 *            size: number}} RunRecord
 * @typedef {{record: object | string, running: boolean} | null} History
 * `record`: the wasm `longRunRecord()` object (JSON text in autosaves before 2026-12-02;
 * `longRunRestore` takes either).
 */

/** @type {Promise<IDBDatabase> | null} */
let opening = null;

/** The database (created on first use). @returns {Promise<IDBDatabase>} */
function db() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = () => {
        const base = request.result;
        if (!base.objectStoreNames.contains('runs')) base.createObjectStore('runs', { keyPath: 'id' });
        if (!base.objectStoreNames.contains('models')) base.createObjectStore('models', { keyPath: 'id' });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('IndexedDB unavailable'));
      request.onblocked = () => reject(new Error('IndexedDB is blocked by another tab of an older version'));
    });
    opening.catch(() => { opening = null; });
  }
  return opening;
}

/**
 * Run `body` in one transaction over `stores`; resolves with its result once committed.
 * @template T @param {string[]} stores @param {IDBTransactionMode} mode
 * @param {(tx: IDBTransaction) => T} body @returns {Promise<T>}
 */
async function transact(stores, mode, body) {
  const base = await db();
  return new Promise((resolve, reject) => {
    const tx = base.transaction(stores, mode);
    const result = body(tx);
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error ?? new Error('transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
  });
}

/** @template T @param {IDBRequest<T>} request @returns {Promise<T>} */
function done(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** A new run id (time-ordered, unique per tab). */
export function newRunId() {
  const random = crypto.getRandomValues(new Uint32Array(1))[0].toString(36);
  return `${Date.now().toString(36)}-${random}`;
}

/** Every run, newest first (no models read). @returns {Promise<RunRecord[]>} */
export async function listRuns() {
  const base = await db();
  const runs = /** @type {RunRecord[]} */ (await done(base.transaction('runs').objectStore('runs').getAll()));
  return runs.sort((a, b) => b.updated - a.updated);
}

/** One run's record, or null. @param {string} id @returns {Promise<RunRecord | null>} */
export async function getRun(id) {
  const base = await db();
  return (await done(base.transaction('runs').objectStore('runs').get(id))) ?? null;
}

/** One run's model and long-run record, or null. @param {string} id @returns {Promise<{text: string, history: History} | null>} */
export async function getModel(id) {
  const base = await db();
  const entry = await done(base.transaction('models').objectStore('models').get(id));
  return entry && typeof entry.text === 'string' ? { text: entry.text, history: entry.history ?? null } : null;
}

/** Tell the other tabs that the library changed. @param {string} what @param {string} id */
function announce(what, id) {
  try {
    const channel = new BroadcastChannel(CHANNEL);
    channel.postMessage({ what, id });
    channel.close();
  } catch {
    // no BroadcastChannel: other tabs refresh on their next own change
  }
}

/** Call `listener` when another tab changes the library. @param {(change: {what: string, id: string}) => void} listener */
export function onLibraryChange(listener) {
  try {
    const channel = new BroadcastChannel(CHANNEL);
    channel.onmessage = (event) => listener(event.data);
  } catch {
    // see announce
  }
}

/** Megabytes with one decimal (kilobytes below 0.1 MB). @param {number} bytes */
export function megabytes(bytes) {
  return bytes < 1e5 ? `${Math.max(1, Math.round(bytes / 1e3))} kB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

/**
 * Why `bytes` more would not fit the origin's quota, or null when they fit (or the
 * browser does not say). @param {number} bytes @returns {Promise<string | null>}
 */
async function quotaProblem(bytes) {
  if (!navigator.storage?.estimate) return null;
  const { usage = 0, quota = Infinity } = await navigator.storage.estimate();
  const free = quota - usage;
  return bytes > free ? `the browser allows ${megabytes(Math.max(free, 0))} more for this site` : null;
}

/** Ask once for persistent storage (long or large runs). @returns {Promise<boolean>} */
export async function askPersistence() {
  try {
    if (!navigator.storage?.persist) return false;
    if (await navigator.storage.persisted()) return true;
    return await navigator.storage.persist();
  } catch {
    return false;
  }
}

/** Bytes of a long-run record as JSON (0 without one). @param {History} history */
function recordBytes(history) {
  if (!history?.record) return 0;
  return typeof history.record === 'string' ? history.record.length : JSON.stringify(history.record).length;
}

/**
 * Save run `run` with its model `text` and long-run `history` (one transaction: the
 * record and the model always match). Resolves with null, or with why it was not saved
 * (quota, private mode): never throws.
 * @param {Omit<RunRecord, 'size' | 'updated' | 'created'> & {created?: number}} run
 * @param {string} text @param {History} history @returns {Promise<string | null>}
 */
export async function saveRun(run, text, history) {
  // model files are ASCII JSON: one byte per character
  const size = text.length + recordBytes(history);
  try {
    const problem = await quotaProblem(size);
    if (problem) return `this run's model (${megabytes(size)}) was not saved: ${problem}`;
    if (size > PERSIST_BYTES || history) askPersistence();
    const now = Date.now();
    await transact(['runs', 'models'], 'readwrite', (tx) => {
      const runs = tx.objectStore('runs');
      const record = { ...run, created: run.created ?? now, updated: now, size };
      runs.put(record);
      tx.objectStore('models').put({ id: run.id, text, history });
    });
    announce('saved', run.id);
    return null;
  } catch (error) {
    const name = error instanceof Error ? error.name : String(error);
    return `this run's model (${megabytes(size)}) was not saved (${name})`;
  }
}

/** Rename run `id`. @param {string} id @param {string} name */
export async function renameRun(id, name) {
  await transact(['runs'], 'readwrite', (tx) => {
    const store = tx.objectStore('runs');
    const request = store.get(id);
    request.onsuccess = () => {
      if (request.result) store.put({ ...request.result, name });
    };
  });
  announce('renamed', id);
}

/** Delete run `id` (record and model). @param {string} id */
export async function deleteRun(id) {
  await transact(['runs', 'models'], 'readwrite', (tx) => {
    tx.objectStore('runs').delete(id);
    tx.objectStore('models').delete(id);
  });
  announce('deleted', id);
}

/** This tab's run id from its session (null in a new tab). */
export function tabRunId() {
  try {
    return sessionStorage.getItem(TAB_RUN_KEY);
  } catch {
    return null;
  }
}

/** @param {string} id */
function rememberTabRun(id) {
  try {
    sessionStorage.setItem(TAB_RUN_KEY, id);
  } catch {
    // no session storage: a reload starts a new run
  }
}

/** @type {{id: string, release: () => void} | null} the lock this tab holds */
let held = null;

/**
 * Own run `id` in this tab: take its lock (waiting up to `waitMs` for a tab being
 * reloaded to let go) and remember it for reloads. Resolves false when another tab
 * holds it (this tab then keeps the run it held). Releases the run held before.
 * @param {string} id @param {number} [waitMs]
 */
export async function claimRun(id, waitMs = 5000) {
  if (held?.id === id) return true;
  if (!navigator.locks) {
    rememberTabRun(id);
    held = { id, release: () => {} };
    return true;
  }
  /** @type {() => void} */
  let release = () => {};
  const keep = new Promise((resolve) => { release = () => resolve(undefined); });
  const granted = await new Promise((resolve) => {
    const signal = AbortSignal.timeout(waitMs);
    navigator.locks.request(`run:${id}`, { signal }, () => {
      resolve(true);
      return keep;
    }).catch(() => resolve(false));
  });
  if (!granted) return false;
  releaseRun(); // the run held before, only once the new one is ours
  held = { id, release };
  rememberTabRun(id);
  return true;
}

/** Let go of the run this tab holds. */
export function releaseRun() {
  held?.release();
  held = null;
}

/** Ids of the runs some tab holds now. @returns {Promise<Set<string>>} */
export async function runsInUse() {
  if (!navigator.locks?.query) return new Set();
  const state = await navigator.locks.query();
  return new Set((state.held ?? []).map((lock) => String(lock.name)).filter((n) => n.startsWith('run:')).map((n) => n.slice(4)));
}

/**
 * Move the one localStorage autosave of earlier versions into the library (once: the
 * entry is removed). `describe(hash)` gives the run description and the task of a hash.
 * @param {(hash: string) => {config: object, task: string}} describe
 * @returns {Promise<string | null>} the new run's id
 */
export async function migrateLegacyAutosave(describe) {
  let raw = null;
  try {
    raw = localStorage.getItem(LEGACY_AUTOSAVE_KEY);
  } catch {
    return null;
  }
  if (!raw) return null;
  try {
    const entry = JSON.parse(raw);
    if (!entry || typeof entry.text !== 'string' || typeof entry.hash !== 'string') throw new Error('not an autosave');
    const { config, task } = describe(entry.hash);
    const steps = Number(JSON.parse(entry.text).steps_done) || 0;
    const id = newRunId();
    const created = Number(entry.savedAt) || Date.now();
    const problem = await saveRun(
      { id, name: `${task} (autosave of an earlier version)`, task, hash: entry.hash, config, steps, best: null, created },
      entry.text, entry.history ?? null,
    );
    if (problem) return null;
    localStorage.removeItem(LEGACY_AUTOSAVE_KEY);
    return id;
  } catch {
    localStorage.removeItem(LEGACY_AUTOSAVE_KEY); // unreadable: nothing to keep
    return null;
  }
}
