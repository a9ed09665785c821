//! Jarne & Laje's experiments measured the authors' way (katejarne/RNN_study_with_keras;
//! numbers in `shared/research/paper-figures.md` §4), as functions returning numbers for
//! the claims.
//!
//! Model and schedule (their `binary_*_recurrent_main_to_loop.py`): Keras SimpleRNN =
//! our rate form with dt = τ = 1 ms (h ← tanh(W h + W_in u)), N = 50, no bias,
//! Glorot-uniform W_in and readout, orthogonal W_rec, linear readout, MSE, Adam lr 1e-4
//! with Keras decay 1e-4, batch 64, 20 epochs of 15 000 training trials (235 steps each,
//! ≈ 4 700 steps), stopping at the end of the first epoch whose mean loss is below 5e-4
//! (AND; 1e-3 for the time pulse). Every network trains through [`Session`] on the run
//! description of [`run_description`], with Keras's Dense readout bias (`readout_bias`,
//! initialised at 0). Without it a network can only output exactly 0 on the silent "00"
//! AND trial (tanh, no recurrent bias, zero input), so the authors' 0.22 there comes from
//! the readout bias.
//!
//! Their metric is the distance ‖target − output‖₂ over one whole trial (all 210 steps of
//! an AND trial, the target without noise), per trial, then averaged:
//! - AND damage (`load_models_paper.py`, `files_damage/*/aug_20_.txt`): the recurrent
//!   weights with |w| below a threshold (or only the positive, or only the negative ones)
//!   are set to 0 and the distance is measured per input condition (00, 11, 10, 01),
//!   averaged over networks. The networks train on, and are scored on, trials with input
//!   noise [`AND_INPUT_NOISE_STD`] (see there for why, although the AND generator in the
//!   authors' repository has its noise line commented out); [`damage_table`] scores on
//!   [`AND_TRIALS_PER_CONDITION`] such trials per condition, [`damage_table_noise_free`]
//!   on the noise-free trial.
//! - Size and delay (`binary_pulse_recurrent_main_to_loop.py`, `files_scale/*.txt`): the
//!   time-pulse task (inputs and targets with noise 0.03), distance on the first 10 of the
//!   50 held-out trials of each network, averaged.

use crate::error::{Error, Result};
use crate::lab::session::Session;
use crate::model::Network;
use crate::rng::SimRng;
use crate::tasks::jarne_laje::{JarneLajeConfig, JarneLajeKind, JarneLajeTask};
use crate::tasks::{Task, Trial, TrialBatch};
use crate::train::Trajectory;
use serde_json::{json, Value};

/// The authors' training schedule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Schedule {
    /// Epochs at most (20).
    pub epochs: usize,
    /// Training trials per epoch (15 000 = 15 050 − 50 held out).
    pub trials_per_epoch: usize,
    /// Batch size (64).
    pub batch_size: usize,
    /// Adam step size (1e-4).
    pub learning_rate: f64,
    /// Keras decay (1e-4).
    pub lr_decay: f64,
    /// Stop after the first epoch whose mean training loss is below this (5e-4 AND,
    /// 1e-3 time pulse).
    pub stop_loss: f64,
}

impl Schedule {
    /// The authors' schedule for `kind`.
    pub fn authors(kind: JarneLajeKind) -> Self {
        Schedule {
            epochs: 20,
            trials_per_epoch: 15_000,
            batch_size: 64,
            learning_rate: 1e-4,
            lr_decay: 1e-4,
            stop_loss: if kind == JarneLajeKind::And {
                5e-4
            } else {
                1e-3
            },
        }
    }

    /// Optimizer steps per epoch (Keras: ⌈trials / batch⌉).
    pub fn steps_per_epoch(&self) -> usize {
        self.trials_per_epoch.div_ceil(self.batch_size.max(1))
    }
}

/// How a network's training went.
#[derive(Debug, Clone, PartialEq)]
pub struct Trained {
    /// The trained network.
    pub network: Network,
    /// Optimizer steps taken.
    pub steps: usize,
    /// Epochs run.
    pub epochs: usize,
    /// Mean training loss of the last epoch.
    pub last_epoch_loss: f64,
}

