//! Sweeps and stand-alone helpers for the page: one sweep point per call (so a pool of
//! Web Workers can run a sweep in parallel), sweep point lists, generic charts, the 2-D
//! sheet geometry and the learning-rule names.

use super::json::to_json;
use crate::error::Error;
use crate::experiments::{
    capacity_points, percolation_points, run_point, sparsity_points, SweepPoint,
};
use crate::learning::LearningRule;
use crate::model::sheet_shape;
use crate::plot::Chart;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use wasm_bindgen::prelude::*;

/// A JS string holding JSON, or a JS object, as JSON (errors name `what`).
fn json_arg(value: &JsValue, what: &str) -> Result<Value, JsError> {
    match value.as_string() {
        Some(text) => crate::budget::depth::check_text(&text, what)
            .map_err(JsError::from)
            .and_then(|()| {
                serde_json::from_str(&text)
                    .map_err(|e| JsError::new(&format!("cannot parse {what}: {e}")))
            }),
        None => Ok(to_json(value, what)?),
    }
}

/// Run one sweep point and return its result as a JSON string. `point` (a JSON string or
/// an object) is one of
/// - `{"experiment": "capacity", n, k, p, steps, seed}` (Turcu & Abbott),
/// - `{"experiment": "percolation", n, k, seed}`,
/// - `{"experiment": "sparsity", task, n, mask, radius, steps, eval_every, criterion, seed}`
///   (Khona et al.; `mask` = local, random, dense or autapse),
/// - `{"experiment": "run", "config": <run description>, "steps", "eval_every", "label"}`
///   (any task and learning rule; returns the accuracy curve).
///
/// Errors name the bad field.
#[wasm_bindgen(js_name = runSweepPoint)]
pub fn run_sweep_point(point: JsValue) -> Result<String, JsError> {
    let json = json_arg(&point, "sweep point")?;
    let result = if json.get("experiment").and_then(Value::as_str) == Some("run") {
        let config = json.get("config").cloned().unwrap_or(Value::Null);
        let number =
            |key: &str, default: u64| json.get(key).and_then(Value::as_u64).unwrap_or(default);
        let label = json.get("label").and_then(Value::as_str).unwrap_or("");
        crate::session::run_curve(
            config,
            number("steps", 100) as usize,
            number("eval_every", 10) as usize,
            label,
        )?
    } else {
        let point: SweepPoint = serde_json::from_value(json).map_err(|e| Error::Parse {
            what: "sweep point",
            reason: format!("{e} (experiments: capacity, percolation, sparsity, run)"),
        })?;
        run_point(&point)?
    };
    Ok(result.to_string())
}

/// Arguments of [`sweep_points`].
#[derive(Deserialize)]
#[serde(tag = "experiment", rename_all = "kebab-case", deny_unknown_fields)]
enum SweepSpec {
    Capacity {
        ns: Vec<usize>,
        ks: Vec<usize>,
        ps: Vec<usize>,
        steps: usize,
        seed: u64,
    },
    Percolation {
        ns: Vec<usize>,
        ks: Vec<usize>,
        trials: usize,
    },
    Sparsity {
        task: String,
        n: usize,
        radii: Vec<f64>,
        steps: usize,
        eval_every: usize,
        criterion: f64,
        seeds: Vec<u64>,
    },
}

/// The points of a sweep (every combination), as an array of point objects for
/// [`run_sweep_point`]: `{"experiment": "capacity", ns, ks, ps, steps, seed}`,
/// `{"experiment": "percolation", ns, ks, trials}` or `{"experiment": "sparsity", task, n,
/// radii, steps, eval_every, criterion, seeds}`.
#[wasm_bindgen(js_name = sweepPoints)]
pub fn sweep_points(spec: JsValue) -> Result<JsValue, JsError> {
    let spec: SweepSpec =
        serde_json::from_value(json_arg(&spec, "sweep")?).map_err(|e| Error::Parse {
            what: "sweep",
            reason: e.to_string(),
        })?;
    let count = match &spec {
        SweepSpec::Capacity { ns, ks, ps, .. } => {
            ns.len() as f64 * ks.len() as f64 * ps.len() as f64
        }
        SweepSpec::Percolation { ns, ks, trials } => {
            ns.len() as f64 * ks.len() as f64 * *trials as f64
        }
        SweepSpec::Sparsity { radii, seeds, .. } => {
            (2.0 * radii.len() as f64 + 2.0) * seeds.len() as f64
        }
    };
    crate::budget::depth::check_sweep_size(count)?;
    let points = match spec {
        SweepSpec::Capacity {
            ns,
            ks,
            ps,
            steps,
            seed,
        } => capacity_points(&ns, &ks, &ps, steps, seed),
        SweepSpec::Percolation { ns, ks, trials } => percolation_points(&ns, &ks, trials),
        SweepSpec::Sparsity {
            task,
            n,
            radii,
            steps,
            eval_every,
            criterion,
            seeds,
        } => sparsity_points(&task, n, &radii, steps, eval_every, criterion, &seeds),
    };
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    Ok(points.serialize(&serializer)?)
}

/// Draw a [`Chart`] (`{title, x_label, y_label, y_range, series: [{label, points,
/// markers, line}]}`) into the canvas `canvasId`; throws naming a bad field or a missing
/// canvas.
#[wasm_bindgen(js_name = drawChart)]
pub fn draw_chart(canvas_id: &str, chart: JsValue) -> Result<(), JsError> {
    let chart: Chart = serde_json::from_value(json_arg(&chart, "chart")?)
        .map_err(|e| JsError::new(&format!("invalid chart: {e}")))?;
    super::draw::draw_chart(canvas_id, &chart)
}

/// `[width, height]` of the 2-D sheet holding `n` neurons (neuron i sits at column
/// `i % width`, row `i / width`), as used by the `local` connectivity.
#[wasm_bindgen(js_name = sheetShape)]
pub fn sheet_shape_js(n: usize) -> Vec<usize> {
    let (width, height) = sheet_shape(n);
    vec![width, height]
}

/// The learning-rule names accepted in `rule`.
#[wasm_bindgen(js_name = ruleNames)]
pub fn rule_names() -> Vec<String> {
    LearningRule::NAMES
        .split(", ")
        .map(|s| s.trim().to_string())
        .collect()
}
