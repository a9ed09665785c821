//! Reservoir-computing experiments, each trained through [`Session`] on a run
//! description (a `reservoir` section and the `reservoir` rule) and returning its numbers:
//!
//! - [`memory_capacity`]: MC = Σ_k r²(k) of a reservoir on fresh test input (Jaeger 2001);
//!   [`memory_capacity_claim`]: a linear random reservoir stays below N, a linear simple
//!   cycle reservoir reaches ≈ N (Rodan & Tiňo 2011).
//! - [`mackey_glass`]: ridge readout on Mackey-Glass (τ = 17), NRMSE of the one-step (or
//!   `horizon`-step) prediction on a held-out window and of closed-loop generation.
//! - [`narma10`]: ridge readout on NARMA-10, NRMSE on a fresh series.
//! - [`generate`]: closed-loop generation (the output fed back as the next input).
//! - [`deep_dfa`]: a deep (stacked) reservoir on NARMA-10 whose inter-layer weights learn
//!   by direct feedback alignment, beside the same stack with them frozen.
//! - [`reservoir_charts`]: the page's reservoir pictures (closed-loop generation vs truth,
//!   the memory-capacity curve r²(k)) of a trained reservoir, as chart records.
//! - [`turcu_gap`]: Turcu & Abbott's classification at one load with a reservoir and a
//!   trained linear readout beside the trained sparse RNN without a convergent readout.
//!
//! Protocol of the held-out windows (also followed by `benches/peers/reservoirpy_esn.py`):
//! every window starts from the zero state; its first `warmup` states are discarded.

use super::session::Session;
use crate::error::{Error, Result};
use crate::model::Network;
use crate::rng::SimRng;
use crate::tasks::timeseries::{self, SeriesConfig, SeriesKind, SeriesTask};
use crate::tasks::{Task, TrialBatch};
use crate::train::Trajectory;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// Outputs `[T, O]` of `network` on one trial, noise-free.
fn outputs_of(
    network: &Network,
    trial: crate::tasks::Trial,
) -> (crate::tasks::Trial, ndarray::Array2<f32>) {
    let batch = TrialBatch::pack(vec![trial]);
    let trajectory = Trajectory::of_batch(network, &batch);
    let outputs = batch.unpack(&trajectory.outputs, batch.n_outputs, 0);
    let trial = batch.trials.into_iter().next().expect("one trial");
    (trial, outputs)
}

/// Memory capacity of the reservoir `esn` (the run description's `reservoir` section):
/// ridge readout (λ = `ridge`) fitted on one trial of `train_steps` i.i.d. inputs (first
/// `warmup` states discarded), MC and the r²(k) curve measured on a fresh trial of the
/// same length (seed stream "mc-test").
pub fn memory_capacity(
    esn: Value,
    max_delay: usize,
    train_steps: usize,
    warmup: usize,
    ridge: f64,
    seed: u64,
) -> Result<(f64, Vec<f64>)> {
    let config = json!({
        "reservoir": esn,
        "task": {"id": "memory-capacity", "n_steps": train_steps, "warmup": warmup,
                 "max_delay": max_delay},
        "train": {"batch_size": 1, "seed": seed},
        "rule": {"rule": "reservoir", "readout": "ridge", "ridge": ridge, "warmup": warmup},
    });
    let mut session = Session::new(config)?;
    session.train(1)?;
    let task = session.trainer.task.as_ref();
    let trial = task.trial(&mut SimRng::derived(seed, "mc-test"));
    let (trial, outputs) = outputs_of(&session.trainer.network, trial);
    Ok(timeseries::memory_capacity(&trial, outputs.view()))
}

/// One line of the memory-capacity claim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct McClaim {
    /// Reservoir size N.
    pub units: usize,
    /// Largest delay k_max.
    pub max_delay: usize,
    /// MC of linear random (Erdős–Rényi, normal weights) reservoirs, one per seed.
    pub random_linear: Vec<f64>,
    /// MC of linear simple cycle reservoirs (deterministic: π input signs), one per seed of the input series.
    pub cycle_linear: Vec<f64>,
}

