//! The `reservoir` rule: the recurrent and input weights stay as built (an echo-state
//! network, [`crate::model::reservoir`], or any network with a trained readout), and only
//! the linear readout `W_out` is learned from the states of each batch:
//!
//! - `ridge` (default): closed-form ridge regression, `W_out = Y Xᵀ (X Xᵀ + λI)⁻¹`
//!   (reservoirpy's `Ridge` with `fit_bias=False`). The normal equations accumulate over
//!   every batch seen ([`crate::math::Gram`]), so each step refits on all data so far.
//! - `force`: recursive least squares (FORCE, Sussillo & Abbott 2009; reservoirpy's `RLS`):
//!   P₀ = I/`alpha`, per sample k = P x/(`forgetting` + xᵀP x), P ← (P − k xᵀ P)/`forgetting`,
//!   W_out ← W_out − e kᵀ with e = W_out x − y. With `forgetting` = 1 it ends exactly where
//!   ridge with λ = `alpha` ends (in exact arithmetic).
//! - `lms`: least mean squares, W_out ← W_out − `learning_rate`·e xᵀ per sample.
//!
//! **Deep reservoirs and direct feedback alignment** (`dfa_learning_rate` > 0, ridge readout,
//! a network built with `reservoir.layers` > 1): after the readout is fitted on a batch,
//! the inter-layer weights (the blocks below the diagonal of the block lower-triangular
//! W, [`crate::model::reservoir::inter_layer_synapses`]) take one step of direct feedback
//! alignment (Nøkland 2016) through the reservoir layers, which are not backpropagated:
//! with e_t = W_out x_t − y_t the readout's error at a used sample, a fixed random
//! B (N × O, N(0, 1) from `dfa_seed`), and f'(pre) of the layer's nonlinearity (from the
//! states: tanh(pre) = (x_t − (1 − lr)x_{t−1})/lr),
//!
//! ΔW_{ij} = −`dfa_learning_rate` · mean_t [(B e_t)_i f'(pre_{i,t})] x_{j,t−1}
//!
//! for every inter-layer synapse j → i (the mask stays as drawn). By default W_out in e_t
//! is the ridge fit of the same batch; with `dfa_readout_learning_rate` > 0 it is DFA's
//! own output layer with a bias c (Nøkland's setting: e_t = W x_t + c − y_t, W and c from
//! zero, trained by their true gradient, W ← W − `dfa_readout_learning_rate`·mean_t e_t x_tᵀ,
//! c ← c − `dfa_readout_learning_rate`·mean_t e_t, kept by the trainer), while the
//! ridge readout is still fitted beside it and is what the network outputs. Because the states
//! change with those weights, the ridge readout is then refitted on each batch alone
//! (the normal equations are not accumulated across batches).
//!
//! Samples: the state after every step t ≥ `warmup` (reservoirpy's name: the washout) at
//! which every output is scored (mask > 0), trials in batch order. The states are the
//! network's own noise-free forward pass, so the learned readout is the one evaluation
//! sees. The online rules see the samples in time order (teacher forcing: the readout
//! does not feed back, so the states do not depend on W_out).

use crate::error::{in_range, Error, Result};
use crate::math::Gram;
use crate::model::Network;
use crate::tasks::{Task, TrialBatch};
use crate::train::{batch_loss, evaluate_batch, readout, scores_whole_batch, LossKind, Trajectory};
use serde::{Deserialize, Serialize};

/// Which readout learner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReadoutKind {
    /// Closed-form ridge regression.
    Ridge,
    /// Recursive least squares (FORCE).
    Force,
    /// Least mean squares.
    Lms,
}

/// Settings of the `reservoir` rule (reservoirpy's names).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReservoirRule {
    /// `ridge`, `force` or `lms`.
    pub readout: ReadoutKind,
    /// Ridge regularisation λ (≥ 0; 0 needs as many independent samples as units).
    pub ridge: f64,
    /// Leading steps of each trial whose states are not used (washout).
    pub warmup: usize,
    /// RLS: P₀ = I / `alpha`.
    pub alpha: f64,
    /// RLS forgetting factor in (0, 1].
    pub forgetting: f64,
    /// LMS step size.
    pub learning_rate: f64,
    /// Direct feedback alignment step on a deep reservoir's inter-layer weights (0 = off;
    /// needs the ridge readout and `reservoir.layers` > 1).
    pub dfa_learning_rate: f64,
    /// Seed of the fixed random feedback matrix B of direct feedback alignment.
    pub dfa_seed: u64,
    /// Positive: the DFA error comes from DFA's own output layer trained by its gradient
    /// at this rate; 0: from the ridge readout fitted on the batch.
    pub dfa_readout_learning_rate: f64,
}

