//! The claims table: each paper's headline results, re-run with the paper's own settings
//! and reported beside the paper's number.
//!
//! ## Interface of a paper module (keep it tiny and stable)
//!
//! ```text
//! /// Run the claims of one group of this paper (`quick`: the short variants, seconds
//! /// each) and hand each finished claim to `report` as soon as it is decided.
//! pub fn run_group(group: &str, quick: bool, report: &mut dyn FnMut(Claim)) -> Result<()>;
//! ```
//!
//! A paper is registered in [`PAPERS`] by id. Papers whose claims can run one group at a
//! time (so the page's worker can fill its table progressively) also list their group ids
//! and a `run_group(group, quick, report)`; a paper with only `run` is one group, `"all"`.
//!
//! ## The record
//!
//! A [`Claim`] is one JSON line: `{"paper", "group", "claim", "setting", "paper_value",
//! "ours", "criterion", "tolerance", "holds", "seconds", "chart"?}`. The [`Criterion`] is
//! written next to the claim in the paper module, before the run; [`Claim::new`] decides
//! `holds` from it and nothing else, so a claim that does not hold is reported as such.

pub mod common;
pub mod jarne_laje;
pub mod khona;
pub mod rules;
pub mod turcu;
mod turcu_extra;
mod turcu_kmin;
mod turcu_setup;
pub mod yang;

use crate::error::{Error, Result};
use crate::plot::Chart;
use serde::{Deserialize, Serialize};
use std::sync::Mutex;

/// The clock of [`Stopwatch`], in ms: `None` = the native monotonic clock (wasm32 has
/// none; the binding installs `performance.now` with [`set_clock`]).
static CLOCK: Mutex<Option<fn() -> f64>> = Mutex::new(None);

/// Install the millisecond clock claims are timed with (the wasm binding's
/// `performance.now`).
pub fn set_clock(clock: fn() -> f64) {
    if let Ok(mut slot) = CLOCK.lock() {
        *slot = Some(clock);
    }
}

fn now_ms() -> f64 {
    if let Some(clock) = CLOCK.lock().ok().and_then(|c| *c) {
        return clock();
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
        START
            .get_or_init(std::time::Instant::now)
            .elapsed()
            .as_secs_f64()
            * 1e3
    }
    #[cfg(target_arch = "wasm32")]
    {
        0.0
    }
}

/// Wall time since a claim's experiment started.
#[derive(Debug, Clone, Copy)]
pub struct Stopwatch(f64);

impl Stopwatch {
    /// Start now.
    pub fn start() -> Self {
        Stopwatch(now_ms())
    }

    /// Seconds since [`Stopwatch::start`].
    pub fn seconds(&self) -> f64 {
        (now_ms() - self.0) / 1e3
    }
}

/// How `ours` is compared with the paper, fixed before the run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Criterion {
    /// ours ≥ the value.
    AtLeast(f64),
    /// ours ≤ the value.
    AtMost(f64),
    /// |ours − target| ≤ tolerance.
    Within {
        /// The paper's number.
        target: f64,
        /// Allowed absolute deviation.
        tolerance: f64,
    },
    /// A compound test over several numbers, written in the paper module next to the claim
    /// before the run (the multitask claims); `holds` is that test's verdict.
    Stated,
}

impl Criterion {
    /// Whether `value` satisfies the criterion (never for a non-finite value).
    pub fn holds(&self, value: f64) -> bool {
        value.is_finite()
            && match *self {
                Criterion::AtLeast(min) => value >= min,
                Criterion::AtMost(max) => value <= max,
                Criterion::Within { target, tolerance } => (value - target).abs() <= tolerance,
                Criterion::Stated => false,
            }
    }

    /// Human form, e.g. `">= 0.95"` or `"0.22 ± 0.3"`.
    pub fn describe(&self) -> String {
        match *self {
            Criterion::AtLeast(min) => format!(">= {min}"),
            Criterion::AtMost(max) => format!("<= {max}"),
            Criterion::Within { target, tolerance } => format!("{target} ± {tolerance}"),
            Criterion::Stated => "compound test stated in the claim's module".into(),
        }
    }
}

