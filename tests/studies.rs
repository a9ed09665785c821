//! The paper studies of `lab::studies`: Jarne & Laje's model pieces (Glorot-uniform dense
//! maps, Keras's learning-rate decay, damage by threshold) and Rosenbaum's feed-forward
//! predictive coding against the paper's Fig. 3C.

use serde_json::json;
use sparse_rnn_lab::lab::session::Session;
use sparse_rnn_lab::lab::studies::jarne_laje::{damaged, run_description, Damage, Schedule};
use sparse_rnn_lab::lab::studies::predictive_coding::{
    fpa_theory, layer_errors, teacher_data, FfLoss, FfNet,
};
use sparse_rnn_lab::tasks::jarne_laje::JarneLajeKind;

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
            assert!((da / db - 0.5).abs() < 1e-3, "{da} vs {db}");
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
