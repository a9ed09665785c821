//! Single-lane sparse product (one trial: a reservoir's states pass, batch 1) on a CSR
//! matrix re-laid once per pass as [`InterleavedRows`].
//!
//! [`super::spmm_gather`]'s lane tail walks four rows' synapse lists side by side, but the
//! four rows are consecutive ones of unequal lengths: past the shortest, each row finishes
//! alone in one chain of dependent adds, and every product reads its index, weight and
//! source through three separate streams with a bounds check. Here the rows are taken four
//! at a time *in order of synapse count* (so the four lengths nearly agree), and each
//! group's first `common` synapses are stored interleaved (`[k][row]`): one vector load of
//! four weights, four index loads from one cache line and four unchecked gathers feed one
//! [`F4::madd`] whose lane `i` is row `i`'s chain. Each row still adds its products in its
//! synapse order, starting from its current output, with the same multiply-add as
//! [`super::madd`]: the result equals `spmm_gather` with one lane bit for bit (only the
//! order in which rows are visited differs, and rows are independent).

use super::simd::F4;
use super::{madd, RowsView};

/// Rows per group (the four lanes of one [`F4`]).
const GROUP: usize = 4;

/// Four (or, for the last group, fewer) rows of an [`InterleavedRows`].
#[derive(Debug, Clone)]
struct Group {
    /// Row ids; lanes `len..` repeat the first row and are never stored.
    rows: [u32; GROUP],
    /// Number of real rows (1..=4).
    len: usize,
    /// Synapses every row of the group has (the shortest row's count; 0 when `len < 4`),
    /// stored interleaved from `start`.
    common: usize,
    /// Offset of the group's interleaved block in `indices` / `values`.
    start: usize,
    /// Row `i`'s remaining synapses are `tail_ptr[i]..tail_ptr[i + 1]` of the tail arrays.
    tail_ptr: [usize; GROUP + 1],
}

/// A CSR matrix re-laid for [`spmv_interleaved`]: rows in groups of four by synapse count,
/// each group's first `common` synapses interleaved, the rest per row in synapse order.
/// Built in O(nnz + rows) by [`InterleavedRows::new`]; every column index is checked
/// against `n_cols` there, so the product needs no per-synapse bounds check.
#[derive(Debug, Clone)]
pub struct InterleavedRows {
    n_rows: usize,
    n_cols: usize,
    groups: Vec<Group>,
    /// Interleaved part: synapse `k` of a group's row `i` at `start + GROUP·k + i`.
    indices: Vec<u32>,
    values: Vec<f32>,
    /// Per-row remainders past `common`, in synapse order.
    tail_indices: Vec<u32>,
    tail_values: Vec<f32>,
}

