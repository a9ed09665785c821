//! Turcu & Abbott 2022 (PLoS Comput Biol 18(12): e1010759), "Sparse RNNs can support
//! high-capacity classification": binary classification of P fixed random patterns by
//! *amplification*. Pattern μ (components uniform on [−1, 1], one per neuron) is injected
//! for `stimulus_ms` (1 τ in the paper), then removed; the population readout (mean rate,
//! no trained output unit) must be high for the "amplify" class and low for the other,
//! and stay so after input offset. Loss is applied from stimulus offset on (as in the
//! authors' code, which starts its loss at the offset step).
//!
//! Periods: `stimulus`, `response`. Input channels: `pattern_dim` (one per neuron with the
//! identity input map). Output: 1 (population readout). Score: output at the last step on
//! the correct side of the midpoint between the two targets.

use super::{Task, TaskSpec, Trial, TrialBuilder, TrialLabel};
use crate::error::{at_least, in_range, non_negative, positive, Error, Result};
use crate::rng::SimRng;
use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

/// Parameters of the pattern-classification task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PatternConfig {
    /// Number of patterns P (half of them, rounded down, are "amplify").
    pub n_patterns: usize,
    /// Components per pattern (= number of neurons with the identity input map).
    pub pattern_dim: usize,
    /// Fraction of pattern components that are non-zero (the paper's f_in).
    pub input_fraction: f64,
    /// Time step, ms.
    pub dt_ms: f64,
    /// Stimulus duration, ms.
    pub stimulus_ms: f64,
    /// Post-stimulus period, ms (training trials; evaluate longer to test persistence).
    pub response_ms: f64,
    /// Target readout for the amplified class.
    pub target_high: f64,
    /// Target readout for the other class.
    pub target_low: f64,
    /// Std of Gaussian noise added to the pattern on every presentation.
    pub input_noise_std: f64,
    /// Seed of the patterns and labels.
    pub seed: u64,
    /// Score the stimulus steps too (target and mask on the whole trial). The authors'
    /// Regular BPTT code (`loss_ReLU_on_targets` in `BPTT/Regular/srnn_helpers.py`) sums
    /// its hinge over every time step of the readout, the input steps included; their
    /// SpeedUp code, like the default here (false), scores only the response period.
    pub score_stimulus: bool,
}

impl Default for PatternConfig {
    fn default() -> Self {
        PatternConfig {
            n_patterns: 100,
            pattern_dim: 200,
            input_fraction: 1.0,
            dt_ms: 10.0,
            stimulus_ms: 100.0,
            response_ms: 100.0,
            target_high: 0.5,
            target_low: 0.0,
            input_noise_std: 0.0,
            seed: 1,
            score_stimulus: false,
        }
    }
}

/// Largest number of stored values accepted for the patterns (`n_patterns · pattern_dim`)
/// and for one trial's inputs (`steps · pattern_dim`): 2²⁶ f32 = 256 MiB, so options
/// cannot make building the task or drawing a trial exhaust memory or take minutes.
pub const MAX_PATTERN_VALUES: usize = 1 << 26;

impl PatternConfig {
    /// Check every field.
    pub fn validate(&self) -> Result<()> {
        at_least("n_patterns", self.n_patterns, 2, "must be >= 2")?;
        at_least("pattern_dim", self.pattern_dim, 1, "must be >= 1")?;
        if self.pattern_dim > crate::model::MAX_NEURONS {
            return Err(Error::field(
                "pattern_dim",
                self.pattern_dim,
                "must be <= 16384 (one component per neuron)",
            ));
        }
        if self.n_patterns > MAX_PATTERN_VALUES / self.pattern_dim {
            return Err(Error::field(
                "n_patterns",
                self.n_patterns,
                "must be <= 2^26 / pattern_dim (pattern memory)",
            ));
        }
        in_range(
            "input_fraction",
            self.input_fraction,
            1e-9,
            1.0,
            "must be in (0, 1]",
        )?;
        positive("dt_ms", self.dt_ms)?;
        positive("stimulus_ms", self.stimulus_ms)?;
        positive("response_ms", self.response_ms)?;
        non_negative("input_noise_std", self.input_noise_std)?;
        if !(self.target_high.is_finite() && self.target_low.is_finite())
            || self.target_high <= self.target_low
        {
            return Err(Error::field(
                "target_high",
                self.target_high,
                "must be finite and > target_low",
            ));
        }
        if self.stimulus_ms < self.dt_ms || self.response_ms < self.dt_ms {
            return Err(Error::field(
                "dt_ms",
                self.dt_ms,
                "must be <= stimulus_ms and response_ms",
            ));
        }
        // In f64: a tiny dt would saturate a step count computed as usize.
        let steps =
            (self.stimulus_ms / self.dt_ms).round() + (self.response_ms / self.dt_ms).round();
        if steps * self.pattern_dim as f64 > MAX_PATTERN_VALUES as f64 {
            return Err(Error::field(
                "dt_ms",
                self.dt_ms,
                "is too small for stimulus_ms + response_ms: a trial would exceed 2^26 input values (steps x pattern_dim)",
            ));
        }
        Ok(())
    }

