//! BEAN (Gao, Ascoli & Zhao, "Biologically-Enhanced Artificial Neuronal assembly
//! regularization", arXiv 1909.13698; Front. Neurorobot. 15:567482, 2021) adapted to the
//! recurrent layer.
//!
//! With `W` the effective recurrent weights (row = postsynaptic k, column = presynaptic i):
//! - soft connection strength `Ŵ_ki = |tanh(γ W_ki)|` on existing synapses only;
//! - affinity through shared postsynaptic targets `A_ij = Σ_k Ŵ_ki Ŵ_kj` (computed
//!   sparsely: only pairs with a common target);
//! - activity dissimilarity `D_ij = mean_{t,b} (r_i − r_j)²` of the rates;
//! - `L_BEAN = α · mean_{i,j}(g(A_ij) D_ij)` over all N² pairs, `g(A) = A` (BEAN-1) or
//!   `A ⊙ A` (BEAN-2).
//!
//! Gradients: `∂L/∂Ŵ_ki = (2α/N²) Σ_j g′(A_ij) D_ij Ŵ_kj`, `∂Ŵ/∂W = γ (1 − tanh²) sign(W)`,
//! `∂L/∂r_i(l) = (4α/(N² M)) Σ_j g(A_ij) (r_i(l) − r_j(l))` with M = T·B. The rate term
//! is pushed back through time with the BPTT recursion and added to the task gradient.

use crate::error::{non_negative, positive, Result};
use crate::math;
use crate::model::{Csr, Network};
use crate::train::{backprop_fresh, effective_to_param, ErrorSource, Propagation};
use crate::train::{Gradients, Trajectory};
use serde::{Deserialize, Serialize};

/// BEAN-1 (A) or BEAN-2 (A ⊙ A).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BeanVariant {
    /// g(A) = A.
    Bean1,
    /// g(A) = A².
    Bean2,
}

/// BEAN hyper-parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BeanConfig {
    /// Penalty weight α (paper: 3 for BEAN-1 on MNIST).
    pub strength: f64,
    /// Slope γ of the soft connection strength (paper: 1).
    pub gamma: f64,
    /// BEAN-1 or BEAN-2.
    pub variant: BeanVariant,
}

impl Default for BeanConfig {
    fn default() -> Self {
        BeanConfig {
            strength: 3.0,
            gamma: 1.0,
            variant: BeanVariant::Bean1,
        }
    }
}

impl BeanConfig {
    /// Check every field.
    pub fn validate(&self) -> Result<()> {
        non_negative("strength", self.strength)?;
        positive("gamma", self.gamma)?;
        Ok(())
    }
}

/// The penalty and its partial derivatives.
#[derive(Debug, Clone, PartialEq)]
pub struct BeanTerms {
    /// `L_BEAN`.
    pub loss: f64,
    /// ∂L/∂W per synapse (effective weight, storage order of `w`).
    pub grad_weights: Vec<f32>,
    /// ∂L/∂r, `[N][M]`.
    pub grad_rates: Vec<f32>,
}

/// Pairs (i, j) sharing a postsynaptic target, with `A_ij`: per i, sorted by j.
fn affinity(w: &Csr, w_hat: &[f64]) -> Vec<Vec<(u32, f64)>> {
    let n = w.n_cols;
    let rows = w.entry_rows();
    // synapses grouped by presynaptic neuron i: (row k, storage index s)
    let mut by_pre: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    for s in 0..w.nnz() {
        by_pre[w.col_idx[s] as usize].push((rows[s] as usize, s));
    }
    let mut acc = vec![0.0f64; n];
    let mut touched = vec![false; n];
    let mut pairs = Vec::with_capacity(n);
    for i in 0..n {
        let mut list = Vec::new();
        for &(k, s_ki) in &by_pre[i] {
            for s_kj in w.row_ptr[k]..w.row_ptr[k + 1] {
                let j = w.col_idx[s_kj] as usize;
                acc[j] += w_hat[s_ki] * w_hat[s_kj];
                if !touched[j] {
                    touched[j] = true;
                    list.push(j as u32);
                }
            }
        }
        list.sort_unstable();
        let row: Vec<(u32, f64)> = list.iter().map(|&j| (j, acc[j as usize])).collect();
        for &j in &list {
            acc[j as usize] = 0.0;
            touched[j as usize] = false;
        }
        pairs.push(row);
    }
    pairs
}

