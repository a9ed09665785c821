//! The Turcu & Abbott experiment in the authors' settings ([`Setup`]), full-batch
//! training, per-pattern readout traces (the signature picture) and the percolation bound.

use super::util::chart;
use crate::analysis::{expected_accuracy, largest_scc};
use crate::error::Result;
use crate::learning::{LearningRule, Trainer};
use crate::model::{Activation, Connectivity, Dynamics, InputMap, Network, NetworkConfig, Readout};
use crate::plot::{Chart, Series};
use crate::rng::SimRng;
use crate::tasks::turcu::{PatternClassification, PatternConfig};
use crate::tasks::TrialBatch;
use crate::train::{evaluate_batch, LossKind, OptimizerKind, TrainConfig, Trajectory};

/// Time step and time constant of the authors' code: dt = 0.1 τ.
pub(crate) const DT_MS: f64 = 10.0;
pub(crate) const TAU_MS: f64 = 100.0;

/// One Turcu & Abbott experiment.
#[derive(Debug, Clone)]
pub(crate) struct Setup {
    pub n: usize,
    /// Connection density f (mean in-degree K = fN).
    pub density: f64,
    pub n_patterns: usize,
    /// Dale's law with half the neurons inhibitory.
    pub ei: bool,
    pub optimizer: OptimizerKind,
    pub learning_rate: f64,
    /// Hinge targets (high, low) of the readout.
    pub targets: (f64, f64),
    pub seed: u64,
}

impl Setup {
    /// α = 0.5 at N = 100, f = 0.05 (P = 250) with Adam lr 0.15.
    pub fn authors() -> Self {
        Setup {
            n: 100,
            density: 0.05,
            n_patterns: 250,
            ei: false,
            optimizer: OptimizerKind::Adam,
            learning_rate: 0.15,
            targets: (0.6, 0.4),
            seed: 1,
        }
    }

    /// The network config.
    pub fn network(&self) -> NetworkConfig {
        NetworkConfig {
            n_neurons: self.n,
            n_inputs: self.n,
            connectivity: Connectivity::RandomDensity,
            density: self.density,
            activation: Activation::RectifiedTanh,
            dynamics: Dynamics::Voltage,
            dt_ms: DT_MS,
            tau_ms: TAU_MS,
            input_map: InputMap::Identity,
            readout: Readout::Population,
            readout_fraction: self.density,
            excitatory_fraction: self.ei.then_some(0.5),
            train_bias: false,
            seed: self.seed,
            ..Default::default()
        }
    }

    /// The task with trials of `total_tau` τ (input for the first τ).
    pub fn task(&self, total_tau: f64) -> Result<PatternClassification> {
        PatternClassification::new(PatternConfig {
            n_patterns: self.n_patterns,
            pattern_dim: self.n,
            dt_ms: DT_MS,
            stimulus_ms: TAU_MS,
            response_ms: TAU_MS * (total_tau - 1.0),
            target_high: self.targets.0,
            target_low: self.targets.1,
            seed: self.seed,
            ..Default::default()
        })
    }

    /// The training config (full batch, hinge loss, no clipping).
    pub fn train(&self) -> TrainConfig {
        TrainConfig {
            learning_rate: self.learning_rate,
            optimizer: self.optimizer,
            batch_size: self.n_patterns.min(4096),
            clip_norm: 0.0,
            loss: LossKind::Hinge {
                threshold: ((self.targets.0 + self.targets.1) / 2.0) as f32,
            },
            seed: self.seed,
            shards: 1,
        }
    }

    /// The load α = P / (f N²) (identity input: f_in = 1).
    pub fn alpha(&self) -> f64 {
        self.n_patterns as f64 / (self.density * (self.n * self.n) as f64)
    }

    /// Human summary of the settings.
    pub fn describe(&self, steps: usize) -> String {
        format!(
            "N = {}, f = {} (K = {:.1}), P = {} (α = {:.3}), voltage form, dt = 0.1 τ, \
             hinge {}/{} from offset, readout of {} random neurons{}, full batch, {} lr {}, {} steps, seed {}",
            self.n,
            self.density,
            self.density * self.n as f64,
            self.n_patterns,
            self.alpha(),
            self.targets.0,
            self.targets.1,
            ((self.density * self.n as f64).round() as usize).max(1),
            if self.ei { ", E/I 1:1 Dale, readout mean E − mean I" } else { "" },
            match self.optimizer {
                OptimizerKind::Adam => "Adam",
                OptimizerKind::Sgd => "SGD",
            },
            self.learning_rate,
            steps,
            self.seed
        )
    }
}

