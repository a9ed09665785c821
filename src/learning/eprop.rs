//! e-prop (Bellec et al. 2020, Nat. Commun. 11:3625) for spiking neurons (`lif` / `alif`):
//! eligibility traces run forward in time beside the network, and the gradient of
//! synapse j→i is `Σ_t L_i(t) ē_ji(t)`, a learning signal times a filtered trace.
//!
//! With the forward equations of [`crate::model::spiking`] (reset not differentiated, ψ the
//! surrogate derivative, `pre_j(t)` the presynaptic input of step t: `x_j(t)`, `z_j(t−1)`,
//! or 1 for the bias):
//!
//! ```text
//! ε^I_j(t)  = α_s ε^I_j(t−1) + pre_j(t)                              synaptic trace
//! ε^v_ji(t) = g_i(t)·(β ε^v_ji(t−1) + ε^I_j(t))      g = 1, or 1 − z_i(t−1) for reset "zero"
//! ε^a_ji(t) = ψ_i(t−1) ε^v_ji(t−1) + (ρ − ψ_i(t−1) β_a) ε^a_ji(t−1)   adaptive neurons
//! e_ji(t)   = ψ_i(t) (ε^v_ji(t) − β_a ε^a_ji(t))
//! ē_ji(t)   = readout filters of e (as ẑ of z)
//! ΔW_ji     ∝ Σ_t (Bᵀ δy(t))_i ē_ji(t) + r_i(t) e_ji(t)
//! ```
//!
//! `B` is `W_out` (symmetric feedback) or a fixed random matrix (random feedback, the
//! biologically plausible form); `r_i(t)` is the firing-rate regulariser's dL/dz. The
//! readout gets its true local gradient. With symmetric feedback this equals the BPTT
//! surrogate gradient without the `W_recᵀ` paths ([`crate::train::Propagation::LeakOnly`]),
//! which the tests check; the traces here are a separate, forward-in-time code path.

use crate::error::{in_range, non_negative, Result};
use crate::model::{Csr, Network, ResetMode};
use crate::train::backprop::{project_back, readout_bias_gradient, spiking_readout_gradient};
use crate::train::{effective_to_param, Gradients, Trajectory};
use serde::{Deserialize, Serialize};

/// Which matrix carries the output error to the neurons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EpropFeedback {
    /// `W_out` itself (as BPTT would).
    #[default]
    Symmetric,
    /// A fixed random matrix (`feedback_scale`, `seed`).
    Random,
}

/// Settings of e-prop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EpropConfig {
    /// Symmetric or random feedback.
    pub feedback: EpropFeedback,
    /// Std of the random feedback's entries times √N.
    pub feedback_scale: f64,
    /// Seed of the random feedback.
    pub seed: u64,
    /// Firing-rate regularisation c_reg: loss c·Σ_i (f_i − f_target)², f_i the neuron's
    /// mean rate in spikes per ms over the batch and time (e-prop evidence: 1; 0 = off).
    pub rate_regularization: f64,
    /// The target rate f_target in Hz (e-prop: 10).
    pub target_rate_hz: f64,
}

impl Default for EpropConfig {
    fn default() -> Self {
        EpropConfig {
            feedback: EpropFeedback::Symmetric,
            feedback_scale: 1.0,
            seed: 7,
            rate_regularization: 0.0,
            target_rate_hz: 10.0,
        }
    }
}

impl EpropConfig {
    /// Check every field.
    pub fn validate(&self) -> Result<()> {
        non_negative("feedback_scale", self.feedback_scale)?;
        in_range(
            "feedback_scale",
            self.feedback_scale,
            0.0,
            1e6,
            "must be <= 1e6",
        )?;
        non_negative("rate_regularization", self.rate_regularization)?;
        in_range(
            "rate_regularization",
            self.rate_regularization,
            0.0,
            1e9,
            "must be <= 1e9",
        )?;
        in_range(
            "target_rate_hz",
            self.target_rate_hz,
            0.0,
            1e4,
            "must be in [0, 1e4] Hz",
        )?;
        Ok(())
    }
}

