//! The page's sweeps (a preset's `sweep`, the sweep panel's menu), each defined here once:
//! its title and either the request that `sweepPoints` expands into independent points, or
//! the points themselves (a comparison of run descriptions). The page only draws the
//! results; `srnn sweep …` runs the same requests natively.

use crate::error::{Error, Result};
use crate::lab::presets::{KHONA_N, KHONA_RADIUS, KHONA_REC_NOISE_STD, KHONA_TASKS};
use serde_json::{json, Value};

/// The sweep panel's menu, in its order.
pub const PAGE_SWEEP_IDS: &[&str] = &["capacity", "percolation", "sparsity", "rules"];

/// Share of the draws that must be fully strongly connected for the percolation summary's
/// min K.
pub const PERCOLATION_CRITERION: f64 = 0.5;

/// The Khona native study's figure for the page (relative to the page; written by
/// `khona_study chart examples/studies/khona-n1024.json results/khona-study`).
pub const KHONA_NATIVE_FIGURE: &str = "www/data/khona-lmrnn-n1024.json";

/// The learning-rule comparison's network and task (Turcu & Abbott patterns, N = 100,
/// K = 10, a trained readout so FA/DFA/PC have an error to send back), for `rule`.
fn rule_run(rule: Value) -> Value {
    json!({
        "network": {
            "n_neurons": 100, "k": 10, "connectivity": "fixed-in-degree",
            "activation": "rectified-tanh", "input_map": "identity", "readout": "trained",
            "dt_ms": 10, "tau_ms": 100, "seed": 1,
        },
        "train": {"learning_rate": 0.01, "batch_size": 32, "seed": 1},
        "task": {"id": "turcu-classification", "n_patterns": 200},
        "rule": rule,
    })
}

/// The sweep `id`: `{id, title, request}` (expand with `sweepPoints(request)`) or
/// `{id, title, points}`, optionally with `native` (the path of a native result's figure,
/// `{title, caption, charts}`, that the page draws beside the sweep); an unknown id is an
/// error naming the known ones.
pub fn page_sweep(id: &str) -> Result<Value> {
    let spec = match id {
        "capacity" => json!({
            "title": "Turcu & Abbott capacity: accuracy vs P for several K (N = 100)",
            "request": {
                "experiment": "capacity", "ns": [100], "ks": [5, 10, 20],
                "ps": [10, 20, 40, 80, 160], "steps": 150, "seed": 1,
            },
        }),
        "percolation" => json!({
            "title": "Turcu & Abbott percolation: min K for a strongly connected graph vs ln N",
            "request": {
                "experiment": "percolation", "ns": [100, 200, 400, 800, 1600, 3200],
                "ks": (1..=16).collect::<Vec<usize>>(), "trials": 10,
            },
            "criterion": PERCOLATION_CRITERION,
        }),
        // the same points as `srnn sweep sparsity --task ngym-modcog-mixture --tasks
        // <KHONA_TASKS> --n 128 --radius 3 --steps 4000 --eval-every 100 --criterion 0.9
        // --per-task-trials 128 --rec-noise-std 0`
        "sparsity" => json!({
            "title": format!("Khona et al. sparsity: local vs random vs dense vs autapse on the \
                              Mod-Cog mixture (authors' form, N = {KHONA_N}, no recurrent noise)"),
            "request": {
                "experiment": "sparsity",
                "task": {"id": "ngym-modcog-mixture", "tasks": KHONA_TASKS},
                "n": KHONA_N, "radii": [KHONA_RADIUS], "steps": 4000, "eval_every": 100,
                "criterion": 0.9, "seeds": [1], "per_task_trials": 128,
                "rec_noise_std": KHONA_REC_NOISE_STD,
            },
            // beside this small run, the native LM-RNN study where sparsity has room to
            // win (`khona_study chart`, lab::studies::khona_figure), drawn by the page
            "native": KHONA_NATIVE_FIGURE,
        }),
        "rules" => {
            let points: Vec<Value> = [
                ("BPTT", json!({"rule": "bptt"})),
                ("FA", json!({"rule": "feedback-alignment"})),
                ("DFA", json!({"rule": "direct-feedback-alignment"})),
                (
                    "PC (FPA)",
                    json!({"rule": "predictive-coding", "iterations": 20}),
                ),
            ]
            .into_iter()
            .map(|(label, rule)| {
                json!({
                    "experiment": "run", "label": label, "config": rule_run(rule),
                    "steps": 300, "eval_every": 20,
                })
            })
            .collect();
            json!({
                "title": "Learning rules on 200 patterns (N = 100, K = 10): BPTT, FA, DFA, FPA \
                          predictive coding",
                "points": points,
            })
        }
        _ => {
            return Err(Error::UnknownName {
                field: "sweep",
                value: id.into(),
                allowed: PAGE_SWEEP_IDS.join(", "),
            })
        }
    };
    let mut spec = spec;
    spec["id"] = id.into();
    Ok(spec)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::presets::{preset, PRESET_IDS};

    /// Every preset's sweep is one of the page's, and every page sweep expands into points.
    #[test]
    fn every_preset_sweep_is_defined() {
        for id in PRESET_IDS {
            if let Some(sweep) = preset(id).unwrap().sweep {
                assert!(PAGE_SWEEP_IDS.contains(&sweep), "{id}: sweep {sweep}");
            }
        }
        for id in PAGE_SWEEP_IDS {
            let spec = page_sweep(id).unwrap();
            assert!(
                spec["request"].is_object() || spec["points"].is_array(),
                "{id}"
            );
        }
        let err = page_sweep("nope").unwrap_err().to_string();
        assert!(err.contains("capacity"), "{err}");
    }

    /// The native figure a page sweep names is in the repository, with charts the page's
    /// `drawChart` takes, and says what it is (N = 1024, its seeds).
    #[test]
    fn the_native_figure_is_there_and_parses() {
        let native = page_sweep("sparsity").unwrap()["native"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(native, KHONA_NATIVE_FIGURE);
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(&native);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{native}: {e}"));
        let figure: Value = serde_json::from_str(&text).unwrap();
        assert!(figure["caption"].as_str().unwrap().contains("seed"));
        let charts: Vec<crate::plot::Chart> =
            serde_json::from_value(figure["charts"].clone()).unwrap();
        assert_eq!(charts.len(), 2);
        for chart in &charts {
            assert!(chart.series.iter().all(|s| s.label.ends_with("N = 1024")));
            assert!(chart.series.iter().all(|s| !s.points.is_empty()));
        }
    }

    /// The rules sweep's run descriptions parse.
    #[test]
    fn rule_points_parse() {
        for point in page_sweep("rules").unwrap()["points"].as_array().unwrap() {
            crate::lab::run::parse_run(point["config"].clone()).unwrap();
        }
    }
}
