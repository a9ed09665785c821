//! Saving, loading and exporting the [`Simulator`]'s model: versioned JSON model files
//! ([`crate::persist`]) and NumPy `.npy` arrays.

use super::json::to_js;
use super::simulator::Simulator;
use crate::error::Error;
use crate::lab::export::export_session_npz;
use crate::lab::npz::npy_f32;
use crate::lab::report::plotted_trial;
use crate::lab::session::{Resume, Session};
use crate::persist::save_model;
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
        save_model(&self.session.trainer.network, self.steps_done())
    }

    /// Replace the network by the one in model file `text` (from [`Simulator::save_model`])
    /// and restart the optimizer and histories (a long run's record is dropped:
    /// `longRunRestore` puts back the one stored with this model); the task, rule and training settings stay.
    /// Returns `{stepsDone, nNeurons, nSynapses}`. A malformed, truncated, oversized or
    /// incompatible file (wrong number of inputs/outputs for the task) throws an `Error`
    /// saying what is wrong, and the current model is kept unchanged.
    #[wasm_bindgen(js_name = loadModel)]
    pub fn load_model(&mut self, text: &str) -> Result<JsValue, JsError> {
        let config = self.session.config.clone();
        self.session = Session::from_model(config, text, Resume::AnyNetwork)?;
        let steps = self.session.steps_offset;
        // the curve of a long run belongs to the replaced weights
        self.long_run = None;
        let network = &self.session.trainer.network;
        Ok(to_js(&Loaded {
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
        let network = &self.session.trainer.network;
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
            "weights" => npy_f32(&network.w_rec.to_dense(), &[n, n])?,
            "mask" => {
                let mut mask = network.w_rec.clone();
                mask.values.iter_mut().for_each(|v| *v = 1.0);
                npy_f32(&mask.to_dense(), &[n, n])?
            }
            "activity" => {
                let session = &self.session;
                let (batch, trajectory) =
                    plotted_trial(network, session.trainer.task.as_ref(), session.eval_seed());
                let t = batch.n_steps;
                let mut data = Vec::with_capacity(n * t);
                for i in 0..n {
                    data.extend((1..=t).map(|s| trajectory.state(i, s, 0)));
                }
                npy_f32(&data, &[n, t])?
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

    /// The network and the plotted trial as one NumPy `.npz` (PsychRNN key names:
    /// `W_in`, `W_rec` (effective), `W_out`, `b_rec`, `b_out`, `Connectivity_rec`,
    /// `Dale_rec`, `init_state`; plus `config` (JSON), `trial_inputs`, `trial_targets`,
    /// `trial_states`, `trial_outputs`, and neurogym's `ob` / `gt`), ready for
    /// `numpy.load`. Needs N <= 2048; a bigger network throws an `Error` naming `n_neurons`.
    #[wasm_bindgen(js_name = exportNpz)]
    pub fn export_npz(&self) -> Result<js_sys::Uint8Array, JsError> {
        let bytes = export_session_npz(&self.session)?;
        Ok(js_sys::Uint8Array::from(bytes.as_slice()))
    }
}
