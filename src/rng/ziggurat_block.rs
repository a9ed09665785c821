//! The Ziggurat ([`super::ziggurat`]) over blocks of buffered xoshiro256++ words: the same
//! draws, word for word, as a sequential loop over [`Tables::sample`], faster.
//!
//! The word generator is one serial dependency chain, but the Ziggurat's fast path (≈ 98.5 %
//! of draws: one word, a table lookup, a multiply and a compare) depends on its word only.
//! So the fast path runs over a buffer of [`BLOCK`] words several at a time (eight with
//! AVX2 natively, checked at run time; four with SIMD128 in wasm; four in scalar code
//! otherwise), adding each accepted draw to its output element, while the generator fills
//! a second buffer with the words that follow (the two loops interleaved, so the serial
//! chain overlaps the independent fast path). At the first word that misses its layer's
//! rectangle the exact scalar slow path takes over at that point, drawing the words that
//! follow it in the stream, buffered ones first (`BufferedWords` is the stream from
//! there on), and the fast path resumes at the next unused word: the mapping of words to
//! draws is the sequential one.
//!
//! The arithmetic is the sequential one in other words. The fast path's acceptance test
//! is an integer compare of the position's magnitude with a per-layer bound that selects
//! exactly the positions the f64 test accepts ([`Tables::accept_below`]); its draw is the
//! integer position times the layer width pre-multiplied by 2^-23 ([`Tables::scaled_x`]:
//! the same product, so the same f64), rounded to f32, multiplied by `scale`, then added
//! (two f32 roundings, no fused multiply-add). The slow path
//! ([`Tables::beyond_rectangle`]) decides the wedge test `height < density(x)` mostly
//! from polynomial bounds on the exponential, with the same outcome.

use super::xoshiro::Xoshiro256PlusPlus;
use super::ziggurat::Tables;
use rand::RngCore;

/// Words per buffer.
pub const BLOCK: usize = 512;
/// Fewest words generated into a buffer at once (the slow path's refills, the end of a
/// call).
const MIN_REFILL: usize = 16;

/// The rest of a xoshiro256++ word stream: the unused words of the current buffer, then
/// those generated ahead into the other, then the generator's. [`RngCore::next_u32`] is
/// the stream ([`RngCore::next_u64`] pairs two words).
struct BufferedWords<'a> {
    source: &'a mut Xoshiro256PlusPlus,
    /// The two buffers: `buffers[current][..len]` the current words, of which `next` are
    /// used; `buffers[1 - current][..ahead]` the words after them.
    buffers: [[u32; BLOCK]; 2],
    current: usize,
    next: usize,
    len: usize,
    ahead: usize,
}

impl BufferedWords<'_> {
    /// Make the words after the current ones current (only when every current word is
    /// used): top the other buffer up to `wanted` words (clamped to `MIN_REFILL..=BLOCK`,
    /// never fewer than it holds) and switch.
    fn advance(&mut self, wanted: usize) {
        debug_assert_eq!(self.next, self.len, "advance with unused words");
        let other = 1 - self.current;
        let len = wanted.clamp(MIN_REFILL, BLOCK).max(self.ahead);
        self.source
            .fill_words(&mut self.buffers[other][self.ahead..len]);
        self.current = other;
        self.next = 0;
        self.len = len;
        self.ahead = 0;
    }
}

