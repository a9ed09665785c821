//! Data-parallel training across Web Workers (or processes): the flat shard protocol of
//! [`Trainer`]. Every worker holds a trainer built from the same run description; every
//! step, each computes the gradients of its shards, the owner adds all shards in shard
//! order and applies them, and sends the new parameters back.

use super::Trainer;
use crate::error::{Error, Result};
use crate::train::StepStats;

impl Trainer {
    /// Data-parallel training, part 1 (every worker, once per step, in step order): draw
    /// the batch of step `step` and compute the gradients of shards `range`, flattened as
    /// `[loss, dW_rec…, dW_in…, db…, dW_out…]` per shard. Every worker must call this for
    /// every step (it advances the batch stream); the owner then adds all shards with
    /// [`Trainer::apply_flat_gradients`].
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
        let batch = self.next_batch()?;
        let losses = self.shard_range_gradients(&batch, step, range.clone())?;
        let mut flat = Vec::new();
        for (loss, shard) in losses.iter().zip(&self.shards[range]) {
            let g = &shard.gradients;
            flat.push(*loss);
            for tensor in [&g.w_rec, &g.w_in, &g.bias, &g.w_out, &g.b_out] {
                flat.extend_from_slice(tensor);
            }
        }
        Ok(flat)
    }

    /// Data-parallel training, part 2 (the owner): add the flattened gradients of every
    /// shard (concatenated in shard order, as [`Trainer::shard_gradients_flat`] returns
    /// them) in shard order, then check, clip and apply them like
    /// [`Trainer::train_on_batch`].
    pub fn apply_flat_gradients(&mut self, flat: &[f32]) -> Result<StepStats> {
        let sizes = [
            self.network.w_rec.nnz(),
            self.network.w_in.nnz(),
            self.network.bias.len(),
            self.network.w_out.nnz(),
            self.network.b_out.len(),
        ];
        let per_shard = 1 + sizes.iter().sum::<usize>();
        if flat.len() != per_shard * self.shards.len() {
            return Err(Error::Shape {
                what: "shard gradients",
                expected: format!("{} floats", per_shard * self.shards.len()),
                actual: format!("{} floats", flat.len()),
            });
        }
        let step = self.steps_done() + 1;
        let mut loss = 0.0f32;
        let total = &mut self.shards[0].gradients;
        for (s, chunk) in flat.chunks(per_shard).enumerate() {
            loss += chunk[0];
            let mut offset = 1;
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
