//! A complete run description — `{ "network": {...}, "train": {...}, "task": {"id": ..., options},
//! "rule": {...} }` — parsed from JSON and checked once into a [`RunSetup`], ready to build
//! the one [`Trainer`] (with its rule). The same
//! shape is used by the page, the JS API and the `srnn` CLI. Missing `n_inputs` /
//! `n_outputs` are taken from the task; for Turcu & Abbott's patterns with the identity
//! input map, `pattern_dim` follows `n_neurons`.
//!
//! A `reservoir` section (reservoirpy's names: `units`, `lr`, `sr`, `input_scaling`,
//! `rc_connectivity`, `input_connectivity`, `bias_scaling`, `mask`, …; see
//! [`crate::model::reservoir::EsnConfig`]) replaces `network`: the echo-state network is
//! built from it, and `rule` then defaults to `{"rule": "reservoir"}` (ridge readout;
//! `ridge`, `warmup`, … in the rule). Errors name `reservoir.<field>`.
//!
//! `rule` is optional (default `{"rule": "bptt"}`): either a rule name (`"feedback-alignment"`)
//! or the [`LearningRule`] JSON form `{"rule": "<name>", ...settings}`. Errors name the
//! field, e.g. `` `rule.step_size` must be in (0, 1], but is 2``. `train` may also hold
//! `lr_decay` (Keras's time-based learning-rate decay, see [`Trainer::set_lr_decay`]).

use crate::error::{bad, object, section, Error, Result};
use crate::error::{Check, Checked};
use crate::learning::{LearningRule, Trainer};
use crate::model::reservoir::{build_esn, EsnConfig};
use crate::model::{InputMap, Network, NetworkConfig, Readout};
use crate::tasks::registry::build_task;
use crate::tasks::Task;
use crate::train::TrainConfig;
use serde_json::{Map, Value};

/// Set every field of `patch` in the run description `base`: objects are merged key by key
/// at every depth (so `{"train": {"learning_rate": 0.01}}` changes only the learning rate),
/// anything else — numbers, strings, arrays, `null` — replaces what `base` had there. This
/// is RFC 7396's JSON merge patch except that `null` is written rather than deleting the
/// field. Probes and claims use it to derive a variant from a run description; the result
/// is checked like any other when it is parsed.
pub fn patch_run(base: &mut Value, patch: &Value) {
    match (base, patch) {
        (Value::Object(fields), Value::Object(changes)) => {
            for (key, value) in changes {
                patch_run(fields.entry(key.clone()).or_insert(Value::Null), value);
            }
        }
        (slot, value) => *slot = value.clone(),
    }
}

/// A parsed run description.
pub struct RunSetup {
    /// Network configuration (channel counts filled in, checked).
    pub network: Checked<NetworkConfig>,
    /// Training hyper-parameters (checked).
    pub train: Checked<TrainConfig>,
    /// Task id.
    pub task_id: String,
    /// Task options as given (without `id`).
    pub task_options: Map<String, Value>,
    /// The task.
    pub task: Box<dyn Task>,
    /// The learning rule (checked; [`LearningRule::Bptt`] when the key is absent).
    pub rule: Checked<LearningRule>,
    /// The memory budget (`limits` section; platform default when absent), already checked
    /// against the run's estimate.
    pub limits: crate::budget::Limits,
    /// `train.lr_decay` (Keras's time-based learning-rate decay; 0 = constant).
    pub lr_decay: f64,
    /// The echo-state network the `reservoir` section describes (checked), if any; the
    /// network is then built from it (`network` holds its [`EsnConfig::network_config`]).
    pub reservoir: Option<Checked<EsnConfig>>,
}

