//! Jarne & Laje's degradation experiments, the authors' way
//! ([`sparse_rnn_lab::lab::studies::jarne_laje`]). Prints tab-separated rows and appends
//! them to `results/jarne_laje_<what>.tsv`.
//!
//! `cargo run --release --example jarne_laje_study -- <and|size|delay> [networks] [epochs]
//! [first seed]` (defaults: 10 networks, 20 epochs — the authors' —, seeds from 1; e.g.
//! `and 3 5` is a quick run). `and` writes each trained network's weights to
//! `results/jarne_laje_and_<seed>.json` and reuses those it finds (resumable).
//!
//! `… -- degradation <file.jsonl> [networks] [and|pulse]`: the whole degradation table (AND
//! damage, pulse task vs size and vs delay; or only one experiment) on the authors'
//! schedule, one JSONL line per trained network, seeds round-robin over the points so
//! every table fills at once; networks already in the file are skipped (resumable: run it
//! again after an interruption). AND networks train with input noise
//! `AND_INPUT_NOISE_STD` (0.1; the line's `train_input_noise_std`, absent on lines of the
//! earlier networks trained without noise); their damage tables are measured on the
//! noise-free trial (`abs`, `positive`, `negative`) and on the shared noisy test trials,
//! 10 per condition (`abs_noise0.1`, …).
//!
//! `… -- and-probe <train input noise> <seed> <network.json>`: train one AND network
//! (N = 50, the authors' schedule) on trials with that input noise — or load it from
//! `network.json` if that file holds one, else write it there — and print its distance per
//! condition on the noise-free trial and on the study's 10 noisy test trials per condition
//! (`and_test_trials`: noise 0.1), where on the
//! trial the squared error sits, and its output around the response onset.
//!
//! `… -- pulse-score <interval ms> <test seed> <network.json>…`: load time-pulse networks
//! (a plain network file, or a `--models` file that wraps one under `network`) and print,
//! per network, its distance on the 10 test trials `pulse_distances` draws from
//! `test_seed` (the study scores training seed s on test seed 1000 + s), each trial's
//! distance with its kind (pulse or none), and the mean. Converted authors' networks
//! (`scripts/jarne_laje_authors_pulse.py`) are scored the same way.

use serde_json::json;
use sparse_rnn_lab::lab::studies::jarne_laje::{
    and_networks, and_task_options, and_test_trials, and_trials, damage_table,
    damage_table_noise_free, distances, mean_std, pulse_distances, run_description, scale_point,
    train, Damage, Schedule, AND_CONDITIONS, AND_INPUT_NOISE_STD, DAMAGE_THRESHOLDS,
};
use sparse_rnn_lab::model::Network;
use sparse_rnn_lab::tasks::jarne_laje::JarneLajeKind;
use sparse_rnn_lab::tasks::{Trial, TrialBatch};
use sparse_rnn_lab::train::Trajectory;
use std::io::Write;
use std::time::Instant;

fn emit(file: &str, line: &str) {
    println!("{line}");
    let path = format!("results/jarne_laje_{file}.tsv");
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        let _ = writeln!(f, "{line}");
    }
}

/// The degradation plan, in run order: (experiment, N, delay ms), one network per seed.
const PLAN: &[(&str, usize, f64)] = &[
    ("and", 50, 0.0),
    ("pulse", 50, 150.0),
    ("pulse", 50, 25.0),
    ("pulse", 100, 150.0),
    ("pulse", 50, 100.0),
    ("pulse", 200, 150.0),
];

