//! Ridge regression in closed form: the normal equations `(X Xᵀ + λ I) W_outᵀ = X Yᵀ`
//! accumulated sample by sample in f64 ([`Gram`]) and solved by a Cholesky factorisation
//! (`nalgebra`).
//!
//! Why `nalgebra` (not `faer`): its Cholesky factorisation and triangular solves are
//! plain scalar loops, so a seeded run gives bit-identical readouts natively and in wasm
//! (the project's guarantee); `faer` picks SIMD kernels at run time (AVX2/AVX-512/FMA
//! natively, simd128 in wasm), which changes the summation order from host to host. It
//! also pulls ~50 crates (proc macros included) against nalgebra's 16, most already
//! shared with `ndarray`. The Gram matrix itself — the O(samples·N²) part — is
//! accumulated here, in a fixed order, by [`Gram::add_samples`].

use crate::error::{Error, Result};
use nalgebra::{DMatrix, Dyn};

/// Accumulated normal equations of a linear readout: `X Xᵀ` (N × N, upper triangle used)
/// and `X Yᵀ` (N × O) over every sample added so far.
#[derive(Debug, Clone, PartialEq)]
pub struct Gram {
    /// Number of features N (reservoir units).
    pub n_features: usize,
    /// Number of targets O.
    pub n_targets: usize,
    /// `X Xᵀ`, row-major N × N; only `j ≥ i` is accumulated.
    xxt: Vec<f64>,
    /// `X Yᵀ`, row-major N × O.
    xyt: Vec<f64>,
    /// Number of samples added.
    pub n_samples: usize,
}

/// Samples accumulated per pass over the Gram matrix (register blocking; the summation
/// order per entry stays the sample order, so the result does not depend on it).
const BLOCK: usize = 8;

impl Gram {
    /// Empty normal equations for `n_features` features and `n_targets` targets.
    pub fn new(n_features: usize, n_targets: usize) -> Self {
        Gram {
            n_features,
            n_targets,
            xxt: vec![0.0; n_features * n_features],
            xyt: vec![0.0; n_features * n_targets],
            n_samples: 0,
        }
    }

    /// Add samples: `features` row-major (samples × N), `targets` row-major (samples × O).
    /// Every entry of `X Xᵀ` is summed in sample order (blocked in registers only).
    pub fn add_samples(&mut self, features: &[f64], targets: &[f64]) {
        let (n, o) = (self.n_features, self.n_targets);
        let samples = features.len() / n.max(1);
        assert_eq!(
            features.len(),
            samples * n,
            "Gram: features are not samples × N"
        );
        assert_eq!(
            targets.len(),
            samples * o,
            "Gram: targets are not samples × O"
        );
        for block in (0..samples).step_by(BLOCK) {
            let end = (block + BLOCK).min(samples);
            let rows: Vec<&[f64]> = (block..end)
                .map(|s| &features[s * n..(s + 1) * n])
                .collect();
            for i in 0..n {
                let out = &mut self.xxt[i * n + i..(i + 1) * n];
                if rows.len() == BLOCK {
                    let xi: [f64; BLOCK] = std::array::from_fn(|s| rows[s][i]);
                    let cols: [&[f64]; BLOCK] = std::array::from_fn(|s| &rows[s][i..]);
                    for (j, g) in out.iter_mut().enumerate() {
                        let mut acc = *g;
                        for s in 0..BLOCK {
                            acc += xi[s] * cols[s][j];
                        }
                        *g = acc;
                    }
                } else {
                    for row in &rows {
                        let xi = row[i];
                        for (g, x) in out.iter_mut().zip(&row[i..]) {
                            *g += xi * x;
                        }
                    }
                }
            }
            for s in block..end {
                let (x, y) = (&features[s * n..(s + 1) * n], &targets[s * o..(s + 1) * o]);
                for i in 0..n {
                    for k in 0..o {
                        self.xyt[i * o + k] += x[i] * y[k];
                    }
                }
            }
        }
        self.n_samples += samples;
    }

