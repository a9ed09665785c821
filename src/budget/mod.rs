//! Memory budget: an estimate of the bytes a validated run description will allocate
//! (weights, optimizer state, gradients, the BPTT trajectory, trial buffers, per-rule
//! extras, analysis workspaces), checked *before* anything is allocated against a limit —
//! 1 GiB in wasm, 8 GiB natively, or `limits.memory_mb` of the run description. A
//! configuration over budget is refused with an [`Error::TooLarge`] that names the fields
//! driving the estimate, e.g.
//!
//! "needs ≈ 10.0 GiB (`network.n_neurons` 16384, `network.connectivity` dense: 268.4 M
//! synapses × weights, Adam state, gradients); the limit is 1.0 GiB (`limits.memory_mb`)".
//!
//! Also here: fallible allocation helpers ([`alloc`]), a depth bound for nested JSON
//! ([`depth`]) and defaults that follow other fields ([`defaults`]). Platform-free.

pub use crate::train::alloc;
pub use crate::train::alloc::human_bytes;
mod check;
pub mod defaults;
pub mod depth;
pub mod drawing;
mod estimate;
mod synapses;
mod task_buffers;

pub use check::{
    check_analysis, check_evaluation, check_model_text, check_network, check_run, check_shape,
    check_task_first,
};
pub use estimate::{
    analysis_estimate, evaluation_estimate, model_file_estimate, run_estimate, task_steps,
    weights_estimate, RunShape,
};
pub use synapses::{local_in_degree, synapse_count};
pub use task_buffers::{task_buffers, TaskBuffers};

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// Bytes in a MiB.
pub const MIB: f64 = 1024.0 * 1024.0;
/// Default budget in wasm (MiB): well under the 4 GiB address space of wasm32.
pub const DEFAULT_WASM_MB: f64 = 1024.0;
/// Default budget natively (MiB).
pub const DEFAULT_NATIVE_MB: f64 = 8192.0;
/// Largest `limits.memory_mb` accepted: 4 GiB in wasm (its whole address space), 1 TiB
/// natively.
pub const MAX_MEMORY_MB: f64 = if cfg!(target_arch = "wasm32") {
    4096.0
} else {
    1024.0 * 1024.0
};

/// The `limits` section of a run description: `{"memory_mb": 2048}`.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Memory budget in MiB (default: 1024 in wasm, 8192 natively).
    pub memory_mb: Option<f64>,
}

impl Limits {
    /// Check `memory_mb` (finite, > 0, ≤ [`MAX_MEMORY_MB`]); errors name `limits.memory_mb`.
    pub fn validate(&self) -> Result<()> {
        if let Some(mb) = self.memory_mb {
            if !(mb.is_finite() && mb > 0.0 && mb <= MAX_MEMORY_MB) {
                return Err(Error::field(
                    "limits.memory_mb",
                    mb,
                    if cfg!(target_arch = "wasm32") {
                        "must be a number in (0, 4096] (MiB; wasm32 has 4 GiB)"
                    } else {
                        "must be a number in (0, 1048576] (MiB)"
                    },
                ));
            }
        }
        Ok(())
    }

    /// The budget in bytes.
    pub fn bytes(&self) -> f64 {
        let default = if cfg!(target_arch = "wasm32") {
            DEFAULT_WASM_MB
        } else {
            DEFAULT_NATIVE_MB
        };
        self.memory_mb.unwrap_or(default) * MIB
    }
}

/// One part of an estimate: bytes, and what drives them (field names and values).
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// Estimated bytes.
    pub bytes: f64,
    /// The fields that drive it and what is stored, e.g. "`network.n_neurons` 4096,
    /// `train.batch_size` 4096, ≈ 60 steps per trial (`task.id` yang-go): BPTT trajectory".
    pub drivers: String,
}

/// An estimate: the sum of its terms.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Estimate {
    /// The parts, in no particular order.
    pub terms: Vec<Term>,
}

impl Estimate {
    /// Add a term (ignored if it is zero).
    pub fn add(&mut self, bytes: f64, drivers: impl Into<String>) {
        if bytes > 0.0 {
            self.terms.push(Term {
                bytes,
                drivers: drivers.into(),
            });
        }
    }