/// The firing-rate regulariser c·Σ_i (f_i − f_target)² of a spiking trajectory (f_i in
/// spikes per ms, averaged over time and trials): its value and dL/dz laid out like
/// [`Trajectory::rates`].
pub fn rate_regularizer(
    trajectory: &Trajectory,
    dt_ms: f64,
    coefficient: f64,
    target_rate_hz: f64,
) -> (f64, Vec<f32>) {
    let lanes = trajectory.n_steps * trajectory.batch_size;
    let mut grad = vec![0.0f32; trajectory.rates.len()];
    if lanes == 0 || coefficient == 0.0 {
        return (0.0, grad);
    }
    let target = target_rate_hz / 1000.0;
    let mut loss = 0.0;
    for (i, row) in trajectory.rates.chunks_exact(lanes).enumerate() {
        let rate = row.iter().map(|z| *z as f64).sum::<f64>() / (lanes as f64 * dt_ms);
        loss += coefficient * (rate - target) * (rate - target);
        let d = (2.0 * coefficient * (rate - target) / (lanes as f64 * dt_ms)) as f32;
        grad[i * lanes..(i + 1) * lanes].fill(d);
    }
    (loss, grad)
}

/// Steps per block of the trace sweep: [`eprop_gradients`] runs each synapse's traces
/// through this many steps at a time while they stay in registers, instead of streaming
/// every trace through memory once per step. At 32 steps and batch 32 the presynaptic
/// traces of one block of the evidence network (100 + 40 + 1 channels) take 0.6 MB.
pub const BLOCK_STEPS: usize = 32;

/// Trials of one synapse the sweep carries in registers at once.
const LANE_WIDTH: usize = 8;

/// Per-synapse trace state of one weight matrix, carried from block to block.
struct Traces {
    /// Trials.
    b_len: usize,
    /// ε^v per (synapse, trial).
    v: Vec<f32>,
    /// ε^a per (synapse, trial) (zeros for non-adaptive neurons).
    a: Vec<f32>,
    /// First readout filter of e.
    syn: Vec<f32>,
    /// ē.
    filtered: Vec<f32>,
    /// ε^I per (presynaptic channel, trial) after the last step done.
    current: Vec<f32>,
    /// ε^I of the block's steps, `[channel][step of the block][trial]`.
    block: Vec<f32>,
}

impl Traces {
    fn new(nnz: usize, n_pre: usize, b_len: usize) -> Self {
        Traces {
            b_len,
            v: vec![0.0; nnz * b_len],
            a: vec![0.0; nnz * b_len],
            syn: vec![0.0; nnz * b_len],
            filtered: vec![0.0; nnz * b_len],
            current: vec![0.0; n_pre * b_len],
            block: vec![0.0; n_pre * BLOCK_STEPS * b_len],
        }
    }

    /// Run the synaptic traces ε^I through the `k` steps from `t0` into `block`;
    /// `pre(j, t)` is channel j's presynaptic input of step t, one value per trial.
    fn advance_currents<'p>(
        &mut self,
        syn_decay: f32,
        t0: usize,
        k: usize,
        pre: impl Fn(usize, usize) -> &'p [f32],
    ) {
        let b_len = self.b_len;
        let per_channel = BLOCK_STEPS * b_len;
        for (j, (state, block)) in self
            .current
            .chunks_exact_mut(b_len)
            .zip(self.block.chunks_exact_mut(per_channel))
            .enumerate()
        {
            for (step, out) in block[..k * b_len].chunks_exact_mut(b_len).enumerate() {
                let input = pre(j, t0 + step);
                for b in 0..b_len {
                    state[b] = syn_decay * state[b] + input[b];
                }
                out.copy_from_slice(state);
            }
        }
    }
}

