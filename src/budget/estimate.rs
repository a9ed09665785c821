//! The estimate itself: bytes per part of a run, from the validated configuration.
//!
//! Counted per synapse S: CSR column + value + transposed row/permutation/value, the
//! trainable parameter, its gradient and two Adam moments (40 B natively; in wasm 56 B
//! with the Simulator's copy of the initial W_rec). Per trial lane L = T·B: the stored
//! states and rates (one more state array in the voltage form), the backward scratch and
//! the pre-activation error (and, for a dense W_rec, the lane-major copy of the states its
//! gradient GEMM reads), the outputs, targets, mask and inputs (twice: the trials and
//! the packed batch). Rules add their own buffers (see [`rule_terms`]).

use super::{human_count, synapse_count, Estimate};
use crate::learning::LearningRule;
use crate::model::{Connectivity, Dynamics, InitKind, InputMap, NetworkConfig, Readout};
use crate::rng::SimRng;
use crate::tasks::Task;
use crate::train::TrainConfig;

const F32: f64 = 4.0;
const F64: f64 = 8.0;
const USIZE: f64 = std::mem::size_of::<usize>() as f64;
/// Bytes per stored CSR entry: column (u32), value, transposed row (u32), permutation
/// (usize) and value.
const CSR_ENTRY: f64 = 4.0 + F32 + 4.0 + USIZE + F32;
/// Trials sampled to estimate the number of steps per trial.
const STEP_SAMPLES: usize = 8;
/// Margin on the longest sampled trial (trial lengths vary, batches pad to the longest).
pub(super) const STEP_MARGIN: f64 = 1.25;

/// The sizes of a run that the estimate needs, resolved from the configuration.
#[derive(Debug, Clone)]
pub struct RunShape<'a> {
    /// The validated network configuration.
    pub network: &'a NetworkConfig,
    /// Recurrent synapses: [`synapse_count`] of the config, or the real count of a loaded
    /// network.
    pub synapses: f64,
    /// Estimated steps per trial (see [`task_steps`]).
    pub steps: f64,
    /// Task id, to name it in the message.
    pub task_id: &'a str,
}

impl<'a> RunShape<'a> {
    /// Shape of a run of `network` on `task` (synapses from the config, steps sampled).
    pub fn new(network: &'a NetworkConfig, task: &dyn Task, task_id: &'a str) -> Self {
        RunShape {
            network,
            synapses: synapse_count(network),
            steps: task_steps(task),
            task_id,
        }
    }

    fn n(&self) -> f64 {
        self.network.n_neurons as f64
    }

    fn inputs(&self) -> f64 {
        self.network.n_inputs as f64
    }

    fn outputs(&self) -> f64 {
        self.network.effective_outputs() as f64
    }

    fn input_entries(&self) -> f64 {
        match self.network.input_map {
            InputMap::Dense => self.n() * self.inputs(),
            InputMap::Identity => self.n(),
        }
    }

    fn readout_entries(&self) -> f64 {
        match self.network.readout {
            Readout::Trained => self.outputs() * self.n(),
            Readout::Population => self.n() * self.network.readout_fraction,
        }
    }

    /// "`network.n_neurons` 16384, `network.connectivity` dense: 268.4 M synapses".
    fn synapse_drivers(&self) -> String {
        let c = self.network;
        let (name, parameter) = match c.connectivity {
            Connectivity::Dense => ("dense", String::new()),
            Connectivity::Autapse => ("autapse", String::new()),
            Connectivity::FixedInDegree => ("fixed-in-degree", format!(", `network.k` {}", c.k)),
            Connectivity::RandomDensity => (
                "random-density",
                format!(", `network.density` {}", c.density),
            ),
            Connectivity::Local => ("local", format!(", `network.radius` {}", c.radius)),
        };
        format!(
            "`network.n_neurons` {}, `network.connectivity` {name}{parameter}: {} synapses",
            c.n_neurons,
            human_count(self.synapses)
        )
    }

    fn lanes_drivers(&self, batch: f64, batch_field: &str) -> String {
        format!(
            "{batch_field} {batch} × ≈ {} steps per trial (`task.id` {})",
            self.steps, self.task_id
        )
    }
}

