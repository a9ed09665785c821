//! The memory estimate through whole run descriptions: refusals name their fields, the
//! numbers scale as the model does, and the fuzz seeds train under the fuzz budget.

use serde_json::json;
use sparse_rnn_lab::budget::*;
use sparse_rnn_lab::budget::{check_run, Limits};
use sparse_rnn_lab::lab::run::parse_run;
use sparse_rnn_lab::learning::LearningRule;
use sparse_rnn_lab::model::{Connectivity, Dynamics, NetworkConfig};
use sparse_rnn_lab::train::TrainConfig;

/// The error message of a run description that must be refused.
fn refusal(config: serde_json::Value) -> String {
    match parse_run(config) {
        Ok(_) => panic!("accepted"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn the_issues_configurations_are_refused_naming_their_fields() {
    let cases = [
        (
            json!({"network": {"n_neurons": 16384, "connectivity": "dense"}, "task": {"id": "yang-go"}}),
            [
                "`network.n_neurons` 16384",
                "`network.connectivity` dense",
                "268.4 M synapses",
            ],
        ),
        (
            json!({"network": {"n_neurons": 16384, "connectivity": "local", "radius": 1000}, "task": {"id": "yang-go"}}),
            [
                "`network.n_neurons` 16384",
                "`network.connectivity` local",
                "`network.radius` 1000",
            ],
        ),
        (
            json!({"network": {"n_neurons": 16384, "connectivity": "random-density", "density": 1}, "task": {"id": "yang-go"}}),
            [
                "`network.n_neurons` 16384",
                "random-density",
                "`network.density` 1",
            ],
        ),
        (
            json!({"network": {"n_neurons": 4096, "connectivity": "dense"}, "train": {"batch_size": 4096}, "task": {"id": "yang-go"}}),
            [
                "`train.batch_size` 4096",
                "BPTT trajectory",
                "`task.id` yang-go",
            ],
        ),
        (
            // issue 24: the patterns and their evaluation trials, before they are drawn
            json!({"network": {"n_neurons": 8192, "input_map": "identity", "readout": "population"}, "task": {"id": "turcu-classification", "n_patterns": 8192}}),
            [
                "evaluation trials 8192",
                "`network.n_inputs` 8192",
                "`task.id` turcu-classification",
            ],
        ),
    ];
    for (mut config, needles) in cases {
        config["limits"] = json!({"memory_mb": 1024});
        let message = refusal(config);
        for needle in needles {
            assert!(message.contains(needle), "{needle} missing from {message}");
        }
        assert!(
            message.contains("the limit is 1.0 GiB (`limits.memory_mb`)"),
            "{message}"
        );
    }
}

#[test]
fn dense_16384_needs_about_ten_gib_and_a_raised_limit_names_it() {
    let config = NetworkConfig {
        n_neurons: 16384,
        connectivity: Connectivity::Dense,
        n_inputs: 85,
        n_outputs: 33,
        ..Default::default()
    };
    let task = sparse_rnn_lab::tasks::registry::build_task("yang-go", &json!({})).unwrap();
    let shape = RunShape::new(&config, task.as_ref(), "yang-go");
    let bytes = run_estimate(&shape, &TrainConfig::default(), &LearningRule::Bptt).total();
    let gib = bytes / (1024.0 * 1024.0 * 1024.0);
    // 268 M synapses × 40 B (CSR 24 B + param + grad + 2 Adam moments) = 10 GiB, plus
    // the trajectory of 32 trials
    assert!((10.5..12.5).contains(&gib), "{gib} GiB");
    let big = Limits {
        memory_mb: Some(64.0 * 1024.0),
    };
    let rule = LearningRule::Bptt;
    assert!(check_run(
        &config,
        &TrainConfig::default(),
        task.as_ref(),
        &rule,
        &big,
        None,
        &sparse_rnn_lab::budget::TaskBuffers::default()
    )
    .is_ok());
}

#[test]
fn rules_add_their_buffers_and_voltage_stores_more() {
    let config = NetworkConfig {
        n_neurons: 512,
        k: 64,
        n_inputs: 3,
        ..Default::default()
    };
    let task = sparse_rnn_lab::tasks::registry::build_task("jl-xor", &json!({})).unwrap();
    let shape = RunShape::new(&config, task.as_ref(), "jl-xor");
    let train = TrainConfig::default();
    let total = |rule: &str| {
        let rule: LearningRule = serde_json::from_value(json!({ "rule": rule })).unwrap();
        run_estimate(&shape, &train, &rule).total()
    };
    let bptt = total("bptt");
    assert!(total("direct-feedback-alignment") > bptt + 4.0 * 512.0 * 64.0 * 32.0 * 0.99);
    assert!(total("predictive-coding") > bptt);
    assert!(total("bean") > bptt);
    let voltage = NetworkConfig {
        dynamics: Dynamics::Voltage,
        ..config.clone()
    };
    let voltage_shape = RunShape::new(&voltage, task.as_ref(), "jl-xor");
    assert!(run_estimate(&voltage_shape, &train, &LearningRule::Bptt).total() > bptt);
}

#[test]
fn defaults_fit_and_small_networks_get_a_k_that_fits() {
    let setup =
        parse_run(json!({"network": {"n_neurons": 10}, "task": {"id": "yang-go"}})).unwrap();
    assert_eq!(setup.network.k, 9);
    assert!(setup.into_trainer().is_ok());
    let e = parse_run(json!({"network": {"tau_ms": 10}, "task": {"id": "yang-go"}}))
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("`dt_ms`") && e.contains("was not set"), "{e}");
    for bad in [
        json!(0),
        json!(-5),
        json!("big"),
        json!([1]),
        json!({"a": 1}),
    ] {
        let e = refusal(json!({"limits": {"memory_mb": bad}, "task": {"id": "yang-go"}}));
        assert!(e.contains("limits.memory_mb"), "{e}");
    }
    let e = refusal(json!({"limits": {"memory": 1}, "task": {"id": "yang-go"}}));
    assert!(e.contains("limits.memory"), "{e}");
    // a tight limit refuses even the default network, naming the fields
    let e = refusal(json!({"limits": {"memory_mb": 0.01}, "task": {"id": "yang-go"}}));
    assert!(
        e.contains("needs ≈") && e.contains("`limits.memory_mb`"),
        "{e}"
    );
}

#[test]
fn a_huge_local_network_is_refused_from_its_configuration_and_its_model_file_estimated() {
    let config = json!({"network": {"n_neurons": 16384, "connectivity": "local", "radius": 1000},
        "limits": {"memory_mb": 1024}, "task": {"id": "modcog-mixture"}});
    let message = refusal(config);
    assert!(
        message.contains("`network.n_neurons` 16384") && message.contains("`limits.memory_mb`"),
        "{message}"
    );
    // A model file is estimated from what its text can hold: 1 GiB of JSON holds at least
    // 2²⁹ numbers (≥ 2 bytes each), 4 bytes each once parsed.
    let model = NetworkConfig {
        n_neurons: 16384,
        connectivity: Connectivity::Local,
        radius: 1000.0,
        ..Default::default()
    };
    let small = model_file_estimate(&model, 1000).total();
    let large = model_file_estimate(&model, 1 << 30).total();
    assert!(
        large >= (1u64 << 29) as f64 * 4.0 && large > small,
        "{small} {large}"
    );
}

#[test]
fn the_run_config_fuzz_seeds_train_under_the_fuzz_budget() {
    // keeps the seeds of fuzz/fuzz_targets/run_config.rs meaningful: each trains one
    // step under the target's 64 MiB budget, except the one that must be refused
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/run_config");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let mut config: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        config["limits"] = json!({"memory_mb": 64});
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        match parse_run(config) {
            Err(e) => {
                assert_eq!(name, "seed-too-big", "{name}: {e}");
                assert!(matches!(e, sparse_rnn_lab::Error::TooLarge(_)), "{e}");
            }
            Ok(setup) => {
                let mut trainer = setup.into_trainer().unwrap();
                trainer.train_step().unwrap();
            }
        }
        seen += 1;
    }
    assert!(seen >= 8);
}
