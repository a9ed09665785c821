//! Defining properties of the learning rules in `sparse_rnn_lab::learning`.

use sparse_rnn_lab::learning::feedback_alignment::{
    dfa_gradients, fa_gradients, feedback_matrix, rflo_online_recurrent,
};
use sparse_rnn_lab::learning::hebbian::{hebbian_rate, one_shot_from_batch};
use sparse_rnn_lab::learning::imperfect::{perturbed_copy, quantize};
use sparse_rnn_lab::learning::local::local_update;
use sparse_rnn_lab::learning::{
    FeedbackConfig, HebbianConfig, ImperfectConfig, LearningRule, LocalConfig, LocalRuleKind,
    Trainer,
};
use sparse_rnn_lab::model::{Activation, Connectivity, InputMap, Network, NetworkConfig, Readout};
use sparse_rnn_lab::rng::SimRng;
use sparse_rnn_lab::tasks::turcu::{PatternClassification, PatternConfig};
use sparse_rnn_lab::tasks::TrialBatch;
use sparse_rnn_lab::train::{forward, Gradients, TrainConfig, Trajectory};
use sparse_rnn_lab::Error;

fn small_net(connectivity: Connectivity) -> Network {
    Network::new(NetworkConfig {
        n_neurons: 12,
        n_inputs: 3,
        n_outputs: 2,
        connectivity,
        k: 4,
        activation: Activation::Tanh,
        gain: 1.1,
        dt_ms: 20.0,
        tau_ms: 60.0,
        seed: 5,
        ..Default::default()
    })
    .unwrap()
}

/// Random inputs and a random output error for T = 6, B = 3.
fn random_case(net: &Network) -> (Vec<f32>, Trajectory, Vec<f32>) {
    let (t_len, b_len) = (6, 3);
    let mut rng = SimRng::new(17);
    let x: Vec<f32> = (0..net.n_inputs() * t_len * b_len)
        .map(|_| rng.normal() as f32)
        .collect();
    let mut traj = Trajectory::default();
    forward(net, &x, t_len, b_len, None, &mut traj);
    let e: Vec<f32> = (0..net.n_outputs() * t_len * b_len)
        .map(|_| 0.1 * rng.normal() as f32)
        .collect();
    (x, traj, e)
}

fn bptt(net: &Network, x: &[f32], traj: &Trajectory, e: &[f32]) -> Gradients {
    sparse_rnn_lab::train::bptt(net, x, traj, e)
}

fn max_rel(a: &[f32], b: &[f32]) -> f32 {
    let scale = b.iter().fold(0.0f32, |m, v| m.max(v.abs())).max(1e-30);
    a.iter()
        .zip(b)
        .fold(0.0f32, |m, (p, q)| m.max((p - q).abs()))
        / scale
}

#[test]
fn fa_with_b_equal_to_w_out_is_bptt_and_fa_dfa_ignore_w_out() {
    let net = small_net(Connectivity::FixedInDegree);
    let (x, traj, e) = random_case(&net);
    let reference = bptt(&net, &x, &traj, &e);
    let fa_exact = fa_gradients(&net, &net.w_out, &x, &traj, &e);
    for (a, b) in [
        (&fa_exact.w_rec, &reference.w_rec),
        (&fa_exact.w_in, &reference.w_in),
        (&fa_exact.bias, &reference.bias),
        (&fa_exact.w_out, &reference.w_out),
    ] {
        assert!(
            max_rel(a, b) < 1e-5,
            "FA(B = W_out) vs BPTT: {}",
            max_rel(a, b)
        );
    }
    // same trajectory and output error, different readout weights
    let b = feedback_matrix(&net, &FeedbackConfig::default());
    let mut other = net.clone();
    other
        .w_out
        .values
        .iter_mut()
        .for_each(|w| *w = -2.0 * *w + 0.3);
    other.refresh_effective_weights();
    for rule in [fa_gradients, dfa_gradients] {
        let g1 = rule(&net, &b, &x, &traj, &e);
        let g2 = rule(&other, &b, &x, &traj, &e);
        assert_eq!(
            g1.w_rec, g2.w_rec,
            "the recurrent update must not see W_out"
        );
        let b2 = feedback_matrix(
            &net,
            &FeedbackConfig {
                seed: 8,
                ..Default::default()
            },
        );
        assert!(max_rel(&rule(&net, &b2, &x, &traj, &e).w_rec, &g1.w_rec) > 0.1);
    }
    assert!(max_rel(&bptt(&other, &x, &traj, &e).w_rec, &reference.w_rec) > 0.1);
}

#[test]
fn dfa_equals_rflo_with_online_eligibility_traces() {
    for connectivity in [Connectivity::FixedInDegree, Connectivity::Dense] {
        let net = small_net(connectivity);
        let (x, traj, e) = random_case(&net);
        let b = feedback_matrix(&net, &FeedbackConfig::default());
        let backward_in_time = dfa_gradients(&net, &b, &x, &traj, &e).w_rec;
        let online = rflo_online_recurrent(&net, &b, &traj, &e);
        assert!(max_rel(&backward_in_time, &online) < 1e-5);
        let exact = fa_gradients(&net, &b, &x, &traj, &e).w_rec;
        assert!(
            max_rel(&backward_in_time, &exact) > 1e-3,
            "DFA must drop W_recᵀ"
        );
    }
}

