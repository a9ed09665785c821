//! Jarne & Laje's degradation experiments, the authors' way
//! ([`sparse_rnn_lab::lab::studies::jarne_laje`]). Prints tab-separated rows and appends
//! them to `results/jarne_laje_<what>.tsv`.
//!
//! `cargo run --release --example jarne_laje_study -- <and|size|delay> [networks] [epochs]
//! [first seed]` (defaults: 10 networks, 20 epochs — the authors' —, seeds from 1; e.g.
//! `and 3 5` is a quick run). `and` writes each trained network's weights to
//! `results/jarne_laje_and_<seed>.json` and reuses those it finds (resumable).
//!
//! `… -- degradation <file.jsonl> [networks]`: the whole degradation table (AND damage,
//! pulse task vs size and vs delay) on the authors' schedule, one JSONL line per trained
//! network, seeds round-robin over the points so every table fills at once; networks
//! already in the file are skipped (resumable: run it again after an interruption).

use serde_json::json;
use sparse_rnn_lab::lab::studies::jarne_laje::{
    and_networks, and_trials, damage_table, damage_table_on, mean_std, pulse_distances,
    run_description, scale_point, train, Damage, Schedule, AND_CONDITIONS, DAMAGE_THRESHOLDS,
};
use sparse_rnn_lab::model::Network;
use sparse_rnn_lab::tasks::jarne_laje::JarneLajeKind;
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
fn degradation(path: &str, networks: u64) -> sparse_rnn_lab::Result<()> {
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
        })
    };
    for seed in 1..=networks {
        for &(what, n, delay) in PLAN {
            if is_done(what, n, delay, seed) {
                continue;
            }
            let started = Instant::now();
            let line = if what == "and" {
                let schedule = Schedule::authors(JarneLajeKind::And);
                let config = run_description(JarneLajeKind::And, &json!({}), n, seed, &schedule);
                let t = train(config, &schedule)?;
                let mut damage = serde_json::Map::new();
                for (kind, name) in [
                    (Damage::Magnitude, "abs"),
                    (Damage::Positive, "positive"),
                    (Damage::Negative, "negative"),
                ] {
                    let rows =
                        damage_table(std::slice::from_ref(&t.network), kind, &DAMAGE_THRESHOLDS)?;
                    let rows: Vec<serde_json::Value> = rows
                        .iter()
                        .map(|r| json!({"threshold": r.threshold, "percent_removed": r.percent_removed, "distance": r.mean}))
                        .collect();
                    damage.insert(name.into(), serde_json::Value::Array(rows));
                    // the same on 10 trials per condition with the paper's input noise 0.1
                    let noisy: Vec<Vec<_>> = AND_CONDITIONS
                        .iter()
                        .map(|&(a, b)| and_trials(a, b, 0.1, 10, 2000 + seed))
                        .collect::<sparse_rnn_lab::Result<_>>()?;
                    let rows = damage_table_on(
                        std::slice::from_ref(&t.network),
                        kind,
                        &DAMAGE_THRESHOLDS,
                        &noisy,
                    );
                    let rows: Vec<serde_json::Value> = rows
                        .iter()
                        .map(|r| json!({"threshold": r.threshold, "percent_removed": r.percent_removed, "distance": r.mean}))
                        .collect();
                    damage.insert(format!("{name}_noise0.1"), serde_json::Value::Array(rows));
                }
                json!({"experiment": "and", "n_neurons": n, "interval_ms": delay, "seed": seed,
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

fn main() -> sparse_rnn_lab::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let what = args.first().map(String::as_str).unwrap_or("and");
    if what == "degradation" {
        let path = args
            .get(1)
            .map(String::as_str)
            .unwrap_or("results/jarne_laje_degradation.jsonl");
        let networks: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(10);
        return degradation(path, networks);
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
                let path = format!("results/jarne_laje_and_{seed}_{epochs}.json");
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