/// The e-prop gradients of `dL/dy` = `output_grad` (`[O][T·B]`) on the spiking
/// `trajectory` (simulated on `inputs`), with `feedback` as B (`None`: `W_out`) and an
/// optional `rate_error` (dL/dz, `[N][T·B]`).
///
/// Everything a synapse's recursion reads besides its own traces (ε^I, ψ, z, the learning
/// signal, the rate error) is known before the sweep, so the sweep goes through time in
/// blocks of [`BLOCK_STEPS`] steps and, inside a block, runs each synapse through all the
/// block's steps before the next one. Every trace update is the same element-wise
/// operation as one step at a time, and each synapse's per-step sums (over the trials, in
/// trial order) are added to its f64 gradient in step order, so the result does not
/// depend on the block length (`tests/eprop_blocked.rs` checks it bit for bit against the
/// step-by-step sweep).
pub fn eprop_gradients(
    network: &Network,
    inputs: &[f32],
    trajectory: &Trajectory,
    output_grad: &[f32],
    feedback: Option<&Csr>,
    rate_error: Option<&[f32]>,
) -> Gradients {
    let n = network.n_neurons();
    let (t_len, b_len) = (trajectory.n_steps, trajectory.batch_size);
    let lanes = t_len * b_len;
    let stride = lanes + b_len;
    let config = &network.config;
    let p = config.spiking.steps(config.dt_ms);
    let beta_a = config.adaptation_betas();
    let feedback = feedback.unwrap_or(&network.w_out);
    let (spikes, psi) = (&trajectory.spikes, &trajectory.surrogate);
    let n_in = network.n_inputs();
    let mut rec = Traces::new(network.w_rec.nnz(), n, b_len);
    let mut inp = Traces::new(network.w_in.nnz(), n_in, b_len);
    let mut bias = Traces::new(n, 1, b_len);
    let mut g_rec = vec![0.0f64; network.w_rec.nnz()];
    let mut g_in = vec![0.0f64; network.w_in.nnz()];
    let mut g_bias = vec![0.0f64; n];
    // learning signals Bᵀ δy of every step, `[N][T·B]`
    let mut learning_signal = Vec::new();
    project_back(feedback, output_grad, lanes, &mut learning_signal);
    let block_lanes = BLOCK_STEPS * b_len;
    let zeros = vec![0.0f32; if rate_error.is_some() { 0 } else { block_lanes }];
    let ones = vec![1.0f32; b_len];
    let mut psi_prev = vec![0.0f32; block_lanes];
    let mut contribution = vec![0.0f32; block_lanes];
    let kernel = Kernel::new(&p);
    // no trials, no steps to sweep
    let swept = if b_len == 0 { 0 } else { t_len };
    for t0 in (1..=swept).step_by(BLOCK_STEPS) {
        let k = BLOCK_STEPS.min(t_len + 1 - t0);
        let before = (t0 - 1) * b_len;
        let span = k * b_len;
        rec.advance_currents(p.syn_decay, t0, k, |j, t| {
            &spikes[j * stride + (t - 1) * b_len..][..b_len]
        });
        inp.advance_currents(p.syn_decay, t0, k, |j, t| {
            &inputs[j * lanes + (t - 1) * b_len..][..b_len]
        });
        bias.advance_currents(p.syn_decay, t0, k, |_, _| &ones);
        for i in 0..n {
            let post = i * lanes + before;
            // ψ of the step before each step (0 before the first step)
            if t0 > 1 {
                psi_prev[..span].copy_from_slice(&psi[post - b_len..post - b_len + span]);
            } else {
                psi_prev[..b_len].fill(0.0);
                psi_prev[b_len..span].copy_from_slice(&psi[post..post + span - b_len]);
            }
            let row = Row {
                beta_a: beta_a[i],
                psi: &psi[post..post + span],
                psi_prev: &psi_prev[..span],
                z_prev: &spikes[i * stride + before..][..span],
                signal: &learning_signal[post..post + span],
                direct: match rate_error {
                    Some(r) => &r[post..post + span],
                    None => &zeros[..span],
                },
                b_len,
                k,
            };
            for (m, traces, grad) in [
                (&network.w_rec, &mut rec, &mut g_rec),
                (&network.w_in, &mut inp, &mut g_in),
            ] {
                for s in m.row_ptr[i]..m.row_ptr[i + 1] {
                    let j = m.col_idx[s] as usize;
                    kernel.synapse(&row, traces, s, j, &mut contribution, &mut grad[s]);
                }
            }
            kernel.synapse(&row, &mut bias, i, 0, &mut contribution, &mut g_bias[i]);
        }
    }
    let mut grads = Gradients {
        w_rec: g_rec.iter().map(|g| *g as f32).collect(),
        w_in: g_in.iter().map(|g| *g as f32).collect(),
        bias: g_bias.iter().map(|g| *g as f32).collect(),
        ..Gradients::default()
    };
    effective_to_param(network, &mut grads.w_rec);
    spiking_readout_gradient(network, trajectory, output_grad, &mut grads.w_out);
    readout_bias_gradient(network, output_grad, lanes, &mut grads.b_out);
    grads
}

