//! The JS-facing `Simulator` API, run in Node.js by `wasm-bindgen-test-runner`:
//! `cargo test --target wasm32-unknown-unknown --test wasm_node`.
#![cfg(target_arch = "wasm32")]

use js_sys::{Float32Array, Reflect, JSON};
use sparse_rnn_lab::wasm::{
    profile_reservoir, rule_names, run_sweep_point, sheet_shape_js, sweep_points, task_catalog,
    Simulator,
};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

#[path = "support/js_api.rs"]
mod js_api;
use js_api::{construction_error, get, message, parse, with, SMALL};

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
    let loss = get(&snap, "loss");
    assert_eq!(
        get(&loss, "length").as_f64(),
        Some(2.0),
        "one point per step"
    );
    let first = get(&loss, "0");
    assert_eq!(
        get(&first, "0").as_f64(),
        Some(1.0),
        "first point is step 1"
    );
    let losses = Float32Array::from(JsValue::from(sim.loss_history())).to_vec();
    assert_eq!(get(&first, "1").as_f64(), Some(losses[0] as f64));
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
/// (`tests/determinism.rs` asserts the same values): same seed → same bits in wasm, per
/// kernel flavour: "baseline" for the SIMD128 build, "fma" for the `+relaxed-simd` build
/// (run with `NODE_ARGS=--experimental-wasm-relaxed-simd` on node 20) = native `+fma`.
#[cfg(not(target_feature = "relaxed-simd"))]
const NATIVE_FINGERPRINT: &str = "0x305737ad5226a72e";
#[cfg(target_feature = "relaxed-simd")]
const NATIVE_FINGERPRINT: &str = "0x65db2257a280c560";

#[wasm_bindgen_test]
fn training_in_wasm_is_bit_identical_to_native() {
    #[cfg(target_feature = "relaxed-simd")]
    assert_eq!(
        sparse_rnn_lab::kernels::kernel_flavour(),
        "fma",
        "this engine does not fuse f32x4.relaxed_madd (no FMA hardware?)"
    );
    let fingerprint = sparse_rnn_lab::wasm::determinism_probe(20).unwrap();
    assert_eq!(fingerprint, NATIVE_FINGERPRINT);
}

/// The recurrent-noise stream (`lab::fingerprint::noise_stream_probe`, the Ziggurat
/// sampler) gives the same bits in wasm as natively (`tests/determinism.rs`); the same
/// value for both kernel flavours.
#[wasm_bindgen_test]
fn noise_stream_in_wasm_is_bit_identical_to_native() {
    let probe = sparse_rnn_lab::lab::fingerprint::noise_stream_probe(100_000);
    assert_eq!(format!("{probe:#x}"), NATIVE_NOISE_FINGERPRINT);
}

/// In wasm too (the SIMD128 fast-path kernel), `SimRng::add_normals` (the Ziggurat over
/// buffered words, `rng::ziggurat_block`) adds bit for bit what a sequential loop over
/// `Tables::sample` on the same xoshiro256++ stream adds: for lengths around the buffer's
/// and the kernel's widths and long ones, several scales, with tail draws among them.
#[wasm_bindgen_test]
fn block_noise_sampler_in_wasm_equals_the_sequential_sampler() {
    use sparse_rnn_lab::rng::{xoshiro::Xoshiro256PlusPlus, ziggurat, SimRng};
    let block = sparse_rnn_lab::rng::ziggurat_block::BLOCK;
    let tables = ziggurat::tables();
    let mut tail_draws = 0;
    for (seed, len) in [
        0,
        1,
        3,
        4,
        5,
        9,
        block - 1,
        block,
        block + 1,
        2 * block + 5,
        60_001,
    ]
    .into_iter()
    .enumerate()
    {
        let scale = [1.0f32, 0.1, -2.5][seed % 3];
        let start: Vec<f32> = (0..len).map(|i| (i % 7) as f32 * 0.25 - 0.5).collect();
        let mut expected = start.clone();
        let mut rng = SimRng::new(seed as u64);
        let mut words = Xoshiro256PlusPlus::seeded_from(rng.chacha_words());
        for o in expected.iter_mut() {
            let z = tables.sample(&mut words);
            tail_draws += usize::from(z.abs() > 3.654_152_885_361_009);
            *o += scale * z as f32;
        }
        let mut got = start;
        SimRng::new(seed as u64).add_normals(&mut got, scale);
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert!(bits(&got) == bits(&expected), "length {len}, seed {seed}");
    }
    assert!(tail_draws > 0, "no tail draw");
}

/// `tests/determinism.rs`'s `EXPECTED_NOISE_FINGERPRINT`.
const NATIVE_NOISE_FINGERPRINT: &str = "0xafdbe6a8058063a6";

/// `SMALL` with `rule` set (a JSON value) and a trained readout (FA/DFA/PC need one).
fn with_rule(rule: &str) -> JsValue {
    let config = with("network", "readout", "trained".into());
    Reflect::set(&config, &"rule".into(), &parse(rule)).unwrap();
    config
}

