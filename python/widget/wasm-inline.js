// @ts-check
/**
 * Stand-in for `www/wasm.js` in the notebook bundle: anywidget loads one ES module and no
 * file beside it, so the wasm (the SIMD128 "baseline" build, `www/pkg/`) travels inside
 * the bundle as base64 in `globalThis.__SRNN_WASM_B64` (set by the bundle's entry, and by
 * `spawn-inline.js` at the top of every worker's source). Same exports as `www/wasm.js`.
 */
import init, * as glue from '../../www/pkg/sparse_rnn_lab.js';

/** @type {Promise<typeof glue> | null} */
let loading = null;

/** Where relative URLs would resolve (unused: nothing is fetched; a blob: location
 * cannot be a base URL). */
export const BASE_URL = new URL('file:///sparse-rnn-lab/');

/** The wasm bytes from the inlined base64. */
function wasmBytes() {
  const text = /** @type {any} */ (globalThis).__SRNN_WASM_B64;
  if (typeof text !== 'string') throw new Error('sparse-rnn-lab: the inlined wasm is missing');
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The initialised wasm-bindgen module (compiled once per realm, asynchronously). */
export function loadWasm() {
  if (!loading) {
    loading = (async () => {
      await init({ module_or_path: wasmBytes() });
      return glue;
    })();
    loading.catch(() => { loading = null; });
  }
  return loading;
}