/// One line per network of the degradation table (see the module docs).
fn degradation(path: &str, networks: u64, only: Option<&str>) -> sparse_rnn_lab::Result<()> {
    let done: Vec<serde_json::Value> = std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let is_done = |what: &str, n: usize, delay: f64, seed: u64| {
        done.iter().any(|v| {
            v["experiment"] == what
                && v["n_neurons"] == n
                && v["interval_ms"].as_f64() == Some(delay)
                && v["seed"] == seed
                // an AND network trained without noise is not this one
                && (what != "and"
                    || v["train_input_noise_std"].as_f64() == Some(AND_INPUT_NOISE_STD))
        })
    };
    for seed in 1..=networks {
        for &(what, n, delay) in PLAN {
            if is_done(what, n, delay, seed) || only.is_some_and(|o| o != what) {
                continue;
            }
            let started = Instant::now();
            let line = if what == "and" {
                let schedule = Schedule::authors(JarneLajeKind::And);
                let config =
                    run_description(JarneLajeKind::And, &and_task_options(), n, seed, &schedule);
                let t = train(config, &schedule)?;
                let mut damage = serde_json::Map::new();
                for (kind, name) in [
                    (Damage::Magnitude, "abs"),
                    (Damage::Positive, "positive"),
                    (Damage::Negative, "negative"),
                ] {
                    let rows = damage_table_noise_free(
                        std::slice::from_ref(&t.network),
                        kind,
                        &DAMAGE_THRESHOLDS,
                    )?;
                    let rows: Vec<serde_json::Value> = rows
                        .iter()
                        .map(|r| json!({"threshold": r.threshold, "percent_removed": r.percent_removed, "distance": r.mean}))
                        .collect();
                    damage.insert(name.into(), serde_json::Value::Array(rows));
                    // the authors' way: 10 noisy trials per condition, shared by all networks
                    let rows =
                        damage_table(std::slice::from_ref(&t.network), kind, &DAMAGE_THRESHOLDS)?;
                    let rows: Vec<serde_json::Value> = rows
                        .iter()
                        .map(|r| json!({"threshold": r.threshold, "percent_removed": r.percent_removed, "distance": r.mean}))
                        .collect();
                    damage.insert(format!("{name}_noise0.1"), serde_json::Value::Array(rows));
                }
                json!({"experiment": "and", "n_neurons": n, "interval_ms": delay, "seed": seed,
                    "train_input_noise_std": AND_INPUT_NOISE_STD,
                    "steps": t.steps, "epochs": t.epochs, "last_epoch_loss": t.last_epoch_loss,
                    "b_out": t.network.b_out, "conditions": ["00", "11", "10", "01"],
                    "damage": damage, "wall_s": started.elapsed().as_secs_f64()})
            } else {
                let schedule = Schedule::authors(JarneLajeKind::TimePulse);
                let config = run_description(
                    JarneLajeKind::TimePulse,
                    &json!({ "interval_ms": delay }),
                    n,
                    seed,
                    &schedule,
                );
                let t = train(config, &schedule)?;
                let d = pulse_distances(&t.network, delay, 1000 + seed)?;
                json!({"experiment": "pulse", "n_neurons": n, "interval_ms": delay, "seed": seed,
                    "steps": t.steps, "epochs": t.epochs, "last_epoch_loss": t.last_epoch_loss,
                    "distance": mean_std(&d).0, "wall_s": started.elapsed().as_secs_f64()})
            };
            println!("{line}");
            if let Ok(mut f) = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
            {
                let _ = writeln!(f, "{line}");
            }
        }
    }
    Ok(())
}

/// Outputs (channel 0) of `network` on `trials`, one vector per trial.
fn outputs(network: &Network, trials: &[Trial]) -> Vec<Vec<f32>> {
    let batch = TrialBatch::pack(trials.to_vec());
    let trajectory = Trajectory::of_batch(network, &batch);
    (0..batch.batch_size)
        .map(|b| {
            (0..batch.n_steps)
                .map(|t| trajectory.output(0, t, b))
                .collect()
        })
        .collect()
}

