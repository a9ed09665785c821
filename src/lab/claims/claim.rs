//! The one claim record ([`Claim`]) and its one constructor ([`Claim::new`]): a [`Row`] of
//! a paper's table (written before the run: the claim, the paper's number, the authors'-code
//! spread where measured, the [`Criterion`]) joined with what the run [`Measured`] (the
//! setting, [`Ours`] over seeds, the time, a figure). `holds` is decided from the criterion
//! and the median of ours and nothing else, so a claim that does not hold says so.

use crate::plot::Chart;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// How ours is compared with the paper, fixed in the table before the run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Criterion {
    /// ours ≥ the value.
    AtLeast(f64),
    /// ours ≤ the value.
    AtMost(f64),
    /// |ours − target| ≤ tolerance.
    Within {
        /// The reference number (the paper's, or the centre of the authors'-code spread).
        target: f64,
        /// Allowed absolute deviation.
        tolerance: f64,
    },
    /// A compound test over several numbers, stated in words in the row and decided by
    /// the claim's function ([`Ours::verdict`]); ours is still the headline number.
    Stated(Cow<'static, str>),
}

impl Criterion {
    /// A compound test stated in words (for the const tables).
    pub const fn stated(test: &'static str) -> Self {
        Criterion::Stated(Cow::Borrowed(test))
    }

    /// Whether `value` satisfies the criterion (never for a non-finite value; a
    /// [`Criterion::Stated`] test is decided by its verdict, not here).
    pub fn holds(&self, value: f64) -> bool {
        value.is_finite()
            && match *self {
                Criterion::AtLeast(min) => value >= min,
                Criterion::AtMost(max) => value <= max,
                Criterion::Within { target, tolerance } => (value - target).abs() <= tolerance,
                Criterion::Stated(_) => false,
            }
    }

    /// Human form, e.g. `">= 0.95"` or `"0.22 ± 0.3"`.
    pub fn describe(&self) -> String {
        match self {
            Criterion::AtLeast(min) => format!(">= {min}"),
            Criterion::AtMost(max) => format!("<= {max}"),
            Criterion::Within { target, tolerance } => format!("{target} ± {tolerance}"),
            Criterion::Stated(test) => test.to_string(),
        }
    }
}

/// One row of a paper's claims table: everything about a claim that is known before it
/// runs.
#[derive(Debug, Clone)]
pub struct Row {
    /// Group (experiment) whose function measures this row; rows of a group share its run.
    pub group: &'static str,
    /// Id of the row inside its group (what the group's [`Measured`] names).
    pub id: &'static str,
    /// The claim, in words.
    pub claim: &'static str,
    /// The paper's number or statement with its source label: `[paper]` the text, `[code]`
    /// the authors' code or data, `[fig]` read from a figure, `[inf]` an inference.
    pub paper_value: &'static str,
    /// The spread of the authors' own code over seeds where we ran it beside ours (e.g.
    /// `"0.896 / 0.932 / 0.912 on seeds 0/1/2"`), else `None`.
    pub authors_code: Option<&'static str>,
    /// The comparison.
    pub criterion: Criterion,
}

/// Our number: one value, or one per seed (reported as the median and its range).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ours {
    /// `(seed, value)` of every run; one entry without a seed for a single measurement.
    pub runs: Vec<(Option<u64>, f64)>,
    /// Every number a compound test looked at, in words.
    pub text: Option<String>,
    /// The verdict of a [`Criterion::Stated`] test.
    pub verdict: Option<bool>,
}

impl Ours {
    /// A single measurement.
    pub fn value(value: f64) -> Self {
        Ours {
            runs: vec![(None, value)],
            ..Default::default()
        }
    }

    /// One measurement per seed.
    pub fn over_seeds(runs: impl IntoIterator<Item = (u64, f64)>) -> Self {
        Ours {
            runs: runs.into_iter().map(|(s, v)| (Some(s), v)).collect(),
            ..Default::default()
        }
    }

    /// With every number a compound test looked at, in words.
    pub fn text(mut self, text: impl Into<String>) -> Self {
        self.text = Some(text.into());
        self
    }

    /// With the verdict of the row's [`Criterion::Stated`] test.
    pub fn verdict(mut self, holds: bool) -> Self {
        self.verdict = Some(holds);
        self
    }

    /// The median over runs (NaN when a run is NaN or there is none).
    pub fn median(&self) -> f64 {
        let values: Vec<f64> = self.runs.iter().map(|r| r.1).collect();
        if values.iter().any(|v| v.is_nan()) {
            return f64::NAN;
        }
        crate::math::stats::median(&values)
    }

    /// `(min, max)` over runs when there is more than one.
    pub fn range(&self) -> Option<(f64, f64)> {
        (self.runs.len() > 1).then(|| {
            self.runs
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), r| {
                    (lo.min(r.1), hi.max(r.1))
                })
        })
    }
}

/// What a group's run measured for one row.
#[derive(Debug, Clone)]
pub struct Measured {
    /// The row's id.
    pub row: &'static str,
    /// The settings used (the paper's, and any deviation), with the run description's id.
    pub setting: String,
    /// Our number(s).
    pub ours: Ours,
    /// Wall time of the experiment up to this row, s.
    pub seconds: f64,
    /// The figure, if the row has one.
    pub chart: Option<Chart>,
}

