//! The one definition of evaluation, used by the page, the CLI, the sweeps and the claims.
//!
//! An [`Evaluator`] draws its trials once, from the stream `"evaluation"` of the run's
//! training seed, so every call scores the same trials and the page, the CLI and a sweep
//! report the same number for the same weights. Tasks with a finite set of conditions
//! (Turcu & Abbott's patterns, [`Task::condition_trials`]) are scored on every condition
//! once instead of on random trials. Decision persistence is scored on the same task with
//! its post-stimulus period [`PERSISTENCE_FACTOR`] times longer (stream
//! `"late-evaluation"`), where the task has that test. Evaluation runs without noise.

use crate::model::Network;
use crate::rng::SimRng;
use crate::tasks::{Task, TrialBatch};
use crate::train::{evaluate_batch, per_task_scores, score_batch, LossKind};
use serde::Serialize;

/// How much longer than a training trial the persistence test runs after input offset.
pub const PERSISTENCE_FACTOR: f64 = 5.0;

/// Trials of the default evaluation (Yang et al.'s code tests 512 trials).
pub const DEFAULT_EVAL_TRIALS: usize = 512;

/// Stream names of the evaluation trials (derived from the training seed).
pub const EVAL_STREAM: &str = "evaluation";
const LATE_STREAM: &str = "late-evaluation";

/// Score of one component of a task mixture.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskScore {
    /// Component task id.
    pub task: String,
    /// Mean score over its trials.
    pub score: f32,
    /// Number of its trials in the evaluation batch.
    pub trials: usize,
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
        }
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
        let per_task = (task.component_ids().len() > 1).then(|| {
            per_task_scores(task, &self.batch, &scores.per_trial)
                .into_iter()
                .map(|(task, score, trials)| TaskScore {
                    task,
                    score,
                    trials,
                })
                .collect()
        });
        Evaluation {
            loss: scores.loss,
            accuracy: scores.mean,
            late_accuracy,
            per_task,
        }
    }
}