#[wasm_bindgen_test]
fn rules_train_and_bad_rules_name_the_field() {
    for rule in [
        r#""feedback-alignment""#,
        r#"{"rule": "direct-feedback-alignment"}"#,
        r#"{"rule": "predictive-coding", "iterations": 5}"#,
    ] {
        let mut sim = Simulator::new(with_rule(rule)).unwrap();
        sim.train_steps(3).unwrap();
        let name = get(&sim.info().unwrap(), "rule").as_string().unwrap();
        assert!(rule.contains(&name), "{rule}: info().rule = {name}");
    }
    let cases = [
        (r#""sgd""#, &["rule.rule", "sgd", "bptt"][..]),
        (
            r#"{"rule": "predictive-coding", "step_size": 2}"#,
            &["`rule.step_size`", "2"][..],
        ),
        (
            r#"{"rule": "feedback-alignment", "feedback_scale": "big"}"#,
            &["rule.feedback_scale", "big"][..],
        ),
        (r#"{"variant": "strict"}"#, &["rule.rule"][..]),
        ("[1]", &["`rule`"][..]),
    ];
    for (rule, expected) in cases {
        let text = construction_error(with_rule(rule));
        for needle in expected {
            assert!(text.contains(needle), "{rule}: {needle:?} not in {text:?}");
        }
    }
    let names = rule_names();
    assert!(
        names.len() >= 9 && names.contains(&"bptt".to_string()),
        "{names:?}"
    );
}

#[wasm_bindgen_test]
fn sweep_points_run_one_at_a_time_and_bad_points_name_the_field() {
    let points = sweep_points(parse(
        r#"{"experiment": "percolation", "ns": [50, 100], "ks": [2, 4, 8], "trials": 2}"#,
    ))
    .unwrap();
    assert_eq!(get(&points, "length").as_f64(), Some(12.0));
    let first: String = JSON::stringify(&get(&points, "0")).unwrap().into();
    let result = run_sweep_point(first.as_str().into()).unwrap();
    assert_eq!(
        get(&result, "experiment").as_string().as_deref(),
        Some("percolation")
    );
    assert!(get(&result, "fraction_in_scc").as_f64().unwrap() > 0.0);
    let capacity = run_sweep_point(parse(
        r#"{"experiment": "capacity", "n": 20, "k": 4, "p": 4, "steps": 3, "seed": 1}"#,
    ))
    .unwrap();
    assert!(get(&capacity, "late_accuracy").as_f64().is_some());
    let run = run_sweep_point(
        r#"{"experiment": "run", "label": "FA", "steps": 4, "eval_every": 2,
            "config": {"network": {"n_neurons": 16, "k": 4, "input_map": "identity", "readout": "trained"},
                       "task": {"id": "turcu-classification", "n_patterns": 4}, "rule": "feedback-alignment"}}"#
            .into(),
    )
    .unwrap();
    assert_eq!(get(&run, "label").as_string().as_deref(), Some("FA"));
    assert_eq!(get(&get(&run, "curve"), "length").as_f64(), Some(3.0));
    let missing =
        message(run_sweep_point(parse(r#"{"experiment": "capacity", "n": 20}"#)).unwrap_err());
    assert!(
        missing.contains("sweep point") && missing.contains('k'),
        "{missing}"
    );
    let bad_k = message(
        run_sweep_point(parse(
            r#"{"experiment": "percolation", "n": 5, "k": 9, "seed": 1}"#,
        ))
        .unwrap_err(),
    );
    assert!(bad_k.contains("`k`"), "{bad_k}");
    let bad_json = message(run_sweep_point("{not json".into()).unwrap_err());
    assert!(bad_json.contains("sweep point"), "{bad_json}");
    let bad_run = message(
        run_sweep_point(parse(
            r#"{"experiment": "run", "config": {"task": {"id": "jl-xor"}, "rule": "x"}}"#,
        ))
        .unwrap_err(),
    );
    assert!(bad_run.contains("rule.rule"), "{bad_run}");
    assert_eq!(sheet_shape_js(10), vec![4, 3]);
}

#[wasm_bindgen_test]
fn models_save_load_and_malformed_files_keep_the_current_model() {
    let mut sim = Simulator::new(parse(SMALL)).unwrap();
    sim.train_steps(5).unwrap();
    let saved = sim.save_model();
    assert!(
        saved.contains("\"schema\":\"sparse-rnn-lab/model\"") && saved.contains("\"version\":1")
    );
    let mut fresh = Simulator::new(parse(SMALL)).unwrap();
    assert_ne!(fresh.save_model(), saved);
    let loaded = fresh.load_model(&saved).unwrap();
    assert_eq!(get(&loaded, "stepsDone").as_f64(), Some(5.0));
    assert_eq!(fresh.steps_done(), 5);
    assert_eq!(
        fresh.save_model(),
        saved,
        "the loaded network is the saved one"
    );
    fresh.train_steps(1).unwrap();
    assert_eq!(fresh.steps_done(), 6);

    let before = sim.save_model();
    for (text, needle) in [
        (&saved[..saved.len() / 2], "model file"),
        ("", "model file"),
        ("{\"schema\": 3}", "model file"),
        (&saved.replace("\"version\":1", "\"version\":7"), "version"),
    ] {
        let error = message(sim.load_model(text).unwrap_err());
        assert!(error.contains(needle), "{needle:?} not in {error:?}");
        assert_eq!(sim.save_model(), before, "a failed load keeps the model");
    }
    let xor = Simulator::new(parse(
        r#"{"network": {"n_neurons": 32, "k": 8}, "task": {"id": "jl-xor"}}"#,
    ))
    .unwrap();
    let misfit = message(sim.load_model(&xor.save_model()).unwrap_err());
    assert!(misfit.contains("does not fit the run's task"), "{misfit}");
    assert_eq!(sim.steps_done(), 5);
    sim.train_steps(1).unwrap();
}

#[wasm_bindgen_test]
fn npy_exports_analysis_and_footprints() {
    let mut sim = Simulator::new(parse(SMALL)).unwrap();
    sim.train_steps(2).unwrap();
    let weights = sim.export_npy("weights").unwrap().to_vec();
    assert_eq!(&weights[..6], b"\x93NUMPY");
    let header = u16::from_le_bytes([weights[8], weights[9]]) as usize;
    assert_eq!(weights.len(), 10 + header + 4 * 32 * 32);
    let header_text = String::from_utf8(weights[10..10 + header].to_vec()).unwrap();
    assert!(header_text.contains("(32, 32)"), "{header_text}");
    let mask = sim.export_npy("mask").unwrap().to_vec();
    let ones = mask[10 + header..]
        .chunks(4)
        .filter(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]) == 1.0)
        .count();
    assert_eq!(ones, 32 * 8, "one 1 per synapse");
    assert!(sim.export_npy("activity").unwrap().length() > 32 * 4);
    assert!(message(sim.export_npy("biases").unwrap_err()).contains("what"));

    let analysis = sim.analysis().unwrap();
    assert_eq!(
        get(&get(&analysis, "eigen_before"), "length").as_f64(),
        Some(32.0)
    );
    assert_eq!(
        get(&get(&analysis, "eigen_after"), "length").as_f64(),
        Some(32.0)
    );
    let degradation = get(&get(&analysis, "degradation"), "series");
    assert_eq!(get(&degradation, "length").as_f64(), Some(2.0));
    let text: String = JSON::stringify(&analysis).unwrap().into();
    assert!(text.len() < 100_000, "analysis is {} bytes", text.len());

    let partners = sim.presynaptic(3).unwrap();
    assert_eq!(partners.length(), 8, "K = 8 presynaptic partners");
    assert!(message(sim.presynaptic(32).unwrap_err()).contains("neuron"));
    let info = sim.info().unwrap();
    assert_eq!(get(&info, "sheetWidth").as_f64(), Some(6.0));
    assert_eq!(get(&info, "density").as_f64(), Some(0.25));
}

#[wasm_bindgen_test]
fn mixtures_report_per_task_performance() {
    let mut sim = Simulator::new(parse(
        r#"{"network": {"n_neurons": 16, "connectivity": "dense"}, "task": {"id": "yang-mixture"}}"#,
    ))
    .unwrap();
    let eval = sim.evaluate(40).unwrap();
    let per_task = get(&eval, "perTask");
    assert_eq!(get(&per_task, "length").as_f64(), Some(20.0));
    let snapshot = sim.snapshot().unwrap();
    assert_eq!(
        get(&get(&snapshot, "per_task"), "length").as_f64(),
        Some(20.0)
    );
    let periods = get(&get(&snapshot, "trial"), "periods");
    assert!(
        get(&periods, "length").as_f64().unwrap() >= 2.0,
        "a Yang trial has periods"
    );
    let single = Simulator::new(parse(SMALL)).unwrap().evaluate(4).unwrap();
    assert!(get(&single, "perTask").is_undefined());
}

#[wasm_bindgen_test]
fn the_reservoir_profile_times_every_phase_and_names_a_wrong_rule() {
    let run = parse(
        r#"{"reservoir": {"units": 40, "lr": 0.3, "sr": 1.25, "seed": 1},
            "task": {"id": "mackey-glass", "n_steps": 300, "warmup": 0},
            "train": {"batch_size": 1, "seed": 1},
            "rule": {"rule": "reservoir", "readout": "ridge", "ridge": 1e-6, "warmup": 100}}"#,
    );
    let profile = profile_reservoir(run).unwrap();
    assert_eq!(get(&profile, "samples").as_f64(), Some(200.0));
    let rows = js_sys::Array::from(&get(&profile, "rows"));
    assert_eq!(rows.length(), 10);
    for row in rows.iter() {
        assert!(get(&row, "ms").as_f64().is_some_and(|ms| ms >= 0.0));
    }
    assert_eq!(
        get(&rows.get(2), "phase").as_string().as_deref(),
        Some("states pass")
    );
    let error = profile_reservoir(parse(SMALL)).unwrap_err();
    assert!(message(error).contains("rule.rule"));
}
