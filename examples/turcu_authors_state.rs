//! Issue #19, the Turcu `trained-n100` claim: load the initial state of the authors' Regular
//! SRNN (exported by `scripts/turcu_k3_authors_state.py`: their mask, masked J, read
//! neurons, patterns and labels, float64) into our network, compare one forward/backward
//! number for number with theirs, then train it for a number of epochs in several forms
//! and compare the per-epoch loss, accuracy and weights with their own training run.
//!
//! `cargo run --release --example turcu_authors_state -- STATE.json EPOCHS OUT.jsonl [VARIANT…]`
//!
//! `cargo run --release --example turcu_authors_state -- export SEED K OUT.json` writes the
//! reverse: the initial state of the claim's own network at N = 100, K, α = 0.5 (mask,
//! J, read neurons, patterns, labels as ±1) in the same layout, for the authors' code to
//! train (`scripts/turcu_k3_authors_state.py … IN.json`).
//!
//! The authors' trial: x₀ = 0, r₀ = f(0) = 0 at their step 0, then 19 updates, the first 10
//! with the pattern; their readout is Σ_{read} r / N with targets 0.6 f / 0.4 f and their
//! loss the hinge summed over all 20 steps and patterns (`loss_ReLU_on_targets`). Ours
//! puts their step t (t ≥ 1) at our output t − 1. Variants (all Adam lr 0.15, β = 0.9 /
//! 0.999, ε = 1e-8, from their J; default: all):
//!
//! - `authors`: their form exactly — readout weight 1/N on their read neurons, their
//!   targets, 10 + 9 steps, the loss on every step, the gradient of the *summed* loss.
//! - `mean-loss`: the same with our loss normalisation (the mean over scored steps and
//!   patterns): only Adam's ε sees the difference.
//! - `claim`: what the claim trains, on their network and patterns: readout the mean of
//!   the read neurons, targets 0.6 / 0.4, 10 + 10 steps, the loss on the 10 response steps,
//!   mean loss.
//! - `claim-all-steps`: `claim` with the loss on the input steps too (the authors' loss
//!   span; the task option `score_stimulus`).
//!
//! Each line of OUT.jsonl: the step-0 comparison (`"kind": "probe"`), then one line per
//! variant and epoch (before that epoch's update, as the authors record): the loss in
//! their units (their readout scale, their 20 steps), the accuracy (%) at their step 19
//! with their percentile threshold, ours at the last step at the targets' midpoint, and
//! (where their run recorded J) the largest |J_ours − J_theirs| over the mask.

use serde_json::{json, Value};
use sparse_rnn_lab::lab::decision::{Readouts, Threshold};
use sparse_rnn_lab::lab::presets::Turcu;
use sparse_rnn_lab::learning::{LearningRule, Trainer};
use sparse_rnn_lab::model::{Csr, Network};
use sparse_rnn_lab::tasks::turcu::{PatternClassification, PatternConfig};
use sparse_rnn_lab::tasks::TrialBatch;
use sparse_rnn_lab::train::{Adam, Batching, LossKind, OptimizerKind, TrainConfig, Trajectory};
use std::io::Write;

/// The authors' exported state.
struct State {
    n: usize,
    p: usize,
    f: f64,
    mask: Vec<(usize, usize)>,
    j0: Vec<f64>,
    read: Vec<usize>,
    /// `patterns[i][m]`, N × P.
    patterns: Vec<Vec<f64>>,
    labels: Vec<i64>,
    probe: Value,
    /// Their per-epoch loss, accuracy (%) per step and J over the mask.
    epochs: Vec<Value>,
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_f64().expect("number"))
        .collect()
}

fn load(path: &str) -> State {
    let text = std::fs::read_to_string(path).expect("read the state file");
    let v: Value = serde_json::from_str(&text).expect("parse the state file");
    let mask = v["mask"]
        .as_array()
        .expect("mask")
        .iter()
        .map(|e| {
            (
                e[0].as_u64().expect("row") as usize,
                e[1].as_u64().expect("col") as usize,
            )
        })
        .collect();
    State {
        n: v["n"].as_u64().expect("n") as usize,
        p: v["p"].as_u64().expect("p") as usize,
        f: v["f"].as_f64().expect("f"),
        mask,
        j0: floats(&v["j0"]),
        read: v["readout"]
            .as_array()
            .expect("readout")
            .iter()
            .map(|x| x.as_u64().expect("index") as usize)
            .collect(),
        patterns: v["patterns"]
            .as_array()
            .expect("patterns")
            .iter()
            .map(floats)
            .collect(),
        labels: v["labels"]
            .as_array()
            .expect("labels")
            .iter()
            .map(|x| x.as_i64().expect("label"))
            .collect(),
        probe: v["probe"].clone(),
        epochs: v["epochs"].as_array().cloned().unwrap_or_default(),
    }
}

