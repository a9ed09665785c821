//! Khona et al.'s LM-RNN study, resumable (`sparse_rnn_lab::lab::studies::khona`).
//!
//! ```sh
//! cargo build --release --example khona_study
//! target/release/examples/khona_study run     plan.json results/khona-study   # train (resumes)
//! target/release/examples/khona_study summary plan.json results/khona-study   # one line per point
//! ```
//!
//! `run` trains every point of the plan in order, skipping finished ones; each point
//! `<key>` appends its curve to `<dir>/<key>.jsonl` at every evaluation, after saving its
//! model to `<dir>/models/<key>.model.json` (re-running resumes from there). `summary`
//! prints each point's outcome as a JSON line (steps and CPU seconds to criterion).

use sparse_rnn_lab::lab::studies::khona::{outcome, summarize, PointRun, StudyPlan};
use std::io::Write;
use std::path::Path;

/// CPU time of this process (user + system, seconds) from `/proc/self/stat` (Linux).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after_name = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn fail(message: String) -> ! {
    eprintln!("khona_study: {message}");
    std::process::exit(2)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [what, plan_path, dir] = args.as_slice() else {
        fail("usage: khona_study run|summary plan.json dir".into())
    };
    let text =
        std::fs::read_to_string(plan_path).unwrap_or_else(|e| fail(format!("{plan_path}: {e}")));
    let value = serde_json::from_str(&text).unwrap_or_else(|e| fail(format!("{plan_path}: {e}")));
    let plan = StudyPlan::from_json(value).unwrap_or_else(|e| fail(format!("{plan_path}: {e}")));
    let dir = Path::new(dir);
    let models = dir.join("models");
    std::fs::create_dir_all(&models).unwrap_or_else(|e| fail(format!("{}: {e}", models.display())));
    let mut outcomes = Vec::new();
    for point in plan.points() {
        let key = point.key();
        let curve_path = dir.join(format!("{key}.jsonl"));
        let model_path = models.join(format!("{key}.model.json"));
        let curve = std::fs::read_to_string(&curve_path).ok();
        if what == "summary" {
            let lines: Vec<serde_json::Value> = curve
                .iter()
                .flat_map(|c| c.lines())
                .filter_map(|l| serde_json::from_str(l).ok())
                .collect();
            match outcome(&lines) {
                Some(o) => outcomes.push(o),
                None => println!("{}", serde_json::json!({"key": key, "last_step": 0})),
            }
            continue;
        }
        let model = std::fs::read_to_string(&model_path).ok();
        let run = PointRun::open(&plan, &point, model.as_deref(), curve.as_deref())
            .unwrap_or_else(|e| fail(format!("{key}: {e}")));
        let Some(mut run) = run else { continue };
        eprintln!("{key}: from step {}", run.session.steps_done());
        let start_cpu = cpu_seconds();
        while !run.is_done() {
            let line = run
                .advance(|| cpu_seconds().zip(start_cpu).map(|(now, start)| now - start))
                .unwrap_or_else(|e| fail(format!("{key}: {e}")));
            let tmp = model_path.with_extension("tmp");
            std::fs::write(&tmp, run.model_text())
                .and_then(|_| std::fs::rename(&tmp, &model_path))
                .unwrap_or_else(|e| fail(format!("{}: {e}", model_path.display())));
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&curve_path)
                .unwrap_or_else(|e| fail(format!("{}: {e}", curve_path.display())));
            writeln!(file, "{line}")
                .unwrap_or_else(|e| fail(format!("{}: {e}", curve_path.display())));
            eprintln!(
                "{key}: step {} mean {:.3}",
                line["step"],
                line["mean_per_task"].as_f64().unwrap_or(0.0)
            );
        }
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
