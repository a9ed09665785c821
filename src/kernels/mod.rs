//! Compute kernels on plain slices: no allocation, no platform code (the one exception: on
//! x86_64 [`gemm`] and [`spmm_gather`] ask the CPU whether it has AVX2, see their module
//! docs).
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
mod gemm;
mod madd;
mod sddmm;
mod simd;
mod spmv;

pub use flavour::kernel_flavour;
pub(crate) use madd::madd;
use simd::F4;

pub use gather::spmm_gather;
pub use gemm::{
    dense_values, gemm, madd_peak, madd_peak_lanes, rows_product, rows_product_with, PEAK_CHAINS,
};
pub use sddmm::sddmm;
pub use spmv::{spmv_interleaved, InterleavedRows};

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
    dots(&a[..n], [&b[..n]])[0]
}

/// `G` dot products of `a` with each of `bs` (all of `a`'s length) at once: every chunk of
/// `a` is loaded once for the `G` products. Each product has exactly [`dot`]'s summation
/// order: 16 partial sums (lane `l` of every 16-lane chunk goes to partial `l`), reduced
/// pairwise, plus the tail in index order.
#[inline(always)]
pub(crate) fn dots<const G: usize>(a: &[f32], bs: [&[f32]; G]) -> [f32; G] {
    let n = a.len();
    let bs = bs.map(|b| &b[..n]);
    let whole = n - n % 16;
    let mut acc = [[F4::splat(0.0); 4]; G];
    for (chunk, ca) in a[..whole].chunks_exact(16).enumerate() {
        let cb: [&[f32]; G] = core::array::from_fn(|g| &bs[g][16 * chunk..16 * chunk + 16]);
        for k in 0..4 {
            let ak = F4::load(&ca[4 * k..]);
            for (acc, cb) in acc.iter_mut().zip(cb) {
                acc[k] = acc[k].madd(ak, F4::load(&cb[4 * k..]));
            }
        }
    }
    core::array::from_fn(|g| {
        let mut tail = 0.0f32;
        for (x, y) in a[whole..].iter().zip(&bs[g][whole..]) {
            tail = madd(tail, *x, *y);
        }
        reduce_partials(acc[g]) + tail
    })
}

/// [`reduce16`] of the 16 partial sums held in four vectors (partial `4k + j` in lane `j`
/// of `p[k]`), with vector adds for its first two levels: the same additions in the same
/// order, so the same bits.
#[inline(always)]
pub(crate) fn reduce_partials(p: [F4; 4]) -> f32 {
    // h[l] = p[l] + p[l + 8]: lanes 0..4 = p0 + p2, lanes 4..8 = p1 + p3;
    // q[l] = h[l] + h[l + 4]
    let q = p[0].add(p[2]).add(p[1].add(p[3])).lanes();
    (q[0] + q[2]) + (q[1] + q[3])
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
