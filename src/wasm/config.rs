//! The constructor's configuration: `{ network: {...}, train: {...}, task: { id, ... },
//! rule: {...} }`,
//! converted from a JS object (rejecting NaN/Infinity with their path) and parsed by the
//! core's [`crate::session::parse_run`], whose errors name the bad field and value.

use super::json::to_json;
use crate::error::Result;
use crate::learning::LearningRule;
use crate::model::NetworkConfig;
use crate::tasks::registry::task_ids;
use crate::tasks::Task;
use crate::train::TrainConfig;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// How much longer than a training trial the persistence test runs after input offset.
pub const LATE_FACTOR: f64 = 5.0;

/// A fully parsed configuration, ready to build a trainer.
pub struct Parsed {
    /// The network (inputs/outputs filled in from the task where omitted).
    pub network: NetworkConfig,
    /// Training hyper-parameters.
    pub train: TrainConfig,
    /// The task.
    pub task: Box<dyn Task>,
    /// The same task with a longer post-stimulus period (decision persistence), if the
    /// task has such a test.
    pub late_task: Option<Box<dyn Task>>,
    /// The learning rule (`bptt` unless the config has a `rule`).
    pub rule: LearningRule,
    /// The configuration as JSON (to rebuild the task when a model is loaded).
    pub json: serde_json::Value,
    /// The memory budget (`limits` section), checked against the run already.
    pub limits: crate::budget::Limits,
}

/// Parse the constructor's argument. See the module docs for the shape.
pub fn parse(config: &JsValue) -> Result<Parsed> {
    parse_json(to_json(config, "")?)
}

/// Parse a configuration already converted to JSON.
pub fn parse_json(json: serde_json::Value) -> Result<Parsed> {
    let setup = crate::session::parse_run(json.clone())?;
    let late_task = setup.task.persistence_variant(LATE_FACTOR);
    Ok(Parsed {
        network: setup.network,
        train: setup.train,
        task: setup.task,
        late_task,
        rule: setup.rule,
        json,
        limits: setup.limits,
    })
}

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
    Ok(serde_wasm_bindgen::to_value(&entries)?)
}
