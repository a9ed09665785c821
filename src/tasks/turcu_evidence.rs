//! Noisy evidence accumulation on the Turcu & Abbott 2022 patterns (PLoS Comput Biol
//! 18(12): e1010759; the abstract states that the networks "accumulate evidence" and keep
//! their decision after the input is switched off). A variant of
//! [`PatternClassification`]: pattern μ is presented for `stimulus_ms` with fresh Gaussian
//! noise of std `noise_std` on every component at **every step**, so a single step carries
//! little information and the network must integrate; the decision must then be held
//! through `response_ms` without input.
//!
//! Periods: `stimulus`, `response`. Inputs: `pattern_dim`. Output: 1 (population readout).
//! Targets: `target_high` (amplify class) / `target_low` during `response`, also from the
//! second half of `stimulus` on when `score_late_stimulus` is set; loss mask 1 where a
//! target is set. Score: readout at the last step on the correct side of the midpoint.
//!
//! Inferred (the paper body was not available): the per-step noise model and the default
//! durations (500 ms stimulus = 5 τ, 300 ms hold, σ = 2 per step at dt = 10 ms, i.e. a
//! per-step signal-to-noise ratio of about 0.3 against ~2 after integrating 50 steps).

use super::turcu::{PatternClassification, PatternConfig};
use super::{Task, TaskSpec, Trial, TrialBuilder, TrialLabel};
use crate::error::{non_negative, Result};
use crate::rng::SimRng;
use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

/// Parameters: the pattern set plus the per-step noise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EvidenceConfig {
    /// Patterns, labels, dt, durations and targets (its `stimulus_ms` is the evidence
    /// period, its `response_ms` the hold period).
    pub pattern: PatternConfig,
    /// Std of the fresh per-step noise on every input component.
    pub noise_std: f64,
    /// Also ask for the target during the second half of the stimulus.
    pub score_late_stimulus: bool,
}

impl Default for EvidenceConfig {
    fn default() -> Self {
        EvidenceConfig {
            pattern: PatternConfig {
                stimulus_ms: 500.0,
                response_ms: 300.0,
                ..Default::default()
            },
            noise_std: 2.0,
            score_late_stimulus: false,
        }
    }
}

/// The evidence-accumulation task.
#[derive(Debug, Clone)]
pub struct EvidenceAccumulation {
    /// Parameters.
    pub config: EvidenceConfig,
    /// The underlying pattern set (same patterns and labels as the plain task with this
    /// `PatternConfig`).
    pub patterns: PatternClassification,
}

impl EvidenceAccumulation {
    /// Draw the patterns from `config.pattern.seed` and check every field.
    pub fn new(config: EvidenceConfig) -> Result<Self> {
        non_negative("noise_std", config.noise_std)?;
        let patterns = PatternClassification::new(config.pattern.clone())?;
        Ok(EvidenceAccumulation { config, patterns })
    }

    /// The trial presenting pattern `index` with fresh noise from `rng`.
    pub fn pattern_trial(&self, index: usize, rng: &mut SimRng) -> Trial {
        let c = &self.config.pattern;
        let stimulus = super::timing::ms_to_steps(c.stimulus_ms, c.dt_ms);
        let response = super::timing::ms_to_steps(c.response_ms, c.dt_ms);
        let mut b = TrialBuilder::new(
            &[("stimulus", stimulus), ("response", response)],
            c.pattern_dim,
            1,
        );
        let pattern = &self.patterns.patterns[index];
        let sigma = self.config.noise_std;
        for t in b.range("stimulus") {
            let noisy: Vec<f32> = pattern
                .iter()
                .map(|p| p + (rng.normal() * sigma) as f32)
                .collect();
            b.add_input_vector(t..t + 1, 0, &noisy);
        }
        let label = self.patterns.labels[index];
        let target = if label { c.target_high } else { c.target_low } as f32;
        let first = if self.config.score_late_stimulus {
            stimulus / 2
        } else {
            stimulus
        };
        b.set_target(first..stimulus + response, 0, target);
        b.set_mask(first..stimulus + response, 1.0);
        b.build(TrialLabel::Class(label as usize))
    }
}

impl Task for EvidenceAccumulation {
    fn spec(&self) -> TaskSpec {
        TaskSpec {
            id: "turcu-evidence".into(),
            name: "Noisy evidence accumulation on patterns".into(),
            paper: "Turcu & Abbott 2022, PLoS Comput Biol".into(),
            n_inputs: self.config.pattern.pattern_dim,
            n_outputs: 1,
            dt_ms: self.config.pattern.dt_ms,
        }
    }

    fn trial(&self, rng: &mut SimRng) -> Trial {
        let index = rng.below(self.patterns.patterns.len());
        self.pattern_trial(index, rng)
    }

    fn score(&self, trial: &Trial, outputs: ArrayView2<f32>) -> f32 {
        self.patterns.score(trial, outputs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> EvidenceAccumulation {
        let pattern = PatternConfig {
            n_patterns: 4,
            pattern_dim: 300,
            stimulus_ms: 500.0,
            response_ms: 200.0,
            ..Default::default()
        };
        EvidenceAccumulation::new(EvidenceConfig {
            pattern,
            ..Default::default()
        })
        .unwrap()
    }

    #[test]
    fn noise_is_fresh_per_step_and_averages_out() {
        let task = small();
        let trial = task.pattern_trial(1, &mut SimRng::new(3));
        assert_eq!(
            (trial.n_steps(), trial.period("response").unwrap().start),
            (70, 50)
        );
        assert_ne!(trial.inputs.row(0), trial.inputs.row(1));
        let pattern = &task.patterns.patterns[1];
        let (mut single, mut averaged) = (0.0, 0.0);
        for (k, p) in pattern.iter().enumerate() {
            let mean: f32 = (0..50).map(|t| trial.inputs[[t, k]]).sum::<f32>() / 50.0;
            single += (trial.inputs[[0, k]] - p).powi(2);
            averaged += (mean - p).powi(2);
            assert_eq!(trial.inputs[[55, k]], 0.0);
        }
        // per-step error variance ≈ σ² = 4, after 50 steps ≈ 0.08
        assert!(
            single / 300.0 > 3.0 && averaged / 300.0 < 0.2,
            "{single} {averaged}"
        );
        let high = if task.patterns.labels[1] { 0.5 } else { 0.0 };
        assert_eq!(
            (
                trial.targets[[60, 0]],
                trial.mask[[10, 0]],
                trial.mask[[60, 0]]
            ),
            (high, 0.0, 1.0)
        );
    }

    #[test]
    fn score_and_validation() {
        let task = small();
        let trial = task.pattern_trial(0, &mut SimRng::new(1));
        assert_eq!(task.score(&trial, trial.targets.view()), 1.0);
        let wrong = trial.targets.mapv(|v| 0.5 - v);
        assert_eq!(task.score(&trial, wrong.view()), 0.0);
        let bad = EvidenceConfig {
            noise_std: -1.0,
            ..Default::default()
        };
        assert!(EvidenceAccumulation::new(bad)
            .unwrap_err()
            .to_string()
            .contains("noise_std"));
    }
}
