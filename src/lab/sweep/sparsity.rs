//! Sparsity points (Khona et al.): train a task with a locality mask on a 2-D sheet, a
//! random mask of the same density, a dense or an autapse-only network, and record the
//! performance curve and the steps to reach a criterion.

use crate::error::Result;
use crate::lab::presets::sparsity_network;
use crate::lab::session::Session;
use crate::tasks::registry::build_task;
use serde_json::{json, Value};

/// Trials per evaluation of a sparsity point.
const EVAL_TRIALS: usize = 256;

/// One sparsity point as JSON: `{experiment, task, n, mask, radius, density, seed,
/// criterion, steps_to_criterion, curve}`; `schedule` = (steps, evaluate every).
pub fn run(
    task: &str,
    n: usize,
    mask: &str,
    radius: f64,
    schedule: (usize, usize),
    criterion: f64,
    seed: u64,
) -> Result<Value> {
    let (steps, eval_every) = schedule;
    let spec = build_task(task, &json!({}))?.spec();
    let network = sparsity_network(n, mask, radius, &spec, seed)?;
    let config = json!({
        "network": serde_json::to_value(network).unwrap_or_default(),
        "train": {"learning_rate": 0.003, "batch_size": 32, "seed": seed},
        "task": {"id": task},
    });
    let mut session = Session::new(config)?;
    let density = session.trainer.network.w_rec.density();
    let mut curve = Vec::new();
    let mut reached = None;
    for step in 1..=steps {
        session.train(1)?;
        if step % eval_every.max(1) == 0 || step == steps {
            let performance = session.evaluate(EVAL_TRIALS)?.accuracy;
            curve.push(json!([step, performance]));
            if reached.is_none() && performance as f64 >= criterion {
                reached = Some(step);
            }
        }
    }
    Ok(
        json!({"experiment": "sparsity", "task": task, "n": n, "mask": mask, "radius": radius,
              "density": density, "seed": seed, "criterion": criterion,
              "steps_to_criterion": reached, "curve": curve}),
    )
}
