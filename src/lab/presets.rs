//! Presets: each paper's setting defined once, as a run description, and read by the page
//! (`presetIds()`, `presetConfig(id)`), the widget, the CLI (`srnn train --preset <id>`)
//! and the claims. [`Turcu`] is the Turcu & Abbott setting with its parameters (the claims
//! vary N, f, P, the optimizer, the E/I split and the seed); [`sparsity_network`] is a
//! point of the Khona et al. sparsity sweep.

use crate::error::{Error, Result};
use crate::lab::spiking::spytorch_run;
use crate::model::{
    build_mask, Activation, Connectivity, Dynamics, InputMap, NetworkConfig, Readout, Surrogate,
};
use crate::rng::SimRng;
use crate::tasks::TaskSpec;
use crate::train::OptimizerKind;
use serde::Serialize;
use serde_json::{json, Value};

/// A long run's stopping rule (the page's "Train until").
#[derive(Debug, Clone, Copy, Serialize)]
pub struct LongRunSpec {
    /// Stop when the mean per-task performance reaches this.
    pub target: f64,
    /// Or after this many steps.
    pub max_steps: usize,
    /// Trials per task of each evaluation (Yang et al.'s test: 512).
    pub per_task_trials: usize,
    /// Steps between evaluations.
    pub eval_every: usize,
}

/// A one-click reproduction of a paper's headline result.
#[derive(Debug, Clone, Serialize)]
pub struct Preset {
    /// Id (`index.html?preset=<id>`, `srnn train --preset <id>`).
    pub id: &'static str,
    /// Paper id of the claims table ([`crate::lab::claims::PAPERS`]).
    pub paper: &'static str,
    /// Title shown on the card.
    pub title: &'static str,
    /// At most two sentences: what to look at; numbers live on the results page.
    pub caption: &'static str,
    /// Anchor of the preset on the results page (`docs/results.md#<anchor>`).
    pub results: &'static str,
    /// The claims-table rows (`(label, "paper/row")`) whose paper values the gallery card
    /// shows after their label (ours: the results page and the claims table, never a
    /// copied number).
    pub headline: &'static [(&'static str, &'static str)],
    /// Steps the page trains (a long run stops by `long_run` instead).
    pub steps: usize,
    /// The sweep the page runs after training (`percolation`, `sparsity`, `rules`).
    pub sweep: Option<&'static str>,
    /// Train until a criterion instead of `steps` steps.
    pub long_run: Option<LongRunSpec>,
    /// Trials per task of Yang et al.'s task-variance analysis after a long run.
    pub task_variance: Option<usize>,
    /// The run description.
    pub run: Value,
}

/// Ids of every preset, in the page's order.
pub const PRESET_IDS: &[&str] = &[
    "turcu",
    "khona",
    "jarne",
    "rules",
    "yang",
    "reservoir",
    "spytorch",
];

/// The Khona preset's Mod-Cog tasks (authors' neurogym form, dt 100 ms).
pub const KHONA_TASKS: &[&str] = &[
    "ngym-modcog-dlygo",
    "ngym-modcog-dlygoseqr",
    "ngym-modcog-dlygointr",
    "ngym-modcog-dm1",
];

/// Neurons of the Khona preset's network and of its sparsity sweep (a 12 × 11 sheet, the
/// last row 8 wide): the size at which the claims' quick autapse rows hold
/// (docs/results.md#khona-quick-2026-12-03); at N = 64 no mask learned the int/seq tasks.
pub const KHONA_N: usize = 128;
/// Sheet radius (grid units) of the Khona preset's local mask and of its sweep's local and
/// random arms: 28 partners per neuron, density 0.22. At radius 2 (0.10) both learned the
/// seq task but not the int task within 4000 steps natively (docs/results.md#khona).
pub const KHONA_RADIUS: f64 = 3.0;
/// Recurrent noise std of the Khona preset and its sweep: none. With 0.05 (the native
/// study's) a dense N = 128 network learned no int task in 2000 steps.
pub const KHONA_REC_NOISE_STD: f64 = 0.0;

