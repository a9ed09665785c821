//! `srnn train`: the page's [`Session`] on a run description, one JSON line per evaluation.

use crate::cli::TrainArgs;
use crate::inputs::{open_session, read_json};
use crate::progress::Progress;
use sparse_rnn_lab::lab::long_run::{Finish, LongRun, LongRunConfig};
use sparse_rnn_lab::lab::presets::preset_run;
use sparse_rnn_lab::persist::save_model;

/// Train, printing `{"step", "train_loss", "eval_loss", "performance", "late_performance",
/// "per_task", "seconds"}` per evaluation and saving `--out` each time; with
/// `--until-mean`, stop at the first evaluation whose mean per-task score reaches it.
pub fn train(args: &TrainArgs, progress: &Progress) -> Result<(), String> {
    let value = match (&args.preset, &args.config) {
        (Some(id), _) => preset_run(id).map_err(|e| e.to_string())?,
        (None, Some(path)) => read_json(path)?,
        (None, None) => return Err("train: give --config run.json or --preset <id>".into()),
    };
    let mut session = open_session(value, args.resume.as_deref())?;
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    session.trainer.set_threads(args.threads.unwrap_or(cores));
    session.per_task_trials = args.per_task_trials;
    let first_step = session.steps_done() + 1;
    let last_step = first_step + args.steps - 1;
    let mut long_run = match args.until_mean {
        None => None,
        Some(target) => {
            let per_task_trials = args.per_task_trials.unwrap_or(512);
            session.per_task_trials = Some(per_task_trials);
            let config = LongRunConfig {
                target,
                max_steps: last_step,
                per_task_trials,
                eval_every: args.eval_every.min(last_step),
            };
            Some(LongRun::for_session(config, &session).map_err(|e| e.to_string())?)
        }
    };
    let clock = std::time::Instant::now();
    let mut task = progress.start(args.steps, "steps", false);
    for step in first_step..=last_step {
        let stats = session.train(1).map_err(|e| e.to_string())?;
        task.advance(&format!("loss {:.4}", stats.loss));
        if step % args.eval_every == 0 || step == last_step {
            let result = session
                .evaluate(args.eval_trials)
                .map_err(|e| e.to_string())?;
            if let Some(run) = long_run.as_mut() {
                run.record(step, &result, clock.elapsed().as_secs_f64());
            }
            let scores = result.per_task.unwrap_or_default();
            let per_task: serde_json::Map<String, serde_json::Value> = scores
                .iter()
                .map(|s| (s.task.clone(), s.score.into()))
                .collect();
            let per_task_ci95: serde_json::Map<String, serde_json::Value> = scores
                .iter()
                .map(|s| (s.task.clone(), serde_json::json!([s.ci95.0, s.ci95.1])))
                .collect();
            let per_task_trials: serde_json::Map<String, serde_json::Value> = scores
                .iter()
                .map(|s| (s.task.clone(), s.trials.into()))
                .collect();
            let mean_per_task = (!scores.is_empty())
                .then(|| scores.iter().map(|s| s.score as f64).sum::<f64>() / scores.len() as f64);
            let line = serde_json::json!({"step": step, "train_loss": stats.loss,
                "mean_per_task": mean_per_task,
                "eval_loss": result.loss, "performance": result.accuracy,
                "late_performance": result.late_accuracy, "per_task": per_task,
                "per_task_ci95": per_task_ci95, "per_task_trials": per_task_trials,
                "seconds": clock.elapsed().as_secs_f64()});
            task.result(&line.to_string());
            if let Some(out) = &args.out {
                let model = save_model(&session.trainer.network, session.steps_done());
                std::fs::write(out, model).map_err(|e| format!("{}: {e}", out.display()))?;
            }
            if let Some(run) = long_run.as_ref().filter(|r| r.finished.is_some()) {
                if run.finished == Some(Finish::Criterion) {
                    eprintln!(
                        "reached mean per-task performance {:.4} >= {} at step {step} after {:.1} s",
                        run.points.last().map_or(0.0, |p| p.mean),
                        run.config.target,
                        clock.elapsed().as_secs_f64()
                    );
                    break;
                }
            }
        }
    }
    drop(task);
    if let Some(npz) = &args.npz {
        crate::export::write_npz(&session, npz)?;
    }
    Ok(())
}
