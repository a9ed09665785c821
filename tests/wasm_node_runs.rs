//! The JS-facing `Simulator` API in Node, part 2 (`wasm_node` has the rest): the page's
//! pathways against the native weights, data-parallel workers, `.npz` export, long runs
//! and mixture task lists. `cargo test --target wasm32-unknown-unknown --test wasm_node_runs`.
#![cfg(target_arch = "wasm32")]

use js_sys::JSON;
use sparse_rnn_lab::wasm::{run_sweep_point, sweep_points, Simulator};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

#[path = "support/js_api.rs"]
mod js_api;
use js_api::{construction_error, get, message, parse, with, SMALL};
#[path = "support/long_run_case.rs"]
mod long_run_case;
#[path = "support/pathways.rs"]
mod pathways;

/// The page's path (the `Simulator`) trains every rule × dynamics case of
/// `tests/support/pathways.rs` to the weights the native `Session` and `srnn train` reach
/// (the golden fingerprints `tests/pathways.rs` checks natively, in the baseline flavour;
/// the relaxed-SIMD build is compared with native `+fma` by the determinism probe).
#[cfg(not(target_feature = "relaxed-simd"))]
#[wasm_bindgen_test]
fn the_page_trains_every_rule_to_the_native_weights() {
    for (name, config) in pathways::cases() {
        let mut sim = Simulator::new(parse(&config)).unwrap();
        sim.train_steps(pathways::STEPS as u32).unwrap();
        let (network, _) = sparse_rnn_lab::persist::load_model(&sim.save_model()).unwrap();
        let fingerprint = format!(
            "{:#x}",
            sparse_rnn_lab::lab::fingerprint::fingerprint(&network)
        );
        assert_eq!(
            Some(fingerprint),
            pathways::golden(&name),
            "{name}: wasm differs from native"
        );
    }
}

/// Data-parallel training through the JS API: two `Simulator`s (owner and worker) share
/// the shards of each batch and reach the weights of one `Simulator` training alone.
#[wasm_bindgen_test]
fn two_workers_train_like_one() {
    let config = r#"{
        "network": {"n_neurons": 24, "k": 6, "input_map": "identity", "readout": "trained",
                    "rec_noise_std": 0.05, "seed": 3},
        "train": {"learning_rate": 0.01, "batch_size": 8, "seed": 5, "shards": 4},
        "task": {"id": "turcu-classification", "n_patterns": 8}
    }"#;
    let mut alone = Simulator::new(parse(config)).unwrap();
    alone.train_steps(5).unwrap();
    let mut owner = Simulator::new(parse(config)).unwrap();
    let mut worker = Simulator::new(parse(config)).unwrap();
    assert_eq!(owner.shard_count(), 4);
    for step in 1..=5 {
        let mut flat = owner.shard_gradients(step, 0, 2).unwrap().to_vec();
        flat.extend(worker.shard_gradients(step, 2, 2).unwrap().to_vec());
        owner.apply_shard_gradients(&flat).unwrap();
        worker.set_parameters(&owner.parameters().to_vec()).unwrap();
    }
    assert_eq!(owner.parameters().to_vec(), alone.parameters().to_vec());
    assert_eq!(worker.parameters().to_vec(), alone.parameters().to_vec());
    let bad = owner
        .apply_shard_gradients(&[1.0])
        .err()
        .map(message)
        .unwrap();
    assert!(bad.contains("shard gradients"), "{bad}");
}

#[wasm_bindgen_test]
fn npz_export_is_a_zip_of_the_psychrnn_arrays() {
    let mut sim = Simulator::new(parse(SMALL)).unwrap();
    sim.train_steps(3).unwrap();
    let bytes = sim.export_npz().unwrap().to_vec();
    assert_eq!(&bytes[..4], b"PK\x03\x04");
    let end = bytes.len() - 22;
    assert_eq!(&bytes[end..end + 4], b"PK\x05\x06");
    let members = u16::from_le_bytes([bytes[end + 10], bytes[end + 11]]);
    assert_eq!(members, 17, "no gt for a one-output task");
    let text = String::from_utf8_lossy(&bytes);
    for key in [
        "W_in.npy",
        "W_rec.npy",
        "W_out.npy",
        "b_rec.npy",
        "Dale_rec.npy",
        "Connectivity_rec.npy",
        "init_state.npy",
        "config.npy",
        "trial_states.npy",
    ] {
        assert!(text.contains(key), "{key} missing");
    }
    // the same run natively-in-wasm gives the same archive (one code path)
    let session =
        sparse_rnn_lab::lab::session::Session::new(serde_json::from_str(SMALL).unwrap()).unwrap();
    let fresh = sparse_rnn_lab::lab::export::export_session_npz(&session).unwrap();
    assert_ne!(fresh, bytes, "trained weights differ from fresh ones");
    let big = with("network", "n_neurons", JsValue::from(3000));
    let big = Simulator::new(big).unwrap();
    let error = message(big.export_npz().unwrap_err());
    assert!(
        error.contains("n_neurons") && error.contains("3000"),
        "{error}"
    );
}

