//! Dense matrix product `C += A · B` through a register-blocked micro-kernel: the dense
//! layers (input projection, readout, readout back and the input and readout weight
//! gradients) as single large products instead of per-synapse loops.
//!
//! All three operands are row-major with their own strides (`b` and `c` rows are the
//! contiguous "lanes": time × batch for the forward products, the layer's columns for the
//! weight gradients), so the kernel broadcasts one element of `a` and multiplies it into
//! whole vectors of a `b` row.
//!
//! # Summation order
//! Every output element starts from its value in `c` and adds `a[i][k] * b[k][j]` for
//! `k = 0, 1, …` one after the other with the flavour's [`super::madd`]: the order of
//! [`super::spmm_gather`] on a dense layer (synapse order = column order), so the forward
//! products give the same bits as the sparse kernel did, and no result bit depends on the
//! blocking below (rows, lanes or the `k` blocks: a block resumes from the stored sum).
//!
//! # Register blocks
//! A tile is [`ROWS`] rows × `4·V` lanes (V = 3, then 2 and 1 on the lane tail, single
//! lanes last) held in [`F4`] accumulators for a whole `k` block: per `k`, `V` loads of
//! `b` and [`ROWS`] broadcasts of `a` feed `ROWS·V` multiply-adds in as many independent
//! chains. 3 × 3 = 9 accumulators + 3 `b` vectors + 1 broadcast + 1 product fit the 16
//! vector registers of SSE/AVX2 and the 15 V8 allocates: the baseline flavour multiplies
//! into a temporary before it adds, so a 4-row tile (12 accumulators) needed 17 registers,
//! and the compiler kept one accumulator on the stack, stored and reloaded every `k` — a
//! store-to-load round trip in that accumulator's add chain that held the AVX2 products to
//! ≈ 50 % of the mul+add peak (3 rows: 59–83 %, `examples/gemm_probe.rs`, 2026-12-05). `k` runs in blocks of [`K_BLOCK`] so that one
//! lane strip of `b` (`K_BLOCK` × 12 lanes, 12 KiB) stays in the L1 cache while every row
//! block walks it.
//!
//! # AVX2 (x86_64, chosen at run time)
//! Where the CPU has AVX2 (and FMA, in a `+fma` build) the same tiles run on the 8-lane
//! [`F8`]: 3 rows × 3 ymm = 9 accumulators + 3 `b` vectors + 1 broadcast + 1 product
//! again fit the 16 ymm registers, now 24 lanes per strip (then 16 and 8; a 4-lane [`F4`] strip and
//! single lanes finish the tail). The strip is twice as wide, so `k` runs in blocks of
//! [`K_BLOCK`] / 2 to keep the panel at [`PANEL_LEN`] values (12 KiB of the 32 KiB L1).
//! Widening the vector only puts more independent output lanes side by side: every
//! element still gets the flavour's madd term by term in `k` order (baseline: `vmulps`
//! then `vaddps`, never fused), so both paths give the same bits. The wasm builds and
//! CPUs without AVX2 run the [`F4`] path.

use super::madd;
#[cfg(target_arch = "x86_64")]
use super::simd::F8;
use super::simd::{avx2_available, Lanes, F4};

/// Rows of `c` per tile (see the module docs: with 4 one accumulator spills).
const ROWS: usize = 3;
/// `k` per block of the [`F4`] path (see the module docs; not part of the summation order).
const K_BLOCK: usize = 256;
/// Values in the panel of one lane strip: [`K_BLOCK`] rows of the widest [`F4`] strip (12
/// lanes), 12 KiB. The AVX2 path's widest strip is 24 lanes, so its `k` blocks are half as
/// long (128) and its panel as large (not part of the summation order either).
const PANEL_LEN: usize = K_BLOCK * 12;

/// `c[i * c_stride + j] += Σ_{p < k} a[i * a_stride + p] * b[p * b_stride + j]` for
/// `i < m`, `j < n`, each sum added term by term in `p` order (see the module docs).
/// 256-bit AVX2 tiles where the CPU has them (x86_64, checked once at run time), 128-bit
/// [`F4`] tiles otherwise: the same bits either way.
///
/// Panics when a slice is too short for its shape and stride.
#[allow(clippy::too_many_arguments)]
pub fn gemm(
    shape: (usize, usize, usize),
    a: &[f32],
    a_stride: usize,
    b: &[f32],
    b_stride: usize,
    c: &mut [f32],
    c_stride: usize,
) {
    gemm_on(
        avx2_available(),
        shape,
        a,
        a_stride,
        b,
        b_stride,
        c,
        c_stride,
    );
}

