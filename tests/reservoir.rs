//! Echo-state networks through the one path (run description → `Session` → the
//! `reservoir` rule): the run description's `reservoir` section, the readouts on the
//! benchmarks, Jaeger's memory-capacity bound and Rodan & Tiňo's cycle reservoir.

use serde_json::json;
use sparse_rnn_lab::lab::reservoir::{mackey_glass, memory_capacity_claim};
use sparse_rnn_lab::lab::session::Session;
use sparse_rnn_lab::learning::LearningRule;
use sparse_rnn_lab::model::reservoir::radius_of;

#[test]
fn the_reservoir_section_builds_an_esn_and_defaults_to_the_ridge_readout() {
    let config = json!({
        "reservoir": {"units": 120, "lr": 0.3, "sr": 1.25, "input_connectivity": 0.2,
                      "seed": 3},
        "task": {"id": "mackey-glass", "n_steps": 1500, "warmup": 100},
        "train": {"batch_size": 2, "seed": 2},
    });
    let mut session = Session::new(config).unwrap();
    assert!(matches!(session.trainer.rule, LearningRule::Reservoir(_)));
    let network = &session.trainer.network;
    assert!((radius_of(network).unwrap() - 1.25).abs() < 1e-5);
    assert_eq!(network.config.alpha(), 0.3);
    let w_rec = network.w_rec.clone();
    session.train(2).unwrap();
    // only the readout moved
    assert_eq!(session.trainer.network.w_rec, w_rec);
    let score = session.evaluate(8).unwrap().accuracy;
    assert!(score > 0.99, "one-step Mackey-Glass R² {score}");
}

#[test]
fn reservoir_errors_name_the_field() {
    // refused when the run description is read, or (warmup vs trial length) at the first step
    let err = |config: serde_json::Value| {
        let trained = Session::new(config).and_then(|mut session| session.train(1));
        trained.expect_err("must fail").to_string()
    };
    let e = err(json!({"reservoir": {"units": 10, "sr": -1.0}, "task": {"id": "narma10"}}));
    assert!(e.contains("reservoir.sr"), "{e}");
    let e = err(json!({"reservoir": {"units": 10, "leak": 0.3}, "task": {"id": "narma10"}}));
    assert!(e.contains("leak"), "{e}");
    let e = err(json!({"reservoir": {}, "network": {}, "task": {"id": "narma10"}}));
    assert!(e.contains("`network`"), "{e}");
    let e = err(
        json!({"reservoir": {"units": 10}, "task": {"id": "narma10"},
                       "rule": {"rule": "reservoir", "ridge": -1.0}}),
    );
    assert!(e.contains("rule.ridge"), "{e}");
    let e = err(
        json!({"reservoir": {"units": 10}, "task": {"id": "narma10", "n_steps": 50, "warmup": 0},
                       "rule": {"rule": "reservoir", "warmup": 80}}),
    );
    assert!(e.contains("rule.warmup"), "{e}");
    // the population readout has no W_out to learn
    let e = err(
        json!({"network": {"n_neurons": 20, "readout": "population"},
                       "task": {"id": "narma10"}, "rule": "reservoir"}),
    );
    assert!(e.contains("readout"), "{e}");
}

#[test]
fn force_and_lms_readouts_train_through_the_session() {
    for (rule, floor) in [
        (
            json!({"rule": "reservoir", "readout": "force", "alpha": 1e-4, "warmup": 50}),
            0.99,
        ),
        (
            json!({"rule": "reservoir", "readout": "lms", "learning_rate": 0.02, "warmup": 50}),
            0.3,
        ),
    ] {
        let config = json!({
            "reservoir": {"units": 60, "lr": 0.3, "sr": 1.1, "input_connectivity": 0.5},
            "task": {"id": "mackey-glass", "n_steps": 800, "warmup": 50},
            "train": {"batch_size": 2, "seed": 5},
            "rule": rule,
        });
        let mut session = Session::new(config).unwrap();
        session.train(3).unwrap();
        let score = session.evaluate(4).unwrap().accuracy;
        assert!(score > floor, "{rule}: R² {score}");
    }
}

