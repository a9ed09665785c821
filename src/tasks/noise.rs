//! `bench-noise`: the benchmark workload of `shared/bench/README.md` as a task, so the
//! page (and the data-parallel benchmark) can train a run description of exactly that
//! shape: `n_trials` fixed trials of `n_steps` steps whose inputs and targets are i.i.d.
//! N(0, 1) (`n_inputs` and `n_outputs` channels), every entry scored. Nothing can be
//! learned beyond the trials' mean; the task exists to measure speed on the standard
//! shapes (T = 100, I = O = 33), not to be solved. Scoring is the recorded task's: the
//! fraction of entries within `tolerance` of the target.

use super::recorded::RecordedTask;
use super::{TaskSpec, Trial, TrialLabel};
use crate::error::{Error, Result};
use crate::rng::SimRng;
use ndarray::Array2;
use serde::{Deserialize, Serialize};

/// Largest number of stored values (inputs + targets + mask over every trial): 2²⁴
/// (64 MiB of f32), checked before anything is drawn.
const MAX_VALUES: usize = 1 << 24;

/// Options of `bench-noise` (the benchmark's T, I, O and batch by default).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NoiseConfig {
    /// Steps per trial T.
    pub n_steps: usize,
    /// Input channels I.
    pub n_inputs: usize,
    /// Output channels O.
    pub n_outputs: usize,
    /// Number of distinct fixed trials (drawn uniformly for each batch slot).
    pub n_trials: usize,
    /// Seed of the trials' values (stream "bench-noise").
    pub seed: u64,
    /// Score tolerance |output − target|.
    pub tolerance: f32,
    /// Time step (ms), only used to label time axes.
    pub dt_ms: f64,
}

impl Default for NoiseConfig {
    fn default() -> Self {
        NoiseConfig {
            n_steps: 100,
            n_inputs: 33,
            n_outputs: 33,
            n_trials: 32,
            seed: 1234,
            tolerance: 0.5,
            dt_ms: 20.0,
        }
    }
}

/// Build the task (errors name `task.<field>` and its value).
pub fn noise_task(config: &NoiseConfig) -> Result<RecordedTask> {
    let positive = |field: &'static str, value: usize, max: usize, expected| -> Result<()> {
        if value == 0 || value > max {
            return Err(Error::field(field, value, expected));
        }
        Ok(())
    };
    positive("n_steps", config.n_steps, 100_000, "must be in 1..=100000")?;
    positive("n_inputs", config.n_inputs, 4096, "must be in 1..=4096")?;
    positive("n_outputs", config.n_outputs, 4096, "must be in 1..=4096")?;
    positive(
        "n_trials",
        config.n_trials,
        100_000,
        "must be in 1..=100000",
    )?;
    if !(config.tolerance.is_finite() && config.tolerance > 0.0) {
        return Err(Error::field("tolerance", config.tolerance, "must be > 0"));
    }
    if !(config.dt_ms.is_finite() && config.dt_ms > 0.0) {
        return Err(Error::field("dt_ms", config.dt_ms, "must be > 0"));
    }
    let per_trial = config.n_steps * (config.n_inputs + 2 * config.n_outputs);
    if config.n_trials.saturating_mul(per_trial) > MAX_VALUES {
        return Err(Error::field(
            "n_trials",
            config.n_trials,
            "must keep n_trials × n_steps × (n_inputs + 2·n_outputs) within the limit of 2^24 stored values",
        ));
    }
    let mut rng = SimRng::derived(config.seed, "bench-noise");
    let mut normal = |rows: usize, cols: usize| {
        Array2::from_shape_simple_fn((rows, cols), || rng.normal() as f32)
    };
    let trials = (0..config.n_trials)
        .map(|_| Trial {
            inputs: normal(config.n_steps, config.n_inputs),
            targets: normal(config.n_steps, config.n_outputs),
            mask: Array2::ones((config.n_steps, config.n_outputs)),
            periods: Vec::new(),
            label: TrialLabel::Trace,
            task_index: 0,
        })
        .collect();
    let spec = TaskSpec {
        id: "bench-noise".into(),
        name: "Benchmark workload (noise regression)".into(),
        paper: "Benchmark (shared/bench)".into(),
        n_inputs: config.n_inputs,
        n_outputs: config.n_outputs,
        dt_ms: config.dt_ms,
    };
    RecordedTask::new(spec, trials, config.tolerance)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tasks::Task;

    #[test]
    fn trials_have_the_benchmark_shape_and_standard_normal_values() {
        let task = noise_task(&NoiseConfig::default()).unwrap();
        let spec = task.spec();
        assert_eq!((spec.n_inputs, spec.n_outputs), (33, 33));
        let trials = task.condition_trials(&mut SimRng::new(1)).unwrap();
        assert_eq!(trials.len(), 32);
        assert_eq!(trials[0].inputs.dim(), (100, 33));
        let values: Vec<f32> = trials
            .iter()
            .flat_map(|t| t.targets.iter().copied())
            .collect();
        let mean = values.iter().sum::<f32>() / values.len() as f32;
        let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f32>() / values.len() as f32;
        assert!(
            mean.abs() < 0.02 && (var - 1.0).abs() < 0.03,
            "mean {mean} var {var}"
        );
        assert!(trials.iter().all(|t| t.mask.iter().all(|m| *m == 1.0)));
    }

    #[test]
    fn bad_and_too_big_options_name_the_field() {
        let bad = |c: NoiseConfig| noise_task(&c).unwrap_err().to_string();
        let e = bad(NoiseConfig {
            n_steps: 0,
            ..NoiseConfig::default()
        });
        assert!(e.contains("n_steps"), "{e}");
        let e = bad(NoiseConfig {
            n_trials: 100_000,
            n_steps: 10_000,
            ..NoiseConfig::default()
        });
        assert!(e.contains("n_trials") && e.contains("limit"), "{e}");
        let e = bad(NoiseConfig {
            tolerance: f32::NAN,
            ..NoiseConfig::default()
        });
        assert!(e.contains("tolerance"), "{e}");
    }
}
