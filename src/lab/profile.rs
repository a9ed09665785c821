//! Phase profile of a training step: where every millisecond of a BPTT step on a run
//! description goes (trial generation, packing, input projection, the recurrent noise
//! draws, recurrence, readout, loss, the backward phases, the gradient reduction, the
//! optimizer and the amortised evaluation), with a FLOP model per phase.
//!
//! The [`StepProfiler`] replays the [`crate::learning::Trainer`]'s step phase by phase
//! from the public pieces it is made of — the same batch draws, the same shard split and
//! noise streams, the same kernels in the same order, its own optimizer — so its weights
//! stay bit-identical to a trainer's on the same run description (tested), and the
//! timed code is the real step, not a model of it. Nothing is timed inside a hot loop:
//! the clock is read between whole phases. [`profile_run`] interleaves profiled steps
//! with real trainer steps (same load on both), so the table ends with the trainer's own
//! step time and the part of it the phases do not account for.

use super::session::Session;
use crate::error::{Error, Result};
use crate::learning::{mask_weight, normalise, LearningRule, Trainer};
use crate::model::Network;
use crate::rng::SimRng;
use crate::tasks::TrialBatch;
use crate::train::alloc::reserve_trajectory;
use crate::train::{
    backprop, input_projection, input_projection_on, parameter_gradients_on,
    partial_loss_and_gradient_shaped, presynaptic_states, project_back, readout, recurrence,
    recurrent_noise, reserve_gradient_scratch, ErrorSource, Gradients, Optimizer, PackedBatch,
    StepLanes, Trajectory, Workspace,
};
use serde::Serialize;
use serde_json::Value;

/// The phases of a step, in order ([`PhaseRow::phase`] names). "packing (shards)"
/// includes laying each shard out by length ([`PackedBatch::pack_from`]).
pub const PHASES: &[&str] = &[
    "trial generation",
    "packing (whole batch)",
    "packing (shards)",
    "noise streams",
    "input projection",
    "recurrent noise",
    "recurrence",
    "readout",
    "loss",
    "backprop (all)",
    "gradient sum + norm + clip",
    "optimizer",
];

/// Sub-phases of "backprop (all)", timed by running them once more on the same data
/// (not part of the sum).
pub const BACKPROP_PARTS: &[&str] = &[
    "  of which readout back (W_outᵀ dy)",
    "  of which weight gradients (W_in, W_out GEMMs; W_rec SDDMM; bias)",
    "  of which recurrence back (rest)",
];

/// One row of the profile: a phase's mean time per step and its FLOPs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhaseRow {
    /// Phase name (one of [`PHASES`], [`BACKPROP_PARTS`] or a summary row).
    pub phase: String,
    /// Mean milliseconds per step.
    pub ms: f64,
    /// Floating-point operations per step of the phase's model (0 where not modelled).
    pub gflop: f64,
}

impl PhaseRow {
    /// GFLOP/s of the phase (0 when it has no FLOP model or took no time).
    pub fn gflops(&self) -> f64 {
        if self.ms > 0.0 {
            self.gflop / (self.ms / 1e3)
        } else {
            0.0
        }
    }
}

/// What [`profile_run`] measured.
#[derive(Debug, Clone, Serialize)]
pub struct StepProfile {
    /// The phases of a profiled step (means over the timed steps), then the
    /// "backprop (all)" parts, then the summary rows.
    pub rows: Vec<PhaseRow>,
    /// Timed steps (after one untimed warm-up step of each kind).
    pub steps: usize,
    /// Mean of the profiled steps' phase sums, ms.
    pub profiled_ms: f64,
    /// Mean time of a real trainer step measured between the profiled ones, ms.
    pub trainer_ms: f64,
    /// Mean trial length (steps) of the drawn trials.
    pub mean_trial_steps: f64,
    /// Mean length (steps T, its longest trial) of the shards the kernels ran on.
    pub mean_packed_steps: f64,
    /// Fraction of the kernels' time-lanes that are padding: 1 − Σ trial steps ÷ Σ lanes
    /// of the shards' step-indexed rows (T·B padded; Σ_t c_t packed by length, see
    /// [`crate::train::packing`], where only the ≤ one step of finished lanes is left).
    pub padding_fraction: f64,
    /// The build's multiply-add ceiling in GFLOP/s ([`madd_peak_gflops`], measured before
    /// the steps): the yardstick for every phase's GFLOP/s.
    pub madd_peak_gflops: f64,
}

