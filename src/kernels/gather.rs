//! Sparse-times-dense product in gather form: each output row accumulates
//! `weight * source_row` over its synapses, a block of lanes at a time, with the block
//! held in registers for the whole row.

use super::RowsView;

/// For every row `r` of `rows` and lane `l < lanes`:
/// `out[r * out_stride + l] += Σ_s values[s] * src[indices[s] * src_stride + l]`.
///
/// `src` and `out` may start at any offset (pass sub-slices), so the same kernel serves
/// one time step (`lanes` = batch) or a whole sequence (`lanes` = time × batch).
/// Lanes are processed in blocks of 16, 8, 4 and 1; the per-lane summation order is
/// the synapse order in every case.
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
    if let Some(max_col) = rows.indices.iter().max() {
        assert!(
            src.len() >= *max_col as usize * src_stride + lanes,
            "spmm_gather: `src` too short for column {max_col}"
        );
    }
    // 16 lanes (four f32x4 accumulators) is the widest block: with 32, V8 spills
    // registers in wasm (measured ~8 % slower in node).
    let mut start = 0;
    start = run_blocks::<16>(rows, src, src_stride, out, out_stride, start, lanes);
    start = run_blocks::<8>(rows, src, src_stride, out, out_stride, start, lanes);
    start = run_blocks::<4>(rows, src, src_stride, out, out_stride, start, lanes);
    run_blocks::<1>(rows, src, src_stride, out, out_stride, start, lanes);
}

/// Process every whole block of `L` lanes from `start`; returns the first unprocessed lane.
#[inline]
fn run_blocks<const L: usize>(
    rows: RowsView<'_>,
    src: &[f32],
    src_stride: usize,
    out: &mut [f32],
    out_stride: usize,
    mut start: usize,
    lanes: usize,
) -> usize {
    while start + L <= lanes {
        for r in 0..rows.n_rows() {
            let range = rows.row_ptr[r]..rows.row_ptr[r + 1];
            let out_block = &mut out[r * out_stride + start..r * out_stride + start + L];
            gather_block::<L>(
                out_block,
                &rows.values[range.clone()],
                &rows.indices[range],
                src,
                src_stride,
                start,
            );
        }
        start += L;
    }
    start
}

#[inline(always)]
fn gather_block<const L: usize>(
    out_block: &mut [f32],
    values: &[f32],
    indices: &[u32],
    src: &[f32],
    src_stride: usize,
    lane_offset: usize,
) {
    let mut acc = [0.0f32; L];
    acc.copy_from_slice(out_block);
    for (w, &j) in values.iter().zip(indices) {
        let base = j as usize * src_stride + lane_offset;
        let x: &[f32; L] = src[base..base + L].try_into().expect("block length");
        for l in 0..L {
            acc[l] += w * x[l];
        }
    }
    out_block.copy_from_slice(&acc);
}