/// Jaeger's bound and Rodan & Tiňo's cycle reservoir: linear reservoirs of `units` units
/// with spectral radius `sr`, input weights ±0.1 on every unit, delays up to 2N, ridge
/// λ = 1e-8, `steps` training and test steps; one value per seed.
pub fn memory_capacity_claim(
    units: usize,
    sr: f64,
    steps: usize,
    seeds: &[u64],
) -> Result<McClaim> {
    let max_delay = 2 * units;
    let run = |mask: &str, seed: u64| {
        let esn = json!({"units": units, "lr": 1.0, "sr": sr, "activation": "linear",
                         "mask": mask, "rc_connectivity": 0.2, "input_connectivity": 1.0,
                         "input_scaling": 0.1, "seed": seed});
        memory_capacity(esn, max_delay, steps, 200, 1e-8, seed).map(|(mc, _)| mc)
    };
    let mut claim = McClaim {
        units,
        max_delay,
        random_linear: Vec::new(),
        cycle_linear: Vec::new(),
    };
    for &seed in seeds {
        claim.random_linear.push(run("random-density", seed)?);
        claim.cycle_linear.push(run("cycle", seed)?);
    }
    Ok(claim)
}

/// Closed-loop generation: the first `warm.len()` inputs are given (teacher forcing, from
/// the zero state), then each output is fed back as the next input for `steps` steps.
/// Returns the `steps` generated values (the first predicts the value after `warm`).
/// Needs one input and one output.
pub fn generate(network: &Network, warm: &[f32], steps: usize) -> Result<Vec<f32>> {
    if network.n_inputs() != 1 || network.n_outputs() != 1 {
        return Err(Error::field(
            "n_inputs",
            network.n_inputs(),
            "must be 1 (and n_outputs 1) for closed-loop generation",
        ));
    }
    let n = network.n_neurons();
    let alpha = network.config.alpha();
    let activation = network.config.activation;
    let mut x = vec![0.0f32; n];
    let mut next = vec![0.0f32; n];
    let mut step = |x: &mut Vec<f32>, u: f32| -> f32 {
        for (i, slot) in next.iter_mut().enumerate() {
            let mut pre = network.bias[i];
            for s in network.w_in.row_ptr[i]..network.w_in.row_ptr[i + 1] {
                pre += network.w_in.values[s] * u;
            }
            for s in network.w_rec.row_ptr[i]..network.w_rec.row_ptr[i + 1] {
                pre += network.w_rec.values[s] * x[network.w_rec.col_idx[s] as usize];
            }
            *slot = (1.0 - alpha) * x[i] + alpha * activation.apply(pre);
        }
        std::mem::swap(x, &mut next);
        let w = &network.w_out;
        (w.row_ptr[0]..w.row_ptr[1])
            .map(|s| w.values[s] * x[w.col_idx[s] as usize])
            .sum()
    };
    let mut y = 0.0;
    for &u in warm {
        y = step(&mut x, u);
    }
    let mut out = Vec::with_capacity(steps);
    for _ in 0..steps {
        out.push(y);
        y = step(&mut x, y);
    }
    Ok(out)
}

/// Numbers of one Mackey-Glass run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct McPrediction {
    /// NRMSE of the `horizon`-step prediction on the held-out window.
    pub nrmse_test: f64,
    /// NRMSE of closed-loop generation over `generate_steps` steps (horizon 1 only).
    pub nrmse_generation: Option<f64>,
    /// The held-out targets and predictions (for plots).
    pub test: Vec<(f32, f32)>,
    /// Generated values and the truth.
    pub generated: Vec<(f32, f32)>,
}