/// The run description of one of the authors' networks: `kind` with `task` options
/// (JSON object, merged over the authors' defaults by the registry), N = `n_neurons`,
/// `seed` for the weights and the trials.
pub fn run_description(
    kind: JarneLajeKind,
    task: &Value,
    n_neurons: usize,
    seed: u64,
    schedule: &Schedule,
) -> Value {
    let mut task_json = task.as_object().cloned().unwrap_or_default();
    task_json.insert("id".into(), Value::String(kind.id().into()));
    json!({
        "network": {
            "n_neurons": n_neurons,
            "n_outputs": 1,
            "connectivity": "dense",
            "activation": "tanh",
            "dt_ms": 1.0,
            "tau_ms": 1.0,
            "init": "orthogonal",
            "gain": 1.0,
            "dense_init": "glorot-uniform",
            "train_bias": false,
            "readout_bias": true,
            "seed": seed,
        },
        "train": {
            "optimizer": "adam",
            "learning_rate": schedule.learning_rate,
            "lr_decay": schedule.lr_decay,
            "batch_size": schedule.batch_size,
            "clip_norm": 0.0,
            "loss": "mse",
            "seed": seed,
        },
        "task": Value::Object(task_json),
    })
}

/// Train one network on the authors' schedule through [`Session`].
pub fn train(config: Value, schedule: &Schedule) -> Result<Trained> {
    let mut session = Session::new(config)?;
    let per_epoch = schedule.steps_per_epoch();
    let (mut epochs, mut last_epoch_loss) = (0, f64::NAN);
    for _ in 0..schedule.epochs {
        let mut total = 0.0;
        for _ in 0..per_epoch {
            total += session.train(1)?.loss as f64;
        }
        epochs += 1;
        last_epoch_loss = total / per_epoch as f64;
        if last_epoch_loss < schedule.stop_loss {
            break;
        }
    }
    Ok(Trained {
        steps: session.steps_done(),
        network: session.trainer.network.clone(),
        epochs,
        last_epoch_loss,
    })
}

/// File name, under a model directory, of the network that `config` (a
/// [`run_description`]) trains to on `schedule`: the task, N, the interval (time pulse) and
/// the seed for reading, then a 64-bit FNV-1a hash of the whole run description and every
/// field of the schedule, so that a network trained on other settings (another learning
/// rate, task options, epochs, stop loss, …) is never taken for this one. E.g.
/// `jl-time-pulse-n50-150ms-seed3-1f0c….model.json`.
pub fn model_file_name(config: &Value, schedule: &Schedule) -> String {
    let hash = crate::math::fnv::fnv1a(format!("{config}|{schedule:?}").bytes());
    let task = config["task"]["id"].as_str().unwrap_or("task");
    let interval = config["task"]["interval_ms"]
        .as_f64()
        .map(|ms| format!("-{ms}ms"))
        .unwrap_or_default();
    format!(
        "{task}-n{}{interval}-seed{}-{hash:016x}.model.json",
        config["network"]["n_neurons"], config["network"]["seed"]
    )
}

/// The network `config` trains to on `schedule` ([`train`]), kept in the directory
/// `models` when one is given: loaded from its [`model_file_name`] there when that file
/// exists (no training), else trained and written there at once (a temporary file renamed
/// into place, so a run stopped mid-write leaves no partial model). A long run of many
/// networks (the full `srnn reproduce jarne-laje`) thus resumes where it stopped. A file
/// that is there but does not load is an error, not a reason to retrain.
pub fn trained_network(
    config: Value,
    schedule: &Schedule,
    models: Option<&std::path::Path>,
) -> Result<Network> {
    let Some(dir) = models else {
        return Ok(train(config, schedule)?.network);
    };
    let path = dir.join(model_file_name(&config, schedule));
    let io = |path: &std::path::Path, reason: &dyn std::fmt::Display| Error::Io {
        path: path.display().to_string(),
        reason: reason.to_string(),
    };
    if path.exists() {
        let text = std::fs::read_to_string(&path).map_err(|e| io(&path, &e))?;
        return crate::persist::load_model(&text)
            .map(|(network, _)| network)
            .map_err(|e| io(&path, &e));
    }
    let trained = train(config, schedule)?;
    std::fs::create_dir_all(dir).map_err(|e| io(dir, &e))?;
    let partial = path.with_extension("partial");
    std::fs::write(
        &partial,
        crate::persist::save_model(&trained.network, trained.steps),
    )
    .map_err(|e| io(&partial, &e))?;
    std::fs::rename(&partial, &path).map_err(|e| io(&path, &e))?;
    Ok(trained.network)
}

