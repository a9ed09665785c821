//! # Sparse RNN Lab
//!
//! Build, train and dissect small sparse recurrent neural networks (continuous-time rate
//! RNNs) from computational neuroscience. The core (this crate minus `wasm`) is
//! platform-free and tested natively; `src/wasm/` is the only place that touches
//! `wasm-bindgen` / `web-sys`.
//!
//! Main pieces:
//! - [`model`]: network configuration, connectivity masks stored as CSR (only real
//!   synapses cost time and memory), activations, initialisation.
//! - [`kernels`]: SIMD-friendly sparse/dense kernels on batch-contiguous layouts.
//! - [`train`]: forward simulation, BPTT, losses, Adam, the [`train::Trainer`].
//! - [`tasks`]: trial generators for the papers' tasks.
//! - [`learning`]: learning rules beyond BPTT (feedback alignment, predictive coding,
//!   Hebbian, BEAN, imperfect-forward training) behind one [`learning::RuleTrainer`].
//! - [`plot`]: plots written against any `plotters` backend.
//! - [`budget`]: the memory estimate checked before allocating, fallible allocation,
//!   JSON depth bounds and defaults that follow other fields.

pub mod analysis;
pub mod bench;
pub mod budget;
pub mod error;
pub mod experiments;
pub mod kernels;
pub mod learning;
pub mod math;
pub mod model;
pub mod persist;
pub mod plot;
pub mod rng;
pub mod session;
pub mod tasks;
pub mod train;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error::{Error, Result};
