//! Seeded random numbers. Every random draw of the simulator comes from a [`SimRng`] built
//! from an explicit seed; the generator (ChaCha12 via `rand::rngs::StdRng`) and the
//! normal sampler (Marsaglia's polar method on [`crate::math::ln`]) give the same stream
//! natively and in wasm.

use rand::{Rng, SeedableRng};

/// The simulator's random number generator.
#[derive(Debug, Clone)]
pub struct SimRng {
    inner: rand::rngs::StdRng,
    spare_normal: Option<f64>,
}

impl SimRng {
    /// A generator whose whole stream is determined by `seed`.
    pub fn new(seed: u64) -> Self {
        SimRng {
            inner: rand::rngs::StdRng::seed_from_u64(seed),
            spare_normal: None,
        }
    }

    /// An independent generator derived from this seed and a stream label (e.g. "mask",
    /// "init", "noise"), so that changing one use does not shift another's draws.
    pub fn derived(seed: u64, stream: &str) -> Self {
        let mut hash = 0xcbf2_9ce4_8422_2325u64 ^ seed;
        for byte in stream.bytes() {
            hash ^= byte as u64;
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        SimRng::new(hash ^ seed.rotate_left(17))
    }

    /// Uniform on [0, 1).
    pub fn uniform(&mut self) -> f64 {
        self.inner.gen::<f64>()
    }

    /// Uniform on [lo, hi).
    pub fn uniform_in(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.uniform()
    }

    /// Uniform integer in 0..n (n > 0). Sampled as u64 so that 32-bit (wasm32) and
    /// 64-bit targets draw the same stream (`usize` ranges differ between them).
    pub fn below(&mut self, n: usize) -> usize {
        self.inner.gen_range(0..n as u64) as usize
    }

    /// Standard normal N(0, 1).
    pub fn normal(&mut self) -> f64 {
        if let Some(z) = self.spare_normal.take() {
            return z;
        }
        loop {
            let u = 2.0 * self.uniform() - 1.0;
            let v = 2.0 * self.uniform() - 1.0;
            let s = u * u + v * v;
            if s > 0.0 && s < 1.0 {
                let factor = (-2.0 * crate::math::ln(s) / s).sqrt();
                self.spare_normal = Some(v * factor);
                return u * factor;
            }
        }
    }

    /// Bernoulli draw with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.uniform() < p
    }

    /// Pick one element uniformly.
    pub fn choose<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// `k` distinct indices from 0..n (k <= n), in random order (partial Fisher-Yates).
    pub fn sample_distinct(&mut self, n: usize, k: usize) -> Vec<usize> {
        assert!(k <= n, "sample_distinct: k = {k} > n = {n}");
        let mut pool: Vec<usize> = (0..n).collect();
        for i in 0..k {
            let j = i + self.below(n - i);
            pool.swap(i, j);
        }
        pool.truncate(k);
        pool
    }

    /// Shuffle a slice in place.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_and_normal_moments() {
        let mut a = SimRng::new(7);
        let mut b = SimRng::new(7);
        let xs: Vec<f64> = (0..20000).map(|_| a.normal()).collect();
        let ys: Vec<f64> = (0..20000).map(|_| b.normal()).collect();
        assert_eq!(xs, ys);
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / xs.len() as f64;
        assert!(mean.abs() < 0.03, "mean {mean}");
        assert!((var - 1.0).abs() < 0.05, "var {var}");
        assert_ne!(
            SimRng::derived(7, "mask").uniform(),
            SimRng::derived(7, "init").uniform()
        );
    }

    #[test]
    fn sample_distinct_has_no_duplicates() {
        let mut rng = SimRng::new(1);
        let mut picked = rng.sample_distinct(50, 50);
        picked.sort_unstable();
        assert_eq!(picked, (0..50).collect::<Vec<_>>());
    }
}
