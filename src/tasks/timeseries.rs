//! Reservoir-computing benchmarks generated here (no download): Mackey-Glass prediction,
//! NARMA-10 and the memory-capacity task (Jaeger 2001).
//!
//! - `mackey-glass`: dx/dt = a·x(t−τ)/(1 + x(t−τ)ⁿ) − b·x(t), τ = 17, a = 0.2, b = 0.1,
//!   n = 10, discretised exactly as reservoirpy's `datasets.mackey_glass` (its `_mg_rk4`
//!   step with h = 1, x₀ = 1.2; the history is the constant x₀ here, so the series is the
//!   same in every language: reservoirpy gives it with `history=np.full(17, 1.2)`). A trial
//!   is a window of `n_steps` of the series from a random start (or `start`): input x(t),
//!   target x(t + `horizon`); the first `warmup` steps are not scored.
//! - `narma10`: y(t+1) = 0.3·y(t) + 0.05·y(t)·Σ_{i=0}^{9} y(t−i) + 1.5·u(t−9)·u(t) + 0.1,
//!   u ~ U[0, 0.5] i.i.d.; input u(t), target y(t+1).
//! - `memory-capacity`: i.i.d. input u(t) ~ U[−0.8, 0.8] (reservoirpy's
//!   `observables.memory_capacity`), one output per delay k = 1..=`max_delay` with target
//!   u(t − k). MC = Σ_k r²(y_k, u(t−k)) ([`memory_capacity`]); the trial score is MC / k_max.
//!
//! Scores of the prediction tasks: R² = 1 − MSE/Var(target) over the scored steps,
//! clipped to [0, 1] ([`nrmse`] gives √(MSE/Var)).

use super::{Task, TaskSpec, Trial, TrialLabel};
use crate::error::{Error, Result};
use crate::rng::SimRng;
use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

/// Longest generated series (steps).
pub const MAX_SERIES_STEPS: usize = 1_000_000;

/// Mackey-Glass series of `n_steps` values (reservoirpy's discretisation, constant
/// history `x0`); `tau` in steps of h = 1.
pub fn mackey_glass_series(n_steps: usize, tau: usize, x0: f64) -> Vec<f64> {
    let (a, b, h) = (0.2, 0.1, 1.0);
    let mut values = vec![x0; tau + n_steps];
    let mut xt = x0;
    for i in tau..tau + n_steps {
        values[i] = xt;
        let xtau = if tau > 0 { values[i - tau] } else { 0.0 };
        let x2 = xtau * xtau;
        let x5 = x2 * x2 * xtau;
        let bh = -b * h;
        let k1 = bh * xt + a * xtau / (1.0 + x5 * x5);
        let k2 = 2.0 * k1 + bh * k1;
        let k3 = 2.0 * k1 + bh * k2;
        let k4 = k1 + bh * k3;
        xt += (k1 + k2 + k3 + k4) / 6.0;
    }
    values.split_off(tau)
}

/// NARMA-10 input u ~ U[0, 0.5] and output y (both of `n_steps` values; y(t) depends on
/// u up to t − 1). The recurrence diverges for rare draws of u (found by the fuzzer on
/// long series); such a draw is discarded and u drawn again from the same generator, so
/// every draw that stays finite is unchanged.
pub fn narma10_series(n_steps: usize, rng: &mut SimRng) -> (Vec<f64>, Vec<f64>) {
    loop {
        let u: Vec<f64> = (0..n_steps).map(|_| 0.5 * rng.uniform()).collect();
        let mut y = vec![0.0; n_steps];
        for t in 9..n_steps.saturating_sub(1) {
            let window: f64 = y[t - 9..=t].iter().sum();
            y[t + 1] = 0.3 * y[t] + 0.05 * y[t] * window + 1.5 * u[t - 9] * u[t] + 0.1;
        }
        if y.iter().all(|v| v.is_finite() && v.abs() < 1e6) {
            return (u, y);
        }
    }
}

