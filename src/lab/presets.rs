//! Network presets shared by the sweeps, the claims and the page: the Turcu & Abbott
//! classifier and the Khona et al. sparsity-sweep networks.

use crate::error::{Error, Result};
use crate::model::{build_mask, Activation, Connectivity, InputMap, NetworkConfig, Readout};
use crate::rng::SimRng;
use crate::tasks::TaskSpec;

/// Network config of a sparsity-sweep point (the task's `spec` fixes inputs, outputs and
/// dt).
pub fn sparsity_network(
    n: usize,
    mask: &str,
    radius: f64,
    spec: &TaskSpec,
    seed: u64,
) -> Result<NetworkConfig> {
    let base = NetworkConfig {
        n_neurons: n,
        n_inputs: spec.n_inputs,
        n_outputs: spec.n_outputs,
        activation: Activation::Relu,
        dt_ms: spec.dt_ms,
        tau_ms: 100.0,
        rec_noise_std: 0.05,
        radius,
        seed,
        ..Default::default()
    };
    let local = NetworkConfig {
        connectivity: Connectivity::Local,
        ..base.clone()
    };
    Ok(match mask {
        "dense" => NetworkConfig {
            connectivity: Connectivity::Dense,
            ..base
        },
        "autapse" => NetworkConfig {
            connectivity: Connectivity::Autapse,
            init: crate::model::InitKind::Identity,
            gain: 1.0,
            ..base
        },
        "local" => local,
        "random" => {
            local.validate()?;
            let density = build_mask(&local, &mut SimRng::new(0)).density();
            NetworkConfig {
                connectivity: Connectivity::RandomDensity,
                density,
                ..base
            }
        }
        other => {
            return Err(Error::UnknownName {
                field: "mask",
                value: other.into(),
                allowed: "local, random, dense, autapse".into(),
            })
        }
    })
}

/// The Turcu & Abbott network for the capacity experiments.
pub fn turcu_network(n: usize, k: usize, seed: u64) -> NetworkConfig {
    NetworkConfig {
        n_neurons: n,
        n_inputs: n,
        connectivity: Connectivity::FixedInDegree,
        k,
        activation: Activation::RectifiedTanh,
        dt_ms: 10.0,
        tau_ms: 100.0,
        input_map: InputMap::Identity,
        readout: Readout::Population,
        seed,
        ..Default::default()
    }
}
