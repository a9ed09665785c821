//! Turcu & Abbott 2022 (PLoS Comput Biol 18(12): e1010759) Hebbian rules for
//! classification by amplification, on the existing synapses only (code:
//! `DenisTurcu/SparseRNN`, `HebbianLearning/OS/OS_SRNN.m`, `OS_Plus/OSplus_SRNN.m`).
//!
//! - **OS** (one shot): `J = η_H (Σ_μ b^μ s^μ s^μᵀ) ⊙ M`, with labels `b^μ = ±1`, the
//!   input current pattern `s^μ` and `η_H = g · 0.1^{1/4} / √(N P √f)` (g = 10,
//!   f = nnz/N² the connection density, P the number of patterns).
//! - **OS+** (error-gated, perceptron-like): starting from OS, present patterns; for
//!   every misclassified pattern `ΔJ = ε′ η_H b^μ (s^μ s^μᵀ ⊙ M)`, ε′ = 0.03.
//!
//! Here `s^μ` is the input current each neuron receives at the first step of the trial,
//! `W_in x(0)` (the pattern itself with the identity input map), and `b^μ = +1` for
//! `TrialLabel::Class(1)` ("amplify"), −1 for `Class(0)`. The rules write the recurrent
//! parameters (with Dale's law the effective weight is then `|J|·sign(pre)`).

use crate::error::{non_negative, positive, Error, Result};
use crate::math;
use crate::model::Network;
use crate::rng::SimRng;
use crate::tasks::turcu::PatternClassification;
use crate::tasks::{Task, TrialBatch, TrialLabel};
use crate::train::Trajectory;
use serde::{Deserialize, Serialize};

/// 0.1^{1/4}, the constant of Turcu & Abbott's initial scale.
const TENTH_FOURTH_ROOT: f64 = 0.562_341_325_190_349_1;

/// Parameters of the OS / OS+ rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HebbianConfig {
    /// The factor g of η_H (paper: 10).
    pub g_factor: f64,
    /// ε′ of OS+ (paper: 0.03).
    pub epsilon_prime: f64,
    /// P in η_H (0 = the number of trials in the batch the rule sees).
    pub n_patterns: usize,
}

impl Default for HebbianConfig {
    fn default() -> Self {
        HebbianConfig {
            g_factor: 10.0,
            epsilon_prime: 0.03,
            n_patterns: 0,
        }
    }
}

impl HebbianConfig {
    /// Check every field.
    pub fn validate(&self) -> Result<()> {
        positive("g_factor", self.g_factor)?;
        non_negative("epsilon_prime", self.epsilon_prime)?;
        Ok(())
    }
}

/// `η_H = g · 0.1^{1/4} / √(N P √f)`.
pub fn hebbian_rate(n_neurons: usize, n_patterns: usize, density: f64, g_factor: f64) -> f64 {
    let denominator = math::sqrt(n_neurons as f64 * n_patterns as f64 * math::sqrt(density));
    g_factor * TENTH_FOURTH_ROOT / denominator.max(1e-30)
}

/// ±1 label of a binary-class trial.
pub fn label_sign(label: &TrialLabel) -> Result<f32> {
    match label {
        TrialLabel::Class(1) => Ok(1.0),
        TrialLabel::Class(0) => Ok(-1.0),
        other => Err(Error::field(
            "label",
            format!("{other:?}"),
            "must be a binary class (0 or 1) for the Hebbian rules",
        )),
    }
}

/// Input current patterns `s^b = W_in x_b(0)` (one `Vec` of length N per trial) and labels.
pub fn batch_patterns(network: &Network, batch: &TrialBatch) -> Result<(Vec<Vec<f32>>, Vec<f32>)> {
    let (t_len, b_len) = (batch.n_steps, batch.batch_size);
    let w_in = &network.w_in;
    let mut patterns = Vec::with_capacity(b_len);
    let mut signs = Vec::with_capacity(b_len);
    for b in 0..b_len {
        signs.push(label_sign(&batch.trials[b].label)?);
        let s = (0..w_in.n_rows)
            .map(|i| {
                (w_in.row_ptr[i]..w_in.row_ptr[i + 1])
                    .map(|k| {
                        w_in.values[k] * batch.inputs[w_in.col_idx[k] as usize * t_len * b_len + b]
                    })
                    .sum()
            })
            .collect();
        patterns.push(s);
    }
    Ok((patterns, signs))
}