/// The build's multiply-add throughput in GFLOP/s: [`crate::kernels::madd_peak`] (the
/// kernels' multiply-add on registers, on the widest vectors the GEMM uses here — 8 lanes
/// natively with AVX2, else 4 — as many chains as a GEMM tile), the best of `repeats` timed
/// calls of 2²⁰ rounds each (≈ 0.1–0.2 GFLOP).
pub fn madd_peak_gflops(repeats: usize, clock: &mut dyn FnMut() -> f64) -> f64 {
    use crate::kernels::{madd_peak, madd_peak_lanes, PEAK_CHAINS};
    let rounds = 1 << 20;
    let flop = (2 * madd_peak_lanes() * PEAK_CHAINS * rounds) as f64;
    let mut best = 0.0f64;
    for r in 0..repeats.max(1) {
        let t0 = clock();
        let sum = madd_peak(rounds, 1.0 + r as f32 * 1e-7);
        let ms = clock() - t0;
        core::hint::black_box(sum);
        if ms > 0.0 {
            best = best.max(flop / (ms / 1e3) / 1e9);
        }
    }
    best
}

/// Replays a trainer's BPTT step phase by phase (see the module docs).
pub struct StepProfiler {
    trainer: Trainer,
    optimizer: Optimizer,
    noise: SimRng,
    shards: Vec<(Trajectory, Vec<f32>, Workspace, Gradients)>,
    /// Each shard's trials packed by length (as the trainer packs them for BPTT with an
    /// element-wise loss).
    packed: Vec<PackedBatch>,
    scratch: (Vec<f32>, Gradients),
    steps_done: usize,
    /// Accumulated ms per entry of [`PHASES`] then [`BACKPROP_PARTS`] (the last filled
    /// in by [`profile_run`]).
    totals: Vec<f64>,
    flops: Vec<f64>,
    trial_steps: f64,
    packed_lanes: f64,
    trials: f64,
    shard_steps: f64,
    shard_count: f64,
}

impl StepProfiler {
    /// A profiler on the run description `config`: BPTT on rate or voltage units, no
    /// learning-rate decay (anything else is refused, naming the field).
    pub fn new(config: Value) -> Result<Self> {
        let decay = config
            .pointer("/train/lr_decay")
            .and_then(Value::as_f64)
            .unwrap_or(0.0);
        if decay != 0.0 {
            return Err(Error::field(
                "train.lr_decay",
                decay,
                "must be 0 for the step profile",
            ));
        }
        let trainer = Session::new(config)?.trainer;
        if !matches!(trainer.rule, LearningRule::Bptt) {
            return Err(Error::field(
                "rule",
                "not bptt",
                "must be bptt for the step profile",
            ));
        }
        if trainer.network.config.dynamics.is_spiking() {
            return Err(Error::field(
                "dynamics",
                "lif/alif",
                "must be rate or voltage for the step profile",
            ));
        }
        if trainer.config.batching == crate::train::Batching::Conditions {
            return Err(Error::field(
                "batching",
                "conditions",
                "must be random or per-task for the step profile",
            ));
        }
        let c = &trainer.config;
        let optimizer = Optimizer::new(c.optimizer, &trainer.network, c.learning_rate);
        let shards = (0..c.shards.max(1))
            .map(|_| Default::default())
            .collect::<Vec<_>>();
        let packed = (0..c.shards.max(1)).map(|_| Default::default()).collect();
        let noise = SimRng::derived(c.seed, "train-noise");
        let n_rows = PHASES.len() + BACKPROP_PARTS.len();
        Ok(StepProfiler {
            trainer,
            optimizer,
            noise,
            shards,
            packed,
            scratch: Default::default(),
            steps_done: 0,
            totals: vec![0.0; n_rows],
            flops: vec![0.0; n_rows],
            trial_steps: 0.0,
            packed_lanes: 0.0,
            trials: 0.0,
            shard_steps: 0.0,
            shard_count: 0.0,
        })
    }

    /// The network as trained so far.
    pub fn network(&self) -> &Network {
        &self.trainer.network
    }

