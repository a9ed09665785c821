//! Turcu & Abbott classification by amplification, end to end: a sparse network (each
//! neuron K = 10 random presynaptic partners) with a fixed population-mean readout learns
//! to amplify half of P = 100 random patterns, and the decision persists long after the
//! input is switched off.

use sparse_rnn_lab::lab::presets::turcu_network;
use sparse_rnn_lab::learning::{LearningRule, Trainer};
use sparse_rnn_lab::model::{Dynamics, Network, NetworkConfig};
use sparse_rnn_lab::rng::SimRng;
use sparse_rnn_lab::tasks::turcu::{PatternClassification, PatternConfig};
use sparse_rnn_lab::tasks::TrialBatch;
use sparse_rnn_lab::train::{evaluate_batch, LossKind, TrainConfig};

const N: usize = 200;

/// Turcu & Abbott's network: K = 10 synapses per neuron, rectified tanh, identity input,
/// population readout (the same configuration the capacity sweep uses).
fn network(seed: u64) -> Network {
    Network::new(turcu_network(N, 10, seed)).unwrap()
}

/// Train `network` on P = 100 patterns for 300 steps and check: chance before, ≥ 0.95 at
/// the end of the training window, ≥ 0.9 at 900 ms after offset (the readout is trained
/// only on the first 100 ms after offset), and the loss at least halved.
fn check_classifies_and_holds(network: Network, label: &str) {
    let task = PatternClassification::new(PatternConfig {
        n_patterns: 100,
        pattern_dim: N,
        ..Default::default()
    })
    .unwrap();
    let config = TrainConfig {
        learning_rate: 0.01,
        batch_size: 64,
        ..Default::default()
    };
    let mut trainer =
        Trainer::new(network, Box::new(task.clone()), config, LearningRule::Bptt).unwrap();

    let all = TrialBatch::pack(task.all_trials(&mut SimRng::new(0)));
    let (_, chance) = evaluate_batch(&trainer.network, &task, &all, LossKind::Mse);
    assert!(
        chance <= 0.7,
        "{label}: untrained network already at {chance}"
    );

    for _ in 0..300 {
        trainer.train_step().unwrap();
    }
    let (_, accuracy) = evaluate_batch(&trainer.network, &task, &all, LossKind::Mse);
    let longer = task.with_response_ms(900.0);
    let all_long = TrialBatch::pack(longer.all_trials(&mut SimRng::new(0)));
    let (_, late) = evaluate_batch(&trainer.network, &longer, &all_long, LossKind::Mse);
    let first = trainer.loss_history[..10].iter().sum::<f32>();
    let last = trainer.loss_history[290..].iter().sum::<f32>();
    eprintln!(
        "{label}: chance {chance}, accuracy {accuracy}, 900 ms {late}, loss {first} -> {last}"
    );
    assert!(
        accuracy >= 0.95,
        "{label}: accuracy at the end of the training window: {accuracy}"
    );
    assert!(
        late >= 0.9,
        "{label}: accuracy 900 ms after input offset: {late}"
    );
    assert!(
        last < 0.5 * first,
        "{label}: loss fell from {first} to {last}"
    );
}

#[test]
fn sparse_network_classifies_by_amplification_and_holds_the_decision() {
    check_classifies_and_holds(network(3), "rate form");
}

#[test]
fn same_seed_gives_bit_identical_training() {
    let run = || {
        let task = PatternClassification::new(PatternConfig {
            n_patterns: 20,
            pattern_dim: N,
            ..Default::default()
        })
        .unwrap();
        let config = TrainConfig {
            learning_rate: 0.01,
            batch_size: 8,
            ..Default::default()
        };
        let mut trainer =
            Trainer::new(network(4), Box::new(task), config, LearningRule::Bptt).unwrap();
        for _ in 0..5 {
            trainer.train_step().unwrap();
        }
        trainer.network
    };
    assert_eq!(run(), run());
}

/// The same network and training in the paper's voltage form
/// (x ← (1−α)x + α(W f(x) + u), population readout of the rates f(x)).
/// Measured with this seed: accuracy 0.99, 0.98 at 900 ms. Over seeds 1..=9 the accuracy
/// at the end of the training window is ≥ 0.99 every time, but holding the decision is
/// seed-dependent in this form (900 ms accuracy 0.51 for seed 1, 0.83 for seed 5, ≥ 0.9
/// otherwise; the rate form holds ≥ 0.98 on all of them).
#[test]
fn voltage_form_classifies_by_amplification_and_holds_the_decision() {
    let network = Network::new(NetworkConfig {
        dynamics: Dynamics::Voltage,
        ..turcu_network(N, 10, 3)
    })
    .unwrap();
    check_classifies_and_holds(network, "voltage form");
}
