//! [`Trainer`]: the one training loop, used by the page, the CLI, the sweeps, the claims
//! and the benchmark. Each step draws a batch, asks the [`LearningRule`] for an update and
//! applies it: a gradient (checked for NaN/Inf, clipped to `clip_norm`, then the
//! optimizer) or new weights (the Hebbian and local rules).
//!
//! Random streams (all derived from seeds of the run description), from `train.seed`: with
//! one shard, `"data"` (batches) and `"train-noise"` (recurrent noise) for the whole run;
//! with several (`train.shards`), shard `s` of batch `k` draws its trials from
//! `"data-{k}-{s}"` (a `per-task` batch's component from `"data-{k}"`) and its noise from
//! `"train-noise-{k}-{s}"`, so a data-parallel worker draws only its own shards' trials and
//! the weights do not depend on the number of workers (`conditions` batches keep `"data"`); the imperfect-forward perturbations
//! from the rule's own `seed` (`"imperfect-forward"`); feedback matrices from the rule's
//! `seed` (`"feedback"`).

use super::reservoir::{self, ReadoutState};
use super::shards::{add_into, run_shards, shard_refusal, RuleContext, Shard};
use super::{feedback_alignment as fa, hebbian, imperfect, local};
use super::{BackwardModel, LearningRule};
use crate::error::{Check, Checked, Error, Result};
use crate::model::{Csr, Dynamics, Network};
use crate::rng::SimRng;
use crate::tasks::{Task, Trial, TrialBatch};
use crate::train::alloc::{try_pack, try_trials};
use crate::train::{
    check_channels, evaluate_batch, Batching, Gradients, Optimizer, StepStats, TrainConfig,
    Trajectory,
};
use std::borrow::Cow;

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
    /// Batches drawn so far by [`Trainer::next_batch`] (with several shards, batch `k`
    /// comes from the streams of step `k`).
    pub(super) batches_drawn: usize,
    perturb_rng: SimRng,
    /// One noise stream and one set of buffers per shard (`train.shards`).
    pub(super) shards: Vec<Shard>,
    threads: usize,
    /// The `reservoir` rule's learner state (normal equations or RLS matrix).
    readout: Option<ReadoutState>,
    /// The `reservoir` rule with `dfa_readout_learning_rate` > 0: direct feedback
    /// alignment's own output layer (O × N, f64, from zero), trained by its gradient.
    dfa_readout: Vec<f64>,
    /// The bias (O, from zero) of that output layer, trained with it.
    dfa_readout_bias: Vec<f64>,
    /// Loss of every step so far (before its update).
    pub loss_history: Vec<f32>,
    /// Keras's time-based learning-rate decay (see [`Trainer::set_lr_decay`]).
    lr_decay: f64,
}

/// The trials of one `random` or `per-task` batch of `task` from `rng` (`conditions`
/// batches are drawn by [`Trainer::next_batch`]). `per-task`: one uniform draw picks the
/// mixture component, then all `batch_size` trials come from it, with their
/// `task_index` set to it.
pub fn draw_trials(
    task: &dyn Task,
    batching: Batching,
    batch_size: usize,
    rng: &mut SimRng,
) -> Result<Vec<Trial>> {
    if batching != Batching::PerTask {
        return try_trials(task, rng, batch_size);
    }
    let index = draw_component(task, rng);
    component_trials(task, Some(index), batch_size, rng)
}

/// The mixture component of a `per-task` batch: one uniform draw of `rng`.
fn draw_component(task: &dyn Task, rng: &mut SimRng) -> usize {
    let n_tasks = task.component_ids().len().max(1);
    ((rng.uniform() * n_tasks as f64) as usize).min(n_tasks - 1)
}

/// `count` trials of `task`, or of its component `index` (their `task_index` set to it).
fn component_trials(
    task: &dyn Task,
    index: Option<usize>,
    count: usize,
    rng: &mut SimRng,
) -> Result<Vec<Trial>> {
    let Some(index) = index else {
        return try_trials(task, rng, count);
    };
    let component = task.component(index).unwrap_or(task);
    let mut trials = try_trials(component, rng, count)?;
    for trial in &mut trials {
        trial.task_index = index;
    }
    Ok(trials)
}

