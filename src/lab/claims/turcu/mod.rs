//! Turcu & Abbott 2022 claims in the authors' settings (DenisTurcu/SparseRNN, SpeedUp and
//! Regular scripts and the Hebbian MATLAB; numbers in `shared/research/paper-figures.md`
//! §1), each trained through a [`crate::lab::session::Session`] on the run description of
//! [`crate::lab::presets::Turcu`] — the `turcu` preset with its parameters.
//!
//! Measured the way the authors measured: statistical claims train several seeds and
//! report the median and the range beside the paper's printed number and the spread of
//! the authors' own code where we ran it (seeds 0/1/2 of their SpeedUp code). Each claim's
//! setting names its read-out ([`crate::lab::decision`]): our last-step accuracy at the
//! targets' midpoint, the SpeedUp maximum over time and epochs at θ = 0.5, or the
//! per-time-step percentile threshold of the authors' figures.
//!
//! Groups: `capacity` (Adam lr 0.15), `capacity-sgd` (the SpeedUp optimiser, and the
//! decision's persistence), `ei-split`, `alpha-sweep`, `k-min` (percolation bound and the
//! trained smallest K), `noise`, `hebbian` (OS, OS+).

mod capacity;
mod hebbian;
mod noise;
mod percolation;
mod trained;

use super::claim::{Criterion, Row};
use super::table::Group;

/// The experiments.
pub const GROUPS: &[Group] = &[
    Group {
        id: "capacity",
        run: capacity::capacity,
    },
    Group {
        id: "capacity-sgd",
        run: capacity::capacity_sgd,
    },
    Group {
        id: "ei-split",
        run: capacity::ei_split,
    },
    Group {
        id: "alpha-sweep",
        run: capacity::alpha_sweep,
    },
    Group {
        id: "k-min",
        run: percolation::k_min,
    },
    Group {
        id: "noise",
        run: noise::noise,
    },
    Group {
        id: "hebbian",
        run: hebbian::hebbian,
    },
];

