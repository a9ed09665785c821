//! The Rust side of `benches/peers/reservoirpy_esn.py` (reservoirpy run beside us):
//! `cargo bench --bench reservoir -- --out DIR [--units N --steps T]`.
//!
//! Writes `DIR/esn.json`: one echo-state network (reservoirpy's Mackey-Glass settings),
//! its weights, the Mackey-Glass series, our NRMSEs on the shared protocol
//! ([`sparse_rnn_lab::lab::reservoir::mackey_glass`]) for that network and for five seeds,
//! and the time of a ridge readout on N units × T steps (states, normal equations,
//! Cholesky solve), so the script compares numbers from the same run.
//! `cargo bench --bench reservoir -- --experiments` prints the experiments' numbers.

use serde_json::{json, Value};
use sparse_rnn_lab::lab::reservoir::{mackey_glass, memory_capacity_claim, turcu_gap};
use sparse_rnn_lab::learning::reservoir::{readout_step, ReadoutState, ReservoirRule};
use sparse_rnn_lab::model::reservoir::{build_esn, EsnConfig};
use sparse_rnn_lab::tasks::timeseries::mackey_glass_series;
use sparse_rnn_lab::tasks::{Trial, TrialBatch, TrialLabel};
use sparse_rnn_lab::train::Trajectory;
use std::time::Instant;

const TRAIN: usize = 2000;
const TEST: usize = 1000;
const WARMUP: usize = 100;
const GENERATE: usize = 100;
const RIDGE: f64 = 1e-6;

fn esn_json(seed: u64) -> Value {
    json!({"units": 300, "lr": 0.3, "sr": 1.25, "input_scaling": 1.0,
           "rc_connectivity": 0.1, "input_connectivity": 0.1, "bias_scaling": 0.0,
           "seed": seed})
}

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

/// `--experiments`: the numbers of the claims-to-be (memory capacity, Mackey-Glass
/// horizons, the Turcu & Abbott gap), one JSON line each.
fn experiments() {
    for units in [20, 50] {
        let claim = memory_capacity_claim(units, 0.95, 5000, &[1, 2, 3]).expect("mc");
        println!(
            "{}",
            json!({"experiment": "memory-capacity", "claim": claim})
        );
    }
    for horizon in [1, 10, 84] {
        let r = mackey_glass(esn_json(1), RIDGE, WARMUP, TRAIN, TEST, horizon, 500).expect("mg");
        println!(
            "{}",
            json!({"experiment": "mackey-glass", "horizon": horizon, "nrmse_test": r.nrmse_test,
                   "nrmse_generation_500": r.nrmse_generation})
        );
    }
    for n_patterns in [50, 250] {
        for seed in [1, 2, 3] {
            let gap = turcu_gap(100, 0.05, n_patterns, 300, seed).expect("turcu");
            println!(
                "{}",
                json!({"experiment": "turcu-gap", "seed": seed, "gap": gap})
            );
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--experiments") {
        experiments();
        return;
    }
    let Some(out) = arg(&args, "--out") else {
        eprintln!("usage: cargo bench --bench reservoir -- --out DIR [--units N --steps T]");
        return;
    };
    let units: usize = arg(&args, "--units").map_or(1000, |v| v.parse().expect("--units"));
    let steps: usize = arg(&args, "--steps").map_or(10_000, |v| v.parse().expect("--steps"));

    // one network, its weights and our numbers on the shared protocol
    let config: EsnConfig = serde_json::from_value(esn_json(1)).expect("esn");
    let network = build_esn(&config, 1, 1).expect("build");
    let csr = |m: &sparse_rnn_lab::model::Csr| {
        let mut triplets = Vec::new();
        for r in 0..m.n_rows {
            for s in m.row_ptr[r]..m.row_ptr[r + 1] {
                triplets.push(json!([r, m.col_idx[s], m.values[s]]));
            }
        }
        json!({"rows": m.n_rows, "cols": m.n_cols, "entries": triplets})
    };
    let ours = mackey_glass(esn_json(1), RIDGE, WARMUP, TRAIN, TEST, 1, GENERATE).expect("mg");
    let seeds: Vec<Value> = (1..=5)
        .map(|seed| {
            let r = mackey_glass(esn_json(seed), RIDGE, WARMUP, TRAIN, TEST, 1, GENERATE)
                .expect("mg seed");
            json!({"seed": seed, "nrmse_test": r.nrmse_test,
                   "nrmse_generation": r.nrmse_generation})
        })
        .collect();

    // speed: ridge readout on `units` × `steps`
    let t0 = Instant::now();
    let big = EsnConfig {
        units,
        lr: 0.3,
        sr: 1.25,
        ..Default::default()
    };
    let big_network = build_esn(&big, 1, 1).expect("build big");
    let build_s = t0.elapsed().as_secs_f64();
    let series = mackey_glass_series(steps + 1, 17, 1.2);
    let trial = Trial {
        inputs: ndarray::Array2::from_shape_fn((steps, 1), |(t, _)| series[t] as f32),
        targets: ndarray::Array2::from_shape_fn((steps, 1), |(t, _)| series[t + 1] as f32),
        mask: ndarray::Array2::ones((steps, 1)),
        periods: Vec::new(),
        label: TrialLabel::Trace,
        task_index: 0,
    };
    let batch = TrialBatch::pack(vec![trial]);
    let rule = ReservoirRule {
        warmup: WARMUP,
        ridge: RIDGE,
        ..Default::default()
    };
    let t1 = Instant::now();
    let mut trajectory = Trajectory::default();
    let _ = Trajectory::of_batch(&big_network, &batch);
    let states_s = t1.elapsed().as_secs_f64();
    let mut state = ReadoutState::new(&rule, &big_network);
    let t2 = Instant::now();
    readout_step(&big_network, &batch, &rule, &mut state, &mut trajectory).expect("ridge");
    let fit_s = t2.elapsed().as_secs_f64();

    let result = json!({
        "esn": esn_json(1), "ridge": RIDGE, "warmup": WARMUP, "train": TRAIN, "test": TEST,
        "generate": GENERATE,
        "weights": {"W": csr(&network.w_rec), "Win": csr(&network.w_in), "bias": network.bias,
                    "lr": network.config.alpha()},
        "series": mackey_glass_series(TRAIN + TEST + 1, 17, 1.2),
        "ours": {"nrmse_test": ours.nrmse_test, "nrmse_generation": ours.nrmse_generation},
        "ours_seeds": seeds,
        "speed": {"units": units, "steps": steps, "build_s": build_s,
                  "states_s": states_s, "states_and_ridge_s": fit_s},
    });
    std::fs::create_dir_all(&out).expect("out dir");
    let path = std::path::Path::new(&out).join("esn.json");
    std::fs::write(&path, serde_json::to_string(&result).expect("json")).expect("write");
    println!(
        "{}",
        serde_json::to_string_pretty(&result["ours"]).unwrap_or_default()
    );
    println!(
        "{}",
        serde_json::to_string_pretty(&result["speed"]).unwrap_or_default()
    );
    println!("wrote {}", path.display());
}
