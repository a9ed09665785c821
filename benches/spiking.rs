//! The Rust side of `benches/peers/snntorch_speed.py` (snnTorch run beside us):
//! `cargo bench --bench spiking -- --out DIR [--neurons 200 --inputs 100 --steps 200
//! --batch 64 --density 1 --train-steps 10 --repeats 5]`.
//!
//! One recurrent LIF network (τ_mem 10 ms, τ_syn 5 ms as SpyTorch, threshold 1, reset by
//! subtraction, SuperSpike surrogate of scale 100, a leaky readout of τ 10 ms) on
//! SpyTorch's random spike patterns (`spytorch-random`: `batch` fixed samples of `inputs`
//! Poisson channels at 5 Hz over `steps` steps of 1 ms, random labels), trained by
//! surrogate BPTT with Adam (2e-3) on the max-over-time cross-entropy, the whole set each
//! step. Writes `DIR/spiking.json`: the network's weights, the inputs and labels, and our
//! numbers from this run — the forward pass of the fixed network on those inputs (median
//! seconds over `repeats`, spikes, synaptic events = Σ spikes × fan-out) and the time of a
//! training step (forward, backward, Adam; mean over `train-steps` after one warm-up
//! step) — so the script runs snnTorch on the same network, inputs and labels.
//!
//! `cargo bench --bench spiking -- --eprop-evidence [--batch 32 --repeats 3 --train-steps 1]`
//! times e-prop instead, on the evidence-accumulation network of `spiking/eprop-random`
//! (50 LIF + 50 ALIF, 40 inputs, 2250-step trials, random feedback, rate regularisation 1;
//! [`sparse_rnn_lab::lab::spiking::eprop_evidence_run`], seed 1): the gradient
//! `eprop_gradients` alone on one fixed batch (median and fastest of `repeats`), a
//! fingerprint of its bits (FNV-1a over every gradient entry, so two builds can be
//! compared for bit identity), and whole training iterations (forward, loss, e-prop, Adam;
//! mean over `train-steps` after one warm-up). Prints one JSON line.

use serde_json::{json, Value};
use sparse_rnn_lab::lab::session::Session;
use sparse_rnn_lab::lab::spiking::eprop_evidence_run;
use sparse_rnn_lab::learning::eprop::{eprop_gradients, rate_regularizer};
use sparse_rnn_lab::learning::{feedback_alignment, FeedbackConfig};
use sparse_rnn_lab::model::Csr;
use sparse_rnn_lab::rng::SimRng;
use sparse_rnn_lab::tasks::{TrialBatch, TrialLabel};
use sparse_rnn_lab::train::{forward, loss_and_gradient_shaped, Gradients, LossKind, Trajectory};
use std::time::Instant;

fn arg(args: &[String], name: &str, default: f64) -> f64 {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map_or(default, |v| {
            v.parse().unwrap_or_else(|_| panic!("{name}: {v}"))
        })
}

/// `m` as dense rows.
fn dense(m: &Csr) -> Vec<Vec<f32>> {
    let flat = m.to_dense();
    flat.chunks(m.n_cols.max(1)).map(<[f32]>::to_vec).collect()
}

/// The run description of the benchmark.
fn run(neurons: usize, inputs: usize, steps: usize, batch: usize, density: f64) -> Value {
    let connectivity = if density >= 1.0 {
        json!({"connectivity": "dense"})
    } else {
        json!({"connectivity": "random-density", "density": density})
    };
    let mut network = json!({
        "n_neurons": neurons, "n_inputs": inputs, "n_outputs": 2, "gain": 1.0,
        "allow_autapses": false, "train_bias": false, "dynamics": "lif", "dt_ms": 1.0,
        "tau_ms": 10.0, "seed": 1,
        "spiking": {
            "tau_mem_ms": 10.0, "tau_syn_ms": 5.0, "threshold": 1.0, "reset": "subtract",
            "surrogate": "fast-sigmoid", "surrogate_scale": 100.0,
            "readout_tau_ms": 10.0, "readout_tau_syn_ms": 0.0,
            "input_gain": 7.0 * (1.0 - (-0.1f64).exp())
        }
    });
    for (k, v) in connectivity.as_object().expect("object") {
        network[k] = v.clone();
    }
    json!({
        "network": network,
        "train": {"learning_rate": 2e-3, "batch_size": batch, "clip_norm": 0.0,
                  "batching": "conditions", "loss": "max-over-time-cross-entropy", "seed": 1},
        "task": {"id": "spytorch-random", "n_samples": batch, "n_inputs": inputs,
                 "n_steps": steps, "seed": 1},
        "rule": "bptt"
    })
}

/// FNV-1a over the bits of every gradient entry.
fn fingerprint(grads: &Gradients) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for g in [
        &grads.w_rec,
        &grads.w_in,
        &grads.bias,
        &grads.w_out,
        &grads.b_out,
    ] {
        for x in g.iter() {
            for byte in x.to_bits().to_le_bytes() {
                h = (h ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
            }
        }
    }
    format!("{h:016x}")
}

