//! Seeded random numbers. Every random draw of the simulator comes from a [`SimRng`] built
//! from an explicit seed; the generator (ChaCha12 via `rand::rngs::StdRng`) and the two
//! normal samplers give the same stream natively and in wasm: [`SimRng::normal`]
//! (Marsaglia's polar method on [`crate::math::ln`], f64, for initialisations and
//! analyses) and [`SimRng::add_normals`] (a Ziggurat, [`ziggurat`], on the 32-bit words of
//! a xoshiro256++ stream seeded from this one, [`xoshiro`], for the millions of f32 noise
//! draws of a training step).

use rand::{Rng, SeedableRng};

pub mod xoshiro;
pub mod ziggurat;
pub mod ziggurat_block;

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

    /// Add `scale` · z to every element of `out`, z ~ N(0, 1) i.i.d., in order, drawn by
    /// the Ziggurat sampler ([`ziggurat`]: one 32-bit word per draw on its fast path, no
    /// logarithm; z is rounded to f32 before the product) from the words of a
    /// [`xoshiro::Xoshiro256PlusPlus`] stream seeded with four 64-bit words of this stream
    /// (one seeding per call: call it once per block). Not [`SimRng::normal`]'s stream.
    /// Computed over blocks of buffered words ([`ziggurat_block`]), bit for bit the
    /// sequential `*o += scale * tables.sample(&mut words) as f32` for each element.
    pub fn add_normals(&mut self, out: &mut [f32], scale: f32) {
        let mut words = xoshiro::Xoshiro256PlusPlus::seeded_from(&mut self.inner);
        ziggurat_block::add_normals(ziggurat::tables(), &mut words, out, scale);
    }

    /// The raw ChaCha12 generator of this stream (its 32/64-bit words), for benchmarks of
    /// samplers on it.
    pub fn chacha_words(&mut self) -> &mut rand::rngs::StdRng {
        &mut self.inner
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
pub(crate) mod tests {
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

    /// Standard normal CDF, through erfc (Numerical Recipes' Chebyshev fit, fractional
    /// error < 1.2e-7: far below the KS statistic's resolution at 1e6 draws).
    fn normal_cdf(x: f64) -> f64 {
        let z = x.abs() / std::f64::consts::SQRT_2;
        let t = 1.0 / (1.0 + 0.5 * z);
        let poly = -z * z - 1.265_512_23
            + t * (1.000_023_68
                + t * (0.374_091_96
                    + t * (0.096_784_18
                        + t * (-0.186_288_06
                            + t * (0.278_868_07
                                + t * (-1.135_203_98
                                    + t * (1.488_515_87
                                        + t * (-0.822_152_23 + t * 0.170_872_77))))))));
        let erfc = t * poly.exp();
        if x >= 0.0 {
            1.0 - 0.5 * erfc
        } else {
            0.5 * erfc
        }
    }

    /// Why `xs` is not a N(0, 1) sample, if it is not: mean, variance, skewness and excess
    /// kurtosis each beyond 5 standard errors, the number of draws beyond ±2, ±3, ±4 (the
    /// tails) more than 5 binomial standard deviations from n·2Φ(−c), or the
    /// Kolmogorov-Smirnov statistic √n·D beyond 1.95 (p ≈ 0.001).
    pub(crate) fn not_standard_normal(xs: &mut [f64]) -> Option<String> {
        let n = xs.len() as f64;
        for c in [2.0, 3.0, 4.0] {
            let beyond = xs.iter().filter(|x| x.abs() > c).count() as f64;
            let p = 2.0 * normal_cdf(-c);
            let sd = (n * p * (1.0 - p)).sqrt();
            if (beyond - n * p).abs() > 5.0 * sd {
                return Some(format!("{beyond} draws beyond ±{c}, expected {}", n * p));
            }
        }
        let mean = xs.iter().sum::<f64>() / n;
        let moment = |k: i32| xs.iter().map(|x| (x - mean).powi(k)).sum::<f64>() / n;
        let var = moment(2);
        let skew = moment(3) / var.powf(1.5);
        let kurtosis = moment(4) / (var * var) - 3.0;
        xs.sort_by(|a, b| a.total_cmp(b));
        let d = xs
            .iter()
            .enumerate()
            .map(|(i, &x)| {
                let c = normal_cdf(x);
                (c - i as f64 / n).max((i + 1) as f64 / n - c)
            })
            .fold(0.0, f64::max);
        let ks = d * n.sqrt();
        let checks = [
            ("mean", mean, 0.0, (1.0 / n).sqrt()),
            ("variance", var, 1.0, (2.0 / n).sqrt()),
            ("skewness", skew, 0.0, (6.0 / n).sqrt()),
            ("excess kurtosis", kurtosis, 0.0, (24.0 / n).sqrt()),
        ];
        for (name, value, expected, standard_error) in checks {
            if (value - expected).abs() > 5.0 * standard_error {
                return Some(format!(
                    "{name} {value} (expected {expected} ± {standard_error})"
                ));
            }
        }
        (ks > 1.95).then(|| format!("KS √n·D = {ks} > 1.95"))
    }

    const DRAWS: usize = 1_000_000;

    fn ziggurat_draws(seed: u64) -> Vec<f64> {
        let mut out = vec![0.0f32; DRAWS];
        SimRng::derived(seed, "noise").add_normals(&mut out, 1.0);
        out.into_iter().map(f64::from).collect()
    }

    #[test]
    fn ziggurat_noise_is_standard_normal() {
        for seed in [1, 2] {
            let mut xs = ziggurat_draws(seed);
            // beyond the Ziggurat's tail start R = 3.654 (the tail code path): 2 Φ(−R)
            let beyond = xs
                .iter()
                .filter(|x| x.abs() > 3.654_152_885_361_009)
                .count() as f64;
            let expected = 2.0 * normal_cdf(-3.654_152_885_361_009) * DRAWS as f64;
            assert!(
                (beyond - expected).abs() < 5.0 * expected.sqrt(),
                "seed {seed}: {beyond} draws beyond R, expected {expected}"
            );
            if let Some(why) = not_standard_normal(&mut xs) {
                panic!("seed {seed}: {why}");
            }
        }
    }

    #[test]
    fn the_normality_check_accepts_the_polar_sampler_and_rejects_near_normals() {
        let mut rng = SimRng::new(3);
        let polar: Vec<f64> = (0..DRAWS).map(|_| rng.normal()).collect();
        assert_eq!(not_standard_normal(&mut polar.clone()), None);
        // 1 % too wide
        let mut wide: Vec<f64> = polar.iter().map(|x| 1.01 * x).collect();
        assert!(not_standard_normal(&mut wide).is_some());
        // shifted by 0.01
        let mut shifted: Vec<f64> = polar.iter().map(|x| x + 0.01).collect();
        assert!(not_standard_normal(&mut shifted).is_some());
        // a logistic with unit variance (heavier tails, same mean and variance)
        let scale = 3f64.sqrt() / std::f64::consts::PI;
        let mut logistic: Vec<f64> = (0..DRAWS)
            .map(|_| {
                let u = rng.uniform().max(1e-300);
                scale * (u / (1.0 - u)).ln()
            })
            .collect();
        assert!(not_standard_normal(&mut logistic).is_some());
        // the Ziggurat's layers without their wedges and tail (accept every draw of a
        // layer's rectangle): nothing beyond the base layer's width 3.91
        let tables = ziggurat::tables();
        let mut words = SimRng::new(4);
        let mut boxes: Vec<f64> = (0..DRAWS)
            .map(|_| tables.sample_without_wedges(&mut words.inner))
            .collect();
        assert!(not_standard_normal(&mut boxes).is_some());
    }

    #[test]
    fn sample_distinct_has_no_duplicates() {
        let mut rng = SimRng::new(1);
        let mut picked = rng.sample_distinct(50, 50);
        picked.sort_unstable();
        assert_eq!(picked, (0..50).collect::<Vec<_>>());
    }
}
