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
use crate::train::alloc::{reserve_trajectory, try_batch};
use crate::train::{
    backprop, check_channels, evaluate_batch, forward, partial_loss_and_gradient, ErrorSource,
    Gradients, LossKind, Optimizer, Propagation, StepStats, TrainConfig, Trajectory, Workspace,
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
    perturb_rng: SimRng,
    /// One noise stream and one set of buffers per shard (`train.shards`).
    shards: Vec<Shard>,
    threads: usize,
    /// Loss of every step so far (before its update).
    pub loss_history: Vec<f32>,
}

/// The training-noise stream and the buffers of one shard of every batch. With one shard
/// the stream is `"train-noise"` for the whole run; with several, shard `s` of step `k`
/// draws from its own stream `"train-noise-{k}-{s}"`, so any worker can compute any shard
/// of any step and get the same numbers.
struct Shard {
    noise: SimRng,
    trajectory: Trajectory,
    output_grad: Vec<f32>,
    workspace: Workspace,
    gradients: Gradients,
}

impl Shard {
    fn new(noise: SimRng) -> Self {
        Shard {
            noise,
            trajectory: Trajectory::default(),
            output_grad: Vec::new(),
            workspace: Workspace::default(),
            gradients: Gradients::default(),
        }
    }
}

/// Why `rule` cannot split batches into shards, if it cannot.
fn shard_refusal(rule: &LearningRule) -> Option<&'static str> {
    match rule {
        LearningRule::PredictiveCoding(_) | LearningRule::Bean(_) => Some(
            "must be 1 for this rule (its update couples the trials of a batch: \
             predictive coding normalises its errors over the whole batch, BEAN averages its \
             penalty over all of it)",
        ),
        LearningRule::HebbianOs(_)
        | LearningRule::HebbianOsPlus(_)
        | LearningRule::LocalPlasticity(_) => {
            Some("must be 1 for rules that write the weights directly")
        }
        _ => None,
    }
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
        if config.shards > 1 {
            if let Some(why) = shard_refusal(&rule) {
                return Err(Error::field("shards", config.shards, why));
            }
        }
        let shards = (0..config.shards.max(1))
            .map(|_| Shard::new(SimRng::derived(config.seed, "train-noise")))
            .collect();
        Ok(Trainer {
            optimizer: Optimizer::new(config.optimizer, &network, config.learning_rate),
            feedback,
            data_rng: SimRng::derived(config.seed, "data"),
            perturb_rng: SimRng::derived(perturb_seed, "imperfect-forward"),
            shards,
            threads: 1,
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

    /// Draw the next training batch (advances the data stream; allocated fallibly, so an
    /// impossible size is an error, not an abort).
    pub fn next_batch(&mut self) -> Result<TrialBatch> {
        try_batch(
            self.task.as_ref(),
            &mut self.data_rng,
            self.config.batch_size,
        )
    }

    /// One step of the rule on a fresh batch.
    pub fn train_step(&mut self) -> Result<StepStats> {
        let batch = self.next_batch()?;
        self.train_on_batch(&batch)
    }

    /// Loss and mean task score of the current network on `batch` (no noise).
    pub fn evaluate(&self, batch: &TrialBatch) -> (f32, f32) {
        evaluate_batch(&self.network, self.task.as_ref(), batch, self.config.loss)
    }

    /// The last trajectory simulated (of the first shard; for plots and tests).
    pub fn last_trajectory(&self) -> &Trajectory {
        &self.shards[0].trajectory
    }

    /// Compute the shards of each batch on up to `threads` threads (native builds; wasm
    /// has one). The weights do not depend on it (see `train.shards`).
    pub fn set_threads(&mut self, threads: usize) {
        self.threads = threads.max(1);
    }

    /// The rule's gradient on `batch` and the batch loss (with any penalty of the rule),
    /// without updating: the shards' gradients added in shard order. For the rules that
    /// write weights directly (Hebbian, local) this is the exact BPTT gradient of the loss.
    pub fn gradients(&mut self, batch: &TrialBatch) -> Result<(f32, &Gradients)> {
        let all = 0..self.shards.len();
        let losses = self.shard_range_gradients(batch, self.steps_done() + 1, all)?;
        let (first, rest) = self.shards.split_at_mut(1);
        for shard in rest.iter() {
            add_into(&mut first[0].gradients, &shard.gradients);
        }
        Ok((losses.iter().sum(), &self.shards[0].gradients))
    }

    /// Gradients of shards `range` of `batch` for step `step` into their buffers; the
    /// shards' losses.
    fn shard_range_gradients(
        &mut self,
        batch: &TrialBatch,
        step: usize,
        range: std::ops::Range<usize>,
    ) -> Result<Vec<f32>> {
        let perturbed = match &self.rule {
            LearningRule::ImperfectForward(c) => Some(imperfect::perturbed_copy(
                &self.network,
                c,
                &mut self.perturb_rng,
            )),
            _ => None,
        };
        let forward_net = perturbed.as_ref().unwrap_or(&self.network);
        let backward_net = match &self.rule {
            LearningRule::ImperfectForward(c) if c.backward == BackwardModel::Perturbed => {
                forward_net
            }
            _ => &self.network,
        };
        let context = RuleContext {
            rule: &self.rule,
            feedback: self.feedback.as_ref(),
            loss: self.config.loss,
            forward_net,
            backward_net,
        };
        let split;
        let parts = if self.shards.len() == 1 {
            std::slice::from_ref(batch)
        } else {
            split = batch.split(self.shards.len());
            &split
        };
        let weight_total: f64 = batch.mask.iter().map(|m| *m as f64).sum();
        if self.shards.len() > 1 {
            let seed = self.config.seed;
            for (s, shard) in self.shards.iter_mut().enumerate() {
                shard.noise = SimRng::derived(seed, &format!("train-noise-{step}-{s}"));
            }
        }
        run_shards(
            &context,
            &parts[range.clone()],
            weight_total,
            &mut self.shards[range],
            self.threads,
        )
    }

    /// Data-parallel training, part 1 (every worker, once per step, in step order): draw
    /// the batch of step `step` and compute the gradients of shards `range`, flattened as
    /// `[loss, dW_rec…, dW_in…, db…, dW_out…]` per shard. Every worker must call this for
    /// every step (it advances the batch stream); the owner then adds all shards with
    /// [`Trainer::apply_flat_gradients`].
    pub fn shard_gradients_flat(
        &mut self,
        step: usize,
        range: std::ops::Range<usize>,
    ) -> Result<Vec<f32>> {
        if range.start > range.end || range.end > self.shards.len() {
            return Err(Error::field(
                "shards",
                format!("{}..{}", range.start, range.end),
                "must be a range within 0..train.shards",
            ));
        }
        if self.direct_rule() {
            return Err(Error::field(
                "rule",
                "direct",
                "must be a gradient rule for data-parallel training",
            ));
        }
        let batch = self.next_batch()?;
        let losses = self.shard_range_gradients(&batch, step, range.clone())?;
        let mut flat = Vec::new();
        for (loss, shard) in losses.iter().zip(&self.shards[range]) {
            let g = &shard.gradients;
            flat.push(*loss);
            for tensor in [&g.w_rec, &g.w_in, &g.bias, &g.w_out] {
                flat.extend_from_slice(tensor);
            }
        }
        Ok(flat)
    }

    /// Data-parallel training, part 2 (the owner): add the flattened gradients of every
    /// shard (concatenated in shard order, as [`Trainer::shard_gradients_flat`] returns
    /// them) in shard order, then check, clip and apply them like
    /// [`Trainer::train_on_batch`].
    pub fn apply_flat_gradients(&mut self, flat: &[f32]) -> Result<StepStats> {
        let sizes = [
            self.network.w_rec.nnz(),
            self.network.w_in.nnz(),
            self.network.bias.len(),
            self.network.w_out.nnz(),
        ];
        let per_shard = 1 + sizes.iter().sum::<usize>();
        if flat.len() != per_shard * self.shards.len() {
            return Err(Error::Shape {
                what: "shard gradients",
                expected: format!("{} floats", per_shard * self.shards.len()),
                actual: format!("{} floats", flat.len()),
            });
        }
        let step = self.steps_done() + 1;
        let mut loss = 0.0f32;
        let total = &mut self.shards[0].gradients;
        for (s, chunk) in flat.chunks(per_shard).enumerate() {
            loss += chunk[0];
            let mut offset = 1;
            for (k, tensor) in [
                &mut total.w_rec,
                &mut total.w_in,
                &mut total.bias,
                &mut total.w_out,
            ]
            .into_iter()
            .enumerate()
            {
                let part = &chunk[offset..offset + sizes[k]];
                if s == 0 {
                    tensor.clear();
                    tensor.extend_from_slice(part);
                } else {
                    tensor.iter_mut().zip(part).for_each(|(a, b)| *a += b);
                }
                offset += sizes[k];
            }
        }
        self.finish_gradient_step(step, loss)
    }

    /// The flat parameter vector `[W_rec params…, W_in…, b…, W_out…]` (to send to workers).
    pub fn parameters_flat(&self) -> Vec<f32> {
        let n = &self.network;
        [&n.w_rec_param, &n.w_in.values, &n.bias, &n.w_out.values]
            .into_iter()
            .flat_map(|t| t.iter().copied())
            .collect()
    }

    /// Replace the parameters by a vector from [`Trainer::parameters_flat`] (a worker
    /// receiving the owner's weights).
    pub fn set_parameters_flat(&mut self, flat: &[f32]) -> Result<()> {
        let n = &mut self.network;
        let expected = n.w_rec_param.len() + n.w_in.nnz() + n.bias.len() + n.w_out.nnz();
        if flat.len() != expected {
            return Err(Error::Shape {
                what: "parameters",
                expected: format!("{expected} floats"),
                actual: format!("{} floats", flat.len()),
            });
        }
        let mut rest = flat;
        for tensor in [
            &mut n.w_rec_param,
            &mut n.w_in.values,
            &mut n.bias,
            &mut n.w_out.values,
        ] {
            let (head, tail) = rest.split_at(tensor.len());
            tensor.copy_from_slice(head);
            rest = tail;
        }
        n.refresh_effective_weights();
        Ok(())
    }

    /// Whether the rule writes weights directly instead of giving a gradient.
    fn direct_rule(&self) -> bool {
        matches!(
            self.rule,
            LearningRule::HebbianOs(_)
                | LearningRule::HebbianOsPlus(_)
                | LearningRule::LocalPlasticity(_)
        )
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
                    &mut self.shards[0].trajectory,
                );
                let delta = local::local_update(&self.network, &self.shards[0].trajectory, &c);
                let mut next = self.network.clone();
                for (p, d) in next.w_rec_param.iter_mut().zip(&delta) {
                    *p += d;
                }
                next.refresh_effective_weights();
                self.finish_direct(step, batch, next)
            }
            _ => {
                let (loss, _) = self.gradients(batch)?;
                self.finish_gradient_step(step, loss)
            }
        }
    }

    /// Check the summed gradient in the first shard's buffer and its loss, clip, apply,
    /// record.
    fn finish_gradient_step(&mut self, step: usize, loss: f32) -> Result<StepStats> {
        check(step, "loss", loss as f64)?;
        let norm = self.shards[0].gradients.norm();
        check(step, "gradient norm", norm)?;
        self.apply_gradients(norm);
        self.loss_history.push(loss);
        Ok(StepStats {
            step,
            loss,
            grad_norm: norm as f32,
        })
    }

    /// Clip the gradient of the last [`Trainer::gradients`] call (whose global norm is
    /// `norm`) to `clip_norm` and apply it with the optimizer.
    fn apply_gradients(&mut self, norm: f64) {
        if self.config.clip_norm > 0.0 && norm > self.config.clip_norm {
            self.shards[0]
                .gradients
                .scale((self.config.clip_norm / norm) as f32);
        }
        self.optimizer
            .step(&mut self.network, &self.shards[0].gradients);
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

/// Everything a gradient rule reads while computing one shard.
struct RuleContext<'a> {
    rule: &'a LearningRule,
    feedback: Option<&'a Csr>,
    loss: LossKind,
    forward_net: &'a Network,
    backward_net: &'a Network,
}

