//! The checks the API calls before allocating: a run (constructor, CLI, sweep point), an
//! evaluation, an analysis, a model file. Each estimates and compares with the limits;
//! none allocates more than a few sampled trials.

use super::estimate::{self, RunShape};
use super::task_buffers::TaskBuffers;
use super::{Estimate, Limits};
use crate::error::Result;
use crate::learning::LearningRule;
use crate::model::NetworkConfig;
use crate::tasks::Task;
use crate::train::TrainConfig;

/// Check, before the task is built, that the task's own buffers (`buffers`, from its
/// options: [`super::task_buffers()`]), the network and the trials (of the length the
/// options fix, else one step) fit `limits`, with the evaluation on `eval_trials` (a
/// finite task on all of its conditions): a lower bound of [`check_run`]'s estimate that
/// needs no sampled trial, so an oversized task is refused before its patterns are drawn.
pub fn check_task_first(
    network: &NetworkConfig,
    train: &TrainConfig,
    task_id: &str,
    rule: &LearningRule,
    buffers: &TaskBuffers,
    limits: &Limits,
    eval_trials: Option<(usize, Option<f64>)>,
) -> Result<()> {
    let shape = RunShape {
        network,
        synapses: super::synapse_count(network),
        // the same margin as the sampled length of `check_run`
        steps: buffers
            .steps
            .map_or(1.0, |steps| (steps * estimate::STEP_MARGIN).ceil()),
        task_id,
    };
    with_buffers(&shape, train, rule, eval_trials, buffers).check(limits)
}

/// The run estimate of `shape` plus the evaluation and the task's own buffers.
fn with_buffers(
    shape: &RunShape,
    train: &TrainConfig,
    rule: &LearningRule,
    eval_trials: Option<(usize, Option<f64>)>,
    buffers: &TaskBuffers,
) -> Estimate {
    let mut e = estimate::run_estimate(shape, train, rule);
    if let Some((trials, late)) = eval_trials {
        let trials = (trials as f64).max(buffers.conditions.unwrap_or(0.0));
        let eval = estimate::evaluation_estimate(shape, trials, "evaluation trials", late);
        e.terms.extend(eval.terms);
    }
    e.terms.extend(buffers.estimate.terms.iter().cloned());
    e
}

/// Check that building `network` and training it on `task` with `train` and `rule` fits
/// `limits` (see [`estimate::run_estimate`]), with the task's own `buffers`.
/// `eval_trials`: trials of the evaluations the caller will run, with the persistence
/// test's length factor, if any (a finite task evaluates on all of its conditions).
pub fn check_run(
    network: &NetworkConfig,
    train: &TrainConfig,
    task: &dyn Task,
    rule: &LearningRule,
    limits: &Limits,
    eval_trials: Option<(usize, Option<f64>)>,
    buffers: &TaskBuffers,
) -> Result<()> {
    let task_id = task.spec().id;
    let shape = RunShape::new(network, task, &task_id);
    with_buffers(&shape, train, rule, eval_trials, buffers).check(limits)
}

/// [`check_run`] for a resolved shape (e.g. a loaded network with its real synapse count).
pub fn check_shape(
    shape: &RunShape,
    train: &TrainConfig,
    rule: &LearningRule,
    limits: &Limits,
    eval_trials: Option<(usize, Option<f64>)>,
) -> Result<()> {
    let mut e = estimate::run_estimate(shape, train, rule);
    if let Some((trials, late)) = eval_trials {
        // the trainer keeps its trajectory while an evaluation simulates its own
        let eval = estimate::evaluation_estimate(shape, trials as f64, "evaluation trials", late);
        e.terms.extend(eval.terms);
    }
    e.check(limits)
}

/// Validate `config` and check building its network alone (e.g. a mask for a percolation
/// point).
pub fn check_network(config: &NetworkConfig, limits: &Limits) -> Result<()> {
    config.validate()?;
    estimate::weights_estimate(config, super::synapse_count(config)).check(limits)
}

/// The estimate `of` the shape of a built network (its real synapse count) on `task`.
fn with_built_shape(
    network: &NetworkConfig,
    synapses: usize,
    task: &dyn Task,
    of: impl FnOnce(&RunShape) -> Estimate,
) -> Estimate {
    let task_id = task.spec().id;
    let mut shape = RunShape::new(network, task, &task_id);
    shape.synapses = synapses as f64;
    of(&shape)
}

/// Check evaluating on `n_trials` trials of `task` (`field` names the argument, e.g.
/// `nTrials`), with the persistence test `late_factor` × longer if there is one.
pub fn check_evaluation(
    network: &NetworkConfig,
    synapses: usize,
    task: &dyn Task,
    n_trials: usize,
    field: &str,
    late_factor: Option<f64>,
    limits: &Limits,
) -> Result<()> {
    with_built_shape(network, synapses, task, |shape| {
        estimate::evaluation_estimate(shape, n_trials as f64, &format!("`{field}`"), late_factor)
    })
    .check(limits)
}

/// Check the analysis workspaces (eigenvalues up to `max_eigen_neurons`, degradation,
/// PCA on `trials` trials) of a network with `synapses` synapses.
pub fn check_analysis(
    network: &NetworkConfig,
    synapses: usize,
    task: &dyn Task,
    max_eigen_neurons: usize,
    trials: usize,
    limits: &Limits,
) -> Result<()> {
    with_built_shape(network, synapses, task, |shape| {
        estimate::analysis_estimate(shape, max_eigen_neurons, trials as f64)
    })
    .check(limits)
}

/// Check a model file before its arrays are parsed: its declared network (read from the
/// text with every array skipped) and its size. `Ok` if the declared config cannot be
/// read (the full parse then reports why).
pub fn check_model_text(text: &str, limits: &Limits) -> Result<()> {
    #[derive(serde::Deserialize)]
    struct Header {
        network: NetworkHeader,
    }
    #[derive(serde::Deserialize)]
    struct NetworkHeader {
        config: NetworkConfig,
    }
    let Ok(header) = serde_json::from_str::<Header>(text) else {
        return Ok(());
    };
    let config = header.network.config;
    config.validate()?;
    let estimate: Estimate = estimate::model_file_estimate(&config, text.len());
    estimate.check(limits)
}
