//! Jarne & Laje temporal tasks against their specification.

use sparse_rnn_lab::rng::SimRng;
use sparse_rnn_lab::tasks::jarne_laje::{
    JarneLajeConfig, JarneLajeKind, JarneLajeTask, FLIPFLOP_PULSES,
};
use sparse_rnn_lab::tasks::{Task, Trial, TrialLabel};

fn quiet(kind: JarneLajeKind) -> JarneLajeTask {
    JarneLajeTask::new(
        kind,
        JarneLajeConfig {
            input_noise_std: 0.0,
            ..Default::default()
        },
    )
    .unwrap()
}

fn lengths(trial: &Trial) -> Vec<(String, usize)> {
    trial
        .periods
        .iter()
        .map(|p| (p.name.clone(), p.end - p.start))
        .collect()
}

fn check_reproducible(kind: JarneLajeKind) {
    let noisy = JarneLajeTask::new(kind, JarneLajeConfig::default()).unwrap();
    let a = noisy.trial(&mut SimRng::new(2));
    assert_eq!(a, noisy.trial(&mut SimRng::new(2)));
    assert_ne!(
        a.inputs,
        noisy.trial(&mut SimRng::new(3)).inputs,
        "noise differs across seeds"
    );
}

fn check_logic(kind: JarneLajeKind, f: fn(bool, bool) -> bool) {
    let task = quiet(kind);
    let two = kind != JarneLajeKind::Not;
    assert_eq!(
        (task.spec().n_inputs, task.spec().n_outputs),
        (if two { 2 } else { 1 }, 1)
    );
    let mut rng = SimRng::new(11);
    let mut seen = [false; 4];
    for _ in 0..60 {
        let trial = task.trial(&mut rng);
        let response = if kind == JarneLajeKind::And { 140 } else { 130 };
        let names: Vec<(String, usize)> = [
            ("fixation", 30),
            ("stimulus", 20),
            ("delay", 20),
            ("response", response),
        ]
        .iter()
        .map(|(n, l)| (n.to_string(), *l))
        .collect();
        assert_eq!(lengths(&trial), names);
        let a = trial.inputs[[35, 0]] == 1.0;
        let b = two && trial.inputs[[35, 1]] == 1.0;
        seen[a as usize * 2 + b as usize] = true;
        for t in 0..trial.n_steps() {
            let in_stim = (30..50).contains(&t);
            assert_eq!(trial.inputs[[t, 0]], if in_stim && a { 1.0 } else { 0.0 });
            let expected = if t >= 70 { f(a, b) as u8 as f32 } else { 0.0 };
            assert_eq!(trial.targets[[t, 0]], expected, "{kind:?} target at {t}");
            assert_eq!(trial.mask[[t, 0]], 1.0);
        }
        assert_eq!(trial.label, TrialLabel::Class(f(a, b) as usize));
        assert_eq!(task.score(&trial, trial.targets.view()), 1.0);
        let wrong = trial.targets.mapv(|v| 1.0 - v);
        assert_eq!(task.score(&trial, wrong.view()), 0.0);
    }
    let combos = if two { 4 } else { 2 };
    assert_eq!(
        seen.iter().filter(|s| **s).count(),
        combos,
        "all input combinations occur"
    );
    check_reproducible(kind);
}

#[test]
fn and_task() {
    check_logic(JarneLajeKind::And, |a, b| a && b);
}

#[test]
fn or_task() {
    check_logic(JarneLajeKind::Or, |a, b| a || b);
}

#[test]
fn xor_task() {
    check_logic(JarneLajeKind::Xor, |a, b| a != b);
}

#[test]
fn not_task() {
    check_logic(JarneLajeKind::Not, |a, _| !a);
}

#[test]
fn flipflop_task() {
    let task = quiet(JarneLajeKind::FlipFlop);
    let trial = task.trial(&mut SimRng::new(5));
    assert_eq!(trial.n_steps(), 50 + FLIPFLOP_PULSES * 120);
    let mut state = None;
    for k in 1..=FLIPFLOP_PULSES {
        let pulse = trial.period(&format!("pulse{k}")).unwrap().clone();
        assert_eq!(
            (pulse.start, pulse.end - pulse.start),
            (50 + (k - 1) * 120, 20)
        );
        let set = trial.inputs[[pulse.start, 1]] == 1.0;
        assert_ne!(
            trial.inputs[[pulse.start, 0]] == 1.0,
            set,
            "exactly one of set/reset"
        );
        // before the response gap the previous state holds; 20 ms after the pulse the new one
        let previous = state.map_or(0.0, |s: bool| s as u8 as f32);
        assert_eq!(trial.targets[[pulse.end + 19, 0]], previous);
        assert_eq!(trial.targets[[pulse.end + 20, 0]], set as u8 as f32);
        state = Some(set);
    }
    assert_eq!(task.score(&trial, trial.targets.view()), 1.0);
    let inverted = trial.targets.mapv(|v| 1.0 - v);
    assert_eq!(task.score(&trial, inverted.view()), 0.0);
    check_reproducible(JarneLajeKind::FlipFlop);
}

