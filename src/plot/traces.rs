//! Output-versus-target traces of one trial.

use super::{plot_error, TrialTraces, FONT};
use crate::error::Result;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Colours of the output channels (cycled).
const OUTPUT_COLOURS: [RGBColor; 4] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(148, 103, 189),
];

/// Colour of the period boundaries and their names.
pub const PERIOD_COLOUR: RGBColor = RGBColor(90, 90, 90);

/// Draw one trial against time in ms: the stimulus period shaded, period boundaries as
/// thin dark-grey lines with the period names, input channels as thin grey lines, targets
/// dashed (only where the loss weight is non-zero) and outputs solid.
pub fn output_traces<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    trial: &TrialTraces,
) -> Result<()> {
    area.fill(&WHITE).map_err(plot_error)?;
    let dt = trial.dt_ms as f32;
    let t_end = (trial.n_steps.max(1) as f32) * dt;
    let (lo, hi) = value_range(trial);
    let mut chart = ChartBuilder::on(area)
        .caption("Outputs (solid) vs targets (dashed)", (FONT, 16))
        .margin(8)
        .x_label_area_size(36)
        .y_label_area_size(44)
        .build_cartesian_2d(0f32..t_end, lo..hi)
        .map_err(plot_error)?;
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .x_desc("time (ms)")
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| format!("{y:.1}"))
        .draw()
        .map_err(plot_error)?;
    if let Some(offset) = trial.input_offset {
        let x = offset as f32 * dt;
        let shade = Rectangle::new([(0.0, lo), (x, hi)], RGBColor(230, 230, 230).filled());
        chart.draw_series([shade]).map_err(plot_error)?;
    }
    for (name, start, _) in &trial.periods {
        let x = *start as f32 * dt;
        if *start > 0 {
            let line = PathElement::new([(x, lo), (x, hi)], PERIOD_COLOUR.stroke_width(1));
            chart.draw_series([line]).map_err(plot_error)?;
        }
        let style = (FONT, 10).into_font().color(&PERIOD_COLOUR);
        let label = Text::new(
            name.clone(),
            (x + 0.01 * t_end, hi - 0.04 * (hi - lo)),
            style,
        );
        chart.draw_series([label]).map_err(plot_error)?;
    }
    let at = |values: &[f32]| -> Vec<(f32, f32)> {
        values
            .iter()
            .enumerate()
            .map(|(t, v)| ((t + 1) as f32 * dt, *v))
            .collect()
    };
    for input in &trial.inputs {
        let style = RGBColor(150, 150, 150).stroke_width(1);
        chart
            .draw_series(LineSeries::new(at(input), style))
            .map_err(plot_error)?;
    }
    for (o, (target, mask)) in trial.targets.iter().zip(&trial.mask).enumerate() {
        let colour = OUTPUT_COLOURS[o % OUTPUT_COLOURS.len()];
        for segment in masked_segments(&at(target), mask) {
            let line = DashedLineSeries::new(segment, 8, 5, BLACK.stroke_width(2));
            chart.draw_series(line).map_err(plot_error)?;
        }
        if let Some(output) = trial.outputs.get(o) {
            let line = LineSeries::new(at(output), colour.stroke_width(2));
            chart.draw_series(line).map_err(plot_error)?;
        }
    }
    area.present().map_err(plot_error)
}

/// Finite range of everything drawn, padded by 10 % (at least ±0.1).
fn value_range(trial: &TrialTraces) -> (f32, f32) {
    let all = trial
        .inputs
        .iter()
        .chain(&trial.outputs)
        .chain(&trial.targets)
        .flatten();
    let (lo, hi) = all
        .filter(|v| v.is_finite())
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(*v), hi.max(*v))
        });
    if !lo.is_finite() {
        return (-1.0, 1.0);
    }
    let pad = ((hi - lo) * 0.1).max(0.1);
    (lo - pad, hi + pad)
}

/// Split `points` into runs where `mask` is non-zero.
fn masked_segments(points: &[(f32, f32)], mask: &[f32]) -> Vec<Vec<(f32, f32)>> {
    let mut segments = Vec::new();
    let mut current = Vec::new();
    for (point, weight) in points.iter().zip(mask) {
        if *weight != 0.0 {
            current.push(*point);
        } else if !current.is_empty() {
            segments.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        segments.push(current);
    }
    segments
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masked_segments_split_on_zero_weight() {
        let points: Vec<(f32, f32)> = (0..6).map(|t| (t as f32, 0.0)).collect();
        let segments = masked_segments(&points, &[0.0, 1.0, 1.0, 0.0, 1.0, 1.0]);
        assert_eq!(segments.len(), 2);
        assert_eq!(segments[0], vec![(1.0, 0.0), (2.0, 0.0)]);
    }
}
