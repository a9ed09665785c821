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

/// Per-synapse trace state of one weight matrix during the forward sweep.
struct Traces {
    /// ε^v per (synapse, trial).
    v: Vec<f32>,
    /// ε^a per (synapse, trial) (zeros for non-adaptive neurons).
    a: Vec<f32>,
    /// First readout filter of e.
    syn: Vec<f32>,
    /// ē.
    filtered: Vec<f32>,
    /// ε^I per (presynaptic channel, trial).
    current: Vec<f32>,
}

impl Traces {
    fn new(nnz: usize, n_pre: usize, b_len: usize) -> Self {
        Traces {
            v: vec![0.0; nnz * b_len],
            a: vec![0.0; nnz * b_len],
            syn: vec![0.0; nnz * b_len],
            filtered: vec![0.0; nnz * b_len],
            current: vec![0.0; n_pre * b_len],
        }
    }
}

/// The e-prop gradients of `dL/dy` = `output_grad` (`[O][T·B]`) on the spiking
/// `trajectory` (simulated on `inputs`), with `feedback` as B (`None`: `W_out`) and an
/// optional `rate_error` (dL/dz, `[N][T·B]`).
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
    let mut signal = vec![0.0f32; n * b_len];
    let mut direct = vec![0.0f32; n * b_len];
    let bias_rows: Vec<usize> = (0..=n).collect();
    let bias_cols = vec![0u32; n];
    for t in 1..=t_len {
        let before = (t - 1) * b_len;
        // learning signals of step t: Bᵀ δy(t) and the rate error
        for i in 0..n {
            let lane = i * lanes + before;
            signal[i * b_len..(i + 1) * b_len]
                .copy_from_slice(&learning_signal[lane..lane + b_len]);
            for b in 0..b_len {
                direct[i * b_len + b] = rate_error.map_or(0.0, |r| r[lane + b]);
            }
        }
        let sweep = Sweep {
            p: &p,
            beta_a: &beta_a,
            spikes,
            psi,
            signal: &signal,
            direct: &direct,
            t,
            lanes,
            stride,
            b_len,
        };
        sweep.run(
            &network.w_rec.row_ptr,
            &network.w_rec.col_idx,
            |j, b| spikes[j * stride + before + b],
            &mut rec,
            &mut g_rec,
        );
        sweep.run(
            &network.w_in.row_ptr,
            &network.w_in.col_idx,
            |j, b| inputs[j * lanes + before + b],
            &mut inp,
            &mut g_in,
        );
        sweep.run(&bias_rows, &bias_cols, |_, _| 1.0, &mut bias, &mut g_bias);
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

/// What one step of the trace sweep reads.
struct Sweep<'a> {
    p: &'a crate::model::SpikingSteps,
    beta_a: &'a [f32],
    spikes: &'a [f32],
    psi: &'a [f32],
    signal: &'a [f32],
    direct: &'a [f32],
    t: usize,
    lanes: usize,
    stride: usize,
    b_len: usize,
}

impl Sweep<'_> {
    /// Advance the traces of one weight matrix (rows = postsynaptic neurons) by step `t`
    /// and add this step's `L·ē + r·e` into `grad`; `pre(j, b)` is the presynaptic input.
    ///
    /// Each synapse's trials are one contiguous block, so every trace update is a
    /// lane-wise loop over the batch (vectorised); the per-trial contributions are then
    /// summed in trial order, as a scalar loop over the trials would.
    fn run(
        &self,
        row_ptr: &[usize],
        col_idx: &[u32],
        pre: impl Fn(usize, usize) -> f32,
        traces: &mut Traces,
        grad: &mut [f64],
    ) {
        let (p, b_len, t) = (self.p, self.b_len, self.t);
        let n_pre = traces.current.len() / b_len;
        for j in 0..n_pre {
            for b in 0..b_len {
                let c = &mut traces.current[j * b_len + b];
                *c = p.syn_decay * *c + pre(j, b);
            }
        }
        let before = (t - 1) * b_len;
        let no_psi = vec![0.0f32; b_len];
        let mut contribution = vec![0.0f32; b_len];
        for i in 0..row_ptr.len() - 1 {
            let beta_a = self.beta_a[i];
            let post = i * self.lanes + before;
            let psi = &self.psi[post..post + b_len];
            // ψ of step t−1 (0 before the first step)
            let psi_prev = if t > 1 {
                &self.psi[post - b_len..post]
            } else {
                &no_psi[..]
            };
            let z_prev = &self.spikes[i * self.stride + before..][..b_len];
            let signal = &self.signal[i * b_len..(i + 1) * b_len];
            let direct = &self.direct[i * b_len..(i + 1) * b_len];
            for s in row_ptr[i]..row_ptr[i + 1] {
                let j = col_idx[s] as usize;
                let current = &traces.current[j * b_len..(j + 1) * b_len];
                let block = s * b_len..(s + 1) * b_len;
                let v = &mut traces.v[block.clone()];
                let a = &mut traces.a[block.clone()];
                let syn = &mut traces.syn[block.clone()];
                let filtered = &mut traces.filtered[block];
                if beta_a != 0.0 {
                    for b in 0..b_len {
                        a[b] = psi_prev[b] * v[b] + (p.adapt_decay - psi_prev[b] * beta_a) * a[b];
                    }
                }
                match p.reset {
                    ResetMode::Subtract => {
                        for b in 0..b_len {
                            v[b] = p.mem_decay * v[b] + current[b];
                        }
                    }
                    ResetMode::Zero => {
                        for b in 0..b_len {
                            v[b] = (1.0 - z_prev[b]) * (p.mem_decay * v[b] + current[b]);
                        }
                    }
                }
                for b in 0..b_len {
                    let e = psi[b] * (v[b] - beta_a * a[b]);
                    syn[b] = p.readout_syn_decay * syn[b] + e;
                    filtered[b] = p.readout_decay * filtered[b] + syn[b];
                    contribution[b] = signal[b] * filtered[b] + direct[b] * e;
                }
                let mut total = 0.0f32;
                for c in &contribution {
                    total += *c;
                }
                grad[s] += total as f64;
            }
        }
    }
}
