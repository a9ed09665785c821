//! Sampled dense-dense product: the weight gradient of a sparse layer, evaluated only at
//! real synapses. `grad[s] += Σ_l a[row(s)][l] * b[col(s)][l]` over `lanes` (time × batch),
//! tiled along the lanes so that one tile of `b` for all columns stays in cache.
//!
//! # Summation order
//! Per synapse and lane tile ([`TILE_LANES`]) the sum is exactly [`super::dot`]'s: 16
//! partial sums (lane `l` of every 16-lane chunk goes to partial `l`, in chunk order),
//! reduced pairwise, plus the tail in index order; the tiles' sums are added to `grad[s]`
//! in tile order. Nothing below changes a bit of that.
//!
//! # Register blocks
//! The 16 partials of one synapse are four independent vector chains (partials 0–3, 4–7,
//! 8–11, 12–15). [`block`] runs them one after the other (`k`-outer: pass `k` walks the
//! tile's chunks reading lanes `4k..4k+4` of each), so a pass keeps only one accumulator
//! per synapse live, and a block of `R` rows × `C` columns shares every load: per 4 lanes
//! `R + C` loads feed `R·C` multiply-adds in `R·C` independent chains.
//! - Rows that share one column list (a dense layer stored as CSR: the input and readout
//!   gradients, dW_in = Σ δ xᵀ and dW_out = Σ dy rᵀ) go [`SHARED_ROWS`] × [`SHARED_COLS`]
//!   at a time: a small GEMM `A · Bᵀ` with both operands lane-contiguous.
//! - Other rows (the masked recurrent gradient) go one at a time, [`ROW_COLS`] synapses
//!   per pass, so the row's `a` lanes are loaded once for all of them.

use super::gather::uniform_pattern;
use super::simd::F4;
use super::{madd, reduce_partials, RowsView};

/// Rows × columns of a block when all rows share one column list: 3 × 3 = 9 accumulators
/// plus 3 `a` vectors and one `b` vector fit the 16 vector registers of SSE and wasm
/// engines, with 6 loads per 9 multiply-adds.
const SHARED_ROWS: usize = 3;
/// See [`SHARED_ROWS`].
const SHARED_COLS: usize = 3;

/// Synapses of one row per block when rows have their own column lists: 8 accumulators
/// (enough independent chains to cover the multiply-add latency on two ports), 9 loads
/// per 8 multiply-adds.
const ROW_COLS: usize = 8;

/// Lanes per tile: 128 lanes x 4 bytes x 1024 neurons = 512 KiB of `b` per tile. Part of
/// the summation order (see the module docs): changing it changes the gradients' bits.
const TILE_LANES: usize = 128;

/// For every entry `s` (row `r`, column `c = indices[s]`):
/// `grad[s] += Σ_{l < lanes} a[r * a_stride + l] * b[c * b_stride + l]`.
///
/// `rows.values` is ignored (only the pattern is used). The sum is done tile by tile,
/// each tile a [`super::dot`] with a fixed order, so the result is deterministic and does
/// not depend on the register blocking.
pub fn sddmm(
    rows: RowsView<'_>,
    a: &[f32],
    a_stride: usize,
    b: &[f32],
    b_stride: usize,
    lanes: usize,
    grad: &mut [f32],
) {
    assert_eq!(
        grad.len(),
        rows.indices.len(),
        "sddmm: one gradient per synapse"
    );
    let n_rows = rows.n_rows();
    if n_rows == 0 || lanes == 0 {
        return;
    }
    assert!(
        a.len() >= (n_rows - 1) * a_stride + lanes,
        "sddmm: `a` too short"
    );
    if let Some(max_col) = rows.indices.iter().max() {
        assert!(
            b.len() >= *max_col as usize * b_stride + lanes,
            "sddmm: `b` too short"
        );
    }
    let uniform = uniform_pattern(rows);
    let mut start = 0;
    while start < lanes {
        let tile = Tile {
            a,
            a_stride,
            b,
            b_stride,
            start,
            end: (start + TILE_LANES).min(lanes),
        };
        match uniform {
            Some(k) => {
                let columns = &rows.indices[rows.row_ptr[0]..rows.row_ptr[0] + k];
                let mut r = 0;
                while r + SHARED_ROWS <= n_rows {
                    tile.shared_rows::<SHARED_ROWS>(r, columns, rows.row_ptr, grad);
                    r += SHARED_ROWS;
                }
                for r in r..n_rows {
                    tile.shared_rows::<1>(r, columns, rows.row_ptr, grad);
                }
            }
            None => {
                for r in 0..n_rows {
                    let (first, last) = (rows.row_ptr[r], rows.row_ptr[r + 1]);
                    let mut s = first;
                    s = tile.row_blocks::<ROW_COLS>(r, s, last, rows.indices, grad);
                    s = tile.row_blocks::<4>(r, s, last, rows.indices, grad);
                    s = tile.row_blocks::<2>(r, s, last, rows.indices, grad);
                    tile.row_blocks::<1>(r, s, last, rows.indices, grad);
                }
            }
        }
        start = tile.end;
    }
}