/// Steps per trial of `task`, estimated from a few sampled trials (stops early on a trial
/// with more than 2²⁰ input values; task options already bound one trial's size) times a
/// 25 % margin. Deterministic: the samples come from a fixed seed.
pub fn task_steps(task: &dyn Task) -> f64 {
    let mut rng = SimRng::derived(0x5eed, "memory-estimate");
    let mut longest = 1usize;
    for _ in 0..STEP_SAMPLES {
        let trial = task.trial(&mut rng);
        longest = longest.max(trial.n_steps());
        if trial.inputs.len() > 1 << 20 {
            break;
        }
    }
    (longest as f64 * STEP_MARGIN).ceil()
}

/// Weights, their gradients and Adam state, the mask being drawn, initialisation
/// workspaces, and (in the Simulator) the copy of the initial W_rec.
fn network_terms(e: &mut Estimate, shape: &RunShape, adam: bool) {
    let c = shape.network;
    let (n, s) = (shape.n(), shape.synapses);
    let trained = if adam { F32 + 2.0 * F32 } else { F32 };
    // CSR + parameter + gradient (+ Adam); the mask's rows (4 B) are freed before the
    // gradients exist. In wasm the Simulator also keeps the initial W_rec (spectrum).
    let initial_copy = if cfg!(target_arch = "wasm32") {
        CSR_ENTRY
    } else {
        0.0
    };
    let per_synapse = CSR_ENTRY + F32 + trained + initial_copy;
    let what = if adam {
        "weights, Adam state, gradients"
    } else {
        "weights, gradients"
    };
    e.add(
        s * per_synapse + n * 4.0 * USIZE,
        format!("{} × {what}", shape.synapse_drivers()),
    );
    let io = (shape.input_entries() + shape.readout_entries()) * (CSR_ENTRY + trained);
    e.add(
        io + n * (3.0 * F32 + trained),
        format!(
            "`network.n_inputs` {} + `network.n_outputs` {} channels × `network.n_neurons` {}: input and readout weights",
            c.n_inputs,
            c.effective_outputs(),
            c.n_neurons
        ),
    );
    if c.spectral_radius.is_some() {
        e.add(
            n * n * (F32 + 2.0 * F64),
            format!(
                "`network.spectral_radius` with `network.n_neurons` {}: dense N × N eigenvalue workspace",
                c.n_neurons
            ),
        );
    }
    if c.init == InitKind::Orthogonal {
        e.add(
            2.0 * n * n * F64,
            format!(
                "`network.init` orthogonal with `network.n_neurons` {}: dense N × N matrix",
                c.n_neurons
            ),
        );
    }
}

/// Trajectory, backward buffers and trial buffers for `batch` trials of `steps` steps.
fn lane_terms(e: &mut Estimate, shape: &RunShape, batch: f64, steps: f64, field: &str, bptt: bool) {
    trajectory_term(
        e,
        shape,
        batch,
        steps,
        &shape.lanes_drivers(batch, field),
        bptt,
    );
    buffer_term(e, shape, batch, steps, &shape.lanes_drivers(batch, field));
}

/// The simulated (and, for BPTT, backward) trajectory of `batch` trials of `steps` steps;
/// `lanes_drivers` says which fields set them.
fn trajectory_term(
    e: &mut Estimate,
    shape: &RunShape,
    batch: f64,
    steps: f64,
    lanes_drivers: &str,
    bptt: bool,
) {
    let c = shape.network;
    let (n, o) = (shape.n(), shape.outputs());
    let lanes = steps * batch;
    let voltage = c.dynamics == Dynamics::Voltage;
    // states (T+1)·B and rates T·B, voltage rates (T+1)·B, outputs; for BPTT the scratch,
    // dL/dpre and dL/dy
    let mut per_neuron = 2.0 * lanes + batch;
    if voltage {
        per_neuron += lanes + batch;
    }
    if c.dynamics.is_spiking() {
        // spikes and filtered spikes (T+1)·B, surrogate and thresholds T·B
        per_neuron += 4.0 * lanes + 2.0 * batch;
    }
    let mut dense_scratch = 0.0;
    if bptt {
        per_neuron += 2.0 * lanes + 2.0 * batch;
        if shape.synapses >= n * n {
            // a dense W_rec's gradient is one GEMM on a lane-major copy of the presynaptic
            // states (N × T·B), into an N × N scratch unless N is a multiple of 4
            // (`train::backprop`'s scratch)
            per_neuron += lanes;
            if !c.n_neurons.is_multiple_of(4) {
                dense_scratch = n * n;
            }
        }
        if c.rec_noise_std > 0.0 && !c.dynamics.is_spiking() {
            // a packed batch draws its recurrent noise into a padded scratch first
            // (`train::recurrent_noise`)
            per_neuron += lanes;
        }
    }
    let dynamics = if voltage {
        ", `network.dynamics` voltage"
    } else {
        ""
    };
    let what = if bptt {
        "BPTT trajectory"
    } else {
        "simulated trajectory"
    };
    e.add(
        F32 * (n * per_neuron + o * lanes * 2.0 + dense_scratch),
        format!(
            "`network.n_neurons` {} × {lanes_drivers}{dynamics}: {what}",
            c.n_neurons
        ),
    );
}

