//! Ridge regression in closed form: the normal equations `(X Xᵀ + λ I) W_outᵀ = X Yᵀ`
//! accumulated sample by sample in f64 ([`Gram`]) and solved by a Cholesky factorisation
//! (nalgebra's, computed here in blocks: [`cholesky_upper`]).
//!
//! Why `nalgebra` (not `faer`): its Cholesky factorisation and triangular solves are
//! plain scalar loops, so a seeded run gives bit-identical readouts natively and in wasm
//! (the project's guarantee); `faer` picks SIMD kernels at run time (AVX2/AVX-512/FMA
//! natively, simd128 in wasm), which changes the summation order from host to host. It
//! also pulls ~50 crates (proc macros included) against nalgebra's 16, most already
//! shared with `ndarray`. The O(samples·N²) Gram matrix and the O(N³) factorisation are
//! both computed here as blocked symmetric products in a fixed order ([`sym_update`]:
//! natively on 256-bit AVX tiles where the CPU has AVX, in wasm on 128-bit ones: the same
//! bits either way); the factor is nalgebra's bit for bit, and nalgebra's triangular
//! solves finish the job.
//!
//! In the page the hot loops sit in small functions called thousands of times
//! ([`panel_tiles`], [`panel_row`]) rather than inside one long call: V8 runs a wasm
//! function's first calls in its baseline compiler (Liftoff, several times slower on
//! these loops) and only later calls in the optimised code (there is no on-stack
//! replacement for wasm), so nalgebra's factorisation, one call doing all of its O(N³)
//! work, never left the baseline code.

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

/// Side of the square tiles of a symmetric product kept in registers while the samples
/// stream past. (Measured in V8, 1000 features: 4 × 4 f64 tiles — 8 `f64x2` accumulators
/// — run at ≈ 10 GMAC/s, two f64x2 multiplies and two adds per cycle; 4 × 6, 6 × 4, 4 × 8,
/// 8 × 4, 2 × 8 and 3 × 8 tiles run at 5–9 GMAC/s, their accumulators spilled from V8's
/// 15 allocatable xmm registers.)
const TILE: usize = 4;

/// Samples streamed per pass over the tiles (the chunk of X then stays in cache); the
/// summation order per entry is the sample order whatever this is, so the result does not
/// depend on it. Also the width of the Cholesky factorisation's column blocks.
const SAMPLE_BLOCK: usize = 64;

/// Row groups (of [`TILE`] features) whose packed samples stay in L1 while the column
/// groups stream past (8 × 64 samples × 4 × 8 bytes = 16 KiB).
const PANEL: usize = 8;

