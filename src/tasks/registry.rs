//! The task registry: stable ids, grouped by paper, and construction from JSON options.
//!
//! Options (all optional; parsed by serde from the config types, so unknown keys and bad
//! values are rejected naming `task.<field>`):
//! - `yang-*`, `modcog-*`, `yang-mixture`, `modcog-mixture`: `dt_ms`, `tau_ms`, `sigma_x`,
//!   `strict_fixation`, `timing` ([`YangConfig`]; neurogym-style period durations,
//!   [`crate::tasks::Duration::from_neurogym`]); `modcog-mixture` also `tasks` (list of Mod-Cog ids;
//!   default all, the rule block has one unit per listed task); `yang-mixture` also `tasks`
//!   (a subset of the 20 `yang-*` ids; the rule block keeps its 20 units) and `sampling`
//!   (`"yang"`, the default: contextdm1/2 drawn 5× as often, as Yang et al.'s code; or
//!   `"uniform"`).
//! - `ngym-modcog-*`, `ngym-modcog-mixture` (Mod-Cog in the authors' neurogym form,
//!   [`super::modcog_ngym`]): `sigma` (input noise, std σ/√dt), `decision_weight`,
//!   `variant` (`"authors"`, the default, or `"corrected"`), `env_seed`; the mixture also
//!   `tasks` (default: the authors' 93 tasks in README order).
//! - Every `tasks` list: non-empty, distinct ids of that family, at most
//!   [`MAX_MIXTURE_TASKS`]; errors name `task.tasks` and the bad id.
//! - `jl-*`: the [`JarneLajeConfig`] fields (absent ones: [`JarneLajeConfig::authors`]).
//! - `turcu-classification`: the [`PatternConfig`] fields.
//! - `turcu-evidence`: the [`PatternConfig`] fields plus `noise_std`, `score_late_stimulus`.
//! - `bench-noise` (the benchmark workload's shape): the [`noise::NoiseConfig`] fields.
//! - `mackey-glass`, `narma10`, `memory-capacity` (reservoir benchmarks): the
//!   [`SeriesConfig`] fields.
//! - `spytorch-random`, `eprop-evidence` (spike inputs): the [`spiking::SpyTorchConfig`] /
//!   [`spiking::EpropEvidenceConfig`] fields.

use super::jarne_laje::{JarneLajeConfig, JarneLajeKind, JarneLajeTask};
use super::mixture::TaskMixture;
use super::modcog_ngym::{self, NgymConfig};
use super::parse_timing;
use super::timeseries::{SeriesConfig, SeriesKind, SeriesTask};
use super::turcu::PatternClassification;
use super::turcu_evidence::{EvidenceAccumulation, EvidenceConfig};
use super::yang::{check_timing, YangConfig, YangKind, YangTask};
use super::{modcog, noise, spiking, Task};
use crate::error::{section, Error, Result};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One registry entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskInfo {
    /// Stable id accepted by [`build_task`].
    pub id: String,
    /// Human-readable name.
    pub name: String,
    /// Source paper.
    pub paper: String,
    /// Task family within the paper.
    pub family: String,
}

fn info(id: impl Into<String>, name: impl Into<String>, paper: &str, family: &str) -> TaskInfo {
    TaskInfo {
        id: id.into(),
        name: name.into(),
        paper: paper.into(),
        family: family.into(),
    }
}

/// Paper of the Turcu & Abbott tasks (the catalog's `paper`).
pub const TURCU: &str = "Turcu & Abbott 2022, PLoS Comput Biol";
/// Paper of Yang et al.'s 20 tasks.
pub const YANG: &str = "Yang et al. 2019, Nat. Neurosci.";
/// Paper of the Mod-Cog battery (Khona et al.).
pub const MODCOG: &str = "Khona et al. 2023, Neural Comput. (Mod-Cog)";
/// Paper of the Jarne & Laje tasks.
pub const JARNE: &str = "Jarne & Laje 2023, J. Comput. Neurosci. (arXiv 1906.01094)";
const RESERVOIR: &str = "Reservoir computing (Jaeger 2001; Jaeger & Haas 2004)";

