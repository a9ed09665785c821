//! The JS-facing `Simulator` API, run in Node.js by `wasm-bindgen-test-runner`:
//! `cargo test --target wasm32-unknown-unknown --test wasm_node`.
#![cfg(target_arch = "wasm32")]

use js_sys::{Float32Array, Reflect, JSON};
use sparse_rnn_lab::wasm::{task_catalog, Simulator};
use wasm_bindgen::{JsCast, JsError, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

/// A small Turcu & Abbott network that learns within a few dozen steps.
const SMALL: &str = r#"{
    "network": { "n_neurons": 32, "k": 8, "connectivity": "fixed-in-degree",
                 "activation": "rectified-tanh", "input_map": "identity",
                 "readout": "population", "readout_fraction": 0.5,
                 "dt_ms": 10, "tau_ms": 100, "gain": 1.0, "seed": 3 },
    "train": { "learning_rate": 0.01, "batch_size": 16, "seed": 5 },
    "task": { "id": "turcu-classification", "n_patterns": 8 }
}"#;

fn parse(json: &str) -> JsValue {
    JSON::parse(json).unwrap()
}

/// `config` with `value` stored at `section.field`.
fn with(section: &str, field: &str, value: JsValue) -> JsValue {
    let config = parse(SMALL);
    let part = Reflect::get(&config, &section.into()).unwrap();
    Reflect::set(&part, &field.into(), &value).unwrap();
    config
}

fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &key.into()).unwrap()
}

fn message(error: JsError) -> String {
    let value: JsValue = error.into();
    value.unchecked_into::<js_sys::Error>().message().into()
}

fn construction_error(config: JsValue) -> String {
    match Simulator::new(config) {
        Ok(_) => panic!("config was accepted"),
        Err(error) => message(error),
    }
}

#[wasm_bindgen_test]
fn training_from_a_js_object_lowers_the_loss() {
    let mut sim = Simulator::new(parse(SMALL)).unwrap();
    let first = sim.train_steps(1).unwrap();
    assert_eq!(get(&first, "step").as_f64(), Some(1.0));
    assert!(get(&first, "gradNorm").as_f64().unwrap() > 0.0);
    sim.train_steps(59).unwrap();
    assert_eq!(sim.steps_done(), 60);
    let losses: Vec<f32> = Float32Array::from(JsValue::from(sim.loss_history())).to_vec();
    assert_eq!(losses.len(), 60);
    let early: f32 = losses[..5].iter().sum();
    let late: f32 = losses[55..].iter().sum();
    assert!(late < 0.7 * early, "loss did not fall: {early} -> {late}");
    let eval = sim.evaluate(16).unwrap();
    for key in ["loss", "accuracy", "lateAccuracy"] {
        let value = get(&eval, key).as_f64().unwrap();
        assert!(value.is_finite(), "{key} = {value}");
    }
    let info = sim.info().unwrap();
    assert_eq!(
        get(&info, "nInputs").as_f64(),
        Some(32.0),
        "pattern_dim follows n_neurons"
    );
    assert_eq!(get(&info, "nSynapses").as_f64(), Some(32.0 * 8.0));
}

