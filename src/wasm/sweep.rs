//! Sweeps and stand-alone helpers for the page: one sweep point per call (so a pool of
//! Web Workers can run a sweep in parallel), sweep point lists, generic charts, the 2-D
//! sheet geometry, the names each menu of the page accepts and the percolation summary.

use super::json::{json_arg, to_js};
use crate::error::Error;
use crate::lab::sweep::{
    capacity_points, min_k_for_full_connectivity, percolation_points, run_point, set_rec_noise_std,
    sparsity_points, SparsitySchedule, SweepPoint,
};
use crate::learning::LearningRule;
use crate::model::reservoir::ReservoirMask;
use crate::model::{sheet_shape, Activation, Connectivity, Dynamics, InitKind};
use crate::plot::Chart;
use serde::Deserialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

/// Run one sweep point and return its result as a JSON string. `point` (a JSON string or
/// an object) is one of
/// - `{"experiment": "capacity", n, k, p, steps, seed}` (Turcu & Abbott),
/// - `{"experiment": "percolation", n, k, seed}`,
/// - `{"experiment": "sparsity", config, mask, radius, steps, eval_every, criterion,
///   per_task_trials}` (Khona et al.; `config` is the point's run description, made by
///   [`sweep_points`]; `mask` = local, random, dense or autapse names it),
/// - `{"experiment": "run", "config": <run description>, "steps", "eval_every", "label"}`
///   (any task and learning rule; returns the accuracy curve).
///
/// Errors name the bad field.
#[wasm_bindgen(js_name = runSweepPoint)]
pub fn run_sweep_point(point: JsValue) -> Result<JsValue, JsError> {
    let json = json_arg(&point, "sweep point", "sweep point")?;
    let result = if json.get("experiment").and_then(Value::as_str) == Some("run") {
        let config = json.get("config").cloned().unwrap_or(Value::Null);
        let number =
            |key: &str, default: u64| json.get(key).and_then(Value::as_u64).unwrap_or(default);
        let label = json.get("label").and_then(Value::as_str).unwrap_or("");
        crate::lab::curve::run_curve(
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
    Ok(to_js(&result)?)
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
        /// A registry id or a task object (`{"id": "ngym-modcog-mixture", "tasks": [...]}`).
        task: Value,
        n: usize,
        radii: Vec<f64>,
        steps: usize,
        eval_every: usize,
        criterion: f64,
        seeds: Vec<u64>,
        #[serde(default)]
        per_task_trials: usize,
        /// Recurrent noise std of every point's network (default:
        /// [`crate::lab::sweep::sparsity_run`]'s 0.05).
        #[serde(default)]
        rec_noise_std: Option<f64>,
    },
}

/// The points of a sweep (every combination), as an array of point objects for
/// [`run_sweep_point`]: `{"experiment": "capacity", ns, ks, ps, steps, seed}`,
/// `{"experiment": "percolation", ns, ks, trials}` or `{"experiment": "sparsity", task, n,
/// radii, steps, eval_every, criterion, seeds, per_task_trials, rec_noise_std}` (`task` an
/// id or a task object such as `{"id": "ngym-modcog-mixture", "tasks": [...]}`;
/// `rec_noise_std` optional, default 0.05; each sparsity point carries its run
/// description).
#[wasm_bindgen(js_name = sweepPoints)]
pub fn sweep_points(spec: JsValue) -> Result<JsValue, JsError> {
    let spec: SweepSpec =
        serde_json::from_value(json_arg(&spec, "sweep", "sweep")?).map_err(|e| Error::Parse {
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
            per_task_trials,
            rec_noise_std,
        } => {
            let schedule = SparsitySchedule {
                steps,
                eval_every,
                criterion,
                per_task_trials,
            };
            let mut points = sparsity_points(&task, n, &radii, schedule, &seeds)?;
            if let Some(std) = rec_noise_std {
                set_rec_noise_std(&mut points, std);
            }
            points
        }
    };
    Ok(to_js(&points)?)
}

/// Draw a [`Chart`] (`{title, x_label, y_label, y_range, series: [{label, points,
/// markers, line}]}`) into the canvas `canvasId`; throws naming a bad field or a missing
/// canvas.
#[wasm_bindgen(js_name = drawChart)]
pub fn draw_chart(canvas_id: &str, chart: JsValue) -> Result<(), JsError> {
    let chart: Chart = serde_json::from_value(json_arg(&chart, "chart", "chart")?)
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
    names(LearningRule::NAMES)
}

/// The names of a `NAMES` constant ("a, b, c") as a list.
fn names(list: &str) -> Vec<String> {
    list.split(", ").map(|s| s.trim().to_string()).collect()
}

/// The names accepted by the network options the page offers as menus:
/// `{connectivity, activation, dynamics, init, rule, reservoirMask}`, each a list of
/// strings (`reservoirMask`: the masks of `reservoir.mask`, the connectivity menu of a
/// reservoir, `cycle` included).
#[wasm_bindgen(js_name = optionNames)]
pub fn option_names() -> Result<JsValue, JsError> {
    let value = serde_json::json!({
        "connectivity": names(Connectivity::NAMES),
        "activation": names(Activation::NAMES),
        "dynamics": names(Dynamics::NAMES),
        "init": names(InitKind::NAMES),
        "rule": names(LearningRule::NAMES),
        "reservoirMask": names(ReservoirMask::NAMES),
    });
    Ok(to_js(&value)?)
}

/// Summary of percolation sweep results (the objects `runSweepPoint` returned): per N,
/// `{n, ln_n, min_k}`, the smallest K at which at least `criterion` of the draws gave a
/// fully strongly connected graph (`min_k` null when no K did). The same summary as
/// `srnn summarize percolation`.
#[wasm_bindgen(js_name = percolationSummary)]
pub fn percolation_summary(results: JsValue, criterion: f64) -> Result<JsValue, JsError> {
    if !(0.0..=1.0).contains(&criterion) {
        return Err(JsError::new(&format!(
            "criterion must be in [0, 1], but is {criterion}"
        )));
    }
    let results = match json_arg(&results, "percolation results", "percolation results")? {
        Value::Array(items) => items,
        other => {
            return Err(JsError::new(&format!(
                "percolation results must be an array, but is {other}"
            )))
        }
    };
    let rows: Vec<Value> = min_k_for_full_connectivity(&results, criterion)
        .into_iter()
        .map(|(n, ln_n, min_k)| serde_json::json!({"n": n, "ln_n": ln_n, "min_k": min_k}))
        .collect();
    Ok(to_js(&rows)?)
}
