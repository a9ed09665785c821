//! Probe short (`--quick`) settings of the spiking claims `evidence` and `kim-mapping`:
//! the claim's own run description with a JSON patch merged in, the learning curve
//! appended to a results file one line per evaluation (docs/results.md#spiking-quick-2026-12-03).
//!
//! `cargo run --release --example spiking_quick_probe -- evidence <eprop-random|bptt> <seed> <batch> <max_iterations> <every> <eval_trials> <patch-json> <tag> <out>`
//! `cargo run --release --example spiking_quick_probe -- kim <seed> <steps> <every> <learning_rate> <lambdas,comma-separated> <eval_trials> <tag> <out>`
//! (one line per `every` rate steps: the rate network's accuracy and its LIF copy's at each λ)
//!
//! The evidence patch is merged into `lab::spiking::eprop_evidence_run` (e.g.
//! `{"task": {"delay_ms": 150}, "train": {"learning_rate": 0.01}}`); training stops at the
//! first recall error below 0.07, as the claim does.

use serde_json::{json, Value};
use sparse_rnn_lab::lab::rate_to_spiking::{kim_lif_copy, kim_rate_run};
use sparse_rnn_lab::lab::run::patch_run;
use sparse_rnn_lab::lab::session::Session;
use sparse_rnn_lab::lab::spiking::eprop_evidence_run;
use sparse_rnn_lab::tasks::go_nogo::{GoNoGo, GoNoGoConfig};
use std::io::Write;

/// Append one JSON line to `path` and print it.
fn append(path: &str, line: Value) {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .expect("results file");
    writeln!(file, "{line}").expect("write");
    println!("{line}");
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let start = std::time::Instant::now();
    match args.first().map(String::as_str) {
        Some("evidence") => {
            let rule = match args[1].as_str() {
                "eprop-random" => json!({"rule": "eprop", "feedback": "random",
                                         "rate_regularization": 1.0}),
                _ => json!("bptt"),
            };
            let seed: u64 = args[2].parse()?;
            let batch: usize = args[3].parse()?;
            let max_iterations: usize = args[4].parse()?;
            let every: usize = args[5].parse()?;
            let eval_trials: usize = args[6].parse()?;
            let patch: Value = serde_json::from_str(&args[7])?;
            let (tag, out) = (&args[8], &args[9]);
            let mut run = eprop_evidence_run(rule, seed, batch);
            patch_run(&mut run, &patch);
            let mut session = Session::new(run)?;
            while session.steps_done() < max_iterations {
                session.train(every)?;
                let error = 1.0 - session.evaluate(eval_trials)?.accuracy;
                append(
                    out,
                    json!({"experiment": "evidence-quick", "tag": tag, "rule": args[1],
                           "seed": seed, "batch": batch, "patch": patch,
                           "eval_trials": eval_trials, "iteration": session.steps_done(),
                           "recall_error": error, "seconds": start.elapsed().as_secs_f64()}),
                );
                if error < 0.07 {
                    break;
                }
            }
        }
        Some("kim") => {
            let seed: u64 = args[1].parse()?;
            let steps: usize = args[2].parse()?;
            let every: usize = args[3].parse()?;
            let learning_rate: f64 = args[4].parse()?;
            let lambdas: Vec<f64> = args[5]
                .split(',')
                .map(str::parse)
                .collect::<Result<_, _>>()?;
            let eval_trials: usize = args[6].parse()?;
            let (tag, out) = (&args[7], &args[8]);
            let mut run = kim_rate_run(seed);
            run["train"]["learning_rate"] = learning_rate.into();
            let mut rate =
                Session::with_task(run, Box::new(GoNoGo::new(GoNoGoConfig::default())?))?;
            // every `every` steps: the rate network's accuracy and its LIF copy's at each λ
            while rate.steps_done() < steps {
                rate.train(every)?;
                let rate_accuracy = rate.evaluate(eval_trials)?.accuracy;
                let mut by_lambda = Vec::new();
                for &lambda in &lambdas {
                    let mut lif = kim_lif_copy(&rate.trainer.network, seed, lambda)?;
                    by_lambda.push((lambda, lif.evaluate(eval_trials)?.accuracy));
                }
                append(
                    out,
                    json!({"experiment": "kim-quick", "tag": tag, "seed": seed,
                           "step": rate.steps_done(), "learning_rate": learning_rate,
                           "eval_trials": eval_trials, "rate_accuracy": rate_accuracy,
                           "by_lambda": by_lambda,
                           "seconds": start.elapsed().as_secs_f64()}),
                );
            }
        }
        _ => eprintln!("usage: see the file's docs"),
    }
    Ok(())
}
