//! Drawing into real canvases, run in headless Chromium by `wasm-bindgen-test-runner`
//! (through chromedriver): `cargo test --target wasm32-unknown-unknown --test wasm_browser`.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Function, Reflect, Uint8ClampedArray, JSON};
use sparse_rnn_lab::wasm::{draw_chart, Simulator};
use wasm_bindgen::{JsCast, JsError, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const CONFIG: &str = r#"{
    "network": { "n_neurons": 24, "k": 6, "activation": "rectified-tanh",
                 "input_map": "identity", "readout": "population", "dt_ms": 10 },
    "train": { "learning_rate": 0.01, "batch_size": 8 },
    "task": { "id": "turcu-classification", "n_patterns": 6 }
}"#;

const PLOTS: [&str; 5] = ["loss", "accuracy", "activity", "weights", "output"];

/// Add a 320×200 canvas with id `id` to the test page.
fn add_canvas(id: &str) -> web_sys::HtmlCanvasElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let canvas: web_sys::HtmlCanvasElement = document
        .create_element("canvas")
        .unwrap()
        .dyn_into()
        .unwrap();
    canvas.set_id(id);
    canvas.set_width(320);
    canvas.set_height(200);
    document.body().unwrap().append_child(&canvas).unwrap();
    canvas
}

/// Number of pixels that are neither transparent nor pure white.
fn coloured_pixels(canvas: &web_sys::HtmlCanvasElement) -> usize {
    let context = canvas.get_context("2d").unwrap().unwrap();
    let get_image_data: Function = Reflect::get(&context, &"getImageData".into())
        .unwrap()
        .into();
    let args = Array::of4(&0.into(), &0.into(), &320.into(), &200.into());
    let image = get_image_data.apply(&context, &args).unwrap();
    let data: Uint8ClampedArray = Reflect::get(&image, &"data".into()).unwrap().into();
    let bytes = data.to_vec();
    bytes
        .chunks(4)
        .filter(|p| p[3] > 0 && (p[0] < 250 || p[1] < 250 || p[2] < 250))
        .count()
}

/// `{loss: prefix + "loss", ...}`.
fn ids(prefix: &str) -> JsValue {
    let object = js_sys::Object::new();
    for plot in PLOTS {
        Reflect::set(&object, &plot.into(), &format!("{prefix}{plot}").into()).unwrap();
    }
    object.into()
}

fn message(error: JsError) -> String {
    let value: JsValue = error.into();
    value.unchecked_into::<js_sys::Error>().message().into()
}

fn trained() -> Simulator {
    let mut sim = Simulator::new(JSON::parse(CONFIG).unwrap()).unwrap();
    sim.train_steps(5).unwrap();
    sim.evaluate(8).unwrap();
    sim.train_steps(5).unwrap();
    sim.evaluate(8).unwrap();
    sim
}

#[wasm_bindgen_test]
fn draw_paints_all_five_canvases() {
    let canvases: Vec<_> = PLOTS
        .iter()
        .map(|p| add_canvas(&format!("direct-{p}")))
        .collect();
    for canvas in &canvases {
        assert_eq!(coloured_pixels(canvas), 0, "a new canvas is blank");
    }
    trained().draw(ids("direct-")).unwrap();
    for (plot, canvas) in PLOTS.iter().zip(&canvases) {
        let count = coloured_pixels(canvas);
        assert!(count > 500, "{plot}: only {count} coloured pixels");
    }
}

#[wasm_bindgen_test]
fn a_snapshot_survives_the_trip_through_js_and_draws() {
    let canvases: Vec<_> = PLOTS
        .iter()
        .map(|p| add_canvas(&format!("posted-{p}")))
        .collect();
    let snapshot = trained().snapshot().unwrap();
    // what postMessage does: a structured clone; JSON is a stricter stand-in
    let cloned = JSON::parse(&String::from(JSON::stringify(&snapshot).unwrap())).unwrap();
    Simulator::draw_snapshot(cloned, ids("posted-")).unwrap();
    for (plot, canvas) in PLOTS.iter().zip(&canvases) {
        assert!(coloured_pixels(canvas) > 500, "{plot} stayed blank");
    }
}