/// Mackey-Glass with a ridge readout: fit on the window `[0, train_steps)` of the series
/// (first `warmup` states discarded), test on `[train_steps, train_steps + test_steps)`
/// (a window from `train_steps − warmup`, zero state, `warmup` states discarded), and for
/// `horizon` 1 generate `generate_steps` steps closed-loop after the same warmup.
pub fn mackey_glass(
    esn: Value,
    ridge: f64,
    warmup: usize,
    train_steps: usize,
    test_steps: usize,
    horizon: usize,
    generate_steps: usize,
) -> Result<McPrediction> {
    let series_steps = train_steps + test_steps.max(generate_steps) + horizon;
    let options = json!({"n_steps": train_steps, "warmup": 0, "horizon": horizon,
                         "start": 0, "series_steps": series_steps});
    let config = json!({
        "reservoir": esn,
        "task": {"id": "mackey-glass", "n_steps": train_steps, "warmup": 0,
                 "horizon": horizon, "start": 0, "series_steps": series_steps},
        "train": {"batch_size": 1, "seed": 1},
        "rule": {"rule": "reservoir", "readout": "ridge", "ridge": ridge, "warmup": warmup},
    });
    let mut session = Session::new(config)?;
    session.train(1)?;
    let network = &session.trainer.network;
    let mut test_options: SeriesConfig =
        serde_json::from_value(options).map_err(|e| Error::Parse {
            what: "mackey-glass options",
            reason: e.to_string(),
        })?;
    test_options.n_steps = warmup + test_steps;
    test_options.start = None;
    let task = SeriesTask::new(SeriesKind::MackeyGlass, test_options)?;
    let start = train_steps - warmup;
    let (trial, outputs) = outputs_of(network, task.window(start));
    let (mut p, mut y) = (Vec::new(), Vec::new());
    for t in warmup..trial.n_steps() {
        p.push(outputs[[t, 0]] as f64);
        y.push(trial.targets[[t, 0]] as f64);
    }
    let test = p
        .iter()
        .zip(&y)
        .map(|(a, b)| (*b as f32, *a as f32))
        .collect();
    let nrmse_test = timeseries::nrmse(&p, &y);
    let (mut nrmse_generation, mut generated) = (None, Vec::new());
    if horizon == 1 && generate_steps > 0 {
        let series = task.series();
        let warm: Vec<f32> = series[start..train_steps]
            .iter()
            .map(|v| *v as f32)
            .collect();
        let out = generate(network, &warm, generate_steps)?;
        let truth = &series[train_steps..train_steps + generate_steps];
        let out64: Vec<f64> = out.iter().map(|v| *v as f64).collect();
        nrmse_generation = Some(timeseries::nrmse(&out64, truth));
        generated = out
            .iter()
            .zip(truth)
            .map(|(a, b)| (*a, *b as f32))
            .collect();
    }
    Ok(McPrediction {
        nrmse_test,
        nrmse_generation,
        test,
        generated,
    })
}

/// NARMA-10 with a ridge readout: fit on one series of `train_steps` steps (seed
/// stream of `train.seed`, first `warmup` states discarded), NRMSE of the prediction of
/// y(t+1) on a fresh series of `warmup + test_steps` steps (seed stream "narma-test",
/// zero state, first `warmup` states discarded). `benches/peers/reservoirpy_narma.py`
/// measures reservoirpy the same way.
pub fn narma10(
    esn: Value,
    ridge: f64,
    warmup: usize,
    train_steps: usize,
    test_steps: usize,
    seed: u64,
) -> Result<f64> {
    let config = json!({
        "reservoir": esn,
        "task": {"id": "narma10", "n_steps": train_steps, "warmup": warmup},
        "train": {"batch_size": 1, "seed": seed},
        "rule": {"rule": "reservoir", "readout": "ridge", "ridge": ridge, "warmup": warmup},
    });
    let mut session = Session::new(config)?;
    session.train(1)?;
    let test = SeriesTask::new(
        SeriesKind::Narma10,
        SeriesConfig {
            n_steps: warmup + test_steps,
            warmup,
            ..SeriesConfig::default()
        },
    )?;
    let trial = test.trial(&mut SimRng::derived(seed, "narma-test"));
    let (trial, outputs) = outputs_of(&session.trainer.network, trial);
    let (mut p, mut y) = (Vec::new(), Vec::new());
    for t in warmup..trial.n_steps() {
        p.push(outputs[[t, 0]] as f64);
        y.push(trial.targets[[t, 0]] as f64);
    }
    Ok(timeseries::nrmse(&p, &y))
}

/// What direct feedback alignment of the inter-layer weights buys a deep reservoir on
/// NARMA-10: NRMSE of the ridge readout (on the concatenated states of every layer) with
/// the inter-layer weights as drawn (`frozen`) and after `dfa_steps` DFA steps (`dfa`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeepDfa {
    /// DFA steps taken (each: ridge fit on the training series, one DFA step).
    pub dfa_steps: usize,
    /// Training NRMSE of the frozen stack (readout fitted and scored on the training series).
    pub train_frozen: f64,
    /// Training NRMSE after DFA (readout refitted on the training series).
    pub train_dfa: f64,
    /// Held-out NRMSE of the frozen stack (a fresh series, zero state, warmup discarded).
    pub test_frozen: f64,
    /// Held-out NRMSE after DFA.
    pub test_dfa: f64,
}

