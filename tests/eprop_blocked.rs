//! e-prop's blocked trace sweep (`learning::eprop::eprop_gradients`, time in blocks of
//! `BLOCK_STEPS`, each synapse through a whole block at a time) against the step-by-step
//! sweep it replaced, kept here as the reference: every gradient entry must be the same
//! bits, on LIF and ALIF neurons, both reset modes, with and without the rate error,
//! symmetric and random feedback, batches that fill the kernel's lanes and ones that do
//! not, trials shorter than a block, one block long, and not a multiple of it.

#[path = "support/spiking_network.rs"]
mod spiking_network;
use spiking_network::{network, poisson_data};

use sparse_rnn_lab::learning::eprop::{eprop_gradients, rate_regularizer, BLOCK_STEPS};
use sparse_rnn_lab::learning::{feedback_alignment, FeedbackConfig};
use sparse_rnn_lab::model::{Csr, Dynamics, Network, ResetMode, SpikingConfig, Surrogate};
use sparse_rnn_lab::train::backprop::{
    project_back, readout_bias_gradient, spiking_readout_gradient,
};
use sparse_rnn_lab::train::{
    effective_to_param, forward, loss_and_gradient, Gradients, LossKind, Trajectory,
};

/// Trace state of one weight matrix in the reference sweep.
struct Traces {
    v: Vec<f32>,
    a: Vec<f32>,
    syn: Vec<f32>,
    filtered: Vec<f32>,
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

/// What one step of the reference sweep reads.
struct Step<'a> {
    p: &'a sparse_rnn_lab::model::SpikingSteps,
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

impl Step<'_> {
    /// The sweep of the code before the blocked one (`src/learning/eprop.rs` at e6b5af4),
    /// one step, all synapses of one matrix.
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

/// The step-by-step e-prop gradients (the reference).
fn reference(
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
    let mut rec = Traces::new(network.w_rec.nnz(), n, b_len);
    let mut inp = Traces::new(network.w_in.nnz(), network.n_inputs(), b_len);
    let mut bias = Traces::new(n, 1, b_len);
    let mut g_rec = vec![0.0f64; network.w_rec.nnz()];
    let mut g_in = vec![0.0f64; network.w_in.nnz()];
    let mut g_bias = vec![0.0f64; n];
    let mut learning_signal = Vec::new();
    project_back(feedback, output_grad, lanes, &mut learning_signal);
    let mut signal = vec![0.0f32; n * b_len];
    let mut direct = vec![0.0f32; n * b_len];
    let bias_rows: Vec<usize> = (0..=n).collect();
    let bias_cols = vec![0u32; n];
    for t in 1..=t_len {
        let before = (t - 1) * b_len;
        for i in 0..n {
            let lane = i * lanes + before;
            signal[i * b_len..(i + 1) * b_len]
                .copy_from_slice(&learning_signal[lane..lane + b_len]);
            for b in 0..b_len {
                direct[i * b_len + b] = rate_error.map_or(0.0, |r| r[lane + b]);
            }
        }
        let step = Step {
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
        step.run(
            &network.w_rec.row_ptr,
            &network.w_rec.col_idx,
            |j, b| spikes[j * stride + before + b],
            &mut rec,
            &mut g_rec,
        );
        step.run(
            &network.w_in.row_ptr,
            &network.w_in.col_idx,
            |j, b| inputs[j * lanes + before + b],
            &mut inp,
            &mut g_in,
        );
        step.run(&bias_rows, &bias_cols, |_, _| 1.0, &mut bias, &mut g_bias);
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

/// LIF and ALIF (half the neurons adaptive), reset by subtraction and to zero.
fn cases() -> Vec<(&'static str, Dynamics, SpikingConfig, bool)> {
    let base = SpikingConfig {
        input_gain: 0.5,
        ..SpikingConfig::default()
    };
    let alif = SpikingConfig {
        tau_syn_ms: 0.0,
        surrogate: Surrogate::PiecewiseLinear,
        adaptive_fraction: 0.5,
        tau_adapt_ms: 50.0,
        adaptation_beta: 0.5,
        refractory_ms: 1.0,
        input_gain: 2.0,
        ..base.clone()
    };
    vec![
        ("lif subtract", Dynamics::Lif, base.clone(), false),
        (
            "lif zero-reset, two readout filters, Dale",
            Dynamics::Lif,
            SpikingConfig {
                reset: ResetMode::Zero,
                refractory_ms: 2.0,
                surrogate: Surrogate::Arctan,
                readout_tau_syn_ms: 5.0,
                ..base
            },
            true,
        ),
        ("alif subtract", Dynamics::Alif, alif.clone(), false),
        (
            "alif zero-reset, synaptic and readout filters",
            Dynamics::Alif,
            SpikingConfig {
                reset: ResetMode::Zero,
                tau_syn_ms: 5.0,
                readout_tau_syn_ms: 5.0,
                ..alif
            },
            false,
        ),
    ]
}

/// Every entry's bits, tensor by tensor.
fn bits(g: &Gradients) -> Vec<Vec<u32>> {
    [&g.w_rec, &g.w_in, &g.bias, &g.w_out, &g.b_out]
        .iter()
        .map(|v| v.iter().map(|x| x.to_bits()).collect())
        .collect()
}

#[test]
fn blocked_traces_equal_the_step_by_step_sweep_bit_for_bit() {
    let lengths = [1, BLOCK_STEPS, 2 * BLOCK_STEPS + 11];
    for (name, dynamics, spiking, dale) in cases() {
        let net = network(dynamics, spiking, dale);
        let random = feedback_alignment::feedback_matrix(&net, &FeedbackConfig::default());
        for &t_len in &lengths {
            // 2 and 3 trials: single lanes only; 11: a full lane group and three more
            for b_len in [2, 3, 11] {
                let seed = (t_len * 100 + b_len) as u64;
                let (inputs, target) = poisson_data(&net, t_len, b_len, seed);
                let mut traj = Trajectory::default();
                forward(&net, &inputs, t_len, b_len, None, &mut traj);
                let mut dy = Vec::new();
                let mask = vec![1.0; target.len()];
                loss_and_gradient(LossKind::Mse, &traj.outputs, &target, &mask, &mut dy);
                let (_, rate_error) = rate_regularizer(&traj, 1.0, 0.5, 10.0);
                for (feedback, label) in [(None, "symmetric"), (Some(&random), "random")] {
                    for rate in [None, Some(rate_error.as_slice())] {
                        let ours = eprop_gradients(&net, &inputs, &traj, &dy, feedback, rate);
                        let old = reference(&net, &inputs, &traj, &dy, feedback, rate);
                        assert_eq!(
                            bits(&ours),
                            bits(&old),
                            "{name}, T {t_len}, B {b_len}, {label}, rate error {}",
                            rate.is_some()
                        );
                        if t_len > 1 {
                            assert!(
                                ours.w_rec.iter().any(|g| *g != 0.0)
                                    && ours.w_in.iter().any(|g| *g != 0.0),
                                "{name}, T {t_len}, B {b_len}: no gradient to compare"
                            );
                        }
                    }
                }
            }
        }
    }
}
