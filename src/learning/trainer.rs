//! [`Trainer`]: the one training loop, used by the page, the CLI, the sweeps, the claims
//! and the benchmark. Each step draws a batch, asks the [`LearningRule`] for an update and
//! applies it: a gradient (checked for NaN/Inf, clipped to `clip_norm`, then the
//! optimizer) or new weights (the Hebbian and local rules).
//!
//! Random streams (all derived from seeds of the run description): `"data"` (batches) and
//! `"train-noise"` (recurrent noise) from `train.seed`; the imperfect-forward perturbations
//! from the rule's own `seed` (`"imperfect-forward"`); feedback matrices from the rule's
//! `seed` (`"feedback"`).

use super::{bean, feedback_alignment as fa, hebbian, imperfect, local, predictive_coding};
use super::{BackwardModel, LearningRule};
use crate::error::{Check, Checked, Error, Result};
use crate::model::{Csr, Dynamics, Network};
use crate::rng::SimRng;
use crate::tasks::{Task, TrialBatch};
use crate::train::{
    backprop, check_channels, evaluate_batch, forward, loss_and_gradient, ErrorSource, Gradients,
    Optimizer, Propagation, StepStats, TrainConfig, Trajectory, Workspace,
};

/// A network, its task, a learning rule, the optimizer and the loss history.
pub struct Trainer {
    /// The network being trained.
    pub network: Network,
    /// The task.
    pub task: Box<dyn Task>,
    /// Hyper-parameters (learning rate, optimizer, batch size, clipping, loss, seed).
    pub config: TrainConfig,
    /// The learning rule.
    pub rule: LearningRule,
    optimizer: Optimizer,
    feedback: Option<Csr>,
    data_rng: SimRng,
    noise_rng: SimRng,
    perturb_rng: SimRng,
    trajectory: Trajectory,
    gradients: Gradients,
    output_grad: Vec<f32>,
    workspace: Workspace,
    /// Loss of every step so far (before its update).
    pub loss_history: Vec<f32>,
}

/// Why `rule` cannot train the voltage form of the dynamics, if it cannot.
fn voltage_refusal(rule: &LearningRule) -> Option<&'static str> {
    match rule {
        LearningRule::PredictiveCoding(_) => Some(
            "must be rate for predictive-coding (its inference is derived for the rate form's \
             prediction F(h) = (1−α)h + αf(W h + …))",
        ),
        _ => None,
    }
}

impl Trainer {
    /// Check `config` and `rule` once and assemble; the task's channel counts must match
    /// the network's.
    pub fn new(
        network: Network,
        task: Box<dyn Task>,
        config: TrainConfig,
        rule: LearningRule,
    ) -> Result<Self> {
        Self::from_checked(network, task, config.check()?, rule.check()?)
    }

    /// Assemble from already checked settings (no validation on this path).
    pub fn from_checked(
        network: Network,
        task: Box<dyn Task>,
        config: Checked<TrainConfig>,
        rule: Checked<LearningRule>,
    ) -> Result<Self> {
        let (config, rule) = (config.into_inner(), rule.into_inner());
        check_channels(&network, task.as_ref())?;
        if network.config.dynamics == Dynamics::Voltage {
            if let Some(why) = voltage_refusal(&rule) {
                return Err(Error::field("dynamics", "voltage", why));
            }
        }
        let feedback = match &rule {
            LearningRule::FeedbackAlignment(c) | LearningRule::DirectFeedbackAlignment(c) => {
                Some(fa::feedback_matrix(&network, c))
            }
            _ => None,
        };
        let perturb_seed = match &rule {
            LearningRule::ImperfectForward(c) => c.seed,
            _ => config.seed,
        };
        Ok(Trainer {
            optimizer: Optimizer::new(config.optimizer, &network, config.learning_rate),
            feedback,
            data_rng: SimRng::derived(config.seed, "data"),
            noise_rng: SimRng::derived(config.seed, "train-noise"),
            perturb_rng: SimRng::derived(perturb_seed, "imperfect-forward"),
            trajectory: Trajectory::default(),
            gradients: Gradients::default(),
            output_grad: Vec::new(),
            workspace: Workspace::default(),
            network,
            task,
            config,
            rule,
            loss_history: Vec::new(),
        })
    }

    /// Steps done so far.
    pub fn steps_done(&self) -> usize {
        self.loss_history.len()
    }

    /// Draw the next training batch (advances the data stream).
    pub fn next_batch(&mut self) -> TrialBatch {
        self.task.batch(&mut self.data_rng, self.config.batch_size)
    }

    /// One step of the rule on a fresh batch.
    pub fn train_step(&mut self) -> Result<StepStats> {
        let batch = self.next_batch();
        self.train_on_batch(&batch)
    }

    /// Loss and mean task score of the current network on `batch` (no noise).
    pub fn evaluate(&self, batch: &TrialBatch) -> (f32, f32) {
        evaluate_batch(&self.network, self.task.as_ref(), batch, self.config.loss)
    }

    /// The last trajectory simulated (for plots and tests).
    pub fn last_trajectory(&self) -> &Trajectory {
        &self.trajectory
    }

