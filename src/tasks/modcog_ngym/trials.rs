//! Trial generation of the three Mod-Cog families in the authors' neurogym form (go, DM,
//! delay-match), in the authors' form or the corrected one; see the parent module.

use super::{
    Family, NgymConfig, NgymForm, Variant, DT_MS, N_OUTPUTS, N_RING, N_STIM_INPUTS,
    OMEGA_RING_PER_MS, SEQ_DECISION_MS,
};
use crate::rng::SimRng;
use crate::tasks::ring;
use crate::tasks::{Trial, TrialBuilder, TrialLabel};
use std::f64::consts::PI;

pub use crate::tasks::ring::{BUMP_AMPLITUDE, BUMP_WIDTH_RAD};
/// Coherences of the non-delayed DM tasks (dm1, dm2, ctxdm1/2, multidm).
pub const DM_COHERENCES: [f64; 4] = [0.08, 0.16, 0.32, 0.64];
/// Stimulus strengths of the delayed DM tasks (`_dlydm_kwargs` in the authors' code).
pub const DLY_DM_STRENGTHS: [f64; 3] = [0.3, 0.6, 1.0];
/// Delays (ms) drawn for int variants of the go and match families: 0, 100, …, 1100.
pub const INT_DELAYS_MS: [f64; 12] = [
    0.0, 100.0, 200.0, 300.0, 400.0, 500.0, 600.0, 700.0, 800.0, 900.0, 1000.0, 1100.0,
];

/// The trial's drawn conditions, for tests and analyses.
#[derive(Debug, Clone, PartialEq)]
pub struct Conditions {
    /// Stimulus modality (0 or 1) of go / match trials; `None` for DM trials.
    pub modality: Option<usize>,
    /// Ring index of the (first) stimulus.
    pub stim1: usize,
    /// Ring index of the second stimulus (DM) or the test (match); = `stim1` for go.
    pub stim2: usize,
    /// Centre (radians) of the go family's bump (the authors' int tasks rotate it off the
    /// grid); the angle of `stim1` otherwise.
    pub stim_centre_rad: f64,
    /// Strengths `(first, second)` per modality (DM only; 0 for an absent modality).
    pub strengths: [(f64, f64); 2],
    /// Delay duration in ms (0 for tasks without a delay).
    pub delay_ms: f64,
    /// Ring index the response is computed from (after an int shift of the target);
    /// `None` = fixate throughout. The actions are [`action_at`] of it.
    pub target: Option<usize>,
}

/// Angle of ring unit `i` (unit 0 at angle 0, spacing 2π/16).
pub fn unit_angle(i: usize) -> f64 {
    ring::unit_angle(i, N_RING)
}

/// The 16 values of a Gaussian bump centred at `centre` (radians), times `strength`.
pub fn bump(centre: f64, strength: f64) -> Vec<f32> {
    ring::bump(N_RING, centre, strength)
}

/// A sampled duration floored to the time step, as neurogym's `sample_time`
/// (`(t // dt) * dt`), in ms.
pub fn floor_to_dt(ms: f64) -> f64 {
    (ms / DT_MS).floor().max(0.0) * DT_MS
}

/// Whole steps of a duration that is a multiple of dt (neurogym's `int(t / dt)`).
fn steps(ms: f64) -> usize {
    ring::steps(ms, DT_MS)
}

/// The action asked at decision step `t` (0-based) for ring index `target` moving with
/// `seq`. Authors' form: `mod(target + 1 + int(seq·t·ω·dt), 16)` (their
/// `my_set_groundtruth`, in the same floating-point order), which is 0 (fixate) when the
/// sum is 16; corrected: `1 + (target + seq·t) mod 16`.
pub fn action_at(form: NgymForm, target: usize, seq: i8, t: usize) -> usize {
    let n = N_RING as i64;
    match form {
        NgymForm::Authors => {
            let shift = ((f64::from(seq) * t as f64) * OMEGA_RING_PER_MS * DT_MS).trunc() as i64;
            (target as i64 + 1 + shift).rem_euclid(n) as usize
        }
        NgymForm::Corrected => {
            1 + (target as i64 + i64::from(seq) * t as i64).rem_euclid(n) as usize
        }
    }
}

