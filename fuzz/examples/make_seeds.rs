//! Writes the committed seed corpora under `fuzz/corpus/<target>/seed-*`.
//!
//! Run from `fuzz/`: `cargo run --example make_seeds`. Seeds are deterministic, so
//! re-running only changes them when the model file format or the defaults change.

use sparse_rnn_lab::model::{Csr, Network, NetworkConfig};
use sparse_rnn_lab::persist::save_model;
use std::fs;
use std::path::Path;

fn write(target: &str, name: &str, contents: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(target);
    fs::create_dir_all(&dir).expect("create corpus directory");
    fs::write(dir.join(format!("seed-{name}")), contents).expect("write seed");
}

fn main() {
    let models: [(&str, &str); 3] = [
        (
            "fixed-in-degree",
            r#"{"n_neurons": 6, "k": 2, "n_inputs": 2, "n_outputs": 1}"#,
        ),
        (
            "dale-population",
            r#"{"n_neurons": 5, "connectivity": "autapse", "n_inputs": 1,
                "readout": "population", "readout_fraction": 0.6,
                "excitatory_fraction": 0.8}"#,
        ),
        (
            "identity-local",
            r#"{"n_neurons": 4, "connectivity": "local", "radius": 1.0, "n_inputs": 4,
                "input_map": "identity", "n_outputs": 2, "activation": "tanh"}"#,
        ),
    ];
    for (name, json) in models {
        let config: NetworkConfig = serde_json::from_str(json).expect("seed config parses");
        let network = Network::new(config).expect("seed network builds");
        write("model_file", name, &save_model(&network, 3));
        write("network_config", name, json);
    }
    // A model whose input map has no entries: mutating its declared sizes (n_inputs and
    // w_in.n_cols together) is how a file can claim a huge matrix without storing it.
    let config: NetworkConfig =
        serde_json::from_str(r#"{"n_neurons": 3, "k": 1, "n_inputs": 2}"#).expect("parses");
    let mut network = Network::new(config).expect("seed network builds");
    network.w_in = Csr::from_rows(2, &[Vec::new(), Vec::new(), Vec::new()]);
    network.rebuild_indices();
    write("model_file", "empty-input-map", &save_model(&network, 0));
    write(
        "network_config",
        "defaults",
        &serde_json::to_string(&NetworkConfig {
            n_neurons: 16,
            k: 4,
            ..Default::default()
        })
        .expect("config serialises"),
    );
    let tasks = [
        ("turcu", "turcu-classification\n{\"n_patterns\": 4, \"pattern_dim\": 3, \"dt_ms\": 10, \"stimulus_ms\": 20, \"response_ms\": 30}"),
        ("evidence", "turcu-evidence\n{\"n_patterns\": 4, \"pattern_dim\": 3, \"noise_std\": 0.5, \"score_late_stimulus\": true}"),
        ("yang", "yang-dm1\n{\"dt_ms\": 20, \"tau_ms\": 100, \"sigma_x\": 0.1, \"strict_fixation\": false}"),
        ("modcog", "modcog-dmsgo-intr\n{\"dt_ms\": 50}"),
        ("modcog-mixture", "modcog-mixture\n{\"tasks\": [\"modcog-go\", \"modcog-dmsgo-intr\"], \"dt_ms\": 50}"),
        ("jarne-laje", "jl-time-pulse\n{\"dt_ms\": 5, \"input_noise_std\": 0.1, \"delay_ms\": 100, \"interval_ms\": 200, \"oscillation_period_ms\": 50}"),
    ];
    for (name, text) in tasks {
        write("task_options", name, text);
    }
}
