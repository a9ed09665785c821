//! The training loop: draw a batch, simulate, BPTT, clip, Adam, record.

use super::{backward, forward, loss_and_gradient, Adam, Gradients, LossKind, Trajectory};
use crate::error::{at_least, non_negative, positive, Error, Result};
use crate::model::Network;
use crate::rng::SimRng;
use crate::tasks::{Task, TrialBatch};
use serde::{Deserialize, Serialize};

/// Training hyper-parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrainConfig {
    /// Adam step size.
    pub learning_rate: f64,
    /// Trials per batch.
    pub batch_size: usize,
    /// Clip the global gradient norm to this value (0 = no clipping).
    pub clip_norm: f64,
    /// Loss function.
    pub loss: LossKind,
    /// Seed of batch sampling and training noise.
    pub seed: u64,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            learning_rate: 1e-3,
            batch_size: 32,
            clip_norm: 1.0,
            loss: LossKind::Mse,
            seed: 1,
        }
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

/// Owns a network, its task, the optimizer and the history.
pub struct Trainer {
    /// The network being trained.
    pub network: Network,
    /// The task.
    pub task: Box<dyn Task>,
    /// Hyper-parameters.
    pub config: TrainConfig,
    adam: Adam,
    data_rng: SimRng,
    noise_rng: SimRng,
    trajectory: Trajectory,
    gradients: Gradients,
    output_grad: Vec<f32>,
    scratch: Vec<f32>,
    /// Loss of every step so far.
    pub loss_history: Vec<f32>,
    /// (step, accuracy) of every evaluation so far.
    pub accuracy_history: Vec<(usize, f32)>,
}

impl Trainer {
    /// Validate and assemble; the task's channel counts must match the network's.
    pub fn new(network: Network, task: Box<dyn Task>, config: TrainConfig) -> Result<Self> {
        config.validate()?;
        check_channels(&network, task.as_ref())?;
        Ok(Trainer {
            adam: Adam::for_network(&network, config.learning_rate),
            data_rng: SimRng::derived(config.seed, "data"),
            noise_rng: SimRng::derived(config.seed, "train-noise"),
            network,
            task,
            config,
            trajectory: Trajectory::default(),
            gradients: Gradients::default(),
            output_grad: Vec::new(),
            scratch: Vec::new(),
            loss_history: Vec::new(),
            accuracy_history: Vec::new(),
        })
    }

    /// Steps done so far.
    pub fn steps_done(&self) -> usize {
        self.loss_history.len()
    }

    /// Loss and gradients on `batch` without updating (used by tests and other rules).
    pub fn loss_and_gradients(&mut self, batch: &TrialBatch) -> (f32, &Gradients) {
        forward(
            &self.network,
            &batch.inputs,
            batch.n_steps,
            batch.batch_size,
            Some(&mut self.noise_rng),
            &mut self.trajectory,
        );
        let loss = loss_and_gradient(
            self.config.loss,
            &self.trajectory.outputs,
            &batch.targets,
            &batch.mask,
            &mut self.output_grad,
        );
        backward(
            &self.network,
            &batch.inputs,
            &self.trajectory,
            &self.output_grad,
            &mut self.gradients,
            &mut self.scratch,
        );
        (loss, &self.gradients)
    }

    /// One step of BPTT + Adam on a fresh batch. On a non-finite loss or gradient the
    /// weights are left untouched and [`Error::NonFinite`] is returned.
    pub fn train_step(&mut self) -> Result<StepStats> {
        let batch = crate::budget::alloc::try_batch(
            self.task.as_ref(),
            &mut self.data_rng,
            self.config.batch_size,
        )?;
        self.train_on_batch(&batch)
    }

    /// One BPTT + Adam step on a given batch.
    pub fn train_on_batch(&mut self, batch: &TrialBatch) -> Result<StepStats> {
        let step = self.steps_done() + 1;
        let (n, o) = (self.network.n_neurons(), self.network.n_outputs());
        let (t, b, dynamics) = (
            batch.n_steps,
            batch.batch_size,
            self.network.config.dynamics,
        );
        crate::budget::alloc::reserve_trajectory(&mut self.trajectory, n, o, t, b, dynamics)?;
        let (loss, grads) = self.loss_and_gradients(batch);
        if !loss.is_finite() {
            return Err(Error::NonFinite {
                step,
                quantity: "loss",
                value: loss as f64,
            });
        }
        let norm = grads.norm();
        if !norm.is_finite() {
            return Err(Error::NonFinite {
                step,
                quantity: "gradient norm",
                value: norm,
            });
        }
        if self.config.clip_norm > 0.0 && norm > self.config.clip_norm {
            self.gradients.scale((self.config.clip_norm / norm) as f32);
        }
        self.apply_gradients();
        self.loss_history.push(loss);
        Ok(StepStats {
            step,
            loss,
            grad_norm: norm as f32,
        })
    }

    fn apply_gradients(&mut self) {
        self.adam.step_network(&mut self.network, &self.gradients);
    }

    /// Run `n_trials` fresh trials (drawn from `seed`, no training noise) and return
    /// (mean loss, mean task score); also records the score in the history.
    pub fn evaluate(&mut self, n_trials: usize, seed: u64) -> (f32, f32) {
        let mut rng = SimRng::derived(seed, "eval");
        let batch = self.task.batch(&mut rng, n_trials.max(1));
        let result = evaluate_batch(&self.network, self.task.as_ref(), &batch, self.config.loss);
        self.accuracy_history.push((self.steps_done(), result.1));
        result
    }

    /// The last trajectory simulated (for plots).
    pub fn last_trajectory(&self) -> &Trajectory {
        &self.trajectory
    }
}

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