/// One AND network trained (or loaded) and looked at on clean and noisy trials.
fn and_probe(train_noise: f64, seed: u64, path: &str) -> sparse_rnn_lab::Result<()> {
    let started = Instant::now();
    let cached = std::fs::read_to_string(path)
        .ok()
        .and_then(|s| serde_json::from_str::<Network>(&s).ok());
    let network = match cached {
        Some(mut network) => {
            network.rebuild_indices();
            println!("loaded {path}");
            network
        }
        None => {
            let schedule = Schedule::authors(JarneLajeKind::And);
            let task = json!({ "input_noise_std": train_noise });
            let config = run_description(JarneLajeKind::And, &task, 50, seed, &schedule);
            let t = train(config, &schedule)?;
            println!(
                "trained: input noise {train_noise}, seed {seed}, {} steps, {} epochs, last epoch loss {:.6}, {:.0} s",
                t.steps,
                t.epochs,
                t.last_epoch_loss,
                started.elapsed().as_secs_f64()
            );
            if let Ok(text) = serde_json::to_string(&t.network) {
                let _ = std::fs::write(path, text);
            }
            t.network
        }
    };
    println!("b_out {:?}", network.b_out);
    let noisy_sets = and_test_trials()?;
    for (c, &(a, b)) in AND_CONDITIONS.iter().enumerate() {
        let name = ["00", "11", "10", "01"][c];
        let clean = and_trials(a, b, 0.0, 1, 7)?;
        let noisy = noisy_sets[c].clone();
        let (dc, dn) = (
            distances(&network, clean.clone()),
            distances(&network, noisy.clone()),
        );
        let (mean, std) = mean_std(&dn);
        println!(
            "{name}: clean {:.3} | noisy {mean:.3} ± {std:.3} (min {:.3}, max {:.3})",
            dc[0],
            dn.iter().cloned().fold(f64::INFINITY, f64::min),
            dn.iter().cloned().fold(0.0, f64::max)
        );
        for (label, trials) in [("clean", &clean), ("noisy", &noisy)] {
            let outs = outputs(&network, trials);
            // where the squared error of the first trial sits
            let y = &trials[0].targets;
            let err = |r: std::ops::Range<usize>| -> f64 {
                r.map(|t| ((outs[0][t] - y[[t, 0]]) as f64).powi(2)).sum()
            };
            let around: Vec<String> = (64..82).map(|t| format!("{:.2}", outs[0][t])).collect();
            let late: Vec<String> = [100, 150, 209]
                .iter()
                .map(|&t| format!("{:.2}", outs[0][t]))
                .collect();
            let resp: Vec<String> = outs
                .iter()
                .map(|o| format!("{:.2}", o[70..].iter().sum::<f32>() / o[70..].len() as f32))
                .collect();
            println!(
                "   {label}: err² [0,70) {:.3}, [70,80) {:.3}, [80,210) {:.3}; out t=64..81 [{}], t=100,150,209 [{}]; mean response per trial [{}]",
                err(0..70),
                err(70..80),
                err(80..210),
                around.join(" "),
                late.join(" "),
                resp.join(" ")
            );
        }
    }
    Ok(())
}

