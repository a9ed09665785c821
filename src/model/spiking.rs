//! Parameters of spiking neurons (`dynamics` `lif` / `alif`): membrane and synaptic time
//! constants, threshold, reset, refractory period, threshold adaptation, the readout filter
//! and the surrogate derivative used by backprop.
//!
//! Discrete-time dynamics (step t, dt = `dt_ms`, α_s = e^{−dt/τ_syn}, β = e^{−dt/τ_mem},
//! ρ = e^{−dt/τ_adapt}; z_t ∈ {0, 1} the spikes, z_0 = 0):
//!
//! ```text
//! I_t = α_s I_{t−1} + W_in x_t + W_rec z_{t−1} + b          (τ_syn = 0: α_s = 0)
//! v_t = β v_{t−1} + I_t − thr·z_{t−1}                        (reset "subtract")
//! v_t = (1 − z_{t−1})·(β v_{t−1} + I_t)                      (reset "zero")
//! b_t = ρ b_{t−1} + z_{t−1},  A_t = thr + β_a b_t            (alif; lif: β_a = 0)
//! z_t = H(v_t − A_t), forced to 0 for `refractory_ms` after a spike
//! y_t = W_out ẑ_t, ẑ the spikes through the readout filter (leaky output units)
//! ```
//!
//! This is snnTorch's `RLeaky`/`RSynaptic` step (input without a (1−β) factor, reset by
//! the previous step's spike) and e-prop's `EligALIF` (b ← ρb + z, A = thr + β_a b). By
//! default the reset is not differentiated (detached, as SpyTorch and snnTorch do, and as
//! e-prop's eligibility traces assume); `reset_gradient` differentiates it in BPTT
//! (∂v_t/∂z_{t−1} = −thr), as Bellec et al.'s BPTT reference does (their `EligALIF` with
//! `stop_z_gradients` off).
//!
//! Defaults and where they come from (`frontier-anchors.md` §1.1–1.2):
//! - τ_mem 10 ms, τ_syn 5 ms, threshold 1 — SpyTorch tutorial 1 and norse `LIFParameters`;
//! - reset by subtraction — snnTorch's default and e-prop's; `zero` is SpyTorch's;
//! - refractory 0 ms (e-prop evidence accumulation uses 5 ms);
//! - τ_adapt 800 ms, β_a 1.8 — norse `LSNNParameters` (e-prop uses 200–2000 ms);
//! - surrogate fast sigmoid (SuperSpike) with scale 100 — SpyTorch / norse; e-prop's
//!   piecewise linear has γ = 0.3, snnTorch's arctan α = 2;
//! - readout τ 20 ms (e-prop τ_out 20 ms), no second readout filter (SpyTorch's readout
//!   has τ_syn 5, τ_mem 10).

use crate::error::{in_range, non_negative, positive, Error, Result};
use serde::{Deserialize, Serialize};

/// How the membrane is reset after a spike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ResetMode {
    /// v ← v − thr (snnTorch default, e-prop).
    #[default]
    Subtract,
    /// v ← 0 (SpyTorch).
    Zero,
}

/// The pseudo-derivative dz/dv used in place of the Heaviside's derivative (x = (v − A)/thr).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Surrogate {
    /// SuperSpike / fast sigmoid: 1/(s|x| + 1)², s the scale (default 100).
    #[default]
    FastSigmoid,
    /// e-prop: γ·max(0, 1 − |x|)/thr, γ the scale (default 0.3).
    PiecewiseLinear,
    /// arctan (snnTorch `ATan`): (s/2)/(1 + (π s x/2)²), s the scale (default 2).
    Arctan,
    /// The true derivative of the Heaviside: zero almost everywhere (no error reaches the
    /// hidden weights; the readout still learns).
    True,
}

impl Surrogate {
    /// Names accepted in configs.
    pub const NAMES: &'static str = "fast-sigmoid, piecewise-linear, arctan, true";

    /// The scale used when `surrogate_scale` is not set.
    pub fn default_scale(self) -> f32 {
        match self {
            Surrogate::FastSigmoid => 100.0,
            Surrogate::PiecewiseLinear => 0.3,
            Surrogate::Arctan => 2.0,
            Surrogate::True => 0.0,
        }
    }

    /// dz/dv at normalised distance `x = (v − A)/thr` to threshold, for scale `scale` and
    /// threshold `thr` (the 1/thr of the chain rule is included).
    pub fn derivative(self, x: f32, scale: f32, thr: f32) -> f32 {
        let d = match self {
            Surrogate::FastSigmoid => {
                let denominator = scale * x.abs() + 1.0;
                1.0 / (denominator * denominator)
            }
            Surrogate::PiecewiseLinear => scale * (1.0 - x.abs()).max(0.0),
            Surrogate::Arctan => {
                let u = std::f32::consts::PI * scale * x / 2.0;
                (scale / 2.0) / (1.0 + u * u)
            }
            Surrogate::True => 0.0,
        };
        d / thr
    }
}

