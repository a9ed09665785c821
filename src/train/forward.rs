//! Forward simulation of a batch, keeping the whole trajectory for BPTT.
//!
//! Layout (neuron-major, time × batch contiguous):
//! - `states[i][t][b]`, t = 0..=T (t = 0 is the zero initial state),
//! - `rates[i][t][b]` = f(pre-activation at step t),
//! - `outputs[o][t][b]` = readout of the state after step t.
//!
//! The lanes above are those of a [`StepLanes`] layout ([`Trajectory::steps`]): the
//! padded one (`t·B + b`, every trial `T` steps) unless the trainer packed its batch by
//! length (see [`super::packing`]), in which case step `t` has only the `a_t` trials that
//! still run and rows are `step_lanes`/`state_lanes`/`output_lanes` long.
//!
//! With [`Dynamics::Voltage`] the states are the voltages x, `rates[i][t][b]` = f(x after
//! step t), and `voltage_rates[i][t][b]` = f(x_t) for t = 0..=T (laid out like `states`,
//! so the recurrent input, the readout and the weight gradients use the same kernels).

use super::packing::StepLanes;
use crate::kernels::{
    dense_values, rows_product, rows_product_with, spmv_interleaved, InterleavedRows,
};
use crate::model::{Dynamics, Network};
use crate::rng::SimRng;

/// The activity of one batch over time.
#[derive(Debug, Clone, Default)]
pub struct Trajectory {
    /// Number of neurons.
    pub n_neurons: usize,
    /// Number of outputs.
    pub n_outputs: usize,
    /// Number of time steps T.
    pub n_steps: usize,
    /// Number of trials B.
    pub batch_size: usize,
    /// States, `[N][(T+1)·B]`: the hidden state h (rate form) or the voltages x (voltage
    /// form); plots and analyses read them as "the" hidden state either way.
    pub states: Vec<f32>,
    /// Rates, `[N][T·B]`: f(pre-activation of step t) (rate form) or f(x after step t)
    /// (voltage form). Either way `f′` at the nonlinearity of step t is a function of them.
    pub rates: Vec<f32>,
    /// Voltage form only: r_t = f(x_t) for t = 0..=T, `[N][(T+1)·B]` (r₀ = f(0)); the
    /// quantity the recurrent weights and the readout see. Empty in the rate form.
    pub voltage_rates: Vec<f32>,
    /// Outputs, `[O][T·B]`.
    pub outputs: Vec<f32>,
    /// Spiking forms only (see [`crate::train::spiking`]): spikes z_t, `[N][(T+1)·B]`.
    pub spikes: Vec<f32>,
    /// Spiking forms only: the spikes through the readout filter, `[N][(T+1)·B]`.
    pub filtered: Vec<f32>,
    /// Spiking forms only: the surrogate derivative ψ_t of every step, `[N][T·B]`.
    pub surrogate: Vec<f32>,
    /// Spiking forms only: the threshold A_t of every step, `[N][T·B]`.
    pub thresholds: Vec<f32>,
    /// The lane layout of every array above (see the module docs): the padded one
    /// except after [`input_projection_on`] with a packed layout.
    pub steps: StepLanes,
    /// Packed layouts only: the recurrent noise of the padded `[N][T·B]` block, drawn
    /// there and moved to the packed lanes (so each trial keeps its noise). Reserved
    /// fallibly by [`crate::train::alloc::reserve_trajectory`] (`packed_noise`) and
    /// counted by the memory estimate ([`crate::budget`]).
    pub(super) noise_draws: Vec<f32>,
}