/// How many trials each of `shards` shards of a batch of `batch_size` holds (the cut of
/// [`TrialBatch::split`]: the first `batch_size % shards` shards one more).
pub fn shard_sizes(batch_size: usize, shards: usize) -> Vec<usize> {
    let shards = shards.clamp(1, batch_size.max(1));
    let (base, extra) = (batch_size / shards, batch_size % shards);
    (0..shards).map(|s| base + usize::from(s < extra)).collect()
}

/// Where the shards of a step get their trials.
pub(super) enum StepParts<'a> {
    /// Packed already, one per shard of the range.
    Packed(&'a [TrialBatch]),
    /// Drawn for batch `batch` ([`Trainer::step_trials`]'s streams) by the thread that
    /// computes each shard (`random` and `per-task` batching).
    Drawn { batch: usize },
}

/// The draws of the shards of one `random` or `per-task` batch: shard `s` of batch `k`
/// from its own stream `"data-{k}-{s}"`, a `per-task` batch's component from `"data-{k}"`.
struct ShardDraws<'t> {
    task: &'t dyn Task,
    sizes: Vec<usize>,
    seed: u64,
    batch: usize,
    component: Option<usize>,
}

impl<'t> ShardDraws<'t> {
    fn new(task: &'t dyn Task, config: &TrainConfig, n_shards: usize, batch: usize) -> Self {
        let seed = config.seed;
        let component = (config.batching == Batching::PerTask)
            .then(|| draw_component(task, &mut SimRng::derived(seed, &format!("data-{batch}"))));
        ShardDraws {
            task,
            sizes: shard_sizes(config.batch_size, n_shards),
            seed,
            batch,
            component,
        }
    }

    /// The trials of shard `s`.
    fn trials(&self, s: usize) -> Result<Vec<Trial>> {
        let size = self.sizes.get(s).copied().unwrap_or(0);
        let mut rng = SimRng::derived(self.seed, &format!("data-{}-{s}", self.batch));
        component_trials(self.task, self.component, size, &mut rng)
    }
}

