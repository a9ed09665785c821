//! The presets for the page and the widget ([`crate::lab::presets`]): each paper's setting
//! defined once in Rust, as a run description with its caption, sweep and long-run rule.
//!
//! ```js
//! const ids = presetIds();              // ["turcu", "khona", ...]
//! const p = presetConfig("turcu");      // {id, paper, title, caption, results,
//!                                       //  headline, headline_rows, steps, sweep,
//!                                       //  long_run, task_variance, run}
//! const sim = new Simulator(p.run);
//! ```

use super::json::to_js;
use crate::lab::claims;
use crate::lab::page_sweeps::{page_sweep, PAGE_SWEEP_IDS};
use crate::lab::presets::{preset, PRESET_IDS};
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

/// Ids of every preset, in the page's order (an array of strings).
#[wasm_bindgen(js_name = presetIds)]
pub fn preset_ids() -> Result<JsValue, JsError> {
    Ok(to_js(PRESET_IDS)?)
}

/// The preset `id` as a plain object (see the module docs), with `headline_rows`: the
/// claims-table rows its `headline` names (`[{label, key, claim, paper_value,
/// authors_code}]`,
/// what the gallery card shows); an unknown id is an error naming the known ones.
#[wasm_bindgen(js_name = presetConfig)]
pub fn preset_config(id: &str) -> Result<JsValue, JsError> {
    let preset = preset(id)?;
    let rows = preset
        .headline
        .iter()
        .map(|(label, key)| {
            let row = claims::row(key)?;
            Ok(json!({
                "label": label, "key": key, "claim": row.claim, "paper_value": row.paper_value,
                "authors_code": row.authors_code,
            }))
        })
        .collect::<crate::error::Result<Vec<_>>>()?;
    let mut value = serde_json::to_value(&preset).map_err(|e| crate::error::Error::Parse {
        what: "preset",
        reason: e.to_string(),
    })?;
    value["headline_rows"] = Value::Array(rows);
    Ok(to_js(&value)?)
}

/// Ids of the page's sweeps, in the sweep panel's order.
#[wasm_bindgen(js_name = pageSweepIds)]
pub fn page_sweep_ids() -> Result<JsValue, JsError> {
    Ok(to_js(PAGE_SWEEP_IDS)?)
}

/// The page's sweep `id` ([`crate::lab::page_sweeps`]): `{id, title, request}` (expand
/// with `sweepPoints(request)`) or `{id, title, points}`; an unknown id is an error
/// naming the known ones.
#[wasm_bindgen(js_name = pageSweep)]
pub fn page_sweep_spec(id: &str) -> Result<JsValue, JsError> {
    Ok(to_js(&page_sweep(id)?)?)
}
