//! The paper studies of `lab::studies`: Jarne & Laje's model pieces (Glorot-uniform dense
//! maps, Keras's learning-rate decay, damage by threshold, the AND trials and distance of
//! their damage tables) and Rosenbaum's feed-forward
//! predictive coding against the paper's Fig. 3C.

use serde_json::json;
use sparse_rnn_lab::lab::fingerprint::fingerprint;
use sparse_rnn_lab::lab::run::parse_run;
use sparse_rnn_lab::lab::session::Session;
use sparse_rnn_lab::lab::studies::jarne_laje::{
    and_task_options, and_test_trials, damage_table, damage_table_noise_free, damaged, distances,
    model_file_name, pulse_distances, run_description, trained_network, Damage, Schedule,
    AND_CONDITIONS, AND_INPUT_NOISE_STD, AND_TRIALS_PER_CONDITION,
};
use sparse_rnn_lab::lab::studies::predictive_coding::{
    fpa_theory, layer_errors, teacher_data, FfLoss, FfNet,
};
use sparse_rnn_lab::rng::SimRng;
use sparse_rnn_lab::tasks::jarne_laje::JarneLajeKind;
use sparse_rnn_lab::tasks::Trial;

fn and_session(train: serde_json::Value) -> Session {
    let schedule = Schedule::authors(JarneLajeKind::And);
    let mut config = run_description(JarneLajeKind::And, &json!({}), 50, 3, &schedule);
    for (k, v) in train.as_object().unwrap() {
        config["train"][k] = v.clone();
    }
    Session::new(config).unwrap()
}

#[test]
fn glorot_uniform_dense_maps() {
    let network = and_session(json!({})).trainer.network.clone();
    let (input_limit, output_limit) = ((6.0f32 / 52.0).sqrt(), (6.0f32 / 51.0).sqrt());
    let w_in = &network.w_in.values;
    assert_eq!(w_in.len(), 100);
    assert!(w_in.iter().all(|w| w.abs() <= input_limit));
    // uniform: the std is limit/√3 (within sampling error for 100 draws)
    let std = (w_in.iter().map(|w| w * w).sum::<f32>() / 100.0).sqrt();
    assert!((std - input_limit / 3f32.sqrt()).abs() < 0.03, "{std}");
    assert!(network.w_out.values.iter().all(|w| w.abs() <= output_limit));
    assert!(network.bias.iter().all(|b| *b == 0.0));
}

#[test]
fn lr_decay_follows_keras() {
    // SGD, so an update is lr_k · g: with decay 1 the second update is half the first
    // schedule's (same weights after step 1, same batch, same gradient)
    let weights = |decay: f64| {
        let mut s =
            and_session(json!({"optimizer": "sgd", "learning_rate": 0.05, "lr_decay": decay}));
        let w0 = s.trainer.network.w_rec_param.clone();
        s.train(1).unwrap();
        let w1 = s.trainer.network.w_rec_param.clone();
        s.train(1).unwrap();
        (w0, w1, s.trainer.network.w_rec_param.clone())
    };
    let (a0, a1, a2) = weights(1.0);
    let (b0, b1, b2) = weights(0.0);
    assert_eq!(
        (&a0, &a1),
        (&b0, &b1),
        "the first update uses the full rate"
    );
    let mut checked = 0;
    for k in 0..a2.len() {
        let (da, db) = (a2[k] - a1[k], b2[k] - b1[k]);
        if db.abs() > 1e-5 {
            // f32 weights of order 0.1 round a 1e-5 update to about 1e-3 of itself
            assert!((da / db - 0.5).abs() < 1e-2, "{da} vs {db}");
            checked += 1;
        }
    }
    assert!(checked > 100);
    let bad = Session::new({
        let schedule = Schedule::authors(JarneLajeKind::And);
        let mut c = run_description(JarneLajeKind::And, &json!({}), 50, 3, &schedule);
        c["train"]["lr_decay"] = json!(2.0);
        c
    });
    let error = bad.err().expect("refused").to_string();
    assert!(error.contains("train.lr_decay"), "{error}");
}

// The authors' AND trial (`code_paper_rep/generate_data_set_and.py`), written here from
// their parameters rather than from our generator: first_in 30, stim_dur 20, mem_gap 20,
// out_gap 140 → 210 steps; input A (B) is 1 on [30, 50) when set; the target is 0 before
// out_t = 70 and A AND B from there; with the noise line enabled, stim_noise · randn is
// added to both inputs at every step and nothing to the target.
const AND_STEPS: usize = 210;
const AND_PULSE: std::ops::Range<usize> = 30..50;
const AND_ONSET: usize = 70;

