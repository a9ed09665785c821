//! Mod-Cog in the authors' parametrisation (Khona, Chandra, Ma & Fiete 2023; task code
//! `mikailkhona/Mod_Cog`, `mod_cog_tasks.py`, written on neurogym), beside the Yang-based
//! [`crate::tasks::modcog`]. Registry ids `ngym-modcog-<name>` (the authors' constructor
//! names: `dlygointr`, `goseqr`, …) and `ngym-modcog-mixture`.
//!
//! ## Conventions (as in the authors' code)
//! - dt = 100 ms; rings of 16 units (unit i at angle 2πi/16).
//! - Inputs `1 + 2·16 + n_rules`: fixation, modality 1, modality 2, then the rule one-hot
//!   (neurogym's `ScheduleEnvs(env_input=True)`: one unit per task of the battery).
//! - 17 outputs: action 0 = fixate, action 1 + i = respond at ring unit i. The authors train
//!   with cross-entropy on the action; this crate's losses are MSE, so the target is the
//!   one-hot action code and the network's action is the argmax of its 17 outputs. Loss
//!   weight 1 before the decision period and [`NgymConfig::decision_weight`] (default 5,
//!   Yang et al.'s response-period cost) during it: with weight 1 the MSE on 17 mostly-zero
//!   outputs barely trains the response (measured: a dense N = 64 network stayed below 0.1
//!   on dlygo after 4000 steps; with 5 it reaches 0.94 in 2000).
//! - Stimuli are Gaussian bumps `0.8·exp(−d²/2)·strength`, d = periodic distance / (π/8).
//! - Go family (go, rtgo, dlygo, anti, rtanti, dlyanti): fixation 500, stimulus 500, delay
//!   500, decision 500 ms (reaction-time: fixation 500, decision 500 with the stimulus on);
//!   the stimulus appears in modality 1 or 2 at random; no input noise. As in the authors'
//!   code, `go` and `dlygo` share this timing (the stimulus is off during the delay).
//! - DM family: fixation U(200, 500), stimulus 500, decision 200 ms; two bumps at distinct
//!   units with strengths 0.5 ± coh/2, coh ∈ ±{0.08, 0.16, 0.32, 0.64}; the delayed DM
//!   tasks: stim1 500, delay 500, stim2 500 with strengths two distinct of {0.3, 0.6, 1.0}.
//!   dm1/dm2 show one modality, ctxdm* show both and weigh one, multidm sums both. Input
//!   noise N(0, (1/√dt)²) on the 33 stimulus-side inputs during the stimulus periods.
//! - Match family (dms, dnms, dmc, dnmc): fixation 300, sample 500, delay U(200, 1200),
//!   test 500, decision 900 ms; non-match in dms/dnms is the opposite unit; categories are
//!   the two ring halves (sample category 1 iff index > 8, the authors' rule); noise on the
//!   shown modality during sample and test. No-go trials ask for fixation throughout.
//! - seq (`r` = +1, `l` = −1): the response moves 1 ring unit per step (ω = 0.01 ring units
//!   per ms × 100 ms); decision 1000 ms.
//! - int: the response is shifted by `int · 0.01 · delay_ms` ring units; the delay is drawn
//!   from {0, 100, …, 1100} ms (go and match families) or fixed at 500 ms (delayed DM).
//!
//! ## Deviations (documented, deliberate)
//! - The authors' go family shifts the *stimulus* by 0.01·delay **radians** and keeps the
//!   target; we shift the target by 0.01·delay ring units in every family (the DM and match
//!   families' rule), so all int tasks share one rule.
//! - Their seq target is `mod(action + shift, 16)` on action indices 1..16, so the bump can
//!   land on the fixation action 0; we wrap the ring unit, then add 1.
//! - Their `rtgoseq*`/`rtantiseq*` keep a 500 ms decision; every seq variant here has 1000 ms.
//! - Their match family draws its non-int delay once per environment (unseeded); here per
//!   trial, rounded to the 100 ms grid. Trials are generated one by one, not streamed into
//!   neurogym's 350-step `Dataset` sequences.
//! - int × seq: their code has one pair per task (`integrate=True, seq=True`, i.e. r-r);
//!   we build all four direction pairs, as the README's count implies.
//!
//! ## Task count
//! 20 base tasks; seq-r and seq-l for all 20 (60); int-r and int-l on the D int-able delay
//! tasks (2D) and int × seq in four direction pairs (4D): **60 + 6·D**. The README lists
//! D = 11 int-able tasks (dms, dnms, dmc, dnmc, dlygo, dlyanti, dlydm1, dlydm2, ctxdlydm1,
//! ctxdlydm2, multidlydm), giving **126**, the count built here ([`NGYM_TASK_COUNT`]); the
//! paper's "up to 132" is D = 12, whose 12th task is not identified in the repository.

