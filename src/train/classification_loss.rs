//! Losses that couple the output channels: softmax cross-entropy at every scored step
//! (e-prop's evidence accumulation) and cross-entropy of the maximum over time of each
//! output (SpyTorch's readout: `max_t y`, log-softmax, NLL). Targets are one-hot over the
//! `n_outputs` channels; a step counts when its mask is non-zero on any channel, with the
//! largest of its channels' weights.

/// Softmax of `logits` into `out` (max-subtracted).
fn softmax(logits: &[f32], out: &mut [f32]) {
    let top = logits.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
    let mut total = 0.0f32;
    for (p, &y) in out.iter_mut().zip(logits) {
        *p = crate::math::exp(f64::from(y - top)) as f32;
        total += *p;
    }
    out.iter_mut().for_each(|p| *p /= total);
}

/// Cross-entropy of −Σ target·log p for probabilities `p`.
fn cross_entropy(p: &[f32], target: &[f32]) -> f64 {
    p.iter()
        .zip(target)
        .filter(|(_, t)| **t > 0.0)
        .map(|(p, t)| -(*t as f64) * crate::math::ln(f64::from(p.max(1e-30))))
        .sum()
}

/// Softmax cross-entropy at every scored step: loss and dL/dy into `grad`. `weight_total`
/// is the sum of the whole batch's mask (all channels), as in the element-wise losses, so
/// the parts of a split batch add up.
pub fn per_step_cross_entropy(
    outputs: &[f32],
    targets: &[f32],
    mask: &[f32],
    n_outputs: usize,
    weight_total: f64,
    grad: &mut [f32],
) -> f32 {
    let o = n_outputs.max(1);
    let lanes = outputs.len() / o;
    let norm = weight_total / o as f64;
    if norm <= 0.0 {
        return 0.0;
    }
    let (mut logits, mut p, mut target) = (vec![0.0f32; o], vec![0.0f32; o], vec![0.0f32; o]);
    let mut total = 0.0f64;
    for l in 0..lanes {
        let weight = (0..o).map(|c| mask[c * lanes + l]).fold(0.0f32, f32::max);
        if weight == 0.0 {
            continue;
        }
        for c in 0..o {
            logits[c] = outputs[c * lanes + l];
            target[c] = targets[c * lanes + l];
        }
        softmax(&logits, &mut p);
        total += weight as f64 * cross_entropy(&p, &target);
        let mass: f32 = target.iter().sum();
        for c in 0..o {
            grad[c * lanes + l] = (weight as f64 * (mass * p[c] - target[c]) as f64 / norm) as f32;
        }
    }
    (total / norm) as f32
}

/// Cross-entropy of each trial's per-channel maximum over its scored steps (SpyTorch):
/// the error reaches only the step where each channel peaks. Each trial weighs by its share
/// of the mask (`weight_total`, the whole batch's mask sum); `n_steps`·`batch_size` =
/// lanes, the batch contiguous.
pub fn max_over_time_cross_entropy(
    outputs: &[f32],
    targets: &[f32],
    mask: &[f32],
    shape: (usize, usize, usize),
    weight_total: f64,
    grad: &mut [f32],
) -> f32 {
    let (o, t_len, b_len) = shape;
    let lanes = t_len * b_len;
    if weight_total <= 0.0 || o == 0 {
        return 0.0;
    }
    let (mut peak, mut at, mut p, mut target) = (
        vec![0.0f32; o],
        vec![0usize; o],
        vec![0.0f32; o],
        vec![0.0f32; o],
    );
    let mut total = 0.0f64;
    for b in 0..b_len {
        let mut weight = 0.0f64;
        peak.fill(f32::NEG_INFINITY);
        target.fill(0.0);
        let mut seen = false;
        for t in 0..t_len {
            let l = t * b_len + b;
            let scored = (0..o).any(|c| mask[c * lanes + l] != 0.0);
            if !scored {
                continue;
            }
            for c in 0..o {
                weight += mask[c * lanes + l] as f64;
                if !seen {
                    target[c] = targets[c * lanes + l];
                }
                if outputs[c * lanes + l] > peak[c] {
                    peak[c] = outputs[c * lanes + l];
                    at[c] = l;
                }
            }
            seen = true;
        }
        if !seen {
            continue;
        }
        softmax(&peak, &mut p);
        let share = weight / weight_total;
        total += share * cross_entropy(&p, &target);
        let mass: f32 = target.iter().sum();
        for c in 0..o {
            grad[c * lanes + at[c]] = (share * (mass * p[c] - target[c]) as f64) as f32;
        }
    }
    total as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Central differences of a loss in f64 around `outputs`.
    fn numeric(f: &dyn Fn(&[f32]) -> f32, outputs: &[f32]) -> Vec<f32> {
        (0..outputs.len())
            .map(|k| {
                let (mut up, mut down) = (outputs.to_vec(), outputs.to_vec());
                up[k] += 1e-3;
                down[k] -= 1e-3;
                (f(&up) - f(&down)) / 2e-3
            })
            .collect()
    }

    #[test]
    fn gradients_match_finite_differences() {
        // O = 2, T = 3, B = 2
        let y = [
            0.3, -0.2, 0.9, 0.1, 0.5, 0.4, -0.1, 0.7, 0.2, 0.0, 0.6, -0.3,
        ];
        let targets = [1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0];
        let mask = [0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0];
        let total: f64 = mask.iter().map(|m| *m as f64).sum();
        let per_step = |y: &[f32]| {
            let mut g = vec![0.0; 12];
            per_step_cross_entropy(y, &targets, &mask, 2, total, &mut g)
        };
        let max_time = |y: &[f32]| {
            let mut g = vec![0.0; 12];
            max_over_time_cross_entropy(y, &targets, &mask, (2, 3, 2), total, &mut g)
        };
        for (name, f) in [
            ("per-step", &per_step as &dyn Fn(&[f32]) -> f32),
            ("max", &max_time),
        ] {
            let mut g = vec![0.0; 12];
            let value = if name == "max" {
                max_over_time_cross_entropy(&y, &targets, &mask, (2, 3, 2), total, &mut g)
            } else {
                per_step_cross_entropy(&y, &targets, &mask, 2, total, &mut g)
            };
            assert!(value > 0.0 && value.is_finite());
            let expected = numeric(f, &y);
            for (a, b) in g.iter().zip(&expected) {
                assert!((a - b).abs() < 2e-3, "{name}: {g:?} vs {expected:?}");
            }
        }
        // a confident correct answer costs almost nothing
        let sure = [
            9.0, 9.0, 9.0, 9.0, 9.0, 9.0, -9.0, -9.0, -9.0, -9.0, -9.0, -9.0,
        ];
        let ones = [1.0; 12];
        let mut g = vec![0.0; 12];
        let tgt = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0];
        assert!(per_step_cross_entropy(&sure, &tgt, &ones, 2, 12.0, &mut g) < 1e-6);
    }
}
