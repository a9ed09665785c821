//! Side-by-side traces of Kim et al. 2019's rate → LIF mapping (the `kim-mapping` claim):
//! the trained rate network's rates h(t) and output against its LIF copy's firing rates
//! (spikes counted in 25 ms bins, divided by λ) and output, on the same Go and NoGo trials.
//!
//! `cargo run --release --example kim_diagnosis -- <seed> <rate_steps> <out.jsonl> [model.json]`
//!
//! The trained rate network is saved to / loaded from `model.json` when given. Two
//! mappings are traced: `old` (the first implementation: W_rec and W_in × λ, W_out copied,
//! no bias) and `kim` ([`map_onto_lif`]: the neurons rest at threshold, the input in mV,
//! W_rec and W_out / λ on rates in Hz). Each line of `out.jsonl` is one (mapping, λ,
//! condition) with 25 ms bins.

use serde_json::json;
use sparse_rnn_lab::lab::rate_to_spiking::{kim_lif_copy, kim_spiking_run, kim_trained_rate};
use sparse_rnn_lab::lab::session::Session;
use sparse_rnn_lab::model::Network;
use sparse_rnn_lab::tasks::go_nogo::{GoNoGo, GoNoGoConfig};
use sparse_rnn_lab::tasks::TrialBatch;
use sparse_rnn_lab::train::{forward, Trajectory};
use std::io::Write;

const BIN_MS: usize = 25;

/// `[NoGo, Go]` at `dt_ms`.
fn batch(dt_ms: f64) -> TrialBatch {
    let task = GoNoGo::new(GoNoGoConfig {
        dt_ms,
        ..GoNoGoConfig::default()
    })
    .unwrap();
    TrialBatch::pack(vec![task.make(false), task.make(true)])
}

/// Per neuron, per 25 ms bin, per trial: the mean of `values` (`[N][stride]`, step t at
/// `offset + t·B + b`) over the bin's steps.
fn binned(
    values: &[f32],
    n: usize,
    n_steps: usize,
    dt_ms: f64,
    offset: usize,
    stride: usize,
) -> Vec<Vec<[f64; 2]>> {
    let per_bin = (BIN_MS as f64 / dt_ms).round() as usize;
    let bins = n_steps / per_bin;
    (0..n)
        .map(|i| {
            (0..bins)
                .map(|k| {
                    let mut out = [0.0; 2];
                    for (b, o) in out.iter_mut().enumerate() {
                        let sum: f64 = (k * per_bin..(k + 1) * per_bin)
                            .map(|t| values[i * stride + offset + t * 2 + b] as f64)
                            .sum();
                        *o = sum / per_bin as f64;
                    }
                    out
                })
                .collect()
        })
        .collect()
}

fn mean_over(rows: &[Vec<[f64; 2]>], which: impl Fn(usize) -> bool, k: usize, b: usize) -> f64 {
    let picked: Vec<f64> = (0..rows.len())
        .filter(|i| which(*i))
        .map(|i| rows[i][k][b])
        .collect();
    picked.iter().sum::<f64>() / picked.len().max(1) as f64
}

