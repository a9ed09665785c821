//! Axis ticks: where the labelled marks of an axis go and what they say. Linear axes get
//! "nice" steps (1, 2 or 5 × 10ᵏ, whole numbers only on an integer axis such as training
//! steps) and labels with exactly the decimals the step needs, so neighbouring labels are
//! always distinct (0.2 / 0.4, never 0 / 0 / 1 for a range of 0–1); logarithmic axes get
//! decades, or 1-2-5 / 1–9 multiples of them when the range spans less than a few
//! decades. Every chart takes its key points and its labels from here.

use plotters::coord::ranged1d::{AsRangedCoord, DefaultFormatting, KeyPointHint, Ranged};

/// The labelled marks of one axis: positions in data units, with their labels.
#[derive(Debug, Clone, PartialEq)]
pub struct Ticks {
    /// Tick positions, increasing.
    pub values: Vec<f64>,
    /// Tick labels, one per value.
    pub labels: Vec<String>,
}

impl Ticks {
    /// The positions as f32 (for charts on f32 coordinates).
    pub fn values_f32(&self) -> Vec<f32> {
        self.values.iter().map(|v| *v as f32).collect()
    }

    /// The label of the tick nearest to `value` (what a chart's label formatter prints for
    /// a key point), or the value to 3 significant digits when there is no tick.
    pub fn label_of(&self, value: f64) -> String {
        self.values
            .iter()
            .zip(&self.labels)
            .min_by(|a, b| (a.0 - value).abs().total_cmp(&(b.0 - value).abs()))
            .map(|(_, label)| label.clone())
            .unwrap_or_else(|| format!("{value:.3}"))
    }
}

/// The step of a linear axis over `lo..hi` with at most about `max_ticks` ticks: the
/// smallest of 1, 2, 5 × 10ᵏ at least `(hi − lo) / max_ticks`; at least 1 when `integer`.
pub fn nice_step(lo: f64, hi: f64, max_ticks: usize, integer: bool) -> f64 {
    let span = hi - lo;
    if !(span.is_finite() && span > 0.0) {
        return 1.0;
    }
    let raw = span / max_ticks.max(1) as f64;
    let decade = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * decade)
        .find(|s| *s >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * decade);
    if integer {
        step.max(1.0).round()
    } else {
        step
    }
}

/// Ticks of a linear axis over `lo..hi` (inclusive): the multiples of [`nice_step`]
/// inside the range, labelled by [`linear_label`]. A range that is empty or not finite
/// gets one tick at `lo` (if finite).
pub fn linear_ticks(lo: f64, hi: f64, max_ticks: usize, integer: bool) -> Ticks {
    if !(lo.is_finite() && hi.is_finite() && hi > lo) {
        let values: Vec<f64> = [lo].into_iter().filter(|v| v.is_finite()).collect();
        let labels = values
            .iter()
            .map(|v| linear_label(*v, 1.0, v.abs()))
            .collect();
        return Ticks { values, labels };
    }
    let step = nice_step(lo, hi, max_ticks, integer);
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    let values: Vec<f64> = (first..=last).map(|k| k as f64 * step).collect();
    let largest = values.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let labels = values
        .iter()
        .map(|v| linear_label(*v, step, largest))
        .collect();
    Ticks { values, labels }
}

/// The label of the tick `value` on an axis of step `step` (1, 2 or 5 × 10ᵏ) whose
/// largest tick magnitude is `largest`: fixed-point with the decimals the step needs
/// (none for a step ≥ 1), or, for large (≥ 10⁵) or fine (step below 10⁻³) axes, scientific
/// with the mantissa digits from the largest tick's decade down to the step's. Distinct
/// multiples of the step always get distinct labels; zero is "0".
pub fn linear_label(value: f64, step: f64, largest: f64) -> String {
    if value.abs() < step.abs() * 1e-6 || value == 0.0 {
        return "0".into();
    }
    // the step's decade k (step = 1, 2 or 5 × 10ᵏ), robust to a last-bit error of 10ᵏ
    let step_decade = (step.abs().log10() + 1e-9).floor() as i32;
    if largest >= 1e5 || step_decade < -3 {
        let top_decade = largest.abs().max(value.abs()).log10().floor() as i32;
        let digits = (top_decade - step_decade).max(0) as usize;
        return format!("{value:.digits$e}");
    }
    let decimals = (-step_decade).max(0) as usize;
    format!("{value:.decimals$}")
}

