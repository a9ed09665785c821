//! Fuzz target `task_options`: arbitrary `(id, JSON options)` →
//! [`sparse_rnn_lab::tasks::registry::build_task`], then one trial drawn with a seeded
//! [`SimRng`] and scored against its own targets.
//!
//! Input format (so the seeds stay readable): the first line is the task id, the rest is
//! the options JSON (empty = `null`). The raw id is tried as given; since almost every
//! mutated id is unknown, the options are also tried on the registered task whose index
//! is a hash of the id, so every task sees mutated options.
//!
//! Properties: no panic, no unbounded work (huge durations or sizes must be rejected by
//! validation; libFuzzer's `-timeout` and `-rss_limit_mb` turn them into crashes), and a
//! trial's shapes agree with the task's spec.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use sparse_rnn_lab::rng::SimRng;
use sparse_rnn_lab::tasks::registry::{build_task, task_ids};
use std::sync::OnceLock;

/// Registered ids, computed once.
fn ids() -> &'static [String] {
    static IDS: OnceLock<Vec<String>> = OnceLock::new();
    IDS.get_or_init(|| task_ids().into_iter().map(|info| info.id).collect())
}

/// Build task `id` with `options`; if that works, draw and score one trial.
fn exercise(id: &str, options: &Value, seed: u64) {
    let Ok(task) = build_task(id, options) else {
        return;
    };
    let spec = task.spec();
    let mut rng = SimRng::new(seed);
    let trial = task.trial(&mut rng);
    let steps = trial.n_steps();
    assert_eq!(
        trial.inputs.dim(),
        (steps, spec.n_inputs),
        "{id}: inputs shape"
    );
    assert_eq!(
        trial.targets.dim(),
        (steps, spec.n_outputs),
        "{id}: targets shape"
    );
    assert_eq!(
        trial.mask.dim(),
        (steps, spec.n_outputs),
        "{id}: mask shape"
    );
    let score = task.score(&trial, trial.targets.view());
    assert!(
        score.is_finite(),
        "{id}: score {score} of the targets is not finite"
    );
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (id, options) = text.split_once('\n').unwrap_or((text, ""));
    let options = if options.trim().is_empty() {
        Value::Null
    } else {
        match serde_json::from_str::<Value>(options) {
            Ok(value) => value,
            Err(_) => return,
        }
    };
    // FNV-1a of the id: picks the registered task and seeds the trial.
    let hash = id.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    exercise(id, &options, hash);
    let known = ids();
    if !known.iter().any(|k| k == id) {
        exercise(&known[(hash % known.len() as u64) as usize], &options, hash);
    }
});