impl RngCore for BufferedWords<'_> {
    #[inline]
    fn next_u32(&mut self) -> u32 {
        if self.next == self.len {
            self.advance(MIN_REFILL);
        }
        let word = self.buffers[self.current][self.next];
        self.next += 1;
        word
    }

    fn next_u64(&mut self) -> u64 {
        let high = self.next_u32();
        (u64::from(high) << 32) | u64::from(self.next_u32())
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for chunk in dest.chunks_mut(4) {
            let bytes = self.next_u32().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

/// A fast-path kernel `(tables, words, out, scale, source, ahead)`: add `scale` · z to
/// `out[i]` for the leading words of `words` (`out` as long) that the fast path accepts,
/// stopping at the first it rejects, while generating the stream's next words from
/// `source` into the leading part of `ahead` (so that the serial generator overlaps the
/// independent fast path); returns how many words it accepted (`words.len()` when all)
/// and how many it generated.
type FastPath =
    fn(&Tables, &[u32], &mut [f32], f32, &mut Xoshiro256PlusPlus, &mut [u32]) -> (usize, usize);

/// Add `scale` · z to every element of `out`, in order, z the Ziggurat's draws on the
/// words of `source`: bit for bit `for o in out { *o += scale * tables.sample(source) as
/// f32 }`, except that `source` ends up advanced by up to 2 [`BLOCK`] words more (the
/// unused rest of the buffers; the caller drops it).
pub fn add_normals(tables: &Tables, source: &mut Xoshiro256PlusPlus, out: &mut [f32], scale: f32) {
    add_normals_with(fast_path(), tables, source, out, scale);
}

/// [`add_normals`] with the fast-path kernel `fast`.
fn add_normals_with(
    fast: FastPath,
    tables: &Tables,
    source: &mut Xoshiro256PlusPlus,
    out: &mut [f32],
    scale: f32,
) {
    let mut words = BufferedWords {
        source,
        buffers: [[0; BLOCK]; 2],
        current: 0,
        next: 0,
        len: 0,
        ahead: 0,
    };
    let mut done = 0;
    while done < out.len() {
        if words.next == words.len {
            words.advance(out.len() - done);
        }
        let n = (words.len - words.next).min(out.len() - done);
        // the words the rest of the call needs after the current ones, at most a buffer
        let wanted_ahead = (out.len() - done - n).min(BLOCK).max(words.ahead);
        let (first, second) = words.buffers.split_at_mut(1);
        let (current, other) = if words.current == 0 {
            (&first[0], &mut second[0])
        } else {
            (&second[0], &mut first[0])
        };
        let (accepted, generated) = fast(
            tables,
            &current[words.next..words.next + n],
            &mut out[done..done + n],
            scale,
            words.source,
            &mut other[words.ahead..wanted_ahead],
        );
        words.ahead += generated;
        words.next += accepted;
        done += accepted;
        if accepted < n {
            // the rejected word, then the slow path on the words after it
            let word = words.buffers[words.current][words.next];
            words.next += 1;
            if let Some(z) = tables.beyond_rectangle(word, &mut words) {
                out[done] += scale * z as f32;
                done += 1;
            }
            // else the wedge rejected the point: the same draw starts over at the next word
        }
    }
}

/// The fastest fast-path kernel this machine runs.
fn fast_path() -> FastPath {
    #[cfg(target_arch = "x86_64")]
    if let Some(kernel) = avx2_kernel() {
        return kernel;
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        return fast_path_simd128;
    }
    #[allow(unreachable_code)]
    fast_path_scalar
}

/// [`fast_path_avx2`] as a safe [`FastPath`] when this CPU has AVX2, else `None`.
#[cfg(target_arch = "x86_64")]
fn avx2_kernel() -> Option<FastPath> {
    std::is_x86_feature_detected!("avx2").then_some(|tables, words, out, scale, source, ahead| {
        // SAFETY: only returned when the CPU has AVX2 (checked just above).
        unsafe { fast_path_avx2(tables, words, out, scale, source, ahead) }
    })
}

/// The kernels' loop: `W` words at a time through `chunk` (which adds the W draws to its
/// `out` and returns true when the fast path accepts all W words, else returns false and
/// writes nothing), generating W words ahead per chunk while `ahead` has room; the
/// words from the first chunk with a rejection on one at a time.
#[inline(always)]
fn fast_loop<const W: usize>(
    mut chunk: impl FnMut(&[u32; W], &mut [f32; W]) -> bool,
    tables: &Tables,
    words: &[u32],
    out: &mut [f32],
    scale: f32,
    source: &mut Xoshiro256PlusPlus,
    ahead: &mut [u32],
) -> (usize, usize) {
    assert_eq!(words.len(), out.len());
    // the generator's state in locals for the loop
    let mut state = source.clone();
    let (mut i, mut generated) = (0, 0);
    while i + W <= words.len() {
        if generated + W <= ahead.len() {
            for word in &mut ahead[generated..generated + W] {
                *word = state.next_u32();
            }
            generated += W;
        }
        let chunk_words = words[i..i + W].try_into().expect("W words");
        if !chunk(
            chunk_words,
            (&mut out[i..i + W]).try_into().expect("W lanes"),
        ) {
            break;
        }
        i += W;
    }
    *source = state;
    (
        i + fast_path_one_by_one(tables, &words[i..], &mut out[i..], scale),
        generated,
    )
}

/// The fast path one word at a time, until the first rejection; returns the accepted count.
#[inline(always)]
fn fast_path_one_by_one(tables: &Tables, words: &[u32], out: &mut [f32], scale: f32) -> usize {
    for (i, (&word, o)) in words.iter().zip(out.iter_mut()).enumerate() {
        match tables.inside_rectangle(word) {
            Some(z) => *o += scale * z as f32,
            None => return i,
        }
    }
    words.len()
}

/// The fast path four words at a time in scalar code (any target).
fn fast_path_scalar(
    tables: &Tables,
    words: &[u32],
    out: &mut [f32],
    scale: f32,
    source: &mut Xoshiro256PlusPlus,
    ahead: &mut [u32],
) -> (usize, usize) {
    let chunk = |words: &[u32; 4], out: &mut [f32; 4]| {
        let mut z = [0.0f64; 4];
        for (z, &word) in z.iter_mut().zip(words) {
            match tables.inside_rectangle(word) {
                Some(value) => *z = value,
                None => return false,
            }
        }
        for (o, z) in out.iter_mut().zip(z) {
            *o += scale * z as f32;
        }
        true
    };
    fast_loop::<4>(chunk, tables, words, out, scale, source, ahead)
}

/// The fast path eight words at a time (AVX2; the tables read by scalar loads).
///
/// # Safety
/// The CPU has AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn fast_path_avx2(
    tables: &Tables,
    words: &[u32],
    out: &mut [f32],
    scale: f32,
    source: &mut Xoshiro256PlusPlus,
    ahead: &mut [u32],
) -> (usize, usize) {
    let chunk = |words: &[u32; 8], out: &mut [f32; 8]| {
        // SAFETY: the caller guarantees AVX2.
        unsafe { chunk_avx2(tables, words, out, scale) }
    };
    fast_loop::<8>(chunk, tables, words, out, scale, source, ahead)
}

/// [`fast_path_avx2`]'s chunk: adds the eight draws and returns true when the fast path
/// accepts all eight words, else returns false and writes nothing.
///
/// # Safety
/// The CPU has AVX2; only from a `#[target_feature(enable = "avx2")]` function (inlined
/// into it).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn chunk_avx2(tables: &Tables, words: &[u32; 8], out: &mut [f32; 8], scale: f32) -> bool {
    use core::arch::x86_64::*;
    // SAFETY: eight in-bounds u32 and f32 (unaligned loads and stores); the CPU has AVX2.
    unsafe {
        let word = _mm256_loadu_si256(words.as_ptr().cast());
        let position = _mm256_sub_epi32(_mm256_srli_epi32::<8>(word), _mm256_set1_epi32(1 << 23));
        // the tables by scalar loads (AVX2 gathers are slower on AMD Zen 4)
        let l = words.map(|w| (w & 0xff) as usize);
        let b = l.map(|layer| tables.accept_below()[layer] as i32);
        let bound = _mm256_setr_epi32(b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]);
        let inside = _mm256_cmpgt_epi32(bound, _mm256_abs_epi32(position));
        if _mm256_movemask_epi8(inside) != -1 {
            return false;
        }
        let x = tables.scaled_x();
        let z_low = _mm256_cvtpd_ps(_mm256_mul_pd(
            _mm256_cvtepi32_pd(_mm256_castsi256_si128(position)),
            _mm256_setr_pd(x[l[0]], x[l[1]], x[l[2]], x[l[3]]),
        ));
        let z_high = _mm256_cvtpd_ps(_mm256_mul_pd(
            _mm256_cvtepi32_pd(_mm256_extracti128_si256::<1>(position)),
            _mm256_setr_pd(x[l[4]], x[l[5]], x[l[6]], x[l[7]]),
        ));
        let z = _mm256_set_m128(z_high, z_low);
        let sum = _mm256_add_ps(
            _mm256_loadu_ps(out.as_ptr()),
            _mm256_mul_ps(_mm256_set1_ps(scale), z),
        );
        _mm256_storeu_ps(out.as_mut_ptr(), sum);
    }
    true
}

