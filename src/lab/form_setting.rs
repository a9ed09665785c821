//! What the page's form and the widget add to a run description for a task, defined here
//! once and read by the page through the task catalog (`taskCatalog()`):
//!
//! - the task's **bound setting**: how a network built from the form meets the task —
//!   for Turcu & Abbott's classification, the authors' identity input, population readout,
//!   time step, hinge loss and targets (taken from [`Turcu::authors`], the preset the
//!   claims use); for every other task a trained dense input map and readout;
//! - the paper's **form defaults**: the network and training fields the form switches to
//!   when the user picks a task of another paper (a partial run description; the user can
//!   then edit them).
//!
//! Both are partial run descriptions (`{network, train, task}` objects), so the page maps
//! them onto its fields with the same code that shows a preset.

use crate::lab::presets::Turcu;
use crate::tasks::registry::{JARNE, MODCOG, TURCU, YANG};
use serde_json::{json, Map, Value};

/// The keys of [`Turcu::authors`]'s run description that bind the network to the
/// classification task (section, keys): the form's own fields (N, K, activation, …) stay
/// the user's.
const TURCU_BOUND: &[(&str, &[&str])] = &[
    (
        "network",
        &["input_map", "readout", "dt_ms", "tau_ms", "train_bias"],
    ),
    ("train", &["loss", "clip_norm"]),
    ("task", &["n_patterns", "target_high", "target_low"]),
];

/// The bound setting of `task_id`: `{network, train, task}`, each an object (possibly
/// empty) that the page merges under its form's fields.
pub fn bound_setting(task_id: &str) -> Value {
    if task_id != "turcu-classification" {
        return json!({
            "network": {"input_map": "dense", "readout": "trained"},
            "train": {},
            "task": {},
        });
    }
    let run = Turcu::authors().run();
    let mut out = Map::new();
    for (section, keys) in TURCU_BOUND {
        let picked: Map<String, Value> = keys
            .iter()
            .filter_map(|key| Some((key.to_string(), run[*section].get(*key)?.clone())))
            .collect();
        out.insert(section.to_string(), Value::Object(picked));
    }
    Value::Object(out)
}

/// The form defaults of the paper `paper` (the catalog's `paper` string), or `None` for a
/// paper whose tasks keep the form as it is.
pub fn form_defaults(paper: &str) -> Option<Value> {
    match paper {
        // a small playground of Turcu & Abbott's classification (the preset is the paper's
        // N = 100, f = 0.05 setting)
        TURCU => Some(json!({
            "network": {
                "n_neurons": 200, "k": 20, "connectivity": "fixed-in-degree",
                "activation": "rectified-tanh", "init": "normal", "gain": 0.9,
            },
            "train": {"learning_rate": 0.003, "batch_size": 32},
        })),
        // Yang et al. (85 inputs / 33 outputs, dt 20 ms) and Mod-Cog (same channels)
        YANG | MODCOG => Some(json!({
            "network": {
                "n_neurons": 256, "k": 32, "connectivity": "dense", "activation": "relu",
                "init": "orthogonal", "gain": 1.0, "rec_noise_std": 0.05,
            },
            "train": {"learning_rate": 0.001, "batch_size": 64},
        })),
        // Jarne & Laje: small dense tanh networks
        JARNE => Some(json!({
            "network": {
                "n_neurons": 50, "k": 10, "connectivity": "dense", "activation": "tanh",
                "init": "orthogonal", "gain": 1.0, "rec_noise_std": 0.0,
            },
            "train": {"learning_rate": 0.01, "batch_size": 16},
        })),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::run::parse_run;
    use crate::tasks::registry::task_ids;

    #[test]
    fn turcu_bound_setting_is_the_authors_preset() {
        let bound = bound_setting("turcu-classification");
        let run = Turcu::authors().run();
        assert_eq!(bound["network"]["input_map"], run["network"]["input_map"]);
        assert_eq!(bound["network"]["readout"], "population");
        assert_eq!(bound["network"]["dt_ms"], 10.0);
        assert_eq!(bound["train"]["loss"], run["train"]["loss"]);
        assert_eq!(bound["task"]["target_high"], 0.6);
        assert_eq!(bound["task"]["target_low"], 0.4);
    }

    /// Every task's bound setting, with every paper's defaults, is a run description the
    /// core accepts (the page builds exactly these).
    #[test]
    fn every_task_with_its_setting_parses() {
        for info in task_ids() {
            let mut run = bound_setting(&info.id);
            if let Some(defaults) = form_defaults(&info.paper) {
                for section in ["network", "train"] {
                    for (key, value) in defaults[section].as_object().unwrap() {
                        run[section][key] = value.clone();
                    }
                }
            }
            run["task"]["id"] = info.id.clone().into();
            if info.id.starts_with("turcu") {
                run["network"]["n_neurons"] = 40.into();
                run["task"]["n_patterns"] = 4.into();
            }
            parse_run(run).unwrap_or_else(|e| panic!("{}: {e}", info.id));
        }
    }
}
