//! Plots, written against any `plotters` backend (SVG in native tests, HTML canvas in
//! the browser).