/// Std of the Gaussian input noise (per input, per 1 ms step) of the study's AND networks:
/// on their training trials and on the trials the damage tables score. The AND generator
/// in the authors' repository has its noise line commented out, but their damage tables
/// cannot come from silent trials — their "00" column grows with damage (0.22 → 4.38),
/// while on a noise-free "00" trial the state stays 0 (tanh, no recurrent bias, zero
/// input) and the output is the readout bias whatever the recurrent weights — and the
/// networks of their figures are the ones trained "con ruido" (with noise:
/// `load_models_and_print_and.py`, `networks/AND/And_con_ruido_orto_#04`, `#14`). Their
/// generator's `stim_noise` is 0.1. Scoring on noisy trials a network trained without
/// noise is not their experiment: their own noise-free network
/// (`And_sin_ruido_ran_nor_07`) scores 3.3 ("00") and 11.4 ("11") on such trials, their
/// noise-trained ones 0.39–0.60 and 0.94–1.37 (`docs/jarne-laje.md`).
pub const AND_INPUT_NOISE_STD: f64 = 0.1;

/// Noisy test trials per input condition of [`damage_table`].
pub const AND_TRIALS_PER_CONDITION: usize = 10;

/// Seed of the AND test trials: one set shared by every network and threshold (the authors'
/// generator seeds numpy with a constant).
pub const AND_TEST_SEED: u64 = 2026;

/// The task options of the study's AND networks (merged over the authors' AND generator by
/// [`run_description`]): input noise [`AND_INPUT_NOISE_STD`] on the training trials.
pub fn and_task_options() -> Value {
    json!({ "input_noise_std": AND_INPUT_NOISE_STD })
}

/// The AND test trials of [`damage_table`]: [`AND_TRIALS_PER_CONDITION`] trials of each
/// condition (00, 11, 10, 01) with input noise [`AND_INPUT_NOISE_STD`], from
/// [`AND_TEST_SEED`].
pub fn and_test_trials() -> Result<Vec<Vec<Trial>>> {
    AND_CONDITIONS
        .iter()
        .map(|&(a, b)| {
            and_trials(
                a,
                b,
                AND_INPUT_NOISE_STD,
                AND_TRIALS_PER_CONDITION,
                AND_TEST_SEED,
            )
        })
        .collect()
}

/// ‖target − output‖₂ over each trial of `trials` (noise-free simulation).
pub fn distances(network: &Network, trials: Vec<Trial>) -> Vec<f64> {
    let batch = TrialBatch::pack(trials);
    let trajectory = Trajectory::of_batch(network, &batch);
    (0..batch.batch_size)
        .map(|b| {
            (0..batch.n_steps)
                .map(|t| {
                    let k = t * batch.batch_size + b; // channel 0 of the packed layout
                    let target = batch.targets[k] as f64;
                    (trajectory.output(0, t, b) as f64 - target).powi(2)
                })
                .sum::<f64>()
                .sqrt()
        })
        .collect()
}

/// The AND trial with inputs `a`, `b`, without noise (the authors' AND generator has none).
pub fn and_trial(a: bool, b: bool) -> Result<Trial> {
    Ok(and_trials(a, b, 0.0, 1, 7)?.remove(0))
}

