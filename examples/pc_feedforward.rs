//! Rosenbaum 2022's feed-forward predictive-coding setting
//! ([`sparse_rnn_lab::lab::studies::predictive_coding`]): relative error of each layer's
//! update against backprop vs the number of iterations, for η = 0.1, 0.2, 0.5, 1, at
//! initialisation and after 300 backprop Adam steps (the paper's Fig. 4 uses a trained
//! model); with `--dump FILE`, writes the network, the batch and one step's beliefs and
//! errors as JSON for a side-by-side run of Torch2PC.
//!
//! `cargo run --release --example pc_feedforward [-- --dump pc_ours.json]`

use serde_json::json;
use sparse_rnn_lab::lab::studies::predictive_coding::{
    fpa_theory, layer_errors, teacher_data, AdamState, FfLoss, FfNet,
};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dump = args
        .iter()
        .position(|a| a == "--dump")
        .and_then(|i| args.get(i + 1).cloned());
    let sizes = [20, 40, 30, 30, 20, 10];
    let batch = 64;
    let mut net = FfNet::new(&sizes, 1);
    let (x, labels) = teacher_data(&sizes, batch, 1, 1);
    let report = |net: &FfNet, what: &str| {
        let exact = net.backprop(FfLoss::CrossEntropy, &x, &labels);
        for eta in [0.1, 0.2, 0.5, 1.0] {
            for n in [1, 2, 5, 10, 20, 50, 100, 200] {
                let step = net.fixed_prediction(FfLoss::CrossEntropy, &x, &labels, eta, n, false);
                let errs = layer_errors(net, &step, &exact);
                let single = net.fixed_prediction(FfLoss::CrossEntropy, &x, &labels, eta, n, true);
                let errs32: Vec<String> = layer_errors(net, &single, &exact)
                    .iter()
                    .map(|(r, _)| format!("{r:.3}"))
                    .collect();
                let theory: Vec<String> = (0..net.depth())
                    .map(|l| format!("{:.3}", fpa_theory(n - 1, eta, net.depth() - l - 1)))
                    .collect();
                let shown: Vec<String> = errs
                    .iter()
                    .map(|(r, a)| format!("{r:.3} ({a:.1}°)"))
                    .collect();
                println!(
                    "{what}\tFPA\teta {eta}\tn {n}\t{}\ttheory {}\tf32 {}",
                    shown.join("\t"),
                    theory.join(" "),
                    errs32.join(" ")
                );
            }
        }
        for eta in [0.1, 0.2] {
            for n in [20, 100, 400] {
                let step = net.strict(FfLoss::Mse, &x, &labels, eta, n);
                let exact = net.backprop(FfLoss::Mse, &x, &labels);
                let shown: Vec<String> = layer_errors(net, &step, &exact)
                    .iter()
                    .map(|(r, a)| format!("{r:.3} ({a:.1}°)"))
                    .collect();
                println!(
                    "{what}\tstrict(MSE)\teta {eta}\tn {n}\t{}",
                    shown.join("\t")
                );
            }
        }
    };
    report(&net, "init");
    let initial = net.clone();
    let mut adam = AdamState::default();
    for step in 0..2000u64 {
        let (xb, yb) = teacher_data(&sizes, batch, 1, 100 + step);
        let g = net.backprop(FfLoss::CrossEntropy, &xb, &yb);
        net.adam_step(&g, &mut adam, 0.002);
    }
    let (loss0, _) = initial.loss(
        FfLoss::CrossEntropy,
        &initial.forward(&x, batch)[5],
        &labels,
    );
    let (loss1, _) = net.loss(FfLoss::CrossEntropy, &net.forward(&x, batch)[5], &labels);
    println!("cross-entropy on the batch: {loss0:.4} at init, {loss1:.4} after 2000 Adam steps");
    report(&net, "trained");
    if let Some(path) = dump {
        let run = |variant: &str, eta: f64, n: usize| {
            let step = match variant {
                "FixedPred" => {
                    initial.fixed_prediction(FfLoss::CrossEntropy, &x, &labels, eta, n, false)
                }
                _ => initial.strict(FfLoss::Mse, &x, &labels, eta, n),
            };
            json!({"variant": variant, "eta": eta, "n": n, "v": step.beliefs,
                   "epsilon": step.errors, "dW": step.grads.weights, "db": step.grads.biases})
        };
        let out = json!({
            "sizes": sizes, "weights": initial.weights, "biases": initial.biases,
            "x": x, "labels": labels, "batch": batch,
            "runs": [run("FixedPred", 0.1, 20), run("FixedPred", 1.0, 5), run("Strict", 0.1, 20)],
            "trained": {"weights": net.weights, "biases": net.biases},
        });
        std::fs::write(&path, out.to_string()).expect("write the dump");
        println!("wrote {path}");
    }
}
