//! The Rust side of `benches/peers/reservoirpy_esn.py` (reservoirpy run beside us):
//! `cargo bench --bench reservoir -- --out DIR [--units N --steps T]`.
//!
//! Writes `DIR/esn.json`: one echo-state network (reservoirpy's Mackey-Glass settings),
//! its weights, the Mackey-Glass series, our NRMSEs on the shared protocol
//! ([`sparse_rnn_lab::lab::reservoir::mackey_glass`]) for that network and for five seeds,
//! and the time of a ridge readout on N units × T steps (states, normal equations,
//! Cholesky solve), so the script compares numbers from the same run.
//! `cargo bench --bench reservoir -- --experiments` prints the experiments' numbers;
//! `… -- --phases --sizes 1000 --steps 10000` only the timed phases of the ridge readout;
//! `… -- --profile RUN.json` the phase profile of one ridge step of a run description
//! (`lab::reservoir_profile`, the page's `profileReservoir`), one JSON line.

use serde_json::{json, Value};
use sparse_rnn_lab::lab::reservoir::{mackey_glass, memory_capacity_claim, turcu_gap};
use sparse_rnn_lab::math::ridge::Gram;
use sparse_rnn_lab::model::reservoir::{arnoldi_radius_of, build_esn, EsnConfig};
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

/// One trial: input `series[t]`, target `series[t + 1]`, `steps` steps.
fn series_batch(series: &[f64], steps: usize) -> TrialBatch {
    let trial = Trial {
        inputs: ndarray::Array2::from_shape_fn((steps, 1), |(t, _)| series[t] as f32),
        targets: ndarray::Array2::from_shape_fn((steps, 1), |(t, _)| series[t + 1] as f32),
        mask: ndarray::Array2::ones((steps, 1)),
        periods: Vec::new(),
        label: TrialLabel::Trace,
        task_index: 0,
    };
    TrialBatch::pack(vec![trial])
}