/// A trained classifier with its accuracy curve.
pub(crate) struct Trained {
    pub trainer: Trainer,
    pub task: PatternClassification,
    /// `(step, accuracy)`.
    pub curve: Vec<(f64, f64)>,
    pub initial: Network,
}

impl Trained {
    /// Accuracy after the last step.
    pub fn accuracy(&self) -> f64 {
        self.curve.last().map_or(0.0, |p| p.1)
    }
}

/// Score every pattern of `task` (readout at the last step).
pub(crate) fn accuracy_of(network: &Network, task: &PatternClassification) -> f64 {
    let batch = TrialBatch::pack(task.all_trials(&mut SimRng::new(0)));
    evaluate_batch(network, task, &batch, LossKind::Mse).1 as f64
}

/// Train `setup` on 2 τ trials for `steps` full-batch steps, evaluating every `every`.
pub(crate) fn train(setup: &Setup, steps: usize, every: usize) -> Result<Trained> {
    let task = setup.task(2.0)?;
    let network = Network::new(setup.network())?;
    let initial = network.clone();
    let full = TrialBatch::pack(task.all_trials(&mut SimRng::new(0)));
    let mut trainer = Trainer::new(
        network,
        Box::new(task.clone()),
        setup.train(),
        LearningRule::Bptt,
    )?;
    let mut curve = vec![(0.0, trainer.evaluate(&full).1 as f64)];
    for step in 1..=steps {
        trainer.train_on_batch(&full)?;
        if step % every.max(1) == 0 || step == steps {
            curve.push((step as f64, trainer.evaluate(&full).1 as f64));
        }
    }
    Ok(Trained {
        trainer,
        task,
        curve,
        initial,
    })
}

/// One pattern's class (true = amplify) and readout at every step.
pub(crate) type PatternTrace = (bool, Vec<f64>);

/// Every pattern's trace and the accuracy at every time (τ).
pub(crate) type Traces = (Vec<PatternTrace>, Vec<(f64, f64)>);

/// Readout of every pattern over `total_tau` τ (input for the first τ) and the accuracy at
/// every step: `(per-pattern traces, accuracy vs time in τ)`.
pub(crate) fn traces(network: &Network, setup: &Setup, total_tau: f64) -> Result<Traces> {
    let task = setup.task(total_tau)?;
    let batch = TrialBatch::pack(task.all_trials(&mut SimRng::new(0)));
    let trajectory = Trajectory::of_batch(network, &batch);
    let (t_len, b_len) = (batch.n_steps, batch.batch_size);
    let threshold = task.config.threshold();
    let mut per_pattern = Vec::with_capacity(b_len);
    for b in 0..b_len {
        let trace: Vec<f64> = (0..t_len)
            .map(|t| trajectory.output(0, t, b) as f64)
            .collect();
        per_pattern.push((task.labels[b], trace));
    }
    let accuracy = (0..t_len)
        .map(|t| {
            let right = per_pattern
                .iter()
                .filter(|(label, trace)| (trace[t] >= threshold as f64) == *label)
                .count();
            (
                (t + 1) as f64 * DT_MS / TAU_MS,
                right as f64 / b_len.max(1) as f64,
            )
        })
        .collect();
    Ok((per_pattern, accuracy))
}

/// The signature picture: readout of every pattern over time, one series per pattern,
/// labelled by class.
pub(crate) fn signature_chart(traces: &[PatternTrace], title: &str) -> Chart {
    let series: Vec<Series> = traces
        .iter()
        .map(|(label, trace)| Series {
            label: if *label { "amplify" } else { "suppress" }.into(),
            points: trace
                .iter()
                .enumerate()
                .map(|(t, v)| ((t + 1) as f64 * DT_MS / TAU_MS, *v))
                .collect(),
            markers: false,
            line: true,
        })
        .collect();
    chart(
        title,
        "time (τ), input on 0–1 τ",
        "population readout",
        series,
    )
}

/// Mean percolation bound of the random-density masks of `setup` over `graphs` seeds.
pub(crate) fn percolation_bound(n: usize, density: f64, graphs: u64, seed: u64) -> Result<f64> {
    let mut total = 0.0;
    for g in 0..graphs {
        let config = NetworkConfig {
            n_neurons: n,
            connectivity: Connectivity::RandomDensity,
            density,
            seed: seed + g,
            ..Default::default()
        };
        config.validate()?;
        let mask = crate::model::build_mask(&config, &mut SimRng::derived(seed + g, "mask"));
        total += expected_accuracy(n, n - largest_scc(&mask));
    }
    Ok(total / graphs.max(1) as f64)
}
