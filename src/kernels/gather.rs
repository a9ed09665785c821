//! Sparse-times-dense product in gather form: each output row accumulates
//! `weight * source_row` over its synapses.
//!
//! # Tiling
//! The lanes are cut into blocks of (natively, rows with their own column lists only,
//! [`WIDE_SINGLE_ROWS`]) 32, then 16, 8 and 4 lanes, then single lanes. A
//! *tile* is one lane block of one or more output rows, held in [`F4`] accumulators
//! (registers) from the first synapse to the last, so the output is loaded and stored once
//! per tile, not once per synapse:
//! - rows with one shared column list (a dense layer stored as CSR: the input and readout
//!   layers, a dense W_rec; see [`uniform_pattern`]) go [`SHARED_ROWS`] at a time through
//!   [`tile_shared`]: each source block is loaded once for all of them;
//! - other rows go one at a time (32-lane blocks) or in pairs through [`tile_pair`], which
//!   walks both rows' synapse lists side by side (two independent chains of multiply-adds
//!   hide the add latency), then finishes the longer one alone.
//!
//! Whatever the tile, each output element starts from its current value and adds its
//! row's `weight * source` products in synapse order with [`F4::madd`], the same
//! operation as the scalar [`madd`] loop: the result does not depend on the tiling.

use super::simd::F4;
use super::{madd, RowsView};

/// Output rows per shared-column tile: 2 rows × 16 lanes = 8 accumulators, which leaves
/// registers for the broadcast weights and the source vector (16 xmm registers).
const SHARED_ROWS: usize = 2;

/// Whether rows with their own column lists first go one at a time in 32-lane tiles (8
/// accumulators, one index and weight load per 32 lanes) instead of pairs of 16-lane rows.
/// Natively 5–8 % faster on the recurrent step (kernel bench, B = 32); in wasm V8 spilled
/// registers with 32-lane single-row blocks (~8 % slower in node), so wasm keeps pairs.
const WIDE_SINGLE_ROWS: bool = cfg!(not(target_arch = "wasm32"));

/// For every row `r` of `rows` and lane `l < lanes`:
/// `out[r * out_stride + l] += Σ_s values[s] * src[indices[s] * src_stride + l]`.
///
/// `src` and `out` may start at any offset (pass sub-slices), so the same kernel serves
/// one time step (`lanes` = batch) or a whole sequence (`lanes` = time × batch).
/// Per lane the summation order is the synapse order whatever the lane blocking.
pub fn spmm_gather(
    rows: RowsView<'_>,
    src: &[f32],
    src_stride: usize,
    out: &mut [f32],
    out_stride: usize,
    lanes: usize,
) {
    let n_rows = rows.n_rows();
    if n_rows == 0 || lanes == 0 {
        return;
    }
    assert!(
        out.len() >= (n_rows - 1) * out_stride + lanes,
        "spmm_gather: `out` too short"
    );
    // No up-front scan of the column indices for their maximum (O(nnz) per call, and the
    // recurrent step calls this T times per pass): every source block is sliced with a
    // bounds check, so a column beyond `src` panics there.
    // rows of one tile must not overlap in `out`
    let tiled = out_stride >= lanes && n_rows >= 2;
    let uniform = uniform_pattern(rows).filter(|_| tiled);
    let args = Args {
        rows,
        uniform,
        tiled,
        src,
        src_stride,
        out_stride,
    };
    let mut start = 0;
    if uniform.is_none() && WIDE_SINGLE_ROWS {
        start = args.run_blocks::<8>(out, start, lanes);
    }
    start = args.run_blocks::<4>(out, start, lanes);
    start = args.run_blocks::<2>(out, start, lanes);
    start = args.run_blocks::<1>(out, start, lanes);
    for lane in start..lanes {
        let mut r = 0;
        // four rows' chains side by side (their outputs are distinct elements of `out`
        // when out_stride > 0); each row still sums in its synapse order
        if out_stride > 0 {
            while r + TAIL_ROWS <= n_rows {
                tail_rows(rows, r, src, src_stride, lane, out, out_stride);
                r += TAIL_ROWS;
            }
        }
        for r in r..n_rows {
            let (lo, hi) = (rows.row_ptr[r], rows.row_ptr[r + 1]);
            let mut acc = out[r * out_stride + lane];
            for (&c, &w) in rows.indices[lo..hi].iter().zip(&rows.values[lo..hi]) {
                acc = madd(acc, w, src[c as usize * src_stride + lane]);
            }
            out[r * out_stride + lane] = acc;
        }
    }
}

/// Rows per lane-tail group in [`tail_rows`].
const TAIL_ROWS: usize = 4;

