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
//! chains. 4 × 3 = 12 accumulators + 3 `b` vectors + 1 broadcast fill the 16 vector
//! registers of SSE and the wasm engines. `k` runs in blocks of [`K_BLOCK`] so that one
//! lane strip of `b` (`K_BLOCK` × 12 lanes, 12 KiB) stays in the L1 cache while every row
//! block walks it.

use super::madd;
use super::simd::F4;

/// Rows of `c` per tile.
const ROWS: usize = 4;
/// `k` per block (see the module docs; not part of the summation order).
const K_BLOCK: usize = 256;

/// `c[i * c_stride + j] += Σ_{p < k} a[i * a_stride + p] * b[p * b_stride + j]` for
/// `i < m`, `j < n`, each sum added term by term in `p` order (see the module docs).
///
/// Panics when a slice is too short for its shape and stride.
#[allow(clippy::too_many_arguments)]
pub fn gemm(
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
    };
    let mut k0 = 0;
    while k0 < k {
        let k1 = (k0 + K_BLOCK).min(k);
        let mut j = 0;
        while j + 12 <= n {
            p.rows::<3>(c, j, k0, k1);
            j += 12;
        }
        if j + 8 <= n {
            p.rows::<2>(c, j, k0, k1);
            j += 8;
        }
        if j + 4 <= n {
            p.rows::<1>(c, j, k0, k1);
            j += 4;
        }
        for j in j..n {
            for i in 0..m {
                let mut acc = c[i * c_stride + j];
                for q in k0..k1 {
                    acc = madd(acc, a[i * a_stride + q], b[q * b_stride + j]);
                }
                c[i * c_stride + j] = acc;
            }
        }
        k0 = k1;
    }
}

/// The read-only operands and strides (bounds checked once by [`gemm`]).
struct Operands<'a> {
    a: &'a [f32],
    a_stride: usize,
    b: &'a [f32],
    b_stride: usize,
    c_stride: usize,
    m: usize,
}

impl Operands<'_> {
    /// Lanes `j..j + 4·V` of every row, for `k0..k1`: the strip of `b` is first copied
    /// into a contiguous panel (rows of `b` can be far apart: one page per `k` row of the
    /// forward products' `[k][time × batch]` operands, more than the L1 TLB holds).
    #[inline(always)]
    fn rows<const V: usize>(&self, c: &mut [f32], j: usize, k0: usize, k1: usize) {
        let mut panel = [0.0f32; K_BLOCK * 12];
        let width = 4 * V;
        for (q, strip) in (k0..k1).zip(panel.chunks_exact_mut(width)) {
            let at = q * self.b_stride + j;
            strip.copy_from_slice(&self.b[at..at + width]);
        }
        let panel = &panel[..(k1 - k0) * width];
        let mut i = 0;
        while i + ROWS <= self.m {
            self.tile::<ROWS, V>(c, panel, i, j, k0);
            i += ROWS;
        }
        if i + 2 <= self.m {
            self.tile::<2, V>(c, panel, i, j, k0);
            i += 2;
        }
        if i < self.m {
            self.tile::<1, V>(c, panel, i, j, k0);
        }
    }

    /// Rows `i..i + R`, lanes `j..j + 4·V`, `k0..k0 + panel.len() / (4·V)` (`panel` holds
    /// those rows of the `b` strip, `4·V` lanes each): in registers from load to store.
    #[inline(always)]
    fn tile<const R: usize, const V: usize>(
        &self,
        c: &mut [f32],
        panel: &[f32],
        i: usize,
        j: usize,
        k0: usize,
    ) {
        let a = self.a;
        let mut acc = [[F4::splat(0.0); V]; R];
        for (r, acc) in acc.iter_mut().enumerate() {
            let row = &c[(i + r) * self.c_stride + j..][..4 * V];
            for (v, x) in acc.iter_mut().enumerate() {
                *x = F4::load(&row[4 * v..]);
            }
        }
        let a_rows: [&[f32]; R] = core::array::from_fn(|r| {
            let at = (i + r) * self.a_stride + k0;
            &a[at..at + panel.len() / (4 * V)]
        });
        for (q, strip) in panel.chunks_exact(4 * V).enumerate() {
            let bv: [F4; V] = core::array::from_fn(|v| F4::load(&strip[4 * v..]));
            for r in 0..R {
                // SAFETY: `a_rows[r]` has one element per strip of `panel`, and q counts
                // the strips.
                let s = F4::splat(unsafe { *a_rows[r].get_unchecked(q) });
                for v in 0..V {
                    acc[r][v] = acc[r][v].madd(s, bv[v]);
                }
            }
        }
        for (r, acc) in acc.iter().enumerate() {
            let row = &mut c[(i + r) * self.c_stride + j..][..4 * V];
            for (v, x) in acc.iter().enumerate() {
                x.store(&mut row[4 * v..]);
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
/// projection and readout and the readout's backward projection call this.
pub fn rows_product(
    rows: super::RowsView<'_>,
    n_cols: usize,
    src: &[f32],
    src_stride: usize,
    out: &mut [f32],
    out_stride: usize,
    lanes: usize,
) {
    match dense_values(rows, n_cols) {
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

/// Multiply-adds per call of [`madd_peak`] and lane count: 12 chains × 4 lanes.
pub const PEAK_CHAINS: usize = 12;

/// The build's multiply-add throughput ceiling, as a loop: [`PEAK_CHAINS`] independent
/// [`F4`] chains (as many accumulators as the GEMM tile) of `rounds` multiply-adds each,
/// `acc ← acc + acc · y`, on registers (each chain multiplies its own value, so no product
/// is shared between chains or hoisted out of the loop). `2 · 4 · PEAK_CHAINS · rounds`
/// FLOPs; the returned sum keeps the work observable.
pub fn madd_peak(rounds: usize, seed: f32) -> f32 {
    let y = F4::splat(core::hint::black_box(-1e-7));
    let mut acc: [F4; PEAK_CHAINS] =
        core::array::from_fn(|c| F4::splat(core::hint::black_box(seed + c as f32)));
    for _ in 0..rounds {
        for a in acc.iter_mut() {
            *a = a.madd(*a, y);
        }
    }
    acc.iter()
        .fold(F4::splat(0.0), |s, a| s.add(*a))
        .lanes()
        .iter()
        .sum()
}
