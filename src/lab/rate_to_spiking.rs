//! Kim, Li & Sejnowski 2019's rate → spiking mapping: a rate network trained here on
//! their Go/NoGo task (N = 200, Dale's law with 80 % excitatory, ReLU, τ 25 ms, recurrent gain 0.3, 5 ms
//! steps, BPTT + Adam on the output trace) is copied one-to-one onto leaky
//! integrate-and-fire neurons (τ_m 10 ms, 2 ms refractory, threshold 1 ≙ −40 mV, reset to
//! 0 ≙ −65 mV, the synaptic filter τ_syn = the rate network's τ, the readout filter the
//! same, 1 ms steps) as the authors' `LIF_network_fnc.m` does: every neuron rests at
//! threshold (their constant `BIAS` = v_peak), the input enters in millivolts unscaled,
//! and the recurrent and readout weights act on firing rates in Hz divided by one factor
//! λ ([`map_onto_lif`]); λ is chosen from their grid (20, 25, …, 75) by the spiking
//! network's accuracy — their `lambda_grid_search.m`. Differences from the authors' code
//! (ours): ReLU instead of their sigmoid, one τ for all neurons instead of trained
//! per-neuron τ, a current-based exponential synapse instead of their double exponential,
//! no membrane noise (theirs: N(0, 0.1 mV) per 0.05 ms step), our task score (mean
//! output over the response window against 0.5) instead of theirs (max above 0.7 / below
//! 0.3).

use super::session::Session;
use crate::error::{positive, Error, Result};
use crate::model::Network;
use crate::tasks::go_nogo::{GoNoGo, GoNoGoConfig};
use serde_json::{json, Value};

/// The rate network's τ and the spiking network's synaptic and readout filters, ms.
pub const KIM_TAU_MS: f64 = 25.0;

/// The grid of λ (Hz per unit of rate) searched: the authors' `scaling_factors = [20:5:75]`.
pub const KIM_LAMBDAS: [f64; 12] = [
    20.0, 25.0, 30.0, 35.0, 40.0, 45.0, 50.0, 55.0, 60.0, 65.0, 70.0, 75.0,
];

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

/// Kim et al.'s LIF voltage range in millivolts: from the reset (−65 mV) to the spike
/// threshold (v_peak −40 mV). Our LIF has reset 0 and threshold 1, so one threshold unit
/// is 25 mV, and one unit of the rate network's input x is 1 mV (the authors feed
/// `W_rate x` to the LIF membrane in mV unscaled).
pub const KIM_MV_PER_THRESHOLD: f64 = 25.0;

