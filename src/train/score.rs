//! Scoring a network on a packed batch (no noise): the loss and mean task score, and the
//! per-component scores of a task mixture.

use super::{loss_and_gradient, LossKind, Trajectory};
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

/// Mean score per component task (`Task::component_ids`) of `network` on `batch`:
/// `(task id, mean score, number of trials)`.
pub fn per_task_scores(
    network: &Network,
    task: &dyn Task,
    batch: &TrialBatch,
) -> Vec<(String, f32, usize)> {
    let trajectory = Trajectory::of_batch(network, batch);
    let ids = task.component_ids();
    let mut sums = vec![(0.0f32, 0usize); ids.len()];
    for (b, trial) in batch.trials.iter().enumerate() {
        if let Some(slot) = sums.get_mut(trial.task_index) {
            slot.0 += task.score(
                trial,
                batch
                    .unpack(&trajectory.outputs, network.n_outputs(), b)
                    .view(),
            );
            slot.1 += 1;
        }
    }
    ids.into_iter()
        .zip(sums)
        .map(|(id, (sum, count))| (id, if count == 0 { 0.0 } else { sum / count as f32 }, count))
        .collect()
}

/// Loss and mean task score of `network` on `batch` (no noise).
pub fn evaluate_batch(
    network: &Network,
    task: &dyn Task,
    batch: &TrialBatch,
    loss: LossKind,
) -> (f32, f32) {
    let trajectory = Trajectory::of_batch(network, batch);
    let mut grad = Vec::new();
    let loss = loss_and_gradient(
        loss,
        &trajectory.outputs,
        &batch.targets,
        &batch.mask,
        &mut grad,
    );
    let n_out = network.n_outputs();
    let total: f32 = (0..batch.batch_size)
        .map(|b| {
            task.score(
                &batch.trials[b],
                batch.unpack(&trajectory.outputs, n_out, b).view(),
            )
        })
        .sum();
    (loss, total / batch.batch_size as f32)
}