/// The preset `id`, or an error naming the known ones.
pub fn preset(id: &str) -> Result<Preset> {
    let preset = match id {
        "turcu" => Preset {
            id: "turcu",
            paper: "turcu",
            title: "Turcu & Abbott: sparse classification by amplification",
            caption: "A network with 5 synapses per neuron learns to amplify one class of 250 \
                      patterns and suppress the other, read out as the mean rate of a few \
                      neurons: no trained output unit. Watch the readout of every pattern \
                      separate after the input ends, and fade on trials 5× longer.",
            results: "turcu",
            headline: &[("accuracy at α = 0.5:", "turcu/alpha-half")],
            steps: 250,
            sweep: Some("percolation"),
            long_run: None,
            task_variance: None,
            run: Turcu::authors().run(),
        },
        "khona" => Preset {
            id: "khona",
            paper: "khona",
            title: "Khona et al.: local vs random vs dense vs autapse on Mod-Cog",
            caption: "Four networks of 128 neurons train on four Mod-Cog tasks: local \
                      (neighbours on a 12 × 11 sheet, 22 % of the synapses), random of equal \
                      density, dense and autapse-only; beside their sweep, our native study at \
                      N = 1024 (steps and CPU time to criterion vs density). Autapses alone \
                      solve the plain tasks but not the sequence and integration tasks, which \
                      the other three learn (the legend's base, seq and int scores); at this \
                      size dense reaches 0.9 first and local last.",
            results: "khona",
            headline: &[
                ("autapses:", "khona/autapse-modcog"),
                ("local vs dense:", "khona/optimal-sparsity"),
            ],
            steps: 1000,
            sweep: Some("sparsity"),
            long_run: None,
            task_variance: None,
            run: json!({
                "network": {
                    "n_neurons": KHONA_N, "connectivity": "local", "radius": KHONA_RADIUS,
                    "periodic": true, "activation": "relu", "init": "normal", "gain": 0.9,
                    "rec_noise_std": KHONA_REC_NOISE_STD, "dynamics": "rate",
                    "input_map": "dense", "readout": "trained", "seed": 1
                },
                "train": {"learning_rate": 0.003, "batch_size": 32, "seed": 1},
                "task": {"id": "ngym-modcog-mixture", "tasks": KHONA_TASKS},
                "rule": {"rule": "bptt"}
            }),
        },
        "jarne" => Preset {
            id: "jarne",
            paper: "jarne-laje",
            title: "Jarne & Laje: XOR, eigen-spectrum and degradation",
            caption: "A dense 50-neuron tanh network learns XOR from two noisy pulses; its \
                      eigenvalues leave the unit circle as it learns. Pruning the smallest \
                      weights first hurts later than pruning at random.",
            results: "jarne-laje",
            headline: &[
                ("AND distance intact:", "jarne-laje/and-intact"),
                ("36 % pruned / intact:", "jarne-laje/and-prune-36"),
            ],
            steps: 300,
            sweep: None,
            long_run: None,
            task_variance: None,
            run: json!({
                "network": {
                    "n_neurons": 50, "connectivity": "dense", "activation": "tanh",
                    "init": "orthogonal", "gain": 1.0, "rec_noise_std": 0.0, "dynamics": "rate",
                    "input_map": "dense", "readout": "trained", "readout_bias": true,
                    "seed": 1
                },
                "train": {"learning_rate": 0.01, "batch_size": 16, "seed": 1},
                "task": {"id": "jl-xor"},
                "rule": {"rule": "bptt"}
            }),
        },
        "rules" => Preset {
            id: "rules",
            paper: "rules",
            title: "Learning rules: BPTT vs FA vs DFA vs predictive coding",
            caption: "The same sparse network learns 200 patterns with four rules side by side. \
                      Predictive coding under the fixed-prediction assumption follows backprop \
                      exactly; random feedback (FA, DFA) lags behind.",
            results: "rules",
            headline: &[("FPA predictive coding = BPTT,", "rules/fpa-exact")],
            steps: 200,
            sweep: Some("rules"),
            long_run: None,
            task_variance: None,
            run: json!({
                "network": {
                    "n_neurons": 100, "connectivity": "fixed-in-degree", "k": 10,
                    "activation": "rectified-tanh", "init": "normal", "gain": 0.9,
                    "rec_noise_std": 0.0, "dynamics": "rate", "input_map": "identity",
                    "readout": "trained", "dt_ms": 10.0, "tau_ms": 100.0, "train_bias": false,
                    "seed": 1
                },
                "train": {
                    "learning_rate": 0.01, "batch_size": 32, "seed": 1, "clip_norm": 0.0,
                    "loss": {"hinge": {"threshold": 0.5}}
                },
                "task": {
                    "id": "turcu-classification", "n_patterns": 200,
                    "target_high": 0.6, "target_low": 0.4
                },
                "rule": {"rule": "direct-feedback-alignment"}
            }),
        },
        "yang" => Preset {
            id: "yang",
            paper: "yang",
            title: "Yang et al.: 20 cognitive tasks",
            caption: "One sparse network (256 units, 10 % of the synapses) learns Yang et al.'s \
                      20 cognitive tasks until their mean performance reaches 0.9, each task \
                      scored on its own 512 trials. Then its units cluster by the tasks they \
                      serve.",
            results: "yang",
            headline: &[("", "yang/clusters")],
            steps: 20000,
            sweep: None,
            long_run: Some(LongRunSpec {
                target: 0.9,
                max_steps: 20000,
                per_task_trials: 512,
                eval_every: 500,
            }),
            task_variance: Some(64),
            run: json!({
                "network": {
                    "n_neurons": 256, "connectivity": "random-density", "density": 0.1,
                    "activation": "relu", "init": "orthogonal", "gain": 1.0,
                    "rec_noise_std": 0.05, "dynamics": "rate", "input_map": "dense",
                    "readout": "trained", "seed": 1
                },
                "train": {"learning_rate": 0.001, "batch_size": 64, "shards": 4, "seed": 1},
                "task": {"id": "yang-mixture"},
                "rule": {"rule": "bptt"}
            }),
        },
        "reservoir" => Preset {
            id: "reservoir",
            paper: "reservoir",
            title: "Reservoir computing: an echo-state network predicts Mackey-Glass",
            caption: "A random sparse network of 300 units whose recurrent weights never \
                      change; only its linear readout is fitted, in closed form (ridge \
                      regression), on 2000 steps of the chaotic Mackey-Glass series. Watch \
                      the prediction lie on the target one step ahead.",
            results: "reservoir",
            headline: &[("Mackey-Glass NRMSE:", "reservoir/own-draws")],
            steps: 2,
            sweep: None,
            long_run: None,
            task_variance: None,
            run: json!({
                "reservoir": {
                    "units": 300, "lr": 0.3, "sr": 1.25, "input_scaling": 1.0,
                    "rc_connectivity": 0.1, "input_connectivity": 0.1, "seed": 1
                },
                "train": {"batch_size": 1, "seed": 1},
                "task": {"id": "mackey-glass", "n_steps": 2000, "warmup": 100, "horizon": 1},
                "rule": {"rule": "reservoir", "readout": "ridge", "ridge": 1e-6, "warmup": 100}
            }),
        },
        "spytorch" => Preset {
            id: "spytorch",
            paper: "spiking",
            title: "Zenke & Vogels (SpyTorch): a spiking network trained by surrogate gradients",
            caption: "Four leaky integrate-and-fire neurons learn random labels of 256 random \
                      spike patterns through the SuperSpike surrogate gradient; the spike \
                      raster shows the hidden neurons of one pattern. With the true gradient \
                      (surrogate `true`) the accuracy stays near chance.",
            results: "spiking",
            headline: &[
                ("surrogate:", "spiking/surrogate"),
                ("true gradient:", "spiking/true-gradient"),
            ],
            steps: 1000,
            sweep: None,
            long_run: None,
            task_variance: None,
            run: spytorch_run(Surrogate::FastSigmoid, 1),
        },
        other => {
            return Err(Error::UnknownName {
                field: "preset",
                value: other.into(),
                allowed: PRESET_IDS.join(", "),
            })
        }
    };
    Ok(preset)
}

