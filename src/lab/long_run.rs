//! Long runs: "train until" a criterion — the mean of the per-task scores of a mixture
//! (each task on its own trials, Yang et al.'s test) reaches a target, or a step cap — and
//! the record of such a run: the per-task learning curves, the elapsed training time and
//! the estimates of the time left. Platform-free: the page's worker (through the wasm
//! `Simulator`) and `srnn train --until-mean` keep the same [`LongRun`] and evaluate with
//! the same [`Session::evaluate`], so the same run description gives the same curve.
//!
//! The record is small (tasks × evaluations numbers) and serialisable: the page stores it
//! beside its autosaved model and continues the same curve after a reload.

use super::eval::{check_per_task_trials, Evaluation, TaskScore, DEFAULT_EVAL_TRIALS};
use super::session::Session;
use crate::error::{Error, Result};
use crate::plot::{Chart, Series};
use serde::{Deserialize, Serialize};

/// Evaluations the time-to-criterion projection fits its trend line to (at most).
pub const TREND_POINTS: usize = 5;
/// Evaluations needed before there is a projection (two points are just a chord from the
/// untrained network, which overstates the early rise).
pub const MIN_TREND_POINTS: usize = 3;
/// Most evaluations a record keeps (a longer run drops every other old point).
pub const MAX_POINTS: usize = 2000;

/// What a long run trains until, and how it measures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LongRunConfig {
    /// Stop when the mean per-task score is at least this (Yang et al.: 0.9).
    pub target: f64,
    /// Stop at this step at the latest (steps counted from the start of training).
    pub max_steps: usize,
    /// Trials each task is scored on (Yang et al.'s code: 512).
    pub per_task_trials: usize,
    /// Evaluate every this many steps (and at the step cap).
    pub eval_every: usize,
}

impl Default for LongRunConfig {
    fn default() -> Self {
        LongRunConfig {
            target: 0.9,
            max_steps: 20_000,
            per_task_trials: 512,
            eval_every: 250,
        }
    }
}

impl LongRunConfig {
    /// Refuse settings outside their ranges, naming the field and its value.
    pub fn check(&self) -> Result<()> {
        if !(self.target > 0.0 && self.target <= 1.0) {
            return Err(Error::field("target", self.target, "must be in (0, 1]"));
        }
        if self.max_steps == 0 || self.max_steps > 10_000_000 {
            return Err(Error::field(
                "max_steps",
                self.max_steps,
                "must be in 1..=10000000",
            ));
        }
        check_per_task_trials(self.per_task_trials)?;
        if self.eval_every == 0 || self.eval_every > self.max_steps {
            return Err(Error::field(
                "eval_every",
                self.eval_every,
                "must be in 1..=max_steps",
            ));
        }
        Ok(())
    }
}

/// One evaluation of a long run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurvePoint {
    /// Training steps done.
    pub step: usize,
    /// Mean of the per-task scores (the task's own score for a single task).
    pub mean: f64,
    /// Score of each task (same order as [`LongRun::tasks`]).
    pub scores: Vec<f32>,
    /// 95 % Wilson interval of each score.
    pub ci95: Vec<(f64, f64)>,
    /// Training wall time so far, seconds (evaluations included).
    pub seconds: f64,
}

/// Why a long run stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Finish {
    /// The mean per-task score reached the target.
    Criterion,
    /// The step cap came first.
    StepCap,
}

/// The record of a long run: its settings, task ids and curve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LongRun {
    /// The settings.
    pub config: LongRunConfig,
    /// Task ids (one per component of a mixture, else the task's id).
    pub tasks: Vec<String>,
    /// Every evaluation so far, in step order.
    pub points: Vec<CurvePoint>,
    /// Set once the run stopped.
    pub finished: Option<Finish>,
}

/// Time estimates of a long run (see [`LongRun::estimate`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    /// Steps done at the latest evaluation.
    pub step: usize,
    /// Latest mean per-task score.
    pub mean: f64,
    /// Training wall time at the latest evaluation, seconds.
    pub elapsed_seconds: f64,
    /// Training steps per second over the recent evaluations (evaluations included).
    pub steps_per_second: f64,
    /// Seconds until the step cap at that rate.
    pub seconds_to_cap: Option<f64>,
    /// Estimate: steps until the target, from the linear trend of the mean over the last
    /// [`TREND_POINTS`] evaluations; `None` before [`MIN_TREND_POINTS`] evaluations, when the
    /// trend does not rise or when the projection lies beyond the cap.
    pub steps_to_criterion: Option<f64>,
    /// `steps_to_criterion` at `steps_per_second`.
    pub seconds_to_criterion: Option<f64>,
}

