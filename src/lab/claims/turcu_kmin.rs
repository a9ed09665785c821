//! The trained half of the Turcu & Abbott `k-min` group: the smallest mean in-degree K at
//! which a network trained in the authors' setting reaches maximal capacity, beside ln N
//! and the K at which the percolation bound reaches 0.95.

use super::turcu::{adam_steps, train, Setup, PAPER};
use super::util::{chart, series};
use super::{Claim, Criterion, Stopwatch};
use crate::error::Result;

/// Trained accuracy that counts as maximal capacity in the trained `k-min` claims (the
/// `capacity` claim's level at α = 0.5).
const TRAINED_LEVEL: f64 = 0.95;

/// Mean in-degrees K tried, ascending, by the trained `k-min` search.
const TRAINED_KS: [usize; 7] = [2, 3, 4, 5, 6, 7, 8];

/// Smallest K of [`TRAINED_KS`] at which the authors' setting with N neurons and load
/// α = 0.5 (P = 0.5 K N), trained for `steps` full-batch Adam steps, classifies at least
/// [`TRAINED_LEVEL`] of the patterns (NaN when none does), and the `(K, accuracy)` curve
/// up to that K (the search stops at the first K that reaches the level).
fn trained_k_min(n: usize, steps: usize) -> Result<(f64, Vec<(f64, f64)>)> {
    let mut curve = Vec::new();
    for k in TRAINED_KS {
        let density = k as f64 / n as f64;
        let setup = Setup {
            n,
            density,
            n_patterns: (0.5 * density * (n * n) as f64).round() as usize,
            ..Setup::authors()
        };
        let accuracy = train(&setup, steps, steps)?.accuracy();
        curve.push((k as f64, accuracy));
        if accuracy >= TRAINED_LEVEL {
            return Ok((k as f64, curve));
        }
    }
    Ok((f64::NAN, curve))
}

/// The trained `k-min` claims: smallest trained K at maximal capacity for N = 100 (and
/// 200 unless `quick`), beside ln N and the percolation K (`k95`, one per N of 100, 200, …).
pub(crate) fn trained_claims(
    quick: bool,
    k95: &[f64],
    started: Stopwatch,
    report: &mut dyn FnMut(Claim),
) -> Result<()> {
    let ln = |n: usize| (n as f64).ln();
    let (ns, steps): (&[usize], usize) = if quick {
        (&[100], 200)
    } else {
        (&[100, 200], adam_steps(false))
    };
    let mut mins = Vec::new();
    let mut curves = Vec::new();
    for &n in ns {
        let (k, curve) = trained_k_min(n, steps)?;
        mins.push(k);
        curves.push(series(&format!("accuracy, N = {n}"), curve));
    }
    let mut min_chart = chart(
        "smallest K at maximal capacity: trained vs percolation bound, vs ln N",
        "ln N",
        "mean in-degree K",
        vec![
            series(
                &format!("trained: accuracy ≥ {TRAINED_LEVEL} at α = 0.5"),
                ns.iter().zip(&mins).map(|(n, k)| (ln(*n), *k)).collect(),
            ),
            series(
                "percolation bound A ≥ 0.95",
                ns.iter().zip(k95).map(|(n, k)| (ln(*n), *k)).collect(),
            ),
            series("K = ln N", ns.iter().map(|n| (ln(*n), ln(*n))).collect()),
        ],
    );
    min_chart.y_range = Some((0.0, 10.0));
    let curve_chart = chart(
        "trained accuracy vs K at α = 0.5 (search stops at the first K reaching the level)",
        "mean in-degree K",
        "accuracy (every pattern)",
        curves,
    );
    let setting = format!(
        "authors' setting as `capacity` (voltage form, random density f = K/N, hinge, full batch, \
         Adam lr 0.15, {steps} steps, seed 1) at α = 0.5 (P = 0.5 K N), K ∈ {TRAINED_KS:?} ascending; \
         maximal capacity = accuracy ≥ {TRAINED_LEVEL}; compared with K at percolation bound A ≥ 0.95"
    );
    for (i, (&n, paper)) in ns.iter().zip([4.1, 4.2]).enumerate() {
        let claim = Claim::new(
            PAPER,
            "k-min",
            &format!(
                "trained: smallest K reaching maximal capacity for N = {n} is within 1 of the \
                 percolation bound's K = {paper} (ln N = {:.1})",
                ln(n)
            ),
            &setting,
            &format!("K_min ∝ ln N [paper]; bound K = {paper} [code: DGEmpiricalResults.pkl]"),
            mins[i],
            Criterion::Within {
                target: paper,
                tolerance: 1.0,
            },
            started,
        );
        // One chart per claim: the K_min chart on the first, the accuracy curves on the second.
        report(match i {
            0 => claim.with_chart(min_chart.clone()),
            1 => claim.with_chart(curve_chart.clone()),
            _ => claim,
        });
    }
    Ok(())
}
