//! Spiking benchmark tasks (inputs are Poisson spike trains, 0/1 per step of `dt_ms`):
//!
//! - `spytorch-random` — Zenke's SpyTorch tutorial 1: a fixed set of `n_samples` random
//!   spike patterns (`n_inputs` channels at `rate_hz` for `n_steps` steps) with random
//!   binary labels; the readout is scored on each output's maximum over time (train with
//!   the `max-over-time-cross-entropy` loss). A memorisation task: the score is the
//!   training accuracy on the fixed set ([`Task::condition_trials`]). SpyTorch trains on the
//!   whole set each step (`train.batching` `conditions`); random batching draws trials
//!   from it uniformly.
//! - `eprop-evidence` — Bellec et al. 2020's evidence (cue) accumulation: 40 channels in
//!   4 groups of 10 (left cues, right cues, recall cue, background). Seven cues of 100 ms,
//!   each after 50 ms of silence, fire their side's group at 40 Hz; the side of each cue is
//!   drawn with probability 0.7/0.3 toward a per-trial favoured side. After a delay the
//!   recall group fires at 40 Hz for the last 150 ms while the background group fires at
//!   10 Hz throughout. The answer (output 0 = left, 1 = right) is the side with more cues,
//!   scored by the argmax of the mean output over the recall window (train with
//!   `cross-entropy`).

use super::{Period, Task, TaskSpec, Trial, TrialLabel};
use crate::error::{at_least, in_range, positive, Error, Result};
use crate::rng::SimRng;
use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

const SPYTORCH: &str = "Zenke & Vogels 2021 / SpyTorch tutorial 1";
const EPROP: &str = "Bellec et al. 2020, Nat. Commun. (e-prop)";

/// Options of `spytorch-random` (defaults: the tutorial's).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SpyTorchConfig {
    /// Number of fixed samples (the tutorial's batch, 256).
    pub n_samples: usize,
    /// Input channels (100).
    pub n_inputs: usize,
    /// Steps per trial (200).
    pub n_steps: usize,
    /// Poisson rate of every input in Hz (5).
    pub rate_hz: f64,
    /// Time step in ms (1).
    pub dt_ms: f64,
    /// Seed of the samples and labels.
    pub seed: u64,
}

impl Default for SpyTorchConfig {
    fn default() -> Self {
        SpyTorchConfig {
            n_samples: 256,
            n_inputs: 100,
            n_steps: 200,
            rate_hz: 5.0,
            dt_ms: 1.0,
            seed: 1,
        }
    }
}

/// Largest number of samples, channels or steps accepted by the spiking tasks.
pub const MAX_SPIKING_TASK_SIZE: usize = 100_000;

/// Check a count option (`task.<field>`).
fn count(field: &'static str, value: usize) -> Result<()> {
    at_least(field, value, 1, "must be >= 1")?;
    if value > MAX_SPIKING_TASK_SIZE {
        return Err(Error::field(field, value, "must be <= 100000"));
    }
    Ok(())
}

/// One-hot targets of `class` over 2 outputs, scored where `scored` is true.
fn binary_targets(
    n_steps: usize,
    class: usize,
    scored: impl Fn(usize) -> bool,
) -> (Array2<f32>, Array2<f32>) {
    let mut targets = Array2::zeros((n_steps, 2));
    let mut mask = Array2::zeros((n_steps, 2));
    for t in 0..n_steps {
        targets[[t, class]] = 1.0;
        if scored(t) {
            mask[[t, 0]] = 1.0;
            mask[[t, 1]] = 1.0;
        }
    }
    (targets, mask)
}

/// Index of the larger of two values (ties: 0).
fn argmax2(a: f32, b: f32) -> usize {
    usize::from(b > a)
}

/// SpyTorch tutorial 1's random spike patterns with random labels.
#[derive(Debug, Clone)]
pub struct SpyTorchRandom {
    config: SpyTorchConfig,
    /// The samples' input spikes, each `[n_steps, n_inputs]`.
    samples: Vec<Array2<f32>>,
    labels: Vec<usize>,
}

