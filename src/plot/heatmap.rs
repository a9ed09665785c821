//! Heatmaps: recurrent activity (neurons × time) and the recurrent weight matrix.

use super::cells::draw_cells;
use super::{diverging, plot_error, sequential, FONT};
use crate::error::Result;
use crate::model::Csr;
use plotters::coord::Shift;
use plotters::prelude::*;
use serde::{Deserialize, Serialize};

/// Largest number of rows or columns a heatmap keeps (bigger sources are subsampled).
pub const MAX_HEATMAP_SIDE: usize = 256;

/// A small row-major grid of values that stands for a possibly larger source matrix.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Heatmap {
    /// Rows kept.
    pub n_rows: usize,
    /// Columns kept.
    pub n_cols: usize,
    /// Values, `n_rows × n_cols`, row-major.
    pub values: Vec<f32>,
    /// Rows of the source matrix (each kept row stands for `source_rows / n_rows`).
    pub source_rows: usize,
    /// Columns of the source matrix.
    pub source_cols: usize,
}

impl Heatmap {
    /// Sample a `source_rows × source_cols` matrix given by `value(row, col)` on at most
    /// `max_rows × max_cols` evenly spaced rows and columns.
    pub fn sample(
        source_rows: usize,
        source_cols: usize,
        max_rows: usize,
        max_cols: usize,
        value: impl Fn(usize, usize) -> f32,
    ) -> Self {
        let n_rows = source_rows.min(max_rows.max(1));
        let n_cols = source_cols.min(max_cols.max(1));
        let mut values = Vec::with_capacity(n_rows * n_cols);
        for i in 0..n_rows {
            let r = i * source_rows / n_rows;
            values.extend((0..n_cols).map(|j| value(r, j * source_cols / n_cols)));
        }
        Heatmap {
            n_rows,
            n_cols,
            values,
            source_rows,
            source_cols,
        }
    }

    /// The matrix stored in `matrix`, in its stored row/column order, binned to at most
    /// `max_side × max_side` cells. Each cell keeps the entry of largest magnitude in its
    /// bin (so sparse structure stays visible); cells without a synapse are 0. Costs
    /// O(nnz), never builds the dense matrix.
    pub fn from_csr(matrix: &Csr, max_side: usize) -> Self {
        let n_rows = matrix.n_rows.min(max_side.max(1));
        let n_cols = matrix.n_cols.min(max_side.max(1));
        let mut values = vec![0.0f32; n_rows * n_cols];
        for r in 0..matrix.n_rows {
            let cell_row = r * n_rows / matrix.n_rows;
            for s in matrix.row_ptr[r]..matrix.row_ptr[r + 1] {
                let cell_col = matrix.col_idx[s] as usize * n_cols / matrix.n_cols;
                let cell = &mut values[cell_row * n_cols + cell_col];
                if matrix.values[s].abs() > cell.abs() {
                    *cell = matrix.values[s];
                }
            }
        }
        Heatmap {
            n_rows,
            n_cols,
            values,
            source_rows: matrix.n_rows,
            source_cols: matrix.n_cols,
        }
    }

    /// Value of cell `(row, col)`.
    pub fn get(&self, row: usize, col: usize) -> f32 {
        self.values[row * self.n_cols + col]
    }

    /// Smallest and largest finite value (`(0, 0)` if there is none).
    pub fn finite_range(&self) -> (f32, f32) {
        let (lo, hi) = self
            .values
            .iter()
            .filter(|v| v.is_finite())
            .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), v| {
                (lo.min(*v), hi.max(*v))
            });
        if lo.is_finite() {
            (lo, hi)
        } else {
            (0.0, 0.0)
        }
    }
}

/// Draw one trial's activity: neurons (rows) × time steps (columns), sequential colour
/// scaled to the trial's range, with a dashed vertical line at `input_offset` (the step at
/// which the stimulus ends), if given.
pub fn activity_heatmap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    activity: &Heatmap,
    input_offset: Option<usize>,
) -> Result<()> {
    let (lo, hi) = activity.finite_range();
    let span = if hi > lo { hi - lo } else { 1.0 };
    let title = format!("Activity of one trial ({lo:.2} to {hi:.2})");
    let mut chart = grid_chart(area, activity, &title, "time step", "neuron")?;
    draw_cells(
        chart.plotting_area(),
        activity.n_rows,
        activity.n_cols,
        |i, j| Some(sequential((activity.get(i, j) - lo) / span)),
        WHITE,
    )?;
    if let Some(step) = input_offset {
        let x = step as f32;
        let rows = activity.source_rows as f32;
        chart
            .draw_series(DashedLineSeries::new(
                [(x, 0.0), (x, rows)],
                6,
                4,
                RED.stroke_width(2),
            ))
            .map_err(plot_error)?;
    }
    area.present().map_err(plot_error)
}

/// Draw the recurrent weight matrix (row = postsynaptic neuron, column = presynaptic),
/// in stored order, with a diverging colour map symmetric around 0 (white = no synapse
/// or zero weight).
pub fn weight_heatmap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    weights: &Heatmap,
) -> Result<()> {
    let (lo, hi) = weights.finite_range();
    let scale = lo.abs().max(hi.abs());
    let scale = if scale > 0.0 { scale } else { 1.0 };
    let title = format!("Recurrent weights W_rec (|w| <= {scale:.2})");
    let chart = grid_chart(area, weights, &title, "presynaptic", "postsynaptic")?;
    draw_cells(
        chart.plotting_area(),
        weights.n_rows,
        weights.n_cols,
        |i, j| {
            let v = weights.get(i, j);
            (v != 0.0).then(|| diverging(v / scale))
        },
        WHITE,
    )?;
    area.present().map_err(plot_error)
}

type GridChart<'a, DB> = ChartContext<
    'a,
    DB,
    Cartesian2d<plotters::coord::types::RangedCoordf32, plotters::coord::types::RangedCoordf32>,
>;

/// A chart whose x-axis spans the source columns and whose y-axis spans the source rows,
/// row 0 at the top.
fn grid_chart<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    map: &Heatmap,
    title: &str,
    x_desc: &str,
    y_desc: &str,
) -> Result<GridChart<'a, DB>> {
    area.fill(&WHITE).map_err(plot_error)?;
    let rows = map.source_rows.max(1) as f32;
    let cols = map.source_cols.max(1) as f32;
    let mut chart = ChartBuilder::on(area)
        .caption(title, (FONT, 16))
        .margin(8)
        .x_label_area_size(36)
        .y_label_area_size(44)
        .build_cartesian_2d(0f32..cols, 0f32..rows)
        .map_err(plot_error)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc(x_desc)
        .y_desc(y_desc)
        .x_labels(5)
        .y_labels(5)
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| format!("{:.0}", rows - y))
        .draw()
        .map_err(plot_error)?;
    Ok(chart)
}
