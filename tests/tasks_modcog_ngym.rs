//! Mod-Cog in the authors' neurogym form: every trial of each of the authors' 93 tasks
//! checked against the specification read off `mod_cog_tasks.py` (shapes, periods, bump
//! positions and widths, the authors' response `(target + 1 + seq·t) mod 16`, int shifts,
//! strengths, per-environment delays, noise statistics, scoring), and the corrected form
//! against its own.

use ndarray::Array2;
use sparse_rnn_lab::rng::SimRng;
use sparse_rnn_lab::tasks::modcog_ngym::{
    self as ngym, bump, int_able, unit_angle, Base, Family, NgymConfig, NgymForm, NgymTask,
    Variant, AUTHORS_TASK_COUNT, DLY_DM_STRENGTHS, DM_COHERENCES, INT_DELAYS_MS, NGYM_TASK_COUNT,
    N_OUTPUTS, N_RING, N_STIM_INPUTS,
};
use sparse_rnn_lab::tasks::registry::build_task;
use sparse_rnn_lab::tasks::{Task, Trial};
use std::f64::consts::PI;

/// The steps of a period.
fn span(trial: &Trial, name: &str) -> std::ops::Range<usize> {
    let p = trial.period(name).unwrap();
    p.start..p.end
}

fn argmax(values: impl Iterator<Item = f32>) -> usize {
    let v: Vec<f32> = values.collect();
    (0..v.len()).fold(0, |b, i| if v[i] > v[b] { i } else { b })
}

/// The 20 base tasks' names, read from the catalog.
fn base_names() -> Vec<&'static str> {
    Base::ALL.iter().map(|b| b.name()).collect()
}

/// The bases with int variants, read from the catalog.
fn int_able_names() -> Vec<&'static str> {
    Base::ALL
        .iter()
        .filter(|b| int_able(**b))
        .map(|b| b.name())
        .collect()
}

/// The authors' 93 constructor names in the README's order: 20 base, 22 int (`intr`,
/// `intl` per int-able base), 20 seqr, 20 seql, then the 11 `intseq` constructors of
/// `mod_cog_tasks.py`.
fn authors_names() -> Vec<String> {
    let (base, int) = (base_names(), int_able_names());
    let mut names: Vec<String> = base.iter().map(|s| s.to_string()).collect();
    for b in &int {
        names.extend([format!("{b}intr"), format!("{b}intl")]);
    }
    names.extend(base.iter().map(|b| format!("{b}seqr")));
    names.extend(base.iter().map(|b| format!("{b}seql")));
    names.extend(int.iter().map(|b| format!("{b}intseq")));
    names
}

#[test]
fn ids_and_rule_units_follow_the_authors_constructors_in_readme_order() {
    let ids = ngym::ids();
    assert_eq!(
        (ids.len(), NGYM_TASK_COUNT, AUTHORS_TASK_COUNT),
        (126, 126, 93)
    );
    let authors: Vec<String> = authors_names()
        .iter()
        .map(|n| format!("ngym-modcog-{n}"))
        .collect();
    assert_eq!(ids[..93], authors[..]);
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len());
    // the authors' int variants: the delayed go and DM tasks and the match family
    for base in Base::ALL {
        let delayed = base.name().contains("dly") || matches!(base.family(), Family::Match { .. });
        assert_eq!(int_able(base), delayed, "{}", base.name());
    }
    assert_eq!((base_names().len(), int_able_names().len()), (20, 11));
    // the extensions: the other three int × seq direction pairs, after the 93
    for (k, v) in ngym::variants().iter().enumerate() {
        assert_eq!(v.is_authors(), k < 93, "{}", v.id());
    }
    assert!(ids[93..].contains(&"ngym-modcog-dmsintlseqr".to_string()));
    // the old id of the authors' int × seq task still parses
    assert_eq!(
        ngym::parse_id("ngym-modcog-dmsintrseqr").map(Variant::id),
        Some("ngym-modcog-dmsintseq".into())
    );
    // the default battery is the authors' 93, task i on rule unit i
    let all = build_task("ngym-modcog-mixture", &serde_json::Value::Null).unwrap();
    assert_eq!(all.spec().n_inputs, 33 + 93);
    assert_eq!(all.component_ids(), authors);
    let one = ngym::task("ngym-modcog-dlygointr", &NgymConfig::default()).unwrap();
    let trial = one.trial(&mut SimRng::new(1));
    assert_eq!(trial.inputs.ncols(), 33 + 93);
    assert_eq!(
        trial.inputs[[0, 33 + 20]],
        1.0,
        "dlygointr is the authors' 21st"
    );
    let ext = ngym::task("ngym-modcog-dnmcintlseql", &NgymConfig::default()).unwrap();
    assert_eq!(ext.trial(&mut SimRng::new(1)).inputs.ncols(), 33 + 126);
}

