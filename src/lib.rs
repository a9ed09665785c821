//! # Sparse RNN Lab
//!
//! Build, train and dissect small sparse recurrent neural networks (continuous-time rate
//! RNNs) from computational neuroscience. The core is platform-free and tested natively;
//! `src/wasm/` is the only place that touches `wasm-bindgen` / `web-sys`.
//!
//! ## Layers (arrows point down: a module uses only the ones below it)
//!
//! | layer | modules | what |
//! |---|---|---|
//! | binding | `wasm` (wasm32 only) | the opaque `Simulator` handle and helpers for the page |
//! | application | [`lab`], [`persist`] | model files (checked against the memory budget before parsing); run descriptions, the one evaluation, sessions, sweeps, reports, presets, benchmark workloads |
//! | budget | [`budget`] | the memory estimate checked before anything is allocated, fallible allocation, JSON depth bounds, defaults that follow other fields |
//! | drawing | [`plot`] | draws the records it is given (snapshots, analyses, charts) on any `plotters` backend; no simulation |
//! | analysis | [`analysis`] | percolation, degradation under pruning, PCA |
//! | learning | [`learning`] | the learning rules and the one [`learning::Trainer`] |
//! | simulator | [`train`] | forward simulation, one BPTT for every rule and both dynamics, losses, optimizers |
//! | tasks | [`tasks`] | trial generators of the papers' tasks |
//! | model | [`model`] | configuration, CSR connectivity masks, activations, initialisation |
//! | kernels | [`kernels`] | SIMD-friendly sparse/dense kernels on batch-contiguous layouts |
//! | foundation | [`math`], [`rng`], [`error`] | deterministic elementary functions and the eigen solver, seeded streams, the one error type and checked configs |
//!
//! `tests/layers.rs` checks these arrows on the source files.

pub mod analysis;
pub mod budget;
pub mod error;
pub mod kernels;
pub mod lab;
pub mod learning;
pub mod math;
pub mod model;
pub mod persist;
pub mod plot;
pub mod rng;
pub mod tasks;
pub mod train;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error::{Error, Result};
pub use learning::Trainer;
