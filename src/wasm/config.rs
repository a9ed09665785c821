//! The constructor's configuration: `{ network: {...}, train: {...}, task: { id, ... },
//! rule: {...} }`,
//! converted from a JS object (rejecting NaN/Infinity with their path) and parsed by the
//! core's [`crate::lab::run::parse_run`], whose errors name the bad field and value.

use super::json::to_js;
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
}

/// The tasks the simulator can build: `[{id, name, paper, family}]`, grouped by paper.
#[wasm_bindgen(js_name = taskCatalog)]
pub fn task_catalog() -> std::result::Result<JsValue, JsError> {
    let entries: Vec<CatalogEntry> = task_ids()
        .into_iter()
        .map(|t| CatalogEntry {
            id: t.id,
            name: t.name,
            paper: t.paper,
            family: t.family,
        })
        .collect();
    Ok(to_js(&entries)?)
}
