//! The presets for the page and the widget ([`crate::lab::presets`]): each paper's setting
//! defined once in Rust, as a run description with its caption, sweep and long-run rule.
//!
//! ```js
//! const ids = JSON.parse(presetIds());              // ["turcu", "khona", ...]
//! const p = JSON.parse(presetConfig("turcu"));      // {id, paper, title, caption, results,
//!                                                   //  steps, sweep, long_run, task_variance, run}
//! const sim = new Simulator(p.run);
//! ```

use crate::lab::presets::{preset, PRESET_IDS};
use wasm_bindgen::prelude::*;

/// Ids of every preset, in the page's order, as a JSON array.
#[wasm_bindgen(js_name = presetIds)]
pub fn preset_ids() -> String {
    serde_json::to_string(PRESET_IDS).unwrap_or_else(|_| "[]".into())
}

/// The preset `id` as JSON (see the module docs); an unknown id is an error naming the
/// known ones.
#[wasm_bindgen(js_name = presetConfig)]
pub fn preset_config(id: &str) -> Result<String, JsError> {
    Ok(serde_json::to_string(&preset(id)?)?)
}