/// Normalised root-mean-square error √(Σ(ŷ − y)² / Σ(y − ȳ)²) of `predicted` vs `target`.
pub fn nrmse(predicted: &[f64], target: &[f64]) -> f64 {
    let n = target.len().max(1) as f64;
    let mean = target.iter().sum::<f64>() / n;
    let error: f64 = predicted
        .iter()
        .zip(target)
        .map(|(p, y)| (p - y) * (p - y))
        .sum();
    let spread: f64 = target.iter().map(|y| (y - mean) * (y - mean)).sum();
    (error / spread.max(f64::MIN_POSITIVE)).sqrt()
}

/// Squared correlation coefficient r² of two equally long series (0 if either is constant).
pub fn r_squared(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().max(1) as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        sab += (x - ma) * (y - mb);
        saa += (x - ma) * (x - ma);
        sbb += (y - mb) * (y - mb);
    }
    if saa <= 0.0 || sbb <= 0.0 {
        0.0
    } else {
        sab * sab / (saa * sbb)
    }
}

/// Memory capacity MC = Σ_k r²_k of a trial's outputs (`[T, k_max]`) against its targets,
/// over the scored steps; also the per-delay r²_k.
pub fn memory_capacity(trial: &Trial, outputs: ArrayView2<f32>) -> (f64, Vec<f64>) {
    let curve: Vec<f64> = (0..trial.targets.ncols())
        .map(|k| {
            let (mut y, mut z) = (Vec::new(), Vec::new());
            for t in 0..trial.n_steps() {
                if trial.mask[[t, k]] > 0.0 {
                    y.push(outputs[[t, k]] as f64);
                    z.push(trial.targets[[t, k]] as f64);
                }
            }
            r_squared(&y, &z)
        })
        .collect();
    (curve.iter().sum(), curve)
}

/// Which benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SeriesKind {
    /// Mackey-Glass prediction.
    MackeyGlass,
    /// NARMA-10.
    Narma10,
    /// Delayed recall of i.i.d. input.
    MemoryCapacity,
}

/// Options of the three tasks (`task.<field>`; fields a task does not use are ignored).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SeriesConfig {
    /// Steps per trial.
    pub n_steps: usize,
    /// Leading steps of every trial that are not scored (the reservoir's washout).
    pub warmup: usize,
    /// Mackey-Glass: prediction horizon in steps (1 = one-step-ahead).
    pub horizon: usize,
    /// Mackey-Glass: delay τ in steps.
    pub tau: usize,
    /// Mackey-Glass: length of the generated series the windows are cut from.
    pub series_steps: usize,
    /// Mackey-Glass: fixed window start (None = uniform over the series).
    pub start: Option<usize>,
    /// Memory capacity: largest delay k_max (= number of outputs).
    pub max_delay: usize,
}

impl Default for SeriesConfig {
    fn default() -> Self {
        SeriesConfig {
            n_steps: 1000,
            warmup: 100,
            horizon: 1,
            tau: 17,
            series_steps: 10_000,
            start: None,
            max_delay: 40,
        }
    }
}

/// A time-series task (see the module docs).
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesTask {
    kind: SeriesKind,
    config: SeriesConfig,
    /// The Mackey-Glass series (empty for the other tasks).
    series: Vec<f64>,
}

impl SeriesTask {
    /// Check the options (errors name `task.<field>`) and generate the series.
    pub fn new(kind: SeriesKind, config: SeriesConfig) -> Result<Self> {
        let c = &config;
        if c.n_steps == 0 || c.n_steps > MAX_SERIES_STEPS {
            return Err(Error::field(
                "task.n_steps",
                c.n_steps,
                "must be in 1..=1000000",
            ));
        }
        if c.warmup >= c.n_steps {
            return Err(Error::field(
                "task.warmup",
                c.warmup,
                "must be < task.n_steps",
            ));
        }
        let mut series = Vec::new();
        match kind {
            SeriesKind::MackeyGlass => {
                if c.horizon == 0 || c.horizon > 10_000 {
                    return Err(Error::field(
                        "task.horizon",
                        c.horizon,
                        "must be in 1..=10000",
                    ));
                }
                if c.tau == 0 || c.tau > 10_000 {
                    return Err(Error::field("task.tau", c.tau, "must be in 1..=10000"));
                }
                if c.series_steps > MAX_SERIES_STEPS || c.series_steps < c.n_steps + c.horizon {
                    return Err(Error::field(
                        "task.series_steps",
                        c.series_steps,
                        "must be in n_steps + horizon ..= 1000000",
                    ));
                }
                if let Some(start) = c.start {
                    if start + c.n_steps + c.horizon > c.series_steps {
                        return Err(Error::field(
                            "task.start",
                            start,
                            "must leave n_steps + horizon steps before series_steps",
                        ));
                    }
                }
                series = mackey_glass_series(c.series_steps, c.tau, 1.2);
            }
            SeriesKind::MemoryCapacity => {
                if c.max_delay == 0 || c.max_delay > 4096 || c.max_delay >= c.n_steps {
                    return Err(Error::field(
                        "task.max_delay",
                        c.max_delay,
                        "must be in 1..=4096 and < task.n_steps",
                    ));
                }
            }
            SeriesKind::Narma10 => {}
        }
        Ok(SeriesTask {
            kind,
            config,
            series,
        })
    }

