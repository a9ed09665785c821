//! Jarne & Laje's degradation experiments, the authors' way
//! ([`sparse_rnn_lab::lab::studies::jarne_laje`]). Prints tab-separated rows and appends
//! them to `results/jarne_laje_<what>.tsv`.
//!
//! `cargo run --release --example jarne_laje_study -- <and|size|delay> [networks] [epochs]
//! [first seed]` (defaults: 10 networks, 20 epochs — the authors' —, seeds from 1; e.g.
//! `and 3 5` is a quick run). `and` writes each trained network's weights to
//! `results/jarne_laje_and_<seed>.json` and reuses those it finds (resumable).

use sparse_rnn_lab::lab::studies::jarne_laje::{
    and_networks, damage_table, mean_std, scale_point, Damage, Schedule, DAMAGE_THRESHOLDS,
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

fn main() -> sparse_rnn_lab::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let what = args.first().map(String::as_str).unwrap_or("and");
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
