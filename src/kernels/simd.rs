//! A four-lane f32 vector, [`F4`], with the one multiply-add of this build's flavour: the
//! kernels' tiled loops are written once over it.
//!
//! | build | representation | [`F4::madd`] |
//! |---|---|---|
//! | wasm `+simd128` | `v128` | `f32x4.add(acc, f32x4.mul(a, b))` (two roundings) |
//! | wasm `+relaxed-simd` | `v128` | `f32x4.relaxed_madd` (fused on FMA hardware) |
//! | native x86_64 | `__m128` | `addps(acc, mulps(a, b))`, or `vfmadd` with `+fma` |
//! | other native | `[f32; 4]` | [`super::madd`] per lane |
//!
//! Lane for lane every form computes exactly [`super::madd`], so a kernel written over
//! `F4` gives the same bits as its scalar loop in the same flavour.
//!
//! On x86_64, [`F8`] is the eight-lane `__m256` (AVX) counterpart for the code paths that
//! check the CPU for AVX2 at run time ([`avx2_available`]; `gemm` and `gather`): the same
//! per-lane madd, rounded the same. Both implement [`Lanes`], so a tile is written once,
//! generic over the vector width.

//! (Explicit intrinsics: with `[f32; 4]` LLVM's SLP vectoriser shuffled scalar loads
//! into the multi-accumulator tiles and ran them at half speed.)

#[cfg(target_arch = "wasm32")]
use core::arch::wasm32::{f32x4_splat, v128, v128_load, v128_store};
#[cfg(target_arch = "x86_64")]
use core::arch::x86_64::{__m128, _mm_loadu_ps, _mm_set1_ps, _mm_storeu_ps};

#[cfg(target_arch = "wasm32")]
type Repr = v128;
#[cfg(target_arch = "x86_64")]
type Repr = __m128;
#[cfg(not(any(target_arch = "wasm32", target_arch = "x86_64")))]
type Repr = [f32; 4];

/// Four f32 lanes (see the module docs for the representation per build).
#[derive(Clone, Copy)]
pub(crate) struct F4(Repr);

impl F4 {
    /// All four lanes `x`.
    #[inline(always)]
    pub(crate) fn splat(x: f32) -> F4 {
        #[cfg(target_arch = "wasm32")]
        {
            F4(f32x4_splat(x))
        }
        #[cfg(target_arch = "x86_64")]
        {
            // SAFETY: SSE is part of the x86_64 baseline.
            F4(unsafe { _mm_set1_ps(x) })
        }
        #[cfg(not(any(target_arch = "wasm32", target_arch = "x86_64")))]
        {
            F4([x; 4])
        }
    }

    /// The first four lanes of `x` (panics when `x` is shorter; kernels slice a whole block
    /// once so the compiler drops the per-load checks).
    #[inline(always)]
    pub(crate) fn load(x: &[f32]) -> F4 {
        let x: &[f32; 4] = x[..4].try_into().expect("four lanes");
        #[cfg(target_arch = "wasm32")]
        {
            // SAFETY: `x` is four in-bounds f32; v128.load allows any alignment.
            F4(unsafe { v128_load(x.as_ptr() as *const v128) })
        }
        #[cfg(target_arch = "x86_64")]
        {
            // SAFETY: four in-bounds f32; SSE (baseline) `movups` allows any alignment.
            F4(unsafe { _mm_loadu_ps(x.as_ptr()) })
        }
        #[cfg(not(any(target_arch = "wasm32", target_arch = "x86_64")))]
        {
            F4(*x)
        }
    }

    /// `x[at..at + 4]` without a bounds check (for inner loops whose bounds are checked
    /// once, outside).
    ///
    /// # Safety
    /// `at + 4 <= x.len()`.
    #[inline(always)]
    pub(crate) unsafe fn load_at(x: &[f32], at: usize) -> F4 {
        debug_assert!(at + 4 <= x.len(), "load_at out of bounds");
        // SAFETY: the caller guarantees `at + 4 <= x.len()`.
        F4::load(unsafe { x.get_unchecked(at..at + 4) })
    }

    /// Write the four lanes to the start of `out`.
    #[inline(always)]
    pub(crate) fn store(self, out: &mut [f32]) {
        let out: &mut [f32; 4] = (&mut out[..4]).try_into().expect("four lanes");
        #[cfg(target_arch = "wasm32")]
        {
            // SAFETY: as in `load`.
            unsafe { v128_store(out.as_mut_ptr() as *mut v128, self.0) }
        }
        #[cfg(target_arch = "x86_64")]
        {
            // SAFETY: as in `load`.
            unsafe { _mm_storeu_ps(out.as_mut_ptr(), self.0) }
        }
        #[cfg(not(any(target_arch = "wasm32", target_arch = "x86_64")))]
        {
            *out = self.0;
        }
    }