#[test]
fn mackey_glass_prediction_and_generation_are_accurate() {
    let esn = json!({"units": 200, "lr": 0.3, "sr": 1.25, "input_connectivity": 0.1, "seed": 1});
    let r = mackey_glass(esn, 1e-6, 100, 2000, 500, 1, 100).unwrap();
    assert!(r.nrmse_test < 0.02, "one-step NRMSE {}", r.nrmse_test);
    let generation = r.nrmse_generation.unwrap();
    assert!(
        generation < 0.3,
        "closed-loop NRMSE over 100 steps {generation}"
    );
    let esn = json!({"units": 200, "lr": 0.3, "sr": 1.25, "input_connectivity": 0.1, "seed": 1});
    let far = mackey_glass(esn, 1e-6, 100, 2000, 500, 10, 0).unwrap();
    assert!(
        far.nrmse_test > r.nrmse_test && far.nrmse_test < 0.2,
        "{}",
        far.nrmse_test
    );
}

#[test]
fn linear_memory_capacity_is_at_most_n_and_the_cycle_reservoir_reaches_it() {
    let claim = memory_capacity_claim(20, 0.95, 3000, &[1, 2]).unwrap();
    let n = claim.units as f64;
    // MC ≤ N (Jaeger 2001) up to the finite-sample bias of r² (≈ k_max / T)
    for mc in claim.random_linear.iter().chain(&claim.cycle_linear) {
        assert!(*mc <= n + 0.1, "{claim:?}");
    }
    for mc in &claim.cycle_linear {
        assert!(*mc > 0.9 * n, "cycle MC {mc} of N = {n}: {claim:?}");
    }
}

#[test]
fn the_reservoir_preset_fits_its_readout_and_predicts_one_step_ahead() {
    // what the page runs (`index.html?preset=reservoir`): the preset's steps, then the score
    let preset = sparse_rnn_lab::lab::presets::preset("reservoir").unwrap();
    let mut session = Session::new(preset.run.clone()).unwrap();
    session.train(preset.steps).unwrap();
    let network = &session.trainer.network;
    assert!((radius_of(network).unwrap() - 1.25).abs() < 1e-5);
    assert!(network.w_out.values.iter().any(|v| *v != 0.0));
    let score = session.evaluate(4).unwrap().accuracy;
    assert!(score > 0.99, "one-step Mackey-Glass R² {score}");
}

// ---- deep reservoirs trained by direct feedback alignment ----

use sparse_rnn_lab::lab::reservoir::deep_dfa;
use sparse_rnn_lab::learning::reservoir::{dfa_direction, dfa_feedback};
use sparse_rnn_lab::model::reservoir::{build_esn, inter_layer_synapses, EsnConfig};
use sparse_rnn_lab::model::Network;
use sparse_rnn_lab::rng::SimRng;
use sparse_rnn_lab::tasks::recorded::RecordedTask;
use sparse_rnn_lab::tasks::timeseries::{SeriesConfig, SeriesKind, SeriesTask};
use sparse_rnn_lab::tasks::{Task, Trial, TrialBatch};
use sparse_rnn_lab::train::Trajectory;

/// The deep reservoir of these tests: two layers of 40 units.
fn deep_esn() -> serde_json::Value {
    json!({"units": 40, "layers": 2, "lr": 1.0, "sr": 0.9, "input_connectivity": 1.0,
           "input_scaling": 1.0, "inter_connectivity": 0.2, "inter_scaling": 0.5, "seed": 4})
}

fn narma_trial(steps: usize, warmup: usize, seed: u64) -> (SeriesTask, Trial) {
    let task = SeriesTask::new(
        SeriesKind::Narma10,
        SeriesConfig {
            n_steps: steps,
            warmup,
            ..SeriesConfig::default()
        },
    )
    .unwrap();
    let trial = task.trial(&mut SimRng::new(seed));
    (task, trial)
}

