//! The shards of a batch: each shard's noise stream and buffers, and the computation of
//! every shard's gradient (on threads natively). The shards' gradients are added in shard
//! order by [`super::Trainer`], so the weights do not depend on the number of threads or
//! Web Workers (`train.shards`).

use super::{bean, eprop, predictive_coding, LearningRule};
use crate::error::Result;
use crate::model::{Csr, Network};
use crate::rng::SimRng;
use crate::tasks::TrialBatch;
use crate::train::alloc::reserve_trajectory;
use crate::train::{
    backprop, forward, forward_on, partial_loss_and_gradient_shaped, reserve_gradient_scratch,
    ErrorSource, Gradients, LossKind, PackedBatch, Propagation, Trajectory, Workspace,
};
use std::borrow::Cow;

/// The training-noise stream and the buffers of one shard of every batch. With one shard
/// the stream is `"train-noise"` for the whole run; with several, shard `s` of step `k`
/// draws from its own stream `"train-noise-{k}-{s}"`, so any worker can compute any shard
/// of any step and get the same numbers.
pub(super) struct Shard {
    pub(super) noise: SimRng,
    pub(super) trajectory: Trajectory,
    /// The shard's trials packed by length, for the rules that run on a packed layout
    /// ([`packs_by_length`]).
    packed: PackedBatch,
    output_grad: Vec<f32>,
    workspace: Workspace,
    pub(super) gradients: Gradients,
}

impl Shard {
    pub(super) fn new(noise: SimRng) -> Self {
        Shard {
            noise,
            trajectory: Trajectory::default(),
            packed: PackedBatch::default(),
            output_grad: Vec::new(),
            workspace: Workspace::default(),
            gradients: Gradients::default(),
        }
    }
}

/// Why `rule` cannot split batches into shards, if it cannot.
pub(super) fn shard_refusal(rule: &LearningRule) -> Option<&'static str> {
    match rule {
        LearningRule::PredictiveCoding(_) | LearningRule::Bean(_) => Some(
            "must be 1 for this rule (its update couples the trials of a batch: \
             predictive coding normalises its errors over the whole batch, BEAN averages its \
             penalty over all of it)",
        ),
        LearningRule::HebbianOs(_)
        | LearningRule::HebbianOsPlus(_)
        | LearningRule::LocalPlasticity(_)
        | LearningRule::Reservoir(_) => Some("must be 1 for rules that write the weights directly"),
        LearningRule::Eprop(_) => {
            Some("must be 1 for eprop (its rate regulariser averages over the whole batch)")
        }
        _ => None,
    }
}

/// Whether a shard of `context`'s rule runs on its trials packed by length
/// ([`crate::train::packing`]: no step of a finished trial is computed): the rules whose
/// gradient is [`backprop`] of the readout loss with no error on the rates (BPTT, feedback
/// alignment, direct feedback alignment, imperfect forward), on rate or voltage units,
/// with an element-wise loss (MSE, hinge). Every other case runs padded. A trial's
/// outputs are the same bit for bit either way; the gradient differs only in the order
/// its sums over trials and steps add.
pub(super) fn packs_by_length(context: &RuleContext) -> bool {
    let rule_fits = matches!(
        context.rule,
        LearningRule::Bptt
            | LearningRule::FeedbackAlignment(_)
            | LearningRule::DirectFeedbackAlignment(_)
            | LearningRule::ImperfectForward(_)
    );
    rule_fits
        && !context.forward_net.config.dynamics.is_spiking()
        && !context.loss.is_classification()
}

/// Everything a gradient rule reads while computing one shard.
pub(super) struct RuleContext<'a> {
    pub(super) rule: &'a LearningRule,
    pub(super) feedback: Option<&'a Csr>,
    pub(super) loss: LossKind,
    pub(super) forward_net: &'a Network,
    pub(super) backward_net: &'a Network,
}

