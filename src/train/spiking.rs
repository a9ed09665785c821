//! Forward simulation of spiking neurons (`dynamics` `lif` / `alif`; equations in
//! [`crate::model::spiking`]), into the same [`Trajectory`] as the rate forms:
//!
//! - `states[i][t][b]`: membrane voltage v_t (t = 0..=T, v_0 = 0);
//! - `rates[i][t][b]`: the spike z of step t (0 or 1), `[N][T·B]`;
//! - `spikes[i][t][b]`: z_t for t = 0..=T (z_0 = 0), what the recurrent weights see;
//! - `filtered[i][t][b]`: ẑ_t, the spikes through the readout filter (what `W_out` sees);
//! - `surrogate[i][t][b]`: ψ_t = dz/dv at step t by the configured surrogate (0 while
//!   refractory), `[N][T·B]`, for backprop and e-prop;
//! - `thresholds[i][t][b]`: A_t = thr + β_a b_t, `[N][T·B]` (for plots and e-prop).
//!
//! The recurrent input is event-driven: only the neurons that spiked at t−1 add their
//! column of `W_rec`, so a step costs (spikes × fan-out), not synapses. Recurrent noise
//! (`rec_noise_std`, when a noise stream is given) is added to the input current as
//! σ·ξ per step; the whole `[N][T·B]` block of ξ is drawn before the time loop by
//! [`SimRng::add_normals`] (the Ziggurat on xoshiro256++ words), as the rate forward's.

use crate::kernels::spmm_gather;
use crate::model::{Network, ResetMode};
use crate::rng::SimRng;

/// The trajectory's buffers a spiking simulation writes (see the module docs), sized for
/// its shapes.
pub(super) struct SpikingBuffers<'a> {
    /// Membrane voltages, `[N][(T+1)·B]`.
    pub(super) states: &'a mut [f32],
    /// Spikes of each step, `[N][T·B]`.
    pub(super) rates: &'a mut [f32],
    /// Outputs, `[O][T·B]`.
    pub(super) outputs: &'a mut [f32],
    /// Spikes with z_0, `[N][(T+1)·B]`.
    pub(super) spikes: &'a mut [f32],
    /// Readout traces, `[N][(T+1)·B]`.
    pub(super) filtered: &'a mut [f32],
    /// Surrogate derivatives, `[N][T·B]`.
    pub(super) surrogate: &'a mut [f32],
    /// Thresholds, `[N][T·B]`.
    pub(super) thresholds: &'a mut [f32],
}

/// Simulate the spiking `network` on `inputs` (`[n_inputs][T·B]`) from rest into
/// `buffers`.
pub(super) fn forward_spiking(
    network: &Network,
    inputs: &[f32],
    n_steps: usize,
    batch_size: usize,
    noise_rng: Option<&mut SimRng>,
    buffers: SpikingBuffers<'_>,
) {
    let n = network.n_neurons();
    let lanes = n_steps * batch_size;
    let stride = lanes + batch_size;
    let config = &network.config;
    let p = config.spiking.steps(config.dt_ms);
    let beta_a = config.adaptation_betas();
    let noise_scale = config.rec_noise_std as f32;
    let SpikingBuffers {
        states,
        rates,
        outputs,
        spikes,
        filtered,
        surrogate,
        thresholds,
    } = buffers;
    // the drive W_in x_t + b of every step at once, into `rates` (overwritten by spikes)
    for i in 0..n {
        rates[i * lanes..(i + 1) * lanes].fill(network.bias[i]);
        spikes[i * stride..i * stride + batch_size].fill(0.0);
        filtered[i * stride..i * stride + batch_size].fill(0.0);
    }
    spmm_gather(network.w_in.rows(), inputs, lanes, rates, lanes, lanes);
    // the noise of every neuron, step and trial in one pass of the fast sampler
    if let Some(rng) = noise_rng.filter(|_| noise_scale > 0.0) {
        rng.add_normals(&mut rates[..n * lanes], noise_scale);
    }

    let cells = n * batch_size;
    let mut current = vec![0.0f32; cells];
    let mut adaptation = vec![0.0f32; cells];
    let mut refractory = vec![0usize; cells];
    let mut readout_syn = vec![0.0f32; cells];
    let mut recurrent = vec![0.0f32; cells];
    let columns = network.w_rec.transposed_rows();
    for t in 1..=n_steps {
        let before = (t - 1) * batch_size;
        // event-driven recurrent input of the spikes of step t−1
        recurrent.fill(0.0);
        if t > 1 {
            for j in 0..n {
                let row = &spikes[j * stride + before..j * stride + before + batch_size];
                let (start, end) = (columns.row_ptr[j], columns.row_ptr[j + 1]);
                for (b, &z) in row.iter().enumerate() {
                    if z == 0.0 {
                        continue;
                    }
                    for s in start..end {
                        recurrent[columns.indices[s] as usize * batch_size + b] +=
                            columns.values[s];
                    }
                }
            }
        }
        for i in 0..n {
            for b in 0..batch_size {
                let cell = i * batch_size + b;
                let lane = i * lanes + before + b;
                let drive = rates[lane] + recurrent[cell];
                let z_prev = spikes[i * stride + before + b];
                let v_prev = states[i * stride + before + b];
                current[cell] = p.syn_decay * current[cell] + drive;
                let v = match p.reset {
                    ResetMode::Subtract => {
                        p.mem_decay * v_prev + current[cell] - p.threshold * z_prev
                    }
                    ResetMode::Zero => (1.0 - z_prev) * (p.mem_decay * v_prev + current[cell]),
                };
                let mut threshold = p.threshold;
                if beta_a[i] != 0.0 {
                    adaptation[cell] = p.adapt_decay * adaptation[cell] + z_prev;
                    threshold += beta_a[i] * adaptation[cell];
                }
                if z_prev > 0.0 {
                    refractory[cell] = p.refractory_steps;
                }
                let x = (v - threshold) / p.threshold;
                let (z, psi) = if refractory[cell] > 0 {
                    refractory[cell] -= 1;
                    (0.0, 0.0)
                } else {
                    (
                        if x > 0.0 { 1.0 } else { 0.0 },
                        p.surrogate.derivative(x, p.surrogate_scale, p.threshold),
                    )
                };
                readout_syn[cell] = p.readout_syn_decay * readout_syn[cell] + z;
                let at = i * stride + t * batch_size + b;
                states[at] = v;
                spikes[at] = z;
                filtered[at] = p.readout_decay * filtered[at - batch_size] + readout_syn[cell];
                rates[lane] = z;
                surrogate[lane] = psi;
                thresholds[lane] = threshold;
            }
        }
    }
    outputs.fill(0.0);
    spmm_gather(
        network.w_out.rows(),
        &filtered[batch_size..],
        stride,
        outputs,
        lanes,
        lanes,
    );
}

/// Number of spikes in a trajectory's `rates` of a spiking network (all neurons, steps
/// and trials).
pub fn spike_count(rates: &[f32]) -> usize {
    rates.iter().filter(|z| **z > 0.0).count()
}