    /// The options.
    pub fn config(&self) -> &SeriesConfig {
        &self.config
    }

    /// The generated Mackey-Glass series (empty for the other tasks).
    pub fn series(&self) -> &[f64] {
        &self.series
    }

    /// The Mackey-Glass trial whose window starts at `start` (input x(t), target
    /// x(t + horizon)).
    pub fn window(&self, start: usize) -> Trial {
        let c = &self.config;
        let x = &self.series[start..start + c.n_steps + c.horizon];
        let inputs = Array2::from_shape_fn((c.n_steps, 1), |(t, _)| x[t] as f32);
        let targets = Array2::from_shape_fn((c.n_steps, 1), |(t, _)| x[t + c.horizon] as f32);
        self.finish(inputs, targets, 1)
    }

    fn finish(&self, inputs: Array2<f32>, targets: Array2<f32>, first_scored: usize) -> Trial {
        let (steps, outputs) = targets.dim();
        let mask = Array2::from_shape_fn((steps, outputs), |(t, k)| {
            let delay = if self.kind == SeriesKind::MemoryCapacity {
                k + 1
            } else {
                first_scored
            };
            if t >= self.config.warmup.max(delay) {
                1.0
            } else {
                0.0
            }
        });
        Trial {
            inputs,
            targets,
            mask,
            periods: vec![super::Period {
                name: "series".into(),
                start: 0,
                end: steps,
            }],
            label: TrialLabel::Trace,
            task_index: 0,
        }
    }
}

impl Task for SeriesTask {
    fn spec(&self) -> TaskSpec {
        let (id, name, paper, outputs) = match self.kind {
            SeriesKind::MackeyGlass => (
                "mackey-glass",
                "Mackey-Glass prediction (τ = 17)",
                "Mackey & Glass 1977; Jaeger & Haas 2004",
                1,
            ),
            SeriesKind::Narma10 => ("narma10", "NARMA-10", "Atiya & Parlos 2000", 1),
            SeriesKind::MemoryCapacity => (
                "memory-capacity",
                "Memory capacity (delayed recall)",
                "Jaeger 2001",
                self.config.max_delay,
            ),
        };
        TaskSpec {
            id: id.into(),
            name: name.into(),
            paper: paper.into(),
            n_inputs: 1,
            n_outputs: outputs,
            dt_ms: 1.0,
        }
    }

    fn trial(&self, rng: &mut SimRng) -> Trial {
        let c = &self.config;
        match self.kind {
            SeriesKind::MackeyGlass => {
                let start = c
                    .start
                    .unwrap_or_else(|| rng.below(self.series.len() - c.n_steps - c.horizon + 1));
                self.window(start)
            }
            SeriesKind::Narma10 => {
                // a 100-step lead-in so y has left its zero start
                let lead = 100;
                let (u, y) = narma10_series(lead + c.n_steps + 1, rng);
                let inputs = Array2::from_shape_fn((c.n_steps, 1), |(t, _)| u[lead + t] as f32);
                let targets =
                    Array2::from_shape_fn((c.n_steps, 1), |(t, _)| y[lead + t + 1] as f32);
                self.finish(inputs, targets, 0)
            }
            SeriesKind::MemoryCapacity => {
                let u: Vec<f32> = (0..c.n_steps)
                    .map(|_| rng.uniform_in(-0.8, 0.8) as f32)
                    .collect();
                let inputs = Array2::from_shape_fn((c.n_steps, 1), |(t, _)| u[t]);
                let targets = Array2::from_shape_fn((c.n_steps, c.max_delay), |(t, k)| {
                    if t > k {
                        u[t - k - 1]
                    } else {
                        0.0
                    }
                });
                self.finish(inputs, targets, 0)
            }
        }
    }

