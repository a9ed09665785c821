//! The numeric flavour of this build: whether the kernels' multiply-adds are fused.
//!
//! | build | flavour |
//! |---|---|
//! | wasm `+simd128` (www/pkg), native default (SSE2) | `"baseline"`: `acc + a * b`, two roundings |
//! | wasm `+simd128,+relaxed-simd` (www/pkg-relaxed) on FMA hardware, native `+fma` | `"fma"`: one rounding |
//! | wasm `+relaxed-simd` on hardware without FMA | `"relaxed-unfused"` (the engine splits the madd) |
//!
//! Training results are bit-identical between runs, platforms and builds of one flavour.

/// Name of the kernels' numeric flavour in this build: `"baseline"`, `"fma"` or (wasm
/// relaxed-SIMD build on a CPU whose engine does not fuse `f32x4.relaxed_madd`)
/// `"relaxed-unfused"`. Store it with a trained model: a model retrains bit for bit only
/// under the same flavour.
pub fn kernel_flavour() -> &'static str {
    #[cfg(all(target_arch = "wasm32", target_feature = "relaxed-simd"))]
    {
        if super::simd::relaxed_madd_is_fused() {
            "fma"
        } else {
            "relaxed-unfused"
        }
    }
    #[cfg(all(
        not(all(target_arch = "wasm32", target_feature = "relaxed-simd")),
        target_feature = "fma"
    ))]
    {
        "fma"
    }
    #[cfg(not(any(target_feature = "fma", target_feature = "relaxed-simd")))]
    {
        "baseline"
    }
}
