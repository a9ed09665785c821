//! One predictive-coding step of ours, written as JSON for `scripts/torch2pc_compare.py`,
//! which runs Rosenbaum's unmodified Torch2PC (`TorchSeq2PC.PCInfer`) on the same network,
//! batch and labels in float64 and compares the two number for number.
//!
//! The network is [`FfNet`] (PyTorch's `nn.Linear` initialisation from `--seed`), the batch
//! and labels [`teacher_data`] (teacher and data seed `--seed`), the loss cross-entropy
//! (mean over the batch, as `nn.CrossEntropyLoss()`). Four runs, in Torch2PC's names:
//! `Exact`, `FixedPred` with `--eta`/`--n`, `FixedPred` with η = 1 and n = depth, and
//! `Strict` with `--eta`/`--n`. Each run holds the beliefs `v`, errors `epsilon` (`null`
//! where Torch2PC leaves them unset) and the update `dW`, `db`; `vhat` is the forward pass.
//!
//! `cargo run --release --example torch2pc_compare -- --sizes 20,40,30,30,20,10 --batch 64
//! --seed 1 --eta 0.1 --n 20 --out /tmp/torch2pc/ours.json` (these are the defaults).

use serde_json::json;
use sparse_rnn_lab::lab::studies::predictive_coding::{teacher_data, FfLoss, FfNet, PcStep};

/// The value after `--name`, or `default`.
fn arg(args: &[String], name: &str, default: &str) -> String {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
        .unwrap_or_else(|| default.to_string())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let sizes: Vec<usize> = arg(&args, "--sizes", "20,40,30,30,20,10")
        .split(',')
        .map(|w| w.parse().expect("--sizes: comma-separated layer widths"))
        .collect();
    let batch: usize = arg(&args, "--batch", "64").parse().expect("--batch");
    let seed: u64 = arg(&args, "--seed", "1").parse().expect("--seed");
    let eta: f64 = arg(&args, "--eta", "0.1").parse().expect("--eta");
    let n: usize = arg(&args, "--n", "20").parse().expect("--n");
    let out = arg(&args, "--out", "/tmp/torch2pc/ours.json");

    let net = FfNet::new(&sizes, seed);
    let (x, labels) = teacher_data(&sizes, batch, seed, seed);
    let loss = FfLoss::CrossEntropy;
    let depth = net.depth();
    let run = |variant: &str, eta: f64, n: usize, step: PcStep| {
        json!({"variant": variant, "eta": eta, "n": n, "v": step.beliefs,
               "epsilon": step.errors, "dW": step.grads.weights, "db": step.grads.biases})
    };
    let runs = vec![
        run("Exact", 0.0, 0, net.exact(loss, &x, &labels)),
        run(
            "FixedPred",
            eta,
            n,
            net.fixed_prediction(loss, &x, &labels, eta, n, false),
        ),
        run(
            "FixedPred",
            1.0,
            depth,
            net.fixed_prediction(loss, &x, &labels, 1.0, depth, false),
        ),
        run("Strict", eta, n, net.strict(loss, &x, &labels, eta, n)),
    ];
    let doc = json!({
        "sizes": sizes, "batch": batch, "seed": seed, "loss": "cross_entropy",
        "weights": net.weights, "biases": net.biases, "x": x, "labels": labels,
        "vhat": net.forward(&x, batch), "runs": runs,
    });
    if let Some(dir) = std::path::Path::new(&out).parent() {
        std::fs::create_dir_all(dir).expect("create the output's folder");
    }
    std::fs::write(&out, doc.to_string()).expect("write the JSON");
    println!("wrote {out}");
}
