//! A Khona LM-RNN study kept in a directory, so that a study of many hours (the
//! `khona_study` example's, or the sparsity sweep of the full `srnn reproduce khona
//! --models DIR`) resumes where it stopped and never trains a finished point again.
//!
//! Layout, one pair of files per point ([`StudyPoint::key`]):
//! - `<dir>/<key>.jsonl`: the point's curve, one line per evaluation
//!   ([`PointRun::advance`]), appended as it goes;
//! - `<dir>/models/<key>.model.json`: the network at the curve's last step, written before
//!   the line that names that step (through a temporary file renamed into place), so a
//!   curve line never names a step its model does not have.
//!
//! A finished curve is read, not retrained. An unfinished curve whose model file is gone
//! (a machine reset: models are large and not committed) cannot continue: it is renamed
//! `<key>.orphan-step<S>.jsonl` and the point trains again from step 0 (deterministic, so
//! the lines it wrote reappear). A curve from another plan is an error
//! ([`PointRun::open`]).

use crate::error::{Error, Result};
use crate::lab::clock::thread_cpu_seconds;
use crate::lab::studies::khona::{outcome, PointOutcome, PointRun, StudyPlan, StudyPoint};
use serde_json::Value;
use std::io::Write;
use std::path::Path;

fn io(path: &Path, reason: impl std::fmt::Display) -> Error {
    Error::Io {
        path: path.display().to_string(),
        reason: reason.to_string(),
    }
}

fn read_if_there(path: &Path) -> Result<Option<String>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io(path, e)),
    }
}