#[test]
fn oscillation_task() {
    let task = quiet(JarneLajeKind::Oscillation);
    let mut rng = SimRng::new(7);
    let mut kinds = [0; 2];
    for _ in 0..20 {
        let trial = task.trial(&mut rng);
        let expected: Vec<(String, usize)> = [
            ("fixation", 100),
            ("stimulus", 40),
            ("delay", 20),
            ("response", 220),
            ("end", 40),
        ]
        .iter()
        .map(|(n, l)| (n.to_string(), *l))
        .collect();
        assert_eq!(lengths(&trial), expected);
        let triggered = trial.inputs[[120, 0]] > 0.9;
        kinds[triggered as usize] += 1;
        assert!((0..100)
            .chain(140..420)
            .all(|t| trial.inputs[[t, 0]] == 0.0));
        if triggered {
            // smoothed edges, plateau 1
            assert!(
                trial.inputs[[100, 0]] < trial.inputs[[104, 0]]
                    && (trial.inputs[[120, 0]] - 1.0).abs() < 1e-6
            );
            // a 35 ms sine during the response
            assert!(
                (trial.targets[[160 + 35 / 4, 0]]
                    - (2.0 * std::f32::consts::PI * 8.0 / 35.0).sin())
                .abs()
                    < 1e-4
            );
            let zero_crossings = (161..380)
                .filter(|t| (trial.targets[[t - 1, 0]] < 0.0) != (trial.targets[[*t, 0]] < 0.0))
                .count();
            assert!((11..=13).contains(&zero_crossings), "{zero_crossings}");
            assert_eq!(
                task.score(&trial, ndarray::Array2::zeros((420, 1)).view()),
                0.0
            );
        } else {
            assert!(trial.targets.iter().all(|v| *v == 0.0));
            assert_eq!(task.score(&trial, trial.targets.mapv(|_| 1.0).view()), 0.0);
        }
        assert!((380..420).all(|t| trial.targets[[t, 0]] == 0.0));
        assert_eq!(task.score(&trial, trial.targets.view()), 1.0);
    }
    assert!(kinds[0] > 2 && kinds[1] > 2, "{kinds:?}");
    check_reproducible(JarneLajeKind::Oscillation);
}

#[test]
fn time_pulse_task() {
    let task = quiet(JarneLajeKind::TimePulse);
    let mut rng = SimRng::new(9);
    for _ in 0..20 {
        let trial = task.trial(&mut rng);
        let response = trial.period("response").unwrap().clone();
        assert_eq!(
            (response.start, response.end - response.start),
            (50 + 20 + 200, 20)
        );
        let triggered = trial.label == TrialLabel::Class(1);
        assert_eq!(trial.inputs[[60, 0]] > 0.9, triggered);
        let peak = (0..trial.n_steps()).fold(0, |b, t| {
            if trial.targets[[t, 0]] > trial.targets[[b, 0]] {
                t
            } else {
                b
            }
        });
        if triggered {
            assert!(
                (response.start..response.end).contains(&peak) && trial.targets[[peak, 0]] > 0.9
            );
            // a pulse 60 ms early is wrong
            let mut early = ndarray::Array2::zeros((trial.n_steps(), 1));
            early[[peak - 60, 0]] = 1.0;
            assert_eq!(task.score(&trial, early.view()), 0.0);
        } else {
            assert!(trial.targets.iter().all(|v| *v == 0.0));
            assert_eq!(task.score(&trial, trial.targets.mapv(|_| 1.0).view()), 0.0);
        }
        assert_eq!(task.score(&trial, trial.targets.view()), 1.0);
    }
    check_reproducible(JarneLajeKind::TimePulse);
}

#[test]
fn bad_config_is_rejected_by_name() {
    let bad = JarneLajeConfig {
        input_noise_std: -0.1,
        ..Default::default()
    };
    let err = JarneLajeTask::new(JarneLajeKind::Xor, bad)
        .unwrap_err()
        .to_string();
    assert!(err.contains("input_noise_std"), "{err}");
}
