//! The claims table for the page ([`crate::lab::claims`]): list a paper's claim groups,
//! then run one group per call, so a Web Worker can fill the table as claims finish.
//!
//! ```js
//! const papers = claimPapers();            // [{id, title, groups: [...]}]
//! const groups = claimIds("turcu");        // ["capacity", "capacity-sgd", ...]
//! for (const g of groups) {
//!   const claims = runClaim("turcu", g, true); // [{paper, group, id, claim,
//!   // setting, paper_value, authors_code?, ours (median), ours_range?, seeds?, ours_values?,
//!   // ours_text?, criterion, tolerance, holds, seconds, chart?}]
//!   for (const c of claims) if (c.chart) drawChart(canvasId, c.chart);
//! }
//! ```

use super::json::to_js;
use crate::lab::claims::{claim_ids, run_claim, PAPERS};
use crate::lab::clock::set_clock;
use serde_json::json;
use wasm_bindgen::prelude::*;

/// Every paper with claims: `[{id, title, groups: [...]}]`.
#[wasm_bindgen(js_name = claimPapers)]
pub fn claim_papers() -> Result<JsValue, JsError> {
    let papers: Vec<_> = PAPERS
        .iter()
        .map(|p| json!({"id": p.id, "title": p.title, "groups": p.group_ids()}))
        .collect();
    Ok(to_js(&papers)?)
}

/// The claim groups of `paper` as an array of strings (`"all"`: `"paper/group"` ids
/// of every paper). Errors name the unknown paper and list the known ones.
#[wasm_bindgen(js_name = claimIds)]
pub fn claim_ids_js(paper: &str) -> Result<JsValue, JsError> {
    Ok(to_js(&claim_ids(paper)?)?)
}

/// Run one claim group (`group` may also be `"paper/group"` when `paper` is `"all"`) and
/// return its claims as an array of plain objects, charts included. `quick` selects the short variants.
#[wasm_bindgen(js_name = runClaim)]
pub fn run_claim_js(paper: &str, group: &str, quick: bool) -> Result<JsValue, JsError> {
    let (paper, group) = match (paper, group.split_once('/')) {
        ("all", Some((p, g))) => (p, g),
        _ => (paper, group),
    };
    set_clock(super::bench::now_ms);
    let mut claims = Vec::new();
    run_claim(paper, group, quick, &mut |claim| claims.push(claim))?;
    Ok(to_js(&claims)?)
}