/// Compute every shard's gradient (on up to `threads` threads natively); returns the
/// shards' losses in shard order.
fn run_shards(
    context: &RuleContext,
    parts: &[TrialBatch],
    weight_total: f64,
    shards: &mut [Shard],
    threads: usize,
) -> Result<Vec<f32>> {
    let threads = if cfg!(target_arch = "wasm32") {
        1
    } else {
        threads.clamp(1, shards.len())
    };
    if threads == 1 {
        return parts
            .iter()
            .zip(shards.iter_mut())
            .map(|(part, shard)| shard_gradient(context, part, weight_total, shard))
            .collect();
    }
    let per_thread = shards.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = parts
            .chunks(per_thread)
            .zip(shards.chunks_mut(per_thread))
            .map(|(parts, shards)| {
                scope.spawn(move || {
                    parts
                        .iter()
                        .zip(shards.iter_mut())
                        .map(|(part, shard)| shard_gradient(context, part, weight_total, shard))
                        .collect::<Result<Vec<f32>>>()
                })
            })
            .collect();
        let mut losses = Vec::new();
        for handle in handles {
            losses.extend(handle.join().expect("a shard thread panicked")?);
        }
        Ok(losses)
    })
}

/// One shard: simulate it with its noise stream, take its part of the batch loss (whose
/// whole mask sums to `weight_total`) and the rule's gradient into `shard.gradients`.
fn shard_gradient(
    context: &RuleContext,
    part: &TrialBatch,
    weight_total: f64,
    shard: &mut Shard,
) -> Result<f32> {
    let Shard {
        noise,
        trajectory,
        output_grad,
        workspace,
        gradients,
    } = shard;
    let net = context.forward_net;
    let (t_len, b_len) = (part.n_steps, part.batch_size);
    let (n, o, dynamics) = (net.n_neurons(), net.n_outputs(), net.config.dynamics);
    reserve_trajectory(trajectory, n, o, t_len, b_len, dynamics)?;
    forward(
        context.forward_net,
        &part.inputs,
        part.n_steps,
        part.batch_size,
        Some(noise),
        trajectory,
    );
    let mut loss = partial_loss_and_gradient(
        context.loss,
        &trajectory.outputs,
        &part.targets,
        &part.mask,
        weight_total,
        output_grad,
    );
    let network = context.backward_net;
    let mut source = ErrorSource::EXACT;
    let mut bean_terms = None;
    match context.rule {
        LearningRule::FeedbackAlignment(_) => source.feedback = context.feedback,
        LearningRule::DirectFeedbackAlignment(_) => {
            source.feedback = context.feedback;
            source.propagation = Propagation::LeakOnly;
        }
        LearningRule::PredictiveCoding(c) => {
            *gradients =
                predictive_coding::pc_gradients(network, part, trajectory, context.loss, c);
            return Ok(loss);
        }
        LearningRule::Bean(c) => {
            let terms = bean_terms.insert(bean::bean_terms(&network.w_rec, &trajectory.rates, c));
            loss += terms.loss as f32;
        }
        _ => {}
    }
    source.rate_error = bean_terms.as_ref().map(|t| t.grad_rates.as_slice());
    backprop(
        network,
        &part.inputs,
        trajectory,
        output_grad,
        &source,
        gradients,
        workspace,
    );
    if let Some(terms) = &bean_terms {
        bean::add_weight_penalty(network, &terms.grad_weights, &mut gradients.w_rec);
    }
    Ok(loss)
}

/// `total += part` for the four parameter tensors.
fn add_into(total: &mut Gradients, part: &Gradients) {
    for (t, p) in [
        (&mut total.w_rec, &part.w_rec),
        (&mut total.w_in, &part.w_in),
        (&mut total.bias, &part.bias),
        (&mut total.w_out, &part.w_out),
    ] {
        for (a, b) in t.iter_mut().zip(p) {
            *a += b;
        }
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
