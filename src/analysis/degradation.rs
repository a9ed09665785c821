//! Degradation after training (Jarne & Laje): remove a fraction of the synapses, at random
//! or smallest-magnitude first (optionally only the positive or only the negative ones among
//! them), and measure how task performance falls.

use crate::model::Network;
use crate::rng::SimRng;
use crate::tasks::{Task, TrialBatch};
use crate::train::{evaluate_batch, LossKind};
use serde::{Deserialize, Serialize};

/// Which synapses go first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PruneOrder {
    /// Uniformly random.
    Random,
    /// Smallest |w| first.
    Magnitude,
    /// Of the `fraction` smallest-|w| synapses, only the positive ones (Jarne & Laje's
    /// "only positive weights below the threshold").
    MagnitudePositive,
    /// Of the `fraction` smallest-|w| synapses, only the negative ones.
    MagnitudeNegative,
}

/// A copy of `network` with `fraction` of its recurrent synapses set to zero.
pub fn pruned(network: &Network, fraction: f64, order: PruneOrder, rng: &mut SimRng) -> Network {
    let mut copy = network.clone();
    let nnz = copy.w_rec.nnz();
    let remove = ((fraction.clamp(0.0, 1.0)) * nnz as f64).round() as usize;
    let mut ids: Vec<usize> = (0..nnz).collect();
    match order {
        PruneOrder::Random => rng.shuffle(&mut ids),
        _ => ids.sort_by(|&a, &b| {
            copy.w_rec.values[a]
                .abs()
                .total_cmp(&copy.w_rec.values[b].abs())
        }),
    }
    let values = &copy.w_rec.values;
    let keep_sign = |s: usize| match order {
        PruneOrder::MagnitudePositive => values[s] > 0.0,
        PruneOrder::MagnitudeNegative => values[s] < 0.0,
        _ => true,
    };
    let chosen: Vec<usize> = ids[..remove]
        .iter()
        .copied()
        .filter(|&s| keep_sign(s))
        .collect();
    for s in chosen {
        copy.w_rec_param[s] = 0.0;
    }
    copy.refresh_effective_weights();
    copy
}

/// One point of a degradation curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DegradationPoint {
    /// Fraction of synapses removed.
    pub fraction_removed: f64,
    /// Mean task score.
    pub accuracy: f32,
}

/// Score after removing each fraction in `fractions` (same evaluation batch for all).
pub fn degradation_curve(
    network: &Network,
    task: &dyn Task,
    batch: &TrialBatch,
    fractions: &[f64],
    order: PruneOrder,
    seed: u64,
) -> Vec<DegradationPoint> {
    fractions
        .iter()
        .map(|&fraction| {
            let mut rng = SimRng::derived(seed, "prune");
            let damaged = pruned(network, fraction, order, &mut rng);
            let (_, accuracy) = evaluate_batch(&damaged, task, batch, LossKind::Mse);
            DegradationPoint {
                fraction_removed: fraction,
                accuracy,
            }
        })
        .collect()
}