/// The `--eprop-evidence` case (see the file's docs).
fn eprop_evidence(args: &[String]) {
    let batch_size = arg(args, "--batch", 32.0) as usize;
    let repeats = (arg(args, "--repeats", 3.0) as usize).max(1);
    let train_steps = (arg(args, "--train-steps", 1.0) as usize).max(1);
    let rule = json!({"rule": "eprop", "feedback": "random", "rate_regularization": 1.0});
    let mut session =
        Session::new(eprop_evidence_run(rule, 1, batch_size)).expect("run description");
    let network = session.trainer.network.clone();
    let batch = session.trainer.task.batch(&mut SimRng::new(1), batch_size);
    let (t_len, b_len) = (batch.n_steps, batch.batch_size);
    let mut trajectory = Trajectory::default();
    forward(&network, &batch.inputs, t_len, b_len, None, &mut trajectory);
    let mut dy = Vec::new();
    loss_and_gradient_shaped(
        LossKind::CrossEntropy,
        &trajectory.outputs,
        &batch.targets,
        &batch.mask,
        (network.n_outputs(), t_len, b_len),
        &mut dy,
    );
    let (_, rate_error) = rate_regularizer(&trajectory, network.config.dt_ms, 1.0, 10.0);
    let feedback = feedback_alignment::feedback_matrix(&network, &FeedbackConfig::default());
    let mut seconds = Vec::new();
    let mut print = String::new();
    for _ in 0..repeats {
        let start = Instant::now();
        let grads = eprop_gradients(
            &network,
            &batch.inputs,
            &trajectory,
            &dy,
            Some(&feedback),
            Some(&rate_error),
        );
        seconds.push(start.elapsed().as_secs_f64());
        print = fingerprint(&grads);
    }
    seconds.sort_by(f64::total_cmp);
    session.train(1).expect("warm-up iteration");
    let start = Instant::now();
    session.train(train_steps).expect("train");
    let iteration_s = start.elapsed().as_secs_f64() / train_steps as f64;
    println!(
        "{}",
        json!({"case": "eprop-evidence", "batch": b_len, "steps": t_len,
               "synapses": network.w_rec.nnz() + network.w_in.nnz(),
               "eprop_gradient_s": seconds[seconds.len() / 2], "eprop_gradient_min_s": seconds[0],
               "repeats": repeats, "fingerprint": print,
               "iteration_s": iteration_s, "train_steps": train_steps})
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--eprop-evidence") {
        eprop_evidence(&args);
        return;
    }
    let Some(out) = args
        .iter()
        .position(|a| a == "--out")
        .and_then(|i| args.get(i + 1).cloned())
    else {
        eprintln!("usage: cargo bench --bench spiking -- --out DIR [--neurons N ...]");
        return;
    };
    let neurons = arg(&args, "--neurons", 200.0) as usize;
    let inputs = arg(&args, "--inputs", 100.0) as usize;
    let steps = arg(&args, "--steps", 200.0) as usize;
    let batch = arg(&args, "--batch", 64.0) as usize;
    let density = arg(&args, "--density", 1.0);
    let train_steps = arg(&args, "--train-steps", 10.0) as usize;
    let repeats = (arg(&args, "--repeats", 5.0) as usize).max(1);

    let description = run(neurons, inputs, steps, batch, density);
    let mut session = Session::new(description.clone()).expect("run description");
    let network = session.trainer.network.clone();
    let trials = session
        .trainer
        .task
        .condition_trials(&mut SimRng::new(0))
        .expect("spytorch-random has a fixed set");
    let labels: Vec<usize> = trials
        .iter()
        .map(|t| match t.label {
            TrialLabel::Class(c) => c,
            _ => 0,
        })
        .collect();
    let packed = TrialBatch::pack(trials);

    // forward of the fixed network
    let mut trajectory = Trajectory::default();
    let mut seconds = Vec::new();
    for _ in 0..repeats {
        let start = Instant::now();
        forward(
            &network,
            &packed.inputs,
            steps,
            batch,
            None,
            &mut trajectory,
        );
        seconds.push(start.elapsed().as_secs_f64());
    }
    seconds.sort_by(f64::total_cmp);
    let forward_s = seconds[seconds.len() / 2];
    let mut fan_out = vec![0usize; neurons];
    for &j in &network.w_rec.col_idx {
        fan_out[j as usize] += 1;
    }
    let stride = (steps + 1) * batch;
    let mut spikes = 0usize;
    let mut events = 0usize;
    for (i, fan) in fan_out.iter().enumerate() {
        let count = trajectory.spikes[i * stride..(i + 1) * stride]
            .iter()
            .filter(|z| **z > 0.0)
            .count();
        spikes += count;
        events += count * fan;
    }

    // training steps
    session.train(1).expect("warm-up step");
    let start = Instant::now();
    session.train(train_steps.max(1)).expect("train");
    let step_ms = start.elapsed().as_secs_f64() * 1000.0 / train_steps.max(1) as f64;

    // inputs as [B][T][I] for the script
    let inputs_bti: Vec<Vec<Vec<u8>>> = (0..batch)
        .map(|b| {
            (0..steps)
                .map(|t| {
                    (0..inputs)
                        .map(|k| u8::from(packed.inputs[(k * steps + t) * batch + b] > 0.0))
                        .collect()
                })
                .collect()
        })
        .collect();
    let result = json!({
        "run": description,
        "weights": {"w_rec": dense(&network.w_rec), "w_in": dense(&network.w_in),
                    "w_out": dense(&network.w_out)},
        "inputs": inputs_bti,
        "labels": labels,
        "ours": {"forward_s": forward_s, "spikes": spikes, "synaptic_events": events,
                 "events_per_s": events as f64 / forward_s, "train_step_ms": step_ms,
                 "train_steps": train_steps, "repeats": repeats},
    });
    std::fs::create_dir_all(&out).expect("out dir");
    let path = std::path::Path::new(&out).join("spiking.json");
    std::fs::write(&path, serde_json::to_string(&result).expect("json")).expect("write");
    println!(
        "{}",
        serde_json::to_string_pretty(&result["ours"]).unwrap_or_default()
    );
    println!("wrote {}", path.display());
}