/// `count` AND trials with inputs `a`, `b` and input noise `noise_std` (the paper's 0.1;
/// the generator in the authors' repository has it commented out), drawn from `seed`.
pub fn and_trials(a: bool, b: bool, noise_std: f64, count: usize, seed: u64) -> Result<Vec<Trial>> {
    let task = JarneLajeTask::new(
        JarneLajeKind::And,
        JarneLajeConfig {
            input_noise_std: noise_std,
            ..JarneLajeConfig::authors(JarneLajeKind::And)
        },
    )?;
    // draw until the condition comes up (each has probability 1/4)
    let mut rng = SimRng::derived(seed, "and-condition");
    let mut out = Vec::with_capacity(count);
    for _ in 0..1000 * count.max(1) {
        let trial = task.trial(&mut rng);
        if trial_condition(&trial) == (a, b) {
            out.push(trial);
            if out.len() == count {
                return Ok(out);
            }
        }
    }
    Err(Error::field("and_trial", "condition", "was never drawn"))
}

/// The (A, B) inputs of an AND trial: the pulse's period is given to both channels and
/// the noise is small, so the mean over the stimulus window tells the condition.
fn trial_condition(trial: &Trial) -> (bool, bool) {
    let mean = |c: usize| (30..50).map(|t| trial.inputs[[t, c]]).sum::<f32>() / 20.0;
    (mean(0) > 0.5, mean(1) > 0.5)
}

/// The input conditions in the authors' column order: 00, 11, 10, 01.
pub const AND_CONDITIONS: [(bool, bool); 4] =
    [(false, false), (true, true), (true, false), (false, true)];

/// Which recurrent weights a damage experiment removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Damage {
    /// |w| < threshold (`01_pos_y_neg`).
    Magnitude,
    /// 0 < w < threshold (`02_positivos`).
    Positive,
    /// −threshold < w < 0 (`03_negativos`).
    Negative,
}

/// `network` with the recurrent weights selected by `damage` at `threshold` set to 0, and
/// the fraction of all N² weights removed.
pub fn damaged(network: &Network, damage: Damage, threshold: f32) -> (Network, f64) {
    let mut out = network.clone();
    let mut removed = 0usize;
    for (param, w) in out.w_rec_param.iter_mut().zip(out.w_rec.values.iter()) {
        let hit = match damage {
            Damage::Magnitude => w.abs() < threshold,
            Damage::Positive => *w > 0.0 && *w < threshold,
            Damage::Negative => *w < 0.0 && *w > -threshold,
        };
        if hit {
            *param = 0.0;
            removed += 1;
        }
    }
    out.refresh_effective_weights();
    let n = network.config.n_neurons;
    (out, removed as f64 / (n * n) as f64)
}

/// The authors' thresholds of the damage tables (`aug_20_.txt`, first column).
pub const DAMAGE_THRESHOLDS: [f32; 19] = [
    0.0, 0.003, 0.0075, 0.01, 0.014, 0.017, 0.0205, 0.025, 0.028, 0.032, 0.037, 0.04, 0.044, 0.049,
    0.052, 0.056, 0.059, 0.063, 0.067,
];

/// One row of a damage table: threshold, % removed (mean over networks), and the mean and
/// std over networks of the distance per condition (00, 11, 10, 01).
#[derive(Debug, Clone, PartialEq)]
pub struct DamageRow {
    /// Threshold.
    pub threshold: f32,
    /// Percent of the N² weights removed (mean over networks).
    pub percent_removed: f64,
    /// Mean distance per condition (00, 11, 10, 01).
    pub mean: [f64; 4],
    /// Std over networks per condition.
    pub std: [f64; 4],
}

/// The damage table of `networks` for `damage` at `thresholds`, the authors' way: each
/// network's distance per condition is its mean over that condition's noisy test trials
/// ([`and_test_trials`]).
pub fn damage_table(
    networks: &[Network],
    damage: Damage,
    thresholds: &[f32],
) -> Result<Vec<DamageRow>> {
    Ok(damage_table_on(
        networks,
        damage,
        thresholds,
        &and_test_trials()?,
    ))
}

/// The damage table of `networks` for `damage` at `thresholds`, on the noise-free trial of
/// each condition (the AND generator of the authors' repository as it stands). Condition
/// "00" is then the readout bias alone, |b_out|·√210, at every threshold.
pub fn damage_table_noise_free(
    networks: &[Network],
    damage: Damage,
    thresholds: &[f32],
) -> Result<Vec<DamageRow>> {
    let trials: Vec<Vec<Trial>> = AND_CONDITIONS
        .iter()
        .map(|&(a, b)| and_trial(a, b).map(|t| vec![t]))
        .collect::<Result<_>>()?;
    Ok(damage_table_on(networks, damage, thresholds, &trials))
}

