//! Shared backward machinery for the rules that are "BPTT with something changed": the
//! error each state receives from the readout (or a feedback matrix), an optional extra
//! error on the rates (regularisers), and whether errors travel back through `W_recᵀ`.
//!
//! Notation (see [`crate::train::forward`]): `a_t = W_rec h_t + W_in x_t + b`,
//! `r_t = f(a_t)`, `h_{t+1} = (1−α) h_t + α r_t`, `y_t = W_out h_{t+1}`.

use crate::kernels::{sddmm, spmm_gather, sum};
use crate::model::{Csr, Network};
use crate::train::{Gradients, Trajectory};

/// How the error of a state reaches the state before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Propagation {
    /// Exact: through the leak `(1−α)` and through `W_recᵀ` (BPTT).
    Full,
    /// Only through the leak `(1−α)`, never through `W_recᵀ` (RFLO / recurrent DFA).
    LeakOnly,
}

fn zeroed(buffer: &mut Vec<f32>, len: usize) {
    buffer.clear();
    buffer.resize(len, 0.0);
}

/// `out = matrixᵀ · error` for an `[O][T·B]` error and an `O × N` matrix: the error every
/// state `h_{t+1}` receives directly, `[N][T·B]`.
pub fn project_back(matrix: &Csr, error: &[f32], lanes: usize, out: &mut Vec<f32>) {
    zeroed(out, matrix.n_cols * lanes);
    spmm_gather(matrix.transposed_rows(), error, lanes, out, lanes, lanes);
}

/// Run the backward recursion and return dL/da (`[N][T·B]`).
///
/// `direct_state_error[i][t·B+b]` is the error `h_{i,t+1}` receives without going through
/// later states; `direct_rate_error`, if given, is an explicit dL/dr_t (e.g. a penalty on
/// the rates). Then `dL/dh_{t+1} = direct + (1−α) dL/dh_{t+2} [+ W_recᵀ dL/da_{t+1}]` and
/// `dL/da_t = f′(a_t) (α dL/dh_{t+1} + dL/dr_t)`.
pub fn propagate(
    network: &Network,
    trajectory: &Trajectory,
    direct_state_error: &[f32],
    direct_rate_error: Option<&[f32]>,
    propagation: Propagation,
) -> Vec<f32> {
    let n = network.n_neurons();
    let (t_len, b_len) = (trajectory.n_steps, trajectory.batch_size);
    let lanes = t_len * b_len;
    let alpha = network.config.alpha();
    let activation = network.config.activation;
    let mut dpre = vec![0.0f32; n * lanes];
    let mut dh_next = vec![0.0f32; n * b_len];
    let mut dh_prev = vec![0.0f32; n * b_len];
    for t in (0..t_len).rev() {
        let offset = t * b_len;
        for i in 0..n {
            let at = i * lanes + offset;
            for b in 0..b_len {
                let dh = dh_next[i * b_len + b] + direct_state_error[at + b];
                let rate_error = direct_rate_error.map_or(0.0, |d| d[at + b]);
                let fprime = activation.derivative_from_output(trajectory.rates[at + b]);
                dpre[at + b] = (dh * alpha + rate_error) * fprime;
                dh_prev[i * b_len + b] = (1.0 - alpha) * dh;
            }
        }
        if propagation == Propagation::Full {
            spmm_gather(
                network.w_rec.transposed_rows(),
                &dpre[offset..],
                lanes,
                &mut dh_prev,
                b_len,
                b_len,
            );
        }
        std::mem::swap(&mut dh_next, &mut dh_prev);
    }
    dpre
}

/// Parameter gradients from dL/da (`dpre`, evaluated at `presynaptic` states
/// `[N][(T+1)·B]`) and the readout's own local gradient `Σ_t e_t h_{t+1}ᵀ`.
pub fn parameter_gradients(
    network: &Network,
    inputs: &[f32],
    presynaptic: &[f32],
    output_grad: &[f32],
    n_steps: usize,
    batch_size: usize,
    dpre: Vec<f32>,
) -> Gradients {
    let n = network.n_neurons();
    let lanes = n_steps * batch_size;
    let stride = lanes + batch_size;
    let mut grads = Gradients::default();
    zeroed(&mut grads.w_out, network.w_out.nnz());
    sddmm(
        network.w_out.rows(),
        output_grad,
        lanes,
        &presynaptic[batch_size..],
        stride,
        lanes,
        &mut grads.w_out,
    );
    zeroed(&mut grads.w_rec, network.w_rec.nnz());
    sddmm(
        network.w_rec.rows(),
        &dpre,
        lanes,
        presynaptic,
        stride,
        lanes,
        &mut grads.w_rec,
    );
    effective_to_param(network, &mut grads.w_rec);
    zeroed(&mut grads.w_in, network.w_in.nnz());
    sddmm(
        network.w_in.rows(),
        &dpre,
        lanes,
        inputs,
        lanes,
        lanes,
        &mut grads.w_in,
    );
    grads.bias = (0..n)
        .map(|i| sum(&dpre[i * lanes..(i + 1) * lanes]))
        .collect();
    grads.pre_activation = dpre;
    grads
}

/// Turn dL/d(effective recurrent weight) into dL/d(parameter) (Dale: `w = |p|·sign(pre)`).
pub fn effective_to_param(network: &Network, grad: &mut [f32]) {
    if !network.has_dale() {
        return;
    }
    for (s, g) in grad.iter_mut().enumerate() {
        let pre = network.w_rec.col_idx[s] as usize;
        let param_sign = if network.w_rec_param[s] < 0.0 {
            -1.0
        } else {
            1.0
        };
        *g *= network.neuron_sign[pre] * param_sign;
    }
}

/// How two gradients compare: relative error `‖a − b‖/‖b‖` and angle in degrees, over
/// all four parameter tensors concatenated (`b` is the reference).
pub fn agreement(a: &Gradients, b: &Gradients) -> (f64, f64) {
    let (mut diff, mut norm_a, mut norm_b, mut dot) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    for (x, y) in [
        (&a.w_rec, &b.w_rec),
        (&a.w_in, &b.w_in),
        (&a.bias, &b.bias),
        (&a.w_out, &b.w_out),
    ] {
        for (&p, &q) in x.iter().zip(y.iter()) {
            let (p, q) = (p as f64, q as f64);
            diff += (p - q) * (p - q);
            norm_a += p * p;
            norm_b += q * q;
            dot += p * q;
        }
    }
    let relative = diff.sqrt() / norm_b.sqrt().max(1e-30);
    let cosine = (dot / (norm_a.sqrt() * norm_b.sqrt()).max(1e-30)).clamp(-1.0, 1.0);
    (relative, cosine.acos().to_degrees())
}
