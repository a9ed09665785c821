//! Delayed match family: DMS, DNMS (match to sample) and DMC, DNMC (match to category).
//! The fixation input stays on; the test stimulus (start of `go`) is the response cue.

use super::render::{periods_ms, pick, random_sign, wrap, Goal, Plan, Stim};
use super::YangKind;
use crate::rng::SimRng;
use std::f64::consts::PI;

/// Locations of the DMC tasks, in units of π.
const DMC_LOCATIONS: [f64; 10] = [0.1, 0.3, 0.5, 0.7, 0.9, 1.1, 1.3, 1.5, 1.7, 1.9];

pub(super) fn plan(kind: YangKind, rng: &mut SimRng, dt: f64) -> Plan {
    let ring1 = rng.below(2);
    let ring2 = rng.below(2);
    let category = matches!(kind, YangKind::DmcGo | YangKind::DmcNogo);
    let (loc1, loc2, matched) = if category {
        let loc1 = pick(rng, &DMC_LOCATIONS) * PI;
        let loc2 = pick(rng, &DMC_LOCATIONS) * PI;
        (loc1, loc2, (loc1 < PI) == (loc2 < PI))
    } else {
        let matched = rng.chance(0.5);
        let dist = rng.uniform_in(PI / 9.0, 17.0 * PI / 9.0) * random_sign(rng);
        let loc1 = rng.uniform_in(0.0, 2.0 * PI);
        let loc2 = if matched { loc1 } else { wrap(loc1 + dist) };
        (loc1, loc2, matched)
    };
    let fixation = pick(rng, &[200.0, 400.0, 600.0]);
    let stim1 = pick(rng, &[200.0, 400.0, 600.0]);
    let delay1 = pick(rng, &[200.0, 400.0, 800.0, 1600.0]);
    let go = if category {
        pick(rng, &[200.0, 400.0, 600.0])
    } else {
        500.0
    };
    let respond_on_match = matches!(kind, YangKind::DmsGo | YangKind::DmcGo);
    Plan {
        periods: periods_ms(
            &[
                ("fixation", fixation),
                ("stim1", stim1),
                ("delay1", delay1),
                ("go", go),
            ],
            dt,
        ),
        stims: vec![
            Stim {
                ring: ring1,
                loc: loc1,
                strength: 1.0,
                on: "stim1",
                off: Some("delay1"),
            },
            Stim {
                ring: ring2,
                loc: loc2,
                strength: 1.0,
                on: "go",
                off: None,
            },
        ],
        fix_input_off: false,
        goal: if matched == respond_on_match {
            Goal::Go(loc2)
        } else {
            Goal::Fixate
        },
    }
}
