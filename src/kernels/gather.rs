//! Sparse-times-dense product in gather form: each output row accumulates
//! `weight * source_row` over its synapses.
//!
//! # Tiling
//! The tiles are written once over a vector type `W` ([`Lanes`]): [`F4`] (four lanes; every
//! build) or, on x86_64 CPUs with AVX2 (checked at run time, [`avx2_available`]), the
//! eight-lane [`F8`]. The lanes are cut into blocks of `V` vectors of `W`: (natively, rows
//! with their own column lists only, [`WIDE_SINGLE_ROWS`]) V = 8, then 4, 2 and 1 (32, 16,
//! 8, 4 lanes with [`F4`]; 64, 32, 16, 8 with [`F8`], followed by one 4-lane [`F4`] block),
//! then single lanes. A *tile* is one lane block of one or more output rows, held in
//! accumulators (registers) from the first synapse to the last, so the output is loaded and
//! stored once per tile, not once per synapse:
//! - rows with one shared column list (a dense layer stored as CSR: the input and readout
//!   layers, a dense W_rec; see [`uniform_pattern`]) go [`SHARED_ROWS`] at a time through
//!   [`tile_shared`]: each source block is loaded once for all of them;
//! - other rows go one at a time (V = 8 blocks) or in pairs through [`tile_pair`], which
//!   walks both rows' synapse lists side by side (two independent chains of multiply-adds
//!   hide the add latency), then finishes the longer one alone.
//!
//! Either width holds at most 8 accumulators + broadcasts + a source vector in the 16
//! vector registers (xmm or ymm); the AVX2 path only puts twice as many independent lanes
//! side by side.
//!
//! Whatever the tile and the width, each output element starts from its current value and
//! adds its row's `weight * source` products in synapse order with the flavour's
//! multiply-add ([`F4::madd`] / [`F8::madd`]: baseline a separate multiply then add, `+fma`
//! fused), the same operation as the scalar [`madd`] loop: the result does not depend on
//! the tiling or on the CPU.

#[cfg(target_arch = "x86_64")]
use super::simd::F8;
use super::simd::{avx2_available, Lanes, F4};
use super::{madd, RowsView};

/// Output rows per shared-column tile: 2 rows × 4 vectors = 8 accumulators, which leaves
/// registers for the broadcast weights and the source vector (16 xmm or ymm registers).
const SHARED_ROWS: usize = 2;

/// Whether rows with their own column lists first go one at a time in 8-vector tiles (8
/// accumulators, one index and weight load per 32 lanes with [`F4`], 64 with [`F8`])
/// instead of pairs of 4-vector rows.
/// Natively 5–8 % faster on the recurrent step (kernel bench, B = 32); in wasm V8 spilled
/// registers with 32-lane single-row blocks (~8 % slower in node), so wasm keeps pairs.
/// On the AVX2 path the 64-lane single rows were not slower than pairs of 32-lane rows
/// (kernel bench with B = 64); at B = 32 it runs pairs of 32-lane rows, ~15 % faster than
/// single 32-lane rows of 4 accumulators (kernel bench, B = 32).
const WIDE_SINGLE_ROWS: bool = cfg!(not(target_arch = "wasm32"));

/// For every row `r` of `rows` and lane `l < lanes`:
/// `out[r * out_stride + l] += Σ_s values[s] * src[indices[s] * src_stride + l]`.
///
/// `src` and `out` may start at any offset (pass sub-slices), so the same kernel serves
/// one time step (`lanes` = batch) or a whole sequence (`lanes` = time × batch).
/// Per lane the summation order is the synapse order whatever the lane blocking; 256-bit
/// AVX2 tiles where the CPU has them (x86_64, [`avx2_available`]), 128-bit [`F4`] tiles
/// otherwise: the same bits either way.
pub fn spmm_gather(
    rows: RowsView<'_>,
    src: &[f32],
    src_stride: usize,
    out: &mut [f32],
    out_stride: usize,
    lanes: usize,
) {
    gather_on(
        avx2_available(),
        rows,
        src,
        src_stride,
        out,
        out_stride,
        lanes,
    );
}

/// [`spmm_gather`] on the 128-bit [`F4`] path even where AVX2 is available: the reference
/// the tests compare the AVX2 path with.
#[cfg(test)]
pub(super) fn spmm_gather_f4(
    rows: RowsView<'_>,
    src: &[f32],
    src_stride: usize,
    out: &mut [f32],
    out_stride: usize,
    lanes: usize,
) {
    gather_on(false, rows, src, src_stride, out, out_stride, lanes);
}

