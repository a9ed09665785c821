//! Spiking claims: SpyTorch tutorial 1's surrogate versus true gradient (Zenke & Vogels
//! 2021; the tutorial notebook's stored outputs), trained through `Session` by
//! [`crate::lab::spiking::spytorch_accuracy`]; e-prop on Bellec et al. 2020's evidence
//! accumulation (the paper's network, e-prop with random feedback and BPTT, stopped at a
//! recall error below 0.07 as the authors' tutorial does) by
//! [`crate::lab::spiking::eprop_evidence`], and the angle between e-prop's update and the
//! BPTT gradient by [`crate::lab::spiking::eprop_bptt_angle`].

use super::{Criterion, Group, Measured, Ours, Row};
use crate::error::Result;
use crate::lab::clock::Stopwatch;
use crate::lab::spiking::{eprop_bptt_angle, eprop_evidence, spytorch_accuracy, EvidenceSchedule};
use crate::model::Surrogate;
use serde_json::json;

/// The experiments.
pub const GROUPS: &[Group] = &[
    Group {
        id: "spytorch",
        run: spytorch,
    },
    Group {
        id: "eprop-angle",
        run: eprop_angle,
    },
    Group {
        id: "evidence",
        run: evidence,
    },
];

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
    Row {
        group: "eprop-angle",
        id: "symmetric",
        claim: "e-prop's update (symmetric feedback) points along the BPTT surrogate gradient: \
                angle in degrees on the recurrent and input weights, one batch of the \
                evidence-accumulation network at initialisation (median over seeds)",
        paper_value: "e-prop approximates the BPTT gradient, dropping the paths through \
                      W_rec (Bellec et al. 2020, Eq. 1–3; no angle stated)",
        authors_code: None,
        criterion: Criterion::AtMost(90.0),
    },
    Row {
        group: "evidence",
        id: "eprop-random",
        claim: "e-prop with random feedback learns evidence accumulation with 50 LIF + 50 \
                ALIF neurons: recall error when training stops (median over seeds; the \
                setting gives the iterations)",
        paper_value: "< 0.07 (the tutorial's early stop), reached after ≈ 200–500 \
                      iterations [IGITUGraz/eligibility_propagation README, batch 32]",
        authors_code: None,
        criterion: Criterion::AtMost(0.07),
    },
    Row {
        group: "evidence",
        id: "bptt",
        claim: "BPTT with the same surrogate on the same network and task: recall error when \
                training stops (median over seeds)",
        paper_value: "BPTT is Fig. 3's reference; its error rate is not in the sources read",
        authors_code: None,
        criterion: Criterion::AtMost(0.07),
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

fn eprop_angle(quick: bool) -> Result<Vec<Measured>> {
    let clock = Stopwatch::start();
    let (seeds, batch) = if quick {
        (&SEEDS[..1], 8)
    } else {
        (&SEEDS[..], 32)
    };
    let mut runs = Vec::new();
    for &seed in seeds {
        runs.push((seed, eprop_bptt_angle(seed, batch)?));
    }
    let setting = format!(
        "e-prop (symmetric feedback) vs full BPTT, piecewise-linear surrogate γ 0.3, one \
         batch of {batch} evidence-accumulation trials (2250 ms), 50 LIF + 50 ALIF at \
         initialisation"
    );
    Ok(vec![Measured::new(
        "symmetric",
        setting,
        Ours::over_seeds(runs),
        &clock,
    )])
}

fn evidence(quick: bool) -> Result<Vec<Measured>> {
    let clock = Stopwatch::start();
    let (seeds, schedule) = if quick {
        (
            &SEEDS[..1],
            EvidenceSchedule {
                batch_size: 16,
                max_iterations: 10,
                every: 10,
                eval_trials: 64,
                stop_error: 0.07,
            },
        )
    } else {
        (
            &SEEDS[..],
            EvidenceSchedule {
                batch_size: 32,
                max_iterations: 1000,
                every: 10,
                eval_trials: 256,
                stop_error: 0.07,
            },
        )
    };
    let mut out = Vec::new();
    for (row, rule) in [
        (
            "eprop-random",
            json!({"rule": "eprop", "feedback": "random", "rate_regularization": 1.0}),
        ),
        ("bptt", json!("bptt")),
    ] {
        let mut runs = Vec::new();
        let mut iterations = Vec::new();
        for &seed in seeds {
            let curve = eprop_evidence(rule.clone(), seed, schedule, |_, _| {})?;
            let (iteration, error) = curve.last().copied().unwrap_or((0, 1.0));
            runs.push((seed, error as f64));
            iterations.push(iteration.to_string());
        }
        let setting = format!(
            "50 LIF + 50 ALIF (τ_m 20, τ_a 2000 ms, thr 0.6, 5 ms refractory, γ 0.3), Adam \
             0.005, batch {}, rate regularisation 1 toward 10 Hz (e-prop); recall error on \
             {} fixed trials every {} iterations, stop below {} or at {}; stopped at \
             iterations {}",
            schedule.batch_size,
            schedule.eval_trials,
            schedule.every,
            schedule.stop_error,
            schedule.max_iterations,
            iterations.join(" / ")
        );
        out.push(Measured::new(row, setting, Ours::over_seeds(runs), &clock));
    }
    Ok(out)
}