impl SpyTorchRandom {
    /// Check `config` and draw the fixed samples from its seed.
    pub fn new(config: SpyTorchConfig) -> Result<Self> {
        count("task.n_samples", config.n_samples)?;
        count("task.n_inputs", config.n_inputs)?;
        count("task.n_steps", config.n_steps)?;
        check_dt_ms(config.dt_ms)?;
        let probability = config.rate_hz * config.dt_ms / 1000.0;
        in_range(
            "task.rate_hz",
            probability,
            0.0,
            1.0,
            "must be in [0, 1000/dt_ms] Hz",
        )?;
        if (config.n_samples * config.n_inputs) as f64 * config.n_steps as f64 > 1e8 {
            return Err(Error::field(
                "task.n_samples",
                config.n_samples,
                "n_samples × n_inputs × n_steps must be <= 1e8",
            ));
        }
        let mut rng = SimRng::derived(config.seed, "spytorch-random");
        let mut samples = Vec::with_capacity(config.n_samples);
        let mut labels = Vec::with_capacity(config.n_samples);
        for _ in 0..config.n_samples {
            let mut x = Array2::zeros((config.n_steps, config.n_inputs));
            x.iter_mut()
                .for_each(|v| *v = f32::from(u8::from(rng.uniform() < probability)));
            samples.push(x);
            labels.push(usize::from(rng.uniform() < 0.5));
        }
        Ok(SpyTorchRandom {
            config,
            samples,
            labels,
        })
    }

    /// Sample `index` as a trial.
    pub fn sample(&self, index: usize) -> Trial {
        let n_steps = self.config.n_steps;
        let (targets, mask) = binary_targets(n_steps, self.labels[index], |_| true);
        Trial {
            inputs: self.samples[index].clone(),
            targets,
            mask,
            periods: vec![Period {
                name: "stimulus".into(),
                start: 0,
                end: n_steps,
            }],
            label: TrialLabel::Class(self.labels[index]),
            task_index: 0,
        }
    }
}

impl Task for SpyTorchRandom {
    fn spec(&self) -> TaskSpec {
        TaskSpec {
            id: "spytorch-random".into(),
            name: "Random spike patterns, random labels (SpyTorch tutorial 1)".into(),
            paper: SPYTORCH.into(),
            n_inputs: self.config.n_inputs,
            n_outputs: 2,
            dt_ms: self.config.dt_ms,
        }
    }

    fn trial(&self, rng: &mut SimRng) -> Trial {
        self.sample(rng.below(self.samples.len()))
    }

    fn score(&self, trial: &Trial, outputs: ArrayView2<f32>) -> f32 {
        let peak = |o: usize| {
            outputs
                .column(o)
                .iter()
                .cloned()
                .fold(f32::NEG_INFINITY, f32::max)
        };
        let wanted = match trial.label {
            TrialLabel::Class(c) => c,
            _ => return 0.0,
        };
        f32::from(u8::from(argmax2(peak(0), peak(1)) == wanted))
    }

    fn condition_trials(&self, _rng: &mut SimRng) -> Option<Vec<Trial>> {
        Some((0..self.samples.len()).map(|i| self.sample(i)).collect())
    }

    fn n_conditions(&self) -> Option<usize> {
        Some(self.samples.len())
    }
}

/// Options of `eprop-evidence` (defaults: the e-prop tutorial's).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EpropEvidenceConfig {
    /// Number of cues (7).
    pub n_cues: usize,
    /// Cue duration in ms (100).
    pub cue_ms: f64,
    /// Spacing between cue onsets in ms (150: 50 ms of silence, then the cue).
    pub cue_spacing_ms: f64,
    /// Delay between the last cue and the recall cue in ms (1050: 7·150 + 1200 = 2250 ms).
    pub delay_ms: f64,
    /// Recall cue duration in ms (150; also the scored window).
    pub recall_ms: f64,
    /// Channels per group (10; 4 groups).
    pub channels_per_group: usize,
    /// Cue and recall rate in Hz (40).
    pub cue_rate_hz: f64,
    /// Background rate in Hz (10).
    pub background_rate_hz: f64,
    /// Probability of a cue on the non-favoured side (0.3).
    pub p_minority: f64,
    /// Time step in ms (1).
    pub dt_ms: f64,
}

impl Default for EpropEvidenceConfig {
    fn default() -> Self {
        EpropEvidenceConfig {
            n_cues: 7,
            cue_ms: 100.0,
            cue_spacing_ms: 150.0,
            delay_ms: 1050.0,
            recall_ms: 150.0,
            channels_per_group: 10,
            cue_rate_hz: 40.0,
            background_rate_hz: 10.0,
            p_minority: 0.3,
            dt_ms: 1.0,
        }
    }
}

