//! The one definition of evaluation, used by the page, the CLI, the sweeps and the claims.
//!
//! An [`Evaluator`] draws its trials once, from the stream `"evaluation"` of the run's
//! training seed, so every call scores the same trials and the page, the CLI and a sweep
//! report the same number for the same weights. Tasks with a finite set of conditions
//! (Turcu & Abbott's patterns, [`Task::condition_trials`]) are scored on every condition
//! once instead of on random trials. Decision persistence is scored on the same task with
//! its post-stimulus period [`PERSISTENCE_FACTOR`] times longer (stream
//! `"late-evaluation"`), where the task has that test. Evaluation runs without noise.
//!
//! Per-task scores of a mixture come with a 95 % Wilson interval. By default they rest on
//! the components' share of the shared batch (~n/20 trials each for the 20 Yang tasks);
//! with [`Evaluator::with_per_task_trials`] each component is scored on its own `n` trials
//! (Yang et al.'s code: 512 per task), drawn from stream `"evaluation-task-<i>"` and
//! regenerated on every call in chunks of [`PER_TASK_CHUNK`] (so 20 × 512 trials never sit
//! in memory at once). Single tasks are unaffected.

use crate::model::Network;
use crate::rng::SimRng;
use crate::tasks::{Task, TrialBatch};
use crate::train::{evaluate_batch, per_task_scores, score_batch, LossKind};
use serde::Serialize;

/// How much longer than a training trial the persistence test runs after input offset.
pub const PERSISTENCE_FACTOR: f64 = 5.0;

/// Trials of the evaluation of [`crate::lab::curve::run_curve`] and of the budget check of a run.
pub const RUN_EVAL_TRIALS: usize = 64;

/// Trials of the default evaluation (Yang et al.'s code tests 512 trials).
pub const DEFAULT_EVAL_TRIALS: usize = 512;

/// Stream names of the evaluation trials (derived from the training seed).
pub const EVAL_STREAM: &str = "evaluation";
const LATE_STREAM: &str = "late-evaluation";

/// Trials simulated at once in a per-task evaluation.
pub const PER_TASK_CHUNK: usize = 128;

/// z of a two-sided 95 % interval.
const Z_95: f64 = 1.959_963_985;

/// Wilson score interval (95 %) of a proportion `p` measured on `n` trials; `(0, 1)` for
/// `n = 0`. Graded scores are treated as the proportion of successes.
pub fn wilson_interval(p: f64, n: usize) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let p = p.clamp(0.0, 1.0);
    let n = n as f64;
    let z2 = Z_95 * Z_95;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z_95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / (1.0 + z2 / n);
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// Score of one component of a task mixture.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskScore {
    /// Component task id.
    pub task: String,
    /// Mean score over its trials.
    pub score: f32,
    /// Number of trials it was scored on.
    pub trials: usize,
    /// 95 % Wilson interval `[low, high]` of the score.
    pub ci95: (f64, f64),
}

impl TaskScore {
    fn new(task: String, score: f32, trials: usize) -> Self {
        TaskScore {
            ci95: wilson_interval(score as f64, trials),
            task,
            score,
            trials,
        }
    }
}

/// What one evaluation measured.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// Mean loss on the evaluation trials.
    pub loss: f32,
    /// Mean task score (accuracy / performance).
    pub accuracy: f32,
    /// Mean score at the end of [`PERSISTENCE_FACTOR`]× longer trials, if the task has
    /// that test.
    pub late_accuracy: Option<f32>,
    /// Per-component scores for task mixtures (`None` for single tasks).
    pub per_task: Option<Vec<TaskScore>>,
}

/// A fixed evaluation batch (and its persistence twin) for one task.
pub struct Evaluator {
    requested: usize,
    batch: TrialBatch,
    late: Option<(Box<dyn Task>, TrialBatch)>,
    loss: LossKind,
    seed: u64,
    per_task_trials: Option<usize>,
}

impl Evaluator {
    /// Draw the evaluation trials of `task` for training seed `seed`: every condition of
    /// a finite task, else `n_trials` random trials (at least 1).
    pub fn new(task: &dyn Task, seed: u64, n_trials: usize, loss: LossKind) -> Self {
        let draw = |task: &dyn Task, stream: &str| {
            let mut rng = SimRng::derived(seed, stream);
            match task.condition_trials(&mut rng) {
                Some(trials) if !trials.is_empty() => TrialBatch::pack(trials),
                _ => task.batch(&mut rng, n_trials.max(1)),
            }
        };
        let batch = draw(task, EVAL_STREAM);
        let late = task.persistence_variant(PERSISTENCE_FACTOR).map(|late| {
            let batch = draw(late.as_ref(), LATE_STREAM);
            (late, batch)
        });
        Evaluator {
            requested: n_trials,
            batch,
            late,
            loss,
            seed,
            per_task_trials: None,
        }
    }

