//! Training curves of Turcu & Abbott's α = 0.5 classification with LIF neurons
//! ([`TurcuSpiking`]) or with the authors' rate network ([`Turcu::authors`]), the run
//! description changed by a JSON patch (merged object by object), to find what limits the
//! spiking network: accuracy and loss on all 250 patterns every `every` steps, the
//! readout at the last step per class (mean, standard deviation) and the mean activity
//! (spiking: Hz over all neurons and steps; rate: mean rate).
//!
//! `cargo run --release --example turcu_probe -- <lif|rate> <seed> <steps> <every> '<patch>' <out>`
//!
//! e.g. `'{"network": {"spiking": {"readout_tau_ms": 50}}, "task": {"target_high": 3}}'`.
//! One JSON line per evaluation is appended to `out`.

use serde_json::{json, Value};
use sparse_rnn_lab::lab::presets::Turcu;
use sparse_rnn_lab::lab::run::patch_run;
use sparse_rnn_lab::lab::session::Session;
use sparse_rnn_lab::lab::turcu_spiking::TurcuSpiking;
use sparse_rnn_lab::rng::SimRng;
use sparse_rnn_lab::tasks::TrialBatch;
use sparse_rnn_lab::train::Trajectory;
use std::io::Write;

/// Mean and standard deviation.
fn mean_sd(values: &[f64]) -> (f64, f64) {
    let n = values.len().max(1) as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
    (mean, var.sqrt())
}

/// `{high: [mean, sd], low: [mean, sd], activity}` of the readout at the last step of
/// every pattern, split by the pattern's target.
fn readout_stats(session: &Session) -> Value {
    let trainer = &session.trainer;
    let Some(trials) = trainer.task.condition_trials(&mut SimRng::new(0)) else {
        return Value::Null;
    };
    let batch = TrialBatch::pack(trials);
    let trajectory = Trajectory::of_batch(&trainer.network, &batch);
    let (t_last, b_n) = (batch.n_steps - 1, batch.batch_size);
    let (mut high, mut low) = (Vec::new(), Vec::new());
    let mid = (batch.targets.iter().cloned().fold(f32::MIN, f32::max)
        + batch
            .targets
            .iter()
            .cloned()
            .filter(|v| *v != 0.0)
            .fold(f32::MAX, f32::min))
        / 2.0;
    for b in 0..b_n {
        let at = t_last * b_n + b;
        let y = trajectory.outputs[at] as f64;
        if batch.targets[at] > mid {
            high.push(y);
        } else {
            low.push(y);
        }
    }
    let activity = if trajectory.spikes.is_empty() {
        let r = &trajectory.rates;
        r.iter().map(|v| *v as f64).sum::<f64>() / r.len().max(1) as f64
    } else {
        let z = &trajectory.spikes;
        let per_step = z.iter().map(|v| *v as f64).sum::<f64>() / z.len().max(1) as f64;
        per_step * 1000.0 / trainer.network.config.dt_ms
    };
    let (hm, hs) = mean_sd(&high);
    let (lm, ls) = mean_sd(&low);
    json!({"high": [hm, hs], "low": [lm, ls], "activity": activity})
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() != 6 {
        eprintln!("usage: turcu_probe <lif|rate> <seed> <steps> <every> '<patch>' <out>");
        std::process::exit(2);
    }
    let kind = args[0].as_str();
    let seed: u64 = args[1].parse()?;
    let steps: usize = args[2].parse()?;
    let every: usize = args[3].parse()?;
    let patch: Value = serde_json::from_str(&args[4])?;
    let mut run = match kind {
        "rate" => Turcu {
            seed,
            ..Turcu::authors()
        }
        .run(),
        _ => TurcuSpiking {
            seed,
            ..TurcuSpiking::default()
        }
        .run(),
    };
    patch_run(&mut run, &patch);
    let mut session = Session::new(run)?;
    let start = std::time::Instant::now();
    let mut out = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&args[5])?;
    let mut done = 0;
    loop {
        let evaluation = session.evaluate(250)?;
        let line = json!({"kind": kind, "seed": seed, "patch": patch, "step": done,
                          "accuracy": evaluation.accuracy, "loss": evaluation.loss,
                          "readout": readout_stats(&session),
                          "seconds": start.elapsed().as_secs_f64()});
        writeln!(out, "{line}")?;
        println!("{line}");
        if done >= steps {
            break;
        }
        let chunk = every.min(steps - done);
        session.train(chunk)?;
        done += chunk;
    }
    Ok(())
}