/// The int-shifted ring index of the DM and match families, as the authors compute it:
/// `int(mod(i ± ω·delay, 16))` (exact for their delays; corrected: `i ± round(ω·delay)`).
fn int_shifted(form: NgymForm, i: usize, int: i8, delay_ms: f64) -> usize {
    let n = N_RING as f64;
    match form {
        NgymForm::Authors => match int {
            0 => i,
            1 => (i as f64 + OMEGA_RING_PER_MS * delay_ms).rem_euclid(n) as usize,
            _ => (i as f64 - OMEGA_RING_PER_MS * delay_ms).rem_euclid(n) as usize,
        },
        NgymForm::Corrected => {
            let shift = i64::from(int) * (OMEGA_RING_PER_MS * delay_ms).round() as i64;
            (i as i64 + shift).rem_euclid(N_RING as i64) as usize
        }
    }
}

/// Decision duration: the seq variants' 1000 ms, except the authors' reaction-time seq
/// tasks, which keep the plain one.
fn decision_ms(variant: Variant, form: NgymForm, reaction: bool, plain_ms: f64) -> f64 {
    let authors_rt = form == NgymForm::Authors && reaction;
    if variant.seq != 0 && !authors_rt {
        SEQ_DECISION_MS
    } else {
        plain_ms
    }
}

/// Gaussian input noise of std `sigma / √dt` on `channels` during `period`.
fn add_noise(
    b: &mut TrialBuilder,
    rng: &mut SimRng,
    config: &NgymConfig,
    period: &str,
    channels: std::ops::Range<usize>,
) {
    let range = b.range(period);
    let std = config.sigma / DT_MS.sqrt();
    if std == 0.0 {
        return;
    }
    let inputs = b.inputs_mut();
    for t in range {
        for c in channels.clone() {
            inputs[[t, c]] += (std * rng.normal()) as f32;
        }
    }
}

/// Targets: fixation (action 0) before the decision period; during it [`action_at`] of
/// `target` (or fixation throughout when `None`). Loss weight 1 before the decision
/// period and `config.decision_weight` during it. The label is the first decision action.
fn set_response(
    b: &mut TrialBuilder,
    config: &NgymConfig,
    variant: Variant,
    target: Option<usize>,
) -> TrialLabel {
    let decision = b.range("decision");
    b.set_target(0..decision.start, 0, 1.0);
    b.set_mask(0..decision.start, 1.0);
    b.set_mask(decision.clone(), config.decision_weight as f32);
    let Some(target) = target else {
        b.set_target(decision, 0, 1.0);
        return TrialLabel::Fixate;
    };
    let first = action_at(config.variant, target, variant.seq, 0);
    for (t, step) in decision.enumerate() {
        let action = action_at(config.variant, target, variant.seq, t);
        b.set_target(step..step + 1, action, 1.0);
    }
    if first == 0 {
        TrialLabel::Fixate
    } else {
        TrialLabel::Class(first)
    }
}

fn rule(b: &mut TrialBuilder, rule_index: usize) {
    let n = b.n_steps();
    b.add_input(0..n, N_STIM_INPUTS + rule_index, 1.0);
}

/// One trial of `variant` with rule unit `rule.0` in a block of `rule.1`; `env_delays_ms`
/// are the match family's per-modality delays of the authors' form.
pub fn generate(
    variant: Variant,
    config: &NgymConfig,
    rule: (usize, usize),
    env_delays_ms: [f64; 2],
    rng: &mut SimRng,
) -> (Trial, Conditions) {
    let (rule_index, n_rules) = rule;
    let n_inputs = N_STIM_INPUTS + n_rules;
    let (mut b, label, conditions) = match variant.base.family() {
        Family::Go { anti, reaction } => go(variant, (anti, reaction), config, n_inputs, rng),
        Family::Dm { delayed, weights } => dm(variant, delayed, weights, config, n_inputs, rng),
        Family::Match {
            category,
            go_on_match,
        } => matching(
            variant,
            (category, go_on_match),
            (config, env_delays_ms),
            n_inputs,
            rng,
        ),
    };
    self::rule(&mut b, rule_index);
    (b.build(label), conditions)
}