    /// `self + other` lane-wise (one rounding per lane, as the scalar `+`).
    #[inline(always)]
    pub(crate) fn add(self, other: F4) -> F4 {
        #[cfg(target_arch = "wasm32")]
        {
            F4(core::arch::wasm32::f32x4_add(self.0, other.0))
        }
        #[cfg(target_arch = "x86_64")]
        {
            // SAFETY: SSE is part of the x86_64 baseline.
            F4(unsafe { core::arch::x86_64::_mm_add_ps(self.0, other.0) })
        }
        #[cfg(not(any(target_arch = "wasm32", target_arch = "x86_64")))]
        {
            let (a, b) = (self.0, other.0);
            F4([a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]])
        }
    }

    /// The four lanes as an array.
    #[inline(always)]
    pub(crate) fn lanes(self) -> [f32; 4] {
        let mut out = [0.0f32; 4];
        self.store(&mut out);
        out
    }

    /// `self + a * b` lane-wise, rounded as this build's [`super::madd`].
    #[inline(always)]
    pub(crate) fn madd(self, a: F4, b: F4) -> F4 {
        #[cfg(all(target_arch = "wasm32", target_feature = "relaxed-simd"))]
        {
            F4(core::arch::wasm32::f32x4_relaxed_madd(a.0, b.0, self.0))
        }
        #[cfg(all(target_arch = "wasm32", not(target_feature = "relaxed-simd")))]
        {
            use core::arch::wasm32::{f32x4_add, f32x4_mul};
            F4(f32x4_add(self.0, f32x4_mul(a.0, b.0)))
        }
        #[cfg(all(target_arch = "x86_64", target_feature = "fma"))]
        {
            // SAFETY: the build enables FMA (`-C target-feature=+fma`).
            F4(unsafe { core::arch::x86_64::_mm_fmadd_ps(a.0, b.0, self.0) })
        }
        #[cfg(all(target_arch = "x86_64", not(target_feature = "fma")))]
        {
            use core::arch::x86_64::{_mm_add_ps, _mm_mul_ps};
            // SAFETY: SSE is part of the x86_64 baseline.
            F4(unsafe { _mm_add_ps(self.0, _mm_mul_ps(a.0, b.0)) })
        }
        #[cfg(not(any(target_arch = "wasm32", target_arch = "x86_64")))]
        {
            let (acc, a, b) = (self.0, a.0, b.0);
            F4([
                super::madd(acc[0], a[0], b[0]),
                super::madd(acc[1], a[1], b[1]),
                super::madd(acc[2], a[2], b[2]),
                super::madd(acc[3], a[3], b[3]),
            ])
        }
    }
}

/// Whether this engine fuses `f32x4.relaxed_madd` (one rounding): (1 + 2⁻¹²)² − (1 + 2⁻¹¹)
/// is 2⁻²⁴ when fused and 0 when the product is rounded first.
#[cfg(all(target_arch = "wasm32", target_feature = "relaxed-simd"))]
pub(super) fn relaxed_madd_is_fused() -> bool {
    use core::arch::wasm32::f32x4_extract_lane;
    let a = F4::splat(core::hint::black_box(1.0 + 1.0 / 4096.0));
    let c = F4::splat(core::hint::black_box(-(1.0 + 1.0 / 2048.0)));
    f32x4_extract_lane::<0>(c.madd(a, a).0) != 0.0
}

/// Eight f32 lanes in a 256-bit AVX register, with [`F4`]'s per-lane multiply-add: the
/// 256-bit tiles of the runtime-dispatched AVX2 paths (x86_64 only).
///
/// # Safety
/// Every method is `unsafe`: callable only where the CPU has AVX2 (and FMA in a `+fma`
/// build), i.e. from a `#[target_feature(enable = "avx2")]` function entered after
/// `is_x86_feature_detected!`. They are `#[inline(always)]` so that they, and the
/// intrinsics in them, inline into that function (a call per vector op would be slow).
#[cfg(target_arch = "x86_64")]
#[derive(Clone, Copy)]
pub(crate) struct F8(core::arch::x86_64::__m256);

#[cfg(target_arch = "x86_64")]
impl F8 {
    /// All eight lanes `x`.
    ///
    /// # Safety
    /// The CPU has AVX2 (see the type's docs).
    #[inline(always)]
    pub(crate) unsafe fn splat(x: f32) -> F8 {
        // SAFETY: the caller guarantees AVX.
        F8(unsafe { core::arch::x86_64::_mm256_set1_ps(x) })
    }

