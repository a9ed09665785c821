//! Connectivity percolation (Turcu & Abbott's argument for K_min ∝ log N): neurons outside
//! the largest strongly connected component (SCC) of the synaptic graph cannot take part
//! in recurrent amplification. A random directed graph becomes strongly connected when
//! the in-degree reaches about ln N, so the K needed for full capacity grows like ln N.

use crate::model::Csr;

/// Size of the largest strongly connected component of the graph whose edges are the
/// stored entries of `mask` (edge j → i for entry (i, j)). Iterative Tarjan, O(N + nnz).
pub fn largest_scc(mask: &Csr) -> usize {
    let n = mask.n_rows;
    let mut index = vec![usize::MAX; n];
    let mut lowlink = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut best = 0;
    // call stack of (node, next edge offset)
    let mut calls: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        calls.push((root, mask.row_ptr[root]));
        index[root] = next_index;
        lowlink[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut edge)) = calls.last_mut() {
            if *edge < mask.row_ptr[v + 1] {
                let w = mask.col_idx[*edge] as usize;
                *edge += 1;
                if index[w] == usize::MAX {
                    index[w] = next_index;
                    lowlink[w] = next_index;
                    next_index += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    calls.push((w, mask.row_ptr[w]));
                } else if on_stack[w] {
                    lowlink[v] = lowlink[v].min(index[w]);
                }
            } else {
                calls.pop();
                if let Some(&(parent, _)) = calls.last() {
                    lowlink[parent] = lowlink[parent].min(lowlink[v]);
                }
                if lowlink[v] == index[v] {
                    let mut size = 0;
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        size += 1;
                        if w == v {
                            break;
                        }
                    }
                    best = best.max(size);
                }
            }
        }
    }
    best
}

/// Turcu & Abbott's expected accuracy when `outside` of `n` neurons are outside the giant
/// SCC: A = 1 − k(3N² − 3Nk + k²)/(2N³).
pub fn expected_accuracy(n: usize, outside: usize) -> f64 {
    let (n, k) = (n as f64, outside as f64);
    1.0 - k * (3.0 * n * n - 3.0 * n * k + k * k) / (2.0 * n * n * n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{build_mask, Connectivity, NetworkConfig};
    use crate::rng::SimRng;

    #[test]
    fn scc_of_known_graphs() {
        // 0 -> 1 -> 2 -> 0 is a cycle; 3 only receives from 2
        let m = Csr::from_rows(4, &[vec![2], vec![0], vec![1], vec![2]]);
        assert_eq!(largest_scc(&m), 3);
        let chain = Csr::from_rows(3, &[vec![], vec![0], vec![1]]);
        assert_eq!(largest_scc(&chain), 1);
        assert_eq!(expected_accuracy(100, 0), 1.0);
        assert!((expected_accuracy(100, 100) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn giant_component_appears_near_log_n_in_degree() {
        let n = 400;
        let fraction = |k: usize| {
            let c = NetworkConfig {
                n_neurons: n,
                connectivity: Connectivity::FixedInDegree,
                k,
                ..Default::default()
            };
            largest_scc(&build_mask(&c, &mut SimRng::new(k as u64))) as f64 / n as f64
        };
        assert!(fraction(1) < 0.2, "K = 1 leaves most neurons outside");
        assert!(
            fraction(12) > 0.99,
            "K = 12 (> 2 ln 400) is strongly connected"
        );
    }
}
