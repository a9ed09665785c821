//! Feedback alignment for the rate RNN.
//!
//! - **FA** (Lillicrap et al. 2016, Nat. Commun. 7:13276): BPTT in which the readout error
//!   reaches the states through a fixed random matrix `B` (same shape as `W_out`) instead
//!   of `W_out`: `dL/dh_{t+1} = Bᵀ e_t + (1−α) dL/dh_{t+2} + W_recᵀ dL/da_{t+1}`. Errors
//!   still travel back in time through `W_recᵀ`.
//! - **DFA** (Nøkland 2016, NIPS) in its recurrent, RFLO form (Murray 2019, eLife
//!   8:e43299): the learning signal of neuron i at step t is `q_i(t) = (Bᵀ e_t)_i`, and
//!   `ΔW_ij ∝ −Σ_t q_i(t) p_ij(t)` with the eligibility trace
//!   `p_ij(t) = (1−α) p_ij(t−1) + α f′(a_i(t)) h_j(t)`. Nothing is propagated through
//!   `W_rec` in time; only the neuron's own leak carries the trace. We compute the same
//!   sum backwards in time (`λ_i(t) = q_i(t) + (1−α) λ_i(t+1)`, `dL/da_i = α f′ λ_i`),
//!   which equals the online trace form exactly (tested against it). Input weights and
//!   biases use the same traces (presynaptic `x_t` resp. 1).
//!
//! In both, the readout `W_out` gets its true local gradient `Σ_t e_t h_{t+1}ᵀ`. With a
//! fixed (untrained) readout the readout cannot align with `B`, so FA/DFA need
//! `readout: trained` to learn.

use crate::error::{non_negative, Result};
use crate::model::{Csr, Network};
use crate::rng::SimRng;
use crate::train::{backprop_fresh, effective_to_param, project_back, ErrorSource, Propagation};
use crate::train::{Gradients, Trajectory};
use serde::{Deserialize, Serialize};

/// Parameters of the fixed random feedback matrix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FeedbackConfig {
    /// Std of B's entries times √N (B_oi ~ N(0, scale²/N), the scale of `W_out`'s init).
    pub feedback_scale: f64,
    /// Seed of B.
    pub seed: u64,
}

impl Default for FeedbackConfig {
    fn default() -> Self {
        FeedbackConfig {
            feedback_scale: 1.0,
            seed: 7,
        }
    }
}

impl FeedbackConfig {
    /// Check every field.
    pub fn validate(&self) -> Result<()> {
        non_negative("feedback_scale", self.feedback_scale)?;
        Ok(())
    }
}

/// The fixed random feedback matrix B: same pattern as `W_out`, entries
/// `N(0, feedback_scale²/N)` drawn from `SimRng::derived(seed, "feedback")`.
pub fn feedback_matrix(network: &Network, config: &FeedbackConfig) -> Csr {
    let mut b = network.w_out.clone();
    let mut rng = SimRng::derived(config.seed, "feedback");
    let scale = config.feedback_scale / (network.n_neurons() as f64).sqrt();
    b.values
        .iter_mut()
        .for_each(|v| *v = (rng.normal() * scale) as f32);
    b.rebuild_transpose();
    b
}

/// FA gradients: BPTT with `W_outᵀ` replaced by `Bᵀ` (`feedback`, an `O × N` matrix).
/// With `feedback` equal to `W_out` this is exactly BPTT.
pub fn fa_gradients(
    network: &Network,
    feedback: &Csr,
    inputs: &[f32],
    trajectory: &Trajectory,
    output_grad: &[f32],
) -> Gradients {
    rule_gradients(
        network,
        feedback,
        inputs,
        trajectory,
        output_grad,
        Propagation::Full,
    )
}

/// Recurrent DFA / RFLO gradients (see the module docs): learning signal `Bᵀ e_t`,
/// eligibility traces through the leak only, no propagation through `W_rec`.
pub fn dfa_gradients(
    network: &Network,
    feedback: &Csr,
    inputs: &[f32],
    trajectory: &Trajectory,
    output_grad: &[f32],
) -> Gradients {
    rule_gradients(
        network,
        feedback,
        inputs,
        trajectory,
        output_grad,
        Propagation::LeakOnly,
    )
}

fn rule_gradients(
    network: &Network,
    feedback: &Csr,
    inputs: &[f32],
    trajectory: &Trajectory,
    output_grad: &[f32],
    propagation: Propagation,
) -> Gradients {
    let source = ErrorSource {
        feedback: Some(feedback),
        rate_error: None,
        propagation,
    };
    backprop_fresh(network, inputs, trajectory, output_grad, &source)
}

/// The RFLO update computed online, forwards in time, with explicit per-synapse
/// eligibility traces `p_ij(t) = (1−α) p_ij(t−1) + α f′(a_i(t)) h_j(t)` and
/// `dL/dW_ij = Σ_t Σ_b q_i(t) p_ij(t)`. O(nnz·T·B); a reference for [`dfa_gradients`].
pub fn rflo_online_recurrent(
    network: &Network,
    feedback: &Csr,
    trajectory: &Trajectory,
    output_grad: &[f32],
) -> Vec<f32> {
    let (t_len, b_len) = (trajectory.n_steps, trajectory.batch_size);
    let lanes = t_len * b_len;
    let alpha = network.config.alpha();
    let activation = network.config.activation;
    let mut q = Vec::new();
    project_back(feedback, output_grad, lanes, &mut q);
    let w = &network.w_rec;
    let mut trace = vec![0.0f32; w.nnz() * b_len];
    let mut grad = vec![0.0f32; w.nnz()];
    for t in 0..t_len {
        for i in 0..w.n_rows {
            for s in w.row_ptr[i]..w.row_ptr[i + 1] {
                let j = w.col_idx[s] as usize;
                for b in 0..b_len {
                    let r = trajectory.rates[i * lanes + t * b_len + b];
                    let fprime = activation.derivative_from_output(r);
                    let h = trajectory.state(j, t, b);
                    let p = &mut trace[s * b_len + b];
                    *p = (1.0 - alpha) * *p + alpha * fprime * h;
                    grad[s] += q[i * lanes + t * b_len + b] * *p;
                }
            }
        }
    }
    effective_to_param(network, &mut grad);
    grad
}
