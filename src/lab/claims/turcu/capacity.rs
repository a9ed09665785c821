//! Backprop capacity of the Turcu & Abbott network: α = 0.5 with Adam (`capacity`) and
//! with the SpeedUp optimiser, whose networks also carry the persistence claim
//! (`capacity-sgd`), with Dale's law (`ei-split`), and accuracy vs load for K = 2, 5, 10
//! (`alpha-sweep`).

use super::super::chart::{chart, series};
use super::super::claim::{Measured, Ours};
use super::trained::{at_tau, long_readouts, seeds, signature_chart, train};
use crate::error::Result;
use crate::lab::clock::Stopwatch;
use crate::lab::decision::Threshold;
use crate::lab::presets::{Turcu, TURCU_TAU_MS};
use crate::lab::sweep::percolation_bound;
use crate::plot::Series;
use crate::train::OptimizerKind;

/// Full-batch Adam steps of the `capacity` claims.
fn adam_steps(quick: bool) -> usize {
    if quick {
        200
    } else {
        400
    }
}

/// `capacity`: chance before training, α = 0.5 after (median over seeds), chance again far
/// outside the trained window.
pub(super) fn capacity(quick: bool) -> Result<Vec<Measured>> {
    let clock = Stopwatch::start();
    let steps = adam_steps(quick);
    let mut before = Vec::new();
    let mut after = Vec::new();
    let mut late = Vec::new();
    let mut curves = Vec::new();
    let mut signature = None;
    for seed in seeds(quick) {
        let setting = Turcu {
            seed,
            ..Turcu::authors()
        };
        let trained = train(&setting, steps, 10, false)?;
        before.push((seed, trained.curve[0].1));
        after.push((seed, trained.accuracy()));
        let long = long_readouts(trained.network(), &setting, 10.0)?;
        let threshold = Threshold::Fixed((setting.targets.0 + setting.targets.1) / 2.0);
        late.push((
            seed,
            at_tau(&long.accuracy_over_time(threshold, TURCU_TAU_MS), 10.0),
        ));
        if signature.is_none() {
            let untrained = long_readouts(&trained.initial, &setting, 10.0)?;
            signature = Some((
                signature_chart(&untrained, "readout of every pattern, untrained (seed 1)"),
                signature_chart(&long, "readout of every pattern, trained (seed 1)"),
            ));
        }
        curves.push(series(&format!("seed {seed}"), trained.curve));
    }
    let setting = format!(
        "{}, {steps} Adam steps, seeds {:?}; read-out: last step at the targets' midpoint",
        Turcu::authors().describe(),
        seeds(quick)
    );
    let mut curve_chart = chart(
        "accuracy during training, α = 0.5",
        "full-batch step",
        "accuracy (every pattern)",
        curves,
    );
    curve_chart.y_range = Some((0.4, 1.0));
    let (untrained, trained) = signature.expect("at least one seed");
    Ok(vec![
        Measured::new("chance-before", &setting, Ours::over_seeds(before), &clock).chart(untrained),
        Measured::new("alpha-half", &setting, Ours::over_seeds(after), &clock).chart(curve_chart),
        Measured::new("chance-10tau", &setting, Ours::over_seeds(late), &clock).chart(trained),
    ])
}

/// `capacity-sgd`: the SpeedUp optimiser (SGD lr 1 on the authors' summed hinge) for 100
/// epochs, read out as the authors do — the best over epochs and time steps at θ = 0.5 —
/// and the same networks' accuracy at 3 τ with the percentile threshold of their figures.
pub(super) fn capacity_sgd(quick: bool) -> Result<Vec<Measured>> {
    let clock = Stopwatch::start();
    // The authors' hinge (lossFunctions.py) is a sum over patterns and loss steps; ours is
    // the mean, so their SGD lr 1 is lr = (number of loss entries) here: P patterns times
    // the steps from input offset to 2 τ.
    let base = Turcu::authors();
    let loss_steps = (base.total_tau * TURCU_TAU_MS / crate::lab::presets::TURCU_DT_MS) as usize
        - base.input_steps;
    let entries = (base.n_patterns * loss_steps) as f64;
    let epochs = 100;
    let mut best = Vec::new();
    let mut persist = Vec::new();
    let mut time_series = Vec::new();
    for seed in seeds(quick) {
        let setting = Turcu {
            optimizer: OptimizerKind::Sgd,
            learning_rate: entries,
            seed,
            ..Turcu::authors()
        };
        let trained = train(&setting, epochs, 1, true)?;
        best.push((seed, trained.best_over_time));
        let long = long_readouts(trained.network(), &setting, 10.0)?;
        let over_time = long.accuracy_over_time(Threshold::Percentile, TURCU_TAU_MS);
        persist.push((seed, at_tau(&over_time, 3.0)));
        time_series.push(Series {
            label: format!("ours, seed {seed}"),
            points: over_time,
            markers: false,
            line: true,
        });
    }
    time_series.push(series(
        "authors [fig]",
        vec![
            (1.5, 0.96),
            (2.0, 0.96),
            (3.0, 0.90),
            (4.0, 0.73),
            (5.5, 0.5),
        ],
    ));
    let mut time_chart = chart(
        "accuracy vs time (percentile threshold), trained on 0–2 τ",
        "time (τ), input on 0–1 τ",
        "accuracy",
        time_series,
    );
    time_chart.y_range = Some((0.3, 1.0));
    let setting = format!(
        "{} (= SGD lr 1 on the summed hinge), {epochs} epochs, seeds {:?}",
        Turcu {
            optimizer: OptimizerKind::Sgd,
            learning_rate: entries,
            ..Turcu::authors()
        }
        .describe(),
        seeds(quick)
    );
    Ok(vec![
        Measured::new(
            "sgd-best",
            format!(
                "{setting}; read-out: max over epochs and the 20 time steps at θ = 0.5 (SpeedUp)"
            ),
            Ours::over_seeds(best),
            &clock,
        ),
        Measured::new(
            "persists-3tau",
            format!("{setting}; read-out: percentile threshold at 3 τ, final network"),
            Ours::over_seeds(persist),
            &clock,
        )
        .chart(time_chart),
    ])
}

