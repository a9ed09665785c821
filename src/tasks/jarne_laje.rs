//! Jarne & Laje (arXiv 1906.01094; J. Comput. Neurosci. 2023), "Exploring weight
//! initialization, diversity of solutions, and degradation in recurrent neural networks
//! trained for temporal and decision-making tasks": small temporal and flow-control tasks,
//! written from the authors' data-set generators (katejarne/RNN_study_with_keras,
//! `code_paper_rep/generate_data_set_*.py` and `generate_data_set.py` for the flip-flop)
//! and checked against them feature by feature (`docs/jarne-laje.md`). Time is in ms with
//! dt = 1 ms by default (the generators work in 1 ms samples).
//!
//! | id | inputs | periods (ms) | target |
//! |----|--------|--------------|--------|
//! | `jl-and`, `jl-or`, `jl-xor` | A, B | fixation 30, stimulus 20, delay 20, response 140 (AND) / 130 | f(A, B) ∈ {0, 1} from 70 ms on, baseline before (0 for AND, 0.01 otherwise) |
//! | `jl-not` | A | fixation 30, stimulus 20, delay 20, response 130 | 1 − A, baseline 0.01 before |
//! | `jl-flipflop` | reset, set | fixation 50, then 8 × (pulse 20, hold 100) | 1 after a set pulse, 0 after reset, from 20 ms after the pulse to 20 ms after the next; 0.01 before the first |
//! | `jl-oscillation` | trigger | fixation 100, stimulus 40, delay 20, response 220, end 40 | sine (period 35 ms, amplitude 1) during response if triggered, else 0 (our variant, see below) |
//! | `jl-time-pulse` | trigger | fixation 50, stimulus 20, delay `interval_ms` (150), response 20, end (to 300 ms) | a Gaussian-smoothed pulse (peak ≈ 0.98) in the response if triggered, else 0 there; 0.045 elsewhere; target noise 0.03 |
//!
//! Input pulses have amplitude 1 (probability 1/2 per channel and trial — the authors draw
//! one of the 4 (2) conditions uniformly, the same distribution; the flip-flop picks set or
//! reset per pulse); the oscillation and time-pulse triggers are smoothed with a Hann
//! window (15 and 10 ms, divided by its sum) as in the authors' code. Gaussian input noise
//! (`input_noise_std`) is added to every input at every step: the authors' logic-task
//! generators have that line commented out (0), the flip-flop and oscillation use 0.1, the
//! time pulse 0.03 on inputs *and* targets ([`JarneLajeConfig::authors`]; a run
//! description gets these for the fields it leaves out). Loss mask: 1 everywhere.
//!
//! Scores: logic tasks — mean output over the response period on the correct side of 0.5;
//! flip-flop — fraction of holds whose mean output over the scored part is on the correct
//! side of 0.5; oscillation — RMS error over the response period below 0.5; time pulse —
//! if triggered, the output peak exceeds 0.5 within ±20 ms of the target peak and stays
//! below 0.5 before the delay ends; otherwise the output stays below 0.5.
//!
//! Oscillation (our variant): the authors' paper generator makes the target by convolving
//! the response window with a sine of period `seq_dur / 12` and scaling by 0.2; with their
//! default `mem_gap` = 20 the window holds exactly two periods and the target is 0
//! everywhere, so their oscillator networks were trained with another, unrecorded gap. We
//! keep a plain sine of period `oscillation_period_ms`.

use super::{Task, TaskSpec, Trial, TrialBuilder, TrialLabel};
use crate::error::{non_negative, positive, Error, Result};
use crate::math::{cos, sin};
use crate::rng::SimRng;
use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};
use std::f64::consts::PI;

/// The tasks of the paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum JarneLajeKind {
    /// Output A AND B after the delay.
    And,
    /// Output A OR B.
    Or,
    /// Output A XOR B.
    Xor,
    /// Output NOT A (one input).
    Not,
    /// 1-bit flip-flop: set / reset pulses, hold the state.
    FlipFlop,
    /// Produce an oscillation after a trigger.
    Oscillation,
    /// Produce a pulse a fixed interval after a trigger.
    TimePulse,
}

