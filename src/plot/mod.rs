//! Plots, written against any `plotters` backend (SVG in native tests, HTML canvas in
//! the browser). Nothing here names a concrete backend: every function takes a
//! `&DrawingArea<DB, Shift>` and returns [`crate::Result`], with plotters' errors mapped
//! into [`crate::Error::Plot`].
//!
//! The data the plots need travels in records ([`Snapshot`], [`Analysis`], [`Chart`]) that
//! `crate::lab::report` computes; this module only draws them. A [`Snapshot`] is a small serde record that the
//! browser's training worker posts to the page a few times per second.

mod analysis;
mod cells;
mod charts;
mod colour;
mod curves;
mod heatmap;
mod raster;
mod snapshot;
mod task_variance;
mod ticks;
mod traces;
mod trial;

pub use analysis::Analysis;
pub use cells::cell_pixels;
pub use charts::{bar_chart, eigen_spectrum, series_chart, Chart, Series, PALETTE};
pub use colour::{diverging, sequential};
pub use curves::{accuracy_curve, loss_curve};
pub use heatmap::{activity_heatmap, weight_heatmap, Heatmap, MAX_HEATMAP_SIDE};
pub use raster::{spike_raster, RasterGroup, SpikeRaster, MAX_RASTER_NEURONS, MAX_RASTER_SPIKES};
pub use snapshot::{
    downsample, Snapshot, TrialTraces, MAX_ACTIVITY_STEPS, MAX_CURVE_POINTS, MAX_INPUT_TRACES,
};
pub use task_variance::task_variance_map;
pub use ticks::{linear_label, linear_ticks, log_ticks, nice_step, Ticks};
pub use traces::{output_traces, PERIOD_COLOUR};
pub use trial::trial_plot;

use crate::error::Error;
use plotters::drawing::DrawingAreaErrorKind;

/// Convert a plotters drawing error (generic over the backend) into the crate error.
pub fn plot_error<E: std::error::Error + Send + Sync>(error: DrawingAreaErrorKind<E>) -> Error {
    Error::Plot(error.to_string())
}

/// Font family used for titles and axis labels.
pub(crate) const FONT: &str = "sans-serif";
