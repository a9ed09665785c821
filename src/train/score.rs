//! Scoring a network on a packed batch (no noise): the loss and mean task score, and the
//! per-component scores of a task mixture.

use super::{
    forward, loss_and_gradient_shaped, partial_loss_and_gradient_shaped, LossKind, Trajectory,
};
use crate::error::{Error, Result};
use crate::model::{Dynamics, Network, NetworkConfig};
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

/// Most bytes of simulated trajectory one evaluation holds at once: a batch whose
/// trajectory would be larger is simulated in chunks of [`eval_chunk_trials`] trials
/// (e.g. 64 reservoir trials of 10 000 steps × 1000 units would need 5 GiB at once).
pub const EVAL_CHUNK_BYTES: f64 = 256.0 * 1024.0 * 1024.0;

/// Bytes of the noise-free trajectory of one trial of `n_steps` steps of `config`'s
/// network: states and rates (a third array in the voltage form, six for spiking neurons)
/// of every neuron at every step, f32.
pub fn trajectory_bytes_per_trial(config: &NetworkConfig, n_steps: usize) -> f64 {
    let arrays = if config.dynamics.is_spiking() {
        6.0
    } else if config.dynamics == Dynamics::Voltage {
        3.0
    } else {
        2.0
    };
    4.0 * config.n_neurons as f64 * (n_steps as f64 + 1.0) * arrays
}

/// Trials simulated at once when scoring trials of `n_steps` steps (at least 1): as many
/// as fit [`EVAL_CHUNK_BYTES`] of trajectory.
pub fn eval_chunk_trials(config: &NetworkConfig, n_steps: usize) -> usize {
    let per_trial = trajectory_bytes_per_trial(config, n_steps).max(1.0);
    ((EVAL_CHUNK_BYTES / per_trial).floor() as usize).max(1)
}

/// Simulate `network` on `batch` once (no noise) and score every trial. A batch whose
/// trajectory would exceed [`EVAL_CHUNK_BYTES`] is simulated [`eval_chunk_trials`] trials
/// at a time (each trial's outputs and score are the same either way; the loss is the sum
/// of the chunks' parts of the whole batch's loss).
pub fn score_batch(
    network: &Network,
    task: &dyn Task,
    batch: &TrialBatch,
    loss: LossKind,
) -> BatchScores {
    score_batch_in(network, task, batch, loss, &mut Trajectory::default())
}

/// [`score_batch`] simulating into `trajectory` (its buffers reused: scoring many
/// batches in a row with one trajectory allocates — and, for the tens of megabytes of a
/// 128-trial Yang chunk, page-faults in — its buffers once instead of once per batch).
/// The scores do not depend on what `trajectory` held.
pub fn score_batch_in(
    network: &Network,
    task: &dyn Task,
    batch: &TrialBatch,
    loss: LossKind,
    trajectory: &mut Trajectory,
) -> BatchScores {
    if !scores_whole_batch(&network.config, batch) {
        let chunk = eval_chunk_trials(&network.config, batch.n_steps);
        return score_in_chunks(network, task, batch, loss, chunk, trajectory);
    }
    trajectory.simulate(network, batch);
    let n_out = network.n_outputs();
    let loss = batch_loss(loss, &trajectory.outputs, batch);
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

/// The loss of `outputs` (`[O][T·B]`, a whole-batch pass over `batch`) against the
/// batch's targets and mask: the loss [`score_batch`] reports when it simulates the batch
/// at once ([`scores_whole_batch`]).
pub fn batch_loss(kind: LossKind, outputs: &[f32], batch: &TrialBatch) -> f32 {
    let mut grad = Vec::new();
    loss_and_gradient_shaped(
        kind,
        outputs,
        &batch.targets,
        &batch.mask,
        (batch.n_outputs, batch.n_steps, batch.batch_size),
        &mut grad,
    )
}

/// Whether [`score_batch`] simulates `batch` on a network of `config` at once (its loss
/// is then [`batch_loss`] of that pass's outputs), not in chunks of trials.
pub fn scores_whole_batch(config: &NetworkConfig, batch: &TrialBatch) -> bool {
    eval_chunk_trials(config, batch.n_steps) >= batch.batch_size
}

/// [`score_batch`] `chunk` trials at a time.
fn score_in_chunks(
    network: &Network,
    task: &dyn Task,
    batch: &TrialBatch,
    kind: LossKind,
    chunk: usize,
    trajectory: &mut Trajectory,
) -> BatchScores {
    let weight_total: f64 = batch.mask.iter().map(|m| *m as f64).sum();
    let n_out = network.n_outputs();
    let mut grad = Vec::new();
    let mut loss = 0.0f32;
    let mut per_trial = Vec::with_capacity(batch.batch_size);
    for trials in batch.trials.chunks(chunk) {
        let part = TrialBatch::pack(trials.to_vec());
        forward(
            network,
            &part.inputs,
            part.n_steps,
            part.batch_size,
            None,
            trajectory,
        );
        loss += partial_loss_and_gradient_shaped(
            kind,
            &trajectory.outputs,
            &part.targets,
            &part.mask,
            (n_out, part.n_steps, part.batch_size),
            weight_total,
            &mut grad,
        );
        for (b, trial) in part.trials.iter().enumerate() {
            per_trial.push(task.score(trial, part.unpack(&trajectory.outputs, n_out, b).view()));
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NetworkConfig;
    use crate::rng::SimRng;

    #[test]
    fn chunked_scoring_gives_the_same_scores_and_loss() {
        let task = crate::tasks::registry::build_task("jl-xor", &serde_json::json!({})).unwrap();
        let spec = task.spec();
        let network = Network::new(NetworkConfig {
            n_neurons: 24,
            n_inputs: spec.n_inputs,
            n_outputs: spec.n_outputs,
            seed: 3,
            ..NetworkConfig::default()
        })
        .unwrap();
        let batch = task.batch(&mut SimRng::new(5), 10);
        let whole = score_batch(&network, task.as_ref(), &batch, LossKind::Mse);
        // one trajectory for every chunking, and a whole-batch score into it afterwards: its
        // leftovers (other shapes, other values) change nothing
        let mut reused = Trajectory::default();
        for chunk in [1, 3, 4] {
            let parts = score_in_chunks(
                &network,
                task.as_ref(),
                &batch,
                LossKind::Mse,
                chunk,
                &mut reused,
            );
            assert_eq!(parts.per_trial, whole.per_trial, "chunks of {chunk}");
            assert_eq!(parts.mean, whole.mean);
            assert!(
                (parts.loss - whole.loss).abs() <= 1e-6 * whole.loss.abs().max(1e-6),
                "{} vs {}",
                parts.loss,
                whole.loss
            );
        }
        let again = score_batch_in(&network, task.as_ref(), &batch, LossKind::Mse, &mut reused);
        assert_eq!(again.per_trial, whole.per_trial);
        assert_eq!(again.loss.to_bits(), whole.loss.to_bits());
        // a 10 000-step trial of 1000 units is chunked one or a few trials at a time
        let big = NetworkConfig {
            n_neurons: 1000,
            ..NetworkConfig::default()
        };
        let chunk = eval_chunk_trials(&big, 10_000);
        assert!((1..64).contains(&chunk), "{chunk}");
        assert!(chunk as f64 * trajectory_bytes_per_trial(&big, 10_000) <= EVAL_CHUNK_BYTES);
    }
}