fn authors_clean_input(t: usize, on: bool) -> f32 {
    if on && AND_PULSE.contains(&t) {
        1.0
    } else {
        0.0
    }
}

/// The input noise of `trials` (input minus the authors' clean pulse): mean and std over
/// every step of both channels.
fn input_noise(trials: &[(Trial, (bool, bool))]) -> (f64, f64) {
    let mut residuals = Vec::new();
    for (trial, (a, b)) in trials {
        for t in 0..trial.n_steps() {
            for (c, on) in [(0, *a), (1, *b)] {
                residuals.push((trial.inputs[[t, c]] - authors_clean_input(t, on)) as f64);
            }
        }
    }
    let n = residuals.len() as f64;
    let mean = residuals.iter().sum::<f64>() / n;
    let var = residuals.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / n;
    (mean, var.sqrt())
}

#[test]
fn and_test_trials_follow_the_authors_noisy_generator() {
    let sets = and_test_trials().unwrap();
    assert_eq!(sets.len(), 4);
    let mut all = Vec::new();
    for (set, &(a, b)) in sets.iter().zip(&AND_CONDITIONS) {
        assert_eq!(set.len(), AND_TRIALS_PER_CONDITION);
        for trial in set {
            assert_eq!(trial.n_steps(), AND_STEPS);
            assert_eq!(trial.inputs.ncols(), 2);
            // the condition shows in the pulse window and nowhere else
            for (c, on) in [(0, a), (1, b)] {
                let mean = |r: std::ops::Range<usize>| {
                    let len = r.len() as f32;
                    r.map(|t| trial.inputs[[t, c]]).sum::<f32>() / len
                };
                let expected = if on { 1.0 } else { 0.0 };
                assert!(
                    (mean(AND_PULSE) - expected).abs() < 0.1,
                    "{}",
                    mean(AND_PULSE)
                );
                assert!(mean(0..AND_PULSE.start).abs() < 0.1);
                assert!(mean(AND_PULSE.end..AND_STEPS).abs() < 0.05);
            }
            // the target carries no noise: exactly 0, then exactly A AND B from 70 ms
            for t in 0..AND_STEPS {
                let want = if t >= AND_ONSET && a && b { 1.0 } else { 0.0 };
                assert_eq!(trial.targets[[t, 0]], want, "t = {t}");
            }
            all.push((trial.clone(), (a, b)));
        }
    }
    // Gaussian noise of std 0.1 on every input at every step: 2 × 210 × 40 samples
    let (mean, std) = input_noise(&all);
    assert!(mean.abs() < 0.005, "noise mean {mean}");
    assert!((std - AND_INPUT_NOISE_STD).abs() < 0.004, "noise std {std}");
    // fresh noise per trial
    assert_ne!(sets[0][0].inputs, sets[0][1].inputs);
}

#[test]
fn the_study_trains_and_networks_on_noisy_trials() {
    let schedule = Schedule::authors(JarneLajeKind::And);
    let config = run_description(JarneLajeKind::And, &and_task_options(), 50, 3, &schedule);
    let setup = parse_run(config).unwrap();
    let mut rng = SimRng::new(5);
    let trials: Vec<(Trial, (bool, bool))> = (0..40)
        .map(|_| {
            let trial = setup.task.trial(&mut rng);
            let on = |c: usize| AND_PULSE.map(|t| trial.inputs[[t, c]]).sum::<f32>() > 10.0;
            let condition = (on(0), on(1));
            (trial, condition)
        })
        .collect();
    let (_, std) = input_noise(&trials);
    assert!(
        (std - AND_INPUT_NOISE_STD).abs() < 0.004,
        "training noise std {std}"
    );
}