fn correlation(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = a.iter().map(|x| (x - ma) * (x - ma)).sum();
    let vb: f64 = b.iter().map(|y| (y - mb) * (y - mb)).sum();
    cov / (va * vb).sqrt().max(1e-300)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let seed: u64 = args[0].parse()?;
    let steps: usize = args[1].parse()?;
    let out_path = &args[2];
    let cached = args
        .get(3)
        .and_then(|p| std::fs::read_to_string(p).ok())
        .map(|text| sparse_rnn_lab::persist::load_model(&text))
        .transpose()?;
    let rate: Network = match cached {
        Some((network, _)) => network,
        None => {
            let (session, accuracy) = kim_trained_rate(seed, steps, 64)?;
            println!("rate network trained {steps} steps: accuracy {accuracy}");
            if let Some(path) = args.get(3) {
                std::fs::write(
                    path,
                    sparse_rnn_lab::persist::save_model(&session.trainer.network, steps),
                )?;
            }
            session.trainer.network
        }
    };
    let n = rate.n_neurons();
    let excitatory = |i: usize| rate.neuron_sign[i] > 0.0;
    let inhibitory = |i: usize| rate.neuron_sign[i] < 0.0;
    let mut out = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(out_path)?;

    // the rate network: h(t) (states, t = 1..=T) and y(t)
    let rate_batch = batch(5.0);
    let mut rate_traj = Trajectory::default();
    forward(
        &rate,
        &rate_batch.inputs,
        rate_batch.n_steps,
        2,
        None,
        &mut rate_traj,
    );
    let t_rate = rate_batch.n_steps;
    let h = binned(&rate_traj.states, n, t_rate, 5.0, 2, (t_rate + 1) * 2);
    let y_rate = binned(&rate_traj.outputs, 1, t_rate, 5.0, 0, t_rate * 2);
    let bins = h[0].len();
    for (b, name) in [(0, "nogo"), (1, "go")] {
        let line = json!({
            "experiment": "kim-traces", "seed": seed, "network": "rate", "condition": name,
            "bin_ms": BIN_MS,
            "mean_rate_e": (0..bins).map(|k| mean_over(&h, excitatory, k, b)).collect::<Vec<_>>(),
            "mean_rate_i": (0..bins).map(|k| mean_over(&h, inhibitory, k, b)).collect::<Vec<_>>(),
            "output": (0..bins).map(|k| y_rate[0][k][b]).collect::<Vec<_>>(),
        });
        writeln!(out, "{line}")?;
    }
    println!(
        "rate: W_in mean |w| {:.3}, W_rec mean |w| {:.3}, W_out mean |w| {:.3}",
        rate.w_in.values.iter().map(|v| v.abs()).sum::<f32>() / rate.w_in.nnz() as f32,
        rate.w_rec.values.iter().map(|v| v.abs()).sum::<f32>() / rate.w_rec.nnz() as f32,
        rate.w_out.values.iter().map(|v| v.abs()).sum::<f32>() / rate.w_out.nnz() as f32
    );

    let lif_batch = batch(1.0);
    let t_lif = lif_batch.n_steps;
    let mut copies: Vec<(String, f64, Network)> = Vec::new();
    for (lambda, synced) in [
        (0.1, false),
        (1.0, false),
        (0.1, true),
        (0.3, true),
        (1.0, true),
    ] {
        let mut session = Session::with_task(
            kim_spiking_run(seed),
            Box::new(GoNoGo::new(GoNoGoConfig {
                dt_ms: 1.0,
                ..GoNoGoConfig::default()
            })?),
        )?;
        let copy = &mut session.trainer.network;
        let scale = |w: &[f32]| w.iter().map(|v| v * lambda as f32).collect::<Vec<_>>();
        copy.w_rec.values = scale(&rate.w_rec.values);
        copy.w_rec_param = scale(&rate.w_rec_param);
        copy.w_in.values = scale(&rate.w_in.values);
        copy.w_out.values.clone_from(&rate.w_out.values);
        if synced {
            copy.refresh_effective_weights();
        }
        let name = if synced { "old" } else { "old-unsynced" };
        copies.push((name.into(), lambda, session.trainer.network));
    }
    let lambdas: Vec<f64> = args
        .get(4)
        .map(|s| s.split(',').map(|x| x.parse().unwrap()).collect())
        .unwrap_or_else(|| vec![5.0, 10.0, 20.0, 30.0, 50.0, 75.0, 100.0, 150.0]);
    for lambda in lambdas {
        let session = kim_lif_copy(&rate, seed, lambda)?;
        copies.push(("kim".into(), lambda, session.trainer.network));
    }
    let window = 400 / BIN_MS..1000 / BIN_MS;
    for (mapping, lambda, lif) in copies {
        let mut traj = Trajectory::default();
        forward(&lif, &lif_batch.inputs, t_lif, 2, None, &mut traj);
        // spikes per step → Hz → rate units (÷ λ for the Kim mapping)
        let per_unit = if mapping == "kim" {
            1000.0 / lambda
        } else {
            1000.0
        };
        let z = binned(&traj.spikes, n, t_lif, 1.0, 2, (t_lif + 1) * 2);
        let f: Vec<Vec<[f64; 2]>> = z
            .iter()
            .map(|row| {
                row.iter()
                    .map(|p| [p[0] * per_unit, p[1] * per_unit])
                    .collect()
            })
            .collect();
        let y = binned(&traj.outputs, 1, t_lif, 1.0, 0, t_lif * 2);
        let spikes = traj.spikes.iter().filter(|s| **s > 0.0).count();
        let mut summary = Vec::new();
        for (b, name) in [(0, "nogo"), (1, "go")] {
            let late = |rows: &Vec<Vec<[f64; 2]>>| -> Vec<f64> {
                rows.iter()
                    .map(|r| window.clone().map(|k| r[k][b]).sum::<f64>() / window.len() as f64)
                    .collect()
            };
            let (hr, fr) = (late(&h), late(&f));
            let r = correlation(&hr, &fr);
            let mean_y = window.clone().map(|k| y[0][k][b]).sum::<f64>() / window.len() as f64;
            let mean_y_rate =
                window.clone().map(|k| y_rate[0][k][b]).sum::<f64>() / window.len() as f64;
            let line = json!({
                "experiment": "kim-traces", "seed": seed, "network": "lif",
                "mapping": mapping, "lambda": lambda, "condition": name, "bin_ms": BIN_MS,
                "spikes_both_trials": spikes,
                "mean_rate_e": (0..bins).map(|k| mean_over(&f, excitatory, k, b)).collect::<Vec<_>>(),
                "mean_rate_i": (0..bins).map(|k| mean_over(&f, inhibitory, k, b)).collect::<Vec<_>>(),
                "output": (0..bins).map(|k| y[0][k][b]).collect::<Vec<_>>(),
                "late_rate_correlation": r,
                "late_output": mean_y, "late_output_rate_network": mean_y_rate,
            });
            writeln!(out, "{line}")?;
            summary.push(format!(
                "{name}: y {mean_y:.3} (rate {mean_y_rate:.3}), corr(h, f/λ) {r:.2}, mean f/λ {:.3} vs h {:.3}",
                fr.iter().sum::<f64>() / n as f64,
                hr.iter().sum::<f64>() / n as f64
            ));
        }
        println!(
            "{mapping} λ {lambda}: {spikes} spikes; {}",
            summary.join("; ")
        );
    }
    Ok(())
}
