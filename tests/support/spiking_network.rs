//! The small spiking network and the Poisson data the spiking tests share
//! (`tests/spiking.rs`, `tests/eprop_blocked.rs`).

use sparse_rnn_lab::model::{Connectivity, Dynamics, Network, NetworkConfig, SpikingConfig};
use sparse_rnn_lab::rng::SimRng;

/// 12 spiking neurons, 5 inputs, 2 outputs, random mask of density 0.5, dt 1 ms, τ 10 ms
/// (Dale with 75 % excitatory when `dale`), seed 11.
pub fn network(dynamics: Dynamics, spiking: SpikingConfig, dale: bool) -> Network {
    Network::new(NetworkConfig {
        n_neurons: 12,
        n_inputs: 5,
        n_outputs: 2,
        connectivity: Connectivity::RandomDensity,
        density: 0.5,
        dynamics,
        dt_ms: 1.0,
        tau_ms: 10.0,
        gain: 1.0,
        excitatory_fraction: dale.then_some(0.75),
        seed: 11,
        spiking,
        ..NetworkConfig::default()
    })
    .unwrap()
}

/// Poisson input spikes `[I][T·B]` (probability 0.1 per step) and a uniform random target
/// `[O][T·B]` for `t_len` steps of `b_len` trials, drawn in that order from `seed`.
pub fn poisson_data(net: &Network, t_len: usize, b_len: usize, seed: u64) -> (Vec<f32>, Vec<f32>) {
    let mut rng = SimRng::new(seed);
    let inputs = (0..net.n_inputs() * t_len * b_len)
        .map(|_| f32::from(u8::from(rng.uniform() < 0.1)))
        .collect();
    let target = (0..net.n_outputs() * t_len * b_len)
        .map(|_| rng.uniform() as f32)
        .collect();
    (inputs, target)
}