    /// Score each component of a mixture on its own `n` trials (at least 1) instead of its
    /// share of the shared batch; no effect on single tasks.
    pub fn with_per_task_trials(mut self, n: Option<usize>) -> Self {
        self.per_task_trials = n.map(|n| n.max(1));
        self
    }

    /// The per-task trial count set by [`Evaluator::with_per_task_trials`].
    pub fn per_task_trials(&self) -> Option<usize> {
        self.per_task_trials
    }

    /// Each component scored on its own `n` trials, chunked.
    fn own_trials_scores(&self, network: &Network, task: &dyn Task, n: usize) -> Vec<TaskScore> {
        let ids = task.component_ids();
        ids.into_iter()
            .enumerate()
            .map(|(i, id)| {
                let Some(component) = task.component(i) else {
                    return TaskScore::new(id, 0.0, 0);
                };
                let mut rng = SimRng::derived(self.seed, &format!("{EVAL_STREAM}-task-{i}"));
                let (mut total, mut done) = (0.0f64, 0usize);
                while done < n {
                    let size = PER_TASK_CHUNK.min(n - done);
                    let batch = component.batch(&mut rng, size);
                    let (_, mean) = evaluate_batch(network, component, &batch, self.loss);
                    total += mean as f64 * size as f64;
                    done += size;
                }
                TaskScore::new(id, (total / n as f64) as f32, n)
            })
            .collect()
    }

    /// The `n_trials` this evaluator was made with.
    pub fn requested_trials(&self) -> usize {
        self.requested
    }

    /// Number of trials scored per evaluation (without the persistence test).
    pub fn n_trials(&self) -> usize {
        self.batch.batch_size
    }

    /// Score `network` on the fixed trials of `task` (the task the evaluator was made for).
    pub fn evaluate(&self, network: &Network, task: &dyn Task) -> Evaluation {
        let scores = score_batch(network, task, &self.batch, self.loss);
        let late_accuracy = self
            .late
            .as_ref()
            .map(|(late, batch)| evaluate_batch(network, late.as_ref(), batch, self.loss).1);
        let per_task = (task.component_ids().len() > 1).then(|| match self.per_task_trials {
            Some(n) => self.own_trials_scores(network, task, n),
            None => per_task_scores(task, &self.batch, &scores.per_trial)
                .into_iter()
                .map(|(task, score, trials)| TaskScore::new(task, score, trials))
                .collect(),
        });
        Evaluation {
            loss: scores.loss,
            accuracy: scores.mean,
            late_accuracy,
            per_task,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::session::Session;
    use serde_json::json;

    #[test]
    fn wilson_interval_matches_known_values() {
        let (lo, hi) = wilson_interval(0.5, 100);
        assert!(
            (lo - 0.4038).abs() < 1e-3 && (hi - 0.5962).abs() < 1e-3,
            "{lo} {hi}"
        );
        let (lo, hi) = wilson_interval(1.0, 25);
        assert!((lo - 0.8668).abs() < 1e-3 && hi == 1.0, "{lo} {hi}");
        assert_eq!(wilson_interval(0.3, 0), (0.0, 1.0));
    }

    #[test]
    fn per_task_trials_score_each_component_on_its_own_trials() {
        let run = |id: &str| {
            json!({"network": {"n_neurons": 16, "connectivity": "dense", "seed": 2},
                   "task": {"id": id, "tasks": ["ngym-modcog-go", "ngym-modcog-dm1"]}})
        };
        let mut session = Session::new(run("ngym-modcog-mixture")).unwrap();
        let shared = session.evaluate(64).unwrap().per_task.unwrap();
        assert_eq!(shared.iter().map(|s| s.trials).sum::<usize>(), 64);
        session.per_task_trials = Some(200);
        let own = session.evaluate(64).unwrap();
        let scores = own.per_task.unwrap();
        assert_eq!(scores.len(), 2);
        for s in &scores {
            assert_eq!(s.trials, 200);
            assert!(
                s.ci95.0 <= s.score as f64 && s.score as f64 <= s.ci95.1,
                "{s:?}"
            );
            assert!(
                s.ci95.1 - s.ci95.0 < 0.15,
                "200 trials give a narrow interval: {s:?}"
            );
        }
        // deterministic: the same trials every call
        assert_eq!(session.evaluate(64).unwrap().per_task.unwrap(), scores);
        let single =
            json!({"network": {"n_neurons": 16, "seed": 2}, "task": {"id": "ngym-modcog-go"}});
        let mut single = Session::new(single).unwrap();
        single.per_task_trials = Some(200);
        assert!(single.evaluate(64).unwrap().per_task.is_none());
    }
}
