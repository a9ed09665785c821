//! The task registry: stable ids, grouped by paper, and construction from JSON options.
//!
//! Options (all optional; unknown keys and bad values are rejected naming the field):
//! - `yang-*`, `modcog-*`, `yang-mixture`, `modcog-mixture`: `dt_ms`, `tau_ms`, `sigma_x`,
//!   `strict_fixation` ([`YangConfig`]); `modcog-mixture` also `tasks` (list of Mod-Cog ids;
//!   default all, the rule block has one unit per listed task).
//! - `ngym-modcog-*`, `ngym-modcog-mixture` (Mod-Cog in the authors' neurogym form,
//!   [`super::modcog_ngym`]): `sigma` (input noise, std σ/√dt), `decision_weight`; the
//!   mixture also `tasks`.
//! - `jl-*`: the [`JarneLajeConfig`] fields.
//! - `turcu-classification`: the [`PatternConfig`] fields.
//! - `turcu-evidence`: the [`PatternConfig`] fields plus `noise_std`, `score_late_stimulus`.

use super::jarne_laje::{JarneLajeConfig, JarneLajeKind, JarneLajeTask};
use super::mixture::TaskMixture;
use super::modcog_ngym::{self, NgymConfig};
use super::turcu::{PatternClassification, PatternConfig};
use super::turcu_evidence::{EvidenceAccumulation, EvidenceConfig};
use super::yang::{YangConfig, YangKind, YangTask};
use super::{modcog, Task};
use crate::error::{Error, Result};
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

const TURCU: &str = "Turcu & Abbott 2022, PLoS Comput Biol";
const YANG: &str = "Yang et al. 2019, Nat. Neurosci.";
const MODCOG: &str = "Khona et al. 2023, Neural Comput. (Mod-Cog)";
const JARNE: &str = "Jarne & Laje 2023, J. Comput. Neurosci. (arXiv 1906.01094)";

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
            (0, 0) => "ngym-base",
            (0, _) => "ngym-seq",
            (_, 0) => "ngym-int",
            _ => "ngym-int-seq",
        };
        let id = variant.id();
        let name = format!("{} (authors' form)", id.trim_start_matches("ngym-modcog-"));
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
    list
}

/// Validated access to a JSON options object.
struct Options<'a>(Option<&'a Map<String, Value>>);

impl<'a> Options<'a> {
    fn new(value: &'a Value, allowed: &[&str]) -> Result<Self> {
        let map = match value {
            Value::Null => return Ok(Options(None)),
            Value::Object(map) => map,
            other => return Err(Error::field("options", other, "must be a JSON object")),
        };
        if let Some(key) = map.keys().find(|k| !allowed.contains(&k.as_str())) {
            return Err(Error::UnknownName {
                field: "options",
                value: key.clone(),
                allowed: allowed.join(", "),
            });
        }
        Ok(Options(Some(map)))
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        self.0.and_then(|m| m.get(key))
    }

    fn f64(&self, key: &'static str, slot: &mut f64) -> Result<()> {
        if let Some(v) = self.get(key) {
            *slot = v
                .as_f64()
                .ok_or_else(|| Error::field(key, v, "must be a number"))?;
        }
        Ok(())
    }

    fn u64(&self, key: &'static str, slot: &mut u64) -> Result<()> {
        if let Some(v) = self.get(key) {
            *slot = v
                .as_u64()
                .ok_or_else(|| Error::field(key, v, "must be an integer >= 0"))?;
        }
        Ok(())
    }

    fn usize(&self, key: &'static str, slot: &mut usize) -> Result<()> {
        let mut value = *slot as u64;
        self.u64(key, &mut value)?;
        *slot = usize::try_from(value).map_err(|_| Error::field(key, value, "is too large"))?;
        Ok(())
    }

    fn bool(&self, key: &'static str, slot: &mut bool) -> Result<()> {
        if let Some(v) = self.get(key) {
            *slot = v
                .as_bool()
                .ok_or_else(|| Error::field(key, v, "must be true or false"))?;
        }
        Ok(())
    }
}

const YANG_KEYS: [&str; 4] = ["dt_ms", "tau_ms", "sigma_x", "strict_fixation"];
const PATTERN_KEYS: [&str; 10] = [
    "n_patterns",
    "pattern_dim",
    "input_fraction",
    "dt_ms",
    "stimulus_ms",
    "response_ms",
    "target_high",
    "target_low",
    "input_noise_std",
    "seed",
];

fn yang_config(o: &Options) -> Result<YangConfig> {
    let mut c = YangConfig::default();
    o.f64("dt_ms", &mut c.dt_ms)?;
    o.f64("tau_ms", &mut c.tau_ms)?;
    o.f64("sigma_x", &mut c.sigma_x)?;
    o.bool("strict_fixation", &mut c.strict_fixation)?;
    c.validate()?;
    Ok(c)
}

