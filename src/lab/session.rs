//! [`Session`]: one training run as the page, the CLI and the sweeps drive it — the
//! trainer for the run description's rule, the one [`Evaluator`], and the accuracy
//! histories the plots draw. The wasm `Simulator` is a thin handle around a `Session`, and
//! `srnn train` runs the same `Session`, so the same run description gives the same
//! weights and the same numbers on every path.

use super::eval::{
    check_per_task_trials, own_trials_scores, Evaluation, Evaluator, TaskScore,
    DEFAULT_EVAL_TRIALS, PERSISTENCE_FACTOR, PER_TASK_CHUNK,
};
use super::report::{
    capture_analysis, capture_snapshot, readout_traces, spectrum, DEGRADATION_TRIALS,
    MAX_EIGEN_NEURONS,
};
use super::run::{parse_run, parse_run_with, RunSetup};
use crate::budget::{check_analysis, check_evaluation, check_shape, task_steps, Limits, RunShape};
use crate::error::{Error, Result};
use crate::learning::Trainer;
use crate::model::Network;
use crate::plot::{Analysis, Chart, Snapshot};
use crate::tasks::Task;
use crate::train::StepStats;
use serde_json::Value;

/// Which saved networks a run description accepts in [`Session::from_model`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resume {
    /// The model's network config must equal the run description's (`srnn train
    /// --resume`: the run file stays the record of what was trained).
    SameNetwork,
    /// Any network that fits the run's task replaces the described one (the page's
    /// "load model": the task, rule and training settings stay).
    AnyNetwork,
}

/// A trainer with its evaluation and histories.
pub struct Session {
    /// The trainer (network, task, rule, optimizer).
    pub trainer: Trainer,
    /// The run description this session was built from.
    pub config: Value,
    evaluator: Option<Evaluator>,
    /// `(step, accuracy)` of every evaluation.
    pub accuracy: Vec<(usize, f32)>,
    /// `(step, accuracy of the persistence test)` of every evaluation that has one.
    pub late_accuracy: Vec<(usize, f32)>,
    /// Latest per-task scores of a task mixture.
    pub per_task: Vec<(String, f32)>,
    /// The network as built (or loaded), for the "before training" views.
    initial_network: Network,
    eigen_before: Option<Vec<(f64, f64)>>,
    /// Steps a loaded model had already been trained for.
    pub steps_offset: usize,
    /// The memory budget every later allocation is checked against (`limits`).
    pub limits: Limits,
    /// Score each component of a mixture on its own this-many trials (see
    /// [`Evaluator::with_per_task_trials`]); `None` = their share of the shared batch.
    pub per_task_trials: Option<usize>,
}

impl Session {
    /// Parse and check the run description, build the network and the trainer.
    pub fn new(config: Value) -> Result<Self> {
        let setup = parse_run(config.clone())?;
        let limits = setup.limits;
        Ok(Self::assemble(setup.into_trainer()?, config, 0, limits))
    }

    /// A session on a task made outside the registry (a recorded task, a Python callable):
    /// the run description's `network`, `train`, `rule` and `limits` as in [`Session::new`];
    /// its `task` section is optional and not read.
    pub fn with_task(config: Value, task: Box<dyn Task>) -> Result<Self> {
        let setup = parse_run_with(config.clone(), Some(task))?;
        let limits = setup.limits;
        Ok(Self::assemble(setup.into_trainer()?, config, 0, limits))
    }

    /// The same run description around a loaded `network` that had been trained for
    /// `steps_done` steps (a fresh optimizer; step numbers continue).
    /// The loaded network is checked against the memory budget with its real synapse
    /// count before anything else is built.
    pub fn with_network(config: Value, network: Network, steps_done: usize) -> Result<Self> {
        let setup = parse_run(config.clone())?;
        Self::around(setup, config, network, steps_done)
    }

