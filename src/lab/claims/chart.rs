//! Chart helpers shared by the paper modules.

use crate::plot::{Chart, Series};

/// A line series with markers.
pub fn series(label: &str, points: Vec<(f64, f64)>) -> Series {
    Series {
        label: label.into(),
        points,
        markers: true,
        line: true,
    }
}

/// A chart.
pub fn chart(title: &str, x: &str, y: &str, series: Vec<Series>) -> Chart {
    Chart {
        title: title.into(),
        x_label: x.into(),
        y_label: y.into(),
        y_range: None,
        series,
    }
}
