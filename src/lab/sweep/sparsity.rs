//! Sparsity points (Khona et al.): train a task with a locality mask on a 2-D sheet, a
//! random mask of the same density, a dense or an autapse-only network, and record the
//! performance curve, the steps to reach a criterion and (for a mixture) each component
//! task's score. A point carries its whole run description, so the page, the CLI and the
//! claims train exactly the same network.

use crate::error::{Error, Result};
use crate::lab::presets::sparsity_network;
use crate::lab::session::Session;
use crate::tasks::registry::build_task;
use serde_json::{json, Value};

/// Trials per evaluation of a sparsity point (for the steps to criterion).
const EVAL_TRIALS: usize = 256;
/// Largest `per_task_trials` of a point (each component task is scored on that many).
pub const MAX_PER_TASK_TRIALS: usize = 4096;
/// Largest `steps` of a point.
pub const MAX_STEPS: usize = 100_000;
/// Identity gain of the autapse-only networks on Yang's generator (dt 20 ms, α = 0.2): a
/// leaky self-loop. With gain 1 each ReLU unit is a perfect integrator of rectified
/// input; measured: such an N = 64 network scored 0.00 on `yang-go` after 400 steps, with
/// gain 0.5 it scored 0.71 after 300. At dt 100 ms (α = 1, the authors' Mod-Cog form)
/// gain 1 is kept: with 0.5 the memory halves every step and an N = 64 autapse network
/// reached 0.36 on dlygo after 2000 steps (0.93 with 1).
pub const AUTAPSE_GAIN_DT20: f64 = 0.5;

/// The run description of a Khona-style network (`mask`: local, random, dense, autapse;
/// `radius` on the 2-D sheet for local and for the density of random) of `n` neurons on
/// `task`: a registry id (string) or a task object (`{"id": "ngym-modcog-mixture",
/// "tasks": [...]}`). ReLU, τ 100 ms, recurrent noise 0.05, Adam 3e-3, batch 32.
pub fn sparsity_run(task: &Value, n: usize, mask: &str, radius: f64, seed: u64) -> Result<Value> {
    let task = match task {
        Value::String(id) => json!({ "id": id }),
        Value::Object(_) => task.clone(),
        other => {
            return Err(Error::field(
                "task",
                other,
                "must be an id or a task object",
            ))
        }
    };
    let mut task = task;
    let id = task["id"].as_str().unwrap_or_default().to_string();
    // the authors'-form Mod-Cog draws its per-environment conditions once per run: one
    // environment per seed, as each of the authors' training runs built its own
    if id.starts_with("ngym-modcog") {
        if let Some(map) = task.as_object_mut() {
            map.entry("env_seed").or_insert(json!(seed));
        }
    }
    let id = id.as_str();
    let mut options = task.clone();
    if let Some(map) = options.as_object_mut() {
        map.remove("id");
    }
    let spec = build_task(id, &options)?.spec();
    let mut network = sparsity_network(n, mask, radius, &spec, seed)?;
    if mask == "autapse" && spec.dt_ms < 50.0 {
        network.gain = AUTAPSE_GAIN_DT20;
    }
    Ok(json!({
        "network": serde_json::to_value(network).unwrap_or_default(),
        "train": {"learning_rate": 0.003, "batch_size": 32, "seed": seed},
        "task": task,
    }))
}

/// Train the run description `config` for at most `steps` steps, evaluating every
/// `eval_every` steps on 256 trials and stopping at the first evaluation with mean
/// performance ≥ `criterion`; then score each component of a mixture on its own
/// `per_task_trials` trials (0 = skip). Returns `{experiment: "sparsity", task, mask,
/// radius, n, density, seed, criterion, steps_to_criterion, steps_trained, curve:
/// [[step, performance]], per_task: [{task, score, trials, ci95}]}`.
pub fn run(
    config: &Value,
    (mask, radius): (&str, f64),
    (steps, eval_every): (usize, usize),
    criterion: f64,
    per_task_trials: usize,
) -> Result<Value> {
    if steps == 0 || steps > MAX_STEPS {
        return Err(Error::field("steps", steps, "must be in 1..=100000"));
    }
    if per_task_trials > MAX_PER_TASK_TRIALS {
        return Err(Error::field(
            "per_task_trials",
            per_task_trials,
            "must be <= 4096",
        ));
    }
    let mut session = Session::new(config.clone())?;
    let density = session.trainer.network.w_rec.density();
    let n = session.trainer.network.n_neurons();
    let mut curve = Vec::new();
    let mut reached = None;
    let mut trained = 0;
    while trained < steps && reached.is_none() {
        let chunk = eval_every.max(1).min(steps - trained);
        session.train(chunk)?;
        trained += chunk;
        let performance = session.evaluate(EVAL_TRIALS)?.accuracy;
        curve.push(json!([trained, performance]));
        if performance as f64 >= criterion {
            reached = Some(trained);
        }
    }
    let per_task = if per_task_trials > 0 {
        session.per_task_trials = Some(per_task_trials);
        session
            .evaluate(per_task_trials)?
            .per_task
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    Ok(json!({
        "experiment": "sparsity", "task": config["task"], "mask": mask, "radius": radius,
        "n": n, "density": density, "seed": config["train"]["seed"], "criterion": criterion,
        "steps_to_criterion": reached, "steps_trained": trained, "curve": curve,
        "per_task": serde_json::to_value(per_task).unwrap_or_default(),
    }))
}
