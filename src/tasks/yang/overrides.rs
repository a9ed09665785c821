//! Checking a config's `timing` overrides against the periods the tasks have.

use super::YangTask;
use crate::error::{Error, Result};

/// Check that every `timing` key names a period of at least one of `tasks` (which share
/// one config); the error names `task.timing.<period>` and the periods there are.
pub fn check_timing(tasks: &[&YangTask]) -> Result<()> {
    let Some(first) = tasks.first() else {
        return Ok(());
    };
    let mut known: Vec<&'static str> = Vec::new();
    for task in tasks {
        for name in task.period_names() {
            if !known.contains(&name) {
                known.push(name);
            }
        }
    }
    match first
        .config
        .timing
        .keys()
        .find(|k| !known.contains(&k.as_str()))
    {
        None => Ok(()),
        Some(period) => Err(Error::Parse {
            what: "task.timing",
            reason: format!(
                "`task.timing.{period}` is not a period of {} (periods: {})",
                if tasks.len() == 1 {
                    first.id()
                } else {
                    "these tasks".into()
                },
                known.join(", ")
            ),
        }),
    }
}
