//! Parameter sweeps behind the paper-figure presets and the CLI. A sweep is a list of
//! independent points; each point runs alone (so a sweep can be split into shards across
//! machines, `--shard i/n`) and yields one JSON object (a JSON line in the CLI).

mod capacity;
pub mod percolation;
mod sparsity;

pub use percolation::{min_k_for_full_connectivity, percolation_bound};
pub use sparsity::{sparsity_run, AUTAPSE_GAIN_DT20};

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One point of a sweep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "experiment", rename_all = "kebab-case")]
pub enum SweepPoint {
    /// Train Turcu & Abbott's classifier with N neurons, K synapses each, P patterns.
    Capacity {
        /// Neurons.
        n: usize,
        /// In-degree.
        k: usize,
        /// Patterns.
        p: usize,
        /// Training steps.
        steps: usize,
        /// Seed.
        seed: u64,
    },
    /// Khona et al.: train the run description `config` (its network has the mask: a
    /// locality mask of `radius` on a 2-D sheet, a random mask of the same density, dense
    /// or autapse-only; see [`sparsity_run`]); record the performance curve, the steps to
    /// reach `criterion` and each component task's score.
    Sparsity {
        /// The run description (network, train, task) of this point.
        config: Value,
        /// "local", "random", "dense" or "autapse" (the legend; the mask is in `config`).
        mask: String,
        /// Sheet radius (grid units) that defined the density (0 for dense and autapse).
        radius: f64,
        /// Maximum training steps.
        steps: usize,
        /// Evaluate every this many steps.
        eval_every: usize,
        /// Performance criterion (training stops when it is reached).
        criterion: f64,
        /// Trials per component task of the final per-task scores (0 = none).
        #[serde(default)]
        per_task_trials: usize,
    },
    /// Largest strongly connected component of a fixed-in-degree mask.
    Percolation {
        /// Neurons.
        n: usize,
        /// In-degree.
        k: usize,
        /// Seed.
        seed: u64,
    },
}

/// Split `points` into `shards` and keep shard `index` (point i goes to shard i mod n).
pub fn shard(points: Vec<SweepPoint>, index: usize, shards: usize) -> Result<Vec<SweepPoint>> {
    if shards == 0 || index >= shards {
        return Err(Error::field(
            "shard",
            format!("{index}/{shards}"),
            "must be i/n with 0 <= i < n",
        ));
    }
    Ok(points
        .into_iter()
        .enumerate()
        .filter(|(i, _)| i % shards == index)
        .map(|(_, p)| p)
        .collect())
}

/// All points of a capacity sweep (every N × K × P).
pub fn capacity_points(
    ns: &[usize],
    ks: &[usize],
    ps: &[usize],
    steps: usize,
    seed: u64,
) -> Vec<SweepPoint> {
    let mut points = Vec::new();
    for &n in ns {
        for &k in ks {
            for &p in ps {
                points.push(SweepPoint::Capacity {
                    n,
                    k,
                    p,
                    steps,
                    seed,
                });
            }
        }
    }
    points
}

/// All points of a percolation sweep (every N × K × trial).
pub fn percolation_points(ns: &[usize], ks: &[usize], trials: usize) -> Vec<SweepPoint> {
    let mut points = Vec::new();
    for &n in ns {
        for &k in ks {
            for seed in 0..trials as u64 {
                points.push(SweepPoint::Percolation { n, k, seed });
            }
        }
    }
    points
}

/// The schedule of a sparsity sweep: at most `steps` per point, evaluated every
/// `eval_every`, stopping at `criterion`; `per_task_trials` per component task at the end.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SparsitySchedule {
    /// Maximum training steps per point.
    pub steps: usize,
    /// Evaluate every this many steps.
    pub eval_every: usize,
    /// Mean performance at which a point stops.
    pub criterion: f64,
    /// Trials per component task of the final scores (0 = none).
    pub per_task_trials: usize,
}

/// All points of a Khona-style sparsity sweep on `task` (an id or a task object): per
/// seed one dense and one autapse-only run, then a local and a random (equal density)
/// run per radius. Each point carries its run description ([`sparsity_run`]).
pub fn sparsity_points(
    task: &Value,
    n: usize,
    radii: &[f64],
    schedule: SparsitySchedule,
    seeds: &[u64],
) -> Result<Vec<SweepPoint>> {
    let mut points = Vec::new();
    for &seed in seeds {
        let mut add = |mask: &str, radius: f64| -> Result<()> {
            points.push(SweepPoint::Sparsity {
                config: sparsity_run(task, n, mask, radius, seed)?,
                mask: mask.into(),
                radius,
                steps: schedule.steps,
                eval_every: schedule.eval_every,
                criterion: schedule.criterion,
                per_task_trials: schedule.per_task_trials,
            });
            Ok(())
        };
        add("dense", 0.0)?;
        add("autapse", 0.0)?;
        for &radius in radii {
            add("local", radius)?;
            add("random", radius)?;
        }
    }
    Ok(points)
}

/// Set the recurrent noise std (`network.rec_noise_std`, per unit and step before the
/// σ·√(2/α) scaling) of every sparsity point to `rec_noise_std`, replacing the 0.05 of
/// [`sparsity_run`]; other points are left as they are. The value is checked with the
/// rest of the network when the point runs.
pub fn set_rec_noise_std(points: &mut [SweepPoint], rec_noise_std: f64) {
    for point in points {
        if let SweepPoint::Sparsity { config, .. } = point {
            config["network"]["rec_noise_std"] = rec_noise_std.into();
        }
    }
}

