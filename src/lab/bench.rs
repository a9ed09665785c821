//! The standard training workload of `shared/bench/README.md`, runnable natively and in
//! wasm: a rate RNN (α = 0.2, relu or tanh), masked MSE over all T steps, full BPTT and
//! Adam (lr 1e-3, no clipping) on a fixed batch. Timing uses a caller-supplied clock so
//! the same code measures native, node and browser runs.

use crate::learning::{LearningRule, Trainer};
use crate::model::{Activation, Connectivity, Csr, InputMap, Network, NetworkConfig, Readout};
use crate::rng::SimRng;
use crate::tasks::recorded::RecordedTask;
use crate::tasks::{TaskSpec, Trial, TrialBatch, TrialLabel};
use crate::train::{LossKind, OptimizerKind, TrainConfig};
use serde::{Deserialize, Serialize};

/// One workload shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkloadSpec {
    /// Name used in tables ("n256_sp10", ...).
    pub name: String,
    /// Neurons N.
    pub n_neurons: usize,
    /// Recurrent density (1.0 = dense).
    pub density: f64,
    /// Steps T.
    pub n_steps: usize,
    /// Batch B.
    pub batch_size: usize,
    /// Inputs I.
    pub n_inputs: usize,
    /// Outputs O.
    pub n_outputs: usize,
}

impl WorkloadSpec {
    fn new(name: &str, n_neurons: usize, density: f64, n_steps: usize, batch_size: usize) -> Self {
        WorkloadSpec {
            name: name.into(),
            n_neurons,
            density,
            n_steps,
            batch_size,
            n_inputs: 33,
            n_outputs: 33,
        }
    }

    /// The standard table: N=256 dense and 10 %, N=1024 5 % and dense (T=100, B=32),
    /// and N=4096 with K=64 (density 1/64, T=50, B=16).
    pub fn standard() -> Vec<WorkloadSpec> {
        vec![
            WorkloadSpec::new("n256_dense", 256, 1.0, 100, 32),
            WorkloadSpec::new("n256_sp10", 256, 0.10, 100, 32),
            WorkloadSpec::new("n1024_sp5", 1024, 0.05, 100, 32),
            WorkloadSpec::new("n1024_dense", 1024, 1.0, 100, 32),
            WorkloadSpec::new("n4096_k64", 4096, 64.0 / 4096.0, 50, 16),
        ]
    }

