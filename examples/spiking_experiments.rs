//! Run the spiking experiments of [`sparse_rnn_lab::lab::spiking`] and append their numbers
//! to a results file as they come (resumable by hand: each line is one finished run).
//!
//! `cargo run --release --example spiking_experiments -- spytorch <seeds> <iterations> <out>`
//! `cargo run --release --example spiking_experiments -- spytorch-one <fast-sigmoid|true> <seed> <iterations> <out>`
//! `cargo run --release --example spiking_experiments -- evidence <eprop|eprop-random|bptt> <seed> <batch> <max_iterations> <out>`
//! `cargo run --release --example spiking_experiments -- turcu <seed> <steps> <learning_rate> <input_gain> <recurrent_gain> <response_ms> <out>`
//! `cargo run --release --example spiking_experiments -- kim <seed> <steps> <out>`

use serde_json::json;
use sparse_rnn_lab::lab::rate_to_spiking::{kim_rate_to_lif, KIM_LAMBDAS};
use sparse_rnn_lab::lab::spiking::{eprop_evidence, spytorch_accuracy, EvidenceSchedule};
use sparse_rnn_lab::lab::turcu_spiking::TurcuSpiking;
use sparse_rnn_lab::model::Surrogate;
use std::io::Write;

fn append(path: &str, line: String) {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .expect("results file");
    writeln!(file, "{line}").expect("write");
    println!("{line}");
}

/// Train the SpyTorch tutorial network once and append its line (accuracy, seconds) to `out`.
fn spytorch_line(
    surrogate: Surrogate,
    seed: u64,
    iterations: usize,
    out: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let start = std::time::Instant::now();
    let accuracy = spytorch_accuracy(surrogate, seed, iterations)?;
    append(
        out,
        json!({"experiment": "spytorch", "surrogate": surrogate, "seed": seed,
               "iterations": iterations, "accuracy": accuracy,
               "seconds": start.elapsed().as_secs_f64()})
        .to_string(),
    );
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("spytorch") => {
            let seeds: u64 = args[1].parse()?;
            let iterations: usize = args[2].parse()?;
            for seed in 1..=seeds {
                for surrogate in [Surrogate::FastSigmoid, Surrogate::True] {
                    spytorch_line(surrogate, seed, iterations, &args[3])?;
                }
            }
        }
        Some("spytorch-one") => {
            // spytorch-one <surrogate> <seed> <iterations> <out>: one run
            let surrogate: Surrogate = serde_json::from_value(json!(args[1]))?;
            let seed: u64 = args[2].parse()?;
            let iterations: usize = args[3].parse()?;
            spytorch_line(surrogate, seed, iterations, &args[4])?;
        }
        Some("evidence") => {
            let rule = match args[1].as_str() {
                "eprop" => json!({"rule": "eprop", "rate_regularization": 1.0}),
                "eprop-random" => json!({"rule": "eprop", "feedback": "random",
                                         "rate_regularization": 1.0}),
                _ => json!("bptt"),
            };
            let seed: u64 = args[2].parse()?;
            let schedule = EvidenceSchedule::tutorial(args[3].parse()?, args[4].parse()?, 256);
            let start = std::time::Instant::now();
            let out = args[5].clone();
            let name = args[1].clone();
            eprop_evidence(rule, seed, schedule, |iteration, error| {
                append(
                    &out,
                    json!({"experiment": "evidence", "rule": name, "seed": seed,
                           "iteration": iteration, "recall_error": error,
                           "seconds": start.elapsed().as_secs_f64()})
                    .to_string(),
                );
            })?;
        }
        Some("turcu") => {
            // turcu <seed> <steps> <learning_rate> <input_gain> <recurrent_gain> <response_ms> <out>
            let setting = TurcuSpiking {
                seed: args[1].parse()?,
                learning_rate: args[3].parse()?,
                input_gain: args[4].parse()?,
                recurrent_gain: args[5].parse()?,
                response_ms: args[6].parse()?,
            };
            let steps: usize = args[2].parse()?;
            let start = std::time::Instant::now();
            let (before, after) = setting.accuracy(steps)?;
            append(
                &args[7],
                json!({"experiment": "turcu-spiking", "seed": setting.seed, "steps": steps,
                       "learning_rate": setting.learning_rate, "input_gain": setting.input_gain,
                       "recurrent_gain": setting.recurrent_gain,
                       "response_ms": setting.response_ms,
                       "accuracy_before": before, "accuracy": after,
                       "seconds": start.elapsed().as_secs_f64()})
                .to_string(),
            );
        }
        Some("kim") => {
            // kim <seed> <steps> <out>
            let seed: u64 = args[1].parse()?;
            let steps: usize = args[2].parse()?;
            let start = std::time::Instant::now();
            let mapping = kim_rate_to_lif(seed, steps, &KIM_LAMBDAS, 64)?;
            append(
                &args[3],
                json!({"experiment": "kim-rate-to-lif", "seed": seed, "steps": steps,
                       "rate_accuracy": mapping.rate_accuracy,
                       "spiking_accuracy": mapping.spiking_accuracy,
                       "lambda": mapping.lambda, "by_lambda": mapping.by_lambda,
                       "seconds": start.elapsed().as_secs_f64()})
                .to_string(),
            );
        }
        _ => eprintln!("usage: see the file's docs"),
    }
    Ok(())
}
