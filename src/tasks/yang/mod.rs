//! Yang, Joglekar, Song, Newsome & Wang 2019, "Task representations in neural networks
//! trained to perform many cognitive tasks", Nature Neuroscience 22:297–306: the 20 tasks,
//! written from the paper's Methods and the authors' `task.py` (gyyang/multitask).
//!
//! **Layout** (shared by all 20 tasks, so they can be mixed):
//! - inputs (85): `0` fixation; `1..33` modality-1 ring; `33..65` modality-2 ring (32
//!   units each, preferred directions `2πk/32`); `65..85` one-hot rule (20 units, on for
//!   the whole trial). With Mod-Cog ([`crate::tasks::modcog`]) the rule block is wider.
//! - outputs (33): `0` fixation; `1..33` response ring.
//!
//! **Stimulus**: a ring bump `strength · 0.8 · exp(−d²/2(π/8)²)` (`d` circular distance to
//! the preferred direction). **Input noise**: N(0, σ²) on every input at every step,
//! `σ = sigma_x · sqrt(2/α)`, `α = dt/τ` (0.01 · √10 ≈ 0.032 at dt = 20 ms, τ = 100 ms).
//!
//! **Targets**: every output 0.05 by default; fixation output 0.8 until the response
//! period (the whole trial on no-go trials); ring outputs `0.05 + 0.8 · exp(...)` centred on
//! the response direction during the response period. (The paper's code uses 0.8 for the
//! fixation target, not 0.85; 0.85 is the peak of the ring bump.)
//!
//! **Loss mask**: 0 for the first 100 ms, 1 from there to the response onset, 0 for a
//! 100 ms grace period after the onset, 5 afterwards; the fixation output's weight is
//! doubled.
//!
//! **Score**: at the last step the fixation output must be < 0.5 and the population vector
//! of the ring output within 0.2π of the target (go trials), or the fixation output > 0.5
//! (no-go trials), as in the paper's `get_perf`. With `strict_fixation` (default) the
//! fixation output must in addition stay > 0.5 at every loss-weighted step before the
//! response period — the paper's code only looks at the last step.
//!
//! **Timing**: each period is drawn per trial (the paper's code draws one timing per batch)
//! and converted to steps by truncation, `floor(ms / dt)`, as the paper's `int(ms/dt)`.
//! Periods are named after the paper's epochs: `fixation`, `stim1`, `delay1`, `stim2`,
//! `delay2`, `go` (the response period, always last). `timing` ([`YangConfig::timing`])
//! replaces the paper's distribution of any period by a neurogym-style entry
//! ([`crate::tasks::Duration::from_neurogym`]), drawn after the paper's draws of the trial.

mod ctxdm;
mod dm;
mod dms;
mod go;
mod kind;
mod overrides;
pub mod render;

pub use kind::YangKind;
pub use overrides::check_timing;

use super::{Task, TaskSpec, Timing, Trial};
use crate::error::{non_negative, positive, Error, Result};
use crate::rng::SimRng;
use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

/// Units per ring (stimulus rings and response ring).
pub const RING: usize = 32;
/// Number of Yang tasks (rule units in the 20-task layout).
pub const N_RULES: usize = 20;
/// First rule input channel.
pub const RULE_START: usize = 1 + 2 * RING;
/// Input channels of the 20-task layout (85).
pub const N_INPUTS: usize = RULE_START + N_RULES;
/// Output channels (33).
pub const N_OUTPUTS: usize = 1 + RING;

/// Parameters shared by the Yang tasks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct YangConfig {
    /// Time step, ms (paper: 20).
    pub dt_ms: f64,
    /// Network time constant used to scale the input noise, ms (paper: 100).
    pub tau_ms: f64,
    /// Input noise before the `sqrt(2/α)` scaling (paper: 0.01; 0 disables noise).
    pub sigma_x: f64,
    /// Also require fixation output > 0.5 at every loss-weighted pre-response step.
    pub strict_fixation: bool,
    /// Duration overrides by period name (empty: the paper's timing). Each named period
    /// is drawn from its entry instead, in ms, truncated to steps as the paper's periods.
    pub timing: Timing,
}

impl Default for YangConfig {
    fn default() -> Self {
        YangConfig {
            dt_ms: 20.0,
            tau_ms: 100.0,
            sigma_x: 0.01,
            strict_fixation: true,
            timing: Timing::new(),
        }
    }
}

impl YangConfig {
    /// Check every field.
    pub fn validate(&self) -> Result<()> {
        positive("dt_ms", self.dt_ms)?;
        positive("tau_ms", self.tau_ms)?;
        non_negative("sigma_x", self.sigma_x)?;
        if !(1.0..=100.0).contains(&self.dt_ms) {
            return Err(Error::field("dt_ms", self.dt_ms, "must be in [1, 100] ms"));
        }
        if self.dt_ms > self.tau_ms {
            return Err(Error::field("dt_ms", self.dt_ms, "must be <= tau_ms"));
        }
        for (period, duration) in &self.timing {
            if !duration.is_within(super::MAX_PERIOD_MS) {
                return Err(Error::Parse {
                    what: "task.timing",
                    reason: format!("`task.timing.{period}` must stay within [0, 10000] ms, but is {duration:?}"),
                });
            }
        }
        Ok(())
    }

