//! Weight fingerprints and the fixed determinism probe: the same run description must
//! give bit-identical weights natively and in wasm.

use super::presets::turcu_network;
use crate::error::Result;
use crate::learning::{LearningRule, Trainer};
use crate::math::fnv::fnv1a;
use crate::model::Network;
use crate::tasks::turcu::{PatternClassification, PatternConfig};
use crate::train::TrainConfig;

/// FNV-1a hash of the bits of every parameter of `network` (weights, biases, signs).
pub fn fingerprint(network: &Network) -> u64 {
    let tensors = [
        &network.w_rec_param,
        &network.w_rec.values,
        &network.w_in.values,
        &network.bias,
        &network.w_out.values,
        &network.b_out,
    ];
    fnv1a(
        tensors
            .into_iter()
            .flat_map(|tensor| tensor.iter().flat_map(|v| v.to_bits().to_le_bytes())),
    )
}

/// Train a small fixed configuration (sparse, rectified tanh, recurrent noise, random
/// pattern inputs with input noise) for `steps` steps and return the weights' fingerprint.
/// Native and wasm builds must return the same value (checked by tests on both).
pub fn determinism_probe(steps: usize) -> Result<u64> {
    let n = 40;
    let mut config = turcu_network(n, 6, 11);
    config.rec_noise_std = 0.05;
    let task = PatternClassification::new(PatternConfig {
        n_patterns: 12,
        pattern_dim: n,
        input_noise_std: 0.1,
        seed: 5,
        ..Default::default()
    })?;
    let train = TrainConfig {
        learning_rate: 0.01,
        batch_size: 6,
        seed: 3,
        ..Default::default()
    };
    let mut trainer = Trainer::new(
        Network::new(config)?,
        Box::new(task),
        train,
        LearningRule::Bptt,
    )?;
    for _ in 0..steps {
        trainer.train_step()?;
    }
    Ok(fingerprint(&trainer.network))
}

/// FNV-1a hash of the f32 bits of the first `draws` recurrent-noise draws
/// ([`crate::rng::SimRng::add_normals`] on a zero buffer, scale 1) of
/// `SimRng::derived(1, "noise")`. Native and wasm builds must return the same value (the
/// noise stream alone, whatever the kernels' flavour; checked by tests on both).
pub fn noise_stream_probe(draws: usize) -> u64 {
    let mut noise = vec![0.0f32; draws];
    crate::rng::SimRng::derived(1, "noise").add_normals(&mut noise, 1.0);
    fnv1a(noise.iter().flat_map(|v| v.to_bits().to_le_bytes()))
}
