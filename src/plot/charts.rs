//! Generic charts: labelled line/scatter series ([`Chart`], used for degradation curves,
//! PCA trajectories and sweep results), a bar chart (per-task performance) and the
//! eigenvalue spectrum in the complex plane with the unit circle.

use super::ticks::{linear_ticks, Marked, Ticks};
use super::{plot_error, FONT};
use crate::error::Result;
use plotters::coord::{CoordTranslate, Shift};
use plotters::prelude::*;
use serde::{Deserialize, Serialize};

/// Series colours (cycled), the "tab10" palette.
pub const PALETTE: [RGBColor; 10] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];

/// Most series that get a legend entry (more would cover the plot).
pub const MAX_LEGEND_ENTRIES: usize = 8;

/// One labelled series of `(x, y)` points.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Series {
    /// Legend text.
    pub label: String,
    /// Points in drawing order; non-finite points are skipped.
    pub points: Vec<(f64, f64)>,
    /// Draw a small circle at every point.
    pub markers: bool,
    /// Connect the points with a line.
    pub line: bool,
}

/// A line/scatter chart: title, axis labels and series. JSON form (the JS `drawChart`):
/// `{"title": "...", "x_label": "...", "y_label": "...", "y_range": [0, 1],
/// "series": [{"label": "K = 10", "points": [[1, 0.5], ...], "markers": true, "line": true}]}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Chart {
    /// Caption.
    pub title: String,
    /// x-axis description.
    pub x_label: String,
    /// y-axis description.
    pub y_label: String,
    /// Fixed y range; `None` = fit the data.
    pub y_range: Option<(f64, f64)>,
    /// The series.
    pub series: Vec<Series>,
}

/// `(lo, hi)` padded by 5 % of the span (at least ±0.5 when all values are equal), or
/// `(0, 1)` without finite values.
fn fit(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    let pad = if hi > lo { (hi - lo) * 0.05 } else { 0.5 };
    (lo - pad, hi + pad)
}

/// The ranges and ticks of a chart's axes.
struct Axes {
    x: (f64, f64),
    y: (f64, f64),
    x_ticks: Ticks,
    y_ticks: Ticks,
}

/// The axes of `chart`: each range fitted to the finite points ([`fit`]; y fixed by
/// `y_range` when set), about 6 linear ticks each. Whole-number x values (steps, K, N,
/// seeds) get whole-number ticks: a 2-step run's chart is labelled 0 1 2, not 0 0.5 1 1.5 2.
fn axes(chart: &Chart) -> Axes {
    let all = || {
        chart
            .series
            .iter()
            .flat_map(|s| s.points.iter())
            .filter(|p| p.0.is_finite() && p.1.is_finite())
    };
    let x = fit(all().map(|p| p.0));
    let y = chart.y_range.unwrap_or_else(|| fit(all().map(|p| p.1)));
    let x_whole = all().all(|p| p.0.fract() == 0.0);
    Axes {
        x,
        y,
        x_ticks: linear_ticks(x.0, x.1, 6, x_whole),
        y_ticks: linear_ticks(y.0, y.1, 6, false),
    }
}

/// Draw a [`Chart`]: one colour per distinct label (cycled through [`PALETTE`]; series
/// sharing a label share the colour and one legend entry), a legend when there are at
/// most [`MAX_LEGEND_ENTRIES`] distinct labels, "no data yet" when empty. Non-finite
/// points are not drawn, and the caption counts them.
pub fn series_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &Chart,
) -> Result<()> {
    chart_with_legend_at(area, chart, SeriesLabelPosition::UpperRight)
}

