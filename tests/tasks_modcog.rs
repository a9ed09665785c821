//! Mod-Cog extensions of the Yang tasks.

use sparse_rnn_lab::rng::SimRng;
use sparse_rnn_lab::tasks::modcog::{self, MODCOG_OMEGA_RAD_PER_MS, MODCOG_TASK_COUNT};
use sparse_rnn_lab::tasks::yang::render::circular_distance;
use sparse_rnn_lab::tasks::yang::{Extension, Turn, YangConfig, YangKind, YangTask};
use sparse_rnn_lab::tasks::{Task, TrialLabel};
use std::f64::consts::PI;

fn quiet() -> YangConfig {
    YangConfig {
        sigma_x: 0.0,
        ..Default::default()
    }
}

/// Population-vector direction of the ring target at step `t` (test-side decoder).
fn target_direction(trial: &sparse_rnn_lab::tasks::Trial, t: usize) -> f64 {
    let (mut c, mut s) = (0.0, 0.0);
    for k in 0..32 {
        let y = (trial.targets[[t, 1 + k]] - 0.05) as f64;
        let a = 2.0 * PI * k as f64 / 32.0;
        c += y * a.cos();
        s += y * a.sin();
    }
    s.atan2(c).rem_euclid(2.0 * PI)
}

#[test]
fn the_battery_has_the_documented_size_and_rule_width() {
    assert_eq!(modcog::variants().len(), MODCOG_TASK_COUNT);
    assert_eq!(MODCOG_TASK_COUNT, 20 + 20 * 2 + 11 * 2 + 11 * 4);
    let tasks = modcog::all_tasks(&quiet()).unwrap();
    assert_eq!(tasks.len(), 126);
    let seq = tasks
        .iter()
        .filter(|t| t.ext.seq.is_some() && t.ext.int.is_none())
        .count();
    let int = tasks
        .iter()
        .filter(|t| t.ext.int.is_some() && t.ext.seq.is_none())
        .count();
    assert_eq!((seq, int), (40, 22));
    let mut rng = SimRng::new(1);
    for (i, task) in tasks.iter().enumerate().step_by(9) {
        assert_eq!(
            (task.spec().n_inputs, task.spec().n_outputs),
            (1 + 64 + 126, 33)
        );
        let trial = task.trial(&mut rng);
        let rules: Vec<usize> = (65..191).filter(|c| trial.inputs[[0, *c]] == 1.0).collect();
        assert_eq!(rules, vec![65 + i], "{}", task.spec().id);
    }
    // a sub-battery has a rule block of its own size
    let sub = modcog::tasks(&["modcog-go", "modcog-dmsgo-intl-seqr"], &quiet()).unwrap();
    assert_eq!(sub[1].spec().n_inputs, 67);
    assert!(
        modcog::tasks(&["modcog-go-intr"], &quiet()).is_err(),
        "go has no delay"
    );
}

#[test]
fn seq_rotates_the_target_during_a_1000_ms_response() {
    for turn in [Turn::Right, Turn::Left] {
        let ext = Extension {
            int: None,
            seq: Some(turn),
        };
        let task = YangTask::extended(YangKind::Go, quiet(), ext, 0, 60).unwrap();
        let base = YangTask::new(YangKind::Go, quiet()).unwrap();
        let trial = task.trial(&mut SimRng::new(3));
        let plain = base.trial(&mut SimRng::new(3));
        let go = trial.period("go").unwrap().clone();
        assert_eq!(go.end - go.start, 50, "1000 ms at dt 20");
        let start = target_direction(&trial, go.start);
        let TrialLabel::Angle(base_loc) = plain.label else {
            panic!()
        };
        assert!(
            circular_distance(start, base_loc) < 0.01,
            "starts at the base target"
        );
        let end = target_direction(&trial, go.end - 1);
        let expected = start + turn.sign() * MODCOG_OMEGA_RAD_PER_MS * 49.0 * 20.0;
        assert!(
            circular_distance(end, expected) < 0.01,
            "{end} vs {expected}"
        );
        let TrialLabel::Angle(label) = trial.label else {
            panic!()
        };
        assert!(circular_distance(label, expected) < 0.01);
        assert_eq!(task.score(&trial, trial.targets.view()), 1.0);
        // holding the initial direction is wrong at the end
        let mut held = trial.targets.clone();
        for t in go.start..go.end {
            for k in 0..33 {
                held[[t, k]] = trial.targets[[go.start, k]];
            }
        }
        assert_eq!(task.score(&trial, held.view()), 0.0);
    }
}

#[test]
fn int_shifts_the_response_by_the_delay() {
    for kind in [YangKind::DelayGo, YangKind::DelayDm1, YangKind::DmsGo] {
        for turn in [Turn::Right, Turn::Left] {
            let ext = Extension {
                int: Some(turn),
                seq: None,
            };
            let task = YangTask::extended(kind, quiet(), ext, 0, 2).unwrap();
            let base = YangTask::new(kind, quiet()).unwrap();
            for seed in 0..20 {
                let trial = task.trial(&mut SimRng::new(seed));
                let plain = base.trial(&mut SimRng::new(seed));
                let (TrialLabel::Angle(shifted), TrialLabel::Angle(loc)) =
                    (&trial.label, &plain.label)
                else {
                    continue;
                };
                let delay = trial.period("delay1").unwrap();
                let ms = (delay.end - delay.start) as f64 * 20.0;
                let expected = loc + turn.sign() * MODCOG_OMEGA_RAD_PER_MS * ms;
                assert!(circular_distance(*shifted, expected) < 1e-9, "{kind:?}");
                // 1600 ms is exactly one turn at this speed (as on Mod-Cog's 16-unit ring)
                assert!(ms == 1600.0 || circular_distance(*shifted, *loc) > 0.7);
                let go = trial.period("go").unwrap().start;
                assert!(circular_distance(target_direction(&trial, go + 1), expected) < 0.01);
                // the inputs are those of the base task (same seed), only the rule differs
                assert_eq!(trial.inputs.column(5), plain.inputs.column(5));
            }
        }
    }
}

#[test]
fn ids_build_and_are_reproducible() {
    let task = modcog::task("modcog-contextdelaydm1-intl-seqr", &YangConfig::default()).unwrap();
    assert_eq!(task.spec().id, "modcog-contextdelaydm1-intl-seqr");
    assert_eq!(
        task.trial(&mut SimRng::new(8)),
        task.trial(&mut SimRng::new(8))
    );
    assert!(modcog::task("modcog-nothing", &quiet()).is_err());
}
