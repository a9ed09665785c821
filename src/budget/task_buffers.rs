//! What a task holds itself, from its options alone (nothing is built): Turcu & Abbott's
//! stored patterns (and the persistence test's copy of them), and how many conditions a
//! finite task evaluates on (every pattern, whatever `nTrials` says). Yang, Mod-Cog,
//! Jarne & Laje and the benchmark task draw their trials on the fly and hold a few
//! numbers; a mixture holds its components (at most
//! [`crate::tasks::registry::MAX_MIXTURE_TASKS`] of them, each a config).
//!
//! [`super::check_task_first`] compares this with the budget *before* the task is built,
//! so that 8 192 patterns × 8 192 components are refused in milliseconds, not after
//! seconds of drawing them.

use super::Estimate;
use crate::tasks::turcu::{PatternConfig, MAX_PATTERN_VALUES};
use serde_json::{Map, Value};

/// Bytes of one stored f32.
const F32: f64 = 4.0;
/// Bytes of a `Vec` header (one per stored pattern).
const VEC_HEADER: f64 = 24.0;
/// Bytes per component of a mixture (its boxed task and sampling weight).
const MIXTURE_ENTRY: f64 = 512.0;

/// The task's own buffers: the estimate, and the number of conditions a finite task is
/// evaluated on (`None`: drawn trials, as many as asked for).
#[derive(Debug, Clone, Default)]
pub struct TaskBuffers {
    /// Stored data (patterns, copies, components).
    pub estimate: Estimate,
    /// Conditions of a finite task (Turcu & Abbott: every pattern).
    pub conditions: Option<f64>,
    /// Steps per trial when the options fix them (Turcu & Abbott: stimulus + response).
    pub steps: Option<f64>,
}

impl TaskBuffers {
    /// Whether checking before the task is built says more than a lower bound: the options
    /// fix the trial length, or the task stores more than 1 MiB. Other tasks are cheap to
    /// build, and their sampled trial length makes the message exact.
    pub fn worth_checking_first(&self) -> bool {
        self.steps.is_some() || self.estimate.total() > super::MIB
    }
}

/// A number option of `options` (missing or not a number: `default`; the task's own
/// parser reports a bad value, naming it).
fn number(options: &Map<String, Value>, key: &str, default: f64) -> f64 {
    options.get(key).and_then(Value::as_f64).unwrap_or(default)
}

/// The buffers of task `task_id` with `options` (the task section without `id`, after
/// the run description filled `pattern_dim` from the network).
pub fn task_buffers(task_id: &str, options: &Map<String, Value>) -> TaskBuffers {
    let mut buffers = TaskBuffers::default();
    if task_id.starts_with("turcu-") {
        let defaults = PatternConfig::default();
        let patterns = number(options, "n_patterns", defaults.n_patterns as f64).max(0.0);
        let dim = number(options, "pattern_dim", defaults.pattern_dim as f64).max(0.0);
        // beyond the task's own bounds its parser names the field (`task.n_patterns`, …)
        if dim > crate::model::MAX_NEURONS as f64 || patterns * dim > MAX_PATTERN_VALUES as f64 {
            return buffers;
        }
        // the patterns, and the persistence test's task (a copy with longer trials)
        buffers.estimate.add(
            2.0 * patterns * (dim * F32 + VEC_HEADER + 1.0),
            format!(
                "`task.n_patterns` {patterns} × `task.pattern_dim` {dim}: the stored patterns and the persistence test's copy"
            ),
        );
        buffers.conditions = Some(patterns);
        let dt = number(options, "dt_ms", defaults.dt_ms);
        let steps = (number(options, "stimulus_ms", defaults.stimulus_ms) / dt).round()
            + (number(options, "response_ms", defaults.response_ms) / dt).round();
        // beyond the task's own bound its parser names `task.dt_ms`
        if steps.is_finite() && steps >= 1.0 && steps * dim <= MAX_PATTERN_VALUES as f64 {
            buffers.steps = Some(steps);
        }
    } else if task_id.ends_with("-mixture") {
        let components = match options.get("tasks") {
            Some(Value::Array(ids)) => ids.len() as f64,
            _ => 64.0,
        };
        buffers.estimate.add(
            components * MIXTURE_ENTRY,
            format!("`task.tasks`: {components} components"),
        );
    }
    buffers
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn of(task_id: &str, options: Value) -> TaskBuffers {
        task_buffers(task_id, options.as_object().expect("an object"))
    }

    #[test]
    fn patterns_are_counted_from_the_options_and_drawn_tasks_hold_nothing() {
        let turcu = of(
            "turcu-classification",
            json!({"n_patterns": 8192, "pattern_dim": 8192}),
        );
        // 8192² f32 = 256 MiB, twice (the persistence test's copy)
        let mib = turcu.estimate.total() / super::super::MIB;
        assert!((512.0..520.0).contains(&mib), "{mib} MiB");
        assert_eq!(turcu.conditions, Some(8192.0));
        assert_eq!(turcu.steps, Some(20.0));
        assert!(turcu.worth_checking_first());
        assert!(!of("yang-go", json!({})).worth_checking_first());
        let drivers = &turcu.estimate.terms[0].drivers;
        assert!(
            drivers.contains("`task.n_patterns` 8192")
                && drivers.contains("`task.pattern_dim` 8192")
        );
        // defaults of PatternConfig when the options say nothing
        let default = of("turcu-evidence", json!({}));
        assert_eq!(default.conditions, Some(100.0));
        assert!(of("yang-go", json!({})).estimate.total() == 0.0);
        // options the task itself refuses are left to it (its error names the field)
        let refused = of("turcu-classification", json!({"n_patterns": 1e300}));
        assert!(refused.estimate.total() == 0.0 && !refused.worth_checking_first());
        assert!(of("yang-go", json!({})).conditions.is_none());
        let mixture = of("ngym-modcog-mixture", json!({"tasks": ["a", "b"]}));
        assert_eq!(mixture.estimate.total(), 2.0 * MIXTURE_ENTRY);
    }
}