    /// The readout `W_out` (O × N, row-major) minimising `‖Y − W_out X‖² + λ‖W_out‖²`:
    /// `(X Xᵀ + λ I)⁻¹ X Yᵀ` by Cholesky. Fails (naming `field`) when `X Xᵀ + λ I` is not
    /// numerically positive definite (λ = 0 with too few or collinear samples).
    pub fn solve(&self, ridge: f64, field: &'static str) -> Result<Vec<f64>> {
        let (n, o) = (self.n_features, self.n_targets);
        let mut a = DMatrix::<f64>::zeros(n, n);
        for i in 0..n {
            for j in i..n {
                let v = self.xxt[i * n + j];
                a[(i, j)] = v;
                a[(j, i)] = v;
            }
            a[(i, i)] += ridge;
        }
        let b = DMatrix::<f64>::from_row_slice(n, o, &self.xyt);
        let cholesky = nalgebra::Cholesky::<f64, Dyn>::new(a).ok_or(Error::field(
            field,
            ridge,
            "leaves X Xᵀ + ridge·I singular (too few or collinear samples): increase it",
        ))?;
        let w = cholesky.solve(&b); // N × O
        let mut out = vec![0.0; o * n];
        for k in 0..o {
            for i in 0..n {
                out[k * n + i] = w[(i, k)];
            }
        }
        if out.iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFinite {
                step: 0,
                quantity: "ridge readout",
                value: f64::NAN,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SimRng;

    /// Normal equations solved by Gaussian elimination with partial pivoting (reference).
    fn reference(x: &[f64], y: &[f64], n: usize, samples: usize, ridge: f64) -> Vec<f64> {
        let mut a = vec![0.0; n * (n + 1)];
        for i in 0..n {
            for j in 0..n {
                a[i * (n + 1) + j] = (0..samples).map(|s| x[s * n + i] * x[s * n + j]).sum();
            }
            a[i * (n + 1) + i] += ridge;
            a[i * (n + 1) + n] = (0..samples).map(|s| x[s * n + i] * y[s]).sum();
        }
        for c in 0..n {
            let p = (c..n)
                .max_by(|&r, &q| {
                    a[r * (n + 1) + c]
                        .abs()
                        .total_cmp(&a[q * (n + 1) + c].abs())
                })
                .unwrap();
            for k in 0..=n {
                a.swap(c * (n + 1) + k, p * (n + 1) + k);
            }
            for r in 0..n {
                if r != c {
                    let f = a[r * (n + 1) + c] / a[c * (n + 1) + c];
                    for k in 0..=n {
                        a[r * (n + 1) + k] -= f * a[c * (n + 1) + k];
                    }
                }
            }
        }
        (0..n)
            .map(|i| a[i * (n + 1) + n] / a[i * (n + 1) + i])
            .collect()
    }

    #[test]
    fn ridge_matches_elimination_and_recovers_a_linear_map() {
        let (n, samples) = (13, 203);
        let mut rng = SimRng::new(3);
        let truth: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
        let x: Vec<f64> = (0..samples * n).map(|_| rng.normal()).collect();
        let y: Vec<f64> = (0..samples)
            .map(|s| (0..n).map(|i| truth[i] * x[s * n + i]).sum::<f64>() + 0.01 * rng.normal())
            .collect();
        let mut gram = Gram::new(n, 1);
        // added in two uneven parts: blocking must not matter
        gram.add_samples(&x[..77 * n], &y[..77]);
        gram.add_samples(&x[77 * n..], &y[77..]);
        assert_eq!(gram.n_samples, samples);
        for ridge in [0.0, 1e-3, 10.0] {
            let w = gram.solve(ridge, "ridge").unwrap();
            let r = reference(&x, &y, n, samples, ridge);
            for (a, b) in w.iter().zip(&r) {
                assert!((a - b).abs() < 1e-10 * (1.0 + b.abs()), "{a} vs {b}");
            }
        }
        let w = gram.solve(1e-6, "ridge").unwrap();
        for (a, b) in w.iter().zip(&truth) {
            assert!((a - b).abs() < 0.01, "{a} vs {b}");
        }
    }

    #[test]
    fn singular_normal_equations_are_an_error_naming_the_field() {
        let mut gram = Gram::new(4, 1);
        gram.add_samples(&[1.0, 2.0, 3.0, 4.0], &[1.0]);
        let e = gram.solve(0.0, "rule.ridge").unwrap_err().to_string();
        assert!(e.contains("rule.ridge"), "{e}");
        assert!(gram.solve(1e-3, "rule.ridge").is_ok());
    }
}