impl Trajectory {
    /// Resize the buffers (reusing their allocation) for `steps`.
    fn prepare(
        &mut self,
        n_neurons: usize,
        n_outputs: usize,
        steps: &StepLanes,
        dynamics: Dynamics,
    ) {
        let (n_steps, batch_size) = (steps.n_steps(), steps.batch_size());
        self.n_neurons = n_neurons;
        self.n_outputs = n_outputs;
        self.n_steps = n_steps;
        self.batch_size = batch_size;
        self.steps.clone_from(steps);
        let lanes = steps.step_lanes();
        let stride = steps.state_lanes();
        // No full zeroing (a few MiB of memset per step): `forward` overwrites every state
        // after step 0, every rate (bias first) and every output (zeroed before the readout);
        // only the initial states are set here.
        self.states.resize(n_neurons * stride, 0.0);
        for row in self.states.chunks_exact_mut(stride) {
            row[..batch_size].fill(0.0);
        }
        self.rates.resize(n_neurons * lanes, 0.0);
        self.outputs.resize(n_outputs * steps.output_lanes(), 0.0);
        match dynamics {
            Dynamics::Voltage => self.voltage_rates.resize(n_neurons * stride, 0.0),
            _ => self.voltage_rates.clear(),
        }
        if dynamics.is_spiking() {
            self.spikes.resize(n_neurons * stride, 0.0);
            self.filtered.resize(n_neurons * stride, 0.0);
            self.surrogate.resize(n_neurons * lanes, 0.0);
            self.thresholds.resize(n_neurons * lanes, 0.0);
        } else {
            self.spikes.clear();
            self.filtered.clear();
            self.surrogate.clear();
            self.thresholds.clear();
        }
    }

    /// Noise-free simulation of `network` on a packed batch (for evaluation and analysis).
    pub fn of_batch(network: &Network, batch: &crate::tasks::TrialBatch) -> Self {
        let mut trajectory = Trajectory::default();
        trajectory.simulate(network, batch);
        trajectory
    }

    /// Noise-free simulation of `network` on a packed batch into this trajectory (its
    /// buffers reused; what it held before does not matter).
    pub fn simulate(&mut self, network: &Network, batch: &crate::tasks::TrialBatch) {
        forward(
            network,
            &batch.inputs,
            batch.n_steps,
            batch.batch_size,
            None,
            self,
        );
    }

    /// State of neuron `i` after step `t` (t in 1..=T) in lane `b`; t = 0 is the initial
    /// state. Lane `b` is trial `b` of the batch in the padded layout, trial
    /// `steps.order()[b]` in a packed one (where it must still run at step `t − 1`).
    pub fn state(&self, i: usize, t: usize, b: usize) -> f32 {
        debug_assert!(
            b < self.steps.width(t),
            "lane {b} has no state after step {t}"
        );
        self.states[i * self.steps.state_lanes() + self.steps.offset(t) + b]
    }

    /// Output `o` at step `t` (0-based) in lane `b` (as in [`Trajectory::state`]).
    pub fn output(&self, o: usize, t: usize, b: usize) -> f32 {
        debug_assert!(
            b < self.steps.active(t),
            "lane {b} has no output at step {t}"
        );
        self.outputs[o * self.steps.output_lanes() + self.steps.output_offset(t) + b]
    }
}

/// Simulate `network` on `inputs` (`[n_inputs][T·B]`), from h = 0 (x = 0 in the voltage
/// form, see [`Dynamics`]). Recurrent noise is drawn
/// from `noise_rng` when given and the config's `rec_noise_std > 0`.
///
/// The rate and voltage forms run the same four phases — [`input_projection`],
/// [`recurrent_noise`], [`recurrence`], [`readout`] — which the step profile
/// (`lab::profile`) times one by one.
pub fn forward(
    network: &Network,
    inputs: &[f32],
    n_steps: usize,
    batch_size: usize,
    noise_rng: Option<&mut SimRng>,
    trajectory: &mut Trajectory,
) {
    if network.config.dynamics.is_spiking() {
        let lanes = n_steps * batch_size;
        assert_eq!(
            inputs.len(),
            network.n_inputs() * lanes,
            "forward: inputs have the wrong size"
        );
        let (n, o) = (network.n_neurons(), network.n_outputs());
        let steps = StepLanes::uniform(n_steps, batch_size);
        trajectory.prepare(n, o, &steps, network.config.dynamics);
        let noise_scale = noise_scale(network);
        let rng = noise_rng.filter(|_| noise_scale > 0.0);
        let buffers = super::spiking::SpikingBuffers {
            states: &mut trajectory.states,
            rates: &mut trajectory.rates,
            outputs: &mut trajectory.outputs,
            spikes: &mut trajectory.spikes,
            filtered: &mut trajectory.filtered,
            surrogate: &mut trajectory.surrogate,
            thresholds: &mut trajectory.thresholds,
        };
        super::spiking::forward_spiking(network, inputs, n_steps, batch_size, rng, buffers);
        add_readout_bias(network, &mut trajectory.outputs);
        return;
    }
    forward_on(
        network,
        inputs,
        &StepLanes::uniform(n_steps, batch_size),
        noise_rng,
        trajectory,
    );
}

