//! Packed sequences: the lanes of a batch of trials of different lengths laid out so that
//! no kernel computes a step of a trial that has already ended.
//!
//! A [`TrialBatch`] pads every trial to the longest (`[rows][T·B]`, step `t` of trial `b`
//! at lane `t·B + b`). A [`StepLanes`] layout instead orders the trials by length,
//! longest first ([`StepLanes::order`]), so that the `a_t` trials still running at step
//! `t` are the first `a_t` lanes, and gives step `t` only as many lanes as it needs —
//! `k_t` = `a_t` rounded up to a multiple of the SIMD width [`LANE_GROUP`] (at most B),
//! the lanes it computes ([`StepLanes::computed`]):
//!
//! - region `s` (s = 0..=T) has `c_s` lanes, `c_0 = B` and `c_s = k_{s−1}`, and starts
//!   at [`StepLanes::offset`]`(s)`;
//! - a *step-indexed* row (inputs, pre-activations and rates, dL/d(pre-activation))
//!   holds step `t` in region `t` ([`StepLanes::step_lanes`] lanes in all); only its
//!   first `a_t ≤ k_t ≤ c_t` lanes are live, the first `k_t` computed (the others belong
//!   to trials that have ended: their dL/d(pre) is 0);
//! - a *state* row holds the state before step `s` in region `s`
//!   ([`StepLanes::state_lanes`] lanes), so the state a step reads is aligned with the
//!   step's own lanes (the recurrent weight gradient is one product over the row);
//! - an *output* row holds output `t` (read from the state after step `t`, `a_t` lanes)
//!   in region `t + 1` of the state row shifted by `B` ([`StepLanes::output_offset`],
//!   [`StepLanes::output_lanes`] = Σ k_t lanes, of which Σ a_t live).
//!
//! With every trial `T` steps long, `a_t = c_t = B` and the layout is exactly the padded
//! one ([`StepLanes::uniform`]): offsets `t·B`, rows of `T·B` and `(T+1)·B` lanes.
//! A `by_length` layout computes Σ_t (k_t − a_t) < 4·T finished lanes, against
//! Σ_t (B − a_t) in the padded layout.

use crate::tasks::TrialBatch;

/// The kernels' SIMD width in lanes ([`crate::kernels`] run whole blocks of 4 lanes and
/// a scalar tail): each step computes its running trials rounded up to a multiple of it,
/// so no step runs a scalar tail of 1–3 lanes (measured: with exact counts the recurrence
/// ran at half its GFLOP/s, results.md#packed-batch-2026-12-04).
pub const LANE_GROUP: usize = 4;

/// The lane layout of a batch (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StepLanes {
    batch_size: usize,
    /// `a_t`: trials still running at step t, for t = 0..T.
    active: Vec<usize>,
    /// `k_t`: lanes computed at step t, `a_t` rounded up to whole [`LANE_GROUP`]s (at most B).
    computed: Vec<usize>,
    /// Start of region s, for s = 0..=T+1 (the last entry is the state row's length).
    offsets: Vec<usize>,
    /// Lane b holds trial `order[b]` of the padded batch.
    order: Vec<usize>,
}

impl StepLanes {
    /// The padded layout: `n_steps` steps of `batch_size` lanes each, trials in batch order.
    pub fn uniform(n_steps: usize, batch_size: usize) -> Self {
        StepLanes {
            batch_size,
            active: vec![batch_size; n_steps],
            computed: vec![batch_size; n_steps],
            offsets: (0..=n_steps + 1).map(|s| s * batch_size).collect(),
            order: (0..batch_size).collect(),
        }
    }

    /// The packed layout of trials with `steps_per_trial` steps each (in batch order):
    /// lanes in order of decreasing length (ties in batch order), `T` = the longest.
    pub fn by_length(steps_per_trial: &[usize]) -> Self {
        let batch_size = steps_per_trial.len();
        let mut order: Vec<usize> = (0..batch_size).collect();
        order.sort_by_key(|&b| std::cmp::Reverse(steps_per_trial[b]));
        let n_steps = steps_per_trial.iter().copied().max().unwrap_or(0);
        let active: Vec<usize> = (0..n_steps)
            .map(|t| steps_per_trial.iter().filter(|&&len| len > t).count())
            .collect();
        let computed: Vec<usize> = active
            .iter()
            .map(|&a| a.next_multiple_of(LANE_GROUP).min(batch_size))
            .collect();
        let mut offsets = Vec::with_capacity(n_steps + 2);
        offsets.push(0);
        for s in 0..=n_steps {
            let width = if s == 0 { batch_size } else { computed[s - 1] };
            offsets.push(offsets[s] + width);
        }
        StepLanes {
            batch_size,
            active,
            computed,
            offsets,
            order,
        }
    }

