//! Parameter sweeps behind the paper-figure presets and the CLI. A sweep is a list of
//! independent points; each point runs alone (so a sweep can be split into shards across
//! machines, `--shard i/n`) and yields one JSON object (a JSON line in the CLI).

use crate::analysis::{expected_accuracy, largest_scc};
use crate::error::{Error, Result};
use crate::model::{
    build_mask, Activation, Connectivity, InputMap, Network, NetworkConfig, Readout,
};
use crate::rng::SimRng;
use crate::tasks::turcu::{PatternClassification, PatternConfig};
use crate::tasks::TrialBatch;
use crate::train::{evaluate_batch, LossKind, TrainConfig, Trainer};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

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
    /// Khona et al.: train `task` with a locality mask of `radius` on a 2-D sheet, a random
    /// mask of the same density, a dense or an autapse-only network; record the
    /// performance curve and the steps to reach `criterion`.
    Sparsity {
        /// Task id (registry).
        task: String,
        /// Neurons.
        n: usize,
        /// "local", "random" (density matched to the local mask of `radius`), "dense" or
        /// "autapse".
        mask: String,
        /// Sheet radius (grid units) defining the density.
        radius: f64,
        /// Maximum training steps.
        steps: usize,
        /// Evaluate every this many steps.
        eval_every: usize,
        /// Performance criterion.
        criterion: f64,
        /// Seed.
        seed: u64,
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

/// All points of a Khona-style sparsity sweep: every radius × mask kind (plus one dense
/// and one autapse-only run per seed).
#[allow(clippy::too_many_arguments)]
pub fn sparsity_points(
    task: &str,
    n: usize,
    radii: &[f64],
    steps: usize,
    eval_every: usize,
    criterion: f64,
    seeds: &[u64],
) -> Vec<SweepPoint> {
    let mut points = Vec::new();
    for &seed in seeds {
        let mut add = |mask: &str, radius: f64| {
            points.push(SweepPoint::Sparsity {
                task: task.into(),
                n,
                mask: mask.into(),
                radius,
                steps,
                eval_every,
                criterion,
                seed,
            })
        };
        add("dense", 0.0);
        add("autapse", 0.0);
        for &radius in radii {
            add("local", radius);
            add("random", radius);
        }
    }
    points
}

/// Network config of a sparsity-sweep point (the task fixes inputs/outputs and dt).
fn sparsity_network(
    n: usize,
    mask: &str,
    radius: f64,
    n_inputs: usize,
    n_outputs: usize,
    dt_ms: f64,
    seed: u64,
) -> Result<NetworkConfig> {
    let base = NetworkConfig {
        n_neurons: n,
        n_inputs,
        n_outputs,
        activation: Activation::Relu,
        dt_ms,
        tau_ms: 100.0,
        rec_noise_std: 0.05,
        radius,
        seed,
        ..Default::default()
    };
    let local = NetworkConfig {
        connectivity: Connectivity::Local,
        ..base.clone()
    };
    Ok(match mask {
        "dense" => NetworkConfig {
            connectivity: Connectivity::Dense,
            ..base
        },
        "autapse" => NetworkConfig {
            connectivity: Connectivity::Autapse,
            init: crate::model::InitKind::Identity,
            gain: 1.0,
            ..base
        },
        "local" => local,
        "random" => {
            local.validate()?;
            let density = build_mask(&local, &mut SimRng::new(0)).density();
            NetworkConfig {
                connectivity: Connectivity::RandomDensity,
                density,
                ..base
            }
        }
        other => {
            return Err(Error::UnknownName {
                field: "mask",
                value: other.into(),
                allowed: "local, random, dense, autapse".into(),
            })
        }
    })
}

/// The Turcu & Abbott network for the capacity experiments.
pub fn turcu_network(n: usize, k: usize, seed: u64) -> NetworkConfig {
    NetworkConfig {
        n_neurons: n,
        n_inputs: n,
        connectivity: Connectivity::FixedInDegree,
        k,
        activation: Activation::RectifiedTanh,
        dt_ms: 10.0,
        tau_ms: 100.0,
        input_map: InputMap::Identity,
        readout: Readout::Population,
        seed,
        ..Default::default()
    }
}

/// Run one point and describe the result as JSON.
pub fn run_point(point: &SweepPoint) -> Result<Value> {
    match *point {
        SweepPoint::Capacity {
            n,
            k,
            p,
            steps,
            seed,
        } => {
            // the network first: it is cheap to estimate, the patterns are not to draw
            crate::budget::check_network(&turcu_network(n, k, seed), &Default::default())?;
            let task = PatternClassification::new(PatternConfig {
                n_patterns: p,
                pattern_dim: n,
                seed,
                ..Default::default()
            })?;
            let train = TrainConfig {
                learning_rate: 0.01,
                batch_size: p.min(64),
                seed,
                ..Default::default()
            };
            let config = turcu_network(n, k, seed);
            let (rule, limits) = (crate::learning::LearningRule::Bptt, Default::default());
            let evaluation = Some((p, Some(5.0)));
            crate::budget::check_run(
                &config,
                &train,
                &task,
                "turcu-classification",
                &rule,
                &limits,
                evaluation,
            )?;
            let network = Network::new(config)?;
            let mut trainer = Trainer::new(network, Box::new(task.clone()), train)?;
            for _ in 0..steps {
                trainer.train_step()?;
            }
            let all = TrialBatch::pack(task.all_trials(&mut SimRng::new(seed)));
            let (loss, accuracy) = evaluate_batch(&trainer.network, &task, &all, LossKind::Mse);
            let longer = task.with_response_ms(task.config.response_ms * 5.0);
            let all_long = TrialBatch::pack(longer.all_trials(&mut SimRng::new(seed)));
            let (_, late) = evaluate_batch(&trainer.network, &longer, &all_long, LossKind::Mse);
            Ok(
                json!({"experiment": "capacity", "n": n, "k": k, "p": p, "steps": steps, "seed": seed,
                      "loss": loss, "accuracy": accuracy, "late_accuracy": late,
                      "patterns_per_synapse": p as f64 / (n * k) as f64}),
            )
        }
        SweepPoint::Sparsity {
            ref task,
            n,
            ref mask,
            radius,
            steps,
            eval_every,
            criterion,
            seed,
        } => {
            let built = crate::tasks::registry::build_task(task, &json!({}))?;
            let spec = built.spec();
            let config = sparsity_network(
                n,
                mask,
                radius,
                spec.n_inputs,
                spec.n_outputs,
                spec.dt_ms,
                seed,
            )?;
            let train = TrainConfig {
                learning_rate: 0.003,
                batch_size: 32,
                seed,
                ..Default::default()
            };
            let (rule, limits) = (crate::learning::LearningRule::Bptt, Default::default());
            crate::budget::check_run(
                &config,
                &train,
                built.as_ref(),
                task,
                &rule,
                &limits,
                Some((256, None)),
            )?;
            let network = Network::new(config)?;
            let density = network.w_rec.density();
            let mut trainer = Trainer::new(network, built, train)?;
            let mut curve = Vec::new();
            let mut reached = None;
            for step in 1..=steps {
                trainer.train_step()?;
                if step % eval_every.max(1) == 0 || step == steps {
                    let (_, performance) = trainer.evaluate(256, seed + 1000);
                    curve.push(json!([step, performance]));
                    if reached.is_none() && performance as f64 >= criterion {
                        reached = Some(step);
                    }
                }
            }
            Ok(
                json!({"experiment": "sparsity", "task": task, "n": n, "mask": mask, "radius": radius,
                      "density": density, "seed": seed, "criterion": criterion,
                      "steps_to_criterion": reached, "curve": curve}),
            )
        }
        SweepPoint::Percolation { n, k, seed } => {
            let config = NetworkConfig {
                n_neurons: n,
                connectivity: Connectivity::FixedInDegree,
                k,
                seed,
                ..Default::default()
            };
            config.validate()?;
            crate::budget::check_network(&config, &Default::default())?;
            let mask = build_mask(&config, &mut SimRng::derived(seed, "mask"));
            let giant = largest_scc(&mask);
            Ok(
                json!({"experiment": "percolation", "n": n, "k": k, "seed": seed,
                      "largest_scc": giant, "fraction_in_scc": giant as f64 / n as f64,
                      "expected_accuracy": expected_accuracy(n, n - giant), "ln_n": (n as f64).ln()}),
            )
        }
    }
}

/// Smallest K (from the sweep's JSON results) at which the fraction of trials whose graph
/// is *fully* strongly connected (every neuron can take part in amplification) reaches
/// `criterion`, per N: the "min K for full capacity vs log N" summary.
pub fn min_k_for_full_connectivity(
    results: &[Value],
    criterion: f64,
) -> Vec<(usize, f64, Option<usize>)> {
    let mut ns: Vec<usize> = results
        .iter()
        .filter_map(|r| r["n"].as_u64())
        .map(|n| n as usize)
        .collect();
    ns.sort_unstable();
    ns.dedup();
    ns.into_iter()
        .map(|n| {
            let mut ks: Vec<usize> = results
                .iter()
                .filter(|r| r["n"].as_u64() == Some(n as u64))
                .filter_map(|r| r["k"].as_u64())
                .map(|k| k as usize)
                .collect();
            ks.sort_unstable();
            ks.dedup();
            let min_k = ks.into_iter().find(|&k| {
                let values: Vec<f64> = results
                    .iter()
                    .filter(|r| {
                        r["n"].as_u64() == Some(n as u64) && r["k"].as_u64() == Some(k as u64)
                    })
                    .filter_map(|r| r["fraction_in_scc"].as_f64())
                    .map(|fraction| if fraction >= 1.0 { 1.0 } else { 0.0 })
                    .collect();
                !values.is_empty() && values.iter().sum::<f64>() / values.len() as f64 >= criterion
            });
            (n, (n as f64).ln(), min_k)
        })
        .collect()
}

/// FNV-1a hash of the bits of every parameter of `network` (weights, biases, signs).
pub fn fingerprint(network: &Network) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    let tensors = [
        &network.w_rec_param,
        &network.w_rec.values,
        &network.w_in.values,
        &network.bias,
        &network.w_out.values,
    ];
    for tensor in tensors {
        for value in tensor.iter() {
            for byte in value.to_bits().to_le_bytes() {
                hash ^= byte as u64;
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
        }
    }
    hash
}

/// Train a small fixed configuration (sparse, rectified tanh, recurrent noise, random
/// pattern inputs with input noise) for `steps` steps and return the weights' fingerprint.
/// Native and wasm builds must return the same value (checked by tests on both).
pub fn determinism_probe(steps: usize) -> Result<u64> {
    let n = 40;
    let mut config = turcu_network(n, 6, 11);
    config.rec_noise_std = 0.05;
    let task = PatternClassification::new(PatternConfig {
        n_patterns: 12,
        pattern_dim: n,
        input_noise_std: 0.1,
        seed: 5,
        ..Default::default()
    })?;
    let train = TrainConfig {
        learning_rate: 0.01,
        batch_size: 6,
        seed: 3,
        ..Default::default()
    };
    let mut trainer = Trainer::new(Network::new(config)?, Box::new(task), train)?;
    for _ in 0..steps {
        trainer.train_step()?;
    }
    Ok(fingerprint(&trainer.network))
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
