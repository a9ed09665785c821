//! Training with an imperfect forward pass, in the spirit of physics-aware training
//! (Wright et al. 2022, Nature 601:549): the forward pass runs on a *perturbed copy* of
//! the weights (Gaussian weight noise σ_w, fresh every call, and/or k-bit uniform
//! quantisation), as a noisy analog or low-precision device would; the backward pass
//! is BPTT of the *ideal* model evaluated at the perturbed forward trajectory, and the
//! update is applied to the ideal (full-precision) weights (a straight-through estimate
//! for the quantiser).
//!
//! The alternative [`BackwardModel::Perturbed`] differentiates the perturbed network
//! itself: plain weight-noise training (the usual noise-robustness regulariser).
//!
//! Perturbed tensors: recurrent weights, plus `W_in` if it is a trained dense map and
//! `W_out` if the readout is trained (fixed identity / population maps stay exact).
//! Quantisation: symmetric uniform, `L = 2^{k−1} − 1` levels per sign, step
//! `max|w| / L` per tensor; `w_q = step · round(w / step)`; noise is added after it.

use crate::error::{at_least, non_negative, Error, Result};
use crate::model::{InputMap, Network, Readout};
use crate::rng::SimRng;
use serde::{Deserialize, Serialize};

/// Which model the backward pass differentiates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BackwardModel {
    /// Ideal weights at the perturbed trajectory (physics-aware training).
    Ideal,
    /// The perturbed weights themselves (plain weight-noise training).
    Perturbed,
}

/// Settings of the imperfect forward pass.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ImperfectConfig {
    /// Std σ_w of the additive Gaussian weight noise (weight units; 0 = none).
    pub weight_noise_std: f64,
    /// Bits k of the uniform quantiser (0 = no quantisation, otherwise 2..=16).
    pub quantize_bits: u32,
    /// Which model is differentiated.
    pub backward: BackwardModel,
    /// Seed of the weight noise.
    pub seed: u64,
}

impl Default for ImperfectConfig {
    fn default() -> Self {
        ImperfectConfig {
            weight_noise_std: 0.0,
            quantize_bits: 0,
            backward: BackwardModel::Ideal,
            seed: 11,
        }
    }
}

impl ImperfectConfig {
    /// Check every field.
    pub fn validate(&self) -> Result<()> {
        non_negative("weight_noise_std", self.weight_noise_std)?;
        if self.quantize_bits != 0 {
            at_least(
                "quantize_bits",
                self.quantize_bits as usize,
                2,
                "must be 0 or in 2..=16",
            )?;
            if self.quantize_bits > 16 {
                return Err(Error::field(
                    "quantize_bits",
                    self.quantize_bits,
                    "must be 0 or in 2..=16",
                ));
            }
        }
        Ok(())
    }
}

/// Quantise `values` in place to `bits` bits (symmetric uniform, per-tensor scale).
pub fn quantize(values: &mut [f32], bits: u32) {
    if bits == 0 {
        return;
    }
    let levels = ((1u32 << (bits - 1)) - 1) as f32;
    let max = values.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    if max == 0.0 || !max.is_finite() {
        return;
    }
    let step = max / levels;
    values
        .iter_mut()
        .for_each(|v| *v = step * (*v / step).round());
}

fn perturb(values: &mut [f32], config: &ImperfectConfig, rng: &mut SimRng) {
    quantize(values, config.quantize_bits);
    if config.weight_noise_std > 0.0 {
        values
            .iter_mut()
            .for_each(|v| *v += (config.weight_noise_std * rng.normal()) as f32);
    }
}

/// A perturbed copy of `network` (quantised, then noised with draws from `rng`).
pub fn perturbed_copy(network: &Network, config: &ImperfectConfig, rng: &mut SimRng) -> Network {
    let mut copy = network.clone();
    // perturb the effective recurrent weights, and keep the parameters in step
    perturb(&mut copy.w_rec.values, config, rng);
    copy.w_rec_param = copy.w_rec.values.clone();
    if copy.has_dale() {
        // |param|·sign(pre) must reproduce the perturbed effective weight
        copy.w_rec_param.iter_mut().for_each(|p| *p = p.abs());
        copy.neuron_sign = network.neuron_sign.clone();
        for s in 0..copy.w_rec.nnz() {
            let pre = copy.w_rec.col_idx[s] as usize;
            if copy.w_rec.values[s] * network.neuron_sign[pre] < 0.0 {
                copy.w_rec_param[s] = 0.0; // noise flipped the sign: clip at zero (Dale)
            }
        }
    }
    if network.config.input_map == InputMap::Dense {
        perturb(&mut copy.w_in.values, config, rng);
    }
    if network.config.readout == Readout::Trained {
        perturb(&mut copy.w_out.values, config, rng);
    }
    copy.refresh_effective_weights();
    copy
}

/// Loss and task score of a perturbed copy of `network` on `batch` (evaluation under
/// weight noise / quantisation).
pub fn evaluate_perturbed(
    network: &Network,
    task: &dyn crate::tasks::Task,
    batch: &crate::tasks::TrialBatch,
    loss: crate::train::LossKind,
    config: &ImperfectConfig,
    rng: &mut SimRng,
) -> Result<(f32, f32)> {
    config.validate()?;
    let copy = perturbed_copy(network, config, rng);
    Ok(crate::train::evaluate_batch(&copy, task, batch, loss))
}
