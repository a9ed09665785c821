//! The task view: one trial's inputs (every channel, as a heatmap) above its targets and
//! the network's outputs, on a shared time axis in ms with the period boundaries.

use super::{output_traces, plot_error, sequential, TrialTraces, FONT, PERIOD_COLOUR};
use crate::error::Result;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Draw `trial` in two panels: the top third shows the inputs (channel × time, sequential
/// colours scaled to the trial's input range), the rest [`output_traces`].
pub fn trial_plot<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    trial: &TrialTraces,
) -> Result<()> {
    area.fill(&WHITE).map_err(plot_error)?;
    let (_, height) = area.dim_in_pixel();
    let (top, bottom) = area.split_vertically((height as f32 * 0.36) as i32);
    let map = &trial.input_map;
    let dt = trial.dt_ms as f32;
    let t_end = (trial.n_steps.max(1) as f32) * dt;
    let channels = map.source_rows.max(1) as f32;
    let mut chart = ChartBuilder::on(&top)
        .caption(format!("Inputs ({} channels)", map.source_rows), (FONT, 14))
        .margin(6)
        .x_label_area_size(4)
        .y_label_area_size(44)
        .build_cartesian_2d(0f32..t_end, 0f32..channels)
        .map_err(plot_error)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .disable_x_axis()
        .y_desc("channel")
        .y_labels(3)
        .y_label_formatter(&|y| format!("{:.0}", channels - y))
        .draw()
        .map_err(plot_error)?;
    let (lo, hi) = map.finite_range();
    let span = if hi > lo { hi - lo } else { 1.0 };
    let cell_h = channels / map.n_rows.max(1) as f32;
    let cell_w = t_end / map.n_cols.max(1) as f32;
    let cells = (0..map.n_rows).flat_map(|i| {
        (0..map.n_cols).map(move |j| {
            let y1 = channels - i as f32 * cell_h;
            let x0 = j as f32 * cell_w;
            let colour = sequential((map.get(i, j) - lo) / span);
            Rectangle::new([(x0, y1 - cell_h), (x0 + cell_w, y1)], colour.filled())
        })
    });
    chart.draw_series(cells).map_err(plot_error)?;
    for (_, start, _) in trial.periods.iter().filter(|p| p.1 > 0) {
        let x = *start as f32 * dt;
        let line = PathElement::new([(x, 0.0), (x, channels)], WHITE.stroke_width(1));
        chart.draw_series([line]).map_err(plot_error)?;
        let dark = PathElement::new([(x, 0.0), (x, channels)], PERIOD_COLOUR.mix(0.5));
        chart.draw_series([dark]).map_err(plot_error)?;
    }
    output_traces(&bottom, trial)
}
