//! [`Snapshot`]: everything the training plots need, small enough to post from a Web Worker
//! to the page a few times per second.

use super::{Heatmap, SpikeRaster};
use serde::{Deserialize, Serialize};

/// Longest learning curve kept in a snapshot (longer histories are averaged in blocks).
pub const MAX_CURVE_POINTS: usize = 1000;
/// Most input channels kept in the trial traces.
pub const MAX_INPUT_TRACES: usize = 8;
/// Most time steps kept in the activity heatmap.
pub const MAX_ACTIVITY_STEPS: usize = 256;

/// One trial's inputs, outputs and targets, channel by channel.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TrialTraces {
    /// Time step in milliseconds.
    pub dt_ms: f64,
    /// Number of time steps.
    pub n_steps: usize,
    /// Up to [`MAX_INPUT_TRACES`] input channels, each `n_steps` long.
    pub inputs: Vec<Vec<f32>>,
    /// Network outputs, one vector per output channel.
    pub outputs: Vec<Vec<f32>>,
    /// Targets, one vector per output channel.
    pub targets: Vec<Vec<f32>>,
    /// Loss weights (0 = not scored), one vector per output channel.
    pub mask: Vec<Vec<f32>>,
    /// Step at which the stimulus ends, if the trial has one.
    pub input_offset: Option<usize>,
    /// The trial's periods `(name, first step, one past the last step)`.
    #[serde(default)]
    pub periods: Vec<(String, usize, usize)>,
    /// Every input channel (rows) over time (columns), subsampled to at most
    /// [`super::MAX_HEATMAP_SIDE`] × [`MAX_ACTIVITY_STEPS`].
    #[serde(default)]
    pub input_map: Heatmap,
    /// Named groups of the input channels `(name, first channel, one past the last)`,
    /// e.g. fixation, ring 1, ring 2, rule (empty when the task names none).
    #[serde(default)]
    pub input_groups: Vec<(String, usize, usize)>,
    /// Named groups of the output channels, as `input_groups` (fixation, response ring).
    #[serde(default)]
    pub output_groups: Vec<(String, usize, usize)>,
}

/// The state of a training run, as drawn by the page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Training steps done.
    pub step: usize,
    /// `(step, loss)`, at most [`MAX_CURVE_POINTS`] points.
    pub loss: Vec<(f32, f32)>,
    /// `(step, accuracy)` of the evaluations (every one, or evenly thinned to at most
    /// [`MAX_CURVE_POINTS`], always keeping the latest).
    pub accuracy: Vec<(f32, f32)>,
    /// `(step, accuracy)` on longer trials (decision persistence), thinned likewise; empty
    /// if the task has no such test.
    pub late_accuracy: Vec<(f32, f32)>,
    /// Activity (state h) of one trial, neurons × time, subsampled.
    pub activity: Heatmap,
    /// The recurrent weight matrix, subsampled.
    pub weights: Heatmap,
    /// Inputs, outputs and targets of the same trial.
    pub trial: TrialTraces,
    /// Latest per-task performance `(task id, mean score)` of a task mixture (empty for
    /// single tasks or before the first evaluation).
    #[serde(default)]
    pub per_task: Vec<(String, f32)>,
    /// Spiking networks only: the spike raster of the same trial.
    #[serde(default)]
    pub raster: Option<SpikeRaster>,
}

/// `(step, loss)` points of `history` (step = index + 1), averaged in equal blocks when
/// there are more than `max_points`.
pub fn downsample(history: &[f32], max_points: usize) -> Vec<(f32, f32)> {
    let max_points = max_points.max(1);
    if history.len() <= max_points {
        return history
            .iter()
            .enumerate()
            .map(|(i, y)| ((i + 1) as f32, *y))
            .collect();
    }
    let block = history.len().div_ceil(max_points);
    history
        .chunks(block)
        .enumerate()
        .map(|(b, chunk)| {
            let mean = chunk.iter().sum::<f32>() / chunk.len() as f32;
            let centre = (b * block) as f32 + (chunk.len() as f32 + 1.0) / 2.0;
            (centre, mean)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downsample_keeps_short_histories_and_averages_long_ones() {
        assert_eq!(downsample(&[3.0, 2.0], 10), vec![(1.0, 3.0), (2.0, 2.0)]);
        let long: Vec<f32> = (0..10).map(|i| i as f32).collect();
        let points = downsample(&long, 5);
        assert_eq!(points.len(), 5);
        assert_eq!(points[0], (1.5, 0.5));
        assert_eq!(points[4], (9.5, 8.5));
    }
}