fn pattern_config(o: &Options, mut c: PatternConfig) -> Result<PatternConfig> {
    o.usize("n_patterns", &mut c.n_patterns)?;
    o.usize("pattern_dim", &mut c.pattern_dim)?;
    o.f64("input_fraction", &mut c.input_fraction)?;
    o.f64("dt_ms", &mut c.dt_ms)?;
    o.f64("stimulus_ms", &mut c.stimulus_ms)?;
    o.f64("response_ms", &mut c.response_ms)?;
    o.f64("target_high", &mut c.target_high)?;
    o.f64("target_low", &mut c.target_low)?;
    o.f64("input_noise_std", &mut c.input_noise_std)?;
    o.u64("seed", &mut c.seed)?;
    Ok(c)
}

fn ngym_config(o: &Options) -> Result<NgymConfig> {
    let mut c = NgymConfig::default();
    o.f64("sigma", &mut c.sigma)?;
    o.f64("decision_weight", &mut c.decision_weight)?;
    c.validate()?;
    Ok(c)
}

/// The `tasks` option: a list of ids (`None` when absent).
fn id_list<'a>(o: &Options<'a>) -> Result<Option<Vec<&'a str>>> {
    match o.get("tasks") {
        None => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .ok_or_else(|| Error::field("tasks", v, "must be a list of ids"))
            })
            .collect::<Result<Vec<&str>>>()
            .map(Some),
        Some(other) => Err(Error::field("tasks", other, "must be a list of ids")),
    }
}

fn unknown(id: &str) -> Error {
    Error::UnknownName {
        field: "task.id",
        value: id.to_string(),
        allowed: "turcu-classification, turcu-evidence, yang-<task>, yang-mixture, \
                  modcog-<task>, modcog-mixture, ngym-modcog-<task>, ngym-modcog-mixture, \
                  jl-<task> (see registry::task_ids())"
            .into(),
    }
}

