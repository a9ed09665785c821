//! Mod-Cog in the authors' neurogym form: every generated trial checked against its
//! specification (shapes, periods, bump position and width, seq movement, int shift,
//! strengths, noise statistics, scoring).

use ndarray::Array2;
use sparse_rnn_lab::rng::SimRng;
use sparse_rnn_lab::tasks::modcog_ngym::{
    self as ngym, bump, int_able, unit_angle, Base, Family, NgymConfig, Variant, BUMP_AMPLITUDE,
    DLY_DM_STRENGTHS, DM_COHERENCES, INT_DELAYS_MS, NGYM_TASK_COUNT, N_OUTPUTS, N_RING,
    N_STIM_INPUTS,
};
use sparse_rnn_lab::tasks::registry::build_task;
use sparse_rnn_lab::tasks::{Task, Trial};

fn steps(ms: f64) -> usize {
    (ms / 100.0).round() as usize
}

fn argmax(values: impl Iterator<Item = f32>) -> usize {
    let v: Vec<f32> = values.collect();
    (0..v.len()).fold(0, |b, i| if v[i] > v[b] { i } else { b })
}

#[test]
fn the_count_is_60_plus_6d_with_d_11() {
    let ids = ngym::ids();
    assert_eq!(ids.len(), 126);
    assert_eq!(NGYM_TASK_COUNT, 60 + 6 * 11);
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len());
    let d = Base::ALL.iter().filter(|b| int_able(**b)).count();
    assert_eq!(d, 11);
    for name in [
        "go",
        "dlygointr",
        "goseqr",
        "dnmcseql",
        "dmsintlseqr",
        "multidlydmintr",
    ] {
        assert!(ids.contains(&format!("ngym-modcog-{name}")), "{name}");
    }
    assert!(!ids.contains(&"ngym-modcog-gointr".to_string()));
    let all = build_task("ngym-modcog-mixture", &serde_json::Value::Null).unwrap();
    assert_eq!(all.spec().n_inputs, 33 + 126);
    assert_eq!(all.component_ids().len(), 126);
}