    /// Per-step input noise std, `sigma_x · sqrt(2 τ / dt)`.
    pub fn input_noise_std(&self) -> f64 {
        self.sigma_x * (2.0 * self.tau_ms / self.dt_ms).sqrt()
    }
}

/// Direction of a Mod-Cog rotation: `Right` ("r", increasing angle, called clockwise in
/// the Mod-Cog README) or `Left` ("l").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Turn {
    /// "r": +1.
    Right,
    /// "l": −1.
    Left,
}

impl Turn {
    /// +1 or −1.
    pub fn sign(self) -> f64 {
        match self {
            Turn::Right => 1.0,
            Turn::Left => -1.0,
        }
    }

    /// "r" or "l".
    pub fn letter(self) -> &'static str {
        match self {
            Turn::Right => "r",
            Turn::Left => "l",
        }
    }
}

/// Mod-Cog extensions of a base task (none for the plain Yang tasks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Extension {
    /// "int": shift the response by a rotation proportional to the delay duration.
    pub int: Option<Turn>,
    /// "seq": the response target rotates at constant speed during the response period.
    pub seq: Option<Turn>,
}

/// One Yang task (optionally with Mod-Cog extensions and a wider rule block).
#[derive(Debug, Clone, PartialEq)]
pub struct YangTask {
    /// Which task.
    pub kind: YangKind,
    /// Shared parameters.
    pub config: YangConfig,
    /// Mod-Cog extensions.
    pub ext: Extension,
    /// Rule unit of this task within the rule block.
    pub rule_index: usize,
    /// Width of the rule block.
    pub n_rules: usize,
}

impl YangTask {
    /// The plain task in the 20-rule layout.
    pub fn new(kind: YangKind, config: YangConfig) -> Result<Self> {
        YangTask::extended(kind, config, Extension::default(), kind.index(), N_RULES)
    }

    /// A task with Mod-Cog extensions and rule unit `rule_index` of `n_rules`.
    pub fn extended(
        kind: YangKind,
        config: YangConfig,
        ext: Extension,
        rule_index: usize,
        n_rules: usize,
    ) -> Result<Self> {
        config.validate()?;
        if rule_index >= n_rules {
            return Err(Error::field("rule_index", rule_index, "must be < n_rules"));
        }
        if ext.int.is_some() && !kind.has_delay() {
            return Err(Error::field(
                "int",
                kind.short(),
                "needs a task with a delay period",
            ));
        }
        Ok(YangTask {
            kind,
            config,
            ext,
            rule_index,
            n_rules,
        })
    }

    /// Stable id: `yang-<task>` for plain tasks, `modcog-<task>[-int(r|l)][-seq(r|l)]` otherwise.
    pub fn id(&self) -> String {
        let plain = self.n_rules == N_RULES && self.rule_index == self.kind.index();
        if self.ext == Extension::default() && plain {
            return format!("yang-{}", self.kind.short());
        }
        let mut id = format!("modcog-{}", self.kind.short());
        if let Some(turn) = self.ext.int {
            id += &format!("-int{}", turn.letter());
        }
        if let Some(turn) = self.ext.seq {
            id += &format!("-seq{}", turn.letter());
        }
        id
    }

    /// Draw the task's parameters for one trial (before rendering and timing overrides).
    fn plan(&self, rng: &mut SimRng) -> render::Plan {
        let dt = self.config.dt_ms;
        match self.kind.index() {
            0..=5 => go::plan(self.kind, rng, dt),
            6 | 7 | 11 | 12 => dm::plan(self.kind, rng, dt),
            8..=15 => ctxdm::plan(self.kind, rng, dt),
            _ => dms::plan(self.kind, rng, dt),
        }
    }

    /// Names of this task's periods, in trial order (`fixation`, ..., `go`).
    pub fn period_names(&self) -> Vec<&'static str> {
        let plan = self.plan(&mut SimRng::new(0));
        plan.periods.iter().map(|(name, _)| *name).collect()
    }

    /// Number of input channels (`1 + 2·32 + n_rules`).
    pub fn n_inputs(&self) -> usize {
        RULE_START + self.n_rules
    }
}

impl Task for YangTask {
    fn input_channels(&self) -> Vec<super::ChannelGroup> {
        super::channels::ring_inputs(RING, self.n_inputs())
    }

    fn output_channels(&self) -> Vec<super::ChannelGroup> {
        super::channels::ring_outputs(RING)
    }

    fn spec(&self) -> TaskSpec {
        let modcog = self.id().starts_with("modcog");
        let mut name = self.kind.display_name().to_string();
        if let Some(turn) = self.ext.int {
            name += &format!(" int{}", turn.letter());
        }
        if let Some(turn) = self.ext.seq {
            name += &format!(" seq{}", turn.letter());
        }
        TaskSpec {
            id: self.id(),
            name,
            paper: if modcog {
                "Khona et al. 2023, Neural Comput. (Mod-Cog)".into()
            } else {
                "Yang et al. 2019, Nat. Neurosci.".into()
            },
            n_inputs: self.n_inputs(),
            n_outputs: N_OUTPUTS,
            dt_ms: self.config.dt_ms,
        }
    }

    fn trial(&self, rng: &mut SimRng) -> Trial {
        let plan = self.plan(rng);
        render::render(self, plan, rng)
    }

    fn score(&self, trial: &Trial, outputs: ArrayView2<f32>) -> f32 {
        render::score(
            self.config.dt_ms,
            self.config.strict_fixation,
            trial,
            outputs,
        )
    }
}
