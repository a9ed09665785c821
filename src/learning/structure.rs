//! Structure of a trained recurrent matrix, to see what a regulariser such as
//! [BEAN](super::bean) did: sparsity, detected assemblies and Newman modularity.
//!
//! The graph is undirected and weighted, `A_ij = |W_ij| + |W_ji|` (self-connections
//! ignored). Assemblies are found by Louvain's local-moving phase (Blondel et al. 2008):
//! nodes are visited in index order and moved to the neighbouring community with the
//! largest modularity gain, until no move helps (deterministic).

use crate::model::Network;
use serde::{Deserialize, Serialize};

/// Sparsity and modularity of `|W_rec|`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StructureReport {
    /// Fraction of existing synapses with |w| below the threshold.
    pub sparsity: f64,
    /// Newman modularity Q of the detected partition.
    pub modularity: f64,
    /// Fraction of the total |w| mass that lies within detected assemblies.
    pub within_mass: f64,
    /// Number of detected assemblies (communities with at least 2 neurons).
    pub n_assemblies: usize,
    /// Assembly id of every neuron.
    pub assembly: Vec<usize>,
}

fn adjacency(network: &Network) -> Vec<Vec<(usize, f64)>> {
    let w = &network.w_rec;
    let mut adj = vec![Vec::new(); w.n_rows];
    for i in 0..w.n_rows {
        for s in w.row_ptr[i]..w.row_ptr[i + 1] {
            let j = w.col_idx[s] as usize;
            let weight = (w.values[s] as f64).abs();
            if i != j && weight > 0.0 {
                adj[i].push((j, weight));
                adj[j].push((i, weight));
            }
        }
    }
    adj
}

/// Louvain local moving on the graph `adj`: one community id per node.
fn local_moving(adj: &[Vec<(usize, f64)>]) -> Vec<usize> {
    let n = adj.len();
    let degree: Vec<f64> = adj
        .iter()
        .map(|row| row.iter().map(|p| p.1).sum())
        .collect();
    let two_m: f64 = degree.iter().sum();
    let mut community: Vec<usize> = (0..n).collect();
    if two_m <= 0.0 {
        return community;
    }
    let mut total = degree.clone();
    let mut link = vec![0.0f64; n];
    for _pass in 0..100 {
        let mut moved = false;
        for i in 0..n {
            let old = community[i];
            total[old] -= degree[i];
            let mut seen = vec![old];
            for &(j, w) in &adj[i] {
                if link[community[j]] == 0.0 {
                    seen.push(community[j]);
                }
                link[community[j]] += w;
            }
            let gain = |c: usize| link[c] - degree[i] * total[c] / two_m;
            let mut best = old;
            for &c in &seen {
                if gain(c) > gain(best) + 1e-12 {
                    best = c;
                }
            }
            for &c in &seen {
                link[c] = 0.0;
            }
            total[best] += degree[i];
            community[i] = best;
            moved |= best != old;
        }
        if !moved {
            break;
        }
    }
    community
}

/// Sparsity (|w| < `threshold`), assemblies and modularity of the recurrent weights.
pub fn structure_report(network: &Network, threshold: f64) -> StructureReport {
    let w = &network.w_rec;
    let small = w
        .values
        .iter()
        .filter(|v| (v.abs() as f64) < threshold)
        .count();
    let sparsity = small as f64 / w.nnz().max(1) as f64;
    let adj = adjacency(network);
    let community = local_moving(&adj);
    let n = adj.len();
    let two_m: f64 = adj.iter().flat_map(|r| r.iter().map(|p| p.1)).sum();
    let mut inside = vec![0.0f64; n];
    let mut total = vec![0.0f64; n];
    let mut size = vec![0usize; n];
    for i in 0..n {
        size[community[i]] += 1;
        for &(j, w) in &adj[i] {
            total[community[i]] += w;
            if community[j] == community[i] {
                inside[community[i]] += w;
            }
        }
    }
    let (modularity, within) = if two_m > 0.0 {
        let q = (0..n)
            .map(|c| inside[c] / two_m - (total[c] / two_m) * (total[c] / two_m))
            .sum();
        (q, inside.iter().sum::<f64>() / two_m)
    } else {
        (0.0, 0.0)
    };
    // relabel communities 0..
    let mut label = vec![usize::MAX; n];
    let mut next = 0;
    let assembly = community
        .iter()
        .map(|&c| {
            if label[c] == usize::MAX {
                label[c] = next;
                next += 1;
            }
            label[c]
        })
        .collect();
    StructureReport {
        sparsity,
        modularity,
        within_mass: within,
        n_assemblies: size.iter().filter(|&&s| s >= 2).count(),
        assembly,
    }
}
