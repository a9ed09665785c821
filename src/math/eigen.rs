//! Eigenvalues of a real non-symmetric matrix (the recurrent weights), for the spectra of
//! Jarne & Laje: reduction to upper Hessenberg form by Householder reflections, then the
//! Francis double-shift QR iteration. O(N³); intended for N up to a few thousand.

use serde::{Deserialize, Serialize};

/// A complex eigenvalue.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Eigenvalue {
    /// Real part.
    pub re: f64,
    /// Imaginary part.
    pub im: f64,
}

impl Eigenvalue {
    /// Modulus |λ|.
    pub fn modulus(&self) -> f64 {
        (self.re * self.re + self.im * self.im).sqrt()
    }
}

/// Eigenvalues of the `n × n` row-major matrix `a`, or `None` if the QR iteration did not
/// converge (30·n iterations without deflation).
pub fn eigenvalues(a: &[f64], n: usize) -> Option<Vec<Eigenvalue>> {
    assert_eq!(a.len(), n * n, "eigenvalues: matrix must be n x n");
    let mut h = a.to_vec();
    hessenberg(&mut h, n);
    francis_qr(&mut h, n)
}

/// Spectral radius max |λ|.
pub fn spectral_radius(a: &[f64], n: usize) -> Option<f64> {
    eigenvalues(a, n).map(|ev| ev.iter().map(Eigenvalue::modulus).fold(0.0, f64::max))
}

/// In-place Householder reduction to upper Hessenberg form (similarity transform).
fn hessenberg(h: &mut [f64], n: usize) {
    for k in 0..n.saturating_sub(2) {
        let alpha_norm: f64 = (k + 1..n)
            .map(|i| h[i * n + k] * h[i * n + k])
            .sum::<f64>()
            .sqrt();
        if alpha_norm == 0.0 {
            continue;
        }
        let alpha = if h[(k + 1) * n + k] > 0.0 {
            -alpha_norm
        } else {
            alpha_norm
        };
        let mut v = vec![0.0; n];
        for i in k + 1..n {
            v[i] = h[i * n + k];
        }
        v[k + 1] -= alpha;
        let v_norm2: f64 = v.iter().map(|x| x * x).sum();
        if v_norm2 == 0.0 {
            continue;
        }
        // H = (I - 2vvᵀ/vᵀv) H (I - 2vvᵀ/vᵀv)
        for j in 0..n {
            let dot: f64 = (k + 1..n).map(|i| v[i] * h[i * n + j]).sum();
            let f = 2.0 * dot / v_norm2;
            for i in k + 1..n {
                h[i * n + j] -= f * v[i];
            }
        }
        for i in 0..n {
            let dot: f64 = (k + 1..n).map(|j| h[i * n + j] * v[j]).sum();
            let f = 2.0 * dot / v_norm2;
            for j in k + 1..n {
                h[i * n + j] -= f * v[j];
            }
        }
        for i in k + 2..n {
            h[i * n + k] = 0.0;
        }
    }
}