impl LongRun {
    /// A fresh record for `tasks`, or an error naming the bad setting.
    pub fn new(config: LongRunConfig, tasks: Vec<String>) -> Result<Self> {
        config.check()?;
        Ok(LongRun {
            config,
            tasks,
            points: Vec::new(),
            finished: None,
        })
    }

    /// A fresh record for the task of `session`.
    pub fn for_session(config: LongRunConfig, session: &Session) -> Result<Self> {
        let task = session.trainer.task.as_ref();
        let mut tasks = task.component_ids();
        if tasks.len() <= 1 {
            tasks = vec![task.spec().id];
        }
        Self::new(config, tasks)
    }

    /// A stored record (from `serde_json::to_string`), cut back to the points at or before
    /// `steps_done` (the autosaved model's step), so a resumed run continues its curve.
    pub fn restore(text: &str, steps_done: usize) -> Result<Self> {
        crate::budget::depth::check_text(text, "long-run record")?;
        let mut record: LongRun = serde_json::from_str(text).map_err(|e| Error::Parse {
            what: "long-run record",
            reason: e.to_string(),
        })?;
        record.config.check()?;
        if record
            .points
            .iter()
            .any(|p| p.scores.len() != record.tasks.len())
        {
            return Err(Error::Parse {
                what: "long-run record",
                reason: format!(
                    "a point's scores do not match its {} tasks",
                    record.tasks.len()
                ),
            });
        }
        let before = record.points.len();
        record.points.retain(|p| p.step <= steps_done);
        if record.points.len() != before {
            record.finished = None;
        }
        Ok(record)
    }

    /// Whether an evaluation is due after `step` steps.
    pub fn due(&self, step: usize) -> bool {
        step.is_multiple_of(self.config.eval_every) || step >= self.config.max_steps
    }

    /// Training wall time of the latest point, seconds (0 for none).
    pub fn elapsed_seconds(&self) -> f64 {
        self.points.last().map_or(0.0, |p| p.seconds)
    }

    /// Evaluate `session` (each task on its own `per_task_trials` trials, the shared
    /// batch of [`DEFAULT_EVAL_TRIALS`] as `srnn train`), record the point at `seconds` of
    /// training time and decide whether the run stops. Returns the evaluation.
    pub fn evaluate(&mut self, session: &mut Session, seconds: f64) -> Result<Evaluation> {
        let saved = session.per_task_trials;
        session.per_task_trials = Some(self.config.per_task_trials);
        let result = session.evaluate(DEFAULT_EVAL_TRIALS);
        session.per_task_trials = saved;
        let result = result?;
        self.record(session.steps_done(), &result, seconds);
        Ok(result)
    }

    /// [`LongRun::evaluate`] with the per-task scores computed elsewhere: `scores[i]` is
    /// task `i`'s score on its own `per_task_trials` trials with the session's current
    /// weights ([`Session::score_tasks`], e.g. a range of tasks per data-parallel worker,
    /// merged in task order). Only the shared batch runs here; the recorded point (step,
    /// scores, intervals, mean) is the one [`LongRun::evaluate`] records, bit for bit.
    /// Refused, naming `scores`, unless there is one score per task of a mixture (checked
    /// by [`Session::evaluate_with_per_task`]); a refused evaluation records nothing.
    pub fn evaluate_scored(
        &mut self,
        session: &mut Session,
        scores: &[f32],
        seconds: f64,
    ) -> Result<Evaluation> {
        let task = session.trainer.task.as_ref();
        let n = self.config.per_task_trials;
        // one record per given score (a surplus one without a task id), so that the
        // session sees a wrong count and refuses it
        let per_task: Vec<TaskScore> = scores
            .iter()
            .enumerate()
            .map(|(i, score)| {
                let id = self.tasks.get(i).cloned().unwrap_or_default();
                match task.component(i) {
                    Some(_) => TaskScore::new(id, *score, n),
                    None => TaskScore::new(id, 0.0, 0),
                }
            })
            .collect();
        let saved = session.per_task_trials;
        session.per_task_trials = Some(n);
        let result = session.evaluate_with_per_task(DEFAULT_EVAL_TRIALS, per_task);
        session.per_task_trials = saved;
        let result = result?;
        self.record(session.steps_done(), &result, seconds);
        Ok(result)
    }