    /// Find a standard workload by name.
    pub fn by_name(name: &str) -> crate::Result<WorkloadSpec> {
        Self::standard()
            .into_iter()
            .find(|w| w.name == name)
            .ok_or_else(|| crate::Error::UnknownName {
                field: "workload",
                value: name.into(),
                allowed: Self::standard()
                    .iter()
                    .map(|w| w.name.clone())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }
}

/// Raw arrays of a workload in the reference (PyTorch/NumPy) layout.
#[derive(Debug, Clone, PartialEq)]
pub struct ReferenceArrays {
    /// Recurrent weights `[N, N]` (row = postsynaptic), before masking.
    pub w_rec: Vec<f32>,
    /// 0/1 mask `[N, N]`.
    pub mask: Vec<f32>,
    /// Input weights `[N, I]`.
    pub w_in: Vec<f32>,
    /// Bias `[N]`.
    pub bias: Vec<f32>,
    /// Readout `[O, N]`.
    pub w_out: Vec<f32>,
    /// Inputs `[T, B, I]`.
    pub x: Vec<f32>,
    /// Targets `[T, B, O]`.
    pub y_target: Vec<f32>,
    /// Loss mask `[T, B, O]`.
    pub loss_mask: Vec<f32>,
}

impl ReferenceArrays {
    /// Arrays drawn like `gen_data.py` (same distributions, our RNG): Bernoulli(density)
    /// mask, W_rec ~ N(0, 0.9²/(N·density)), W_in ~ N(0, 1/I), W_out ~ N(0, 1/N),
    /// x, targets ~ N(0, 1), loss mask all ones.
    pub fn synthetic(spec: &WorkloadSpec, seed: u64) -> Self {
        let mut rng = SimRng::new(seed);
        let (n, i, o) = (spec.n_neurons, spec.n_inputs, spec.n_outputs);
        let tb = spec.n_steps * spec.batch_size;
        let mut normal = |count: usize, scale: f64| -> Vec<f32> {
            (0..count).map(|_| (rng.normal() * scale) as f32).collect()
        };
        let w_rec = normal(n * n, 0.9 / (n as f64 * spec.density).sqrt());
        let w_in = normal(n * i, 1.0 / (i as f64).sqrt());
        let w_out = normal(o * n, 1.0 / (n as f64).sqrt());
        let x = normal(tb * i, 1.0);
        let y_target = normal(tb * o, 1.0);
        let mut mask_rng = SimRng::derived(seed, "mask");
        let mask = (0..n * n)
            .map(|_| {
                if spec.density >= 1.0 || mask_rng.uniform() < spec.density {
                    1.0
                } else {
                    0.0
                }
            })
            .collect();
        ReferenceArrays {
            w_rec,
            mask,
            w_in,
            bias: vec![0.0; n],
            w_out,
            x,
            y_target,
            loss_mask: vec![1.0; tb * o],
        }
    }
}

impl ReferenceArrays {
    /// Load a folder written by `shared/bench/gen_data.py` (`meta.json` + raw little-endian
    /// f32 files) and return its workload shape and arrays.
    pub fn load_dir(dir: &std::path::Path) -> crate::Result<(WorkloadSpec, ReferenceArrays)> {
        let io_error = |e: std::io::Error| crate::Error::Parse {
            what: "benchmark data",
            reason: e.to_string(),
        };
        let meta_text = std::fs::read_to_string(dir.join("meta.json")).map_err(io_error)?;
        let meta: serde_json::Value =
            serde_json::from_str(&meta_text).map_err(|e| crate::Error::Parse {
                what: "meta.json",
                reason: e.to_string(),
            })?;
        let field = |name: &str| {
            meta[name].as_f64().ok_or_else(|| crate::Error::Parse {
                what: "meta.json",
                reason: format!("missing number `{name}`"),
            })
        };
        let spec = WorkloadSpec {
            name: meta["cfg"].as_str().unwrap_or("reference").to_string(),
            n_neurons: field("N")? as usize,
            density: field("density")?,
            n_steps: field("T")? as usize,
            batch_size: field("B")? as usize,
            n_inputs: field("I")? as usize,
            n_outputs: field("O")? as usize,
        };
        let read = |name: &str| -> crate::Result<Vec<f32>> {
            let bytes = std::fs::read(dir.join(format!("{name}.f32"))).map_err(io_error)?;
            Ok(bytes
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect())
        };
        let arrays = ReferenceArrays {
            w_rec: read("w_rec")?,
            mask: read("mask")?,
            w_in: read("w_in")?,
            bias: read("b")?,
            w_out: read("w_out")?,
            x: read("x")?,
            y_target: read("y_tgt")?,
            loss_mask: read("lmask")?,
        };
        Ok((spec, arrays))
    }
}

/// A ready-to-run training step on one workload.
pub struct Workload {
    /// Shape.
    pub spec: WorkloadSpec,
    /// Trainer holding the network and Adam state.
    pub trainer: Trainer,
    /// The fixed batch in kernel layout.
    pub batch: TrialBatch,
}

/// The `B` trials of `[T, B, C]` reference arrays (`channels` = (inputs, outputs)), each
/// time-major as [`Trial`] wants; packing them gives the kernels' `[C][T][B]` layout.
fn recorded_trials(
    arrays: &ReferenceArrays,
    t_len: usize,
    b_len: usize,
    channels: (usize, usize),
) -> Vec<Trial> {
    let (i, o) = channels;
    let slice = |data: &[f32], c_len: usize, b: usize| {
        ndarray::Array2::from_shape_fn((t_len, c_len), |(t, c)| data[(t * b_len + b) * c_len + c])
    };
    (0..b_len)
        .map(|b| Trial {
            inputs: slice(&arrays.x, i, b),
            targets: slice(&arrays.y_target, o, b),
            mask: slice(&arrays.loss_mask, o, b),
            periods: Vec::new(),
            label: TrialLabel::Trace,
            task_index: 0,
        })
        .collect()
}

impl Workload {
    /// Build the network and batch from reference arrays.
    pub fn new(
        spec: WorkloadSpec,
        arrays: &ReferenceArrays,
        activation: Activation,
    ) -> crate::Result<Self> {
        let (n, i, o) = (spec.n_neurons, spec.n_inputs, spec.n_outputs);
        let dense = spec.density >= 1.0;
        let config = NetworkConfig {
            n_neurons: n,
            n_inputs: i,
            n_outputs: o,
            connectivity: if dense {
                Connectivity::Dense
            } else {
                Connectivity::RandomDensity
            },
            density: spec.density,
            activation,
            dt_ms: 20.0,
            tau_ms: 100.0,
            input_map: InputMap::Dense,
            readout: Readout::Trained,
            ..Default::default()
        };
        config.validate()?;
        let rows: Vec<Vec<u32>> = (0..n)
            .map(|r| {
                (0..n as u32)
                    .filter(|&c| arrays.mask[r * n + c as usize] != 0.0)
                    .collect()
            })
            .collect();
        let mut w_rec = Csr::from_rows(n, &rows);
        for r in 0..n {
            for s in w_rec.row_ptr[r]..w_rec.row_ptr[r + 1] {
                w_rec.values[s] = arrays.w_rec[r * n + w_rec.col_idx[s] as usize];
            }
        }
        let mut w_in = Csr::dense(n, i);
        w_in.values.copy_from_slice(&arrays.w_in);
        let mut w_out = Csr::dense(o, n);
        w_out.values.copy_from_slice(&arrays.w_out);
        let network = Network::from_parts(config, w_rec, w_in, arrays.bias.clone(), w_out)?;
        let (t_len, b_len) = (spec.n_steps, spec.batch_size);
        let trials = recorded_trials(arrays, t_len, b_len, (i, o));
        let batch = TrialBatch::pack(trials.clone());
        let task_spec = TaskSpec {
            id: format!("bench-{}", spec.name),
            name: format!("Benchmark workload {}", spec.name),
            paper: "shared/bench/README.md".into(),
            n_inputs: i,
            n_outputs: o,
            dt_ms: 20.0,
        };
        let task = RecordedTask::new(task_spec, trials, 0.1)?;
        let train = TrainConfig {
            learning_rate: 1e-3,
            optimizer: OptimizerKind::Adam,
            batch_size: b_len,
            clip_norm: 0.0,
            loss: LossKind::Mse,
            seed: 1,
            ..Default::default()
        };
        let trainer = Trainer::new(network, Box::new(task), train, LearningRule::Bptt)?;
        Ok(Workload {
            spec,
            trainer,
            batch,
        })
    }

    /// One training step (forward, BPTT, Adam); returns the loss before the update.
    pub fn step(&mut self) -> crate::Result<f32> {
        Ok(self.trainer.train_on_batch(&self.batch)?.loss)
    }

    /// Step-0 loss and the norms of the four gradients (W_rec, W_in, b, W_out).
    pub fn reference_check(&mut self) -> crate::Result<(f32, [f64; 4])> {
        let (loss, g) = self.trainer.gradients(&self.batch)?;
        let norm = |v: &[f32]| v.iter().map(|x| (*x as f64).powi(2)).sum::<f64>().sqrt();
        Ok((
            loss,
            [norm(&g.w_rec), norm(&g.w_in), norm(&g.bias), norm(&g.w_out)],
        ))
    }

    /// Multiply-add FLOPs of one training step counting only real synapses
    /// (the model of `shared/bench/flops.py`: 6·T·B·nnz + 4·T·B·N·I + 6·T·B·N·O).
    pub fn flops_per_step(&self) -> f64 {
        let s = &self.spec;
        let tb = (s.n_steps * s.batch_size) as f64;
        let nnz = self.trainer.network.w_rec.nnz() as f64;
        let n = s.n_neurons as f64;
        6.0 * tb * nnz + 4.0 * tb * n * s.n_inputs as f64 + 6.0 * tb * n * s.n_outputs as f64
    }
}

/// Timing summary of one workload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchResult {
    /// Workload name.
    pub name: String,
    /// Number of synapses.
    pub nnz: usize,
    /// Median ms per training step.
    pub ms_per_step: f64,
    /// Fastest repetition, ms per step.
    pub min_ms: f64,
    /// Slowest repetition, ms per step.
    pub max_ms: f64,
    /// Neuron-step updates per second, B·T·N / time.
    pub neuron_steps_per_s: f64,
    /// Achieved GFLOP/s under the nnz-only FLOP model.
    pub gflops: f64,
    /// Repetitions measured.
    pub repetitions: usize,
}

/// Time `workload`: `warmup` untimed steps, then `repetitions` timed runs of enough steps
/// to last about `target_ms` each; reports the median over repetitions.
pub fn time_workload(
    workload: &mut Workload,
    now_ms: &mut dyn FnMut() -> f64,
    warmup: usize,
    repetitions: usize,
    target_ms: f64,
) -> crate::Result<BenchResult> {
    let start = now_ms();
    for _ in 0..warmup.max(1) {
        workload.step()?;
    }
    let per_step = (now_ms() - start) / warmup.max(1) as f64;
    let steps_per_rep = ((target_ms / per_step.max(1e-3)).round() as usize).max(1);
    let mut samples = Vec::with_capacity(repetitions);
    for _ in 0..repetitions.max(1) {
        let t0 = now_ms();
        for _ in 0..steps_per_rep {
            workload.step()?;
        }
        samples.push((now_ms() - t0) / steps_per_rep as f64);
    }
    samples.sort_by(|a, b| a.total_cmp(b));
    let median = samples[samples.len() / 2];
    let s = &workload.spec;
    Ok(BenchResult {
        name: s.name.clone(),
        nnz: workload.trainer.network.w_rec.nnz(),
        ms_per_step: median,
        min_ms: samples[0],
        max_ms: samples[samples.len() - 1],
        neuron_steps_per_s: (s.batch_size * s.n_steps * s.n_neurons) as f64 / (median / 1000.0),
        gflops: workload.flops_per_step() / (median / 1000.0) / 1e9,
        repetitions: samples.len(),
    })
}
