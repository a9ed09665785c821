//! Run descriptions trained through every path (the page's `Simulator`, `srnn train`, a
//! `Session`) by `tests/pathways.rs` (native) and `tests/wasm_node.rs` (wasm): every rule,
//! with recurrent noise, in both forms of the dynamics where the rule allows it (and BPTT
//! on a dense W_rec, whose recurrence and gradient take the GEMM). The
//! fingerprints of the weights after [`STEPS`] steps, computed natively, are kept in
//! `pathway_fingerprints.txt`; every path on every platform must reproduce them.

/// Training steps per case.
pub const STEPS: usize = 12;

/// The expected fingerprints, one `name 0x…` line per case (written by
/// `UPDATE_FINGERPRINTS=1 cargo test --test pathways`).
pub const GOLDEN: &str = include_str!("pathway_fingerprints.txt");

/// The rules, by name and JSON settings, with whether they accept the voltage form.
const RULES: [(&str, &str, bool); 10] = [
    ("bptt", r#""bptt""#, true),
    ("feedback-alignment", r#""feedback-alignment""#, true),
    (
        "direct-feedback-alignment",
        r#""direct-feedback-alignment""#,
        true,
    ),
    (
        "pc-fixed-prediction",
        r#"{"rule": "predictive-coding"}"#,
        false,
    ),
    (
        "pc-strict",
        r#"{"rule": "predictive-coding", "variant": "strict", "step_size": 0.2, "iterations": 6}"#,
        false,
    ),
    ("bean", r#"{"rule": "bean", "strength": 1.0}"#, true),
    (
        "imperfect-forward",
        r#"{"rule": "imperfect-forward", "weight_noise_std": 0.02, "quantize_bits": 6}"#,
        true,
    ),
    ("hebbian-os-plus", r#""hebbian-os-plus""#, true),
    ("local-plasticity", r#""local-plasticity""#, true),
    ("bptt-sgd", r#""bptt""#, true),
];

/// `(case name, run description JSON)` for every rule × dynamics case.
pub fn cases() -> Vec<(String, String)> {
    let mut cases = Vec::new();
    for (name, rule, voltage_ok) in RULES {
        for dynamics in ["rate", "voltage"] {
            if dynamics == "voltage" && !voltage_ok {
                continue;
            }
            let optimizer = if name.ends_with("-sgd") {
                "sgd"
            } else {
                "adam"
            };
            let config = format!(
                r#"{{
                "network": {{"n_neurons": 24, "k": 6, "connectivity": "fixed-in-degree",
                             "activation": "rectified-tanh", "input_map": "identity",
                             "readout": "trained", "rec_noise_std": 0.05,
                             "dynamics": "{dynamics}", "seed": 3}},
                "train": {{"learning_rate": 0.01, "batch_size": 8, "seed": 5,
                           "optimizer": "{optimizer}"}},
                "task": {{"id": "turcu-classification", "n_patterns": 8,
                          "input_noise_std": 0.05, "seed": 2}},
                "rule": {rule}
            }}"#
            );
            cases.push((format!("{name}/{dynamics}"), config));
        }
    }
    // BPTT on a dense W_rec: its recurrence forward and backward and its gradient go
    // through the GEMM (`train::forward::recurrent_product`, `train::backprop`)
    let dense: Vec<_> = cases
        .iter()
        .filter(|(name, _)| name.starts_with("bptt/"))
        .map(|(name, config)| {
            let config = config.replace(
                r#""k": 6, "connectivity": "fixed-in-degree""#,
                r#""connectivity": "dense""#,
            );
            (name.replace("bptt/", "bptt-dense/"), config)
        })
        .collect();
    assert_eq!(dense.len(), 2, "the dense cases' network settings moved");
    cases.extend(dense);
    cases
}

/// The golden fingerprint of case `name`, if recorded.
pub fn golden(name: &str) -> Option<String> {
    GOLDEN.lines().find_map(|line| {
        let (case, value) = line.split_once(' ')?;
        (case == name).then(|| value.trim().to_string())
    })
}
