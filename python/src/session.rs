//! `_native.Session`: the core's [`Session`] (the one `srnn train` and the page train
//! through) behind a Python class. Training and evaluation release the GIL; the Python
//! package's `sparse_rnn_lab.Session` adds progress bars, `until_mean` and dict inputs.

use crate::arrays::{array, network_arrays, set_weights};
use crate::errors::{config_error, to_py, SrnnError};
use crate::python_task::{ErrorSlot, PythonTask, Scoring};
use numpy::PyArray1;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use serde_json::Value;
use sparse_rnn_lab::lab::session::Session as CoreSession;
use sparse_rnn_lab::rng::SimRng;
use sparse_rnn_lab::tasks::ob_gt::neurogym_arrays;
use sparse_rnn_lab::tasks::TaskSpec;
use std::sync::{Arc, Mutex};

/// One training run (see the module docs).
#[pyclass(module = "sparse_rnn_lab._native")]
pub struct Session {
    inner: CoreSession,
    /// Exceptions of a Python-defined task (`None` for registry tasks).
    task_errors: Option<ErrorSlot>,
}

fn parse_json(field: &str, text: &str) -> PyResult<Value> {
    serde_json::from_str(text).map_err(|e| config_error(field, format!("must be JSON ({e})")))
}

fn to_json<T: serde::Serialize>(value: &T) -> PyResult<String> {
    serde_json::to_string(value).map_err(|e| SrnnError::new_err(e.to_string()))
}

impl Session {
    /// Raise the first exception a Python task raised since the last check.
    fn check_task(&self) -> PyResult<()> {
        if let Some(slot) = &self.task_errors {
            let taken = slot.lock().unwrap_or_else(|p| p.into_inner()).take();
            if let Some(error) = taken {
                return Err(error);
            }
        }
        Ok(())
    }
}

#[pymethods]
impl Session {
    /// `run_json`: a run description; `task`: `None` (the description's registry task) or
    /// `(function, spec_json, scoring, tolerance)` for a Python-defined task, `spec_json`
    /// = `{"id", "name", "n_inputs", "n_outputs", "dt_ms"}`, `scoring` = "argmax", "sign"
    /// or "tolerance". `threads`: training threads (default: every core, as `srnn train`).
    #[new]
    #[pyo3(signature = (run_json, task = None, threads = None))]
    fn new(
        run_json: &str,
        task: Option<(Py<PyAny>, String, String, f32)>,
        threads: Option<usize>,
    ) -> PyResult<Self> {
        let config = parse_json("run", run_json)?;
        let (inner, task_errors) = match task {
            None => (CoreSession::new(config).map_err(to_py)?, None),
            Some((function, spec_json, scoring, tolerance)) => {
                let spec = parse_json("task spec", &spec_json)?;
                let spec: TaskSpec = serde_json::from_value(spec)
                    .map_err(|e| config_error("task spec", e.to_string()))?;
                let scoring = match scoring.as_str() {
                    "argmax" => Scoring::Argmax,
                    "sign" => Scoring::Sign,
                    "tolerance" if tolerance.is_finite() && tolerance >= 0.0 => {
                        Scoring::Tolerance(tolerance)
                    }
                    "tolerance" => {
                        return Err(config_error(
                            "tolerance",
                            format!("must be a finite number >= 0, but is {tolerance}"),
                        ))
                    }
                    other => {
                        return Err(config_error(
                            "score",
                            format!("must be one of argmax, sign, tolerance, but is \"{other}\""),
                        ))
                    }
                };
                let slot: ErrorSlot = Arc::new(Mutex::new(None));
                let task = PythonTask::new(function, spec, scoring, slot.clone());
                let built = CoreSession::with_task(config, Box::new(task));
                if let Some(error) = slot.lock().unwrap_or_else(|p| p.into_inner()).take() {
                    return Err(error);
                }
                (built.map_err(to_py)?, Some(slot))
            }
        };
        let mut session = Session { inner, task_errors };
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let threads = threads.unwrap_or(cores);
        if threads == 0 {
            return Err(config_error(
                "threads",
                "must be >= 1, but is 0".to_string(),
            ));
        }
        session.inner.trainer.set_threads(threads);
        Ok(session)
    }

    /// Train `steps` (≥ 1) steps with the GIL released; `(step, loss, grad_norm)` of the
    /// last. A Python task's batch is drawn (with the GIL) before each step trains on it.
    fn train_chunk(&mut self, py: Python<'_>, steps: usize) -> PyResult<(usize, f32, f32)> {
        if steps == 0 {
            return Err(config_error("steps", "must be >= 1, but is 0".to_string()));
        }
        let stats = if self.task_errors.is_none() {
            let inner = &mut self.inner;
            py.detach(|| inner.train(steps)).map_err(to_py)?
        } else {
            let mut last = None;
            for _ in 0..steps {
                let batch = self.inner.trainer.next_batch().map_err(to_py)?;
                self.check_task()?;
                let trainer = &mut self.inner.trainer;
                last = Some(
                    py.detach(|| trainer.train_on_batch(&batch))
                        .map_err(to_py)?,
                );
            }
            let mut stats = last.expect("steps >= 1");
            stats.step = self.inner.steps_done();
            stats
        };
        Ok((stats.step, stats.loss, stats.grad_norm))
    }

