//! Analyses of trained networks: eigen-spectra, connectivity percolation, degradation
//! under synapse removal, low-dimensional views of population activity, and Yang et al.'s
//! task-variance clusters.

pub mod cluster;
pub mod degradation;
pub mod pca;
pub mod percolation;
pub mod task_variance;

pub use crate::math::{eigenvalues, spectral_radius, Eigenvalue};
pub use degradation::{degradation_curve, pruned, DegradationPoint, PruneOrder};
pub use pca::{principal_components, project};
pub use percolation::{expected_accuracy, largest_scc};
pub use task_variance::{task_variance, TaskVariance, TaskVarianceConfig};
