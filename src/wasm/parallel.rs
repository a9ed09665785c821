//! Data-parallel training over Web Workers: the `Simulator` side of the protocol of
//! [`crate::learning::Trainer::shard_gradients_flat`]. Each worker holds a `Simulator`
//! built from the same run description (with `train.shards` > 1); every step, every worker
//! calls `shardGradients(step, first, count)` for its shards, the owner adds all of them
//! with `applyShardGradients` and posts `parameters()` to the workers' `setParameters`.
//! The weights do not depend on the number of workers.

use super::json::to_js;
use super::simulator::Simulator;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
impl Simulator {
    /// Draw the trials of shards `first .. first + count` of step `step` (1-based) and
    /// return their unnormalised gradients as one `Float32Array`: `[loss, mask sum,
    /// dW_rec…, dW_in…, db…, dW_out…, db_out…]` per shard (the owner divides by the
    /// batch's mask sum).
    #[wasm_bindgen(js_name = shardGradients)]
    pub fn shard_gradients(
        &mut self,
        step: usize,
        first: usize,
        count: usize,
    ) -> Result<js_sys::Float32Array, JsError> {
        let end = first.saturating_add(count);
        let flat = self
            .session
            .trainer
            .shard_gradients_flat(step, first..end)?;
        Ok(js_sys::Float32Array::from(flat.as_slice()))
    }

    /// The owner's update: add the shards' gradients (every shard, concatenated in shard
    /// order) and apply them; returns `{step, loss, gradNorm}`. A non-finite gradient
    /// throws and keeps the weights.
    #[wasm_bindgen(js_name = applyShardGradients)]
    pub fn apply_shard_gradients(&mut self, flat: &[f32]) -> Result<JsValue, JsError> {
        let stats = self.session.trainer.apply_flat_gradients(flat)?;
        Ok(to_js(&serde_json::json!({
            "step": stats.step + self.session.steps_offset,
            "loss": stats.loss,
            "gradNorm": stats.grad_norm,
        }))?)
    }

    /// Number of shards each batch is cut into (`train.shards`).
    #[wasm_bindgen(js_name = shardCount)]
    pub fn shard_count(&self) -> usize {
        self.session.trainer.config.shards.max(1)
    }

    /// The parameters `[W_rec…, W_in…, b…, W_out…]` (to post to the workers).
    pub fn parameters(&self) -> js_sys::Float32Array {
        js_sys::Float32Array::from(self.session.trainer.parameters_flat().as_slice())
    }

    /// Replace the parameters by the owner's (from `parameters()`).
    #[wasm_bindgen(js_name = setParameters)]
    pub fn set_parameters(&mut self, flat: &[f32]) -> Result<(), JsError> {
        Ok(self.session.trainer.set_parameters_flat(flat)?)
    }
}
