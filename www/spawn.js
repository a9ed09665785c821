// @ts-check
/**
 * Start a module Web Worker that works cross-origin: `new Worker(url)` refuses a script
 * from another origin (a widget loaded from a CDN), so the worker is started from a
 * same-origin Blob URL whose only line imports the real module by absolute URL. The
 * module's own `import.meta.url` is then the absolute URL, so its relative imports and
 * the wasm fetch go to the module's origin (which must send CORS headers).
 */

/**
 * @param {URL} moduleUrl absolute URL of the worker module
 * @returns {Worker}
 */
export function spawnModuleWorker(moduleUrl) {
  const source = `import ${JSON.stringify(moduleUrl.href)};\n`;
  const blobUrl = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  const worker = new Worker(blobUrl, { type: 'module' });
  // the worker has fetched its source once it speaks or fails; the URL is not needed after
  const revoke = () => URL.revokeObjectURL(blobUrl);
  worker.addEventListener('message', revoke, { once: true });
  worker.addEventListener('error', revoke, { once: true });
  return worker;
}
