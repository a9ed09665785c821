//! The number of recurrent synapses a [`NetworkConfig`] will have, computed from the
//! configuration alone (no mask is built): the memory estimate needs it before anything is
//! allocated, in well under a millisecond even for N = 16384.

use crate::model::{sheet_shape, Connectivity, NetworkConfig};

/// Number of synapses (stored entries of W_rec) `config` will produce, as f64 so that
/// hostile sizes cannot overflow. Exact for `dense`, `autapse`, `fixed-in-degree` and
/// `random-density`; for `local` an upper bound (every cell of the sheet counted as a
/// neuron, exact when N fills the sheet).
pub fn synapse_count(config: &NetworkConfig) -> f64 {
    let n = config.n_neurons as f64;
    match config.connectivity {
        Connectivity::Dense => n * n,
        Connectivity::Autapse => n,
        Connectivity::FixedInDegree => n * config.k as f64,
        Connectivity::RandomDensity => {
            let candidates = if config.allow_autapses {
                n * n
            } else {
                n * n - n
            };
            (config.density * candidates).round().max(1.0)
        }
        Connectivity::Local => {
            let per_neuron = local_in_degree(
                config.n_neurons,
                config.radius,
                config.periodic,
                config.allow_autapses,
            );
            (n * per_neuron).min(n * n)
        }
    }
}

/// Upper bound on the in-degree of a neuron of a `local` mask: the number of sheet cells
/// within `radius` of it (the disc of radius r, clipped to the sheet, wrapped on a torus
/// when `periodic`). O(width · height) = O(N), a few µs for N = 16384.
pub fn local_in_degree(n: usize, radius: f64, periodic: bool, allow_autapses: bool) -> f64 {
    if n == 0 || !radius.is_finite() || radius < 0.0 {
        return n as f64;
    }
    let (width, height) = sheet_shape(n);
    let r2 = radius * radius + 1e-9;
    let count_axis = |size: usize, d: usize| -> f64 {
        // distance along one axis for an offset d in 0..size
        let d = d as f64;
        if periodic {
            d.min(size as f64 - d)
        } else {
            d
        }
    };
    let mut count = 0.0f64;
    if periodic {
        // every offset (dx, dy) of the torus, each counted once
        for dy in 0..height {
            let y = count_axis(height, dy);
            if y * y > r2 {
                continue;
            }
            for dx in 0..width {
                let x = count_axis(width, dx);
                if x * x + y * y <= r2 {
                    count += 1.0;
                }
            }
        }
    } else {
        // offsets in (-width, width) × (-height, height): a neuron in the middle of the
        // sheet sees at most this many (the others fewer), so it is an upper bound
        for dy in 0..height {
            let y = dy as f64;
            if y * y > r2 {
                break;
            }
            let y_copies = if dy == 0 { 1.0 } else { 2.0 };
            for dx in 0..width {
                let x = dx as f64;
                if x * x + y * y > r2 {
                    break;
                }
                let x_copies = if dx == 0 { 1.0 } else { 2.0 };
                count += x_copies * y_copies;
            }
        }
    }
    if !allow_autapses {
        count -= 1.0;
    }
    count.clamp(0.0, n as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::build_mask;
    use crate::rng::SimRng;

    fn config(connectivity: Connectivity, n: usize) -> NetworkConfig {
        NetworkConfig {
            n_neurons: n,
            connectivity,
            k: 7,
            density: 0.05,
            radius: 2.5,
            ..Default::default()
        }
    }

    #[test]
    fn counts_match_the_built_masks() {
        for connectivity in [
            Connectivity::Dense,
            Connectivity::Autapse,
            Connectivity::FixedInDegree,
            Connectivity::RandomDensity,
        ] {
            for allow_autapses in [true, false] {
                let c = NetworkConfig {
                    allow_autapses,
                    ..config(connectivity, 100)
                };
                let built = build_mask(&c, &mut SimRng::new(1)).nnz() as f64;
                assert_eq!(synapse_count(&c), built, "{connectivity:?}");
            }
        }
    }

    #[test]
    fn local_count_is_exact_on_a_full_sheet_and_an_upper_bound_otherwise() {
        for (n, periodic, allow_autapses, radius) in [
            (100, true, true, 2.5),
            (100, true, false, 1.0),
            (144, true, true, 40.0),
            (100, false, true, 2.0),
            (90, true, true, 3.0),
            (90, false, false, 3.0),
        ] {
            let c = NetworkConfig {
                periodic,
                allow_autapses,
                radius,
                ..config(Connectivity::Local, n)
            };
            let built = build_mask(&c, &mut SimRng::new(1)).nnz() as f64;
            let estimate = synapse_count(&c);
            assert!(
                estimate >= built,
                "{n} {periodic} {radius}: {estimate} < {built}"
            );
            if periodic && n == 100 {
                assert_eq!(estimate, built);
            }
            assert!(estimate <= 1.6 * built + n as f64, "{estimate} vs {built}");
        }
        // a radius larger than the sheet connects everything, and no more
        let huge = NetworkConfig {
            radius: 1e6,
            ..config(Connectivity::Local, 16_384)
        };
        assert_eq!(synapse_count(&huge), 16_384.0 * 16_384.0);
    }
}
