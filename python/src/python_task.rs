//! [`PythonTask`]: a task whose trials come from a Python callable `fn(seed) -> (inputs
//! [T, I], targets [T, O], mask [T, O])` (float32, C order; the Python package's
//! `sparse_rnn_lab.tasks` normalises user callables and neurogym environments to this).
//! Every trial is drawn from the trainer's seeded stream (the seed handed to the callable),
//! so a deterministic callable gives a deterministic run.
//!
//! [`Task::trial`] cannot fail, so an exception of the callable (or a trial of the wrong
//! shape) is kept in the shared [`ErrorSlot`] and the trial is replaced by an unscored
//! one-step trial; the session checks the slot after every call that draws trials and
//! raises the exception, and draws a training batch before it trains on it, so a failed
//! batch never reaches the weights.

use ndarray::{Array2, ArrayView2};
use numpy::{PyReadonlyArray2, PyUntypedArrayMethods};
use pyo3::prelude::*;
use sparse_rnn_lab::rng::SimRng;
use sparse_rnn_lab::tasks::{Task, TaskSpec, Trial, TrialLabel};
use std::sync::{Arc, Mutex};

/// The first exception raised while drawing trials, until the session takes it.
pub type ErrorSlot = Arc<Mutex<Option<PyErr>>>;

/// Largest seed handed to the callable (fits NumPy's and neurogym's seeding).
const SEED_RANGE: usize = 1 << 31;

/// How a trial's output is scored.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scoring {
    /// On each scored step (any mask > 0), the output's arg-max equals the target's.
    Argmax,
    /// Each scored entry's output has the target's sign.
    Sign,
    /// Each scored entry's output is within this distance of the target.
    Tolerance(f32),
}

/// A task backed by a Python callable.
pub struct PythonTask {
    function: Py<PyAny>,
    spec: TaskSpec,
    scoring: Scoring,
    errors: ErrorSlot,
}

impl PythonTask {
    /// Wrap `function` (already checked by the Python side to give `spec`'s shapes).
    pub fn new(function: Py<PyAny>, spec: TaskSpec, scoring: Scoring, errors: ErrorSlot) -> Self {
        PythonTask {
            function,
            spec,
            scoring,
            errors,
        }
    }

    fn call(&self, py: Python<'_>, seed: u64) -> PyResult<Trial> {
        let result = self.function.bind(py).call1((seed,))?;
        let (inputs, targets, mask): (
            PyReadonlyArray2<'_, f32>,
            PyReadonlyArray2<'_, f32>,
            PyReadonlyArray2<'_, f32>,
        ) = result.extract()?;
        let steps = inputs.shape()[0];
        let expected = [
            (inputs.shape(), self.spec.n_inputs, "inputs"),
            (targets.shape(), self.spec.n_outputs, "targets"),
            (mask.shape(), self.spec.n_outputs, "mask"),
        ];
        for (shape, channels, what) in expected {
            if shape != [steps, channels] || steps == 0 {
                return Err(crate::errors::config_error(
                    &format!("task {what}"),
                    format!(
                        "must have shape (T > 0, {channels}) with T = {steps}, but has {shape:?}"
                    ),
                ));
            }
        }
        let owned = |array: &PyReadonlyArray2<'_, f32>, channels: usize| -> PyResult<Array2<f32>> {
            let data = array.as_slice()?.to_vec();
            Array2::from_shape_vec((steps, channels), data)
                .map_err(|e| crate::errors::SrnnError::new_err(e.to_string()))
        };
        Ok(Trial {
            inputs: owned(&inputs, self.spec.n_inputs)?,
            targets: owned(&targets, self.spec.n_outputs)?,
            mask: owned(&mask, self.spec.n_outputs)?,
            periods: Vec::new(),
            label: TrialLabel::Trace,
            task_index: 0,
        })
    }

    fn placeholder(&self) -> Trial {
        Trial {
            inputs: Array2::zeros((1, self.spec.n_inputs)),
            targets: Array2::zeros((1, self.spec.n_outputs)),
            mask: Array2::zeros((1, self.spec.n_outputs)),
            periods: Vec::new(),
            label: TrialLabel::Trace,
            task_index: 0,
        }
    }
}

impl Task for PythonTask {
    fn spec(&self) -> TaskSpec {
        self.spec.clone()
    }

    fn trial(&self, rng: &mut SimRng) -> Trial {
        let seed = rng.below(SEED_RANGE) as u64;
        let result = Python::attach(|py| self.call(py, seed));
        result.unwrap_or_else(|error| {
            let mut slot = self.errors.lock().unwrap_or_else(|p| p.into_inner());
            slot.get_or_insert(error);
            self.placeholder()
        })
    }

    fn score(&self, trial: &Trial, outputs: ArrayView2<f32>) -> f32 {
        if outputs.dim() != trial.targets.dim() {
            return 0.0;
        }
        let (mut scored, mut right) = (0usize, 0usize);
        match self.scoring {
            Scoring::Argmax => {
                let argmax = |row: ndarray::ArrayView1<f32>| {
                    (0..row.len()).fold(0, |best, k| if row[k] > row[best] { k } else { best })
                };
                for t in 0..trial.n_steps() {
                    if trial.mask.row(t).iter().any(|m| *m > 0.0) {
                        scored += 1;
                        right +=
                            usize::from(argmax(outputs.row(t)) == argmax(trial.targets.row(t)));
                    }
                }
            }
            Scoring::Sign | Scoring::Tolerance(_) => {
                for ((out, target), mask) in outputs.iter().zip(&trial.targets).zip(&trial.mask) {
                    if *mask > 0.0 {
                        scored += 1;
                        right += usize::from(match self.scoring {
                            Scoring::Tolerance(tolerance) => (out - target).abs() <= tolerance,
                            _ => (*out > 0.0) == (*target > 0.0),
                        });
                    }
                }
            }
        }
        if scored == 0 {
            0.0
        } else {
            right as f32 / scored as f32
        }
    }
}
