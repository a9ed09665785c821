//! Saving, loading and exporting the [`Simulator`]'s model: versioned JSON model files
//! ([`crate::persist`]) and NumPy `.npy` arrays.

use super::config;
use super::simulator::Simulator;
use crate::error::Error;
use crate::persist::{load_model, save_model, to_npy};
use crate::rng::SimRng;
use crate::train::{forward, Trajectory};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Largest N for which the dense `weights` / `mask` exports are made (N² floats).
pub const MAX_DENSE_EXPORT: usize = 4096;

/// Result of [`Simulator::load_model`].
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Loaded {
    steps_done: usize,
    n_neurons: usize,
    n_synapses: usize,
}

#[wasm_bindgen]
impl Simulator {
    /// The current network as a versioned JSON model file (`schema`
    /// "sparse-rnn-lab/model", `version` 1, `steps_done`, `network`).
    #[wasm_bindgen(js_name = saveModel)]
    pub fn save_model(&self) -> String {
        save_model(&self.trainer.network, self.steps_done())
    }

    /// Replace the network by the one in model file `text` (from [`Simulator::save_model`])
    /// and restart the optimizer and histories; the task, rule and training settings stay.
    /// Returns `{stepsDone, nNeurons, nSynapses}`. A malformed, truncated, oversized or
    /// incompatible file (wrong number of inputs/outputs for the task) throws an `Error`
    /// saying what is wrong, and the current model is kept unchanged.
    #[wasm_bindgen(js_name = loadModel)]
    pub fn load_model(&mut self, text: &str) -> Result<JsValue, JsError> {
        crate::budget::check_model_text(text, &self.limits)?;
        let (network, steps) = load_model(text)?;
        let parsed = config::parse_json(self.config_json.clone())?;
        let shape = crate::budget::RunShape {
            network: &network.config,
            synapses: network.w_rec.nnz() as f64,
            steps: crate::budget::task_steps(parsed.task.as_ref()),
            task_id: self.config_json["task"]["id"].as_str().unwrap_or(""),
        };
        crate::budget::check_shape(&shape, &parsed.train, &parsed.rule, &self.limits, None)?;
        let mut next = Simulator::from_parsed(parsed, Some(network))
            .map_err(|e| JsError::new(&format!("the model does not fit the current task: {e}")))?;
        next.steps_offset = steps;
        *self = next;
        let network = &self.trainer.network;
        Ok(serde_wasm_bindgen::to_value(&Loaded {
            steps_done: steps,
            n_neurons: network.n_neurons(),
            n_synapses: network.w_rec.nnz(),
        })?)
    }

    /// A NumPy `.npy` file (float32, row-major) of `what`: `"weights"` (W_rec as a dense
    /// N × N matrix, rows = postsynaptic), `"mask"` (1 where a synapse exists, N × N) or
    /// `"activity"` (the states of the plotted trial, N × T). Dense exports need
    /// N ≤ 4096.
    #[wasm_bindgen(js_name = exportNpy)]
    pub fn export_npy(&self, what: &str) -> Result<js_sys::Uint8Array, JsError> {
        let network = &self.trainer.network;
        let n = network.n_neurons();
        if matches!(what, "weights" | "mask") && n > MAX_DENSE_EXPORT {
            return Err(Error::field("n_neurons", n, "must be <= 4096 for a dense export").into());
        }
        if matches!(what, "weights" | "mask") {
            // the dense matrix, the .npy bytes and (for the mask) a copy of W_rec
            let dense_bytes = (n * n) as f64 * 8.0 + network.w_rec.nnz() as f64 * 32.0;
            crate::budget::alloc::probe(dense_bytes, "the dense export (n_neurons² floats)")?;
        }
        let bytes = match what {
            "weights" => to_npy(&network.w_rec.to_dense(), &[n, n])?,
            "mask" => {
                let mut mask = network.w_rec.clone();
                mask.values.iter_mut().for_each(|v| *v = 1.0);
                to_npy(&mask.to_dense(), &[n, n])?
            }
            "activity" => {
                let task = self.trainer.task.as_ref();
                let trial = task.trial(&mut SimRng::derived(self.eval_seed(), "snapshot"));
                let batch = crate::tasks::TrialBatch::pack(vec![trial]);
                let mut trajectory = Trajectory::default();
                forward(
                    network,
                    &batch.inputs,
                    batch.n_steps,
                    1,
                    None,
                    &mut trajectory,
                );
                let t = batch.n_steps;
                let mut data = Vec::with_capacity(n * t);
                for i in 0..n {
                    data.extend((1..=t).map(|s| trajectory.state(i, s, 0)));
                }
                to_npy(&data, &[n, t])?
            }
            other => {
                return Err(Error::UnknownName {
                    field: "what",
                    value: other.into(),
                    allowed: "weights, mask, activity".into(),
                }
                .into())
            }
        };
        Ok(js_sys::Uint8Array::from(bytes.as_slice()))
    }
}
