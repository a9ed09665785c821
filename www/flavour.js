// @ts-check
/**
 * Which build of the wasm module to load. STUB: the speed work replaces this file with one
 * that picks a relaxed-SIMD build when the browser supports it; until then every browser
 * gets the plain SIMD128 build in `pkg/`. Only `wasm.js` (`loadWasm`) calls it.
 */

/**
 * URL of the wasm-bindgen JS module to import, resolved against `baseUrl` (the folder
 * holding `pkg/`, i.e. the URL of `www/`).
 * @param {string | URL} baseUrl
 * @returns {Promise<URL>}
 */
export async function wasmModuleUrl(baseUrl) {
  return new URL('pkg/sparse_rnn_lab.js', baseUrl);
}