    fn reset(&mut self) {
        self.totals.iter_mut().for_each(|t| *t = 0.0);
        self.flops.iter_mut().for_each(|t| *t = 0.0);
        self.trial_steps = 0.0;
        self.packed_lanes = 0.0;
        self.trials = 0.0;
        self.shard_steps = 0.0;
        self.shard_count = 0.0;
    }

    /// One step, each phase timed on `clock` (ms) into the running totals; returns the
    /// step's loss. Errors (a non-finite loss or gradient) as the trainer's.
    pub fn step(&mut self, clock: &mut dyn FnMut() -> f64) -> Result<f32> {
        let mut marks = [0.0f64; 12];
        let mut lap = |k: usize, clock: &mut dyn FnMut() -> f64| marks[k] = clock();
        let step = self.steps_done + 1;
        lap(0, clock);
        let n_shards = self.shards.len();
        // one shard: the whole batch from the run's data stream; several: each shard's
        // trials from the step's own streams, packed shard by shard (the trainer's
        // data-parallel path), no whole batch
        let (batch, shard_trials) = if n_shards == 1 {
            (Some(self.trainer.next_trials()?), Vec::new())
        } else {
            (None, self.trainer.step_trials(step, 0..n_shards)?)
        };
        lap(1, clock);
        let task = self.trainer.task.as_ref();
        let whole = batch
            .map(|trials| crate::train::alloc::try_pack(task, trials))
            .transpose()?;
        lap(2, clock);
        let parts: Vec<TrialBatch> = match whole {
            Some(batch) => vec![batch],
            None => shard_trials
                .into_iter()
                .map(|trials| crate::train::alloc::try_pack(task, trials))
                .collect::<Result<_>>()?,
        };
        lap(3, clock);
        let seed = self.trainer.config.seed;
        let mut noises: Vec<SimRng> = if n_shards > 1 {
            (0..n_shards)
                .map(|s| SimRng::derived(seed, &format!("train-noise-{step}-{s}")))
                .collect()
        } else {
            Vec::new()
        };
        lap(4, clock);
        let weight_total: f64 = if n_shards == 1 {
            parts[0].mask.iter().map(|m| *m as f64).sum()
        } else {
            1.0
        };
        let mut shard_losses = Vec::with_capacity(n_shards);
        let network = &self.trainer.network;
        let (n, o) = (network.n_neurons(), network.n_outputs());
        let loss_kind = self.trainer.config.loss;
        let mut phase_ms = [0.0f64; 6];
        let mut packing_ms = 0.0;
        // the trainer packs every shard by length for BPTT with an element-wise loss
        let pack = !loss_kind.is_classification();
        for (s, ((part, shard), packed)) in parts
            .iter()
            .zip(self.shards.iter_mut())
            .zip(self.packed.iter_mut())
            .enumerate()
        {
            let (trajectory, output_grad, workspace, gradients) = shard;
            let (t_len, b_len) = (part.n_steps, part.batch_size);
            let noise = if n_shards > 1 {
                &mut noises[s]
            } else {
                &mut self.noise
            };
            let p0 = clock();
            let (inputs, targets, mask): (&[f32], &[f32], &[f32]) = if pack {
                packed.pack_from(part);
                (&packed.inputs, &packed.targets, &packed.mask)
            } else {
                packed.steps = StepLanes::uniform(t_len, b_len);
                (&part.inputs, &part.targets, &part.mask)
            };
            let t0 = clock();
            packing_ms += t0 - p0;
            let packed_noise = pack && network.config.rec_noise_std > 0.0;
            let dynamics = network.config.dynamics;
            reserve_trajectory(trajectory, n, o, (t_len, b_len), dynamics, packed_noise)?;
            reserve_gradient_scratch(network, t_len * b_len)?;
            if pack {
                input_projection_on(network, inputs, &packed.steps, trajectory);
            } else {
                input_projection(network, inputs, t_len, b_len, trajectory);
            }
            let t1 = clock();
            recurrent_noise(network, Some(noise), trajectory);
            let t_noise = clock();
            recurrence(network, trajectory);
            let t2 = clock();
            readout(network, trajectory);
            let t3 = clock();
            let steps = &packed.steps;
            let out_lanes = steps.output_lanes();
            shard_losses.push(partial_loss_and_gradient_shaped(
                loss_kind,
                &trajectory.outputs,
                targets,
                mask,
                (o, out_lanes / b_len.max(1), b_len),
                weight_total,
                output_grad,
            ));
            let t4 = clock();
            backprop(
                network,
                inputs,
                trajectory,
                output_grad,
                &ErrorSource::EXACT,
                gradients,
                workspace,
            );
            let t5 = clock();
            for (k, ms) in [
                t1 - t0,
                t_noise - t1,
                t2 - t_noise,
                t3 - t2,
                t4 - t3,
                t5 - t4,
            ]
            .into_iter()
            .enumerate()
            {
                phase_ms[k] += ms;
            }
            // the parts of backprop, once more on the same data (not in the sum)
            let (from_output, grads) = &mut self.scratch;
            let u0 = clock();
            project_back(&network.w_out, output_grad, out_lanes, from_output);
            let u1 = clock();
            grads.pre_activation.clone_from(&gradients.pre_activation);
            let u2 = clock();
            parameter_gradients_on(
                network,
                inputs,
                presynaptic_states(network, trajectory),
                output_grad,
                steps,
                grads,
            );
            let u3 = clock();
            let base = PHASES.len();
            self.totals[base] += u1 - u0;
            self.totals[base + 1] += u3 - u2;
            // FLOP model of the shard: the lanes the kernels compute (Σ_t a_t running
            // (step, trial) pairs; the step-indexed rows of the input projection and the
            // input and recurrent weight gradients have up to one step's worth more)
            let lanes = out_lanes as f64;
            let step_lanes = steps.step_lanes() as f64;
            let (nnz_in, nnz_rec, nnz_out) = (
                network.w_in.nnz() as f64,
                network.w_rec.nnz() as f64,
                network.w_out.nnz() as f64,
            );
            let nf = n as f64;
            let f = &mut self.flops;
            f[4] += 2.0 * nnz_in * step_lanes;
            // the noise draws: no FLOP model (see the draws per step in the docs)
            f[6] += (2.0 * nnz_rec + 4.0 * nf) * lanes;
            f[7] += 2.0 * nnz_out * lanes;
            f[8] += 3.0 * o as f64 * lanes;
            let weights =
                2.0 * (nnz_in + nnz_rec) * step_lanes + 2.0 * nnz_out * lanes + nf * step_lanes;
            let readout_back = 2.0 * nnz_out * lanes;
            let rec_back = (2.0 * nnz_rec + 4.0 * nf) * lanes;
            f[9] += readout_back + weights + rec_back;
            f[base] += readout_back;
            f[base + 1] += weights;
            f[base + 2] += rec_back;
            self.packed_lanes += step_lanes;
            self.shard_steps += t_len as f64;
            self.shard_count += 1.0;
        }
        for part in &parts {
            self.trial_steps += part.trials.iter().map(|t| t.n_steps() as f64).sum::<f64>();
            self.trials += part.trials.len() as f64;
        }
        lap(5, clock);
        let (first, rest) = self.shards.split_at_mut(1);
        let total = &mut first[0].3;
        for shard in rest.iter() {
            for (t, p) in [
                (&mut total.w_rec, &shard.3.w_rec),
                (&mut total.w_in, &shard.3.w_in),
                (&mut total.bias, &shard.3.bias),
                (&mut total.w_out, &shard.3.w_out),
                (&mut total.b_out, &shard.3.b_out),
            ] {
                for (a, b) in t.iter_mut().zip(p) {
                    *a += b;
                }
            }
        }
        let loss = if n_shards == 1 {
            shard_losses[0]
        } else {
            let weights: Vec<f32> = parts.iter().map(mask_weight).collect();
            normalise(total, &shard_losses, &weights)
        };
        let norm = total.norm();
        for (quantity, value) in [("loss", loss as f64), ("gradient norm", norm)] {
            if !value.is_finite() {
                return Err(Error::NonFinite {
                    step,
                    quantity,
                    value,
                });
            }
        }
        let clip = self.trainer.config.clip_norm;
        if clip > 0.0 && norm > clip {
            total.scale((clip / norm) as f32);
        }
        lap(6, clock);
        self.optimizer.step(&mut self.trainer.network, total);
        lap(7, clock);
        let params = self.trainer.network.n_trainable() as f64;
        let m = &marks;
        let timed = [
            m[1] - m[0],
            m[2] - m[1],
            m[3] - m[2] + packing_ms,
            m[4] - m[3],
            phase_ms[0],
            phase_ms[1],
            phase_ms[2],
            phase_ms[3],
            phase_ms[4],
            phase_ms[5],
            m[6] - m[5],
            m[7] - m[6],
        ];
        for (k, ms) in timed.into_iter().enumerate() {
            self.totals[k] += ms;
        }
        self.flops[10] += 3.0 * params * n_shards as f64;
        self.flops[11] += 12.0 * params;
        self.steps_done = step;
        Ok(loss)
    }
}