    /// The run description resumed from the model file `model_text` ([`crate::persist`]):
    /// the file is checked against the run's memory budget before its arrays are parsed,
    /// then loaded, matched to the run as `resume` says, and trained on from its step
    /// count with a fresh optimizer. `srnn train --resume` and the page's "load model"
    /// both come here.
    pub fn from_model(config: Value, model_text: &str, resume: Resume) -> Result<Self> {
        let setup = parse_run(config.clone())?;
        crate::budget::check_model_text(model_text, &setup.limits)?;
        let (network, steps_done) = crate::persist::load_model(model_text)?;
        if resume == Resume::SameNetwork && network.config != *setup.network {
            return Err(Error::field(
                "network",
                "the saved model's",
                "must equal the run description's `network` section",
            ));
        }
        Self::around(setup, config, network, steps_done).map_err(|e| match e {
            Error::TooLarge(_) => e,
            e => Error::Parse {
                what: "model file",
                reason: format!("the saved network does not fit the run's task: {e}"),
            },
        })
    }

    /// The session of the parsed run around `network`, checked against the memory budget
    /// with its real synapse count before anything else is built.
    fn around(setup: RunSetup, config: Value, network: Network, steps_done: usize) -> Result<Self> {
        let limits = setup.limits;
        let task_id = setup.task_id.clone();
        let shape = RunShape {
            network: &network.config,
            synapses: network.w_rec.nnz() as f64,
            steps: task_steps(setup.task.as_ref()),
            task_id: &task_id,
        };
        check_shape(&shape, &setup.train, &setup.rule, &limits, None)?;
        let trainer = setup.into_trainer_with(network)?;
        Ok(Self::assemble(trainer, config, steps_done, limits))
    }

    fn assemble(trainer: Trainer, config: Value, steps_offset: usize, limits: Limits) -> Self {
        Session {
            limits,
            initial_network: trainer.network.clone(),
            trainer,
            config,
            evaluator: None,
            accuracy: Vec::new(),
            late_accuracy: Vec::new(),
            per_task: Vec::new(),
            eigen_before: None,
            steps_offset,
            per_task_trials: None,
        }
    }

    /// Steps done, including those of a loaded model.
    pub fn steps_done(&self) -> usize {
        self.trainer.steps_done() + self.steps_offset
    }

    /// Train `steps` (≥ 1) steps; the stats of the last one (step numbers include the
    /// loaded model's). Stops at the first error (weights of the last good step kept).
    pub fn train(&mut self, steps: usize) -> Result<StepStats> {
        let mut last = None;
        for _ in 0..steps.max(1) {
            last = Some(self.trainer.train_step()?);
        }
        let mut stats = last.expect("at least one step ran");
        stats.step += self.steps_offset;
        Ok(stats)
    }

    /// Seed of the evaluation trials and of the plotted trial (the training seed).
    pub fn eval_seed(&self) -> u64 {
        self.trainer.config.seed
    }

    /// Evaluate on the fixed evaluation trials ([`crate::lab::eval`]; `n_trials` random
    /// trials, or every condition of a finite task) and record the scores in the
    /// histories. The trials are drawn on the first call and whenever `n_trials` changes.
    /// Refused (before anything is allocated) when the evaluation would not fit the
    /// memory budget; the error names `nTrials`.
    pub fn evaluate(&mut self, n_trials: usize) -> Result<Evaluation> {
        self.evaluate_given(n_trials, None)
    }

    /// [`Session::evaluate`] with the per-task scores of the mixture computed elsewhere
    /// (by [`Session::score_tasks`] on sessions of the same run description holding the
    /// same weights, e.g. the page's data-parallel workers, with [`Session::per_task_trials`]
    /// trials each): only the shared batch (and the persistence test) runs here; the
    /// histories are updated as by `evaluate`, and with the same scores the result is the
    /// same bit for bit. `per_task` must hold one score per component, in order (else an
    /// error naming `scores`); refused for a single task.
    pub fn evaluate_with_per_task(
        &mut self,
        n_trials: usize,
        per_task: Vec<TaskScore>,
    ) -> Result<Evaluation> {
        let ids = self.trainer.task.component_ids();
        if ids.len() <= 1 {
            return Err(Error::field(
                "scores",
                per_task.len(),
                "are per-task scores, but the task is not a mixture",
            ));
        }
        if per_task.len() != ids.len()
            || per_task
                .iter()
                .zip(&ids)
                .any(|(score, id)| score.task != *id)
        {
            return Err(Error::field(
                "scores",
                format!("{} scores for {} tasks", per_task.len(), ids.len()),
                "must hold one score per task of the mixture, in task order",
            ));
        }
        self.evaluate_given(n_trials, Some(per_task))
    }