/// The response the authors' `my_set_groundtruth` asks at decision step `t`.
fn authors_action(target: usize, seq: i8, t: usize) -> usize {
    (target as i64 + 1 + i64::from(seq) * t as i64).rem_euclid(16) as usize
}

fn corrected_action(target: usize, seq: i8, t: usize) -> usize {
    1 + (target as i64 + i64::from(seq) * t as i64).rem_euclid(16) as usize
}

/// The ring values of modality `m` at step `t`.
fn ring(trial: &Trial, t: usize, m: usize) -> Vec<f32> {
    (0..N_RING)
        .map(|i| trial.inputs[[t, 1 + N_RING * m + i]])
        .collect()
}

fn assert_ring(got: &[f32], want: &[f32], what: &str) {
    for (g, w) in got.iter().zip(want) {
        assert!((g - w).abs() < 1e-6, "{what}: {got:?} vs {want:?}");
    }
}

/// One trial (noise off) against the specification of its task.
fn check_trial(task: &NgymTask, trial: &Trial, c: &ngym::Conditions, rule: usize, n_rules: usize) {
    let v = task.variant;
    let form = task.form();
    let id = v.id();
    let t_len = trial.n_steps();
    assert_eq!(trial.inputs.dim(), (t_len, N_STIM_INPUTS + n_rules), "{id}");
    assert_eq!(trial.targets.dim(), (t_len, N_OUTPUTS), "{id}");
    let mut at = 0;
    for p in &trial.periods {
        assert_eq!(p.start, at, "{id}: {:?}", trial.periods);
        at = p.end;
    }
    assert_eq!(at, t_len, "{id}");
    let per = |name: &str| trial.period(name).map(|p| p.end - p.start);
    let dec = span(trial, "decision");
    let reaction = matches!(v.base.family(), Family::Go { reaction: true, .. });
    let plain = match v.base.family() {
        Family::Go { .. } => 5,
        Family::Dm { .. } => 2,
        Family::Match { .. } => 9,
    };
    // the authors' rtgoseq*/rtantiseq* keep the plain 500 ms decision
    let seq_decision = v.seq != 0 && !(reaction && form == NgymForm::Authors);
    assert_eq!(dec.len(), if seq_decision { 10 } else { plain }, "{id}");
    for t in 0..t_len {
        for r in 0..n_rules {
            let want = if r == rule { 1.0 } else { 0.0 };
            assert_eq!(trial.inputs[[t, N_STIM_INPUTS + r]], want, "{id} rule");
        }
        let weight = if t < dec.start { 1.0 } else { 5.0 };
        assert!(trial.mask.row(t).iter().all(|m| *m == weight));
        assert_eq!(trial.targets.row(t).sum(), 1.0, "{id}: one-hot target");
        let fixation_input = if t < dec.start { 1.0 } else { 0.0 };
        assert_eq!(trial.inputs[[t, 0]], fixation_input, "{id} fixation input");
        let want = match (t < dec.start, c.target) {
            (true, _) | (false, None) => 0,
            (false, Some(target)) => match form {
                NgymForm::Authors => authors_action(target, v.seq, t - dec.start),
                NgymForm::Corrected => corrected_action(target, v.seq, t - dec.start),
            },
        };
        assert_eq!(
            argmax(trial.targets.row(t).iter().copied()),
            want,
            "{id} t {t}"
        );
    }
    match v.base.family() {
        Family::Go { anti, reaction } => {
            let m = c.modality.unwrap();
            let delay = if v.int != 0 {
                assert!(INT_DELAYS_MS.contains(&c.delay_ms), "{id}");
                c.delay_ms
            } else {
                if !reaction {
                    assert_eq!(c.delay_ms, 500.0, "{id}");
                }
                500.0
            };
            // the authors rotate the stimulus by int·0.01·delay radians and keep the target
            let rotation = match form {
                NgymForm::Authors => f64::from(v.int) * 0.01 * delay,
                NgymForm::Corrected => 0.0,
            };
            let centre = unit_angle(c.stim1) + rotation + if anti { PI } else { 0.0 };
            let shown = if reaction {
                dec.clone()
            } else {
                span(trial, "stimulus")
            };
            for t in 0..t_len {
                let want = if shown.contains(&t) {
                    bump(centre, 1.0)
                } else {
                    vec![0.0; 16]
                };
                assert_ring(&ring(trial, t, m), &want, &id);
                assert_ring(&ring(trial, t, 1 - m), &[0.0; 16], &id);
            }
            if !reaction {
                assert_eq!(
                    (per("fixation"), per("stimulus"), per("delay")),
                    (Some(5), Some(5), Some((c.delay_ms / 100.0) as usize)),
                    "{id}"
                );
            } else {
                assert_eq!(per("fixation"), Some(5), "{id}");
            }
            let shift = match form {
                NgymForm::Authors => 0,
                NgymForm::Corrected => i64::from(v.int) * (c.delay_ms / 100.0) as i64,
            };
            let want = (c.stim1 as i64 + shift).rem_euclid(16) as usize;
            assert_eq!(c.target, Some(want), "{id} target");
        }
        Family::Dm { delayed, weights } => {
            let fix = per("fixation").unwrap();
            assert!(
                (2..=4).contains(&fix),
                "{id} fixation {fix} (floored to dt)"
            );
            assert_ne!(c.stim1, c.stim2);
            let (p1, p2) = if delayed {
                ("stim1", "stim2")
            } else {
                ("stimulus", "stimulus")
            };
            let (r1, r2) = (span(trial, p1), span(trial, p2));
            let (mut a, mut b) = (0.0, 0.0);
            for (m, w) in weights.iter().enumerate() {
                let (s1, s2) = c.strengths[m];
                let want_at = |t: usize| {
                    let mut want = vec![0.0f32; 16];
                    if *w >= 0.0 {
                        if r1.contains(&t) {
                            for (x, y) in want.iter_mut().zip(bump(unit_angle(c.stim1), s1)) {
                                *x += y;
                            }
                        }
                        if r2.contains(&t) {
                            for (x, y) in want.iter_mut().zip(bump(unit_angle(c.stim2), s2)) {
                                *x += y;
                            }
                        }
                    }
                    want
                };
                for t in 0..t_len {
                    assert_ring(&ring(trial, t, m), &want_at(t), &id);
                }
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
            // delayed DM int: 0.01 · 500 ms = 5 units, in both forms
            let shift = if delayed { i64::from(v.int) * 5 } else { 0 };
            let shifted = |i: usize| Some((i as i64 + shift).rem_euclid(16) as usize);
            if (a - b) > 1e-9 {
                assert_eq!(c.target, shifted(c.stim1), "{id}");
            } else if (b - a) > 1e-9 {
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
            let m = c.modality.unwrap();
            assert_eq!(
                (per("fixation"), per("sample"), per("test")),
                (Some(3), Some(5), Some(5))
            );
            assert_eq!(per("delay"), Some((c.delay_ms / 100.0) as usize), "{id}");
            if v.int != 0 {
                assert!(INT_DELAYS_MS.contains(&c.delay_ms));
            } else {
                assert!(
                    (200.0..=1100.0).contains(&c.delay_ms),
                    "{id} {}",
                    c.delay_ms
                );
                assert_eq!(c.delay_ms % 100.0, 0.0, "{id}: floored to dt");
                if form == NgymForm::Authors {
                    assert_eq!(c.delay_ms, task.env_delays_ms()[m], "{id}: per environment");
                }
            }
            let sample = span(trial, "sample");
            let test = span(trial, "test");
            for t in 0..t_len {
                let want = if sample.contains(&t) {
                    bump(unit_angle(c.stim1), 1.0)
                } else if test.contains(&t) {
                    bump(unit_angle(c.stim2), 1.0)
                } else {
                    vec![0.0; 16]
                };
                assert_ring(&ring(trial, t, m), &want, &id);
                assert_ring(&ring(trial, t, 1 - m), &[0.0; 16], &id);
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
                let shift = i64::from(v.int) * (c.delay_ms / 100.0) as i64;
                assert_eq!(target as i64, (c.stim2 as i64 + shift).rem_euclid(16));
            }
        }
    }
}

fn check_all(form: NgymForm, trials_per_task: usize) {
    let config = NgymConfig {
        sigma: 0.0,
        variant: form,
        ..NgymConfig::default()
    };
    let tasks = ngym::all_tasks(&config).unwrap();
    assert_eq!(tasks.len(), 93);
    let mut rng = SimRng::new(11);
    let mut fixate_in_decision = 0;
    for (rule, task) in tasks.iter().enumerate() {
        for _ in 0..trials_per_task {
            let (trial, c) = task.trial_with_conditions(&mut rng);
            check_trial(task, &trial, &c, rule, 93);
            let dec = trial.period("decision").unwrap();
            if c.target.is_some() && trial.targets[[dec.start, 0]] == 1.0 {
                fixate_in_decision += 1;
            }
            // the target itself scores 1; every action one unit over scores 0
            assert_eq!(task.score(&trial, trial.targets.view()), 1.0);
            let mut wrong: Array2<f32> = trial.targets.clone();
            for t in dec.start..dec.end {
                let row: Vec<f32> = wrong.row(t).to_vec();
                for k in 0..N_OUTPUTS {
                    wrong[[t, k]] = row[(k + 16) % 17];
                }
            }
            assert_eq!(
                task.score(&trial, wrong.view()),
                0.0,
                "{}",
                task.variant.id()
            );
        }
    }
    // the authors' mod 16 asks "keep fixating" for target unit 15 (1 in 16 of the go
    // trials); the corrected form never does
    match form {
        NgymForm::Authors => assert!(fixate_in_decision > 0),
        NgymForm::Corrected => assert_eq!(fixate_in_decision, 0),
    }
}

#[test]
fn every_trial_of_the_authors_93_tasks_matches_their_code() {
    check_all(NgymForm::Authors, 40);
}

#[test]
fn every_trial_of_the_corrected_form_matches_its_specification() {
    check_all(NgymForm::Corrected, 12);
}

#[test]
fn authors_seq_passes_through_fixation_and_never_visits_unit_15() {
    let config = NgymConfig {
        sigma: 0.0,
        ..NgymConfig::default()
    };
    let task = ngym::task("ngym-modcog-goseqr", &config).unwrap();
    let mut rng = SimRng::new(4);
    let mut seen = [0usize; 17];
    for _ in 0..300 {
        let trial = task.trial(&mut rng);
        let dec = trial.period("decision").unwrap();
        for t in dec.start..dec.end {
            seen[argmax(trial.targets.row(t).iter().copied())] += 1;
        }
    }
    assert_eq!(seen[16], 0, "ring unit 15 (action 16) is never a target");
    assert!(seen[0] > 0 && (1..16).all(|a| seen[a] > 0), "{seen:?}");
    let rt = ngym::task("ngym-modcog-rtgoseqr", &config).unwrap();
    assert_eq!(span(&rt.trial(&mut rng), "decision").len(), 5);
    let corrected = NgymConfig {
        variant: NgymForm::Corrected,
        ..config
    };
    let rt = ngym::task("ngym-modcog-rtgoseqr", &corrected).unwrap();
    assert_eq!(span(&rt.trial(&mut rng), "decision").len(), 10);
}

#[test]
fn dm_fixation_and_match_delays_are_floored_like_neurogym() {
    let config = NgymConfig::default();
    let mut rng = SimRng::new(9);
    let dm1 = ngym::task("ngym-modcog-dm1", &config).unwrap();
    let mut counts = [0usize; 6];
    for _ in 0..3000 {
        counts[span(&dm1.trial(&mut rng), "fixation").len()] += 1;
    }
    // floor(U(200, 500) / 100): 2, 3, 4 steps, a third each
    assert_eq!((counts[0], counts[1], counts[5]), (0, 0, 0));
    for k in 2..=4 {
        assert!(
            (counts[k] as f64 / 3000.0 - 1.0 / 3.0).abs() < 0.04,
            "{counts:?}"
        );
    }
    // the authors' match delay: one per modality environment, per env_seed; the
    // corrected form draws it per trial from 200..=1100 ms
    let mut delays = std::collections::BTreeSet::new();
    for env_seed in 0..200 {
        let cfg = NgymConfig {
            env_seed,
            ..NgymConfig::default()
        };
        let dms = ngym::task("ngym-modcog-dms", &cfg).unwrap();
        for d in dms.env_delays_ms() {
            assert!((200.0..=1100.0).contains(&d) && d % 100.0 == 0.0, "{d}");
            delays.insert(d as usize);
        }
    }
    assert_eq!(delays.len(), 10, "{delays:?}");
    let corrected = NgymConfig {
        variant: NgymForm::Corrected,
        ..NgymConfig::default()
    };
    let dms = ngym::task("ngym-modcog-dms", &corrected).unwrap();
    let per_trial: std::collections::BTreeSet<usize> = (0..400)
        .map(|_| dms.trial_with_conditions(&mut rng).1.delay_ms as usize)
        .collect();
    assert_eq!(per_trial.len(), 10, "{per_trial:?}");
    let e = build_task("ngym-modcog-dms", &serde_json::json!({"variant": "fixed"}))
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("variant") || e.contains("fixed"), "{e}");
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
}

#[test]
fn bad_options_are_named() {
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
