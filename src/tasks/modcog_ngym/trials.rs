//! Trial generation of the three Mod-Cog families in the authors' neurogym form (go, DM,
//! delay-match); see the parent module for the conventions and where we deviate.

use super::{
    Base, Family, NgymConfig, Variant, DT_MS, N_OUTPUTS, N_RING, N_STIM_INPUTS, OMEGA_RING_PER_MS,
    SEQ_DECISION_MS,
};
use crate::math::exp;
use crate::rng::SimRng;
use crate::tasks::timing::ms_to_steps;
use crate::tasks::{Trial, TrialBuilder, TrialLabel};
use std::f64::consts::PI;

/// Width of the Gaussian bump (radians) and its peak value (Mod-Cog's `_gaussianbump`).
pub const BUMP_WIDTH_RAD: f64 = PI / 8.0;
/// Peak of the Gaussian bump before the strength factor.
pub const BUMP_AMPLITUDE: f64 = 0.8;
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
    /// Strengths `(first, second)` per modality (DM only; 0 for an absent modality).
    pub strengths: [(f64, f64); 2],
    /// Delay duration in ms (0 for tasks without a delay).
    pub delay_ms: f64,
    /// Ring index the response starts at (after the int shift); `None` = fixate.
    pub target: Option<usize>,
}

/// Periodic distance between two angles.
fn ring_distance(a: f64, b: f64) -> f64 {
    let d = (a - b).rem_euclid(2.0 * PI);
    d.min(2.0 * PI - d)
}

/// Angle of ring unit `i` (unit 0 at angle 0, spacing 2π/16).
pub fn unit_angle(i: usize) -> f64 {
    2.0 * PI * i as f64 / N_RING as f64
}

/// The 16 values of a Gaussian bump centred at `centre` (radians), times `strength`.
pub fn bump(centre: f64, strength: f64) -> Vec<f32> {
    (0..N_RING)
        .map(|i| {
            let d = ring_distance(centre, unit_angle(i)) / BUMP_WIDTH_RAD;
            (BUMP_AMPLITUDE * exp(-d * d / 2.0) * strength) as f32
        })
        .collect()
}

fn steps(ms: f64) -> usize {
    ms_to_steps(ms, DT_MS)
}

/// Shift of the response in ring units for an int variant: `int · 0.01 · delay_ms`.
fn int_shift(variant: Variant, delay_ms: f64) -> i64 {
    variant.int as i64 * (OMEGA_RING_PER_MS * delay_ms).round() as i64
}

fn decision_ms(variant: Variant, plain_ms: f64) -> f64 {
    if variant.seq != 0 {
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

/// Targets: fixation (output 0) before the decision period; during it output
/// `1 + (target + seq·t) mod 16` at decision step t (seq moves one ring unit per step), or
/// fixation throughout when `target` is `None`. Loss weight 1 before the decision period
/// and `config.decision_weight` during it.
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
    match target {
        None => {
            b.set_target(decision, 0, 1.0);
            TrialLabel::Fixate
        }
        Some(target) => {
            for (t, step) in decision.enumerate() {
                let unit =
                    (target as i64 + variant.seq as i64 * t as i64).rem_euclid(N_RING as i64);
                b.set_target(step..step + 1, 1 + unit as usize, 1.0);
            }
            TrialLabel::Class(1 + target)
        }
    }
}

fn rule(b: &mut TrialBuilder, rule_index: usize) {
    let n = b.n_steps();
    b.add_input(0..n, N_STIM_INPUTS + rule_index, 1.0);
}

/// One trial of `variant` with rule unit `rule_index` in a block of `n_rules`.
pub fn generate(
    variant: Variant,
    config: &NgymConfig,
    rule_index: usize,
    n_rules: usize,
    rng: &mut SimRng,
) -> (Trial, Conditions) {
    let n_inputs = N_STIM_INPUTS + n_rules;
    let (mut b, label, conditions) = match variant.base.family() {
        Family::Go { anti, reaction } => go(variant, anti, reaction, config, n_inputs, rng),
        Family::Dm { delayed, weights } => dm(variant, delayed, weights, config, n_inputs, rng),
        Family::Match {
            category,
            go_on_match,
        } => matching(variant, category, go_on_match, config, n_inputs, rng),
    };
    rule(&mut b, rule_index);
    (b.build(label), conditions)
}

fn go(
    variant: Variant,
    anti: bool,
    reaction: bool,
    config: &NgymConfig,
    n_inputs: usize,
    rng: &mut SimRng,
) -> (TrialBuilder, TrialLabel, Conditions) {
    let gt = rng.below(N_RING);
    let modality = rng.below(2);
    let delay_ms = if variant.int != 0 {
        *rng.choose(&INT_DELAYS_MS)
    } else {
        500.0
    };
    let decision = steps(decision_ms(variant, 500.0));
    let centre = unit_angle(gt) + if anti { PI } else { 0.0 };
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
    let target = (gt as i64 + int_shift(variant, delay_ms)).rem_euclid(N_RING as i64) as usize;
    let label = set_response(&mut b, config, variant, Some(target));
    let conditions = Conditions {
        modality: Some(modality),
        stim1: gt,
        stim2: gt,
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
    let fixation = steps(rng.uniform_in(200.0, 500.0));
    let decision = steps(decision_ms(variant, 200.0));
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
    let winner = if total1 > total2 || (total1 == total2 && rng.chance(0.5)) {
        i1
    } else {
        i2
    };
    let delay_ms = if delayed { 500.0 } else { 0.0 };
    let target = (winner as i64 + int_shift(variant, delay_ms)).rem_euclid(N_RING as i64) as usize;
    let label = set_response(&mut b, config, variant, Some(target));
    let conditions = Conditions {
        modality: None,
        stim1: i1,
        stim2: i2,
        strengths,
        delay_ms,
        target: Some(target),
    };
    (b, label, conditions)
}

fn matching(
    variant: Variant,
    category: bool,
    go_on_match: bool,
    config: &NgymConfig,
    n_inputs: usize,
    rng: &mut SimRng,
) -> (TrialBuilder, TrialLabel, Conditions) {
    let is_match = rng.chance(0.5);
    let delay_ms = if variant.int != 0 {
        *rng.choose(&INT_DELAYS_MS)
    } else {
        DT_MS * steps(rng.uniform_in(200.0, 1200.0)) as f64
    };
    let modality = rng.below(2);
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
        ("decision", steps(decision_ms(variant, 900.0))),
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
    let target = respond
        .then(|| (test as i64 + int_shift(variant, delay_ms)).rem_euclid(N_RING as i64) as usize);
    let label = set_response(&mut b, config, variant, target);
    let conditions = Conditions {
        modality: Some(modality),
        stim1: sample,
        stim2: test,
        strengths: [(1.0, 1.0), (0.0, 0.0)],
        delay_ms,
        target,
    };
    (b, label, conditions)
}

/// Whether `base` has a delay period an int variant can act on (the README's 11 tasks).
pub fn int_able(base: Base) -> bool {
    use Base::*;
    matches!(
        base,
        DlyGo
            | DlyAnti
            | DlyDm1
            | DlyDm2
            | CtxDlyDm1
            | CtxDlyDm2
            | MultiDlyDm
            | Dms
            | Dnms
            | Dmc
            | Dnmc
    )
}
