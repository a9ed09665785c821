//! Building a trial period by period, in the spirit of neurogym's `add_period` /
//! `add_ob` / `set_groundtruth`, but with typed arguments.

use super::{Period, Trial, TrialLabel};
use ndarray::Array2;

/// Builds a [`Trial`]: declare periods (in steps), then write inputs / targets / mask.
#[derive(Debug, Clone)]
pub struct TrialBuilder {
    periods: Vec<Period>,
    inputs: Array2<f32>,
    targets: Array2<f32>,
    mask: Array2<f32>,
}

impl TrialBuilder {
    /// A trial made of consecutive periods `(name, n_steps)`.
    pub fn new(periods: &[(&str, usize)], n_inputs: usize, n_outputs: usize) -> Self {
        let mut list = Vec::with_capacity(periods.len());
        let mut start = 0;
        for (name, steps) in periods {
            list.push(Period {
                name: (*name).to_string(),
                start,
                end: start + steps,
            });
            start += steps;
        }
        TrialBuilder {
            periods: list,
            inputs: Array2::zeros((start, n_inputs)),
            targets: Array2::zeros((start, n_outputs)),
            mask: Array2::zeros((start, n_outputs)),
        }
    }

    /// Total number of steps.
    pub fn n_steps(&self) -> usize {
        self.inputs.nrows()
    }

    /// Step range of a period; panics on an unknown name (a bug in the task, not user input).
    pub fn range(&self, period: &str) -> std::ops::Range<usize> {
        let p = self
            .periods
            .iter()
            .find(|p| p.name == period)
            .unwrap_or_else(|| panic!("task bug: no period named {period}"));
        p.start..p.end
    }

    /// Step range from the start of `first` to the end of `last`.
    pub fn span(&self, first: &str, last: &str) -> std::ops::Range<usize> {
        self.range(first).start..self.range(last).end
    }

    /// Add `value` to input `channel` during `steps`.
    pub fn add_input(&mut self, steps: std::ops::Range<usize>, channel: usize, value: f32) {
        for t in steps {
            self.inputs[[t, channel]] += value;
        }
    }

    /// Add a vector of values to consecutive input channels starting at `first_channel`.
    pub fn add_input_vector(
        &mut self,
        steps: std::ops::Range<usize>,
        first_channel: usize,
        values: &[f32],
    ) {
        for t in steps {
            for (k, v) in values.iter().enumerate() {
                self.inputs[[t, first_channel + k]] += v;
            }
        }
    }

    /// Set target `channel` to `value` during `steps`.
    pub fn set_target(&mut self, steps: std::ops::Range<usize>, channel: usize, value: f32) {
        for t in steps {
            self.targets[[t, channel]] = value;
        }
    }

    /// Set consecutive target channels from `first_channel` during `steps`.
    pub fn set_target_vector(
        &mut self,
        steps: std::ops::Range<usize>,
        first_channel: usize,
        values: &[f32],
    ) {
        for t in steps {
            for (k, v) in values.iter().enumerate() {
                self.targets[[t, first_channel + k]] = *v;
            }
        }
    }

    /// Set the loss weight of every output during `steps`.
    pub fn set_mask(&mut self, steps: std::ops::Range<usize>, weight: f32) {
        for t in steps {
            self.mask.row_mut(t).fill(weight);
        }
    }

    /// Set the loss weight of one output channel during `steps`.
    pub fn set_mask_channel(&mut self, steps: std::ops::Range<usize>, channel: usize, weight: f32) {
        for t in steps {
            self.mask[[t, channel]] = weight;
        }
    }

    /// Mutable access to the raw input array (for noise, etc.).
    pub fn inputs_mut(&mut self) -> &mut Array2<f32> {
        &mut self.inputs
    }

    /// Finish the trial.
    pub fn build(self, label: TrialLabel) -> Trial {
        Trial {
            inputs: self.inputs,
            targets: self.targets,
            mask: self.mask,
            periods: self.periods,
            label,
            task_index: 0,
        }
    }
}