#[test]
fn and_distance_is_the_norm_over_the_whole_trial() {
    // a network whose output is the constant c: on every trial of a condition the distance
    // is ‖target − c‖₂ over all 210 steps, whatever the input noise
    let c = 0.3f32;
    let mut network = and_session(json!({})).trainer.network.clone();
    network.w_out.values.iter_mut().for_each(|w| *w = 0.0);
    network.b_out = vec![c];
    network.refresh_effective_weights();
    let c = c as f64;
    let zero = (AND_STEPS as f64 * c * c).sqrt(); // 4.347
    let one =
        (AND_ONSET as f64 * c * c + (AND_STEPS - AND_ONSET) as f64 * (1.0 - c).powi(2)).sqrt(); // 8.654
    let sets = and_test_trials().unwrap();
    for (set, &(a, b)) in sets.iter().zip(&AND_CONDITIONS) {
        let want = if a && b { one } else { zero };
        for d in distances(&network, set.clone()) {
            assert!((d - want).abs() < 1e-4, "{d} vs {want}");
        }
    }
    // the damage table averages those per condition: the same at every threshold
    let rows = damage_table(
        std::slice::from_ref(&network),
        Damage::Magnitude,
        &[0.0, 0.067],
    )
    .unwrap();
    for row in &rows {
        for (k, want) in [zero, one, zero, zero].iter().enumerate() {
            assert!((row.mean[k] - want).abs() < 1e-4, "{:?}", row.mean);
        }
    }
}

#[test]
fn the_damage_table_scores_noisy_trials() {
    // with its input weights, an untrained network answers the noise: on the noisy "00"
    // trials its output moves, on the noise-free one it is the readout bias alone
    let mut network = and_session(json!({})).trainer.network.clone();
    network.b_out = vec![0.01];
    let noisy = damage_table(std::slice::from_ref(&network), Damage::Magnitude, &[0.0]).unwrap();
    let clean =
        damage_table_noise_free(std::slice::from_ref(&network), Damage::Magnitude, &[0.0]).unwrap();
    let silent = 0.01 * (AND_STEPS as f64).sqrt();
    assert!(
        (clean[0].mean[0] - silent).abs() < 1e-4,
        "{}",
        clean[0].mean[0]
    );
    assert!(
        noisy[0].mean[0] > clean[0].mean[0] + 0.05,
        "{}",
        noisy[0].mean[0]
    );
}

