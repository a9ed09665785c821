//! Predictive coding (PC) on the network unrolled in time (Rosenbaum 2022, PLoS ONE
//! 17(3): e0266102; Torch2PC). Each state `h_t` (t = 1..T) is a PC "layer" with belief
//! `v_t` and prediction `F(v_{t−1}) = (1−α) v_{t−1} + α f(W_rec v_{t−1} + W_in x + b)`;
//! `h_0 = 0` is clamped. Every layer also has an output head `y = W_out v_t` whose error
//! `e_t = dL/dy_t` enters as a top-down term. All layers are updated synchronously
//! (Jacobi sweeps, each sweep one pass over all time steps at once).
//!
//! - **Fixed-prediction assumption (FPA)**: predictions and Jacobians stay at the forward
//!   pass `v̂`, `e` stays at the forward output error. With `ε_t = v̂_t − v_t`,
//!   `v_t ← v_t + η (ε_t − J_F(v̂_t)ᵀ ε_{t+1} − W_outᵀ e_t)`, i.e.
//!   `ε_t ← (1−η) ε_t + η (J_F(v̂_t)ᵀ ε_{t+1} + W_outᵀ e_t)`. With η = 1 each sweep makes
//!   one more layer exact, so after n = T sweeps `ε_t = dL/dh_t` and the update
//!   `Δθ = Σ_t (∂F(v̂_{t−1})/∂θ)ᵀ ε_t` equals BPTT's gradient.
//! - **Strict PC**: predictions, Jacobians and output errors are recomputed from the
//!   current beliefs every sweep: `ε_t = F(v_{t−1}) − v_t`,
//!   `v_t ← v_t + η (ε_t − J_F(v_t)ᵀ ε_{t+1} − W_outᵀ e_t(v))`; the update is the VJP at
//!   the beliefs, `Δθ = Σ_t (∂F(v_{t−1})/∂θ)ᵀ ε_t` (+ `e_t(v) v_tᵀ` for `W_out`). This only
//!   approximates BPTT (Rosenbaum's defaults η = 0.1, n = 20).

use crate::error::{in_range, Result};
use crate::kernels::spmm_gather;
use crate::model::Network;
use crate::tasks::TrialBatch;
use crate::train::{
    loss_and_gradient, parameter_gradients, project_back, Gradients, LossKind, Trajectory,
};
use serde::{Deserialize, Serialize};

/// Which PC variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PcVariant {
    /// Fixed-prediction assumption (exact with η = 1, n = T).
    FixedPrediction,
    /// Strict PC: predictions recomputed from the beliefs.
    Strict,
}

/// PC inference settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PcConfig {
    /// FPA or strict.
    pub variant: PcVariant,
    /// Belief step size η (0 < η ≤ 1).
    pub step_size: f64,
    /// Number of inference sweeps n (0 = T, the number of time steps of the batch).
    pub iterations: usize,
}

impl Default for PcConfig {
    fn default() -> Self {
        PcConfig {
            variant: PcVariant::FixedPrediction,
            step_size: 1.0,
            iterations: 0,
        }
    }
}

/// Largest number of sweeps accepted (cost guard).
pub const MAX_PC_ITERATIONS: usize = 10_000;

impl PcConfig {
    /// Check every field.
    pub fn validate(&self) -> Result<()> {
        in_range("step_size", self.step_size, 1e-9, 1.0, "must be in (0, 1]")?;
        if self.iterations > MAX_PC_ITERATIONS {
            return Err(crate::Error::field(
                "iterations",
                self.iterations,
                "must be <= 10000",
            ));
        }
        Ok(())
    }
}

/// Linearisation of `F` at given presynaptic states, stored as `α f′(a_t)`.
struct Layerwise {
    alpha_fprime: Vec<f32>,
}

