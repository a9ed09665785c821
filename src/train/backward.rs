//! Backpropagation through time over a stored [`Trajectory`].

use super::Trajectory;
use crate::kernels::{sddmm, spmm_gather, sum};
use crate::model::{Dynamics, Network};

/// Gradients of the loss with respect to every parameter tensor.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Gradients {
    /// dL/d(recurrent parameter), one per synapse (already through Dale's |·|·sign).
    pub w_rec: Vec<f32>,
    /// dL/dW_in, one per stored input weight.
    pub w_in: Vec<f32>,
    /// dL/db.
    pub bias: Vec<f32>,
    /// dL/dW_out, one per stored readout weight.
    pub w_out: Vec<f32>,
    /// dL/d(pre-activation), `[N][T·B]`; the error signal other learning rules reuse.
    pub pre_activation: Vec<f32>,
}

impl Gradients {
    /// Global L2 norm over the parameter gradients.
    pub fn norm(&self) -> f64 {
        [&self.w_rec, &self.w_in, &self.bias, &self.w_out]
            .iter()
            .flat_map(|g| g.iter())
            .map(|g| (*g as f64) * (*g as f64))
            .sum::<f64>()
            .sqrt()
    }

    /// Multiply every parameter gradient by `factor`.
    pub fn scale(&mut self, factor: f32) {
        for g in [
            &mut self.w_rec,
            &mut self.w_in,
            &mut self.bias,
            &mut self.w_out,
        ] {
            g.iter_mut().for_each(|x| *x *= factor);
        }
    }
}

fn zeroed(buffer: &mut Vec<f32>, len: usize) {
    buffer.clear();
    buffer.resize(len, 0.0);
}

/// BPTT: given dL/dy (`[O][T·B]`) for the trajectory produced by `forward` on `inputs`,
/// fill `grads`. `scratch` is reused between calls. Handles both [`Dynamics`] forms.
pub fn backward(
    network: &Network,
    inputs: &[f32],
    trajectory: &Trajectory,
    output_grad: &[f32],
    grads: &mut Gradients,
    scratch: &mut Vec<f32>,
) {
    let n = network.n_neurons();
    let (t_len, b_len) = (trajectory.n_steps, trajectory.batch_size);
    let lanes = t_len * b_len;
    let state_stride = lanes + b_len;
    let alpha = network.config.alpha();
    let activation = network.config.activation;
    let voltage = network.config.dynamics == Dynamics::Voltage;
    // what the readout and the recurrent weights see: h (rate form) or r = f(x) (voltage)
    let states = if voltage {
        &trajectory.voltage_rates
    } else {
        &trajectory.states
    };

    // readout: dW_out = dy · hᵀ, and the error each state receives from the output
    zeroed(&mut grads.w_out, network.w_out.nnz());
    sddmm(
        network.w_out.rows(),
        output_grad,
        lanes,
        &states[b_len..],
        state_stride,
        lanes,
        &mut grads.w_out,
    );
    let dh_from_output = scratch;
    zeroed(dh_from_output, n * lanes);
    spmm_gather(
        network.w_out.transposed_rows(),
        output_grad,
        lanes,
        dh_from_output,
        lanes,
        lanes,
    );

    // through time
    let dpre = &mut grads.pre_activation;
    zeroed(dpre, n * lanes);
    let mut dh_next = vec![0.0f32; n * b_len];
    let mut dh_prev = vec![0.0f32; n * b_len];
    if voltage {
        // dr_{t+1} = W_outᵀ dy_t + W_recᵀ dpre_{t+1}
        // dx_{t+1} = f′(x_{t+1}) ⊙ dr_{t+1} + (1−α) dx_{t+2},  dpre_t = α dx_{t+1}
        let (dr_rec, dx_next) = (&mut dh_prev, &mut dh_next);
        for t in (0..t_len).rev() {
            let offset = t * b_len;
            for i in 0..n {
                let rates = &trajectory.rates[i * lanes + offset..i * lanes + offset + b_len];
                let external = &dh_from_output[i * lanes + offset..i * lanes + offset + b_len];
                let recurrent = &dr_rec[i * b_len..(i + 1) * b_len];
                let dx = &mut dx_next[i * b_len..(i + 1) * b_len];
                let d_pre = &mut dpre[i * lanes + offset..i * lanes + offset + b_len];
                activation.derivative_into(rates, d_pre);
                for b in 0..b_len {
                    let x_grad = d_pre[b] * (recurrent[b] + external[b]) + (1.0 - alpha) * dx[b];
                    dx[b] = x_grad;
                    d_pre[b] = alpha * x_grad;
                }
            }
            if t > 0 {
                dr_rec.fill(0.0);
                spmm_gather(
                    network.w_rec.transposed_rows(),
                    &dpre[offset..],
                    lanes,
                    dr_rec,
                    b_len,
                    b_len,
                );
            }
        }
    } else {
        for t in (0..t_len).rev() {
            let offset = t * b_len;
            for i in 0..n {
                let rates = &trajectory.rates[i * lanes + offset..i * lanes + offset + b_len];
                let external = &dh_from_output[i * lanes + offset..i * lanes + offset + b_len];
                let carried = &dh_next[i * b_len..(i + 1) * b_len];
                let d_pre = &mut dpre[i * lanes + offset..i * lanes + offset + b_len];
                let leak = &mut dh_prev[i * b_len..(i + 1) * b_len];
                activation.derivative_into(rates, d_pre);
                for b in 0..b_len {
                    let dh = carried[b] + external[b];
                    d_pre[b] *= dh * alpha;
                    leak[b] = (1.0 - alpha) * dh;
                }
            }
            spmm_gather(
                network.w_rec.transposed_rows(),
                &dpre[offset..],
                lanes,
                &mut dh_prev,
                b_len,
                b_len,
            );
            std::mem::swap(&mut dh_next, &mut dh_prev);
        }
    }

    // weight gradients, only at real synapses
    zeroed(&mut grads.w_rec, network.w_rec.nnz());
    sddmm(
        network.w_rec.rows(),
        dpre,
        lanes,
        states,
        state_stride,
        lanes,
        &mut grads.w_rec,
    );
    if network.has_dale() {
        for s in 0..grads.w_rec.len() {
            let pre = network.w_rec.col_idx[s] as usize;
            let param_sign = if network.w_rec_param[s] < 0.0 {
                -1.0
            } else {
                1.0
            };
            grads.w_rec[s] *= network.neuron_sign[pre] * param_sign;
        }
    }
    zeroed(&mut grads.w_in, network.w_in.nnz());
    sddmm(
        network.w_in.rows(),
        dpre,
        lanes,
        inputs,
        lanes,
        lanes,
        &mut grads.w_in,
    );
    grads.bias.clear();
    grads
        .bias
        .extend((0..n).map(|i| sum(&dpre[i * lanes..(i + 1) * lanes])));
}
