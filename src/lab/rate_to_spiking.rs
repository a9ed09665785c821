//! Kim, Li & Sejnowski 2019's rate → spiking mapping: a rate network trained here on
//! their Go/NoGo task (N = 200, Dale's law with 80 % excitatory, ReLU, τ 25 ms, recurrent gain 0.3, 5 ms
//! steps, BPTT + Adam on the output trace) is copied one-to-one onto leaky
//! integrate-and-fire neurons (τ_m 10 ms, 2 ms refractory, threshold 1, reset to 0, the
//! synaptic filter τ_syn = the rate network's τ, the readout filter the same, 1 ms steps):
//! the recurrent and input weights scaled by one factor λ, the readout weights copied, and
//! λ chosen from a grid by the spiking network's accuracy — the authors'
//! `lambda_grid_search.m` procedure. Differences from the authors' code (ours): ReLU
//! instead of their sigmoid, one τ for all neurons instead of trained per-neuron τ, a
//! current-based exponential synapse instead of their double exponential, our threshold
//! units instead of millivolts.

use super::session::Session;
use crate::error::Result;
use crate::tasks::go_nogo::{GoNoGo, GoNoGoConfig};
use serde_json::{json, Value};

/// The rate network's τ and the spiking network's synaptic and readout filters, ms.
pub const KIM_TAU_MS: f64 = 25.0;

/// The grid of λ searched (the authors search theirs the same way).
pub const KIM_LAMBDAS: [f64; 8] = [0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0];

/// The run description of the rate network (the task is passed separately).
pub fn kim_rate_run(seed: u64) -> Value {
    json!({
        "network": {
            "n_neurons": 200, "n_inputs": 1, "n_outputs": 1, "connectivity": "dense",
            "allow_autapses": false, "excitatory_fraction": 0.8, "activation": "relu",
            "dynamics": "rate", "dt_ms": 5.0, "tau_ms": KIM_TAU_MS, "train_bias": false,
            "gain": 0.3,
            "seed": seed
        },
        "train": {"learning_rate": 0.01, "batch_size": 32, "loss": "mse", "seed": seed},
        "rule": "bptt"
    })
}

/// The run description of the spiking copy (same seed, so the same mask and signs).
pub fn kim_spiking_run(seed: u64) -> Value {
    let mut run = kim_rate_run(seed);
    run["network"]["dynamics"] = "lif".into();
    run["network"]["dt_ms"] = 1.0.into();
    run["network"]["tau_ms"] = 10.0.into();
    run["network"]["spiking"] = json!({
        "tau_mem_ms": 10.0, "tau_syn_ms": KIM_TAU_MS, "threshold": 1.0, "reset": "zero",
        "refractory_ms": 2.0, "readout_tau_ms": KIM_TAU_MS
    });
    run
}

/// What the mapping keeps.
#[derive(Debug, Clone, PartialEq)]
pub struct Mapping {
    /// The trained rate network's accuracy.
    pub rate_accuracy: f32,
    /// The spiking copy's accuracy at the chosen λ.
    pub spiking_accuracy: f32,
    /// The chosen λ.
    pub lambda: f64,
    /// `(λ, spiking accuracy)` over the grid.
    pub by_lambda: Vec<(f64, f32)>,
}

/// Train the rate network for `steps` steps, evaluate it on `eval_trials` trials, copy it
/// onto LIF neurons at every λ of `lambdas` and keep the best.
pub fn kim_rate_to_lif(
    seed: u64,
    steps: usize,
    lambdas: &[f64],
    eval_trials: usize,
) -> Result<Mapping> {
    let rate_task = GoNoGo::new(GoNoGoConfig::default())?;
    let mut rate = Session::with_task(kim_rate_run(seed), Box::new(rate_task))?;
    rate.train(steps)?;
    let rate_accuracy = rate.evaluate(eval_trials)?.accuracy;
    let trained = &rate.trainer.network;
    let mut by_lambda = Vec::new();
    for &lambda in lambdas {
        let task = GoNoGo::new(GoNoGoConfig {
            dt_ms: 1.0,
            ..GoNoGoConfig::default()
        })?;
        let mut spiking = Session::with_task(kim_spiking_run(seed), Box::new(task))?;
        let copy = &mut spiking.trainer.network;
        let scale = |w: &[f32]| w.iter().map(|v| v * lambda as f32).collect::<Vec<_>>();
        copy.w_rec.values = scale(&trained.w_rec.values);
        copy.w_rec_param = scale(&trained.w_rec_param);
        copy.w_in.values = scale(&trained.w_in.values);
        copy.w_out.values.clone_from(&trained.w_out.values);
        copy.b_out.clone_from(&trained.b_out);
        by_lambda.push((lambda, spiking.evaluate(eval_trials)?.accuracy));
    }
    let (lambda, spiking_accuracy) =
        by_lambda
            .iter()
            .copied()
            .fold((f64::NAN, f32::NEG_INFINITY), |best, p| {
                if p.1 > best.1 {
                    p
                } else {
                    best
                }
            });
    Ok(Mapping {
        rate_accuracy,
        spiking_accuracy,
        lambda,
        by_lambda,
    })
}