impl JarneLajeKind {
    /// All tasks.
    pub const ALL: [JarneLajeKind; 7] = [
        JarneLajeKind::And,
        JarneLajeKind::Or,
        JarneLajeKind::Xor,
        JarneLajeKind::Not,
        JarneLajeKind::FlipFlop,
        JarneLajeKind::Oscillation,
        JarneLajeKind::TimePulse,
    ];

    /// Registry id.
    pub fn id(self) -> &'static str {
        [
            "jl-and",
            "jl-or",
            "jl-xor",
            "jl-not",
            "jl-flipflop",
            "jl-oscillation",
            "jl-time-pulse",
        ][self as usize]
    }

    /// Display name.
    pub fn name(self) -> &'static str {
        [
            "AND",
            "OR",
            "XOR",
            "NOT",
            "Flip-flop",
            "Oscillation",
            "Time pulse",
        ][self as usize]
    }

    fn n_inputs(self) -> usize {
        match self {
            JarneLajeKind::And | JarneLajeKind::Or | JarneLajeKind::Xor => 2,
            JarneLajeKind::FlipFlop => 2,
            _ => 1,
        }
    }
}

/// Parameters shared by the Jarne & Laje tasks. [`JarneLajeConfig::default`] is a
/// kind-independent base; [`JarneLajeConfig::authors`] gives the values of the authors'
/// generator for one task (what a run description gets for the fields it leaves out).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct JarneLajeConfig {
    /// Time step, ms.
    pub dt_ms: f64,
    /// Std of the Gaussian noise added to every input at every step.
    pub input_noise_std: f64,
    /// Delay between stimulus end and response onset (logic tasks, flip-flop), ms.
    pub delay_ms: f64,
    /// Delay between the trigger's end and the target pulse's onset of the time-pulse task
    /// (the authors' `mem_gap`), ms.
    pub interval_ms: f64,
    /// Period of the oscillation target, ms.
    pub oscillation_period_ms: f64,
    /// Target value outside the response (`None`: the authors' value for the task — 0 for
    /// AND, 0.01 for OR, XOR, NOT and the flip-flop, 0.045 for the time pulse, 0 for the
    /// oscillation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_baseline: Option<f64>,
    /// Std of the Gaussian noise added to every target at every step (the authors' time-pulse
    /// generator adds 0.03; the trials a network is scored on then carry it too).
    #[serde(skip_serializing_if = "is_zero")]
    pub target_noise_std: f64,
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

impl Default for JarneLajeConfig {
    fn default() -> Self {
        JarneLajeConfig {
            dt_ms: 1.0,
            input_noise_std: 0.1,
            delay_ms: 20.0,
            interval_ms: 150.0,
            oscillation_period_ms: 35.0,
            target_baseline: None,
            target_noise_std: 0.0,
        }
    }
}

impl JarneLajeConfig {
    /// The authors' generator for `kind` (`code_paper_rep/generate_data_set_*.py`, and
    /// `generate_data_set.py` for the flip-flop): no input noise on the logic tasks (their
    /// noise line is commented out), 0.1 on the flip-flop and the oscillation, 0.03 on the
    /// time pulse's inputs and targets; delay 20 ms; time-pulse delay 150 ms (the paper's
    /// size experiment).
    pub fn authors(kind: JarneLajeKind) -> Self {
        let (input_noise_std, target_noise_std) = match kind {
            JarneLajeKind::And | JarneLajeKind::Or | JarneLajeKind::Xor | JarneLajeKind::Not => {
                (0.0, 0.0)
            }
            JarneLajeKind::TimePulse => (0.03, 0.03),
            _ => (0.1, 0.0),
        };
        JarneLajeConfig {
            input_noise_std,
            target_noise_std,
            ..Default::default()
        }
    }

    /// Check every field.
    pub fn validate(&self) -> Result<()> {
        positive("dt_ms", self.dt_ms)?;
        non_negative("input_noise_std", self.input_noise_std)?;
        non_negative("target_noise_std", self.target_noise_std)?;
        non_negative("delay_ms", self.delay_ms)?;
        positive("interval_ms", self.interval_ms)?;
        positive("oscillation_period_ms", self.oscillation_period_ms)?;
        if let Some(baseline) = self.target_baseline {
            if !baseline.is_finite() || baseline.abs() > 10.0 {
                return Err(Error::field(
                    "target_baseline",
                    baseline,
                    "must be finite with |baseline| <= 10",
                ));
            }
        }
        if !(0.1..=10.0).contains(&self.dt_ms) {
            return Err(Error::field("dt_ms", self.dt_ms, "must be in [0.1, 10] ms"));
        }
        if self.delay_ms > 10_000.0 {
            return Err(Error::field(
                "delay_ms",
                self.delay_ms,
                "must be <= 10000 ms",
            ));
        }
        if self.interval_ms > 10_000.0 {
            return Err(Error::field(
                "interval_ms",
                self.interval_ms,
                "must be <= 10000 ms",
            ));
        }
        Ok(())
    }

