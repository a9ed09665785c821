//! The spectral radius of a large sparse matrix without a dense eigen solve: the
//! explicitly restarted Arnoldi iteration (Saad, *Numerical Methods for Large Eigenvalue
//! Problems*, 2nd ed., §6.2 and §7.1).
//!
//! The matrix is seen only through `apply` (y = A x, e.g. a CSR product: O(nnz) per
//! call). Each cycle builds an orthonormal Krylov basis V of [`KRYLOV_DIM`] vectors
//! (classical Gram–Schmidt applied twice, which keeps V orthonormal to working
//! precision) and the small upper Hessenberg H = Vᵀ A V; its eigenvalues (the Ritz
//! values) come from the dense solver of [`super::eigen`], so a complex dominant pair — the
//! common case for a random matrix — is found as well as a real one (plain power
//! iteration would oscillate). The next cycle restarts from the real and imaginary parts
//! of the dominant Ritz vector (both lie in the dominant real invariant subspace), until
//! the Ritz residual ‖A z − λ z‖ = |h_{m+1,m}|·|y_m| and the change of |λ| between two
//! cycles are both below `tolerance`·|λ|. A Krylov space that becomes invariant (a
//! "breakdown", always the case when N ≤ [`KRYLOV_DIM`]) gives exact eigenvalues.
//!
//! Cost per cycle: [`KRYLOV_DIM`] products with A plus O(N·[`KRYLOV_DIM`]²) for the
//! orthogonalisation, against the dense solver's O(N³). Only IEEE `+ − × ÷` and `sqrt`
//! in a fixed order, so the result is bit-identical natively and in wasm; the start vector
//! is the caller's (seeded).

use super::eigen::{eigenvalues, Eigenvalue};

/// Dimension of the Krylov space of one cycle.
pub const KRYLOV_DIM: usize = 80;

/// Most restart cycles before giving up (the caller then falls back to the dense solver).
pub const MAX_CYCLES: usize = 300;

/// Outcome of [`arnoldi_radius`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ArnoldiRadius {
    /// The spectral radius max |λ|.
    pub radius: f64,
    /// Restart cycles run (1 = the first Krylov space sufficed).
    pub cycles: usize,
    /// Products with the matrix.
    pub products: usize,
    /// Residual ‖A z − λ z‖ of the dominant Ritz pair (0 after a breakdown).
    pub residual: f64,
}