impl Measured {
    /// A measurement of row `row`, timed by `clock`.
    pub fn new(
        row: &'static str,
        setting: impl Into<String>,
        ours: Ours,
        clock: &crate::lab::clock::Stopwatch,
    ) -> Self {
        Measured {
            row,
            setting: setting.into(),
            ours,
            seconds: clock.seconds(),
            chart: None,
        }
    }

    /// With a figure.
    pub fn chart(mut self, chart: Chart) -> Self {
        self.chart = Some(chart);
        self
    }
}

/// One reproduced claim: one JSON line of `srnn reproduce`, one row of the page's table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    /// Paper id (`turcu`, `jarne-laje`, `rules`, ...).
    pub paper: String,
    /// Group id inside the paper (what `runClaim` takes).
    pub group: String,
    /// Row id inside the group.
    pub id: String,
    /// The claim, in words.
    pub claim: String,
    /// The settings used.
    pub setting: String,
    /// The paper's number with its source label.
    pub paper_value: String,
    /// The authors'-code spread where measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authors_code: Option<String>,
    /// Our number: the median over seeds.
    pub ours: f64,
    /// `(min, max)` of ours over seeds, when there are several.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ours_range: Option<(f64, f64)>,
    /// The seeds ours ran on (empty for a single unseeded measurement).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub seeds: Vec<u64>,
    /// Ours per seed, in the order of `seeds`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ours_values: Vec<f64>,
    /// Every number a compound test looked at, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ours_text: Option<String>,
    /// The comparison decided before the run.
    pub criterion: Criterion,
    /// `criterion` in words.
    pub tolerance: String,
    /// Whether ours satisfies the criterion.
    pub holds: bool,
    /// Wall time of the claim's experiment, s (rows of one group: the time up to it).
    pub seconds: f64,
    /// The figure, if the claim has one (drawn by the page's `drawChart`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chart: Option<Chart>,
}

impl Claim {
    /// The claim of `row` of paper `paper` from what was `measured` — the only constructor.
    pub fn new(paper: &str, row: &Row, measured: Measured) -> Self {
        let ours = measured.ours.median();
        let holds = match &row.criterion {
            Criterion::Stated(_) => measured.ours.verdict.unwrap_or(false),
            criterion => criterion.holds(ours),
        };
        let seeds: Vec<u64> = measured.ours.runs.iter().filter_map(|r| r.0).collect();
        let ours_values = if seeds.is_empty() {
            Vec::new()
        } else {
            measured.ours.runs.iter().map(|r| r.1).collect()
        };
        let chart = measured.chart.map(|mut chart| {
            // JSON has no NaN, and the page hands the chart back to `drawChart`.
            for series in &mut chart.series {
                series
                    .points
                    .retain(|(x, y)| x.is_finite() && y.is_finite());
            }
            chart
        });
        Claim {
            paper: paper.into(),
            group: row.group.into(),
            id: row.id.into(),
            claim: row.claim.into(),
            setting: measured.setting,
            paper_value: row.paper_value.into(),
            authors_code: row.authors_code.map(Into::into),
            ours,
            ours_range: measured.ours.range(),
            seeds,
            ours_values,
            ours_text: measured.ours.text,
            criterion: row.criterion.clone(),
            tolerance: row.criterion.describe(),
            holds,
            seconds: measured.seconds,
            chart,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::clock::Stopwatch;

    const ROW: Row = Row {
        group: "g",
        id: "r",
        claim: "c",
        paper_value: "0.9 [paper]",
        authors_code: Some("0.88 / 0.91"),
        criterion: Criterion::Within {
            target: 0.9,
            tolerance: 0.05,
        },
    };

    #[test]
    fn holds_is_decided_on_the_median_over_seeds() {
        let clock = Stopwatch::start();
        let ours = Ours::over_seeds([(1, 0.5), (2, 0.91), (3, 0.93)]);
        let claim = Claim::new("p", &ROW, Measured::new("r", "s", ours, &clock));
        assert_eq!(claim.ours, 0.91);
        assert_eq!(claim.ours_range, Some((0.5, 0.93)));
        assert_eq!(claim.seeds, vec![1, 2, 3]);
        assert!(claim.holds);
        let low = Ours::over_seeds([(1, 0.5), (2, 0.6), (3, 0.93)]);
        assert!(!Claim::new("p", &ROW, Measured::new("r", "s", low, &clock)).holds);
        let even = Ours::over_seeds([(1, 0.8), (2, 1.0)]);
        assert!((even.median() - 0.9).abs() < 1e-12);
        assert!(Ours::over_seeds([(1, f64::NAN), (2, 1.0)])
            .median()
            .is_nan());
    }

    #[test]
    fn a_stated_test_holds_only_by_its_verdict() {
        let clock = Stopwatch::start();
        let row = Row {
            criterion: Criterion::stated("a and b"),
            ..ROW
        };
        let none = Claim::new("p", &row, Measured::new("r", "s", Ours::value(1.0), &clock));
        assert!(!none.holds);
        let yes = Ours::value(1.0).verdict(true);
        assert!(Claim::new("p", &row, Measured::new("r", "s", yes, &clock)).holds);
        assert_eq!(row.criterion.describe(), "a and b");
        assert!(!Criterion::AtLeast(0.95).holds(f64::NAN));
        assert!(Criterion::AtMost(1.0).holds(0.5));
    }
}