/// One lane of rows `r .. r + TAIL_ROWS`: their synapse lists walked side by side, so the
/// four multiply-add chains overlap instead of each waiting on its own add latency (small
/// batches are mostly lane tail; the batch-1 recurrent step uses
/// [`super::spmv_interleaved`] instead, with the same bits). Each row adds its
/// products in synapse order, as the lane blocks do, so the result is the same bit for bit.
#[inline(always)]
fn tail_rows(
    rows: RowsView<'_>,
    r: usize,
    src: &[f32],
    src_stride: usize,
    lane: usize,
    out: &mut [f32],
    out_stride: usize,
) {
    if src_stride == 1 && lane == 0 {
        // a compact single-trial column (`train::forward::recurrence`): no index arithmetic
        tail_rows_at(rows, r, src, |c| c as usize, out, out_stride, lane);
    } else {
        tail_rows_at(
            rows,
            r,
            src,
            |c| c as usize * src_stride + lane,
            out,
            out_stride,
            lane,
        );
    }
}

/// [`tail_rows`] with the source position of column `c` given by `at`.
#[inline(always)]
fn tail_rows_at(
    rows: RowsView<'_>,
    r: usize,
    src: &[f32],
    at: impl Fn(u32) -> usize,
    out: &mut [f32],
    out_stride: usize,
    lane: usize,
) {
    let span: [(usize, usize); TAIL_ROWS] =
        core::array::from_fn(|i| (rows.row_ptr[r + i], rows.row_ptr[r + i + 1]));
    let common = span.iter().map(|(lo, hi)| hi - lo).min().unwrap_or(0);
    // the first `common` synapses of each row, sliced to exactly that length so that the
    // loop below needs no bounds checks on them
    let [c0, c1, c2, c3]: [&[u32]; TAIL_ROWS] =
        core::array::from_fn(|i| &rows.indices[span[i].0..span[i].0 + common]);
    let [v0, v1, v2, v3]: [&[f32]; TAIL_ROWS] =
        core::array::from_fn(|i| &rows.values[span[i].0..span[i].0 + common]);
    let mut acc: [f32; TAIL_ROWS] = core::array::from_fn(|i| out[(r + i) * out_stride + lane]);
    for k in 0..common {
        acc[0] = madd(acc[0], v0[k], src[at(c0[k])]);
        acc[1] = madd(acc[1], v1[k], src[at(c1[k])]);
        acc[2] = madd(acc[2], v2[k], src[at(c2[k])]);
        acc[3] = madd(acc[3], v3[k], src[at(c3[k])]);
    }
    for (i, &(lo, hi)) in span.iter().enumerate() {
        let rest = lo + common..hi;
        for (&c, &w) in rows.indices[rest.clone()].iter().zip(&rows.values[rest]) {
            acc[i] = madd(acc[i], w, src[at(c)]);
        }
        out[(r + i) * out_stride + lane] = acc[i];
    }
}

/// `Some(k)` when every row holds the same `k > 0` column indices (a dense layer stored
/// as CSR, e.g. the 33-wide input and readout layers): then rows can share the loads of
/// `src` in [`tile_shared`]. O(nnz) comparisons, stopping at the first difference.
pub(super) fn uniform_pattern(rows: RowsView<'_>) -> Option<usize> {
    let n_rows = rows.n_rows();
    let first = rows.indices.get(rows.row_ptr[0]..*rows.row_ptr.get(1)?)?;
    if first.is_empty() {
        return None;
    }
    for r in 1..n_rows {
        let row = rows.indices.get(rows.row_ptr[r]..rows.row_ptr[r + 1])?;
        if row != first {
            return None;
        }
    }
    Some(first.len())
}

/// The arguments every tile needs.
struct Args<'a> {
    rows: RowsView<'a>,
    /// `Some(k)`: every row has the same `k` columns ([`uniform_pattern`]).
    uniform: Option<usize>,
    /// Whether rows may be tiled (their output ranges do not overlap).
    tiled: bool,
    src: &'a [f32],
    src_stride: usize,
    out_stride: usize,
}