fn go(
    variant: Variant,
    (anti, reaction): (bool, bool),
    config: &NgymConfig,
    n_inputs: usize,
    rng: &mut SimRng,
) -> (TrialBuilder, TrialLabel, Conditions) {
    let form = config.variant;
    let gt = rng.below(N_RING);
    let modality = rng.below(2);
    let delay_ms = if variant.int != 0 {
        *rng.choose(&INT_DELAYS_MS)
    } else {
        500.0
    };
    let decision = steps(decision_ms(variant, form, reaction, 500.0));
    // the authors: mod(theta[gt] + int·ω·delay + anti·π, 2π), ω·delay in radians
    let rotation = match form {
        NgymForm::Authors => f64::from(variant.int) * OMEGA_RING_PER_MS * delay_ms,
        NgymForm::Corrected => 0.0,
    };
    let centre = (unit_angle(gt) + rotation + if anti { PI } else { 0.0 }).rem_euclid(2.0 * PI);
    let stim = bump(centre, 1.0);
    let first = 1 + N_RING * modality;
    let mut b = if reaction {
        let mut b = TrialBuilder::new(
            &[("fixation", steps(500.0)), ("decision", decision)],
            n_inputs,
            N_OUTPUTS,
        );
        b.add_input(b.range("fixation"), 0, 1.0);
        b.add_input_vector(b.range("decision"), first, &stim);
        b
    } else {
        let periods = [
            ("fixation", steps(500.0)),
            ("stimulus", steps(500.0)),
            ("delay", steps(delay_ms)),
            ("decision", decision),
        ];
        let mut b = TrialBuilder::new(&periods, n_inputs, N_OUTPUTS);
        b.add_input(b.span("fixation", "delay"), 0, 1.0);
        b.add_input_vector(b.range("stimulus"), first, &stim);
        b
    };
    let delay_ms = if reaction { 0.0 } else { delay_ms };
    let target = match form {
        NgymForm::Authors => gt,
        NgymForm::Corrected => int_shifted(form, gt, variant.int, delay_ms),
    };
    let label = set_response(&mut b, config, variant, Some(target));
    let conditions = Conditions {
        modality: Some(modality),
        stim1: gt,
        stim2: gt,
        stim_centre_rad: centre,
        strengths: [(1.0, 1.0), (0.0, 0.0)],
        delay_ms,
        target: Some(target),
    };
    (b, label, conditions)
}

