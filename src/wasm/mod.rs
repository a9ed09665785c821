//! The browser binding: the only module that uses `wasm-bindgen`, `web-sys` and `js-sys`.
//!
//! JavaScript sees one opaque handle, [`Simulator`], that owns the network, its task, the
//! optimizer and the histories (large arrays stay in wasm memory), plus
//! [`Simulator::draw_snapshot`] for drawing a posted [`crate::plot::Snapshot`] into
//! canvases, [`task_catalog`] listing the tasks the constructor accepts, and the sweep
//! helpers ([`run_sweep_point`], [`sweep_points`], [`draw_chart`]), and the claims table
//! ([`claim_papers`], [`claim_ids_js`], [`run_claim_js`]), and the presets ([`preset_ids`],
//! [`preset_config`]). The page's long runs and Yang
//! et al.'s task-variance analysis are `Simulator` methods too (`long_run.rs`).

mod bench;
mod canvas;
mod claims;
mod config;
mod draw;
mod json;
mod long_run;
mod model_io;
mod parallel;
mod presets;
mod simulator;
mod sweep;

pub use bench::{bench_workload, determinism_probe, profile_reservoir};
pub use claims::{claim_ids_js, claim_papers, run_claim_js};
pub use config::task_catalog;
pub use draw::{AnalysisIds, CanvasIds};
pub use presets::{preset_config, preset_ids};
pub use simulator::Simulator;
pub use sweep::{
    draw_chart, option_names, percolation_summary, rule_names, run_sweep_point, sheet_shape_js,
    sweep_points,
};

use wasm_bindgen::prelude::*;

/// Runs once when the module is instantiated: route Rust panics to `console.error`, so a
/// bug shows a readable message instead of "unreachable executed". Panics are meant to be
/// unreachable from the API (sizes are checked by [`crate::budget`] first); if one happens
/// anyway, the message says that the handle in use is left borrowed (later calls on it
/// throw "recursive use of an object …") and that a new `Simulator` (or a new module
/// instance, e.g. a new Worker) is the way out.
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&JsValue::from_str(&format!(
            "sparse_rnn_lab panicked: {info}. The Simulator whose call this was is now \
             unusable (further calls on it fail with \"recursive use of an object\"): build \
             a new Simulator, or restart the worker, and load the last saved model."
        )));
    }));
}

/// Bytes of this module instance's linear memory (it only grows): what the soak test
/// samples to see that a long run does not leak.
#[wasm_bindgen(js_name = wasmMemoryBytes)]
pub fn wasm_memory_bytes() -> f64 {
    wasm_bindgen::memory()
        .unchecked_into::<js_sys::WebAssembly::Memory>()
        .buffer()
        .unchecked_into::<js_sys::ArrayBuffer>()
        .byte_length() as f64
}
