//! The kernels' scalar multiply-add, rounded as this build's flavour ([`super::kernel_flavour`])
//! rounds: the one definition every tiled loop and lane tail agrees with.

/// `acc + a * b` as this build's kernels compute it: fused (one rounding) in the "fma"
/// flavour, a separate multiply and add otherwise. Scalar form of the kernels' inner step.
#[inline(always)]
pub(crate) fn madd(acc: f32, a: f32, b: f32) -> f32 {
    #[cfg(all(target_arch = "wasm32", target_feature = "relaxed-simd"))]
    {
        // lane 0 of the blocks' own f32x4.relaxed_madd: one instruction (fused on the FMA
        // hardware the page requires for this build), not a call to the software fmaf,
        // and rounded as the blocks round on any engine
        use core::arch::wasm32::{f32x4_extract_lane, f32x4_relaxed_madd, f32x4_splat};
        f32x4_extract_lane::<0>(f32x4_relaxed_madd(
            f32x4_splat(a),
            f32x4_splat(b),
            f32x4_splat(acc),
        ))
    }
    #[cfg(all(target_feature = "fma", not(target_arch = "wasm32")))]
    {
        // one vfmadd (LLVM vectorises it)
        a.mul_add(b, acc)
    }
    #[cfg(not(any(target_feature = "fma", target_feature = "relaxed-simd")))]
    {
        acc + a * b
    }
}
