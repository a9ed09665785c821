//! Khona et al.'s LM-RNN study, resumable (`sparse_rnn_lab::lab::studies::khona`).
//!
//! ```sh
//! cargo build --release --example khona_study
//! target/release/examples/khona_study run     plan.json results/khona-study   # train (resumes)
//! target/release/examples/khona_study summary plan.json results/khona-study   # one line per point
//! target/release/examples/khona_study chart   plan.json results/khona-study > www/data/khona-lmrnn-n1024.json
//! ```
//!
//! `run` trains every point of the plan in order, one at a time, skipping finished ones
//! (`sparse_rnn_lab::lab::studies::khona_dir`: each point `<key>` appends its curve to
//! `<dir>/<key>.jsonl` at every evaluation, after saving its model to
//! `<dir>/models/<key>.model.json`; re-running resumes from there; a plan with a higher
//! step cap continues the points stopped at the lower one), then prints what `summary`
//! prints. `summary` reads the curves only: one JSON line per point (steps and CPU seconds
//! to criterion), then one per arm at its best learning rate. `chart` reads the curves
//! too and prints the study's figure for the page
//! (`sparse_rnn_lab::lab::studies::khona_figure::study_figure`).

use sparse_rnn_lab::lab::studies::khona::{summarize, PointOutcome, StudyPlan};
use sparse_rnn_lab::lab::studies::khona_dir::{read_in_dir, run_in_dir};
use sparse_rnn_lab::lab::studies::khona_figure::study_figure;
use std::path::Path;

fn fail(message: String) -> ! {
    eprintln!("khona_study: {message}");
    std::process::exit(2)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [what, plan_path, dir] = args.as_slice() else {
        fail("usage: khona_study run|summary|chart plan.json dir".into())
    };
    let text =
        std::fs::read_to_string(plan_path).unwrap_or_else(|e| fail(format!("{plan_path}: {e}")));
    let value = serde_json::from_str(&text).unwrap_or_else(|e| fail(format!("{plan_path}: {e}")));
    let plan = StudyPlan::from_json(value).unwrap_or_else(|e| fail(format!("{plan_path}: {e}")));
    let dir = Path::new(dir);
    let outcomes: Vec<PointOutcome> = match what.as_str() {
        "run" => {
            let log = |line: &serde_json::Value| {
                eprintln!(
                    "{}: step {} mean {:.3}",
                    line["key"].as_str().unwrap_or_default(),
                    line["step"],
                    line["mean_per_task"].as_f64().unwrap_or(0.0)
                )
            };
            run_in_dir(&plan, dir, 1, &log).unwrap_or_else(|e| fail(e.to_string()))
        }
        "summary" | "chart" => read_in_dir(&plan, dir)
            .unwrap_or_else(|e| fail(e.to_string()))
            .into_iter()
            .filter_map(|(key, found)| {
                if found.is_none() && what == "summary" {
                    println!("{}", serde_json::json!({"key": key, "last_step": 0}));
                }
                found
            })
            .collect(),
        other => fail(format!("{other}: must be run, summary or chart")),
    };
    if what == "chart" {
        let figure = study_figure(&plan, &outcomes);
        println!("{figure}");
        return;
    }
    for o in &outcomes {
        println!(
            "{}",
            serde_json::json!({"key": o.key, "n": o.n, "mask": o.mask, "radius": o.radius,
                "density": o.density, "learning_rate": o.learning_rate, "seed": o.seed,
                "steps_to_criterion": o.steps_to_criterion, "cpu_to_criterion": o.cpu_to_criterion,
                "last_step": o.last_step, "best": o.best, "done": o.done})
        );
    }
    for arm in summarize(&outcomes, plan.max_steps) {
        println!(
            "{}",
            serde_json::json!({"arm": format!("n{} {} r{}", arm.n, arm.mask, arm.radius),
                "density": arm.density, "best_learning_rate": arm.learning_rate,
                "median_steps": arm.median_steps(), "steps": arm.steps, "unreached": arm.unreached,
                "median_cpu_seconds": arm.cpu_seconds, "per_rate": arm.per_rate})
        );
    }
}
