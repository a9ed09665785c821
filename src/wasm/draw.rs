//! Drawing a [`Snapshot`], an [`Analysis`] or a [`Chart`] into HTML canvases through
//! `plotters-canvas`.

use super::canvas::Canvas;
use crate::plot::{self, Analysis, Chart, Snapshot};
use plotters::coord::Shift;
use plotters::prelude::*;
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
    /// The task view: inputs (heatmap), targets and outputs with period boundaries.
    pub trial: Option<String>,
    /// Per-task performance bars (task mixtures).
    #[serde(rename = "perTask")]
    pub per_task: Option<String>,
    /// Spike raster (spiking networks; a note on rate networks).
    pub raster: Option<String>,
}

impl CanvasIds {
    /// Parse the JS object `{loss, accuracy, activity, weights, output, trial, perTask,
    /// raster}`.
    pub fn from_js(ids: JsValue) -> Result<Self, JsError> {
        ids_from_js(ids)
    }
}

/// Ids of the analysis canvases; a missing key skips that plot.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AnalysisIds {
    /// Eigenvalue spectrum before/after training.
    pub eigen: Option<String>,
    /// Degradation curves.
    pub degradation: Option<String>,
    /// PCA trajectories.
    pub pca: Option<String>,
}

impl AnalysisIds {
    /// Parse the JS object `{eigen, degradation, pca}`.
    pub fn from_js(ids: JsValue) -> Result<Self, JsError> {
        ids_from_js(ids)
    }
}

fn ids_from_js<T: serde::de::DeserializeOwned>(ids: JsValue) -> Result<T, JsError> {
    let json = super::json::to_json(&ids, "canvasIds")?;
    serde_json::from_value(json).map_err(|e| JsError::new(&format!("invalid canvasIds: {e}")))
}

/// Draw the analysis plots whose canvas id is given.
pub fn draw_analysis(analysis: &Analysis, ids: &AnalysisIds) -> Result<(), JsError> {
    if let Some(id) = &ids.eigen {
        plot::eigen_spectrum(
            &area(id, "eigen")?,
            &analysis.eigen_before,
            &analysis.eigen_after,
        )?;
    }
    if let Some(id) = &ids.degradation {
        plot::series_chart(&area(id, "degradation")?, &analysis.degradation)?;
    }
    if let Some(id) = &ids.pca {
        plot::series_chart(&area(id, "pca")?, &analysis.pca)?;
    }
    Ok(())
}

/// Draw `chart` into canvas `id`.
pub fn draw_chart(id: &str, chart: &Chart) -> Result<(), JsError> {
    plot::series_chart(&area(id, "canvasId")?, chart)?;
    Ok(())
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
    if let Some(id) = &ids.trial {
        plot::trial_plot(&area(id, "trial")?, &snapshot.trial)?;
    }
    if let Some(id) = &ids.per_task {
        let title = if snapshot.per_task.is_empty() {
            "Per-task performance (task mixtures only)"
        } else {
            "Per-task performance"
        };
        plot::bar_chart(&area(id, "perTask")?, title, &snapshot.per_task)?;
    }
    if let Some(id) = &ids.raster {
        let area = area(id, "raster")?;
        match &snapshot.raster {
            Some(raster) => plot::spike_raster(&area, raster)?,
            None => plot::spike_raster(&area, &plot::SpikeRaster::default())?,
        }
    }
    Ok(())
}

/// The drawing area of canvas `id`, or an error naming the id and the key it came from.
pub(super) fn area(id: &str, key: &str) -> Result<DrawingArea<Canvas, Shift>, JsError> {
    let backend = Canvas::new(id).ok_or_else(|| {
        JsError::new(&format!(
            "canvasIds.{key}: no <canvas> element with id \"{id}\" in the document"
        ))
    })?;
    Ok(backend.into_drawing_area())
}
