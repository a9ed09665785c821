//! Losses on the network output, with their gradient with respect to the output.

use serde::{Deserialize, Serialize};

/// Which loss to minimise.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LossKind {
    /// Masked mean squared error Σ m (y − ŷ)² / Σ m (default).
    Mse,
    /// Turcu & Abbott's hinge-to-targets: only deviations on the wrong side of the
    /// target are penalised. A target ≥ `threshold` asks for y ≥ target, a target below
    /// it asks for y ≤ target: Σ m ReLU(±(ŷ − y)) / Σ m (the paper's linear hinge).
    Hinge {
        /// Targets at or above this value are "high".
        threshold: f32,
    },
    /// Softmax cross-entropy over the output channels at every scored step (one-hot
    /// targets; e-prop's evidence accumulation). Needs the channel count: use the
    /// `*_shaped` functions.
    CrossEntropy,
    /// Cross-entropy of each output's maximum over the scored steps (SpyTorch's readout).
    MaxOverTimeCrossEntropy,
}

impl LossKind {
    /// Whether the loss couples the output channels (cross-entropies).
    pub fn is_classification(self) -> bool {
        matches!(
            self,
            LossKind::CrossEntropy | LossKind::MaxOverTimeCrossEntropy
        )
    }
}

/// [`partial_loss_and_gradient`] for outputs of shape `(n_outputs, n_steps, batch_size)`
/// (what the cross-entropies need; the element-wise losses ignore it).
pub fn partial_loss_and_gradient_shaped(
    kind: LossKind,
    outputs: &[f32],
    targets: &[f32],
    mask: &[f32],
    shape: (usize, usize, usize),
    weight_total: f64,
    grad: &mut Vec<f32>,
) -> f32 {
    if !kind.is_classification() {
        return partial_loss_and_gradient(kind, outputs, targets, mask, weight_total, grad);
    }
    assert_eq!(
        outputs.len(),
        shape.0 * shape.1 * shape.2,
        "loss: outputs do not have the given shape"
    );
    assert!(
        outputs.len() == targets.len() && outputs.len() == mask.len(),
        "loss: outputs, targets and mask differ in size"
    );
    grad.clear();
    grad.resize(outputs.len(), 0.0);
    match kind {
        LossKind::CrossEntropy => super::classification_loss::per_step_cross_entropy(
            outputs,
            targets,
            mask,
            shape.0,
            weight_total,
            grad,
        ),
        _ => super::classification_loss::max_over_time_cross_entropy(
            outputs,
            targets,
            mask,
            shape,
            weight_total,
            grad,
        ),
    }
}

/// [`loss_and_gradient`] for outputs of shape `(n_outputs, n_steps, batch_size)`.
pub fn loss_and_gradient_shaped(
    kind: LossKind,
    outputs: &[f32],
    targets: &[f32],
    mask: &[f32],
    shape: (usize, usize, usize),
    grad: &mut Vec<f32>,
) -> f32 {
    let weight_total: f64 = mask.iter().map(|m| *m as f64).sum();
    partial_loss_and_gradient_shaped(kind, outputs, targets, mask, shape, weight_total, grad)
}

/// Loss value and dL/dy written into `grad` (same layout as `outputs`). The
/// cross-entropies need the channel count: [`loss_and_gradient_shaped`]; here they treat
/// the outputs as one channel.
pub fn loss_and_gradient(
    kind: LossKind,
    outputs: &[f32],
    targets: &[f32],
    mask: &[f32],
    grad: &mut Vec<f32>,
) -> f32 {
    assert_eq!(
        outputs.len(),
        targets.len(),
        "loss: outputs and targets differ in size"
    );
    assert_eq!(
        outputs.len(),
        mask.len(),
        "loss: outputs and mask differ in size"
    );
    let weight_total: f64 = mask.iter().map(|m| *m as f64).sum();
    partial_loss_and_gradient(kind, outputs, targets, mask, weight_total, grad)
}

/// [`loss_and_gradient`] of one part of a batch whose whole mask sums to `weight_total`:
/// the part's contribution to the batch loss and to dL/dy. Summing the parts of a split
/// batch gives the batch's loss and gradient.
pub fn partial_loss_and_gradient(
    kind: LossKind,
    outputs: &[f32],
    targets: &[f32],
    mask: &[f32],
    weight_total: f64,
    grad: &mut Vec<f32>,
) -> f32 {
    if kind.is_classification() {
        let shape = (1, outputs.len(), 1);
        return partial_loss_and_gradient_shaped(
            kind,
            outputs,
            targets,
            mask,
            shape,
            weight_total,
            grad,
        );
    }
    grad.clear();
    grad.resize(outputs.len(), 0.0);
    if weight_total <= 0.0 {
        return 0.0;
    }
    let inv = (1.0 / weight_total) as f32;
    let mut total = 0.0f64;
    for k in 0..outputs.len() {
        let m = mask[k];
        if m == 0.0 {
            continue;
        }
        let error = outputs[k] - targets[k];
        match kind {
            LossKind::Mse => {
                total += (m * error * error) as f64;
                grad[k] = 2.0 * m * error * inv;
            }
            LossKind::Hinge { threshold } => {
                let violation = if targets[k] >= threshold {
                    -error
                } else {
                    error
                };
                if violation > 0.0 {
                    let sign = if targets[k] >= threshold { -1.0 } else { 1.0 };
                    total += (m * violation) as f64;
                    grad[k] = m * sign * inv;
                }
            }
            LossKind::CrossEntropy | LossKind::MaxOverTimeCrossEntropy => {}
        }
    }
    (total / weight_total) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mse_and_hinge_values_and_gradients() {
        let y = [1.0, 0.5, 0.2, 0.9];
        let target = [0.0, 1.0, 0.0, 1.0];
        let mask = [1.0, 1.0, 0.0, 2.0];
        let mut g = Vec::new();
        let l = loss_and_gradient(LossKind::Mse, &y, &target, &mask, &mut g);
        assert!((l - (1.0 + 0.25 + 2.0 * 0.01) / 4.0).abs() < 1e-6);
        assert!((g[0] - 0.5).abs() < 1e-6 && g[2] == 0.0);
        let l = loss_and_gradient(
            LossKind::Hinge { threshold: 0.5 },
            &y,
            &target,
            &mask,
            &mut g,
        );
        // y=1 above low target 0 (penalised), y=0.5 below high target 1 (penalised)
        assert!((l - (1.0 + 0.5 + 2.0 * 0.1) / 4.0).abs() < 1e-6);
        assert_eq!(g[0], 0.25);
        assert_eq!(g[1], -0.25);
        let y2 = [-1.0, 2.0, 0.0, 1.5];
        let l2 = loss_and_gradient(
            LossKind::Hinge { threshold: 0.5 },
            &y2,
            &target,
            &mask,
            &mut g,
        );
        assert_eq!(l2, 0.0, "right side of every target costs nothing");
    }
}
