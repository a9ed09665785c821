//! Spiking claims: SpyTorch tutorial 1's surrogate versus true gradient (Zenke & Vogels
//! 2021; the tutorial notebook's stored outputs), trained through `Session` by
//! [`crate::lab::spiking::spytorch_accuracy`]. The e-prop evidence-accumulation claim
//! (recall error < 0.07 within ≈ 200–500 iterations) has its experiment in
//! [`crate::lab::spiking::eprop_evidence`] but no row yet: one run is ≈ 10⁹ synaptic
//! updates per iteration and was not measured.

use super::{Criterion, Group, Measured, Ours, Row};
use crate::error::Result;
use crate::lab::clock::Stopwatch;
use crate::lab::spiking::spytorch_accuracy;
use crate::model::Surrogate;

/// The experiments.
pub const GROUPS: &[Group] = &[Group {
    id: "spytorch",
    run: spytorch,
}];

/// The claims table.
pub const ROWS: &[Row] = &[
    Row {
        group: "spytorch",
        id: "surrogate",
        claim: "SuperSpike surrogate (scale 100) learns the random spike patterns: training \
                accuracy after 1000 full-batch Adam steps (median over seeds)",
        paper_value: "0.859 [SpyTorchTutorial1.ipynb stored output]",
        authors_code: None,
        criterion: Criterion::AtLeast(0.75),
    },
    Row {
        group: "spytorch",
        id: "true-gradient",
        claim: "the true gradient (zero almost everywhere) leaves the hidden layer untrained: \
                training accuracy stays near chance (median over seeds)",
        paper_value: "0.512 [SpyTorchTutorial1.ipynb stored output]",
        authors_code: None,
        criterion: Criterion::AtMost(0.65),
    },
];

/// Seeds of the full run (the quick run uses the first, with 200 steps).
const SEEDS: [u64; 3] = [1, 2, 3];

fn spytorch(quick: bool) -> Result<Vec<Measured>> {
    let clock = Stopwatch::start();
    let (seeds, iterations) = if quick {
        (&SEEDS[..1], 200)
    } else {
        (&SEEDS[..], 1000)
    };
    let mut out = Vec::new();
    for (row, surrogate) in [
        ("surrogate", Surrogate::FastSigmoid),
        ("true-gradient", Surrogate::True),
    ] {
        let mut runs = Vec::new();
        for &seed in seeds {
            runs.push((seed, spytorch_accuracy(surrogate, seed, iterations)? as f64));
        }
        let setting = format!(
            "100 Poisson inputs (5 Hz) → 4 LIF (τ_mem 10, τ_syn 5 ms, reset to 0) → 2 leaky \
             outputs, max over time + cross-entropy, Adam 2e-3, 256 samples full batch, \
             {iterations} steps"
        );
        out.push(Measured::new(row, setting, Ours::over_seeds(runs), &clock));
    }
    Ok(out)
}
