//! Helpers the multitask claims share: train a run description for a number of steps (or
//! until a criterion) and score each component task on its own trials.

use crate::error::Result;
use crate::lab::eval::TaskScore;
use crate::lab::session::Session;
use crate::lab::sweep::sparsity_run;
use serde_json::Value;

/// A run description for a Khona-style network (`mask`: local, random, dense, autapse)
/// of `n` neurons on `task` (registry id and options): [`sparsity_run`].
pub fn khona_run(task: &Value, n: usize, mask: &str, radius: f64, seed: u64) -> Result<Value> {
    sparsity_run(task, n, mask, radius, seed)
}

/// What a training run reached.
pub struct Outcome {
    /// The trained session.
    pub session: Session,
    /// Steps trained.
    pub steps: usize,
    /// First evaluation step with mean performance ≥ the criterion, if any.
    pub reached: Option<usize>,
    /// Density of the recurrent mask.
    pub density: f64,
}

/// Train `config` for at most `max_steps`, evaluating every `eval_every` steps on
/// `eval_trials` trials; stop at the first evaluation with performance ≥ `criterion`
/// when given.
pub fn train(
    config: Value,
    max_steps: usize,
    eval_every: usize,
    eval_trials: usize,
    criterion: Option<f64>,
) -> Result<Outcome> {
    let mut session = Session::new(config)?;
    let density = session.trainer.network.w_rec.density();
    let mut reached = None;
    let mut steps = 0;
    while steps < max_steps {
        let chunk = eval_every.max(1).min(max_steps - steps);
        session.train(chunk)?;
        steps += chunk;
        if let Some(c) = criterion {
            if session.evaluate(eval_trials)?.accuracy as f64 >= c {
                reached = Some(steps);
                break;
            }
        }
    }
    Ok(Outcome {
        session,
        steps,
        reached,
        density,
    })
}

/// Each component of the session's mixture scored on its own `n` trials.
pub fn per_task(session: &mut Session, n: usize) -> Result<Vec<TaskScore>> {
    session.per_task_trials = Some(n);
    Ok(session.evaluate(n)?.per_task.unwrap_or_default())
}

/// `id score [lo, hi]` items, joined, with the common id prefix dropped.
pub fn format_scores(scores: &[TaskScore]) -> String {
    scores
        .iter()
        .map(|s| {
            let name = s.task.rsplit('-').next().unwrap_or(&s.task);
            format!("{name} {:.2} [{:.2}, {:.2}]", s.score, s.ci95.0, s.ci95.1)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Mean score of the entries whose id satisfies `keep`.
pub fn mean_where(scores: &[TaskScore], keep: impl Fn(&str) -> bool) -> f64 {
    let kept: Vec<f64> = scores
        .iter()
        .filter(|s| keep(&s.task))
        .map(|s| s.score as f64)
        .collect();
    if kept.is_empty() {
        f64::NAN
    } else {
        kept.iter().sum::<f64>() / kept.len() as f64
    }
}