/// The fast path four words at a time (SIMD128; the tables read by scalar loads).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn fast_path_simd128(
    tables: &Tables,
    words: &[u32],
    out: &mut [f32],
    scale: f32,
    source: &mut Xoshiro256PlusPlus,
    ahead: &mut [u32],
) -> (usize, usize) {
    use core::arch::wasm32::*;
    let (bounds, widths) = (tables.accept_below(), tables.scaled_x());
    let chunk = |w: &[u32; 4], out: &mut [f32; 4]| {
        let layer = w.map(|word| (word & 0xff) as usize);
        let word = u32x4(w[0], w[1], w[2], w[3]);
        let position = i32x4_sub(u32x4_shr(word, 8), i32x4_splat(1 << 23));
        let bound = u32x4(
            bounds[layer[0]],
            bounds[layer[1]],
            bounds[layer[2]],
            bounds[layer[3]],
        );
        if !i32x4_all_true(i32x4_lt(i32x4_abs(position), bound)) {
            return false;
        }
        let z_low = f32x4_demote_f64x2_zero(f64x2_mul(
            f64x2_convert_low_i32x4(position),
            f64x2(widths[layer[0]], widths[layer[1]]),
        ));
        let z_high = f32x4_demote_f64x2_zero(f64x2_mul(
            f64x2_convert_low_i32x4(i32x4_shuffle::<2, 3, 2, 3>(position, position)),
            f64x2(widths[layer[2]], widths[layer[3]]),
        ));
        let z = i32x4_shuffle::<0, 1, 4, 5>(z_low, z_high);
        // SAFETY: `out` is four f32; v128 loads and stores allow any alignment.
        unsafe {
            let sum = f32x4_add(
                v128_load(out.as_ptr().cast()),
                f32x4_mul(f32x4_splat(scale), z),
            );
            v128_store(out.as_mut_ptr().cast(), sum);
        }
        true
    };
    fast_loop::<4>(chunk, tables, words, out, scale, source, ahead)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::ziggurat::tables;
    use rand::SeedableRng;

    /// A word stream that counts its words.
    struct Counted<'a>(&'a mut Xoshiro256PlusPlus, usize);

    impl RngCore for Counted<'_> {
        fn next_u32(&mut self) -> u32 {
            self.1 += 1;
            self.0.next_u32()
        }
        fn next_u64(&mut self) -> u64 {
            unreachable!("the Ziggurat draws 32-bit words")
        }
        fn fill_bytes(&mut self, _: &mut [u8]) {
            unreachable!("the Ziggurat draws 32-bit words")
        }
        fn try_fill_bytes(&mut self, _: &mut [u8]) -> Result<(), rand::Error> {
            unreachable!("the Ziggurat draws 32-bit words")
        }
    }

    fn stream(seed: u64) -> Xoshiro256PlusPlus {
        Xoshiro256PlusPlus::seeded_from(&mut rand::rngs::StdRng::seed_from_u64(seed))
    }

    /// A buffer of `len` nonzero starting values (so that the sums are tested too).
    fn start(seed: u64, len: usize) -> Vec<f32> {
        let mut words = stream(seed ^ 0x5eed);
        (0..len)
            .map(|_| (words.next_u32() >> 8) as f32 * 1e-7 - 0.8)
            .collect()
    }

    /// Every kernel this machine runs, by name.
    fn kernels() -> Vec<(&'static str, FastPath)> {
        let mut kernels: Vec<(&'static str, FastPath)> = vec![("scalar", fast_path_scalar)];
        #[cfg(target_arch = "x86_64")]
        match avx2_kernel() {
            Some(kernel) => kernels.push(("avx2", kernel)),
            None => eprintln!("this CPU lacks AVX2: the AVX2 kernel is not tested"),
        }
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        kernels.push(("simd128", fast_path_simd128));
        kernels
    }

    /// The block sampler, with every kernel, equals the sequential loop over
    /// `Tables::sample` bit for bit: for lengths around the buffer's and the kernels'
    /// widths and a long one, for scales from tiny to huge, and on streams whose slow paths
    /// (wedge rejections and tail draws) are exercised, which the test counts.
    #[test]
    fn block_sampler_equals_the_sequential_sampler_bit_for_bit() {
        let tables = tables();
        let lengths = [
            0,
            1,
            2,
            3,
            4,
            5,
            7,
            8,
            9,
            15,
            16,
            17,
            33,
            BLOCK - 1,
            BLOCK,
            BLOCK + 1,
            2 * BLOCK - 1,
            2 * BLOCK + 3,
            200_003,
        ];
        let scales = [1.0f32, 0.1, -3.5, 1e-40, 3e38];
        let (mut draws, mut words_used, mut tail_draws) = (0usize, 0usize, 0usize);
        for (name, kernel) in kernels() {
            for &len in &lengths {
                let seeds = if len > 10 * BLOCK { 0..3 } else { 0..40 };
                for seed in seeds {
                    let scale = scales[seed as usize % scales.len()];
                    let mut expected = start(seed, len);
                    let mut reference = stream(seed);
                    let mut counted = Counted(&mut reference, 0);
                    for o in expected.iter_mut() {
                        let z = tables.sample(&mut counted);
                        tail_draws += usize::from(z.abs() > 3.654_152_885_361_009);
                        *o += scale * z as f32;
                    }
                    draws += len;
                    words_used += counted.1;
                    let mut got = start(seed, len);
                    add_normals_with(kernel, tables, &mut stream(seed), &mut got, scale);
                    for (i, (a, b)) in expected.iter().zip(&got).enumerate() {
                        assert_eq!(
                            a.to_bits(),
                            b.to_bits(),
                            "kernel {name}, length {len}, seed {seed}, scale {scale}: draw {i} \
                             {b} instead of {a}"
                        );
                    }
                }
            }
        }
        // the slow paths ran: ≈ 1 % of the draws took more than one word, some the tail
        assert!(
            words_used > draws + draws / 200,
            "{words_used} words for {draws} draws"
        );
        assert!(tail_draws > 20, "{tail_draws} tail draws");
    }
}
