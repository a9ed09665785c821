//! Train a Turcu & Abbott setting through a [`Session`] and read its decisions: the
//! accuracy curve over full-batch steps, the readout of every pattern over a longer trial,
//! and the signature picture.

use super::super::chart::chart;
use crate::error::Result;
use crate::lab::decision::{readouts, Readouts, Threshold};
use crate::lab::presets::{Turcu, TURCU_TAU_MS};
use crate::lab::session::Session;
use crate::model::Network;
use crate::plot::{Chart, Series};
use crate::tasks::registry::build_task;

/// Seeds of the statistical claims: three quick, eight full.
pub(super) fn seeds(quick: bool) -> Vec<u64> {
    if quick {
        vec![1, 2, 3]
    } else {
        (1..=8).collect()
    }
}

/// A trained classifier with its accuracy curve.
pub(crate) struct Trained {
    /// The session (its trainer holds the trained network).
    pub session: Session,
    /// `(step, last-step accuracy at the targets' midpoint)`, from step 0.
    pub curve: Vec<(f64, f64)>,
    /// The largest accuracy over evaluations and over the trial's time steps at θ = 0.5
    /// (the authors' SpeedUp read-out), when tracked.
    pub best_over_time: f64,
    /// The network as built.
    pub initial: Network,
}

impl Trained {
    /// Last-step accuracy after the last step.
    pub fn accuracy(&self) -> f64 {
        self.curve.last().map_or(0.0, |p| p.1)
    }

    /// The best last-step accuracy over evaluations (the authors' Regular read-out).
    pub fn best(&self) -> f64 {
        self.curve.iter().map(|p| p.1).fold(0.0, f64::max)
    }

    /// The trained network.
    pub fn network(&self) -> &Network {
        &self.session.trainer.network
    }
}

/// Train `setting` for `steps` full-batch steps through a [`Session`] on its run
/// description, evaluating every `every` steps (and the SpeedUp maximum over time when
/// `track_best`).
pub(crate) fn train(
    setting: &Turcu,
    steps: usize,
    every: usize,
    track_best: bool,
) -> Result<Trained> {
    let mut session = Session::new(setting.run())?;
    let initial = session.trainer.network.clone();
    let threshold = (setting.targets.0 + setting.targets.1) / 2.0;
    let last =
        |r: &Readouts| r.accuracy_at(r.n_steps().saturating_sub(1), Threshold::Fixed(threshold));
    let first = readouts(&session.trainer.network, session.trainer.task.as_ref())?;
    let mut curve = vec![(0.0, last(&first))];
    let mut best_over_time = if track_best {
        first.max_over_time(Threshold::Fixed(0.5), 0)
    } else {
        f64::NAN
    };
    let mut done = 0;
    while done < steps {
        let chunk = every.max(1).min(steps - done);
        session.train(chunk)?;
        done += chunk;
        let now = readouts(&session.trainer.network, session.trainer.task.as_ref())?;
        curve.push((done as f64, last(&now)));
        if track_best {
            best_over_time = best_over_time.max(now.max_over_time(Threshold::Fixed(0.5), 0));
        }
    }
    Ok(Trained {
        session,
        curve,
        best_over_time,
        initial,
    })
}

/// Every pattern's readout over a trial of `total_tau` τ (input for the setting's input
/// steps).
pub(crate) fn long_readouts(
    network: &Network,
    setting: &Turcu,
    total_tau: f64,
) -> Result<Readouts> {
    let long = Turcu {
        total_tau,
        ..setting.clone()
    };
    let task = build_task("turcu-classification", &long.task_options())?;
    readouts(network, task.as_ref())
}

/// The accuracy at the step nearest `tau` of `curve` (`(τ, accuracy)` points).
pub(crate) fn at_tau(curve: &[(f64, f64)], tau: f64) -> f64 {
    curve
        .iter()
        .min_by(|a, b| (a.0 - tau).abs().total_cmp(&(b.0 - tau).abs()))
        .map_or(f64::NAN, |p| p.1)
}

/// The signature picture: readout of every pattern over time, one series per pattern,
/// labelled by class.
pub(crate) fn signature_chart(readouts: &Readouts, title: &str) -> Chart {
    let series: Vec<Series> = readouts
        .traces
        .iter()
        .zip(&readouts.positive)
        .map(|(trace, positive)| Series {
            label: if *positive { "amplify" } else { "suppress" }.into(),
            points: trace
                .iter()
                .enumerate()
                .map(|(t, v)| ((t + 1) as f64 * readouts.dt_ms / TURCU_TAU_MS, *v))
                .collect(),
            markers: false,
            line: true,
        })
        .collect();
    chart(
        title,
        "time (τ), input on 0–1 τ",
        "population readout",
        series,
    )
}