/// The ridge readout of `network` fitted through a session of `config` (its readout rule,
/// no DFA) on `trial`, and the network with it.
fn refit_on(network: &Network, config: &Value, trial: &crate::tasks::Trial) -> Result<Network> {
    let spec = SeriesTask::new(SeriesKind::Narma10, SeriesConfig::default())?.spec();
    let task = crate::tasks::recorded::RecordedTask::new(spec, vec![trial.clone()], 0.1)?;
    let mut config = config.clone();
    config["rule"]["dfa_learning_rate"] = json!(0.0);
    config["rule"]["dfa_readout_learning_rate"] = json!(0.0);
    let mut session = Session::with_task(config, Box::new(task))?;
    // the same run description around the given (trained) network: only W_out is refitted
    session.trainer.network = network.clone();
    session.train(1)?;
    Ok(session.trainer.network.clone())
}

/// NRMSE of `network`'s output on `trial` over its steps ≥ `warmup`.
fn nrmse_on(network: &Network, trial: &crate::tasks::Trial, warmup: usize) -> f64 {
    let (trial, outputs) = outputs_of(network, trial.clone());
    let (mut p, mut y) = (Vec::new(), Vec::new());
    for t in warmup..trial.n_steps() {
        p.push(outputs[[t, 0]] as f64);
        y.push(trial.targets[[t, 0]] as f64);
    }
    timeseries::nrmse(&p, &y)
}

/// [`DeepDfa`] for the deep reservoir `esn` (the `reservoir` section, `layers` > 1): the
/// training series (`train_steps` NARMA-10 steps, seed stream "deep-train") is replayed
/// as every batch of a session with the ridge readout (λ = `ridge`, `warmup`) and the
/// DFA settings `dfa` (an object of rule settings: `dfa_learning_rate`, optionally
/// `dfa_readout_learning_rate`; B from `seed`), trained `dfa_steps` steps; then each stack's
/// readout is refitted on the training series and scored on it and on a fresh series of
/// `warmup + test_steps` steps (seed stream "deep-test").
#[allow(clippy::too_many_arguments)]
pub fn deep_dfa(
    esn: Value,
    ridge: f64,
    warmup: usize,
    train_steps: usize,
    test_steps: usize,
    dfa: Value,
    dfa_steps: usize,
    seed: u64,
) -> Result<DeepDfa> {
    let series = |steps: usize| {
        SeriesTask::new(
            SeriesKind::Narma10,
            SeriesConfig {
                n_steps: steps,
                warmup,
                ..SeriesConfig::default()
            },
        )
    };
    let train_trial = series(train_steps)?.trial(&mut SimRng::derived(seed, "deep-train"));
    let test_trial = series(warmup + test_steps)?.trial(&mut SimRng::derived(seed, "deep-test"));
    let spec = series(train_steps)?.spec();
    let mut config = json!({
        "reservoir": esn,
        "train": {"batch_size": 1, "seed": seed},
        "rule": {"rule": "reservoir", "readout": "ridge", "ridge": ridge, "warmup": warmup,
                 "dfa_seed": seed},
    });
    let Value::Object(settings) = dfa else {
        return Err(Error::field(
            "dfa",
            dfa,
            "must be an object of rule settings",
        ));
    };
    for (key, value) in settings {
        config["rule"][key] = value;
    }
    let task = crate::tasks::recorded::RecordedTask::new(spec, vec![train_trial.clone()], 0.1)?;
    let mut session = Session::with_task(config.clone(), Box::new(task))?;
    let initial = session.trainer.network.clone();
    session.train(dfa_steps)?;
    let frozen = refit_on(&initial, &config, &train_trial)?;
    let trained = refit_on(&session.trainer.network, &config, &train_trial)?;
    Ok(DeepDfa {
        dfa_steps,
        train_frozen: nrmse_on(&frozen, &train_trial, warmup),
        train_dfa: nrmse_on(&trained, &train_trial, warmup),
        test_frozen: nrmse_on(&frozen, &test_trial, warmup),
        test_dfa: nrmse_on(&trained, &test_trial, warmup),
    })
}

