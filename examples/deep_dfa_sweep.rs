//! A sweep of direct-feedback-alignment settings for the deep reservoir of the
//! `reservoir/deep-dfa` rows: for every setting, [`deep_dfa`] on each seed, printed as
//! one JSON line (per-seed relative NRMSE gains of the DFA-trained stack over the frozen
//! one, on the training series and held out, and their medians).
//!
//! `cargo run --release --example deep_dfa_sweep -- '<settings JSON array>' [seeds]`
//!
//! Each setting is an object `{"esn": {...}, "dfa": {...}, "steps": n}` (missing keys
//! take the first rows' values: the stack of [`first_rows_esn`], η 200, 30 steps; `esn`
//! keys are merged into that stack, `dfa` replaces the rule settings); seeds default to
//! `1,2,3`. Each run is [`deep_dfa`] with ridge 1e-6, warmup 50, 1000-step training and
//! held-out series (the rows' protocol); B and the series come from the seed.

use serde_json::{json, Value};
use sparse_rnn_lab::lab::reservoir::deep_dfa;

/// The two-layer stack of the first `reservoir/deep-dfa` rows (inter-layer density 0.2 at
/// ±0.5; the rows now use density 1 at ±0.2: pass `{"esn": {"inter_connectivity": 1.0,
/// "inter_scaling": 0.2}}`), without the seed.
fn first_rows_esn() -> Value {
    json!({"units": 40, "layers": 2, "lr": 1.0, "sr": 0.9, "input_connectivity": 1.0,
           "input_scaling": 1.0, "inter_connectivity": 0.2, "inter_scaling": 0.5})
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let settings: Vec<Value> = serde_json::from_str(&args[1]).expect("a JSON array");
    let seeds: Vec<u64> = args
        .get(2)
        .map(|s| s.split(',').map(|x| x.parse().unwrap()).collect())
        .unwrap_or(vec![1, 2, 3]);
    for setting in settings {
        let mut esn = first_rows_esn();
        if let Some(Value::Object(m)) = setting.get("esn") {
            for (k, v) in m {
                esn[k] = v.clone();
            }
        }
        let dfa = setting
            .get("dfa")
            .cloned()
            .unwrap_or(json!({"dfa_learning_rate": 200.0}));
        let steps = setting.get("steps").and_then(Value::as_u64).unwrap_or(30) as usize;
        let started = std::time::Instant::now();
        let (mut train, mut test, mut rows) = (Vec::new(), Vec::new(), Vec::new());
        for &seed in &seeds {
            let mut e = esn.clone();
            e["seed"] = json!(seed);
            match deep_dfa(e, 1e-6, 50, 1000, 1000, dfa.clone(), steps, seed) {
                Ok(r) => {
                    train.push(1.0 - r.train_dfa / r.train_frozen);
                    test.push(1.0 - r.test_dfa / r.test_frozen);
                    rows.push(json!([
                        seed,
                        r.train_frozen,
                        r.train_dfa,
                        r.test_frozen,
                        r.test_dfa
                    ]));
                }
                Err(e) => rows.push(json!([seed, e.to_string()])),
            }
        }
        let line = json!({
            "setting": setting,
            "train_gain": train, "test_gain": test,
            "median_train": if train.is_empty() { f64::NAN } else { median(train.clone()) },
            "median_test": if test.is_empty() { f64::NAN } else { median(test.clone()) },
            "seeds": seeds, "nrmse[seed, train_frozen, train_dfa, test_frozen, test_dfa]": rows,
            "seconds": started.elapsed().as_secs_f64(),
        });
        println!("{line}");
    }
}
