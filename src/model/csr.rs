//! Compressed sparse row storage for a weight matrix, with a transposed index kept in sync
//! for the backward pass (so both directions are gathers, never scatters).

use crate::kernels::RowsView;
use serde::{Deserialize, Serialize};

/// A sparse `n_rows x n_cols` matrix: only stored entries cost time and memory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Csr {
    /// Number of rows (postsynaptic neurons for W_rec).
    pub n_rows: usize,
    /// Number of columns (presynaptic neurons for W_rec).
    pub n_cols: usize,
    /// Row start offsets (length `n_rows + 1`).
    pub row_ptr: Vec<usize>,
    /// Column of each entry, sorted within a row.
    pub col_idx: Vec<u32>,
    /// Value of each entry.
    pub values: Vec<f32>,
    /// Transposed pattern: column start offsets (length `n_cols + 1`).
    #[serde(skip)]
    t_ptr: Vec<usize>,
    /// Transposed pattern: row of each entry.
    #[serde(skip)]
    t_row_idx: Vec<u32>,
    /// Transposed pattern: position of each transposed entry in `values`.
    #[serde(skip)]
    t_perm: Vec<usize>,
    /// Values in transposed order (refresh with [`Csr::sync_transpose`]).
    #[serde(skip)]
    t_values: Vec<f32>,
}

impl Csr {
    /// Build from per-row sorted column lists and zero values.
    pub fn from_rows(n_cols: usize, rows: &[Vec<u32>]) -> Self {
        let mut row_ptr = Vec::with_capacity(rows.len() + 1);
        row_ptr.push(0);
        let mut col_idx = Vec::new();
        for row in rows {
            col_idx.extend_from_slice(row);
            row_ptr.push(col_idx.len());
        }
        let values = vec![0.0; col_idx.len()];
        let mut m = Csr {
            n_rows: rows.len(),
            n_cols,
            row_ptr,
            col_idx,
            values,
            t_ptr: Vec::new(),
            t_row_idx: Vec::new(),
            t_perm: Vec::new(),
            t_values: Vec::new(),
        };
        m.rebuild_transpose();
        m
    }

    /// A dense `n_rows x n_cols` matrix stored as CSR (row-major values).
    pub fn dense(n_rows: usize, n_cols: usize) -> Self {
        let rows: Vec<Vec<u32>> = (0..n_rows).map(|_| (0..n_cols as u32).collect()).collect();
        Csr::from_rows(n_cols, &rows)
    }

    /// Number of stored entries (synapses).
    pub fn nnz(&self) -> usize {
        self.col_idx.len()
    }

    /// Fraction of the full matrix that is stored.
    pub fn density(&self) -> f64 {
        self.nnz() as f64 / (self.n_rows * self.n_cols).max(1) as f64
    }

    /// Row view for the forward product `W x`.
    pub fn rows(&self) -> RowsView<'_> {
        RowsView {
            row_ptr: &self.row_ptr,
            indices: &self.col_idx,
            values: &self.values,
        }
    }

    /// Row view of the transpose, for `Wᵀ x` (values as of the last [`Csr::sync_transpose`]).
    pub fn transposed_rows(&self) -> RowsView<'_> {
        RowsView {
            row_ptr: &self.t_ptr,
            indices: &self.t_row_idx,
            values: &self.t_values,
        }
    }

    /// Copy the current values into the transposed order (O(nnz)); call after updates.
    pub fn sync_transpose(&mut self) {
        for (dst, &src) in self.t_values.iter_mut().zip(&self.t_perm) {
            *dst = self.values[src];
        }
    }

    /// Recompute the transposed index (after deserialising or changing the pattern).
    pub fn rebuild_transpose(&mut self) {
        let mut counts = vec![0usize; self.n_cols + 1];
        for &c in &self.col_idx {
            counts[c as usize + 1] += 1;
        }
        for c in 0..self.n_cols {
            counts[c + 1] += counts[c];
        }
        self.t_ptr = counts.clone();
        let mut next = counts;
        self.t_row_idx = vec![0; self.nnz()];
        self.t_perm = vec![0; self.nnz()];
        for r in 0..self.n_rows {
            for s in self.row_ptr[r]..self.row_ptr[r + 1] {
                let c = self.col_idx[s] as usize;
                let slot = next[c];
                next[c] += 1;
                self.t_row_idx[slot] = r as u32;
                self.t_perm[slot] = s;
            }
        }
        self.t_values = vec![0.0; self.nnz()];
        self.sync_transpose();
    }

    /// Row of each stored entry, in storage order.
    pub fn entry_rows(&self) -> Vec<u32> {
        let mut rows = Vec::with_capacity(self.nnz());
        for r in 0..self.n_rows {
            rows.extend(std::iter::repeat_n(
                r as u32,
                self.row_ptr[r + 1] - self.row_ptr[r],
            ));
        }
        rows
    }

    /// The matrix as a dense row-major vector (for plots, analysis and tests).
    pub fn to_dense(&self) -> Vec<f32> {
        let mut dense = vec![0.0; self.n_rows * self.n_cols];
        for r in 0..self.n_rows {
            for s in self.row_ptr[r]..self.row_ptr[r + 1] {
                dense[r * self.n_cols + self.col_idx[s] as usize] = self.values[s];
            }
        }
        dense
    }

    /// In-degree of every row.
    pub fn row_degrees(&self) -> Vec<usize> {
        self.row_ptr.windows(2).map(|w| w[1] - w[0]).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transpose_is_consistent_with_dense() {
        let mut m = Csr::from_rows(4, &[vec![1, 3], vec![], vec![0, 1, 2]]);
        m.values = vec![1.0, 2.0, 3.0, 4.0, 5.0];
        m.sync_transpose();
        let dense = m.to_dense();
        let t = m.transposed_rows();
        for c in 0..4 {
            for s in t.row_ptr[c]..t.row_ptr[c + 1] {
                let r = t.indices[s] as usize;
                assert_eq!(t.values[s], dense[r * 4 + c]);
            }
        }
        assert_eq!(t.row_ptr, &[0, 1, 3, 4, 5]);
        assert_eq!(m.row_degrees(), vec![2, 0, 3]);
    }
}