    fn steps(&self, ms: f64) -> usize {
        (ms / self.dt_ms).round().max(1.0) as usize
    }

    /// The target outside the response for `kind`.
    pub fn baseline(&self, kind: JarneLajeKind) -> f32 {
        let authors = match kind {
            JarneLajeKind::And | JarneLajeKind::Oscillation => 0.0,
            JarneLajeKind::TimePulse => TIME_PULSE_BASELINE,
            _ => 0.01,
        };
        self.target_baseline.unwrap_or(authors) as f32
    }
}

/// The authors' time-pulse target outside the pulse.
pub const TIME_PULSE_BASELINE: f64 = 0.045;
/// Length of a time-pulse trial, ms (the authors' `seq_dur`: 50 + 20 + 230).
pub const TIME_PULSE_TRIAL_MS: f64 = 300.0;

/// One Jarne & Laje task.
#[derive(Debug, Clone, PartialEq)]
pub struct JarneLajeTask {
    /// Which task.
    pub kind: JarneLajeKind,
    /// Parameters.
    pub config: JarneLajeConfig,
}

/// Number of set/reset pulses per flip-flop trial.
pub const FLIPFLOP_PULSES: usize = 8;

/// Hann-smoothed unit pulse of `len` steps (scipy `convolve(ones, hann(m), 'same') / sum`).
fn smooth_pulse(len: usize, window: usize) -> Vec<f32> {
    let m = window.max(1);
    let w: Vec<f64> = (0..m)
        .map(|n| {
            if m == 1 {
                1.0
            } else {
                0.5 - 0.5 * cos(2.0 * PI * n as f64 / (m - 1) as f64)
            }
        })
        .collect();
    let total: f64 = w.iter().sum();
    let half = (m - 1) / 2;
    (0..len)
        .map(|i| {
            let inside: f64 = (0..m)
                .filter(|j| i + half >= *j && i + half - j < len)
                .map(|j| w[j])
                .sum();
            (inside / total) as f32
        })
        .collect()
}

impl JarneLajeTask {
    /// A task with checked parameters.
    pub fn new(kind: JarneLajeKind, config: JarneLajeConfig) -> Result<Self> {
        config.validate()?;
        Ok(JarneLajeTask { kind, config })
    }

    fn logic(&self, rng: &mut SimRng) -> (TrialBuilder, TrialLabel) {
        let c = &self.config;
        let response = if self.kind == JarneLajeKind::And {
            140.0
        } else {
            130.0
        };
        let periods = [
            ("fixation", c.steps(30.0)),
            ("stimulus", c.steps(20.0)),
            ("delay", c.steps(c.delay_ms).max(1)),
            ("response", c.steps(response)),
        ];
        let mut b = TrialBuilder::new(&periods, self.kind.n_inputs(), 1);
        let a = rng.chance(0.5);
        let bit_b = rng.chance(0.5);
        let out = match self.kind {
            JarneLajeKind::And => a && bit_b,
            JarneLajeKind::Or => a || bit_b,
            JarneLajeKind::Xor => a != bit_b,
            _ => !a,
        };
        let stim = b.range("stimulus");
        b.add_input(stim.clone(), 0, a as u8 as f32);
        if self.kind.n_inputs() == 2 {
            b.add_input(stim, 1, bit_b as u8 as f32);
        }
        let response = b.range("response");
        b.set_target(0..response.start, 0, c.baseline(self.kind));
        b.set_target(response, 0, out as u8 as f32);
        (b, TrialLabel::Class(out as usize))
    }