/// One reproduced claim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    /// Paper id (`turcu`, `jarne-laje`, `rules`, ...).
    pub paper: String,
    /// Group id inside the paper (what `runClaim` takes).
    pub group: String,
    /// The claim, in words.
    pub claim: String,
    /// The settings used (the paper's, and any deviation).
    pub setting: String,
    /// The paper's number with its source label ([paper], [code], [fig], [inf]).
    pub paper_value: String,
    /// Our measured number.
    pub ours: f64,
    /// What `ours` is, in words, with every number a compound test looked at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ours_text: Option<String>,
    /// The comparison decided before the run.
    pub criterion: Criterion,
    /// `criterion` in words.
    pub tolerance: String,
    /// Whether `ours` satisfies `criterion`.
    pub holds: bool,
    /// Wall time of the claim's experiment, s (shared experiments: the time up to it).
    pub seconds: f64,
    /// The figure, if the claim has one (drawn by the page's `drawChart`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chart: Option<Chart>,
}

impl Claim {
    /// A claim whose `holds` is decided from `criterion` and `ours`.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        paper: &str,
        group: &str,
        claim: &str,
        setting: &str,
        paper_value: &str,
        ours: f64,
        criterion: Criterion,
        started: Stopwatch,
    ) -> Self {
        Claim {
            paper: paper.into(),
            group: group.into(),
            claim: claim.into(),
            setting: setting.into(),
            paper_value: paper_value.into(),
            ours,
            ours_text: None,
            criterion,
            tolerance: criterion.describe(),
            holds: criterion.holds(ours),
            seconds: started.seconds(),
            chart: None,
        }
    }

    /// The same claim with a figure (non-finite points dropped: JSON has no NaN, and the
    /// page hands the chart back to `drawChart`).
    pub fn with_chart(mut self, mut chart: Chart) -> Self {
        for series in &mut chart.series {
            series
                .points
                .retain(|(x, y)| x.is_finite() && y.is_finite());
        }
        self.chart = Some(chart);
        self
    }
}

/// `run_group(group, quick, report)` of a paper.
pub type GroupRunner = fn(&str, bool, &mut dyn FnMut(Claim)) -> Result<()>;

/// A registered paper.
#[derive(Debug)]
pub struct Paper {
    /// Id used by the CLI and the page.
    pub id: &'static str,
    /// Citation.
    pub title: &'static str,
    /// Claim groups, in run order.
    pub groups: &'static [&'static str],
    /// Runs one group.
    pub run_group: GroupRunner,
}

/// Every paper with claims.
pub const PAPERS: &[Paper] = &[
    Paper {
        id: "turcu",
        title: "Turcu & Abbott 2022, PLoS Comput Biol 18: e1010759",
        groups: turcu::GROUPS,
        run_group: turcu::run_group,
    },
    Paper {
        id: "jarne-laje",
        title: "Jarne & Laje 2023, J Comput Neurosci 51: 407 (arXiv 1906.01094)",
        groups: jarne_laje::GROUPS,
        run_group: jarne_laje::run_group,
    },
    Paper {
        id: "khona",
        title: "Khona, Chandra, Ma & Fiete 2023, Neural Comput 35(11) (arXiv 2207.03523)",
        groups: &["all"],
        run_group: khona_group,
    },
    Paper {
        id: "yang",
        title: "Yang et al. 2019, Nat Neurosci 22: 297",
        groups: &["all"],
        run_group: yang_group,
    },
    Paper {
        id: "rules",
        title: "Rosenbaum 2022, PLoS ONE 17: e0266102 (predictive coding vs backprop); FA, DFA",
        groups: rules::GROUPS,
        run_group: rules::run_group,
    },
];

/// The Khona et al. claims, one group (their plan is one shared experiment).
fn khona_group(group: &str, quick: bool, report: &mut dyn FnMut(Claim)) -> Result<()> {
    khona::run(quick, &mut |finding| report(finding.into_claim(group)))
}

/// The Yang et al. claims, one group.
fn yang_group(group: &str, quick: bool, report: &mut dyn FnMut(Claim)) -> Result<()> {
    yang::run(quick, &mut |finding| report(finding.into_claim(group)))
}

/// The paper registered as `id`.
pub fn paper(id: &str) -> Result<&'static Paper> {
    PAPERS
        .iter()
        .find(|p| p.id == id)
        .ok_or_else(|| Error::UnknownName {
            field: "paper",
            value: id.into(),
            allowed: paper_ids().join(", "),
        })
}

/// Ids of every registered paper.
pub fn paper_ids() -> Vec<&'static str> {
    PAPERS.iter().map(|p| p.id).collect()
}