/// Whether [`sym_update`] takes its 256-bit tiles ([`tile_pair_avx`]): the x86_64 CPU has
/// AVX (std caches the answer after the first check). Other targets (wasm: 128-bit vectors
/// only) always take the 4 × 4 tiles.
fn wide_tiles() -> bool {
    #[cfg(target_arch = "x86_64")]
    return std::is_x86_feature_detected!("avx");
    #[cfg(not(target_arch = "x86_64"))]
    false
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
    /// the result does not depend on how the samples are split into calls ([`sym_update`]:
    /// [`TILE`] × [`TILE`] tiles on or above the diagonal, a few entries just below the
    /// diagonal accumulated too and never read).
    pub fn add_samples(&mut self, features: &[f64], targets: &[f64]) {
        self.add_samples_with(features, targets, wide_tiles());
    }

    /// [`Gram::add_samples`], on 256-bit tiles when `wide` (the caller checked AVX).
    fn add_samples_with(&mut self, features: &[f64], targets: &[f64], wide: bool) {
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
        let x = Samples {
            x: features,
            stride: n,
            col0: 0,
            samples,
        };
        sym_update::<false>(&mut self.xxt, n, 0, x, n, wide);
        for s in 0..samples {
            let (x, y) = (&features[s * n..(s + 1) * n], &targets[s * o..(s + 1) * o]);
            for i in 0..n {
                for k in 0..o {
                    self.xyt[i * o + k] += x[i] * y[k];
                }
            }
        }
        self.n_samples += samples;
    }

    /// The readout `W_out` (O × N, row-major) minimising `‖Y − W_out X‖² + λ‖W_out‖²`:
    /// `(X Xᵀ + λ I)⁻¹ X Yᵀ` by Cholesky. Fails (naming `field`) when `X Xᵀ + λ I` is not
    /// numerically positive definite (λ = 0 with too few or collinear samples).
    pub fn solve(&self, ridge: f64, field: &'static str) -> Result<Vec<f64>> {
        self.solve_with(ridge, field, wide_tiles())
    }

    /// [`Gram::solve`], the factorisation on 256-bit tiles when `wide`.
    fn solve_with(&self, ridge: f64, field: &'static str, wide: bool) -> Result<Vec<f64>> {
        let (n, o) = (self.n_features, self.n_targets);
        let mut u = self.xxt.clone();
        for i in 0..n {
            u[i * n + i] += ridge;
        }
        if !cholesky_upper(&mut u, n, wide) {
            return Err(Error::field(
                field,
                ridge,
                "leaves X Xᵀ + ridge·I singular (too few or collinear samples): increase it",
            ));
        }
        // read column-major, `u` is the factor L in its lower triangle (the strict upper
        // one, never read by the solves, holds leftovers)
        let cholesky = nalgebra::Cholesky::<f64, Dyn>::pack_dirty(DMatrix::from_vec(n, n, u));
        let b = DMatrix::<f64>::from_row_slice(n, o, &self.xyt);
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

/// Samples of `m` features read by [`sym_update`]: feature `f` of sample `s` is
/// `x[s·stride + col0 + f]`.
#[derive(Clone, Copy)]
struct Samples<'a> {
    x: &'a [f64],
    stride: usize,
    col0: usize,
    samples: usize,
}

impl Samples<'_> {
    fn row(&self, s: usize, m: usize) -> &[f64] {
        &self.x[s * self.stride + self.col0..][..m]
    }
}

/// The symmetric product of `m` features over the samples of `x`, added to (`SUB` false)
/// or subtracted from (`SUB` true) the upper triangle of `out`, whose entry `(r, c)` is
/// `out[r·stride + col0 + c]`: each entry `c ≥ r` becomes its stored value plus (minus)
/// `x[s][r]·x[s][c]` in sample order, multiplied then added — two roundings, the scalar
/// loop's bits whichever tiles run. Computed as [`TILE`] × [`TILE`] tiles on or above the
/// diagonal, each accumulated in registers over a block of [`SAMPLE_BLOCK`] samples
/// packed feature group by feature group, [`PANEL`] row groups at a time ([`panel_tiles`];
/// a few entries just below the diagonal are accumulated too and never read), then the
/// features past the last full group entry by entry.
fn sym_update<const SUB: bool>(
    out: &mut [f64],
    stride: usize,
    col0: usize,
    x: Samples,
    m: usize,
    wide: bool,
) {
    let tiled = m - m % TILE;
    let groups = tiled / TILE;
    let mut packed = vec![0.0f64; groups * SAMPLE_BLOCK * TILE];
    let mut out = Out { out, stride, col0 };
    for block in (0..x.samples).step_by(SAMPLE_BLOCK) {
        let end = (block + SAMPLE_BLOCK).min(x.samples);
        let len = end - block;
        // the block packed group by group: the TILE features of group g for every
        // sample in a row (`packed[g][s][a]`), so a tile reads two contiguous runs
        // instead of one 32-byte piece of every sample's row
        for s in 0..len {
            let row = x.row(block + s, m);
            for g in 0..groups {
                let at = (g * SAMPLE_BLOCK + s) * TILE;
                packed[at..at + TILE].copy_from_slice(&row[g * TILE..(g + 1) * TILE]);
            }
        }
        for panel in (0..groups).step_by(PANEL) {
            panel_tiles::<SUB>(&mut out, &packed, len, groups, panel, wide);
        }
        // the columns past the last full tile, then the rows past it
        for i in 0..tiled {
            for j in tiled..m {
                out.entry::<SUB>(x, block..end, i, j);
            }
        }
        for i in tiled..m {
            for j in i..m {
                out.entry::<SUB>(x, block..end, i, j);
            }
        }
    }
}