    fn flipflop(&self, rng: &mut SimRng) -> (TrialBuilder, TrialLabel) {
        let c = &self.config;
        let names: Vec<(String, usize)> = std::iter::once(("fixation".to_string(), c.steps(50.0)))
            .chain((1..=FLIPFLOP_PULSES).flat_map(|k| {
                [
                    (format!("pulse{k}"), c.steps(20.0)),
                    (format!("hold{k}"), c.steps(100.0)),
                ]
            }))
            .collect();
        let periods: Vec<(&str, usize)> = names.iter().map(|(n, s)| (n.as_str(), *s)).collect();
        let mut b = TrialBuilder::new(&periods, 2, 1);
        let n = b.n_steps();
        let gap = c.steps(c.delay_ms).min(c.steps(100.0) - 1);
        b.set_target(0..n, 0, c.baseline(self.kind));
        for k in 1..=FLIPFLOP_PULSES {
            let set = rng.below(2);
            let pulse = b.range(&format!("pulse{k}"));
            b.add_input(pulse.clone(), set, 1.0);
            let end = if k == FLIPFLOP_PULSES {
                n
            } else {
                b.range(&format!("pulse{}", k + 1)).end + gap
            };
            b.set_target(pulse.end + gap..end.min(n), 0, set as f32);
        }
        (b, TrialLabel::Trace)
    }

    fn oscillation(&self, rng: &mut SimRng) -> (TrialBuilder, TrialLabel) {
        let c = &self.config;
        let periods = [
            ("fixation", c.steps(100.0)),
            ("stimulus", c.steps(40.0)),
            ("delay", c.steps(20.0)),
            ("response", c.steps(220.0)),
            ("end", c.steps(40.0)),
        ];
        let mut b = TrialBuilder::new(&periods, 1, 1);
        let n = b.n_steps();
        b.set_target(0..n, 0, c.baseline(self.kind));
        let on = rng.chance(0.5);
        if on {
            let stim = b.range("stimulus");
            for (k, v) in smooth_pulse(stim.len(), c.steps(15.0)).iter().enumerate() {
                b.add_input(stim.start + k..stim.start + k + 1, 0, *v);
            }
            let response = b.range("response");
            for k in 0..response.len() {
                let v = sin(2.0 * PI * k as f64 * c.dt_ms / c.oscillation_period_ms) as f32;
                b.set_target(response.start + k..response.start + k + 1, 0, v);
            }
        }
        (b, TrialLabel::Trace)
    }

    /// The authors' time-pulse trial (`code_paper_rep/generate_data_set_time_pulse.py`):
    /// a Hann(10)-smoothed trigger at 50 ms for 20 ms, a 20 ms target pulse
    /// `interval_ms` after the trigger's end, 300 ms trials, baseline 0.045. Their quirk is
    /// kept: without a trigger the 20 ms response window is 0, not the baseline.
    fn time_pulse(&self, rng: &mut SimRng) -> (TrialBuilder, TrialLabel) {
        let c = &self.config;
        let head = [
            ("fixation", c.steps(50.0)),
            ("stimulus", c.steps(20.0)),
            ("delay", c.steps(c.interval_ms)),
            ("response", c.steps(20.0)),
        ];
        let used: usize = head.iter().map(|(_, s)| s).sum();
        let end = c.steps(TIME_PULSE_TRIAL_MS).saturating_sub(used).max(1);
        let periods = [head[0], head[1], head[2], head[3], ("end", end)];
        let mut b = TrialBuilder::new(&periods, 1, 1);
        let n = b.n_steps();
        b.set_target(0..n, 0, c.baseline(self.kind));
        let on = rng.chance(0.5);
        let response = b.range("response");
        if on {
            let stim = b.range("stimulus");
            for (k, v) in smooth_pulse(stim.len(), c.steps(10.0)).iter().enumerate() {
                b.add_input(stim.start + k..stim.start + k + 1, 0, *v);
            }
            let shape = gaussian_pulse(response.len(), 12.0 / c.dt_ms, 0.055 * c.dt_ms);
            for (k, v) in shape.iter().enumerate() {
                b.set_target(response.start + k..response.start + k + 1, 0, *v);
            }
        } else {
            b.set_target(response, 0, 0.0);
        }
        (b, TrialLabel::Class(on as usize))
    }
}

