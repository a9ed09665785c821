//! The body of a heatmap — a grid of coloured cells spanning a chart's whole plotting
//! area — drawn as one bitmap (`DrawingBackend::blit_bitmap`) instead of one rectangle
//! per cell.
//!
//! A 256 × 256 weight matrix or a 256-neuron × 200-step activity map is tens of thousands
//! of cells. On the page's canvas backend every rectangle is a colour string formatted in
//! wasm, decoded in JS, a `fillStyle` set and a `fillRect` call: drawing the training
//! plots a few times per second took about a third of a core in headless Chromium
//! (2026-12-05, the Yang preset with two workers), CPU the training workers then lacked.
//! One bitmap costs one call per chart (the page's canvas backend turns it into a single
//! `putImageData`; backends without a bitmap path, e.g. SVG, draw it pixel by pixel).
//!
//! Pixel `(x, y)` of a `width × height` area shows cell `(y · rows / height, x · cols /
//! width)`, the cell whose rectangle (in the chart's linear coordinates) covers the pixel,
//! so the picture is the one the rectangles drew, up to the rounding of cell borders.

use super::plot_error;
use crate::error::Result;
use plotters::coord::CoordTranslate;
use plotters::element::{Drawable, PointCollection};
use plotters::prelude::*;
use plotters_backend::{BackendCoord, DrawingErrorKind};

/// RGB bytes (row-major, 3 per pixel) of a `width × height` picture of a `rows × cols`
/// grid: each pixel takes the colour of its cell, `background` where `colour` gives
/// `None` (or where the grid is empty).
pub fn cell_pixels(
    rows: usize,
    cols: usize,
    width: usize,
    height: usize,
    colour: impl Fn(usize, usize) -> Option<RGBColor>,
    background: RGBColor,
) -> Vec<u8> {
    let rgb = |c: RGBColor| [c.0, c.1, c.2];
    let mut pixels = vec![0u8; width * height * 3];
    if rows == 0 || cols == 0 || width == 0 {
        for px in pixels.chunks_exact_mut(3) {
            px.copy_from_slice(&rgb(background));
        }
        return pixels;
    }
    // each cell's colour once, then each pixel row from its cell row (a pixel row of the
    // same cell row as the previous one is a copy)
    let cells: Vec<[u8; 3]> = (0..rows * cols)
        .map(|k| rgb(colour(k / cols, k % cols).unwrap_or(background)))
        .collect();
    let column_cell: Vec<usize> = (0..width).map(|x| x * cols / width).collect();
    let row_bytes = width * 3;
    let mut previous: Option<usize> = None;
    for y in 0..height {
        let row = y * rows / height;
        let (done, rest) = pixels.split_at_mut(y * row_bytes);
        let line = &mut rest[..row_bytes];
        if previous == Some(row) {
            line.copy_from_slice(&done[(y - 1) * row_bytes..]);
        } else {
            let cell_row = &cells[row * cols..(row + 1) * cols];
            for (px, &j) in line.chunks_exact_mut(3).zip(&column_cell) {
                px.copy_from_slice(&cell_row[j]);
            }
        }
        previous = Some(row);
    }
    pixels
}

/// Draw a `rows × cols` grid of cells (row 0 at the top) over the whole plotting area
/// `plotting` (a chart's [`ChartContext::plotting_area`]) as one bitmap; `None` cells
/// show `background`.
pub(super) fn draw_cells<DB: DrawingBackend, CT: CoordTranslate>(
    plotting: &DrawingArea<DB, CT>,
    rows: usize,
    cols: usize,
    colour: impl Fn(usize, usize) -> Option<RGBColor>,
    background: RGBColor,
) -> Result<()> {
    let (xs, ys) = plotting.get_pixel_range();
    let width = (xs.end - xs.start).max(0) as u32;
    let height = (ys.end - ys.start).max(0) as u32;
    if width == 0 || height == 0 {
        return Ok(());
    }
    let image = CellImage {
        origin: (0, 0),
        width,
        height,
        rgb: cell_pixels(
            rows,
            cols,
            width as usize,
            height as usize,
            colour,
            background,
        ),
    };
    plotting.strip_coord_spec().draw(&image).map_err(plot_error)
}

/// An RGB bitmap placed at `origin` (pixels, relative to the area it is drawn on).
struct CellImage {
    origin: (i32, i32),
    width: u32,
    height: u32,
    rgb: Vec<u8>,
}

impl<'a> PointCollection<'a, (i32, i32)> for &'a CellImage {
    type Point = &'a (i32, i32);
    type IntoIter = std::iter::Once<&'a (i32, i32)>;
    fn point_iter(self) -> Self::IntoIter {
        std::iter::once(&self.origin)
    }
}

impl<DB: DrawingBackend> Drawable<DB> for CellImage {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        mut points: I,
        backend: &mut DB,
        _parent_dim: (u32, u32),
    ) -> std::result::Result<(), DrawingErrorKind<DB::ErrorType>> {
        match points.next() {
            Some(at) => backend.blit_bitmap(at, (self.width, self.height), &self.rgb),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pixel_shows_the_cell_that_covers_it() {
        // 2 × 3 cells on 7 × 4 pixels: rows split 2 + 2, columns 3 + 2 + 2 (x·3/7)
        let colour =
            |i: usize, j: usize| (i, j).ne(&(1, 1)).then_some(RGBColor(i as u8, j as u8, 9));
        let px = cell_pixels(2, 3, 7, 4, colour, WHITE);
        let at = |x: usize, y: usize| {
            [
                px[(y * 7 + x) * 3],
                px[(y * 7 + x) * 3 + 1],
                px[(y * 7 + x) * 3 + 2],
            ]
        };
        for y in 0..4 {
            for x in 0..7 {
                let (i, j) = (y * 2 / 4, x * 3 / 7);
                let want = if (i, j) == (1, 1) {
                    [255, 255, 255]
                } else {
                    [i as u8, j as u8, 9]
                };
                assert_eq!(at(x, y), want, "pixel ({x}, {y})");
            }
        }
        assert_eq!(at(2, 0), [0, 0, 9]);
        assert_eq!(at(3, 0), [0, 1, 9], "column borders at x·cols/width");
        assert_eq!(at(3, 2), [255, 255, 255], "a None cell is background");
    }

    #[test]
    fn an_empty_grid_is_background() {
        let px = cell_pixels(0, 4, 3, 2, |_, _| Some(BLACK), RGBColor(1, 2, 3));
        assert_eq!(px.len(), 18);
        assert!(px.chunks(3).all(|p| p == [1, 2, 3]));
    }
}