/// Every task id, grouped by paper (Turcu & Abbott, Yang, Mod-Cog, Jarne & Laje).
pub fn task_ids() -> Vec<TaskInfo> {
    let mut list = vec![
        info(
            "turcu-classification",
            "Pattern classification by amplification",
            TURCU,
            "patterns",
        ),
        info(
            "turcu-evidence",
            "Noisy evidence accumulation on patterns",
            TURCU,
            "patterns",
        ),
    ];
    for kind in YangKind::ALL {
        let id = format!("yang-{}", kind.short());
        list.push(info(id, kind.display_name(), YANG, kind.family()));
    }
    list.push(info("yang-mixture", "All 20 Yang tasks", YANG, "mixture"));
    for (kind, ext) in modcog::variants() {
        let family = match (ext.int, ext.seq) {
            (None, None) => "base",
            (None, Some(_)) => "seq",
            (Some(_), None) => "int",
            (Some(_), Some(_)) => "int-seq",
        };
        let id = modcog::variant_id(kind, ext);
        let name = id.trim_start_matches("modcog-").to_string();
        list.push(info(id, name, MODCOG, family));
    }
    list.push(info("modcog-mixture", "Mod-Cog battery", MODCOG, "mixture"));
    for variant in modcog_ngym::variants() {
        let family = match (variant.int, variant.seq) {
            _ if !variant.is_authors() => "ngym-extension",
            (0, 0) => "ngym-base",
            (0, _) => "ngym-seq",
            (_, 0) => "ngym-int",
            _ => "ngym-int-seq",
        };
        let id = variant.id();
        let short = id.trim_start_matches("ngym-modcog-");
        let name = if variant.is_authors() {
            format!("{short} (authors' form)")
        } else {
            format!("{short} (extension, not in the authors' code)")
        };
        list.push(info(id, name, MODCOG, family));
    }
    list.push(info(
        "ngym-modcog-mixture",
        "Mod-Cog battery (authors' form, dt 100 ms)",
        MODCOG,
        "mixture",
    ));
    for kind in JarneLajeKind::ALL {
        let family = if kind as usize <= 3 {
            "logic"
        } else {
            "temporal"
        };
        list.push(info(kind.id(), kind.name(), JARNE, family));
    }
    list.push(info(
        "spytorch-random",
        "Random spike patterns, random labels (SpyTorch tutorial 1)",
        "Zenke & Vogels 2021 / SpyTorch tutorial 1",
        "spiking",
    ));
    list.push(info(
        "eprop-evidence",
        "Evidence accumulation with spikes",
        "Bellec et al. 2020, Nat. Commun. (e-prop)",
        "spiking",
    ));
    list.push(info(
        "bench-noise",
        "Benchmark workload (noise regression, T 100, I = O = 33)",
        "Benchmark (shared/bench)",
        "benchmark",
    ));
    list.push(info(
        "mackey-glass",
        "Mackey-Glass prediction (τ = 17)",
        RESERVOIR,
        "series",
    ));
    list.push(info("narma10", "NARMA-10", RESERVOIR, "series"));
    list.push(info(
        "memory-capacity",
        "Memory capacity (delayed recall)",
        RESERVOIR,
        "series",
    ));
    list
}

/// The options object (`null` = no options), its keys checked by the config type's serde
/// (`deny_unknown_fields`); errors name `task.<field>` and the value.
fn options_map(value: &Value) -> Result<Map<String, Value>> {
    match value {
        Value::Null => Ok(Map::new()),
        Value::Object(map) => Ok(map.clone()),
        other => Err(Error::field("options", other, "must be a JSON object")),
    }
}

/// Deserialize a task config from `map`, naming the offending `task.<field>`.
fn parse<T: DeserializeOwned>(map: &Map<String, Value>) -> Result<T> {
    section(map, "task")
}

/// Remove `key` from `map` (an option handled outside the config type).
fn take(map: &mut Map<String, Value>, key: &str) -> Option<Value> {
    map.remove(key)
}

/// The Yang / Mod-Cog options; `timing` takes neurogym's forms
/// ([`crate::tasks::Duration::from_neurogym`]).
fn yang_config(map: &Map<String, Value>) -> Result<YangConfig> {
    let mut map = map.clone();
    let timing = take(&mut map, "timing");
    let mut config: YangConfig = parse(&map)?;
    if let Some(timing) = timing {
        config.timing = parse_timing(&timing)?;
    }
    config.validate()?;
    Ok(config)
}

fn ngym_config(map: &Map<String, Value>) -> Result<NgymConfig> {
    let config: NgymConfig = parse(map)?;
    config.validate()?;
    Ok(config)
}

/// Most ids a mixture's `tasks` list may hold.
pub const MAX_MIXTURE_TASKS: usize = 1024;