/// The matrix [`sym_update`] writes: entry `(r, c)` at `out[r·stride + col0 + c]`.
struct Out<'a> {
    out: &'a mut [f64],
    stride: usize,
    col0: usize,
}

impl Out<'_> {
    /// The `width` entries of row `r` from column `c`.
    #[inline]
    fn run(&mut self, r: usize, c: usize, width: usize) -> &mut [f64] {
        &mut self.out[r * self.stride + self.col0 + c..][..width]
    }

    /// One entry `(i, j)` outside the tiles, over the samples `range` of `x`, in order.
    fn entry<const SUB: bool>(
        &mut self,
        x: Samples,
        range: std::ops::Range<usize>,
        i: usize,
        j: usize,
    ) {
        let slot = &mut self.run(i, j, 1)[0];
        let mut acc = *slot;
        for s in range {
            let p = x.x[s * x.stride + x.col0 + i] * x.x[s * x.stride + x.col0 + j];
            if SUB {
                acc -= p;
            } else {
                acc += p;
            }
        }
        *slot = acc;
    }
}

/// The tiles of one panel (row groups `panel..panel + PANEL`, every column group on or
/// right of the diagonal) over one packed block of `len` samples. Not inlined: in wasm
/// this small function is called thousands of times per fit, so V8 soon runs it in its
/// optimised tier (see the module's notes).
#[inline(never)]
fn panel_tiles<const SUB: bool>(
    out: &mut Out,
    packed: &[f64],
    len: usize,
    groups: usize,
    panel: usize,
    wide: bool,
) {
    #[cfg(not(target_arch = "x86_64"))]
    let _ = wide;
    let panel_end = (panel + PANEL).min(groups);
    let mut gj = panel;
    while gj < groups {
        #[cfg(target_arch = "x86_64")]
        if wide && gj + 1 < groups {
            // column groups gj and gj + 1 at once, for the row groups both need
            // (gi ≤ gj); then the diagonal tile gj + 1 alone, so the entries computed
            // are the narrow path's, no more
            for gi in panel..panel_end.min(gj + 1) {
                // SAFETY: `wide` is true only where the CPU has AVX (`wide_tiles`).
                unsafe { tile_pair_avx::<SUB>(out, packed, len, gi, gj) };
            }
            if gj + 1 < panel_end {
                tile::<SUB>(out, packed, len, gj + 1, gj + 1);
            }
            gj += 2;
            continue;
        }
        for gi in panel..panel_end.min(gj + 1) {
            tile::<SUB>(out, packed, len, gi, gj);
        }
        gj += 1;
    }
}

/// The tile at rows `gi·TILE..` and columns `gj·TILE..` (feature groups `gi` ≤ `gj`),
/// over the first `len` samples of the packed block `packed` (`[group][SAMPLE_BLOCK][TILE]`),
/// in sample order. In wasm LLVM keeps it in 8 `f64x2` accumulators (one
/// `v128.load64_splat` per row, two `v128.load` per sample).
#[inline]
fn tile<const SUB: bool>(out: &mut Out, packed: &[f64], len: usize, gi: usize, gj: usize) {
    let (i0, j0) = (gi * TILE, gj * TILE);
    let mut acc = [[0.0f64; TILE]; TILE];
    for (a, row) in acc.iter_mut().enumerate() {
        row.copy_from_slice(out.run(i0 + a, j0, TILE));
    }
    let rows = &packed[gi * SAMPLE_BLOCK * TILE..][..len * TILE];
    let cols = &packed[gj * SAMPLE_BLOCK * TILE..][..len * TILE];
    for (xi, xj) in rows.chunks_exact(TILE).zip(cols.chunks_exact(TILE)) {
        for a in 0..TILE {
            for b in 0..TILE {
                if SUB {
                    acc[a][b] -= xi[a] * xj[b];
                } else {
                    acc[a][b] += xi[a] * xj[b];
                }
            }
        }
    }
    for (a, row) in acc.iter().enumerate() {
        out.run(i0 + a, j0, TILE).copy_from_slice(row);
    }
}

