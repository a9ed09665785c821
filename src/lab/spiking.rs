//! The spiking experiments, each training run descriptions through [`Session`] and
//! returning its numbers (to become claims of `srnn reproduce spiking`):
//!
//! - [`spytorch_accuracy`]: SpyTorch tutorial 1 (Zenke & Vogels 2021) — 100 Poisson inputs
//!   → 4 LIF neurons (τ_mem 10 ms, τ_syn 5 ms, reset to zero, no recurrence) → 2 leaky
//!   outputs (τ_syn 5, τ_mem 10 ms), max over time, cross-entropy, Adam 2e-3, the 256
//!   samples as one full batch every step (`train.batching` `conditions`), 1000 iterations. The tutorial's stored outputs: training accuracy 0.859 with the
//!   SuperSpike surrogate (scale 100), 0.512 with the true gradient.
//! - [`eprop_evidence`]: e-prop's evidence accumulation with 50 LIF + 50 ALIF neurons
//!   (τ_m 20 ms, τ_a 2000 ms, thr 0.6, 4 ms refractory (their n_ref 5), γ 0.3, τ_out 20 ms), Adam 0.005,
//!   firing-rate regularisation 1 toward 10 Hz; the recall error after each block of
//!   iterations (the authors stop below 0.07, "after around 200–500 iterations").

use super::session::Session;
use crate::error::Result;
use crate::model::Surrogate;
use serde_json::{json, Value};

/// The run description of SpyTorch tutorial 1 with `surrogate` (`fast-sigmoid` scale 100,
/// or `true`), seeded by `seed` (network, data and samples).
pub fn spytorch_run(surrogate: Surrogate, seed: u64) -> Value {
    json!({
        "network": {
            "n_neurons": 4, "n_inputs": 100, "n_outputs": 2,
            "connectivity": "autapse", "gain": 0.0, "train_recurrent": false,
            "train_bias": false, "dynamics": "lif", "dt_ms": 1.0, "tau_ms": 10.0,
            "seed": seed,
            "spiking": {
                "tau_mem_ms": 10.0, "tau_syn_ms": 5.0, "threshold": 1.0, "reset": "zero",
                "surrogate": surrogate, "surrogate_scale": 100.0,
                "readout_tau_ms": 10.0, "readout_tau_syn_ms": 5.0,
                // SpyTorch: w ~ N(0, 7(1 − e^{−1/10})/√fan_in)
                "input_gain": 7.0 * (1.0 - crate::math::exp(-0.1))
            }
        },
        "train": {"learning_rate": 2e-3, "batch_size": 256, "clip_norm": 0.0,
                  "batching": "conditions",
                  "loss": "max-over-time-cross-entropy", "seed": seed},
        "task": {"id": "spytorch-random", "seed": seed},
        "rule": "bptt"
    })
}

/// Training accuracy on the 256 fixed samples after `iterations` steps of SpyTorch
/// tutorial 1 with `surrogate`, seed `seed`.
pub fn spytorch_accuracy(surrogate: Surrogate, seed: u64, iterations: usize) -> Result<f32> {
    let mut session = Session::new(spytorch_run(surrogate, seed))?;
    session.train(iterations)?;
    Ok(session.evaluate(256)?.accuracy)
}

/// The run description of e-prop's evidence accumulation: `rule` is `"bptt"` or an e-prop
/// rule object, `batch_size` 32–64. The authors' form of their tutorial network
/// (`EligALIF` in IGITUGraz/eligibility_propagation): its refractory counter
/// `r ← clip(r + n_ref·z − 1, 0, n_ref)` with `n_ref` = 5 blocks the 4 steps after a spike,
/// hence 4 ms here; and its BPTT differentiates the reset (`stop_z_gradients` off), hence
/// `reset_gradient` (e-prop itself cuts that path either way).
pub fn eprop_evidence_run(rule: Value, seed: u64, batch_size: usize) -> Value {
    let rho = crate::math::exp(-1.0 / 2000.0);
    let beta_a = 1.7 * (1.0 - rho) / (1.0 - crate::math::exp(-1.0 / 20.0));
    json!({
        "network": {
            "n_neurons": 100, "n_inputs": 40, "n_outputs": 2, "connectivity": "dense",
            "allow_autapses": false, "gain": 1.0, "train_bias": false,
            "dynamics": "alif", "dt_ms": 1.0, "tau_ms": 20.0, "seed": seed,
            "spiking": {
                "tau_mem_ms": 20.0, "tau_syn_ms": 0.0, "threshold": 0.6, "reset": "subtract",
                "refractory_ms": 4.0, "tau_adapt_ms": 2000.0, "adaptation_beta": beta_a,
                "adaptive_fraction": 0.5, "surrogate": "piecewise-linear",
                "surrogate_scale": 0.3, "readout_tau_ms": 20.0, "reset_gradient": true
            }
        },
        "train": {"learning_rate": 0.005, "batch_size": batch_size, "clip_norm": 0.0,
                  "loss": "cross-entropy", "seed": seed},
        "task": {"id": "eprop-evidence"},
        "rule": rule
    })
}