/// [`series_chart`] with its legend in the corner `legend`.
pub(crate) fn chart_with_legend_at<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &Chart,
    legend_at: SeriesLabelPosition,
) -> Result<()> {
    area.fill(&WHITE).map_err(plot_error)?;
    let finite = |p: &&(f64, f64)| p.0.is_finite() && p.1.is_finite();
    let all = || {
        chart
            .series
            .iter()
            .flat_map(|s| s.points.iter().filter(finite))
    };
    // points that cannot be placed (NaN, ±∞) are not drawn, and the caption says so
    let missing = chart
        .series
        .iter()
        .flat_map(|s| &s.points)
        .filter(|p| !finite(p))
        .count();
    let caption = match missing {
        0 => chart.title.clone(),
        1 => format!("{} (1 point not finite, not drawn)", chart.title),
        _ => format!("{} ({missing} points not finite, not drawn)", chart.title),
    };
    let Axes {
        x: (x0, x1),
        y: (y0, y1),
        x_ticks,
        y_ticks,
    } = axes(chart);
    let mut ctx = ChartBuilder::on(area)
        .caption(&caption, (FONT, 16))
        .margin(8)
        .x_label_area_size(36)
        .y_label_area_size(48)
        .build_cartesian_2d(
            Marked::new(x0..x1, x_ticks.values.clone()),
            Marked::new(y0..y1, y_ticks.values.clone()),
        )
        .map_err(plot_error)?;
    ctx.configure_mesh()
        .light_line_style(WHITE)
        .x_desc(chart.x_label.as_str())
        .y_desc(chart.y_label.as_str())
        .x_label_formatter(&|x| x_ticks.label_of(*x))
        .y_label_formatter(&|y| y_ticks.label_of(*y))
        .draw()
        .map_err(plot_error)?;
    if all().next().is_none() {
        let style = (FONT, 14).into_font().color(&RGBColor(120, 120, 120));
        let centre = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
        ctx.draw_series([Text::new("no data yet", centre, style)])
            .map_err(plot_error)?;
        return area.present().map_err(plot_error);
    }
    // series with the same label share a colour and a legend entry (e.g. trials of one
    // condition)
    let mut labels: Vec<&str> = Vec::new();
    for series in &chart.series {
        if series.label.is_empty() || !labels.contains(&series.label.as_str()) {
            labels.push(series.label.as_str());
        }
    }
    let legend = labels.iter().filter(|l| !l.is_empty()).count() <= MAX_LEGEND_ENTRIES;
    let mut labelled = false;
    let mut seen: Vec<&str> = Vec::new();
    for (i, series) in chart.series.iter().enumerate() {
        let slot = if series.label.is_empty() {
            i
        } else {
            labels.iter().position(|l| *l == series.label).unwrap_or(i)
        };
        let colour = PALETTE[slot % PALETTE.len()];
        let first = !series.label.is_empty() && !seen.contains(&series.label.as_str());
        if first {
            seen.push(series.label.as_str());
        }
        let show = legend && first;
        let points: Vec<(f64, f64)> = series.points.iter().filter(finite).copied().collect();
        if series.line {
            let drawn = ctx
                .draw_series(LineSeries::new(points.clone(), colour.stroke_width(2)))
                .map_err(plot_error)?;
            if show {
                drawn.label(series.label.as_str()).legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 16, y)], colour.stroke_width(2))
                });
                labelled = true;
            }
        }
        if series.markers {
            let drawn = ctx
                .draw_series(points.iter().map(|p| Circle::new(*p, 3, colour.filled())))
                .map_err(plot_error)?;
            if show && !series.line {
                drawn
                    .label(series.label.as_str())
                    .legend(move |(x, y)| Circle::new((x + 8, y), 3, colour.filled()));
                labelled = true;
            }
        }
    }
    if labelled {
        draw_legend(&mut ctx, legend_at, 12)?;
    }
    area.present().map_err(plot_error)
}

/// The legend of every chart: the labelled series in the corner `at`, on a translucent
/// white box with a light border, in `font_px` text.
pub(crate) fn draw_legend<'a, DB, CT>(
    ctx: &mut ChartContext<'a, DB, CT>,
    at: SeriesLabelPosition,
    font_px: u32,
) -> Result<()>
where
    DB: DrawingBackend + 'a,
    CT: CoordTranslate,
{
    ctx.configure_series_labels()
        .position(at)
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK.mix(0.3))
        .label_font((FONT, font_px))
        .draw()
        .map_err(plot_error)
}

/// Draw one bar per `(name, value)` with values in `[0, 1]` (e.g. the per-task
/// performance of a task mixture). Names are written under the bars when there are at
/// most 40 of them, else every bar is numbered by its position.
pub fn bar_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    bars: &[(String, f32)],
) -> Result<()> {
    area.fill(&WHITE).map_err(plot_error)?;
    let n = bars.len().max(1);
    let named = bars.len() <= 40;
    let label_size = if named { 72 } else { 36 };
    let mut ctx = ChartBuilder::on(area)
        .caption(title, (FONT, 16))
        .margin(8)
        .x_label_area_size(label_size)
        .y_label_area_size(40)
        .build_cartesian_2d(0f32..n as f32, 0f32..1.02f32)
        .map_err(plot_error)?;
    let name = |x: &f32| -> String {
        let i = x.floor() as usize;
        match bars.get(i) {
            Some((label, _)) if named && (*x - i as f32 - 0.5).abs() < 0.01 => label.clone(),
            Some(_) if !named => format!("{}", i + 1),
            _ => String::new(),
        }
    };
    let font = (FONT, 10).into_font().transform(FontTransform::Rotate90);
    ctx.configure_mesh()
        .disable_x_mesh()
        .light_line_style(WHITE)
        .x_labels(if named { 2 * n + 1 } else { 10 })
        .x_label_formatter(&name)
        .x_label_style(if named { font } else { (FONT, 11).into_font() })
        .y_labels(6)
        .y_desc("performance")
        .draw()
        .map_err(plot_error)?;
    let colour = PALETTE[0];
    ctx.draw_series(bars.iter().enumerate().map(|(i, (_, value))| {
        let x = i as f32;
        let top = if value.is_finite() {
            value.clamp(0.0, 1.0)
        } else {
            0.0
        };
        Rectangle::new([(x + 0.1, 0.0), (x + 0.9, top)], colour.filled())
    }))
    .map_err(plot_error)?;
    area.present().map_err(plot_error)
}