impl EpropEvidenceConfig {
    /// Length of a trial in ms: the cues, the delay, then the recall cue
    /// (`n_cues · cue_spacing_ms + delay_ms + recall_ms`; the tutorial's 2250 ms).
    pub fn trial_ms(&self) -> f64 {
        self.n_cues as f64 * self.cue_spacing_ms + self.delay_ms + self.recall_ms
    }
}

/// `task.dt_ms` of both spiking tasks: positive and at most one second.
fn check_dt_ms(dt_ms: f64) -> Result<()> {
    positive("task.dt_ms", dt_ms)?;
    in_range("task.dt_ms", dt_ms, 0.0, 1000.0, "must be <= 1000 ms").map(|_| ())
}

/// e-prop's evidence accumulation (cue accumulation) task.
#[derive(Debug, Clone)]
pub struct EpropEvidence {
    config: EpropEvidenceConfig,
}

impl EpropEvidence {
    /// Check `config`.
    pub fn new(config: EpropEvidenceConfig) -> Result<Self> {
        count("task.n_cues", config.n_cues)?;
        count("task.channels_per_group", config.channels_per_group)?;
        check_dt_ms(config.dt_ms)?;
        for (field, value) in [
            ("task.cue_ms", config.cue_ms),
            ("task.cue_spacing_ms", config.cue_spacing_ms),
            ("task.recall_ms", config.recall_ms),
        ] {
            positive(field, value)?;
            in_range(field, value, 0.0, 1e5, "must be <= 1e5 ms")?;
        }
        in_range(
            "task.delay_ms",
            config.delay_ms,
            0.0,
            1e5,
            "must be in [0, 1e5] ms",
        )?;
        if config.cue_ms > config.cue_spacing_ms {
            return Err(Error::field(
                "task.cue_ms",
                config.cue_ms,
                "must be <= cue_spacing_ms",
            ));
        }
        for (field, rate) in [
            ("task.cue_rate_hz", config.cue_rate_hz),
            ("task.background_rate_hz", config.background_rate_hz),
        ] {
            in_range(
                field,
                rate * config.dt_ms / 1000.0,
                0.0,
                1.0,
                "must be in [0, 1000/dt_ms] Hz",
            )?;
        }
        in_range(
            "task.p_minority",
            config.p_minority,
            0.0,
            0.5,
            "must be in [0, 0.5]",
        )?;
        let task = EpropEvidence { config };
        count("task.n_cues", task.n_steps())?;
        Ok(task)
    }

    fn steps(&self, ms: f64) -> usize {
        (ms / self.config.dt_ms).round() as usize
    }

    /// Steps per trial.
    pub fn n_steps(&self) -> usize {
        self.steps(self.config.trial_ms())
    }

    /// A trial whose cue sides are `right` (true = right), inputs drawn from `rng`.
    pub fn trial_with_cues(&self, right: &[bool], rng: &mut SimRng) -> Trial {
        let c = &self.config;
        let (n_steps, group) = (self.n_steps(), c.channels_per_group);
        let recall_start = n_steps - self.steps(c.recall_ms);
        let (spacing, cue) = (self.steps(c.cue_spacing_ms), self.steps(c.cue_ms));
        let cue_p = (c.cue_rate_hz * c.dt_ms / 1000.0) as f32;
        let background_p = (c.background_rate_hz * c.dt_ms / 1000.0) as f32;
        let mut inputs = Array2::zeros((n_steps, 4 * group));
        for t in 0..n_steps {
            let active_cue = right
                .iter()
                .enumerate()
                .find(|(k, _)| t >= k * spacing + spacing - cue && t < (k + 1) * spacing)
                .map(|(_, side)| usize::from(*side));
            for g in 0..4 {
                let p = match g {
                    0 | 1 if active_cue == Some(g) => cue_p,
                    2 if t >= recall_start => cue_p,
                    3 => background_p,
                    _ => 0.0,
                };
                for ch in 0..group {
                    // always draw, so the stream does not depend on the cue layout
                    let fire = (rng.uniform() as f32) < p;
                    inputs[[t, g * group + ch]] = f32::from(u8::from(fire));
                }
            }
        }
        let rights = right.iter().filter(|r| **r).count();
        let class = usize::from(2 * rights > right.len());
        let (targets, mask) = binary_targets(n_steps, class, |t| t >= recall_start);
        let cues_end = right.len() * spacing;
        Trial {
            inputs,
            targets,
            mask,
            periods: vec![
                Period {
                    name: "cues".into(),
                    start: 0,
                    end: cues_end.min(recall_start),
                },
                Period {
                    name: "delay".into(),
                    start: cues_end.min(recall_start),
                    end: recall_start,
                },
                Period {
                    name: "recall".into(),
                    start: recall_start,
                    end: n_steps,
                },
            ],
            label: TrialLabel::Class(class),
            task_index: 0,
        }
    }
}