impl Args<'_> {
    /// Process every whole block of `4·V` lanes from `start`; returns the first
    /// unprocessed lane.
    #[inline(always)]
    fn run_blocks<const V: usize>(&self, out: &mut [f32], mut start: usize, lanes: usize) -> usize {
        let rows = self.rows;
        let n_rows = rows.n_rows();
        let ptr = rows.row_ptr;
        while start + 4 * V <= lanes {
            let mut r = 0;
            if let Some(k) = self.uniform {
                let columns = &rows.indices[ptr[0]..ptr[0] + k];
                while r + SHARED_ROWS <= n_rows {
                    let blocks = self.blocks_mut::<SHARED_ROWS>(out, r, start, 4 * V);
                    let values = core::array::from_fn(|i| &rows.values[ptr[r + i]..ptr[r + i] + k]);
                    tile_shared::<SHARED_ROWS, V>(
                        blocks,
                        values,
                        columns,
                        self.src,
                        self.src_stride,
                        start,
                    );
                    r += SHARED_ROWS;
                }
            } else if self.tiled && V <= 4 {
                while r + 2 <= n_rows {
                    let blocks = self.blocks_mut::<2>(out, r, start, 4 * V);
                    let (e0, e1) = (ptr[r]..ptr[r + 1], ptr[r + 1]..ptr[r + 2]);
                    tile_pair::<V>(
                        blocks,
                        [&rows.values[e0.clone()], &rows.values[e1.clone()]],
                        [&rows.indices[e0], &rows.indices[e1]],
                        self.src,
                        self.src_stride,
                        start,
                    );
                    r += 2;
                }
            }
            for r in r..n_rows {
                let range = ptr[r]..ptr[r + 1];
                let at = r * self.out_stride + start;
                tile_shared::<1, V>(
                    [&mut out[at..at + 4 * V]],
                    [&rows.values[range.clone()]],
                    &rows.indices[range],
                    self.src,
                    self.src_stride,
                    start,
                );
            }
            start += 4 * V;
        }
        start
    }

    /// The `len`-lane blocks from lane `start` of the `R` output rows from `first`.
    #[inline(always)]
    fn blocks_mut<'o, const R: usize>(
        &self,
        out: &'o mut [f32],
        first: usize,
        start: usize,
        len: usize,
    ) -> [&'o mut [f32]; R] {
        let mut rest = &mut out[first * self.out_stride + start..];
        let mut blocks: [&'o mut [f32]; R] = core::array::from_fn(|_| <&mut [f32]>::default());
        for (i, block) in blocks.iter_mut().enumerate() {
            let taken = core::mem::take(&mut rest);
            if i + 1 < R {
                let (head, tail) = taken.split_at_mut(self.out_stride);
                *block = &mut head[..len];
                rest = tail;
            } else {
                *block = &mut taken[..len];
            }
        }
        blocks
    }
}

/// Tile of `R` output rows × `4·V` lanes whose rows share the column list `indices`:
/// every source block is loaded once for all `R` rows.
#[inline(always)]
fn tile_shared<const R: usize, const V: usize>(
    out: [&mut [f32]; R],
    values: [&[f32]; R],
    indices: &[u32],
    src: &[f32],
    src_stride: usize,
    lane_offset: usize,
) {
    let k = indices.len();
    let values = values.map(|v| &v[..k]);
    let mut acc = [[F4::splat(0.0); V]; R];
    for (acc, out) in acc.iter_mut().zip(&out) {
        for (v, a) in acc.iter_mut().enumerate() {
            *a = F4::load(&out[4 * v..]);
        }
    }
    for (e, &j) in indices.iter().enumerate() {
        let base = j as usize * src_stride + lane_offset;
        let x = &src[base..base + 4 * V];
        let w: [F4; R] = core::array::from_fn(|r| F4::splat(values[r][e]));
        for v in 0..V {
            let xv = F4::load(&x[4 * v..]);
            for r in 0..R {
                acc[r][v] = acc[r][v].madd(w[r], xv);
            }
        }
    }
    for (acc, out) in acc.iter().zip(out) {
        for (v, a) in acc.iter().enumerate() {
            a.store(&mut out[4 * v..]);
        }
    }
}

/// Tile of two output rows × `4·V` lanes with their own column lists: both synapse lists
/// are walked side by side up to the shorter length, then the longer row alone.
#[inline(always)]
fn tile_pair<const V: usize>(
    out: [&mut [f32]; 2],
    values: [&[f32]; 2],
    indices: [&[u32]; 2],
    src: &[f32],
    src_stride: usize,
    lane_offset: usize,
) {
    let mut acc = [[F4::splat(0.0); V]; 2];
    for (acc, out) in acc.iter_mut().zip(&out) {
        for (v, a) in acc.iter_mut().enumerate() {
            *a = F4::load(&out[4 * v..]);
        }
    }
    let common = indices[0].len().min(indices[1].len());
    let block = |j: u32| {
        let base = j as usize * src_stride + lane_offset;
        &src[base..base + 4 * V]
    };
    for e in 0..common {
        let (x0, x1) = (block(indices[0][e]), block(indices[1][e]));
        let (w0, w1) = (F4::splat(values[0][e]), F4::splat(values[1][e]));
        for v in 0..V {
            acc[0][v] = acc[0][v].madd(w0, F4::load(&x0[4 * v..]));
            acc[1][v] = acc[1][v].madd(w1, F4::load(&x1[4 * v..]));
        }
    }
    for (r, acc) in acc.iter_mut().enumerate() {
        for (&w, &j) in values[r][common..].iter().zip(&indices[r][common..]) {
            let (x, w) = (block(j), F4::splat(w));
            for (v, a) in acc.iter_mut().enumerate() {
                *a = a.madd(w, F4::load(&x[4 * v..]));
            }
        }
    }
    for (acc, out) in acc.iter().zip(out) {
        for (v, a) in acc.iter().enumerate() {
            a.store(&mut out[4 * v..]);
        }
    }
}
