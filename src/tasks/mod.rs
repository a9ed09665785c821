//! Task library: every task produces [`Trial`]s (inputs, targets and loss mask on a time
//! grid of `dt_ms`, with named periods) and scores a network's output on a trial.
//!
//! Layout conventions: a single trial is time-major (`[T, channels]`, ndarray); a packed
//! [`TrialBatch`] is channel-major with the batch contiguous (`[channel][t][b]`), which is
//! the layout the kernels use.

mod batch;
mod builder;
pub mod channels;
pub mod go_nogo;
pub mod jarne_laje;
pub mod mixture;
pub mod modcog;
pub mod modcog_ngym;
pub mod noise;
pub mod ob_gt;
pub mod recorded;
pub mod registry;
pub mod ring;
pub mod spiking;
pub mod timeseries;
mod timing;
pub mod turcu;
pub mod turcu_evidence;
pub mod yang;

pub use batch::TrialBatch;
pub use builder::TrialBuilder;
pub use channels::ChannelGroup;
pub use timing::{parse_timing, Duration, Timing, MAX_PERIOD_MS};

use crate::rng::SimRng;
use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

/// A named interval of a trial, in time steps `[start, end)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Period {
    /// Period name ("fixation", "stimulus", "delay", "decision", ...).
    pub name: String,
    /// First step of the period.
    pub start: usize,
    /// One past the last step.
    pub end: usize,
}

/// What a trial asks for, used by [`Task::score`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum TrialLabel {
    /// A discrete class (binary classification, AND/OR/XOR output sign, match / non-match...).
    Class(usize),
    /// A response direction on the output ring, in radians.
    Angle(f64),
    /// The correct response is to keep fixating (no saccade), e.g. non-match trials.
    Fixate,
    /// The target is a continuous trace; scored by thresholded error.
    Trace,
}

/// One trial on a time grid.
#[derive(Debug, Clone, PartialEq)]
pub struct Trial {
    /// Inputs, `[n_steps, n_inputs]`.
    pub inputs: Array2<f32>,
    /// Target outputs, `[n_steps, n_outputs]`.
    pub targets: Array2<f32>,
    /// Per-step, per-output loss weight (0 = not scored), `[n_steps, n_outputs]`.
    pub mask: Array2<f32>,
    /// Named periods in time order, covering the trial.
    pub periods: Vec<Period>,
    /// What the trial asks for.
    pub label: TrialLabel,
    /// Index of the task that made the trial, within a task mixture (0 for a single task).
    pub task_index: usize,
}

impl Trial {
    /// Number of time steps.
    pub fn n_steps(&self) -> usize {
        self.inputs.nrows()
    }

    /// The period with this name, if any.
    pub fn period(&self, name: &str) -> Option<&Period> {
        self.periods.iter().find(|p| p.name == name)
    }
}

/// Static facts about a task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskSpec {
    /// Stable kebab-case id used in the registry, the URL and configs.
    pub id: String,
    /// Human-readable name.
    pub name: String,
    /// Source paper, e.g. "Yang et al. 2019, Nat. Neurosci.".
    pub paper: String,
    /// Number of input channels.
    pub n_inputs: usize,
    /// Number of output channels.
    pub n_outputs: usize,
    /// Simulation time step in milliseconds.
    pub dt_ms: f64,
}

/// A task: makes trials and scores outputs.
pub trait Task: Send + Sync {
    /// Static description.
    fn spec(&self) -> TaskSpec;

    /// Draw one trial (all randomness from `rng`).
    fn trial(&self, rng: &mut SimRng) -> Trial;

    /// Score a network output `[n_steps, n_outputs]` on `trial`: 1.0 correct, 0.0 wrong
    /// (tasks with graded performance may return values in between).
    fn score(&self, trial: &Trial, outputs: ArrayView2<f32>) -> f32;

    /// The same task with its post-stimulus period `factor` times longer, for testing that a
    /// decision persists after input offset (None for tasks without such a test).
    fn persistence_variant(&self, _factor: f64) -> Option<Box<dyn Task>> {
        None
    }

    /// Every condition of a task with a finite set of them (Turcu & Abbott's P patterns),
    /// one trial each, in a fixed order; `None` for tasks whose conditions are continuous.
    /// Evaluation uses this set instead of random trials where it exists.
    fn condition_trials(&self, _rng: &mut SimRng) -> Option<Vec<Trial>> {
        None
    }

    /// How many trials [`Task::condition_trials`] returns, known without building them
    /// (`None` when the task has no finite set of conditions).
    fn n_conditions(&self) -> Option<usize> {
        None
    }

    /// What [`Task::score`] measures, short enough for a chart's axis ("accuracy" by
    /// default). Tasks with a graded score say what it is and how it is clipped, so a
    /// plotted 0 is not read as "every trial wrong" (or as a missing value).
    fn score_label(&self) -> &'static str {
        "accuracy"
    }

    /// Ids of the component tasks, indexed by `Trial::task_index` (one entry, this task's
    /// id, unless the task is a mixture).
    fn component_ids(&self) -> Vec<String> {
        vec![self.spec().id]
    }

    /// Component `index` of a mixture (`None` for a single task), so evaluations can draw
    /// trials of one component alone.
    fn component(&self, _index: usize) -> Option<&dyn Task> {
        None
    }

    /// Named groups of the input channels ([`channels`]), for axis labels; empty when
    /// the channels have no names beyond their index.
    fn input_channels(&self) -> Vec<ChannelGroup> {
        Vec::new()
    }

    /// Named groups of the output channels, as [`Task::input_channels`].
    fn output_channels(&self) -> Vec<ChannelGroup> {
        Vec::new()
    }

    /// Draw `batch_size` trials and pack them.
    fn batch(&self, rng: &mut SimRng, batch_size: usize) -> TrialBatch {
        let trials: Vec<Trial> = (0..batch_size).map(|_| self.trial(rng)).collect();
        TrialBatch::pack(trials)
    }
}

/// Build an all-zero trial array helper.
pub fn zeros(n_steps: usize, channels: usize) -> Array2<f32> {
    Array2::zeros((n_steps, channels))
}

/// Mean score of `outputs` (one `[T, O]` array per trial) on `trials`.
pub fn mean_score(task: &dyn Task, trials: &[Trial], outputs: &[ArrayView2<f32>]) -> f32 {
    if trials.is_empty() {
        return 0.0;
    }
    let total: f32 = trials
        .iter()
        .zip(outputs)
        .map(|(t, o)| task.score(t, o.view()))
        .sum();
    total / trials.len() as f32
}