/// The run description of preset `id`.
pub fn preset_run(id: &str) -> Result<Value> {
    Ok(preset(id)?.run)
}

/// Time step and time constant of Turcu & Abbott's code: dt = 0.1 τ.
pub const TURCU_DT_MS: f64 = 10.0;
/// τ of Turcu & Abbott's code, ms.
pub const TURCU_TAU_MS: f64 = 100.0;

/// The Turcu & Abbott setting (DenisTurcu/SparseRNN; `shared/research/paper-figures.md`
/// §1): the voltage form with dt = 0.1 τ, the rectified tanh, an Erdős–Rényi mask of
/// density f (⌊fN²⌋ entries, mean in-degree K = fN), the identity input for
/// `input_steps` steps, a hinge loss to (high, low) from input offset to 2 τ, the readout
/// the mean rate of a random `readout_fraction`·N neurons (E/I: mean E − mean I), no
/// trained biases, no clipping, full batch (every pattern each step).
#[derive(Debug, Clone, PartialEq)]
pub struct Turcu {
    /// Neurons N.
    pub n: usize,
    /// Connection density f (mean in-degree K = fN).
    pub density: f64,
    /// Patterns P.
    pub n_patterns: usize,
    /// Dale's law with half the neurons excitatory.
    pub ei: bool,
    /// Optimizer.
    pub optimizer: OptimizerKind,
    /// Its learning rate.
    pub learning_rate: f64,
    /// Hinge targets (high, low) of the readout.
    pub targets: (f64, f64),
    /// Steps that carry the input (the authors' backprop code: 10 = 1 τ; their Hebbian
    /// MATLAB: 9, its time loop starts at step 2).
    pub input_steps: usize,
    /// Trial length, τ (training: 2).
    pub total_tau: f64,
    /// Score the input steps too (the task option `score_stimulus`): the authors'
    /// Regular BPTT loss (`loss_ReLU_on_targets`) sums its hinge over every step of the
    /// trial; their SpeedUp code and the default here (false) score from input offset.
    pub score_stimulus: bool,
    /// Seed of the network, the patterns and training.
    pub seed: u64,
}