/// [`forward`] of the rate and voltage forms in the lane layout `steps` (`inputs` in its
/// step-indexed rows, e.g. a [`super::PackedBatch`]'s): no step of a finished trial is
/// computed, and each trial's outputs are bit for bit those of the padded layout (with the
/// same noise stream). Panics for spiking neurons (whose forward pass is padded only).
pub fn forward_on(
    network: &Network,
    inputs: &[f32],
    steps: &StepLanes,
    noise_rng: Option<&mut SimRng>,
    trajectory: &mut Trajectory,
) {
    assert!(
        !network.config.dynamics.is_spiking(),
        "forward_on: spiking neurons run in the padded layout only"
    );
    input_projection_on(network, inputs, steps, trajectory);
    recurrent_noise(network, noise_rng, trajectory);
    recurrence(network, trajectory);
    readout(network, trajectory);
}

/// Standard deviation of the recurrent noise added to a pre-activation per step.
fn noise_scale(network: &Network) -> f32 {
    let alpha = network.config.alpha();
    (network.config.rec_noise_std * (2.0 / alpha as f64).sqrt()) as f32
}

/// Phase 1 of [`forward`] (rate and voltage forms): size `trajectory` for a batch of
/// `batch_size` trials of `n_steps` steps (the padded layout) and set every
/// pre-activation to bias + W_in u, for all steps at once (`rates` holds the
/// pre-activations until [`recurrence`]).
pub fn input_projection(
    network: &Network,
    inputs: &[f32],
    n_steps: usize,
    batch_size: usize,
    trajectory: &mut Trajectory,
) {
    let steps = StepLanes::uniform(n_steps, batch_size);
    input_projection_on(network, inputs, &steps, trajectory);
}

/// [`input_projection`] in the lane layout `steps`, `inputs` being `[n_inputs][step_lanes]`
/// in it (a [`super::PackedBatch`]'s): the phases after it and [`super::backprop`] follow
/// the layout the trajectory records. Every lane of the step-indexed rows is projected
/// (the finished trials' `c_t − a_t` lanes too: at most one step's worth per row).
pub fn input_projection_on(
    network: &Network,
    inputs: &[f32],
    steps: &StepLanes,
    trajectory: &mut Trajectory,
) {
    let n = network.n_neurons();
    let lanes = steps.step_lanes();
    assert_eq!(
        inputs.len(),
        network.n_inputs() * lanes,
        "forward: inputs have the wrong size"
    );
    let dynamics = network.config.dynamics;
    trajectory.prepare(n, network.n_outputs(), steps, dynamics);
    let (state_stride, batch_size) = (steps.state_lanes(), steps.batch_size());
    let Trajectory {
        rates,
        voltage_rates,
        ..
    } = trajectory;
    for i in 0..n {
        rates[i * lanes..(i + 1) * lanes].fill(network.bias[i]);
    }
    if dynamics == Dynamics::Voltage {
        let rest = network.config.activation.apply(0.0);
        for i in 0..n {
            voltage_rates[i * state_stride..i * state_stride + batch_size].fill(rest);
        }
    }
    // a dense W_in as one GEMM ([N × I] · [I × lanes]); a masked one through the sparse
    // kernel. Both add the inputs in column order: the same bits.
    let n_inputs = network.n_inputs();
    rows_product(
        network.w_in.rows(),
        n_inputs,
        inputs,
        lanes,
        rates,
        lanes,
        lanes,
    );
}

