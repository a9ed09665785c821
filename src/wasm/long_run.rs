//! The [`Simulator`] side of the page's long runs ([`crate::lab::long_run`]: "train until"
//! the mean per-task score reaches a target, per-task curves, time estimates) and of
//! Yang et al.'s task-variance analysis ([`crate::analysis::task_variance`], drawn by
//! [`crate::plot::task_variance_map`]). The record stays in wasm memory; the worker posts
//! its chart only when a point was added.

use super::json::{json_arg, to_js};
use super::simulator::Simulator;
use crate::analysis::{task_variance, TaskVariance, TaskVarianceConfig};
use crate::budget::check_evaluation;
use crate::error::Error;
use crate::lab::eval::Evaluation;
use crate::lab::long_run::{Finish, LongRun, LongRunConfig};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Result of [`Simulator::long_run_evaluate`].
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LongRunPoint {
    step: usize,
    mean: f64,
    /// `{task, score, trials, ci95: [low, high]}` per task.
    per_task: Vec<crate::lab::eval::TaskScore>,
    /// `"criterion"`, `"step-cap"` or absent while the run goes on.
    #[serde(skip_serializing_if = "Option::is_none")]
    finished: Option<Finish>,
    /// The evaluation (loss, accuracy on the shared batch), as `evaluate` returns it.
    accuracy: f32,
    loss: f32,
}

/// Result of [`Simulator::long_run_start`] and [`Simulator::long_run_restore`].
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LongRunState {
    /// The settings (`target`, `max_steps`, `per_task_trials`, `eval_every`).
    config: LongRunConfig,
    /// Points in the curve.
    points: usize,
    /// Training seconds of the latest point (where the clock continues).
    elapsed_seconds: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    finished: Option<Finish>,
}

impl Simulator {
    fn long_run_state(&self) -> Result<JsValue, JsError> {
        let Some(run) = &self.long_run else {
            return Ok(JsValue::UNDEFINED);
        };
        Ok(to_js(&LongRunState {
            config: run.config.clone(),
            points: run.points.len(),
            elapsed_seconds: run.elapsed_seconds(),
            finished: run.finished,
        })?)
    }

    /// The reply of `longRunEvaluate` after `result` was recorded.
    fn long_run_point(&self, result: Evaluation) -> Result<JsValue, JsError> {
        let run = self.long_run.as_ref();
        let point = run.and_then(|run| run.points.last());
        let finished = run.and_then(|run| run.finished);
        let task = self.session.trainer.task.as_ref();
        let per_task = result.per_task.unwrap_or_else(|| {
            vec![crate::lab::eval::TaskScore {
                task: task.spec().id,
                score: result.accuracy,
                trials: 0,
                ci95: (0.0, 1.0),
            }]
        });
        Ok(to_js(&LongRunPoint {
            step: point.map_or(0, |p| p.step),
            mean: point.map_or(0.0, |p| p.mean),
            per_task,
            finished,
            accuracy: result.accuracy,
            loss: result.loss,
        })?)
    }

    fn long_run_mut(&mut self) -> Result<&mut LongRun, JsError> {
        self.long_run
            .as_mut()
            .ok_or_else(|| JsError::new("no long run: call longRunStart first"))
    }
}

#[wasm_bindgen]
impl Simulator {
    /// Start (or continue) a long run with `settings = {target, max_steps,
    /// per_task_trials, eval_every}` (omitted fields: 0.9, 20000, 512, 250). A record with
    /// the same settings but perhaps another cap (a restored one) is continued (one that
    /// stopped at its cap goes on when the cap is now higher); other settings start a new
    /// curve. Returns `{config, points,
    /// elapsedSeconds, finished}`; throws naming a bad field.
    #[wasm_bindgen(js_name = longRunStart)]
    pub fn long_run_start(&mut self, settings: JsValue) -> Result<JsValue, JsError> {
        let mut value = json_arg(&settings, "settings", "")?;
        let defaults = serde_json::to_value(LongRunConfig::default())?;
        if let (Some(map), Some(base)) = (value.as_object_mut(), defaults.as_object()) {
            for (key, default) in base {
                map.entry(key.clone()).or_insert_with(|| default.clone());
            }
        }
        let config: LongRunConfig = serde_json::from_value(value).map_err(|e| {
            JsError::new(&format!(
                "invalid long-run settings: {e} (fields: target, max_steps, per_task_trials, eval_every)"
            ))
        })?;
        config.check()?;
        let keep = self
            .long_run
            .as_ref()
            .is_some_and(|run| run.config == config);
        if !keep {
            self.long_run = Some(LongRun::for_session(config, &self.session)?);
        }
        self.long_run_state()
    }