/// Francis double-shift QR on an upper Hessenberg matrix (eigenvalues only).
fn francis_qr(a: &mut [f64], n: usize) -> Option<Vec<Eigenvalue>> {
    let at = |i: usize, j: usize| i * n + j;
    let mut values = vec![Eigenvalue { re: 0.0, im: 0.0 }; n];
    let anorm: f64 = a
        .iter()
        .map(|x| x.abs())
        .sum::<f64>()
        .max(f64::MIN_POSITIVE);
    let mut nn = n as isize - 1;
    let mut t = 0.0;
    let mut iterations = 0usize;
    while nn >= 0 {
        let mut its = 0;
        loop {
            // find a small subdiagonal element
            let mut l = nn;
            while l >= 1 {
                let s = a[at(l as usize - 1, l as usize - 1)].abs()
                    + a[at(l as usize, l as usize)].abs();
                let s = if s == 0.0 { anorm } else { s };
                if a[at(l as usize, l as usize - 1)].abs() <= f64::EPSILON * s {
                    a[at(l as usize, l as usize - 1)] = 0.0;
                    break;
                }
                l -= 1;
            }
            let nu = nn as usize;
            let x = a[at(nu, nu)];
            if l == nn {
                values[nu] = Eigenvalue { re: x + t, im: 0.0 };
                nn -= 1;
                break;
            }
            let y = a[at(nu - 1, nu - 1)];
            let w = a[at(nu, nu - 1)] * a[at(nu - 1, nu)];
            if l == nn - 1 {
                let p = 0.5 * (y - x);
                let q = p * p + w;
                let z = q.abs().sqrt();
                let x = x + t;
                if q >= 0.0 {
                    let z = p + if p >= 0.0 { z } else { -z };
                    let first = x + z;
                    let second = if z != 0.0 { x - w / z } else { first };
                    values[nu - 1] = Eigenvalue { re: first, im: 0.0 };
                    values[nu] = Eigenvalue {
                        re: second,
                        im: 0.0,
                    };
                } else {
                    values[nu - 1] = Eigenvalue { re: x + p, im: z };
                    values[nu] = Eigenvalue { re: x + p, im: -z };
                }
                nn -= 2;
                break;
            }
            iterations += 1;
            if iterations > 30 * n.max(1) + 100 {
                return None;
            }
            let (mut x, mut y, mut w) = (x, y, w);
            if its == 10 || its == 20 {
                // exceptional shift
                t += x;
                for i in 0..=nu {
                    a[at(i, i)] -= x;
                }
                let s = a[at(nu, nu - 1)].abs() + a[at(nu - 1, nu - 2)].abs();
                x = 0.75 * s;
                y = x;
                w = -0.4375 * s * s;
            }
            its += 1;
            qr_sweep(a, n, l as usize, nu, x, y, w);
        }
    }
    Some(values)
}

/// One double-shift QR sweep on rows/columns l..=nu (Numerical-Recipes-style `hqr` step).
fn qr_sweep(a: &mut [f64], n: usize, l: usize, nu: usize, x: f64, y: f64, w: f64) {
    let at = |i: usize, j: usize| i * n + j;
    let (mut p, mut q, mut r);
    let mut m = nu - 2;
    loop {
        let z = a[at(m, m)];
        let rr = x - z;
        let s = y - z;
        p = (rr * s - w) / a[at(m + 1, m)] + a[at(m, m + 1)];
        q = a[at(m + 1, m + 1)] - z - rr - s;
        r = a[at(m + 2, m + 1)];
        let s = p.abs() + q.abs() + r.abs();
        p /= s;
        q /= s;
        r /= s;
        if m == l {
            break;
        }
        let u = a[at(m, m - 1)].abs() * (q.abs() + r.abs());
        let v = p.abs() * (a[at(m - 1, m - 1)].abs() + z.abs() + a[at(m + 1, m + 1)].abs());
        if u <= f64::EPSILON * v {
            break;
        }
        m -= 1;
    }
    for i in m + 2..=nu {
        a[at(i, i - 2)] = 0.0;
        if i != m + 2 {
            a[at(i, i - 3)] = 0.0;
        }
    }
    let mut k = m;
    while k < nu {
        if k != m {
            p = a[at(k, k - 1)];
            q = a[at(k + 1, k - 1)];
            r = if k != nu - 1 {
                a[at(k + 2, k - 1)]
            } else {
                0.0
            };
            let x = p.abs() + q.abs() + r.abs();
            if x != 0.0 {
                p /= x;
                q /= x;
                r /= x;
            }
            if x == 0.0 {
                k += 1;
                continue;
            }
            let s = (p * p + q * q + r * r).sqrt().copysign(p);
            a[at(k, k - 1)] = -s * x;
            finish_reflection(a, n, l, nu, k, m, p, q, r, s);
        } else {
            let s = (p * p + q * q + r * r).sqrt().copysign(p);
            if l != m {
                a[at(k, k - 1)] = -a[at(k, k - 1)];
            }
            finish_reflection(a, n, l, nu, k, m, p, q, r, s);
        }
        k += 1;
    }
}