#[wasm_bindgen_test]
fn bad_configs_name_the_field_and_value() {
    let cases: [(&str, &str, JsValue, &[&str]); 6] = [
        ("network", "k", 40.into(), &["`k`", "40"]),
        ("network", "n_neurons", 0.into(), &["`n_neurons`", "0"]),
        (
            "train",
            "learning_rate",
            (-0.5).into(),
            &["`learning_rate`", "-0.5"],
        ),
        ("network", "dt_ms", f64::NAN.into(), &["dt_ms", "NaN"]),
        (
            "task",
            "id",
            "no-such-task".into(),
            &["task.id", "no-such-task", "turcu-classification"],
        ),
        ("network", "n_neuronz", 64.into(), &["n_neuronz"]),
    ];
    for (section, field, value, expected) in cases {
        let text = construction_error(with(section, field, value));
        for needle in expected {
            assert!(
                text.contains(needle),
                "{section}.{field}: {needle:?} not in {text:?}"
            );
        }
    }
    let typed = construction_error(with("network", "k", "many".into()));
    assert!(
        typed.contains("network.k") && typed.contains("many"),
        "{typed}"
    );
    let infinite = construction_error(with("task", "stimulus_ms", f64::INFINITY.into()));
    assert!(infinite.contains("task.stimulus_ms"), "{infinite}");
    let stray = construction_error(parse(
        r#"{"task": {"id": "turcu-classification"}, "nets": {}}"#,
    ));
    assert!(stray.contains("nets"), "{stray}");
    let no_task = construction_error(parse(r#"{"network": {}}"#));
    assert!(no_task.contains("task"), "{no_task}");
}

#[wasm_bindgen_test]
fn the_simulator_keeps_working_after_failed_calls() {
    let mut sim = Simulator::new(parse(SMALL)).unwrap();
    sim.train_steps(3).unwrap();
    assert!(message(sim.train_steps(0).unwrap_err()).contains("`n`"));
    assert!(message(sim.evaluate(0).unwrap_err()).contains("nTrials"));
    let no_dom = message(sim.draw(parse(r#"{"loss": "loss-canvas"}"#)).unwrap_err());
    assert!(no_dom.contains("loss-canvas"), "{no_dom}");
    let bad_ids = message(sim.draw(parse(r#"{"losses": "x"}"#)).unwrap_err());
    assert!(bad_ids.contains("losses"), "{bad_ids}");
    let bad_snapshot = Simulator::draw_snapshot(parse("{}"), parse("{}"));
    assert!(message(bad_snapshot.unwrap_err()).contains("snapshot"));
    assert_eq!(sim.steps_done(), 3);
    sim.train_steps(2).unwrap();
    assert_eq!(sim.steps_done(), 5);
}

#[wasm_bindgen_test]
fn divergence_is_reported_and_the_last_good_model_kept() {
    let config = with("train", "learning_rate", 1e30.into());
    let net = get(&config, "network");
    Reflect::set(&net, &"activation".into(), &"linear".into()).unwrap();
    Reflect::set(&net, &"gain".into(), &3.0.into()).unwrap();
    let mut sim = Simulator::new(config).unwrap();
    let mut failure = None;
    for _ in 0..20 {
        if let Err(error) = sim.train_steps(1) {
            failure = Some(message(error));
            break;
        }
    }
    let text = failure.expect("training with learning_rate 1e30 never diverged");
    assert!(text.contains("diverged"), "{text}");
    let done = sim.steps_done();
    assert_eq!(sim.loss_history().length() as usize, done);
    assert!(sim.snapshot().is_ok(), "a snapshot can still be taken");
}

#[wasm_bindgen_test]
fn snapshot_is_a_small_plain_object() {
    let mut sim = Simulator::new(parse(SMALL)).unwrap();
    sim.train_steps(2).unwrap();
    sim.evaluate(8).unwrap();
    let snap = sim.snapshot().unwrap();
    assert_eq!(get(&snap, "step").as_f64(), Some(2.0));
    let activity = get(&snap, "activity");
    assert_eq!(get(&activity, "n_rows").as_f64(), Some(32.0));
    assert_eq!(
        js_sys::Array::from(&get(&get(&snap, "loss"), "length")).length(),
        0
    );
    assert_eq!(
        get(&get(&snap, "late_accuracy"), "length").as_f64(),
        Some(1.0)
    );
    let text: String = JSON::stringify(&snap).unwrap().into();
    assert!(
        text.len() < 200_000,
        "snapshot JSON is {} bytes",
        text.len()
    );
    let catalog = task_catalog().unwrap();
    assert_eq!(
        get(&get(&catalog, "0"), "id").as_string().as_deref(),
        Some("turcu-classification")
    );
    let entries = get(&catalog, "length").as_f64().unwrap_or(0.0);
    assert!(
        entries > 150.0,
        "catalog lists every registry task, got {entries}"
    );
}

/// Fingerprint of the weights after 20 steps of `determinism_probe`, as computed natively
/// (`tests/determinism.rs` asserts the same value): same seed → same bits in wasm.
const NATIVE_FINGERPRINT: &str = "0x434e88a2740d472c";

#[wasm_bindgen_test]
fn training_in_wasm_is_bit_identical_to_native() {
    let fingerprint = sparse_rnn_lab::wasm::determinism_probe(20).unwrap();
    assert_eq!(fingerprint, NATIVE_FINGERPRINT);
}
