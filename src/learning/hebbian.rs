//! Turcu & Abbott 2022 (PLoS Comput Biol 18(12): e1010759) Hebbian rules for
//! classification by amplification, on the existing synapses only (code:
//! `DenisTurcu/SparseRNN`, `HebbianLearning/OS/OS_SRNN.m`, `OS_Plus/OSplus_SRNN.m`).
//!
//! - **OS** (one shot): `J = η_H (Σ_μ b^μ s^μ s^μᵀ) ⊙ M`, with labels `b^μ = ±1`, the
//!   input current pattern `s^μ` and `η_H = g · 0.1^{1/4} / √(N P √f)` (g = 10,
//!   f = nnz/N² the connection density, P the number of patterns).
//! - **OS+** (error-gated, perceptron-like): starting from OS, present patterns; for
//!   every misclassified pattern `ΔJ = ε′ η_H b^μ (s^μ s^μᵀ ⊙ M)`, ε′ = 0.03.
//!   The decision threshold on the readout is [`OsPlusThreshold::Fixed`] (θ = 0.0334 in
//!   the authors' scripts, the form they ran) or [`OsPlusThreshold::EpochPercentile`]:
//!   after each epoch θ is set to the percentile of that epoch's readouts at the fraction
//!   of "−1" labels (the line `dyn_thresh = prctile(rE_dyn, 100 * (sum(b==-1)/P))`,
//!   commented out in their `OSplus_SRNN.m`).
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

/// How the OS+ decision threshold on the readout evolves over epochs. JSON:
/// `"fixed"` or `"epoch-percentile"` (any other value is a parse error naming both).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OsPlusThreshold {
    /// The task's threshold (midpoint of its targets; 0.0334 in the `hebbian` claim) for
    /// every epoch — the authors' `OSplus_SRNN.m` as committed.
    #[default]
    Fixed,
    /// The task's threshold in the first epoch; after each epoch, the percentile of that
    /// epoch's online readouts at 100 · (fraction of "−1" labels), interpolated as MATLAB's
    /// `prctile` ([`prctile_midpoint`]) — the authors' commented-out line. Needs whole
    /// epochs ([`os_plus_epoch`]); the batch trainer does not apply it.
    EpochPercentile,
}

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
    /// OS+ decision threshold across epochs (default: the authors' fixed form).
    pub threshold: OsPlusThreshold,
}

