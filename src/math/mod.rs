//! Deterministic elementary functions.
//!
//! `f64::exp`, `ln`, `tanh`, `cos` come from the platform's libm natively (glibc) and from a
//! Rust port in wasm; they may differ in the last bit. Every transcendental function used by
//! the simulator goes through this module instead, built only from IEEE-exact `+ - * /` and
//! bit manipulation, so a seeded run gives bit-identical numbers natively and in wasm.
//! Accuracy is about 1e-15 relative (f64), far below what f32 training can see.
//!
//! [`eigen`] holds the dense eigenvalue solver (Householder + Francis QR) that both the
//! model (exact spectral-radius scaling) and the analyses use; [`ridge`] the closed-form
//! ridge readout (normal equations, Cholesky via `nalgebra`); [`arnoldi`] the spectral
//! radius of a large sparse matrix by the restarted Arnoldi iteration (no dense solve);
//! [`fnv`] the FNV-1a hash of the fingerprints.

pub mod arnoldi;
pub mod eigen;
pub mod fnv;
pub mod ridge;
pub mod stats;

pub use arnoldi::{arnoldi_radius, ArnoldiRadius};
pub use eigen::{eigenvalues, spectral_radius, Eigenvalue};
pub use ridge::Gram;

const LN2: f64 = std::f64::consts::LN_2;

/// e^x, accurate to a few ulp for |x| < 708; saturates to 0 / +inf outside.
pub fn exp(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    if x > 709.0 {
        return f64::INFINITY;
    }
    if x < -745.0 {
        return 0.0;
    }
    // x = k ln2 + r, |r| <= ln2 / 2; k rounded by the 1.5·2^52 trick (pure IEEE addition,
    // no libm `round`, identical on every platform).
    const ROUNDER: f64 = 6_755_399_441_055_744.0;
    let k = (x * std::f64::consts::LOG2_E + ROUNDER) - ROUNDER;
    // Cody-Waite: ln2 split so that k * LN2_HI is exact
    const LN2_HI: f64 = 6.931_471_803_691_238e-1;
    const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
    let r = (x - k * LN2_HI) - k * LN2_LO;
    // Taylor polynomial of e^r to degree 12 in Horner form (|r| < 0.35: error < 2e-16).
    const C: [f64; 13] = [
        1.0,
        1.0,
        1.0 / 2.0,
        1.0 / 6.0,
        1.0 / 24.0,
        1.0 / 120.0,
        1.0 / 720.0,
        1.0 / 5040.0,
        1.0 / 40320.0,
        1.0 / 362_880.0,
        1.0 / 3_628_800.0,
        1.0 / 39_916_800.0,
        1.0 / 479_001_600.0,
    ];
    let mut poly = C[12];
    for c in C[..12].iter().rev() {
        poly = poly * r + c;
    }
    scale_by_power_of_two(poly, k as i32)
}

/// Natural logarithm for x > 0 (NaN for x < 0 or NaN, -inf for 0).
pub fn ln(x: f64) -> f64 {
    if x.is_nan() || x < 0.0 {
        return f64::NAN;
    }
    if x == 0.0 {
        return f64::NEG_INFINITY;
    }
    if x.is_infinite() {
        return x;
    }
    let (mut mantissa, mut exponent) = frexp(x);
    // mantissa in [0.5, 1): move it to [sqrt(1/2), sqrt(2)).
    if mantissa < std::f64::consts::FRAC_1_SQRT_2 {
        mantissa *= 2.0;
        exponent -= 1;
    }
    let s = (mantissa - 1.0) / (mantissa + 1.0);
    let s2 = s * s;
    // ln(m) = 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...), |s| < 0.172.
    let mut power = s;
    let mut sum = 0.0;
    let mut n = 1.0;
    while n < 30.0 {
        sum += power / n;
        power *= s2;
        n += 2.0;
    }
    2.0 * sum + exponent as f64 * LN2
}

/// Hyperbolic tangent.
pub fn tanh(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    if x > 20.0 {
        return 1.0;
    }
    if x < -20.0 {
        return -1.0;
    }
    if x.abs() < 1e-4 {
        // avoid cancellation: tanh x = x - x^3/3 + 2x^5/15
        let x2 = x * x;
        return x * (1.0 - x2 / 3.0 + 2.0 * x2 * x2 / 15.0);
    }
    let e = exp(2.0 * x);
    (e - 1.0) / (e + 1.0)
}

/// ln(1 + e^x), computed without overflow.
pub fn softplus(x: f64) -> f64 {
    if x > 30.0 {
        x
    } else if x < -30.0 {
        exp(x)
    } else {
        ln(1.0 + exp(x))
    }
}

/// Logistic sigmoid 1 / (1 + e^-x).
pub fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + exp(-x))
}