impl Task for EpropEvidence {
    fn spec(&self) -> TaskSpec {
        TaskSpec {
            id: "eprop-evidence".into(),
            name: "Evidence accumulation with spikes (e-prop)".into(),
            paper: EPROP.into(),
            n_inputs: 4 * self.config.channels_per_group,
            n_outputs: 2,
            dt_ms: self.config.dt_ms,
        }
    }

    fn trial(&self, rng: &mut SimRng) -> Trial {
        let favoured_right = rng.uniform() < 0.5;
        let right: Vec<bool> = (0..self.config.n_cues)
            .map(|_| {
                let minority = rng.uniform() < self.config.p_minority;
                favoured_right != minority
            })
            .collect();
        self.trial_with_cues(&right, rng)
    }

    fn score(&self, trial: &Trial, outputs: ArrayView2<f32>) -> f32 {
        let Some(recall) = trial.period("recall") else {
            return 0.0;
        };
        let window = outputs.slice(ndarray::s![recall.start..recall.end, ..]);
        let mean = |o: usize| window.column(o).sum();
        let wanted = match trial.label {
            TrialLabel::Class(c) => c,
            _ => return 0.0,
        };
        f32::from(u8::from(argmax2(mean(0), mean(1)) == wanted))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spytorch_samples_follow_the_tutorial() {
        let task = SpyTorchRandom::new(SpyTorchConfig::default()).unwrap();
        let spikes: f32 = task.samples.iter().map(|x| x.sum()).sum();
        // 256 × 100 × 200 × 0.005 = 25 600 expected spikes (std ≈ 160)
        assert!((spikes - 25_600.0).abs() < 800.0, "{spikes}");
        let ones = task.labels.iter().filter(|l| **l == 1).count();
        assert!((96..=160).contains(&ones), "{ones}");
        let trials = task.condition_trials(&mut SimRng::new(0)).unwrap();
        assert_eq!(trials.len(), 256);
        assert_eq!(trials[3].inputs, task.samples[3]);
        let e = SpyTorchRandom::new(SpyTorchConfig {
            rate_hz: 2000.0,
            ..Default::default()
        })
        .unwrap_err()
        .to_string();
        assert!(e.contains("task.rate_hz"), "{e}");
    }

    #[test]
    fn evidence_trials_follow_the_specification() {
        let task = EpropEvidence::new(EpropEvidenceConfig::default()).unwrap();
        assert_eq!(task.n_steps(), 2250);
        let right = [true, true, false, true, false, false, true];
        let trial = task.trial_with_cues(&right, &mut SimRng::new(4));
        assert_eq!(trial.label, TrialLabel::Class(1));
        let rate = |group: usize, from: usize, to: usize| {
            let block = trial
                .inputs
                .slice(ndarray::s![from..to, group * 10..(group + 1) * 10]);
            block.sum() as f64 * 1000.0 / (10.0 * (to - from) as f64)
        };
        // cue 0 (right) fires the right group during 50..150 ms, not the left
        assert_eq!(rate(0, 50, 150), 0.0);
        assert!(rate(1, 50, 150) > 10.0);
        // silences between cues, nothing from the cue groups during the delay
        assert_eq!(rate(0, 0, 50) + rate(1, 0, 50), 0.0);
        assert_eq!(rate(0, 1050, 2100) + rate(1, 1050, 2100), 0.0);
        // recall group only in the last 150 ms; background ≈ 10 Hz throughout
        assert_eq!(rate(2, 0, 2100), 0.0);
        assert!(rate(2, 2100, 2250) > 20.0);
        let background = rate(3, 0, 2250);
        assert!((background - 10.0).abs() < 3.0, "{background}");
        // scored only during the recall
        assert_eq!(trial.mask.column(0).sum(), 150.0);
        // the majority side is the label, over many trials about balanced
        let mut rng = SimRng::new(9);
        let ones = (0..200)
            .filter(|_| task.trial(&mut rng).label == TrialLabel::Class(1))
            .count();
        assert!((70..=130).contains(&ones), "{ones}");
    }
}