/// Compute every shard's gradient (on up to `threads` threads natively), shard `i` of
/// `shards` on its part `part(i)` of the batch — given, or drawn and packed by the thread
/// that computes the shard; returns each shard's loss and mask sum ([`mask_weight`]) in
/// shard order.
pub(super) fn run_shards<'p>(
    context: &RuleContext,
    part: &(dyn Fn(usize) -> Result<Cow<'p, TrialBatch>> + Sync),
    weight_total: f64,
    shards: &mut [Shard],
    threads: usize,
) -> Result<Vec<(f32, f32)>> {
    let threads = if cfg!(target_arch = "wasm32") {
        1
    } else {
        threads.clamp(1, shards.len().max(1))
    };
    let one = |i: usize, shard: &mut Shard| -> Result<(f32, f32)> {
        let part = part(i)?;
        let loss = shard_gradient(context, &part, weight_total, shard)?;
        Ok((loss, mask_weight(&part)))
    };
    if threads == 1 {
        return shards
            .iter_mut()
            .enumerate()
            .map(|(i, shard)| one(i, shard))
            .collect();
    }
    let per_thread = shards.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = shards
            .chunks_mut(per_thread)
            .enumerate()
            .map(|(c, chunk)| {
                let one = &one;
                scope.spawn(move || {
                    chunk
                        .iter_mut()
                        .enumerate()
                        .map(|(i, shard)| one(c * per_thread + i, shard))
                        .collect::<Result<Vec<(f32, f32)>>>()
                })
            })
            .collect();
        let mut outcomes = Vec::new();
        for handle in handles {
            outcomes.extend(handle.join().expect("a shard thread panicked")?);
        }
        Ok(outcomes)
    })
}

/// A shard's mask sum (its loss weight), rounded to f32 as it travels in the flat shard
/// vector of [`super::Trainer::shard_gradients_flat`] (exact for masks of small integers).
pub fn mask_weight(part: &TrialBatch) -> f32 {
    part.mask.iter().map(|m| *m as f64).sum::<f64>() as f32
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
        packed,
        output_grad,
        workspace,
        gradients,
    } = shard;
    let net = context.forward_net;
    let (t_len, b_len) = (part.n_steps, part.batch_size);
    let (n, o, dynamics) = (net.n_neurons(), net.n_outputs(), net.config.dynamics);
    let packs = packs_by_length(context);
    let packed_noise = packs && net.config.rec_noise_std > 0.0;
    reserve_trajectory(trajectory, n, o, (t_len, b_len), dynamics, packed_noise)?;
    // the backward pass's dense-layer gradient scratch (this thread's), for at most T·B
    // lanes; a dense W_rec's is N × T·B
    reserve_gradient_scratch(context.backward_net, t_len * b_len)?;
    if packs {
        packed.pack_from(part);
        forward_on(net, &packed.inputs, &packed.steps, Some(noise), trajectory);
        let loss = partial_loss_and_gradient_shaped(
            context.loss,
            &trajectory.outputs,
            &packed.targets,
            &packed.mask,
            (o, packed.steps.output_lanes(), 1),
            weight_total,
            output_grad,
        );
        let mut source = ErrorSource::EXACT;
        match context.rule {
            LearningRule::FeedbackAlignment(_) => source.feedback = context.feedback,
            LearningRule::DirectFeedbackAlignment(_) => {
                source.feedback = context.feedback;
                source.propagation = Propagation::LeakOnly;
            }
            _ => {}
        }
        backprop(
            context.backward_net,
            &packed.inputs,
            trajectory,
            output_grad,
            &source,
            gradients,
            workspace,
        );
        return Ok(loss);
    }
    forward(
        context.forward_net,
        &part.inputs,
        part.n_steps,
        part.batch_size,
        Some(noise),
        trajectory,
    );
    let mut loss = partial_loss_and_gradient_shaped(
        context.loss,
        &trajectory.outputs,
        &part.targets,
        &part.mask,
        (o, t_len, b_len),
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
        LearningRule::Eprop(c) => {
            let (penalty, rate_error) = eprop::rate_regularizer(
                trajectory,
                network.config.dt_ms,
                c.rate_regularization,
                c.target_rate_hz,
            );
            let rate_error = (c.rate_regularization > 0.0).then_some(rate_error.as_slice());
            *gradients = eprop::eprop_gradients(
                network,
                &part.inputs,
                trajectory,
                output_grad,
                context.feedback,
                rate_error,
            );
            return Ok(loss + penalty as f32);
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

/// `total += part` for the parameter tensors.
pub(super) fn add_into(total: &mut Gradients, part: &Gradients) {
    for (t, p) in [
        (&mut total.w_rec, &part.w_rec),
        (&mut total.w_in, &part.w_in),
        (&mut total.bias, &part.bias),
        (&mut total.w_out, &part.w_out),
        (&mut total.b_out, &part.b_out),
    ] {
        for (a, b) in t.iter_mut().zip(p) {
            *a += b;
        }
    }
}