#[test]
fn a_deep_reservoir_is_block_lower_triangular_and_dfa_moves_only_the_inter_layer_weights() {
    let config: EsnConfig = serde_json::from_value(deep_esn()).unwrap();
    let deep = build_esn(&config, 1, 1).unwrap();
    assert_eq!(deep.n_neurons(), 80);
    assert_eq!(deep.config.reservoir_layers, 2);
    // the spectrum of a block-triangular W is its diagonal blocks': radius sr
    assert!((radius_of(&deep).unwrap() - 0.9).abs() < 1e-5);
    // layer 1 is the one-layer reservoir of the same seed
    let single = build_esn(
        &EsnConfig {
            layers: 1,
            ..config.clone()
        },
        1,
        1,
    )
    .unwrap();
    let (w, s) = (&deep.w_rec, &single.w_rec);
    for i in 0..40 {
        assert_eq!(
            w.col_idx[w.row_ptr[i]..w.row_ptr[i + 1]],
            s.col_idx[s.row_ptr[i]..s.row_ptr[i + 1]]
        );
        assert_eq!(
            w.values[w.row_ptr[i]..w.row_ptr[i + 1]],
            s.values[s.row_ptr[i]..s.row_ptr[i + 1]]
        );
    }
    // nothing from a later layer to an earlier one; 0.2·40² inter-layer weights ±0.5
    let inter = inter_layer_synapses(&deep);
    for post in 0..80 {
        for k in w.row_ptr[post]..w.row_ptr[post + 1] {
            let pre = w.col_idx[k] as usize;
            assert!(pre / 40 <= post / 40, "{pre} → {post}");
            if inter[k] {
                assert_eq!(w.values[k].abs(), 0.5);
            }
        }
    }
    assert_eq!(inter.iter().filter(|x| **x).count(), 320);
    // the input reaches layer 1 only
    assert!((40..80).all(|i| deep.w_in.row_ptr[i] == deep.w_in.row_ptr[i + 1]));

    // through a session: DFA changes the inter-layer weights and nothing else recurrent
    let run = json!({
        "reservoir": deep_esn(),
        "task": {"id": "narma10", "n_steps": 400, "warmup": 50},
        "train": {"batch_size": 1, "seed": 2},
        "rule": {"rule": "reservoir", "warmup": 50, "ridge": 1e-6, "dfa_learning_rate": 0.1},
    });
    let mut session = Session::new(run).unwrap();
    let before = session.trainer.network.w_rec.values.clone();
    session.train(2).unwrap();
    let after = &session.trainer.network.w_rec.values;
    let mut moved = 0;
    for k in 0..before.len() {
        if inter[k] {
            moved += usize::from(after[k] != before[k]);
        } else {
            assert_eq!(after[k], before[k], "synapse {k} is not inter-layer");
        }
    }
    assert!(moved > 300, "{moved} of 320 inter-layer weights moved");
    // a model file round trip keeps the layers
    let text = serde_json::to_string(&session.trainer.network).unwrap();
    let mut back: Network = serde_json::from_str(&text).unwrap();
    back.rebuild_indices();
    assert_eq!(back.config.reservoir_layers, 2);
}

#[test]
fn dfa_needs_a_deep_reservoir_and_the_ridge_readout() {
    let err = |esn: serde_json::Value, rule: serde_json::Value| {
        let config = json!({"reservoir": esn, "task": {"id": "narma10", "n_steps": 200},
                            "rule": rule});
        let trained = Session::new(config).and_then(|mut session| session.train(1));
        trained.expect_err("must fail").to_string()
    };
    let e = err(
        json!({"units": 20}),
        json!({"rule": "reservoir", "dfa_learning_rate": 0.1}),
    );
    assert!(e.contains("rule.dfa_learning_rate"), "{e}");
    let e = err(
        deep_esn(),
        json!({"rule": "reservoir", "readout": "lms", "dfa_learning_rate": 0.1}),
    );
    assert!(e.contains("dfa_learning_rate"), "{e}");
    let e = err(json!({"units": 1500, "layers": 2}), json!("reservoir"));
    assert!(e.contains("reservoir.units"), "{e}");
    let e = err(
        json!({"units": 20, "layers": 2, "excitatory_fraction": 0.8}),
        json!("reservoir"),
    );
    assert!(e.contains("reservoir.excitatory_fraction"), "{e}");
}