/// [`tile`] for the column groups `gj` and `gj + 1` at once, in 256-bit AVX registers: per
/// row `a` of the tile, two vectors of four f64 hold its entries in the eight columns (8
/// accumulators, so 8 independent add chains hide the add latency), and each sample costs
/// one broadcast per row, two loads and 8 + 8 `vmulpd` / `vaddpd` (`vsubpd`) — 32 entries
/// per sample where the 128-bit path does 16 with as many instructions. Each entry is
/// still its stored value plus (minus) `xi[a]·xj[b]` in sample order, multiplied then
/// added (two roundings, as the scalar loop: Rust never fuses), so the bits are the
/// narrow path's.
///
/// # Safety
/// The CPU has AVX.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx")]
unsafe fn tile_pair_avx<const SUB: bool>(
    out: &mut Out,
    packed: &[f64],
    len: usize,
    gi: usize,
    gj: usize,
) {
    use core::arch::x86_64::{
        _mm256_add_pd, _mm256_loadu_pd, _mm256_mul_pd, _mm256_set1_pd, _mm256_storeu_pd,
        _mm256_sub_pd,
    };
    let (i0, j0) = (gi * TILE, gj * TILE);
    let rows = &packed[gi * SAMPLE_BLOCK * TILE..][..len * TILE];
    let cols0 = &packed[gj * SAMPLE_BLOCK * TILE..][..len * TILE];
    let cols1 = &packed[(gj + 1) * SAMPLE_BLOCK * TILE..][..len * TILE];
    // SAFETY (the loads and stores below): every one reads or writes four in-bounds f64
    // of a slice sliced to hold them; the arithmetic intrinsics are safe in this
    // AVX-enabled function.
    let mut acc = [[_mm256_set1_pd(0.0); 2]; TILE];
    for (a, acc) in acc.iter_mut().enumerate() {
        let row = out.run(i0 + a, j0, 2 * TILE);
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
            if SUB {
                acc[0] = _mm256_sub_pd(acc[0], _mm256_mul_pd(b, x0));
                acc[1] = _mm256_sub_pd(acc[1], _mm256_mul_pd(b, x1));
            } else {
                acc[0] = _mm256_add_pd(acc[0], _mm256_mul_pd(b, x0));
                acc[1] = _mm256_add_pd(acc[1], _mm256_mul_pd(b, x1));
            }
        }
    }
    for (a, acc) in acc.iter().enumerate() {
        let row = out.run(i0 + a, j0, 2 * TILE);
        unsafe {
            _mm256_storeu_pd(row.as_mut_ptr(), acc[0]);
            _mm256_storeu_pd(row[TILE..].as_mut_ptr(), acc[1]);
        }
    }
}

/// The Cholesky factorisation of the symmetric matrix whose upper triangle is `u`
/// (row-major n × n, entries `c ≥ r` read), in place: on success `u[j·n + i]` (i ≥ j) is
/// `L[i][j]`, so `u` read column-major holds the factor L in its lower triangle. False
/// where nalgebra's `Cholesky::new` gives `None` (a pivot that is not > 0, or NaN).
///
/// Bit for bit nalgebra's factor: its left-looking loop makes each `L[i][j]` (i ≥ j) the
/// entry `A[i][j]` minus `L[j][k]·L[i][k]` for k = 0, 1, …, j − 1 in that order (each
/// product rounded, then subtracted: `axpy` with factor `−L[j][k]`), then divided by
/// `L[j][j]`, the square root of the diagonal entry so reduced. Here, in row j of `u`
/// (column j of L, contiguous), the same subtractions run in the same order per entry but
/// right-looking in blocks of [`SAMPLE_BLOCK`] columns: a block's rows are finished one by
/// one ([`panel_row`], the block's earlier rows subtracted), then their products are
/// subtracted from everything right of and below the block at once — a symmetric product
/// of the block's rows, [`sym_update`] with `SUB`, on the Gram's tiles. Only the order in
/// which entries are visited changes, never the order of one entry's terms.
fn cholesky_upper(u: &mut [f64], n: usize, wide: bool) -> bool {
    for kb0 in (0..n).step_by(SAMPLE_BLOCK) {
        let kb1 = (kb0 + SAMPLE_BLOCK).min(n);
        for j in kb0..kb1 {
            let (done, rest) = u.split_at_mut(j * n);
            if !panel_row(&done[kb0 * n..], &mut rest[j..n], n) {
                return false;
            }
        }
        if kb1 < n {
            let (head, tail) = u.split_at_mut(kb1 * n);
            let block = Samples {
                x: &head[kb0 * n..],
                stride: n,
                col0: kb1,
                samples: kb1 - kb0,
            };
            sym_update::<true>(tail, n, kb1, block, n - kb1, wide);
        }
    }
    true
}

