//! [`RuleTrainer`]: the training loop of [`crate::train::Trainer`] (batch, gradient,
//! clipping, Adam) with the gradient supplied by any [`LearningRule`]. The Hebbian and
//! local rules write the weights directly instead of going through Adam.

use super::{bean, feedback_alignment as fa, hebbian, imperfect, local, predictive_coding};
use super::{BackwardModel, LearningRule};
use crate::error::{Error, Result};
use crate::model::{Csr, Dynamics, Network};
use crate::rng::SimRng;
use crate::tasks::{Task, TrialBatch};
use crate::train::{
    backward, evaluate_batch, forward, loss_and_gradient, Adam, Gradients, StepStats, TrainConfig,
    Trajectory,
};

/// Owns a network, its task, a rule and the optimizer.
pub struct RuleTrainer {
    /// The network being trained.
    pub network: Network,
    /// The task.
    pub task: Box<dyn Task>,
    /// Hyper-parameters (learning rate, batch size, clipping, loss, seed).
    pub config: TrainConfig,
    /// The learning rule.
    pub rule: LearningRule,
    adam: Adam,
    feedback: Option<Csr>,
    data_rng: SimRng,
    noise_rng: SimRng,
    trajectory: Trajectory,
    /// Loss of every step so far (before its update).
    pub loss_history: Vec<f32>,
}

impl RuleTrainer {
    /// Validate and assemble; the task's channel counts must match the network's. The
    /// voltage form of the dynamics ([`Dynamics::Voltage`]) is only accepted with the rules
    /// whose gradient is exact BPTT (`bptt`, `imperfect-forward`): the others are derived
    /// for the rate form.
    pub fn new(
        network: Network,
        task: Box<dyn Task>,
        config: TrainConfig,
        rule: LearningRule,
    ) -> Result<Self> {
        config.validate()?;
        rule.validate()?;
        crate::train::check_channels(&network, task.as_ref())?;
        let bptt_based = matches!(rule, LearningRule::Bptt | LearningRule::ImperfectForward(_));
        if network.config.dynamics == Dynamics::Voltage && !bptt_based {
            return Err(Error::field(
                "dynamics",
                "voltage",
                "must be rate for this learning rule (voltage needs bptt or imperfect-forward)",
            ));
        }
        let feedback = match &rule {
            LearningRule::FeedbackAlignment(c) | LearningRule::DirectFeedbackAlignment(c) => {
                Some(fa::feedback_matrix(&network, c))
            }
            _ => None,
        };
        let noise_seed = match &rule {
            LearningRule::ImperfectForward(c) => c.seed,
            _ => config.seed,
        };
        Ok(RuleTrainer {
            adam: Adam::for_network(&network, config.learning_rate),
            feedback,
            data_rng: SimRng::derived(config.seed, "data"),
            noise_rng: SimRng::derived(noise_seed, "rule-noise"),
            trajectory: Trajectory::default(),
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

    /// One step of the rule on a fresh batch.
    pub fn train_step(&mut self) -> Result<StepStats> {
        let batch = crate::budget::alloc::try_batch(
            self.task.as_ref(),
            &mut self.data_rng,
            self.config.batch_size,
        )?;
        self.train_on_batch(&batch)
    }

    /// Loss and mean task score of the current network on `batch` (no noise).
    pub fn evaluate(&self, batch: &TrialBatch) -> (f32, f32) {
        evaluate_batch(&self.network, self.task.as_ref(), batch, self.config.loss)
    }

    /// The rule's gradients on `batch` and the batch loss, without updating.
    pub fn gradients(&mut self, batch: &TrialBatch) -> Result<(f32, Gradients)> {
        let perturbed = match &self.rule {
            LearningRule::ImperfectForward(c) => Some(imperfect::perturbed_copy(
                &self.network,
                c,
                &mut self.noise_rng,
            )),
            _ => None,
        };
        let forward_net = perturbed.as_ref().unwrap_or(&self.network);
        let (n, o) = (forward_net.n_neurons(), forward_net.n_outputs());
        let dynamics = forward_net.config.dynamics;
        let (t, b) = (batch.n_steps, batch.batch_size);
        crate::budget::alloc::reserve_trajectory(&mut self.trajectory, n, o, t, b, dynamics)?;
        forward(
            forward_net,
            &batch.inputs,
            batch.n_steps,
            batch.batch_size,
            Some(&mut self.noise_rng),
            &mut self.trajectory,
        );
        let mut e = Vec::new();
        let mut loss = loss_and_gradient(
            self.config.loss,
            &self.trajectory.outputs,
            &batch.targets,
            &batch.mask,
            &mut e,
        );
        let (net, traj, x) = (&self.network, &self.trajectory, &batch.inputs);
        let grads = match &self.rule {
            LearningRule::FeedbackAlignment(_) | LearningRule::DirectFeedbackAlignment(_) => {
                let b = self.feedback.as_ref().ok_or(Error::field(
                    "rule",
                    "feedback alignment",
                    "needs its feedback matrix (internal)",
                ))?;
                if matches!(self.rule, LearningRule::FeedbackAlignment(_)) {
                    fa::fa_gradients(net, b, x, traj, &e)
                } else {
                    fa::dfa_gradients(net, b, x, traj, &e)
                }
            }
            LearningRule::PredictiveCoding(c) => {
                predictive_coding::pc_gradients(net, batch, traj, self.config.loss, c)?
            }
            LearningRule::Bean(c) => {
                let (g, penalty) = bean::bean_gradients(net, x, traj, &e, c);
                loss += penalty as f32;
                g
            }
            LearningRule::ImperfectForward(c) if c.backward == BackwardModel::Perturbed => {
                bptt(forward_net, x, traj, &e)
            }
            _ => bptt(net, x, traj, &e),
        };
        Ok((loss, grads))
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
            _ => self.gradient_step(step, batch),
        }
    }

    fn gradient_step(&mut self, step: usize, batch: &TrialBatch) -> Result<StepStats> {
        let (loss, mut grads) = self.gradients(batch)?;
        check(step, "loss", loss as f64)?;
        let norm = grads.norm();
        check(step, "gradient norm", norm)?;
        if self.config.clip_norm > 0.0 && norm > self.config.clip_norm {
            grads.scale((self.config.clip_norm / norm) as f32);
        }
        self.adam.step_network(&mut self.network, &grads);
        self.loss_history.push(loss);
        Ok(StepStats {
            step,
            loss,
            grad_norm: norm as f32,
        })
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

fn bptt(network: &Network, inputs: &[f32], trajectory: &Trajectory, e: &[f32]) -> Gradients {
    let mut grads = Gradients::default();
    backward(network, inputs, trajectory, e, &mut grads, &mut Vec::new());
    grads
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
