//! Go / Anti family: Go, RT Go, Dly Go, Anti, RT Anti, Dly Anti (one stimulus on a random
//! ring; respond towards it, or opposite for Anti).

use super::render::{periods_ms, pick, wrap, Goal, Plan, Stim};
use super::YangKind;
use crate::rng::SimRng;
use std::f64::consts::PI;

pub(super) fn plan(kind: YangKind, rng: &mut SimRng, dt: f64) -> Plan {
    let loc = rng.uniform_in(0.0, 2.0 * PI);
    let ring = rng.below(2);
    let anti = matches!(
        kind,
        YangKind::Anti | YangKind::ReactAnti | YangKind::DelayAnti
    );
    let response = if anti { wrap(loc + PI) } else { loc };
    let stim = |on, off| Stim {
        ring,
        loc,
        strength: 1.0,
        on,
        off,
    };
    match kind {
        YangKind::ReactGo | YangKind::ReactAnti => Plan {
            periods: periods_ms(
                &[("fixation", rng.uniform_in(500.0, 2500.0)), ("go", 500.0)],
                dt,
            ),
            stims: vec![stim("go", None)],
            fix_input_off: false,
            goal: Goal::Go(response),
        },
        YangKind::DelayGo | YangKind::DelayAnti => {
            let fixation = pick(rng, &[300.0, 500.0, 700.0]);
            let stim1 = pick(rng, &[200.0, 400.0, 600.0]);
            let delay1 = pick(rng, &[200.0, 400.0, 800.0, 1600.0]);
            Plan {
                periods: periods_ms(
                    &[
                        ("fixation", fixation),
                        ("stim1", stim1),
                        ("delay1", delay1),
                        ("go", 500.0),
                    ],
                    dt,
                ),
                stims: vec![stim("stim1", Some("delay1"))],
                fix_input_off: true,
                goal: Goal::Go(response),
            }
        }
        _ => {
            let fixation = rng.uniform_in(300.0, 700.0);
            let stim1 = rng.uniform_in(500.0, 1500.0);
            Plan {
                periods: periods_ms(
                    &[("fixation", fixation), ("stim1", stim1), ("go", 500.0)],
                    dt,
                ),
                stims: vec![stim("stim1", None)],
                fix_input_off: true,
                goal: Goal::Go(response),
            }
        }
    }
}