    /// The first eight lanes of `x` (panics when `x` is shorter).
    ///
    /// # Safety
    /// The CPU has AVX2 (see the type's docs).
    #[inline(always)]
    pub(crate) unsafe fn load(x: &[f32]) -> F8 {
        let x: &[f32; 8] = x[..8].try_into().expect("eight lanes");
        // SAFETY: eight in-bounds f32, `vmovups` allows any alignment; the caller
        // guarantees AVX.
        F8(unsafe { core::arch::x86_64::_mm256_loadu_ps(x.as_ptr()) })
    }

    /// Write the eight lanes to the start of `out` (panics when `out` is shorter).
    ///
    /// # Safety
    /// The CPU has AVX2 (see the type's docs).
    #[inline(always)]
    pub(crate) unsafe fn store(self, out: &mut [f32]) {
        let out: &mut [f32; 8] = (&mut out[..8]).try_into().expect("eight lanes");
        // SAFETY: as in `load`.
        unsafe { core::arch::x86_64::_mm256_storeu_ps(out.as_mut_ptr(), self.0) }
    }

    /// `self + a * b` lane-wise, rounded as this build's [`super::madd`] (and [`F4::madd`]):
    /// `vfmadd` only in a `+fma` build, else `vmulps` then `vaddps` (two roundings).
    ///
    /// # Safety
    /// The CPU has AVX2 (and FMA in a `+fma` build; see the type's docs).
    #[inline(always)]
    pub(crate) unsafe fn madd(self, a: F8, b: F8) -> F8 {
        #[cfg(target_feature = "fma")]
        {
            // SAFETY: the build enables FMA; the caller guarantees AVX.
            F8(unsafe { core::arch::x86_64::_mm256_fmadd_ps(a.0, b.0, self.0) })
        }
        #[cfg(not(target_feature = "fma"))]
        {
            use core::arch::x86_64::{_mm256_add_ps, _mm256_mul_ps};
            // SAFETY: the caller guarantees AVX.
            F8(unsafe { _mm256_add_ps(self.0, _mm256_mul_ps(a.0, b.0)) })
        }
    }
}

/// Whether this CPU can run [`F8`] code, i.e. whether [`super::gemm`] and
/// [`super::spmm_gather`] take their AVX2 paths: x86_64 with AVX2 (and FMA, which a `+fma`
/// build already assumes). `is_x86_feature_detected!` caches the CPU's answer in a static
/// after its first call, so this is one atomic load per kernel call. Always `false`
/// elsewhere.
pub(super) fn avx2_available() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::is_x86_feature_detected!("avx2")
            && (cfg!(not(target_feature = "fma")) || std::is_x86_feature_detected!("fma"))
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// A vector type the kernels' tiles are written over (once, generic): [`F4`] (any build)
/// or [`F8`] (x86_64 with AVX2). Lane for lane both compute the flavour's [`super::madd`].
pub(super) trait Lanes: Copy {
    /// f32 lanes per vector.
    const WIDTH: usize;
    /// # Safety
    /// The CPU has the type's instructions (always for [`F4`]).
    unsafe fn splat(x: f32) -> Self;
    /// # Safety
    /// As [`Lanes::splat`].
    unsafe fn load(x: &[f32]) -> Self;
    /// # Safety
    /// As [`Lanes::splat`].
    unsafe fn store(self, out: &mut [f32]);
    /// # Safety
    /// As [`Lanes::splat`].
    unsafe fn madd(self, a: Self, b: Self) -> Self;
}

impl Lanes for F4 {
    const WIDTH: usize = 4;
    #[inline(always)]
    unsafe fn splat(x: f32) -> Self {
        F4::splat(x)
    }
    #[inline(always)]
    unsafe fn load(x: &[f32]) -> Self {
        F4::load(x)
    }
    #[inline(always)]
    unsafe fn store(self, out: &mut [f32]) {
        F4::store(self, out)
    }
    #[inline(always)]
    unsafe fn madd(self, a: Self, b: Self) -> Self {
        F4::madd(self, a, b)
    }
}

#[cfg(target_arch = "x86_64")]
impl Lanes for F8 {
    const WIDTH: usize = 8;
    #[inline(always)]
    unsafe fn splat(x: f32) -> Self {
        // SAFETY: forwarded to the caller.
        unsafe { F8::splat(x) }
    }
    #[inline(always)]
    unsafe fn load(x: &[f32]) -> Self {
        // SAFETY: forwarded to the caller.
        unsafe { F8::load(x) }
    }
    #[inline(always)]
    unsafe fn store(self, out: &mut [f32]) {
        // SAFETY: forwarded to the caller.
        unsafe { F8::store(self, out) }
    }
    #[inline(always)]
    unsafe fn madd(self, a: Self, b: Self) -> Self {
        // SAFETY: forwarded to the caller.
        unsafe { F8::madd(self, a, b) }
    }
}