/// The model directory of `srnn reproduce jarne-laje --models`: a network kept there is
/// loaded, not retrained, and gives the same damage rows and pulse distances as the same
/// network trained afresh; other settings are another file.
#[test]
fn a_saved_network_gives_the_same_rows_as_a_fresh_one() {
    let dir = std::env::temp_dir().join(format!("srnn-jl-models-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    // a cheap schedule: N = 12, 3 Adam steps of 8 trials
    let schedule = Schedule {
        epochs: 1,
        trials_per_epoch: 24,
        batch_size: 8,
        learning_rate: 1e-2,
        ..Schedule::authors(JarneLajeKind::And)
    };
    let and = run_description(JarneLajeKind::And, &and_task_options(), 12, 4, &schedule);
    let fresh = trained_network(and.clone(), &schedule, None).unwrap();
    let written = trained_network(and.clone(), &schedule, Some(&dir)).unwrap();
    let file = dir.join(model_file_name(&and, &schedule));
    assert!(file.exists(), "{file:?} not written");
    let loaded = trained_network(and.clone(), &schedule, Some(&dir)).unwrap();
    assert_eq!(fingerprint(&fresh), fingerprint(&written));
    assert_eq!(fingerprint(&fresh), fingerprint(&loaded));
    let thresholds = [0.0, 0.025, 0.067];
    for damage in [Damage::Magnitude, Damage::Positive, Damage::Negative] {
        let rows = |net: &sparse_rnn_lab::model::Network| {
            damage_table(std::slice::from_ref(net), damage, &thresholds).unwrap()
        };
        assert_eq!(rows(&fresh), rows(&loaded));
    }
    // loaded, not retrained: what is in the file is what comes back
    let text = std::fs::read_to_string(&file).unwrap();
    let (mut edited, steps) = sparse_rnn_lab::persist::load_model(&text).unwrap();
    assert_eq!(steps, 3);
    edited.b_out[0] += 0.5;
    std::fs::write(&file, sparse_rnn_lab::persist::save_model(&edited, steps)).unwrap();
    let again = trained_network(and.clone(), &schedule, Some(&dir)).unwrap();
    assert_eq!(again.b_out[0], loaded.b_out[0] + 0.5);
    // the time pulse: the interval is in the name, the distances are the fresh network's
    let pulse_schedule = Schedule {
        stop_loss: Schedule::authors(JarneLajeKind::TimePulse).stop_loss,
        ..schedule
    };
    let pulse = run_description(
        JarneLajeKind::TimePulse,
        &json!({ "interval_ms": 25.0 }),
        12,
        4,
        &pulse_schedule,
    );
    let name = model_file_name(&pulse, &pulse_schedule);
    assert!(name.starts_with("jl-time-pulse-n12-25ms-seed4-"), "{name}");
    let fresh = trained_network(pulse.clone(), &pulse_schedule, None).unwrap();
    trained_network(pulse.clone(), &pulse_schedule, Some(&dir)).unwrap();
    let loaded = trained_network(pulse.clone(), &pulse_schedule, Some(&dir)).unwrap();
    assert_eq!(
        pulse_distances(&fresh, 25.0, 1004).unwrap(),
        pulse_distances(&loaded, 25.0, 1004).unwrap()
    );
    // any other setting is another file: seed, interval, learning rate, epochs
    let other_seed = run_description(JarneLajeKind::And, &and_task_options(), 12, 5, &schedule);
    let longer = Schedule {
        epochs: 2,
        ..schedule
    };
    let slower = Schedule {
        learning_rate: 1e-3,
        ..schedule
    };
    let names = [
        model_file_name(&and, &schedule),
        model_file_name(&other_seed, &schedule),
        model_file_name(&and, &longer),
        model_file_name(
            &run_description(JarneLajeKind::And, &and_task_options(), 12, 4, &slower),
            &slower,
        ),
        name,
    ];
    for (i, a) in names.iter().enumerate() {
        for b in &names[i + 1..] {
            assert_ne!(a, b);
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn damage_removes_by_threshold_and_sign() {
    let network = and_session(json!({})).trainer.network.clone();
    let w = &network.w_rec.values;
    for (damage, hit) in [
        (
            Damage::Magnitude,
            (|x: f32| x.abs() < 0.025) as fn(f32) -> bool,
        ),
        (Damage::Positive, |x: f32| x > 0.0 && x < 0.025),
        (Damage::Negative, |x: f32| x < 0.0 && x > -0.025),
    ] {
        let (out, fraction) = damaged(&network, damage, 0.025);
        let expected = w.iter().filter(|x| hit(**x)).count();
        assert_eq!(fraction, expected as f64 / 2500.0);
        for (before, after) in w.iter().zip(&out.w_rec.values) {
            assert_eq!(*after, if hit(*before) { 0.0 } else { *before });
        }
    }
    // the authors' tables: threshold 0.025 removes ≈ 14 % of an N = 50 network's weights
    let (_, fraction) = damaged(&network, Damage::Magnitude, 0.025);
    assert!((0.10..0.18).contains(&fraction), "{fraction}");
}

#[test]
fn fixed_prediction_matches_fig_3c_and_converges() {
    let sizes = [20, 40, 30, 30, 20, 10];
    let net = FfNet::new(&sizes, 1);
    let (x, labels) = teacher_data(&sizes, 32, 1, 1);
    let exact = net.backprop(FfLoss::CrossEntropy, &x, &labels);
    // Fig. 3C (η = 0.1, n = 20): 0.885 / 0.705 / 0.420 / 0.135 / 0, angle 0
    let step = net.fixed_prediction(FfLoss::CrossEntropy, &x, &labels, 0.1, 20, false);
    let errors = layer_errors(&net, &step, &exact);
    for (l, (relative, angle)) in errors.iter().enumerate() {
        let theory = fpa_theory(19, 0.1, sizes.len() - 2 - l);
        assert!(
            (relative - theory).abs() < 1e-9,
            "layer {l}: {relative} vs {theory}"
        );
        assert!(*angle < 1e-3 || theory == 1.0, "layer {l}: {angle}°");
    }
    assert!((errors[0].0 - 0.885).abs() < 1e-3 && (errors[3].0 - 0.135).abs() < 1e-3);
    // η = 1 is exact once n reaches the depth; η = 0.1 converges (no plateau in f64)
    for (eta, n) in [(1.0, 5), (0.1, 400)] {
        let step = net.fixed_prediction(FfLoss::CrossEntropy, &x, &labels, eta, n, false);
        let worst = layer_errors(&net, &step, &exact)
            .iter()
            .map(|e| e.0)
            .fold(0.0, f64::max);
        assert!(worst < 1e-9, "η = {eta}, n = {n}: {worst}");
    }
    // strict PC (η = 0.1) approaches backprop with more iterations
    let exact = net.backprop(FfLoss::Mse, &x, &labels);
    let strict = |n| {
        let step = net.strict(FfLoss::Mse, &x, &labels, 0.1, n);
        layer_errors(&net, &step, &exact)[0].0
    };
    assert!(
        strict(400) < 0.1 * strict(20),
        "{} vs {}",
        strict(400),
        strict(20)
    );
}