    /// Prediction: R² = 1 − NRMSE² clipped at 0 (an NRMSE above 1 — worse than
    /// predicting the series' mean — scores 0); memory capacity: MC over the delays.
    fn score_label(&self) -> &'static str {
        match self.kind {
            SeriesKind::MemoryCapacity => "MC ÷ delays",
            _ => "R² (≤ 0 shown as 0)",
        }
    }

    fn score(&self, trial: &Trial, outputs: ArrayView2<f32>) -> f32 {
        if outputs.dim() != trial.targets.dim() {
            return 0.0;
        }
        match self.kind {
            SeriesKind::MemoryCapacity => {
                (memory_capacity(trial, outputs).0 / trial.targets.ncols() as f64) as f32
            }
            _ => {
                let (mut p, mut y) = (Vec::new(), Vec::new());
                for t in 0..trial.n_steps() {
                    if trial.mask[[t, 0]] > 0.0 {
                        p.push(outputs[[t, 0]] as f64);
                        y.push(trial.targets[[t, 0]] as f64);
                    }
                }
                let e = nrmse(&p, &y);
                (1.0 - e * e).clamp(0.0, 1.0) as f32
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mackey_glass_follows_reservoirpys_step_and_stays_on_the_attractor() {
        let x = mackey_glass_series(3000, 17, 1.2);
        assert_eq!(x[0], 1.2);
        // first step by hand: x_tau = 1.2 (constant history)
        let (bh, f) = (-0.1, 0.2 * 1.2 / (1.0 + 1.2f64.powi(10)));
        let k1 = bh * 1.2 + f;
        let k2 = 2.0 * k1 + bh * k1;
        let k3 = 2.0 * k1 + bh * k2;
        let k4 = k1 + bh * k3;
        assert!((x[1] - (1.2 + (k1 + k2 + k3 + k4) / 6.0)).abs() < 1e-15);
        let tail = &x[500..];
        let (lo, hi) = tail
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(*v), b.max(*v)));
        assert!(lo > 0.2 && hi < 1.5 && hi - lo > 0.6, "range {lo}..{hi}");
    }

    #[test]
    fn narma_and_memory_trials_match_their_definitions() {
        let (u, y) = narma10_series(400, &mut SimRng::new(2));
        for t in 20..399 {
            let s: f64 = y[t - 9..=t].iter().sum();
            let want = 0.3 * y[t] + 0.05 * y[t] * s + 1.5 * u[t - 9] * u[t] + 0.1;
            assert!((y[t + 1] - want).abs() < 1e-15);
        }
        let task = SeriesTask::new(
            SeriesKind::MemoryCapacity,
            SeriesConfig {
                n_steps: 200,
                warmup: 10,
                max_delay: 30,
                ..Default::default()
            },
        )
        .unwrap();
        let trial = task.trial(&mut SimRng::new(1));
        assert_eq!(trial.targets.dim(), (200, 30));
        assert_eq!(trial.targets[[50, 4]], trial.inputs[[45, 0]]);
        assert_eq!(trial.mask[[20, 25]], 0.0);
        assert_eq!(trial.mask[[26, 25]], 1.0);
        // perfect recall scores MC = k_max
        let (mc, _) = memory_capacity(&trial, trial.targets.view());
        assert!((mc - 30.0).abs() < 1e-9);
        assert!((task.score(&trial, trial.targets.view()) - 1.0).abs() < 1e-6);
    }

    #[test]
    fn options_are_checked_naming_the_field() {
        let e = SeriesTask::new(
            SeriesKind::MackeyGlass,
            SeriesConfig {
                start: Some(9500),
                ..Default::default()
            },
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("task.start"), "{e}");
        let e = SeriesTask::new(
            SeriesKind::MemoryCapacity,
            SeriesConfig {
                max_delay: 0,
                ..Default::default()
            },
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("task.max_delay"), "{e}");
    }
}
