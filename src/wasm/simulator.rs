//! [`Simulator`]: the opaque handle JavaScript trains and inspects.

use super::draw::{self, AnalysisIds, CanvasIds};
use super::json::json_arg;
use super::json::to_js;
use crate::error::Error;
use crate::lab::long_run::LongRun;
use crate::lab::session::Session;
use crate::learning::LearningRule;
use crate::model::sheet_shape;
use crate::plot::{Analysis, Chart, Snapshot};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Result of [`Simulator::train_steps`].
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StepReport {
    step: usize,
    loss: f32,
    grad_norm: f32,
}

/// Result of [`Simulator::evaluate`].
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EvalReport {
    loss: f32,
    accuracy: f32,
    late_accuracy: Option<f32>,
    /// `[task id, score]` per component of a task mixture (absent for single tasks).
    #[serde(skip_serializing_if = "Option::is_none")]
    per_task: Option<Vec<(String, f32)>>,
}

/// Result of [`Simulator::readout_traces`].
#[derive(Serialize)]
struct ReadoutPair {
    before: Chart,
    after: Chart,
}

/// Result of [`Simulator::info`].
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Info {
    task_id: String,
    task_name: String,
    paper: String,
    n_neurons: usize,
    n_inputs: usize,
    n_outputs: usize,
    n_synapses: usize,
    n_trainable: usize,
    dt_ms: f64,
    rule: String,
    connectivity: String,
    density: f64,
    sheet_width: usize,
    sheet_height: usize,
    excitatory: Option<usize>,
    family: String,
    is_mixture: bool,
    has_readout: bool,
    spiking: bool,
    score_label: String,
}

/// A network being trained on a task: a handle around a [`Session`], the same training
/// run `srnn train` drives. Everything large (weights, trajectories, histories) stays in
/// wasm memory; calls return small objects.
#[wasm_bindgen]
pub struct Simulator {
    pub(super) session: Session,
    /// The record of a "train until" run (`longRunStart`), if one was started or restored.
    pub(super) long_run: Option<LongRun>,
}

/// Most steps one [`Simulator::train_steps`] call runs (a call cannot be interrupted).
pub const MAX_STEPS_PER_CALL: u32 = 100_000;

