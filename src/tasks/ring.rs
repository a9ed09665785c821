//! The ring code shared by Yang et al.'s tasks and both Mod-Cog forms: units at equal
//! angles round a circle, stimuli as Gaussian bumps on it, durations floored to steps.

use crate::math::exp;
use std::f64::consts::PI;

/// Width (radians) of the Gaussian tuning bump (Yang et al.; Mod-Cog's `_gaussianbump`).
pub const BUMP_WIDTH_RAD: f64 = PI / 8.0;
/// Peak of the Gaussian bump before the strength factor.
pub const BUMP_AMPLITUDE: f64 = 0.8;

/// `angle` wrapped into [0, 2π).
pub fn wrap(angle: f64) -> f64 {
    angle.rem_euclid(2.0 * PI)
}

/// Circular distance between two angles, in [0, π].
pub fn circular_distance(a: f64, b: f64) -> f64 {
    let d = wrap(a - b);
    d.min(2.0 * PI - d)
}

/// Angle (radians) of unit `k` on a ring of `n_units` (unit 0 at angle 0).
pub fn unit_angle(k: usize, n_units: usize) -> f64 {
    2.0 * PI * k as f64 / n_units as f64
}

/// The `n_units` values `0.8 · exp(−d²/2) · strength`, d = circular distance from
/// `centre` (radians) / (π/8).
pub fn bump(n_units: usize, centre: f64, strength: f64) -> Vec<f32> {
    (0..n_units)
        .map(|k| {
            let d = circular_distance(centre, unit_angle(k, n_units)) / BUMP_WIDTH_RAD;
            (BUMP_AMPLITUDE * exp(-d * d / 2.0) * strength) as f32
        })
        .collect()
}

/// Whole steps of `ms` at `dt_ms`: `floor(ms / dt)` as the papers' `int(ms / dt)` (a tiny
/// epsilon guards against 14.999…).
pub fn steps(ms: f64, dt_ms: f64) -> usize {
    (ms / dt_ms + 1e-9).floor().max(0.0) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bump_peaks_at_its_centre_and_falls_off_symmetrically_round_the_ring() {
        let b = bump(16, unit_angle(3, 16), 0.5);
        assert_eq!(b[3], 0.4);
        assert_eq!(b[2], b[4]);
        assert_eq!(b[0], b[6]);
        // units 8 and 14 are both 5 units from 3 across the wrap
        assert!((b[14] - b[8]).abs() < 1e-7, "{} {}", b[14], b[8]);
        assert!(b[2] < b[3] && b[1] < b[2]);
    }

    #[test]
    fn steps_floor_with_a_guard_against_rounding_just_below() {
        assert_eq!(steps(300.0, 20.0), 15);
        assert_eq!(steps(0.3 * 1000.0 - 1e-12, 20.0), 15);
        assert_eq!(steps(39.0, 20.0), 1);
        assert_eq!(steps(-5.0, 20.0), 0);
    }
}
