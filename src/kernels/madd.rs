//! The kernels' scalar multiply-add, rounded as this build's flavour ([`super::kernel_flavour`])
//! rounds: the one definition every tiled loop and lane tail agrees with.

/// `acc + a * b` as this build's kernels compute it: fused (one rounding) in the "fma"
/// flavour, a separate multiply and add otherwise. Scalar form of the kernels' inner step.
#[inline(always)]
pub(crate) fn madd(acc: f32, a: f32, b: f32) -> f32 {
    #[cfg(any(target_feature = "fma", target_feature = "relaxed-simd"))]
    {
        // native: one vfmadd (LLVM vectorises it); wasm: the exact software fmaf, only
        // reached on lane tails (the blocks use f32x4.relaxed_madd).
        a.mul_add(b, acc)
    }
    #[cfg(not(any(target_feature = "fma", target_feature = "relaxed-simd")))]
    {
        acc + a * b
    }
}