    /// [`StepLanes::by_length`] of `batch`'s trials, or [`StepLanes::uniform`] when they
    /// all have the batch's length (or the batch keeps no trials).
    pub fn of_batch(batch: &TrialBatch) -> Self {
        let lengths: Vec<usize> = batch.trials.iter().map(|t| t.n_steps()).collect();
        let all_full = lengths.iter().all(|&len| len == batch.n_steps);
        if lengths.len() != batch.batch_size || all_full {
            StepLanes::uniform(batch.n_steps, batch.batch_size)
        } else {
            StepLanes::by_length(&lengths)
        }
    }

    /// Number of trials B (lanes of the initial state).
    pub fn batch_size(&self) -> usize {
        self.batch_size
    }

    /// Number of steps T.
    pub fn n_steps(&self) -> usize {
        self.active.len()
    }

    /// `a_t`: the trials still running at step `t` (the first `a_t` lanes of region `t`).
    pub fn active(&self, t: usize) -> usize {
        self.active[t]
    }

    /// `k_t`: the lanes step `t` computes, `a_t` rounded up to whole [`LANE_GROUP`]s (at
    /// most B). The `k_t − a_t` extra lanes hold trials that have ended: they carry no
    /// target, no noise and (exactly) no error.
    pub fn computed(&self, t: usize) -> usize {
        self.computed[t]
    }

    /// Start of region `s` (step `s` in a step-indexed row, the state before step `s` in
    /// a state row), s = 0..=T.
    pub fn offset(&self, s: usize) -> usize {
        self.offsets[s]
    }

    /// Lanes of region `s`, `c_s` (B for s = 0, `k_{s−1}` after).
    pub fn width(&self, s: usize) -> usize {
        self.offsets[s + 1] - self.offsets[s]
    }

    /// Start of output `t` in an output row.
    pub fn output_offset(&self, t: usize) -> usize {
        self.offsets[t + 1] - self.batch_size
    }

    /// Length of a step-indexed row (inputs, rates, dL/d(pre-activation)).
    pub fn step_lanes(&self) -> usize {
        self.offsets[self.n_steps()]
    }

    /// Length of a state row (T + 1 regions).
    pub fn state_lanes(&self) -> usize {
        self.offsets[self.n_steps() + 1]
    }

    /// Length of an output row: Σ_t k_t (Σ_t a_t, the (step, trial) pairs that exist,
    /// plus the < [`LANE_GROUP`] rounding lanes per step).
    pub fn output_lanes(&self) -> usize {
        self.state_lanes() - self.batch_size
    }

    /// Lane `b` holds trial `order()[b]` of the padded batch.
    pub fn order(&self) -> &[usize] {
        &self.order
    }

    /// Whether this is the padded layout (every step B lanes, trials in batch order).
    pub fn is_uniform(&self) -> bool {
        self.active.iter().all(|&a| a == self.batch_size)
            && self.order.iter().enumerate().all(|(b, &o)| b == o)
    }

    /// Step `t` of lane `b` in a step-indexed row, if that trial runs at step `t`.
    pub fn step_lane(&self, t: usize, b: usize) -> Option<usize> {
        (b < self.active[t]).then(|| self.offsets[t] + b)
    }

    /// A padded `[rows][T·B]` array (a [`TrialBatch`]'s inputs) in this layout's
    /// step-indexed rows, `[rows][step_lanes]`, into `out`.
    pub fn pack_steps(&self, padded: &[f32], rows: usize, out: &mut Vec<f32>) {
        self.pack(padded, rows, 0, self.step_lanes(), out);
    }

    /// A padded `[rows][T·B]` array (a [`TrialBatch`]'s targets or mask) in this layout's
    /// output rows, `[rows][output_lanes]`, into `out`.
    pub fn pack_outputs(&self, padded: &[f32], rows: usize, out: &mut Vec<f32>) {
        self.pack(padded, rows, 1, self.output_lanes(), out);
    }

    /// Step t of each row to region `t + shift` (its first `a_t` lanes; the rest 0).
    fn pack(&self, padded: &[f32], rows: usize, shift: usize, row_len: usize, out: &mut Vec<f32>) {
        let (t_len, b_len) = (self.n_steps(), self.batch_size);
        assert_eq!(
            padded.len(),
            rows * t_len * b_len,
            "StepLanes::pack: the padded array has the wrong size"
        );
        let base = shift * b_len;
        out.clear();
        out.resize(rows * row_len, 0.0);
        for (row, packed) in padded
            .chunks_exact(t_len * b_len)
            .zip(out.chunks_exact_mut(row_len))
        {
            for t in 0..t_len {
                let start = self.offsets[t + shift] - base;
                let step = &row[t * b_len..(t + 1) * b_len];
                for (lane, &trial) in packed[start..start + self.active[t]]
                    .iter_mut()
                    .zip(&self.order)
                {
                    *lane = step[trial];
                }
            }
        }
    }
}

