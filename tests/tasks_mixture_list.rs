//! The `tasks` list of a mixture (the page's `tasks` field): every bad list is refused
//! with an error naming `task.tasks` and the bad value, and a good list builds exactly the
//! listed components (natively, and through a run description as the page sends it).

use serde_json::json;
use sparse_rnn_lab::lab::session::Session;
use sparse_rnn_lab::tasks::registry::build_task;

fn refused(id: &str, tasks: serde_json::Value) -> String {
    match build_task(id, &json!({ "tasks": tasks })) {
        Ok(_) => panic!("{id} with tasks {tasks} was accepted"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn bad_task_lists_name_task_tasks_and_the_value() {
    for (id, tasks, needle) in [
        (
            "ngym-modcog-mixture",
            json!("ngym-modcog-go"),
            "ngym-modcog-go",
        ),
        ("ngym-modcog-mixture", json!([]), "[]"),
        ("ngym-modcog-mixture", json!(["ngym-modcog-go", 3]), "3"),
        (
            "ngym-modcog-mixture",
            json!(["ngym-modcog-nope"]),
            "ngym-modcog-nope",
        ),
        ("ngym-modcog-mixture", json!(["modcog-go"]), "modcog-go"),
        (
            "ngym-modcog-mixture",
            json!(["ngym-modcog-go", "ngym-modcog-go"]),
            "ngym-modcog-go",
        ),
        (
            "modcog-mixture",
            json!(["ngym-modcog-go"]),
            "ngym-modcog-go",
        ),
        ("modcog-mixture", json!({"a": 1}), "{\"a\":1}"),
        ("yang-mixture", json!(["yang-go", "modcog-go"]), "modcog-go"),
    ] {
        let e = refused(id, tasks.clone());
        assert!(e.contains("task.tasks"), "{id} {tasks}: {e}");
        assert!(e.contains(needle), "{id} {tasks}: {e}");
    }
    let many: Vec<String> = (0..2000).map(|i| format!("ngym-modcog-x{i}")).collect();
    let e = refused("ngym-modcog-mixture", json!(many));
    assert!(e.contains("task.tasks") && e.contains("2000"), "{e}");
}

#[test]
fn a_yang_mixture_takes_a_subset_of_the_20_tasks() {
    let m = build_task("yang-mixture", &json!({"tasks": ["yang-go", "yang-dm1"]})).unwrap();
    // the rule block keeps all 20 units, so the channels stay Yang's 85 / 33
    assert_eq!((m.spec().n_inputs, m.spec().n_outputs), (85, 33));
    let config = json!({
        "network": {"n_neurons": 8, "connectivity": "dense", "seed": 1},
        "train": {"batch_size": 2, "seed": 1},
        "task": {"id": "yang-mixture", "tasks": ["yang-go", "yang-dm1"]},
    });
    let mut session = Session::new(config).unwrap();
    session.per_task_trials = Some(2);
    let scores = session.evaluate(2).unwrap().per_task.unwrap();
    let names: Vec<&str> = scores.iter().map(|s| s.task.as_str()).collect();
    assert_eq!(names, ["yang-go", "yang-dm1"]);
}

#[test]
fn a_good_list_builds_the_listed_components_in_a_run() {
    let ids = [
        "ngym-modcog-dlygo",
        "ngym-modcog-dlygoseqr",
        "ngym-modcog-dm1",
    ];
    let task = build_task("ngym-modcog-mixture", &json!({ "tasks": ids })).unwrap();
    // 1 fixation + 2 rings of 16 + one rule unit per listed task; 17 outputs
    assert_eq!((task.spec().n_inputs, task.spec().n_outputs), (33 + 3, 17));
    let config = json!({
        "network": {"n_neurons": 16, "connectivity": "dense", "seed": 1},
        "train": {"learning_rate": 0.003, "batch_size": 4, "seed": 1},
        "task": {"id": "ngym-modcog-mixture", "tasks": ids},
    });
    let mut session = Session::new(config.clone()).unwrap();
    session.per_task_trials = Some(4);
    let scores = session.evaluate(4).unwrap().per_task.unwrap();
    let names: Vec<&str> = scores.iter().map(|s| s.task.as_str()).collect();
    assert_eq!(names, ids);
    let mut bad = config;
    bad["task"]["tasks"] = json!(["ngym-modcog-dlygo", "yang-go"]);
    let e = Session::new(bad).err().expect("refused").to_string();
    assert!(e.contains("task.tasks") && e.contains("yang-go"), "{e}");
}
