//! The word generator of the recurrent noise: xoshiro256++ (Blackman & Vigna 2019), seeded
//! from the simulator's ChaCha12 stream for each block of noise. ChaCha12 costs 22–32 ns per
//! 32-bit word in wasm (no SIMD backend for wasm32 in `rand_chacha`; measured in headless
//! Chromium, 2026-12-03), which made the words, not the Ziggurat, the noise's cost there;
//! xoshiro256++ is four 64-bit adds, shifts, rotations and xors per word (integer only:
//! the same bits on every platform) and passes BigCrush.

use rand::RngCore;

/// A xoshiro256++ stream; [`RngCore::next_u32`] is the high half of each 64-bit output.
#[derive(Clone)]
pub struct Xoshiro256PlusPlus {
    s: [u64; 4],
}

impl Xoshiro256PlusPlus {
    /// A stream seeded with four words of `seeder` (never the all-zero state).
    pub fn seeded_from<R: RngCore + ?Sized>(seeder: &mut R) -> Self {
        let mut s = [0u64; 4];
        s.iter_mut().for_each(|w| *w = seeder.next_u64());
        if s == [0; 4] {
            s[0] = 0x9e37_79b9_7f4a_7c15;
        }
        Xoshiro256PlusPlus { s }
    }

    /// Fill `words` with the stream's next `words.len()` 32-bit words ([`RngCore::next_u32`]
    /// each), the state held in locals for the loop (one serial chain of register
    /// operations, not a load and a store of the state per word).
    pub fn fill_words(&mut self, words: &mut [u32]) {
        let mut state = Xoshiro256PlusPlus { s: self.s };
        for word in words.iter_mut() {
            *word = state.next_u32();
        }
        self.s = state.s;
    }
}

impl RngCore for Xoshiro256PlusPlus {
    #[inline]
    fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    #[inline]
    fn next_u32(&mut self) -> u32 {
        (self.next_u64() >> 32) as u32
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for chunk in dest.chunks_mut(8) {
            let bytes = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference implementation's first outputs (Vigna's xoshiro256plusplus.c) from
    /// the state {1, 2, 3, 4}.
    #[test]
    fn matches_the_reference_outputs() {
        let mut x = Xoshiro256PlusPlus { s: [1, 2, 3, 4] };
        let first: Vec<u64> = (0..4).map(|_| x.next_u64()).collect();
        assert_eq!(
            first,
            [
                41_943_041,
                58_720_359,
                3_588_806_011_781_223,
                3_591_011_842_654_386
            ]
        );
    }
}
