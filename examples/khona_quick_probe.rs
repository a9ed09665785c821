//! The Khona autapse claims' numbers (`srnn reproduce khona`, groups `autapse-yang` and
//! `autapse-modcog`) for a candidate quick setting: one network trained on the claim's
//! task set, each component task scored on its own 256 trials at every checkpoint, with
//! the seconds taken. How the quick settings of `src/lab/claims/khona.rs` were chosen
//! (docs/results.md#khona-quick-2026-12-03).
//!
//! `khona_quick_probe <yang20|four> <n> <autapse|dense> <steps> <eval every> <lr> <seed>`
//! Environment: `NET` = a JSON object merged into the run description's `network`
//! (e.g. `{"init": "orthogonal", "gain": 1}`), `TRAIN` = the same for `train`, `TASK` for
//! `task` (e.g. `{"variant": "corrected"}`).
use serde_json::{json, Value};
use sparse_rnn_lab::lab::claims::common::{khona_run, mean_where, per_task};
use sparse_rnn_lab::lab::session::Session;
use sparse_rnn_lab::tasks::modcog_ngym::Base;
use std::time::Instant;

fn merge(target: &mut Value, var: &str) {
    if let Ok(text) = std::env::var(var) {
        let patch: Value = serde_json::from_str(&text).expect("a JSON object");
        for (k, v) in patch.as_object().expect("a JSON object") {
            target[k] = v.clone();
        }
    }
}

fn main() {
    let a: Vec<String> = std::env::args().skip(1).collect();
    assert!(a.len() == 7, "see the doc comment for the arguments");
    let names: Vec<String> = match a[0].as_str() {
        "yang20" => Base::ALL
            .into_iter()
            .map(|b| b.name().to_string())
            .collect(),
        _ => ["dlygo", "dlygoseqr", "dlygointr", "dm1"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
    };
    let ids: Vec<String> = names.iter().map(|n| format!("ngym-modcog-{n}")).collect();
    let task = json!({"id": "ngym-modcog-mixture", "tasks": ids});
    let n: usize = a[1].parse().unwrap();
    let steps: usize = a[3].parse().unwrap();
    let every: usize = a[4].parse().unwrap();
    let lr: f64 = a[5].parse().unwrap();
    let seed: u64 = a[6].parse().unwrap();
    let mut run = khona_run(&task, n, &a[2], 0.0, seed).unwrap();
    run["train"]["learning_rate"] = json!(lr);
    merge(&mut run["network"], "NET");
    merge(&mut run["train"], "TRAIN");
    merge(&mut run["task"], "TASK");
    let clock = Instant::now();
    let mut session = Session::new(run).unwrap();
    let mut done = 0;
    let extended = |id: &str| id.contains("int") || id.contains("seq");
    while done < steps {
        let chunk = every.min(steps - done);
        session.train(chunk).unwrap();
        done += chunk;
        let scores = per_task(&mut session, 256).unwrap();
        let all = mean_where(&scores, |_| true);
        let ext = mean_where(&scores, extended);
        let base = mean_where(&scores, |id| !extended(id));
        let items: Vec<String> = scores
            .iter()
            .map(|s| {
                format!(
                    "{} {:.2}",
                    s.task.trim_start_matches("ngym-modcog-"),
                    s.score
                )
            })
            .collect();
        println!(
            "{} n={n} lr={lr} seed={seed} step {done}: mean {all:.3} base {base:.3} int/seq {ext:.3} ({:.1} s) | {}",
            a[2],
            clock.elapsed().as_secs_f64(),
            items.join(", ")
        );
    }
}