/// Spiking neurons' parameters; read only when `dynamics` is `lif` or `alif`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SpikingConfig {
    /// Membrane time constant τ_mem in ms.
    pub tau_mem_ms: f64,
    /// Synaptic current time constant τ_syn in ms (0 = no synaptic filter: the input
    /// jumps straight into the membrane).
    pub tau_syn_ms: f64,
    /// Firing threshold thr.
    pub threshold: f64,
    /// Reset after a spike.
    pub reset: ResetMode,
    /// Refractory period in ms (rounded to whole steps; spikes forced to 0 meanwhile).
    pub refractory_ms: f64,
    /// Threshold adaptation time constant τ_a in ms (`alif`).
    pub tau_adapt_ms: f64,
    /// Threshold adaptation strength β_a (`alif`): A = thr + β_a·b.
    pub adaptation_beta: f64,
    /// Fraction of the neurons that adapt under `alif` (the last round(f·N) neurons; e-prop's
    /// evidence accumulation uses 0.5).
    pub adaptive_fraction: f64,
    /// Surrogate derivative used by backprop.
    pub surrogate: Surrogate,
    /// Its scale (see [`Surrogate`]); `None` = the surrogate's default.
    pub surrogate_scale: Option<f64>,
    /// Time constant of the leaky (non-spiking) output units in ms (0 = no filter: the
    /// readout sees this step's spikes).
    pub readout_tau_ms: f64,
    /// A second (synaptic) readout filter before the leaky output, in ms (0 = none).
    pub readout_tau_syn_ms: f64,
    /// Read spike counts instead: ẑ_t = Σ_{s ≤ t} z_s (overrides the readout filters).
    pub spike_count_readout: bool,
    /// Factor on the initial input weights (spiking neurons need inputs near threshold).
    pub input_gain: f64,
    /// Differentiate the reset in BPTT: the error of a spike also flows back through the
    /// `−thr·z_{t−1}` it subtracts from the next membrane potential (reset `subtract`
    /// only). Off (detached) in SpyTorch and snnTorch; on in Bellec et al.'s BPTT, where
    /// the term −thr·ψ damps the backward recurrence. Rules that cut the recurrent paths
    /// (e-prop, the `LeakOnly` propagation) never use it: they treat spikes as inputs.
    pub reset_gradient: bool,
}

impl Default for SpikingConfig {
    fn default() -> Self {
        SpikingConfig {
            tau_mem_ms: 10.0,
            tau_syn_ms: 5.0,
            threshold: 1.0,
            reset: ResetMode::Subtract,
            refractory_ms: 0.0,
            tau_adapt_ms: 800.0,
            adaptation_beta: 1.8,
            adaptive_fraction: 1.0,
            surrogate: Surrogate::FastSigmoid,
            surrogate_scale: None,
            readout_tau_ms: 20.0,
            readout_tau_syn_ms: 0.0,
            spike_count_readout: false,
            input_gain: 1.0,
            reset_gradient: false,
        }
    }
}

/// Largest spiking time constant accepted (ms).
pub const MAX_SPIKING_TAU_MS: f64 = 1e6;

/// e^{−dt/τ}, 0 for τ = 0 (no filter).
fn decay(dt_ms: f64, tau_ms: f64) -> f32 {
    if tau_ms <= 0.0 {
        0.0
    } else {
        crate::math::exp(-dt_ms / tau_ms) as f32
    }
}

/// The per-step constants derived from a [`SpikingConfig`] and `dt_ms`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpikingSteps {
    /// Synaptic decay α_s.
    pub syn_decay: f32,
    /// Membrane decay β.
    pub mem_decay: f32,
    /// Adaptation decay ρ.
    pub adapt_decay: f32,
    /// Threshold.
    pub threshold: f32,
    /// β_a.
    pub adaptation_beta: f32,
    /// Refractory period in steps.
    pub refractory_steps: usize,
    /// Reset mode.
    pub reset: ResetMode,
    /// Surrogate.
    pub surrogate: Surrogate,
    /// Surrogate scale.
    pub surrogate_scale: f32,
    /// First readout filter decay (synaptic; 0 = none).
    pub readout_syn_decay: f32,
    /// Leaky-output decay κ (1 for spike counts).
    pub readout_decay: f32,
    /// Whether BPTT differentiates the reset (see [`SpikingConfig::reset_gradient`]).
    pub reset_gradient: bool,
}

impl SpikingConfig {
    /// The per-step constants for time step `dt_ms`.
    pub fn steps(&self, dt_ms: f64) -> SpikingSteps {
        SpikingSteps {
            syn_decay: decay(dt_ms, self.tau_syn_ms),
            mem_decay: decay(dt_ms, self.tau_mem_ms),
            adapt_decay: decay(dt_ms, self.tau_adapt_ms),
            threshold: self.threshold as f32,
            adaptation_beta: self.adaptation_beta as f32,
            refractory_steps: (self.refractory_ms / dt_ms).round() as usize,
            reset: self.reset,
            surrogate: self.surrogate,
            surrogate_scale: self
                .surrogate_scale
                .map(|s| s as f32)
                .unwrap_or(self.surrogate.default_scale()),
            readout_syn_decay: if self.spike_count_readout {
                0.0
            } else {
                decay(dt_ms, self.readout_tau_syn_ms)
            },
            readout_decay: if self.spike_count_readout {
                1.0
            } else {
                decay(dt_ms, self.readout_tau_ms)
            },
            reset_gradient: self.reset_gradient,
        }
    }

