//! Learning curves: loss (log y-axis) and accuracy over training steps.

use super::charts::chart_with_legend_at;
use super::ticks::{linear_ticks, log_ticks, Marked};
use super::{plot_error, Chart, Series, FONT, PALETTE};
use crate::error::Result;
use plotters::coord::combinators::LogCoord;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Colour of the loss curve.
const MAIN: RGBColor = PALETTE[0];

/// Draw the training loss against the step on a logarithmic y-axis.
///
/// - `points`: `(step, loss)` pairs in step order; non-finite and non-positive losses
///   are skipped (they cannot be placed on a log axis).
pub fn loss_curve<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    points: &[(f32, f32)],
) -> Result<()> {
    area.fill(&WHITE).map_err(plot_error)?;
    let shown: Vec<(f32, f32)> = points
        .iter()
        .copied()
        .filter(|(_, y)| y.is_finite() && *y > 0.0)
        .collect();
    let (lo, hi) = shown
        .iter()
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), (_, y)| {
            (lo.min(*y), hi.max(*y))
        });
    let (lo, hi) = if lo.is_finite() {
        (lo / 1.5, hi * 1.5)
    } else {
        (1e-3, 1.0)
    };
    let x_end = x_end(&shown);
    // whole steps on x (a 2-step run is labelled 0 1 2), decades or their 1-2-5
    // multiples on y: every label distinct ([`super::ticks`])
    let x_ticks = linear_ticks(0.0, x_end as f64, 8, true);
    let y_ticks = log_ticks(lo as f64, hi as f64, 6);
    let mut chart = ChartBuilder::on(area)
        .caption("Training loss", (FONT, 16))
        .margin(8)
        .x_label_area_size(36)
        .y_label_area_size(48)
        .build_cartesian_2d(
            Marked::new(0f32..x_end, x_ticks.values_f32()),
            Marked::new(LogCoord::from((lo..hi).log_scale()), y_ticks.values_f32()),
        )
        .map_err(plot_error)?;
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .x_desc("step")
        .x_label_formatter(&|x| x_ticks.label_of(f64::from(*x)))
        .y_label_formatter(&|y| y_ticks.label_of(f64::from(*y)))
        .draw()
        .map_err(plot_error)?;
    chart
        .draw_series(LineSeries::new(shown, MAIN.stroke_width(2)))
        .map_err(plot_error)?;
    area.present().map_err(plot_error)
}

/// Draw accuracy (0–1) against the step: a [`series_chart`](super::series_chart) of one
/// or two line-and-marker series, legend in the lower right (accuracy rises to the top).
///
/// - `accuracy`: `(step, accuracy)` at the end of ordinary trials.
/// - `late`: `(step, accuracy)` at the end of longer trials (decision persistence); may be
///   empty when the task has no such test.
pub fn accuracy_curve<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    accuracy: &[(f32, f32)],
    late: &[(f32, f32)],
) -> Result<()> {
    let series = [(accuracy, "end of trial"), (late, "5x longer trial")]
        .into_iter()
        .filter(|(points, _)| !points.is_empty())
        .map(|(points, label)| Series {
            label: label.into(),
            points: points
                .iter()
                .map(|&(x, y)| (f64::from(x), f64::from(y)))
                .collect(),
            markers: true,
            line: true,
        })
        .collect();
    let chart = Chart {
        title: "Accuracy".into(),
        x_label: "step".into(),
        y_label: String::new(),
        y_range: Some((0.0, 1.02)),
        series,
    };
    chart_with_legend_at(area, &chart, SeriesLabelPosition::LowerRight)
}

/// Right end of the x-axis: the last step shown, at least 1.
fn x_end(points: &[(f32, f32)]) -> f32 {
    points.iter().map(|(x, _)| *x).fold(1.0, f32::max)
}