/// ½ mean over the steps ≥ `warmup` of the squared readout error of `network` on `batch`.
fn loss(network: &Network, batch: &TrialBatch, warmup: usize) -> f64 {
    let trajectory = Trajectory::of_batch(network, batch);
    let mut total = 0.0;
    for t in warmup..batch.n_steps {
        let e = (trajectory.output(0, t, 0) - batch.targets[t]) as f64;
        total += 0.5 * e * e;
    }
    total / (batch.n_steps - warmup) as f64
}

fn cosine(a: &[f64], b: &[f64]) -> f64 {
    let dot: f64 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let na: f64 = a.iter().map(|x| x * x).sum::<f64>().sqrt();
    let nb: f64 = b.iter().map(|x| x * x).sum::<f64>().sqrt();
    dot / (na * nb)
}

/// The angles (degrees) between the DFA direction and the true gradient of the
/// inter-layer weights of the stack `esn` at 0, 10 and 20 DFA steps (η 200).
fn dfa_gradient_angles(esn: &serde_json::Value) -> Vec<f64> {
    // tanh reservoirs are differentiable: the true gradient of the training loss with
    // respect to the inter-layer weights (W_out fixed at its ridge fit) by central
    // differences, through every layer and every step, against the DFA direction
    let (warmup, seed) = (50, 7);
    let (task, trial) = narma_trial(400, warmup, seed);
    let run = json!({
        "reservoir": esn,
        "train": {"batch_size": 1, "seed": seed},
        "rule": {"rule": "reservoir", "warmup": warmup, "ridge": 1e-6,
                 "dfa_learning_rate": 200.0, "dfa_seed": seed},
    });
    let replay = || Box::new(RecordedTask::new(task.spec(), vec![trial.clone()], 0.1).unwrap());
    let mut session = Session::with_task(run, replay()).unwrap();
    let batch = TrialBatch::pack(vec![trial.clone()]);
    let mut cosines = Vec::new();
    for round in 0..3 {
        if round > 0 {
            session.train(10).unwrap();
        }
        // refit the readout on the current states (one frozen step of the same rule)
        let mut network = session.trainer.network.clone();
        let frozen = json!({"reservoir": esn, "train": {"batch_size": 1, "seed": seed},
                            "rule": {"rule": "reservoir", "warmup": warmup, "ridge": 1e-6}});
        let mut fit = Session::with_task(frozen, replay()).unwrap();
        fit.trainer.network = network.clone();
        fit.train(1).unwrap();
        network.w_out = fit.trainer.network.w_out.clone();
        let n = network.n_neurons();
        let trajectory = Trajectory::of_batch(&network, &batch);
        let (direction, _, _) = dfa_direction(
            &network,
            &batch,
            &trajectory,
            warmup,
            &network.w_out.values,
            &[0.0],
            &dfa_feedback(n, 1, seed),
        );
        // the same formula with B = W_outᵀ (the readout's own transpose, no temporal
        // credit): the part of the true gradient that goes straight through the readout
        let transpose: Vec<f64> = network.w_out.values.iter().map(|v| *v as f64).collect();
        let (direct, _, _) = dfa_direction(
            &network,
            &batch,
            &trajectory,
            warmup,
            &network.w_out.values,
            &[0.0],
            &transpose,
        );
        let inter = inter_layer_synapses(&network);
        let (mut dfa, mut gradient, mut straight) = (Vec::new(), Vec::new(), Vec::new());
        let eps = 1e-3f32;
        // at most ~400 synapses by finite differences (every k-th of the dense 1600)
        let stride = inter.iter().filter(|i| **i).count().div_ceil(400);
        for s in (0..inter.len()).filter(|s| inter[*s]).step_by(stride) {
            let mut plus = network.clone();
            plus.w_rec_param[s] += eps;
            plus.refresh_effective_weights();
            let mut minus = network.clone();
            minus.w_rec_param[s] -= eps;
            minus.refresh_effective_weights();
            let g =
                (loss(&plus, &batch, warmup) - loss(&minus, &batch, warmup)) / (2.0 * eps as f64);
            dfa.push(direction[s]);
            gradient.push(g);
            straight.push(direct[s]);
        }
        eprintln!(
            "cos(W_outᵀ e ⊙ f' x, true gradient) {}",
            cosine(&straight, &gradient)
        );
        cosines.push(cosine(&dfa, &gradient));
    }
    cosines.iter().map(|c| c.acos().to_degrees()).collect()
}