/// [`gemm`] on the 128-bit [`F4`] path even where AVX2 is available: the reference the
/// tests compare the AVX2 path with.
#[cfg(test)]
#[allow(clippy::too_many_arguments)]
pub(super) fn gemm_f4(
    shape: (usize, usize, usize),
    a: &[f32],
    a_stride: usize,
    b: &[f32],
    b_stride: usize,
    c: &mut [f32],
    c_stride: usize,
) {
    gemm_on(false, shape, a, a_stride, b, b_stride, c, c_stride);
}

/// [`gemm`]'s bounds checks, then the AVX2 path when `wide` (and [`avx2_available`]),
/// else the [`F4`] path.
#[allow(clippy::too_many_arguments)]
fn gemm_on(
    wide: bool,
    (m, n, k): (usize, usize, usize),
    a: &[f32],
    a_stride: usize,
    b: &[f32],
    b_stride: usize,
    c: &mut [f32],
    c_stride: usize,
) {
    if m == 0 || n == 0 || k == 0 {
        return;
    }
    assert!(
        a.len() >= (m - 1) * a_stride + k,
        "gemm: `a` too short for {m} × {k}"
    );
    assert!(
        b.len() >= (k - 1) * b_stride + n,
        "gemm: `b` too short for {k} × {n}"
    );
    assert!(
        c.len() >= (m - 1) * c_stride + n,
        "gemm: `c` too short for {m} × {n}"
    );
    assert!(
        m == 1 || c_stride >= n,
        "gemm: rows of `c` overlap (stride {c_stride} < {n})"
    );
    let p = Operands {
        a,
        a_stride,
        b,
        b_stride,
        c_stride,
        m,
        n,
    };
    #[cfg(target_arch = "x86_64")]
    if wide && avx2_available() {
        // SAFETY: `avx2_available` just checked that this CPU has AVX2 (and FMA in a
        // `+fma` build), the features `run_avx2` is compiled for.
        unsafe { p.run_avx2(c, k) };
        return;
    }
    let _ = wide;
    p.run_f4(c, k);
}

/// The read-only operands and strides (bounds checked once by [`gemm_on`]).
struct Operands<'a> {
    a: &'a [f32],
    a_stride: usize,
    b: &'a [f32],
    b_stride: usize,
    c_stride: usize,
    m: usize,
    n: usize,
}