/// Spectral radius of the `n × n` matrix applied by `apply(x, y)` (y ← A x; `y` arrives
/// zeroed), from the start vector `start` (length `n`, not all zero), to a relative
/// `tolerance` (e.g. 1e-10). `None` if it did not converge in [`MAX_CYCLES`] cycles, if
/// the dense solver did not converge on a Hessenberg matrix, or if `start` is zero.
pub fn arnoldi_radius(
    n: usize,
    start: &[f64],
    tolerance: f64,
    mut apply: impl FnMut(&[f64], &mut [f64]),
) -> Option<ArnoldiRadius> {
    assert_eq!(
        start.len(),
        n,
        "arnoldi_radius: start vector must have length n"
    );
    if n == 0 {
        return Some(ArnoldiRadius {
            radius: 0.0,
            cycles: 0,
            products: 0,
            residual: 0.0,
        });
    }
    let m = n.min(KRYLOV_DIM);
    // basis vectors, each contiguous: v_k = basis[k n .. (k + 1) n]
    let mut basis = vec![0.0f64; (m + 1) * n];
    // H is (m + 1) × m, row-major
    let mut h = vec![0.0f64; (m + 1) * m];
    let mut w = vec![0.0f64; n];
    let mut coefficients = vec![0.0f64; m];
    let mut restart = start.to_vec();
    let mut previous: Option<f64> = None;
    let mut products = 0usize;
    for cycle in 1..=MAX_CYCLES {
        let norm = dot(&restart, &restart).sqrt();
        if norm == 0.0 || !norm.is_finite() {
            return None;
        }
        for (b, r) in basis[..n].iter_mut().zip(&restart) {
            *b = r / norm;
        }
        h.fill(0.0);
        let mut size = m;
        let mut scale = 0.0f64;
        for j in 0..m {
            w.fill(0.0);
            apply(&basis[j * n..(j + 1) * n], &mut w);
            products += 1;
            // classical Gram–Schmidt, twice
            for _ in 0..2 {
                for (k, c) in coefficients[..=j].iter_mut().enumerate() {
                    *c = dot(&basis[k * n..(k + 1) * n], &w);
                }
                for (k, c) in coefficients[..=j].iter().enumerate() {
                    for (x, v) in w.iter_mut().zip(&basis[k * n..(k + 1) * n]) {
                        *x -= c * v;
                    }
                    h[k * m + j] += c;
                }
            }
            for k in 0..=j {
                scale = scale.max(h[k * m + j].abs());
            }
            let beta = dot(&w, &w).sqrt();
            h[(j + 1) * m + j] = beta;
            if beta <= 1e-14 * scale.max(f64::MIN_POSITIVE) {
                // invariant subspace: its eigenvalues are exact
                size = j + 1;
                break;
            }
            for (b, x) in basis[(j + 1) * n..(j + 2) * n].iter_mut().zip(&w) {
                *b = x / beta;
            }
        }
        let square: Vec<f64> = (0..size * size)
            .map(|e| h[(e / size) * m + e % size])
            .collect();
        let ritz = eigenvalues(&square, size)?;
        let dominant = ritz
            .iter()
            .copied()
            .reduce(|a, b| if b.modulus() > a.modulus() { b } else { a })
            .expect("at least one Ritz value");
        let radius = dominant.modulus();
        if size < m || size == n {
            return Some(ArnoldiRadius {
                radius,
                cycles: cycle,
                products,
                residual: 0.0,
            });
        }
        let y = ritz_vector(&square, size, dominant)?;
        let y_norm = y.iter().map(|c| c.0 * c.0 + c.1 * c.1).sum::<f64>().sqrt();
        let last = y[size - 1];
        let residual = h[size * m + size - 1] * (last.0 * last.0 + last.1 * last.1).sqrt() / y_norm;
        let settled = previous.is_some_and(|p| (radius - p).abs() <= tolerance * radius);
        if residual <= tolerance * radius && settled {
            return Some(ArnoldiRadius {
                radius,
                cycles: cycle,
                products,
                residual,
            });
        }
        previous = Some(radius);
        // restart from Re z + Im z, z = V y (in the dominant real invariant subspace)
        restart.fill(0.0);
        for (k, c) in y.iter().enumerate() {
            let weight = c.0 + c.1;
            for (r, v) in restart.iter_mut().zip(&basis[k * n..(k + 1) * n]) {
                *r += weight * v;
            }
        }
    }
    None
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// A complex number as (re, im).
type Complex = (f64, f64);

fn c_mul(a: Complex, b: Complex) -> Complex {
    (a.0 * b.0 - a.1 * b.1, a.0 * b.1 + a.1 * b.0)
}

fn c_div(a: Complex, b: Complex) -> Complex {
    let d = b.0 * b.0 + b.1 * b.1;
    ((a.0 * b.0 + a.1 * b.1) / d, (a.1 * b.0 - a.0 * b.1) / d)
}

fn c_abs2(a: Complex) -> f64 {
    a.0 * a.0 + a.1 * a.1
}

/// An eigenvector of the `size × size` row-major matrix `a` for its eigenvalue `lambda`,
/// by two steps of inverse iteration with the slightly shifted λ (Gaussian elimination
/// with partial pivoting in complex arithmetic). `None` if it is not finite.
fn ritz_vector(a: &[f64], size: usize, lambda: Eigenvalue) -> Option<Vec<Complex>> {
    let scale = a
        .iter()
        .fold(0.0f64, |s, x| s.max(x.abs()))
        .max(f64::MIN_POSITIVE);
    let shift: Complex = (lambda.re + 1e-10 * scale, lambda.im);
    let mut y: Vec<Complex> = vec![(1.0, 0.0); size];
    for _ in 0..2 {
        let mut m: Vec<Complex> = a.iter().map(|x| (*x, 0.0)).collect();
        for i in 0..size {
            let d = m[i * size + i];
            m[i * size + i] = (d.0 - shift.0, d.1 - shift.1);
        }
        let mut b = y.clone();
        for col in 0..size {
            let pivot = (col..size)
                .reduce(|p, r| {
                    if c_abs2(m[r * size + col]) > c_abs2(m[p * size + col]) {
                        r
                    } else {
                        p
                    }
                })
                .expect("non-empty range");
            if pivot != col {
                for k in 0..size {
                    m.swap(col * size + k, pivot * size + k);
                }
                b.swap(col, pivot);
            }
            if c_abs2(m[col * size + col]) == 0.0 {
                m[col * size + col] = (1e-300, 0.0);
            }
            let diagonal = m[col * size + col];
            for r in col + 1..size {
                if m[r * size + col] == (0.0, 0.0) {
                    continue;
                }
                let f = c_div(m[r * size + col], diagonal);
                for k in col..size {
                    let p = c_mul(f, m[col * size + k]);
                    let e = m[r * size + k];
                    m[r * size + k] = (e.0 - p.0, e.1 - p.1);
                }
                let p = c_mul(f, b[col]);
                b[r] = (b[r].0 - p.0, b[r].1 - p.1);
            }
        }
        for i in (0..size).rev() {
            let mut s = b[i];
            for k in i + 1..size {
                let p = c_mul(m[i * size + k], b[k]);
                s = (s.0 - p.0, s.1 - p.1);
            }
            b[i] = c_div(s, m[i * size + i]);
        }
        let norm = b.iter().map(|c| c_abs2(*c)).sum::<f64>().sqrt();
        if !(norm.is_finite() && norm > 0.0) {
            return None;
        }
        y = b.iter().map(|c| (c.0 / norm, c.1 / norm)).collect();
    }
    Some(y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::spectral_radius;

    /// A small deterministic generator (the foundation layer has no RNG of its own here).
    fn lcg(state: &mut u64) -> f64 {
        *state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((*state >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
    }

    fn dense_apply(a: &[f64], n: usize) -> impl FnMut(&[f64], &mut [f64]) + '_ {
        move |x, y| {
            for i in 0..n {
                y[i] = dot(&a[i * n..(i + 1) * n], x);
            }
        }
    }

    #[test]
    fn rotation_triangular_and_nilpotent_matrices() {
        let theta: f64 = 0.7;
        let (c, s) = (theta.cos(), theta.sin());
        let rotation = [2.0 * c, -2.0 * s, 2.0 * s, 2.0 * c];
        let r = arnoldi_radius(2, &[1.0, 0.3], 1e-12, dense_apply(&rotation, 2)).unwrap();
        assert!((r.radius - 2.0).abs() < 1e-14, "{r:?}");
        let shift = [0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0];
        let r = arnoldi_radius(3, &[0.2, 0.5, 1.0], 1e-12, dense_apply(&shift, 3)).unwrap();
        // a Jordan block: rounding of size ε moves its eigenvalues by ε^(1/3) ≈ 5e-6
        assert!(r.radius < 1e-4, "nilpotent: {r:?}");
        assert!(arnoldi_radius(3, &[0.0; 3], 1e-12, dense_apply(&shift, 3)).is_none());
    }

    #[test]
    fn restarted_arnoldi_matches_the_dense_solver() {
        // sizes above KRYLOV_DIM force restarts
        let mut state = 7u64;
        for (n, density) in [(150, 0.2), (300, 0.05), (400, 1.0)] {
            let a: Vec<f64> = (0..n * n)
                .map(|_| {
                    let keep = (lcg(&mut state) + 1.0) / 2.0 < density;
                    let v = lcg(&mut state);
                    if keep {
                        v
                    } else {
                        0.0
                    }
                })
                .collect();
            let start: Vec<f64> = (0..n).map(|_| lcg(&mut state)).collect();
            let exact = spectral_radius(&a, n).unwrap();
            let r = arnoldi_radius(n, &start, 1e-10, dense_apply(&a, n)).unwrap();
            assert!(
                (r.radius - exact).abs() <= 1e-10 * exact,
                "n {n}: {} vs {exact} ({r:?})",
                r.radius
            );
        }
    }
}
