// @ts-check
/**
 * Stand-in for `www/spawn.js` in the notebook bundle: workers start from Blob URLs whose
 * source is the bundled worker module (`worker.js`, and its data-parallel helper
 * `dp-worker.js`), prefixed with the inlined wasm, so nothing is fetched by URL.
 * `sources` (a virtual module the build fills) maps a worker file name to its bundled code.
 */
import { sources } from 'srnn-inline:worker-sources';

/** @param {URL} moduleUrl the URL `www/` would start (only its file name is used) */
export function spawnModuleWorker(moduleUrl) {
  const name = String(moduleUrl).split('/').pop() ?? '';
  const source = /** @type {Record<string, string>} */ (sources)[name];
  if (source === undefined) throw new Error(`sparse-rnn-lab: no inlined worker ${name}`);
  const wasm = JSON.stringify(/** @type {any} */ (globalThis).__SRNN_WASM_B64);
  const blob = new Blob([`globalThis.__SRNN_WASM_B64 = ${wasm};\n`, source], { type: 'text/javascript' });
  const blobUrl = URL.createObjectURL(blob);
  const worker = new Worker(blobUrl, { type: 'module' });
  const revoke = () => URL.revokeObjectURL(blobUrl);
  worker.addEventListener('message', revoke, { once: true });
  worker.addEventListener('error', revoke, { once: true });
  return worker;
}