    /// Put back a record stored with the autosaved model (`longRunRecord`), cut to the
    /// model's step; `record` is the object `longRunRecord` returned (or its JSON text, as
    /// autosaves before 2026-12-02 stored it). Returns the state as `longRunStart` does;
    /// throws (keeping no record) for a malformed one.
    #[wasm_bindgen(js_name = longRunRestore)]
    pub fn long_run_restore(&mut self, record: JsValue) -> Result<JsValue, JsError> {
        self.long_run = None;
        let record = json_arg(&record, "long-run record", "long-run record")?;
        let run = LongRun::restore(&record.to_string(), self.session.steps_done())?;
        let tasks = LongRun::for_session(run.config.clone(), &self.session)?.tasks;
        if tasks != run.tasks {
            return Err(Error::field(
                "long-run record",
                run.tasks.join(","),
                "lists other tasks than this run's",
            )
            .into());
        }
        self.long_run = Some(run);
        self.long_run_state()
    }

    /// Evaluate each task on its own `per_task_trials` trials and add the point (at
    /// `elapsedSeconds` of training time): `{step, mean, perTask: [{task, score, trials,
    /// ci95}], finished, accuracy, loss}`.
    #[wasm_bindgen(js_name = longRunEvaluate)]
    pub fn long_run_evaluate(&mut self, elapsed_seconds: f64) -> Result<JsValue, JsError> {
        let seconds = clock_seconds(elapsed_seconds);
        let mut run = self.long_run_mut()?.clone();
        let result = run.evaluate(&mut self.session, seconds)?;
        self.long_run = Some(run);
        self.long_run_point(result)
    }

    /// Score tasks `first .. first + count` of the mixture, each on its own `perTaskTrials`
    /// trials with this Simulator's current parameters (the streams `longRunEvaluate`
    /// uses, so any split of the tasks over workers gives the same bits): a
    /// `Float32Array` of `count` scores in task order. A data-parallel worker answers the
    /// coordinator's `scoreTasks` with it; the coordinator scores its own range too and
    /// records the merged scores with `longRunEvaluateScored`. Throws naming `first` or
    /// `count` (outside the tasks, or not a mixture) or `per_task_trials`.
    #[wasm_bindgen(js_name = scoreTasks)]
    pub fn score_tasks(
        &self,
        first: usize,
        count: usize,
        per_task_trials: usize,
    ) -> Result<js_sys::Float32Array, JsError> {
        let scores = self.session.score_tasks(first, count, per_task_trials)?;
        let values: Vec<f32> = scores.iter().map(|s| s.score).collect();
        Ok(js_sys::Float32Array::from(values.as_slice()))
    }

    /// `longRunEvaluate` with the per-task scores computed elsewhere: `scores` holds every
    /// task's score in task order (the `scoreTasks` ranges of the workers, joined), each
    /// with the run's `per_task_trials` and the current parameters. Simulates only the
    /// shared batch here, records the point (at `elapsedSeconds` of training time) and
    /// returns what `longRunEvaluate` returns — for the same parameters the same point, bit
    /// for bit. Throws without a long run, or naming `scores` when they are not one per
    /// task of a mixture.
    #[wasm_bindgen(js_name = longRunEvaluateScored)]
    pub fn long_run_evaluate_scored(
        &mut self,
        scores: &[f32],
        elapsed_seconds: f64,
    ) -> Result<JsValue, JsError> {
        let seconds = clock_seconds(elapsed_seconds);
        let mut run = self.long_run_mut()?.clone();
        let result = run.evaluate_scored(&mut self.session, scores, seconds)?;
        self.long_run = Some(run);
        self.long_run_point(result)
    }

