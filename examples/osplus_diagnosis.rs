//! Per-epoch trace of the Hebbian OS+ rule (Turcu & Abbott 2022) on the `hebbian` claim's
//! setting: online accuracy, full-set accuracy after the epoch, the fraction of patterns
//! read as "amplify", the mean readout and the size of J.
//!
//! `cargo run --release --example osplus_diagnosis -- <n> <alpha> <seed> <epochs> <out.jsonl> [density] [theta] [threshold]`
//!
//! One JSON line per epoch. `density` (default 0.1) is the mask's density (P is still
//! α · 0.1 · N²), `theta` (default 0.0334) the (first) decision threshold on the readout
//! and `threshold` the OS+ threshold form, `fixed` (default) or `epoch-percentile`.
//! Per epoch: `online_acc` (1 − errors under the threshold in force / P), `authors_acc`
//! (the epoch's readouts against the next threshold, as their `a_dyn`), `threshold_used`,
//! `threshold_next`, and after the epoch on the full set `full_acc` / `frac_high` against
//! the fixed θ and `frac_above_next` against the next threshold.

use serde_json::json;
use sparse_rnn_lab::lab::presets::Turcu;
use sparse_rnn_lab::lab::session::Session;
use sparse_rnn_lab::learning::hebbian::{one_shot_from_batch, os_plus_epoch};
use sparse_rnn_lab::learning::{HebbianConfig, OsPlusThreshold};
use sparse_rnn_lab::model::Network;
use sparse_rnn_lab::rng::SimRng;
use sparse_rnn_lab::tasks::turcu::{PatternClassification, PatternConfig};
use sparse_rnn_lab::tasks::TrialBatch;
use sparse_rnn_lab::train::Trajectory;
use std::io::Write;

const THETA: f64 = 0.0334;

/// (accuracy, fraction read as amplify, mean readout, fraction ≥ `threshold`) on every pattern.
fn full_set(
    network: &Network,
    task: &PatternClassification,
    threshold: f32,
) -> (f64, f64, f64, f64) {
    let batch = TrialBatch::pack(task.all_trials(&mut SimRng::new(0)));
    let trajectory = Trajectory::of_batch(network, &batch);
    let n_out = network.n_outputs();
    let (mut right, mut high, mut sum, mut above) = (0usize, 0usize, 0.0f64, 0usize);
    for b in 0..batch.batch_size {
        let out = batch.unpack(&trajectory.outputs, n_out, b);
        let last = out[[out.nrows() - 1, 0]];
        let amplify = task.decides_amplify(last);
        high += amplify as usize;
        right += (amplify == task.labels[b]) as usize;
        sum += last as f64;
        above += (last >= threshold) as usize;
    }
    let p = batch.batch_size as f64;
    (right as f64 / p, high as f64 / p, sum / p, above as f64 / p)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args[1].parse().unwrap();
    let alpha: f64 = args[2].parse().unwrap();
    let seed: u64 = args[3].parse().unwrap();
    let epochs: usize = args[4].parse().unwrap();
    let mut out = std::fs::File::create(&args[5]).unwrap();
    let density: f64 = args.get(6).map_or(0.1, |a| a.parse().unwrap());
    let theta: f64 = args.get(7).map_or(THETA, |a| a.parse().unwrap());
    let form: OsPlusThreshold = args.get(8).map_or(OsPlusThreshold::Fixed, |a| {
        serde_json::from_value(serde_json::Value::String(a.clone())).unwrap()
    });
    let p = (alpha * 0.1 * (n * n) as f64).round() as usize;
    let setting = Turcu {
        n,
        density,
        n_patterns: p,
        targets: (theta + 0.01, theta - 0.01),
        input_steps: 9,
        seed,
        ..Turcu::authors()
    };
    let session = Session::new(setting.run()).unwrap();
    let config: PatternConfig = serde_json::from_value(setting.task_options()).unwrap();
    let task = PatternClassification::new(config).unwrap();
    let mut network = session.trainer.network;
    let hebb = HebbianConfig {
        threshold: form,
        ..HebbianConfig::default()
    };
    let batch = TrialBatch::pack(task.all_trials(&mut SimRng::new(0)));
    one_shot_from_batch(&mut network, &batch, &hebb).unwrap();
    let mut threshold = task.config.threshold();
    let (acc, high, mean, _) = full_set(&network, &task, threshold);
    let j_rms = |net: &Network| {
        (net.w_rec_param
            .iter()
            .map(|v| (*v as f64).powi(2))
            .sum::<f64>()
            / net.w_rec_param.len() as f64)
            .sqrt()
    };
    writeln!(
        out,
        "{}",
        json!({"n": n, "alpha": alpha, "p": p, "seed": seed, "epoch": 0, "density": density, "theta": theta, "threshold_form": form,
        "full_acc": acc, "frac_high": high, "mean_readout": mean, "j_rms": j_rms(&network)})
    )
    .unwrap();
    let mut rng = SimRng::derived(seed, "os-plus");
    let mut best: f64 = 0.0;
    for epoch in 1..=epochs {
        let step = os_plus_epoch(&mut network, &task, &mut rng, &hebb, threshold).unwrap();
        let wrong = step.wrong;
        threshold = step.threshold_next;
        let online = 1.0 - wrong as f64 / p as f64;
        best = best.max(step.accuracy);
        let (acc, high, mean, above) = full_set(&network, &task, threshold);
        writeln!(
            out,
            "{}",
            json!({"n": n, "alpha": alpha, "p": p, "seed": seed, "epoch": epoch,
            "online_acc": online, "authors_acc": step.accuracy, "best_authors": best,
            "threshold_used": step.threshold_used, "threshold_next": step.threshold_next,
            "full_acc": acc, "frac_high": high, "frac_above_next": above,
            "mean_readout": mean, "j_rms": j_rms(&network)})
        )
        .unwrap();
        if wrong == 0 {
            break;
        }
    }
}