/// The damage table of `networks` for `damage` at `thresholds`, each network's distance per
/// condition being its mean over that condition's `trials` (00, 11, 10, 01).
pub fn damage_table_on(
    networks: &[Network],
    damage: Damage,
    thresholds: &[f32],
    trials: &[Vec<Trial>],
) -> Vec<DamageRow> {
    thresholds
        .iter()
        .map(|&threshold| {
            let mut per = vec![Vec::new(); 4];
            let mut removed = 0.0;
            for network in networks {
                let (net, fraction) = damaged(network, damage, threshold);
                removed += fraction * 100.0 / networks.len() as f64;
                for (c, condition) in trials.iter().enumerate().take(4) {
                    per[c].push(mean_std(&distances(&net, condition.clone())).0);
                }
            }
            let mut mean = [0.0; 4];
            let mut std = [0.0; 4];
            for c in 0..4 {
                (mean[c], std[c]) = mean_std(&per[c]);
            }
            DamageRow {
                threshold,
                percent_removed: removed,
                mean,
                std,
            }
        })
        .collect()
}

/// Mean and (population) std.
pub fn mean_std(values: &[f64]) -> (f64, f64) {
    let n = values.len().max(1) as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    (mean, var.sqrt())
}

/// Distance of a time-pulse network on its 10 test trials (the authors' first 10 of 50
/// held out: random, with input and target noise 0.03), drawn from `test_seed`.
pub fn pulse_distances(network: &Network, interval_ms: f64, test_seed: u64) -> Result<Vec<f64>> {
    let task = JarneLajeTask::new(
        JarneLajeKind::TimePulse,
        JarneLajeConfig {
            interval_ms,
            ..JarneLajeConfig::authors(JarneLajeKind::TimePulse)
        },
    )?;
    let mut rng = SimRng::derived(test_seed, "jl-pulse-test");
    let trials = (0..10).map(|_| task.trial(&mut rng)).collect();
    Ok(distances(network, trials))
}

/// One point of the size or delay experiment: N, delay, the per-network mean distances.
#[derive(Debug, Clone, PartialEq)]
pub struct ScalePoint {
    /// Network size.
    pub n_neurons: usize,
    /// Delay between trigger end and pulse onset, ms.
    pub interval_ms: f64,
    /// Mean distance over the 10 test trials, per network.
    pub per_network: Vec<f64>,
    /// Steps each network trained.
    pub steps: Vec<usize>,
}

/// Train `seeds.len()` time-pulse networks of size `n_neurons` at delay `interval_ms` on
/// `schedule` and measure each one's mean distance.
pub fn scale_point(
    n_neurons: usize,
    interval_ms: f64,
    seeds: &[u64],
    schedule: &Schedule,
) -> Result<ScalePoint> {
    let mut point = ScalePoint {
        n_neurons,
        interval_ms,
        per_network: Vec::new(),
        steps: Vec::new(),
    };
    for &seed in seeds {
        let config = run_description(
            JarneLajeKind::TimePulse,
            &json!({ "interval_ms": interval_ms }),
            n_neurons,
            seed,
            schedule,
        );
        let trained = train(config, schedule)?;
        let d = pulse_distances(&trained.network, interval_ms, 1000 + seed)?;
        point.per_network.push(mean_std(&d).0);
        point.steps.push(trained.steps);
    }
    Ok(point)
}

/// Train `seeds.len()` AND networks (N = 50) on `schedule`, with the input noise of
/// [`and_task_options`].
pub fn and_networks(seeds: &[u64], schedule: &Schedule) -> Result<Vec<Trained>> {
    seeds
        .iter()
        .map(|&seed| {
            let config =
                run_description(JarneLajeKind::And, &and_task_options(), 50, seed, schedule);
            train(config, schedule)
        })
        .collect()
}