    /// Readout threshold separating the classes (midpoint of the targets).
    pub fn threshold(&self) -> f32 {
        ((self.target_high + self.target_low) / 2.0) as f32
    }
}

/// The task: a fixed set of labelled random patterns.
#[derive(Debug, Clone)]
pub struct PatternClassification {
    /// Parameters.
    pub config: PatternConfig,
    /// The patterns, `n_patterns` × `pattern_dim`.
    pub patterns: Vec<Vec<f32>>,
    /// Class of each pattern (true = amplify).
    pub labels: Vec<bool>,
}

impl PatternClassification {
    /// Draw the patterns and labels from `config.seed`.
    pub fn new(config: PatternConfig) -> Result<Self> {
        config.validate()?;
        let mut rng = SimRng::derived(config.seed, "patterns");
        let patterns = (0..config.n_patterns)
            .map(|_| {
                (0..config.pattern_dim)
                    .map(|_| {
                        let value = rng.uniform_in(-1.0, 1.0) as f32;
                        if rng.uniform() < config.input_fraction {
                            value
                        } else {
                            0.0
                        }
                    })
                    .collect()
            })
            .collect();
        let mut labels: Vec<bool> = (0..config.n_patterns)
            .map(|m| m < config.n_patterns / 2)
            .collect();
        rng.shuffle(&mut labels);
        Ok(PatternClassification {
            config,
            patterns,
            labels,
        })
    }

    /// The same patterns with a different post-stimulus duration (to test persistence).
    pub fn with_response_ms(&self, response_ms: f64) -> Self {
        let mut longer = self.clone();
        longer.config.response_ms = response_ms;
        longer
    }

    /// The trial presenting pattern `index` (noise drawn from `rng` if configured).
    pub fn pattern_trial(&self, index: usize, rng: &mut SimRng) -> Trial {
        let c = &self.config;
        let stimulus = super::timing::ms_to_steps(c.stimulus_ms, c.dt_ms);
        let response = super::timing::ms_to_steps(c.response_ms, c.dt_ms);
        let mut builder = TrialBuilder::new(
            &[("stimulus", stimulus), ("response", response)],
            c.pattern_dim,
            1,
        );
        let mut pattern = self.patterns[index].clone();
        if c.input_noise_std > 0.0 {
            pattern
                .iter_mut()
                .for_each(|p| *p += (rng.normal() * c.input_noise_std) as f32);
        }
        builder.add_input_vector(builder.range("stimulus"), 0, &pattern);
        let label = self.labels[index];
        let target = if label { c.target_high } else { c.target_low } as f32;
        builder.set_target(builder.range("response"), 0, target);
        builder.set_mask(builder.range("response"), 1.0);
        if c.score_stimulus {
            builder.set_target(builder.range("stimulus"), 0, target);
            builder.set_mask(builder.range("stimulus"), 1.0);
        }
        builder.build(TrialLabel::Class(label as usize))
    }

    /// One trial per pattern, in order (full-set evaluation).
    pub fn all_trials(&self, rng: &mut SimRng) -> Vec<Trial> {
        (0..self.patterns.len())
            .map(|m| self.pattern_trial(m, rng))
            .collect()
    }

    /// Whether a readout value at some time means "amplify".
    pub fn decides_amplify(&self, readout: f32) -> bool {
        readout >= self.config.threshold()
    }
}

impl Task for PatternClassification {
    fn spec(&self) -> TaskSpec {
        TaskSpec {
            id: "turcu-classification".into(),
            name: "Pattern classification by amplification".into(),
            paper: "Turcu & Abbott 2022, PLoS Comput Biol".into(),
            n_inputs: self.config.pattern_dim,
            n_outputs: 1,
            dt_ms: self.config.dt_ms,
        }
    }