/// Turcu & Abbott's classification at one load: the same N, K and patterns, once as a
/// reservoir (recurrent weights random and frozen, a trained linear readout by ridge) and
/// once as the trained sparse RNN with their fixed population readout (BPTT).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TurcuGap {
    /// Number of patterns P.
    pub n_patterns: usize,
    /// Accuracy of the reservoir with a trained linear readout.
    pub reservoir_accuracy: f32,
    /// Accuracy of the trained sparse RNN (no trained convergent readout).
    pub trained_rnn_accuracy: f32,
}

/// [`TurcuGap`] for `units` neurons with connection density `density`, `n_patterns`
/// patterns, the RNN trained for `rnn_steps` full-batch BPTT steps.
pub fn turcu_gap(
    units: usize,
    density: f64,
    n_patterns: usize,
    rnn_steps: usize,
    seed: u64,
) -> Result<TurcuGap> {
    let task = json!({"id": "turcu-classification", "n_patterns": n_patterns,
                      "pattern_dim": units, "dt_ms": 10.0, "seed": seed});
    let reservoir = json!({
        "reservoir": {"units": units, "lr": 0.1, "sr": 0.9, "rc_connectivity": density,
                      "input_connectivity": 1.0, "input_scaling": 1.0, "seed": seed},
        "task": task,
        "train": {"batch_size": n_patterns, "seed": seed},
        "rule": {"rule": "reservoir", "readout": "ridge", "ridge": 1e-3},
    });
    let mut session = Session::new(reservoir)?;
    session.train(1)?;
    let reservoir_accuracy = session.evaluate(n_patterns)?.accuracy;
    let rnn = json!({
        "network": {"n_neurons": units, "connectivity": "random-density", "density": density,
                    "activation": "rectified-tanh", "dynamics": "voltage",
                    "input_map": "identity", "readout": "population", "dt_ms": 10.0,
                    "tau_ms": 100.0, "train_bias": false, "seed": seed},
        "task": task,
        "train": {"batch_size": n_patterns, "learning_rate": 0.15, "seed": seed},
    });
    let mut session = Session::new(rnn)?;
    session.train(rnn_steps)?;
    let trained_rnn_accuracy = session.evaluate(n_patterns)?.accuracy;
    Ok(TurcuGap {
        n_patterns,
        reservoir_accuracy,
        trained_rnn_accuracy,
    })
}

/// The page's reservoir pictures ([`reservoir_charts`]), drawn by `plot::series_chart`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReservoirCharts {
    /// Closed-loop generation vs the true series (one-step prediction tasks with one input
    /// and one output only, e.g. Mackey-Glass).
    pub generation: Option<crate::plot::Chart>,
    /// The memory-capacity curve r²(k), k = 1..[`CHART_MAX_DELAY`], with MC = Σ r²(k).
    pub memory: crate::plot::Chart,
}

/// Largest delay of the page's memory-capacity curve.
pub const CHART_MAX_DELAY: usize = 40;
/// Steps of closed-loop generation in the page's picture.
pub const CHART_GENERATION_STEPS: usize = 300;

