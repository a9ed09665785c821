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
//! The recurrent input is event-driven while activity is sparse — only the neurons that
//! spiked at t−1 add their column of `W_rec`, so a step costs (spikes × fan-out), not
//! synapses — and goes through the batch-lane gather kernel of the rate networks once the
//! spikes would cost more than a quarter of a full pass ([`recurrent_input`]; the same
//! bits either way). Recurrent noise
//! (`rec_noise_std`, when a noise stream is given) is added to the input current as
//! σ·ξ per step; the whole `[N][T·B]` block of ξ is drawn before the time loop by
//! [`SimRng::add_normals`] (the Ziggurat on xoshiro256++ words), as the rate forward's.

use crate::kernels::{spmm_gather, RowsView};
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
    for t in 1..=n_steps {
        let before = (t - 1) * batch_size;
        // recurrent input of the spikes of step t−1 (none before the first step)
        recurrent.fill(0.0);
        if t > 1 {
            let step = &spikes[before..];
            let columns = network.w_rec.transposed_rows();
            let gather = dense_activity(&columns, step, stride, batch_size);
            recurrent_input(network, step, stride, batch_size, gather, &mut recurrent);
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

/// Add `W_rec z` into `recurrent` (`[N][batch]`), where z is one step of spikes read at
/// `spikes[j * stride + b]` (z ∈ {0, 1}): event-driven (each spike adds its column of
/// `W_rec`, one strided scalar add per event) or, with `gather`, through the batch-lane
/// gather kernel over every synapse and trial (SIMD over trials). Both paths add the same
/// weights in the same (synapse) order per trial: w·1 = w and w·0 adds a zero, so the
/// result is the same to the bit whichever runs (tested); [`dense_activity`] picks the
/// cheaper.
fn recurrent_input(
    network: &Network,
    spikes: &[f32],
    stride: usize,
    batch_size: usize,
    gather: bool,
    recurrent: &mut [f32],
) {
    let columns = network.w_rec.transposed_rows();
    if gather {
        spmm_gather(
            network.w_rec.rows(),
            spikes,
            stride,
            recurrent,
            batch_size,
            batch_size,
        );
        return;
    }
    for j in 0..columns.n_rows() {
        let row = &spikes[j * stride..j * stride + batch_size];
        let (start, end) = (columns.row_ptr[j], columns.row_ptr[j + 1]);
        for (b, &z) in row.iter().enumerate() {
            if z == 0.0 {
                continue;
            }
            for s in start..end {
                recurrent[columns.indices[s] as usize * batch_size + b] += columns.values[s];
            }
        }
    }
}

/// How many times cheaper one synapse-lane of the gather kernel is than one event of
/// the scalar event-driven loop (measured on the snnTorch comparison's network:
/// `benches/spiking.rs`; SIMD over batch lanes in the gather against one strided scalar
/// add per event).
const GATHER_ADVANTAGE: usize = 4;

/// Whether one step of spikes (read as in [`recurrent_input`]) costs more as events
/// (Σ spikes × fan-out) than one pass of the gather kernel over every synapse and trial
/// (nnz × batch / [`GATHER_ADVANTAGE`]).
fn dense_activity(
    columns: &RowsView<'_>,
    spikes: &[f32],
    stride: usize,
    batch_size: usize,
) -> bool {
    let gather_cost = columns.values.len() * batch_size / GATHER_ADVANTAGE;
    let mut events = 0usize;
    for j in 0..columns.n_rows() {
        let row = &spikes[j * stride..j * stride + batch_size];
        let fired = row.iter().filter(|z| **z != 0.0).count();
        events += fired * (columns.row_ptr[j + 1] - columns.row_ptr[j]);
        if events > gather_cost {
            return true;
        }
    }
    false
}

/// Number of spikes in a trajectory's `rates` of a spiking network (all neurons, steps
/// and trials).
pub fn spike_count(rates: &[f32]) -> usize {
    rates.iter().filter(|z| **z > 0.0).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Connectivity, Dynamics, NetworkConfig};

    fn network(connectivity: Connectivity, density: f64, dale: bool) -> Network {
        Network::new(NetworkConfig {
            n_neurons: 37,
            n_inputs: 3,
            n_outputs: 2,
            connectivity,
            density,
            dynamics: Dynamics::Lif,
            dt_ms: 1.0,
            tau_ms: 10.0,
            gain: 1.0,
            excitatory_fraction: dale.then_some(0.8),
            seed: 5,
            ..NetworkConfig::default()
        })
        .unwrap()
    }

    /// One step of random spikes at `rate`, laid out `[N][stride]` with the step's trials
    /// at offset `before`.
    fn spikes(n: usize, stride: usize, rate: f64, rng: &mut SimRng) -> Vec<f32> {
        (0..n * stride)
            .map(|_| f32::from(u8::from(rng.uniform() < rate)))
            .collect()
    }

    #[test]
    fn event_and_gather_paths_give_the_same_bits() {
        let mut rng = SimRng::new(3);
        for (connectivity, density, dale) in [
            (Connectivity::RandomDensity, 0.2, false),
            (Connectivity::RandomDensity, 0.6, true),
            (Connectivity::Dense, 1.0, false),
        ] {
            let net = network(connectivity, density, dale);
            let n = net.n_neurons();
            for batch in [1usize, 2, 5, 16, 33] {
                let stride = 3 * batch + 1;
                for rate in [0.02, 0.3, 0.95] {
                    let z = spikes(n, stride, rate, &mut rng);
                    let before = batch + 1;
                    let mut by_events = vec![0.0f32; n * batch];
                    let mut by_gather = vec![0.0f32; n * batch];
                    let z_step = &z[before..];
                    recurrent_input(&net, z_step, stride, batch, false, &mut by_events);
                    recurrent_input(&net, z_step, stride, batch, true, &mut by_gather);
                    assert!(by_events.iter().any(|x| *x != 0.0) || rate < 0.05);
                    for (cell, (e, g)) in by_events.iter().zip(&by_gather).enumerate() {
                        assert_eq!(
                            e.to_bits(),
                            g.to_bits(),
                            "{connectivity:?} batch {batch} rate {rate} cell {cell}: {e} vs {g}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn the_gather_path_is_chosen_only_for_dense_activity() {
        let net = network(Connectivity::RandomDensity, 0.3, false);
        let columns = net.w_rec.transposed_rows();
        let mut rng = SimRng::new(8);
        let (n, batch) = (net.n_neurons(), 16);
        let quiet = spikes(n, batch, 0.01, &mut rng);
        let busy = spikes(n, batch, 0.6, &mut rng);
        assert!(!dense_activity(&columns, &quiet, batch, batch));
        assert!(dense_activity(&columns, &busy, batch, batch));
    }
}
