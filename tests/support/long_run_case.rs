//! The long run checked on every path (`tests/long_run.rs` natively: the `Session` the
//! page's `Simulator` wraps and `srnn train`; `tests/wasm_node.rs`: the `Simulator` in
//! wasm): a small 20-task Yang network, each task scored on its own trials at the same
//! steps. The per-task scores (f32 bits), computed natively, are kept in
//! `long_run_golden.txt` (`UPDATE_GOLDEN=1 cargo test --test long_run` rewrites it); every
//! path must reproduce them bit for bit.

/// The run description (a sparse random mask, recurrent noise, the 20 Yang tasks).
pub const CONFIG: &str = r#"{
    "network": {"n_neurons": 16, "connectivity": "random-density", "density": 0.25,
                "activation": "relu", "init": "orthogonal", "rec_noise_std": 0.05, "seed": 4},
    "train": {"learning_rate": 0.02, "batch_size": 16, "seed": 4},
    "task": {"id": "yang-mixture"}
}"#;

/// Training steps.
pub const STEPS: usize = 60;
/// Evaluate every this many steps.
pub const EVAL_EVERY: usize = 30;
/// Trials per task.
pub const PER_TASK_TRIALS: usize = 16;

/// The page's long-run settings for this case (`longRunStart`): evaluate every
/// `EVAL_EVERY` steps on `PER_TASK_TRIALS` trials per task, until `STEPS` (target 1.0, so
/// the cap ends it).
#[allow(dead_code)]
pub fn page_settings() -> String {
    format!(
        r#"{{"target": 1.0, "max_steps": {STEPS}, "per_task_trials": {PER_TASK_TRIALS}, "eval_every": {EVAL_EVERY}}}"#
    )
}

/// The expected `step score-bits…` lines.
#[allow(dead_code)]
pub const GOLDEN: &str = include_str!("long_run_golden.txt");

/// One line per evaluation: the step and each task's score as f32 bits in hex.
#[allow(dead_code)]
pub fn line(step: usize, scores: &[f32]) -> String {
    let bits: Vec<String> = scores
        .iter()
        .map(|s| format!("{:08x}", s.to_bits()))
        .collect();
    format!("{step} {}", bits.join(" "))
}