impl Layerwise {
    fn from_rates(network: &Network, rates: &[f32]) -> Self {
        let alpha = network.config.alpha();
        let act = network.config.activation;
        let alpha_fprime = rates
            .iter()
            .map(|&r| alpha * act.derivative_from_output(r))
            .collect();
        Layerwise { alpha_fprime }
    }

    /// `out[t] = J_F(v_{t+1})ᵀ ε[t+1]` for every state index t (0 for the last one).
    /// `eps` is `[N][T·B]`, index t·B+b meaning state `h_{t+1}`.
    fn vjp_next(&self, network: &Network, eps: &[f32], b_len: usize, out: &mut Vec<f32>) {
        let n = network.n_neurons();
        let lanes = eps.len() / n.max(1);
        let alpha = network.config.alpha();
        let dpre: Vec<f32> = eps
            .iter()
            .zip(&self.alpha_fprime)
            .map(|(e, g)| e * g)
            .collect();
        let mut back = vec![0.0f32; n * lanes];
        spmm_gather(
            network.w_rec.transposed_rows(),
            &dpre,
            lanes,
            &mut back,
            lanes,
            lanes,
        );
        out.clear();
        out.resize(n * lanes, 0.0);
        for i in 0..n {
            let row = i * lanes;
            for l in 0..lanes - b_len {
                out[row + l] = (1.0 - alpha) * eps[row + l + b_len] + back[row + l + b_len];
            }
        }
    }
}

/// PC parameter gradients for `batch` given its forward `trajectory` (from
/// [`crate::train::forward`] without noise). `pre_activation` holds `α f′ ε` at the end.
pub fn pc_gradients(
    network: &Network,
    batch: &TrialBatch,
    trajectory: &Trajectory,
    loss: LossKind,
    config: &PcConfig,
) -> Gradients {
    let sweeps = if config.iterations == 0 {
        batch.n_steps
    } else {
        config.iterations
    };
    match config.variant {
        PcVariant::FixedPrediction => {
            fpa(network, batch, trajectory, loss, config.step_size, sweeps)
        }
        PcVariant::Strict => strict(network, batch, trajectory, loss, config.step_size, sweeps),
    }
}

fn fpa(
    network: &Network,
    batch: &TrialBatch,
    trajectory: &Trajectory,
    loss: LossKind,
    eta: f64,
    sweeps: usize,
) -> Gradients {
    let (n, b_len) = (network.n_neurons(), batch.batch_size);
    let lanes = batch.n_steps * b_len;
    let mut e = Vec::new();
    loss_and_gradient(
        loss,
        &trajectory.outputs,
        &batch.targets,
        &batch.mask,
        &mut e,
    );
    let mut top_down = Vec::new();
    project_back(&network.w_out, &e, lanes, &mut top_down);
    let lin = Layerwise::from_rates(network, &trajectory.rates);
    let eta = eta as f32;
    let mut eps = vec![0.0f32; n * lanes];
    let mut next = Vec::new();
    for _ in 0..sweeps {
        lin.vjp_next(network, &eps, b_len, &mut next);
        for k in 0..eps.len() {
            eps[k] = (1.0 - eta) * eps[k] + eta * (next[k] + top_down[k]);
        }
    }
    gradients(network, batch, &lin, &eps, &trajectory.states, &e)
}

/// Predictions `F(v_{t})` for every t (`[N][T·B]`) and the rates `f(a(v_t))`.
fn predict(
    network: &Network,
    inputs: &[f32],
    beliefs: &[f32],
    b_len: usize,
) -> (Vec<f32>, Vec<f32>) {
    let n = network.n_neurons();
    let lanes = beliefs.len() / n - b_len;
    let stride = lanes + b_len;
    let alpha = network.config.alpha();
    let act = network.config.activation;
    let mut rates = vec![0.0f32; n * lanes];
    for i in 0..n {
        rates[i * lanes..(i + 1) * lanes].fill(network.bias[i]);
    }
    spmm_gather(network.w_in.rows(), inputs, lanes, &mut rates, lanes, lanes);
    spmm_gather(
        network.w_rec.rows(),
        beliefs,
        stride,
        &mut rates,
        lanes,
        lanes,
    );
    let mut prediction = vec![0.0f32; n * lanes];
    for i in 0..n {
        for l in 0..lanes {
            let r = act.apply(rates[i * lanes + l]);
            rates[i * lanes + l] = r;
            prediction[i * lanes + l] = (1.0 - alpha) * beliefs[i * stride + l] + alpha * r;
        }
    }
    (prediction, rates)
}