/// What the synapses onto one neuron i read during one block of `k` steps, each
/// `[step of the block][trial]`.
struct Row<'a> {
    /// β_a of neuron i (0: not adaptive).
    beta_a: f32,
    /// ψ_i(t).
    psi: &'a [f32],
    /// ψ_i(t−1).
    psi_prev: &'a [f32],
    /// z_i(t−1).
    z_prev: &'a [f32],
    /// (Bᵀ δy)_i(t).
    signal: &'a [f32],
    /// r_i(t) (zeros without a rate error).
    direct: &'a [f32],
    /// Trials.
    b_len: usize,
    /// Steps of the block.
    k: usize,
}

/// The per-step constants of the trace recursion.
struct Kernel {
    mem_decay: f32,
    adapt_decay: f32,
    readout_syn_decay: f32,
    readout_decay: f32,
    zero_reset: bool,
}

/// A run of some trials of one synapse through a block ([`run_lanes`]).
type LaneRun = fn(&Kernel, &Row, &[f32], usize, [&mut [f32]; 4], &mut [f32]);

impl Kernel {
    fn new(p: &crate::model::SpikingSteps) -> Self {
        Kernel {
            mem_decay: p.mem_decay,
            adapt_decay: p.adapt_decay,
            readout_syn_decay: p.readout_syn_decay,
            readout_decay: p.readout_decay,
            zero_reset: p.reset == ResetMode::Zero,
        }
    }

    /// [`run_lanes`] for `W` trials at once, for the neuron kind and reset mode.
    fn lane_run<const W: usize>(&self, adaptive: bool) -> LaneRun {
        match (adaptive, self.zero_reset) {
            (true, true) => run_lanes::<W, true, true>,
            (true, false) => run_lanes::<W, true, false>,
            (false, true) => run_lanes::<W, false, true>,
            (false, false) => run_lanes::<W, false, false>,
        }
    }