/// Ticks of a logarithmic axis over `lo..hi` (both > 0): the decades 10ᵏ inside it; when
/// fewer than 3 fit, the 1-2-5 multiples of the decades; when fewer than 3 of those fit,
/// every 1–9 multiple. At most about `max_ticks` (decades are thinned to every 2nd, 3rd…).
/// Labels are `m·10ᵏ` as `me k` ("1e-3", "2e-3", "5e-1"), exact and distinct.
pub fn log_ticks(lo: f64, hi: f64, max_ticks: usize) -> Ticks {
    if !(lo.is_finite() && hi.is_finite() && lo > 0.0 && hi > lo) {
        return Ticks {
            values: Vec::new(),
            labels: Vec::new(),
        };
    }
    let (k0, k1) = (lo.log10().floor() as i32, hi.log10().ceil() as i32);
    let inside = |mantissas: &[u32]| -> Vec<(u32, i32)> {
        (k0..=k1)
            .flat_map(|k| mantissas.iter().map(move |m| (*m, k)))
            .filter(|(m, k)| {
                let v = *m as f64 * 10f64.powi(*k);
                v >= lo * (1.0 - 1e-9) && v <= hi * (1.0 + 1e-9)
            })
            .collect()
    };
    let mut chosen = inside(&[1]);
    if chosen.len() < 3 {
        chosen = inside(&[1, 2, 5]);
    }
    if chosen.len() < 3 {
        chosen = inside(&[1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
    if chosen.len() > max_ticks.max(1) {
        // only decades can be this many: keep every n-th
        let every = chosen.len().div_ceil(max_ticks.max(1));
        chosen = chosen.into_iter().step_by(every).collect();
    }
    Ticks {
        values: chosen
            .iter()
            .map(|(m, k)| *m as f64 * 10f64.powi(*k))
            .collect(),
        labels: chosen.iter().map(|(m, k)| format!("{m}e{k}")).collect(),
    }
}

/// A plotters axis whose labelled marks are exactly `ticks` (positions of the data
/// type `V`), over the coordinate `inner` (linear or logarithmic). plotters' own
/// `with_key_points` keeps the inner axis's formatting option, which a custom label
/// formatter cannot use on f32 axes; this one formats with the chart's formatter, which
/// the charts take from [`Ticks::label_of`].
pub(crate) struct Marked<R: Ranged> {
    inner: R,
    points: Vec<R::ValueType>,
}

impl<R: Ranged> Marked<R> {
    /// `inner` (anything plotters turns into an axis) marked at `points`.
    pub(crate) fn new<A>(inner: A, points: Vec<R::ValueType>) -> Self
    where
        A: AsRangedCoord<CoordDescType = R>,
        R: From<A>,
    {
        Marked {
            inner: inner.into(),
            points,
        }
    }
}

impl<R: Ranged> Ranged for Marked<R>
where
    R::ValueType: Clone + std::fmt::Debug,
{
    type FormatOption = DefaultFormatting;
    type ValueType = R::ValueType;

    fn map(&self, value: &Self::ValueType, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<Self::ValueType> {
        // bold marks only (the charts draw no light mesh)
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.points.clone()
        }
    }

    fn range(&self) -> std::ops::Range<Self::ValueType> {
        self.inner.range()
    }

    fn axis_pixel_range(&self, limit: (i32, i32)) -> std::ops::Range<i32> {
        self.inner.axis_pixel_range(limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn distinct(ticks: &Ticks) -> bool {
        let mut labels = ticks.labels.clone();
        labels.sort();
        labels.dedup();
        labels.len() == ticks.labels.len()
    }

    #[test]
    fn linear_labels_are_distinct_and_short_for_any_range() {
        let ranges = [
            (0.0, 1.0),
            (0.0, 2.0),
            (0.0, 3.0),
            (-0.045, 0.945),
            (0.0, 1.02),
            (0.12, 0.125),
            (100.0, 100.5),
            (0.0, 2000.0),
            (-5.0, 4.0),
            (1e-6, 3e-6),
            (0.0, 1e7),
            (123_456.0, 123_470.0),
            (-1.1, 1.1),
            (0.0, 0.9),
        ];
        for (lo, hi) in ranges {
            let (lo, hi): (f64, f64) = (lo, hi);
            for integer in [false, true] {
                if integer && hi.floor() < lo.ceil() {
                    continue; // no whole number in the range
                }
                for max_ticks in [4, 6, 10] {
                    let ticks = linear_ticks(lo, hi, max_ticks, integer);
                    let what = format!("{lo}..{hi} ({max_ticks}, integer {integer}): {ticks:?}");
                    assert!(!ticks.values.is_empty(), "{what}");
                    assert!(distinct(&ticks), "{what}");
                    assert!(ticks.values.len() <= 2 * max_ticks + 1, "{what}");
                    assert!(ticks.labels.iter().all(|l| l.len() <= 9), "{what}");
                    for (v, label) in ticks.values.iter().zip(&ticks.labels) {
                        assert!(*v >= lo - 1e-9 * hi.abs() && *v <= hi * (1.0 + 1e-9) + 1e-12);
                        if integer {
                            assert_eq!(v.fract(), 0.0, "{what}");
                        }
                        // the label reads back as the tick's value
                        let read: f64 = label.parse().unwrap();
                        let step = ticks.values.get(1).map_or(1.0, |w| w - ticks.values[0]);
                        assert!((read - v).abs() <= 1e-6 * step.abs(), "{label} vs {v}");
                    }
                }
            }
        }
        // the loss chart of a 2-step run (the page's fault: "0 0 0 1 1 …")
        let ticks = linear_ticks(0.0, 2.0, 10, true);
        assert_eq!(ticks.labels, ["0", "1", "2"]);
        let ticks = linear_ticks(0.0, 1.0, 10, false);
        assert_eq!(ticks.labels[..3], ["0", "0.1", "0.2"]);
        assert_eq!(linear_ticks(0.12, 0.125, 5, false).labels[0], "0.120");
        assert_eq!(linear_ticks(0.0, 1e7, 5, false).labels[1], "2.0e6");
    }

    #[test]
    fn log_labels_are_distinct_for_narrow_and_wide_ranges() {
        for (lo, hi) in [
            (1e-6, 2.5e-6),
            (6.7e-7, 1.5e-6),
            (1e-3, 1.0),
            (1e-9, 1e3),
            (0.5, 0.9),
        ] {
            let ticks = log_ticks(lo, hi, 6);
            let what = format!("{lo}..{hi}: {ticks:?}");
            assert!(
                !ticks.values.is_empty() && ticks.values.len() <= 9,
                "{what}"
            );
            assert!(distinct(&ticks), "{what}");
            for (v, label) in ticks.values.iter().zip(&ticks.labels) {
                assert!(*v >= lo * 0.999 && *v <= hi * 1.001, "{what}");
                let read: f64 = label.parse().unwrap();
                assert!((read / v - 1.0).abs() < 1e-9, "{label} vs {v}");
            }
        }
        assert_eq!(
            log_ticks(1e-3, 1.0, 6).labels,
            ["1e-3", "1e-2", "1e-1", "1e0"]
        );
        assert!(log_ticks(0.0, 1.0, 6).values.is_empty());
    }
}