/// Phase 2 of [`forward`], after [`input_projection`]: add the recurrent noise ξ of every
/// neuron, step and trial to the pre-activations (bias + W_in u), in one pass over the
/// `[N][T·B]` block in memory order, drawn from `noise_rng` by the Ziggurat sampler
/// ([`SimRng::add_normals`]) with standard deviation σ_rec·√(2/α). Nothing is drawn
/// without a stream or with `rec_noise_std` = 0. In a packed layout the padded block is
/// still drawn whole (the same stream) and each running trial's lane gets the draw its
/// trial gets padded, so a trial's trajectory does not depend on the layout.
pub fn recurrent_noise(
    network: &Network,
    noise_rng: Option<&mut SimRng>,
    trajectory: &mut Trajectory,
) {
    let noise_scale = noise_scale(network);
    let Some(rng) = noise_rng.filter(|_| noise_scale > 0.0) else {
        return;
    };
    let n = network.n_neurons();
    let (n_steps, batch_size) = (trajectory.n_steps, trajectory.batch_size);
    let Trajectory {
        rates,
        steps,
        noise_draws,
        ..
    } = trajectory;
    if steps.is_uniform() {
        rng.add_normals(&mut rates[..n * n_steps * batch_size], noise_scale);
        return;
    }
    // a packed layout: the padded block's draws (the same stream, `0 + σz` = σz exactly),
    // then each live lane's own, so every trial gets the noise it gets padded
    noise_draws.clear();
    noise_draws.resize(n * n_steps * batch_size, 0.0);
    rng.add_normals(noise_draws, noise_scale);
    let lanes = steps.step_lanes();
    let order = steps.order();
    for (row, draws) in rates
        .chunks_exact_mut(lanes)
        .zip(noise_draws.chunks_exact(n_steps * batch_size))
    {
        for (t, step_draws) in draws.chunks_exact(batch_size).enumerate() {
            let (offset, active) = (steps.offset(t), steps.active(t));
            for (pre, &trial) in row[offset..offset + active].iter_mut().zip(order) {
                *pre += step_draws[trial];
            }
        }
    }
}

/// Batch sizes below which [`recurrence`] gathers from a compact copy of each step's
/// presynaptic column (16 f32 lanes = one 64-byte cache line per neuron).
const COMPACT_BELOW_LANES: usize = 16;