/// One lane tile `start..end` of the operands.
struct Tile<'a> {
    a: &'a [f32],
    a_stride: usize,
    b: &'a [f32],
    b_stride: usize,
    start: usize,
    end: usize,
}

impl<'a> Tile<'a> {
    #[inline(always)]
    fn a_row(&self, r: usize) -> &'a [f32] {
        &self.a[r * self.a_stride + self.start..r * self.a_stride + self.end]
    }

    #[inline(always)]
    fn b_row(&self, c: u32) -> &'a [f32] {
        let c = c as usize;
        &self.b[c * self.b_stride + self.start..c * self.b_stride + self.end]
    }

    /// Rows `first..first + R`, all with the column list `columns` (row `r`'s synapse `e`
    /// is entry `row_ptr[r] + e`), [`SHARED_COLS`] columns per block.
    #[inline(always)]
    fn shared_rows<const R: usize>(
        &self,
        first: usize,
        columns: &[u32],
        row_ptr: &[usize],
        grad: &mut [f32],
    ) {
        let a_rows: [&[f32]; R] = core::array::from_fn(|i| self.a_row(first + i));
        let mut add = |e: usize, sums: &[f32], i: usize| {
            for (j, d) in sums.iter().enumerate() {
                grad[row_ptr[first + i] + e + j] += d;
            }
        };
        let mut e = 0;
        while e + SHARED_COLS <= columns.len() {
            let b_rows = core::array::from_fn(|j| self.b_row(columns[e + j]));
            let sums = block::<R, SHARED_COLS>(a_rows, b_rows);
            for (i, sums) in sums.iter().enumerate() {
                add(e, sums, i);
            }
            e += SHARED_COLS;
        }
        for e in e..columns.len() {
            let sums = block::<R, 1>(a_rows, [self.b_row(columns[e])]);
            for (i, sums) in sums.iter().enumerate() {
                add(e, sums, i);
            }
        }
    }

    /// Synapses `s..last` of row `r`, `C` at a time; returns the first synapse left.
    #[inline(always)]
    fn row_blocks<const C: usize>(
        &self,
        r: usize,
        mut s: usize,
        last: usize,
        indices: &[u32],
        grad: &mut [f32],
    ) -> usize {
        let a_row = [self.a_row(r)];
        while s + C <= last {
            let b_rows = core::array::from_fn(|j| self.b_row(indices[s + j]));
            let [sums] = block::<1, C>(a_row, b_rows);
            for (g, d) in grad[s..s + C].iter_mut().zip(sums) {
                *g += d;
            }
            s += C;
        }
        s
    }
}

/// The `R × C` dot products `a[i] · b[j]` (all slices of one length), each in
/// [`super::dot`]'s order (see the module docs).
#[inline(always)]
fn block<const R: usize, const C: usize>(a: [&[f32]; R], b: [&[f32]; C]) -> [[f32; C]; R] {
    let n = a[0].len();
    let a = a.map(|x| &x[..n]);
    let b = b.map(|x| &x[..n]);
    let chunks = n / 16;
    let whole = 16 * chunks;
    let mut partial = [[[F4::splat(0.0); 4]; C]; R];
    for k in 0..4 {
        let mut acc = [[F4::splat(0.0); C]; R];
        for chunk in 0..chunks {
            let at = 16 * chunk + 4 * k;
            // SAFETY: at + 4 <= 16 * chunks = whole <= n, the length of every `a[i]` and
            // `b[j]` (sliced to `n` above).
            let av: [F4; R] = core::array::from_fn(|i| unsafe { F4::load_at(a[i], at) });
            for j in 0..C {
                // SAFETY: as for `av`.
                let bv = unsafe { F4::load_at(b[j], at) };
                for i in 0..R {
                    acc[i][j] = acc[i][j].madd(av[i], bv);
                }
            }
        }
        for i in 0..R {
            for j in 0..C {
                partial[i][j][k] = acc[i][j];
            }
        }
    }
    core::array::from_fn(|i| {
        core::array::from_fn(|j| {
            let mut tail = 0.0f32;
            for (x, y) in a[i][whole..].iter().zip(&b[j][whole..]) {
                tail = madd(tail, *x, *y);
            }
            reduce_partials(partial[i][j]) + tail
        })
    })
}