    /// The time estimates (`{step, mean, elapsed_seconds, steps_per_second,
    /// seconds_to_cap, steps_to_criterion, seconds_to_criterion}`), or `undefined`
    /// before the first evaluation.
    #[wasm_bindgen(js_name = longRunEstimate)]
    pub fn long_run_estimate(&self) -> Result<JsValue, JsError> {
        match self.long_run.as_ref().and_then(LongRun::estimate) {
            Some(estimate) => Ok(to_js(&estimate)?),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// The per-task curves as a chart for `drawChart` (`undefined` without a long run).
    #[wasm_bindgen(js_name = longRunChart)]
    pub fn long_run_chart(&self) -> Result<JsValue, JsError> {
        match &self.long_run {
            Some(run) => Ok(to_js(&run.chart())?),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// The record as a plain object (to store beside the model file), or `undefined`.
    #[wasm_bindgen(js_name = longRunRecord)]
    pub fn long_run_record(&self) -> Result<JsValue, JsError> {
        match &self.long_run {
            Some(run) => Ok(to_js(run)?),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// Yang et al.'s task-variance analysis of the current network on its task's
    /// components, `trialsPerTask` trials each (2..=4096; Yang-claim setting 64): the
    /// record for `drawTaskVariance` (`{tasks, units, normalised, labels, k, silhouette,
    /// silhouettes, cluster_map, order}`). Refused (naming `trialsPerTask`) when the
    /// trials would not fit the memory budget.
    #[wasm_bindgen(js_name = taskVariance)]
    pub fn task_variance(&self, trials_per_task: u32) -> Result<JsValue, JsError> {
        let trainer = &self.session.trainer;
        let network = &trainer.network;
        let task = trainer.task.as_ref();
        check_evaluation(
            &network.config,
            network.w_rec.nnz(),
            task,
            trials_per_task as usize,
            "trialsPerTask",
            None,
            &self.session.limits,
        )?;
        let config = TaskVarianceConfig {
            trials_per_task: trials_per_task as usize,
            seed: trainer.config.seed,
            ..Default::default()
        };
        let record = task_variance(network, task, &config)?;
        Ok(to_js(&record)?)
    }

    /// Draw a `taskVariance` record into canvas `canvasId` (units × tasks by cluster, and
    /// the task × cluster map). Throws for a malformed record or a missing canvas.
    #[wasm_bindgen(js_name = drawTaskVariance)]
    pub fn draw_task_variance(record: JsValue, canvas_id: &str) -> Result<(), JsError> {
        let record: TaskVariance = serde_wasm_bindgen::from_value(record)
            .map_err(|e| JsError::new(&format!("invalid task-variance record: {e}")))?;
        check_record(&record)?;
        let area = super::draw::area(canvas_id, "canvasId")?;
        crate::plot::task_variance_map(&area, &record)?;
        Ok(())
    }
}

/// Training seconds from the page's clock (0 for a non-finite or negative value).
fn clock_seconds(elapsed_seconds: f64) -> f64 {
    if elapsed_seconds.is_finite() {
        elapsed_seconds.max(0.0)
    } else {
        0.0
    }
}

/// Refuse a record whose indices would make the plot read out of bounds.
fn check_record(record: &TaskVariance) -> Result<(), Error> {
    let n_tasks = record.tasks.len();
    let rows = record.normalised.len();
    let bad_row = record.normalised.iter().any(|r| r.len() != n_tasks);
    let bad_order = record
        .order
        .iter()
        .any(|i| *i >= rows || *i >= record.labels.len());
    let bad_map = record.cluster_map.len() != n_tasks
        || record.cluster_map.iter().any(|r| r.len() != record.k);
    if bad_row || bad_order || bad_map || record.k > 64 {
        return Err(Error::field(
            "record",
            format!("{n_tasks} tasks, {rows} rows, k {}", record.k),
            "is inconsistent (rows, order, labels and cluster_map must match tasks and k)",
        ));
    }
    Ok(())
}
