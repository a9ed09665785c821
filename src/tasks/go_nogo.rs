//! Kim, Li & Sejnowski 2019's Go/NoGo task (`rkim35/spikeRNN`,
//! `generate_input_stim_go_nogo` / `generate_target_continuous_go_nogo`): one input
//! channel that carries a pulse of 1 on Go trials (nothing on NoGo trials) from
//! `stim_on_ms` for `stim_ms`; the one output should rise to 1 after the pulse on Go
//! trials and stay at 0 on NoGo trials (mean squared error over the whole trial). The
//! authors' rate network runs 200 steps of 5 ms (the pulse at steps 50–75); the
//! time step here is an option so the same trials drive a spiking network at 1 ms.
//! Scored here (our reading, the authors' score is their output trace) by the mean output
//! over the response window: above 0.5 on Go, below 0.5 on NoGo.

use super::{Period, Task, TaskSpec, Trial, TrialLabel};
use crate::error::{in_range, positive, Result};
use crate::rng::SimRng;
use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

/// Options of the Go/NoGo task (defaults: the authors' 1 s trial).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GoNoGoConfig {
    /// Trial length in ms (1000: 200 steps of 5 ms).
    pub trial_ms: f64,
    /// Pulse onset in ms (250).
    pub stim_on_ms: f64,
    /// Pulse duration in ms (125).
    pub stim_ms: f64,
    /// Time step in ms (5).
    pub dt_ms: f64,
}

impl Default for GoNoGoConfig {
    fn default() -> Self {
        GoNoGoConfig {
            trial_ms: 1000.0,
            stim_on_ms: 250.0,
            stim_ms: 125.0,
            dt_ms: 5.0,
        }
    }
}

/// The Go/NoGo task.
#[derive(Debug, Clone)]
pub struct GoNoGo {
    config: GoNoGoConfig,
    n_steps: usize,
    stim_on: usize,
    stim_off: usize,
}

impl GoNoGo {
    /// Check `config` (`task.<field>` errors).
    pub fn new(config: GoNoGoConfig) -> Result<Self> {
        positive("task.dt_ms", config.dt_ms)?;
        in_range(
            "task.trial_ms",
            config.trial_ms,
            config.dt_ms,
            1e6,
            "must be in [dt_ms, 1e6] ms",
        )?;
        in_range(
            "task.stim_on_ms",
            config.stim_on_ms,
            0.0,
            config.trial_ms,
            "must be within the trial",
        )?;
        in_range(
            "task.stim_ms",
            config.stim_ms,
            config.dt_ms,
            config.trial_ms - config.stim_on_ms - config.dt_ms,
            "must be >= dt_ms and end before the trial does",
        )?;
        let steps = |ms: f64| (ms / config.dt_ms).round() as usize;
        Ok(GoNoGo {
            n_steps: steps(config.trial_ms),
            stim_on: steps(config.stim_on_ms),
            stim_off: steps(config.stim_on_ms + config.stim_ms),
            config,
        })
    }

    /// The Go (`go` true) or NoGo trial.
    pub fn make(&self, go: bool) -> Trial {
        let mut inputs = Array2::zeros((self.n_steps, 1));
        let mut targets = Array2::zeros((self.n_steps, 1));
        for t in 0..self.n_steps {
            if go && (self.stim_on..self.stim_off).contains(&t) {
                inputs[[t, 0]] = 1.0;
            }
            if go && t >= self.stim_off {
                targets[[t, 0]] = 1.0;
            }
        }
        Trial {
            inputs,
            targets,
            mask: Array2::ones((self.n_steps, 1)),
            periods: vec![
                Period {
                    name: "fixation".into(),
                    start: 0,
                    end: self.stim_on,
                },
                Period {
                    name: "stimulus".into(),
                    start: self.stim_on,
                    end: self.stim_off,
                },
                Period {
                    name: "response".into(),
                    start: self.stim_off,
                    end: self.n_steps,
                },
            ],
            label: TrialLabel::Class(usize::from(go)),
            task_index: 0,
        }
    }
}

impl Task for GoNoGo {
    fn spec(&self) -> TaskSpec {
        TaskSpec {
            id: "kim-go-nogo".into(),
            name: "Go/NoGo (Kim et al. 2019)".into(),
            paper: "Kim, Li & Sejnowski 2019, PNAS".into(),
            n_inputs: 1,
            n_outputs: 1,
            dt_ms: self.config.dt_ms,
        }
    }

    fn trial(&self, rng: &mut SimRng) -> Trial {
        self.make(rng.uniform() < 0.5)
    }

    fn score(&self, trial: &Trial, outputs: ArrayView2<f32>) -> f32 {
        let window = self.stim_off..self.n_steps.min(outputs.nrows());
        let n = window.len().max(1) as f32;
        let mean = window.map(|t| outputs[[t, 0]]).sum::<f32>() / n;
        let go = trial.label == TrialLabel::Class(1);
        f32::from(u8::from((mean > 0.5) == go))
    }

    fn condition_trials(&self, _rng: &mut SimRng) -> Option<Vec<Trial>> {
        Some(vec![self.make(false), self.make(true)])
    }

    fn n_conditions(&self) -> Option<usize> {
        Some(2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_has_the_pulse_and_the_late_target_nogo_has_neither() {
        let task = GoNoGo::new(GoNoGoConfig::default()).unwrap();
        let go = task.make(true);
        let nogo = task.make(false);
        assert_eq!(go.n_steps(), 200);
        assert_eq!(go.inputs.sum(), 25.0);
        assert_eq!(go.inputs[[50, 0]], 1.0);
        assert_eq!(go.inputs[[75, 0]], 0.0);
        assert_eq!(go.targets[[74, 0]], 0.0);
        assert_eq!(go.targets[[75, 0]], 1.0);
        assert_eq!(nogo.inputs.sum() + nogo.targets.sum(), 0.0);
        assert_eq!(task.score(&go, go.targets.view()), 1.0);
        assert_eq!(task.score(&nogo, go.targets.view()), 0.0);
        assert!(GoNoGo::new(GoNoGoConfig {
            stim_ms: 2000.0,
            ..GoNoGoConfig::default()
        })
        .is_err());
    }
}