fn lookup(row: &[(u32, f64)], j: u32) -> Option<f64> {
    row.binary_search_by_key(&j, |p| p.0).ok().map(|k| row[k].1)
}

/// `L_BEAN` and its derivatives for weights `w` (N × N) and rates `[N][M]`.
pub fn bean_terms(w: &Csr, rates: &[f32], config: &BeanConfig) -> BeanTerms {
    let n = w.n_rows;
    let m = rates.len() / n.max(1);
    let gamma = config.gamma;
    let tanh: Vec<f64> = w
        .values
        .iter()
        .map(|&v| math::tanh(gamma * v as f64))
        .collect();
    let w_hat: Vec<f64> = tanh.iter().map(|t| t.abs()).collect();
    let pairs = affinity(w, &w_hat);
    let scale = config.strength / (n * n) as f64;
    let g = |a: f64| match config.variant {
        BeanVariant::Bean1 => (a, 1.0),
        BeanVariant::Bean2 => (a * a, 2.0 * a),
    };
    // D_ij for every pair, then loss, dL/dr and G_ij = g′(A_ij) D_ij
    let mut loss = 0.0f64;
    let mut grad_rates = vec![0.0f64; n * m];
    let mut weighted: Vec<Vec<(u32, f64)>> = Vec::with_capacity(n);
    for (i, row) in pairs.iter().enumerate() {
        let ri = &rates[i * m..(i + 1) * m];
        let mut out = Vec::with_capacity(row.len());
        for &(j, a) in row {
            let rj = &rates[j as usize * m..(j as usize + 1) * m];
            let d = ri
                .iter()
                .zip(rj)
                .map(|(x, y)| ((x - y) as f64) * ((x - y) as f64))
                .sum::<f64>()
                / m.max(1) as f64;
            let (ga, gprime) = g(a);
            loss += scale * ga * d;
            let factor = 4.0 * scale * ga / m.max(1) as f64;
            for l in 0..m {
                grad_rates[i * m + l] += factor * (ri[l] - rj[l]) as f64;
            }
            out.push((j, gprime * d));
        }
        weighted.push(out);
    }
    // dL/dŴ_ki = 2·scale Σ_j G_ij Ŵ_kj over the synapses of row k
    let mut grad_weights = vec![0.0f32; w.nnz()];
    for k in 0..n {
        let range = w.row_ptr[k]..w.row_ptr[k + 1];
        for s_ki in range.clone() {
            let i = w.col_idx[s_ki] as usize;
            let mut total = 0.0f64;
            for s_kj in range.clone() {
                if let Some(gd) = lookup(&weighted[i], w.col_idx[s_kj]) {
                    total += gd * w_hat[s_kj];
                }
            }
            let t = tanh[s_ki];
            let sign = if t < 0.0 { -1.0 } else { 1.0 };
            grad_weights[s_ki] = (2.0 * scale * total * gamma * (1.0 - t * t) * sign) as f32;
        }
    }
    BeanTerms {
        loss,
        grad_weights,
        grad_rates: grad_rates.into_iter().map(|g| g as f32).collect(),
    }
}

/// Add the BEAN penalty's direct gradient on the effective recurrent weights (`direct`,
/// from [`bean_terms`]) to `w_rec_grad`, a gradient with respect to the parameters.
pub fn add_weight_penalty(network: &Network, direct: &[f32], w_rec_grad: &mut [f32]) {
    let mut direct = direct.to_vec();
    effective_to_param(network, &mut direct);
    for (g, d) in w_rec_grad.iter_mut().zip(&direct) {
        *g += d;
    }
}

/// BPTT gradients of the task loss plus the BEAN penalty (the penalty's error on the rates
/// travels back through time with the task error), and the penalty's value.
pub fn bean_gradients(
    network: &Network,
    inputs: &[f32],
    trajectory: &Trajectory,
    output_grad: &[f32],
    config: &BeanConfig,
) -> (Gradients, f64) {
    let terms = bean_terms(&network.w_rec, &trajectory.rates, config);
    let source = ErrorSource {
        feedback: None,
        rate_error: Some(&terms.grad_rates),
        propagation: Propagation::Full,
    };
    let mut grads = backprop_fresh(network, inputs, trajectory, output_grad, &source);
    add_weight_penalty(network, &terms.grad_weights, &mut grads.w_rec);
    (grads, terms.loss)
}