impl RunSetup {
    /// Build the network and the trainer for the parsed rule.
    pub fn into_trainer(self) -> Result<Trainer> {
        crate::budget::probe_network(&self.network)?;
        let network = match &self.reservoir {
            Some(esn) => build_esn(esn, self.network.n_inputs, self.network.n_outputs)?,
            None => Network::from_checked(self.network)?,
        };
        let mut trainer = Trainer::from_checked(network, self.task, self.train, self.rule)?;
        trainer.set_lr_decay(self.lr_decay)?;
        Ok(trainer)
    }

    /// The trainer for the parsed rule around an existing `network` (a loaded model).
    pub fn into_trainer_with(self, network: Network) -> Result<Trainer> {
        let mut trainer = Trainer::from_checked(network, self.task, self.train, self.rule)?;
        trainer.set_lr_decay(self.lr_decay)?;
        Ok(trainer)
    }
}

/// Parse the optional `rule` of a run description (see the module docs). Errors name the
/// field: `rule`, `rule.rule` or `rule.<setting>`.
pub fn parse_rule(value: Option<&Value>) -> Result<Checked<LearningRule>> {
    let map = match value {
        None | Some(Value::Null) => return LearningRule::Bptt.check(),
        Some(Value::String(name)) => {
            Map::from_iter([("rule".to_string(), Value::String(name.clone()))])
        }
        Some(Value::Object(map)) => map.clone(),
        Some(other) => {
            return Err(bad(
                "rule",
                "must be a rule name or an object {\"rule\": <name>, ...settings}",
                other.to_string(),
            ))
        }
    };
    let name = match map.get("rule") {
        Some(Value::String(name)) => name.clone(),
        other => {
            let shown = other.map_or("missing".to_string(), Value::to_string);
            return Err(bad("rule.rule", "must be a rule name (a string)", shown));
        }
    };
    let tag_only = Map::from_iter([("rule".to_string(), Value::String(name.clone()))]);
    if let Err(error) = serde_json::from_value::<LearningRule>(Value::Object(tag_only.clone())) {
        if error.to_string().contains("unknown variant") {
            return Err(Error::UnknownName {
                field: "rule.rule",
                value: name,
                allowed: LearningRule::NAMES.into(),
            });
        }
    }
    let rule: LearningRule =
        serde_json::from_value(Value::Object(map.clone())).map_err(|whole| {
            for (key, item) in map.iter().filter(|(k, _)| k.as_str() != "rule") {
                let mut single = tag_only.clone();
                single.insert(key.clone(), item.clone());
                if let Err(error) = serde_json::from_value::<LearningRule>(Value::Object(single)) {
                    return bad(
                        &format!("rule.{key}"),
                        &format!("is invalid ({error})"),
                        item.to_string(),
                    );
                }
            }
            bad(
                "rule",
                &format!("is invalid ({whole})"),
                Value::Object(map.clone()).to_string(),
            )
        })?;
    rule.check().map_err(|error| match error {
        Error::InvalidField {
            field,
            value,
            expected,
        } => bad(&format!("rule.{field}"), expected, value),
        other => other,
    })
}

/// Parse a run description (see the module docs).
pub fn parse_run(config: Value) -> Result<RunSetup> {
    parse_run_with(config, None)
}

