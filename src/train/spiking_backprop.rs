//! Backpropagation through time for spiking neurons with a surrogate derivative (called by
//! [`crate::train::backprop`] for `dynamics` `lif` / `alif`; forward equations in
//! [`crate::model::spiking`]). The Heaviside's derivative is replaced by ψ_t (stored by the
//! forward pass, 0 while refractory); the reset is differentiated only with
//! `reset_gradient` (the −thr·gv_{t+1} term, through the recurrent paths only). Backward in
//! time, per neuron and trial (δy the output error, B the feedback matrix, `W_out` when
//! exact):
//!
//! ```text
//! gẑ_t = (Bᵀ δy)_t + κ gẑ_{t+1}            readout filter ẑ_t = κ ẑ_{t−1} + s_t
//! gs_t = gẑ_t + α_o gs_{t+1}               s_t = α_o s_{t−1} + z_t
//! gz_t = gs_t + (dL/dz)_t + (W_recᵀ gI_{t+1})_t + gb_{t+1} [− thr·gv_{t+1}]
//! gv_t = ψ_t gz_t + β·(1 − z_t if reset "zero") gv_{t+1}
//! gb_t = ρ gb_{t+1} − β_a ψ_t gz_t          (adaptive neurons)
//! gI_t = (1 − z_{t−1} if reset "zero") gv_t + α_s gI_{t+1}
//! ```
//!
//! `gI_t` is the error of the step's drive `W_in x_t + W_rec z_{t−1} + b`, stored as
//! `Gradients::pre_activation`; the weight gradients follow from it as in the rate form.
//! `Propagation::LeakOnly` drops the `W_recᵀ` term and the reset's (each neuron keeps its
//! membrane's and threshold's own dependencies, spikes are inputs): with symmetric feedback
//! that is exactly the e-prop gradient, as e-prop's autodiff form stops the gradient of
//! every spike fed back into the membrane (Bellec et al.'s `EligALIF`, `stop_z_gradients`).

use super::Trajectory;
use crate::kernels::spmm_gather;
use crate::model::{Network, ResetMode};

/// The surrogate-gradient errors of every step's drive (`dpre`, `[N][T·B]`, what
/// [`crate::train::Gradients::pre_activation`] holds) through the spiking `trajectory`,
/// given the error each neuron's readout trace receives (`from_output` = Bᵀ δy,
/// `[N][T·B]`), an optional dL/dz (`rate_error`) and whether errors travel back through
/// `W_recᵀ` (`through_recurrent`).
pub(super) fn surrogate_errors(
    network: &Network,
    trajectory: &Trajectory,
    from_output: &[f32],
    rate_error: Option<&[f32]>,
    through_recurrent: bool,
    dpre: &mut Vec<f32>,
) {
    let n = network.n_neurons();
    let (t_len, b_len) = (trajectory.n_steps, trajectory.batch_size);
    let lanes = t_len * b_len;
    let stride = lanes + b_len;
    let config = &network.config;
    let p = config.spiking.steps(config.dt_ms);
    let beta_a = config.adaptation_betas();
    dpre.resize(n * lanes, 0.0);
    let cells = n * b_len;
    let (mut g_filtered, mut g_syn, mut g_v, mut g_adapt, mut g_current) = (
        vec![0.0f32; cells],
        vec![0.0f32; cells],
        vec![0.0f32; cells],
        vec![0.0f32; cells],
        vec![0.0f32; cells],
    );
    let mut recurrent = vec![0.0f32; cells];
    let spikes = &trajectory.spikes;
    let psi = &trajectory.surrogate;
    let zero_reset = p.reset == ResetMode::Zero;
    // the reset −thr·z_{t−1} differentiated: gz_t gets −thr·gv_{t+1}
    let reset_back = if through_recurrent && p.reset_gradient {
        p.threshold
    } else {
        0.0
    };
    for t in (1..=t_len).rev() {
        let before = (t - 1) * b_len;
        for i in 0..n {
            for b in 0..b_len {
                let cell = i * b_len + b;
                let lane = i * lanes + before + b;
                let z_now = spikes[i * stride + t * b_len + b];
                let z_prev = spikes[i * stride + before + b];
                g_filtered[cell] = from_output[lane] + p.readout_decay * g_filtered[cell];
                g_syn[cell] = g_filtered[cell] + p.readout_syn_decay * g_syn[cell];
                let mut g_z = g_syn[cell] + recurrent[cell];
                if let Some(rate_error) = rate_error {
                    g_z += rate_error[lane];
                }
                if beta_a[i] != 0.0 {
                    g_z += g_adapt[cell];
                }
                if reset_back != 0.0 {
                    // g_v still holds gv_{t+1}
                    g_z -= reset_back * g_v[cell];
                }
                let leak = if zero_reset { 1.0 - z_now } else { 1.0 };
                g_v[cell] = psi[lane] * g_z + p.mem_decay * leak * g_v[cell];
                if beta_a[i] != 0.0 {
                    g_adapt[cell] = p.adapt_decay * g_adapt[cell] - beta_a[i] * psi[lane] * g_z;
                }
                let gate = if zero_reset { 1.0 - z_prev } else { 1.0 };
                g_current[cell] = gate * g_v[cell] + p.syn_decay * g_current[cell];
                dpre[lane] = g_current[cell];
            }
        }
        recurrent.fill(0.0);
        if t > 1 && through_recurrent {
            spmm_gather(
                network.w_rec.transposed_rows(),
                &dpre[before..],
                lanes,
                &mut recurrent,
                b_len,
                b_len,
            );
        }
    }
}