#[test]
fn the_dfa_update_is_within_90_degrees_of_the_true_gradient_of_the_inter_layer_weights() {
    for (stack, esn) in [
        ("sparse ±0.5", deep_esn()),
        ("rows' dense ±0.2", rows_deep_esn()),
    ] {
        let angles = dfa_gradient_angles(&esn);
        eprintln!("{stack}: angle(DFA, true gradient) at 0, 10, 20 DFA steps: {angles:?}°");
        // at the start B is unrelated to the readout (≈ 90°); alignment emerges with training
        for angle in &angles[1..] {
            assert!(*angle < 90.0, "{stack}: angles {angles:?}");
        }
    }
}

/// The stack of the `reservoir/deep-dfa` rows (src/lab/claims/reservoir.rs): dense
/// inter-layer weights at ±0.2, where DFA can move every layer-1 → layer-2 synapse.
fn rows_deep_esn() -> serde_json::Value {
    json!({"units": 40, "layers": 2, "lr": 1.0, "sr": 0.9, "input_connectivity": 1.0,
           "input_scaling": 1.0, "inter_connectivity": 1.0, "inter_scaling": 0.2, "seed": 4})
}

#[test]
fn dfa_trained_inter_layer_weights_lower_the_narma10_training_error_of_the_stack() {
    let dfa = json!({"dfa_learning_rate": 200.0});
    let r = deep_dfa(rows_deep_esn(), 1e-6, 50, 1000, 1000, dfa, 30, 3).unwrap();
    eprintln!("{r:?}");
    assert!(
        r.train_dfa < 0.95 * r.train_frozen,
        "training NRMSE after DFA {} vs frozen {}",
        r.train_dfa,
        r.train_frozen
    );
}

#[test]
fn the_reservoir_charts_show_generation_and_memory_capacity() {
    use sparse_rnn_lab::lab::reservoir::{reservoir_charts, CHART_MAX_DELAY};
    let preset = sparse_rnn_lab::lab::presets::preset("reservoir").unwrap();
    let mut session = Session::new(preset.run.clone()).unwrap();
    session.train(preset.steps).unwrap();
    let charts = reservoir_charts(&session).unwrap().expect("a reservoir");
    let generation = charts.generation.expect("one-step Mackey-Glass");
    assert_eq!(generation.series.len(), 2);
    let (truth, generated) = (&generation.series[0].points, &generation.series[1].points);
    assert_eq!(truth.len(), 300);
    // the first 50 fed-back steps stay on the series (the preset's ESN generates well)
    let error: f64 = truth[..50]
        .iter()
        .zip(&generated[..50])
        .map(|(a, b)| (a.1 - b.1).abs())
        .fold(0.0, f64::max);
    assert!(error < 0.1, "{error}: {}", generation.title);
    let curve = &charts.memory.series[0].points;
    assert_eq!(curve.len(), CHART_MAX_DELAY);
    // recent inputs are recalled, far ones not (r²(1) is 0.77 for this leaky tanh ESN)
    assert!(
        curve[0].1 > 0.5 && curve[CHART_MAX_DELAY - 1].1 < 0.5 * curve[0].1,
        "{curve:?}"
    );
    let mc: f64 = curve.iter().map(|p| p.1).sum();
    assert!(mc > 1.0 && mc < 300.0, "MC {mc}");
    assert!(
        charts.memory.title.contains(&format!("{mc:.2}")),
        "{}",
        charts.memory.title
    );
    // not a reservoir: no charts
    let rnn =
        Session::new(json!({"network": {"n_neurons": 20}, "task": {"id": "narma10"}})).unwrap();
    assert!(reservoir_charts(&rnn).unwrap().is_none());
}

// ---- the spectral radius without a dense eigen solve, and the memory budget ----

use sparse_rnn_lab::model::reservoir::{arnoldi_radius_of, ReservoirMask};

/// The dense eigen solver's spectral radius of the network's effective W.
fn dense_radius(network: &Network) -> f64 {
    let dense: Vec<f64> = network.w_rec.to_dense().iter().map(|x| *x as f64).collect();
    sparse_rnn_lab::math::spectral_radius(&dense, network.n_neurons()).unwrap()
}

