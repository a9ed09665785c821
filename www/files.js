// @ts-check
/**
 * Files and storage: downloads (model JSON, `.npy` arrays), reading a model file chosen
 * by the user (with a size limit), and the localStorage autosave of the current model.
 */

/** Largest model file the page reads (the core's limit too). */
export const MAX_MODEL_BYTES = 256 * 1024 * 1024;
/** localStorage key of the autosaved model. */
const AUTOSAVE_KEY = 'sparse-rnn-lab/autosave';

/** Offer `data` as a download named `name`. @param {BlobPart} data @param {string} name @param {string} type */
export function download(data, name, type) {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * The text of a user-chosen file; rejects with a readable Error for a file that is too
 * large or unreadable. @param {File} file
 */
export async function readModelFile(file) {
  if (file.size > MAX_MODEL_BYTES) {
    throw new Error(`cannot load ${file.name}: ${file.size} bytes is larger than the ${MAX_MODEL_BYTES} byte limit`);
  }
  return file.text();
}

/**
 * Store the model `text` for the run `hash`, with `history` (a long run's record and
 * whether it was training, saved in the same message as the model so they match);
 * returns an explanation instead of throwing when the browser refuses (quota, private
 * mode). @param {string} hash @param {string} text @param {object | null} [history]
 * @returns {string | null}
 */
export function autosave(hash, text, history = null) {
  try {
    localStorage.setItem(AUTOSAVE_KEY, JSON.stringify({ hash, text, history, savedAt: Date.now() }));
    return null;
  } catch (error) {
    return `autosave skipped (${error instanceof Error ? error.name : error}; the model is ${(text.length / 1e6).toFixed(1)} MB)`;
  }
}

/** The autosaved model for run `hash`, if any. @param {string} hash @returns {string | null} */
export function autosaved(hash) {
  try {
    const raw = localStorage.getItem(AUTOSAVE_KEY);
    if (!raw) return null;
    const entry = JSON.parse(raw);
    return entry && entry.hash === hash && typeof entry.text === 'string' ? entry.text : null;
  } catch {
    return null;
  }
}

/**
 * The long-run history stored with the autosaved model for run `hash`, if any.
 * @param {string} hash @returns {{record: string, running: boolean} | null}
 */
export function autosavedHistory(hash) {
  try {
    const entry = JSON.parse(localStorage.getItem(AUTOSAVE_KEY) ?? 'null');
    const history = entry && entry.hash === hash ? entry.history : null;
    return history && typeof history.record === 'string' ? history : null;
  } catch {
    return null;
  }
}

/** Forget the autosaved model. */
export function clearAutosave() {
  try {
    localStorage.removeItem(AUTOSAVE_KEY);
  } catch {
    // storage unavailable: nothing to clear
  }
}