/// Profile `steps` steps of the run description `config` (after one untimed warm-up step),
/// each profiled step followed by one real [`Trainer`] step of a session on the same
/// description, timed whole. With `evaluation = Some((per_task_trials, eval_every))` one
/// evaluation as the long run does it (each task on its own trials) is timed after the
/// steps and amortised over `eval_every` steps.
pub fn profile_run(
    config: Value,
    steps: usize,
    evaluation: Option<(usize, usize)>,
    clock: &mut dyn FnMut() -> f64,
) -> Result<StepProfile> {
    let steps = steps.max(1);
    let madd_peak_gflops = madd_peak_gflops(5, clock);
    let mut profiler = StepProfiler::new(config.clone())?;
    let mut session = Session::new(config)?;
    profiler.step(clock)?;
    session.train(1)?;
    profiler.reset();
    let mut trainer_ms = 0.0;
    for _ in 0..steps {
        profiler.step(clock)?;
        let t0 = clock();
        session.train(1)?;
        trainer_ms += clock() - t0;
    }
    let k = steps as f64;
    let mut rows: Vec<PhaseRow> = PHASES
        .iter()
        .chain(BACKPROP_PARTS)
        .enumerate()
        .map(|(i, phase)| PhaseRow {
            phase: phase.to_string(),
            ms: profiler.totals[i] / k,
            gflop: profiler.flops[i] / k / 1e9,
        })
        .collect();
    let backprop_at = PHASES
        .iter()
        .position(|p| *p == "backprop (all)")
        .unwrap_or(0);
    let rest_at = PHASES.len() + 2;
    rows[rest_at].ms =
        (rows[backprop_at].ms - rows[rest_at - 1].ms - rows[rest_at - 2].ms).max(0.0);
    let profiled_ms: f64 = rows[..PHASES.len()].iter().map(|r| r.ms).sum();
    let profiled_gflop: f64 = rows[..PHASES.len()].iter().map(|r| r.gflop).sum();
    rows.push(PhaseRow {
        phase: "sum of phases (profiled step)".into(),
        ms: profiled_ms,
        gflop: profiled_gflop,
    });
    let trainer_ms = trainer_ms / k;
    rows.push(PhaseRow {
        phase: "trainer step (measured, interleaved)".into(),
        ms: trainer_ms,
        gflop: profiled_gflop,
    });
    rows.push(PhaseRow {
        phase: "unaccounted (trainer − sum)".into(),
        ms: trainer_ms - profiled_ms,
        gflop: 0.0,
    });
    if let Some((per_task_trials, eval_every)) = evaluation {
        session.per_task_trials = Some(per_task_trials.max(1));
        let t0 = clock();
        session.evaluate(per_task_trials.max(1))?;
        let eval_ms = clock() - t0;
        let trials = session.trainer.task.component_ids().len() * per_task_trials.max(1);
        let net = &session.trainer.network;
        let per_trial_steps = profiler.trial_steps / profiler.trials.max(1.0);
        let nnz = (net.w_in.nnz() + net.w_rec.nnz() + net.w_out.nnz()) as f64;
        let gflop = 2.0 * nnz * per_trial_steps * trials as f64 / 1e9;
        rows.push(PhaseRow {
            phase: format!("evaluation ({trials} trials, one call)"),
            ms: eval_ms,
            gflop,
        });
        rows.push(PhaseRow {
            phase: format!("evaluation per step (every {eval_every})"),
            ms: eval_ms / eval_every.max(1) as f64,
            gflop: gflop / eval_every.max(1) as f64,
        });
    }
    Ok(StepProfile {
        rows,
        steps,
        profiled_ms,
        trainer_ms,
        mean_trial_steps: profiler.trial_steps / profiler.trials.max(1.0),
        mean_packed_steps: profiler.shard_steps / profiler.shard_count.max(1.0),
        padding_fraction: 1.0 - profiler.trial_steps / profiler.packed_lanes.max(1.0),
        madd_peak_gflops,
    })
}