/// The stimulus rows a trial should have (before noise) on the 33 stimulus-side inputs.
fn check_trial(v: Variant, trial: &Trial, c: &ngym::Conditions, rule: usize, n_rules: usize) {
    let id = v.id();
    let t_len = trial.n_steps();
    assert_eq!(trial.inputs.dim(), (t_len, N_STIM_INPUTS + n_rules), "{id}");
    assert_eq!(trial.targets.dim(), (t_len, N_OUTPUTS), "{id}");
    // periods are contiguous and cover the trial
    let mut at = 0;
    for p in &trial.periods {
        assert_eq!(p.start, at, "{id}: {:?}", trial.periods);
        at = p.end;
    }
    assert_eq!(at, t_len, "{id}");
    let dec = trial.period("decision").unwrap().clone();
    let plain_decision = match v.base.family() {
        Family::Go { .. } => 500.0,
        Family::Dm { .. } => 200.0,
        Family::Match { .. } => 900.0,
    };
    let expect_dec = if v.seq != 0 { 1000.0 } else { plain_decision };
    assert_eq!(dec.end - dec.start, steps(expect_dec), "{id}");
    for t in 0..t_len {
        // rule one-hot on every step
        for r in 0..n_rules {
            let want = if r == rule { 1.0 } else { 0.0 };
            assert_eq!(trial.inputs[[t, N_STIM_INPUTS + r]], want, "{id} rule");
        }
        // fixation target before the decision; loss weight 1 everywhere
        let weight = if t < dec.start { 1.0 } else { 5.0 };
        assert!(trial.mask.row(t).iter().all(|m| *m == weight));
        let sum: f32 = trial.targets.row(t).sum();
        assert_eq!(sum, 1.0, "{id}: one-hot target");
        if t < dec.start {
            assert_eq!(trial.targets[[t, 0]], 1.0, "{id} fixation target");
        } else {
            assert_eq!(
                trial.inputs[[t, 0]],
                0.0,
                "{id}: fixation off in the decision"
            );
            let want = match c.target {
                None => 0,
                Some(target) => {
                    let k = (t - dec.start) as i64;
                    1 + (target as i64 + v.seq as i64 * k).rem_euclid(16) as usize
                }
            };
            assert_eq!(
                argmax(trial.targets.row(t).iter().copied()),
                want,
                "{id} t {t}"
            );
        }
    }
    let per = |name: &str| trial.period(name).map(|p| p.end - p.start);
    match v.base.family() {
        Family::Go { anti, reaction } => {
            let stim_period = if reaction { "decision" } else { "stimulus" };
            let p = trial.period(stim_period).unwrap();
            let m = c.modality.unwrap();
            let row = trial.inputs.row(p.start);
            let ring: Vec<f32> = (0..N_RING).map(|i| row[1 + N_RING * m + i]).collect();
            let other: f32 = (0..N_RING)
                .map(|i| row[1 + N_RING * (1 - m) + i].abs())
                .sum();
            assert_eq!(other, 0.0, "{id}: other modality silent");
            let centre = (c.stim1 + if anti { 8 } else { 0 }) % 16;
            assert_eq!(argmax(ring.iter().copied()), centre, "{id} bump position");
            assert!((ring[centre] - BUMP_AMPLITUDE as f32).abs() < 1e-6);
            let next = ring[(centre + 1) % 16];
            assert!(
                (next - 0.8 * (-0.5f32).exp()).abs() < 1e-5,
                "{id} width π/8"
            );
            if !reaction {
                assert_eq!(per("fixation"), Some(5));
                assert_eq!(per("stimulus"), Some(5));
                assert_eq!(per("delay"), Some(steps(c.delay_ms)));
                if v.int != 0 {
                    assert!(INT_DELAYS_MS.contains(&c.delay_ms), "{id}");
                } else {
                    assert_eq!(c.delay_ms, 500.0);
                }
                assert_eq!(
                    trial.inputs[[p.end, 1 + N_RING * m + centre]],
                    0.0,
                    "{id} off"
                );
            }
            let shift = v.int as i64 * (c.delay_ms / 100.0) as i64;
            let want = (c.stim1 as i64 + shift).rem_euclid(16) as usize;
            assert_eq!(c.target, Some(want), "{id} int shift");
        }
        Family::Dm { delayed, weights } => {
            let fix = per("fixation").unwrap();
            assert!((2..=5).contains(&fix), "{id} fixation {fix}");
            assert_ne!(c.stim1, c.stim2);
            let (mut a, mut b) = (0.0, 0.0);
            for (m, w) in weights.iter().enumerate() {
                let (s1, s2) = c.strengths[m];
                if *w < 0.0 {
                    assert_eq!((s1, s2), (0.0, 0.0));
                    continue;
                }
                if delayed {
                    assert!(DLY_DM_STRENGTHS.contains(&s1) && DLY_DM_STRENGTHS.contains(&s2));
                    assert_ne!(s1, s2);
                } else {
                    let coh = s1 - 0.5;
                    let ok = DM_COHERENCES
                        .iter()
                        .any(|k| ((coh.abs() * 2.0) - k).abs() < 1e-9);
                    assert!(ok && ((s1 + s2) - 1.0).abs() < 1e-9, "{id} coherence {coh}");
                }
                a += w * s1;
                b += w * s2;
            }
            let shift = if delayed { v.int as i64 * 5 } else { 0 };
            let shifted = |i: usize| Some((i as i64 + shift).rem_euclid(16) as usize);
            if a > b {
                assert_eq!(c.target, shifted(c.stim1), "{id}");
            } else if b > a {
                assert_eq!(c.target, shifted(c.stim2), "{id}");
            } else {
                assert!(c.target == shifted(c.stim1) || c.target == shifted(c.stim2));
            }
            if delayed {
                assert_eq!(
                    (per("stim1"), per("delay"), per("stim2")),
                    (Some(5), Some(5), Some(5))
                );
            } else {
                assert_eq!(per("stimulus"), Some(5));
            }
        }
        Family::Match {
            category,
            go_on_match,
        } => {
            assert_eq!(
                (per("fixation"), per("sample"), per("test")),
                (Some(3), Some(5), Some(5))
            );
            let d = per("delay").unwrap();
            if v.int != 0 {
                assert!(INT_DELAYS_MS.contains(&c.delay_ms));
            } else {
                assert!((2..=12).contains(&d), "{id} delay {d}");
            }
            let is_match = if category {
                (c.stim1 > 8) == (c.stim2 >= 8)
            } else {
                c.stim1 == c.stim2
            };
            if !category {
                assert!(is_match || c.stim2 == (c.stim1 + 8) % 16);
            }
            assert_eq!(c.target.is_some(), is_match == go_on_match, "{id}");
            if let Some(target) = c.target {
                let shift = v.int as i64 * (c.delay_ms / 100.0) as i64;
                assert_eq!(target as i64, (c.stim2 as i64 + shift).rem_euclid(16));
            }
        }
    }
}

#[test]
fn every_trial_of_every_task_matches_its_specification() {
    let config = NgymConfig::default();
    let tasks = ngym::all_tasks(&config).unwrap();
    let mut rng = SimRng::new(11);
    for (rule, task) in tasks.iter().enumerate() {
        for _ in 0..12 {
            let (trial, c) = task.trial_with_conditions(&mut rng);
            check_trial(task.variant, &trial, &c, rule, NGYM_TASK_COUNT);
            // the target itself scores 1; a response one unit off scores 0
            assert_eq!(task.score(&trial, trial.targets.view()), 1.0);
            let dec = trial.period("decision").unwrap();
            let mut wrong: Array2<f32> = trial.targets.clone();
            for t in dec.start..dec.end {
                let row: Vec<f32> = wrong.row(t).to_vec();
                for k in 0..N_OUTPUTS {
                    let from = if k == 0 { 0 } else { 1 + (k - 1 + 15) % 16 };
                    wrong[[t, k]] = row[from];
                }
            }
            if c.target.is_some() {
                assert_eq!(
                    task.score(&trial, wrong.view()),
                    0.0,
                    "{}",
                    task.variant.id()
                );
            }
        }
    }
}

