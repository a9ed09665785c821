//! Output-versus-target traces of one trial.

use super::charts::draw_legend;
use super::{plot_error, TrialTraces, FONT};
use crate::error::Result;
use plotters::coord::types::RangedCoordf32;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Colours of the output (and input) channels (cycled).
pub(crate) const OUTPUT_COLOURS: [RGBColor; 4] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(148, 103, 189),
];

/// Colour of the period boundaries and their names.
pub const PERIOD_COLOUR: RGBColor = RGBColor(90, 90, 90);

/// Most output channels that get legend entries (`output c` solid, `target c` dashed).
pub const MAX_LEGEND_CHANNELS: usize = 4;

/// Draw one trial's outputs against time in ms: the stimulus period shaded, period
/// boundaries as thin dark-grey lines with the period names, each output channel solid
/// in its colour and its target dashed in the same colour (only where the loss weight is
/// non-zero), with a legend naming them (`output c`, `target c`) for up to
/// [`MAX_LEGEND_CHANNELS`] channels — or, when the task names its output groups
/// (`fixation`, `response ring`), one colour and one legend entry per group. Inputs are not drawn here: [`super::trial_plot`]
/// gives them their own panel.
pub fn output_traces<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    trial: &TrialTraces,
) -> Result<()> {
    area.fill(&WHITE).map_err(plot_error)?;
    let dt = trial.dt_ms as f32;
    let t_end = (trial.n_steps.max(1) as f32) * dt;
    // a leading stretch that no output is scored on (a reservoir's washout from the zero
    // state) is shaded and left out of the value range, so the range shows the signal
    let first_scored = first_scored_step(trial);
    let scored_part = |traces: &[Vec<f32>]| -> Vec<Vec<f32>> {
        traces
            .iter()
            .map(|v| v[first_scored.min(v.len())..].to_vec())
            .collect()
    };
    let (lo, hi) = value_range(
        scored_part(&trial.outputs)
            .iter()
            .chain(&scored_part(&trial.targets)),
    );
    let n_outputs = trial.outputs.len().max(trial.targets.len());
    let caption = if n_outputs > MAX_LEGEND_CHANNELS && trial.output_groups.is_empty() {
        format!("Outputs (solid) vs targets (dashed), {n_outputs} channels by colour")
    } else {
        "Outputs (solid) vs targets (dashed)".to_string()
    };
    let mut chart = ChartBuilder::on(area)
        .caption(caption, (FONT, 16))
        .margin(8)
        .x_label_area_size(36)
        .y_label_area_size(44)
        .build_cartesian_2d(0f32..t_end, lo..hi)
        .map_err(plot_error)?;
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .x_desc("time (ms)")
        .y_desc("output")
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| format!("{y:.1}"))
        .draw()
        .map_err(plot_error)?;
    trial_backdrop(&mut chart, trial, dt, t_end, (lo, hi))?;
    if first_scored > 0 {
        let x = first_scored as f32 * dt;
        let shade = Rectangle::new([(0.0, lo), (x, hi)], WARMUP_SHADE.filled());
        chart.draw_series([shade]).map_err(plot_error)?;
        let style = (FONT, 11).into_font().color(&PERIOD_COLOUR);
        let label = Text::new(
            "warm-up (not scored)",
            (0.01 * t_end, lo + 0.06 * (hi - lo)),
            style,
        );
        chart.draw_series([label]).map_err(plot_error)?;
    }
    // named groups (fixation, response ring): one colour and one legend entry per group
    let groups = &trial.output_groups;
    let group_of = |o: usize| groups.iter().position(|(_, s, e)| (*s..*e).contains(&o));
    let by_group = !groups.is_empty() && (0..n_outputs).all(|o| group_of(o).is_some());
    let legend = by_group || n_outputs <= MAX_LEGEND_CHANNELS;
    let name = |what: &str, o: usize| {
        if n_outputs == 1 {
            what.to_string()
        } else {
            format!("{what} {}", o + 1)
        }
    };
    for o in 0..n_outputs {
        let slot = if by_group {
            group_of(o).unwrap_or(0)
        } else {
            o
        };
        let colour = OUTPUT_COLOURS[slot % OUTPUT_COLOURS.len()];
        // by group: the group's first channel carries the entry (`fixation`, `response ring (32)`)
        let (output_label, target_label) = match (by_group, groups.get(slot)) {
            (true, Some((group, start, end))) if *start == o => {
                let count = if end - start > 1 {
                    format!(" ({})", end - start)
                } else {
                    String::new()
                };
                (
                    Some(format!("{group}{count}")),
                    (o == 0).then(|| "target (dashed)".to_string()),
                )
            }
            (true, _) => (None, None),
            (false, _) if legend => (Some(name("output", o)), Some(name("target", o))),
            _ => (None, None),
        };
        if let Some(output) = trial.outputs.get(o) {
            // the warm-up's transient is drawn clamped to the range
            let clamped: Vec<f32> = output.iter().map(|v| v.clamp(lo, hi)).collect();
            let line = LineSeries::new(at(&clamped, dt), colour.stroke_width(2));
            let drawn = chart.draw_series(line).map_err(plot_error)?;
            if let Some(label) = output_label {
                drawn.label(label).legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 16, y)], colour.stroke_width(2))
                });
            }
        }
        let (Some(target), Some(mask)) = (trial.targets.get(o), trial.mask.get(o)) else {
            continue;
        };
        let mut target_label = target_label;
        for segment in masked_segments(&at(target, dt), mask) {
            let style = colour.mix(0.9).stroke_width(2);
            let drawn = chart
                .draw_series(DashedLineSeries::new(segment, 8, 5, style))
                .map_err(plot_error)?;
            if let Some(label) = target_label.take() {
                drawn.label(label).legend(move |(x, y)| {
                    let dash = colour.mix(0.9).stroke_width(2);
                    EmptyElement::at((x, y))
                        + PathElement::new([(0, 0), (6, 0)], dash)
                        + PathElement::new([(10, 0), (16, 0)], dash)
                });
            }
        }
    }
    if legend && n_outputs > 0 {
        draw_legend(&mut chart, SeriesLabelPosition::LowerRight, 12)?;
    }
    area.present().map_err(plot_error)
}