impl Turcu {
    /// α = 0.5 at N = 100, f = 0.05 (P = 250) with Adam lr 0.15, seed 1.
    pub fn authors() -> Self {
        Turcu {
            n: 100,
            density: 0.05,
            n_patterns: 250,
            ei: false,
            optimizer: OptimizerKind::Adam,
            learning_rate: 0.15,
            targets: (0.6, 0.4),
            input_steps: 10,
            total_tau: 2.0,
            score_stimulus: false,
            seed: 1,
        }
    }

    /// The authors' E/I setting (their Regular code): half the neurons inhibitory, every
    /// neuron read with weight ±1/N, i.e. targets 0.015 / 0.01 on (Σ_E r − Σ_I r)/N, which
    /// is 0.03 / 0.02 on our readout mean E − mean I for a 1:1 split.
    pub fn authors_ei() -> Self {
        Turcu {
            ei: true,
            targets: (0.03, 0.02),
            ..Turcu::authors()
        }
    }

    /// Fraction of neurons read out: the authors' f_out = f (the density), every neuron
    /// with E/I.
    pub fn readout_fraction(&self) -> f64 {
        if self.ei {
            1.0
        } else {
            self.density
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
            dt_ms: TURCU_DT_MS,
            tau_ms: TURCU_TAU_MS,
            input_map: InputMap::Identity,
            readout: Readout::Population,
            readout_fraction: self.readout_fraction(),
            excitatory_fraction: self.ei.then_some(0.5),
            train_bias: false,
            seed: self.seed,
            ..Default::default()
        }
    }

    /// The run description's `task` section: `turcu-classification` with
    /// [`Turcu::task_options`].
    pub fn task(&self) -> Value {
        let mut task = self.task_options();
        task["id"] = "turcu-classification".into();
        task
    }

    /// The task's options (what [`crate::tasks::registry::build_task`] takes).
    pub fn task_options(&self) -> Value {
        let stimulus_ms = self.input_steps as f64 * TURCU_DT_MS;
        let mut options = json!({
            "n_patterns": self.n_patterns,
            "pattern_dim": self.n,
            "dt_ms": TURCU_DT_MS,
            "stimulus_ms": stimulus_ms,
            "response_ms": TURCU_TAU_MS * self.total_tau - stimulus_ms,
            "target_high": self.targets.0,
            "target_low": self.targets.1,
            "seed": self.seed,
        });
        if self.score_stimulus {
            options["score_stimulus"] = true.into();
        }
        options
    }

