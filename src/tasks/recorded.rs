//! [`RecordedTask`]: a task that replays a fixed list of recorded trials (reference data,
//! a benchmark batch, trials exported from other code). A trial is drawn uniformly from
//! the list; [`Task::condition_trials`] returns the whole list in order, so evaluation
//! scores every recorded trial once. Scoring: the fraction of scored entries (mask > 0)
//! whose output is within `tolerance` of the target.

use super::{Task, TaskSpec, Trial};
use crate::error::{Error, Result};
use crate::rng::SimRng;
use ndarray::ArrayView2;

/// Recorded trials with their spec.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedTask {
    spec: TaskSpec,
    trials: Vec<Trial>,
    tolerance: f32,
}

impl RecordedTask {
    /// Wrap `trials` (at least one; every trial's channel counts must match `spec`).
    pub fn new(spec: TaskSpec, trials: Vec<Trial>, tolerance: f32) -> Result<Self> {
        if trials.is_empty() {
            return Err(Error::field("trials", 0, "must hold at least one trial"));
        }
        for trial in &trials {
            let shape = (trial.inputs.ncols(), trial.targets.ncols());
            if shape != (spec.n_inputs, spec.n_outputs) || trial.mask.dim() != trial.targets.dim() {
                return Err(Error::Shape {
                    what: "recorded trial",
                    expected: format!("{} inputs, {} outputs", spec.n_inputs, spec.n_outputs),
                    actual: format!("{} inputs, {} outputs", shape.0, shape.1),
                });
            }
        }
        Ok(RecordedTask {
            spec,
            trials,
            tolerance,
        })
    }
}

impl Task for RecordedTask {
    fn spec(&self) -> TaskSpec {
        self.spec.clone()
    }

    fn trial(&self, rng: &mut SimRng) -> Trial {
        self.trials[rng.below(self.trials.len())].clone()
    }

    fn condition_trials(&self, _rng: &mut SimRng) -> Option<Vec<Trial>> {
        Some(self.trials.clone())
    }

    fn n_conditions(&self) -> Option<usize> {
        Some(self.trials.len())
    }

    fn score(&self, trial: &Trial, outputs: ArrayView2<f32>) -> f32 {
        if outputs.dim() != trial.targets.dim() {
            return 0.0;
        }
        let (mut scored, mut close) = (0usize, 0usize);
        for ((out, target), mask) in outputs.iter().zip(&trial.targets).zip(&trial.mask) {
            if *mask > 0.0 {
                scored += 1;
                close += usize::from((out - target).abs() <= self.tolerance);
            }
        }
        if scored == 0 {
            0.0
        } else {
            close as f32 / scored as f32
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tasks::TrialLabel;
    use ndarray::{array, Array2};

    fn trial(target: f32) -> Trial {
        Trial {
            inputs: Array2::ones((3, 2)),
            targets: Array2::from_elem((3, 1), target),
            mask: array![[0.0], [1.0], [1.0]],
            periods: Vec::new(),
            label: TrialLabel::Trace,
            task_index: 0,
        }
    }

    fn spec() -> TaskSpec {
        TaskSpec {
            id: "recorded".into(),
            name: "Recorded".into(),
            paper: String::new(),
            n_inputs: 2,
            n_outputs: 1,
            dt_ms: 20.0,
        }
    }

    #[test]
    fn scores_the_masked_entries_within_tolerance_and_replays_every_trial() {
        let task = RecordedTask::new(spec(), vec![trial(1.0), trial(-1.0)], 0.1).unwrap();
        let t = trial(1.0);
        assert_eq!(task.score(&t, array![[9.0], [1.05], [1.2]].view()), 0.5);
        assert_eq!(task.score(&t, array![[9.0], [1.0], [0.95]].view()), 1.0);
        let all = task.condition_trials(&mut SimRng::new(1)).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[1].targets[[0, 0]], -1.0);
        assert!(RecordedTask::new(spec(), Vec::new(), 0.1).is_err());
        let mut wrong = trial(1.0);
        wrong.inputs = Array2::ones((3, 5));
        assert!(RecordedTask::new(spec(), vec![wrong], 0.1).is_err());
    }
}