fn dm(
    variant: Variant,
    delayed: bool,
    weights: [f64; 2],
    config: &NgymConfig,
    n_inputs: usize,
    rng: &mut SimRng,
) -> (TrialBuilder, TrialLabel, Conditions) {
    let fixation = steps(floor_to_dt(rng.uniform_in(200.0, 500.0)));
    let decision = steps(decision_ms(variant, config.variant, false, 200.0));
    let periods: Vec<(&str, usize)> = if delayed {
        vec![
            ("fixation", fixation),
            ("stim1", steps(500.0)),
            ("delay", steps(500.0)),
            ("stim2", steps(500.0)),
            ("decision", decision),
        ]
    } else {
        vec![
            ("fixation", fixation),
            ("stimulus", steps(500.0)),
            ("decision", decision),
        ]
    };
    let mut b = TrialBuilder::new(&periods, n_inputs, N_OUTPUTS);
    let pre = 0..b.range("decision").start;
    b.add_input(pre, 0, 1.0);
    let (p1, p2) = if delayed {
        ("stim1", "stim2")
    } else {
        ("stimulus", "stimulus")
    };
    let i1 = rng.below(N_RING);
    let i2 = loop {
        let i = rng.below(N_RING);
        if i != i1 {
            break i;
        }
    };
    add_noise(&mut b, rng, config, p1, 0..N_STIM_INPUTS);
    if delayed {
        add_noise(&mut b, rng, config, p2, 0..N_STIM_INPUTS);
    }
    let mut strengths = [(0.0, 0.0); 2];
    let (mut total1, mut total2) = (0.0, 0.0);
    for (m, weight) in weights.iter().enumerate() {
        if *weight < 0.0 {
            continue; // modality not shown
        }
        let (s1, s2) = if delayed {
            let pair = rng.sample_distinct(DLY_DM_STRENGTHS.len(), 2);
            (DLY_DM_STRENGTHS[pair[0]], DLY_DM_STRENGTHS[pair[1]])
        } else {
            let coh = rng.choose(&DM_COHERENCES) * if rng.chance(0.5) { 1.0 } else { -1.0 };
            (0.5 + coh / 2.0, 0.5 - coh / 2.0)
        };
        strengths[m] = (s1, s2);
        total1 += weight * s1;
        total2 += weight * s2;
        let first = 1 + N_RING * m;
        b.add_input_vector(b.range(p1), first, &bump(unit_angle(i1), s1));
        b.add_input_vector(b.range(p2), first, &bump(unit_angle(i2), s2));
    }
    // the authors' tie break: coh1 + U(−1e-6, 1e-6) > coh2
    let winner = if total1 + rng.uniform_in(-1e-6, 1e-6) > total2 {
        i1
    } else {
        i2
    };
    let delay_ms = if delayed { 500.0 } else { 0.0 };
    let target = int_shifted(config.variant, winner, variant.int, delay_ms);
    let label = set_response(&mut b, config, variant, Some(target));
    let conditions = Conditions {
        modality: None,
        stim1: i1,
        stim2: i2,
        stim_centre_rad: unit_angle(i1),
        strengths,
        delay_ms,
        target: Some(target),
    };
    (b, label, conditions)
}

fn matching(
    variant: Variant,
    (category, go_on_match): (bool, bool),
    (config, env_delays_ms): (&NgymConfig, [f64; 2]),
    n_inputs: usize,
    rng: &mut SimRng,
) -> (TrialBuilder, TrialLabel, Conditions) {
    let form = config.variant;
    let is_match = rng.chance(0.5);
    let modality = rng.below(2);
    let delay_ms = if variant.int != 0 {
        *rng.choose(&INT_DELAYS_MS)
    } else {
        match form {
            NgymForm::Authors => env_delays_ms[modality],
            NgymForm::Corrected => floor_to_dt(rng.uniform_in(200.0, 1200.0)),
        }
    };
    let half = N_RING / 2;
    let sample = rng.below(N_RING);
    let test = if category {
        // The authors' rule: category 1 iff the sample index is > 8 (index 8 is category 0).
        let sample_category = usize::from(sample > half);
        let test_category = if is_match {
            sample_category
        } else {
            1 - sample_category
        };
        rng.below(half) + test_category * half
    } else if is_match {
        sample
    } else {
        (sample + half) % N_RING
    };
    let periods = [
        ("fixation", steps(300.0)),
        ("sample", steps(500.0)),
        ("delay", steps(delay_ms)),
        ("test", steps(500.0)),
        ("decision", steps(decision_ms(variant, form, false, 900.0))),
    ];
    let mut b = TrialBuilder::new(&periods, n_inputs, N_OUTPUTS);
    b.add_input(b.span("fixation", "test"), 0, 1.0);
    let first = 1 + N_RING * modality;
    b.add_input_vector(b.range("sample"), first, &bump(unit_angle(sample), 1.0));
    b.add_input_vector(b.range("test"), first, &bump(unit_angle(test), 1.0));
    for period in ["sample", "test"] {
        add_noise(&mut b, rng, config, period, first..first + N_RING);
    }
    let respond = is_match == go_on_match;
    let target = respond.then(|| int_shifted(form, test, variant.int, delay_ms));
    let label = set_response(&mut b, config, variant, target);
    let conditions = Conditions {
        modality: Some(modality),
        stim1: sample,
        stim2: test,
        stim_centre_rad: unit_angle(sample),
        strengths: [(1.0, 1.0), (0.0, 0.0)],
        delay_ms,
        target,
    };
    (b, label, conditions)
}