/// Parse a run description whose task is given (`Some`: a task made outside the registry,
/// e.g. by a Python callable; the `task` section is then optional and not read) or built
/// from its `task` section (`None`, [`parse_run`]).
pub fn parse_run_with(config: Value, given_task: Option<Box<dyn Task>>) -> Result<RunSetup> {
    crate::budget::depth::check_value(&config)?;
    let root = object(config, "config")?;
    for key in root.keys() {
        if !["network", "train", "task", "rule", "limits", "reservoir"].contains(&key.as_str()) {
            return Err(Error::UnknownName {
                field: "config",
                value: key.clone(),
                allowed: "network, train, task, rule, limits, reservoir".into(),
            });
        }
    }
    let reservoir = match root.get("reservoir") {
        None => None,
        Some(value) => {
            if root.contains_key("network") {
                return Err(bad(
                    "network",
                    "must be absent when `reservoir` describes the network",
                    "given".into(),
                ));
            }
            let map = object(value.clone(), "reservoir")?;
            Some(section::<EsnConfig>(&map, "reservoir")?.check()?)
        }
    };
    let limits_json = object(root.get("limits").cloned().unwrap_or_default(), "limits")?;
    let limits: crate::budget::Limits = section(&limits_json, "limits")?;
    limits.validate()?;
    let network_json = object(root.get("network").cloned().unwrap_or_default(), "network")?;
    let mut network: NetworkConfig = section(&network_json, "network")?;
    crate::budget::defaults::apply_network_defaults(&mut network, &network_json);
    let explain = |e| crate::budget::defaults::explain_defaulted(e, &network_json);
    let inputs_given = network_json.contains_key("n_inputs");
    if !inputs_given && network.input_map == InputMap::Identity {
        network.n_inputs = network.n_neurons;
    }
    network.validate().map_err(explain)?;
    let mut train_json = object(root.get("train").cloned().unwrap_or_default(), "train")?;
    let lr_decay = parse_lr_decay(train_json.remove("lr_decay"))?;
    let train = section::<TrainConfig>(&train_json, "train")?.check()?;
    let rule = match (root.get("rule"), &reservoir) {
        (None, Some(_)) => parse_rule(Some(&serde_json::json!("reservoir")))?,
        (given, _) => parse_rule(given)?,
    };
    // the evaluation of a run curve; larger evaluations are checked when they are asked for
    let evaluation = Some((super::eval::RUN_EVAL_TRIALS, None));
    let (task_id, options, task, buffers) = match given_task {
        Some(task) => {
            let buffers = crate::budget::TaskBuffers::default();
            (task.spec().id, Map::new(), task, buffers)
        }
        None => {
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
            // the task's own buffers (patterns) with the network, before anything is drawn
            let buffers = crate::budget::task_buffers(&task_id, &options);
            let mut first = network.clone();
            if let Some(dim) = options.get("pattern_dim").and_then(Value::as_u64) {
                // Turcu & Abbott: one input channel per pattern component
                if !inputs_given && dim as usize <= crate::model::MAX_NEURONS {
                    first.n_inputs = dim as usize;
                }
            }
            if buffers.worth_checking_first() {
                crate::budget::check_task_first(
                    &first, &train, &task_id, &rule, &buffers, &limits, evaluation,
                )?;
            }
            let task = build_task(&task_id, &Value::Object(options.clone()))?;
            (task_id, options, task, buffers)
        }
    };
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
    if let Some(esn) = &reservoir {
        network = esn.network_config(spec.n_inputs, spec.n_outputs);
    }
    let network = network.check().map_err(explain)?;
    crate::budget::check_run(
        &network,
        &train,
        task.as_ref(),
        &rule,
        &limits,
        evaluation,
        &buffers,
    )?;
    Ok(RunSetup {
        network,
        train,
        task_id,
        task_options: options,
        task,
        rule,
        limits,
        lr_decay,
        reservoir,
    })
}

