//! Yang et al. 2019 tasks against the published specification.

use sparse_rnn_lab::rng::SimRng;
use sparse_rnn_lab::tasks::yang::render::{circular_distance, preferred};
use sparse_rnn_lab::tasks::yang::{YangConfig, YangKind, YangTask, N_INPUTS, N_OUTPUTS};
use sparse_rnn_lab::tasks::{Task, Trial, TrialLabel};
use std::f64::consts::PI;

const DT: f64 = 20.0;

/// How a period's duration is distributed (ms).
enum D {
    Fixed(f64),
    Choice(&'static [f64]),
    Uniform(f64, f64),
}

fn expected_periods(kind: YangKind) -> Vec<(&'static str, D)> {
    use YangKind::*;
    use D::*;
    const DELAY: &[f64] = &[200.0, 400.0, 800.0, 1600.0];
    const SHORT: &[f64] = &[200.0, 400.0, 600.0];
    match kind {
        Go | Anti => vec![
            ("fixation", Uniform(300.0, 700.0)),
            ("stim1", Uniform(500.0, 1500.0)),
            ("go", Fixed(500.0)),
        ],
        ReactGo | ReactAnti => vec![("fixation", Uniform(500.0, 2500.0)), ("go", Fixed(500.0))],
        DelayGo | DelayAnti => vec![
            ("fixation", Choice(&[300.0, 500.0, 700.0])),
            ("stim1", Choice(SHORT)),
            ("delay1", Choice(DELAY)),
            ("go", Fixed(500.0)),
        ],
        Dm1 | Dm2 | ContextDm1 | ContextDm2 | MultiDm => vec![
            ("fixation", Uniform(100.0, 400.0)),
            ("stim1", Choice(&[400.0, 800.0, 1600.0])),
            ("go", Fixed(500.0)),
        ],
        DelayDm1 | DelayDm2 | ContextDelayDm1 | ContextDelayDm2 | MultiDelayDm => vec![
            ("fixation", Choice(SHORT)),
            ("stim1", Choice(SHORT)),
            ("delay1", Choice(DELAY)),
            ("stim2", Choice(SHORT)),
            ("delay2", Uniform(100.0, 300.0)),
            ("go", Fixed(500.0)),
        ],
        DmsGo | DmsNogo => vec![
            ("fixation", Choice(SHORT)),
            ("stim1", Choice(SHORT)),
            ("delay1", Choice(DELAY)),
            ("go", Fixed(500.0)),
        ],
        DmcGo | DmcNogo => vec![
            ("fixation", Choice(SHORT)),
            ("stim1", Choice(SHORT)),
            ("delay1", Choice(DELAY)),
            ("go", Choice(SHORT)),
        ],
    }
}

fn quiet(kind: YangKind) -> YangTask {
    YangTask::new(
        kind,
        YangConfig {
            sigma_x: 0.0,
            ..Default::default()
        },
    )
    .unwrap()
}

fn ring(trial: &Trial, t: usize, first: usize, array: &ndarray::Array2<f32>) -> Vec<f32> {
    let _ = trial;
    (0..32).map(|k| array[[t, first + k]]).collect()
}

/// Unit with the largest value.
fn argmax(v: &[f32]) -> usize {
    (0..v.len()).fold(0, |b, k| if v[k] > v[b] { k } else { b })
}

fn nearest_unit(angle: f64) -> usize {
    (0..32).fold(0, |b, k| {
        if circular_distance(angle, preferred(k)) < circular_distance(angle, preferred(b)) {
            k
        } else {
            b
        }
    })
}

/// Stimulus drive of ring `r` (0/1) at unit `k`, during step `t`.
fn drive(trial: &Trial, t: usize, r: usize, k: usize) -> f32 {
    trial.inputs[[t, 1 + 32 * r + k]]
}

fn check_structure(kind: YangKind, trial: &Trial) {
    let n = trial.n_steps();
    assert_eq!(trial.inputs.dim(), (n, N_INPUTS));
    assert_eq!(trial.targets.dim(), (n, N_OUTPUTS));
    // periods, in order, covering the trial, durations from the published distributions
    let expected = expected_periods(kind);
    assert_eq!(trial.periods.len(), expected.len(), "{kind:?}");
    let mut start = 0;
    for (p, (name, dist)) in trial.periods.iter().zip(&expected) {
        assert_eq!((p.name.as_str(), p.start), (*name, start), "{kind:?}");
        let ms = (p.end - p.start) as f64 * DT;
        let ok = match dist {
            D::Fixed(v) => ms == *v,
            D::Choice(vs) => vs.contains(&ms),
            D::Uniform(lo, hi) => ms >= lo - DT && ms <= *hi,
        };
        assert!(ok, "{kind:?} {name} lasted {ms} ms");
        start = p.end;
    }
    assert_eq!(start, n);
    let go = trial.period("go").unwrap().clone();
    // rule: one-hot on the task's unit throughout
    for t in 0..n {
        for r in 0..20 {
            assert_eq!(trial.inputs[[t, 65 + r]], (r == kind.index()) as u8 as f32);
        }
    }
    // fixation input: off from `go` on, except in the tasks cued by the stimulus itself
    let fixation_stays = matches!(
        kind,
        YangKind::ReactGo
            | YangKind::ReactAnti
            | YangKind::DmsGo
            | YangKind::DmsNogo
            | YangKind::DmcGo
            | YangKind::DmcNogo
    );
    for t in 0..n {
        let on = t < go.start || fixation_stays;
        assert_eq!(
            trial.inputs[[t, 0]],
            on as u8 as f32,
            "{kind:?} fixation input at {t}"
        );
    }
    // no stimulus during the fixation period
    let fix = trial.period("fixation").unwrap();
    assert!((fix.start..fix.end).all(|t| (1..65).all(|c| trial.inputs[[t, c]] == 0.0)));
    // targets: fixation output 0.8 before the response then 0.05 (0.8 throughout on no-go)
    let nogo = trial.label == TrialLabel::Fixate;
    for t in 0..n {
        let fixating = t < go.start || nogo;
        assert_eq!(trial.targets[[t, 0]], if fixating { 0.8 } else { 0.05 });
        let target_ring = ring(trial, t, 1, &trial.targets);
        if fixating {
            assert!(
                target_ring.iter().all(|v| *v == 0.05),
                "{kind:?} ring target before go"
            );
        }
    }
    if let TrialLabel::Angle(loc) = trial.label {
        let t = go.start + 1;
        let target_ring = ring(trial, t, 1, &trial.targets);
        assert_eq!(
            argmax(&target_ring),
            nearest_unit(loc),
            "{kind:?} bump centre"
        );
        let peak = target_ring[argmax(&target_ring)];
        assert!(peak > 0.8 && peak <= 0.85 + 1e-6, "{peak}");
    }
    // mask: 0 for 100 ms, 1 (fixation ×2) before go, 0 for the 100 ms grace, then 5 (×2)
    for t in 0..n {
        let w = if t < 5 {
            0.0
        } else if t < go.start {
            1.0
        } else if t < go.start + 5 {
            0.0
        } else {
            5.0
        };
        assert_eq!(
            (trial.mask[[t, 0]], trial.mask[[t, 7]]),
            (2.0 * w, w),
            "{kind:?} mask at {t}"
        );
    }
}

/// Task-specific relation between stimuli and response.
/// Returns false when a DM trial is too close to call from the sampled bumps.
fn check_logic(kind: YangKind, trial: &Trial) -> bool {
    use YangKind::*;
    let go = trial.period("go").unwrap().clone();
    let probe = |name: &str| trial.period(name).unwrap().start;
    let peak_of = |t: usize, r: usize| {
        let v: Vec<f32> = (0..32).map(|k| drive(trial, t, r, k)).collect();
        (argmax(&v), v[argmax(&v)])
    };
    let active_ring = |t: usize| if peak_of(t, 0).1 > 0.0 { 0 } else { 1 };
    match kind {
        Go | Anti | ReactGo | ReactAnti | DelayGo | DelayAnti => {
            let t = if matches!(kind, ReactGo | ReactAnti) {
                go.start
            } else {
                probe("stim1")
            };
            let r = active_ring(t);
            let (unit, peak) = peak_of(t, r);
            assert!((peak - 0.8).abs() < 0.05, "stimulus strength 1");
            assert!(
                (0..32).all(|k| drive(trial, t, 1 - r, k) == 0.0),
                "one ring only"
            );
            let TrialLabel::Angle(loc) = trial.label else {
                panic!("go task must respond")
            };
            let anti = matches!(kind, Anti | ReactAnti | DelayAnti);
            let wanted = if anti {
                (nearest_unit(loc) + 16) % 32
            } else {
                nearest_unit(loc)
            };
            assert!(
                unit.abs_diff(wanted) <= 1 || unit.abs_diff(wanted) == 31,
                "{kind:?}"
            );
            let delayed = matches!(kind, DelayGo | DelayAnti);
            assert_eq!(
                drive(trial, go.start, r, unit) > 0.0,
                !delayed,
                "stimulus during go"
            );
        }
        DmsGo | DmsNogo | DmcGo | DmcNogo => {
            let (r1, r2) = (active_ring(probe("stim1")), active_ring(go.start));
            let (u1, u2) = (peak_of(probe("stim1"), r1).0, peak_of(go.start, r2).0);
            assert!(
                (probe("delay1")..go.start).all(|t| (1..65).all(|c| trial.inputs[[t, c]] == 0.0))
            );
            let matched = if matches!(kind, DmcGo | DmcNogo) {
                (u1 < 16) == (u2 < 16)
            } else {
                u1 == u2
            };
            let go_on_match = matches!(kind, DmsGo | DmcGo);
            match trial.label {
                TrialLabel::Angle(loc) => {
                    assert_eq!(
                        matched, go_on_match,
                        "{kind:?} responds only when it should"
                    );
                    assert_eq!(nearest_unit(loc), u2, "respond to the test stimulus");
                }
                _ => assert_eq!(matched, !go_on_match, "{kind:?}"),
            }
        }
        _ => {
            // DM family: the target is the location of the stronger (attended / summed) stimulus
            let TrialLabel::Angle(loc) = trial.label else {
                panic!("dm tasks always respond")
            };
            let (t1, t2) = match trial.period("stim2") {
                Some(p) => (probe("stim1"), p.start),
                None => (probe("stim1"), probe("stim1")),
            };
            let rings: Vec<usize> = match kind {
                Dm1 | DelayDm1 | ContextDm1 | ContextDelayDm1 => vec![0],
                Dm2 | DelayDm2 | ContextDm2 | ContextDelayDm2 => vec![1],
                _ => vec![0, 1],
            };
            let target_unit = nearest_unit(loc);
            let strength_at = |t: usize, unit: usize| {
                rings.iter().map(|r| drive(trial, t, *r, unit)).sum::<f32>()
            };
            // the two stimuli: find each one's peak unit (on a ring that carries it)
            let r0 = if matches!(kind, Dm2 | DelayDm2) { 1 } else { 0 };
            let u1 = peak_of(t1, r0).0;
            let u2 = if t1 == t2 {
                let v: Vec<f32> = (0..32)
                    .map(|k| {
                        if circular_distance(preferred(k), preferred(u1)) < PI / 3.0 {
                            -1.0
                        } else {
                            drive(trial, t2, r0, k)
                        }
                    })
                    .collect();
                argmax(&v)
            } else {
                peak_of(t2, r0).0
            };
            let (s1, s2) = (strength_at(t1, u1), strength_at(t2, u2));
            // sampling the bumps on 32 units blurs strengths by < 0.01: only clear trials
            if (s1 - s2).abs() < 0.02 {
                return false;
            }
            let winner = if s1 > s2 { u1 } else { u2 };
            assert!(
                winner.abs_diff(target_unit) <= 1 || winner.abs_diff(target_unit) == 31,
                "{kind:?} {s1} {s2}"
            );
            assert!(circular_distance(preferred(u1), preferred(u2)) >= PI / 2.0 - 0.2);
        }
    }
    true
}

fn check_score(task: &YangTask, trial: &Trial) {
    let ideal = trial.targets.clone();
    assert_eq!(
        task.score(trial, ideal.view()),
        1.0,
        "{:?} ideal output",
        task.kind
    );
    let go = trial.period("go").unwrap().clone();
    let n = trial.n_steps();
    // breaking fixation during the fixation period
    let mut broke = ideal.clone();
    let mid = (trial.period("fixation").unwrap().end + 5) / 2;
    broke[[mid, 0]] = 0.05;
    assert_eq!(task.score(trial, broke.view()), 0.0);
    match trial.label {
        TrialLabel::Angle(_) => {
            // wrong direction: rotate the ring output by half a turn
            let mut wrong = ideal.clone();
            for t in go.start..go.end {
                for k in 0..32 {
                    wrong[[t, 1 + k]] = ideal[[t, 1 + (k + 16) % 32]];
                }
            }
            assert_eq!(task.score(trial, wrong.view()), 0.0);
            // not releasing fixation
            let mut stuck = ideal.clone();
            stuck[[n - 1, 0]] = 0.8;
            assert_eq!(task.score(trial, stuck.view()), 0.0);
        }
        _ => {
            // saccading on a no-go trial
            let mut went = ideal.clone();
            went[[n - 1, 0]] = 0.05;
            went[[n - 1, 3]] = 0.85;
            assert_eq!(task.score(trial, went.view()), 0.0);
        }
    }
}

fn check_task(kind: YangKind) {
    let task = quiet(kind);
    assert_eq!(
        (
            task.spec().n_inputs,
            task.spec().n_outputs,
            task.spec().dt_ms
        ),
        (85, 33, 20.0)
    );
    assert_eq!(task.spec().id, format!("yang-{}", kind.short()));
    let mut rng = SimRng::new(kind.index() as u64 + 100);
    let mut labels = (0, 0);
    let mut decided = 0;
    for _ in 0..40 {
        let trial = task.trial(&mut rng);
        check_structure(kind, &trial);
        decided += usize::from(check_logic(kind, &trial));
        check_score(&task, &trial);
        if trial.label == TrialLabel::Fixate {
            labels.1 += 1
        } else {
            labels.0 += 1
        }
    }
    assert!(
        decided >= 10,
        "{kind:?}: only {decided} trials clear enough to check"
    );
    let nogo_tasks = matches!(
        kind,
        YangKind::DmsGo | YangKind::DmsNogo | YangKind::DmcGo | YangKind::DmcNogo
    );
    assert_eq!(labels.1 > 5, nogo_tasks, "{kind:?} go/no-go mix {labels:?}");
    // same seed, same trials (with input noise on)
    let noisy = YangTask::new(kind, YangConfig::default()).unwrap();
    let a = noisy.trial(&mut SimRng::new(9));
    assert_eq!(a, noisy.trial(&mut SimRng::new(9)));
    assert_ne!(a, noisy.trial(&mut SimRng::new(10)));
}

macro_rules! per_task {
    ($($name:ident => $kind:ident),* $(,)?) => {
        $( #[test] fn $name() { check_task(YangKind::$kind); } )*
    };
}

per_task! {
    go => Go, reactgo => ReactGo, delaygo => DelayGo, anti => Anti, reactanti => ReactAnti,
    delayanti => DelayAnti, dm1 => Dm1, dm2 => Dm2, contextdm1 => ContextDm1,
    contextdm2 => ContextDm2, multidm => MultiDm, delaydm1 => DelayDm1, delaydm2 => DelayDm2,
    contextdelaydm1 => ContextDelayDm1, contextdelaydm2 => ContextDelayDm2,
    multidelaydm => MultiDelayDm, dmsgo => DmsGo, dmsnogo => DmsNogo, dmcgo => DmcGo,
    dmcnogo => DmcNogo,
}

#[test]
fn input_noise_has_the_published_scale() {
    let task = YangTask::new(YangKind::Go, YangConfig::default()).unwrap();
    let trial = task.trial(&mut SimRng::new(4));
    // rule units other than the task's carry pure noise: σ = 0.01·sqrt(2·100/20) ≈ 0.0316
    let values: Vec<f64> = (66..85)
        .flat_map(|c| (0..trial.n_steps()).map(move |t| (t, c)))
        .map(|(t, c)| trial.inputs[[t, c]] as f64)
        .collect();
    let var = values.iter().map(|v| v * v).sum::<f64>() / values.len() as f64;
    assert!((var.sqrt() - 0.0316).abs() < 0.002, "{}", var.sqrt());
}

#[test]
fn bad_config_is_rejected_by_name() {
    let bad = YangConfig {
        dt_ms: 0.0,
        ..Default::default()
    };
    assert!(YangTask::new(YangKind::Go, bad)
        .unwrap_err()
        .to_string()
        .contains("dt_ms"));
    let bad = YangConfig {
        sigma_x: f64::NAN,
        ..Default::default()
    };
    assert!(YangTask::new(YangKind::Go, bad)
        .unwrap_err()
        .to_string()
        .contains("sigma_x"));
}
