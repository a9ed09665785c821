//! Checks on the plain objects JavaScript hands back for drawing (`drawSnapshot`): they
//! are input too, so every length the plots index by is checked against the stored data
//! and bounded, and a mismatch is an error naming the field instead of an index panic
//! (which in wasm would abort the instance).

use crate::error::{Error, Result};
use crate::plot::{Heatmap, Snapshot};

/// Longest side of a heatmap accepted for drawing.
pub const MAX_DRAW_SIDE: usize = 4096;
/// Most time steps of a trial accepted for drawing.
pub const MAX_DRAW_STEPS: usize = 1 << 20;
/// Most points of a curve, or traces of a trial, accepted for drawing.
pub const MAX_DRAW_POINTS: usize = 1 << 20;

fn heatmap(map: &Heatmap, field: &'static str) -> Result<()> {
    if map.n_rows > MAX_DRAW_SIDE || map.n_cols > MAX_DRAW_SIDE {
        return Err(Error::field(
            field,
            format!("{} x {}", map.n_rows, map.n_cols),
            "must have at most 4096 rows and columns",
        ));
    }
    if map.values.len() != map.n_rows * map.n_cols {
        return Err(Error::field(
            field,
            format!(
                "{} values for {} x {}",
                map.values.len(),
                map.n_rows,
                map.n_cols
            ),
            "must hold n_rows x n_cols values",
        ));
    }
    Ok(())
}

fn count(len: usize, field: &'static str) -> Result<()> {
    if len > MAX_DRAW_POINTS {
        return Err(Error::field(field, len, "must have at most 2^20 entries"));
    }
    Ok(())
}

/// Check a [`Snapshot`] received from JavaScript before drawing it.
pub fn check_snapshot(snapshot: &Snapshot) -> Result<()> {
    count(snapshot.loss.len(), "snapshot.loss")?;
    count(snapshot.accuracy.len(), "snapshot.accuracy")?;
    count(snapshot.late_accuracy.len(), "snapshot.late_accuracy")?;
    count(snapshot.per_task.len(), "snapshot.per_task")?;
    heatmap(&snapshot.activity, "snapshot.activity")?;
    heatmap(&snapshot.weights, "snapshot.weights")?;
    let trial = &snapshot.trial;
    heatmap(&trial.input_map, "snapshot.trial.input_map")?;
    if trial.n_steps > MAX_DRAW_STEPS {
        return Err(Error::field(
            "snapshot.trial.n_steps",
            trial.n_steps,
            "must be <= 2^20",
        ));
    }
    for (traces, field) in [
        (&trial.inputs, "snapshot.trial.inputs"),
        (&trial.outputs, "snapshot.trial.outputs"),
        (&trial.targets, "snapshot.trial.targets"),
        (&trial.mask, "snapshot.trial.mask"),
    ] {
        count(traces.len(), field)?;
        if let Some(bad) = traces.iter().find(|t| t.len() != trial.n_steps) {
            return Err(Error::field(
                field,
                format!("a trace of {} steps", bad.len()),
                "must hold n_steps values per trace",
            ));
        }
    }
    if trial.targets.len() != trial.outputs.len() || trial.mask.len() != trial.outputs.len() {
        return Err(Error::field(
            "snapshot.trial.targets",
            trial.targets.len(),
            "must have one trace per output (and so must mask)",
        ));
    }
    count(trial.periods.len(), "snapshot.trial.periods")?;
    if let Some((name, start, end)) = trial
        .periods
        .iter()
        .find(|(_, start, end)| start > end || *end > trial.n_steps)
    {
        return Err(Error::field(
            "snapshot.trial.periods",
            format!("{name} [{start}, {end})"),
            "must lie within 0..=n_steps with start <= end",
        ));
    }
    if trial.input_offset.is_some_and(|t| t > trial.n_steps) {
        return Err(Error::field(
            "snapshot.trial.input_offset",
            trial.input_offset.unwrap_or_default(),
            "must be <= n_steps",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inconsistent_snapshots_are_refused_naming_the_field() {
        let mut s = Snapshot::default();
        assert!(check_snapshot(&s).is_ok());
        s.activity.n_rows = 100;
        s.activity.n_cols = 100;
        let e = check_snapshot(&s).unwrap_err().to_string();
        assert!(e.contains("snapshot.activity"), "{e}");
        let mut s = Snapshot::default();
        s.trial.n_steps = 10;
        s.trial.inputs = vec![vec![0.0; 9]];
        let e = check_snapshot(&s).unwrap_err().to_string();
        assert!(e.contains("snapshot.trial.inputs"), "{e}");
        let mut s = Snapshot::default();
        s.trial.periods = vec![("x".into(), 3, 2)];
        assert!(check_snapshot(&s).is_err());
    }
}
