//! Data-parallel training: a batch cut into `train.shards` shards gives weights that do not
//! depend on how many threads compute the shards, the sharded gradient is the full-batch
//! gradient (up to f32 rounding), and rules whose update couples the trials refuse shards.

use serde_json::{json, Value};
use sparse_rnn_lab::lab::fingerprint::fingerprint;
use sparse_rnn_lab::lab::run::parse_run;
use sparse_rnn_lab::train::Gradients;

fn run(rule: Value, shards: usize, noise: f64) -> Value {
    json!({
        "network": {"n_neurons": 40, "k": 8, "connectivity": "fixed-in-degree",
                    "activation": "rectified-tanh", "input_map": "identity",
                    "readout": "trained", "rec_noise_std": noise, "seed": 4},
        "train": {"learning_rate": 0.01, "batch_size": 16, "seed": 9, "shards": shards},
        "task": {"id": "turcu-classification", "n_patterns": 12, "seed": 3},
        "rule": rule
    })
}

fn train(config: Value, threads: usize, steps: usize) -> u64 {
    let mut trainer = parse_run(config).unwrap().into_trainer().unwrap();
    trainer.set_threads(threads);
    for _ in 0..steps {
        trainer.train_step().unwrap();
    }
    fingerprint(&trainer.network)
}

#[test]
fn weights_do_not_depend_on_the_number_of_threads() {
    for rule in [
        json!("bptt"),
        json!("feedback-alignment"),
        json!("direct-feedback-alignment"),
        json!({"rule": "imperfect-forward", "weight_noise_std": 0.02}),
    ] {
        let one = train(run(rule.clone(), 8, 0.05), 1, 10);
        for threads in [2, 4, 8] {
            assert_eq!(
                train(run(rule.clone(), 8, 0.05), threads, 10),
                one,
                "{rule}: {threads} threads differ from 1"
            );
        }
        assert_ne!(
            train(run(rule.clone(), 1, 0.05), 1, 10),
            one,
            "{rule}: shards draw their own noise, so 8 shards differ from 1"
        );
    }
}

fn gradient(shards: usize) -> (f32, Gradients) {
    let mut trainer = parse_run(run(json!("bptt"), shards, 0.0))
        .unwrap()
        .into_trainer()
        .unwrap();
    let batch = trainer.next_batch().unwrap();
    let (loss, grads) = trainer.gradients(&batch).unwrap();
    (loss, grads.clone())
}

#[test]
fn the_sharded_gradient_is_the_full_batch_gradient() {
    let (loss, whole) = gradient(1);
    for shards in [2, 5, 16] {
        let (sharded_loss, sharded) = gradient(shards);
        assert!(
            (sharded_loss - loss).abs() <= 1e-6 * loss.abs(),
            "{shards} shards: loss {sharded_loss} vs {loss}"
        );
        let (relative, angle) = sparse_rnn_lab::train::agreement(&sharded, &whole);
        assert!(
            relative < 1e-5,
            "{shards} shards: relative error {relative}, angle {angle}°"
        );
    }
}

#[test]
fn rules_that_couple_the_trials_refuse_shards() {
    for rule in [
        json!("predictive-coding"),
        json!("bean"),
        json!("hebbian-os-plus"),
        json!("local-plasticity"),
    ] {
        let error = parse_run(run(rule.clone(), 4, 0.0))
            .and_then(|setup| setup.into_trainer())
            .err()
            .unwrap_or_else(|| panic!("{rule}: shards accepted"))
            .to_string();
        assert!(error.contains("`shards`"), "{rule}: {error}");
    }
    let error = parse_run(run(json!("bptt"), 17, 0.0))
        .err()
        .unwrap()
        .to_string();
    assert!(error.contains("shards") && error.contains("17"), "{error}");
}

/// The page's data-parallel protocol with 1, 2 or 4 "workers" (one `Trainer` each): every
/// worker draws the step's batch and computes its shards, the owner adds all shards in
/// order and applies them, then sends the new parameters to the workers. The weights equal
/// the single trainer's, whatever the number of workers.
#[test]
fn flat_shard_protocol_matches_the_single_trainer_for_any_number_of_workers() {
    let config = run(json!("bptt"), 4, 0.05);
    let reference = train(config.clone(), 1, 6);
    for workers in [1, 2, 4] {
        let mut trainers: Vec<_> = (0..workers)
            .map(|_| parse_run(config.clone()).unwrap().into_trainer().unwrap())
            .collect();
        let per_worker = 4 / workers;
        for step in 1..=6 {
            let mut flat = Vec::new();
            for (w, trainer) in trainers.iter_mut().enumerate() {
                let range = w * per_worker..(w + 1) * per_worker;
                flat.extend(trainer.shard_gradients_flat(step, range).unwrap());
            }
            trainers[0].apply_flat_gradients(&flat).unwrap();
            let parameters = trainers[0].parameters_flat();
            for trainer in trainers.iter_mut().skip(1) {
                trainer.set_parameters_flat(&parameters).unwrap();
            }
        }
        assert_eq!(
            fingerprint(&trainers[0].network),
            reference,
            "{workers} workers differ from one trainer"
        );
    }
    let mut trainer = parse_run(config).unwrap().into_trainer().unwrap();
    assert!(trainer.shard_gradients_flat(1, 2..5).is_err());
    assert!(trainer.apply_flat_gradients(&[1.0, 2.0]).is_err());
    assert!(trainer.set_parameters_flat(&[1.0]).is_err());
}
