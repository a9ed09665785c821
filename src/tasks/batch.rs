//! Packing trials of possibly different lengths into one channel-major, batch-contiguous
//! block (`[channel][t][b]`), padded with zero input and zero loss weight.

use super::Trial;
use ndarray::Array2;

/// A batch of trials in kernel layout.
#[derive(Debug, Clone)]
pub struct TrialBatch {
    /// Number of trials.
    pub batch_size: usize,
    /// Number of steps (the longest trial).
    pub n_steps: usize,
    /// Input channels.
    pub n_inputs: usize,
    /// Output channels.
    pub n_outputs: usize,
    /// Inputs, index `(k * n_steps + t) * batch_size + b`.
    pub inputs: Vec<f32>,
    /// Targets, index `(o * n_steps + t) * batch_size + b`.
    pub targets: Vec<f32>,
    /// Loss weights, same layout as `targets`.
    pub mask: Vec<f32>,
    /// The trials themselves (time-major), for scoring and plots.
    pub trials: Vec<Trial>,
}

impl TrialBatch {
    /// The trials split into `shards` contiguous groups of nearly equal size (the first
    /// `B mod shards` groups one trial larger), each packed on its own. `shards` is at
    /// least 1 and at most the batch size.
    pub fn split(&self, shards: usize) -> Vec<TrialBatch> {
        let shards = shards.clamp(1, self.trials.len().max(1));
        let (base, extra) = (self.trials.len() / shards, self.trials.len() % shards);
        let mut start = 0;
        (0..shards)
            .map(|s| {
                let len = base + usize::from(s < extra);
                let part = TrialBatch::pack(self.trials[start..start + len].to_vec());
                start += len;
                part
            })
            .collect()
    }

    /// Pack `trials` (at least one; all with the same channel counts).
    pub fn pack(trials: Vec<Trial>) -> Self {
        assert!(
            !trials.is_empty(),
            "TrialBatch::pack needs at least one trial"
        );
        let n_inputs = trials[0].inputs.ncols();
        let n_outputs = trials[0].targets.ncols();
        let n_steps = trials.iter().map(Trial::n_steps).max().unwrap_or(0);
        let batch_size = trials.len();
        let mut inputs = vec![0.0; n_inputs * n_steps * batch_size];
        let mut targets = vec![0.0; n_outputs * n_steps * batch_size];
        let mut mask = vec![0.0; n_outputs * n_steps * batch_size];
        for trial in &trials {
            assert_eq!(
                trial.inputs.ncols(),
                n_inputs,
                "trials disagree on input channels"
            );
            assert_eq!(
                trial.targets.ncols(),
                n_outputs,
                "trials disagree on output channels"
            );
        }
        scatter(&trials, |t| &t.inputs, &mut inputs, n_steps);
        scatter(&trials, |t| &t.targets, &mut targets, n_steps);
        scatter(&trials, |t| &t.mask, &mut mask, n_steps);
        TrialBatch {
            batch_size,
            n_steps,
            n_inputs,
            n_outputs,
            inputs,
            targets,
            mask,
            trials,
        }
    }

    /// Extract trial `b`'s `[n_steps_of_trial, channels]` view out of a packed
    /// channel-major array (e.g. the network's outputs).
    pub fn unpack(&self, packed: &[f32], channels: usize, b: usize) -> Array2<f32> {
        let steps = self.trials[b].n_steps();
        Array2::from_shape_fn((steps, channels), |(t, c)| {
            packed[(c * self.n_steps + t) * self.batch_size + b]
        })
    }
}

/// Write every trial's `[steps, channels]` array `field(trial)` into the channel-major
/// `dest[(c · n_steps + t) · B + b]` (steps past a trial's end stay as they are). Step by
/// step, trial by trial: each trial's row is read once in order, and the writes of
/// consecutive trials fill the same few cache lines (one per channel) before moving on —
/// not one trial at a time, which wrote every value to a different line.
fn scatter(
    trials: &[Trial],
    field: impl Fn(&Trial) -> &Array2<f32>,
    dest: &mut [f32],
    n_steps: usize,
) {
    let batch_size = trials.len();
    for t in 0..n_steps {
        for (b, trial) in trials.iter().enumerate() {
            let source = field(trial);
            if t >= source.nrows() {
                continue;
            }
            for (c, value) in source.row(t).iter().enumerate() {
                dest[(c * n_steps + t) * batch_size + b] = *value;
            }
        }
    }
}