/// Build the task `id` with `options` (see the module docs). Unknown ids give
/// [`Error::UnknownName`] for field `task`.
pub fn build_task(id: &str, options: &Value) -> Result<Box<dyn Task>> {
    match id {
        "turcu-classification" => {
            let o = Options::new(options, &PATTERN_KEYS)?;
            let config = pattern_config(&o, PatternConfig::default())?;
            Ok(Box::new(PatternClassification::new(config)?))
        }
        "turcu-evidence" => {
            let mut keys = PATTERN_KEYS.to_vec();
            keys.extend(["noise_std", "score_late_stimulus"]);
            let o = Options::new(options, &keys)?;
            let mut config = EvidenceConfig::default();
            config.pattern = pattern_config(&o, config.pattern)?;
            o.f64("noise_std", &mut config.noise_std)?;
            o.bool("score_late_stimulus", &mut config.score_late_stimulus)?;
            Ok(Box::new(EvidenceAccumulation::new(config)?))
        }
        "yang-mixture" => {
            let config = yang_config(&Options::new(options, &YANG_KEYS)?)?;
            let tasks = YangKind::ALL
                .iter()
                .map(|k| YangTask::new(*k, config.clone()).map(|t| Box::new(t) as Box<dyn Task>))
                .collect::<Result<Vec<_>>>()?;
            Ok(Box::new(TaskMixture::uniform(id, tasks)?))
        }
        "modcog-mixture" => {
            let mut keys = YANG_KEYS.to_vec();
            keys.push("tasks");
            let o = Options::new(options, &keys)?;
            let config = yang_config(&o)?;
            let tasks = match id_list(&o)? {
                None => modcog::all_tasks(&config)?,
                Some(ids) => modcog::tasks(&ids, &config)?,
            };
            let boxed = tasks
                .into_iter()
                .map(|t| Box::new(t) as Box<dyn Task>)
                .collect();
            Ok(Box::new(TaskMixture::uniform(id, boxed)?))
        }
        "ngym-modcog-mixture" => {
            let o = Options::new(options, &["sigma", "decision_weight", "tasks"])?;
            let config = ngym_config(&o)?;
            let tasks = match id_list(&o)? {
                None => modcog_ngym::all_tasks(&config)?,
                Some(ids) => modcog_ngym::tasks(&ids, &config)?,
            };
            let boxed = tasks
                .into_iter()
                .map(|t| Box::new(t) as Box<dyn Task>)
                .collect();
            Ok(Box::new(TaskMixture::uniform(id, boxed)?))
        }
        _ if id.starts_with("ngym-modcog-") => {
            if modcog_ngym::parse_id(id).is_none() {
                return Err(unknown(id));
            }
            let config = ngym_config(&Options::new(options, &["sigma", "decision_weight"])?)?;
            Ok(Box::new(modcog_ngym::task(id, &config)?))
        }
        _ if id.starts_with("yang-") => {
            let kind = YangKind::ALL
                .into_iter()
                .find(|k| format!("yang-{}", k.short()) == id)
                .ok_or_else(|| unknown(id))?;
            let config = yang_config(&Options::new(options, &YANG_KEYS)?)?;
            Ok(Box::new(YangTask::new(kind, config)?))
        }
        _ if id.starts_with("modcog-") => {
            if modcog::parse_id(id).is_none() {
                return Err(unknown(id));
            }
            let config = yang_config(&Options::new(options, &YANG_KEYS)?)?;
            Ok(Box::new(modcog::task(id, &config)?))
        }
        _ => {
            let kind = JarneLajeKind::ALL
                .into_iter()
                .find(|k| k.id() == id)
                .ok_or_else(|| unknown(id))?;
            let keys = [
                "dt_ms",
                "input_noise_std",
                "delay_ms",
                "interval_ms",
                "oscillation_period_ms",
            ];
            let o = Options::new(options, &keys)?;
            let mut c = JarneLajeConfig::default();
            o.f64("dt_ms", &mut c.dt_ms)?;
            o.f64("input_noise_std", &mut c.input_noise_std)?;
            o.f64("delay_ms", &mut c.delay_ms)?;
            o.f64("interval_ms", &mut c.interval_ms)?;
            o.f64("oscillation_period_ms", &mut c.oscillation_period_ms)?;
            Ok(Box::new(JarneLajeTask::new(kind, c)?))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_listed_id_builds_and_reports_itself() {
        let ids = task_ids();
        assert_eq!(
            ids.len(),
            2 + 20 + 1 + modcog::MODCOG_TASK_COUNT + 1 + modcog_ngym::NGYM_TASK_COUNT + 1 + 7
        );
        for entry in ids.iter().filter(|e| e.family != "mixture") {
            let task = build_task(&entry.id, &Value::Null).unwrap();
            assert_eq!(task.spec().id, entry.id);
        }
        let papers: Vec<&str> = ids.iter().map(|e| e.paper.as_str()).collect();
        let mut groups = papers.clone();
        groups.dedup();
        assert_eq!(groups.len(), 4, "entries are grouped by paper");
    }

    #[test]
    fn bad_ids_and_options_name_the_field() {
        let err = |id: &str, o: Value| {
            build_task(id, &o)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_else(|| format!("{id}: options accepted"))
        };
        let e = err("yang-nope", Value::Null);
        assert!(e.contains("`task.id`") && e.contains("yang-nope"), "{e}");
        assert!(matches!(
            build_task("nope", &Value::Null),
            Err(Error::UnknownName {
                field: "task.id",
                ..
            })
        ));
        let e = err("yang-go", json!({"dt_ms": -1}));
        assert!(e.contains("dt_ms"), "{e}");
        let e = err("yang-go", json!({"dt_ms": "x"}));
        assert!(e.contains("dt_ms"), "{e}");
        let e = err("yang-go", json!({"colour": 1}));
        assert!(e.contains("colour"), "{e}");
        let e = err("yang-go", json!([1]));
        assert!(e.contains("options"), "{e}");
        let e = err("turcu-classification", json!({"n_patterns": 1}));
        assert!(e.contains("n_patterns"), "{e}");
        let e = err("turcu-classification", json!({"seed": -3}));
        assert!(e.contains("seed"), "{e}");
        let e = err("turcu-evidence", json!({"noise_std": -3}));
        assert!(e.contains("noise_std"), "{e}");
        let e = err("jl-xor", json!({"dt_ms": 50}));
        assert!(e.contains("dt_ms"), "{e}");
        let e = err("jl-time-pulse", json!({"interval_ms": 1e12}));
        assert!(e.contains("interval_ms"), "{e}");
        let e = err("yang-dm1", json!({"dt_ms": 1e-9}));
        assert!(e.contains("dt_ms"), "{e}");
        let e = err("modcog-mixture", json!({"tasks": ["modcog-go", 3]}));
        assert!(e.contains("tasks"), "{e}");
        let e = err("modcog-mixture", json!({"tasks": ["yang-go"]}));
        assert!(e.contains("task"), "{e}");
    }

    #[test]
    fn options_reach_the_task() {
        let t = build_task(
            "turcu-classification",
            &json!({"pattern_dim": 7, "dt_ms": 5}),
        )
        .unwrap();
        assert_eq!((t.spec().n_inputs, t.spec().dt_ms), (7, 5.0));
        let m = build_task(
            "modcog-mixture",
            &json!({"tasks": ["modcog-go", "modcog-dmsgo-intr"]}),
        )
        .unwrap();
        assert_eq!((m.spec().n_inputs, m.spec().n_outputs), (1 + 64 + 2, 33));
        let n = build_task(
            "ngym-modcog-mixture",
            &json!({"tasks": ["ngym-modcog-go", "ngym-modcog-dmsintrseql"], "sigma": 0.5}),
        )
        .unwrap();
        assert_eq!((n.spec().n_inputs, n.spec().n_outputs), (33 + 2, 17));
        let e = build_task("ngym-modcog-go", &json!({"sigma": -1}))
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("sigma"), "{e}");
        let y = build_task("yang-mixture", &json!({"dt_ms": 10})).unwrap();
        assert_eq!((y.spec().n_inputs, y.spec().dt_ms), (85, 10.0));
    }
}