/// The groups of `paper` (`"all"` is every paper's groups, as `"paper/group"`).
pub fn claim_ids(paper_id: &str) -> Result<Vec<String>> {
    if paper_id == "all" {
        return Ok(PAPERS
            .iter()
            .flat_map(|p| p.groups.iter().map(move |g| format!("{}/{g}", p.id)))
            .collect());
    }
    Ok(paper(paper_id)?
        .groups
        .iter()
        .map(|g| g.to_string())
        .collect())
}

/// The error for a group id that is not one of `groups`.
pub fn unknown_group(group: &str, groups: &[&str]) -> Error {
    Error::UnknownName {
        field: "claim",
        value: group.into(),
        allowed: groups.join(", "),
    }
}

/// Run one group of one paper, reporting each claim as it finishes.
pub fn run_claim(
    paper_id: &str,
    group: &str,
    quick: bool,
    report: &mut dyn FnMut(Claim),
) -> Result<()> {
    let paper = paper(paper_id)?;
    if !paper.groups.contains(&group) {
        return Err(unknown_group(group, paper.groups));
    }
    (paper.run_group)(group, quick, report)
}

/// Run every group of `paper_id` (or of every paper for `"all"`), reporting each claim.
pub fn run_paper(paper_id: &str, quick: bool, report: &mut dyn FnMut(Claim)) -> Result<()> {
    let papers: Vec<&Paper> = if paper_id == "all" {
        PAPERS.iter().collect()
    } else {
        vec![paper(paper_id)?]
    };
    for paper in papers {
        for group in paper.groups {
            (paper.run_group)(group, quick, report)?;
        }
    }
    Ok(())
}

/// Every claim of `paper_id` (see [`run_paper`]), collected.
pub fn claims(paper_id: &str, quick: bool) -> Result<Vec<Claim>> {
    let mut all = Vec::new();
    run_paper(paper_id, quick, &mut |claim| all.push(claim))?;
    Ok(all)
}

/// `srnn reproduce <paper|paper/group|all> [--quick] [--charts]`: print one JSON line per claim (without its
/// chart unless `--charts`), then `reproduce: N of M claims hold`. Returns the summary.
pub fn cli_main(args: &[String]) -> std::result::Result<String, String> {
    let paper_id = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .ok_or_else(|| format!("reproduce: name a paper: {} or all", paper_ids().join(", ")))?;
    let quick = args.iter().any(|a| a == "--quick");
    let charts = args.iter().any(|a| a == "--charts");
    for arg in args.iter().filter(|a| a.starts_with("--")) {
        if arg != "--quick" && arg != "--charts" {
            return Err(format!(
                "reproduce: unknown option {arg} (options: --quick, --charts)"
            ));
        }
    }
    let (mut held, mut total) = (0, 0);
    let mut print = |mut claim: Claim| {
        total += 1;
        held += claim.holds as usize;
        if !charts {
            claim.chart = None;
        }
        println!("{}", serde_json::to_string(&claim).unwrap_or_default());
    };
    match paper_id.split_once('/') {
        Some((paper_id, group)) => run_claim(paper_id, group, quick, &mut print),
        None => run_paper(paper_id, quick, &mut print),
    }
    .map_err(|e| e.to_string())?;
    let summary = format!("reproduce: {held} of {total} claims hold");
    println!("{summary}");
    Ok(summary)
}

/// Helpers shared by the paper modules.
pub(crate) mod util {
    use crate::plot::{Chart, Series};

    /// A line series with markers.
    pub fn series(label: &str, points: Vec<(f64, f64)>) -> Series {
        Series {
            label: label.into(),
            points,
            markers: true,
            line: true,
        }
    }

    /// A chart.
    pub fn chart(title: &str, x: &str, y: &str, series: Vec<Series>) -> Chart {
        Chart {
            title: title.into(),
            x_label: x.into(),
            y_label: y.into(),
            y_range: None,
            series,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn criteria_decide_holds_and_unknown_names_are_errors() {
        assert!(Criterion::AtLeast(0.95).holds(0.96));
        assert!(!Criterion::AtLeast(0.95).holds(f64::NAN));
        assert!(Criterion::AtMost(1.0).holds(0.5));
        let within = Criterion::Within {
            target: 4.1,
            tolerance: 0.3,
        };
        assert!(within.holds(4.3) && !within.holds(4.5));
        assert!(paper("nope").unwrap_err().to_string().contains("turcu"));
        let e = run_claim("turcu", "nope", true, &mut |_| {}).unwrap_err();
        assert!(e.to_string().contains("capacity"), "{e}");
        assert!(claim_ids("all")
            .unwrap()
            .contains(&"rules/pc-vs-bptt".to_string()));
    }
}
