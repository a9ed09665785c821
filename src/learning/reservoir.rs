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
//! Samples: the state after every step t ≥ `warmup` (reservoirpy's name: the washout) at
//! which every output is scored (mask > 0), trials in batch order. The states are the
//! network's own noise-free forward pass, so the learned readout is the one evaluation
//! sees. The online rules see the samples in time order (teacher forcing: the readout
//! does not feed back, so the states do not depend on W_out).

use crate::error::{Error, Result};
use crate::math::Gram;
use crate::model::Network;
use crate::tasks::TrialBatch;
use crate::train::{forward, Trajectory};
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

/// Refuse networks whose readout is not a trained dense map (the rule learns `W_out`).
pub fn check_network(network: &Network) -> Result<()> {
    let n = network.n_neurons();
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
fn for_each_chunk(
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
    let mut x = Vec::with_capacity(CHUNK * n);
    let mut y = Vec::with_capacity(CHUNK * o);
    for b in 0..b_size {
        for t in warmup..steps {
            let scored = (0..o).all(|k| batch.mask[(k * steps + t) * b_size + b] > 0.0);
            if !scored {
                continue;
            }
            for i in 0..n {
                x.push(trajectory.state(i, t + 1, b) as f64);
            }
            for k in 0..o {
                y.push(batch.targets[(k * steps + t) * b_size + b] as f64);
            }
            if y.len() == CHUNK * o {
                sink(&x, &y);
                x.clear();
                y.clear();
            }
        }
    }
    if !y.is_empty() {
        sink(&x, &y);
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
    forward(
        network,
        &batch.inputs,
        batch.n_steps,
        batch.batch_size,
        None,
        trajectory,
    );
    let (n, o) = (network.n_neurons(), network.n_outputs());
    let mut used = 0usize;
    let w = match state {
        ReadoutState::Ridge(gram) => {
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
