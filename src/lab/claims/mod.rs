//! The claims table: each paper module runs its claims and reports one [`Claim`] per claim
//! (`srnn reproduce <paper> [--quick]`).
//!
//! TEMPORARY: this file carries a local [`Claim`] so `khona` and `yang` build on the
//! `multitask` branch; the claims-table branch defines the same record (same field
//! names) and the coordinator keeps that one on merge.

pub mod common;
pub mod khona;
pub mod yang;

use crate::plot::Chart;
use serde::{Deserialize, Serialize};

/// One row of the claims table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    /// Paper, e.g. "Khona et al. 2023".
    pub paper: String,
    /// The claim in words.
    pub claim: String,
    /// What was run (network, task, steps, seeds, quick or full).
    pub setting: String,
    /// The paper's number or statement, with its source.
    pub paper_value: String,
    /// Our measured value.
    pub ours: String,
    /// Whether ours supports the claim by the stated test.
    pub holds: bool,
    /// Wall time of this claim, seconds.
    pub seconds: f64,
    /// A chart of the result, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chart: Option<Chart>,
}