#[wasm_bindgen]
impl Simulator {
    /// Build from `{ network: {...NetworkConfig}, train: {...TrainConfig}, task: { id,
    /// ...options }, rule: {rule: name, ...settings} }`. Omitted fields take their defaults
    /// (`rule` defaults to BPTT); `network.n_inputs` / `n_outputs` follow the task, and
    /// the Turcu task's `pattern_dim` / `dt_ms` follow the network. Throws an `Error`
    /// naming the bad field and its value.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<Simulator, JsError> {
        Ok(Simulator {
            session: Session::new(json_arg(&config, "config", "")?)?,
            long_run: None,
        })
    }

    /// Run `n` (≥ 1) training steps; returns `{step, loss, gradNorm}` of the last one. A
    /// non-finite loss or gradient throws and leaves the weights of the last good step.
    #[wasm_bindgen(js_name = trainSteps)]
    pub fn train_steps(&mut self, n: u32) -> Result<JsValue, JsError> {
        if n == 0 || n > MAX_STEPS_PER_CALL {
            return Err(Error::field("n", n, "must be in 1..=100000").into());
        }
        let stats = self.session.train(n as usize)?;
        let report = StepReport {
            step: stats.step,
            loss: stats.loss,
            grad_norm: stats.grad_norm,
        };
        Ok(to_js(&report)?)
    }

    /// Evaluate on `nTrials` (≥ 1) fresh trials (the same ones on every call, no noise):
    /// `{loss, accuracy, lateAccuracy}`. `lateAccuracy` is the accuracy at the end of
    /// trials whose post-stimulus period is 5× longer (decision persistence), or
    /// `undefined` for tasks without that test. For task mixtures `perTask` lists
    /// `[taskId, score]` per component task. Appends to the accuracy histories.
    pub fn evaluate(&mut self, n_trials: u32) -> Result<JsValue, JsError> {
        if n_trials == 0 {
            return Err(Error::field("nTrials", n_trials, "must be >= 1").into());
        }
        let result = self.session.evaluate(n_trials as usize)?;
        let per_task = result.per_task.map(|scores| {
            scores
                .into_iter()
                .map(|s| (s.task, s.score))
                .collect::<Vec<_>>()
        });
        Ok(to_js(&EvalReport {
            loss: result.loss,
            accuracy: result.accuracy,
            late_accuracy: result.late_accuracy,
            per_task,
        })?)
    }

    /// Training steps done so far (including those of a loaded model).
    #[wasm_bindgen(js_name = stepsDone)]
    pub fn steps_done(&self) -> usize {
        self.session.steps_done()
    }

    /// Loss of every step so far (a copy).
    #[wasm_bindgen(js_name = lossHistory)]
    pub fn loss_history(&self) -> js_sys::Float32Array {
        js_sys::Float32Array::from(self.session.trainer.loss_history.as_slice())
    }

    /// `{taskId, taskName, paper, nNeurons, nInputs, nOutputs, nSynapses, nTrainable, dtMs,
    /// rule, connectivity, density, sheetWidth, sheetHeight, excitatory, family, isMixture,
    /// hasReadout, spiking, scoreLabel}` (`excitatory`: number of excitatory neurons under Dale's law, else
    /// `undefined`; `family`: the task's family in `taskCatalog()`; `isMixture`: the task
    /// has components scored on their own; `hasReadout`: Turcu & Abbott's readout picture,
    /// `readoutTraces`, exists for it; `spiking`: LIF/ALIF neurons, the snapshot carries a
    /// spike raster; `scoreLabel`: what the evaluation's `accuracy` measures for this task,
    /// e.g. "accuracy" or "R² (≤ 0 shown as 0)"). The page reads these facts here, never
    /// from ids.
    pub fn info(&self) -> Result<JsValue, JsError> {
        let trainer = &self.session.trainer;
        let spec = trainer.task.spec();
        let network = &trainer.network;
        let (sheet_width, sheet_height) = sheet_shape(network.n_neurons());
        let rule = serde_json::to_value(&trainer.rule)?;
        let connectivity = serde_json::to_value(network.config.connectivity)?;
        let family = crate::tasks::registry::task_ids()
            .into_iter()
            .find(|t| t.id == spec.id)
            .map(|t| t.family)
            .unwrap_or_default();
        let info = Info {
            is_mixture: trainer.task.component(0).is_some(),
            has_readout: family == "patterns" && network.n_outputs() == 1,
            spiking: network.config.dynamics.is_spiking(),
            score_label: trainer.task.score_label().to_string(),
            family,
            task_id: spec.id,
            task_name: spec.name,
            paper: spec.paper,
            n_neurons: network.n_neurons(),
            n_inputs: network.n_inputs(),
            n_outputs: network.n_outputs(),
            n_synapses: network.w_rec.nnz(),
            n_trainable: network.n_trainable(),
            dt_ms: spec.dt_ms,
            rule: rule["rule"].as_str().unwrap_or("bptt").to_string(),
            connectivity: connectivity.as_str().unwrap_or_default().to_string(),
            density: network.w_rec.density(),
            sheet_width,
            sheet_height,
            excitatory: network
                .has_dale()
                .then(|| network.neuron_sign.iter().filter(|s| **s > 0.0).count()),
        };
        Ok(to_js(&info)?)
    }

    /// A small plain object with everything the plots need (histories, one trial's
    /// activity, inputs/outputs/targets, the subsampled weight matrix), to post from a
    /// Worker to the page and pass to [`Simulator::draw_snapshot`].
    pub fn snapshot(&self) -> Result<JsValue, JsError> {
        Ok(to_js(&self.session.snapshot())?)
    }

    /// Draw a snapshot (from [`Simulator::snapshot`]) into the canvases named by
    /// `canvasIds = {loss, accuracy, activity, weights, output, trial, perTask}` (keys
    /// may be omitted).
    /// Throws naming the id if a canvas is missing.
    #[wasm_bindgen(js_name = drawSnapshot)]
    pub fn draw_snapshot(snapshot: JsValue, canvas_ids: JsValue) -> Result<(), JsError> {
        let snapshot: Snapshot = serde_wasm_bindgen::from_value(snapshot)
            .map_err(|e| JsError::new(&format!("invalid snapshot: {e}")))?;
        crate::budget::drawing::check_snapshot(&snapshot)?;
        draw::draw_snapshot(&snapshot, &CanvasIds::from_js(canvas_ids)?)
    }

    /// Draw the current state directly (same as `drawSnapshot(this.snapshot(), ids)`,
    /// without the round trip through JS).
    pub fn draw(&self, canvas_ids: JsValue) -> Result<(), JsError> {
        draw::draw_snapshot(&self.session.snapshot(), &CanvasIds::from_js(canvas_ids)?)
    }

    /// Analyse the current network (in the worker; can take a second for N ≈ 500):
    /// eigenvalues of W_rec now and at construction (N ≤ 512), accuracy after removing
    /// 0–90 % of the synapses (random and smallest-magnitude first) and the hidden-state
    /// trajectories of 8 trials on their first two principal components. Returns a small
    /// plain object for [`Simulator::draw_analysis`].
    pub fn analysis(&mut self) -> Result<JsValue, JsError> {
        let analysis = self.session.analysis()?;
        Ok(to_js(&analysis)?)
    }

    /// The reservoir pictures: `{generation, memory}`, charts (for `drawChart`) of
    /// closed-loop generation vs the true series (`null` unless the task is one-step
    /// prediction of one series) and of the memory-capacity curve r²(k); `undefined`
    /// unless the rule is `reservoir` (Rust: `lab::reservoir::reservoir_charts`).
    #[wasm_bindgen(js_name = reservoirCharts)]
    pub fn reservoir_charts(&self) -> Result<JsValue, JsError> {
        match crate::lab::reservoir::reservoir_charts(&self.session)? {
            Some(charts) => Ok(to_js(&charts)?),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// Turcu & Abbott's readout picture: `{before, after}`, two charts (for `drawChart`)
    /// with the readout of every pattern over a trial 5× longer after the input than in
    /// training, coloured by class, for the network as built and as it is now;
    /// `undefined` for tasks without a finite set of class-labelled conditions.
    #[wasm_bindgen(js_name = readoutTraces)]
    pub fn readout_traces(&self) -> Result<JsValue, JsError> {
        let Some((before, after)) = self.session.readout_traces() else {
            return Ok(JsValue::UNDEFINED);
        };
        Ok(to_js(&ReadoutPair { before, after })?)
    }

    /// Draw an analysis (from [`Simulator::analysis`]) into the canvases named by
    /// `canvasIds = {eigen, degradation, pca}` (keys may be omitted).
    #[wasm_bindgen(js_name = drawAnalysis)]
    pub fn draw_analysis(analysis: JsValue, canvas_ids: JsValue) -> Result<(), JsError> {
        let analysis: Analysis = serde_wasm_bindgen::from_value(analysis)
            .map_err(|e| JsError::new(&format!("invalid analysis: {e}")))?;
        draw::draw_analysis(&analysis, &AnalysisIds::from_js(canvas_ids)?)
    }

    /// Indices of the presynaptic partners of neuron `neuron` (its row of the mask), for
    /// the connectivity footprint on the 2-D sheet.
    pub fn presynaptic(&self, neuron: usize) -> Result<js_sys::Uint32Array, JsError> {
        let w = &self.session.trainer.network.w_rec;
        if neuron >= w.n_rows {
            return Err(Error::field("neuron", neuron, "must be < n_neurons").into());
        }
        let partners = &w.col_idx[w.row_ptr[neuron]..w.row_ptr[neuron + 1]];
        Ok(js_sys::Uint32Array::from(partners))
    }
}

impl Simulator {
    /// The learning rule in use.
    pub fn rule(&self) -> &LearningRule {
        &self.session.trainer.rule
    }
}