    /// The rule's gradient on `batch` and the batch loss (with any penalty of the rule),
    /// without updating. For the rules that write weights directly (Hebbian, local) this
    /// is the exact BPTT gradient of the loss.
    pub fn gradients(&mut self, batch: &TrialBatch) -> Result<(f32, &Gradients)> {
        let perturbed = match &self.rule {
            LearningRule::ImperfectForward(c) => Some(imperfect::perturbed_copy(
                &self.network,
                c,
                &mut self.perturb_rng,
            )),
            _ => None,
        };
        let forward_net = perturbed.as_ref().unwrap_or(&self.network);
        forward(
            forward_net,
            &batch.inputs,
            batch.n_steps,
            batch.batch_size,
            Some(&mut self.noise_rng),
            &mut self.trajectory,
        );
        let mut loss = loss_and_gradient(
            self.config.loss,
            &self.trajectory.outputs,
            &batch.targets,
            &batch.mask,
            &mut self.output_grad,
        );
        let (traj, inputs, e) = (&self.trajectory, &batch.inputs, &self.output_grad);
        let (grads, workspace) = (&mut self.gradients, &mut self.workspace);
        let mut source = ErrorSource::EXACT;
        let mut backward_net = &self.network;
        let mut extra_w_rec = None;
        let bean_terms;
        match &self.rule {
            LearningRule::FeedbackAlignment(_) | LearningRule::DirectFeedbackAlignment(_) => {
                source.feedback = self.feedback.as_ref();
                if matches!(self.rule, LearningRule::DirectFeedbackAlignment(_)) {
                    source.propagation = Propagation::LeakOnly;
                }
            }
            LearningRule::PredictiveCoding(c) => {
                *grads = predictive_coding::pc_gradients(
                    &self.network,
                    batch,
                    traj,
                    self.config.loss,
                    c,
                );
                return Ok((loss, &self.gradients));
            }
            LearningRule::Bean(c) => {
                bean_terms = bean::bean_terms(&self.network.w_rec, &traj.rates, c);
                loss += bean_terms.loss as f32;
                source.rate_error = Some(&bean_terms.grad_rates);
                extra_w_rec = Some(&bean_terms.grad_weights);
            }
            LearningRule::ImperfectForward(c) if c.backward == BackwardModel::Perturbed => {
                backward_net = forward_net;
            }
            _ => {}
        }
        backprop(backward_net, inputs, traj, e, &source, grads, workspace);
        if let Some(direct) = extra_w_rec {
            bean::add_weight_penalty(&self.network, direct, &mut grads.w_rec);
        }
        Ok((loss, &self.gradients))
    }

    /// One update of the rule on `batch`. On a non-finite loss, gradient or weight the
    /// weights are left untouched and [`Error::NonFinite`] is returned.
    pub fn train_on_batch(&mut self, batch: &TrialBatch) -> Result<StepStats> {
        let step = self.steps_done() + 1;
        match self.rule.clone() {
            LearningRule::HebbianOs(c) => {
                let mut next = self.network.clone();
                hebbian::one_shot_from_batch(&mut next, batch, &c).map_err(|e| at(e, step))?;
                self.finish_direct(step, batch, next)
            }
            LearningRule::HebbianOsPlus(c) => {
                let mut next = self.network.clone();
                hebbian::os_plus_batch(&mut next, self.task.as_ref(), batch, &c)
                    .map_err(|e| at(e, step))?;
                self.finish_direct(step, batch, next)
            }
            LearningRule::LocalPlasticity(c) => {
                forward(
                    &self.network,
                    &batch.inputs,
                    batch.n_steps,
                    batch.batch_size,
                    None,
                    &mut self.trajectory,
                );
                let delta = local::local_update(&self.network, &self.trajectory, &c);
                let mut next = self.network.clone();
                for (p, d) in next.w_rec_param.iter_mut().zip(&delta) {
                    *p += d;
                }
                next.refresh_effective_weights();
                self.finish_direct(step, batch, next)
            }
            _ => {
                let (loss, grads) = self.gradients(batch)?;
                check(step, "loss", loss as f64)?;
                let norm = grads.norm();
                check(step, "gradient norm", norm)?;
                self.apply_gradients(norm)?;
                self.loss_history.push(loss);
                Ok(StepStats {
                    step,
                    loss,
                    grad_norm: norm as f32,
                })
            }
        }
    }

    /// Clip the gradient of the last [`Trainer::gradients`] call (whose global norm is
    /// `norm`) to `clip_norm` and apply it with the optimizer.
    fn apply_gradients(&mut self, norm: f64) -> Result<()> {
        if self.config.clip_norm > 0.0 && norm > self.config.clip_norm {
            self.gradients.scale((self.config.clip_norm / norm) as f32);
        }
        self.optimizer.step(&mut self.network, &self.gradients);
        Ok(())
    }

    /// Accept directly computed weights if finite; the "gradient norm" reported is the
    /// norm of the weight change.
    fn finish_direct(
        &mut self,
        step: usize,
        batch: &TrialBatch,
        next: Network,
    ) -> Result<StepStats> {
        let change = next
            .w_rec_param
            .iter()
            .zip(&self.network.w_rec_param)
            .map(|(a, b)| ((a - b) as f64) * ((a - b) as f64))
            .sum::<f64>()
            .sqrt();
        check(step, "weight change", change)?;
        let (loss, _) = evaluate_batch(&next, self.task.as_ref(), batch, self.config.loss);
        check(step, "loss", loss as f64)?;
        self.network = next;
        self.loss_history.push(loss);
        Ok(StepStats {
            step,
            loss,
            grad_norm: change as f32,
        })
    }
}

fn check(step: usize, quantity: &'static str, value: f64) -> Result<()> {
    if value.is_finite() {
        Ok(())
    } else {
        Err(Error::NonFinite {
            step,
            quantity,
            value,
        })
    }
}

/// Put the step number into a non-finite error from a rule.
fn at(error: Error, step: usize) -> Error {
    match error {
        Error::NonFinite {
            quantity, value, ..
        } => Error::NonFinite {
            step,
            quantity,
            value,
        },
        other => other,
    }
}
