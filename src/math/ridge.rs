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
//! accumulated here, in a fixed order, by [`Gram::add_samples`] (natively on 256-bit AVX
//! tiles where the CPU has AVX, in wasm on 128-bit ones: the same bits either way).

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
    /// `X Xᵀ`, row-major N × N; only `j ≥ i` is read.
    xxt: Vec<f64>,
    /// `X Yᵀ`, row-major N × O.
    xyt: Vec<f64>,
    /// Number of samples added.
    pub n_samples: usize,
}

/// Side of the square tiles of `X Xᵀ` kept in registers while the samples stream past.
const TILE: usize = 4;

/// Samples streamed per pass over the tiles (the chunk of X then stays in cache); the
/// summation order per entry is the sample order whatever this is, so the result does not
/// depend on it.
const SAMPLE_BLOCK: usize = 64;

/// Row groups (of [`TILE`] features) whose packed samples stay in L1 while the column
/// groups stream past (8 × 64 samples × 4 × 8 bytes = 16 KiB).
const PANEL: usize = 8;

/// Whether [`Gram::add_samples`] takes its 256-bit tiles ([`Gram::tile_pair_avx`]): the
/// x86_64 CPU has AVX (std caches the answer after the first check). Other targets (wasm:
/// 128-bit vectors only) always take the 4 × 4 tiles.
#[cfg(target_arch = "x86_64")]
fn wide_tiles() -> bool {
    std::is_x86_feature_detected!("avx")
}

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
    /// Every entry of `X Xᵀ` is its previous value plus the products in sample order, so
    /// the result does not depend on how the samples are split into calls. The upper
    /// triangle is computed as a blocked symmetric product: [`TILE`] × [`TILE`] tiles on
    /// or above the diagonal, each accumulated in registers over a block of
    /// [`SAMPLE_BLOCK`] samples packed feature group by feature group, [`PANEL`] row
    /// groups at a time (a few entries just below the diagonal are accumulated too and
    /// never read).
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
        let tiled = n - n % TILE;
        let groups = tiled / TILE;
        let mut packed = vec![0.0f64; groups * SAMPLE_BLOCK * TILE];
        for block in (0..samples).step_by(SAMPLE_BLOCK) {
            let end = (block + SAMPLE_BLOCK).min(samples);
            let x = &features[block * n..end * n];
            let len = end - block;
            // the block packed group by group: the TILE features of group g for every
            // sample in a row (`packed[g][s][a]`), so a tile reads two contiguous runs
            // instead of one 32-byte piece of every sample's row (rows N·8 bytes apart)
            for (s, row) in x.chunks_exact(n).enumerate() {
                for g in 0..groups {
                    let at = (g * SAMPLE_BLOCK + s) * TILE;
                    packed[at..at + TILE].copy_from_slice(&row[g * TILE..(g + 1) * TILE]);
                }
            }
            // a panel of PANEL row groups stays in L1 while the column groups stream past
            for panel in (0..groups).step_by(PANEL) {
                let panel_end = (panel + PANEL).min(groups);
                let mut gj = panel;
                while gj < groups {
                    #[cfg(target_arch = "x86_64")]
                    if gj + 1 < groups && wide_tiles() {
                        // column groups gj and gj + 1 at once, for the row groups both
                        // need (gi ≤ gj); then the diagonal tile gj + 1 alone, so the
                        // entries computed are the narrow path's, no more
                        for gi in panel..panel_end.min(gj + 1) {
                            // SAFETY: `wide_tiles` is true only where the CPU has AVX.
                            unsafe { self.tile_pair_avx(&packed, len, gi, gj) };
                        }
                        if gj + 1 < panel_end {
                            self.tile(&packed, len, gj + 1, gj + 1);
                        }
                        gj += 2;
                        continue;
                    }
                    for gi in panel..panel_end.min(gj + 1) {
                        self.tile(&packed, len, gi, gj);
                    }
                    gj += 1;
                }
            }
            for i0 in (0..tiled).step_by(TILE) {
                // the columns past the last full tile
                for i in i0..i0 + TILE {
                    for j in tiled..n {
                        self.entry(x, i, j);
                    }
                }
            }
            // the rows past the last full tile
            for i in tiled..n {
                for j in i..n {
                    self.entry(x, i, j);
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

    /// One entry `(i, j)` of `X Xᵀ` outside the tiles, over the samples `x` (row-major,
    /// samples × N), in sample order.
    fn entry(&mut self, x: &[f64], i: usize, j: usize) {
        let n = self.n_features;
        let mut acc = self.xxt[i * n + j];
        for row in x.chunks_exact(n) {
            acc += row[i] * row[j];
        }
        self.xxt[i * n + j] = acc;
    }

    /// The tile of `X Xᵀ` at rows `gi·TILE..` and columns `gj·TILE..` (feature groups
    /// `gi` ≤ `gj`), over the first `len` samples of the packed block `packed`
    /// (`[group][SAMPLE_BLOCK][TILE]`), in sample order.
    #[inline]
    fn tile(&mut self, packed: &[f64], len: usize, gi: usize, gj: usize) {
        let n = self.n_features;
        let (i0, j0) = (gi * TILE, gj * TILE);
        let mut acc = [[0.0f64; TILE]; TILE];
        for (a, row) in acc.iter_mut().enumerate() {
            row.copy_from_slice(&self.xxt[(i0 + a) * n + j0..(i0 + a) * n + j0 + TILE]);
        }
        let rows = &packed[gi * SAMPLE_BLOCK * TILE..][..len * TILE];
        let cols = &packed[gj * SAMPLE_BLOCK * TILE..][..len * TILE];
        for (xi, xj) in rows.chunks_exact(TILE).zip(cols.chunks_exact(TILE)) {
            for a in 0..TILE {
                for b in 0..TILE {
                    acc[a][b] += xi[a] * xj[b];
                }
            }
        }
        for (a, row) in acc.iter().enumerate() {
            self.xxt[(i0 + a) * n + j0..(i0 + a) * n + j0 + TILE].copy_from_slice(row);
        }
    }

    /// [`Gram::tile`] for the column groups `gj` and `gj + 1` at once, in 256-bit AVX
    /// registers: per row `a` of the tile, two vectors of four f64 hold its entries in the
    /// eight columns (8 accumulators, so 8 independent add chains hide the add latency),
    /// and each sample costs one broadcast per row, two loads and 8 + 8 `vmulpd` /
    /// `vaddpd` — 32 entries per sample where the 128-bit path does 16 with as many
    /// instructions. Each entry is still its stored value plus `xi[a]·xj[b]` in sample
    /// order, multiplied then added (two roundings, as the scalar loop: Rust never fuses),
    /// so the bits are the narrow path's.
    ///
    /// # Safety
    /// The CPU has AVX.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx")]
    unsafe fn tile_pair_avx(&mut self, packed: &[f64], len: usize, gi: usize, gj: usize) {
        use core::arch::x86_64::{
            _mm256_add_pd, _mm256_loadu_pd, _mm256_mul_pd, _mm256_set1_pd, _mm256_storeu_pd,
        };
        let n = self.n_features;
        let (i0, j0) = (gi * TILE, gj * TILE);
        let rows = &packed[gi * SAMPLE_BLOCK * TILE..][..len * TILE];
        let cols0 = &packed[gj * SAMPLE_BLOCK * TILE..][..len * TILE];
        let cols1 = &packed[(gj + 1) * SAMPLE_BLOCK * TILE..][..len * TILE];
        // SAFETY (the loads and stores below): every one reads or writes four in-bounds f64
        // of a slice sliced to hold them; the arithmetic intrinsics are safe in this
        // AVX-enabled function.
        let mut acc = [[_mm256_set1_pd(0.0); 2]; TILE];
        for (a, acc) in acc.iter_mut().enumerate() {
            let row = &self.xxt[(i0 + a) * n + j0..][..2 * TILE];
            unsafe {
                acc[0] = _mm256_loadu_pd(row.as_ptr());
                acc[1] = _mm256_loadu_pd(row[TILE..].as_ptr());
            }
        }
        for ((xi, x0), x1) in rows
            .chunks_exact(TILE)
            .zip(cols0.chunks_exact(TILE))
            .zip(cols1.chunks_exact(TILE))
        {
            let (x0, x1) = unsafe { (_mm256_loadu_pd(x0.as_ptr()), _mm256_loadu_pd(x1.as_ptr())) };
            for (acc, &xa) in acc.iter_mut().zip(xi) {
                let b = _mm256_set1_pd(xa);
                acc[0] = _mm256_add_pd(acc[0], _mm256_mul_pd(b, x0));
                acc[1] = _mm256_add_pd(acc[1], _mm256_mul_pd(b, x1));
            }
        }
        for (a, acc) in acc.iter().enumerate() {
            let row = &mut self.xxt[(i0 + a) * n + j0..][..2 * TILE];
            unsafe {
                _mm256_storeu_pd(row.as_mut_ptr(), acc[0]);
                _mm256_storeu_pd(row[TILE..].as_mut_ptr(), acc[1]);
            }
        }
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
    fn the_blocked_gram_is_the_sample_ordered_sum_bit_for_bit() {
        // 37 and 77 features: an odd number of 4-feature groups (the last column group
        // unpaired on the 256-bit path) and more than one panel of row groups
        for n in [13, 16, 37, 77] {
            let samples = 150;
            let mut rng = SimRng::new(n as u64);
            let x: Vec<f64> = (0..samples * n).map(|_| rng.normal()).collect();
            let y: Vec<f64> = (0..samples).map(|_| rng.normal()).collect();
            let mut gram = Gram::new(n, 1);
            gram.add_samples(&x[..70 * n], &y[..70]);
            gram.add_samples(&x[70 * n..], &y[70..]);
            for i in 0..n {
                for j in i..n {
                    let mut naive = 0.0;
                    for s in 0..samples {
                        naive += x[s * n + i] * x[s * n + j];
                    }
                    assert_eq!(
                        gram.xxt[i * n + j].to_bits(),
                        naive.to_bits(),
                        "{n}: {i} {j}"
                    );
                }
            }
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