    /// The run description: full batch (`batching: conditions`), hinge, no clipping.
    pub fn run(&self) -> Value {
        let optimizer = match self.optimizer {
            OptimizerKind::Adam => "adam",
            OptimizerKind::Sgd => "sgd",
        };
        json!({
            "network": serde_json::to_value(self.network()).unwrap_or_default(),
            "train": {
                "learning_rate": self.learning_rate,
                "optimizer": optimizer,
                "batch_size": self.n_patterns,
                "batching": "conditions",
                "clip_norm": 0.0,
                "loss": {"hinge": {"threshold": (self.targets.0 + self.targets.1) / 2.0}},
                "seed": self.seed,
            },
            "task": self.task(),
            "rule": {"rule": "bptt"},
        })
    }

    /// The load α = P / (f N²) (identity input: f_in = 1).
    pub fn alpha(&self) -> f64 {
        self.n_patterns as f64 / (self.density * (self.n * self.n) as f64)
    }

    /// Human summary of the setting.
    pub fn describe(&self) -> String {
        format!(
            "N = {}, f = {} (K = {:.1}), P = {} (α = {:.3}), voltage form, dt = 0.1 τ, input {} steps, \
             hinge {}/{} {}, readout {}, full batch, {} lr {}",
            self.n,
            self.density,
            self.density * self.n as f64,
            self.n_patterns,
            self.alpha(),
            self.input_steps,
            self.targets.0,
            self.targets.1,
            if self.score_stimulus {
                "on every step"
            } else {
                "from offset"
            },
            if self.ei {
                "mean E − mean I of every neuron (E:I 1:1, Dale)".to_string()
            } else {
                format!(
                    "mean rate of {} random neurons",
                    ((self.readout_fraction() * self.n as f64).round() as usize).max(1)
                )
            },
            match self.optimizer {
                OptimizerKind::Adam => "Adam",
                OptimizerKind::Sgd => "SGD",
            },
            self.learning_rate,
        )
    }
}

/// Network config of a sparsity-sweep point (the task's `spec` fixes inputs, outputs and
/// dt).
pub fn sparsity_network(
    n: usize,
    mask: &str,
    radius: f64,
    spec: &TaskSpec,
    seed: u64,
) -> Result<NetworkConfig> {
    let base = NetworkConfig {
        n_neurons: n,
        n_inputs: spec.n_inputs,
        n_outputs: spec.n_outputs,
        activation: Activation::Relu,
        dt_ms: spec.dt_ms,
        tau_ms: 100.0,
        rec_noise_std: 0.05,
        radius,
        seed,
        ..Default::default()
    };
    let local = NetworkConfig {
        connectivity: Connectivity::Local,
        ..base.clone()
    };
    Ok(match mask {
        "dense" => NetworkConfig {
            connectivity: Connectivity::Dense,
            ..base
        },
        "autapse" => NetworkConfig {
            connectivity: Connectivity::Autapse,
            init: crate::model::InitKind::Identity,
            gain: 1.0,
            ..base
        },
        "local" => local,
        "random" => {
            local.validate()?;
            let density = build_mask(&local, &mut SimRng::new(0)).density();
            NetworkConfig {
                connectivity: Connectivity::RandomDensity,
                density,
                ..base
            }
        }
        other => {
            return Err(Error::UnknownName {
                field: "mask",
                value: other.into(),
                allowed: "local, random, dense, autapse".into(),
            })
        }
    })
}

/// A Turcu & Abbott-style classifier network with a fixed in-degree K (the capacity
/// sweep's and the determinism probe's network).
pub fn turcu_network(n: usize, k: usize, seed: u64) -> NetworkConfig {
    NetworkConfig {
        n_neurons: n,
        n_inputs: n,
        connectivity: Connectivity::FixedInDegree,
        k,
        activation: Activation::RectifiedTanh,
        dt_ms: TURCU_DT_MS,
        tau_ms: TURCU_TAU_MS,
        input_map: InputMap::Identity,
        readout: Readout::Population,
        seed,
        ..Default::default()
    }
}
