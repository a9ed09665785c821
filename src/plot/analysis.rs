//! [`Analysis`]: the data of the analysis plots (eigen-spectrum before/after training,
//! degradation under synapse removal, PCA trajectories), computed on demand where the
//! network lives (the Web Worker) and small enough to post to the page.

use super::Chart;
use serde::{Deserialize, Serialize};

/// Everything the three analysis plots draw.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Analysis {
    /// Training steps done when captured.
    pub step: usize,
    /// Eigenvalues `(re, im)` of the initial W_rec (empty for large N).
    pub eigen_before: Vec<(f64, f64)>,
    /// Eigenvalues of the current W_rec (empty for large N).
    pub eigen_after: Vec<(f64, f64)>,
    /// Accuracy vs fraction of synapses removed, random and smallest-magnitude first.
    pub degradation: Chart,
    /// Hidden-state trajectories of a few trials on the first two principal components,
    /// one series per trial labelled by its condition (trials of a condition share a colour).
    pub pca: Chart,
}