/// cos(x) by reduction to [-pi/4, pi/4] and Taylor series (accurate for |x| < 1e6).
pub fn cos(x: f64) -> f64 {
    let (quadrant, r) = reduce_quarter_pi(x);
    match quadrant {
        0 => cos_poly(r),
        1 => -sin_poly(r),
        2 => -cos_poly(r),
        _ => sin_poly(r),
    }
}

/// sin(x) by reduction to [-pi/4, pi/4] and Taylor series (accurate for |x| < 1e6).
pub fn sin(x: f64) -> f64 {
    let (quadrant, r) = reduce_quarter_pi(x);
    match quadrant {
        0 => sin_poly(r),
        1 => cos_poly(r),
        2 => -sin_poly(r),
        _ => -cos_poly(r),
    }
}

/// Square root (IEEE-exact on every platform; re-exported for symmetry).
pub fn sqrt(x: f64) -> f64 {
    x.sqrt()
}

fn reduce_quarter_pi(x: f64) -> (u8, f64) {
    let half_pi = std::f64::consts::FRAC_PI_2;
    const ROUNDER: f64 = 6_755_399_441_055_744.0;
    let k = (x / half_pi + ROUNDER) - ROUNDER;
    // two-step Cody-Waite reduction for extra precision
    const PI_2_HI: f64 = std::f64::consts::FRAC_PI_2;
    const PI_2_LO: f64 = 6.123_233_995_736_766e-17;
    let r = (x - k * PI_2_HI) - k * PI_2_LO;
    let quadrant = (k as i64).rem_euclid(4) as u8;
    (quadrant, r)
}

fn sin_poly(r: f64) -> f64 {
    let r2 = r * r;
    let mut term = r;
    let mut sum = r;
    for n in 1..=9 {
        term *= -r2 / ((2 * n) as f64 * (2 * n + 1) as f64);
        sum += term;
    }
    sum
}

fn cos_poly(r: f64) -> f64 {
    let r2 = r * r;
    let mut term = 1.0;
    let mut sum = 1.0;
    for n in 1..=9 {
        term *= -r2 / ((2 * n - 1) as f64 * (2 * n) as f64);
        sum += term;
    }
    sum
}

/// Split x > 0 (finite) into mantissa in [0.5, 1) and exponent with x = m 2^e.
fn frexp(x: f64) -> (f64, i32) {
    let bits = x.to_bits();
    let raw_exponent = ((bits >> 52) & 0x7ff) as i32;
    if raw_exponent == 0 {
        // subnormal: scale up first
        let (m, e) = frexp(x * (1u64 << 54) as f64);
        return (m, e - 54);
    }
    let exponent = raw_exponent - 1022;
    let mantissa_bits = (bits & !(0x7ffu64 << 52)) | (1022u64 << 52);
    (f64::from_bits(mantissa_bits), exponent)
}

/// x * 2^k, exact while the result is normal.
fn scale_by_power_of_two(x: f64, k: i32) -> f64 {
    let mut result = x;
    let mut k = k;
    while k > 1000 {
        result *= f64::from_bits(((1023 + 1000) as u64) << 52);
        k -= 1000;
    }
    while k < -1000 {
        result *= f64::from_bits(((1023 - 1000) as u64) << 52);
        k += 1000;
    }
    result * f64::from_bits(((1023 + k) as u64) << 52)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs().max(1e-300)
    }

    #[test]
    fn exp_and_ln_match_std_closely() {
        for i in -2000..2000 {
            let x = i as f64 * 0.173;
            assert!(
                close(exp(x), x.exp(), 1e-14),
                "exp({x}) = {} vs {}",
                exp(x),
                x.exp()
            );
            let y = (i as f64 * 0.37).abs() + 1e-3;
            assert!(
                (ln(y) - y.ln()).abs() < 1e-14 * y.ln().abs().max(1.0),
                "ln({y})"
            );
        }
        assert_eq!(exp(-800.0), 0.0);
        assert_eq!(exp(800.0), f64::INFINITY);
        assert!(ln(-1.0).is_nan());
        assert!(close(ln(1e-310), (1e-310f64).ln(), 1e-13));
    }

    #[test]
    fn tanh_softplus_sigmoid_match_std() {
        for i in -400..400 {
            let x = i as f64 * 0.05 + 0.001;
            assert!((tanh(x) - x.tanh()).abs() < 1e-14, "tanh({x})");
            assert!(
                close(softplus(x), (1.0 + x.exp()).ln(), 1e-13),
                "softplus({x})"
            );
            assert!((sigmoid(x) - 1.0 / (1.0 + (-x).exp())).abs() < 1e-14);
        }
        assert_eq!(tanh(1e-9), 1e-9);
    }

    #[test]
    fn cos_and_sin_match_std() {
        for i in -1000..1000 {
            let x = i as f64 * 0.0313;
            assert!((cos(x) - x.cos()).abs() < 1e-14, "cos({x})");
            assert!((sin(x) - x.sin()).abs() < 1e-14, "sin({x})");
        }
    }
}