/// One way of training from the authors' state.
#[derive(Clone, Copy)]
struct Variant {
    name: &'static str,
    /// Readout weight 1/N (theirs) instead of 1/|read| (our mean).
    readout_sum_over_n: bool,
    /// Steps after the input (theirs: 9, the claim: 10).
    response_steps: usize,
    /// Loss on the input steps too (theirs).
    score_stimulus: bool,
    /// Gradient of the summed loss (theirs) instead of the mean (ours).
    summed: bool,
}

const VARIANTS: [Variant; 4] = [
    Variant {
        name: "authors",
        readout_sum_over_n: true,
        response_steps: 9,
        score_stimulus: true,
        summed: true,
    },
    Variant {
        name: "mean-loss",
        readout_sum_over_n: true,
        response_steps: 9,
        score_stimulus: true,
        summed: false,
    },
    Variant {
        name: "claim",
        readout_sum_over_n: false,
        response_steps: 10,
        score_stimulus: false,
        summed: false,
    },
    Variant {
        name: "claim-all-steps",
        readout_sum_over_n: false,
        response_steps: 10,
        score_stimulus: true,
        summed: false,
    },
];

/// Our network and trainer on the authors' state in `variant`'s form; also the factor
/// that turns our readout into theirs.
fn build(state: &State, variant: Variant) -> (Trainer, TrialBatch, f64) {
    let n = state.n;
    let scale_theirs = state.f; // their targets are ours × f (0.6 f / 0.4 f)
    let targets = if variant.readout_sum_over_n {
        (0.6 * scale_theirs, 0.4 * scale_theirs)
    } else {
        (0.6, 0.4)
    };
    let setting = Turcu {
        n,
        density: state.f,
        n_patterns: state.p,
        targets,
        seed: 0,
        ..Turcu::authors()
    };
    let config = setting.network();
    let mut rows = vec![Vec::new(); n];
    for &(i, j) in &state.mask {
        rows[i].push(j as u32);
    }
    let mut w_rec = Csr::from_rows(n, &rows);
    // np.nonzero is row-major with ascending columns, as our rows.
    for (s, value) in state.j0.iter().enumerate() {
        w_rec.values[s] = *value as f32;
    }
    let mut w_in = Csr::from_rows(n, &(0..n as u32).map(|i| vec![i]).collect::<Vec<_>>());
    w_in.values.fill(1.0);
    let mut read = state.read.clone();
    read.sort_unstable();
    let weight = if variant.readout_sum_over_n {
        1.0 / n as f32
    } else {
        1.0 / read.len() as f32
    };
    let mut w_out = Csr::from_rows(n, &[read.iter().map(|&i| i as u32).collect()]);
    w_out.values.fill(weight);
    let network = Network::from_parts(config, w_rec, w_in, vec![0.0; n], w_out).expect("network");
    let mut task = PatternClassification::new(PatternConfig {
        n_patterns: state.p,
        pattern_dim: n,
        dt_ms: 10.0,
        stimulus_ms: 100.0,
        response_ms: 10.0 * variant.response_steps as f64,
        target_high: targets.0,
        target_low: targets.1,
        seed: 0,
        score_stimulus: variant.score_stimulus,
        ..PatternConfig::default()
    })
    .expect("task");
    for m in 0..state.p {
        for i in 0..n {
            task.patterns[m][i] = state.patterns[i][m] as f32;
        }
        task.labels[m] = state.labels[m] == 1;
    }
    let train = TrainConfig {
        learning_rate: 0.15,
        optimizer: OptimizerKind::Adam,
        batch_size: state.p,
        clip_norm: 0.0,
        loss: LossKind::Hinge {
            threshold: ((targets.0 + targets.1) / 2.0) as f32,
        },
        seed: 0,
        shards: 1,
        batching: Batching::Conditions,
    };
    let mut trainer =
        Trainer::new(network, Box::new(task), train, LearningRule::Bptt).expect("trainer");
    let batch = trainer.next_batch().expect("batch");
    // Our readout × to_theirs = Σ_read r / N.
    let to_theirs = 1.0 / n as f64 / f64::from(weight);
    (trainer, batch, to_theirs)
}