/// Colour of the eigenvalues before training.
const BEFORE: RGBColor = RGBColor(150, 150, 150);
/// Colour of the eigenvalues after training.
const AFTER: RGBColor = RGBColor(214, 39, 40);

/// Draw eigenvalues `(re, im)` of the recurrent weights before (grey rings) and after
/// (red dots) training in the complex plane, with the unit circle (dashed), the spectral
/// radius ρ of the trained weights marked by a red dashed circle labelled with its value,
/// and equal scales on both axes.
pub fn eigen_spectrum<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    before: &[(f64, f64)],
    after: &[(f64, f64)],
) -> Result<()> {
    area.fill(&WHITE).map_err(plot_error)?;
    let radius = before
        .iter()
        .chain(after)
        .filter(|(re, im)| re.is_finite() && im.is_finite())
        .map(|(re, im)| (re * re + im * im).sqrt())
        .fold(1.0f64, f64::max)
        * 1.1;
    let (width, height) = area.dim_in_pixel();
    let side = width.min(height.saturating_sub(20)) as i32;
    let pad = ((width as i32 - side) / 2).max(0);
    let square = area.margin(0, 0, pad, pad);
    let mut ctx = ChartBuilder::on(&square)
        .caption("Eigenvalues of W_rec", (FONT, 16))
        .margin(8)
        .x_label_area_size(32)
        .y_label_area_size(40)
        .build_cartesian_2d(-radius..radius, -radius..radius)
        .map_err(plot_error)?;
    ctx.configure_mesh()
        .light_line_style(WHITE)
        .x_desc("Re")
        .y_desc("Im")
        .x_labels(5)
        .y_labels(5)
        .x_label_formatter(&|x| format!("{x:.1}"))
        .y_label_formatter(&|y| format!("{y:.1}"))
        .draw()
        .map_err(plot_error)?;
    let circle: Vec<(f64, f64)> = (0..=120)
        .map(|i| {
            let phi = i as f64 / 120.0 * std::f64::consts::TAU;
            (phi.cos(), phi.sin())
        })
        .collect();
    ctx.draw_series(DashedLineSeries::new(
        circle.clone(),
        5,
        4,
        BLACK.stroke_width(1),
    ))
    .map_err(plot_error)?
    .label("unit circle")
    .legend(|(x, y)| PathElement::new([(x, y), (x + 16, y)], BLACK.stroke_width(1)));
    let finite = |p: &&(f64, f64)| p.0.is_finite() && p.1.is_finite();
    let rho = after
        .iter()
        .filter(finite)
        .map(|(re, im)| (re * re + im * im).sqrt())
        .fold(0.0f64, f64::max);
    if rho > 0.0 {
        let ring: Vec<(f64, f64)> = circle.iter().map(|(x, y)| (rho * x, rho * y)).collect();
        ctx.draw_series(DashedLineSeries::new(ring, 3, 3, AFTER.stroke_width(1)))
            .map_err(plot_error)?
            .label(format!("ρ = {rho:.3}"))
            .legend(|(x, y)| PathElement::new([(x, y), (x + 16, y)], AFTER.stroke_width(1)));
    }
    ctx.draw_series(
        before
            .iter()
            .filter(finite)
            .map(|p| Circle::new(*p, 3, BEFORE.stroke_width(1))),
    )
    .map_err(plot_error)?
    .label("before training")
    .legend(|(x, y)| Circle::new((x + 8, y), 3, BEFORE.stroke_width(1)));
    ctx.draw_series(
        after
            .iter()
            .filter(finite)
            .map(|p| Circle::new(*p, 2, AFTER.filled())),
    )
    .map_err(plot_error)?
    .label("now")
    .legend(|(x, y)| Circle::new((x + 8, y), 2, AFTER.filled()));
    draw_legend(&mut ctx, SeriesLabelPosition::UpperLeft, 11)?;
    area.present().map_err(plot_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(points: Vec<(f64, f64)>) -> Chart {
        Chart {
            title: "t".into(),
            x_label: "step".into(),
            y_label: "accuracy".into(),
            y_range: None,
            series: vec![Series {
                label: "a".into(),
                points,
                markers: true,
                line: true,
            }],
        }
    }

    #[test]
    fn whole_number_x_gets_whole_number_ticks() {
        let whole = axes(&chart(vec![(0.0, 0.2), (1.0, 0.5), (2.0, 0.9)]));
        assert_eq!(whole.x_ticks.labels, ["0", "1", "2"]);
        // the control: the same span with one x at 0.5 keeps fractional ticks
        let fractional = axes(&chart(vec![(0.0, 0.2), (0.5, 0.5), (2.0, 0.9)]));
        assert!(
            fractional.x_ticks.labels.iter().any(|l| l.contains('.')),
            "{:?}",
            fractional.x_ticks.labels
        );
    }
}