#[test]
fn hebbian_os_weight_is_the_masked_label_weighted_covariance() {
    let n = 6;
    let net = Network::new(NetworkConfig {
        n_neurons: n,
        n_inputs: n,
        connectivity: Connectivity::FixedInDegree,
        k: 2,
        input_map: InputMap::Identity,
        readout: Readout::Population,
        ..Default::default()
    })
    .unwrap();
    let task = PatternClassification::new(PatternConfig {
        n_patterns: 3,
        pattern_dim: n,
        ..Default::default()
    })
    .unwrap();
    let batch = TrialBatch::pack(task.all_trials(&mut SimRng::new(0)));
    let mut learned = net.clone();
    one_shot_from_batch(&mut learned, &batch, &HebbianConfig::default()).unwrap();
    // η_H = 10·0.1^{1/4}/√(N P √f), f = 12/36
    let eta = 10.0 * 0.1f64.powf(0.25) / (6.0 * 3.0 * (12.0f64 / 36.0).sqrt()).sqrt();
    assert!((hebbian_rate(6, 3, 12.0 / 36.0, 10.0) - eta).abs() < 1e-12);
    let dense = learned.w_rec.to_dense();
    for i in 0..n {
        for j in 0..n {
            let exists = net.w_rec.to_dense()[i * n + j] != 0.0;
            let closed: f64 = (0..3)
                .map(|m| {
                    let b = if task.labels[m] { 1.0 } else { -1.0 };
                    b * task.patterns[m][i] as f64 * task.patterns[m][j] as f64
                })
                .sum::<f64>()
                * eta;
            let expected = if exists { closed as f32 } else { 0.0 };
            assert!((dense[i * n + j] - expected).abs() < 1e-6, "J[{i}][{j}]");
        }
    }
    assert_eq!(
        learned.w_rec.nnz(),
        net.w_rec.nnz(),
        "only real synapses are touched"
    );
}

#[test]
fn local_rules_match_their_formulas() {
    let net = small_net(Connectivity::FixedInDegree);
    let (_, traj, _) = random_case(&net);
    let lanes = 18;
    let w = &net.w_rec;
    let rows = w.entry_rows();
    for kind in [LocalRuleKind::Hebb, LocalRuleKind::Oja, LocalRuleKind::Bcm] {
        let config = LocalConfig {
            kind,
            learning_rate: 0.5,
        };
        let delta = local_update(&net, &traj, &config);
        for s in 0..w.nnz() {
            let (i, j) = (rows[s] as usize, w.col_idx[s] as usize);
            let y = |l: usize| traj.rates[i * lanes + l] as f64;
            let x = |l: usize| traj.state(j, l / 3, l % 3) as f64;
            let mean = |f: &dyn Fn(usize) -> f64| (0..lanes).map(f).sum::<f64>() / lanes as f64;
            let theta = mean(&|l| y(l) * y(l));
            let expected = 0.5
                * match kind {
                    LocalRuleKind::Hebb => mean(&|l| y(l) * x(l)),
                    LocalRuleKind::Oja => mean(&|l| y(l) * x(l)) - theta * w.values[s] as f64,
                    LocalRuleKind::Bcm => mean(&|l| x(l) * y(l) * (y(l) - theta)),
                };
            assert!(
                (delta[s] as f64 - expected).abs() < 1e-5,
                "{kind:?} synapse {s}"
            );
        }
    }
}

#[test]
fn quantised_forward_uses_quantised_weights() {
    let net = small_net(Connectivity::FixedInDegree);
    let config = ImperfectConfig {
        quantize_bits: 3,
        ..Default::default()
    };
    let copy = perturbed_copy(&net, &config, &mut SimRng::new(1));
    let max = net.w_rec.values.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    let step = max / 3.0;
    for (q, w) in copy.w_rec.values.iter().zip(&net.w_rec.values) {
        let level = q / step;
        assert!((level - level.round()).abs() < 1e-4 && level.abs() <= 3.0 + 1e-4);
        assert!((q - w).abs() <= step / 2.0 + 1e-6);
    }
    let mut by_hand = net.clone();
    quantize(&mut by_hand.w_rec.values, 3);
    by_hand.w_rec_param = by_hand.w_rec.values.clone();
    quantize(&mut by_hand.w_in.values, 3);
    quantize(&mut by_hand.w_out.values, 3);
    by_hand.refresh_effective_weights();
    let (x, _, _) = random_case(&net);
    let run = |n: &Network| {
        let mut t = Trajectory::default();
        forward(n, &x, 6, 3, None, &mut t);
        t.outputs
    };
    assert_eq!(run(&copy), run(&by_hand));
    assert!(max_rel(&run(&copy), &run(&net)) > 1e-3);
    // noise is fresh per draw and has the requested size
    let noisy = ImperfectConfig {
        weight_noise_std: 0.05,
        ..Default::default()
    };
    let mut rng = SimRng::new(2);
    let a = perturbed_copy(&net, &noisy, &mut rng);
    let b = perturbed_copy(&net, &noisy, &mut rng);
    assert_ne!(a.w_rec.values, b.w_rec.values);
    let diffs: Vec<f32> = a
        .w_rec
        .values
        .iter()
        .zip(&net.w_rec.values)
        .map(|(p, q)| p - q)
        .collect();
    let std = (diffs.iter().map(|d| d * d).sum::<f32>() / diffs.len() as f32).sqrt();
    assert!((std - 0.05).abs() < 0.015, "noise std {std}");
}

