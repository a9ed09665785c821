//! Mod-Cog in the authors' parametrisation (Khona, Chandra, Ma & Fiete 2023; task code
//! `mikailkhona/Mod_Cog`, `mod_cog_tasks.py`, written on neurogym), beside the Yang-based
//! [`crate::tasks::modcog`]. Registry ids `ngym-modcog-<name>` (the authors' constructor
//! names: `dlygointr`, `goseqr`, `dmsintseq`, …) and `ngym-modcog-mixture`.
//!
//! Two forms ([`NgymForm`], task option `"variant"`): **`authors`** (the default)
//! generates what the authors' constructors generate on neurogym 1.0.8, quirks included;
//! **`corrected`** keeps this crate's reading of the paper. `docs/modcog.md` sets them
//! side by side; `scripts/modcog_vs_authors.py` compares the authors' form with the
//! authors' code in distribution.
//!
//! ## Conventions (both forms)
//! - dt = 100 ms; rings of 16 units (unit i at angle 2πi/16). Every sampled duration is
//!   floored to dt, as neurogym's `sample_time` does (`(t // dt) * dt`).
//! - Inputs `1 + 2·16 + n_rules`: fixation, modality 1, modality 2, then the rule one-hot
//!   (neurogym's `ScheduleEnvs(env_input=True)`: one unit per task of the battery, in the
//!   order of its list; the full battery is the authors' 93 constructors in README order).
//! - 17 outputs: action 0 = fixate, action 1 + i = respond at ring unit i. The authors train
//!   with cross-entropy on the action; this crate's losses are MSE, so the target is the
//!   one-hot action code and the network's action is the argmax of its 17 outputs. Loss
//!   weight 1 before the decision period and [`NgymConfig::decision_weight`] (default 5,
//!   Yang et al.'s response-period cost) during it.
//! - Stimuli are Gaussian bumps `0.8·exp(−d²/2)·strength`, d = periodic distance / (π/8).
//! - Go family (go, rtgo, dlygo, anti, rtanti, dlyanti): fixation 500, stimulus 500, delay
//!   500, decision 500 ms (reaction-time: fixation 500, decision 500 with the stimulus on);
//!   modality 1 or 2 at random; no input noise; `go` and `dlygo` share this timing.
//! - DM family: fixation U(200, 500) (2, 3 or 4 steps), stimulus 500, decision 200 ms; two
//!   bumps at distinct units with strengths 0.5 ± coh/2, coh ∈ ±{0.08, 0.16, 0.32, 0.64};
//!   the delayed DM tasks: stim1 500, delay 500, stim2 500 with strengths two distinct of
//!   {0.3, 0.6, 1.0}. Ties (multidm) are broken at random. Input noise N(0, (σ/√dt)²) on
//!   the 33 stimulus-side inputs during the stimulus periods.
//! - Match family (dms, dnms, dmc, dnmc): fixation 300, sample 500, delay, test 500,
//!   decision 900 ms; non-match in dms/dnms is the opposite unit; categories are the two
//!   ring halves (sample category 1 iff index > 8, the authors' rule); noise on the shown
//!   modality during sample and test. No-go trials ask for fixation throughout.
//! - seq: decision 1000 ms (except as below); the response moves one ring unit per step.
//! - int: delay from {0, 100, …, 1100} ms (go and match families) or 500 ms (delayed DM);
//!   shift 0.01 per ms of delay.
//!
//! ## The authors' form: their code's behaviour, reproduced
//! 1. The response at decision step t is action `(target + 1 + seq·t) mod 16`, also with
//!    seq = 0: the target ring unit 15 is asked as action 0 (keep fixating), and a seq
//!    response passes through action 0 for one step and never visits unit 15.
//! 2. `rtgoseq*`, `rtantiseq*` keep the 500 ms decision.
//! 3. Go-family int tasks rotate the *stimulus* by int·0.01·delay **radians** (off the
//!    unit grid) and keep the target.
//! 4. Match tasks without int draw their delay U(200, 1200) once per environment, one per
//!    modality (the authors' `_dlymatch` builds one environment per modality); here from
//!    [`NgymConfig::env_seed`], so a run sees two delays per match task.
//! 5. The authors' int × seq constructors (`<task>intseq`) are int-r seq-r only.
//! 6. Not reproduced (trials here are independent draws): neurogym's `RandomSchedule`
//!    never repeats the current environment, so a streamed go or match task alternates
//!    its two modalities trial by trial, and the battery never shows a task twice in a
//!    row. The per-trial distributions are the same.
//!
//! ## The corrected form
//! The response is action `1 + (target + seq·t) mod 16` (never fixation), the int shift
//! is `round(0.01·delay)` ring units on the *target* in every family, match delays are
//! drawn per trial, every seq decision lasts 1000 ms.
//!
//! ## Task count
//! The authors build 93 tasks ([`AUTHORS_TASK_COUNT`]: 20 base, 40 seq, 22 int, 11 int ×
//! seq); the README's "126" counts all four int × seq direction pairs, whose other 33 are
//! this crate's **extensions** (ids `<task>int(r|l)seq(r|l)`, not in the default battery,
//! [`NGYM_TASK_COUNT`] = 126 with them).

