//! Marsaglia & Tsang's Ziggurat sampler for N(0, 1) (J. Stat. Softw. 5(8), 2000) with 256
//! layers, one 32-bit word per draw on the fast path (≈ 99 % of draws): 8 bits pick the
//! layer, the other 24 a signed position in it, and the draw is accepted when it falls in
//! the part of the layer that lies under the density. The 8 layer bits and the 24 position
//! bits are disjoint (Doornik 2005: Marsaglia's original reused bits of the position for
//! the layer, which correlates the two).
//!
//! Bit-identical on every platform: the tables are computed once from the project's
//! software [`crate::math::exp`] / [`crate::math::ln`] and IEEE `sqrt`, the fast path is
//! one IEEE multiply and a compare, and the rare wedge (≈ 1.5 %) and tail (≈ 0.03 %) draws
//! use the same software functions ([`Tables::beyond_rectangle`], the block sampler's
//! slow path, calls the exponential only near the wedge's curve: same outcome).

use rand::RngCore;
use std::sync::OnceLock;

/// Number of layers.
const LAYERS: usize = 256;
/// Where the tail begins: the base layer is the rectangle [0, R] × [0, f(R)] plus the tail
/// beyond R (Marsaglia & Tsang's r for 256 layers).
const R: f64 = 3.654_152_885_361_009;
/// Area of every layer, R f(R) + ∫_R^∞ f, for the unnormalised density f(x) = e^{−x²/2}
/// (computed to 40 digits with mpmath; the recursion below then closes the top layer to
/// 2e-15).
const V: f64 = 0.004_928_673_233_974_654_5;
/// 2^-23: a 24-bit signed position in [−1, 1).
const POSITION_SCALE: f64 = 1.0 / (1u32 << 23) as f64;
/// 2^-32: a 32-bit word as a uniform in (0, 1) (with the half-step offset).
const WORD_SCALE: f64 = 1.0 / 4_294_967_296.0;

/// The layer edges `x[i]` (x[0] = V / f(R) the base layer's virtual width, x[1] = R, …,
/// decreasing, x[256] = 0) and the density at them, `f[i] = e^{−x[i]²/2}` (f[256] = 1);
/// and the fast path's integer form of them ([`Tables::inside_rectangle`]).
pub struct Tables {
    x: [f64; LAYERS + 1],
    f: [f64; LAYERS + 1],
    /// `x[i]` · 2^-23 (exact: a power-of-two scaling of a normal number).
    scaled_x: [f64; LAYERS],
    /// The positions a layer's rectangle accepts, as magnitudes of the signed 24-bit
    /// integer: |m| < `accept_below[i]` exactly when |m · 2^-23 · x[i]| < x[i + 1].
    accept_below: [u32; LAYERS],
}

fn density(x: f64) -> f64 {
    crate::math::exp(-0.5 * x * x)
}

/// The tables, computed on first use (the same bits on every platform).
pub fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut x = [0.0f64; LAYERS + 1];
        let mut f = [0.0f64; LAYERS + 1];
        x[0] = V / density(R);
        x[1] = R;
        for i in 2..LAYERS {
            // the next edge up: the layer below it has area V
            x[i] = crate::math::sqrt(-2.0 * crate::math::ln(density(x[i - 1]) + V / x[i - 1]));
        }
        x[LAYERS] = 0.0;
        for i in 0..LAYERS {
            f[i] = density(x[i]);
        }
        f[LAYERS] = 1.0;
        let scaled_x = std::array::from_fn(|i| x[i] * POSITION_SCALE);
        let accept_below = std::array::from_fn(|i| first_outside(&x, i));
        Tables {
            x,
            f,
            scaled_x,
            accept_below,
        }
    })
}

/// The smallest position magnitude a (a signed 24-bit integer's |m|, 0..=2^23) that
/// [`Tables::sample`]'s fast-path test rejects in layer `layer`, 2^23 + 1 if none: the
/// test |(a · 2^-23) · x[layer]| < x[layer + 1] is monotone in a (a rounded product of
/// a nonnegative increasing factor and a constant), so it accepts exactly a < this bound,
/// found by bisection on the test itself.
fn first_outside(x: &[f64; LAYERS + 1], layer: usize) -> u32 {
    let inside = |a: u32| (a as f64 * POSITION_SCALE * x[layer]).abs() < x[layer + 1];
    // invariant: inside(a) for every a < low; high = 2^23 + 1 or !inside(high)
    let (mut low, mut high) = (0u32, (1u32 << 23) + 1);
    while low < high {
        let mid = low + (high - low) / 2;
        if inside(mid) {
            low = mid + 1;
        } else {
            high = mid;
        }
    }
    low
}

/// A 32-bit word as a uniform in (0, 1), never 0 (so its logarithm is finite).
fn open_uniform(word: u32) -> f64 {
    (word as f64 + 0.5) * WORD_SCALE
}