/// Phase 3 of [`forward`]: the time loop, after [`input_projection`] and
/// [`recurrent_noise`] on the same `trajectory` (`rates` holds pre + ξ). Rate form:
/// h ← (1−α)h + α f(W_rec h + pre + ξ). Voltage form: x ← (1−α)x + α(W_rec r + pre + ξ),
/// r = f(x) (`rates` then holds f(x after step t)). Step t computes only its `k_t`
/// lanes ([`StepLanes::computed`]: its running trials rounded up to whole SIMD groups;
/// all B in the padded layout).
pub fn recurrence(network: &Network, trajectory: &mut Trajectory) {
    let (n, n_steps, batch_size) = (
        network.n_neurons(),
        trajectory.n_steps,
        trajectory.batch_size,
    );
    let alpha = network.config.alpha();
    let activation = network.config.activation;
    let voltage = network.config.dynamics == Dynamics::Voltage;
    let Trajectory {
        states,
        rates,
        voltage_rates,
        steps,
        ..
    } = trajectory;
    let (lanes, state_stride) = (steps.step_lanes(), steps.state_lanes());
    // With fewer than a cache line of lanes per neuron (a single trial: a reservoir's
    // states pass), gathering straight from the [N][(T+1)·B] state rows touches one cache
    // line and one page per synapse; the step's presynaptic column is copied into a compact
    // [N][a_t] block first (N strided loads instead of nnz), and the product reads that.
    // The same values in the same order: the result is the same bit for bit.
    let compact = (1..COMPACT_BELOW_LANES).contains(&batch_size);
    let mut column = if compact {
        vec![0.0f32; n * batch_size]
    } else {
        Vec::new()
    };
    // One trial (batch 1): the recurrent matrix re-laid once per pass for the single-lane
    // product (rows four at a time by synapse count, interleaved; O(nnz), against the
    // pass's n_steps·nnz). Each row still sums in synapse order: the same bits.
    let single = if batch_size == 1 {
        InterleavedRows::new(network.w_rec.rows(), n)
    } else {
        None
    };
    // A dense W_rec (every row stores the columns 0..N) goes through the register-blocked
    // GEMM ([N × N] · [N × k_t] per step), a masked one through the sparse kernel: both
    // add a row's terms in column order, the same bits. Tested once per pass (O(nnz)).
    let dense = dense_values(network.w_rec.rows(), n);
    for t in 0..n_steps {
        let (offset, computed) = (steps.offset(t), steps.computed(t));
        if computed == 0 {
            continue;
        }
        let next_offset = steps.offset(t + 1);
        let presynaptic: &[f32] = if voltage {
            &voltage_rates[..]
        } else {
            &states[..]
        };
        let (source, source_stride): (&[f32], usize) = if compact {
            let column = &mut column[..n * computed];
            for (i, lanes_of_i) in column.chunks_exact_mut(computed).enumerate() {
                let at = i * state_stride + offset;
                lanes_of_i.copy_from_slice(&presynaptic[at..at + computed]);
            }
            (column, computed)
        } else {
            (&presynaptic[offset..], state_stride)
        };
        match &single {
            Some(single) if computed == 1 => {
                spmv_interleaved(single, source, &mut rates[offset..], lanes)
            }
            _ => rows_product_with(
                network.w_rec.rows(),
                dense,
                n,
                source,
                source_stride,
                &mut rates[offset..],
                lanes,
                computed,
            ),
        }
        for i in 0..n {
            let pre = &mut rates[i * lanes + offset..i * lanes + offset + computed];
            let (row, next_row) = (i * state_stride + offset, i * state_stride + next_offset);
            let (before, after) = states.split_at_mut(next_row);
            let previous = &before[row..row + computed];
            let next = &mut after[..computed];
            if voltage {
                for ((x, p), u) in next.iter_mut().zip(previous).zip(pre.iter_mut()) {
                    *x = (1.0 - alpha) * p + alpha * *u;
                    *u = *x;
                }
                activation.apply_in_place(pre);
                voltage_rates[next_row..next_row + computed].copy_from_slice(pre);
            } else {
                activation.apply_in_place(pre);
                for ((n, p), r) in next.iter_mut().zip(previous).zip(pre.iter()) {
                    *n = (1.0 - alpha) * p + alpha * r;
                }
            }
        }
    }
}

/// Phase 4 of [`forward`]: the outputs y_t = W_out h_t (voltage form: W_out r_t) of every
/// step at once, after [`recurrence`] (every running (step, trial) pair: the output rows
/// of the trajectory's layout).
pub fn readout(network: &Network, trajectory: &mut Trajectory) {
    let voltage = network.config.dynamics == Dynamics::Voltage;
    let Trajectory {
        states,
        outputs,
        voltage_rates,
        steps,
        ..
    } = trajectory;
    let (out_lanes, state_stride) = (steps.output_lanes(), steps.state_lanes());
    let presynaptic: &[f32] = if voltage {
        &voltage_rates[..]
    } else {
        &states[..]
    };
    outputs.fill(0.0);
    let states = &presynaptic[steps.batch_size()..];
    // a dense W_out as one GEMM ([O × N] · [N × lanes]), a masked one sparse (same bits)
    rows_product(
        network.w_out.rows(),
        network.n_neurons(),
        states,
        state_stride,
        outputs,
        out_lanes,
        out_lanes,
    );
    add_readout_bias(network, outputs);
}

/// y += b_out on every step and lane of the `[O][T·B]` outputs (no-op without biases:
/// `network.readout_bias` off).
pub fn add_readout_bias(network: &Network, outputs: &mut [f32]) {
    if network.b_out.is_empty() {
        return;
    }
    let lanes = outputs.len() / network.b_out.len();
    for (channel, &b) in outputs.chunks_mut(lanes.max(1)).zip(&network.b_out) {
        channel.iter_mut().for_each(|y| *y += b);
    }
}
