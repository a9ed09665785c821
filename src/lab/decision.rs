//! Turcu & Abbott's decision read-outs, as named options: how a trained classifier's
//! population readout is turned into accuracy over time.
//!
//! - [`Threshold::Fixed`]: the readout on the correct side of a fixed θ (our evaluation:
//!   the targets' midpoint at the last step; the authors' Hebbian code: θ = 0.0334; their
//!   SpeedUp code: 0.5 at every time step, reporting the maximum over time and epochs).
//! - [`Threshold::Percentile`]: the authors' BPTT figures: at every time step θ(t) is the
//!   percentile of the P readouts equal to the fraction of negative labels, so exactly as
//!   many patterns are called negative as there are.

use crate::error::Result;
use crate::model::Network;
use crate::rng::SimRng;
use crate::tasks::{Task, TrialBatch, TrialLabel};
use crate::train::Trajectory;
use serde::{Deserialize, Serialize};

/// How a readout value becomes a class at one time step.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Threshold {
    /// A fixed θ.
    Fixed(f64),
    /// θ(t) = the percentile of the readouts equal to the fraction of negative labels.
    Percentile,
}

/// Every condition's readout (output 0) at every step, and its class.
pub struct Readouts {
    /// `traces[b][t]`.
    pub traces: Vec<Vec<f64>>,
    /// Whether condition `b` is of the "amplify" class (label 1).
    pub positive: Vec<bool>,
    /// Time step, ms.
    pub dt_ms: f64,
}

/// Simulate every condition of `task` (a task with a finite set of conditions) through
/// `network`, without noise.
pub fn readouts(network: &Network, task: &dyn Task) -> Result<Readouts> {
    let trials = task.condition_trials(&mut SimRng::new(0)).ok_or_else(|| {
        crate::error::Error::field(
            "task.id",
            task.spec().id,
            "needs a task with a finite set of conditions for a decision read-out",
        )
    })?;
    let positive = trials
        .iter()
        .map(|t| t.label == TrialLabel::Class(1))
        .collect();
    let batch = TrialBatch::pack(trials);
    let trajectory = Trajectory::of_batch(network, &batch);
    let traces = (0..batch.batch_size)
        .map(|b| {
            (0..batch.n_steps)
                .map(|t| trajectory.output(0, t, b) as f64)
                .collect()
        })
        .collect();
    Ok(Readouts {
        traces,
        positive,
        dt_ms: network.config.dt_ms,
    })
}

impl Readouts {
    /// Steps per trial.
    pub fn n_steps(&self) -> usize {
        self.traces.first().map_or(0, Vec::len)
    }

    /// The percentile threshold θ(t) at step `t`: the readout value below which exactly as
    /// many conditions lie as there are negative labels (the authors' BPTT read-out; their
    /// noise tests reuse the θ(t) of the noiseless run).
    pub fn percentile_threshold(&self, t: usize) -> f64 {
        let n = self.traces.len();
        let mut values: Vec<f64> = self.traces.iter().map(|tr| tr[t]).collect();
        values.sort_by(f64::total_cmp);
        let negatives = self.positive.iter().filter(|p| !**p).count();
        // Values at index < negatives are called negative.
        if negatives == 0 {
            f64::NEG_INFINITY
        } else if negatives >= n {
            f64::INFINITY
        } else {
            (values[negatives - 1] + values[negatives]) / 2.0
        }
    }

    /// Accuracy at step `t` (0-based) under `threshold`.
    pub fn accuracy_at(&self, t: usize, threshold: Threshold) -> f64 {
        let n = self.traces.len();
        if n == 0 {
            return 0.0;
        }
        let theta = match threshold {
            Threshold::Fixed(theta) => theta,
            Threshold::Percentile => self.percentile_threshold(t),
        };
        let right = self
            .traces
            .iter()
            .zip(&self.positive)
            .filter(|(trace, positive)| (trace[t] > theta) == **positive)
            .count();
        right as f64 / n as f64
    }

    /// `(time in units of τ, accuracy)` at every step, with `tau_ms` the neurons' τ.
    pub fn accuracy_over_time(&self, threshold: Threshold, tau_ms: f64) -> Vec<(f64, f64)> {
        (0..self.n_steps())
            .map(|t| {
                (
                    (t + 1) as f64 * self.dt_ms / tau_ms,
                    self.accuracy_at(t, threshold),
                )
            })
            .collect()
    }

    /// The largest accuracy over steps `first..` (the authors' SpeedUp read-out).
    pub fn max_over_time(&self, threshold: Threshold, first: usize) -> f64 {
        (first..self.n_steps())
            .map(|t| self.accuracy_at(t, threshold))
            .fold(0.0, f64::max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_percentile_threshold_calls_as_many_negative_as_there_are() {
        let r = Readouts {
            // Shifted so that a fixed 0.5 calls everything positive.
            traces: vec![vec![0.9], vec![0.8], vec![0.7], vec![0.6]],
            positive: vec![true, true, false, false],
            dt_ms: 10.0,
        };
        assert_eq!(r.accuracy_at(0, Threshold::Fixed(0.5)), 0.5);
        assert_eq!(r.accuracy_at(0, Threshold::Percentile), 1.0);
        let swapped = Readouts {
            positive: vec![false, false, true, true],
            ..r
        };
        assert_eq!(swapped.accuracy_at(0, Threshold::Percentile), 0.0);
    }
}