impl Tables {
    /// One N(0, 1) draw from the words of `rng`.
    #[inline]
    pub fn sample<R: RngCore + ?Sized>(&self, rng: &mut R) -> f64 {
        loop {
            let word = rng.next_u32();
            let layer = (word & 0xff) as usize;
            // bits 8..32 as a signed position in [−1, 1)
            let position = ((word >> 8) as i32 - (1 << 23)) as f64 * POSITION_SCALE;
            let x = position * self.x[layer];
            if x.abs() < self.x[layer + 1] {
                return x;
            }
            if layer == 0 {
                return self.tail(rng, position < 0.0);
            }
            let height =
                self.f[layer] + (self.f[layer + 1] - self.f[layer]) * open_uniform(rng.next_u32());
            if height < density(x) {
                return x;
            }
        }
    }

    /// The rest of a draw whose first word, `word`, missed its layer's rectangle (the fast
    /// path's test in [`Tables::sample`]), on the words of `rng` after it, with
    /// [`Tables::sample`]'s outcome: the tail's draw (base layer), the wedge's x when the
    /// next word puts it under the density, or `None` when it does not (the draw starts
    /// over on the following words). The wedge test is `Tables::under_density`.
    #[inline(never)]
    pub fn beyond_rectangle<R: RngCore + ?Sized>(&self, word: u32, rng: &mut R) -> Option<f64> {
        let layer = (word & 0xff) as usize;
        let position = ((word >> 8) as i32 - (1 << 23)) as f64 * POSITION_SCALE;
        if layer == 0 {
            return Some(self.tail(rng, position < 0.0));
        }
        let x = position * self.x[layer];
        let height =
            self.f[layer] + (self.f[layer + 1] - self.f[layer]) * open_uniform(rng.next_u32());
        self.under_density(layer, x, height).then_some(x)
    }

    /// `height < density(x)` ([`Tables::sample`]'s wedge test) for a wedge point of layer
    /// `layer` (x[layer + 1] ≤ |x| ≤ x[layer]), mostly without the software exponential:
    /// density(x) = f[layer + 1] · e^{−t} with t = (x² − x[layer + 1]²)/2 ≥ 0, and
    /// 1 − t + t²/2 − t³/6 ≤ e^{−t} ≤ 1 − t + t²/2 for t ≥ 0, so a height below the
    /// lower bound is under the density and one above the upper bound is not. Both bounds
    /// are widened by 10^-12 · f[layer + 1], a million times the rounding errors of the
    /// bounds, of `density` (a few ulps) and of the table's f[layer + 1]; only heights
    /// within them (a fraction ≈ t³/6 of a wedge's, ≤ 10^-3) call `density`. The outcome is
    /// that of `height < density(x)` for every input.
    #[inline]
    fn under_density(&self, layer: usize, x: f64, height: f64) -> bool {
        let edge = self.x[layer + 1];
        let top = self.f[layer + 1];
        let t = 0.5 * (x * x - edge * edge);
        let upper = 1.0 - t * (1.0 - 0.5 * t);
        let lower = upper - t * t * t * (1.0 / 6.0);
        let margin = 1e-12 * top;
        if height < top * lower - margin {
            return true;
        }
        if height > top * upper + margin {
            return false;
        }
        height < density(x)
    }

    /// [`Tables::sample`]'s fast path on one word, in integers where it can be: the draw
    /// `position · x[layer]` (the same f64, as `m · (x[layer] · 2^-23)`) when the word's
    /// position lies inside its layer's rectangle (|m| < [`Tables::accept_below`]'s bound,
    /// the same test), else `None` (then [`Tables::beyond_rectangle`]).
    #[inline(always)]
    pub fn inside_rectangle(&self, word: u32) -> Option<f64> {
        let layer = (word & 0xff) as usize;
        let m = (word >> 8) as i32 - (1 << 23);
        (m.unsigned_abs() < self.accept_below[layer]).then(|| m as f64 * self.scaled_x[layer])
    }

    /// Per layer, the position magnitudes |m| (signed 24-bit integer) its rectangle
    /// accepts: |m| < bound (see [`Tables::inside_rectangle`]).
    pub fn accept_below(&self) -> &[u32; LAYERS] {
        &self.accept_below
    }

    /// Per layer, the layer's width `x[i]` times 2^-23 (the position's scale).
    pub fn scaled_x(&self) -> &[f64; LAYERS] {
        &self.scaled_x
    }

    /// A wrong sampler for the tests of the normality check: the layers' rectangles
    /// without the wedge and tail rejections.
    #[cfg(test)]
    pub(crate) fn sample_without_wedges<R: RngCore + ?Sized>(&self, rng: &mut R) -> f64 {
        let word = rng.next_u32();
        let position = ((word >> 8) as i32 - (1 << 23)) as f64 * POSITION_SCALE;
        position * self.x[(word & 0xff) as usize]
    }