fn parse_lines(text: &str) -> Vec<Value> {
    text.lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

/// Every point of `plan` trained to its end in `dir` (created if missing), at most
/// `threads` points at a time (1: one after another, in order); each curve line is passed
/// to `on_line` as it is written. Outcomes in the points' order, finished points read from
/// their curves. A point's CPU seconds are its thread's ([`thread_cpu_seconds`]), added
/// over the sessions that trained it.
pub fn run_in_dir(
    plan: &StudyPlan,
    dir: &Path,
    threads: usize,
    on_line: &(dyn Fn(&Value) + Sync),
) -> Result<Vec<PointOutcome>> {
    let models = dir.join("models");
    std::fs::create_dir_all(&models).map_err(|e| io(&models, e))?;
    crate::lab::parallel::map_ordered_on(&plan.points(), threads, |point| {
        run_point(plan, point, dir, &models, on_line)
    })
}

/// The outcome of every point of `plan` from its curve in `dir`, without training (`None`
/// for a point with no curve there yet), in the points' order with their keys: what
/// `khona_study summary` and `chart` read.
pub fn read_in_dir(plan: &StudyPlan, dir: &Path) -> Result<Vec<(String, Option<PointOutcome>)>> {
    plan.points()
        .iter()
        .map(|point| {
            let key = point.key();
            let curve = read_if_there(&dir.join(format!("{key}.jsonl")))?;
            let found = curve.as_deref().and_then(|c| outcome(&parse_lines(c)));
            Ok((key, found))
        })
        .collect()
}

fn run_point(
    plan: &StudyPlan,
    point: &StudyPoint,
    dir: &Path,
    models: &Path,
    on_line: &(dyn Fn(&Value) + Sync),
) -> Result<PointOutcome> {
    let key = point.key();
    let curve_path = dir.join(format!("{key}.jsonl"));
    let model_path = models.join(format!("{key}.model.json"));
    let mut curve = read_if_there(&curve_path)?;
    let model = read_if_there(&model_path)?;
    let mut lines = curve.as_deref().map(parse_lines).unwrap_or_default();
    let unfinished = lines.last().is_some_and(|l| !plan.finished(l));
    if unfinished && model.is_none() {
        let step = lines.last().and_then(|l| l["step"].as_u64()).unwrap_or(0);
        let orphan = dir.join(format!("{key}.orphan-step{step}.jsonl"));
        std::fs::rename(&curve_path, &orphan).map_err(|e| io(&orphan, e))?;
        (curve, lines) = (None, Vec::new());
    }
    if let Some(mut run) = PointRun::open(plan, point, model.as_deref(), curve.as_deref())? {
        let start = thread_cpu_seconds();
        while !run.is_done() {
            let line = run.advance(|| Some(thread_cpu_seconds()? - start?))?;
            let tmp = model_path.with_extension("tmp");
            std::fs::write(&tmp, run.model_text()).map_err(|e| io(&tmp, e))?;
            std::fs::rename(&tmp, &model_path).map_err(|e| io(&model_path, e))?;
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&curve_path)
                .map_err(|e| io(&curve_path, e))?;
            writeln!(file, "{line}").map_err(|e| io(&curve_path, e))?;
            on_line(&line);
            lines.push(line);
        }
    }
    outcome(&lines).ok_or_else(|| Error::field("point", key, "trained no step"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn plan(max_steps: usize) -> StudyPlan {
        StudyPlan::from_json(json!({
            "task": {"id": "ngym-modcog-mixture", "tasks": ["ngym-modcog-go"]},
            "n_neurons": [16],
            "arms": [{"mask": "dense"}, {"mask": "local", "radius": 1.0}],
            "learning_rates": [0.003],
            "seeds": [1],
            "max_steps": max_steps,
            "eval_every": 2,
            "eval_trials": 32,
            "criterion": 1.0,
        }))
        .unwrap()
    }

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("srnn-khona-dir-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    fn steps(dir: &Path, key: &str) -> Vec<u64> {
        let text = std::fs::read_to_string(dir.join(format!("{key}.jsonl"))).unwrap();
        parse_lines(&text)
            .iter()
            .map(|l| l["step"].as_u64().unwrap())
            .collect()
    }

    #[test]
    fn a_finished_study_is_read_and_a_higher_cap_continues_it() {
        let dir = scratch("resume");
        let count = std::sync::atomic::AtomicUsize::new(0);
        let on_line = |_: &Value| {
            count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        };
        let first = run_in_dir(&plan(4), &dir, 2, &on_line).unwrap();
        assert_eq!(count.load(std::sync::atomic::Ordering::SeqCst), 4);
        assert_eq!(steps(&dir, "n16-dense-lr0.003-s1"), [2, 4]);
        // run again: nothing trains, the same outcomes come back from the curves
        let again = run_in_dir(&plan(4), &dir, 1, &on_line).unwrap();
        assert_eq!(count.load(std::sync::atomic::Ordering::SeqCst), 4);
        assert_eq!(first, again);
        // reading alone gives the same outcomes, and None for a point with no curve
        let read = read_in_dir(&plan(4), &dir).unwrap();
        let read: Vec<PointOutcome> = read.into_iter().filter_map(|(_, o)| o).collect();
        assert_eq!(read, first);
        let mut wider = plan(4);
        wider.seeds = vec![1, 2];
        let read = read_in_dir(&wider, &dir).unwrap();
        assert_eq!(read.len(), 4);
        assert!(read[2].1.is_none() && read[2].0 == "n16-dense-lr0.003-s2");
        assert!(first.iter().all(|o| o.done && o.last_step == 4));
        // a plan with a higher cap continues each point from its model
        let longer = run_in_dir(&plan(6), &dir, 1, &on_line).unwrap();
        assert_eq!(count.load(std::sync::atomic::Ordering::SeqCst), 6);
        assert_eq!(steps(&dir, "n16-local-r1-lr0.003-s1"), [2, 4, 6]);
        assert!(longer.iter().all(|o| o.last_step == 6));
        // each line names its plan; another plan's curve is refused
        let text = std::fs::read_to_string(dir.join("n16-dense-lr0.003-s1.jsonl")).unwrap();
        assert!(parse_lines(&text)
            .iter()
            .all(|l| l["plan"] == plan(6).fingerprint()));
        let mut other = plan(8);
        other.criterion = 0.9;
        let err = run_in_dir(&other, &dir, 1, &on_line).unwrap_err();
        assert!(err.to_string().contains("n16-dense-lr0.003-s1"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn an_unfinished_curve_without_its_model_is_set_aside_and_trained_again_the_same() {
        let dir = scratch("orphan");
        let quiet = |_: &Value| {};
        let straight = run_in_dir(&plan(4), &dir, 1, &quiet).unwrap();
        let key = "n16-dense-lr0.003-s1";
        let full = std::fs::read_to_string(dir.join(format!("{key}.jsonl"))).unwrap();
        // as after a machine reset: the curve stopped at step 2, its model lost
        let first_line = full.lines().next().unwrap();
        std::fs::write(dir.join(format!("{key}.jsonl")), format!("{first_line}\n")).unwrap();
        std::fs::remove_file(dir.join("models").join(format!("{key}.model.json"))).unwrap();
        let again = run_in_dir(&plan(4), &dir, 1, &quiet).unwrap();
        assert!(dir.join(format!("{key}.orphan-step2.jsonl")).exists());
        assert_eq!(steps(&dir, key), [2, 4]);
        // trained again from step 0: the same scores as the first time
        let scores = |text: &str| -> Vec<f64> {
            parse_lines(text)
                .iter()
                .map(|l| l["mean_per_task"].as_f64().unwrap())
                .collect()
        };
        let rerun = std::fs::read_to_string(dir.join(format!("{key}.jsonl"))).unwrap();
        assert_eq!(scores(&full), scores(&rerun));
        assert_eq!(straight[0].best, again[0].best);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
