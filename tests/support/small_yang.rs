//! A small run description on Yang's 20-task mixture (24 ReLU units at density 0.2,
//! recurrent noise, trained readout), shared by the tests of data-parallel shards and of
//! the step profiler.

use serde_json::{json, Value};

/// The small Yang run with `batching`, `batch_size` trials per step in `shards` shards.
pub fn small_yang(batching: &str, batch_size: usize, shards: usize) -> Value {
    json!({
        "network": {"n_neurons": 24, "connectivity": "random-density", "density": 0.2,
                    "activation": "relu", "rec_noise_std": 0.05, "input_map": "dense",
                    "readout": "trained", "seed": 3},
        "train": {"learning_rate": 0.01, "batch_size": batch_size, "shards": shards, "seed": 5,
                  "batching": batching},
        "task": {"id": "yang-mixture"}
    })
}
