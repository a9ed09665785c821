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
//! in memory at once). Single tasks are unaffected. Because every component has its own
//! stream, the components can be scored in any order and on any core ([`own_trials_scores`]
//! on the trainer's threads natively; the page's data-parallel workers each take a range of
//! the tasks and the coordinator records the merged scores with
//! [`Evaluator::evaluate_with_per_task`]) without changing a bit.

use crate::model::Network;
use crate::rng::SimRng;
use crate::tasks::{Task, TrialBatch};
use crate::train::{
    evaluate_batch, per_task_scores, score_batch, score_batch_in, LossKind, Trajectory,
};
use serde::Serialize;
use std::ops::Range;

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
    /// The score `score` of `task` on `trials` trials, with its Wilson interval (a function
    /// of `score` and `trials` alone, so a score passed between workers as an `f32` gives
    /// back the same record).
    pub fn new(task: String, score: f32, trials: usize) -> Self {
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

/// Most trials a mixture's task may be scored on by itself (`per_task_trials`).
pub const MAX_PER_TASK_TRIALS: usize = 4096;

/// `per_task_trials` checked against 1..=[`MAX_PER_TASK_TRIALS`] (the long-run settings
/// and the page's split evaluation); the error names `per_task_trials`.
pub fn check_per_task_trials(per_task_trials: usize) -> crate::error::Result<()> {
    if per_task_trials == 0 || per_task_trials > MAX_PER_TASK_TRIALS {
        return Err(crate::error::Error::field(
            "per_task_trials",
            per_task_trials,
            "must be in 1..=4096", // MAX_PER_TASK_TRIALS
        ));
    }
    Ok(())
}

/// Component `index` of mixture `task` (id `id`) scored on its own `n` trials, drawn from
/// stream `"evaluation-task-<index>"` of training seed `seed` in chunks of
/// [`PER_TASK_CHUNK`], without noise; a component the task does not have scores 0 on 0
/// trials. Depends on nothing but its arguments, so any split of the components over
/// threads or workers gives the same bits.
pub fn own_trials_score(
    network: &Network,
    task: &dyn Task,
    index: usize,
    id: String,
    seed: u64,
    n: usize,
    loss: LossKind,
) -> TaskScore {
    let Some(component) = task.component(index) else {
        return TaskScore::new(id, 0.0, 0);
    };
    let n = n.max(1);
    let mut rng = SimRng::derived(seed, &format!("{EVAL_STREAM}-task-{index}"));
    let (mut total, mut done) = (0.0f64, 0usize);
    let mut trajectory = Trajectory::default(); // one set of buffers for every chunk
    while done < n {
        let size = PER_TASK_CHUNK.min(n - done);
        let batch = component.batch(&mut rng, size);
        let mean = score_batch_in(network, component, &batch, loss, &mut trajectory).mean;
        total += mean as f64 * size as f64;
        done += size;
    }
    TaskScore::new(id, (total / n as f64) as f32, n)
}

/// Components `range` of mixture `task` (clipped to its components), each by
/// [`own_trials_score`] on its own `n` trials of seed `seed`, in component order. Natively
/// the components are dealt to up to `threads` threads ([`map_ordered_on`]); on wasm32
/// they run one after another. The scores do not depend on `threads` or on the range
/// (scoring `0..k` and `k..len` gives the two halves of `0..len`).
///
/// [`map_ordered_on`]: crate::lab::parallel::map_ordered_on
pub fn own_trials_scores(
    network: &Network,
    task: &dyn Task,
    range: Range<usize>,
    seed: u64,
    n: usize,
    loss: LossKind,
    threads: usize,
) -> Vec<TaskScore> {
    let ids = task.component_ids();
    let end = range.end.min(ids.len());
    let jobs: Vec<(usize, String)> = ids
        .into_iter()
        .enumerate()
        .take(end)
        .skip(range.start)
        .collect();
    // the jobs never fail (a panic is resumed on this thread), so the error arm is empty
    crate::lab::parallel::map_ordered_on(&jobs, threads, |(index, id)| {
        Ok(own_trials_score(
            network,
            task,
            *index,
            id.clone(),
            seed,
            n,
            loss,
        ))
    })
    .unwrap_or_default()
}

/// A fixed evaluation batch (and its persistence twin) for one task.
pub struct Evaluator {
    requested: usize,
    batch: TrialBatch,
    late: Option<(Box<dyn Task>, TrialBatch)>,
    loss: LossKind,
    seed: u64,
    per_task_trials: Option<usize>,
    threads: usize,
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
            threads: 1,
        }
    }

    /// Score the components of a mixture on their own trials on up to `threads` threads
    /// (native builds; default 1; [`crate::lab::session::Session`] sets the trainer's).
    /// The scores do not depend on it.
    pub fn set_threads(&mut self, threads: usize) {
        self.threads = threads.max(1);
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
        self.evaluate_given(network, task, None)
    }

    /// [`Evaluator::evaluate`] with the per-task scores of a mixture already computed
    /// elsewhere (by [`own_trials_scores`] with this evaluator's seed, per-task trials and
    /// loss, on other workers): only the shared batch and the persistence test are
    /// simulated here, and `per_task` (one per component, in order) is the result's
    /// `per_task`. With the scores [`Evaluator::evaluate`] would compute, the result is
    /// the same bit for bit. The caller checks the length (ignored for a single task).
    pub fn evaluate_with_per_task(
        &self,
        network: &Network,
        task: &dyn Task,
        per_task: Vec<TaskScore>,
    ) -> Evaluation {
        self.evaluate_given(network, task, Some(per_task))
    }

    fn evaluate_given(
        &self,
        network: &Network,
        task: &dyn Task,
        given: Option<Vec<TaskScore>>,
    ) -> Evaluation {
        let scores = score_batch(network, task, &self.batch, self.loss);
        let late_accuracy = self
            .late
            .as_ref()
            .map(|(late, batch)| evaluate_batch(network, late.as_ref(), batch, self.loss).1);
        let n_components = task.component_ids().len();
        let per_task = (n_components > 1).then(|| match (given, self.per_task_trials) {
            (Some(given), _) => given,
            (None, Some(n)) => own_trials_scores(
                network,
                task,
                0..n_components,
                self.seed,
                n,
                self.loss,
                self.threads,
            ),
            (None, None) => per_task_scores(task, &self.batch, &scores.per_trial)
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

    #[test]
    fn per_task_trials_bound_is_the_constant_the_message_names() {
        assert!(check_per_task_trials(1).is_ok());
        assert!(check_per_task_trials(MAX_PER_TASK_TRIALS).is_ok());
        for bad in [0, MAX_PER_TASK_TRIALS + 1] {
            let e = check_per_task_trials(bad).unwrap_err().to_string();
            assert!(
                e.contains("`per_task_trials`") && e.contains(&MAX_PER_TASK_TRIALS.to_string()),
                "{e}"
            );
        }
    }

    #[test]
    fn per_task_scores_on_threads_equal_one_component_at_a_time_bit_for_bit() {
        let run = json!({"network": {"n_neurons": 16, "connectivity": "random-density",
                                     "density": 0.25, "activation": "relu",
                                     "rec_noise_std": 0.05, "seed": 4},
                         "train": {"learning_rate": 0.02, "batch_size": 16, "seed": 4},
                         "task": {"id": "yang-mixture"}});
        let mut session = Session::new(run).unwrap();
        session.train(30).unwrap();
        session.per_task_trials = Some(40); // a chunk of 128 and less: one partial chunk
        let serial = session.evaluate(32).unwrap().per_task.unwrap();
        session.trainer.set_threads(4);
        let threaded = session.evaluate(32).unwrap().per_task.unwrap();
        let task = session.trainer.task.as_ref();
        let ids = task.component_ids();
        assert_eq!(ids.len(), 20);
        let network = &session.trainer.network;
        let (seed, loss) = (session.trainer.config.seed, session.trainer.config.loss);
        let one_at_a_time: Vec<TaskScore> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| own_trials_score(network, task, i, id.clone(), seed, 40, loss))
            .collect();
        let bits = |scores: &[TaskScore]| -> Vec<(String, u32, usize)> {
            scores
                .iter()
                .map(|s| (s.task.clone(), s.score.to_bits(), s.trials))
                .collect()
        };
        assert_eq!(bits(&threaded), bits(&one_at_a_time));
        assert_eq!(bits(&serial), bits(&one_at_a_time));
        assert_eq!(threaded, one_at_a_time, "the intervals too");
        // a range is the matching slice of the whole, on any thread count
        let middle = own_trials_scores(network, task, 5..13, seed, 40, loss, 3);
        assert_eq!(bits(&middle), bits(&one_at_a_time[5..13]));
        // the scores differ between tasks (the test can see a wrong order)
        assert!(one_at_a_time.windows(2).any(|w| w[0].score != w[1].score));
    }
}