impl Operands<'_> {
    /// The whole product on [`F4`] tiles (see [`Operands::run`]).
    #[inline(always)]
    fn run_f4(&self, c: &mut [f32], k: usize) {
        // SAFETY: F4 needs only the x86_64 / wasm baseline.
        unsafe { self.run::<F4>(c, k) }
    }

    /// The whole product on [`F8`] tiles (see [`Operands::run`]; the same bits as
    /// [`Operands::run_f4`]), compiled for AVX2 so that the inlined tiles use ymm registers.
    ///
    /// # Safety
    /// The CPU has AVX2 (and FMA in a `+fma` build).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    #[cfg_attr(target_feature = "fma", target_feature(enable = "fma"))]
    unsafe fn run_avx2(&self, c: &mut [f32], k: usize) {
        // SAFETY: forwarded to the caller.
        unsafe { self.run::<F8>(c, k) }
    }

    /// The whole product on `W` tiles: per `k` block ([`PANEL_LEN`] / (3·W) rows of `k`, so
    /// the widest strip's panel is [`PANEL_LEN`] values whatever W), strips of 3·W, 2·W and
    /// W lanes, then (for W wider than four) one [`F4`] strip, then single lanes.
    ///
    /// # Safety
    /// The CPU has `W`'s instructions.
    #[inline(always)]
    unsafe fn run<W: Lanes>(&self, c: &mut [f32], k: usize) {
        let w = W::WIDTH;
        let mut panel = [0.0f32; PANEL_LEN];
        let k_block = PANEL_LEN / (3 * w);
        let mut k0 = 0;
        while k0 < k {
            let k1 = (k0 + k_block).min(k);
            let mut j = 0;
            // SAFETY (all four): the caller guarantees `W`'s instructions; F4 needs only
            // the baseline.
            while j + 3 * w <= self.n {
                unsafe { self.rows::<W, 3>(c, &mut panel, j, k0, k1) };
                j += 3 * w;
            }
            if j + 2 * w <= self.n {
                unsafe { self.rows::<W, 2>(c, &mut panel, j, k0, k1) };
                j += 2 * w;
            }
            if j + w <= self.n {
                unsafe { self.rows::<W, 1>(c, &mut panel, j, k0, k1) };
                j += w;
            }
            if w > 4 && j + 4 <= self.n {
                unsafe { self.rows::<F4, 1>(c, &mut panel, j, k0, k1) };
                j += 4;
            }
            self.single_lanes(c, j, k0, k1);
            k0 = k1;
        }
    }

    /// Lanes `j0..n` one at a time (fewer than 4), for `k0..k1`: the scalar [`madd`] chain.
    #[inline(always)]
    fn single_lanes(&self, c: &mut [f32], j0: usize, k0: usize, k1: usize) {
        let (a, b) = (self.a, self.b);
        for j in j0..self.n {
            for i in 0..self.m {
                let mut acc = c[i * self.c_stride + j];
                for q in k0..k1 {
                    acc = madd(acc, a[i * self.a_stride + q], b[q * self.b_stride + j]);
                }
                c[i * self.c_stride + j] = acc;
            }
        }
    }

    /// Lanes `j..j + W·V` of every row, for `k0..k1`: the strip of `b` is first copied
    /// into a contiguous panel (rows of `b` can be far apart: one page per `k` row of the
    /// forward products' `[k][time × batch]` operands, more than the L1 TLB holds).
    /// `panel` holds at least `(k1 - k0) · W·V` values.
    ///
    /// # Safety
    /// The CPU has `W`'s instructions.
    #[inline(always)]
    unsafe fn rows<W: Lanes, const V: usize>(
        &self,
        c: &mut [f32],
        panel: &mut [f32],
        j: usize,
        k0: usize,
        k1: usize,
    ) {
        let width = W::WIDTH * V;
        for (q, strip) in (k0..k1).zip(panel.chunks_exact_mut(width)) {
            let at = q * self.b_stride + j;
            strip.copy_from_slice(&self.b[at..at + width]);
        }
        let panel = &panel[..(k1 - k0) * width];
        let mut i = 0;
        // SAFETY (all three): forwarded to the caller.
        while i + ROWS <= self.m {
            unsafe { self.tile::<W, ROWS, V>(c, panel, i, j, k0) };
            i += ROWS;
        }
        if i + 2 <= self.m {
            unsafe { self.tile::<W, 2, V>(c, panel, i, j, k0) };
            i += 2;
        }
        if i < self.m {
            unsafe { self.tile::<W, 1, V>(c, panel, i, j, k0) };
        }
    }

    /// Rows `i..i + R`, lanes `j..j + W·V`, `k0..k0 + panel.len() / (W·V)` (`panel` holds
    /// those rows of the `b` strip, `W·V` lanes each): in registers from load to store.
    ///
    /// # Safety
    /// The CPU has `W`'s instructions.
    #[inline(always)]
    unsafe fn tile<W: Lanes, const R: usize, const V: usize>(
        &self,
        c: &mut [f32],
        panel: &[f32],
        i: usize,
        j: usize,
        k0: usize,
    ) {
        let a = self.a;
        let w = W::WIDTH;
        // SAFETY (every `W` method below): the caller guarantees `W`'s instructions.
        let mut acc = [[unsafe { W::splat(0.0) }; V]; R];
        for (r, acc) in acc.iter_mut().enumerate() {
            let row = &c[(i + r) * self.c_stride + j..][..w * V];
            for (v, x) in acc.iter_mut().enumerate() {
                *x = unsafe { W::load(&row[w * v..]) };
            }
        }
        let a_rows: [&[f32]; R] = core::array::from_fn(|r| {
            let at = (i + r) * self.a_stride + k0;
            &a[at..at + panel.len() / (w * V)]
        });
        for (q, strip) in panel.chunks_exact(w * V).enumerate() {
            let bv: [W; V] = core::array::from_fn(|v| unsafe { W::load(&strip[w * v..]) });
            for r in 0..R {
                // SAFETY: `a_rows[r]` has one element per strip of `panel`, and q counts
                // the strips.
                let s = unsafe { W::splat(*a_rows[r].get_unchecked(q)) };
                for v in 0..V {
                    acc[r][v] = unsafe { acc[r][v].madd(s, bv[v]) };
                }
            }
        }
        for (r, acc) in acc.iter().enumerate() {
            let row = &mut c[(i + r) * self.c_stride + j..][..w * V];
            for (v, x) in acc.iter().enumerate() {
                unsafe { x.store(&mut row[w * v..]) };
            }
        }
    }
}

/// The values of `rows` as a dense row-major `n_rows × n_cols` matrix, when every row
/// stores exactly the columns `0..n_cols` in order (a dense layer stored as CSR); `None`
/// for a masked layer. O(nnz) comparisons, stopping at the first difference.
pub fn dense_values(rows: super::RowsView<'_>, n_cols: usize) -> Option<&[f32]> {
    let n_rows = rows.n_rows();
    if n_cols == 0 || rows.indices.len() != n_rows * n_cols || rows.values.len() != n_rows * n_cols
    {
        return None;
    }
    for (r, w) in rows.row_ptr.windows(2).enumerate() {
        if w[0] != r * n_cols || w[1] != (r + 1) * n_cols {
            return None;
        }
    }
    for row in rows.indices.chunks_exact(n_cols) {
        if row.iter().enumerate().any(|(c, &x)| x as usize != c) {
            return None;
        }
    }
    Some(rows.values)
}