impl Default for ReservoirRule {
    fn default() -> Self {
        ReservoirRule {
            readout: ReadoutKind::Ridge,
            ridge: 1e-6,
            warmup: 0,
            alpha: 1e-6,
            forgetting: 1.0,
            learning_rate: 1e-3,
            dfa_learning_rate: 0.0,
            dfa_seed: 1,
            dfa_readout_learning_rate: 0.0,
        }
    }
}

impl ReservoirRule {
    /// Check every field (errors name it).
    pub fn validate(&self) -> Result<()> {
        if !(self.ridge.is_finite() && self.ridge >= 0.0 && self.ridge <= 1e12) {
            return Err(Error::field("ridge", self.ridge, "must be in [0, 1e12]"));
        }
        if self.warmup > 1_000_000 {
            return Err(Error::field("warmup", self.warmup, "must be <= 1000000"));
        }
        if !(self.alpha.is_finite() && self.alpha > 0.0 && self.alpha <= 1e12) {
            return Err(Error::field("alpha", self.alpha, "must be in (0, 1e12]"));
        }
        if !(self.forgetting.is_finite() && self.forgetting > 0.0 && self.forgetting <= 1.0) {
            return Err(Error::field(
                "forgetting",
                self.forgetting,
                "must be in (0, 1]",
            ));
        }
        if !(self.learning_rate.is_finite()
            && self.learning_rate > 0.0
            && self.learning_rate <= 1e3)
        {
            return Err(Error::field(
                "learning_rate",
                self.learning_rate,
                "must be in (0, 1000]",
            ));
        }
        in_range(
            "dfa_learning_rate",
            self.dfa_learning_rate,
            0.0,
            1e3,
            "must be in [0, 1000]",
        )?;
        in_range(
            "dfa_readout_learning_rate",
            self.dfa_readout_learning_rate,
            0.0,
            1e3,
            "must be in [0, 1000]",
        )?;
        if self.dfa_learning_rate > 0.0 && self.readout != ReadoutKind::Ridge {
            return Err(Error::field(
                "dfa_learning_rate",
                self.dfa_learning_rate,
                "needs readout \"ridge\" (the readout is refitted after every DFA step)",
            ));
        }
        Ok(())
    }
}

/// What a readout learner keeps between batches.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadoutState {
    /// Accumulated normal equations.
    Ridge(Gram),
    /// RLS: P (N × N, row-major) and W_out (O × N) in f64.
    Force {
        /// Inverse correlation estimate.
        p: Vec<f64>,
        /// Readout weights.
        w: Vec<f64>,
    },
    /// LMS: W_out (O × N) in f64.
    Lms {
        /// Readout weights.
        w: Vec<f64>,
    },
}

impl ReadoutState {
    /// A fresh learner for `network` (online rules start from its current `W_out`).
    pub fn new(rule: &ReservoirRule, network: &Network) -> Self {
        let (n, o) = (network.n_neurons(), network.n_outputs());
        let w = dense_readout(network);
        match rule.readout {
            ReadoutKind::Ridge => ReadoutState::Ridge(Gram::new(n, o)),
            ReadoutKind::Force => {
                let mut p = vec![0.0; n * n];
                for i in 0..n {
                    p[i * n + i] = 1.0 / rule.alpha;
                }
                ReadoutState::Force { p, w }
            }
            ReadoutKind::Lms => ReadoutState::Lms { w },
        }
    }
}

/// The readout as a dense O × N row-major f64 matrix.
fn dense_readout(network: &Network) -> Vec<f64> {
    network.w_out.to_dense().iter().map(|v| *v as f64).collect()
}