/// Distances of saved time-pulse networks on the study's test trials.
fn pulse_score(interval_ms: f64, test_seed: u64, paths: &[String]) -> sparse_rnn_lab::Result<()> {
    for path in paths {
        let text = std::fs::read_to_string(path).map_err(|e| sparse_rnn_lab::Error::Io {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        let parse = |e: serde_json::Error| sparse_rnn_lab::Error::Parse {
            what: "time-pulse network file",
            reason: format!("{path}: {e}"),
        };
        let value: serde_json::Value = serde_json::from_str(&text).map_err(parse)?;
        let inner = value.get("network").cloned().unwrap_or(value);
        let mut network: Network = serde_json::from_value(inner).map_err(parse)?;
        network.rebuild_indices();
        let d = pulse_distances(&network, interval_ms, test_seed)?;
        let cells: Vec<String> = d.iter().map(|v| format!("{v:.3}")).collect();
        println!(
            "{path}: N {}, test seed {test_seed}, mean {:.3}; per trial [{}]",
            network.config.n_neurons,
            mean_std(&d).0,
            cells.join(" ")
        );
    }
    Ok(())
}

fn main() -> sparse_rnn_lab::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let what = args.first().map(String::as_str).unwrap_or("and");
    if what == "pulse-score" {
        let interval: f64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(150.0);
        let test_seed: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1001);
        return pulse_score(interval, test_seed, &args[3.min(args.len())..]);
    }
    if what == "and-probe" {
        let noise: f64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(0.1);
        let seed: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
        let path = args
            .get(3)
            .cloned()
            .unwrap_or_else(|| format!("target/jl_and_probe_{noise}_{seed}.json"));
        return and_probe(noise, seed, &path);
    }
    if what == "degradation" {
        let path = args
            .get(1)
            .map(String::as_str)
            .unwrap_or("results/jarne_laje_degradation.jsonl");
        let networks: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(10);
        return degradation(path, networks, args.get(3).map(String::as_str));
    }
    let networks: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(10);
    let epochs: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(20);
    let first: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1);
    let seeds: Vec<u64> = (first..first + networks).collect();
    let started = Instant::now();
    match what {
        "and" => {
            let schedule = Schedule {
                epochs,
                ..Schedule::authors(JarneLajeKind::And)
            };
            let mut nets = Vec::new();
            for &seed in &seeds {
                let path = format!(
                    "results/jarne_laje_and_noise{AND_INPUT_NOISE_STD}_{seed}_{epochs}.json"
                );
                let cached = std::fs::read_to_string(&path)
                    .ok()
                    .and_then(|s| serde_json::from_str::<Network>(&s).ok());
                if let Some(network) = cached {
                    nets.push(network);
                    continue;
                }
                let t = and_networks(&[seed], &schedule)?.remove(0);
                emit(
                    "and_training",
                    &format!(
                        "seed\t{seed}\tsteps\t{}\tepochs\t{}\tlast_epoch_loss\t{:.6}\t{:.0}s",
                        t.steps,
                        t.epochs,
                        t.last_epoch_loss,
                        started.elapsed().as_secs_f64()
                    ),
                );
                if let Ok(json) = serde_json::to_string(&t.network) {
                    let _ = std::fs::write(&path, json);
                }
                nets.push(t.network);
            }
            for (damage, name) in [
                (Damage::Magnitude, "abs"),
                (Damage::Positive, "positive"),
                (Damage::Negative, "negative"),
            ] {
                for row in damage_table(&nets, damage, &DAMAGE_THRESHOLDS)? {
                    emit(
                        "and_damage",
                        &format!(
                            "{name}\t{}\t{:.4}\t{:.1}\t{:.3}\t{:.3}\t{:.3}\t{:.3}\t{:.3}\t{:.3}\t{:.3}\t{:.3}",
                            nets.len(),
                            row.threshold,
                            row.percent_removed,
                            row.mean[0],
                            row.std[0],
                            row.mean[1],
                            row.std[1],
                            row.mean[2],
                            row.std[2],
                            row.mean[3],
                            row.std[3]
                        ),
                    );
                }
            }
        }
        "size" | "delay" => {
            let schedule = Schedule {
                epochs,
                ..Schedule::authors(JarneLajeKind::TimePulse)
            };
            let points: Vec<(usize, f64)> = if what == "size" {
                [50, 100, 200, 300].iter().map(|&n| (n, 150.0)).collect()
            } else {
                [25.0, 50.0, 100.0, 150.0]
                    .iter()
                    .map(|&d| (50, d))
                    .collect()
            };
            for (n, delay) in points {
                let point = scale_point(n, delay, &seeds, &schedule)?;
                let (mean, std) = mean_std(&point.per_network);
                emit(
                    what,
                    &format!(
                        "N\t{n}\tdelay_ms\t{delay}\tnetworks\t{}\tdistance\t{mean:.3}\tstd\t{std:.3}\tsteps\t{:?}\t{:.0}s",
                        point.per_network.len(),
                        point.steps,
                        started.elapsed().as_secs_f64()
                    ),
                );
            }
        }
        other => eprintln!("unknown experiment {other}: and, size or delay"),
    }
    Ok(())
}