#[test]
fn input_noise_has_std_sigma_over_sqrt_dt_where_the_authors_add_it() {
    let config = NgymConfig::default();
    let mut rng = SimRng::new(3);
    let mut stats = |id: &str| {
        let task = ngym::task(id, &config).unwrap();
        let (mut sum, mut sq, mut n, mut outside) = (0.0f64, 0.0f64, 0usize, 0.0f64);
        for _ in 0..200 {
            let (trial, c) = task.trial_with_conditions(&mut rng);
            let (period, first, rings) = match task.variant.base.family() {
                Family::Dm { .. } => ("stimulus", 0, 2),
                _ => ("sample", 1 + N_RING * c.modality.unwrap(), 1),
            };
            let p = trial.period(period).unwrap();
            for t in p.start..p.end {
                let mut clean = [0.0f32; N_STIM_INPUTS];
                clean[0] = 1.0;
                if rings == 2 {
                    let (s1, s2) = c.strengths[0];
                    for (i, (x, y)) in bump(unit_angle(c.stim1), s1)
                        .iter()
                        .zip(bump(unit_angle(c.stim2), s2))
                        .enumerate()
                    {
                        clean[1 + i] = x + y;
                    }
                } else {
                    for (i, x) in bump(unit_angle(c.stim1), 1.0).iter().enumerate() {
                        clean[first + i] = *x;
                    }
                }
                for (k, want) in clean.iter().enumerate() {
                    let r = (trial.inputs[[t, k]] - want) as f64;
                    if rings == 2 || (first..first + N_RING).contains(&k) {
                        sum += r;
                        sq += r * r;
                        n += 1;
                    } else {
                        outside += r.abs();
                    }
                }
            }
        }
        let mean = sum / n as f64;
        ((sq / n as f64 - mean * mean).sqrt(), mean, outside)
    };
    let (std, mean, outside) = stats("ngym-modcog-dm1");
    assert!(
        (std - 0.1).abs() < 0.005 && mean.abs() < 0.005,
        "dm1 {std} {mean}"
    );
    assert_eq!(outside, 0.0);
    let (std, mean, outside) = stats("ngym-modcog-dms");
    assert!(
        (std - 0.1).abs() < 0.005 && mean.abs() < 0.005,
        "dms {std} {mean}"
    );
    assert_eq!(outside, 0.0, "no noise outside the shown modality");
    let quiet = ngym::task(
        "ngym-modcog-dm1",
        &NgymConfig {
            sigma: 0.0,
            ..NgymConfig::default()
        },
    )
    .unwrap();
    let (trial, c) = quiet.trial_with_conditions(&mut rng);
    let p = trial.period("stimulus").unwrap();
    let want = bump(unit_angle(c.stim1), c.strengths[0].0)[c.stim1]
        + bump(unit_angle(c.stim2), c.strengths[0].1)[c.stim1];
    assert!((trial.inputs[[p.start, 1 + c.stim1]] - want).abs() < 1e-6);
}

#[test]
fn seq_moves_one_unit_per_step_and_bad_options_are_named() {
    let mut rng = SimRng::new(5);
    for (id, dir) in [
        ("ngym-modcog-goseqr", 1i64),
        ("ngym-modcog-dlyantiseql", -1),
    ] {
        let task = ngym::task(id, &NgymConfig::default()).unwrap();
        let (trial, _) = task.trial_with_conditions(&mut rng);
        let dec = trial.period("decision").unwrap();
        assert_eq!(dec.end - dec.start, 10);
        let unit = |t: usize| argmax(trial.targets.row(t).iter().copied()) as i64 - 1;
        for t in dec.start + 1..dec.end {
            assert_eq!(
                (unit(t) - unit(t - 1)).rem_euclid(16),
                dir.rem_euclid(16),
                "{id}"
            );
        }
    }
    let e = build_task("ngym-modcog-nope", &serde_json::Value::Null)
        .err()
        .unwrap();
    assert!(e.to_string().contains("ngym-modcog-nope"));
    let e = build_task(
        "ngym-modcog-mixture",
        &serde_json::json!({"tasks": ["ngym-modcog-go", 1]}),
    )
    .err()
    .unwrap();
    assert!(e.to_string().contains("tasks"));
    let t = build_task("ngym-modcog-dms", &serde_json::Value::Null).unwrap();
    assert_eq!((t.spec().dt_ms, t.spec().n_outputs), (100.0, 17));
}
