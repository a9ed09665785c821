//! The constructor's configuration: `{ network: {...}, train: {...}, task: { id, ... },
//! rule: {...} }`,
//! converted from a JS object (rejecting NaN/Infinity with their path) and parsed by the
//! core's [`crate::lab::run::parse_run`], whose errors name the bad field and value.

use super::json::to_js;
use crate::lab::form_setting::{bound_setting, form_defaults};
use crate::tasks::registry::task_ids;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// One entry of [`task_catalog`].
#[derive(Serialize)]
struct CatalogEntry {
    id: String,
    name: String,
    paper: String,
    family: String,
    /// How a network built from the form meets the task
    /// ([`crate::lab::form_setting::bound_setting`]).
    setting: serde_json::Value,
    /// The paper's form defaults ([`crate::lab::form_setting::form_defaults`]), or null.
    defaults: Option<serde_json::Value>,
}

/// The tasks the simulator can build: `[{id, name, paper, family, setting, defaults}]`,
/// grouped by paper; `setting` and `defaults` are partial run descriptions the page's form
/// merges (see [`crate::lab::form_setting`]).
#[wasm_bindgen(js_name = taskCatalog)]
pub fn task_catalog() -> std::result::Result<JsValue, JsError> {
    let entries: Vec<CatalogEntry> = task_ids()
        .into_iter()
        .map(|t| CatalogEntry {
            setting: bound_setting(&t.id),
            defaults: form_defaults(&t.paper),
            id: t.id,
            name: t.name,
            paper: t.paper,
            family: t.family,
        })
        .collect();
    Ok(to_js(&entries)?)
}