/// `traces[b][t]` of output 0.
fn traces(trajectory: &Trajectory) -> Vec<Vec<f64>> {
    (0..trajectory.batch_size)
        .map(|b| {
            (0..trajectory.n_steps)
                .map(|t| trajectory.output(0, t, b) as f64)
                .collect()
        })
        .collect()
}

/// Their loss (summed hinge over their 20 steps, their readout scale) from our traces
/// (our output t = their step t + 1; their step 0 is r = f(0) = 0).
fn their_loss(traces: &[Vec<f64>], to_theirs: f64, labels: &[i64], f: f64) -> f64 {
    let (high, low) = (0.6 * f, 0.4 * f);
    let mut total = 0.0;
    for (trace, label) in traces.iter().zip(labels) {
        let values = std::iter::once(0.0).chain(trace.iter().take(19).map(|y| y * to_theirs));
        for y in values {
            total += if *label == 1 {
                (high - y).max(0.0)
            } else {
                (y - low).max(0.0)
            };
        }
    }
    total
}

/// Write the claim's own initial network and patterns at N = 100, `k`, α = 0.5, `seed`
/// (the setting `trained-n100` trains) in the layout of the authors' export.
fn export(seed: u64, k: usize, path: &str) {
    let n = 100;
    let density = k as f64 / n as f64;
    let setting = Turcu {
        n,
        density,
        n_patterns: (0.5 * density * (n * n) as f64).round() as usize,
        seed,
        ..Turcu::authors()
    };
    let network = Network::new(setting.network()).expect("network");
    let config: PatternConfig =
        serde_json::from_value(setting.task_options()).expect("task options");
    let task = PatternClassification::new(config).expect("task");
    let w = &network.w_rec;
    let mut mask = Vec::new();
    let mut j0 = Vec::new();
    for i in 0..n {
        for s in w.row_ptr[i]..w.row_ptr[i + 1] {
            mask.push(vec![i, w.col_idx[s] as usize]);
            j0.push(network.w_rec_param[s] as f64);
        }
    }
    let read: Vec<usize> = network.w_out.col_idx.iter().map(|&i| i as usize).collect();
    let patterns: Vec<Vec<f64>> = (0..n)
        .map(|i| task.patterns.iter().map(|p| p[i] as f64).collect())
        .collect();
    let labels: Vec<i64> = task
        .labels
        .iter()
        .map(|&l| if l { 1 } else { -1 })
        .collect();
    let state = json!({
        "n": n, "p": setting.n_patterns, "f": density, "seed": seed, "source": "ours",
        "mask": mask, "j0": j0, "readout": read, "patterns": patterns, "labels": labels,
    });
    std::fs::write(path, state.to_string()).expect("write the export");
    println!(
        "wrote {path}: P = {}, {} synapses, read {:?}",
        setting.n_patterns,
        w.nnz(),
        network.w_out.col_idx
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() == 5 && args[1] == "export" {
        let seed = args[2].parse().expect("SEED");
        let k = args[3].parse().expect("K");
        export(seed, k, &args[4]);
        return;
    }
    if args.len() < 4 {
        eprintln!("usage: turcu_authors_state STATE.json EPOCHS OUT.jsonl [VARIANT…]");
        std::process::exit(2);
    }
    let state = load(&args[1]);
    let epochs: usize = args[2].parse().expect("EPOCHS");
    let mut out = std::fs::File::create(&args[3]).expect("create OUT");
    let chosen: Vec<Variant> = if args.len() > 4 {
        VARIANTS
            .iter()
            .copied()
            .filter(|v| args[4..].iter().any(|a| a == v.name))
            .collect()
    } else {
        VARIANTS.to_vec()
    };
    let positive: Vec<bool> = state.labels.iter().map(|l| *l == 1).collect();

    // Step 0, their form: readouts, loss and gradient against theirs (when their export
    // has the probe).
    if !state.probe.is_null() {
        let (mut trainer, batch, to_theirs) = build(&state, VARIANTS[0]);
        let ours = traces(&Trajectory::of_batch(&trainer.network, &batch));
        let theirs: Vec<Vec<f64>> = state.probe["readout"]
            .as_array()
            .expect("probe readout")
            .iter()
            .map(floats)
            .collect(); // [t][b]
        let mut max_diff = 0.0f64;
        let mut max_value = 0.0f64;
        for (b, trace) in ours.iter().enumerate() {
            for t in 1..20 {
                max_diff = max_diff.max((trace[t - 1] * to_theirs - theirs[t][b]).abs());
                max_value = max_value.max(theirs[t][b].abs());
            }
        }
        let loss_theirs = state.probe["loss"].as_f64().unwrap_or(f64::NAN);
        let weight_total: f64 = batch.mask.iter().map(|m| *m as f64).sum();
        let (mean_loss, grads) = trainer.gradients(&batch).expect("gradients");
        let grad_ours: Vec<f64> = grads
            .w_rec
            .iter()
            .map(|g| *g as f64 * weight_total)
            .collect();
        let grad_theirs = floats(&state.probe["grad"]);
        let norm = |v: &[f64]| v.iter().map(|x| x * x).sum::<f64>().sqrt();
        let diff: Vec<f64> = grad_ours
            .iter()
            .zip(&grad_theirs)
            .map(|(a, b)| a - b)
            .collect();
        let max_grad_diff = diff.iter().fold(0.0f64, |m, d| m.max(d.abs()));
        let n_plus = positive.iter().filter(|p| **p).count() as f64;
        let line = json!({
            "kind": "probe",
            "readout_max_abs_diff": max_diff,
            "readout_max_abs": max_value,
            "loss_ours": mean_loss as f64 * weight_total + n_plus * 0.6 * state.f,
            "loss_ours_from_traces": their_loss(&ours, to_theirs, &state.labels, state.f),
            "loss_theirs": loss_theirs,
            "grad_norm_ours": norm(&grad_ours),
            "grad_norm_theirs": state.probe["grad_norm"],
            "grad_max_abs_diff": max_grad_diff,
            "grad_rel_diff_norm": norm(&diff) / norm(&grad_theirs),
            "weight_total": weight_total,
        });
        println!("{line}");
        writeln!(out, "{line}").expect("write");
    }

    for variant in chosen {
        let (mut trainer, batch, to_theirs) = build(&state, variant);
        let weight_total: f64 = batch.mask.iter().map(|m| *m as f64).sum();
        let mut adam = Adam::for_network(&trainer.network, 0.15);
        let midpoint = if variant.readout_sum_over_n {
            0.5 * state.f
        } else {
            0.5
        };
        for epoch in 0..epochs {
            let trajectory = Trajectory::of_batch(&trainer.network, &batch);
            let ours = traces(&trajectory);
            let readouts = Readouts {
                traces: ours.clone(),
                positive: positive.clone(),
                dt_ms: 10.0,
            };
            let last = readouts.n_steps() - 1;
            let their_j = state.epochs.get(epoch).map(|e| floats(&e["j"]));
            let j_diff = their_j.map(|j| {
                trainer
                    .network
                    .w_rec_param
                    .iter()
                    .zip(&j)
                    .fold(0.0f64, |m, (a, b)| m.max((*a as f64 - b).abs()))
            });
            let theirs = state.epochs.get(epoch);
            let line = json!({
                "kind": "epoch",
                "variant": variant.name,
                "epoch": epoch,
                "loss": their_loss(&ours, to_theirs, &state.labels, state.f),
                "loss_theirs": theirs.map(|e| e["loss"].clone()),
                "accuracy_step19": 100.0 * readouts.accuracy_at(18, Threshold::Percentile),
                "accuracy_step19_theirs": theirs.map(|e| e["accuracy"][19].clone()),
                "accuracy_last_midpoint": 100.0 * readouts.accuracy_at(last, Threshold::Fixed(midpoint)),
                "j_max_abs_diff": j_diff,
            });
            if epoch % 10 == 0 || epoch + 1 == epochs {
                println!("{line}");
            }
            writeln!(out, "{line}").expect("write");
            let (_, grads) = trainer.gradients(&batch).expect("gradients");
            let mut grads = grads.clone();
            if variant.summed {
                grads.scale(weight_total as f32);
            }
            adam.step_network(&mut trainer.network, &grads);
        }
    }
}
