//! Capacity points (Turcu & Abbott): train the classifier with N neurons, K synapses each
//! and P patterns, and score it on every pattern, at the end of the trial and at the end
//! of the persistence test.

use crate::error::Result;
use crate::lab::presets::turcu_network;
use crate::lab::session::Session;
use serde_json::{json, Value};

/// One capacity point as JSON: `{experiment, n, k, p, steps, seed, loss, accuracy,
/// late_accuracy, patterns_per_synapse}`.
pub fn run(n: usize, k: usize, p: usize, steps: usize, seed: u64) -> Result<Value> {
    let config = json!({
        "network": serde_json::to_value(turcu_network(n, k, seed)).unwrap_or_default(),
        "train": {"learning_rate": 0.01, "batch_size": p.clamp(1, 64), "seed": seed},
        "task": {"id": "turcu-classification", "n_patterns": p, "seed": seed},
    });
    let mut session = Session::new(config)?;
    session.train(steps)?;
    let result = session.evaluate(p)?;
    Ok(
        json!({"experiment": "capacity", "n": n, "k": k, "p": p, "steps": steps, "seed": seed,
              "loss": result.loss, "accuracy": result.accuracy,
              "late_accuracy": result.late_accuracy,
              "patterns_per_synapse": p as f64 / (n * k) as f64}),
    )
}
