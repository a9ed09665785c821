//! Analyses of trained networks: eigen-spectra, connectivity percolation, degradation
//! under synapse removal, and low-dimensional views of population activity.

pub mod degradation;
pub mod pca;
pub mod percolation;

pub use crate::math::{eigenvalues, spectral_radius, Eigenvalue};
pub use degradation::{degradation_curve, pruned, DegradationPoint, PruneOrder};
pub use pca::{principal_components, project};
pub use percolation::{expected_accuracy, largest_scc};
