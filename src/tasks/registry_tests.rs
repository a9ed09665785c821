//! Tests of the task registry (ids, options, mixture lists and weights).

use super::*;
use serde_json::json;

#[test]
fn every_listed_id_builds_and_reports_itself() {
    let ids = task_ids();
    assert_eq!(
        ids.len(),
        2 + 20 + 1 + modcog::MODCOG_TASK_COUNT + 1 + modcog_ngym::NGYM_TASK_COUNT + 1 + 7 + 1 + 3
    );
    for entry in ids.iter().filter(|e| e.family != "mixture") {
        let task = build_task(&entry.id, &Value::Null).unwrap();
        assert_eq!(task.spec().id, entry.id);
    }
    let papers: Vec<&str> = ids.iter().map(|e| e.paper.as_str()).collect();
    let mut groups = papers.clone();
    groups.dedup();
    assert_eq!(groups.len(), 6, "entries are grouped by paper");
}

#[test]
fn yang_mixture_draws_the_context_dm_tasks_five_times_as_often_by_default() {
    let count = |options: Value| {
        let task = build_task("yang-mixture", &options).unwrap();
        let mut rng = crate::rng::SimRng::new(7);
        let mut hits = [0usize; 20];
        for _ in 0..14_000 {
            hits[task.trial(&mut rng).task_index] += 1;
        }
        hits
    };
    let position = |kind| YangKind::ALL.iter().position(|k| *k == kind).unwrap();
    let (c1, go) = (position(YangKind::ContextDm1), position(YangKind::Go));
    // Yang's weights: 5/28 for each context-DM task, 1/28 for the others
    let yang = count(Value::Null);
    assert!((2250..2750).contains(&yang[c1]), "{yang:?}");
    assert!((400..600).contains(&yang[go]), "{yang:?}");
    let uniform = count(json!({"sampling": "uniform"}));
    assert!((600..800).contains(&uniform[c1]), "{uniform:?}");
    let e = build_task("yang-mixture", &json!({"sampling": "often"}))
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("task.sampling") && e.contains("often"), "{e}");
}

#[test]
fn bad_ids_and_options_name_the_field() {
    let err = |id: &str, o: Value| {
        build_task(id, &o)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_else(|| format!("{id}: options accepted"))
    };
    let e = err("yang-nope", Value::Null);
    assert!(e.contains("`task.id`") && e.contains("yang-nope"), "{e}");
    assert!(matches!(
        build_task("nope", &Value::Null),
        Err(Error::UnknownName {
            field: "task.id",
            ..
        })
    ));
    let e = err("yang-go", json!({"dt_ms": -1}));
    assert!(e.contains("dt_ms"), "{e}");
    let e = err("yang-go", json!({"dt_ms": "x"}));
    assert!(e.contains("dt_ms"), "{e}");
    let e = err("yang-go", json!({"colour": 1}));
    assert!(e.contains("colour"), "{e}");
    let e = err("yang-go", json!([1]));
    assert!(e.contains("options"), "{e}");
    let e = err("turcu-classification", json!({"n_patterns": 1}));
    assert!(e.contains("n_patterns"), "{e}");
    let e = err("turcu-classification", json!({"seed": -3}));
    assert!(e.contains("seed"), "{e}");
    let e = err("turcu-evidence", json!({"noise_std": -3}));
    assert!(e.contains("noise_std"), "{e}");
    let e = err("jl-xor", json!({"dt_ms": 50}));
    assert!(e.contains("dt_ms"), "{e}");
    let e = err("jl-time-pulse", json!({"interval_ms": 1e12}));
    assert!(e.contains("interval_ms"), "{e}");
    let e = err("yang-dm1", json!({"dt_ms": 1e-9}));
    assert!(e.contains("dt_ms"), "{e}");
    let e = err("modcog-mixture", json!({"tasks": ["modcog-go", 3]}));
    assert!(e.contains("tasks"), "{e}");
    let e = err("modcog-mixture", json!({"tasks": ["yang-go"]}));
    assert!(e.contains("task"), "{e}");
}

#[test]
fn options_reach_the_task() {
    let t = build_task(
        "turcu-classification",
        &json!({"pattern_dim": 7, "dt_ms": 5}),
    )
    .unwrap();
    assert_eq!((t.spec().n_inputs, t.spec().dt_ms), (7, 5.0));
    let m = build_task(
        "modcog-mixture",
        &json!({"tasks": ["modcog-go", "modcog-dmsgo-intr"]}),
    )
    .unwrap();
    assert_eq!((m.spec().n_inputs, m.spec().n_outputs), (1 + 64 + 2, 33));
    let n = build_task(
        "ngym-modcog-mixture",
        &json!({"tasks": ["ngym-modcog-go", "ngym-modcog-dmsintrseql"], "sigma": 0.5}),
    )
    .unwrap();
    assert_eq!((n.spec().n_inputs, n.spec().n_outputs), (33 + 2, 17));
    let e = build_task("ngym-modcog-go", &json!({"sigma": -1}))
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("sigma"), "{e}");
    let y = build_task("yang-mixture", &json!({"dt_ms": 10})).unwrap();
    assert_eq!((y.spec().n_inputs, y.spec().dt_ms), (85, 10.0));
}
