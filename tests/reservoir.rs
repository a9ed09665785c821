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