    /// Run synapse `s` (presynaptic channel `j`) of `traces` through the block of `row`
    /// and add each step's `Σ_b L·ē + r·e` (summed over the trials in trial order) to
    /// `grad` in step order; `contribution` is scratch of the block's size.
    fn synapse(
        &self,
        row: &Row,
        traces: &mut Traces,
        s: usize,
        j: usize,
        contribution: &mut [f32],
        grad: &mut f64,
    ) {
        let b_len = row.b_len;
        let current = &traces.block[j * BLOCK_STEPS * b_len..][..row.k * b_len];
        let adaptive = row.beta_a != 0.0;
        let wide = self.lane_run::<LANE_WIDTH>(adaptive);
        let single = self.lane_run::<1>(adaptive);
        let mut b0 = 0;
        while b0 < b_len {
            let (width, run) = if b_len - b0 >= LANE_WIDTH {
                (LANE_WIDTH, wide)
            } else {
                (1, single)
            };
            let at = s * b_len + b0..s * b_len + b0 + width;
            let state = [
                &mut traces.v[at.clone()],
                &mut traces.a[at.clone()],
                &mut traces.syn[at.clone()],
                &mut traces.filtered[at],
            ];
            run(self, row, current, b0, state, contribution);
            b0 += width;
        }
        // per step: the trials' contributions summed in trial order, then added to the
        // f64 gradient in step order; eight steps' sums run side by side
        let mut total = *grad;
        let mut steps = contribution[..row.k * b_len].chunks_exact(8 * b_len);
        for group in &mut steps {
            let mut sums = [0.0f32; 8];
            for b in 0..b_len {
                for (q, sum) in sums.iter_mut().enumerate() {
                    *sum += group[q * b_len + b];
                }
            }
            for sum in sums {
                total += sum as f64;
            }
        }
        for step in steps.remainder().chunks_exact(b_len) {
            let mut sum = 0.0f32;
            for c in step {
                sum += *c;
            }
            total += sum as f64;
        }
        *grad = total;
    }
}

/// `W` values from `x[at..]`.
#[inline(always)]
fn lanes_at<const W: usize>(x: &[f32], at: usize) -> [f32; W] {
    let mut out = [0.0; W];
    out.copy_from_slice(&x[at..at + W]);
    out
}

/// Trials `b0..b0 + W` of one synapse (traces `state` = ε^v, ε^a, first readout filter,
/// ē) through the `k` steps of `row`'s block, with `current` its presynaptic ε^I
/// (`[step][trial]`); writes each step's `L·ē + r·e` per trial into `contribution`
/// (`[step][trial]`). The traces stay in registers through the block; each update is the
/// one of the step-by-step recursion, operation for operation.
fn run_lanes<const W: usize, const ADAPTIVE: bool, const ZERO_RESET: bool>(
    kernel: &Kernel,
    row: &Row,
    current: &[f32],
    b0: usize,
    state: [&mut [f32]; 4],
    contribution: &mut [f32],
) {
    let [v_out, a_out, syn_out, filtered_out] = state;
    let (mut v, mut a) = (lanes_at::<W>(v_out, 0), lanes_at::<W>(a_out, 0));
    let (mut syn, mut filtered) = (lanes_at::<W>(syn_out, 0), lanes_at::<W>(filtered_out, 0));
    let beta_a = row.beta_a;
    for t in 0..row.k {
        let o = t * row.b_len + b0;
        let input = lanes_at::<W>(current, o);
        let psi = lanes_at::<W>(row.psi, o);
        let psi_prev = lanes_at::<W>(row.psi_prev, o);
        let z_prev = lanes_at::<W>(row.z_prev, o);
        let signal = lanes_at::<W>(row.signal, o);
        let direct = lanes_at::<W>(row.direct, o);
        let out = &mut contribution[o..o + W];
        for b in 0..W {
            if ADAPTIVE {
                a[b] = psi_prev[b] * v[b] + (kernel.adapt_decay - psi_prev[b] * beta_a) * a[b];
            }
            if ZERO_RESET {
                v[b] = (1.0 - z_prev[b]) * (kernel.mem_decay * v[b] + input[b]);
            } else {
                v[b] = kernel.mem_decay * v[b] + input[b];
            }
            let e = psi[b] * (v[b] - beta_a * a[b]);
            syn[b] = kernel.readout_syn_decay * syn[b] + e;
            filtered[b] = kernel.readout_decay * filtered[b] + syn[b];
            out[b] = signal[b] * filtered[b] + direct[b] * e;
        }
    }
    v_out.copy_from_slice(&v);
    a_out.copy_from_slice(&a);
    syn_out.copy_from_slice(&syn);
    filtered_out.copy_from_slice(&filtered);
}