/// Refuse networks whose readout is not a trained dense map (the rule learns `W_out`), and
/// direct feedback alignment on a network without inter-layer weights.
pub fn check_network(network: &Network, rule: &ReservoirRule) -> Result<()> {
    let n = network.n_neurons();
    if rule.dfa_learning_rate > 0.0 && network.config.reservoir_layers < 2 {
        return Err(Error::field(
            "rule.dfa_learning_rate",
            rule.dfa_learning_rate,
            "needs a deep reservoir (reservoir.layers > 1): DFA trains its inter-layer weights",
        ));
    }
    if network.config.readout != crate::model::Readout::Trained
        || network.w_out.nnz() != network.n_outputs() * n
    {
        return Err(Error::field(
            "readout",
            format!("{:?}", network.config.readout).to_lowercase(),
            "must be trained (a dense W_out) for the reservoir rule, which learns only W_out",
        ));
    }
    Ok(())
}

/// The samples of `batch` (states after each used step, and the targets), in trial then
/// time order, handed to `sink` in chunks of row-major (samples × N, samples × O) f64.
/// The trajectory stores each neuron's states contiguously in time, so a chunk is
/// gathered a few neurons at a time (cache lines read and written whole).
pub fn for_each_chunk(
    trajectory: &Trajectory,
    batch: &TrialBatch,
    warmup: usize,
    mut sink: impl FnMut(&[f64], &[f64]),
) {
    const CHUNK: usize = 512;
    let (n, o, steps, b_size) = (
        trajectory.n_neurons,
        batch.n_outputs,
        batch.n_steps,
        batch.batch_size,
    );
    let used: Vec<(usize, usize)> = (0..b_size)
        .flat_map(|b| (warmup..steps).map(move |t| (b, t)))
        .filter(|&(b, t)| (0..o).all(|k| batch.mask[(k * steps + t) * b_size + b] > 0.0))
        .collect();
    let mut x = vec![0.0f64; CHUNK.min(used.len()) * n];
    let mut y = vec![0.0f64; CHUNK.min(used.len()) * o];
    for samples in used.chunks(CHUNK) {
        let (x, y) = (&mut x[..samples.len() * n], &mut y[..samples.len() * o]);
        gather_chunk(trajectory, batch, samples, x, y);
        sink(x, y);
    }
}

/// One chunk of [`for_each_chunk`]: the states (`x`, samples × N) and targets (`y`,
/// samples × O) of `samples` (trial, step). Not inlined: in wasm V8 runs a function's
/// first calls in its baseline tier and later ones optimised (no on-stack replacement),
/// so the gather loop is its own function, called once per chunk.
#[inline(never)]
fn gather_chunk(
    trajectory: &Trajectory,
    batch: &TrialBatch,
    samples: &[(usize, usize)],
    x: &mut [f64],
    y: &mut [f64],
) {
    const NEURONS_AT_ONCE: usize = 8;
    let (n, o, steps, b_size) = (
        trajectory.n_neurons,
        batch.n_outputs,
        batch.n_steps,
        batch.batch_size,
    );
    for i0 in (0..n).step_by(NEURONS_AT_ONCE) {
        let neurons = i0..(i0 + NEURONS_AT_ONCE).min(n);
        for (row, &(b, t)) in x.chunks_exact_mut(n).zip(samples) {
            for i in neurons.clone() {
                row[i] = trajectory.state(i, t + 1, b) as f64;
            }
        }
    }
    for (row, &(b, t)) in y.chunks_exact_mut(o).zip(samples) {
        for (k, v) in row.iter_mut().enumerate() {
            *v = batch.targets[(k * steps + t) * b_size + b] as f64;
        }
    }
}

