//! Fuzz target `run_config`: an arbitrary run description (JSON: `network`, `train`,
//! `task`, `rule`) → [`sparse_rnn_lab::lab::run::parse_run`] under a small memory budget
//! (`limits.memory_mb` forced to [`BUDGET_MB`]) → the network and the trainer of its rule
//! → one training step → one evaluation on 4 trials, whose accuracy must be in [0, 1].
//!
//! Properties: no panic and no abort anywhere (the memory estimate must refuse whatever
//! would not fit the budget, before allocating it; libFuzzer's `-rss_limit_mb` turns an
//! allocation beyond it into a crash), and a step either succeeds or returns an error.
//! Work that the budget does not bound is skipped so one execution stays fast: O(N²)
//! mask drawing (dense, random-density, local) above N = 2048, and predictive coding
//! with more than 200 inference iterations.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};
use sparse_rnn_lab::model::Connectivity;
use sparse_rnn_lab::lab::run::parse_run;

/// Memory budget of one execution, MiB.
const BUDGET_MB: f64 = 64.0;
/// Largest N for the masks whose drawing takes O(N²) time.
const MAX_QUADRATIC_N: usize = 2048;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(mut config) = serde_json::from_str::<Value>(text) else {
        return;
    };
    if let Value::Object(root) = &mut config {
        root.insert("limits".into(), json!({ "memory_mb": BUDGET_MB }));
    }
    if let Some(iterations) = config.pointer("/rule/iterations").and_then(Value::as_u64) {
        if iterations > 200 {
            return;
        }
    }
    let Ok(setup) = parse_run(config) else {
        return;
    };
    let quadratic = matches!(
        setup.network.connectivity,
        Connectivity::Dense | Connectivity::RandomDensity | Connectivity::Local
    );
    if quadratic && setup.network.n_neurons > MAX_QUADRATIC_N {
        return;
    }
    let Ok(mut trainer) = setup.into_trainer() else {
        return;
    };
    let _ = trainer.train_step();
    let batch = trainer
        .task
        .batch(&mut sparse_rnn_lab::rng::SimRng::new(1), 4);
    let (_, accuracy) = trainer.evaluate(&batch);
    // task scores are in [0, 1] (NaN only if the outputs are)
    assert!(
        !accuracy.is_finite() || (0.0..=1.0 + 1e-6).contains(&accuracy),
        "accuracy {accuracy} outside [0, 1]"
    );
});
