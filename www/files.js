// @ts-check
/**
 * Files: downloads (model JSON, `.npy` / `.npz` arrays) and reading a model file chosen
 * by the user (with a size limit). Runs are stored in the run library (`runs.js`).
 */

/** Largest model file the page reads (the core's limit too). */
export const MAX_MODEL_BYTES = 256 * 1024 * 1024;

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
