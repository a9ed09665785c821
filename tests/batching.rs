//! `train.batching`: `per-task` (Yang et al.'s one rule per batch) draws every trial of a
//! batch from one component of a mixture, deterministically from the seed; `by-length`
//! reorders the random batch's trials so shards pad less, without changing the gradient
//! beyond f32 rounding.

use serde_json::{json, Value};
use sparse_rnn_lab::lab::run::parse_run;
use sparse_rnn_lab::learning::{by_length, Trainer};
use sparse_rnn_lab::tasks::TrialBatch;

fn run(batching: &str, shards: usize) -> Value {
    json!({
        "network": {"n_neurons": 32, "connectivity": "random-density", "density": 0.2,
                    "activation": "relu", "rec_noise_std": 0.0, "input_map": "dense",
                    "readout": "trained", "seed": 2},
        "train": {"learning_rate": 0.001, "batch_size": 16, "seed": 7, "shards": shards,
                  "batching": batching},
        "task": {"id": "yang-mixture"}
    })
}

fn trainer(config: Value) -> Trainer {
    parse_run(config).unwrap().into_trainer().unwrap()
}

/// Time-lanes the kernels run on when `batch` is cut into `shards` shards.
fn packed_lanes(batch: &TrialBatch, shards: usize) -> usize {
    batch
        .split(shards)
        .iter()
        .map(|s| s.n_steps * s.batch_size)
        .sum()
}

#[test]
fn per_task_batches_hold_one_task_drawn_from_the_seed() {
    let mut a = trainer(run("per-task", 1));
    let mut b = trainer(run("per-task", 1));
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..60 {
        let batch = a.next_batch().unwrap();
        let index = batch.trials[0].task_index;
        assert!(batch.trials.iter().all(|t| t.task_index == index));
        let component = a.task.component(index).unwrap();
        // the trial is a trial of that component: its own score of the targets is perfect
        for (k, trial) in batch.trials.iter().enumerate().take(2) {
            let targets = batch.unpack(&batch.targets, batch.n_outputs, k);
            let own = component.score(trial, targets.view());
            let mixed = a.task.score(trial, targets.view());
            assert_eq!(own, mixed);
        }
        seen.insert(index);
        let again = b.next_batch().unwrap();
        assert_eq!((batch.inputs, batch.mask), (again.inputs, again.mask));
    }
    assert!(
        seen.len() >= 15,
        "60 batches drew only {} of 20 tasks",
        seen.len()
    );
    let mut single = run("per-task", 1);
    single["task"] = json!({"id": "yang-go"});
    let err = parse_run(single)
        .unwrap()
        .into_trainer()
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("batching") && err.contains("per-task"),
        "{err}"
    );
}

#[test]
fn by_length_reorders_the_random_batch_and_keeps_its_gradient() {
    let shards = 4;
    let mut random = trainer(run("random", shards));
    let mut sorted = trainer(run("by-length", shards));
    let (mut lanes_random, mut lanes_sorted) = (0, 0);
    for _ in 0..5 {
        let r = random.next_batch().unwrap();
        let s = sorted.next_batch().unwrap();
        // the same trials (same draws), reordered
        let mut a: Vec<_> = r.trials.iter().map(|t| t.inputs.clone()).collect();
        let mut b: Vec<_> = s.trials.iter().map(|t| t.inputs.clone()).collect();
        let key = |x: &ndarray::Array2<f32>| {
            (x.nrows(), x.iter().map(|v| v.to_bits()).collect::<Vec<_>>())
        };
        a.sort_by_key(key);
        b.sort_by_key(key);
        assert_eq!(a, b);
        assert!(packed_lanes(&s, shards) <= packed_lanes(&r, shards));
        lanes_random += packed_lanes(&r, shards);
        lanes_sorted += packed_lanes(&s, shards);
        // shard lengths in the order shortest, longest, second shortest, second longest
        let steps: Vec<usize> = s.split(shards).iter().map(|p| p.n_steps).collect();
        assert!(
            steps[0] <= steps[2] && steps[2] <= steps[3] && steps[3] <= steps[1],
            "{steps:?}"
        );
        // no noise: the same gradient up to the order of the f32 sums
        let (loss_r, g_r) = random.gradients(&r).unwrap();
        let g_r = g_r.clone();
        let (loss_s, g_s) = sorted.gradients(&s).unwrap();
        assert!(
            (loss_r - loss_s).abs() <= 1e-5 * loss_r.abs(),
            "{loss_r} {loss_s}"
        );
        for (x, y) in [
            (&g_r.w_rec, &g_s.w_rec),
            (&g_r.w_in, &g_s.w_in),
            (&g_r.w_out, &g_s.w_out),
        ] {
            let scale = x.iter().map(|v| v.abs()).fold(0.0f32, f32::max);
            for (u, v) in x.iter().zip(y.iter()) {
                assert!((u - v).abs() <= 1e-4 * scale, "{u} vs {v} (max {scale})");
            }
        }
    }
    assert!(
        lanes_sorted * 10 < lanes_random * 9,
        "{lanes_sorted} vs {lanes_random}"
    );
    // the layout for shards: a stable sort, groups dealt short, long, short, long
    let task = sparse_rnn_lab::tasks::registry::build_task("yang-mixture", &json!({})).unwrap();
    let mut rng = sparse_rnn_lab::rng::SimRng::new(3);
    let trials: Vec<_> = (0..8).map(|_| task.trial(&mut rng)).collect();
    let mut lengths: Vec<usize> = trials.iter().map(|t| t.n_steps()).collect();
    lengths.sort();
    let laid: Vec<usize> = by_length(trials, 4).iter().map(|t| t.n_steps()).collect();
    let expected: Vec<usize> = [0, 3, 1, 2]
        .iter()
        .flat_map(|g| lengths[2 * g..2 * g + 2].to_vec())
        .collect();
    assert_eq!(laid, expected);
}
