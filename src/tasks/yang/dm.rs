//! Decision-making family on one ring: DM 1, DM 2 (simultaneous) and Dly DM 1, Dly DM 2
//! (sequential). Respond to the stronger of two stimuli.

use super::render::{periods_ms, pick, random_sign, wrap, Goal, Plan, Stim};
use super::YangKind;
use crate::rng::SimRng;
use std::f64::consts::PI;

/// Two locations at least π/2 apart: loc1 ~ U(0, 2π), loc2 = loc1 ± U(π/2, 3π/2).
pub(super) fn two_locations(rng: &mut SimRng) -> (f64, f64) {
    let dist = rng.uniform_in(0.5 * PI, 1.5 * PI) * random_sign(rng);
    let loc1 = rng.uniform_in(0.0, 2.0 * PI);
    (loc1, wrap(loc1 + dist))
}

/// Strengths `m ± c·sign`, m ~ U(0.8, 1.2), c from `cohs` (the paper's `contextdm_genstim`).
pub(super) fn strengths(rng: &mut SimRng, cohs: &[f64]) -> (f64, f64) {
    let mean = rng.uniform_in(0.8, 1.2);
    let coh = pick(rng, cohs);
    let sign = random_sign(rng);
    (mean + coh * sign, mean - coh * sign)
}

/// Coherences of the simultaneous DM tasks.
pub(super) const COHS: [f64; 4] = [0.01, 0.02, 0.04, 0.08];
/// Coherences of the delayed DM tasks.
pub(super) const DELAY_COHS: [f64; 3] = [0.08, 0.16, 0.32];

/// Periods of the simultaneous DM tasks: fixation U(100, 400), stim1 {400, 800, 1600}, go 500.
pub(super) fn simultaneous_periods(rng: &mut SimRng, dt: f64) -> Vec<(&'static str, usize)> {
    let fixation = rng.uniform_in(100.0, 400.0);
    let stim1 = pick(rng, &[400.0, 800.0, 1600.0]);
    periods_ms(
        &[("fixation", fixation), ("stim1", stim1), ("go", 500.0)],
        dt,
    )
}

/// Periods of the delayed DM tasks.
pub(super) fn sequential_periods(rng: &mut SimRng, dt: f64) -> Vec<(&'static str, usize)> {
    let fixation = pick(rng, &[200.0, 400.0, 600.0]);
    let stim1 = pick(rng, &[200.0, 400.0, 600.0]);
    let delay1 = pick(rng, &[200.0, 400.0, 800.0, 1600.0]);
    let stim2 = pick(rng, &[200.0, 400.0, 600.0]);
    let delay2 = rng.uniform_in(100.0, 300.0);
    periods_ms(
        &[
            ("fixation", fixation),
            ("stim1", stim1),
            ("delay1", delay1),
            ("stim2", stim2),
            ("delay2", delay2),
            ("go", 500.0),
        ],
        dt,
    )
}

/// On/off periods of stimulus 1 and 2: both in `stim1` (simultaneous) or one after the other.
pub(super) fn windows(delayed: bool) -> [(&'static str, Option<&'static str>); 2] {
    if delayed {
        [("stim1", Some("delay1")), ("stim2", Some("delay2"))]
    } else {
        [("stim1", Some("go")), ("stim1", Some("go"))]
    }
}

pub(super) fn plan(kind: YangKind, rng: &mut SimRng, dt: f64) -> Plan {
    let delayed = matches!(kind, YangKind::DelayDm1 | YangKind::DelayDm2);
    let ring = usize::from(matches!(kind, YangKind::Dm2 | YangKind::DelayDm2));
    let (loc1, loc2) = two_locations(rng);
    let (s1, s2) = strengths(rng, if delayed { &DELAY_COHS } else { &COHS });
    let periods = if delayed {
        sequential_periods(rng, dt)
    } else {
        simultaneous_periods(rng, dt)
    };
    let [w1, w2] = windows(delayed);
    Plan {
        periods,
        stims: vec![
            Stim {
                ring,
                loc: loc1,
                strength: s1,
                on: w1.0,
                off: w1.1,
            },
            Stim {
                ring,
                loc: loc2,
                strength: s2,
                on: w2.0,
                off: w2.1,
            },
        ],
        fix_input_off: true,
        goal: Goal::Go(if s1 > s2 { loc1 } else { loc2 }),
    }
}