/// Copy the trained rate network `rate` onto the LIF network `lif` (same mask and signs)
/// at the scaling factor `lambda_hz` — Kim et al.'s λ, spikes per second per unit of rate:
/// a neuron firing at f Hz stands for the rate f/λ. In Kim et al.'s code
/// (`LIF_network_fnc.m`) the LIF sees `W_rate/λ · r_spk + BIAS + W_in u` in mV, with
/// r_spk the synaptically filtered spike train in Hz and `BIAS` = v_peak (every neuron
/// rests at threshold: zero input, zero rate), and the readout is `W_out/λ · r_spk`.
/// In our discrete units (thr the threshold, α_s, β, κ the synaptic, membrane and readout
/// decays per step of dt ms; a constant drive d per step holds v at
/// d/((1 − α_s)(1 − β)), a neuron spiking f times per second holds its readout trace at
/// f·dt/1000/(1 − κ)), with g = thr·(1 − α_s)(1 − β)/25 the drive per mV:
///
/// ```text
/// b_spk     = thr·(1 − α_s)(1 − β) + g·b_rate         rest at threshold (BIAS = v_peak)
/// W_in_spk  = g·W_in                                   the input unscaled, in mV
/// W_rec_spk = g·W_rec·1000/(λ·dt)                      W_rate/λ on the rate in Hz
/// W_out_spk = W_out·(1 − κ)(1 − κ_syn)·1000/(λ·dt)     W_out/λ on the rate in Hz
/// ```
///
/// `rate` must be a rate network and `lif` a spiking one of the same shapes.
pub fn map_onto_lif(rate: &Network, lif: &mut Network, lambda_hz: f64) -> Result<()> {
    if !lif.config.dynamics.is_spiking() || rate.config.dynamics.is_spiking() {
        return Err(Error::field(
            "dynamics",
            "rate → lif",
            "must map a rate network onto a spiking one",
        ));
    }
    if rate.w_rec.col_idx != lif.w_rec.col_idx
        || rate.w_rec.row_ptr != lif.w_rec.row_ptr
        || rate.w_in.col_idx != lif.w_in.col_idx
        || rate.w_out.col_idx != lif.w_out.col_idx
        || rate.bias.len() != lif.bias.len()
    {
        return Err(Error::field(
            "network",
            "the spiking copy",
            "must have the rate network's masks (same shapes and seed)",
        ));
    }
    positive("lambda_hz", lambda_hz)?;
    let p = lif.config.spiking.steps(lif.config.dt_ms);
    let thr = p.threshold as f64;
    let leak = (1.0 - p.syn_decay as f64) * (1.0 - p.mem_decay as f64);
    let per_mv = thr * leak / KIM_MV_PER_THRESHOLD;
    let hz_per_spike_step = 1000.0 / lif.config.dt_ms;
    let rec = per_mv * hz_per_spike_step / lambda_hz;
    let readout =
        (1.0 - p.readout_decay as f64) * (1.0 - p.readout_syn_decay as f64) * hz_per_spike_step
            / lambda_hz;
    let scale = |w: &[f32], by: f64| w.iter().map(|v| (*v as f64 * by) as f32).collect();
    lif.w_rec.values = scale(&rate.w_rec.values, rec);
    lif.w_rec_param = scale(&rate.w_rec_param, rec);
    lif.w_in.values = scale(&rate.w_in.values, per_mv);
    lif.w_out.values = scale(&rate.w_out.values, readout);
    lif.bias = rate
        .bias
        .iter()
        .map(|b| (thr * leak + per_mv * *b as f64) as f32)
        .collect();
    lif.b_out.clone_from(&rate.b_out);
    // the event-driven forward pass reads W_rec through its transposed copy: without this
    // it would run the copy's own initial weights (the first implementation's bug)
    lif.refresh_effective_weights();
    Ok(())
}

/// What the mapping keeps.
#[derive(Debug, Clone, PartialEq)]
pub struct Mapping {
    /// The trained rate network's accuracy.
    pub rate_accuracy: f32,
    /// The spiking copy's accuracy at the chosen λ.
    pub spiking_accuracy: f32,
    /// The chosen λ (Hz per unit of rate).
    pub lambda: f64,
    /// `(λ, spiking accuracy)` over the grid.
    pub by_lambda: Vec<(f64, f32)>,
}

/// Train the rate network for `steps` steps and evaluate it on `eval_trials` trials.
pub fn kim_trained_rate(seed: u64, steps: usize, eval_trials: usize) -> Result<(Session, f32)> {
    let rate_task = GoNoGo::new(GoNoGoConfig::default())?;
    let mut rate = Session::with_task(kim_rate_run(seed), Box::new(rate_task))?;
    rate.train(steps)?;
    let accuracy = rate.evaluate(eval_trials)?.accuracy;
    Ok((rate, accuracy))
}

/// The LIF copy of the trained rate network `trained` (built from `seed`) at `lambda_hz`,
/// as a session on Go/NoGo at 1 ms steps.
pub fn kim_lif_copy(trained: &Network, seed: u64, lambda_hz: f64) -> Result<Session> {
    let task = GoNoGo::new(GoNoGoConfig {
        dt_ms: 1.0,
        ..GoNoGoConfig::default()
    })?;
    let mut spiking = Session::with_task(kim_spiking_run(seed), Box::new(task))?;
    map_onto_lif(trained, &mut spiking.trainer.network, lambda_hz)?;
    Ok(spiking)
}

/// Train the rate network for `steps` steps, evaluate it on `eval_trials` trials, copy it
/// onto LIF neurons at every λ of `lambdas` and keep the best.
pub fn kim_rate_to_lif(
    seed: u64,
    steps: usize,
    lambdas: &[f64],
    eval_trials: usize,
) -> Result<Mapping> {
    let (rate, rate_accuracy) = kim_trained_rate(seed, steps, eval_trials)?;
    let mut by_lambda = Vec::new();
    for &lambda in lambdas {
        let mut spiking = kim_lif_copy(&rate.trainer.network, seed, lambda)?;
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
