//! Sparse-times-dense product in gather form: each output row accumulates
//! `weight * source_row` over its synapses, a block of lanes at a time, with the block
//! held in registers for the whole row.

use super::{madd, RowsView};

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
    let uniform = uniform_pattern(rows).filter(|_| out_stride >= lanes && n_rows >= 2);
    let mut start = 0;
    start = run_blocks::<16>(
        rows, uniform, src, src_stride, out, out_stride, start, lanes,
    );
    start = run_blocks::<8>(
        rows, uniform, src, src_stride, out, out_stride, start, lanes,
    );
    start = run_blocks::<4>(
        rows, uniform, src, src_stride, out, out_stride, start, lanes,
    );
    run_blocks::<1>(rows, None, src, src_stride, out, out_stride, start, lanes);
}

/// `Some(k)` when every row holds the same `k > 0` column indices (a dense layer stored
/// as CSR, e.g. the 33-wide input and readout layers): then rows can share the loads of
/// `src` in the register-tiled [`gather_pair`]. O(nnz) comparisons, stopping at the first
/// difference.
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

/// Process every whole block of `L` lanes from `start`; returns the first unprocessed lane.
/// With a uniform pattern (`Some(k)`), rows go in pairs through [`gather_pair`].
#[inline]
#[allow(clippy::too_many_arguments)]
fn run_blocks<const L: usize>(
    rows: RowsView<'_>,
    uniform: Option<usize>,
    src: &[f32],
    src_stride: usize,
    out: &mut [f32],
    out_stride: usize,
    mut start: usize,
    lanes: usize,
) -> usize {
    let n_rows = rows.n_rows();
    while start + L <= lanes {
        let mut first_single = 0;
        if let Some(k) = uniform {
            let columns = &rows.indices[rows.row_ptr[0]..rows.row_ptr[0] + k];
            let mut r = 0;
            while r + 2 <= n_rows {
                let (head, tail) = out.split_at_mut((r + 1) * out_stride);
                let out0 = &mut head[r * out_stride + start..r * out_stride + start + L];
                let out1 = &mut tail[start..start + L];
                let (v0, v1) = (rows.row_ptr[r], rows.row_ptr[r + 1]);
                gather_pair::<L>(
                    [out0, out1],
                    [&rows.values[v0..v0 + k], &rows.values[v1..v1 + k]],
                    columns,
                    src,
                    src_stride,
                    start,
                );
                r += 2;
            }
            first_single = r;
        }
        for r in first_single..n_rows {
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

/// Two output rows with the same column list at once: every `src` block is loaded once
/// for both (register tile of 2 rows × `L` lanes). Lane for lane the same operations in
/// the same order as two [`gather_block`] calls, so the results are bit-identical.
#[inline(always)]
fn gather_pair<const L: usize>(
    out: [&mut [f32]; 2],
    values: [&[f32]; 2],
    indices: &[u32],
    src: &[f32],
    src_stride: usize,
    lane_offset: usize,
) {
    #[cfg(all(target_arch = "wasm32", target_feature = "relaxed-simd"))]
    if L >= 4 {
        super::wasm_fma::gather_pair_fma::<L>(out, values, indices, src, src_stride, lane_offset);
        return;
    }
    let [out0, out1] = out;
    let mut acc0 = [0.0f32; L];
    let mut acc1 = [0.0f32; L];
    acc0.copy_from_slice(out0);
    acc1.copy_from_slice(out1);
    for ((&j, &w0), &w1) in indices.iter().zip(values[0]).zip(values[1]) {
        let base = j as usize * src_stride + lane_offset;
        let x: &[f32; L] = src[base..base + L].try_into().expect("block length");
        for l in 0..L {
            acc0[l] = madd(acc0[l], w0, x[l]);
            acc1[l] = madd(acc1[l], w1, x[l]);
        }
    }
    out0.copy_from_slice(&acc0);
    out1.copy_from_slice(&acc1);
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
    #[cfg(all(target_arch = "wasm32", target_feature = "relaxed-simd"))]
    if L >= 4 {
        super::wasm_fma::gather_block_fma::<L>(
            out_block,
            values,
            indices,
            src,
            src_stride,
            lane_offset,
        );
        return;
    }
    let mut acc = [0.0f32; L];
    acc.copy_from_slice(out_block);
    for (w, &j) in values.iter().zip(indices) {
        let base = j as usize * src_stride + lane_offset;
        let x: &[f32; L] = src[base..base + L].try_into().expect("block length");
        for l in 0..L {
            acc[l] = madd(acc[l], *w, x[l]);
        }
    }
    out_block.copy_from_slice(&acc);
}
