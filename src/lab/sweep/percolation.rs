//! Percolation points (Turcu & Abbott's argument for K_min ∝ ln N): the largest strongly
//! connected component of a fixed-in-degree mask, and the summary "smallest K at which the
//! graph is fully strongly connected" per N.

use crate::analysis::{expected_accuracy, largest_scc};
use crate::error::Result;
use crate::model::{build_mask, Connectivity, NetworkConfig};
use crate::rng::SimRng;
use serde_json::{json, Value};

/// One percolation point as JSON: `{experiment, n, k, seed, largest_scc, fraction_in_scc,
/// expected_accuracy, ln_n}`.
pub fn run(n: usize, k: usize, seed: u64) -> Result<Value> {
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
              "expected_accuracy": expected_accuracy(n, n - giant), "ln_n": crate::math::ln(n as f64)}),
    )
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
            (n, crate::math::ln(n as f64), min_k)
        })
        .collect()
}

/// Turcu & Abbott's percolation bound for Erdős–Rényi masks of density `density` on N
/// neurons: the expected accuracy A = 1 − k(3N² − 3Nk + k²)/(2N³), k = N − |largest
/// SCC|, averaged over `graphs` masks of seeds `seed`, `seed + 1`, ….
pub fn percolation_bound(n: usize, density: f64, graphs: u64, seed: u64) -> Result<f64> {
    let mut total = 0.0;
    for g in 0..graphs {
        let config = NetworkConfig {
            n_neurons: n,
            connectivity: Connectivity::RandomDensity,
            density,
            seed: seed + g,
            ..Default::default()
        };
        config.validate()?;
        crate::budget::check_network(&config, &Default::default())?;
        let mask = build_mask(&config, &mut SimRng::derived(seed + g, "mask"));
        total += expected_accuracy(n, n - largest_scc(&mask));
    }
    Ok(total / graphs.max(1) as f64)
}
