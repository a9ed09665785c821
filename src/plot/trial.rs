//! The task view: one trial's inputs in their own panel above the targets and the
//! network's outputs, on a shared time axis in ms with the period boundaries.

use super::cells::draw_cells;
use super::charts::draw_legend;
use super::traces::{at, trial_backdrop, value_range};
use super::{output_traces, plot_error, sequential, TrialTraces, FONT, PALETTE, PERIOD_COLOUR};
use crate::error::Result;
use plotters::coord::types::RangedCoordf32;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Share of the task view's height given to the input panel.
const INPUT_PANEL_SHARE: f32 = 0.38;

/// Draw `trial` in two panels: the top one shows the inputs — every channel as a labelled
/// line (`input c`, or its name in the task's groups, with a legend) when all of them are
/// in `trial.inputs`, else a heatmap (channel × time, sequential colours scaled to the
/// trial's input range, the range in the caption; the channel axis names the task's
/// groups — fixation, ring 1, ring 2, rule — when it has them) — and the rest
/// [`output_traces`].
pub fn trial_plot<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    trial: &TrialTraces,
) -> Result<()> {
    area.fill(&WHITE).map_err(plot_error)?;
    let (_, height) = area.dim_in_pixel();
    let (top, bottom) = area.split_vertically((height as f32 * INPUT_PANEL_SHARE) as i32);
    let all_traced = !trial.inputs.is_empty() && trial.inputs.len() >= trial.input_map.source_rows;
    if all_traced {
        input_lines(&top, trial)?;
    } else {
        input_heatmap(&top, trial)?;
    }
    output_traces(&bottom, trial)
}

/// Every input channel as a coloured line with a legend entry.
fn input_lines<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    trial: &TrialTraces,
) -> Result<()> {
    let dt = trial.dt_ms as f32;
    let t_end = (trial.n_steps.max(1) as f32) * dt;
    let (lo, hi) = value_range(trial.inputs.iter());
    let n = trial.inputs.len();
    let mut chart = ChartBuilder::on(area)
        .caption(
            format!("Inputs ({n} channel{})", if n == 1 { "" } else { "s" }),
            (FONT, 14),
        )
        .margin(6)
        .x_label_area_size(4)
        .y_label_area_size(44)
        .build_cartesian_2d(0f32..t_end, lo..hi)
        .map_err(plot_error)?;
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .disable_x_axis()
        .y_desc("input")
        .y_labels(4)
        .y_label_formatter(&|y| format!("{y:.1}"))
        .draw()
        .map_err(plot_error)?;
    trial_backdrop(&mut chart, trial, dt, t_end, (lo, hi))?;
    for (c, input) in trial.inputs.iter().enumerate() {
        let colour = INPUT_COLOURS[c % INPUT_COLOURS.len()];
        let label = match group_channel_name(&trial.input_groups, c) {
            Some(name) => name,
            None if n == 1 => "input".to_string(),
            None => format!("input {}", c + 1),
        };
        chart
            .draw_series(LineSeries::new(at(input, dt), colour.stroke_width(2)))
            .map_err(plot_error)?
            .label(label)
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 16, y)], colour.stroke_width(2)));
    }
    draw_legend(&mut chart, SeriesLabelPosition::UpperRight, 12)?;
    Ok(())
}

/// Colours of the input lines: the palette after the output colours, so an input never
/// shares a colour with an output.
const INPUT_COLOURS: [RGBColor; 6] = [
    PALETTE[3], PALETTE[9], PALETTE[8], PALETTE[6], PALETTE[5], PALETTE[7],
];

/// Every input channel as one row of a heatmap.
fn input_heatmap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    trial: &TrialTraces,
) -> Result<()> {
    let map = &trial.input_map;
    let dt = trial.dt_ms as f32;
    let t_end = (trial.n_steps.max(1) as f32) * dt;
    let channels = map.source_rows.max(1) as f32;
    let (lo, hi) = map.finite_range();
    let groups = &trial.input_groups;
    let mut chart = ChartBuilder::on(area)
        .caption(
            format!(
                "Inputs ({} channels; colour = value, dark {lo:.2} to yellow {hi:.2})",
                map.source_rows
            ),
            (FONT, 14),
        )
        .margin(6)
        .x_label_area_size(4)
        .y_label_area_size(if groups.is_empty() { 44 } else { 64 })
        .build_cartesian_2d(0f32..t_end, 0f32..channels)
        .map_err(plot_error)?;
    if groups.is_empty() {
        chart
            .configure_mesh()
            .disable_mesh()
            .disable_x_axis()
            .y_desc("channel")
            .y_labels(3)
            .y_label_formatter(&|y| format!("{:.0}", channels - y))
            .draw()
            .map_err(plot_error)?;
    }
    let span = if hi > lo { hi - lo } else { 1.0 };
    draw_cells(
        chart.plotting_area(),
        map.n_rows,
        map.n_cols,
        |i, j| Some(sequential((map.get(i, j) - lo) / span)),
        WHITE,
    )?;
    group_labels(area, &mut chart, groups, channels, t_end)?;
    for (_, start, _) in trial.periods.iter().filter(|p| p.1 > 0) {
        let x = *start as f32 * dt;
        let line = PathElement::new([(x, 0.0), (x, channels)], WHITE.stroke_width(1));
        chart.draw_series([line]).map_err(plot_error)?;
        let dark = PathElement::new([(x, 0.0), (x, channels)], PERIOD_COLOUR.mix(0.5));
        chart.draw_series([dark]).map_err(plot_error)?;
    }
    Ok(())
}

/// The name of input `channel` under the task's groups: the group's name for a
/// one-channel group (`fixation`), else `<group> <k>`; `None` without a group.
fn group_channel_name(groups: &[(String, usize, usize)], channel: usize) -> Option<String> {
    let (name, start, end) = groups
        .iter()
        .find(|(_, s, e)| (*s..*e).contains(&channel))?;
    Some(if end - start == 1 {
        name.clone()
    } else {
        format!("{name} {}", channel - start + 1)
    })
}

/// The heatmap's channel axis in the task's terms: each group's name left of its rows
/// (fixation, ring 1, ring 2, rule) and a white line between groups.
fn group_labels<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &mut ChartContext<DB, Cartesian2d<RangedCoordf32, RangedCoordf32>>,
    groups: &[(String, usize, usize)],
    channels: f32,
    t_end: f32,
) -> Result<()> {
    let style = (FONT, 12)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Right, VPos::Center));
    for (name, start, end) in groups {
        if *start > 0 {
            let y = channels - *start as f32;
            let line = PathElement::new([(0.0, y), (t_end, y)], WHITE.stroke_width(2));
            chart.draw_series([line]).map_err(plot_error)?;
        }
        let middle = channels - (*start + *end) as f32 / 2.0;
        let (x, y) = chart.backend_coord(&(0.0, middle));
        let (left, top) = area.get_base_pixel();
        area.draw(&Text::new(
            name.clone(),
            (x - left - 4, y - top),
            style.clone(),
        ))
        .map_err(plot_error)?;
    }
    Ok(())
}