#[test]
fn the_sparse_radius_equals_the_dense_solvers_on_masks_sizes_and_dale_signs() {
    let cases = [
        (150, ReservoirMask::RandomDensity, 0.1, None, 1),
        (300, ReservoirMask::RandomDensity, 0.02, None, 2),
        (400, ReservoirMask::RandomDensity, 0.1, Some(0.8), 3),
        (250, ReservoirMask::FixedInDegree, 0.04, None, 4),
        (256, ReservoirMask::Local, 0.1, None, 5),
        (200, ReservoirMask::Dense, 1.0, Some(0.5), 6),
        (60, ReservoirMask::RandomDensity, 0.1, None, 7),
    ];
    for (units, mask, density, dale, seed) in cases {
        let config = EsnConfig {
            units,
            mask,
            rc_connectivity: density,
            excitatory_fraction: dale,
            sr: 0.95,
            seed,
            ..Default::default()
        };
        let network = build_esn(&config, 1, 1).unwrap();
        let arnoldi = arnoldi_radius_of(&network).expect("Arnoldi converged");
        let dense = dense_radius(&network);
        assert!(
            (arnoldi.radius - dense).abs() <= 1e-10 * dense,
            "{units} {mask:?} {density} {dale:?}: Arnoldi {} vs dense {dense} ({arnoldi:?})",
            arnoldi.radius
        );
        // the stored f32 weights carry the radius to f32 rounding
        assert!(
            (dense - 0.95).abs() < 1e-6,
            "{units} {mask:?}: radius {dense}"
        );
    }
}

#[test]
fn a_1000_unit_reservoir_has_spectral_radius_sr() {
    let config = EsnConfig {
        units: 1000,
        lr: 0.3,
        sr: 1.25,
        rc_connectivity: 0.1,
        ..Default::default()
    };
    let network = build_esn(&config, 1, 1).unwrap();
    let dense = dense_radius(&network);
    assert!((dense - 1.25).abs() < 1e-6, "dense radius {dense}");
    let arnoldi = arnoldi_radius_of(&network).unwrap();
    assert!(
        (arnoldi.radius - dense).abs() <= 1e-10 * dense,
        "{arnoldi:?} vs {dense}"
    );
    // a deep reservoir: block lower-triangular, the radius of its diagonal blocks
    let deep = build_esn(
        &EsnConfig {
            units: 500,
            layers: 2,
            ..config
        },
        1,
        1,
    )
    .unwrap();
    assert!((radius_of(&deep).unwrap() - 1.25).abs() < 1e-6);
}

#[test]
fn a_1000_by_10000_ridge_run_fits_the_pages_budget_and_too_big_is_refused() {
    let run = |steps: usize, batch: usize, memory_mb: f64| {
        json!({
            "reservoir": {"units": 1000, "lr": 0.3, "sr": 1.25, "rc_connectivity": 0.1,
                          "input_connectivity": 0.1, "seed": 1},
            "task": {"id": "mackey-glass", "n_steps": steps, "warmup": 0, "start": 0,
                     "series_steps": steps + 1},
            "train": {"batch_size": batch, "seed": 1},
            "limits": {"memory_mb": memory_mb},
            "rule": {"rule": "reservoir", "readout": "ridge", "ridge": 1e-6, "warmup": 100}
        })
    };
    // the page's default budget (1 GiB): the run and a 64-trial evaluation, in chunks
    let session = Session::new(run(10_000, 1, 1024.0)).unwrap();
    let network = &session.trainer.network;
    sparse_rnn_lab::budget::check_evaluation(
        &network.config,
        network.w_rec.nnz(),
        session.trainer.task.as_ref(),
        64,
        "nTrials",
        None,
        &session.limits,
    )
    .unwrap();
    // 64 trials trained at once do not fit: the error names the batch size and the budget
    let e = Session::new(run(10_000, 64, 1024.0))
        .err()
        .expect("refused")
        .to_string();
    assert!(
        e.contains("`train.batch_size` 64") && e.contains("`limits.memory_mb`"),
        "{e}"
    );
}
