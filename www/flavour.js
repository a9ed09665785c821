// Which wasm build this engine runs: the relaxed-SIMD build (kernels with fused
// f32x4.relaxed_madd, flavour "fma") when the engine validates relaxed SIMD *and* its
// relaxed_madd is fused, else the SIMD128 build (flavour "baseline"). Requiring the fused
// result keeps the "fma" flavour bit-identical to the native `+fma` build everywhere; an
// engine that splits the madd (no FMA hardware) gets the baseline build instead.
//
//   import { wasmModuleUrl } from './flavour.js';
//   const { default: init, Simulator } = await import(await wasmModuleUrl(new URL('.', import.meta.url)));

// A module exporting f() = lane 0 of f32x4.relaxed_madd(a, a, c) with a = 1 + 2^-12 and
// c = -(1 + 2^-11): 2^-24 when fused, 0 when the product is rounded first.
const A = [0x00, 0x08, 0x80, 0x3f]; // 1 + 2^-12 (f32, little endian)
const C = [0x00, 0x10, 0x80, 0xbf]; // -(1 + 2^-11)
const SPLAT = [0xfd, 0x13]; // f32x4.splat
const CODE = [
  0x00, // no locals
  0x43, ...A, ...SPLAT, 0x43, ...A, ...SPLAT, 0x43, ...C, ...SPLAT,
  0xfd, 0x85, 0x02, // f32x4.relaxed_madd (0xfd 261)
  0xfd, 0x1f, 0x00, // f32x4.extract_lane 0
  0x0b, // end
];
export const RELAXED_MADD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7d, // types: () -> f32
  0x03, 0x02, 0x01, 0x00, // functions: one of type 0
  0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, // export "f" = func 0
  0x0a, CODE.length + 2, 0x01, CODE.length, ...CODE, // code
]);

let cached = null;

/** Which flavour this engine gets: "fma" (relaxed SIMD, fused madd) or "baseline". */
export function detectFlavour() {
  if (cached) return cached;
  cached = 'baseline';
  try {
    if (typeof WebAssembly === 'object' && WebAssembly.validate(RELAXED_MADD_PROBE)) {
      const instance = new WebAssembly.Instance(new WebAssembly.Module(RELAXED_MADD_PROBE));
      if (instance.exports.f() !== 0) cached = 'fma';
    }
  } catch (_) {
    cached = 'baseline';
  }
  return cached;
}

/**
 * URL of the wasm-bindgen glue to import for this engine, under `baseUrl` (the folder
 * holding pkg/ and pkg-relaxed/, e.g. `new URL('.', import.meta.url)` from www/):
 * `pkg-relaxed/sparse_rnn_lab.js` for the "fma" flavour, `pkg/sparse_rnn_lab.js` otherwise.
 * `?flavour=baseline` or `?flavour=fma` in the page URL forces one (for benchmarks).
 */
export async function wasmModuleUrl(baseUrl) {
  const href = String(baseUrl);
  const base = new URL(href.endsWith('/') ? href : `${href}/`,
    typeof location === 'object' ? location.href : undefined);
  let flavour = detectFlavour();
  try {
    const forced = new URL(location.href).searchParams.get('flavour');
    if (forced === 'baseline' || (forced === 'fma' && flavour === 'fma')) flavour = forced;
  } catch (_) { /* no location (node) */ }
  const dir = flavour === 'fma' ? 'pkg-relaxed/' : 'pkg/';
  return new URL(`${dir}sparse_rnn_lab.js`, base).href;
}