    fn persistence_variant(&self, factor: f64) -> Option<Box<dyn Task>> {
        Some(Box::new(
            self.with_response_ms(self.config.response_ms * factor),
        ))
    }

    fn condition_trials(&self, rng: &mut SimRng) -> Option<Vec<Trial>> {
        Some(self.all_trials(rng))
    }

    fn n_conditions(&self) -> Option<usize> {
        Some(self.patterns.len())
    }

    fn trial(&self, rng: &mut SimRng) -> Trial {
        let index = rng.below(self.patterns.len());
        self.pattern_trial(index, rng)
    }

    fn score(&self, trial: &Trial, outputs: ArrayView2<f32>) -> f32 {
        let last = outputs[[outputs.nrows() - 1, 0]];
        let wanted = trial.label == TrialLabel::Class(1);
        (self.decides_amplify(last) == wanted) as u8 as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trial_follows_the_specification() {
        let task = PatternClassification::new(PatternConfig {
            n_patterns: 10,
            pattern_dim: 5,
            ..Default::default()
        })
        .unwrap();
        assert_eq!(task.labels.iter().filter(|l| **l).count(), 5);
        let trial = task.pattern_trial(3, &mut SimRng::new(0));
        assert_eq!(trial.n_steps(), 20);
        let stim = trial.period("stimulus").unwrap();
        assert_eq!((stim.start, stim.end), (0, 10));
        for t in 0..20 {
            let on = t < 10;
            for k in 0..5 {
                let expected = if on { task.patterns[3][k] } else { 0.0 };
                assert_eq!(trial.inputs[[t, k]], expected);
                assert!(task.patterns[3][k].abs() <= 1.0);
            }
            assert_eq!(trial.mask[[t, 0]], if on { 0.0 } else { 1.0 });
            let high = if task.labels[3] { 0.5 } else { 0.0 };
            assert_eq!(trial.targets[[t, 0]], if on { 0.0 } else { high });
        }
        let whole = PatternClassification::new(PatternConfig {
            n_patterns: 10,
            pattern_dim: 5,
            score_stimulus: true,
            ..Default::default()
        })
        .unwrap()
        .pattern_trial(3, &mut SimRng::new(0));
        let high = if task.labels[3] { 0.5 } else { 0.0 };
        for t in 0..20 {
            assert_eq!(whole.mask[[t, 0]], 1.0);
            assert_eq!(whole.targets[[t, 0]], high);
            assert_eq!(whole.inputs.row(t), trial.inputs.row(t));
        }
        assert_eq!(
            task.with_response_ms(500.0)
                .pattern_trial(3, &mut SimRng::new(0))
                .n_steps(),
            60
        );
    }

    #[test]
    fn bad_config_is_rejected_by_name() {
        let err = PatternClassification::new(PatternConfig {
            n_patterns: 1,
            ..Default::default()
        })
        .unwrap_err()
        .to_string();
        assert!(err.contains("n_patterns"));
    }

    #[test]
    fn huge_sizes_and_durations_are_rejected_before_allocating() {
        // Found by fuzzing the registry options: each of these aborted on a 80-400 GB
        // allocation, and a 1e-300 ms step overflowed the step count.
        let error_of = |c: PatternConfig| PatternClassification::new(c).unwrap_err().to_string();
        let e = error_of(PatternConfig {
            n_patterns: usize::MAX / 2,
            ..Default::default()
        });
        assert!(e.contains("`n_patterns`"), "{e}");
        let e = error_of(PatternConfig {
            pattern_dim: usize::MAX / 2,
            ..Default::default()
        });
        assert!(e.contains("`pattern_dim`"), "{e}");
        for (dt_ms, stimulus_ms) in [(10.0, 1e9), (1e-300, 1.0), (0.01, 1e6)] {
            let e = error_of(PatternConfig {
                dt_ms,
                stimulus_ms,
                response_ms: stimulus_ms,
                ..Default::default()
            });
            assert!(e.contains("`dt_ms`"), "{e}");
        }
        // The largest accepted sizes still build.
        assert!(PatternClassification::new(PatternConfig {
            n_patterns: 2,
            pattern_dim: crate::model::MAX_NEURONS,
            stimulus_ms: 10.0 * 2048.0,
            response_ms: 10.0 * 2048.0,
            ..Default::default()
        })
        .is_ok());
    }
}