#[allow(clippy::too_many_arguments)]
fn finish_reflection(
    a: &mut [f64],
    n: usize,
    l: usize,
    nu: usize,
    k: usize,
    _m: usize,
    p: f64,
    q: f64,
    r: f64,
    s: f64,
) {
    let at = |i: usize, j: usize| i * n + j;
    let p = p + s;
    let x = p / s;
    let y = q / s;
    let z = r / s;
    let q = q / p;
    let r = r / p;
    for j in k..=nu {
        let mut pp = a[at(k, j)] + q * a[at(k + 1, j)];
        if k != nu - 1 {
            pp += r * a[at(k + 2, j)];
            a[at(k + 2, j)] -= pp * z;
        }
        a[at(k + 1, j)] -= pp * y;
        a[at(k, j)] -= pp * x;
    }
    let mmin = if nu < k + 3 { nu } else { k + 3 };
    for i in l..=mmin {
        let mut pp = x * a[at(i, k)] + y * a[at(i, k + 1)];
        if k != nu - 1 {
            pp += z * a[at(i, k + 2)];
            a[at(i, k + 2)] -= pp * r;
        }
        a[at(i, k + 1)] -= pp * q;
        a[at(i, k)] -= pp;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SimRng;

    fn sorted(mut v: Vec<Eigenvalue>) -> Vec<Eigenvalue> {
        v.sort_by(|a, b| a.re.total_cmp(&b.re).then(a.im.total_cmp(&b.im)));
        v
    }

    #[test]
    fn rotation_and_triangular_matrices() {
        let theta: f64 = 0.7;
        let (c, s) = (theta.cos(), theta.sin());
        let ev = sorted(eigenvalues(&[c, -s, s, c], 2).unwrap());
        assert!((ev[0].re - c).abs() < 1e-12 && (ev[0].im + s).abs() < 1e-12);
        assert!((ev[1].im - s).abs() < 1e-12);
        let tri = [2.0, 1.0, 5.0, 0.0, -3.0, 4.0, 0.0, 0.0, 0.5];
        let ev = sorted(eigenvalues(&tri, 3).unwrap());
        let re: Vec<f64> = ev.iter().map(|e| e.re).collect();
        assert!(
            (re[0] + 3.0).abs() < 1e-12
                && (re[1] - 0.5).abs() < 1e-12
                && (re[2] - 2.0).abs() < 1e-12
        );
    }

    #[test]
    fn random_matrix_trace_and_circular_law() {
        let n = 200;
        let mut rng = SimRng::new(3);
        let a: Vec<f64> = (0..n * n)
            .map(|_| rng.normal() / (n as f64).sqrt())
            .collect();
        let ev = eigenvalues(&a, n).unwrap();
        let trace: f64 = (0..n).map(|i| a[i * n + i]).sum();
        let sum_re: f64 = ev.iter().map(|e| e.re).sum();
        let sum_im: f64 = ev.iter().map(|e| e.im).sum();
        assert!((trace - sum_re).abs() < 1e-8, "trace {trace} vs {sum_re}");
        assert!(sum_im.abs() < 1e-8);
        // sum of λ² = trace(A²)
        let trace_sq: f64 = (0..n)
            .map(|i| (0..n).map(|k| a[i * n + k] * a[k * n + i]).sum::<f64>())
            .sum();
        let sum_sq: f64 = ev.iter().map(|e| e.re * e.re - e.im * e.im).sum();
        assert!((trace_sq - sum_sq).abs() < 1e-6, "{trace_sq} vs {sum_sq}");
        // Girko's circular law: radius ≈ 1
        let radius = ev.iter().map(Eigenvalue::modulus).fold(0.0, f64::max);
        assert!((0.85..1.2).contains(&radius), "radius {radius}");
    }
}