mod catalog;
mod trials;

pub use catalog::{ids, parse_id, variants, Base, Family, Variant};

pub use trials::{
    bump, generate, int_able, unit_angle, Conditions, BUMP_AMPLITUDE, BUMP_WIDTH_RAD,
};
pub use trials::{DLY_DM_STRENGTHS, DM_COHERENCES, INT_DELAYS_MS};

use crate::error::{Error, Result};
use crate::rng::SimRng;
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
/// Decision period of the seq variants (ms).
pub const SEQ_DECISION_MS: f64 = 1000.0;
/// Number of int-able delay tasks D in the README.
pub const N_INT_ABLE: usize = 11;
/// Tasks built: 60 + 6·D with D = 11.
pub const NGYM_TASK_COUNT: usize = 60 + 6 * N_INT_ABLE;

/// Options of the authors'-form tasks.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NgymConfig {
    /// Input noise σ; the std per step is σ/√dt (authors: σ = 1, std 0.1).
    pub sigma: f64,
    /// Loss weight of the decision period (1 elsewhere).
    pub decision_weight: f64,
}

impl Default for NgymConfig {
    fn default() -> Self {
        NgymConfig {
            sigma: 1.0,
            decision_weight: 5.0,
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
        Ok(NgymTask {
            variant,
            config,
            rule_index,
            n_rules,
        })
    }

    /// A trial with its drawn conditions.
    pub fn trial_with_conditions(&self, rng: &mut SimRng) -> (Trial, Conditions) {
        generate(
            self.variant,
            &self.config,
            self.rule_index,
            self.n_rules,
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
        allowed: "ngym-modcog-<base>[intr|intl][seqr|seql] (see modcog_ngym::ids())".into(),
    }
}

/// Tasks with these ids sharing a rule block of `ids.len()` units (task i gets unit i).
pub fn tasks(ids: &[&str], config: &NgymConfig) -> Result<Vec<NgymTask>> {
    if ids.is_empty() {
        return Err(Error::field(
            "tasks",
            "[]",
            "must list at least one Mod-Cog task",
        ));
    }
    ids.iter()
        .enumerate()
        .map(|(i, id)| {
            let variant = parse_id(id).ok_or_else(|| unknown(id))?;
            NgymTask::new(variant, config.clone(), i, ids.len())
        })
        .collect()
}

/// One task alone, with its rule unit in the full battery's layout.
pub fn task(id: &str, config: &NgymConfig) -> Result<NgymTask> {
    let index = ids()
        .iter()
        .position(|i| i == id)
        .ok_or_else(|| unknown(id))?;
    NgymTask::new(variants()[index], config.clone(), index, NGYM_TASK_COUNT)
}

/// The whole battery ([`NGYM_TASK_COUNT`] tasks and rule units).
pub fn all_tasks(config: &NgymConfig) -> Result<Vec<NgymTask>> {
    let ids = ids();
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    tasks(&refs, config)
}
