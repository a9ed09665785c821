//! The step profile (`lab::profile`) replays the trainer's step: the profiled weights are
//! the trainer's bit for bit for random, per-task and by-length batches, and the table
//! accounts for its phases and the padding.

#[path = "support/small_yang.rs"]
mod small_yang;

use serde_json::{json, Value};
use small_yang::small_yang;
use sparse_rnn_lab::lab::clock::now_ms;
use sparse_rnn_lab::lab::profile::{profile_run, StepProfiler, PHASES};
use sparse_rnn_lab::lab::session::Session;

/// The shared small Yang run with 8 trials in 2 shards.
fn small(batching: &str) -> Value {
    small_yang(batching, 8, 2)
}

#[test]
fn the_profiled_step_is_the_trainers_step_bit_for_bit() {
    for batching in ["random", "per-task", "by-length"] {
        let mut profiler = StepProfiler::new(small(batching)).unwrap();
        let mut session = Session::new(small(batching)).unwrap();
        let mut clock = now_ms;
        for _ in 0..3 {
            let loss = profiler.step(&mut clock).unwrap();
            let stats = session.train(1).unwrap();
            assert_eq!(loss.to_bits(), stats.loss.to_bits(), "{batching}");
        }
        let (a, b) = (profiler.network(), &session.trainer.network);
        assert_eq!(a.w_rec_param, b.w_rec_param, "{batching}");
        assert_eq!(a.w_in.values, b.w_in.values, "{batching}");
        assert_eq!(a.w_out.values, b.w_out.values, "{batching}");
        assert_eq!(a.bias, b.bias, "{batching}");
    }
}

#[test]
fn the_profile_accounts_for_the_phases_and_the_padding() {
    let mut clock = now_ms;
    let p = profile_run(small("random"), 4, Some((4, 10)), &mut clock).unwrap();
    let sum: f64 = p.rows[..PHASES.len()].iter().map(|r| r.ms).sum();
    assert!((sum - p.profiled_ms).abs() < 1e-9);
    assert!(p.rows.iter().all(|r| r.ms.is_finite() && r.gflop >= 0.0));
    // the recurrent noise draws are a phase of their own, before the recurrence
    let at = |name: &str| PHASES.iter().position(|p| *p == name).unwrap();
    assert_eq!(at("recurrent noise") + 1, at("recurrence"));
    assert_eq!(p.rows[at("recurrent noise")].phase, "recurrent noise");
    assert!(
        p.padding_fraction > 0.0 && p.padding_fraction < 1.0,
        "{p:?}"
    );
    assert!(p.mean_packed_steps >= p.mean_trial_steps);
    let per_task = profile_run(small("per-task"), 4, None, &mut clock).unwrap();
    assert!(
        per_task.padding_fraction < p.padding_fraction,
        "{per_task:?}"
    );
    let mut other_rule = small("random");
    other_rule["rule"] = json!({"rule": "feedback-alignment"});
    let err = StepProfiler::new(other_rule).err().unwrap().to_string();
    assert!(err.contains("rule"), "{err}");
}