/// Blue-grey of the shaded warm-up (the leading steps no output is scored on).
pub(crate) const WARMUP_SHADE: RGBColor = RGBColor(226, 232, 240);

/// The first step at which some output is scored (mask ≠ 0); 0 when none is, or when the
/// trial has no mask.
fn first_scored_step(trial: &TrialTraces) -> usize {
    let steps = trial.mask.iter().map(Vec::len).max().unwrap_or(0);
    (0..steps)
        .find(|&t| {
            trial
                .mask
                .iter()
                .any(|m| m.get(t).is_some_and(|w| *w != 0.0))
        })
        .unwrap_or(0)
}

/// Grey of the shaded stimulus period.
pub(crate) const STIMULUS_SHADE: RGBColor = RGBColor(230, 230, 230);

/// `values[t]` at time `(t + 1)·dt` (the state after step t).
pub(crate) fn at(values: &[f32], dt: f32) -> Vec<(f32, f32)> {
    values
        .iter()
        .enumerate()
        .map(|(t, v)| ((t + 1) as f32 * dt, *v))
        .collect()
}

/// The backdrop of a trial's time chart: the stimulus shaded up to the input offset, then
/// the period marks ([`period_marks`]).
pub(crate) fn trial_backdrop<DB: DrawingBackend>(
    chart: &mut ChartContext<DB, Cartesian2d<RangedCoordf32, RangedCoordf32>>,
    trial: &TrialTraces,
    dt: f32,
    t_end: f32,
    (lo, hi): (f32, f32),
) -> Result<()> {
    if let Some(offset) = trial.input_offset {
        let x = offset as f32 * dt;
        let shade = Rectangle::new([(0.0, lo), (x, hi)], STIMULUS_SHADE.filled());
        chart.draw_series([shade]).map_err(plot_error)?;
    }
    period_marks(chart, &trial.periods, dt, t_end, (lo, hi))
}

/// Period boundaries (thin dark-grey lines, none for a period starting at 0) and period
/// names at the top of a time chart.
fn period_marks<DB: DrawingBackend>(
    chart: &mut ChartContext<DB, Cartesian2d<RangedCoordf32, RangedCoordf32>>,
    periods: &[(String, usize, usize)],
    dt: f32,
    t_end: f32,
    (lo, hi): (f32, f32),
) -> Result<()> {
    for (name, start, _) in periods {
        let x = *start as f32 * dt;
        if *start > 0 {
            let line = PathElement::new([(x, lo), (x, hi)], PERIOD_COLOUR.stroke_width(1));
            chart.draw_series([line]).map_err(plot_error)?;
        }
        let style = (FONT, 11).into_font().color(&PERIOD_COLOUR);
        let label = Text::new(
            name.clone(),
            (x + 0.01 * t_end, hi - 0.04 * (hi - lo)),
            style,
        );
        chart.draw_series([label]).map_err(plot_error)?;
    }
    Ok(())
}

/// Finite range of `traces`, padded by 10 % (at least ±0.1).
pub(crate) fn value_range<'a>(traces: impl Iterator<Item = &'a Vec<f32>>) -> (f32, f32) {
    let (lo, hi) = traces
        .flatten()
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
