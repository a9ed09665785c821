//! The network: configuration, connectivity, activations and parameters.

mod activation;
mod config;
mod connectivity;
mod csr;
mod network;
pub mod reservoir;
pub mod spiking;

pub use activation::Activation;
pub use config::{
    Connectivity, DenseInit, Dynamics, InitKind, InputMap, NetworkConfig, Readout, MAX_CHANNELS,
    MAX_NEURONS,
};
pub use connectivity::{build_mask, sheet_position, sheet_shape};
pub use csr::Csr;
pub use network::Network;
pub use spiking::{ResetMode, SpikingConfig, SpikingSteps, Surrogate};