/// Inputs, targets and mask of `batch` trials of `steps` steps: once in the trials
/// (time-major), once packed.
fn buffer_term(e: &mut Estimate, shape: &RunShape, batch: f64, steps: f64, lanes_drivers: &str) {
    let c = shape.network;
    let (o, i) = (shape.outputs(), shape.inputs());
    let lanes = steps * batch;
    e.add(
        2.0 * F32 * lanes * (i + 2.0 * o) + batch * 256.0,
        format!(
            "{lanes_drivers} × (`network.n_inputs` {} + 2 × `network.n_outputs` {}): trial buffers",
            c.n_inputs,
            c.effective_outputs()
        ),
    );
}

/// Buffers a learning rule adds to BPTT's.
fn rule_terms(e: &mut Estimate, shape: &RunShape, rule: &LearningRule, batch: f64, steps: f64) {
    let (n, s) = (shape.n(), shape.synapses);
    let lanes = steps * batch;
    let network_copy =
        s * (CSR_ENTRY + F32) + (shape.input_entries() + shape.readout_entries()) * CSR_ENTRY;
    let name = serde_json::to_value(rule)
        .ok()
        .and_then(|v| v["rule"].as_str().map(str::to_string))
        .unwrap_or_default();
    let syn = human_count(s);
    let (bytes, what) = match rule {
        LearningRule::Bptt => (0.0, String::new()),
        LearningRule::FeedbackAlignment(_) => (
            shape.readout_entries() * CSR_ENTRY + 2.0 * F32 * n * lanes,
            "feedback matrix and error buffers".into(),
        ),
        LearningRule::DirectFeedbackAlignment(_) => (
            F32 * s * batch + F32 * s + 2.0 * F32 * n * lanes,
            format!("eligibility traces ({syn} synapses × `train.batch_size` {batch})"),
        ),
        LearningRule::PredictiveCoding(_) => (
            8.0 * F32 * n * lanes,
            "value nodes and prediction errors (8 × N × steps × batch)".into(),
        ),
        LearningRule::HebbianOs(_) | LearningRule::HebbianOsPlus(_) => (
            F64 * s + network_copy,
            format!("Hebbian sums ({syn} synapses) and the next network"),
        ),
        LearningRule::LocalPlasticity(_) => (
            F32 * s + F32 * n * lanes + network_copy,
            format!("weight changes ({syn} synapses) and rates"),
        ),
        LearningRule::Bean(_) => {
            let degree = s / n.max(1.0);
            let pairs = n * (degree * degree).min(n);
            (
                32.0 * pairs + 32.0 * s + 3.0 * F32 * n * lanes,
                format!(
                    "assembly pairs (≈ {} neuron pairs sharing a target; {}) and rate gradients",
                    human_count(pairs),
                    shape.synapse_drivers()
                ),
            )
        }
        LearningRule::ImperfectForward(_) => (network_copy, "the perturbed network".into()),
        LearningRule::Reservoir(_) => (
            F64 * (n * n + 512.0 * n) + network_copy,
            "normal equations or RLS matrix (N × N in f64) and state chunks".into(),
        ),
        LearningRule::Eprop(_) => {
            let entries = s + shape.input_entries() + n;
            // the sweep's blocks: ε^I of every presynaptic channel (neurons, inputs, bias)
            // through one block of steps, and three per-block scratch rows
            let block = crate::learning::eprop::BLOCK_STEPS as f64;
            let channels = n + shape.inputs() + 1.0;
            (
                4.0 * F32 * entries * batch
                    + F64 * entries
                    + F32 * n * lanes
                    + F32 * (channels * (block + 1.0) + 3.0 * block) * batch,
                format!(
                    "eligibility traces (4 per synapse and trial: {} × `train.batch_size` {batch}), \
                     the rate error and {block} steps of presynaptic traces",
                    human_count(entries)
                ),
            )
        }
    };
    e.add(bytes, format!("`rule` {name}: {what}"));
}

