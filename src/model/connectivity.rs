//! Drawing recurrent connectivity patterns (masks) as sorted CSR rows.

use super::{Connectivity, Csr, NetworkConfig};
use crate::rng::SimRng;

/// Build the recurrent mask of `config` (all values 0; weights are set by initialisation).
/// All randomness comes from `rng`.
pub fn build_mask(config: &NetworkConfig, rng: &mut SimRng) -> Csr {
    let n = config.n_neurons;
    let rows: Vec<Vec<u32>> = match config.connectivity {
        Connectivity::Dense => (0..n).map(|_| (0..n as u32).collect()).collect(),
        Connectivity::Autapse => (0..n as u32).map(|i| vec![i]).collect(),
        Connectivity::FixedInDegree => (0..n)
            .map(|i| {
                let candidates = if config.allow_autapses { n } else { n - 1 };
                let mut row: Vec<u32> = rng
                    .sample_distinct(candidates, config.k)
                    .into_iter()
                    // without autapses, index i is skipped by shifting the upper part
                    .map(|j| if !config.allow_autapses && j >= i { j + 1 } else { j } as u32)
                    .collect();
                row.sort_unstable();
                row
            })
            .collect(),
        Connectivity::RandomDensity => {
            random_density_rows(n, config.density, config.allow_autapses, rng)
        }
        Connectivity::Local => local_rows(n, config.radius, config.periodic, config.allow_autapses),
    };
    Csr::from_rows(n, &rows)
}

/// Exactly round(density · #candidates) synapses chosen uniformly (selection sampling,
/// Knuth's algorithm S: O(N²) time, no N²-sized memory, rows come out sorted).
fn random_density_rows(
    n: usize,
    density: f64,
    allow_autapses: bool,
    rng: &mut SimRng,
) -> Vec<Vec<u32>> {
    let candidates = if allow_autapses { n * n } else { n * n - n };
    let mut remaining_to_pick = ((density * candidates as f64).round() as usize).max(1);
    let mut remaining = candidates;
    let mut rows = vec![Vec::new(); n];
    for (i, row) in rows.iter_mut().enumerate() {
        for j in 0..n {
            if !allow_autapses && i == j {
                continue;
            }
            if (rng.uniform() * remaining as f64) < remaining_to_pick as f64 {
                row.push(j as u32);
                remaining_to_pick -= 1;
            }
            remaining -= 1;
        }
    }
    rows
}

/// Grid placement of neuron `i` on a sheet `width` columns wide.
pub fn sheet_position(i: usize, width: usize) -> (f64, f64) {
    ((i % width) as f64, (i / width) as f64)
}

/// Width and height of the sheet holding `n` neurons (as square as possible).
pub fn sheet_shape(n: usize) -> (usize, usize) {
    let width = (n as f64).sqrt().ceil() as usize;
    let height = n.div_ceil(width.max(1));
    (width.max(1), height.max(1))
}

fn local_rows(n: usize, radius: f64, periodic: bool, allow_autapses: bool) -> Vec<Vec<u32>> {
    let (width, height) = sheet_shape(n);
    (0..n)
        .map(|i| {
            let (xi, yi) = sheet_position(i, width);
            (0..n)
                .filter(|&j| {
                    if i == j {
                        return allow_autapses;
                    }
                    let (xj, yj) = sheet_position(j, width);
                    let mut dx = (xi - xj).abs();
                    let mut dy = (yi - yj).abs();
                    if periodic {
                        dx = dx.min(width as f64 - dx);
                        dy = dy.min(height as f64 - dy);
                    }
                    dx * dx + dy * dy <= radius * radius + 1e-9
                })
                .map(|j| j as u32)
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(connectivity: Connectivity) -> NetworkConfig {
        NetworkConfig {
            n_neurons: 100,
            connectivity,
            k: 7,
            density: 0.05,
            ..Default::default()
        }
    }

    #[test]
    fn fixed_in_degree_has_exactly_k_distinct_partners() {
        for allow_autapses in [true, false] {
            let c = NetworkConfig {
                allow_autapses,
                ..config(Connectivity::FixedInDegree)
            };
            let m = build_mask(&c, &mut SimRng::new(5));
            for i in 0..100 {
                let row = &m.col_idx[m.row_ptr[i]..m.row_ptr[i + 1]];
                assert_eq!(row.len(), 7);
                assert!(row.windows(2).all(|w| w[0] < w[1]), "sorted and distinct");
                if !allow_autapses {
                    assert!(!row.contains(&(i as u32)));
                }
            }
        }
        // k = n - 1 without autapses is the dense matrix minus its diagonal
        let c = NetworkConfig {
            k: 99,
            allow_autapses: false,
            ..config(Connectivity::FixedInDegree)
        };
        assert_eq!(build_mask(&c, &mut SimRng::new(1)).nnz(), 9900);
    }

    #[test]
    fn random_density_places_exactly_the_requested_count() {
        let m = build_mask(&config(Connectivity::RandomDensity), &mut SimRng::new(2));
        assert_eq!(m.nnz(), 500);
        // in-degrees vary (Erdős–Rényi), unlike fixed-in-degree
        let degrees = m.row_degrees();
        assert!(degrees.iter().max() > degrees.iter().min());
    }

    #[test]
    fn autapse_dense_and_local_patterns() {
        let a = build_mask(&config(Connectivity::Autapse), &mut SimRng::new(0));
        assert_eq!(a.col_idx, (0..100).collect::<Vec<u32>>());
        assert_eq!(
            build_mask(&config(Connectivity::Dense), &mut SimRng::new(0)).nnz(),
            10_000
        );
        // radius 1 on a periodic 10x10 sheet: self + 4 neighbours
        let c = NetworkConfig {
            radius: 1.0,
            ..config(Connectivity::Local)
        };
        let m = build_mask(&c, &mut SimRng::new(0));
        assert!(m.row_degrees().iter().all(|&d| d == 5));
        // non-periodic: a corner has only self + 2 neighbours
        let c = NetworkConfig {
            radius: 1.0,
            periodic: false,
            ..config(Connectivity::Local)
        };
        assert_eq!(build_mask(&c, &mut SimRng::new(0)).row_degrees()[0], 3);
    }
}