/// The claims table.
pub const ROWS: &[Row] = &[
    Row {
        group: "capacity",
        id: "chance-before",
        claim: "the untrained network classifies at chance",
        paper_value: "52.8 % after epoch 1 (SpeedUp), 57.6 % at epoch 0 (Regular) [code]",
        authors_code: None,
        criterion: Criterion::Within {
            target: 0.5,
            tolerance: 0.1,
        },
    },
    Row {
        group: "capacity",
        id: "alpha-half",
        claim: "a sparse network (K = fN = 5) classifies α = 0.5 patterns per synapse (Adam)",
        paper_value: "96.0 % (max over 100 epochs, SGD lr 1) [code]",
        authors_code: None,
        criterion: Criterion::AtLeast(0.95),
    },
    Row {
        group: "capacity",
        id: "chance-10tau",
        claim: "accuracy far outside the trained window (10 τ) is back at chance",
        paper_value: "≈ 50 % from 5.5 τ on [fig]; README: accuracy decays outside the training period",
        authors_code: None,
        criterion: Criterion::Within {
            target: 0.5,
            tolerance: 0.15,
        },
    },
    Row {
        group: "capacity-sgd",
        id: "sgd-best",
        claim: "α = 0.5 with the SpeedUp optimiser (SGD lr 1 on the summed hinge): best accuracy over 100 epochs and the 20 time steps",
        paper_value: "96.0 % (one printed notebook run) [code]",
        authors_code: Some("0.896 / 0.932 / 0.912 on seeds 0/1/2 (their SpeedUp code run here)"),
        criterion: Criterion::Within {
            target: 0.91,
            tolerance: 0.04,
        },
    },
    Row {
        group: "capacity-sgd",
        id: "persists-3tau",
        claim: "the decision outlasts the input: accuracy 1 τ past the trained window (3 τ), percentile threshold",
        paper_value: "≈ 90 % at 3 τ (figure of the 96 % run) [fig]",
        authors_code: Some("0.824 / 0.848 / 0.824 on seeds 0/1/2 (their SpeedUp code, percentile threshold)"),
        criterion: Criterion::Within {
            target: 0.83,
            tolerance: 0.07,
        },
    },
    Row {
        group: "ei-split",
        id: "ei-alpha-half",
        claim: "with Dale's law (half inhibitory) α = 0.5 is classified within a few points of the unsplit network",
        paper_value: "95.2 % (Adam lr 0.15, best of 100 epochs) vs 96.0 % unsplit [code]",
        authors_code: None,
        criterion: Criterion::Within {
            target: 0.952,
            tolerance: 0.03,
        },
    },
    Row {
        group: "alpha-sweep",
        id: "k10-alpha-half",
        claim: "K = 10 classifies α = 0.5 (capacity ≈ 0.5 patterns per synapse)",
        paper_value: "capacity ≈ 0.5 patterns per synapse [paper]; 96 % at K = 5 [code]",
        authors_code: None,
        criterion: Criterion::AtLeast(0.95),
    },
    Row {
        group: "alpha-sweep",
        id: "k2-percolation",
        claim: "K = 2 is limited by percolation: accuracy at α = 0.5 minus the largest-SCC bound",
        paper_value: "mean SCC/N ≈ 0.63 at K = 2 ⇒ bound ≈ 0.63 [code]",
        authors_code: None,
        criterion: Criterion::AtMost(0.05),
    },
    Row {
        group: "k-min",
        id: "bound95-n100",
        claim: "percolation bound A ≥ 0.95 reached at K = 4.1 for N = 100",
        paper_value: "K = 4.1 [code: DGEmpiricalResults.pkl]",
        authors_code: None,
        criterion: Criterion::Within {
            target: 4.1,
            tolerance: 0.3,
        },
    },
    Row {
        group: "k-min",
        id: "bound95-n200",
        claim: "percolation bound A ≥ 0.95 reached at K = 4.2 for N = 200",
        paper_value: "K = 4.2 [code: DGEmpiricalResults.pkl]",
        authors_code: None,
        criterion: Criterion::Within {
            target: 4.2,
            tolerance: 0.3,
        },
    },
    Row {
        group: "k-min",
        id: "bound95-n400",
        claim: "percolation bound A ≥ 0.95 reached at K = 4.4 for N = 400",
        paper_value: "K = 4.4 [code: DGEmpiricalResults.pkl]",
        authors_code: None,
        criterion: Criterion::Within {
            target: 4.4,
            tolerance: 0.3,
        },
    },
    Row {
        group: "k-min",
        id: "bound99-n200",
        claim: "A ≥ 0.99 needs K ≈ ln N: K = 5.6 for N = 200 (ln N = 5.3)",
        paper_value: "K = 5.6 [code]; ∝ ln N [paper]",
        authors_code: None,
        criterion: Criterion::Within {
            target: 5.6,
            tolerance: 0.4,
        },
    },
    Row {
        group: "k-min",
        id: "bound99-n400",
        claim: "A ≥ 0.99 needs K ≈ ln N: K = 6.0 for N = 400 (ln N = 6.0)",
        paper_value: "K = 6.0 [code]; ∝ ln N [paper]",
        authors_code: None,
        criterion: Criterion::Within {
            target: 6.0,
            tolerance: 0.4,
        },
    },
    Row {
        group: "k-min",
        id: "trained-n100",
        claim: "trained in the authors' Regular form (loss on every step, percentile threshold at step 19, median over seeds): the smallest K reaching maximal capacity for N = 100 is within 1 of the percolation bound's K = 4.1",
        paper_value: "K_min ∝ ln N [paper]; bound K = 4.1 [code: DGEmpiricalResults.pkl]",
        authors_code: Some(
            "their Regular code at α = 0.5, N = 100, 100 Adam epochs (lr 0.15), step 19: K = 2 66 %, K = 3 67 / 73 %, K = 4 79 / 83 %, K = 5 85 %, K = 6 89 % (seeds 0 / 1) — no K ≤ 6 reaches 95 % in their example's 100 epochs; K = 3 after 400 epochs: 74.7 % (seed 0), and their form from their constructor's seeds 0–9 (our trainer, equal to theirs epoch by epoch): 74.7–93.3 %; their percolation study trained 1500 epochs and its trained results are not published",
        ),
        criterion: Criterion::Within {
            target: 4.1,
            tolerance: 1.0,
        },
    },
    Row {
        group: "noise",
        id: "noise-relative",
        claim: "classification is robust to noise: accuracy under pattern noise σ_p = 0.2 and state noise σ_n = 0.1, relative to the noiseless network",
        paper_value: "robust to noise [paper abstract]; σ_p on patterns, σ_n on the state [code]; no swept values published [not found]",
        authors_code: Some(
            "median 0.750 [0.725, 0.751] over seeds 0–2: their Regular code (N = 100, f = 0.05, α = 0.5, 100 Adam epochs) under their `SRNN.test` at σ_p 0.2, σ_n 0.1, step 19 (61.5/84.8, 61.2/81.6, 60.7/80.8 %)",
        ),
        // Tolerance: our own seed-to-seed range (0.60–0.71 over 8 seeds), wider than the
        // authors' three seeds (0.725–0.751).
        criterion: Criterion::Within {
            target: 0.75,
            tolerance: 0.1,
        },
    },
    Row {
        group: "hebbian",
        id: "os-95",
        claim: "one-shot Hebbian (OS): largest α classified at ≥ 95 %",
        paper_value: "α ≈ 0.003 (N = 1000–2000) [code: 220120_results.mat]",
        authors_code: None,
        criterion: Criterion::Within {
            target: 0.003,
            tolerance: 0.002,
        },
    },
    Row {
        group: "hebbian",
        id: "os-plus-99",
        claim: "error-gated Hebbian (OS+): largest α classified at ≥ 99 %",
        paper_value: "α ≈ 0.011–0.017 (N = 250–1000) [code: 220121_results_OSplus.mat]",
        authors_code: Some(
            "their committed OSplus_SRNN.m (fixed θ, best epoch) in Octave, N 500: α 0.010, \
             seeds 1–3: 90.4 / 100 / 78.8 % (≥ 99 % on 1 of 3; α 0.005: 100 / 100 %); \
             α 0.0143, seeds 1–2: 91.0 / 81.5 %; with their commented-out per-epoch \
             percentile θ: 100 / 100 % (docs/results.md#turcu-rules-full-2026-12-04)",
        ),
        criterion: Criterion::Within {
            target: 0.015,
            tolerance: 0.006,
        },
    },
];