    /// Record `evaluation` at `step` (replacing a point at the same step) and set
    /// [`LongRun::finished`] when the criterion or the cap is reached.
    pub fn record(&mut self, step: usize, evaluation: &Evaluation, seconds: f64) {
        let (scores, ci95) = match &evaluation.per_task {
            Some(per_task) => per_task.iter().map(|s| (s.score, s.ci95)).unzip(),
            None => (vec![evaluation.accuracy], vec![(f64::NAN, f64::NAN)]),
        };
        let scores: Vec<f32> = scores;
        let mean = scores.iter().map(|s| *s as f64).sum::<f64>() / scores.len().max(1) as f64;
        self.points.retain(|p| p.step < step);
        self.points.push(CurvePoint {
            step,
            mean,
            scores,
            ci95,
            seconds,
        });
        if self.points.len() > MAX_POINTS {
            let mut i = 0;
            self.points.retain(|_| {
                i += 1;
                i % 2 == 1 || i > MAX_POINTS / 2
            });
        }
        self.finished = if mean >= self.config.target {
            Some(Finish::Criterion)
        } else if step >= self.config.max_steps {
            Some(Finish::StepCap)
        } else {
            None
        };
    }

    /// The time estimates at the latest point; `None` before the first.
    pub fn estimate(&self) -> Option<Estimate> {
        let last = self.points.last()?;
        let recent = &self.points[self.points.len().saturating_sub(TREND_POINTS)..];
        let first = &recent[0];
        let dt = last.seconds - first.seconds;
        let steps_per_second = if dt > 0.0 && last.step > first.step {
            (last.step - first.step) as f64 / dt
        } else if last.seconds > 0.0 {
            last.step as f64 / last.seconds
        } else {
            0.0
        };
        let at_rate = |steps: f64| (steps_per_second > 0.0).then(|| steps / steps_per_second);
        let remaining = self.config.max_steps.saturating_sub(last.step) as f64;
        let steps_to_criterion = if last.mean >= self.config.target {
            Some(0.0)
        } else {
            trend_slope(recent)
                .filter(|slope| *slope > 0.0)
                .map(|slope| (self.config.target - last.mean) / slope)
                .filter(|steps| *steps <= remaining)
        };
        Some(Estimate {
            step: last.step,
            mean: last.mean,
            elapsed_seconds: last.seconds,
            steps_per_second,
            seconds_to_cap: at_rate(remaining),
            seconds_to_criterion: steps_to_criterion.and_then(at_rate),
            steps_to_criterion,
        })
    }

    /// The per-task learning curves: one line per task and the mean (last, labelled
    /// "mean"), against steps, y in [0, 1].
    pub fn chart(&self) -> Chart {
        let mut series: Vec<Series> = self
            .tasks
            .iter()
            .enumerate()
            .map(|(t, task)| Series {
                label: task.clone(),
                points: self
                    .points
                    .iter()
                    .map(|p| (p.step as f64, p.scores[t] as f64))
                    .collect(),
                markers: false,
                line: true,
            })
            .collect();
        series.push(Series {
            label: format!("mean (target {})", self.config.target),
            points: self
                .points
                .iter()
                .map(|p| (p.step as f64, p.mean))
                .collect(),
            markers: true,
            line: true,
        });
        Chart {
            title: format!(
                "Per-task performance ({} trials each) and their mean",
                self.config.per_task_trials
            ),
            x_label: "training step".into(),
            y_label: "performance".into(),
            y_range: Some((0.0, 1.0)),
            series,
        }
    }
}

/// Least-squares slope of the mean per step over `points` (`None` for fewer than
/// [`MIN_TREND_POINTS`]).
fn trend_slope(points: &[CurvePoint]) -> Option<f64> {
    if points.len() < MIN_TREND_POINTS {
        return None;
    }
    let n = points.len() as f64;
    let mx = points.iter().map(|p| p.step as f64).sum::<f64>() / n;
    let my = points.iter().map(|p| p.mean).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.step as f64 - mx).powi(2)).sum();
    let sxy: f64 = points
        .iter()
        .map(|p| (p.step as f64 - mx) * (p.mean - my))
        .sum();
    (sxx > 0.0).then(|| sxy / sxx)
}