mod catalog;
mod trials;

pub use catalog::{ids, int_able, parse_id, variants, Base, Family, Variant};

pub use trials::{
    action_at, bump, floor_to_dt, generate, unit_angle, Conditions, BUMP_AMPLITUDE, BUMP_WIDTH_RAD,
};
pub use trials::{DLY_DM_STRENGTHS, DM_COHERENCES, INT_DELAYS_MS};

use crate::error::{Error, Result};
use crate::rng::SimRng;
use crate::tasks::mixture::rule_block;
use crate::tasks::{Task, TaskSpec, Trial};
use ndarray::ArrayView2;

/// Time step of the authors' tasks (ms).
pub const DT_MS: f64 = 100.0;
/// Units per ring.
pub const N_RING: usize = 16;
/// Fixation plus two modality rings.
pub const N_STIM_INPUTS: usize = 1 + 2 * N_RING;
/// Fixation action plus one action per ring unit.
pub const N_OUTPUTS: usize = 1 + N_RING;
/// Angular speed in ring units per ms (ω = 0.01).
pub const OMEGA_RING_PER_MS: f64 = 0.01;
/// Decision period of the seq variants (ms; the authors' reaction-time seq tasks keep 500).
pub const SEQ_DECISION_MS: f64 = 1000.0;
/// Number of int-able delay tasks D in the README.
pub const N_INT_ABLE: usize = 11;
/// The authors' constructors: 20 base, 40 seq, 2·D int, D int × seq (r-r).
pub const AUTHORS_TASK_COUNT: usize = 60 + 3 * N_INT_ABLE;
/// Tasks built: the authors' 93 and the 3·D int × seq extensions (60 + 6·D).
pub const NGYM_TASK_COUNT: usize = 60 + 6 * N_INT_ABLE;

/// Which generator: the authors' code's behaviour or this crate's corrections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NgymForm {
    /// As `mod_cog_tasks.py` generates it (see the module docs).
    #[default]
    Authors,
    /// No pass through fixation, target shifts on the grid, per-trial match delays,
    /// 1000 ms reaction-time seq decisions.
    Corrected,
}

/// Options of the authors'-form tasks.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NgymConfig {
    /// Input noise σ; the std per step is σ/√dt (authors: σ = 1, std 0.1).
    pub sigma: f64,
    /// Loss weight of the decision period (1 elsewhere).
    pub decision_weight: f64,
    /// `"authors"` (default) or `"corrected"`.
    pub variant: NgymForm,
    /// Seed of the per-environment draws of the authors' form (the match tasks' delays).
    pub env_seed: u64,
}

impl Default for NgymConfig {
    fn default() -> Self {
        NgymConfig {
            sigma: 1.0,
            decision_weight: 5.0,
            variant: NgymForm::Authors,
            env_seed: 1,
        }
    }
}

impl NgymConfig {
    /// Check the fields.
    pub fn validate(&self) -> Result<()> {
        if !self.sigma.is_finite() || !(0.0..=10.0).contains(&self.sigma) {
            return Err(Error::field("sigma", self.sigma, "must be in [0, 10]"));
        }
        if !self.decision_weight.is_finite() || !(0.0..=100.0).contains(&self.decision_weight) {
            return Err(Error::field(
                "decision_weight",
                self.decision_weight,
                "must be in [0, 100]",
            ));
        }
        Ok(())
    }
}

/// One authors'-form Mod-Cog task with its rule unit.
#[derive(Debug, Clone)]
pub struct NgymTask {
    /// What it is.
    pub variant: Variant,
    config: NgymConfig,
    rule_index: usize,
    n_rules: usize,
    /// The match family's delay per modality environment (authors' form, non-int), ms.
    env_delays_ms: [f64; 2],
}

impl NgymTask {
    /// The task with rule unit `rule_index` of `n_rules`.
    pub fn new(
        variant: Variant,
        config: NgymConfig,
        rule_index: usize,
        n_rules: usize,
    ) -> Result<Self> {
        config.validate()?;
        if rule_index >= n_rules {
            return Err(Error::field(
                "rule_index",
                rule_index,
                "must be < the number of rules",
            ));
        }
        let mut rng = SimRng::derived(config.env_seed, &format!("{}/env-delay", variant.id()));
        let env_delays_ms = [0, 1].map(|_| floor_to_dt(rng.uniform_in(200.0, 1200.0)));
        Ok(NgymTask {
            variant,
            config,
            rule_index,
            n_rules,
            env_delays_ms,
        })
    }