/// Row j of [`cholesky_upper`]'s `u` from its diagonal on (`row`, length n − j): minus
/// `u[k][j]·u[k][c]` for each finished row k of the block before j (`done`, row-major with
/// stride n), in order; then the square root of the diagonal entry and the division of the
/// rest by it. False if the diagonal entry is not > 0. Not inlined, for V8's tiers (see
/// the module's notes).
#[inline(never)]
fn panel_row(done: &[f64], row: &mut [f64], n: usize) -> bool {
    let width = row.len();
    let j = n - width;
    for prior in done.chunks_exact(n) {
        let prior = &prior[j..];
        let f = prior[0];
        for (y, &x) in row.iter_mut().zip(prior) {
            *y -= f * x;
        }
    }
    let d = row[0];
    // nalgebra's test: zero, negative or NaN (its `try_sqrt` wants `d >= 0`) fails
    if d.is_nan() || d <= 0.0 {
        return false;
    }
    let root = d.sqrt();
    row[0] = root;
    for y in &mut row[1..] {
        *y /= root;
    }
    true
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

    /// Both tile paths: 128-bit (wasm's) and, where the CPU has AVX, 256-bit.
    fn paths() -> Vec<bool> {
        if wide_tiles() {
            vec![false, true]
        } else {
            vec![false]
        }
    }

    #[test]
    fn the_blocked_gram_is_the_sample_ordered_sum_bit_for_bit() {
        // 37 and 77 features: an odd number of 4-feature groups (the last column group
        // unpaired on the 256-bit path) and more than one panel of row groups
        for wide in paths() {
            for n in [13, 16, 37, 77] {
                let samples = 150;
                let mut rng = SimRng::new(n as u64);
                let x: Vec<f64> = (0..samples * n).map(|_| rng.normal()).collect();
                let y: Vec<f64> = (0..samples).map(|_| rng.normal()).collect();
                let mut gram = Gram::new(n, 1);
                gram.add_samples_with(&x[..70 * n], &y[..70], wide);
                gram.add_samples_with(&x[70 * n..], &y[70..], wide);
                let mut reordered = 0;
                for i in 0..n {
                    for j in i..n {
                        let mut naive = 0.0;
                        for s in 0..samples {
                            naive += x[s * n + i] * x[s * n + j];
                        }
                        assert_eq!(
                            gram.xxt[i * n + j].to_bits(),
                            naive.to_bits(),
                            "{n} (wide {wide}): {i} {j}"
                        );
                        // the data tells the orders apart: the same sum backwards
                        let mut backwards = 0.0;
                        for s in (0..samples).rev() {
                            backwards += x[s * n + i] * x[s * n + j];
                        }
                        reordered += usize::from(backwards.to_bits() != naive.to_bits());
                    }
                }
                assert!(reordered > n * (n + 1) / 4, "{n}: {reordered}");
            }
        }
    }

    /// nalgebra's Cholesky factor of the symmetric matrix with upper triangle `u`
    /// (row-major), as `u`'s layout (row j = column j of L); None where nalgebra fails.
    fn nalgebra_factor(u: &[f64], n: usize) -> Option<Vec<f64>> {
        let mut a = DMatrix::<f64>::zeros(n, n);
        for i in 0..n {
            for j in i..n {
                a[(i, j)] = u[i * n + j];
                a[(j, i)] = u[i * n + j];
            }
        }
        let l = nalgebra::Cholesky::<f64, Dyn>::new(a)?.unpack_dirty();
        Some(l.as_slice().to_vec()) // column-major: column j at j·n
    }

    #[test]
    fn the_blocked_cholesky_is_nalgebras_factor_bit_for_bit() {
        // sizes around the 64-column blocks and the 4-feature groups (edges, an odd
        // group count, several blocks and panels); nearly collinear states (a few
        // random directions plus small noise) and a small ridge, as a reservoir gives
        for wide in paths() {
            for (n, ridge) in [
                (1, 0.5),
                (7, 1e-3),
                (64, 1e-6),
                (67, 1e-6),
                (130, 1e-4),
                (203, 1e-6),
            ] {
                let samples = 2 * n + 10;
                let mut rng = SimRng::new(7 + n as u64);
                let basis: Vec<f64> = (0..6 * n).map(|_| rng.normal()).collect();
                let mut x = vec![0.0; samples * n];
                for row in x.chunks_exact_mut(n) {
                    let c: Vec<f64> = (0..6).map(|_| rng.normal()).collect();
                    for (i, v) in row.iter_mut().enumerate() {
                        *v = (0..6).map(|d| c[d] * basis[d * n + i]).sum::<f64>()
                            + 1e-3 * rng.normal();
                    }
                }
                let y = vec![0.0; samples];
                let mut gram = Gram::new(n, 1);
                gram.add_samples_with(&x, &y, wide);
                let mut u = gram.xxt.clone();
                for i in 0..n {
                    u[i * n + i] += ridge;
                }
                let want = nalgebra_factor(&u, n).expect("positive definite");
                assert!(cholesky_upper(&mut u, n, wide));
                for j in 0..n {
                    for i in j..n {
                        assert_eq!(
                            u[j * n + i].to_bits(),
                            want[j * n + i].to_bits(),
                            "{n} (wide {wide}): L[{i}][{j}]"
                        );
                    }
                }
                // and the solve through it is nalgebra's whole solve
                let b: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
                gram.xyt.copy_from_slice(&b);
                let w = gram.solve_with(ridge, "ridge", wide).unwrap();
                let mut a = DMatrix::<f64>::zeros(n, n);
                for i in 0..n {
                    for j in i..n {
                        a[(i, j)] = gram.xxt[i * n + j];
                        a[(j, i)] = gram.xxt[i * n + j];
                    }
                    a[(i, i)] += ridge;
                }
                let old = nalgebra::Cholesky::<f64, Dyn>::new(a)
                    .unwrap()
                    .solve(&DMatrix::from_row_slice(n, 1, &b));
                for (i, v) in w.iter().enumerate() {
                    assert_eq!(v.to_bits(), old[(i, 0)].to_bits(), "{n}: w[{i}]");
                }
            }
        }
        // the entries' terms in another order give other bits: here each L[i][j] with
        // its k terms subtracted backwards (nalgebra's order is forwards)
        let n = 40;
        let mut rng = SimRng::new(11);
        let x: Vec<f64> = (0..3 * n * n).map(|_| rng.normal()).collect();
        let mut gram = Gram::new(n, 1);
        gram.add_samples(&x, &vec![0.0; 3 * n]);
        let want = nalgebra_factor(&gram.xxt, n).unwrap();
        let mut l = vec![0.0; n * n];
        let mut differ = 0;
        for j in 0..n {
            for i in j..n {
                let mut v = gram.xxt[j * n + i];
                for k in (0..j).rev() {
                    v -= l[k * n + j] * l[k * n + i];
                }
                l[j * n + i] = if i == j { v.sqrt() } else { v / l[j * n + j] };
                differ += usize::from(l[j * n + i].to_bits() != want[j * n + i].to_bits());
            }
        }
        assert!(differ > n * (n + 1) / 4, "{differ}");
    }

    #[test]
    fn the_blocked_cholesky_fails_where_nalgebra_fails() {
        // rank-deficient X Xᵀ with ridge 0: a pivot reaches zero or goes negative
        for n in [5, 66, 150] {
            let mut rng = SimRng::new(n as u64);
            let x: Vec<f64> = (0..(n / 2) * n).map(|_| rng.normal()).collect();
            let mut gram = Gram::new(n, 1);
            gram.add_samples(&x, &vec![0.0; n / 2]);
            let mut u = gram.xxt.clone();
            let want = nalgebra_factor(&u, n);
            assert!(want.is_none(), "{n}");
            assert!(!cholesky_upper(&mut u, n, wide_tiles()), "{n}");
            assert!(gram.solve(0.0, "rule.ridge").is_err(), "{n}");
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