impl InterleavedRows {
    /// Re-lay `rows` (whose column indices must be below `n_cols`). `None` when an index
    /// is out of range or the copy (as large as the matrix) cannot be allocated: the
    /// caller then keeps the CSR product, so a pass near the memory limit never aborts.
    pub fn new(rows: RowsView<'_>, n_cols: usize) -> Option<Self> {
        let n_rows = rows.n_rows();
        if rows.indices.iter().any(|&c| c as usize >= n_cols) {
            return None;
        }
        let length = |r: usize| rows.row_ptr[r + 1] - rows.row_ptr[r];
        // rows by synapse count (stable), so that the four rows of a group nearly agree
        let mut order: Vec<u32> = Vec::new();
        order.try_reserve_exact(n_rows).ok()?;
        order.extend(0..n_rows as u32);
        order.sort_by_key(|&r| length(r as usize));
        // interleaved entries: the shortest row's count, four times, per full group; the
        // rest of the nnz are the per-row tails
        let interleaved: usize = order
            .chunks_exact(GROUP)
            .map(|m| GROUP * m.iter().map(|&r| length(r as usize)).min().unwrap_or(0))
            .sum();
        let tails = rows.indices.len() - interleaved;
        let mut out = InterleavedRows {
            n_rows,
            n_cols,
            groups: Vec::new(),
            indices: Vec::new(),
            values: Vec::new(),
            tail_indices: Vec::new(),
            tail_values: Vec::new(),
        };
        out.groups.try_reserve_exact(n_rows.div_ceil(GROUP)).ok()?;
        out.indices.try_reserve_exact(interleaved).ok()?;
        out.values.try_reserve_exact(interleaved).ok()?;
        out.tail_indices.try_reserve_exact(tails).ok()?;
        out.tail_values.try_reserve_exact(tails).ok()?;
        for members in order.chunks(GROUP) {
            let len = members.len();
            let rows_of: [u32; GROUP] = core::array::from_fn(|i| members[i.min(len - 1)]);
            let common = if len == GROUP {
                members
                    .iter()
                    .map(|&r| length(r as usize))
                    .min()
                    .unwrap_or(0)
            } else {
                0
            };
            let start = out.indices.len();
            for k in 0..common {
                for &r in &rows_of {
                    let s = rows.row_ptr[r as usize] + k;
                    out.indices.push(rows.indices[s]);
                    out.values.push(rows.values[s]);
                }
            }
            let mut tail_ptr = [out.tail_indices.len(); GROUP + 1];
            for (i, &r) in members.iter().enumerate() {
                let rest = rows.row_ptr[r as usize] + common..rows.row_ptr[r as usize + 1];
                out.tail_indices
                    .extend_from_slice(&rows.indices[rest.clone()]);
                out.tail_values.extend_from_slice(&rows.values[rest]);
                tail_ptr[i + 1] = out.tail_indices.len();
            }
            for i in len + 1..=GROUP {
                tail_ptr[i] = tail_ptr[len];
            }
            out.groups.push(Group {
                rows: rows_of,
                len,
                common,
                start,
                tail_ptr,
            });
        }
        Some(out)
    }

    /// Number of rows.
    pub fn n_rows(&self) -> usize {
        self.n_rows
    }
}

/// `out[r * out_stride] += Σ_s values[s] * src[indices[s]]` for every row `r` of `rows`,
/// each row in its synapse order (the same bits as [`super::spmm_gather`] with one lane
/// and a unit source stride). Panics when `src` is shorter than the matrix's column count
/// or `out` than its rows need.
pub fn spmv_interleaved(rows: &InterleavedRows, src: &[f32], out: &mut [f32], out_stride: usize) {
    assert!(
        src.len() >= rows.n_cols,
        "spmv_interleaved: `src` too short"
    );
    assert!(
        rows.n_rows == 0 || out.len() > (rows.n_rows - 1) * out_stride,
        "spmv_interleaved: `out` too short"
    );
    let src = &src[..rows.n_cols];
    // SAFETY (for the gathers below): every stored index is < n_cols (checked in `new`)
    // and `src` has exactly n_cols elements.
    let x = |c: u32| unsafe { *src.get_unchecked(c as usize) };
    for g in &rows.groups {
        let rows_of = g.rows.map(|r| r as usize * out_stride);
        let mut acc = F4::load(&rows_of.map(|r| out[r]));
        let block = g.start..g.start + GROUP * g.common;
        let (indices, values) = (&rows.indices[block.clone()], &rows.values[block]);
        for (c, w) in indices.chunks_exact(GROUP).zip(values.chunks_exact(GROUP)) {
            let gathered = [x(c[0]), x(c[1]), x(c[2]), x(c[3])];
            acc = acc.madd(F4::load(w), F4::load(&gathered));
        }
        let lanes = acc.lanes();
        for i in 0..g.len {
            let rest = g.tail_ptr[i]..g.tail_ptr[i + 1];
            let mut a = lanes[i];
            for (&c, &w) in rows.tail_indices[rest.clone()]
                .iter()
                .zip(&rows.tail_values[rest])
            {
                a = madd(a, w, x(c));
            }
            out[rows_of[i]] = a;
        }
    }
}