/// `trials` sorted by length (stable) and laid out for `shards` shards (see
/// [`Batching::ByLength`]): with `trials.len()` a multiple of `shards`, the length groups
/// in the order shortest, longest, second shortest, second longest, ….
pub fn by_length(mut trials: Vec<Trial>, shards: usize) -> Vec<Trial> {
    trials.sort_by_key(Trial::n_steps);
    let shards = shards.max(1);
    if shards == 1 || !trials.len().is_multiple_of(shards) {
        return trials;
    }
    let size = trials.len() / shards;
    let mut groups: Vec<Vec<Trial>> = Vec::with_capacity(shards);
    let mut rest = trials.into_iter();
    for _ in 0..shards {
        groups.push(rest.by_ref().take(size).collect());
    }
    let (mut low, mut high) = (0, shards);
    let mut order = Vec::with_capacity(shards);
    while low < high {
        order.push(low);
        low += 1;
        if low < high {
            high -= 1;
            order.push(high);
        }
    }
    let mut slots: Vec<Option<Vec<Trial>>> = groups.into_iter().map(Some).collect();
    order
        .into_iter()
        .flat_map(|g| slots[g].take().unwrap_or_default())
        .collect()
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

/// Why `rule` cannot train spiking neurons (`lif` / `alif`), if it cannot.
fn spiking_refusal(rule: &LearningRule) -> Option<&'static str> {
    match rule {
        LearningRule::PredictiveCoding(_) => {
            Some("must be rate or voltage for predictive-coding (derived for rate units)")
        }
        LearningRule::HebbianOs(_) | LearningRule::HebbianOsPlus(_) => {
            Some("must be rate or voltage for the Turcu & Abbott Hebbian rules")
        }
        LearningRule::LocalPlasticity(_) => {
            Some("must be rate or voltage for local-plasticity (rate-based Hebb / Oja / BCM)")
        }
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
        if network.config.dynamics.is_spiking() {
            if let Some(why) = spiking_refusal(&rule) {
                return Err(Error::field("dynamics", "lif/alif", why));
            }
        } else if matches!(rule, LearningRule::Eprop(_)) {
            return Err(Error::field(
                "dynamics",
                "rate/voltage",
                "must be lif or alif for eprop (its traces are those of spiking neurons)",
            ));
        }
        let feedback = match &rule {
            LearningRule::FeedbackAlignment(c) | LearningRule::DirectFeedbackAlignment(c) => {
                Some(fa::feedback_matrix(&network, c))
            }
            LearningRule::Eprop(c) if c.feedback == super::EpropFeedback::Random => {
                let settings = fa::FeedbackConfig {
                    feedback_scale: c.feedback_scale,
                    seed: c.seed,
                };
                Some(fa::feedback_matrix(&network, &settings))
            }
            _ => None,
        };
        let perturb_seed = match &rule {
            LearningRule::ImperfectForward(c) => c.seed,
            _ => config.seed,
        };
        let readout = match &rule {
            LearningRule::Reservoir(c) => {
                reservoir::check_network(&network, c)?;
                Some(ReadoutState::new(c, &network))
            }
            _ => None,
        };
        if config.batching == Batching::Conditions {
            match task.n_conditions() {
                None => {
                    return Err(Error::field(
                        "batching",
                        "conditions",
                        "needs a task with a finite set of conditions (e.g. turcu-classification)",
                    ))
                }
                Some(n) if n != config.batch_size => {
                    return Err(Error::field(
                        "batch_size",
                        config.batch_size,
                        "must equal the task's number of conditions when batching is `conditions`",
                    ))
                }
                Some(_) => {}
            }
        }
        if config.batching == Batching::PerTask && task.component_ids().len() < 2 {
            return Err(Error::field(
                "batching",
                "per-task",
                "needs a task mixture (e.g. yang-mixture): one component per batch",
            ));
        }
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
            batches_drawn: 0,
            perturb_rng: SimRng::derived(perturb_seed, "imperfect-forward"),
            shards,
            threads: 1,
            readout,
            dfa_readout: Vec::new(),
            dfa_readout_bias: Vec::new(),
            network,
            task,
            config,
            rule,
            loss_history: Vec::new(),
            lr_decay: 0.0,
        })
    }

    /// Keras's time-based learning-rate decay: update k (0-based, counting the steps
    /// already done) uses `learning_rate / (1 + decay · k)` (Jarne & Laje train with 1e-4).
    /// 0 (the default) keeps the rate constant. Refused outside [0, 1] (`train.lr_decay`).
    pub fn set_lr_decay(&mut self, decay: f64) -> Result<()> {
        if !(0.0..=1.0).contains(&decay) {
            return Err(Error::field("train.lr_decay", decay, "must be in [0, 1]"));
        }
        self.lr_decay = decay;
        Ok(())
    }

    /// Steps done so far.
    pub fn steps_done(&self) -> usize {
        self.loss_history.len()
    }

    /// Draw the next training batch (advances the data stream; allocated fallibly, so an
    /// impossible size is an error, not an abort). With several shards the `k`-th call
    /// draws batch `k` ([`Trainer::step_trials`]).
    pub fn next_batch(&mut self) -> Result<TrialBatch> {
        if self.config.batching == Batching::Conditions {
            let trials = self
                .task
                .condition_trials(&mut self.data_rng)
                .unwrap_or_default();
            return Ok(TrialBatch::pack(trials));
        }
        let trials = self.next_trials()?;
        try_pack(self.task.as_ref(), trials)
    }

    /// The trials of the next `random`, `per-task` or `by-length` batch, unpacked, in
    /// batch order (advances the data stream exactly as [`Trainer::next_batch`] does).
    pub fn next_trials(&mut self) -> Result<Vec<Trial>> {
        self.batches_drawn += 1;
        if self.shards.len() > 1 {
            let all = 0..self.shards.len();
            let parts = self.step_trials(self.batches_drawn, all)?;
            return Ok(parts.into_iter().flatten().collect());
        }
        let mut trials = draw_trials(
            self.task.as_ref(),
            self.config.batching,
            self.config.batch_size,
            &mut self.data_rng,
        )?;
        if self.config.batching == Batching::ByLength {
            trials = by_length(trials, self.config.shards);
        }
        Ok(trials)
    }

    /// With several shards (`random`, `per-task` or `by-length` batching): the trials of
    /// shards `range` of batch `step`, one list per shard. Shard `s` draws from its own
    /// stream `"data-{step}-{s}"` (a `per-task` batch's component from `"data-{step}"`), so
    /// only the shards asked for are drawn; `by-length` sorts the whole batch, so it draws
    /// every shard and returns the asked ones of the sorted layout. Touches no state.
    pub fn step_trials(
        &self,
        step: usize,
        range: std::ops::Range<usize>,
    ) -> Result<Vec<Vec<Trial>>> {
        let n_shards = self.shards.len();
        if range.start > range.end || range.end > n_shards {
            return Err(Error::field(
                "shards",
                format!("{}..{}", range.start, range.end),
                "must be a range within 0..train.shards",
            ));
        }
        let draws = ShardDraws::new(self.task.as_ref(), &self.config, n_shards, step);
        let draw = |s: usize| draws.trials(s);
        if self.config.batching != Batching::ByLength {
            return range.map(draw).collect();
        }
        let mut all = Vec::new();
        for s in 0..n_shards {
            all.extend(draw(s)?);
        }
        let mut sorted = by_length(all, n_shards).into_iter();
        let mut parts = Vec::with_capacity(range.len());
        for (s, size) in draws.sizes.iter().enumerate() {
            let part: Vec<Trial> = sorted.by_ref().take(*size).collect();
            if range.contains(&s) {
                parts.push(part);
            }
        }
        Ok(parts)
    }

    /// One step of the rule on a fresh batch.
    ///
    /// With several shards, `random` or `per-task` batching and a gradient rule, each shard's
    /// trials are drawn and packed by the thread that computes the shard (the batch is
    /// never packed whole): the same parts as [`Trainer::next_batch`] cut by
    /// [`TrialBatch::split`], so the same weights, with the trial generation spread over
    /// the threads.
    pub fn train_step(&mut self) -> Result<StepStats> {
        let drawn_in_shards = self.shards.len() > 1
            && matches!(self.config.batching, Batching::Random | Batching::PerTask)
            && !self.direct_rule();
        if !drawn_in_shards {
            let batch = self.next_batch()?;
            return self.train_on_batch(&batch);
        }
        self.batches_drawn += 1;
        let step = self.steps_done() + 1;
        let batch = self.batches_drawn;
        let (loss, _) = self.sharded_gradients(StepParts::Drawn { batch }, step)?;
        self.finish_gradient_step(step, loss)
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

    /// The threads set by [`Trainer::set_threads`] (1 unless set); the session's
    /// evaluation scores a mixture's tasks on as many.
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// The rule's gradient on `batch` and the batch loss (with any penalty of the rule),
    /// without updating: the shards' gradients added in shard order. For the rules that
    /// write weights directly (Hebbian, local) this is the exact BPTT gradient of the loss.
    pub fn gradients(&mut self, batch: &TrialBatch) -> Result<(f32, &Gradients)> {
        let step = self.steps_done() + 1;
        if self.shards.len() == 1 {
            let weight_total: f64 = batch.mask.iter().map(|m| *m as f64).sum();
            let parts = StepParts::Packed(std::slice::from_ref(batch));
            let outcomes = self.shard_range_gradients(parts, step, 0..1, weight_total)?;
            return Ok((outcomes[0].0, &self.shards[0].gradients));
        }
        let parts = batch.split(self.shards.len());
        self.sharded_gradients(StepParts::Packed(&parts), step)
    }

    /// Every shard's gradient of step `step` on `parts`, added in shard order into the
    /// first shard's buffer and divided by the batch's mask sum ([`normalise`]); the batch
    /// loss.
    fn sharded_gradients(&mut self, parts: StepParts, step: usize) -> Result<(f32, &Gradients)> {
        let all = 0..self.shards.len();
        let outcomes = self.shard_range_gradients(parts, step, all, 1.0)?;
        let (losses, weights): (Vec<f32>, Vec<f32>) = outcomes.into_iter().unzip();
        let (first, rest) = self.shards.split_at_mut(1);
        for shard in rest.iter() {
            add_into(&mut first[0].gradients, &shard.gradients);
        }
        let loss = normalise(&mut first[0].gradients, &losses, &weights);
        Ok((loss, &self.shards[0].gradients))
    }

    /// Gradients of shards `range` for step `step` into their buffers, `parts` being
    /// those shards' trials (the whole batch with one shard); the shards' losses. Each
    /// shard's loss is its part of a batch loss whose whole mask sums to `weight_total`
    /// (with several shards: 1, the sums are divided by the batch's mask sum afterwards,
    /// [`normalise`], so no shard needs the other shards' trials).
    pub(super) fn shard_range_gradients<'p>(
        &mut self,
        parts: StepParts<'p>,
        step: usize,
        range: std::ops::Range<usize>,
        weight_total: f64,
    ) -> Result<Vec<(f32, f32)>> {
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
        let n_shards = self.shards.len();
        if n_shards > 1 {
            let seed = self.config.seed;
            for (s, shard) in self.shards.iter_mut().enumerate() {
                shard.noise = SimRng::derived(seed, &format!("train-noise-{step}-{s}"));
            }
        }
        let task = self.task.as_ref();
        let first = range.start;
        let (packed_part, drawn_part);
        let part: &(dyn Fn(usize) -> Result<Cow<'p, TrialBatch>> + Sync) = match parts {
            StepParts::Packed(parts) => {
                packed_part = move |i: usize| {
                    parts.get(i).map(Cow::Borrowed).ok_or_else(|| {
                        Error::field("shards", first + i, "has no part of the batch")
                    })
                };
                &packed_part
            }
            StepParts::Drawn { batch } => {
                let draws = ShardDraws::new(task, &self.config, n_shards, batch);
                drawn_part = move |i: usize| {
                    let trials = draws.trials(first + i)?;
                    Ok(Cow::Owned(try_pack(task, trials)?))
                };
                &drawn_part
            }
        };
        run_shards(
            &context,
            part,
            weight_total,
            &mut self.shards[range],
            self.threads,
        )
    }

    /// Whether the rule writes weights directly instead of giving a gradient.
    pub(super) fn direct_rule(&self) -> bool {
        matches!(
            self.rule,
            LearningRule::HebbianOs(_)
                | LearningRule::HebbianOsPlus(_)
                | LearningRule::LocalPlasticity(_)
                | LearningRule::Reservoir(_)
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
                {
                    let change = recurrent_change(&next, &self.network);
                    self.finish_direct(step, batch, next, change)
                }
            }
            LearningRule::HebbianOsPlus(c) => {
                let mut next = self.network.clone();
                hebbian::os_plus_batch(&mut next, self.task.as_ref(), batch, &c)
                    .map_err(|e| at(e, step))?;
                {
                    let change = recurrent_change(&next, &self.network);
                    self.finish_direct(step, batch, next, change)
                }
            }
            LearningRule::LocalPlasticity(c) => {
                self.shards[0].trajectory.simulate(&self.network, batch);
                let delta = local::local_update(&self.network, &self.shards[0].trajectory, &c);
                let mut next = self.network.clone();
                for (p, d) in next.w_rec_param.iter_mut().zip(&delta) {
                    *p += d;
                }
                next.refresh_effective_weights();
                {
                    let change = recurrent_change(&next, &self.network);
                    self.finish_direct(step, batch, next, change)
                }
            }
            LearningRule::Reservoir(c) => {
                let state = self.readout.as_mut().expect("set for the reservoir rule");
                let values = reservoir::readout_step(
                    &self.network,
                    batch,
                    &c,
                    state,
                    &mut self.shards[0].trajectory,
                )
                .map_err(|e| at(e, step))?;
                let mut next = self.network.clone();
                next.w_out.values.copy_from_slice(&values);
                next.w_out.sync_transpose();
                let mut change2 = next
                    .w_out
                    .values
                    .iter()
                    .zip(&self.network.w_out.values)
                    .map(|(a, b)| ((a - b) as f64) * ((a - b) as f64))
                    .sum::<f64>();
                if c.dfa_learning_rate > 0.0 {
                    let (n, o) = (next.n_neurons(), next.n_outputs());
                    let feedback = reservoir::dfa_feedback(n, o, c.dfa_seed);
                    let own = c.dfa_readout_learning_rate > 0.0;
                    if own && self.dfa_readout.len() != n * o {
                        self.dfa_readout = vec![0.0; n * o];
                        self.dfa_readout_bias = vec![0.0; o];
                    }
                    let bias = if own {
                        self.dfa_readout_bias.clone()
                    } else {
                        vec![0.0; o]
                    };
                    let error_readout: Vec<f32> = if own {
                        self.dfa_readout.iter().map(|v| *v as f32).collect()
                    } else {
                        values.clone()
                    };
                    let (direction, readout_gradient, bias_gradient) = reservoir::dfa_direction(
                        &self.network,
                        batch,
                        &self.shards[0].trajectory,
                        c.warmup,
                        &error_readout,
                        &bias,
                        &feedback,
                    );
                    if own {
                        let weights = self
                            .dfa_readout
                            .iter_mut()
                            .chain(&mut self.dfa_readout_bias);
                        let gradients = readout_gradient.iter().chain(&bias_gradient);
                        for (w, g) in weights.zip(gradients) {
                            *w -= c.dfa_readout_learning_rate * g;
                        }
                    }
                    for (p, d) in next.w_rec_param.iter_mut().zip(&direction) {
                        let step = (c.dfa_learning_rate * d) as f32;
                        *p -= step;
                        change2 += (step as f64) * (step as f64);
                    }
                    check(step, "inter-layer weights", change2)?;
                    next.refresh_effective_weights();
                }
                let change = change2.sqrt();
                if c.dfa_learning_rate > 0.0 {
                    // DFA changed the recurrent weights: the step's states are stale
                    return self.finish_direct(step, batch, next, change);
                }
                check(step, "weight change", change)?;
                let loss = reservoir::loss_after_fit(
                    &next,
                    self.task.as_ref(),
                    batch,
                    self.config.loss,
                    &mut self.shards[0].trajectory,
                );
                self.finish_with_loss(step, next, change, loss)
            }
            _ => {
                let (loss, _) = self.gradients(batch)?;
                self.finish_gradient_step(step, loss)
            }
        }
    }

    /// Check the summed gradient in the first shard's buffer and its loss, clip, apply,
    /// record.
    pub(super) fn finish_gradient_step(&mut self, step: usize, loss: f32) -> Result<StepStats> {
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
        if self.lr_decay > 0.0 {
            // Keras: lr / (1 + decay · updates done before this one)
            let done = self.loss_history.len() as f64;
            let lr = self.config.learning_rate / (1.0 + self.lr_decay * done);
            self.optimizer.set_learning_rate(lr);
        }
        self.optimizer
            .step(&mut self.network, &self.shards[0].gradients);
    }

    /// Accept directly computed weights if finite; the "gradient norm" reported is the
    /// norm of the weight change `change` (of the recurrent parameters, or of the readout).
    fn finish_direct(
        &mut self,
        step: usize,
        batch: &TrialBatch,
        next: Network,
        change: f64,
    ) -> Result<StepStats> {
        check(step, "weight change", change)?;
        let (loss, _) = evaluate_batch(&next, self.task.as_ref(), batch, self.config.loss);
        self.finish_with_loss(step, next, change, loss)
    }

    /// Accept `next` after a direct step whose batch loss after the update is `loss`.
    fn finish_with_loss(
        &mut self,
        step: usize,
        next: Network,
        change: f64,
        loss: f32,
    ) -> Result<StepStats> {
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

/// Norm of the change of the recurrent parameters from `old` to `next`.
fn recurrent_change(next: &Network, old: &Network) -> f64 {
    next.w_rec_param
        .iter()
        .zip(&old.w_rec_param)
        .map(|(a, b)| ((a - b) as f64) * ((a - b) as f64))
        .sum::<f64>()
        .sqrt()
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

/// Divide the sum of the shards' unnormalised gradients `total` (each computed with a
/// mask total of 1) by the batch's mask sum Σ `weights` (added in shard order, f64);
/// returns the batch loss Σ `losses` ÷ the same sum. The single trainer and the
/// data-parallel owner both finish a sharded step here, so their weights are identical.
pub fn normalise(total: &mut Gradients, losses: &[f32], weights: &[f32]) -> f32 {
    let weight: f64 = weights.iter().map(|w| *w as f64).sum();
    if weight <= 0.0 {
        total.scale(0.0);
        return 0.0;
    }
    total.scale((1.0 / weight) as f32);
    let loss: f64 = losses.iter().map(|l| *l as f64).sum();
    (loss / weight) as f32
}
