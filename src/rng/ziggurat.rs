//! Marsaglia & Tsang's Ziggurat sampler for N(0, 1) (J. Stat. Softw. 5(8), 2000) with 256
//! layers, one 32-bit word per draw on the fast path (≈ 99 % of draws): 8 bits pick the
//! layer, the other 24 a signed position in it, and the draw is accepted when it falls in
//! the part of the layer that lies under the density. The 8 layer bits and the 24 position
//! bits are disjoint (Doornik 2005: Marsaglia's original reused bits of the position for
//! the layer, which correlates the two).
//!
//! Bit-identical on every platform: the tables are computed once from the project's
//! software [`crate::math::exp`] / [`crate::math::ln`] and IEEE `sqrt`, the fast path is
//! one IEEE multiply and a compare, and the rare wedge (≈ 1 %) and tail (≈ 0.03 %) draws
//! use the same software functions.

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
/// decreasing, x[256] = 0) and the density at them, `f[i] = e^{−x[i]²/2}` (f[256] = 1).
pub struct Tables {
    x: [f64; LAYERS + 1],
    f: [f64; LAYERS + 1],
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
        Tables { x, f }
    })
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
        // the recursion ends where the density reaches 1: x[255] ≈ 0.2152
        assert!(
            (t.x[LAYERS - 1] - 0.215_241_895_984_9).abs() < 1e-9,
            "{}",
            t.x[LAYERS - 1]
        );
    }
}
