//! Unsupervised local plasticity on the existing recurrent synapses, from a simulated
//! trajectory (rules as in reservoirpy's `LocalPlasticityReservoir`). For synapse
//! `j → i`, presynaptic activity `x = h_j(t)` (the state entering step t) and
//! postsynaptic activity `y = r_i(t) = f(a_i(t))`; ⟨·⟩ is the mean over steps and trials:
//!
//! | rule | ΔW_ij |
//! |---|---|
//! | Hebb (Hebb 1949) | η ⟨y_i x_j⟩ |
//! | Oja (Oja 1982) | η (⟨y_i x_j⟩ − ⟨y_i²⟩ W_ij) |
//! | BCM (Bienenstock, Cooper & Munro 1982) | η ⟨x_j y_i (y_i − θ_i)⟩, θ_i = ⟨y_i²⟩ |
//!
//! The BCM threshold is the batch estimate of ⟨y²⟩ (no running state).

use crate::error::{positive, Result};
use crate::kernels::{dot, sddmm};
use crate::model::Network;
use crate::train::Trajectory;
use serde::{Deserialize, Serialize};

/// Which local rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LocalRuleKind {
    /// Plain Hebbian.
    Hebb,
    /// Oja's normalised Hebbian rule.
    Oja,
    /// BCM with a sliding threshold ⟨y²⟩.
    Bcm,
}

/// Settings of a local rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LocalConfig {
    /// Which rule.
    pub kind: LocalRuleKind,
    /// η.
    pub learning_rate: f64,
}

impl Default for LocalConfig {
    fn default() -> Self {
        LocalConfig {
            kind: LocalRuleKind::Oja,
            learning_rate: 1e-3,
        }
    }
}

impl LocalConfig {
    /// Check every field.
    pub fn validate(&self) -> Result<()> {
        positive("learning_rate", self.learning_rate)?;
        Ok(())
    }
}

/// ΔW per synapse (effective weights, storage order) for `trajectory`.
pub fn local_update(network: &Network, trajectory: &Trajectory, config: &LocalConfig) -> Vec<f32> {
    let w = &network.w_rec;
    let n = w.n_rows;
    let b_len = trajectory.batch_size;
    let lanes = trajectory.n_steps * b_len;
    let inv = 1.0 / lanes.max(1) as f32;
    let eta = config.learning_rate as f32;
    let rates = &trajectory.rates;
    let second: Vec<f32> = (0..n)
        .map(|i| {
            let y = &rates[i * lanes..(i + 1) * lanes];
            dot(y, y) * inv
        })
        .collect();
    let post: Vec<f32> = match config.kind {
        LocalRuleKind::Hebb | LocalRuleKind::Oja => rates.clone(),
        LocalRuleKind::Bcm => (0..n * lanes)
            .map(|k| rates[k] * (rates[k] - second[k / lanes.max(1)]))
            .collect(),
    };
    let mut delta = vec![0.0f32; w.nnz()];
    sddmm(
        w.rows(),
        &post,
        lanes,
        crate::train::presynaptic_states(network, trajectory),
        lanes + b_len,
        lanes,
        &mut delta,
    );
    let rows = w.entry_rows();
    for s in 0..delta.len() {
        let mut d = delta[s] * inv;
        if config.kind == LocalRuleKind::Oja {
            d -= second[rows[s] as usize] * w.values[s];
        }
        delta[s] = eta * d;
    }
    delta
}