/// [`spmm_gather`]'s checks, then the AVX2 path when `wide` (and [`avx2_available`]),
/// else the [`F4`] path.
fn gather_on(
    wide: bool,
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
    #[cfg(target_arch = "x86_64")]
    if wide && avx2_available() {
        // SAFETY: `avx2_available` just checked that this CPU has AVX2 (and FMA in a
        // `+fma` build), the features `run_avx2` is compiled for.
        unsafe { args.run_avx2(out, lanes) };
        return;
    }
    let _ = wide;
    args.run_f4(out, lanes);
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
    /// The whole product on [`F4`] tiles (see [`Args::run`]).
    #[inline(always)]
    fn run_f4(&self, out: &mut [f32], lanes: usize) {
        // SAFETY: F4 needs only the x86_64 / wasm baseline.
        unsafe { self.run::<F4>(out, lanes) }
    }

    /// The whole product on [`F8`] tiles (see [`Args::run`]; the same bits as
    /// [`Args::run_f4`]), compiled for AVX2 so that the inlined tiles use ymm registers.
    ///
    /// # Safety
    /// The CPU has AVX2 (and FMA in a `+fma` build).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    #[cfg_attr(target_feature = "fma", target_feature(enable = "fma"))]
    unsafe fn run_avx2(&self, out: &mut [f32], lanes: usize) {
        // SAFETY: forwarded to the caller.
        unsafe { self.run::<F8>(out, lanes) }
    }

    /// The whole product on `W` tiles: blocks of 8 (see [`WIDE_SINGLE_ROWS`]), 4, 2 and 1
    /// vectors of `W`, then (for `W` wider than four) one [`F4`] block, then single lanes.
    ///
    /// # Safety
    /// The CPU has `W`'s instructions.
    #[inline(always)]
    unsafe fn run<W: Lanes>(&self, out: &mut [f32], lanes: usize) {
        let mut start = 0;
        // SAFETY (all five): forwarded to the caller; F4 needs only the baseline.
        if self.uniform.is_none() && WIDE_SINGLE_ROWS {
            start = unsafe { self.run_blocks::<W, 8>(out, start, lanes) };
        }
        start = unsafe { self.run_blocks::<W, 4>(out, start, lanes) };
        start = unsafe { self.run_blocks::<W, 2>(out, start, lanes) };
        start = unsafe { self.run_blocks::<W, 1>(out, start, lanes) };
        if W::WIDTH > 4 {
            start = unsafe { self.run_blocks::<F4, 1>(out, start, lanes) };
        }
        self.lane_tail(out, start, lanes);
    }

    /// Lanes `start..lanes` (fewer than four) one at a time: [`tail_rows`] four rows side by
    /// side, then the remaining rows as scalar [`madd`] chains.
    #[inline(always)]
    fn lane_tail(&self, out: &mut [f32], start: usize, lanes: usize) {
        let (rows, src, src_stride, out_stride) =
            (self.rows, self.src, self.src_stride, self.out_stride);
        let n_rows = rows.n_rows();
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

    /// Process every whole block of `V` vectors of `W` (`W::WIDTH · V` lanes) from
    /// `start`; returns the first unprocessed lane.
    ///
    /// # Safety
    /// The CPU has `W`'s instructions.
    #[inline(always)]
    unsafe fn run_blocks<W: Lanes, const V: usize>(
        &self,
        out: &mut [f32],
        mut start: usize,
        lanes: usize,
    ) -> usize {
        let rows = self.rows;
        let n_rows = rows.n_rows();
        let ptr = rows.row_ptr;
        let len = W::WIDTH * V;
        // SAFETY (the three tiles): forwarded to the caller.
        while start + len <= lanes {
            let mut r = 0;
            if let Some(k) = self.uniform {
                let columns = &rows.indices[ptr[0]..ptr[0] + k];
                while r + SHARED_ROWS <= n_rows {
                    let blocks = self.blocks_mut::<SHARED_ROWS>(out, r, start, len);
                    let values = core::array::from_fn(|i| &rows.values[ptr[r + i]..ptr[r + i] + k]);
                    unsafe {
                        tile_shared::<W, SHARED_ROWS, V>(
                            blocks,
                            values,
                            columns,
                            self.src,
                            self.src_stride,
                            start,
                        )
                    };
                    r += SHARED_ROWS;
                }
            } else if self.tiled && V <= 4 {
                while r + 2 <= n_rows {
                    let blocks = self.blocks_mut::<2>(out, r, start, len);
                    let (e0, e1) = (ptr[r]..ptr[r + 1], ptr[r + 1]..ptr[r + 2]);
                    unsafe {
                        tile_pair::<W, V>(
                            blocks,
                            [&rows.values[e0.clone()], &rows.values[e1.clone()]],
                            [&rows.indices[e0], &rows.indices[e1]],
                            self.src,
                            self.src_stride,
                            start,
                        )
                    };
                    r += 2;
                }
            }
            for r in r..n_rows {
                let range = ptr[r]..ptr[r + 1];
                let at = r * self.out_stride + start;
                unsafe {
                    tile_shared::<W, 1, V>(
                        [&mut out[at..at + len]],
                        [&rows.values[range.clone()]],
                        &rows.indices[range],
                        self.src,
                        self.src_stride,
                        start,
                    )
                };
            }
            start += len;
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

/// Tile of `R` output rows × `V` vectors of `W` whose rows share the column list
/// `indices`: every source block is loaded once for all `R` rows.
///
/// # Safety
/// The CPU has `W`'s instructions.
#[inline(always)]
unsafe fn tile_shared<W: Lanes, const R: usize, const V: usize>(
    out: [&mut [f32]; R],
    values: [&[f32]; R],
    indices: &[u32],
    src: &[f32],
    src_stride: usize,
    lane_offset: usize,
) {
    let w = W::WIDTH;
    let k = indices.len();
    let values = values.map(|v| &v[..k]);
    // SAFETY (every `W` method below): the caller guarantees `W`'s instructions.
    let mut acc = [[unsafe { W::splat(0.0) }; V]; R];
    for (acc, out) in acc.iter_mut().zip(&out) {
        for (v, a) in acc.iter_mut().enumerate() {
            *a = unsafe { W::load(&out[w * v..]) };
        }
    }
    for (e, &j) in indices.iter().enumerate() {
        let base = j as usize * src_stride + lane_offset;
        let x = &src[base..base + w * V];
        let s: [W; R] = core::array::from_fn(|r| unsafe { W::splat(values[r][e]) });
        for v in 0..V {
            let xv = unsafe { W::load(&x[w * v..]) };
            for r in 0..R {
                acc[r][v] = unsafe { acc[r][v].madd(s[r], xv) };
            }
        }
    }
    for (acc, out) in acc.iter().zip(out) {
        for (v, a) in acc.iter().enumerate() {
            unsafe { a.store(&mut out[w * v..]) };
        }
    }
}

/// Tile of two output rows × `V` vectors of `W` with their own column lists: both synapse
/// lists are walked side by side up to the shorter length, then the longer row alone.
///
/// # Safety
/// The CPU has `W`'s instructions.
#[inline(always)]
unsafe fn tile_pair<W: Lanes, const V: usize>(
    out: [&mut [f32]; 2],
    values: [&[f32]; 2],
    indices: [&[u32]; 2],
    src: &[f32],
    src_stride: usize,
    lane_offset: usize,
) {
    let w = W::WIDTH;
    // SAFETY (every `W` method below): the caller guarantees `W`'s instructions.
    let mut acc = [[unsafe { W::splat(0.0) }; V]; 2];
    for (acc, out) in acc.iter_mut().zip(&out) {
        for (v, a) in acc.iter_mut().enumerate() {
            *a = unsafe { W::load(&out[w * v..]) };
        }
    }
    let common = indices[0].len().min(indices[1].len());
    let block = |j: u32| {
        let base = j as usize * src_stride + lane_offset;
        &src[base..base + w * V]
    };
    for e in 0..common {
        let (x0, x1) = (block(indices[0][e]), block(indices[1][e]));
        let (s0, s1) = unsafe { (W::splat(values[0][e]), W::splat(values[1][e])) };
        for v in 0..V {
            acc[0][v] = unsafe { acc[0][v].madd(s0, W::load(&x0[w * v..])) };
            acc[1][v] = unsafe { acc[1][v].madd(s1, W::load(&x1[w * v..])) };
        }
    }
    for (r, acc) in acc.iter_mut().enumerate() {
        for (&weight, &j) in values[r][common..].iter().zip(&indices[r][common..]) {
            let (x, s) = (block(j), unsafe { W::splat(weight) });
            for (v, a) in acc.iter_mut().enumerate() {
                *a = unsafe { a.madd(s, W::load(&x[w * v..])) };
            }
        }
    }
    for (acc, out) in acc.iter().zip(out) {
        for (v, a) in acc.iter().enumerate() {
            unsafe { a.store(&mut out[w * v..]) };
        }
    }
}