/// One step of the rule on `batch`: simulate (into `trajectory`), update `state`, and
/// return the new readout values (O × N row-major, the layout of the dense `W_out`).
/// No samples (every step inside the warmup or unscored) is an error naming `warmup`.
pub fn readout_step(
    network: &Network,
    batch: &TrialBatch,
    rule: &ReservoirRule,
    state: &mut ReadoutState,
    trajectory: &mut Trajectory,
) -> Result<Vec<f32>> {
    trajectory.simulate(network, batch);
    let (n, o) = (network.n_neurons(), network.n_outputs());
    let mut used = 0usize;
    let w = match state {
        ReadoutState::Ridge(gram) => {
            if rule.dfa_learning_rate > 0.0 {
                *gram = Gram::new(n, o);
            }
            for_each_chunk(trajectory, batch, rule.warmup, |x, y| {
                used += y.len() / o;
                gram.add_samples(x, y);
            });
            if used == 0 {
                return Err(no_samples(rule));
            }
            gram.solve(rule.ridge, "rule.ridge")?
        }
        ReadoutState::Force { p, w } => {
            let mut px = vec![0.0; n];
            for_each_chunk(trajectory, batch, rule.warmup, |xs, ys| {
                for (x, y) in xs.chunks_exact(n).zip(ys.chunks_exact(o)) {
                    used += 1;
                    rls_update(p, w, x, y, rule.forgetting, &mut px);
                }
            });
            if used == 0 {
                return Err(no_samples(rule));
            }
            w.clone()
        }
        ReadoutState::Lms { w } => {
            for_each_chunk(trajectory, batch, rule.warmup, |xs, ys| {
                for (x, y) in xs.chunks_exact(n).zip(ys.chunks_exact(o)) {
                    used += 1;
                    for k in 0..o {
                        let row = &mut w[k * n..(k + 1) * n];
                        let e: f64 = row.iter().zip(x).map(|(a, b)| a * b).sum::<f64>() - y[k];
                        for (a, b) in row.iter_mut().zip(x) {
                            *a -= rule.learning_rate * e * b;
                        }
                    }
                }
            });
            if used == 0 {
                return Err(no_samples(rule));
            }
            w.clone()
        }
    };
    if let Some(bad) = w.iter().find(|v| !v.is_finite()) {
        return Err(Error::NonFinite {
            step: 0,
            quantity: "readout weights",
            value: *bad,
        });
    }
    Ok(w.iter().map(|v| *v as f32).collect())
}

/// The batch loss of `fitted` — the network of [`readout_step`] with the fitted readout
/// written into `W_out` — on `batch`, as [`evaluate_batch`] gives it, from `trajectory`:
/// the step's forward pass of `batch` on the same recurrent, input and bias weights.
/// The states do not depend on `W_out` (no output feedback, no noise), so only the
/// readout is recomputed (`trajectory`'s outputs become `fitted`'s) instead of simulating
/// the batch again (a second states pass: a third of the page's ridge step at 1000 units
/// × 10 000 steps). Spiking networks and batches that [`evaluate_batch`] scores in chunks
/// of trials are simulated again by it, so the number is always its own.
pub fn loss_after_fit(
    fitted: &Network,
    task: &dyn Task,
    batch: &TrialBatch,
    kind: LossKind,
    trajectory: &mut Trajectory,
) -> f32 {
    let same_pass = !fitted.config.dynamics.is_spiking()
        && scores_whole_batch(&fitted.config, batch)
        && trajectory.n_steps == batch.n_steps
        && trajectory.batch_size == batch.batch_size
        && trajectory.n_neurons == fitted.n_neurons();
    if !same_pass {
        return evaluate_batch(fitted, task, batch, kind).0;
    }
    readout(fitted, trajectory);
    batch_loss(kind, &trajectory.outputs, batch)
}

/// The fixed random feedback matrix B of direct feedback alignment: N × O row-major,
/// N(0, 1) entries drawn from `seed` (stream "dfa-feedback").
pub fn dfa_feedback(n_neurons: usize, n_outputs: usize, seed: u64) -> Vec<f64> {
    let mut rng = crate::rng::SimRng::derived(seed, "dfa-feedback");
    (0..n_neurons * n_outputs).map(|_| rng.normal()).collect()
}