/// Seconds to build a `units`-unit reservoir (lr 0.3, sr 1.25, density 0.1), run it on
/// `steps` Mackey-Glass steps, and fit its ridge readout: the states pass, the gather
/// and normal equations (`gram_s`), the Cholesky solve (`solve_s`); and the spectral
/// radius alone (`radius_s`, restarted Arnoldi, with its cycles and matrix products).
fn speed_of(units: usize, steps: usize) -> Value {
    let t0 = Instant::now();
    let config = EsnConfig {
        units,
        lr: 0.3,
        sr: 1.25,
        ..Default::default()
    };
    let network = build_esn(&config, 1, 1).expect("build");
    let build_s = t0.elapsed().as_secs_f64();
    let series = mackey_glass_series(steps + 1, 17, 1.2);
    let batch = series_batch(&series, steps);
    let t1 = Instant::now();
    let trajectory = Trajectory::of_batch(&network, &batch);
    let states_s = t1.elapsed().as_secs_f64();
    let t2 = Instant::now();
    let mut gram = Gram::new(units, 1);
    let mut x = Vec::with_capacity(512 * units);
    for t in WARMUP..steps {
        x.extend((0..units).map(|i| trajectory.state(i, t + 1, 0) as f64));
        if x.len() == 512 * units || t + 1 == steps {
            let first = t + 1 - x.len() / units;
            gram.add_samples(&x, &series[first + 1..t + 2]);
            x.clear();
        }
    }
    let gram_s = t2.elapsed().as_secs_f64();
    let t3 = Instant::now();
    let w_out = gram.solve(RIDGE, "ridge").expect("ridge");
    let solve_s = t3.elapsed().as_secs_f64();
    let fit_s = t2.elapsed().as_secs_f64();
    assert_eq!(w_out.len(), units);
    let t4 = Instant::now();
    let arnoldi = arnoldi_radius_of(&network).expect("Arnoldi");
    let radius_s = t4.elapsed().as_secs_f64();
    json!({"units": units, "steps": steps, "build_s": build_s, "states_s": states_s,
           "fit_s": fit_s, "gram_s": gram_s, "solve_s": solve_s,
           "states_per_s": steps as f64 / states_s,
           "radius_s": radius_s, "arnoldi_cycles": arnoldi.cycles,
           "arnoldi_products": arnoldi.products})
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--experiments") {
        experiments();
        return;
    }
    if let Some(path) = arg(&args, "--profile") {
        // the phase profile of one ridge step of a run description (the same code as the
        // page's `profileReservoir`): `--profile RUN.json`
        let text = std::fs::read_to_string(&path).expect("--profile: run description");
        let run: Value = serde_json::from_str(&text).expect("--profile: JSON");
        let mut clock = sparse_rnn_lab::lab::clock::now_ms;
        let profile = sparse_rnn_lab::lab::reservoir_profile::profile_reservoir(run, &mut clock)
            .expect("profile");
        let mut value = serde_json::to_value(&profile).expect("profile JSON");
        value["flavour"] = sparse_rnn_lab::kernels::kernel_flavour().into();
        println!("{value}");
        return;
    }
    if args.iter().any(|a| a == "--phases") {
        // only the speed phases: `--phases --sizes 1000 --steps 10000`
        let steps: usize = arg(&args, "--steps").map_or(10_000, |v| v.parse().expect("--steps"));
        for units in arg(&args, "--sizes")
            .unwrap_or_else(|| "1000".into())
            .split(',')
        {
            println!("{}", speed_of(units.parse().expect("--sizes"), steps));
        }
        return;
    }
    let Some(out) = arg(&args, "--out") else {
        eprintln!(
            "usage: cargo bench --bench reservoir -- --out DIR [--sizes 100,300,1000 --steps T]"
        );
        return;
    };
    let sizes: Vec<usize> = arg(&args, "--sizes")
        .unwrap_or_else(|| "100,300,1000".into())
        .split(',')
        .map(|v| v.parse().expect("--sizes"))
        .collect();
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

    // the same ESN's states on the training window and its ridge readout (f64 solve),
    // for the script to compare with reservoirpy's states and `Ridge` on the same samples
    let series = mackey_glass_series(TRAIN + TEST + 1, 17, 1.2);
    let batch = series_batch(&series, TRAIN);
    let trajectory = Trajectory::of_batch(&network, &batch);
    let n = network.n_neurons();
    let states: Vec<f64> = (0..TRAIN)
        .flat_map(|t| (0..n).map(move |i| (t, i)))
        .map(|(t, i)| trajectory.state(i, t + 1, 0) as f64)
        .collect();
    let mut gram = Gram::new(n, 1);
    gram.add_samples(&states[WARMUP * n..], &series[WARMUP + 1..TRAIN + 1]);
    let w_out = gram.solve(RIDGE, "ridge").expect("ridge");
    let bytes =
        |values: &[f64]| -> Vec<u8> { values.iter().flat_map(|v| v.to_le_bytes()).collect() };
    std::fs::create_dir_all(&out).expect("out dir");
    let dir = std::path::Path::new(&out);
    std::fs::write(dir.join("states.f64"), bytes(&states)).expect("write states");
    std::fs::write(dir.join("w_out.f64"), bytes(&w_out)).expect("write w_out");

    // speed: states and ridge readout for each size × `steps`
    let speed: Vec<Value> = sizes.iter().map(|&units| speed_of(units, steps)).collect();

    let result = json!({
        "esn": esn_json(1), "ridge": RIDGE, "warmup": WARMUP, "train": TRAIN, "test": TEST,
        "generate": GENERATE,
        "weights": {"W": csr(&network.w_rec), "Win": csr(&network.w_in), "bias": network.bias,
                    "lr": network.config.alpha()},
        "series": series,
        "compare": {"units": n, "steps": TRAIN, "states": "states.f64 (steps × units, f64 LE)",
                    "w_out": "w_out.f64 (units, ridge on steps warmup.., f64 LE)"},
        "ours": {"nrmse_test": ours.nrmse_test, "nrmse_generation": ours.nrmse_generation},
        "ours_seeds": seeds,
        "speed": speed,
    });
    let path = dir.join("esn.json");
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
