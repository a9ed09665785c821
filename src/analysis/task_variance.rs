//! Yang et al. 2019's task-variance analysis: for each unit and task, the variance of the
//! unit's rate across trials (stimulus conditions) at each time step, averaged over time;
//! units whose summed variance is below a threshold are dropped; each remaining unit's
//! variances are normalised by its maximum across tasks; units are clustered by these
//! normalised profiles (k-means with the k of best silhouette, seeded); the task × cluster
//! map is the mean normalised variance of each cluster's units on each task.
//!
//! Time window: trials of one task can differ in length (random periods), so the variance
//! is taken over the steps all of that task's trials share (the shortest trial). Rates are
//! the noise-free firing rates the readout sees.

use super::cluster::{kmeans, silhouette};
use crate::error::{Error, Result};
use crate::model::Network;
use crate::rng::SimRng;
use crate::tasks::{Task, Trial};
use crate::train::Trajectory;
use serde::{Deserialize, Serialize};

/// Settings of the analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskVarianceConfig {
    /// Trials drawn per task (conditions sampled at random).
    pub trials_per_task: usize,
    /// Units whose summed variance over tasks is below this are excluded (Yang: 1e-3).
    pub min_total_variance: f64,
    /// Smallest and largest k tried.
    pub k_min: usize,
    /// Largest k tried.
    pub k_max: usize,
    /// k-means restarts per k.
    pub restarts: usize,
    /// Seed of the trials and of k-means.
    pub seed: u64,
}

impl Default for TaskVarianceConfig {
    fn default() -> Self {
        TaskVarianceConfig {
            trials_per_task: 64,
            min_total_variance: 1e-3,
            k_min: 2,
            k_max: 12,
            restarts: 8,
            seed: 1,
        }
    }
}

/// The analysis result (also what [`crate::plot::task_variance_map`] draws).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskVariance {
    /// Task ids (rows of the maps).
    pub tasks: Vec<String>,
    /// Indices of the units kept (summed variance above the threshold).
    pub units: Vec<usize>,
    /// Normalised variance, `[kept unit][task]`, each row's maximum 1.
    pub normalised: Vec<Vec<f32>>,
    /// Cluster of each kept unit.
    pub labels: Vec<usize>,
    /// Chosen number of clusters.
    pub k: usize,
    /// Mean silhouette at the chosen k.
    pub silhouette: f64,
    /// `(k, silhouette)` for every k tried.
    pub silhouettes: Vec<(usize, f64)>,
    /// Mean normalised variance, `[task][cluster]`.
    pub cluster_map: Vec<Vec<f32>>,
    /// Kept-unit positions (into `units`) ordered by cluster, for the unit map.
    pub order: Vec<usize>,
}

/// Variance across `trials` of each unit's rate, averaged over the shared steps.
fn unit_variances(network: &Network, trials: Vec<Trial>) -> Vec<f64> {
    let shared = trials.iter().map(Trial::n_steps).min().unwrap_or(0);
    let batch = crate::tasks::TrialBatch::pack(trials);
    let traj = Trajectory::of_batch(network, &batch);
    let (n, steps, b) = (traj.n_neurons, traj.n_steps, traj.batch_size);
    (0..n)
        .map(|i| {
            let mut total = 0.0;
            for t in 0..shared {
                let lane = &traj.rates[(i * steps + t) * b..(i * steps + t + 1) * b];
                let mean = lane.iter().map(|v| *v as f64).sum::<f64>() / b as f64;
                total += lane.iter().map(|v| (*v as f64 - mean).powi(2)).sum::<f64>() / b as f64;
            }
            if shared == 0 {
                0.0
            } else {
                total / shared as f64
            }
        })
        .collect()
}

/// Run the analysis on `network` for the components of `task` (a mixture; a single task
/// gives one column). Errors when no unit passes the variance threshold.
pub fn task_variance(
    network: &Network,
    task: &dyn Task,
    config: &TaskVarianceConfig,
) -> Result<TaskVariance> {
    if config.trials_per_task < 2 || config.trials_per_task > 4096 {
        return Err(Error::field(
            "trials_per_task",
            config.trials_per_task,
            "must be in [2, 4096]",
        ));
    }
    let ids = task.component_ids();
    let mut columns = Vec::with_capacity(ids.len());
    for (i, _) in ids.iter().enumerate() {
        let component = task.component(i).unwrap_or(task);
        let mut rng = SimRng::derived(config.seed, &format!("task-variance-{i}"));
        let trials = (0..config.trials_per_task)
            .map(|_| component.trial(&mut rng))
            .collect();
        columns.push(unit_variances(network, trials));
    }
    let n = network.config.n_neurons;
    let units: Vec<usize> = (0..n)
        .filter(|u| columns.iter().map(|c| c[*u]).sum::<f64>() > config.min_total_variance)
        .collect();
    if units.is_empty() {
        return Err(Error::field(
            "min_total_variance",
            config.min_total_variance,
            "excludes every unit (no unit varies across trials)",
        ));
    }
    let points: Vec<Vec<f64>> = units
        .iter()
        .map(|u| {
            let row: Vec<f64> = columns.iter().map(|c| c[*u]).collect();
            let max = row.iter().cloned().fold(0.0, f64::max);
            row.iter().map(|v| v / max).collect()
        })
        .collect();
    let mut rng = SimRng::derived(config.seed, "task-variance-kmeans");
    let k_hi = config.k_max.min(units.len().saturating_sub(1)).max(1);
    let k_lo = config.k_min.clamp(1, k_hi);
    let mut silhouettes = Vec::new();
    let mut best = None;
    for k in k_lo..=k_hi {
        let clustering = kmeans(&points, k, config.restarts, &mut rng);
        let score = silhouette(&points, &clustering.labels, k);
        silhouettes.push((k, score));
        if best.as_ref().is_none_or(|(_, s)| score > *s) {
            best = Some((clustering, score));
        }
    }
    let (clustering, score) = best.expect("at least one k tried");
    let k = clustering.k;
    let labels = clustering.labels;
    let cluster_map = (0..ids.len())
        .map(|t| {
            (0..k)
                .map(|c| {
                    let members: Vec<f64> = points
                        .iter()
                        .zip(&labels)
                        .filter(|(_, l)| **l == c)
                        .map(|(p, _)| p[t])
                        .collect();
                    (members.iter().sum::<f64>() / members.len().max(1) as f64) as f32
                })
                .collect()
        })
        .collect();
    let mut order: Vec<usize> = (0..units.len()).collect();
    order.sort_by_key(|p| (labels[*p], *p));
    Ok(TaskVariance {
        tasks: ids,
        units,
        normalised: points
            .iter()
            .map(|r| r.iter().map(|v| *v as f32).collect())
            .collect(),
        labels,
        k,
        silhouette: score,
        silhouettes,
        cluster_map,
        order,
    })
}