/// The direct-feedback-alignment direction for the recurrent parameters of `network`
/// (one per synapse of W_rec, zero off the inter-layer blocks): the mean over the used
/// samples of `trajectory` (the forward pass of `batch`) of (B e_t ⊙ f'(pre_t)) x_{t−1}ᵀ
/// with e_t = `w_out`·x_t + `bias` − y_t (see the module docs), and the true gradients of
/// ½ mean_t ‖e_t‖² with respect to `w_out` (mean_t e_t x_tᵀ, O × N row-major) and to
/// `bias` (mean_t e_t, O). The step is −`dfa_learning_rate` times the first. `feedback`
/// is B ([`dfa_feedback`]); `bias` is all zeros for the ridge readout (which has none).
pub fn dfa_direction(
    network: &Network,
    batch: &TrialBatch,
    trajectory: &Trajectory,
    warmup: usize,
    w_out: &[f32],
    bias: &[f64],
    feedback: &[f64],
) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let (n, o, steps, b_size) = (
        network.n_neurons(),
        batch.n_outputs,
        batch.n_steps,
        batch.batch_size,
    );
    let inter = crate::model::reservoir::inter_layer_synapses(network);
    let w = &network.w_rec;
    let posts: Vec<usize> = (0..n)
        .filter(|&i| (w.row_ptr[i]..w.row_ptr[i + 1]).any(|s| inter[s]))
        .collect();
    let alpha = network.config.alpha() as f64;
    let linear = network.config.activation == crate::model::Activation::Linear;
    let mut direction = vec![0.0f64; w.nnz()];
    let mut readout_gradient = vec![0.0f64; o * n];
    let mut bias_gradient = vec![0.0f64; o];
    let (mut x_new, mut x_old) = (vec![0.0f64; n], vec![0.0f64; n]);
    let mut e = vec![0.0f64; o];
    let mut used = 0usize;
    for b in 0..b_size {
        for t in warmup..steps {
            let scored = (0..o).all(|k| batch.mask[(k * steps + t) * b_size + b] > 0.0);
            if !scored {
                continue;
            }
            used += 1;
            for i in 0..n {
                x_new[i] = trajectory.state(i, t + 1, b) as f64;
                x_old[i] = trajectory.state(i, t, b) as f64;
            }
            for (k, ek) in e.iter_mut().enumerate() {
                let row = &w_out[k * n..(k + 1) * n];
                let y: f64 = row.iter().zip(&x_new).map(|(a, x)| *a as f64 * x).sum();
                *ek = y + bias[k] - batch.targets[(k * steps + t) * b_size + b] as f64;
                bias_gradient[k] += *ek;
                for (g, x) in readout_gradient[k * n..(k + 1) * n].iter_mut().zip(&x_new) {
                    *g += *ek * x;
                }
            }
            for &i in &posts {
                let projected: f64 = (0..o).map(|k| feedback[i * o + k] * e[k]).sum();
                let slope = if linear {
                    1.0
                } else {
                    let z = (x_new[i] - (1.0 - alpha) * x_old[i]) / alpha;
                    (1.0 - z * z).max(0.0)
                };
                let g = projected * slope;
                for s in w.row_ptr[i]..w.row_ptr[i + 1] {
                    if inter[s] {
                        direction[s] += g * x_old[w.col_idx[s] as usize];
                    }
                }
            }
        }
    }
    if used > 0 {
        for d in direction
            .iter_mut()
            .chain(readout_gradient.iter_mut())
            .chain(bias_gradient.iter_mut())
        {
            *d /= used as f64;
        }
    }
    (direction, readout_gradient, bias_gradient)
}

fn no_samples(rule: &ReservoirRule) -> Error {
    Error::field(
        "rule.warmup",
        rule.warmup,
        "leaves no scored step to fit the readout on (must be < the trial length)",
    )
}