#[wasm_bindgen_test]
fn a_missing_canvas_is_named_in_the_error() {
    add_canvas("only-loss");
    let sim = trained();
    let ids = JSON::parse(r#"{"loss": "only-loss", "weights": "no-such-canvas"}"#).unwrap();
    let text = message(sim.draw(ids).unwrap_err());
    assert!(
        text.contains("no-such-canvas") && text.contains("weights"),
        "{text}"
    );
    let snapshot = sim.snapshot().unwrap();
    let ids = JSON::parse(r#"{"output": "missing-output"}"#).unwrap();
    let text = message(Simulator::draw_snapshot(snapshot, ids).unwrap_err());
    assert!(text.contains("missing-output"), "{text}");
}

#[wasm_bindgen_test]
fn the_task_view_analysis_and_charts_draw() {
    let names = ["trial", "perTask", "eigen", "degradation", "pca", "chart"];
    let canvases: Vec<_> = names
        .iter()
        .map(|n| add_canvas(&format!("new-{n}")))
        .collect();
    let mut sim = trained();
    sim.draw(JSON::parse(r#"{"trial": "new-trial", "perTask": "new-perTask"}"#).unwrap())
        .unwrap();
    let analysis = sim.analysis().unwrap();
    let cloned = JSON::parse(&String::from(JSON::stringify(&analysis).unwrap())).unwrap();
    let ids = r#"{"eigen": "new-eigen", "degradation": "new-degradation", "pca": "new-pca"}"#;
    Simulator::draw_analysis(cloned, JSON::parse(ids).unwrap()).unwrap();
    let chart =
        r#"{"title": "t", "series": [{"label": "a", "points": [[0, 0], [1, 1]], "line": true}]}"#;
    draw_chart("new-chart", chart.into()).unwrap();
    for (name, canvas) in names.iter().zip(&canvases) {
        let count = coloured_pixels(canvas);
        assert!(count > 500, "{name}: only {count} coloured pixels");
    }
    let missing = message(draw_chart("no-chart", chart.into()).unwrap_err());
    assert!(missing.contains("no-chart"), "{missing}");
    let bad = message(
        Simulator::draw_analysis(
            JSON::parse("{}").unwrap(),
            JSON::parse(r#"{"eigenz": "x"}"#).unwrap(),
        )
        .unwrap_err(),
    );
    assert!(bad.contains("eigenz"), "{bad}");
}

#[wasm_bindgen_test]
fn the_readout_picture_crosses_to_js_and_draws_before_and_after() {
    let sim = trained();
    let pair = sim.readout_traces().unwrap();
    let text = String::from(JSON::stringify(&pair).unwrap());
    assert!(
        text.contains("amplified class") && text.contains("before training"),
        "{text:.200}"
    );
    for key in ["before", "after"] {
        let canvas = add_canvas(&format!("readout-{key}"));
        let chart = Reflect::get(&pair, &key.into()).unwrap();
        let series = Reflect::get(&chart, &"series".into()).unwrap();
        // 6 patterns + threshold, input offset, end of the training trial
        assert_eq!(series.unchecked_into::<Array>().length(), 9, "{key}");
        let cloned = JSON::parse(&String::from(JSON::stringify(&chart).unwrap())).unwrap();
        draw_chart(&format!("readout-{key}"), cloned).unwrap();
        let count = coloured_pixels(&canvas);
        assert!(count > 500, "{key}: only {count} coloured pixels");
    }
    let yang = r#"{"network": {"n_neurons": 16}, "task": {"id": "yang-go"}}"#;
    let other = Simulator::new(JSON::parse(yang).unwrap()).unwrap();
    assert!(other.readout_traces().unwrap().is_undefined());
}
