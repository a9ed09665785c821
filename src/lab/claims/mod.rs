//! The claims table: each paper's headline results re-run with the paper's own settings,
//! measured the way the authors measured them, and reported beside the paper's number
//! (`srnn reproduce`, the page's claims table, the Python `reproduce`).
//!
//! ## Shape
//!
//! - One record, [`Claim`], made by one constructor, [`Claim::new`], from a [`Row`] and a
//!   [`Measured`] ([`claim`]).
//! - Each paper is one [`Paper`]: a table of [`Row`]s written before anything runs (the
//!   claim, the paper's number with its source, the authors'-code spread where we ran their
//!   code, the [`Criterion`]), and its [`Group`]s: the experiments. A group's function
//!   trains through [`crate::lab::session::Session`] on run descriptions — the path the
//!   page and `srnn train` use — and returns one [`Measured`] per row of the group
//!   (statistical claims: one value per seed, reported as the median and the range).
//! - One clock: [`crate::lab::clock::Stopwatch`].
//!
//! ## Adding a claim
//!
//! A row in the paper's `ROWS` and, in the group's function, one `Measured` for it:
//!
//! ```text
//! Row { group: "capacity", id: "persists-3tau",
//!       claim: "the decision outlasts the input: accuracy at 3 τ",
//!       paper_value: "≈ 90 % at 3 τ [fig]",
//!       authors_code: Some("0.824 / 0.848 / 0.824 on seeds 0/1/2 (percentile threshold)"),
//!       criterion: Criterion::Within { target: 0.83, tolerance: 0.07 } },
//! // in `fn capacity(quick: bool) -> Result<Vec<Measured>>`:
//! Measured::new("persists-3tau", setting, Ours::over_seeds(per_seed), &clock)
//! ```
//!
//! A new experiment is a new [`Group`] (an id and a `fn(quick) -> Result<Vec<Measured>>`)
//! in the paper's `GROUPS`; a new paper is a module with `ROWS`, `GROUPS` and an entry in
//! [`PAPERS`]. `tests/claims.rs` checks that every row belongs to a group and every group
//! measures exactly its rows.

mod chart;
pub mod claim;
pub mod common;
pub mod jarne_laje;
pub mod khona;
pub mod reservoir;
pub mod rules;
pub mod spiking;
pub mod table;
pub mod turcu;
pub mod yang;

pub use claim::{Claim, Criterion, Measured, Ours, Row};
pub use table::{Group, GroupFn, Paper};

use crate::error::{Error, Result};

/// Every paper with claims.
pub const PAPERS: &[Paper] = &[
    Paper {
        id: "turcu",
        title: "Turcu & Abbott 2022, PLoS Comput Biol 18: e1010759",
        rows: turcu::ROWS,
        groups: turcu::GROUPS,
    },
    Paper {
        id: "jarne-laje",
        title: "Jarne & Laje 2023, J Comput Neurosci 51: 407 (arXiv 1906.01094)",
        rows: jarne_laje::ROWS,
        groups: jarne_laje::GROUPS,
    },
    Paper {
        id: "khona",
        title: "Khona, Chandra, Ma & Fiete 2023, Neural Comput 35(11) (arXiv 2207.03523)",
        rows: khona::ROWS,
        groups: khona::GROUPS,
    },
    Paper {
        id: "yang",
        title: "Yang et al. 2019, Nat Neurosci 22: 297",
        rows: yang::ROWS,
        groups: yang::GROUPS,
    },
    Paper {
        id: "rules",
        title: "Rosenbaum 2022, PLoS ONE 17: e0266102 (predictive coding vs backprop); FA, DFA",
        rows: rules::ROWS,
        groups: rules::GROUPS,
    },
    Paper {
        id: "reservoir",
        title: "Reservoirs: Jaeger 2001 (GMD Report 152), Rodan & Tiňo 2011 (IEEE TNN 22: 131), \
                NARMA-10 (Atiya & Parlos 2000), vs Turcu & Abbott 2022 (PLoS CB e1010759); \
                reservoirpy 0.4.2 run side by side",
        rows: reservoir::ROWS,
        groups: reservoir::GROUPS,
    },
    Paper {
        id: "spiking",
        title: "Spiking networks: SpyTorch tutorial 1 (Zenke & Vogels 2021, Neural Comput 33: \
                899); e-prop (Bellec et al. 2020, Nat Commun 11: 3625)",
        rows: spiking::ROWS,
        groups: spiking::GROUPS,
    },
];

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

/// The row `"paper/row"` of the claims table (e.g. `"turcu/alpha-half"`, what a preset's
/// `headline` names), or an error naming the paper's rows.
pub fn row(key: &str) -> Result<&'static Row> {
    let (paper_id, row_id) = key.split_once('/').ok_or_else(|| Error::UnknownName {
        field: "claim row",
        value: key.into(),
        allowed: "paper/row, e.g. turcu/alpha-half".into(),
    })?;
    let table = paper(paper_id)?;
    table
        .rows
        .iter()
        .find(|r| r.id == row_id)
        .ok_or_else(|| Error::UnknownName {
            field: "claim row",
            value: key.into(),
            allowed: table
                .rows
                .iter()
                .map(|r| r.id)
                .collect::<Vec<_>>()
                .join(", "),
        })
}

/// Ids of every registered paper.
pub fn paper_ids() -> Vec<&'static str> {
    PAPERS.iter().map(|p| p.id).collect()
}

/// The groups of `paper_id` (`"all"`: every paper's groups, as `"paper/group"`).
pub fn claim_ids(paper_id: &str) -> Result<Vec<String>> {
    if paper_id == "all" {
        return Ok(PAPERS
            .iter()
            .flat_map(|p| p.groups.iter().map(move |g| format!("{}/{}", p.id, g.id)))
            .collect());
    }
    Ok(paper(paper_id)?
        .group_ids()
        .into_iter()
        .map(String::from)
        .collect())
}

/// Run one group of one paper and report each of its claims.
pub fn run_claim(
    paper_id: &str,
    group: &str,
    quick: bool,
    report: &mut dyn FnMut(Claim),
) -> Result<()> {
    let paper = paper(paper_id)?;
    let measured = (paper.group(group)?.run)(quick)?;
    for claim in paper.claims_of(group, measured)? {
        report(claim);
    }
    Ok(())
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
            run_claim(paper.id, group.id, quick, report)?;
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
