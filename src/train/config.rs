//! Training hyper-parameters ([`TrainConfig`], checked once into
//! [`Checked<TrainConfig>`](crate::error::Checked)) and what one step reports.

use super::{LossKind, OptimizerKind};
use crate::error::{at_least, non_negative, positive, Check, Error, Result};
use serde::{Deserialize, Serialize};

/// Training hyper-parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrainConfig {
    /// Optimizer step size.
    pub learning_rate: f64,
    /// Optimizer: `adam` (default) or `sgd`.
    pub optimizer: OptimizerKind,
    /// Trials per batch.
    pub batch_size: usize,
    /// Clip the global gradient norm to this value (0 = no clipping).
    pub clip_norm: f64,
    /// Loss function.
    pub loss: LossKind,
    /// Seed of batch sampling and training noise.
    pub seed: u64,
    /// Cut every batch into this many shards whose gradients are computed separately and
    /// added in shard order (1 = the whole batch at once). The weights depend on `shards`
    /// but not on how many threads or Web Workers compute them, so 1, 2, 4 or 8 workers
    /// train bit-identically. Each shard draws its trials (`"data-{step}-{shard}"`, except
    /// with `conditions` batching) and its training noise from its own streams, so a Web
    /// Worker draws only its own shards' trials.
    pub shards: usize,
    /// How each step's batch is drawn: `random` (default: `batch_size` trials drawn from
    /// the task) or `conditions` (every condition of a finite task, in order, every step —
    /// the full-batch training of Turcu & Abbott's code; `batch_size` must equal the
    /// number of conditions) or `per-task` (a task mixture only: every batch is
    /// `batch_size` trials of one task, drawn uniformly from the data stream — Yang et
    /// al.'s recipe, one rule per batch, with no padding between tasks' trial lengths) or
    /// `by-length` (the `random` trials, sorted by length before the batch is cut into
    /// `shards`, so each shard pads only to its own trials' longest).
    pub batching: Batching,
}

/// How the trainer draws each step's batch (`train.batching`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Batching {
    /// `batch_size` trials drawn at random from the task's data stream.
    #[default]
    Random,
    /// Every condition of a finite task (its [`crate::tasks::Task::condition_trials`]), in
    /// order: full-batch training.
    Conditions,
    /// All `batch_size` trials of one batch from one component of a task mixture, the
    /// component drawn uniformly from the data stream (Yang et al.'s one rule per batch).
    PerTask,
    /// The `random` batch's trials sorted by length (stable), so that each of the
    /// `shards` holds trials of similar length and pads little. With `B` a multiple of
    /// the shard count the length groups are laid out short, long, second shortest,
    /// second longest, …, so that two workers computing consecutive halves of the shards
    /// get similar work.
    ByLength,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            learning_rate: 1e-3,
            optimizer: OptimizerKind::Adam,
            batch_size: 32,
            clip_norm: 1.0,
            loss: LossKind::Mse,
            seed: 1,
            shards: 1,
            batching: Batching::Random,
        }
    }
}

impl Check for TrainConfig {
    fn check_fields(&self) -> Result<()> {
        self.validate()
    }
}

impl TrainConfig {
    /// Check every field.
    pub fn validate(&self) -> Result<()> {
        positive("learning_rate", self.learning_rate)?;
        at_least("batch_size", self.batch_size, 1, "must be >= 1")?;
        if self.batch_size > 4096 {
            return Err(Error::field(
                "batch_size",
                self.batch_size,
                "must be <= 4096",
            ));
        }
        non_negative("clip_norm", self.clip_norm)?;
        if self.shards == 0 || self.shards > self.batch_size {
            return Err(Error::field(
                "shards",
                self.shards,
                "must be in 1..=batch_size",
            ));
        }
        Ok(())
    }
}

/// What one training step measured.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct StepStats {
    /// Step number (1-based, after the update).
    pub step: usize,
    /// Loss on the batch before the update.
    pub loss: f32,
    /// Gradient norm before clipping.
    pub grad_norm: f32,
}