impl Default for HebbianConfig {
    fn default() -> Self {
        HebbianConfig {
            g_factor: 10.0,
            epsilon_prime: 0.03,
            n_patterns: 0,
            threshold: OsPlusThreshold::Fixed,
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

/// Percentile `percent` (0–100) of `values` as MATLAB's `prctile` and Octave's default
/// `quantile` (method 5) compute it: the sorted values sit at cumulative probabilities
/// (k − 0.5)/n, linear interpolation between them, clamped to the minimum / maximum
/// outside [0.5/n, 1 − 0.5/n]. NaN for an empty slice.
pub fn prctile_midpoint(values: &[f32], percent: f64) -> f64 {
    let mut sorted: Vec<f64> = values.iter().map(|v| *v as f64).collect();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    match n {
        0 => f64::NAN,
        1 => sorted[0],
        _ => {
            // 1-based position as in Octave's `__quantile__`: p·n + 0.5.
            let position = percent.clamp(0.0, 100.0) / 100.0 * n as f64 + 0.5;
            let lower = (position.floor() as usize).clamp(1, n - 1);
            let fraction = (position - lower as f64).clamp(0.0, 1.0);
            (1.0 - fraction) * sorted[lower - 1] + fraction * sorted[lower]
        }
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
    add_update(
        network,
        &masked_outer_sum(network, &patterns, &coefficients),
    )?;
    Ok(wrong)
}

/// What one OS+ epoch did ([`os_plus_epoch`]).
#[derive(Debug, Clone, PartialEq)]
pub struct OsPlusEpoch {
    /// Presentations misclassified under the threshold in force (each followed by its update).
    pub wrong: usize,
    /// Readout (last step) of every pattern at its presentation, by pattern index.
    pub readouts: Vec<f32>,
    /// Threshold in force during the epoch.
    pub threshold_used: f32,
    /// Threshold for the next epoch: `threshold_used` for [`OsPlusThreshold::Fixed`], the
    /// percentile of `readouts` for [`OsPlusThreshold::EpochPercentile`].
    pub threshold_next: f32,
    /// The epoch's accuracy as the authors count it: `readouts` judged against
    /// `threshold_next` (for the fixed form, 1 − wrong / P).
    pub accuracy: f64,
}

/// One OS+ epoch as in the authors' code: every pattern once, in random order, each
/// presented alone, its readout (last step) compared with `threshold` and followed
/// immediately by its update if misclassified. Then the next threshold is set as
/// `config.threshold` says, and the epoch's accuracy counted against it (as their
/// `a_dyn`, computed after the `dyn_thresh` line). Decision: readout > threshold means
/// "amplify", as theirs (`rE_dyn > dyn_thresh`): with the percentile threshold a readout
/// can equal θ exactly, and it then counts as "suppress". Start with
/// `threshold = task.config.threshold()` and pass `threshold_next` on.
pub fn os_plus_epoch(
    network: &mut Network,
    task: &PatternClassification,
    rng: &mut SimRng,
    config: &HebbianConfig,
    threshold: f32,
) -> Result<OsPlusEpoch> {
    let p = task.patterns.len();
    let mut order: Vec<usize> = (0..p).collect();
    rng.shuffle(&mut order);
    let eta = eta_for(network, config, p);
    let mut readouts = vec![0.0f32; p];
    let mut wrong = 0;
    for index in order {
        let batch = TrialBatch::pack(vec![task.pattern_trial(index, rng)]);
        let (patterns, signs) = batch_patterns(network, &batch)?;
        let trajectory = Trajectory::of_batch(network, &batch);
        let out = batch.unpack(&trajectory.outputs, network.n_outputs(), 0);
        let readout = out[[out.nrows() - 1, 0]];
        readouts[index] = readout;
        if (readout > threshold) != task.labels[index] {
            wrong += 1;
            let coefficient = config.epsilon_prime * eta * signs[0] as f64;
            add_update(
                network,
                &masked_outer_sum(network, &patterns, &[coefficient]),
            )?;
        }
    }
    let threshold_next = match config.threshold {
        OsPlusThreshold::Fixed => threshold,
        OsPlusThreshold::EpochPercentile => {
            let low = task.labels.iter().filter(|l| !**l).count();
            prctile_midpoint(&readouts, 100.0 * low as f64 / p.max(1) as f64) as f32
        }
    };
    let right = readouts
        .iter()
        .zip(&task.labels)
        .filter(|(r, l)| (**r > threshold_next) == **l)
        .count();
    Ok(OsPlusEpoch {
        wrong,
        readouts,
        threshold_used: threshold,
        threshold_next,
        accuracy: right as f64 / p.max(1) as f64,
    })
}

/// `J ← J + ΔJ` (the sum in f64, per synapse), refused if any weight is not finite.
fn add_update(network: &mut Network, delta: &[f64]) -> Result<()> {
    let updated = network
        .w_rec_param
        .iter()
        .zip(delta)
        .map(|(w, d)| (*w as f64 + d) as f32)
        .collect();
    write_params(network, updated, "hebbian update")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prctile_midpoint_matches_octave_prctile() {
        // Octave 7.3: x = [3 1 4 1 5 9 2 6 5 3]; prctile(x, [50 30 40 3 97]) =
        // 3.5 2.5 3 1 9; prctile([0.2 0.1 0.4], 100*2/3) = 0.3.
        let x = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0, 5.0, 3.0];
        for (percent, octave) in [
            (50.0, 3.5),
            (30.0, 2.5),
            (40.0, 3.0),
            (3.0, 1.0),
            (97.0, 9.0),
        ] {
            let ours = prctile_midpoint(&x, percent);
            assert!(
                (ours - octave).abs() < 1e-12,
                "{percent}: {ours} vs {octave}"
            );
        }
        let three = prctile_midpoint(&[0.2, 0.1, 0.4], 100.0 * 2.0 / 3.0);
        assert!((three - 0.3).abs() < 1e-7, "{three}");
        assert!(prctile_midpoint(&[], 50.0).is_nan());
        assert_eq!(prctile_midpoint(&[7.0], 10.0), 7.0);
    }

    #[test]
    fn threshold_names_parse_and_a_bad_one_is_refused() {
        let parse = |text: &str| serde_json::from_str::<HebbianConfig>(text);
        assert_eq!(parse("{}").unwrap().threshold, OsPlusThreshold::Fixed);
        let percentile = parse(r#"{"threshold": "epoch-percentile"}"#).unwrap();
        assert_eq!(percentile.threshold, OsPlusThreshold::EpochPercentile);
        let bad = parse(r#"{"threshold": "adaptive"}"#)
            .unwrap_err()
            .to_string();
        assert!(
            bad.contains("epoch-percentile") && bad.contains("fixed"),
            "{bad}"
        );
        // The batch trainer gates on the task's fixed threshold and says so.
        let rule = r#"{"rule": "hebbian-os-plus", "threshold": "epoch-percentile"}"#;
        let refused = crate::learning::LearningRule::from_json(rule).unwrap_err();
        assert!(refused.to_string().contains("threshold"), "{refused}");
        let fixed = r#"{"rule": "hebbian-os-plus", "threshold": "fixed"}"#;
        assert!(crate::learning::LearningRule::from_json(fixed).is_ok());
    }
}