    /// Total bytes.
    pub fn total(&self) -> f64 {
        self.terms.iter().map(|t| t.bytes).sum()
    }

    /// `Ok` if the total fits `limits`, else [`Error::TooLarge`] naming the one or two
    /// largest terms (those with at least a quarter of the total).
    pub fn check(&self, limits: &Limits) -> Result<()> {
        let total = self.total();
        let limit = limits.bytes();
        if total.is_finite() && total <= limit {
            return Ok(());
        }
        let mut terms: Vec<&Term> = self.terms.iter().collect();
        terms.sort_by(|a, b| b.bytes.total_cmp(&a.bytes));
        let main: Vec<String> = terms
            .iter()
            .take(2)
            .enumerate()
            .filter(|(i, t)| *i == 0 || t.bytes >= 0.25 * total)
            .map(|(_, t)| format!("{} ≈ {}", t.drivers, human_bytes(t.bytes)))
            .collect();
        let source = if limits.memory_mb.is_some() {
            "`limits.memory_mb`"
        } else {
            "the default; raise it with `limits.memory_mb`"
        };
        Err(Error::TooLarge(format!(
            "needs ≈ {} ({}); the limit is {} ({source})",
            human_bytes(total),
            main.join("; "),
            human_bytes(limit)
        )))
    }
}

/// `268.4 M`, `12.3 k`, `512` (decimal, for counts).
pub fn human_count(count: f64) -> String {
    if count >= 1e9 {
        format!("{:.1} G", count / 1e9)
    } else if count >= 1e6 {
        format!("{:.1} M", count / 1e6)
    } else if count >= 1e4 {
        format!("{:.1} k", count / 1e3)
    } else {
        format!("{count:.0}")
    }
}

/// [`alloc::probe`] the memory of building the network of `config` (its weights as estimated by
/// [`weights_estimate`]), so that an allocation failure while drawing the mask
/// is an error naming `network.n_neurons` and the connectivity, not an abort.
pub fn probe_network(config: &crate::model::NetworkConfig) -> Result<()> {
    let bytes = weights_estimate(config, synapse_count(config)).total();
    let what = format!(
        "the network (`network.n_neurons` {}, {} synapses)",
        config.n_neurons,
        human_count(synapse_count(config))
    );
    alloc::probe(bytes, &what)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_names_the_largest_terms_and_the_limit() {
        let mut e = Estimate::default();
        e.add(3.0 * 1024.0 * MIB, "`network.n_neurons` 16384: weights");
        e.add(1.5 * 1024.0 * MIB, "`train.batch_size` 4096: trajectory");
        e.add(MIB, "small");
        let limits = Limits {
            memory_mb: Some(1024.0),
        };
        let message = e.check(&limits).unwrap_err().to_string();
        assert!(message.contains("needs ≈ 4.5 GiB"), "{message}");
        assert!(message.contains("`network.n_neurons` 16384: weights ≈ 3.0 GiB"));
        assert!(message.contains("`train.batch_size` 4096"), "{message}");
        assert!(!message.contains("small"), "{message}");
        assert!(message.contains("the limit is 1.0 GiB (`limits.memory_mb`)"));
        let roomy = Limits {
            memory_mb: Some(8192.0),
        };
        assert!(e.check(&roomy).is_ok());
        let mut infinite = Estimate::default();
        infinite.add(f64::INFINITY, "x");
        assert!(infinite.check(&roomy).is_err());
    }

    #[test]
    fn limits_are_validated_and_default_per_platform() {
        assert_eq!(Limits::default().bytes(), DEFAULT_NATIVE_MB * MIB);
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e12] {
            let e = Limits {
                memory_mb: Some(bad),
            }
            .validate()
            .unwrap_err()
            .to_string();
            assert!(e.contains("`limits.memory_mb`"), "{e}");
        }
        assert_eq!(human_bytes(1536.0 * MIB), "1.5 GiB");
        assert_eq!(human_count(268_435_456.0), "268.4 M");
    }
}