/// `train.lr_decay`: Keras's time-based decay (update k, 0-based, uses
/// `learning_rate / (1 + lr_decay · k)`; Jarne & Laje: 1e-4); absent = 0 (constant).
fn parse_lr_decay(value: Option<Value>) -> Result<f64> {
    match value {
        None | Some(Value::Null) => Ok(0.0),
        Some(Value::Number(x)) => match x.as_f64() {
            Some(d) if (0.0..=1.0).contains(&d) => Ok(d),
            _ => Err(bad("train.lr_decay", "must be in [0, 1]", x.to_string())),
        },
        Some(other) => Err(bad(
            "train.lr_decay",
            "must be a number in [0, 1]",
            other.to_string(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_patch_changes_only_the_fields_it_names() {
        let mut run = json!({"network": {"n_neurons": 32, "k": 4},
                             "train": {"learning_rate": 0.001, "batch_size": 8},
                             "task": {"id": "yang-go"}, "rule": "bptt"});
        patch_run(
            &mut run,
            &json!({"train": {"learning_rate": 0.01}, "task": {"delay_ms": 150},
                    "rule": {"rule": "eprop"}, "network": {"k": [1, 2]}}),
        );
        assert_eq!(
            run,
            json!({"network": {"n_neurons": 32, "k": [1, 2]},
                   "train": {"learning_rate": 0.01, "batch_size": 8},
                   "task": {"id": "yang-go", "delay_ms": 150}, "rule": {"rule": "eprop"}})
        );
    }

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

    #[test]
    fn a_given_task_replaces_the_task_section() {
        use crate::tasks::recorded::RecordedTask;
        use crate::tasks::{TaskSpec, Trial, TrialLabel};
        let spec = TaskSpec {
            id: "given".into(),
            name: "Given".into(),
            paper: String::new(),
            n_inputs: 2,
            n_outputs: 1,
            dt_ms: 10.0,
        };
        let trial = Trial {
            inputs: ndarray::Array2::ones((4, 2)),
            targets: ndarray::Array2::ones((4, 1)),
            mask: ndarray::Array2::ones((4, 1)),
            periods: Vec::new(),
            label: TrialLabel::Trace,
            task_index: 0,
        };
        let task = || Box::new(RecordedTask::new(spec.clone(), vec![trial.clone()], 0.1).unwrap());
        let setup =
            parse_run_with(json!({"network": {"n_neurons": 8, "k": 2}}), Some(task())).unwrap();
        assert_eq!(setup.task_id, "given");
        assert_eq!((setup.network.n_inputs, setup.network.n_outputs), (2, 1));
        assert_eq!(setup.network.dt_ms, 10.0);
        let mut session = crate::lab::session::Session::with_task(
            json!({"network": {"n_neurons": 8, "k": 2}}),
            task(),
        )
        .unwrap();
        assert_eq!(session.train(3).unwrap().step, 3);
        let err = parse_run_with(json!({"network": {"n_neurons": 8, "k": 9}}), Some(task()));
        assert!(err.err().expect("k > n").to_string().contains("`k`"));
    }

    #[test]
    fn rules_parse_from_names_and_objects_and_errors_name_the_field() {
        let run = |rule: Value| parse_run(json!({"task": {"id": "jl-xor"}, "rule": rule}));
        assert_eq!(
            *parse_run(json!({"task": {"id": "jl-xor"}})).unwrap().rule,
            LearningRule::Bptt
        );
        assert!(matches!(
            *run(json!("feedback-alignment")).unwrap().rule,
            LearningRule::FeedbackAlignment(_)
        ));
        let pc = run(json!({"rule": "predictive-coding", "iterations": 5})).unwrap();
        assert!(matches!(*pc.rule, LearningRule::PredictiveCoding(ref c) if c.iterations == 5));
        assert!(pc.into_trainer().is_ok());
        let err = |rule: Value| run(rule).err().expect("must fail").to_string();
        let e = err(json!("sgd"));
        assert!(
            e.contains("rule.rule") && e.contains("sgd") && e.contains("bptt"),
            "{e}"
        );
        let e = err(json!({"rule": "predictive-coding", "step_size": 2.0}));
        assert!(e.contains("`rule.step_size`") && e.contains('2'), "{e}");
        let e = err(json!({"rule": "predictive-coding", "iterations": "many"}));
        assert!(e.contains("`rule.iterations`") && e.contains("many"), "{e}");
        let e = err(json!({"rule": "feedback-alignment", "scale": 1}));
        assert!(e.contains("rule.scale"), "{e}");
        let e = err(json!({"variant": "strict"}));
        assert!(e.contains("rule.rule") && e.contains("missing"), "{e}");
        let e = err(json!(3));
        assert!(e.contains("`rule`"), "{e}");
    }
}
