//! Yang, Joglekar, Song, Newsome & Wang 2019 (Nat. Neurosci. 22:297): one network trained
//! on the 20 tasks performs each of them (Yang's test: 512 trials per task, criterion on
//! the minimum over tasks), and its units form clusters by their normalised task variance.
//!
//! Quick (≈ 1–2 min natively): N = 64 ReLU, Adam 3e-3, batch 32, a few hundred steps —
//! far from trained, stated in `setting`. Full: Yang's network (N = 256 softplus, diagonal
//! init, Adam 1e-3, batch 64) for 9000 steps (≈ 70 min natively for the earlier dense
//! measurement; the page's long-run mode is meant for it).

use super::claim::{Criterion, Measured, Ours, Row};
use super::common::{format_scores, per_task, train};
use super::table::Group;
use crate::analysis::{task_variance, TaskVarianceConfig};
use crate::error::Result;
use crate::lab::clock::Stopwatch;
use crate::plot::{Chart, Series};
use serde_json::{json, Value};

/// The experiments (one: the task-variance analysis needs the trained network).
pub const GROUPS: &[Group] = &[Group { id: "all", run }];

/// The claims table.
pub const ROWS: &[Row] = &[
    Row {
        group: "all",
        id: "every-task",
        claim: "one network trained on the 20 tasks performs every task (minimum over tasks)",
        paper_value: "training stops when the minimum over tasks exceeds the target (0.9 in the Mante/vary-hp runs); n_rnn 256, softplus, 512 test trials per task [code: train.py, experiment.py]",
        authors_code: None,
        criterion: Criterion::AtLeast(0.9),
    },
    Row {
        group: "all",
        id: "clusters",
        claim: "units form clusters by their normalised task variance (silhouette of the best k)",
        paper_value: "distinct functional clusters of units specialised to subsets of tasks (Fig. 2; the cluster count is not in paper-figures.md)",
        authors_code: None,
        criterion: Criterion::stated("k ≥ 2 and silhouette ≥ 0.25"),
    },
];

fn run_description(quick: bool) -> (Value, usize, usize, usize) {
    if quick {
        let run = json!({
            "network": {"n_neurons": 64, "connectivity": "dense", "activation": "relu",
                        "tau_ms": 100, "rec_noise_std": 0.05, "seed": 1},
            "train": {"learning_rate": 0.003, "batch_size": 32, "seed": 1},
            "task": {"id": "yang-mixture"}});
        (run, 600, 128, 32)
    } else {
        let run = json!({
            "network": {"n_neurons": 256, "connectivity": "dense", "activation": "softplus",
                        "init": "identity", "gain": 0.8, "tau_ms": 100, "rec_noise_std": 0.05,
                        "seed": 1},
            "train": {"learning_rate": 0.001, "batch_size": 64, "seed": 1},
            "task": {"id": "yang-mixture"}});
        (run, 9000, 512, 64)
    }
}

/// Run the experiment.
fn run(quick: bool) -> Result<Vec<Measured>> {
    let (config, steps, per_task_trials, tv_trials) = run_description(quick);
    run_with(config, (steps, per_task_trials, tv_trials), quick)
}

/// `sizes` = (training steps, trials per task for the scores, trials per task for the
/// task variance).
fn run_with(config: Value, sizes: (usize, usize, usize), quick: bool) -> Result<Vec<Measured>> {
    let (steps, per_task_trials, tv_trials) = sizes;
    let clock = Stopwatch::start();
    let setting = format!(
        "{} ; {steps} steps; each task scored on its own {per_task_trials} trials (95 % Wilson CI){}",
        config,
        if quick { " — quick: far shorter than Yang's training" } else { "" }
    );
    let mut out = train(config, steps, steps, 64, None)?;
    let scores = per_task(&mut out.session, per_task_trials)?;
    let min = scores.iter().map(|s| s.score).fold(f32::INFINITY, f32::min);
    let mean = scores.iter().map(|s| s.score).sum::<f32>() / scores.len().max(1) as f32;
    let every = Measured::new(
        "every-task",
        setting,
        Ours::value(min as f64).text(format!(
            "min {min:.2}, mean {mean:.2} — {}",
            format_scores(&scores)
        )),
        &clock,
    );
    let tv_config = TaskVarianceConfig {
        trials_per_task: tv_trials,
        ..Default::default()
    };
    let network = &out.session.trainer.network;
    let tv = task_variance(network, out.session.trainer.task.as_ref(), &tv_config)?;
    let mut tops = Vec::new();
    for cluster in 0..tv.k {
        let size = tv.labels.iter().filter(|l| **l == cluster).count();
        let best = (0..tv.tasks.len())
            .max_by(|a, b| tv.cluster_map[*a][cluster].total_cmp(&tv.cluster_map[*b][cluster]))
            .map_or("-", |t| tv.tasks[t].trim_start_matches("yang-"));
        tops.push(format!("c{}: {size} units, top {best}", cluster + 1));
    }
    let clusters = Measured::new(
        "clusters",
        format!(
            "the network of the previous claim; {tv_trials} trials per task; units with summed variance ≤ 1e-3 dropped; k-means (8 restarts, seeded) for k = 2..12, k of best silhouette"
        ),
        Ours::value(tv.silhouette)
            .text(format!(
                "{} of {} units active, k = {}, silhouette {:.2} — {}",
                tv.units.len(),
                network.config.n_neurons,
                tv.k,
                tv.silhouette,
                tops.join("; ")
            ))
            .verdict(tv.k >= 2 && tv.silhouette >= 0.25),
        &clock,
    )
    .chart(Chart {
            title: "Silhouette of k-means on normalised task variance".into(),
            x_label: "k".into(),
            y_label: "mean silhouette".into(),
            y_range: None,
            series: vec![Series {
                label: "silhouette".into(),
                points: tv.silhouettes.iter().map(|(k, s)| (*k as f64, *s)).collect(),
                markers: true,
                line: true,
            }],
        });
    Ok(vec![every, clusters])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tiny_run_reports_scores_for_all_20_tasks_and_the_clusters() {
        let config = json!({"network": {"n_neurons": 16, "connectivity": "dense", "seed": 3},
                            "task": {"id": "yang-mixture"}});
        let measured = run_with(config, (2, 4, 4), true).unwrap();
        let claims = crate::lab::claims::paper("yang")
            .unwrap()
            .claims_of("all", measured)
            .unwrap();
        assert_eq!(claims.len(), 2);
        let text = claims[0].ours_text.clone().unwrap_or_default();
        assert_eq!(text.matches('[').count(), 20, "{text}");
        assert!(!claims[0].holds, "2 steps cannot reach 0.9 on every task");
        let chart = claims[1].chart.as_ref().unwrap();
        assert!(!chart.series[0].points.is_empty());
        assert!(claims[1]
            .ours_text
            .as_deref()
            .is_some_and(|t| t.contains("k = ")));
    }
}
