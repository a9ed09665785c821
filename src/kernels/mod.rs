//! Compute kernels on plain slices: no allocation, no platform code.
//!
//! All activity arrays are *neuron-major with the batch (and time) contiguous*: a neuron's
//! values for `lanes` consecutive (time, trial) slots sit next to each other. Every kernel's
//! inner loop is then a lane-wise multiply-add over a contiguous block, which LLVM turns
//! into f32x4 SIMD (wasm `simd128`, SSE natively) without gathers; the sparse index is
//! only touched once per synapse per block. Additions happen in a fixed order that does
//! not depend on the block size or platform, so results are bit-identical natively and in
//! wasm (Rust never contracts `a * b + c` into an FMA by itself).
//!
//! Two numeric *flavours* (see [`kernel_flavour`]) differ only in how the kernels'
//! multiply-adds round: "baseline" (separate multiply and add, the wasm SIMD128 build and
//! the default native build) and "fma" (fused, one rounding: the wasm `+relaxed-simd`
//! build on FMA hardware and the native `-C target-feature=+fma` build). Within a flavour
//! native and wasm results are bit-identical; across flavours they differ in the last bits.

mod flavour;
mod gather;
mod sddmm;
#[cfg(all(target_arch = "wasm32", target_feature = "relaxed-simd"))]
mod wasm_fma;

pub use flavour::kernel_flavour;
pub(crate) use flavour::madd;

pub use gather::spmm_gather;
pub use sddmm::sddmm;

/// A row-compressed (CSR) view: row `r`'s entries are `row_ptr[r]..row_ptr[r + 1]` of
/// `indices` (column ids) and `values`.
#[derive(Debug, Clone, Copy)]
pub struct RowsView<'a> {
    /// Row start offsets, length `n_rows + 1`.
    pub row_ptr: &'a [usize],
    /// Column index of each entry.
    pub indices: &'a [u32],
    /// Value of each entry.
    pub values: &'a [f32],
}

impl RowsView<'_> {
    /// Number of rows.
    pub fn n_rows(&self) -> usize {
        self.row_ptr.len().saturating_sub(1)
    }
}

/// `y += a * x`, lane-wise.
#[inline]
pub fn axpy(y: &mut [f32], a: f32, x: &[f32]) {
    for (yi, xi) in y.iter_mut().zip(x) {
        *yi = madd(*yi, a, *xi);
    }
}

/// Dot product with 16 independent partial sums (vectorisable, fixed summation order).
#[inline]
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut chunks_a = a.chunks_exact(16);
    let mut chunks_b = b.chunks_exact(16);
    #[cfg(all(target_arch = "wasm32", target_feature = "relaxed-simd"))]
    let partial = wasm_fma::dot16(&mut chunks_a, &mut chunks_b);
    #[cfg(not(all(target_arch = "wasm32", target_feature = "relaxed-simd")))]
    let partial = {
        let mut partial = [0.0f32; 16];
        for (ca, cb) in (&mut chunks_a).zip(&mut chunks_b) {
            for l in 0..16 {
                partial[l] = madd(partial[l], ca[l], cb[l]);
            }
        }
        partial
    };
    let mut tail = 0.0f32;
    for (x, y) in chunks_a.remainder().iter().zip(chunks_b.remainder()) {
        tail = madd(tail, *x, *y);
    }
    reduce16(&partial) + tail
}

/// Sum with 16 independent partial sums.
#[inline]
pub fn sum(a: &[f32]) -> f32 {
    let mut partial = [0.0f32; 16];
    let mut chunks = a.chunks_exact(16);
    for c in &mut chunks {
        for l in 0..16 {
            partial[l] += c[l];
        }
    }
    let tail: f32 = chunks.remainder().iter().sum();
    reduce16(&partial) + tail
}

#[inline]
fn reduce16(p: &[f32; 16]) -> f32 {
    let mut h = [0.0f32; 8];
    for l in 0..8 {
        h[l] = p[l] + p[l + 8];
    }
    let q = [h[0] + h[4], h[1] + h[5], h[2] + h[6], h[3] + h[7]];
    (q[0] + q[2]) + (q[1] + q[3])
}

#[cfg(test)]
mod tests;
