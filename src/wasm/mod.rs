//! WebAssembly bindings (wasm32 only).