    /// Which form generates the trials.
    pub fn form(&self) -> NgymForm {
        self.config.variant
    }

    /// The match family's delay of each modality's environment in the authors' form (ms;
    /// drawn once from [`NgymConfig::env_seed`]).
    pub fn env_delays_ms(&self) -> [f64; 2] {
        self.env_delays_ms
    }

    /// A trial with its drawn conditions.
    pub fn trial_with_conditions(&self, rng: &mut SimRng) -> (Trial, Conditions) {
        generate(
            self.variant,
            &self.config,
            (self.rule_index, self.n_rules),
            self.env_delays_ms,
            rng,
        )
    }
}

/// Action (argmax of the 17 outputs) at step `t`.
fn action(outputs: ArrayView2<f32>, t: usize) -> usize {
    let row = outputs.row(t);
    let mut best = 0;
    for (k, v) in row.iter().enumerate() {
        if *v > row[best] {
            best = k;
        }
    }
    best
}

impl Task for NgymTask {
    fn input_channels(&self) -> Vec<crate::tasks::ChannelGroup> {
        crate::tasks::channels::ring_inputs(N_RING, N_STIM_INPUTS + self.n_rules)
    }

    fn output_channels(&self) -> Vec<crate::tasks::ChannelGroup> {
        crate::tasks::channels::ring_outputs(N_RING)
    }

    fn spec(&self) -> TaskSpec {
        TaskSpec {
            id: self.variant.id(),
            name: self
                .variant
                .id()
                .trim_start_matches("ngym-modcog-")
                .to_string(),
            paper: "Khona et al. 2023, Neural Comput. (Mod-Cog, authors' neurogym form)".into(),
            n_inputs: N_STIM_INPUTS + self.n_rules,
            n_outputs: N_OUTPUTS,
            dt_ms: DT_MS,
        }
    }

    fn trial(&self, rng: &mut SimRng) -> Trial {
        self.trial_with_conditions(rng).0
    }

    /// Correct (1) iff the action is "fixate" at the last step before the decision period
    /// and equals the target action (moving, for seq) on every decision step after the
    /// first (one 100 ms step to switch); else 0.
    fn score(&self, trial: &Trial, outputs: ArrayView2<f32>) -> f32 {
        let Some(decision) = trial.period("decision") else {
            return 0.0;
        };
        if decision.start == 0 || outputs.nrows() < decision.end || outputs.ncols() != N_OUTPUTS {
            return 0.0;
        }
        if action(outputs, decision.start - 1) != 0 {
            return 0.0;
        }
        let target = |t: usize| action(trial.targets.view(), t);
        let ok = (decision.start + 1..decision.end).all(|t| action(outputs, t) == target(t));
        f32::from(u8::from(ok))
    }
}

fn unknown(id: &str) -> Error {
    Error::UnknownName {
        field: "task",
        value: id.to_string(),
        allowed: "ngym-modcog-<base>[intr|intl|intseq][seqr|seql] (see modcog_ngym::ids())".into(),
    }
}

/// Tasks with these ids sharing a rule block of `ids.len()` units (task i gets unit i).
pub fn tasks(ids: &[&str], config: &NgymConfig) -> Result<Vec<NgymTask>> {
    rule_block(ids, |id, i, n_rules| {
        let variant = parse_id(id).ok_or_else(|| unknown(id))?;
        NgymTask::new(variant, config.clone(), i, n_rules)
    })
}

/// One task alone, with its rule unit in the full battery's layout: the authors' 93
/// units for their tasks, all 126 (the 93, then the extensions) for an extension.
pub fn task(id: &str, config: &NgymConfig) -> Result<NgymTask> {
    let variant = parse_id(id).ok_or_else(|| unknown(id))?;
    let index = variants()
        .iter()
        .position(|v| *v == variant)
        .ok_or_else(|| unknown(id))?;
    let n_rules = if variant.is_authors() {
        AUTHORS_TASK_COUNT
    } else {
        NGYM_TASK_COUNT
    };
    NgymTask::new(variant, config.clone(), index, n_rules)
}

/// The authors' battery ([`AUTHORS_TASK_COUNT`] tasks and rule units, README order).
pub fn all_tasks(config: &NgymConfig) -> Result<Vec<NgymTask>> {
    let ids = ids();
    let refs: Vec<&str> = ids[..AUTHORS_TASK_COUNT]
        .iter()
        .map(String::as_str)
        .collect();
    tasks(&refs, config)
}
