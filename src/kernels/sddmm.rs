//! Sampled dense-dense product: the weight gradient of a sparse layer, evaluated only at
//! real synapses. `grad[s] += Σ_l a[row(s)][l] * b[col(s)][l]` over `lanes` (time × batch),
//! tiled along the lanes so that one tile of `b` for all columns stays in cache.
//!
//! # Tiling
//! Within a lane tile, the synapses of one row go [`DOTS_PER_ROW`] at a time through
//! [`dots`]: each chunk of the row's `a` is loaded once for all of them, and their
//! 4·`DOTS_PER_ROW` accumulator chains run side by side. Each synapse's sum keeps
//! [`super::dot`]'s order, so the grouping does not change a bit.

use super::{dots, RowsView};

/// Synapses of one row per [`dots`] call: 2 × 16 partial sums = 8 accumulators plus the
/// `a` and `b` vectors stay within the 16 vector registers of SSE and wasm engines (3 was
/// no faster natively in the kernel bench, within the noise of the shared machine).
const DOTS_PER_ROW: usize = 2;

/// Lanes per tile: 128 lanes x 4 bytes x 1024 neurons = 512 KiB of `b` per tile.
const TILE_LANES: usize = 128;

/// For every entry `s` (row `r`, column `c = indices[s]`):
/// `grad[s] += Σ_{l < lanes} a[r * a_stride + l] * b[c * b_stride + l]`.
///
/// `rows.values` is ignored (only the pattern is used). The sum is done tile by tile,
/// each tile a [`super::dot`] with a fixed order, so the result is deterministic.
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
    let mut start = 0;
    while start < lanes {
        let end = (start + TILE_LANES).min(lanes);
        for r in 0..n_rows {
            let a_tile = &a[r * a_stride + start..r * a_stride + end];
            let tile_of = |s: usize| {
                let c = rows.indices[s] as usize;
                &b[c * b_stride + start..c * b_stride + end]
            };
            let (mut s, row_end) = (rows.row_ptr[r], rows.row_ptr[r + 1]);
            while s + DOTS_PER_ROW <= row_end {
                let sums = dots::<DOTS_PER_ROW>(a_tile, core::array::from_fn(|g| tile_of(s + g)));
                for (g, d) in grad[s..s + DOTS_PER_ROW].iter_mut().zip(sums) {
                    *g += d;
                }
                s += DOTS_PER_ROW;
            }
            for s in s..row_end {
                grad[s] += dots(a_tile, [tile_of(s)])[0];
            }
        }
        start = end;
    }
}
