//! Long runs ("train until", `lab::long_run`): the criterion stops the run, the estimates
//! follow the curve, a stored record is restored cut to the model's step, and the page's
//! path (the `Session` the wasm `Simulator` wraps) and `srnn train --until-mean` give the
//! same per-task scores at the same steps as the golden file (which `tests/wasm_node.rs`
//! checks in wasm too).

#[path = "support/long_run_case.rs"]
mod case;

use sparse_rnn_lab::lab::eval::{Evaluation, TaskScore};
use sparse_rnn_lab::lab::long_run::{Finish, LongRun, LongRunConfig};
use sparse_rnn_lab::lab::session::Session;
use std::process::Command;

fn settings(target: f64, max_steps: usize, eval_every: usize) -> LongRunConfig {
    LongRunConfig {
        target,
        max_steps,
        per_task_trials: case::PER_TASK_TRIALS,
        eval_every,
    }
}

/// The golden lines through the page's path: a `Session` and a `LongRun`.
fn session_lines() -> Vec<String> {
    let config = serde_json::from_str(case::CONFIG).unwrap();
    let mut session = Session::new(config).unwrap();
    let mut run =
        LongRun::for_session(settings(1.0, case::STEPS, case::EVAL_EVERY), &session).unwrap();
    assert_eq!(run.tasks.len(), 20);
    while session.steps_done() < case::STEPS {
        session.train(case::EVAL_EVERY).unwrap();
        run.evaluate(&mut session, 0.0).unwrap();
    }
    run.points
        .iter()
        .map(|p| case::line(p.step, &p.scores))
        .collect()
}

#[test]
fn the_session_reproduces_the_golden_per_task_scores() {
    let lines = session_lines();
    assert_eq!(lines.len(), case::STEPS / case::EVAL_EVERY);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/support/long_run_golden.txt"
        );
        std::fs::write(path, lines.join("\n") + "\n").unwrap();
    }
    let golden: Vec<&str> = case::GOLDEN.lines().collect();
    assert_eq!(lines, golden, "per-task scores differ from the golden file");
}