    fn evaluate_given(
        &mut self,
        n_trials: usize,
        per_task: Option<Vec<TaskScore>>,
    ) -> Result<Evaluation> {
        let n_trials = n_trials.max(1);
        let task = self.trainer.task.as_ref();
        let network = &self.trainer.network;
        let late = task
            .persistence_variant(PERSISTENCE_FACTOR)
            .map(|_| PERSISTENCE_FACTOR);
        let nnz = network.w_rec.nnz();
        check_evaluation(
            &network.config,
            nnz,
            task,
            n_trials,
            "nTrials",
            late,
            &self.limits,
        )?;
        let seed = self.trainer.config.seed;
        let loss = self.trainer.config.loss;
        let stale = self.evaluator.as_ref().is_none_or(|e| {
            e.requested_trials() != n_trials || e.per_task_trials() != self.per_task_trials
        });
        if stale {
            let evaluator = Evaluator::new(task, seed, n_trials, loss)
                .with_per_task_trials(self.per_task_trials);
            self.evaluator = Some(evaluator);
        }
        let evaluator = self.evaluator.as_mut().expect("set above");
        evaluator.set_threads(self.trainer.threads());
        let result = match per_task {
            Some(given) => evaluator.evaluate_with_per_task(&self.trainer.network, task, given),
            None => evaluator.evaluate(&self.trainer.network, task),
        };
        let step = self.steps_done();
        self.accuracy.push((step, result.accuracy));
        if let Some(late) = result.late_accuracy {
            self.late_accuracy.push((step, late));
        }
        if let Some(scores) = &result.per_task {
            self.per_task = scores.iter().map(|s| (s.task.clone(), s.score)).collect();
        }
        Ok(result)
    }

    /// Components `first .. first + count` of the mixture, each scored on its own
    /// `per_task_trials` trials with the current weights: the per-task scores of
    /// [`Session::evaluate`] with [`Session::per_task_trials`] = `per_task_trials`, bit for
    /// bit, for any split of the components (each has its own trial stream of the
    /// training seed). Natively on the trainer's threads. Errors name `first`, `count`
    /// (the range must lie within the tasks) or `per_task_trials` (1..=4096, and the
    /// chunk of trials simulated at once must fit the memory budget).
    pub fn score_tasks(
        &self,
        first: usize,
        count: usize,
        per_task_trials: usize,
    ) -> Result<Vec<TaskScore>> {
        let task = self.trainer.task.as_ref();
        let n_tasks = task.component_ids().len();
        if n_tasks <= 1 {
            return Err(Error::field(
                "first",
                first,
                "names a task of a mixture, but the task is not a mixture",
            ));
        }
        if first >= n_tasks {
            return Err(Error::field(
                "first",
                format!("{first} (the mixture has {n_tasks} tasks)"),
                "must be below the number of tasks",
            ));
        }
        if count == 0 || count > n_tasks - first {
            return Err(Error::field(
                "count",
                format!("{count} (first {first}, {n_tasks} tasks)"),
                "must be at least 1 and end within the tasks",
            ));
        }
        check_per_task_trials(per_task_trials)?;
        let network = &self.trainer.network;
        check_evaluation(
            &network.config,
            network.w_rec.nnz(),
            task,
            PER_TASK_CHUNK.min(per_task_trials),
            "per_task_trials",
            None,
            &self.limits,
        )?;
        Ok(own_trials_scores(
            network,
            task,
            first..first + count,
            self.trainer.config.seed,
            per_task_trials,
            self.trainer.config.loss,
            self.trainer.threads(),
        ))
    }

    /// Evaluate with [`DEFAULT_EVAL_TRIALS`] trials.
    pub fn evaluate_default(&mut self) -> Result<Evaluation> {
        self.evaluate(DEFAULT_EVAL_TRIALS)
    }

