//! Helpers the multitask claims share: train a run description for a number of steps (or
//! until a criterion) and score each component task on its own trials.

use crate::error::Result;
use crate::lab::eval::TaskScore;
use crate::lab::session::Session;
use crate::lab::sweep::sparsity_run;
use crate::plot::Chart;
use serde::{Deserialize, Serialize};
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

/// Wall clock of a claim. Natively `std::time::Instant`; on wasm32 (where `Instant::now`
/// panics) it reads 0 and the page times the call itself.
pub struct Clock {
    #[cfg(not(target_arch = "wasm32"))]
    start: std::time::Instant,
}

impl Clock {
    /// Start now.
    pub fn start() -> Self {
        Clock {
            #[cfg(not(target_arch = "wasm32"))]
            start: std::time::Instant::now(),
        }
    }

    /// Seconds since [`Clock::start`] (0 on wasm32).
    pub fn seconds(&self) -> f64 {
        #[cfg(not(target_arch = "wasm32"))]
        return self.start.elapsed().as_secs_f64();
        #[cfg(target_arch = "wasm32")]
        return 0.0;
    }
}

/// A finding of the multitask claims (Khona, Yang): its test is a compound one, written in
/// the paper module before the run, and `ours` states every number it looked at;
/// [`Finding::into_claim`] makes it a row of the claims table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Paper, e.g. "Khona et al. 2023".
    pub paper: String,
    /// The claim in words.
    pub claim: String,
    /// What was run (network, task, steps, seeds, quick or full).
    pub setting: String,
    /// The paper's number or statement, with its source.
    pub paper_value: String,
    /// Our measured value.
    pub ours: String,
    /// Whether ours supports the claim by the stated test.
    pub holds: bool,
    /// Wall time of this claim, seconds.
    pub seconds: f64,
    /// A chart of the result, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chart: Option<Chart>,
}

impl Finding {
    /// The claims-table row: `ours` is the first number of the finding's statement (kept
    /// whole in `ours_text`), the criterion is the module's compound test.
    pub fn into_claim(self, group: &str) -> super::Claim {
        let first = self
            .ours
            .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
            .find_map(|t| t.parse::<f64>().ok())
            .unwrap_or(f64::NAN);
        super::Claim {
            paper: self.paper,
            group: group.into(),
            claim: self.claim,
            setting: self.setting,
            paper_value: self.paper_value,
            ours: first,
            ours_text: Some(self.ours),
            criterion: super::Criterion::Stated,
            tolerance: "compound test stated in the claim's module".into(),
            holds: self.holds,
            seconds: self.seconds,
            chart: self.chart,
        }
    }
}
