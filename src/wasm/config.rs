//! The constructor's configuration: `{ network: {...}, train: {...}, task: { id, ... } }`,
//! parsed from a JS object with errors that name the bad field and its value.

use super::json::{bad, to_json};
use crate::error::{Error, Result};
use crate::model::{InputMap, NetworkConfig};
use crate::tasks::turcu::{PatternClassification, PatternConfig};
use crate::tasks::Task;
use crate::train::TrainConfig;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;

/// Ids of the tasks the simulator can build, comma-separated.
pub const TASK_IDS: &str = "turcu-classification";
/// Id of Turcu & Abbott's pattern classification.
const TURCU: &str = "turcu-classification";
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
}

/// Parse the constructor's argument. See the module docs for the shape.
pub fn parse(config: &JsValue) -> Result<Parsed> {
    let root = object(to_json(config, "")?, "config")?;
    for key in root.keys() {
        if !["network", "train", "task"].contains(&key.as_str()) {
            let value = key.clone();
            let allowed = "network, train, task".into();
            return Err(Error::UnknownName {
                field: "config",
                value,
                allowed,
            });
        }
    }
    let network_json = object(root.get("network").cloned().unwrap_or_default(), "network")?;
    let mut network: NetworkConfig = section(&network_json, "network")?;
    let inputs_given = network_json.contains_key("n_inputs");
    if !inputs_given && network.input_map == InputMap::Identity {
        network.n_inputs = network.n_neurons;
    }
    network.validate()?;
    let Some(task_json) = root.get("task").cloned() else {
        return Err(bad(
            "task",
            "must be an object with an `id`",
            "missing".into(),
        ));
    };
    let mut options = object(task_json, "task")?;
    let id = match options.remove("id") {
        Some(Value::String(id)) => id,
        other => return Err(bad("task.id", "must be a string", format!("{other:?}"))),
    };
    if id == TURCU {
        let identity = network.input_map == InputMap::Identity;
        if inputs_given || identity {
            options
                .entry("pattern_dim")
                .or_insert(network.n_inputs.into());
        }
        options.entry("dt_ms").or_insert(network.dt_ms.into());
    }
    let (task, late_task) = build_task(&id, &options)?;
    let spec = task.spec();
    if !inputs_given {
        network.n_inputs = spec.n_inputs;
    }
    if !network_json.contains_key("n_outputs") {
        network.n_outputs = spec.n_outputs;
    }
    let train_json = object(root.get("train").cloned().unwrap_or_default(), "train")?;
    let train = section(&train_json, "train")?;
    Ok(Parsed {
        network,
        train,
        task,
        late_task,
    })
}

type BuiltTask = (Box<dyn Task>, Option<Box<dyn Task>>);

/// Build task `id` from its options (and its persistence variant, if any).
fn build_task(id: &str, options: &Map<String, Value>) -> Result<BuiltTask> {
    match id {
        TURCU => {
            let task = PatternClassification::new(section::<PatternConfig>(options, "task")?)?;
            let late = task.with_response_ms(task.config.response_ms * LATE_FACTOR);
            Ok((Box::new(task), Some(Box::new(late))))
        }
        // When `crate::tasks::registry` lands this arm becomes:
        // other => Ok((crate::tasks::registry::build_task(other, &Value::Object(options.clone()))?, None)),
        other => Err(Error::UnknownName {
            field: "task.id",
            value: other.to_string(),
            allowed: TASK_IDS.to_string(),
        }),
    }
}

/// `{}` for null, the map for an object, an error naming `path` otherwise.
fn object(value: Value, path: &str) -> Result<Map<String, Value>> {
    match value {
        Value::Null => Ok(Map::new()),
        Value::Object(map) => Ok(map),
        other => Err(bad(path, "must be an object", other.to_string())),
    }
}

/// Deserialize a `#[serde(default, deny_unknown_fields)]` section; on a type error, find
/// and name the offending field by parsing the fields one at a time.
fn section<T: DeserializeOwned>(map: &Map<String, Value>, path: &str) -> Result<T> {
    serde_json::from_value(Value::Object(map.clone())).map_err(|whole| {
        for (key, value) in map {
            let single = Map::from_iter([(key.clone(), value.clone())]);
            if let Err(error) = serde_json::from_value::<T>(Value::Object(single)) {
                return bad(
                    &format!("{path}.{key}"),
                    &format!("is invalid ({error})"),
                    value.to_string(),
                );
            }
        }
        Error::Parse {
            what: "config",
            reason: format!("{path}: {whole}"),
        }
    })
}

/// One entry of [`task_catalog`].
#[derive(Serialize)]
struct CatalogEntry {
    id: String,
    name: String,
    paper: String,
}

/// The tasks the simulator can build: `[{id, name, paper}]`, for grouping by paper in a UI.
#[wasm_bindgen(js_name = taskCatalog)]
pub fn task_catalog() -> std::result::Result<JsValue, JsError> {
    let mut entries = Vec::new();
    for id in TASK_IDS.split(", ") {
        let (task, _) = build_task(id, &Map::new())?;
        let spec = task.spec();
        entries.push(CatalogEntry {
            id: spec.id,
            name: spec.name,
            paper: spec.paper,
        });
    }
    Ok(serde_wasm_bindgen::to_value(&entries)?)
}