/// The reservoir pictures of the session's network (its recurrent and input weights,
/// readout as trained) on its task, from the session's evaluation seed `seed`:
///
/// - generation (one-step prediction of a one-channel series only: the trial's target at t
///   is its input at t + 1): a trial of `task` (stream "reservoir-generation"), teacher
///   forced from the zero state up to its last [`CHART_GENERATION_STEPS`] steps (at most
///   half of it), then fed its own output ([`generate`]), beside the true series;
/// - memory: the same reservoir with a fresh ridge readout (λ 1e-6) for delays
///   1..[`CHART_MAX_DELAY`], fitted on 2000 steps of i.i.d. U[−0.8, 0.8] input (stream
///   "reservoir-mc-fit", 100 discarded) and scored on a fresh 2000 steps
///   ("reservoir-mc-test"): r²(k) and MC = Σ r²(k) ([`timeseries::memory_capacity`]).
///
/// `None` for a network with more than one input (the memory task has one), or when the
/// session's rule is not `reservoir`.
pub fn reservoir_charts(session: &Session) -> Result<Option<ReservoirCharts>> {
    if !matches!(
        session.trainer.rule,
        crate::learning::LearningRule::Reservoir(_)
    ) {
        return Ok(None);
    }
    let (network, task) = (&session.trainer.network, session.trainer.task.as_ref());
    let seed = session.eval_seed();
    use crate::learning::reservoir::{readout_step, ReadoutState, ReservoirRule};
    use crate::plot::{Chart, Series};
    if network.n_inputs() != 1 {
        return Ok(None);
    }
    let n = network.n_neurons();
    let generation = if network.n_outputs() == 1 {
        let trial = task.trial(&mut SimRng::derived(seed, "reservoir-generation"));
        let steps = trial.n_steps();
        let one_step = trial.inputs.ncols() == 1
            && trial.targets.ncols() == 1
            && steps > 20
            && (0..steps - 1).all(|t| trial.targets[[t, 0]] == trial.inputs[[t + 1, 0]]);
        if one_step {
            let generated_steps = CHART_GENERATION_STEPS.min(steps / 2);
            let warm_steps = steps - generated_steps;
            let warm: Vec<f32> = (0..warm_steps).map(|t| trial.inputs[[t, 0]]).collect();
            let generated = generate(network, &warm, generated_steps)?;
            // generated[i] predicts the series at warm_steps + i = the target at warm_steps − 1 + i
            let truth: Vec<f64> = (0..generated_steps)
                .map(|i| trial.targets[[warm_steps - 1 + i, 0]] as f64)
                .collect();
            let predicted: Vec<f64> = generated.iter().map(|v| *v as f64).collect();
            let error = timeseries::nrmse(&predicted, &truth);
            let points = |values: &[f64]| -> Vec<(f64, f64)> {
                values
                    .iter()
                    .enumerate()
                    .map(|(i, v)| ((i + 1) as f64, *v))
                    .collect()
            };
            Some(Chart {
                title: format!(
                    "Closed-loop generation after {warm_steps} teacher-forced steps \
                     (NRMSE {error:.3})"
                ),
                x_label: "steps fed its own prediction".into(),
                y_label: "series".into(),
                y_range: None,
                series: vec![
                    Series {
                        label: "true series".into(),
                        points: points(&truth),
                        markers: false,
                        line: true,
                    },
                    Series {
                        label: "reservoir fed its own output".into(),
                        points: points(&predicted),
                        markers: false,
                        line: true,
                    },
                ],
            })
        } else {
            None
        }
    } else {
        None
    };
    let (warmup, steps) = (100, 2000);
    let mc_task = SeriesTask::new(
        SeriesKind::MemoryCapacity,
        SeriesConfig {
            n_steps: steps,
            warmup,
            max_delay: CHART_MAX_DELAY,
            ..SeriesConfig::default()
        },
    )?;
    let mut probe = network.clone();
    probe.config.n_outputs = CHART_MAX_DELAY;
    probe.config.readout_bias = false;
    probe.b_out = Vec::new();
    probe.w_out = crate::model::Csr::dense(CHART_MAX_DELAY, n);
    probe.rebuild_indices();
    let rule = ReservoirRule {
        ridge: 1e-6,
        warmup,
        ..ReservoirRule::default()
    };
    let fit = TrialBatch::pack(vec![
        mc_task.trial(&mut SimRng::derived(seed, "reservoir-mc-fit"))
    ]);
    let mut state = ReadoutState::new(&rule, &probe);
    let mut trajectory = Trajectory::default();
    let values = readout_step(&probe, &fit, &rule, &mut state, &mut trajectory)?;
    probe.w_out.values.copy_from_slice(&values);
    probe.w_out.sync_transpose();
    let test = mc_task.trial(&mut SimRng::derived(seed, "reservoir-mc-test"));
    let (test, outputs) = outputs_of(&probe, test);
    let (mc, curve) = timeseries::memory_capacity(&test, outputs.view());
    let memory = Chart {
        title: format!("Memory capacity: MC = Σ r²(k) = {mc:.2} (N = {n})"),
        x_label: "delay k (steps)".into(),
        y_label: "r²(k)".into(),
        y_range: Some((0.0, 1.0)),
        series: vec![Series {
            label: "r² of the recall of u(t − k)".into(),
            points: curve
                .iter()
                .enumerate()
                .map(|(k, r2)| ((k + 1) as f64, *r2))
                .collect(),
            markers: true,
            line: true,
        }],
    };
    Ok(Some(ReservoirCharts { generation, memory }))
}