    /// The training plots' record (histories, one trial, weights).
    pub fn snapshot(&self) -> Snapshot {
        let trainer = &self.trainer;
        let mut snapshot = capture_snapshot(
            &trainer.network,
            trainer.task.as_ref(),
            &trainer.loss_history,
            &self.accuracy,
            &self.late_accuracy,
            self.eval_seed(),
        );
        snapshot.step = self.steps_done();
        snapshot.per_task = self.per_task.clone();
        snapshot
    }

    /// The analysis plots' record (spectra before and now, degradation, PCA); refused when
    /// its workspaces would not fit the memory budget.
    pub fn analysis(&mut self) -> Result<Analysis> {
        let network = &self.trainer.network;
        check_analysis(
            &network.config,
            network.w_rec.nnz(),
            self.trainer.task.as_ref(),
            MAX_EIGEN_NEURONS,
            DEGRADATION_TRIALS,
            &self.limits,
        )?;
        let before = self
            .eigen_before
            .get_or_insert_with(|| spectrum(&self.initial_network.w_rec))
            .clone();
        let step = self.steps_done();
        let trainer = &self.trainer;
        Ok(capture_analysis(
            &trainer.network,
            trainer.task.as_ref(),
            before,
            self.eval_seed(),
            step,
        ))
    }

    /// Turcu & Abbott's readout picture ([`readout_traces`]) of the network as built and
    /// as it is now, on trials 5× longer after the input than in training: `(before,
    /// after)`, or `None` for tasks without a finite set of class-labelled conditions or
    /// networks with more than one output.
    pub fn readout_traces(&self) -> Option<(Chart, Chart)> {
        let trainer = &self.trainer;
        let step = self.steps_done();
        let after = format!("Readout of every pattern after {step} steps");
        let networks = [
            (
                &self.initial_network,
                "Readout of every pattern before training",
            ),
            (&trainer.network, after.as_str()),
        ];
        let mut charts = readout_traces(&networks, trainer.task.as_ref(), self.eval_seed())?;
        let after = charts.pop()?;
        let before = charts.pop()?;
        Some((before, after))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::persist::save_model;
    use serde_json::json;

    fn run(n_neurons: usize, task: &str) -> Value {
        json!({"network": {"n_neurons": n_neurons, "k": 4, "seed": 3},
               "train": {"batch_size": 4}, "task": {"id": task}})
    }

    #[test]
    fn a_resumed_session_holds_the_saved_network_and_its_step_count() {
        let mut first = Session::new(run(16, "jl-xor")).unwrap();
        first.train(3).unwrap();
        let text = save_model(&first.trainer.network, first.steps_done());
        for resume in [Resume::SameNetwork, Resume::AnyNetwork] {
            let resumed = Session::from_model(run(16, "jl-xor"), &text, resume).unwrap();
            assert_eq!(resumed.steps_done(), 3);
            assert_eq!(resumed.trainer.network.w_rec, first.trainer.network.w_rec);
            assert_ne!(
                resumed.trainer.network.w_rec,
                Session::new(run(16, "jl-xor"))
                    .unwrap()
                    .trainer
                    .network
                    .w_rec,
                "training moved the weights"
            );
        }
        // another N: refused where the run file must describe the model, taken where the
        // saved network replaces the described one
        let e = Session::from_model(run(24, "jl-xor"), &text, Resume::SameNetwork)
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("`network`"), "{e}");
        let other = Session::from_model(run(24, "jl-xor"), &text, Resume::AnyNetwork).unwrap();
        assert_eq!(other.trainer.network.n_neurons(), 16);
        // a task with other channel counts does not fit; a malformed file names the file
        let e = Session::from_model(run(16, "yang-go"), &text, Resume::AnyNetwork)
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("does not fit the run's task"), "{e}");
        let e = Session::from_model(
            run(16, "jl-xor"),
            &text[..text.len() / 2],
            Resume::AnyNetwork,
        )
        .err()
        .unwrap()
        .to_string();
        assert!(e.contains("model file"), "{e}");
    }
}
