//! The presets for the page and the widget ([`crate::lab::presets`]): each paper's setting
//! defined once in Rust, as a run description with its caption, sweep and long-run rule.
//!
//! ```js
//! const ids = presetIds();              // ["turcu", "khona", ...]
//! const p = presetConfig("turcu");      // {id, paper, title, caption, results,
//!                                       //  steps, sweep, long_run, task_variance, run}
//! const sim = new Simulator(p.run);
//! ```

use super::json::to_js;
use crate::lab::presets::{preset, PRESET_IDS};
use wasm_bindgen::prelude::*;

/// Ids of every preset, in the page's order (an array of strings).
#[wasm_bindgen(js_name = presetIds)]
pub fn preset_ids() -> Result<JsValue, JsError> {
    Ok(to_js(PRESET_IDS)?)
}

/// The preset `id` as a plain object (see the module docs); an unknown id is an error
/// naming the known ones.
#[wasm_bindgen(js_name = presetConfig)]
pub fn preset_config(id: &str) -> Result<JsValue, JsError> {
    Ok(to_js(&preset(id)?)?)
}
