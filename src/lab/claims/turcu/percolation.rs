//! `k-min`: the percolation argument for K_min ∝ ln N — the K at which the largest-SCC
//! bound reaches 0.95 and 0.99 for N = 100…800 — and the smallest K at which a network
//! trained in the authors' setting reaches maximal capacity at N = 100.
//!
//! The trained search uses the form of the authors' Regular BPTT code
//! (`BPTT/Regular/srnn_helpers.py`): their 20 recorded steps (x₀ = 0, then 19 updates, 10
//! with the pattern), the hinge summed over every step, the accuracy at the last step with
//! their percentile threshold; and it is run on several seeds (median, range), because at
//! K = 3 the accuracy depends strongly on the draw (the read neurons' inputs): their
//! seed-0 network ends at 74.7 % after 400 epochs, their seeds 1–9 at up to 93 %
//! (docs/results.md#turcu-k3-side-by-side-2026-12-03).

use super::super::chart::{chart, series};
use super::super::claim::{Measured, Ours};
use super::trained::{seeds, train};
use crate::error::Result;
use crate::lab::clock::Stopwatch;
use crate::lab::decision::{readouts, Threshold};
use crate::lab::presets::Turcu;
use crate::lab::sweep::percolation_bound;

/// Smallest mean in-degree K (step 0.1) at which the mean percolation bound over `graphs`
/// Erdős–Rényi masks of N neurons reaches `level`.
fn k_at(n: usize, level: f64, graphs: u64) -> Result<f64> {
    let mut k = 2.0;
    while k < 12.0 {
        if percolation_bound(n, k / n as f64, graphs, 1)? >= level {
            return Ok(k);
        }
        k += 0.1;
    }
    Ok(f64::NAN)
}

/// Trained accuracy that counts as maximal capacity (the `capacity` claim's level).
const TRAINED_LEVEL: f64 = 0.95;

/// Mean in-degrees K tried, ascending, by the trained search.
const TRAINED_KS: [usize; 7] = [2, 3, 4, 5, 6, 7, 8];

/// The authors' Regular form at N neurons, mean in-degree `k`, α = 0.5: 20 recorded steps
/// (19 updates after x₀ = 0: 1.9 τ), the hinge on every step.
fn authors_regular(n: usize, k: usize, seed: u64) -> Turcu {
    let density = k as f64 / n as f64;
    Turcu {
        n,
        density,
        n_patterns: (0.5 * density * (n * n) as f64).round() as usize,
        total_tau: 1.9,
        score_stimulus: true,
        seed,
        ..Turcu::authors()
    }
}

/// Smallest K of [`TRAINED_KS`] at which [`authors_regular`] with N neurons and `seed`,
/// trained `steps` full-batch Adam steps, classifies ≥ [`TRAINED_LEVEL`] at the last step
/// with the authors' percentile threshold (NaN when none does), and the `(K, accuracy)`
/// curve up to it.
fn trained_k_min(n: usize, steps: usize, seed: u64) -> Result<(f64, Vec<(f64, f64)>)> {
    let mut curve = Vec::new();
    for k in TRAINED_KS {
        let trained = train(&authors_regular(n, k, seed), steps, steps, false)?;
        let decisions = readouts(trained.network(), trained.session.trainer.task.as_ref())?;
        let accuracy =
            decisions.accuracy_at(decisions.n_steps().saturating_sub(1), Threshold::Percentile);
        curve.push((k as f64, accuracy));
        if accuracy >= TRAINED_LEVEL {
            return Ok((k as f64, curve));
        }
    }
    Ok((f64::NAN, curve))
}

/// The `k-min` group.
pub(super) fn k_min(quick: bool) -> Result<Vec<Measured>> {
    let clock = Stopwatch::start();
    let graphs = if quick { 30 } else { 100 };
    let ns = [100usize, 200, 400, 800];
    let mut k95 = Vec::new();
    let mut k99 = Vec::new();
    for &n in &ns {
        k95.push(k_at(n, 0.95, graphs)?);
        k99.push(k_at(n, 0.99, graphs)?);
    }
    let ln = |n: usize| crate::math::ln(n as f64);
    let k_chart = chart(
        "smallest K for the percolation bound, vs ln N",
        "ln N",
        "mean in-degree K",
        vec![
            series(
                "A ≥ 0.95 (ours)",
                ns.iter().zip(&k95).map(|(n, k)| (ln(*n), *k)).collect(),
            ),
            series(
                "A ≥ 0.99 (ours)",
                ns.iter().zip(&k99).map(|(n, k)| (ln(*n), *k)).collect(),
            ),
            series(
                "A ≥ 0.95 (authors)",
                vec![(ln(100), 4.1), (ln(200), 4.2), (ln(400), 4.4)],
            ),
            series("A ≥ 0.99 (authors)", vec![(ln(200), 5.6), (ln(400), 6.0)]),
            series("K = ln N", ns.iter().map(|n| (ln(*n), ln(*n))).collect()),
        ],
    );
    let setting = format!(
        "Erdős–Rényi masks (⌊fN²⌋ entries, K = fN in steps of 0.1), A = 1 − k(3N² − 3Nk + k²)/(2N³) \
         with k = N − |largest SCC|, mean over {graphs} masks per point (authors: 1000)"
    );
    let steps = if quick { 200 } else { 400 };
    let seeds = seeds(quick);
    let mut ks = Vec::new();
    let mut curves = Vec::new();
    for &seed in &seeds {
        let (k, curve) = trained_k_min(100, steps, seed)?;
        ks.push((seed, k));
        curves.push(series(&format!("seed {seed}"), curve));
    }
    let trained_setting = format!(
        "the authors' Regular form: {}, K ∈ {TRAINED_KS:?} ascending at α = 0.5 (P = 0.5 K N), \
         {steps} Adam steps, seeds {seeds:?}; maximal capacity = accuracy ≥ {TRAINED_LEVEL} at \
         the last of the 20 recorded steps with the authors' percentile threshold",
        authors_regular(100, 3, 1).describe()
    );
    let curve_chart = chart(
        "trained accuracy vs K at α = 0.5, N = 100 (each seed's search stops at the first K reaching the level)",
        "mean in-degree K",
        "accuracy at step 19 (percentile threshold)",
        curves,
    );
    Ok(vec![
        Measured::new("bound95-n100", &setting, Ours::value(k95[0]), &clock).chart(k_chart),
        Measured::new("bound95-n200", &setting, Ours::value(k95[1]), &clock),
        Measured::new("bound95-n400", &setting, Ours::value(k95[2]), &clock),
        Measured::new("bound99-n200", &setting, Ours::value(k99[1]), &clock),
        Measured::new("bound99-n400", &setting, Ours::value(k99[2]), &clock),
        Measured::new(
            "trained-n100",
            trained_setting,
            Ours::over_seeds(ks),
            &clock,
        )
        .chart(curve_chart),
    ])
}
