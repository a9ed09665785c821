//! Colour maps for heatmaps.

use plotters::style::RGBColor;

/// Sequential map for values in `[0, 1]` (dark blue → teal → yellow, viridis-like).
/// Values outside the range are clamped; NaN maps to the lowest colour.
pub fn sequential(value: f32) -> RGBColor {
    const STOPS: [(f32, [f32; 3]); 5] = [
        (0.00, [68.0, 1.0, 84.0]),
        (0.25, [59.0, 82.0, 139.0]),
        (0.50, [33.0, 145.0, 140.0]),
        (0.75, [94.0, 201.0, 98.0]),
        (1.00, [253.0, 231.0, 37.0]),
    ];
    let v = if value.is_nan() {
        0.0
    } else {
        value.clamp(0.0, 1.0)
    };
    for pair in STOPS.windows(2) {
        let ((lo, a), (hi, b)) = (pair[0], pair[1]);
        if v <= hi {
            return mix(a, b, (v - lo) / (hi - lo));
        }
    }
    mix(STOPS[4].1, STOPS[4].1, 0.0)
}

/// Diverging map for values in `[-1, 1]`: blue (negative) → white (0) → red (positive).
/// Values outside the range are clamped; NaN maps to white.
pub fn diverging(value: f32) -> RGBColor {
    const BLUE: [f32; 3] = [33.0, 102.0, 172.0];
    const WHITE: [f32; 3] = [247.0, 247.0, 247.0];
    const RED: [f32; 3] = [178.0, 24.0, 43.0];
    let v = if value.is_nan() {
        0.0
    } else {
        value.clamp(-1.0, 1.0)
    };
    if v < 0.0 {
        mix(WHITE, BLUE, -v)
    } else {
        mix(WHITE, RED, v)
    }
}

fn mix(a: [f32; 3], b: [f32; 3], t: f32) -> RGBColor {
    let channel = |i: usize| (a[i] + (b[i] - a[i]) * t).round().clamp(0.0, 255.0) as u8;
    RGBColor(channel(0), channel(1), channel(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_hit_their_end_points() {
        assert_eq!(sequential(0.0), RGBColor(68, 1, 84));
        assert_eq!(sequential(1.0), RGBColor(253, 231, 37));
        assert_eq!(sequential(7.0), sequential(1.0));
        assert_eq!(diverging(0.0), RGBColor(247, 247, 247));
        assert_eq!(diverging(-1.0), RGBColor(33, 102, 172));
        assert_eq!(diverging(f32::NAN), diverging(0.0));
    }
}