/// `ei-split`: the authors' E/I setting (every neuron read, ±1, targets 0.03 / 0.02 on
/// mean E − mean I), 100 Adam epochs, best epoch.
pub(super) fn ei_split(quick: bool) -> Result<Vec<Measured>> {
    let clock = Stopwatch::start();
    let epochs = 100;
    let mut best = Vec::new();
    let mut curves = Vec::new();
    for seed in seeds(quick) {
        let setting = Turcu {
            seed,
            ..Turcu::authors_ei()
        };
        let trained = train(&setting, epochs, 1, false)?;
        best.push((seed, trained.best()));
        curves.push(series(&format!("seed {seed}"), trained.curve));
    }
    let setting = format!(
        "{}, {epochs} Adam epochs, seeds {:?}; read-out: last step at the targets' midpoint, best epoch",
        Turcu::authors_ei().describe(),
        seeds(quick)
    );
    Ok(vec![Measured::new(
        "ei-alpha-half",
        setting,
        Ours::over_seeds(best),
        &clock,
    )
    .chart(chart(
        "accuracy during training, E/I split",
        "full-batch step",
        "accuracy",
        curves,
    ))])
}

/// `alpha-sweep`: accuracy vs α for K = 2, 5, 10 at N = 100 (seed 1), beside the
/// percolation bound of K = 2.
pub(super) fn alpha_sweep(quick: bool) -> Result<Vec<Measured>> {
    let clock = Stopwatch::start();
    let alphas: &[f64] = if quick {
        &[0.25, 0.5]
    } else {
        &[0.1, 0.25, 0.5, 0.75, 1.0]
    };
    let steps = adam_steps(quick);
    let mut chart_series = Vec::new();
    let mut at_half = [0.0f64; 3];
    for (index, k) in [2usize, 5, 10].into_iter().enumerate() {
        let mut points = Vec::new();
        for &alpha in alphas {
            let density = k as f64 / 100.0;
            let setting = Turcu {
                density,
                n_patterns: (alpha * density * 10_000.0).round() as usize,
                ..Turcu::authors()
            };
            let accuracy = train(&setting, steps, steps, false)?.accuracy();
            if (alpha - 0.5).abs() < 1e-9 {
                at_half[index] = accuracy;
            }
            points.push((alpha, accuracy));
        }
        chart_series.push(series(&format!("K = {k}"), points));
    }
    let bound = percolation_bound(100, 0.02, 20, 1)?;
    chart_series.push(series(
        "K = 2 percolation bound",
        alphas.iter().map(|a| (*a, bound)).collect(),
    ));
    let sweep_chart = chart(
        "accuracy vs load α, N = 100",
        "α = P / (K N)",
        "accuracy",
        chart_series,
    );
    let setting = format!(
        "N = 100, K = fN ∈ {{2, 5, 10}}, α ∈ {alphas:?}, otherwise as `capacity` ({steps} Adam steps, seed 1)"
    );
    Ok(vec![
        Measured::new("k10-alpha-half", &setting, Ours::value(at_half[2]), &clock)
            .chart(sweep_chart),
        Measured::new(
            "k2-percolation",
            format!(
                "{setting}; bound = mean over 20 masks of 1 − k(3N² − 3Nk + k²)/(2N³) = {bound:.3}"
            ),
            Ours::value(at_half[0] - bound),
            &clock,
        ),
    ])
}
