//! Train a run description (any rule) and record its accuracy curve: one point of a
//! `vary` sweep, of the page's rule comparison, and of the claims.

use super::session::Session;
use crate::error::{Error, Result};
use serde_json::{json, Value};

pub use super::eval::RUN_EVAL_TRIALS;

/// Train the run description `config` (any rule) for `steps` steps and evaluate it (the
/// one evaluation of [`crate::lab::eval`], [`RUN_EVAL_TRIALS`] trials) before training,
/// every `eval_every` steps and at the end. Returns `{"experiment": "run", "label",
/// "task", "rule", "steps", "curve": [[step, accuracy]], "loss_curve": [[step, loss]],
/// "late_curve": [[step, late accuracy]], "final_accuracy", "final_loss"}`; `label` is
/// passed through (for the legend of a comparison).
pub fn run_curve(config: Value, steps: usize, eval_every: usize, label: &str) -> Result<Value> {
    if steps == 0 || steps > 100_000 {
        return Err(Error::field("steps", steps, "must be in 1..=100000"));
    }
    let mut session = Session::new(config)?;
    let task_id = session.trainer.task.spec().id;
    let rule = serde_json::to_value(&session.trainer.rule).unwrap_or_default();
    let mut losses = Vec::new();
    let first = session.evaluate(RUN_EVAL_TRIALS)?;
    losses.push(json!([0, first.loss]));
    let mut last = first;
    for step in 1..=steps {
        session.train(1)?;
        if step % eval_every.max(1) == 0 || step == steps {
            last = session.evaluate(RUN_EVAL_TRIALS)?;
            losses.push(json!([step, last.loss]));
        }
    }
    let points = |history: &[(usize, f32)]| -> Vec<Value> {
        history.iter().map(|(s, a)| json!([s, a])).collect()
    };
    Ok(json!({
        "experiment": "run", "label": label, "task": task_id, "rule": rule["rule"],
        "steps": steps, "curve": points(&session.accuracy), "loss_curve": losses,
        "late_curve": points(&session.late_accuracy),
        "final_accuracy": last.accuracy, "final_loss": last.loss,
    }))
}
#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn run_curve_trains_with_the_rule_and_records_accuracy() {
        let config = json!({
            "network": {"n_neurons": 24, "k": 6, "input_map": "identity", "readout": "trained"},
            "train": {"learning_rate": 0.01, "batch_size": 8},
            "task": {"id": "turcu-classification", "n_patterns": 6},
            "rule": "direct-feedback-alignment"
        });
        let result = run_curve(config.clone(), 4, 2, "dfa").unwrap();
        assert_eq!(result["rule"], "direct-feedback-alignment");
        assert_eq!(result["label"], "dfa");
        assert_eq!(result["curve"].as_array().unwrap().len(), 3);
        assert!(result["final_accuracy"].as_f64().is_some());
        assert!(run_curve(config, 0, 1, "")
            .unwrap_err()
            .to_string()
            .contains("steps"));
    }
}
