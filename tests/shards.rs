//! Data-parallel training: a batch cut into `train.shards` shards gives weights that do not
//! depend on how many threads compute the shards, the sharded gradient is the full-batch
//! gradient (up to f32 rounding), and rules whose update couples the trials refuse shards.

#[path = "support/small_yang.rs"]
mod small_yang;

use serde_json::{json, Value};
use small_yang::small_yang;
use sparse_rnn_lab::lab::fingerprint::fingerprint;
use sparse_rnn_lab::lab::run::parse_run;
use sparse_rnn_lab::tasks::TrialBatch;
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

/// The gradient on `batch` of a trainer that cuts batches into `shards` shards (with
/// several, each shard's gradient unnormalised and the sum divided by the batch's mask sum).
fn gradient(shards: usize, batch: &TrialBatch) -> (f32, Gradients) {
    let mut trainer = parse_run(run(json!("bptt"), shards, 0.0))
        .unwrap()
        .into_trainer()
        .unwrap();
    let (loss, grads) = trainer.gradients(batch).unwrap();
    (loss, grads.clone())
}

#[test]
fn the_sharded_gradient_is_the_full_batch_gradient() {
    // one batch for every shard count (with several shards a trainer draws each shard
    // from its own stream, so trainers with different shard counts draw different batches)
    let batch = parse_run(run(json!("bptt"), 1, 0.0))
        .unwrap()
        .into_trainer()
        .unwrap()
        .next_batch()
        .unwrap();
    let (loss, whole) = gradient(1, &batch);
    for shards in [2, 5, 16] {
        let (sharded_loss, sharded) = gradient(shards, &batch);
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

/// The page's data-parallel protocol with `workers` "workers" (one `Trainer` each) over
/// 4 shards for `steps` steps: every worker draws its own shards' trials of the step and
/// computes their gradients, the owner adds all shards in order and applies them, then
/// sends the new parameters to the workers. The owner's weights.
fn protocol_fingerprint(config: &Value, workers: usize, steps: usize) -> u64 {
    let mut trainers: Vec<_> = (0..workers)
        .map(|_| parse_run(config.clone()).unwrap().into_trainer().unwrap())
        .collect();
    let per_worker = 4 / workers;
    for step in 1..=steps {
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
    fingerprint(&trainers[0].network)
}

/// The weights of the data-parallel protocol equal the single trainer's, whatever the
/// number of workers.
#[test]
fn flat_shard_protocol_matches_the_single_trainer_for_any_number_of_workers() {
    let config = run(json!("bptt"), 4, 0.05);
    let reference = train(config.clone(), 1, 6);
    for workers in [1, 2, 4] {
        assert_eq!(
            protocol_fingerprint(&config, workers, 6),
            reference,
            "{workers} workers differ from one trainer"
        );
    }
    let mut trainer = parse_run(config).unwrap().into_trainer().unwrap();
    assert!(trainer.shard_gradients_flat(1, 2..5).is_err());
    assert!(trainer.apply_flat_gradients(&[1.0, 2.0]).is_err());
    assert!(trainer.set_parameters_flat(&[1.0]).is_err());
}

/// The shared small Yang run with 16 trials in 4 shards.
fn yang(batching: &str) -> Value {
    small_yang(batching, 16, 4)
}

/// With several shards a worker draws only the trials of its own shards, from the step's
/// own streams: shards 1..3 drawn alone are those shards of the whole batch, which is
/// what the single trainer's k-th batch holds; the weights of the protocol with 1, 2 and
/// 4 workers equal the single trainer's (Yang's 20 tasks: trials of different lengths, so
/// the shards' mask sums differ).
#[test]
fn workers_draw_only_their_own_shards_for_every_batching() {
    for batching in ["random", "per-task", "by-length"] {
        let config = yang(batching);
        let mut trainer = parse_run(config.clone()).unwrap().into_trainer().unwrap();
        let all = trainer.step_trials(3, 0..4).unwrap();
        let some = trainer.step_trials(3, 1..3).unwrap();
        assert_eq!(some.as_slice(), &all[1..3], "{batching}");
        assert_ne!(all, trainer.step_trials(4, 0..4).unwrap(), "{batching}");
        for _ in 0..3 {
            trainer.next_batch().unwrap();
        }
        let third: Vec<_> = all.into_iter().flatten().collect();
        assert_eq!(trainer.next_batch().unwrap().trials.len(), 16);
        let mut again = parse_run(config.clone()).unwrap().into_trainer().unwrap();
        again.next_batch().unwrap();
        again.next_batch().unwrap();
        assert_eq!(again.next_batch().unwrap().trials, third, "{batching}");
        let reference = train(config.clone(), 1, 4);
        for workers in [1, 2, 4] {
            assert_eq!(
                protocol_fingerprint(&config, workers, 4),
                reference,
                "{batching}: {workers} workers differ from one trainer"
            );
        }
    }
}