/// A batch's inputs, targets and mask in a [`StepLanes`] layout.
#[derive(Debug, Clone, Default)]
pub struct PackedBatch {
    /// The layout.
    pub steps: StepLanes,
    /// Inputs, `[I][step_lanes]`.
    pub inputs: Vec<f32>,
    /// Targets, `[O][output_lanes]`.
    pub targets: Vec<f32>,
    /// Loss weights, `[O][output_lanes]`.
    pub mask: Vec<f32>,
}

impl PackedBatch {
    /// Lay `batch` out by length ([`StepLanes::of_batch`]), reusing this one's buffers.
    pub fn pack_from(&mut self, batch: &TrialBatch) {
        self.steps = StepLanes::of_batch(batch);
        self.steps
            .pack_steps(&batch.inputs, batch.n_inputs, &mut self.inputs);
        self.steps
            .pack_outputs(&batch.targets, batch.n_outputs, &mut self.targets);
        self.steps
            .pack_outputs(&batch.mask, batch.n_outputs, &mut self.mask);
    }

    /// [`PackedBatch::pack_from`] into a new one.
    pub fn of(batch: &TrialBatch) -> Self {
        let mut packed = PackedBatch::default();
        packed.pack_from(batch);
        packed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniform_is_the_padded_layout() {
        let s = StepLanes::uniform(3, 4);
        assert!(s.is_uniform());
        assert_eq!(
            (s.step_lanes(), s.state_lanes(), s.output_lanes()),
            (12, 16, 12)
        );
        assert_eq!((s.offset(2), s.output_offset(2), s.width(3)), (8, 8, 4));
        assert_eq!(s, StepLanes::by_length(&[3, 3, 3, 3]));
    }

    #[test]
    fn by_length_orders_longest_first_and_shrinks_the_steps() {
        // trials of 2, 4, 1, 4 steps (three times, 12 trials): lanes hold trials 1, 3, 5, …
        let lengths = [2, 4, 1, 4].repeat(3);
        let s = StepLanes::by_length(&lengths);
        assert!(!s.is_uniform());
        assert_eq!(s.order(), &[1, 3, 5, 7, 9, 11, 0, 4, 8, 2, 6, 10]);
        assert_eq!(
            (0..4).map(|t| s.active(t)).collect::<Vec<_>>(),
            [12, 9, 6, 6]
        );
        // computed: whole groups of 4 lanes
        assert_eq!(
            (0..4).map(|t| s.computed(t)).collect::<Vec<_>>(),
            [12, 12, 8, 8]
        );
        // regions: c = 12 (initial), then k_0 … k_3
        assert_eq!(
            (0..=4).map(|r| s.width(r)).collect::<Vec<_>>(),
            [12, 12, 12, 8, 8]
        );
        assert_eq!((s.step_lanes(), s.state_lanes()), (44, 52));
        assert_eq!(s.output_lanes(), 12 + 12 + 8 + 8);
        assert_eq!((s.step_lane(1, 8), s.step_lane(1, 9)), (Some(20), None));
        assert_eq!(s.output_offset(2), 24);
    }

    #[test]
    fn packing_moves_each_trials_steps_and_drops_the_padding() {
        // one row, T = 2, B = 5: step t of trial b is 10·t + b (+ 100 on padding); trial
        // 1 is the only one with two steps, so step 1 computes k_1 = 4 lanes, not 5
        let s = StepLanes::by_length(&[1, 2, 1, 1, 1]);
        assert_eq!(s.order(), &[1, 0, 2, 3, 4]);
        let padded = [0.0, 1.0, 2.0, 3.0, 4.0, 110.0, 11.0, 112.0, 113.0, 114.0];
        let mut out = Vec::new();
        s.pack_steps(&padded, 1, &mut out);
        // region 0: the five trials' step 0; region 1: 5 lanes, trial 1 live
        assert_eq!(out, [1.0, 0.0, 2.0, 3.0, 4.0, 11.0, 0.0, 0.0, 0.0, 0.0]);
        s.pack_outputs(&padded, 1, &mut out);
        // output 0: 5 lanes; output 1: k_1 = 4 lanes
        assert_eq!(out, [1.0, 0.0, 2.0, 3.0, 4.0, 11.0, 0.0, 0.0, 0.0]);
    }
}
