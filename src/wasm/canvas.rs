//! The page's drawing backend: `plotters-canvas`'s `CanvasBackend` for everything but
//! bitmaps, which it would draw as one `fillRect` per pixel (plotters' default
//! `blit_bitmap`) and which this backend puts with one `putImageData`. The plots draw
//! their heatmaps as bitmaps ([`crate::plot::cell_pixels`]), so a 256 × 256 weight
//! matrix costs one call instead of tens of thousands. Text is measured with the
//! canvas's `measureText` instead of a `<span>` laid out in the document.

use plotters::prelude::*;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

/// A `<canvas>` as a plotters backend (see the module doc).
pub struct Canvas {
    inner: CanvasBackend,
    context: CanvasRenderingContext2d,
}

impl Canvas {
    /// The `<canvas>` element with id `id`, or `None` if there is none (or it has no 2-D
    /// context).
    pub fn new(id: &str) -> Option<Self> {
        let document = web_sys::window()?.document()?;
        let canvas: HtmlCanvasElement = document.get_element_by_id(id)?.dyn_into().ok()?;
        let context: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
        let inner = CanvasBackend::with_canvas_object(canvas)?;
        Some(Canvas { inner, context })
    }
}

/// A failed canvas call (its JS exception or `plotters-canvas`'s error, as text).
#[derive(Debug)]
pub struct CanvasError(String);

impl std::fmt::Display for CanvasError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "canvas: {}", self.0)
    }
}

impl std::error::Error for CanvasError {}

type Drawn = Result<(), DrawingErrorKind<CanvasError>>;

/// `plotters-canvas`'s result with its (unnamed) error type as a [`CanvasError`].
fn lift<T, E: std::error::Error + Send + Sync>(
    result: Result<T, DrawingErrorKind<E>>,
) -> Result<T, DrawingErrorKind<CanvasError>> {
    result.map_err(|error| match error {
        DrawingErrorKind::DrawingError(e) => {
            DrawingErrorKind::DrawingError(CanvasError(e.to_string()))
        }
        DrawingErrorKind::FontError(e) => DrawingErrorKind::FontError(e),
    })
}

impl DrawingBackend for Canvas {
    type ErrorType = CanvasError;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Drawn {
        lift(self.inner.ensure_prepared())
    }

    fn present(&mut self) -> Drawn {
        lift(self.inner.present())
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Drawn {
        lift(self.inner.draw_pixel(point, color))
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Drawn {
        lift(self.inner.draw_line(from, to, style))
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Drawn {
        lift(self.inner.draw_rect(upper_left, bottom_right, style, fill))
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawn {
        lift(self.inner.draw_path(path, style))
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Drawn {
        lift(self.inner.draw_circle(center, radius, style, fill))
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Drawn {
        lift(self.inner.fill_polygon(vert, style))
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Drawn {
        lift(self.inner.draw_text(text, style, pos))
    }

    /// The text's advance width and its font's ascent + descent, from the canvas's own
    /// `measureText` (plotters' default measures a `<span>` added to the document, which
    /// forces a layout of the page for every label).
    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<CanvasError>> {
        self.context.set_font(&format!(
            "{} {}px {}",
            style.style().as_str(),
            style.size(),
            style.family().as_str(),
        ));
        let metrics = self.context.measure_text(text).map_err(canvas_error)?;
        let height = metrics.font_bounding_box_ascent() + metrics.font_bounding_box_descent();
        Ok((metrics.width().ceil() as u32, height.ceil() as u32))
    }

    /// `src`: RGB bytes, row-major (plotters' bitmap format), put opaque at `pos`.
    fn blit_bitmap(&mut self, pos: BackendCoord, (width, height): (u32, u32), src: &[u8]) -> Drawn {
        let pixels = width as usize * height as usize;
        if pixels == 0 || src.len() < pixels * 3 {
            return Ok(());
        }
        let mut rgba = vec![255u8; pixels * 4];
        for (to, from) in rgba.chunks_exact_mut(4).zip(src.chunks_exact(3)) {
            to[..3].copy_from_slice(from);
        }
        let image = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&rgba), width, height)
            .map_err(canvas_error)?;
        self.context
            .put_image_data(&image, f64::from(pos.0), f64::from(pos.1))
            .map_err(canvas_error)
    }
}

/// A JS exception of the canvas API as the backend's error.
fn canvas_error(error: wasm_bindgen::JsValue) -> DrawingErrorKind<CanvasError> {
    let text = js_sys::JSON::stringify(&error)
        .map(String::from)
        .unwrap_or_else(|_| "unknown canvas error".to_string());
    DrawingErrorKind::DrawingError(CanvasError(text))
}