/// How long to train the evidence accumulation, on which length of trial, at which step
/// size, and how to measure it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EvidenceSchedule {
    /// Trials per batch (the authors: 64; README run: 32).
    pub batch_size: usize,
    /// Adam's learning rate (the authors' tutorial: 0.005).
    pub learning_rate: f64,
    /// Delay between the last cue and the recall cue in ms (the tutorial: 1050, so 2250 ms
    /// trials; shorter delays make shorter, cheaper trials of the same 7 cues).
    pub delay_ms: f64,
    /// Most iterations.
    pub max_iterations: usize,
    /// Evaluate every this many iterations.
    pub every: usize,
    /// Trials of each evaluation (fixed, drawn once from the training seed).
    pub eval_trials: usize,
    /// Stop after the first recall error below this (the authors: 0.07).
    pub stop_error: f32,
}

impl EvidenceSchedule {
    /// The authors' tutorial task and step size (delay 1050 ms, Adam 0.005) with
    /// `batch_size` and at most `max_iterations`, evaluated every 10 iterations on
    /// `eval_trials` trials, stopping below a recall error of 0.07.
    pub fn tutorial(batch_size: usize, max_iterations: usize, eval_trials: usize) -> Self {
        EvidenceSchedule {
            batch_size,
            learning_rate: 0.005,
            delay_ms: 1050.0,
            max_iterations,
            every: 10,
            eval_trials,
            stop_error: 0.07,
        }
    }
}

/// Train the evidence accumulation with `rule` on `schedule`; returns the
/// `(iteration, recall error)` of every evaluation (`progress` sees each as it comes).
/// The schedule's delay and learning rate replace the tutorial's in
/// [`eprop_evidence_run`]; the session checks them.
pub fn eprop_evidence(
    rule: Value,
    seed: u64,
    schedule: EvidenceSchedule,
    mut progress: impl FnMut(usize, f32),
) -> Result<Vec<(usize, f32)>> {
    let mut run = eprop_evidence_run(rule, seed, schedule.batch_size);
    crate::lab::run::patch_run(
        &mut run,
        &json!({"task": {"delay_ms": schedule.delay_ms},
                "train": {"learning_rate": schedule.learning_rate}}),
    );
    let mut session = Session::new(run)?;
    let mut curve = Vec::new();
    while session.steps_done() < schedule.max_iterations {
        session.train(schedule.every.max(1))?;
        let error = 1.0 - session.evaluate(schedule.eval_trials)?.accuracy;
        curve.push((session.steps_done(), error));
        progress(session.steps_done(), error);
        if error < schedule.stop_error {
            break;
        }
    }
    Ok(curve)
}

/// The angle in degrees between e-prop's update (symmetric feedback, no firing-rate
/// regulariser) and the full BPTT surrogate gradient on the recurrent and input weights
/// (the readout's gradient is the same local one in both, so it is left out), on one batch
/// of `batch_size` evidence-accumulation trials of the paper's network drawn from `seed`
/// at initialisation.
pub fn eprop_bptt_angle(seed: u64, batch_size: usize) -> Result<f64> {
    let mut eprop = Session::new(eprop_evidence_run(
        json!({"rule": "eprop"}),
        seed,
        batch_size,
    ))?;
    let mut bptt = Session::new(eprop_evidence_run(json!("bptt"), seed, batch_size))?;
    let batch = bptt.trainer.task.batch(
        &mut crate::rng::SimRng::derived(seed, "eprop-angle"),
        batch_size,
    );
    let (_, e) = eprop.trainer.gradients(&batch)?;
    let (_, b) = bptt.trainer.gradients(&batch)?;
    Ok(crate::train::agreement_of(&[(&e.w_rec, &b.w_rec), (&e.w_in, &b.w_in)]).1)
}
