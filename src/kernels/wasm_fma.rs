//! wasm relaxed-SIMD forms of the kernels' inner blocks: `f32x4.relaxed_madd`, which
//! engines compile to one fused `vfmadd` on FMA hardware. Lane for lane the same operation
//! order as the scalar [`super::madd`] loops, so these equal the native `+fma` build.

use core::arch::wasm32::{
    f32x4_extract_lane, f32x4_relaxed_madd, f32x4_splat, v128, v128_load, v128_store,
};

/// Load four lanes.
#[inline(always)]
fn load(x: &[f32]) -> v128 {
    assert!(x.len() >= 4);
    // SAFETY: four f32 are in bounds (checked above); v128.load allows any alignment.
    unsafe { v128_load(x.as_ptr() as *const v128) }
}

/// Store four lanes.
#[inline(always)]
fn store(x: &mut [f32], v: v128) {
    assert!(x.len() >= 4);
    // SAFETY: as in `load`.
    unsafe { v128_store(x.as_mut_ptr() as *mut v128, v) }
}

/// `acc[l] += w * x[l]` over a block of `L` (4, 8 or 16) lanes, fused: the gather
/// kernel's block for one output row.
#[inline(always)]
pub(super) fn gather_block_fma<const L: usize>(
    out_block: &mut [f32],
    values: &[f32],
    indices: &[u32],
    src: &[f32],
    src_stride: usize,
    lane_offset: usize,
) {
    let vectors = L / 4;
    let mut acc = [f32x4_splat(0.0); 4];
    for (k, a) in acc.iter_mut().enumerate().take(vectors) {
        *a = load(&out_block[4 * k..]);
    }
    for (w, &j) in values.iter().zip(indices) {
        let base = j as usize * src_stride + lane_offset;
        let x = &src[base..base + L];
        let w = f32x4_splat(*w);
        for (k, a) in acc.iter_mut().enumerate().take(vectors) {
            *a = f32x4_relaxed_madd(w, load(&x[4 * k..]), *a);
        }
    }
    for (k, a) in acc.iter().enumerate().take(vectors) {
        store(&mut out_block[4 * k..], *a);
    }
}

/// Two rows with one column list (see `gather::gather_pair`), fused.
#[inline(always)]
pub(super) fn gather_pair_fma<const L: usize>(
    out: [&mut [f32]; 2],
    values: [&[f32]; 2],
    indices: &[u32],
    src: &[f32],
    src_stride: usize,
    lane_offset: usize,
) {
    let vectors = L / 4;
    let [out0, out1] = out;
    let mut acc0 = [f32x4_splat(0.0); 4];
    let mut acc1 = [f32x4_splat(0.0); 4];
    for k in 0..vectors {
        acc0[k] = load(&out0[4 * k..]);
        acc1[k] = load(&out1[4 * k..]);
    }
    for ((&j, &w0), &w1) in indices.iter().zip(values[0]).zip(values[1]) {
        let base = j as usize * src_stride + lane_offset;
        let x = &src[base..base + L];
        let (w0, w1) = (f32x4_splat(w0), f32x4_splat(w1));
        for k in 0..vectors {
            let xk = load(&x[4 * k..]);
            acc0[k] = f32x4_relaxed_madd(w0, xk, acc0[k]);
            acc1[k] = f32x4_relaxed_madd(w1, xk, acc1[k]);
        }
    }
    for k in 0..vectors {
        store(&mut out0[4 * k..], acc0[k]);
        store(&mut out1[4 * k..], acc1[k]);
    }
}

/// The 16 partial sums of [`super::dot`] over whole 16-lane chunks, fused.
#[inline(always)]
pub(super) fn dot16(
    chunks_a: &mut core::slice::ChunksExact<'_, f32>,
    chunks_b: &mut core::slice::ChunksExact<'_, f32>,
) -> [f32; 16] {
    let mut acc = [f32x4_splat(0.0); 4];
    for (ca, cb) in chunks_a.zip(chunks_b) {
        for (k, a) in acc.iter_mut().enumerate() {
            *a = f32x4_relaxed_madd(load(&ca[4 * k..]), load(&cb[4 * k..]), *a);
        }
    }
    let mut partial = [0.0f32; 16];
    for (k, a) in acc.iter().enumerate() {
        store(&mut partial[4 * k..], *a);
    }
    partial
}

/// Whether this engine fuses `f32x4.relaxed_madd` (one rounding): (1 + 2⁻¹²)² − (1 + 2⁻¹¹)
/// is 2⁻²⁴ when fused and 0 when the product is rounded first.
pub(super) fn relaxed_madd_is_fused() -> bool {
    let a = f32x4_splat(core::hint::black_box(1.0 + 1.0 / 4096.0));
    let c = f32x4_splat(core::hint::black_box(-(1.0 + 1.0 / 2048.0)));
    f32x4_extract_lane::<0>(f32x4_relaxed_madd(a, a, c)) != 0.0
}