/// Run one point and describe the result as JSON.
pub fn run_point(point: &SweepPoint) -> Result<Value> {
    match point {
        SweepPoint::Capacity {
            n,
            k,
            p,
            steps,
            seed,
        } => capacity::run(*n, *k, *p, *steps, *seed),
        SweepPoint::Sparsity {
            config,
            mask,
            radius,
            steps,
            eval_every,
            criterion,
            per_task_trials,
        } => sparsity::run(
            config,
            (mask, *radius),
            (*steps, *eval_every),
            *criterion,
            *per_task_trials,
        ),
        SweepPoint::Percolation { n, k, seed } => percolation::run(*n, *k, *seed),
    }
}

/// Run independent sweep points, natively on every core (the order of the results is
/// the points' order, and each point is deterministic, so the threads change nothing but
/// the wall time); on wasm32 one after another (the page runs points in its worker pool).
pub fn run_points(points: &[SweepPoint]) -> Result<Vec<Value>> {
    crate::lab::parallel::map_ordered(points, run_point)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_the_sweep() {
        let points = percolation_points(&[50, 100], &[1, 2, 3], 2);
        assert_eq!(points.len(), 12);
        let mut total = 0;
        for i in 0..5 {
            total += shard(points.clone(), i, 5).unwrap().len();
        }
        assert_eq!(total, 12);
        assert!(shard(points, 5, 5)
            .unwrap_err()
            .to_string()
            .contains("shard"));
    }

    #[test]
    fn sparsity_points_carry_run_descriptions_and_score_each_mixture_task() {
        let task = serde_json::json!({"id": "ngym-modcog-mixture",
            "tasks": ["ngym-modcog-dlygo", "ngym-modcog-dlygoseqr"]});
        let schedule = SparsitySchedule {
            steps: 6,
            eval_every: 2,
            criterion: 0.0,
            per_task_trials: 8,
        };
        let points = sparsity_points(&task, 16, &[1.0, 2.0], schedule, &[1, 2]).unwrap();
        assert_eq!(points.len(), 2 * (2 + 2 * 2));
        let results: Vec<Value> = points[..4].iter().map(|p| run_point(p).unwrap()).collect();
        let masks: Vec<&str> = results
            .iter()
            .map(|r| r["mask"].as_str().unwrap())
            .collect();
        assert_eq!(masks, ["dense", "autapse", "local", "random"]);
        // random has the local mask's density; dense is full; autapse only the diagonal
        let density = |i: usize| results[i]["density"].as_f64().unwrap();
        assert_eq!((density(0), density(1)), (1.0, 1.0 / 16.0));
        assert!((density(2) - density(3)).abs() < 1e-9 && density(2) < 1.0);
        for r in &results {
            // criterion 0 is met at the first evaluation, so the point stops there
            assert_eq!(r["steps_to_criterion"], 2, "{r}");
            assert_eq!(r["steps_trained"], 2, "{r}");
            let scored: Vec<&str> = r["per_task"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["task"].as_str().unwrap())
                .collect();
            assert_eq!(scored, ["ngym-modcog-dlygo", "ngym-modcog-dlygoseqr"]);
        }
        // the noise override reaches every point's network; a negative std fails when run
        let mut quiet = points[..2].to_vec();
        set_rec_noise_std(&mut quiet, 0.0);
        for point in &quiet {
            let SweepPoint::Sparsity { config, .. } = point else {
                panic!("not a sparsity point")
            };
            assert_eq!(config["network"]["rec_noise_std"], 0.0);
        }
        let SweepPoint::Sparsity { config, .. } = &points[0] else {
            panic!("not a sparsity point")
        };
        assert_eq!(config["network"]["rec_noise_std"], 0.05);
        let mut loud = points[..1].to_vec();
        set_rec_noise_std(&mut loud, -1.0);
        let e = run_point(&loud[0]).unwrap_err();
        assert!(e.to_string().contains("rec_noise_std"), "{e}");
        let bad = serde_json::json!({"id": "ngym-modcog-mixture", "tasks": ["nope"]});
        let e = sparsity_points(&bad, 16, &[1.0], schedule, &[1]).unwrap_err();
        assert!(e.to_string().contains("task.tasks"), "{e}");
    }

    #[test]
    fn min_k_grows_with_n() {
        let ns = [50, 400, 3200];
        let ks: Vec<usize> = (1..=24).collect();
        let results: Vec<Value> = percolation_points(&ns, &ks, 3)
            .iter()
            .map(|p| run_point(p).unwrap())
            .collect();
        let summary = min_k_for_full_connectivity(&results, 0.5);
        let min_ks: Vec<usize> = summary
            .iter()
            .map(|(_, _, k)| k.expect("criterion reached"))
            .collect();
        assert!(
            min_ks[0] < min_ks[2],
            "min K should grow with N: {summary:?}"
        );
        // and roughly like ln N: the ratio K/ln N stays within a factor 2 across 64x in N
        let ratios: Vec<f64> = summary
            .iter()
            .map(|(_, ln_n, k)| k.unwrap() as f64 / ln_n)
            .collect();
        assert!(
            ratios.iter().cloned().fold(0.0, f64::max)
                < 2.0 * ratios.iter().cloned().fold(f64::MAX, f64::min),
            "{ratios:?}"
        );
    }
}