/// `out[r * out_stride + j] += Σ_s values[s] · src[indices[s] * src_stride + j]` for every
/// row `r` of `rows` (an `n_rows × n_cols` layer) and lane `j < lanes`: one [`gemm`] when
/// the layer is dense ([`dense_values`]), else [`super::spmm_gather`]. Both add a row's
/// terms in column order, so the result is the same bit for bit: the forward input
/// projection and readout and the readout's backward projection call this. The dense
/// test is O(nnz); a caller multiplying by one layer many times (the recurrence, once per
/// time step) tests once and calls [`rows_product_with`].
pub fn rows_product(
    rows: super::RowsView<'_>,
    n_cols: usize,
    src: &[f32],
    src_stride: usize,
    out: &mut [f32],
    out_stride: usize,
    lanes: usize,
) {
    let dense = dense_values(rows, n_cols);
    rows_product_with(rows, dense, n_cols, src, src_stride, out, out_stride, lanes);
}

/// [`rows_product`] with the layer's [`dense_values`] already known (`dense`: `Some` for a
/// dense layer, `None` for a masked one), so the O(nnz) test runs once per pass rather
/// than once per product.
#[allow(clippy::too_many_arguments)]
pub fn rows_product_with(
    rows: super::RowsView<'_>,
    dense: Option<&[f32]>,
    n_cols: usize,
    src: &[f32],
    src_stride: usize,
    out: &mut [f32],
    out_stride: usize,
    lanes: usize,
) {
    match dense {
        Some(w) => gemm(
            (rows.n_rows(), lanes, n_cols),
            w,
            n_cols,
            src,
            src_stride,
            out,
            out_stride,
        ),
        None => super::spmm_gather(rows, src, src_stride, out, out_stride, lanes),
    }
}

/// Independent multiply-add chains of [`madd_peak`]: 12, enough to keep every multiply
/// and add pipe busy through the add latency (the GEMM tile holds 9 since 2026-12-05, see
/// the module docs; the peak is the machine's, not the tile's).
pub const PEAK_CHAINS: usize = 12;

/// Lanes of each [`madd_peak`] chain: the widest vectors the GEMM runs on here (8 natively
/// on a CPU with AVX2, as [`gemm`] picks them; 4 otherwise and in wasm).
pub fn madd_peak_lanes() -> usize {
    if avx2_available() {
        8
    } else {
        4
    }
}

/// The build's multiply-add throughput ceiling, as a loop: [`PEAK_CHAINS`] independent
/// chains of [`madd_peak_lanes`] lanes, `rounds` multiply-adds each, `acc ← acc + acc · y`,
/// on registers (each chain multiplies its own value, so no product is shared between
/// chains or hoisted out of the loop), with the flavour's multiply-add.
/// `2 · madd_peak_lanes() · PEAK_CHAINS · rounds` FLOPs; the returned sum keeps the work
/// observable.
pub fn madd_peak(rounds: usize, seed: f32) -> f32 {
    #[cfg(target_arch = "x86_64")]
    if avx2_available() {
        // SAFETY: `avx2_available` just checked the features `peak_avx2` is compiled for.
        return unsafe { peak_avx2(rounds, seed) };
    }
    // SAFETY: F4 needs nothing beyond the build's baseline.
    unsafe { peak_on::<F4>(rounds, seed) }
}

/// [`madd_peak`] on 8-lane vectors.
///
/// # Safety
/// The CPU has AVX2 (and FMA in a `+fma` build).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
#[cfg_attr(target_feature = "fma", target_feature(enable = "fma"))]
unsafe fn peak_avx2(rounds: usize, seed: f32) -> f32 {
    // SAFETY: forwarded to the caller.
    unsafe { peak_on::<F8>(rounds, seed) }
}

/// # Safety
/// The CPU has `L`'s instructions.
#[inline(always)]
unsafe fn peak_on<L: Lanes>(rounds: usize, seed: f32) -> f32 {
    // SAFETY (every call below): forwarded to the caller.
    let y = unsafe { L::splat(core::hint::black_box(-1e-7)) };
    let mut acc: [L; PEAK_CHAINS] =
        core::array::from_fn(|c| unsafe { L::splat(core::hint::black_box(seed + c as f32)) });
    for _ in 0..rounds {
        for a in acc.iter_mut() {
            *a = unsafe { a.madd(*a, y) };
        }
    }
    let mut lanes = [0.0f32; 8];
    let mut sum = 0.0;
    for a in acc {
        unsafe { a.store(&mut lanes[..L::WIDTH]) };
        sum += lanes[..L::WIDTH].iter().sum::<f32>();
    }
    sum
}
