//! Scoring a network on a packed batch (no noise): the loss and mean task score, and the
//! per-component scores of a task mixture.

use super::{loss_and_gradient_shaped, LossKind, Trajectory};
use crate::error::{Error, Result};
use crate::model::Network;
use crate::tasks::{Task, TrialBatch};

/// Check that `task`'s channel counts match `network`'s (errors name `n_inputs` /
/// `n_outputs`).
pub fn check_channels(network: &Network, task: &dyn Task) -> Result<()> {
    let spec = task.spec();
    if spec.n_inputs != network.n_inputs() {
        return Err(Error::field(
            "n_inputs",
            network.n_inputs(),
            "must equal the task's number of input channels",
        ));
    }
    if spec.n_outputs != network.n_outputs() {
        return Err(Error::field(
            "n_outputs",
            network.n_outputs(),
            "must equal the task's number of output channels",
        ));
    }
    Ok(())
}

/// What one noise-free pass over a batch measured.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchScores {
    /// Mean loss.
    pub loss: f32,
    /// Mean task score.
    pub mean: f32,
    /// Task score of every trial, in batch order.
    pub per_trial: Vec<f32>,
}

/// Simulate `network` on `batch` once (no noise) and score every trial.
pub fn score_batch(
    network: &Network,
    task: &dyn Task,
    batch: &TrialBatch,
    loss: LossKind,
) -> BatchScores {
    let trajectory = Trajectory::of_batch(network, batch);
    let mut grad = Vec::new();
    let n_out = network.n_outputs();
    let loss = loss_and_gradient_shaped(
        loss,
        &trajectory.outputs,
        &batch.targets,
        &batch.mask,
        (n_out, batch.n_steps, batch.batch_size),
        &mut grad,
    );
    let per_trial: Vec<f32> = (0..batch.batch_size)
        .map(|b| {
            task.score(
                &batch.trials[b],
                batch.unpack(&trajectory.outputs, n_out, b).view(),
            )
        })
        .collect();
    let mean = per_trial.iter().sum::<f32>() / batch.batch_size.max(1) as f32;
    BatchScores {
        loss,
        mean,
        per_trial,
    }
}

/// Loss and mean task score of `network` on `batch` (no noise).
pub fn evaluate_batch(
    network: &Network,
    task: &dyn Task,
    batch: &TrialBatch,
    loss: LossKind,
) -> (f32, f32) {
    let scores = score_batch(network, task, batch, loss);
    (scores.loss, scores.mean)
}

/// Mean score per component task (`Task::component_ids`) from the per-trial scores of
/// `batch` ([`score_batch`]): `(task id, mean score, number of trials)`.
pub fn per_task_scores(
    task: &dyn Task,
    batch: &TrialBatch,
    per_trial: &[f32],
) -> Vec<(String, f32, usize)> {
    let ids = task.component_ids();
    let mut sums = vec![(0.0f32, 0usize); ids.len()];
    for (trial, score) in batch.trials.iter().zip(per_trial) {
        if let Some(slot) = sums.get_mut(trial.task_index) {
            slot.0 += score;
            slot.1 += 1;
        }
    }
    ids.into_iter()
        .zip(sums)
        .map(|(id, (sum, count))| (id, if count == 0 { 0.0 } else { sum / count as f32 }, count))
        .collect()
}
