//! [`Analysis`]: the data of the analysis plots (eigen-spectrum before/after training,
//! degradation under synapse removal, PCA trajectories), computed on demand where the
//! network lives (the Web Worker) and small enough to post to the page.

use super::{Chart, Series};
use crate::analysis::{degradation_curve, eigenvalues, principal_components, project, PruneOrder};
use crate::model::{Csr, Network};
use crate::rng::SimRng;
use crate::tasks::{Task, TrialLabel};
use crate::train::Trajectory;
use serde::{Deserialize, Serialize};

/// Largest network whose eigenvalues are computed (O(N³) in the browser).
pub const MAX_EIGEN_NEURONS: usize = 512;
/// Fractions of synapses removed in the degradation curve.
pub const DEGRADATION_FRACTIONS: [f64; 10] = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
/// Trials per degradation point.
pub const DEGRADATION_TRIALS: usize = 64;
/// Trials drawn in the PCA view.
pub const PCA_TRIALS: usize = 8;
/// Most neurons used for PCA (evenly spaced).
const PCA_MAX_NEURONS: usize = 256;
/// Most time points per trial used for PCA (evenly spaced).
const PCA_MAX_STEPS: usize = 150;

/// Everything the three analysis plots draw.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Analysis {
    /// Training steps done when captured.
    pub step: usize,
    /// Eigenvalues `(re, im)` of the initial W_rec (empty if N > [`MAX_EIGEN_NEURONS`]).
    pub eigen_before: Vec<(f64, f64)>,
    /// Eigenvalues of the current W_rec (empty if N > [`MAX_EIGEN_NEURONS`]).
    pub eigen_after: Vec<(f64, f64)>,
    /// Accuracy vs fraction of synapses removed, random and smallest-magnitude first.
    pub degradation: Chart,
    /// Hidden-state trajectories of a few trials on the first two principal components,
    /// one series per trial labelled by its condition (trials of a condition share a colour).
    pub pca: Chart,
}

/// Eigenvalues `(re, im)` of the recurrent matrix `w` (rows = postsynaptic), or an empty
/// list if it is larger than [`MAX_EIGEN_NEURONS`] or the QR iteration did not converge.
pub fn spectrum(w: &Csr) -> Vec<(f64, f64)> {
    let n = w.n_rows;
    if n == 0 || n > MAX_EIGEN_NEURONS || w.n_cols != n {
        return Vec::new();
    }
    let dense: Vec<f64> = w.to_dense().into_iter().map(f64::from).collect();
    eigenvalues(&dense, n)
        .map(|ev| ev.into_iter().map(|e| (e.re, e.im)).collect())
        .unwrap_or_default()
}

impl Analysis {
    /// Analyse `network` on `task`: `eigen_before` is passed in (see [`spectrum`]; compute
    /// it once from the initial weights), the rest is computed now from trials drawn from
    /// `seed`. `step` is recorded as is.
    pub fn capture(
        network: &Network,
        task: &dyn Task,
        eigen_before: Vec<(f64, f64)>,
        seed: u64,
        step: usize,
    ) -> Self {
        Analysis {
            step,
            eigen_before,
            eigen_after: spectrum(&network.w_rec),
            degradation: degradation(network, task, seed),
            pca: pca(network, task, seed),
        }
    }
}

fn degradation(network: &Network, task: &dyn Task, seed: u64) -> Chart {
    let batch = task.batch(
        &mut SimRng::derived(seed, "degradation"),
        DEGRADATION_TRIALS,
    );
    let series = [
        (PruneOrder::Random, "random"),
        (PruneOrder::Magnitude, "smallest |w| first"),
    ]
    .map(|(order, label)| Series {
        label: label.into(),
        points: degradation_curve(network, task, &batch, &DEGRADATION_FRACTIONS, order, seed)
            .into_iter()
            .map(|p| (p.fraction_removed, p.accuracy as f64))
            .collect(),
        markers: true,
        line: true,
    });
    Chart {
        title: "Degradation: synapses removed after training".into(),
        x_label: "fraction of synapses removed".into(),
        y_label: "accuracy".into(),
        y_range: Some((0.0, 1.02)),
        series: series.to_vec(),
    }
}

fn describe(label: &TrialLabel) -> String {
    match label {
        TrialLabel::Class(c) => format!("class {c}"),
        TrialLabel::Angle(a) => format!("{:.0} deg", a.to_degrees()),
        TrialLabel::Fixate => "fixate".into(),
        TrialLabel::Trace => "trace".into(),
    }
}

fn pca(network: &Network, task: &dyn Task, seed: u64) -> Chart {
    let batch = task.batch(&mut SimRng::derived(seed, "pca"), PCA_TRIALS);
    let trajectory = Trajectory::of_batch(network, &batch);
    let n = network.n_neurons();
    let neurons: Vec<usize> = (0..n.min(PCA_MAX_NEURONS))
        .map(|i| i * n / n.min(PCA_MAX_NEURONS))
        .collect();
    let steps = batch.n_steps.clamp(1, PCA_MAX_STEPS);
    let times: Vec<usize> = (0..steps).map(|s| 1 + s * batch.n_steps / steps).collect();
    let samples = batch.batch_size * times.len();
    let mut data = Vec::with_capacity(neurons.len() * samples);
    for &i in &neurons {
        for b in 0..batch.batch_size {
            data.extend(times.iter().map(|&t| trajectory.state(i, t, b)));
        }
    }
    let (axes, variances) = principal_components(&data, neurons.len(), samples, 2);
    let coords = project(&data, neurons.len(), samples, &axes);
    let total: f64 = variances.iter().sum::<f64>().max(f64::MIN_POSITIVE);
    let series = (0..batch.batch_size)
        .map(|b| Series {
            label: describe(&batch.trials[b].label),
            points: (0..times.len())
                .map(|s| {
                    let k = b * times.len() + s;
                    let pc = |a: usize| coords.get(a).map_or(0.0, |c| c[k]);
                    (pc(0), pc(1))
                })
                .collect(),
            markers: false,
            line: true,
        })
        .collect();
    let share = |a: usize| 100.0 * variances.get(a).copied().unwrap_or(0.0) / total;
    Chart {
        title: "Hidden-state trajectories (PCA)".into(),
        x_label: format!("PC1 ({:.0} % of top-2 variance)", share(0)),
        y_label: format!("PC2 ({:.0} %)", share(1)),
        y_range: None,
        series,
    }
}
