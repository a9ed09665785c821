//! Drawing a [`Snapshot`] into HTML canvases through `plotters-canvas`.

use crate::plot::{self, Snapshot};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use serde::Deserialize;
use wasm_bindgen::prelude::*;

/// Ids of the `<canvas>` elements to draw into; a missing key skips that plot.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CanvasIds {
    /// Loss curve (log y).
    pub loss: Option<String>,
    /// Accuracy curves.
    pub accuracy: Option<String>,
    /// Activity heatmap of one trial.
    pub activity: Option<String>,
    /// Recurrent weight matrix.
    pub weights: Option<String>,
    /// Outputs versus targets of one trial.
    pub output: Option<String>,
}

impl CanvasIds {
    /// Parse the JS object `{loss, accuracy, activity, weights, output}`.
    pub fn from_js(ids: JsValue) -> Result<Self, JsError> {
        let json = super::json::to_json(&ids, "canvasIds")?;
        serde_json::from_value(json).map_err(|e| JsError::new(&format!("invalid canvasIds: {e}")))
    }
}

/// Draw every plot whose canvas id is given.
pub fn draw_snapshot(snapshot: &Snapshot, ids: &CanvasIds) -> Result<(), JsError> {
    if let Some(id) = &ids.loss {
        plot::loss_curve(&area(id, "loss")?, &snapshot.loss)?;
    }
    if let Some(id) = &ids.accuracy {
        plot::accuracy_curve(
            &area(id, "accuracy")?,
            &snapshot.accuracy,
            &snapshot.late_accuracy,
        )?;
    }
    if let Some(id) = &ids.activity {
        plot::activity_heatmap(
            &area(id, "activity")?,
            &snapshot.activity,
            snapshot.trial.input_offset,
        )?;
    }
    if let Some(id) = &ids.weights {
        plot::weight_heatmap(&area(id, "weights")?, &snapshot.weights)?;
    }
    if let Some(id) = &ids.output {
        plot::output_traces(&area(id, "output")?, &snapshot.trial)?;
    }
    Ok(())
}

/// The drawing area of canvas `id`, or an error naming the id and the key it came from.
fn area(id: &str, key: &str) -> Result<DrawingArea<CanvasBackend, Shift>, JsError> {
    let backend = CanvasBackend::new(id).ok_or_else(|| {
        JsError::new(&format!(
            "canvasIds.{key}: no <canvas> element with id \"{id}\" in the document"
        ))
    })?;
    Ok(backend.into_drawing_area())
}