/// One RLS sample (reservoirpy's `RLS` update, no bias): `px` is scratch of length N.
fn rls_update(p: &mut [f64], w: &mut [f64], x: &[f64], y: &[f64], forgetting: f64, px: &mut [f64]) {
    let n = x.len();
    for i in 0..n {
        px[i] = p[i * n..(i + 1) * n]
            .iter()
            .zip(x)
            .map(|(a, b)| a * b)
            .sum();
    }
    let denominator = forgetting + x.iter().zip(px.iter()).map(|(a, b)| a * b).sum::<f64>();
    // P is symmetric: P x xᵀ P = px pxᵀ
    for i in 0..n {
        let scale = px[i] / denominator;
        for (pij, pxj) in p[i * n..(i + 1) * n].iter_mut().zip(px.iter()) {
            *pij = (*pij - scale * pxj) / forgetting;
        }
    }
    // gain k = P_new x
    for i in 0..n {
        px[i] = p[i * n..(i + 1) * n]
            .iter()
            .zip(x)
            .map(|(a, b)| a * b)
            .sum();
    }
    for (k, target) in y.iter().enumerate() {
        let row = &mut w[k * n..(k + 1) * n];
        let e: f64 = row.iter().zip(x).map(|(a, b)| a * b).sum::<f64>() - target;
        for (a, g) in row.iter_mut().zip(px.iter()) {
            *a -= e * g;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::reservoir::{build_esn, EsnConfig};
    use crate::rng::SimRng;
    use crate::tasks::timeseries::{SeriesConfig, SeriesKind, SeriesTask};
    use crate::tasks::Task;

    fn setup() -> (Network, TrialBatch) {
        let esn = EsnConfig {
            units: 30,
            lr: 0.5,
            sr: 0.9,
            input_connectivity: 1.0,
            ..Default::default()
        };
        let network = build_esn(&esn, 1, 1).unwrap();
        let task = SeriesTask::new(
            SeriesKind::MackeyGlass,
            SeriesConfig {
                n_steps: 300,
                warmup: 0,
                ..Default::default()
            },
        )
        .unwrap();
        (network, task.batch(&mut SimRng::new(4), 2))
    }

    #[test]
    fn force_with_unit_forgetting_ends_at_the_ridge_solution() {
        let (network, batch) = setup();
        let mut trajectory = Trajectory::default();
        let fit = |rule: ReservoirRule, trajectory: &mut Trajectory| {
            let mut state = ReadoutState::new(&rule, &network);
            readout_step(&network, &batch, &rule, &mut state, trajectory).unwrap()
        };
        let ridge = ReservoirRule {
            ridge: 1e-2,
            warmup: 20,
            ..Default::default()
        };
        let force = ReservoirRule {
            readout: ReadoutKind::Force,
            alpha: 1e-2,
            ..ridge.clone()
        };
        let a = fit(ridge, &mut trajectory);
        let b = fit(force, &mut trajectory);
        let scale = a.iter().fold(0.0f32, |m, v| m.max(v.abs()));
        for (x, y) in a.iter().zip(&b) {
            assert!((x - y).abs() < 1e-4 * scale, "{x} vs {y}");
        }
    }

    #[test]
    fn the_loss_after_a_fit_is_the_evaluated_loss_bit_for_bit() {
        let (network, batch) = setup();
        let task = SeriesTask::new(SeriesKind::MackeyGlass, SeriesConfig::default()).unwrap();
        let rule = ReservoirRule {
            warmup: 20,
            ..Default::default()
        };
        let mut state = ReadoutState::new(&rule, &network);
        let mut trajectory = Trajectory::default();
        let w = readout_step(&network, &batch, &rule, &mut state, &mut trajectory).unwrap();
        let mut fitted = network.clone();
        fitted.w_out.values.copy_from_slice(&w);
        fitted.w_out.sync_transpose();
        for kind in [LossKind::Mse, LossKind::Hinge { threshold: 1.0 }] {
            let mut reused = trajectory.clone();
            let ours = loss_after_fit(&fitted, &task, &batch, kind, &mut reused);
            let (evaluated, _) = evaluate_batch(&fitted, &task, &batch, kind);
            assert_eq!(ours.to_bits(), evaluated.to_bits(), "{kind:?}");
            // the fit lowered the loss: the outputs are the fitted readout's
            let (before, _) = evaluate_batch(&network, &task, &batch, kind);
            assert!(
                kind != LossKind::Mse || ours < 0.01 * before,
                "{ours} vs {before}"
            );
        }
    }

    #[test]
    fn lms_reduces_the_error_and_warmup_beyond_the_trial_is_an_error() {
        let (network, batch) = setup();
        let mut trajectory = Trajectory::default();
        let rule = ReservoirRule {
            readout: ReadoutKind::Lms,
            learning_rate: 0.05,
            ..Default::default()
        };
        let mut state = ReadoutState::new(&rule, &network);
        let mut net = network.clone();
        let mse = |net: &Network| {
            let t = Trajectory::of_batch(net, &batch);
            let (mut s, mut c) = (0.0, 0.0);
            for (p, y) in t.outputs.iter().zip(&batch.targets) {
                s += ((p - y) * (p - y)) as f64;
                c += 1.0;
            }
            s / c
        };
        let before = mse(&net);
        for _ in 0..5 {
            let w = readout_step(&net, &batch, &rule, &mut state, &mut trajectory).unwrap();
            net.w_out.values.copy_from_slice(&w);
            net.w_out.sync_transpose();
        }
        assert!(mse(&net) < 0.1 * before, "{} vs {before}", mse(&net));
        let late = ReservoirRule {
            warmup: 400,
            ..Default::default()
        };
        let mut state = ReadoutState::new(&late, &network);
        let e = readout_step(&network, &batch, &late, &mut state, &mut trajectory)
            .unwrap_err()
            .to_string();
        assert!(e.contains("rule.warmup"), "{e}");
    }
}