#[test]
fn rules_parse_by_kebab_case_name_and_bad_fields_are_named() {
    let rule = LearningRule::from_json(
        r#"{"rule": "predictive-coding", "variant": "strict", "step_size": 0.1, "iterations": 20}"#,
    )
    .unwrap();
    assert!(matches!(rule, LearningRule::PredictiveCoding(_)));
    for name in LearningRule::NAMES.split(", ") {
        let parsed = LearningRule::from_json(&format!(r#"{{"rule": "{name}"}}"#));
        assert!(parsed.is_ok(), "{name}: {parsed:?}");
    }
    let bad = LearningRule::from_json(r#"{"rule": "bean", "gamma": -1}"#).unwrap_err();
    assert!(bad.to_string().contains("`gamma`"), "{bad}");
    let unknown = LearningRule::from_json(r#"{"rule": "backprop"}"#).unwrap_err();
    assert!(unknown.to_string().contains("bptt"), "{unknown}");
    let step = LearningRule::from_json(r#"{"rule": "predictive-coding", "step_size": 2}"#);
    assert!(step.unwrap_err().to_string().contains("`step_size`"));
}

#[test]
fn non_finite_step_leaves_the_weights_untouched() {
    let net = small_net(Connectivity::FixedInDegree);
    let task = PatternClassification::new(PatternConfig {
        n_patterns: 4,
        pattern_dim: 3,
        ..Default::default()
    })
    .unwrap();
    let mut net = net;
    net.config.n_outputs = 1;
    let net = Network::from_parts(
        NetworkConfig {
            n_outputs: 1,
            ..net.config.clone()
        },
        net.w_rec.clone(),
        net.w_in.clone(),
        net.bias.clone(),
        sparse_rnn_lab::model::Csr::dense(1, 12),
    )
    .unwrap();
    let rules = [
        LearningRule::Bptt,
        LearningRule::DirectFeedbackAlignment(FeedbackConfig::default()),
        LearningRule::LocalPlasticity(LocalConfig::default()),
        LearningRule::HebbianOsPlus(HebbianConfig::default()),
    ];
    for rule in rules {
        let mut trainer = Trainer::new(
            net.clone(),
            Box::new(task.clone()),
            TrainConfig::default(),
            rule,
        )
        .unwrap();
        let mut batch = TrialBatch::pack(task.all_trials(&mut SimRng::new(0)));
        batch.inputs[0] = f32::NAN;
        let err = trainer.train_on_batch(&batch).unwrap_err();
        assert!(matches!(err, Error::NonFinite { step: 1, .. }), "{err}");
        assert_eq!(trainer.network, net);
    }
}

#[test]
fn voltage_dynamics_trains_every_rule_but_predictive_coding() {
    let task = PatternClassification::new(PatternConfig {
        n_patterns: 4,
        pattern_dim: 3,
        ..Default::default()
    })
    .unwrap();
    let net = Network::new(NetworkConfig {
        n_neurons: 12,
        n_inputs: 3,
        k: 4,
        dynamics: sparse_rnn_lab::model::Dynamics::Voltage,
        ..Default::default()
    })
    .unwrap();
    let make = |rule| {
        Trainer::new(
            net.clone(),
            Box::new(task.clone()),
            TrainConfig::default(),
            rule,
        )
    };
    for rule in [
        LearningRule::Bptt,
        LearningRule::ImperfectForward(ImperfectConfig::default()),
        LearningRule::FeedbackAlignment(FeedbackConfig::default()),
        LearningRule::DirectFeedbackAlignment(FeedbackConfig::default()),
        LearningRule::LocalPlasticity(LocalConfig::default()),
        LearningRule::HebbianOsPlus(HebbianConfig::default()),
        LearningRule::Bean(Default::default()),
    ] {
        let mut trainer = make(rule.clone()).expect("voltage form refused");
        let stats = trainer.train_step().unwrap();
        assert!(stats.loss.is_finite(), "{rule:?}: {stats:?}");
    }
    let err = make(LearningRule::PredictiveCoding(Default::default()))
        .err()
        .expect("predictive coding accepted the voltage form");
    assert!(
        err.to_string().contains("`dynamics`") && err.to_string().contains("rate form"),
        "{err}"
    );
}
