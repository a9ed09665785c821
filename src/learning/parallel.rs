//! Data-parallel training across Web Workers (or processes): the flat shard protocol of
//! [`Trainer`]. Every worker holds a trainer built from the same run description; every
//! step, each draws the trials of its own shards and computes their gradients, the owner
//! adds all shards in shard order, divides by the batch's mask sum and applies them, and
//! sends the new parameters back.

use super::shards::mask_weight;
use super::trainer::{normalise, StepParts};
use super::Trainer;
use crate::error::{Error, Result};
use crate::tasks::TrialBatch;
use crate::train::alloc::try_pack;
use crate::train::{Batching, StepStats};

impl Trainer {
    /// Data-parallel training, part 1 (every worker, once per step): the gradients of
    /// shards `range` of step `step`, flattened as `[loss, mask sum, dW_rec…, dW_in…, db…,
    /// dW_out…, db_out…]` per shard, unnormalised (computed with a mask total of 1: the
    /// owner divides by the batch's mask sum, so no worker needs another's trials). With
    /// `random`, `per-task` and `by-length` batching a worker draws only the trials it
    /// needs from the step's own streams ([`Trainer::step_trials`]; `by-length` sorts the
    /// whole batch, so it draws every shard), in any step order; with `conditions`
    /// batching (one shared stream) every worker must call this for every step in order.
    /// The owner then adds all shards with [`Trainer::apply_flat_gradients`].
    pub fn shard_gradients_flat(
        &mut self,
        step: usize,
        range: std::ops::Range<usize>,
    ) -> Result<Vec<f32>> {
        if range.start > range.end || range.end > self.shards.len() {
            return Err(Error::field(
                "shards",
                format!("{}..{}", range.start, range.end),
                "must be a range within 0..train.shards",
            ));
        }
        if self.direct_rule() {
            return Err(Error::field(
                "rule",
                "direct",
                "must be a gradient rule for data-parallel training",
            ));
        }
        let parts = self.step_parts(step, range.clone())?;
        let weight_total = if self.shards.len() == 1 {
            parts[0].mask.iter().map(|m| *m as f64).sum()
        } else {
            1.0
        };
        let outcomes = self.shard_range_gradients(
            StepParts::Packed(&parts),
            step,
            range.clone(),
            weight_total,
        )?;
        let mut flat = Vec::new();
        for (((loss, _), part), shard) in outcomes.iter().zip(&parts).zip(&self.shards[range]) {
            let g = &shard.gradients;
            flat.push(*loss);
            flat.push(mask_weight(part));
            for tensor in [&g.w_rec, &g.w_in, &g.bias, &g.w_out, &g.b_out] {
                flat.extend_from_slice(tensor);
            }
        }
        Ok(flat)
    }

    /// The packed shards `range` of step `step` (see [`Trainer::shard_gradients_flat`]).
    fn step_parts(
        &mut self,
        step: usize,
        range: std::ops::Range<usize>,
    ) -> Result<Vec<TrialBatch>> {
        let n_shards = self.shards.len();
        if n_shards == 1 || self.config.batching == Batching::Conditions {
            self.batches_drawn = step.saturating_sub(1);
            let batch = self.next_batch()?;
            if n_shards == 1 {
                return Ok(vec![batch]);
            }
            return Ok(batch.split(n_shards).drain(range).collect());
        }
        self.batches_drawn = step;
        self.step_trials(step, range)?
            .into_iter()
            .map(|trials| try_pack(self.task.as_ref(), trials))
            .collect()
    }

    /// Data-parallel training, part 2 (the owner): add the flattened gradients of every
    /// shard (concatenated in shard order, as [`Trainer::shard_gradients_flat`] returns
    /// them) in shard order, divide by the batch's mask sum, then check, clip and apply
    /// them like [`Trainer::train_on_batch`].
    pub fn apply_flat_gradients(&mut self, flat: &[f32]) -> Result<StepStats> {
        let sizes = [
            self.network.w_rec.nnz(),
            self.network.w_in.nnz(),
            self.network.bias.len(),
            self.network.w_out.nnz(),
            self.network.b_out.len(),
        ];
        let per_shard = 2 + sizes.iter().sum::<usize>();
        if flat.len() != per_shard * self.shards.len() {
            return Err(Error::Shape {
                what: "shard gradients",
                expected: format!("{} floats", per_shard * self.shards.len()),
                actual: format!("{} floats", flat.len()),
            });
        }
        let step = self.steps_done() + 1;
        let several = self.shards.len() > 1;
        let (mut losses, mut weights) = (Vec::new(), Vec::new());
        let total = &mut self.shards[0].gradients;
        for (s, chunk) in flat.chunks(per_shard).enumerate() {
            losses.push(chunk[0]);
            weights.push(chunk[1]);
            let mut offset = 2;
            for (k, tensor) in [
                &mut total.w_rec,
                &mut total.w_in,
                &mut total.bias,
                &mut total.w_out,
                &mut total.b_out,
            ]
            .into_iter()
            .enumerate()
            {
                let part = &chunk[offset..offset + sizes[k]];
                if s == 0 {
                    tensor.clear();
                    tensor.extend_from_slice(part);
                } else {
                    tensor.iter_mut().zip(part).for_each(|(a, b)| *a += b);
                }
                offset += sizes[k];
            }
        }
        let loss = if several {
            normalise(total, &losses, &weights)
        } else {
            losses[0]
        };
        self.finish_gradient_step(step, loss)
    }

    /// The flat parameter vector `[W_rec params…, W_in…, b…, W_out…, b_out…]` (to send to workers).
    pub fn parameters_flat(&self) -> Vec<f32> {
        let n = &self.network;
        [
            &n.w_rec_param,
            &n.w_in.values,
            &n.bias,
            &n.w_out.values,
            &n.b_out,
        ]
        .into_iter()
        .flat_map(|t| t.iter().copied())
        .collect()
    }

    /// Replace the parameters by a vector from [`Trainer::parameters_flat`] (a worker
    /// receiving the owner's weights).
    pub fn set_parameters_flat(&mut self, flat: &[f32]) -> Result<()> {
        let n = &mut self.network;
        let expected =
            n.w_rec_param.len() + n.w_in.nnz() + n.bias.len() + n.w_out.nnz() + n.b_out.len();
        if flat.len() != expected {
            return Err(Error::Shape {
                what: "parameters",
                expected: format!("{expected} floats"),
                actual: format!("{} floats", flat.len()),
            });
        }
        let mut rest = flat;
        for tensor in [
            &mut n.w_rec_param,
            &mut n.w_in.values,
            &mut n.bias,
            &mut n.w_out.values,
            &mut n.b_out,
        ] {
            let (head, tail) = rest.split_at(tensor.len());
            tensor.copy_from_slice(head);
            rest = tail;
        }
        n.refresh_effective_weights();
        Ok(())
    }
}
