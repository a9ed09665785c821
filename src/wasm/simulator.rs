//! [`Simulator`]: the opaque handle JavaScript trains and inspects.

use super::config::{self, Parsed};
use super::draw::{self, CanvasIds};
use crate::error::Error;
use crate::model::Network;
use crate::plot::Snapshot;
use crate::rng::SimRng;
use crate::tasks::Task;
use crate::train::{evaluate_batch, Trainer};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Stream name that derives the evaluation seed from the training seed.
const EVAL_STREAM: &str = "evaluation";

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
}

/// A network being trained on a task. Everything large (weights, trajectories,
/// histories) stays in wasm memory; calls return small objects.
#[wasm_bindgen]
pub struct Simulator {
    trainer: Trainer,
    late_task: Option<Box<dyn Task>>,
    late_accuracy: Vec<(usize, f32)>,
    eval_seed: u64,
}

#[wasm_bindgen]
impl Simulator {
    /// Build from `{ network: {...NetworkConfig}, train: {...TrainConfig}, task: { id,
    /// ...options } }`. Omitted fields take their defaults; `network.n_inputs` /
    /// `n_outputs` follow the task, and the Turcu task's `pattern_dim` / `dt_ms` follow
    /// the network. Throws an `Error` naming the bad field and its value.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<Simulator, JsError> {
        let Parsed {
            network,
            train,
            task,
            late_task,
        } = config::parse(&config)?;
        let eval_seed = SimRng::derived(train.seed, EVAL_STREAM).below(1 << 30) as u64;
        let trainer = Trainer::new(Network::new(network)?, task, train)?;
        Ok(Simulator {
            trainer,
            late_task,
            late_accuracy: Vec::new(),
            eval_seed,
        })
    }

    /// Run `n` (≥ 1) training steps; returns `{step, loss, gradNorm}` of the last one. A
    /// non-finite loss or gradient throws and leaves the weights of the last good step.
    #[wasm_bindgen(js_name = trainSteps)]
    pub fn train_steps(&mut self, n: u32) -> Result<JsValue, JsError> {
        if n == 0 {
            return Err(Error::field("n", n, "must be >= 1").into());
        }
        let mut last = None;
        for _ in 0..n {
            last = Some(self.trainer.train_step()?);
        }
        let stats = last.ok_or_else(|| JsError::new("no step was run"))?;
        let report = StepReport {
            step: stats.step,
            loss: stats.loss,
            grad_norm: stats.grad_norm,
        };
        Ok(serde_wasm_bindgen::to_value(&report)?)
    }

    /// Evaluate on `nTrials` (≥ 1) fresh trials (the same ones on every call, no noise):
    /// `{loss, accuracy, lateAccuracy}`. `lateAccuracy` is the accuracy at the end of
    /// trials whose post-stimulus period is 5× longer (decision persistence), or
    /// `undefined` for tasks without that test. Appends to the accuracy histories.
    pub fn evaluate(&mut self, n_trials: u32) -> Result<JsValue, JsError> {
        if n_trials == 0 {
            return Err(Error::field("nTrials", n_trials, "must be >= 1").into());
        }
        let (loss, accuracy) = self.trainer.evaluate(n_trials as usize, self.eval_seed);
        let late_accuracy = self.late_task.as_deref().map(|late| {
            let mut rng = SimRng::derived(self.eval_seed, "late-evaluation");
            let batch = late.batch(&mut rng, n_trials as usize);
            let network = &self.trainer.network;
            evaluate_batch(network, late, &batch, self.trainer.config.loss).1
        });
        if let Some(value) = late_accuracy {
            self.late_accuracy.push((self.trainer.steps_done(), value));
        }
        Ok(serde_wasm_bindgen::to_value(&EvalReport {
            loss,
            accuracy,
            late_accuracy,
        })?)
    }

    /// Training steps done so far.
    #[wasm_bindgen(js_name = stepsDone)]
    pub fn steps_done(&self) -> usize {
        self.trainer.steps_done()
    }

    /// Loss of every step so far (a copy).
    #[wasm_bindgen(js_name = lossHistory)]
    pub fn loss_history(&self) -> js_sys::Float32Array {
        js_sys::Float32Array::from(self.trainer.loss_history.as_slice())
    }

    /// `{taskId, taskName, paper, nNeurons, nInputs, nOutputs, nSynapses, nTrainable, dtMs}`.
    pub fn info(&self) -> Result<JsValue, JsError> {
        let spec = self.trainer.task.spec();
        let network = &self.trainer.network;
        let info = Info {
            task_id: spec.id,
            task_name: spec.name,
            paper: spec.paper,
            n_neurons: network.n_neurons(),
            n_inputs: network.n_inputs(),
            n_outputs: network.n_outputs(),
            n_synapses: network.w_rec.nnz(),
            n_trainable: network.n_trainable(),
            dt_ms: spec.dt_ms,
        };
        Ok(serde_wasm_bindgen::to_value(&info)?)
    }

    /// A small plain object with everything the plots need (histories, one trial's
    /// activity, inputs/outputs/targets, the subsampled weight matrix), to post from a
    /// Worker to the page and pass to [`Simulator::draw_snapshot`].
    pub fn snapshot(&self) -> Result<JsValue, JsError> {
        Ok(serde_wasm_bindgen::to_value(&self.capture())?)
    }

    /// Draw a snapshot (from [`Simulator::snapshot`]) into the canvases named by
    /// `canvasIds = {loss, accuracy, activity, weights, output}` (keys may be omitted).
    /// Throws naming the id if a canvas is missing.
    #[wasm_bindgen(js_name = drawSnapshot)]
    pub fn draw_snapshot(snapshot: JsValue, canvas_ids: JsValue) -> Result<(), JsError> {
        let snapshot: Snapshot = serde_wasm_bindgen::from_value(snapshot)
            .map_err(|e| JsError::new(&format!("invalid snapshot: {e}")))?;
        draw::draw_snapshot(&snapshot, &CanvasIds::from_js(canvas_ids)?)
    }

    /// Draw the current state directly (same as `drawSnapshot(this.snapshot(), ids)`,
    /// without the round trip through JS).
    pub fn draw(&self, canvas_ids: JsValue) -> Result<(), JsError> {
        draw::draw_snapshot(&self.capture(), &CanvasIds::from_js(canvas_ids)?)
    }
}

impl Simulator {
    fn capture(&self) -> Snapshot {
        let trainer = &self.trainer;
        Snapshot::capture(
            &trainer.network,
            trainer.task.as_ref(),
            &trainer.loss_history,
            &trainer.accuracy_history,
            &self.late_accuracy,
            self.eval_seed,
        )
    }
}
