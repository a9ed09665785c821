//! A complete run description — `{ "network": {...}, "train": {...}, "task": {"id": ..., options} }`
//! — parsed from JSON into a ready [`Trainer`]. The same shape is used by the page, the
//! JS API and the `srnn` CLI. Missing `n_inputs` / `n_outputs` are taken from the task;
//! for Turcu & Abbott's patterns with the identity input map, `pattern_dim` follows
//! `n_neurons`.

use crate::error::{Error, Result};
use crate::model::{InputMap, Network, NetworkConfig, Readout};
use crate::tasks::registry::build_task;
use crate::tasks::Task;
use crate::train::{TrainConfig, Trainer};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// A parsed run description.
pub struct RunSetup {
    /// Network configuration (validated, channel counts filled in).
    pub network: NetworkConfig,
    /// Training hyper-parameters (validated).
    pub train: TrainConfig,
    /// Task id.
    pub task_id: String,
    /// Task options as given (without `id`).
    pub task_options: Map<String, Value>,
    /// The task.
    pub task: Box<dyn Task>,
}

impl RunSetup {
    /// Build the network and the trainer.
    pub fn into_trainer(self) -> Result<Trainer> {
        Trainer::new(Network::new(self.network)?, self.task, self.train)
    }
}

/// A config parse error naming the field at `path` and its value.
pub fn bad(path: &str, expected: &str, value: String) -> Error {
    Error::Parse {
        what: "config",
        reason: format!("`{path}` {expected}, but is {value}"),
    }
}

/// `{}` for null, the map for an object, an error naming `path` otherwise.
pub fn object(value: Value, path: &str) -> Result<Map<String, Value>> {
    match value {
        Value::Null => Ok(Map::new()),
        Value::Object(map) => Ok(map),
        other => Err(bad(path, "must be an object", other.to_string())),
    }
}

/// Deserialize a `#[serde(default, deny_unknown_fields)]` section; on a type error, name
/// the offending field by re-parsing the fields one at a time.
pub fn section<T: DeserializeOwned>(map: &Map<String, Value>, path: &str) -> Result<T> {
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

/// Parse a run description (see the module docs).
pub fn parse_run(config: Value) -> Result<RunSetup> {
    let root = object(config, "config")?;
    for key in root.keys() {
        if !["network", "train", "task"].contains(&key.as_str()) {
            return Err(Error::UnknownName {
                field: "config",
                value: key.clone(),
                allowed: "network, train, task".into(),
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
    let task_json = root
        .get("task")
        .cloned()
        .ok_or_else(|| bad("task", "must be an object with an `id`", "missing".into()))?;
    let mut options = object(task_json, "task")?;
    let task_id = match options.remove("id") {
        Some(Value::String(id)) => id,
        other => return Err(bad("task.id", "must be a string", format!("{other:?}"))),
    };
    if task_id.starts_with("turcu-") {
        if inputs_given || network.input_map == InputMap::Identity {
            options
                .entry("pattern_dim")
                .or_insert(network.n_inputs.into());
        }
        options.entry("dt_ms").or_insert(network.dt_ms.into());
    }
    let task = build_task(&task_id, &Value::Object(options.clone()))?;
    let spec = task.spec();
    if !inputs_given {
        network.n_inputs = spec.n_inputs;
    }
    if !network_json.contains_key("n_outputs") && network.readout == Readout::Trained {
        network.n_outputs = spec.n_outputs;
    }
    if !network_json.contains_key("dt_ms") {
        network.dt_ms = spec.dt_ms;
    }
    network.validate()?;
    let train_json = object(root.get("train").cloned().unwrap_or_default(), "train")?;
    let train: TrainConfig = section(&train_json, "train")?;
    train.validate()?;
    Ok(RunSetup {
        network,
        train,
        task_id,
        task_options: options,
        task,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fills_channels_from_the_task_and_names_bad_fields() {
        let setup =
            parse_run(json!({"network": {"n_neurons": 32, "k": 4}, "task": {"id": "yang-go"}}))
                .unwrap();
        assert_eq!((setup.network.n_inputs, setup.network.n_outputs), (85, 33));
        let turcu = parse_run(json!({
            "network": {"n_neurons": 50, "k": 5, "input_map": "identity", "readout": "population"},
            "task": {"id": "turcu-classification", "n_patterns": 10}
        }))
        .unwrap();
        assert_eq!(turcu.task.spec().n_inputs, 50);
        assert!(turcu.into_trainer().is_ok());
        let err = |v: Value| parse_run(v).err().expect("must fail").to_string();
        assert!(
            err(json!({"network": {"n_neurons": 10, "k": 11}, "task": {"id": "yang-go"}}))
                .contains("`k`")
        );
        assert!(
            err(json!({"network": {"dt_ms": "fast"}, "task": {"id": "yang-go"}}))
                .contains("network.dt_ms")
        );
        assert!(
            err(json!({"train": {"learning_rate": -1.0}, "task": {"id": "yang-go"}}))
                .contains("learning_rate")
        );
        assert!(err(json!({"task": {"id": "nope"}})).contains("nope"));
        assert!(err(json!({"task": {"id": "yang-go"}, "extra": 1})).contains("extra"));
    }
}