/// Estimate of building and training `shape` with `train` and `rule`.
pub fn run_estimate(shape: &RunShape, train: &TrainConfig, rule: &LearningRule) -> Estimate {
    let mut e = Estimate::default();
    let adam = !matches!(
        rule,
        LearningRule::HebbianOs(_)
            | LearningRule::HebbianOsPlus(_)
            | LearningRule::LocalPlasticity(_)
            | LearningRule::Reservoir(_)
    );
    network_terms(&mut e, shape, adam);
    let batch = train.batch_size as f64;
    // the reservoir rule only simulates forward (it fits the readout in closed form)
    let bptt = !matches!(rule, LearningRule::Reservoir(_));
    lane_terms(
        &mut e,
        shape,
        batch,
        shape.steps,
        "`train.batch_size`",
        bptt,
    );
    rule_terms(&mut e, shape, rule, batch, shape.steps);
    e
}

/// Estimate of evaluating on `n_trials` fresh trials (`trials_field` names the argument):
/// the trial buffers of every trial, the noise-free trajectory of the trials simulated at
/// once ([`crate::train::eval_chunk_trials`]: all of them unless their trajectory would
/// exceed [`crate::train::EVAL_CHUNK_BYTES`]) with the chunk's packed buffers, and the
/// same for the persistence test (`late_factor` × longer trials) if there is one. The
/// network itself is not counted (it exists already).
pub fn evaluation_estimate(
    shape: &RunShape,
    n_trials: f64,
    trials_field: &str,
    late_factor: Option<f64>,
) -> Estimate {
    let mut e = Estimate::default();
    let steps = shape.steps * late_factor.unwrap_or(1.0).max(1.0);
    let chunk = crate::train::eval_chunk_trials(shape.network, steps as usize) as f64;
    if chunk >= n_trials {
        lane_terms(&mut e, shape, n_trials, steps, trials_field, false);
        return e;
    }
    buffer_term(
        &mut e,
        shape,
        n_trials,
        steps,
        &shape.lanes_drivers(n_trials, trials_field),
    );
    let field = format!("{trials_field} {n_trials} simulated in chunks of");
    let drivers = shape.lanes_drivers(chunk, &field);
    trajectory_term(&mut e, shape, chunk, steps, &drivers, false);
    buffer_term(&mut e, shape, chunk, steps, &drivers);
    e
}

/// Estimate of the analysis of a trained network: eigenvalues (dense N × N in f64, twice,
/// up to `max_eigen_neurons`), the pruned copies of the degradation curve, and the
/// trajectories of `trials` trials.
pub fn analysis_estimate(shape: &RunShape, max_eigen_neurons: usize, trials: f64) -> Estimate {
    let mut e = Estimate::default();
    let n = shape.n();
    if shape.network.n_neurons <= max_eigen_neurons {
        e.add(
            n * n * (F32 + 2.0 * F64) * 2.0,
            format!(
                "`network.n_neurons` {}: dense N × N eigenvalue workspaces",
                shape.network.n_neurons
            ),
        );
    }
    e.add(
        shape.synapses * (CSR_ENTRY + F32 + USIZE),
        format!("{}: pruned copies of W_rec", shape.synapse_drivers()),
    );
    lane_terms(&mut e, shape, trials, shape.steps, "analysis trials", false);
    e
}

/// Estimate of holding the network a model file declares (its config; the synapse count
/// from the config or, if larger, what `text_bytes` of JSON can hold at ≥ 2 bytes per
/// number) plus parsing it.
pub fn model_file_estimate(network: &NetworkConfig, text_bytes: usize) -> Estimate {
    let synapses = synapse_count(network).min(text_bytes as f64 / 2.0);
    let mut e = weights_estimate(network, synapses);
    e.add(text_bytes as f64, "the model file's text");
    e
}

/// Estimate of the weights of the network of `config` with `synapses` synapses (no
/// optimizer state): what building it allocates.
pub fn weights_estimate(network: &NetworkConfig, synapses: f64) -> Estimate {
    let shape = RunShape {
        network,
        synapses,
        steps: 1.0,
        task_id: "",
    };
    let mut e = Estimate::default();
    network_terms(&mut e, &shape, false);
    e
}