/// The `tasks` option of a mixture (`None` when absent): a non-empty list of distinct
/// ids, each accepted by `known` (`allowed` describes them); errors name `task.tasks`.
fn id_list<'a>(
    value: Option<&'a Value>,
    known: impl Fn(&str) -> bool,
    allowed: &str,
) -> Result<Option<Vec<&'a str>>> {
    const FIELD: &str = "task.tasks";
    let items = match value {
        None => return Ok(None),
        Some(Value::Array(items)) => items,
        Some(other) => return Err(Error::field(FIELD, other, "must be a list of task ids")),
    };
    if items.is_empty() {
        return Err(Error::field(FIELD, "[]", "must list at least one task"));
    }
    if items.len() > MAX_MIXTURE_TASKS {
        return Err(Error::field(
            FIELD,
            format!("a list of {} ids", items.len()),
            "must list at most 1024 tasks",
        ));
    }
    let mut ids: Vec<&str> = Vec::with_capacity(items.len());
    for item in items {
        let id = item
            .as_str()
            .ok_or_else(|| Error::field(FIELD, item, "must be a list of task ids (strings)"))?;
        if !known(id) {
            return Err(Error::UnknownName {
                field: FIELD,
                value: id.to_string(),
                allowed: allowed.into(),
            });
        }
        if ids.contains(&id) {
            return Err(Error::field(FIELD, id, "must list each task once"));
        }
        ids.push(id);
    }
    Ok(Some(ids))
}

fn unknown(id: &str) -> Error {
    Error::UnknownName {
        field: "task.id",
        value: id.to_string(),
        allowed: "turcu-classification, turcu-evidence, yang-<task>, yang-mixture, \
                  modcog-<task>, modcog-mixture, ngym-modcog-<task>, ngym-modcog-mixture, \
                  jl-<task>, bench-noise, mackey-glass, narma10, memory-capacity, spytorch-random, \
                  eprop-evidence (see registry::task_ids())"
            .into(),
    }
}

/// Build the task `id` with `options` (see the module docs). Unknown ids give
/// [`Error::UnknownName`] for field `task`.
pub fn build_task(id: &str, options: &Value) -> Result<Box<dyn Task>> {
    let mut map = options_map(options)?;
    match id {
        "turcu-classification" => Ok(Box::new(PatternClassification::new(parse(&map)?)?)),
        "bench-noise" => Ok(Box::new(noise::noise_task(&parse(&map)?)?)),
        "mackey-glass" | "narma10" | "memory-capacity" => {
            let kind = match id {
                "mackey-glass" => SeriesKind::MackeyGlass,
                "narma10" => SeriesKind::Narma10,
                _ => SeriesKind::MemoryCapacity,
            };
            let config: SeriesConfig = parse(&map)?;
            Ok(Box::new(SeriesTask::new(kind, config)?))
        }
        "spytorch-random" => Ok(Box::new(spiking::SpyTorchRandom::new(parse(&map)?)?)),
        "eprop-evidence" => Ok(Box::new(spiking::EpropEvidence::new(parse(&map)?)?)),
        "turcu-evidence" => {
            // the pattern fields are flat in the options, the evidence fields beside them
            let extra: Map<String, Value> = ["noise_std", "score_late_stimulus"]
                .into_iter()
                .filter_map(|key| take(&mut map, key).map(|v| (key.to_string(), v)))
                .collect();
            let defaults = EvidenceConfig::default();
            let config = EvidenceConfig {
                pattern: merge(defaults.pattern.clone(), &map)?,
                ..defaults
            };
            Ok(Box::new(EvidenceAccumulation::new(merge(config, &extra)?)?))
        }
        "yang-mixture" => {
            let sampling = take(&mut map, "sampling");
            let listed = take(&mut map, "tasks");
            let config = yang_config(&map)?;
            let kind_of = |id: &str| {
                YangKind::ALL
                    .into_iter()
                    .find(|k| format!("yang-{}", k.short()) == id)
            };
            let allowed = "yang-<task> ids (see task_ids())";
            let kinds: Vec<YangKind> =
                match id_list(listed.as_ref(), |id| kind_of(id).is_some(), allowed)? {
                    None => YangKind::ALL.to_vec(),
                    Some(ids) => ids.iter().filter_map(|id| kind_of(id)).collect(),
                };
            let tasks = kinds
                .iter()
                .map(|k| YangTask::new(*k, config.clone()))
                .collect::<Result<Vec<_>>>()?;
            check_timing(&tasks.iter().collect::<Vec<_>>())?;
            let weights = yang_weights(sampling.as_ref(), &kinds)?;
            let boxed = tasks
                .into_iter()
                .map(|t| Box::new(t) as Box<dyn Task>)
                .collect();
            Ok(Box::new(TaskMixture::weighted(id, boxed, &weights)?))
        }
        "modcog-mixture" => {
            let listed = take(&mut map, "tasks");
            let config = yang_config(&map)?;
            let known = |id: &str| modcog::parse_id(id).is_some();
            let allowed = "modcog-<yang task>[-intr|-intl][-seqr|-seql] (see task_ids())";
            let tasks = match id_list(listed.as_ref(), known, allowed)? {
                None => modcog::all_tasks(&config)?,
                Some(ids) => modcog::tasks(&ids, &config)?,
            };
            check_timing(&tasks.iter().collect::<Vec<_>>())?;
            mixture(id, tasks)
        }
        "ngym-modcog-mixture" => {
            let listed = take(&mut map, "tasks");
            let config = ngym_config(&map)?;
            let known = |id: &str| modcog_ngym::parse_id(id).is_some();
            let allowed = "ngym-modcog-<task> ids (see task_ids())";
            let tasks = match id_list(listed.as_ref(), known, allowed)? {
                None => modcog_ngym::all_tasks(&config)?,
                Some(ids) => modcog_ngym::tasks(&ids, &config)?,
            };
            mixture(id, tasks)
        }
        _ if id.starts_with("ngym-modcog-") => {
            if modcog_ngym::parse_id(id).is_none() {
                return Err(unknown(id));
            }
            Ok(Box::new(modcog_ngym::task(id, &ngym_config(&map)?)?))
        }
        _ if id.starts_with("yang-") => {
            let kind = YangKind::ALL
                .into_iter()
                .find(|k| format!("yang-{}", k.short()) == id)
                .ok_or_else(|| unknown(id))?;
            let task = YangTask::new(kind, yang_config(&map)?)?;
            check_timing(&[&task])?;
            Ok(Box::new(task))
        }
        _ if id.starts_with("modcog-") => {
            if modcog::parse_id(id).is_none() {
                return Err(unknown(id));
            }
            let task = modcog::task(id, &yang_config(&map)?)?;
            check_timing(&[&task])?;
            Ok(Box::new(task))
        }
        _ => {
            let kind = JarneLajeKind::ALL
                .into_iter()
                .find(|k| k.id() == id)
                .ok_or_else(|| unknown(id))?;
            // the fields left out take the authors' values for this task
            let mut merged = match serde_json::to_value(JarneLajeConfig::authors(kind)) {
                Ok(Value::Object(base)) => base,
                _ => Map::new(),
            };
            merged.extend(map.iter().map(|(k, v)| (k.clone(), v.clone())));
            let config: JarneLajeConfig = parse(&merged)?;
            Ok(Box::new(JarneLajeTask::new(kind, config)?))
        }
    }
}