/// `amplitude` × a unit pulse of `len` steps convolved with a Gaussian window of `len`
/// points and std `std_steps` (scipy `convolve(ones, amplitude·gaussian(len, std),
/// 'same')`): the authors' time-pulse target, peak ≈ 0.98 for 20 steps of std 12.
fn gaussian_pulse(len: usize, std_steps: f64, amplitude: f64) -> Vec<f32> {
    let centre = (len as f64 - 1.0) / 2.0;
    let w: Vec<f64> = (0..len)
        .map(|k| {
            let z = (k as f64 - centre) / std_steps;
            amplitude * crate::math::exp(-0.5 * z * z)
        })
        .collect();
    let half = (len.max(1) - 1) / 2;
    (0..len)
        .map(|i| {
            (0..len)
                .filter(|j| i + half >= *j && i + half - j < len)
                .map(|j| w[j])
                .sum::<f64>() as f32
        })
        .collect()
}

impl Task for JarneLajeTask {
    fn spec(&self) -> TaskSpec {
        TaskSpec {
            id: self.kind.id().into(),
            name: self.kind.name().into(),
            paper: "Jarne & Laje 2023, J. Comput. Neurosci. (arXiv 1906.01094)".into(),
            n_inputs: self.kind.n_inputs(),
            n_outputs: 1,
            dt_ms: self.config.dt_ms,
        }
    }

    fn trial(&self, rng: &mut SimRng) -> Trial {
        let (mut b, label) = match self.kind {
            JarneLajeKind::FlipFlop => self.flipflop(rng),
            JarneLajeKind::Oscillation => self.oscillation(rng),
            JarneLajeKind::TimePulse => self.time_pulse(rng),
            _ => self.logic(rng),
        };
        let n = b.n_steps();
        b.set_mask(0..n, 1.0);
        let sigma = self.config.input_noise_std;
        if sigma > 0.0 {
            b.inputs_mut()
                .iter_mut()
                .for_each(|x| *x += (rng.normal() * sigma) as f32);
        }
        let mut trial = b.build(label);
        let sigma = self.config.target_noise_std;
        if sigma > 0.0 {
            trial
                .targets
                .iter_mut()
                .for_each(|y| *y += (rng.normal() * sigma) as f32);
        }
        trial
    }

    fn score(&self, trial: &Trial, outputs: ArrayView2<f32>) -> f32 {
        let n = outputs.nrows();
        if n == 0 || outputs.ncols() == 0 || n != trial.n_steps() {
            return 0.0;
        }
        let out = |t: usize| outputs[[t, 0]];
        let mean = |r: std::ops::Range<usize>| {
            let len = r.len().max(1) as f32;
            r.map(out).sum::<f32>() / len
        };
        match self.kind {
            JarneLajeKind::FlipFlop => {
                let mut correct = 0;
                for k in 1..=FLIPFLOP_PULSES {
                    let Some(hold) = trial.period(&format!("hold{k}")) else {
                        return 0.0;
                    };
                    // the scored part: second half of the hold, where the target is settled
                    let part = (hold.start + hold.end) / 2..hold.end;
                    let wanted = trial.targets[[hold.end - 1, 0]] > 0.5;
                    correct += usize::from((mean(part) > 0.5) == wanted);
                }
                correct as f32 / FLIPFLOP_PULSES as f32
            }
            JarneLajeKind::Oscillation => {
                let Some(r) = trial.period("response") else {
                    return 0.0;
                };
                let len = (r.end - r.start).max(1) as f32;
                let sq: f32 = (r.start..r.end)
                    .map(|t| (out(t) - trial.targets[[t, 0]]).powi(2))
                    .sum();
                ((sq / len).sqrt() < 0.5) as u8 as f32
            }
            JarneLajeKind::TimePulse => {
                let (Some(r), Some(d)) = (trial.period("response"), trial.period("delay")) else {
                    return 0.0;
                };
                if trial.label == TrialLabel::Class(0) {
                    return (0..n).all(|t| out(t) < 0.5) as u8 as f32;
                }
                let peak = (0..n).fold(0, |best, t| if out(t) > out(best) { t } else { best });
                let target = (r.start + r.end) / 2;
                let tolerance = self.config.steps(20.0);
                let early = (0..d.end).any(|t| out(t) >= 0.5);
                (!early && out(peak) > 0.5 && peak.abs_diff(target) <= tolerance) as u8 as f32
            }
            _ => {
                let Some(r) = trial.period("response") else {
                    return 0.0;
                };
                let wanted = trial.label == TrialLabel::Class(1);
                ((mean(r.start..r.end) > 0.5) == wanted) as u8 as f32
            }
        }
    }
}