/// The page's long run (`longRunStart` / `longRunEvaluate`) scores each task of the small
/// Yang network of `tests/support/long_run_case.rs` as the native `Session` and
/// `srnn train --until-mean` do (the golden file `tests/long_run.rs` checks natively),
/// and its record, chart and estimates come back through the API.
#[cfg(not(target_feature = "relaxed-simd"))]
#[wasm_bindgen_test]
fn the_page_long_run_scores_each_task_like_native() {
    use long_run_case as case;
    let mut sim = Simulator::new(parse(case::CONFIG)).unwrap();
    sim.long_run_start(parse(&case::page_settings())).unwrap();
    let mut seconds = 0.0;
    while sim.steps_done() < case::STEPS {
        sim.train_steps(case::EVAL_EVERY as u32).unwrap();
        seconds += 1.5;
        let point = sim.long_run_evaluate(seconds).unwrap();
        assert_eq!(get(&get(&point, "perTask"), "length").as_f64(), Some(20.0));
    }
    // the record is a plain object; its JSON text (what autosaves used to store) restores too
    let record = sim.long_run_record().unwrap();
    assert!(record.is_object(), "{record:?}");
    let text: String = JSON::stringify(&record).unwrap().into();
    let run: sparse_rnn_lab::lab::long_run::LongRun = serde_json::from_str(&text).unwrap();
    let lines: Vec<String> = run
        .points
        .iter()
        .map(|p| case::line(p.step, &p.scores))
        .collect();
    assert_eq!(lines, case::GOLDEN.lines().collect::<Vec<_>>());
    let estimate = sim.long_run_estimate().unwrap();
    let rate = get(&estimate, "steps_per_second").as_f64().unwrap();
    assert!(
        (rate - case::EVAL_EVERY as f64 / 1.5).abs() < 1e-9,
        "{rate}"
    );
    let chart = sim.long_run_chart().unwrap();
    assert_eq!(get(&get(&chart, "series"), "length").as_f64(), Some(21.0));
    // a restored record continues the curve; a bad one is refused, naming it
    let mut again = Simulator::new(parse(case::CONFIG)).unwrap();
    again.load_model(&sim.save_model()).unwrap();
    let state = again.long_run_restore(record).unwrap();
    assert_eq!(get(&state, "points").as_f64(), Some(2.0));
    let state = again.long_run_restore(text.as_str().into()).unwrap();
    assert_eq!(get(&state, "points").as_f64(), Some(2.0));
    let e = message(again.long_run_restore("[1]".into()).unwrap_err());
    assert!(e.contains("long-run record"), "{e}");
    let e = message(again.long_run_start(parse(r#"{"target": 3}"#)).unwrap_err());
    assert!(e.contains("target") && e.contains('3'), "{e}");
    // the task-variance record of the trained network draws nothing here (no canvas) but
    // is consistent
    let record = sim.task_variance(8).unwrap();
    assert_eq!(get(&get(&record, "tasks"), "length").as_f64(), Some(20.0));
    let e = message(sim.task_variance(1).unwrap_err());
    assert!(e.contains("trials_per_task"), "{e}");
}

/// The page's split long-run evaluation: a helper Simulator (`scoreTasks` after
/// `setParameters` with the coordinator's parameters) and the coordinator each score a
/// range of the tasks, the coordinator records the merged scores
/// (`longRunEvaluateScored`): the golden per-task scores, as `longRunEvaluate` gives them;
/// bad ranges and score lists are refused naming the field.
#[cfg(not(target_feature = "relaxed-simd"))]
#[wasm_bindgen_test]
fn the_page_long_run_split_over_workers_scores_like_one() {
    use long_run_case as case;
    let mut sim = Simulator::new(parse(case::CONFIG)).unwrap();
    let mut helper = Simulator::new(parse(case::CONFIG)).unwrap();
    sim.long_run_start(parse(&case::page_settings())).unwrap();
    while sim.steps_done() < case::STEPS {
        sim.train_steps(case::EVAL_EVERY as u32).unwrap();
        helper.set_parameters(&sim.parameters().to_vec()).unwrap();
        let own = sim
            .score_tasks(0, 7, case::PER_TASK_TRIALS)
            .unwrap()
            .to_vec();
        let other = helper
            .score_tasks(7, 13, case::PER_TASK_TRIALS)
            .unwrap()
            .to_vec();
        let scores: Vec<f32> = own.into_iter().chain(other).collect();
        let point = sim.long_run_evaluate_scored(&scores, 1.0).unwrap();
        assert_eq!(get(&get(&point, "perTask"), "length").as_f64(), Some(20.0));
    }
    let record = sim.long_run_record().unwrap();
    let text: String = JSON::stringify(&record).unwrap().into();
    let run: sparse_rnn_lab::lab::long_run::LongRun = serde_json::from_str(&text).unwrap();
    let lines: Vec<String> = run
        .points
        .iter()
        .map(|p| case::line(p.step, &p.scores))
        .collect();
    assert_eq!(lines, case::GOLDEN.lines().collect::<Vec<_>>());
    let e = message(sim.score_tasks(20, 1, 16).unwrap_err());
    assert!(e.contains("`first`"), "{e}");
    let e = message(sim.score_tasks(10, 11, 16).unwrap_err());
    assert!(e.contains("`count`"), "{e}");
    let e = message(sim.long_run_evaluate_scored(&[0.5; 3], 1.0).unwrap_err());
    assert!(e.contains("`scores`"), "{e}");
}

#[wasm_bindgen_test]
fn a_mixture_tasks_list_is_checked_and_the_sparsity_sweep_runs_on_it() {
    let mixture = r#"{"network": {"n_neurons": 16, "connectivity": "dense", "seed": 1},
        "train": {"learning_rate": 0.003, "batch_size": 4, "seed": 1},
        "task": {"id": "ngym-modcog-mixture", "tasks": TASKS}}"#;
    let ok = mixture.replace("TASKS", r#"["ngym-modcog-dlygo", "ngym-modcog-dm1"]"#);
    assert!(Simulator::new(parse(&ok)).is_ok());
    for (tasks, needle) in [
        (r#"["ngym-modcog-dlygo", "yang-go"]"#, "yang-go"),
        ("[]", "[]"),
        (r#""ngym-modcog-dlygo""#, "ngym-modcog-dlygo"),
    ] {
        let e = construction_error(parse(&mixture.replace("TASKS", tasks)));
        assert!(
            e.contains("task.tasks") && e.contains(needle),
            "{tasks}: {e}"
        );
    }
    let points = sweep_points(parse(
        r#"{"experiment": "sparsity", "n": 16, "radii": [1], "steps": 2, "eval_every": 1,
            "criterion": 1.1, "seeds": [1], "per_task_trials": 4,
            "task": {"id": "ngym-modcog-mixture", "tasks": ["ngym-modcog-dlygo", "ngym-modcog-dm1"]}}"#,
    ))
    .unwrap();
    assert_eq!(get(&points, "length").as_f64(), Some(4.0));
    let local: String = JSON::stringify(&get(&points, "2")).unwrap().into();
    let result = run_sweep_point(local.as_str().into()).unwrap();
    assert_eq!(get(&result, "mask").as_string().as_deref(), Some("local"));
    assert_eq!(get(&get(&result, "curve"), "length").as_f64(), Some(2.0));
    assert_eq!(get(&get(&result, "per_task"), "length").as_f64(), Some(2.0));
    // the request's rec_noise_std reaches every point's network (default 0.05)
    let noise = |request: &str| -> Vec<f64> {
        let points = sweep_points(parse(request)).unwrap();
        (0..4)
            .map(|i| {
                let point = get(&points, &i.to_string());
                get(&get(&get(&point, "config"), "network"), "rec_noise_std")
                    .as_f64()
                    .unwrap()
            })
            .collect()
    };
    let request = r#"{"experiment": "sparsity", "n": 16, "radii": [1], "steps": 2,
        "eval_every": 1, "criterion": 1.1, "seeds": [1], "task": "yang-go"NOISE}"#;
    assert_eq!(noise(&request.replace("NOISE", "")), [0.05; 4]);
    assert_eq!(
        noise(&request.replace("NOISE", r#", "rec_noise_std": 0"#)),
        [0.0; 4]
    );
}