/// `Σ_μ c_μ s^μ_i s^μ_j` on every synapse (row i, column j), as f64 per synapse.
fn masked_outer_sum(network: &Network, patterns: &[Vec<f32>], coefficients: &[f64]) -> Vec<f64> {
    let w = &network.w_rec;
    let mut total = vec![0.0f64; w.nnz()];
    for (s, c) in patterns.iter().zip(coefficients) {
        if *c == 0.0 {
            continue;
        }
        for i in 0..w.n_rows {
            let post = *c * s[i] as f64;
            for k in w.row_ptr[i]..w.row_ptr[i + 1] {
                total[k] += post * s[w.col_idx[k] as usize] as f64;
            }
        }
    }
    total
}

fn eta_for(network: &Network, config: &HebbianConfig, batch_trials: usize) -> f64 {
    let p = if config.n_patterns == 0 {
        batch_trials
    } else {
        config.n_patterns
    };
    hebbian_rate(
        network.n_neurons(),
        p.max(1),
        network.w_rec.density(),
        config.g_factor,
    )
}

/// OS: set `J = η_H (Σ_μ b^μ s^μ s^μᵀ) ⊙ M` from labelled patterns. Weights are left
/// untouched (and an error returned) if the result is not finite.
pub fn one_shot(
    network: &mut Network,
    patterns: &[Vec<f32>],
    signs: &[f32],
    config: &HebbianConfig,
) -> Result<()> {
    let eta = eta_for(network, config, patterns.len());
    let coefficients: Vec<f64> = signs.iter().map(|b| eta * *b as f64).collect();
    let j = masked_outer_sum(network, patterns, &coefficients);
    write_params(
        network,
        j.iter().map(|v| *v as f32).collect(),
        "hebbian weight",
    )
}

/// OS on the patterns of a batch (one trial per pattern).
pub fn one_shot_from_batch(
    network: &mut Network,
    batch: &TrialBatch,
    config: &HebbianConfig,
) -> Result<()> {
    let (patterns, signs) = batch_patterns(network, batch)?;
    one_shot(network, &patterns, &signs, config)
}

/// OS+ on a batch: simulate it with the current weights, and for every trial the task
/// scores as wrong add `ε′ η_H b s sᵀ ⊙ M` (all gated on the same weights). Returns the
/// number of misclassified trials.
pub fn os_plus_batch(
    network: &mut Network,
    task: &dyn Task,
    batch: &TrialBatch,
    config: &HebbianConfig,
) -> Result<usize> {
    let (patterns, signs) = batch_patterns(network, batch)?;
    let trajectory = Trajectory::of_batch(network, batch);
    let eta = eta_for(network, config, batch.batch_size);
    let n_out = network.n_outputs();
    let mut wrong = 0;
    let coefficients: Vec<f64> = (0..batch.batch_size)
        .map(|b| {
            let out = batch.unpack(&trajectory.outputs, n_out, b);
            if task.score(&batch.trials[b], out.view()) < 0.5 {
                wrong += 1;
                config.epsilon_prime * eta * signs[b] as f64
            } else {
                0.0
            }
        })
        .collect();
    let delta = masked_outer_sum(network, &patterns, &coefficients);
    let updated = network
        .w_rec_param
        .iter()
        .zip(&delta)
        .map(|(w, d)| (*w as f64 + d) as f32)
        .collect();
    write_params(network, updated, "hebbian update")?;
    Ok(wrong)
}

/// One OS+ epoch as in the authors' code: every pattern once, in random order, each
/// presented alone and followed immediately by its update if misclassified. Returns the
/// number of misclassified presentations.
pub fn os_plus_epoch(
    network: &mut Network,
    task: &PatternClassification,
    rng: &mut SimRng,
    config: &HebbianConfig,
) -> Result<usize> {
    let mut order: Vec<usize> = (0..task.patterns.len()).collect();
    rng.shuffle(&mut order);
    let config = HebbianConfig {
        n_patterns: if config.n_patterns == 0 {
            task.patterns.len()
        } else {
            config.n_patterns
        },
        ..config.clone()
    };
    let mut wrong = 0;
    for index in order {
        let batch = TrialBatch::pack(vec![task.pattern_trial(index, rng)]);
        wrong += os_plus_batch(network, task, &batch, &config)?;
    }
    Ok(wrong)
}

fn write_params(network: &mut Network, values: Vec<f32>, quantity: &'static str) -> Result<()> {
    if let Some(bad) = values.iter().find(|v| !v.is_finite()) {
        return Err(Error::NonFinite {
            step: 0,
            quantity,
            value: *bad as f64,
        });
    }
    network.w_rec_param = values;
    network.refresh_effective_weights();
    Ok(())
}