    /// A draw from the tail beyond R (Marsaglia 1964), negative when `negative`.
    #[cold]
    fn tail<R: RngCore + ?Sized>(&self, rng: &mut R, negative: bool) -> f64 {
        loop {
            let a = -crate::math::ln(open_uniform(rng.next_u32())) / R;
            let b = -crate::math::ln(open_uniform(rng.next_u32()));
            if 2.0 * b >= a * a {
                let x = R + a;
                return if negative { -x } else { x };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_layer_has_the_same_area_and_the_top_one_closes() {
        let t = tables();
        assert_eq!(t.x[1], R);
        // the base layer: the rectangle [0, x[0]] × [0, f(R)] has the area of the base
        // rectangle [0, R] × [0, f(R)] plus the tail
        assert!((t.x[0] * t.f[1] - V).abs() < 1e-15, "base layer");
        for i in 1..LAYERS {
            assert!(t.x[i] > t.x[i + 1], "edges decrease at {i}");
            let area = t.x[i] * (t.f[i + 1] - t.f[i]);
            assert!((area - V).abs() < 1e-9 * V, "layer {i}: area {area}");
        }
        // the top layer's rectangle is empty (x[256] = 0): all its draws are wedge draws
        assert_eq!(t.accept_below[LAYERS - 1], 0);
        // the recursion ends where the density reaches 1: x[255] ≈ 0.2152
        assert!(
            (t.x[LAYERS - 1] - 0.215_241_895_984_9).abs() < 1e-9,
            "{}",
            t.x[LAYERS - 1]
        );
    }

    /// The fast path's integer test selects exactly the positions the f64 test accepts, at
    /// every layer's bound and on a million random words, and its draw is the same f64.
    #[test]
    fn the_integer_fast_path_is_the_f64_fast_path() {
        let t = tables();
        let f64_test = |word: u32| {
            let layer = (word & 0xff) as usize;
            let position = ((word >> 8) as i32 - (1 << 23)) as f64 * POSITION_SCALE;
            let x = position * t.x[layer];
            (x.abs() < t.x[layer + 1]).then_some(x)
        };
        let same = |word: u32| {
            let (a, b) = (f64_test(word), t.inside_rectangle(word));
            assert_eq!(a.map(f64::to_bits), b.map(f64::to_bits), "word {word:#x}");
        };
        for layer in 0..LAYERS as u32 {
            let bound = t.accept_below[layer as usize] as i64;
            // |m| = bound − 1 and bound, both signs (m = −2^23 … 2^23 − 1)
            for m in [
                bound - 1,
                bound,
                -bound,
                1 - bound,
                0,
                (1 << 23) - 1,
                -(1 << 23),
            ] {
                if (-(1 << 23)..1 << 23).contains(&m) {
                    same((((m + (1 << 23)) as u32) << 8) | layer);
                }
            }
        }
        let mut words = crate::rng::SimRng::new(11);
        let mut inside = 0;
        for _ in 0..1_000_000 {
            let word = words.chacha_words().next_u32();
            same(word);
            inside += usize::from(f64_test(word).is_some());
        }
        // the rectangles hold ≈ 98.5 % of the draws
        assert!((980_000..995_000).contains(&inside), "{inside} inside");
    }

    /// The wedge test without the exponential decides as `height < density(x)` on two
    /// million wedge points (random words outside their layer's rectangle, random heights)
    /// and on heights at the density's value and a few ulps either side.
    #[test]
    fn the_wedge_shortcut_is_the_density_test() {
        let t = tables();
        let mut words = crate::rng::SimRng::new(12);
        let (mut wedge_points, mut exp_calls) = (0usize, 0usize);
        while wedge_points < 2_000_000 {
            let word = words.chacha_words().next_u32();
            let layer = (word & 0xff) as usize;
            if layer == 0 || t.inside_rectangle(word).is_some() {
                continue;
            }
            let position = ((word >> 8) as i32 - (1 << 23)) as f64 * POSITION_SCALE;
            let x = position * t.x[layer];
            let u = open_uniform(words.chacha_words().next_u32());
            let height = t.f[layer] + (t.f[layer + 1] - t.f[layer]) * u;
            assert_eq!(
                t.under_density(layer, x, height),
                height < density(x),
                "layer {layer}, x {x}, height {height}"
            );
            wedge_points += 1;
            let exact = density(x);
            for h in [
                exact,
                f64::from_bits(exact.to_bits() - 3),
                f64::from_bits(exact.to_bits() + 3),
            ] {
                assert_eq!(
                    t.under_density(layer, x, h),
                    h < exact,
                    "layer {layer}, x {x}"
                );
            }
            let top = t.f[layer + 1];
            let d = 0.5 * (x * x - t.x[layer + 1] * t.x[layer + 1]);
            let near = top * (d * d * d / 6.0) + 2e-12 * top;
            exp_calls += usize::from((height - exact).abs() < near);
        }
        // the exponential is rarely needed
        assert!(
            exp_calls < wedge_points / 100,
            "{exp_calls} of {wedge_points}"
        );
    }
}