    /// Whether neuron `i` of `n` adapts its threshold (`alif` only): the last
    /// round(`adaptive_fraction`·n) neurons.
    pub fn adapts(&self, i: usize, n: usize) -> bool {
        let adaptive = ((self.adaptive_fraction * n as f64).round() as usize).min(n);
        i >= n - adaptive
    }

    /// Check every field (errors name `spiking.<field>` and the value).
    pub fn validate(&self, dt_ms: f64) -> Result<()> {
        let taus = [
            ("spiking.tau_mem_ms", self.tau_mem_ms),
            ("spiking.tau_syn_ms", self.tau_syn_ms),
            ("spiking.tau_adapt_ms", self.tau_adapt_ms),
            ("spiking.readout_tau_ms", self.readout_tau_ms),
            ("spiking.readout_tau_syn_ms", self.readout_tau_syn_ms),
            ("spiking.refractory_ms", self.refractory_ms),
        ];
        for (field, value) in taus {
            non_negative(field, value)?;
            in_range(field, value, 0.0, MAX_SPIKING_TAU_MS, "must be <= 1e6 ms")?;
        }
        positive("spiking.tau_mem_ms", self.tau_mem_ms)?;
        positive("spiking.tau_adapt_ms", self.tau_adapt_ms)?;
        positive("spiking.threshold", self.threshold)?;
        in_range(
            "spiking.threshold",
            self.threshold,
            0.0,
            1e3,
            "must be <= 1000",
        )?;
        non_negative("spiking.adaptation_beta", self.adaptation_beta)?;
        in_range(
            "spiking.adaptation_beta",
            self.adaptation_beta,
            0.0,
            1e3,
            "must be <= 1000",
        )?;
        in_range(
            "spiking.adaptive_fraction",
            self.adaptive_fraction,
            0.0,
            1.0,
            "must be in [0, 1]",
        )?;
        if let Some(scale) = self.surrogate_scale {
            positive("spiking.surrogate_scale", scale)?;
            in_range("spiking.surrogate_scale", scale, 0.0, 1e6, "must be <= 1e6")?;
        }
        non_negative("spiking.input_gain", self.input_gain)?;
        in_range(
            "spiking.input_gain",
            self.input_gain,
            0.0,
            1e3,
            "must be <= 1000",
        )?;
        if self.reset_gradient && self.reset != ResetMode::Subtract {
            return Err(Error::field(
                "spiking.reset_gradient",
                self.reset_gradient,
                "needs reset \"subtract\" (a reset to zero is always detached)",
            ));
        }
        if self.refractory_ms / dt_ms > 1e6 {
            return Err(Error::field(
                "spiking.refractory_ms",
                self.refractory_ms,
                "must be <= 1e6 steps",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surrogates_match_their_formulas() {
        let s = Surrogate::FastSigmoid;
        assert_eq!(s.derivative(0.0, 100.0, 1.0), 1.0);
        assert!((s.derivative(0.01, 100.0, 1.0) - 0.25).abs() < 1e-6);
        let p = Surrogate::PiecewiseLinear;
        assert!((p.derivative(0.5, 0.3, 0.6) - 0.3 * 0.5 / 0.6).abs() < 1e-6);
        assert_eq!(p.derivative(1.5, 0.3, 0.6), 0.0);
        let a = Surrogate::Arctan;
        assert!((a.derivative(0.0, 2.0, 1.0) - 1.0).abs() < 1e-6);
        assert_eq!(Surrogate::True.derivative(0.0, 1.0, 1.0), 0.0);
    }

    #[test]
    fn bad_fields_are_named() {
        let mut c = SpikingConfig {
            tau_mem_ms: -1.0,
            ..SpikingConfig::default()
        };
        let e = c.validate(1.0).unwrap_err().to_string();
        assert!(e.contains("spiking.tau_mem_ms") && e.contains("-1"), "{e}");
        c.tau_mem_ms = 10.0;
        c.adaptive_fraction = 2.0;
        let e = c.validate(1.0).unwrap_err().to_string();
        assert!(e.contains("spiking.adaptive_fraction"), "{e}");
        c.adaptive_fraction = 0.5;
        c.surrogate_scale = Some(0.0);
        assert!(c
            .validate(1.0)
            .unwrap_err()
            .to_string()
            .contains("spiking.surrogate_scale"));
        c.surrogate_scale = None;
        c.reset_gradient = true;
        c.reset = ResetMode::Zero;
        let e = c.validate(1.0).unwrap_err().to_string();
        assert!(e.contains("spiking.reset_gradient"), "{e}");
        c.reset = ResetMode::Subtract;
        assert!(c.validate(1.0).is_ok());
        c.reset_gradient = false;
        assert!(c.validate(1.0).is_ok());
        assert_eq!(c.steps(1.0).refractory_steps, 0);
        assert!((c.steps(1.0).mem_decay - (-0.1f64).exp() as f32).abs() < 1e-7);
    }
}
