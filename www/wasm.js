// @ts-check
/**
 * The one place that loads the wasm module, in the page, the widget and every worker.
 * `flavour.js` says which build; the module and its `.wasm` are fetched by absolute URL
 * (resolved against this file's `import.meta.url`), so a page on another origin that
 * imports the widget from a CDN loads them from the CDN (which must send CORS headers).
 */
import { wasmModuleUrl } from './flavour.js';

/** @typedef {typeof import('./pkg/sparse_rnn_lab.js')} WasmModule */

/** @type {Promise<WasmModule> | null} */
let loading = null;

/** Absolute URL of the folder holding this file (and `pkg/`). */
export const BASE_URL = new URL('.', import.meta.url);

/**
 * The initialised wasm-bindgen module (loaded once per realm; later calls share it).
 * @returns {Promise<WasmModule>}
 */
export function loadWasm() {
  if (!loading) {
    loading = (async () => {
      const url = await wasmModuleUrl(BASE_URL);
      /** @type {WasmModule} */
      const module = await import(String(url)); // wasmModuleUrl returns a string href
      // the generated init resolves its `.wasm` against its own `import.meta.url`: an
      // absolute URL next to the module, whichever build `flavour.js` chose
      await module.default();
      return module;
    })();
    // a failed load (network, CORS) may be retried by a later call
    loading.catch(() => { loading = null; });
  }
  return loading;
}