/// Output errors `e(v)` (`[O][T·B]`) and their projection `W_outᵀ e`.
fn output_errors(
    network: &Network,
    batch: &TrialBatch,
    beliefs: &[f32],
    loss: LossKind,
) -> (Vec<f32>, Vec<f32>) {
    let b_len = batch.batch_size;
    let lanes = batch.n_steps * b_len;
    let mut y = vec![0.0f32; network.n_outputs() * lanes];
    spmm_gather(
        network.w_out.rows(),
        &beliefs[b_len..],
        lanes + b_len,
        &mut y,
        lanes,
        lanes,
    );
    crate::train::add_readout_bias(network, &mut y);
    let mut e = Vec::new();
    loss_and_gradient(loss, &y, &batch.targets, &batch.mask, &mut e);
    let mut top_down = Vec::new();
    project_back(&network.w_out, &e, lanes, &mut top_down);
    (e, top_down)
}

fn strict(
    network: &Network,
    batch: &TrialBatch,
    trajectory: &Trajectory,
    loss: LossKind,
    eta: f64,
    sweeps: usize,
) -> Gradients {
    let (n, b_len) = (network.n_neurons(), batch.batch_size);
    let lanes = batch.n_steps * b_len;
    let stride = lanes + b_len;
    let eta = eta as f32;
    let mut beliefs = trajectory.states.clone();
    let mut eps = vec![0.0f32; n * lanes];
    let mut next = Vec::new();
    let errors = |beliefs: &[f32], eps: &mut Vec<f32>| {
        let (prediction, rates) = predict(network, &batch.inputs, beliefs, b_len);
        for i in 0..n {
            for l in 0..lanes {
                eps[i * lanes + l] = prediction[i * lanes + l] - beliefs[i * stride + b_len + l];
            }
        }
        rates
    };
    for _ in 0..sweeps {
        let rates = errors(&beliefs, &mut eps);
        let (_, top_down) = output_errors(network, batch, &beliefs, loss);
        Layerwise::from_rates(network, &rates).vjp_next(network, &eps, b_len, &mut next);
        for i in 0..n {
            for l in 0..lanes {
                let k = i * lanes + l;
                beliefs[i * stride + b_len + l] += eta * (eps[k] - next[k] - top_down[k]);
            }
        }
    }
    let rates = errors(&beliefs, &mut eps);
    let (e, _) = output_errors(network, batch, &beliefs, loss);
    let lin = Layerwise::from_rates(network, &rates);
    gradients(network, batch, &lin, &eps, &beliefs, &e)
}

/// The parameter gradients from the settled errors: pre-activation error `ε · α f′`, then
/// the weight gradients against the `states` (`[N][(T+1)·B]`) and the output errors `e`.
fn gradients(
    network: &Network,
    batch: &TrialBatch,
    lin: &Layerwise,
    eps: &[f32],
    states: &[f32],
    e: &[f32],
) -> Gradients {
    let pre_activation: Vec<f32> = eps
        .iter()
        .zip(&lin.alpha_fprime)
        .map(|(a, b)| a * b)
        .collect();
    let mut grads = Gradients {
        pre_activation,
        ..Default::default()
    };
    parameter_gradients(
        network,
        &batch.inputs,
        states,
        e,
        (batch.n_steps, batch.batch_size),
        &mut grads,
    );
    grads
}