/// How often `yang-mixture` draws each of its tasks `kinds` (`sampling`): `"yang"` (the default, Yang et al.'s `train.py` `rule_prob_map`: contextdm1
/// and contextdm2 five times as often as each other task) or `"uniform"`.
fn yang_weights(sampling: Option<&Value>, kinds: &[YangKind]) -> Result<Vec<f64>> {
    let boost = match sampling.map(|v| v.as_str()) {
        None | Some(Some("yang")) => YANG_CONTEXT_DM_WEIGHT,
        Some(Some("uniform")) => 1.0,
        Some(_) => {
            return Err(Error::UnknownName {
                field: "task.sampling",
                value: sampling.map(|v| v.to_string()).unwrap_or_default(),
                allowed: "yang, uniform".into(),
            })
        }
    };
    Ok(kinds
        .iter()
        .map(|k| match k {
            YangKind::ContextDm1 | YangKind::ContextDm2 => boost,
            _ => 1.0,
        })
        .collect())
}

/// Yang et al.'s `rule_prob_map` weight of contextdm1 and contextdm2 (train.py).
pub const YANG_CONTEXT_DM_WEIGHT: f64 = 5.0;

/// The uniform mixture `id` of `tasks`.
fn mixture<T: Task + 'static>(id: &str, tasks: Vec<T>) -> Result<Box<dyn Task>> {
    let boxed = tasks
        .into_iter()
        .map(|t| Box::new(t) as Box<dyn Task>)
        .collect();
    Ok(Box::new(TaskMixture::uniform(id, boxed)?))
}

/// `base` with the fields given in `map` replaced (serde, so unknown keys and bad values
/// are errors naming `task.<field>`).
fn merge<T: Serialize + DeserializeOwned>(base: T, map: &Map<String, Value>) -> Result<T> {
    let mut whole = match serde_json::to_value(base) {
        Ok(Value::Object(whole)) => whole,
        _ => Map::new(),
    };
    whole.extend(map.clone());
    parse(&whole)
}

#[cfg(test)]
#[path = "registry_tests.rs"]
mod tests;