    /// Evaluate on the fixed evaluation trials (`n_trials`; each component of a mixture on
    /// its own `per_task_trials` when given), as `srnn train` does; the result as JSON
    /// (`loss`, `accuracy`, `late_accuracy`, `per_task`).
    #[pyo3(signature = (n_trials = 512, per_task_trials = None))]
    fn evaluate_json(
        &mut self,
        py: Python<'_>,
        n_trials: usize,
        per_task_trials: Option<usize>,
    ) -> PyResult<String> {
        self.inner.per_task_trials = per_task_trials;
        let inner = &mut self.inner;
        let result = py.detach(|| inner.evaluate(n_trials));
        self.check_task()?;
        to_json(&result.map_err(to_py)?)
    }

    /// Steps trained so far.
    #[getter]
    fn step(&self) -> usize {
        self.inner.steps_done()
    }

    /// The run description (JSON).
    #[getter]
    fn run_json(&self) -> PyResult<String> {
        to_json(&self.inner.config)
    }

    /// The training loss of every step (NumPy float32).
    #[getter]
    fn loss_history<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f32>> {
        PyArray1::from_vec(py, self.inner.trainer.loss_history.clone())
    }

    /// `(step, accuracy)` of every evaluation.
    #[getter]
    fn accuracy_history(&self) -> Vec<(usize, f32)> {
        self.inner.accuracy.clone()
    }

    /// The task's static facts (JSON: id, name, paper, n_inputs, n_outputs, dt_ms).
    #[getter]
    fn task_spec_json(&self) -> PyResult<String> {
        to_json(&self.inner.trainer.task.spec())
    }

    /// The network under the `.npz` export's keys (see `arrays.rs`).
    fn weights<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let inner = &self.inner;
        network_arrays(
            py,
            &inner.trainer.network,
            &inner.config,
            inner.steps_done(),
        )
    }

    /// Set weights from a dict under [`Session::weights`]' keys (any subset of `W_in`,
    /// `W_rec`, `W_out`, `b_rec`); the optimizer's state is kept.
    fn set_weights(&mut self, weights: &Bound<'_, PyDict>) -> PyResult<()> {
        set_weights(&mut self.inner.trainer.network, weights)
    }

    /// One trial of the task drawn from stream "snapshot" of `seed` (default: the run's
    /// seed, the trial the page plots): `ob` `[T, I]`, `gt` (neurogym's int actions `[T]`
    /// for the Yang / Mod-Cog layout, else `None`), `targets`, `mask` `[T, O]` and
    /// `periods` (name → (start, end)).
    #[pyo3(signature = (seed = None))]
    fn trial<'py>(&self, py: Python<'py>, seed: Option<u64>) -> PyResult<Bound<'py, PyDict>> {
        let seed = seed.unwrap_or(self.inner.eval_seed());
        let trial = self
            .inner
            .trainer
            .task
            .trial(&mut SimRng::derived(seed, "snapshot"));
        self.check_task()?;
        let (steps, inputs, outputs) =
            (trial.n_steps(), trial.inputs.ncols(), trial.targets.ncols());
        let flat = |a: &ndarray::Array2<f32>| a.iter().copied().collect::<Vec<f32>>();
        let dict = PyDict::new(py);
        dict.set_item("ob", array(py, flat(&trial.inputs), &[steps, inputs])?)?;
        match neurogym_arrays(&trial) {
            Ok((_, gt)) => dict.set_item("gt", PyArray1::from_vec(py, gt))?,
            Err(_) => dict.set_item("gt", py.None())?,
        }
        dict.set_item(
            "targets",
            array(py, flat(&trial.targets), &[steps, outputs])?,
        )?;
        dict.set_item("mask", array(py, flat(&trial.mask), &[steps, outputs])?)?;
        let periods = PyDict::new(py);
        for period in &trial.periods {
            periods.set_item(&period.name, (period.start, period.end))?;
        }
        dict.set_item("periods", periods)?;
        Ok(dict)
    }

    /// The model file's text (the page's "Save model" format).
    fn model_text(&self) -> String {
        sparse_rnn_lab::persist::save_model(&self.inner.trainer.network, self.inner.steps_done())
    }

    /// The `.npz` export `srnn train --npz` writes (network, run, the plotted trial).
    fn npz_bytes(&self) -> PyResult<Vec<u8>> {
        let bytes = sparse_rnn_lab::lab::export::export_session_npz(&self.inner);
        self.check_task()?;
        bytes.map_err(to_py)
    }

    /// The per-component scores of the latest evaluation of a mixture.
    #[getter]
    fn per_task<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, self.inner.per_task.iter().cloned())
    }
}