#[test]
fn srnn_train_prints_the_same_per_task_scores_at_the_same_steps() {
    let dir = std::env::temp_dir().join(format!("srnn-long-run-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("run.json");
    std::fs::write(&config, case::CONFIG).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_srnn"))
        .args(["train", "--config"])
        .arg(&config)
        .args(["--steps", &case::STEPS.to_string()])
        .args(["--eval-every", &case::EVAL_EVERY.to_string()])
        .args(["--per-task-trials", &case::PER_TASK_TRIALS.to_string()])
        .args(["--until-mean", "1.0", "--threads", "1"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut lines = Vec::new();
    for text in stdout.lines().filter(|l| l.starts_with('{')) {
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        let per_task = value["per_task"].as_object().unwrap();
        // the JSON object is sorted by key; the golden order is the mixture's
        let run = LongRun::for_session(
            settings(1.0, 1, 1),
            &Session::new(serde_json::from_str(case::CONFIG).unwrap()).unwrap(),
        )
        .unwrap();
        let scores: Vec<f32> = run
            .tasks
            .iter()
            .map(|t| per_task[t].as_f64().unwrap() as f32)
            .collect();
        let mean = value["mean_per_task"].as_f64().unwrap();
        let expected = scores.iter().map(|s| *s as f64).sum::<f64>() / 20.0;
        assert!((mean - expected).abs() < 1e-9, "{mean} vs {expected}");
        lines.push(case::line(
            value["step"].as_u64().unwrap() as usize,
            &scores,
        ));
    }
    let golden: Vec<&str> = case::GOLDEN.lines().collect();
    assert_eq!(lines, golden, "srnn train differs from the golden file");
}

#[test]
fn a_long_run_stops_at_the_criterion_before_the_cap() {
    let config = serde_json::json!({
        "network": {"n_neurons": 16, "connectivity": "dense", "activation": "relu", "seed": 1},
        "train": {"learning_rate": 0.01, "batch_size": 16, "seed": 1},
        "task": {"id": "yang-go"}});
    let mut session = Session::new(config).unwrap();
    let baseline = session.evaluate(64).unwrap().accuracy as f64;
    let mut run = LongRun::for_session(settings(0.9, 400, 10), &session).unwrap();
    assert_eq!(run.tasks, vec!["yang-go".to_string()]);
    while run.finished.is_none() {
        session.train(10).unwrap();
        let seconds = session.steps_done() as f64 * 0.01;
        run.evaluate(&mut session, seconds).unwrap();
    }
    let last = run.points.last().unwrap();
    assert_eq!(run.finished, Some(Finish::Criterion), "{:?}", run.points);
    assert!(last.mean >= 0.9 && last.step < 400, "{last:?}");
    assert!(baseline < 0.9, "the untrained network is below the target");
    let estimate = run.estimate().unwrap();
    assert_eq!(estimate.steps_to_criterion, Some(0.0));
    assert!(
        (estimate.steps_per_second - 100.0).abs() < 1e-6,
        "{estimate:?}"
    );
}

/// An evaluation with the given per-task scores.
fn evaluation(scores: &[f32]) -> Evaluation {
    Evaluation {
        loss: 0.0,
        accuracy: 0.0,
        late_accuracy: None,
        per_task: Some(
            scores
                .iter()
                .enumerate()
                .map(|(i, s)| TaskScore {
                    task: format!("t{i}"),
                    score: *s,
                    trials: 100,
                    ci95: (0.0, 1.0),
                })
                .collect(),
        ),
    }
}

#[test]
fn estimates_follow_the_trend_and_the_rate() {
    let tasks = vec!["t0".to_string(), "t1".to_string()];
    let mut run = LongRun::new(settings(0.9, 1000, 100), tasks).unwrap();
    assert!(run.estimate().is_none());
    // the mean rises 0.1 per 100 steps, 2 steps per second
    for (i, step) in [100, 200, 300].iter().enumerate() {
        let m = 0.3 + 0.1 * i as f32;
        run.record(*step, &evaluation(&[m - 0.1, m + 0.1]), *step as f64 / 2.0);
        if i == 1 {
            let early = run.estimate().unwrap();
            assert!(
                early.steps_to_criterion.is_none(),
                "two points give no trend"
            );
            assert!(early.seconds_to_cap.is_some());
        }
    }
    let e = run.estimate().unwrap();
    assert_eq!(e.step, 300);
    assert!((e.mean - 0.5).abs() < 1e-6);
    assert!((e.steps_per_second - 2.0).abs() < 1e-9);
    assert!((e.seconds_to_cap.unwrap() - 350.0).abs() < 1e-6);
    // 0.4 to go at 0.001 per step: 400 steps, 200 s
    assert!(
        (e.steps_to_criterion.unwrap() - 400.0).abs() < 1e-3,
        "{e:?}"
    );
    assert!((e.seconds_to_criterion.unwrap() - 200.0).abs() < 1e-3);
    // a falling trend gives no projection
    run.record(400, &evaluation(&[0.1, 0.1]), 200.0);
    assert!(run.estimate().unwrap().steps_to_criterion.is_none());
    // the chart: one line per task plus the mean
    let chart = run.chart();
    assert_eq!(chart.series.len(), 3);
    assert_eq!(chart.series[2].points.len(), 4);
    assert!(chart.series[2].label.starts_with("mean"));
    // the cap finishes the run
    run.record(1000, &evaluation(&[0.2, 0.2]), 500.0);
    assert_eq!(run.finished, Some(Finish::StepCap));
}

#[test]
fn a_stored_record_is_restored_cut_to_the_model_step() {
    let tasks = vec!["t0".to_string()];
    let mut run = LongRun::new(settings(0.9, 1000, 100), tasks).unwrap();
    for step in [100, 200, 300] {
        run.record(step, &evaluation(&[0.5]), step as f64);
    }
    let text = serde_json::to_string(&run).unwrap();
    let back = LongRun::restore(&text, 250).unwrap();
    assert_eq!(back.points.len(), 2);
    assert_eq!(back.elapsed_seconds(), 200.0);
    assert_eq!(LongRun::restore(&text, 300).unwrap(), run);
    let e = LongRun::restore("{\"config\": 1}", 0)
        .unwrap_err()
        .to_string();
    assert!(e.contains("long-run record"), "{e}");
    let bad = text.replace("\"target\":0.9", "\"target\":2.0");
    let e = LongRun::restore(&bad, 300).unwrap_err().to_string();
    assert!(e.contains("target") && e.contains('2'), "{e}");
}

#[test]
fn bad_settings_are_named() {
    for (config, field) in [
        (settings(0.0, 10, 1), "target"),
        (settings(0.9, 0, 1), "max_steps"),
        (settings(0.9, 10, 11), "eval_every"),
        (
            LongRunConfig {
                per_task_trials: 0,
                ..settings(0.9, 10, 1)
            },
            "per_task_trials",
        ),
    ] {
        let e = LongRun::new(config, vec![]).unwrap_err().to_string();
        assert!(e.contains(field), "{field}: {e}");
    }
}

/// A curve point as bits: step, mean, scores, intervals.
type PointBits = (usize, u64, Vec<u32>, Vec<(u64, u64)>);

/// The page's split evaluation: each data-parallel worker scores a range of the tasks
/// (`Session::score_tasks`, here on two sessions of the same run trained alike) and the
/// coordinator records the merged scores (`LongRun::evaluate_scored`); every point (step,
/// per-task scores, intervals, mean) and the shared-batch evaluation equal the whole
/// evaluation's (`LongRun::evaluate`) bit for bit, for several splits.
#[test]
fn scoring_ranges_of_tasks_and_merging_them_equals_the_whole_evaluation() {
    let config: serde_json::Value = serde_json::from_str(case::CONFIG).unwrap();
    let long = || settings(1.0, case::STEPS, case::EVAL_EVERY);
    let mut whole = Session::new(config.clone()).unwrap();
    let mut whole_run = LongRun::for_session(long(), &whole).unwrap();
    let mut coordinator = Session::new(config.clone()).unwrap();
    let mut helper = Session::new(config).unwrap();
    let mut split_run = LongRun::for_session(long(), &coordinator).unwrap();
    let splits: [&[(usize, usize)]; 2] = [&[(0, 10), (10, 10)], &[(0, 3), (3, 16), (19, 1)]];
    for split in splits {
        whole.train(case::EVAL_EVERY).unwrap();
        coordinator.train(case::EVAL_EVERY).unwrap();
        helper.train(case::EVAL_EVERY).unwrap();
        let seconds = whole.steps_done() as f64;
        let expected = whole_run.evaluate(&mut whole, seconds).unwrap();
        let mut scores = Vec::new();
        for (i, &(first, count)) in split.iter().enumerate() {
            // the first range on the coordinator, the others on the helper
            let session = if i == 0 { &coordinator } else { &helper };
            let part = session
                .score_tasks(first, count, case::PER_TASK_TRIALS)
                .unwrap();
            assert_eq!(part.len(), count);
            scores.extend(part.iter().map(|s| s.score));
        }
        let merged = split_run
            .evaluate_scored(&mut coordinator, &scores, seconds)
            .unwrap();
        assert_eq!(merged, expected, "split {split:?}");
        assert_eq!(
            merged.loss.to_bits(),
            expected.loss.to_bits(),
            "shared batch"
        );
    }
    let bits = |run: &LongRun| -> Vec<PointBits> {
        run.points
            .iter()
            .map(|p| {
                (
                    p.step,
                    p.mean.to_bits(),
                    p.scores.iter().map(|s| s.to_bits()).collect(),
                    p.ci95
                        .iter()
                        .map(|(lo, hi)| (lo.to_bits(), hi.to_bits()))
                        .collect(),
                )
            })
            .collect()
    };
    assert_eq!(whole_run.points.len(), 2);
    assert_eq!(bits(&split_run), bits(&whole_run));
    assert_eq!(split_run, whole_run);
    assert_eq!(
        coordinator.per_task, whole.per_task,
        "the session's latest scores"
    );
    assert_eq!(coordinator.accuracy, whole.accuracy, "the accuracy history");
    // the golden per-task scores of the whole evaluation, reproduced by the split one
    let golden: Vec<&str> = case::GOLDEN.lines().collect();
    let lines: Vec<String> = split_run
        .points
        .iter()
        .map(|p| case::line(p.step, &p.scores))
        .collect();
    assert_eq!(lines, golden);
}

#[test]
fn bad_task_ranges_and_scores_are_named() {
    let config: serde_json::Value = serde_json::from_str(case::CONFIG).unwrap();
    let mut session = Session::new(config).unwrap();
    for (first, count, trials, field) in [
        (20, 1, 16, "first"),
        (0, 0, 16, "count"),
        (5, 16, 16, "count"),
        (0, 20, 0, "per_task_trials"),
        (0, 20, 5000, "per_task_trials"),
    ] {
        let e = session
            .score_tasks(first, count, trials)
            .unwrap_err()
            .to_string();
        assert!(e.contains(&format!("`{field}`")), "{field}: {e}");
    }
    assert_eq!(session.score_tasks(19, 1, 4).unwrap().len(), 1);
    let mut run = LongRun::for_session(settings(0.9, 100, 10), &session).unwrap();
    let e = run
        .evaluate_scored(&mut session, &[0.5; 19], 0.0)
        .unwrap_err()
        .to_string();
    assert!(e.contains("`scores`") && e.contains("20 tasks"), "{e}");
    let e = run
        .evaluate_scored(&mut session, &[0.5; 21], 0.0)
        .unwrap_err()
        .to_string();
    assert!(e.contains("`scores`") && e.contains("21 scores"), "{e}");
    assert!(
        run.points.is_empty(),
        "a refused evaluation records nothing"
    );
    let single = serde_json::json!({"network": {"n_neurons": 8, "seed": 1},
                                    "task": {"id": "yang-go"}});
    let mut single = Session::new(single).unwrap();
    let e = single.score_tasks(0, 1, 4).unwrap_err().to_string();
    assert!(e.contains("`first`") && e.contains("mixture"), "{e}");
    let mut run = LongRun::for_session(settings(0.9, 100, 10), &single).unwrap();
    let e = run
        .evaluate_scored(&mut single, &[0.5], 0.0)
        .unwrap_err()
        .to_string();
    assert!(e.contains("`scores`"), "{e}");
}
