//! The application layer: everything that is not the model but what is done with it.
//!
//! - [`run`]: the run description `{network, train, task, rule}` parsed and checked once.
//! - [`eval`]: the one definition of evaluation (its trials, seed stream, persistence test
//!   and per-task scores).
//! - [`session`]: a trainer with its evaluation and histories — what the page's
//!   `Simulator`, the CLI's `srnn train` and the sweeps all drive.
//! - [`curve`]: train a run description and record its accuracy curve.
//! - [`long_run`]: "train until" a criterion, with per-task curves and time estimates.
//! - [`sweep`]: independent sweep points (capacity, percolation, sparsity), sharding.
//! - [`claims`]: the claims table — each paper's headline results re-run with its settings,
//!   beside the paper's number (`srnn reproduce`, the page's `runClaim`).
//! - [`presets`]: each paper's setting once, as a run description (page, CLI, claims).
//! - [`page_sweeps`]: the page's sweeps (capacity, percolation, sparsity, rules), each
//!   its request or points, read by the sweep panel.
//! - [`form_setting`]: what the page's form adds for a task (its bound setting, the
//!   paper's form defaults), read by the page through the task catalog.
//! - [`clock`]: the one wall clock.
//! - [`decision`]: Turcu & Abbott's decision read-outs (fixed or percentile threshold).
//! - [`report`]: the records the plots draw (snapshots, analyses).
//! - [`fingerprint`]: weight fingerprints and the determinism probe.
//! - [`bench`]: the standard benchmark workload.
//! - [`profile`]: where the milliseconds of a training step go, phase by phase.
//! - [`sampler_bench`]: ns per draw of the normal samplers on the recurrent noise's use.
//! - [`reservoir`]: echo-state-network experiments (memory capacity, Mackey-Glass, the
//!   reservoir vs trained-RNN gap on Turcu & Abbott's task).
//! - [`reservoir_profile`]: where the milliseconds of a ridge readout's fit go, phase by
//!   phase (the reservoir speed table, natively and in wasm).
//! - [`spiking`]: the spiking experiments (SpyTorch surrogate vs true gradient, e-prop).
//! - [`export`]: the Python-ready `.npz` (PsychRNN key names), written by [`npz`].

pub mod bench;
pub mod claims;
pub mod clock;
pub mod curve;
pub mod decision;
pub mod eval;
pub mod export;
pub mod fingerprint;
pub mod form_setting;
pub mod long_run;
pub mod npz;
pub mod page_sweeps;
pub mod parallel;
pub mod presets;
pub mod profile;
pub mod rate_to_spiking;
pub mod report;
pub mod reservoir;
pub mod reservoir_profile;
pub mod run;
pub mod sampler_bench;
pub mod session;
pub mod spiking;
pub mod studies;
pub mod sweep;
pub mod turcu_spiking;
