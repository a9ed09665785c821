//! Context and multisensory decision making: Ctx DM 1/2, MultSen DM and their delayed
//! versions. Both rings carry a pair of stimuli at the same two locations.

use super::dm::{
    sequential_periods, simultaneous_periods, strengths, two_locations, windows, COHS, DELAY_COHS,
};
use super::render::{random_sign, Goal, Plan, Stim};
use super::YangKind;
use crate::rng::SimRng;

pub(super) fn plan(kind: YangKind, rng: &mut SimRng, dt: f64) -> Plan {
    use YangKind::*;
    let delayed = matches!(kind, ContextDelayDm1 | ContextDelayDm2 | MultiDelayDm);
    let cohs: &[f64] = if delayed { &DELAY_COHS } else { &COHS };
    let (loc1, loc2) = two_locations(rng);
    // [stimulus][ring] strengths
    let (mut s, total) = if matches!(kind, MultiDm | MultiDelayDm) {
        let (t1, t2) = strengths(rng, cohs);
        let mut split = |total: f64| {
            let diff = total * rng.uniform_in(0.2, 0.8) * random_sign(rng);
            [total + diff / 2.0, total - diff / 2.0]
        };
        let s = [split(t1), split(t2)];
        (s, (s[0][0] + s[0][1], s[1][0] + s[1][1]))
    } else {
        let (a1, a2) = strengths(rng, cohs);
        let (b1, b2) = strengths(rng, cohs);
        let s = [[a1, b1], [a2, b2]];
        let ring = usize::from(matches!(kind, ContextDm2 | ContextDelayDm2));
        (s, (s[0][ring], s[1][ring]))
    };
    let periods = if delayed {
        sequential_periods(rng, dt)
    } else {
        simultaneous_periods(rng, dt)
    };
    let windows = windows(delayed);
    let mut stims = Vec::with_capacity(4);
    for (stimulus, (loc, window)) in [(loc1, windows[0]), (loc2, windows[1])].iter().enumerate() {
        for (ring, strength) in s[stimulus].iter_mut().enumerate() {
            stims.push(Stim {
                ring,
                loc: *loc,
                strength: *strength,
                on: window.0,
                off: window.1,
            });
        }
    }
    Plan {
        periods,
        stims,
        fix_input_off: true,
        goal: Goal::Go(if total.0 > total.1 { loc1 } else { loc2 }),
    }
}
