//! Native tests of the plots: render to an SVG string and inspect the markup (the SVG
//! backend exists natively only; wasm32 test builds skip this file).
#![cfg(not(target_arch = "wasm32"))]

use plotters::prelude::*;
use plotters_backend::{BackendColor, BackendCoord, BackendTextStyle, DrawingErrorKind};
use sparse_rnn_lab::lab::report::{capture_analysis, capture_snapshot, spectrum};
use sparse_rnn_lab::model::{Csr, Network, NetworkConfig};
use sparse_rnn_lab::plot::{self, Heatmap, Snapshot, TrialTraces};
use sparse_rnn_lab::tasks::turcu::{PatternClassification, PatternConfig};
use sparse_rnn_lab::tasks::Task;

/// Render with `draw` on a 480×300 SVG and return the markup.
fn svg(draw: impl FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>)) -> String {
    let mut out = String::new();
    {
        let area = SVGBackend::with_string(&mut out, (480, 300)).into_drawing_area();
        draw(&area);
    }
    out
}

fn count(svg: &str, needle: &str) -> usize {
    svg.matches(needle).count()
}

/// Number of `<polyline` elements stroked with `colour`.
fn lines_stroked(svg: &str, colour: &str) -> usize {
    svg.split("<polyline")
        .skip(1)
        .filter(|l| l.contains(&format!("stroke=\"{colour}\"")))
        .count()
}

/// Number of `<rect` elements filled with `colour` (upper-case hex as plotters writes it).
fn rects_filled(svg: &str, colour: &str) -> usize {
    svg.split("<rect")
        .skip(1)
        .filter(|r| r.contains(&format!("fill=\"{colour}\"")))
        .count()
}

/// A blitted bitmap: position, size, RGB bytes.
type Blit = (BackendCoord, (u32, u32), Vec<u8>);

/// A backend that keeps the bitmaps blitted on it (and ignores every other drawing).
struct Blits {
    images: Vec<Blit>,
}

impl DrawingBackend for Blits {
    type ErrorType = std::io::Error;
    fn get_size(&self) -> (u32, u32) {
        (480, 300)
    }
    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<std::io::Error>> {
        Ok(())
    }
    fn present(&mut self) -> Result<(), DrawingErrorKind<std::io::Error>> {
        Ok(())
    }
    fn draw_pixel(
        &mut self,
        _: BackendCoord,
        _: BackendColor,
    ) -> Result<(), DrawingErrorKind<std::io::Error>> {
        Ok(())
    }
    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<std::io::Error>> {
        self.images.push((pos, size, src.to_vec()));
        Ok(())
    }
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        _: &str,
        _: &S,
        _: BackendCoord,
    ) -> Result<(), DrawingErrorKind<std::io::Error>> {
        Ok(())
    }
    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        _: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<std::io::Error>> {
        Ok((7 * text.len() as u32, 12))
    }
}

/// Draw with `draw` on a 480×300 [`Blits`] backend: the plot must blit exactly one
/// bitmap (its grid of cells), whose colour at the centre of each of the `rows × cols`
/// cells is returned.
fn cell_colours(
    draw: impl FnOnce(&DrawingArea<Blits, plotters::coord::Shift>),
    rows: usize,
    cols: usize,
) -> Vec<Vec<[u8; 3]>> {
    let backend = std::rc::Rc::new(std::cell::RefCell::new(Blits { images: Vec::new() }));
    {
        let area = DrawingArea::from(&backend);
        draw(&area);
    }
    let images = std::mem::take(&mut backend.borrow_mut().images);
    assert_eq!(images.len(), 1, "one bitmap for the cells");
    let (pos, (w, h), rgb) = &images[0];
    assert!(
        pos.0 > 0 && pos.1 > 0 && *w > 100 && *h > 100,
        "inside the chart: {pos:?} {w}×{h}"
    );
    assert_eq!(rgb.len(), (*w * *h * 3) as usize);
    (0..rows)
        .map(|i| {
            (0..cols)
                .map(|j| {
                    let x = ((2 * j + 1) * *w as usize) / (2 * cols);
                    let y = ((2 * i + 1) * *h as usize) / (2 * rows);
                    let k = (y * *w as usize + x) * 3;
                    [rgb[k], rgb[k + 1], rgb[k + 2]]
                })
                .collect()
        })
        .collect()
}

#[test]
fn loss_curve_draws_a_line_and_its_labels() {
    let points: Vec<(f32, f32)> = (1..=50).map(|s| (s as f32, 1.0 / s as f32)).collect();
    let out = svg(|area| plot::loss_curve(area, &points).unwrap());
    assert!(out.contains("Training loss"), "{out}");
    assert!(out.contains("step"), "{out}");
    assert_eq!(lines_stroked(&out, "#1F77B4"), 1, "one loss line: {out}");
    let points_attr = out.split("stroke=\"#1F77B4\"").nth(1).unwrap_or_default();
    assert!(
        points_attr
            .split(" />")
            .next()
            .unwrap_or_default()
            .matches(',')
            .count()
            >= 50
    );
    // log axis labels in scientific notation
    assert!(out.contains("e-1") || out.contains("e-2"), "{out}");
}

/// The texts of the SVG that read as numbers (the axes' tick labels), in drawing order.
fn numeric_labels(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| t.split_once('>').map(|(_, rest)| rest))
        .filter_map(|rest| {
            rest.split_once("</text>")
                .map(|(text, _)| text.trim().to_string())
        })
        .filter(|text| text.parse::<f64>().is_ok())
        .collect()
}

/// No tick label repeats its neighbour (each axis's labels are drawn in a row; the x and
/// y axes may both have a "0").
fn assert_distinct(labels: &[String], what: &str) {
    assert!(
        labels.windows(2).all(|w| w[0] != w[1]),
        "{what}: repeated tick labels {labels:?}"
    );
}

#[test]
fn tick_labels_are_distinct_on_short_runs_and_narrow_ranges() {
    // the reservoir preset's loss chart: 2 steps (the page showed "0 0 0 0 0 1 1 1 1 1 2")
    for points in [
        vec![(1.0, 2.0e-6), (2.0, 1.2e-6)],
        vec![(1.0, 0.5)],
        vec![(1.0, 0.31), (2.0, 0.3), (3.0, 0.29)],
        (1..=2000).map(|s| (s as f32, 1.0 / s as f32)).collect(),
    ] {
        let out = svg(|area| plot::loss_curve(area, &points).unwrap());
        let labels = numeric_labels(&out);
        assert!(labels.len() >= 3, "{labels:?}");
        assert_distinct(&labels, "loss chart");
        if points.len() == 2 {
            for step in ["0", "1", "2"] {
                assert!(labels.iter().any(|l| l == step), "{labels:?}");
            }
        }
    }
    // a chart over a narrow range on both axes
    for (x0, x1, y0, y1) in [
        (0.12, 0.125, 100.0, 100.5),
        (0.0, 2.0, 0.0, 1.0),
        (0.0, 0.9, -3e-7, 1e-6),
    ] {
        let chart = plot::Chart {
            title: "narrow".into(),
            series: vec![plot::Series {
                label: "s".into(),
                points: vec![(x0, y0), (x1, y1)],
                markers: true,
                line: true,
            }],
            ..Default::default()
        };
        let out = svg(|area| plot::series_chart(area, &chart).unwrap());
        let labels = numeric_labels(&out);
        assert!(labels.len() >= 4, "{labels:?}");
        assert_distinct(&labels, "series chart");
    }
}

#[test]
fn loss_curve_survives_empty_and_non_finite_histories() {
    for points in [
        vec![],
        vec![(1.0, f32::NAN), (2.0, 0.0), (3.0, f32::INFINITY)],
        vec![(1.0, 0.5)],
    ] {
        let out = svg(|area| plot::loss_curve(area, &points).unwrap());
        assert!(out.contains("Training loss"));
    }
}

#[test]
fn accuracy_curve_shows_both_series_with_a_legend() {
    let accuracy = [(10.0, 0.5), (20.0, 0.75), (30.0, 1.0)];
    let late = [(10.0, 0.5), (20.0, 0.5), (30.0, 0.8)];
    let out = svg(|area| plot::accuracy_curve(area, &accuracy, &late).unwrap());
    assert!(out.contains("Accuracy"));
    assert!(out.contains("end of trial") && out.contains("5x longer trial"));
    assert_eq!(count(&out, "<circle"), 6, "a marker per evaluation");
    let empty = svg(|area| plot::accuracy_curve(area, &[], &[]).unwrap());
    assert_eq!(count(&empty, "<circle"), 0);
    assert!(!empty.contains("end of trial"));
}

#[test]
fn weight_heatmap_draws_one_cell_per_synapse_in_diverging_colours() {
    let mut w = Csr::from_rows(4, &[vec![0, 2], vec![1], vec![], vec![0, 3]]);
    w.values.copy_from_slice(&[2.0, -2.0, 1.0, 0.5, -1.0]);
    let map = Heatmap::from_csr(&w, 256);
    assert_eq!((map.n_rows, map.n_cols), (4, 4));
    assert_eq!(map.get(0, 2), -2.0);
    let out = svg(|area| plot::weight_heatmap(area, &map).unwrap());
    assert!(out.contains("Recurrent weights"));
    let cells = cell_colours(|area| plot::weight_heatmap(area, &map).unwrap(), 4, 4);
    assert_eq!(
        cells[0][0],
        [178, 24, 43],
        "the largest positive weight is full red"
    );
    assert_eq!(
        cells[0][2],
        [33, 102, 172],
        "the most negative weight is full blue"
    );
    let coloured = cells
        .iter()
        .flatten()
        .filter(|c| **c != [255, 255, 255])
        .count();
    assert_eq!(
        coloured, 5,
        "one coloured cell per synapse, white for absent synapses: {cells:?}"
    );
}

#[test]
fn big_matrices_are_binned_to_256_keeping_the_largest_magnitude() {
    let n = 1000;
    let rows: Vec<Vec<u32>> = (0..n).map(|r| vec![r as u32]).collect();
    let mut w = Csr::from_rows(n, &rows);
    for (s, v) in w.values.iter_mut().enumerate() {
        *v = if s == 999 { -9.0 } else { 0.1 };
    }
    let map = Heatmap::from_csr(&w, plot::MAX_HEATMAP_SIDE);
    assert_eq!((map.n_rows, map.n_cols, map.source_rows), (256, 256, 1000));
    assert_eq!(map.get(255, 255), -9.0);
    assert_eq!(map.get(0, 0), 0.1);
    assert_eq!(map.get(0, 1), 0.0);
}

#[test]
fn activity_heatmap_draws_every_cell_and_the_offset_marker() {
    let map = Heatmap::sample(3, 5, 256, 256, |i, t| (i * 5 + t) as f32);
    let with_marker = svg(|area| plot::activity_heatmap(area, &map, Some(2)).unwrap());
    let without = svg(|area| plot::activity_heatmap(area, &map, None).unwrap());
    assert!(
        with_marker.contains("Activity of one trial (0.00 to 14.00)"),
        "{with_marker}"
    );
    let cells = cell_colours(
        |area| plot::activity_heatmap(area, &map, None).unwrap(),
        3,
        5,
    );
    assert_eq!(cells[0][0], [0x44, 0x01, 0x54], "the minimum is darkest");
    assert_eq!(cells[2][4], [0xFD, 0xE7, 0x25], "the maximum is brightest");
    let distinct: std::collections::HashSet<[u8; 3]> = cells.iter().flatten().copied().collect();
    assert_eq!(distinct.len(), 15, "every cell its own colour: {cells:?}");
    assert!(lines_stroked(&with_marker, "#FF0000") > 0, "marker drawn");
    assert_eq!(lines_stroked(&without, "#FF0000"), 0);
    let sampled = Heatmap::sample(1000, 40, 256, 16, |i, _| i as f32);
    assert_eq!((sampled.n_rows, sampled.n_cols), (256, 16));
}

fn traces() -> TrialTraces {
    TrialTraces {
        dt_ms: 10.0,
        n_steps: 6,
        inputs: vec![vec![0.7, 0.7, 0.0, 0.0, 0.0, 0.0]],
        outputs: vec![vec![0.0, 0.1, 0.2, 0.3, 0.4, 0.45]],
        targets: vec![vec![0.0, 0.0, 0.5, 0.5, 0.5, 0.5]],
        mask: vec![vec![0.0, 0.0, 1.0, 1.0, 1.0, 1.0]],
        input_offset: Some(2),
        ..Default::default()
    }
}

#[test]
fn output_traces_draw_outputs_and_targets_with_a_legend_but_no_inputs() {
    let out = svg(|area| plot::output_traces(area, &traces()).unwrap());
    assert!(out.contains("Outputs (solid) vs targets (dashed)"));
    assert!(out.contains("time (ms)"));
    assert_eq!(rects_filled(&out, "#E6E6E6"), 1, "stimulus period shaded");
    assert_eq!(
        lines_stroked(&out, "#969696"),
        0,
        "no unlabelled grey inputs"
    );
    assert!(
        out.contains(">\noutput\n<") && out.contains(">\ntarget\n<"),
        "{out}"
    );
    // the output line and its legend swatch; the dashed target (in pieces) and its two
    // legend dashes, all in the channel's colour
    let (dashed, solid): (Vec<&str>, Vec<&str>) = out
        .split("<polyline")
        .skip(1)
        .filter(|l| l.contains("stroke=\"#1F77B4\""))
        .partition(|l| l.contains("opacity=\"0.9\""));
    assert_eq!(solid.len(), 2, "one output channel and its legend swatch");
    assert!(dashed.len() > 3, "dashed target drawn in pieces");
}

#[test]
fn a_driven_series_trial_has_no_stimulus_shade_only_its_warm_up() {
    // the page showed the whole Mackey-Glass trial shaded as a "stimulus": the input runs
    // to the last step, so the offset fell back to the trial's end
    use sparse_rnn_lab::model::reservoir::{build_esn, EsnConfig};
    use sparse_rnn_lab::tasks::timeseries::{SeriesConfig, SeriesKind, SeriesTask};
    let esn = EsnConfig {
        units: 30,
        ..Default::default()
    };
    let network = build_esn(&esn, 1, 1).unwrap();
    for kind in [SeriesKind::MackeyGlass, SeriesKind::Narma10] {
        let config = SeriesConfig {
            n_steps: 300,
            warmup: 50,
            ..Default::default()
        };
        let task = SeriesTask::new(kind, config).unwrap();
        let snap = capture_snapshot(&network, &task, &[1.0], &[], &[], 1);
        assert_eq!(snap.trial.input_offset, None, "{kind:?}");
        for out in [
            svg(|area| plot::output_traces(area, &snap.trial).unwrap()),
            svg(|area| plot::trial_plot(area, &snap.trial).unwrap()),
        ] {
            assert_eq!(
                rects_filled(&out, "#E6E6E6"),
                0,
                "{kind:?}: a stimulus shade"
            );
            assert_eq!(
                rects_filled(&out, "#E2E8F0"),
                1,
                "{kind:?}: the warm-up shade"
            );
        }
    }
    // a trial whose input stops before its end keeps the shade up to the offset
    let (network, task) = small_turcu(12, 4);
    let snap = capture_snapshot(&network, &task, &[1.0], &[], &[], 1);
    assert!(snap
        .trial
        .input_offset
        .is_some_and(|t| t < snap.trial.n_steps));
    let out = svg(|area| plot::output_traces(area, &snap.trial).unwrap());
    assert_eq!(rects_filled(&out, "#E6E6E6"), 1, "the stimulus shade");
}

#[test]
fn a_reservoirs_degradation_says_what_its_zero_is_and_missing_points_are_counted() {
    // the reservoir preset's curve fell to 0 at 10 % removed: a real result (the readout,
    // fitted with a tiny ridge to the intact states, is not refitted; the damaged
    // reservoir's prediction is worse than the series' mean, R² < 0, clipped to 0), not a
    // NaN — so the chart has to say what its 0 is
    let run = serde_json::json!({
        "reservoir": {"units": 60, "lr": 0.3, "sr": 1.25, "seed": 1},
        "task": {"id": "mackey-glass", "n_steps": 500, "warmup": 100},
        "train": {"batch_size": 1, "seed": 1},
        "rule": {"rule": "reservoir", "readout": "ridge", "ridge": 1e-6, "warmup": 100}
    });
    let mut session = sparse_rnn_lab::lab::session::Session::new(run).unwrap();
    session.train(1).unwrap();
    let network = &session.trainer.network;
    let task = session.trainer.task.as_ref();
    let analysis = capture_analysis(network, task, spectrum(&network.w_rec), 3, 1);
    let chart = &analysis.degradation;
    assert!(
        chart.title.contains("readout not refitted"),
        "{}",
        chart.title
    );
    assert_eq!(chart.y_label, "R² (≤ 0 shown as 0)");
    for series in &chart.series {
        let (intact, damaged) = (series.points[0].1, series.points[1].1);
        assert!(series.points.iter().all(|p| p.1.is_finite()), "{series:?}");
        assert!(intact > 0.9, "{series:?}");
        if series.label == "random" {
            assert!(damaged < 0.5 * intact, "10 % removed at random: {series:?}");
        }
    }
    // a classification task keeps "accuracy"
    let turcu = PatternClassification::new(PatternConfig {
        n_patterns: 4,
        pattern_dim: 12,
        ..Default::default()
    })
    .unwrap();
    assert_eq!(turcu.score_label(), "accuracy");
    // a NaN is not drawn (as 0 or anywhere) and the caption counts it
    let mut with_nan = chart.clone();
    with_nan.series[0].points[1].1 = f64::NAN;
    let out = svg(|area| plot::series_chart(area, &with_nan).unwrap());
    assert!(out.contains("(1 point not finite, not drawn)"), "{out}");
    let out = svg(|area| plot::series_chart(area, chart).unwrap());
    assert!(!out.contains("not finite"));
}

#[test]
fn an_unscored_warm_up_is_shaded_and_kept_out_of_the_value_range() {
    // a reservoir leaving its zero state: a large transient in the two unscored steps
    let trial = TrialTraces {
        outputs: vec![vec![40.0, -30.0, 0.5, 0.6, 0.4, 0.5]],
        input_offset: None,
        ..traces()
    };
    let out = svg(|area| plot::output_traces(area, &trial).unwrap());
    assert!(out.contains("warm-up (not scored)"), "{out}");
    assert_eq!(rects_filled(&out, "#E2E8F0"), 1, "warm-up shaded");
    // the y labels span the scored values (0 to 0.6 padded), not the transient
    for label in ["40.0", "30.0", "-30.0", "20.0", "10.0"] {
        assert!(
            !out.contains(&format!(">\n{label}\n<")),
            "label {label} in {out}"
        );
    }
    assert!(
        out.contains(">\n0.5\n<") || out.contains(">\n0.4\n<"),
        "{out}"
    );
    // without a leading unscored stretch nothing is shaded
    let scored = TrialTraces {
        mask: vec![vec![1.0; 6]],
        ..trial
    };
    let out = svg(|area| plot::output_traces(area, &scored).unwrap());
    assert!(!out.contains("warm-up"));
}

/// A small Turcu & Abbott network of `n` neurons with `k` synapses each (identity input,
/// population readout, dt 10 ms) and its task: 4 patterns of dimension `n`.
fn small_turcu(n: usize, k: usize) -> (Network, PatternClassification) {
    let network = Network::new(NetworkConfig {
        n_neurons: n,
        n_inputs: n,
        k,
        input_map: sparse_rnn_lab::model::InputMap::Identity,
        readout: sparse_rnn_lab::model::Readout::Population,
        dt_ms: 10.0,
        ..Default::default()
    })
    .unwrap();
    let task = PatternClassification::new(PatternConfig {
        n_patterns: 4,
        pattern_dim: n,
        ..Default::default()
    })
    .unwrap();
    (network, task)
}

#[test]
fn snapshot_of_a_small_network_has_consistent_shapes_and_round_trips_through_json() {
    let n = 20;
    let (network, task) = small_turcu(n, 5);
    let losses = vec![1.0; 2500];
    let snap = capture_snapshot(&network, &task, &losses, &[(10, 0.5)], &[(10, 0.25)], 7);
    assert_eq!(snap.step, 2500);
    assert!(snap.loss.len() <= plot::MAX_CURVE_POINTS);
    assert_eq!((snap.activity.n_rows, snap.activity.n_cols), (n, 20));
    assert_eq!((snap.weights.n_rows, snap.weights.n_cols), (n, n));
    assert_eq!(
        snap.weights.values.iter().filter(|w| **w != 0.0).count(),
        n * 5
    );
    assert_eq!(snap.trial.input_offset, Some(10));
    assert_eq!(snap.trial.inputs.len(), plot::MAX_INPUT_TRACES);
    assert_eq!(snap.trial.outputs[0].len(), 20);
    let json = serde_json::to_string(&snap).unwrap();
    let back: Snapshot = serde_json::from_str(&json).unwrap();
    assert_eq!(back, snap);
    let many: Vec<(usize, f32)> = (1..=2500).map(|s| (s, 0.5)).collect();
    let thinned = capture_snapshot(&network, &task, &losses, &many, &[], 7);
    assert!(thinned.accuracy.len() <= plot::MAX_CURVE_POINTS);
    assert_eq!(
        thinned.accuracy.last(),
        Some(&(2500.0, 0.5)),
        "the latest point is kept"
    );
    let same = capture_snapshot(&network, &task, &losses, &[(10, 0.5)], &[(10, 0.25)], 7);
    assert_eq!(same, snap, "a snapshot is reproducible from its seed");
}

fn chart(series: Vec<plot::Series>) -> plot::Chart {
    plot::Chart {
        title: "Capacity".into(),
        x_label: "patterns P".into(),
        y_label: "accuracy".into(),
        y_range: Some((0.0, 1.02)),
        series,
    }
}

#[test]
fn series_chart_draws_lines_markers_and_a_legend() {
    let series = |label: &str, y: f64| plot::Series {
        label: label.into(),
        points: vec![(10.0, y), (20.0, y / 2.0), (40.0, f64::NAN)],
        markers: true,
        line: true,
    };
    let out = svg(|area| {
        plot::series_chart(
            area,
            &chart(vec![series("K = 5", 1.0), series("K = 10", 0.8)]),
        )
        .unwrap()
    });
    assert!(out.contains("Capacity") && out.contains("patterns P") && out.contains("accuracy"));
    assert!(
        out.contains("K = 5") && out.contains("K = 10"),
        "legend: {out}"
    );
    assert_eq!(
        lines_stroked(&out, "#1F77B4"),
        2,
        "line + legend swatch of series 1"
    );
    assert_eq!(
        lines_stroked(&out, "#FF7F0E"),
        2,
        "line + legend swatch of series 2"
    );
    assert_eq!(
        count(&out, "<circle"),
        4,
        "a marker per finite point, NaN skipped"
    );
    let empty = svg(|area| plot::series_chart(area, &chart(vec![])).unwrap());
    assert!(empty.contains("no data yet"), "{empty}");
    let many: Vec<plot::Series> = (0..12).map(|i| series(&format!("s{i}"), 0.5)).collect();
    let crowded = svg(|area| plot::series_chart(area, &chart(many)).unwrap());
    assert!(
        !crowded.contains(">s11<"),
        "no legend for more than 8 series"
    );
}

#[test]
fn chart_json_round_trips_and_rejects_unknown_fields() {
    let text = r#"{"title": "t", "series": [{"label": "a", "points": [[1, 2]], "markers": true}]}"#;
    let parsed: plot::Chart = serde_json::from_str(text).unwrap();
    assert_eq!(parsed.series[0].points, vec![(1.0, 2.0)]);
    assert!(!parsed.series[0].line);
    assert!(serde_json::from_str::<plot::Chart>(r#"{"titel": "t"}"#).is_err());
}

#[test]
fn bar_chart_draws_one_bar_per_task_with_names() {
    let bars: Vec<(String, f32)> = vec![
        ("go".into(), 1.0),
        ("dm1".into(), 0.5),
        ("dms".into(), f32::NAN),
    ];
    let out = svg(|area| plot::bar_chart(area, "Per-task performance", &bars).unwrap());
    assert!(out.contains("Per-task performance"));
    assert!(
        out.contains(">\ngo\n<") && out.contains(">\ndm1\n<"),
        "{out}"
    );
    assert_eq!(
        rects_filled(&out, "#1F77B4"),
        3,
        "one bar per task (NaN = empty bar)"
    );
    let many: Vec<(String, f32)> = (0..126).map(|i| (format!("t{i}"), 0.5)).collect();
    let numbered = svg(|area| plot::bar_chart(area, "Mod-Cog", &many).unwrap());
    assert_eq!(rects_filled(&numbered, "#1F77B4"), 126);
    assert!(
        !numbered.contains(">t5<"),
        "126 bars are numbered, not named"
    );
}

#[test]
fn eigen_spectrum_shows_both_spectra_and_the_unit_circle() {
    let before = [(1.0, 0.0), (0.0, 1.0), (0.0, -1.0)];
    let after = [(1.5, 0.2), (1.5, -0.2)];
    let out = svg(|area| plot::eigen_spectrum(area, &before, &after).unwrap());
    assert!(out.contains("Eigenvalues of W_rec") && out.contains("unit circle"));
    assert!(out.contains("before training") && out.contains("now"));
    assert_eq!(
        count(&out, "fill=\"#D62728\""),
        2 + 1,
        "two eigenvalues now + legend"
    );
    assert!(
        lines_stroked(&out, "#000000") > 10,
        "dashed unit circle: {out}"
    );
}

#[test]
fn trial_plot_shows_inputs_periods_and_outputs() {
    let mut trial = traces();
    trial.periods = vec![("fixation".into(), 0, 2), ("response".into(), 2, 6)];
    trial.input_map = Heatmap::sample(3, 6, 256, 256, |c, t| (c + t) as f32);
    let out = svg(|area| plot::trial_plot(area, &trial).unwrap());
    assert!(
        out.contains("Inputs (3 channels; colour = value, dark 0.00 to yellow 7.00)"),
        "{out}"
    );
    assert!(
        out.contains("fixation") && out.contains("response"),
        "period names"
    );
    assert!(out.contains("Outputs (solid) vs targets (dashed)"));
    let period_lines = out
        .split("<polyline")
        .filter(|l| l.contains("stroke=\"#5A5A5A\""))
        .count();
    assert_eq!(
        period_lines, 2,
        "one boundary per panel (periods starting at 0 have none)"
    );
    assert!(
        rects_filled(&out, "#440154") >= 1,
        "lowest input value in the darkest colour"
    );
}

#[test]
fn analysis_of_a_small_network_has_spectra_curves_and_trajectories() {
    let (network, task) = small_turcu(12, 4);
    let before = spectrum(&network.w_rec);
    assert_eq!(before.len(), 12);
    let analysis = capture_analysis(&network, &task, before, 3, 7);
    assert_eq!((analysis.step, analysis.eigen_after.len()), (7, 12));
    assert_eq!(analysis.degradation.series.len(), 2);
    assert_eq!(analysis.degradation.series[0].points.len(), 10);
    assert_eq!(analysis.degradation.series[0].points[0].0, 0.0);
    assert_eq!(analysis.pca.series.len(), 8);
    assert!(analysis.pca.series[0]
        .points
        .iter()
        .all(|p| p.0.is_finite()));
    let json = serde_json::to_string(&analysis).unwrap();
    assert_eq!(
        serde_json::from_str::<plot::Analysis>(&json).unwrap(),
        analysis
    );
    let out = svg(|area| plot::series_chart(area, &analysis.pca).unwrap());
    assert!(out.contains("PCA"));
}

#[test]
fn a_yang_trial_is_drawn_in_the_tasks_terms_fixation_rings_rule_and_the_response_ring() {
    let task =
        sparse_rnn_lab::tasks::registry::build_task("yang-dm1", &serde_json::json!({})).unwrap();
    let spec = task.spec();
    let network = Network::new(NetworkConfig {
        n_neurons: 16,
        n_inputs: spec.n_inputs,
        n_outputs: spec.n_outputs,
        k: 4,
        dt_ms: spec.dt_ms,
        ..Default::default()
    })
    .unwrap();
    let snap = capture_snapshot(&network, task.as_ref(), &[1.0], &[], &[], 3);
    let names = |groups: &[(String, usize, usize)]| -> Vec<String> {
        groups.iter().map(|(name, _, _)| name.clone()).collect()
    };
    assert_eq!(
        names(&snap.trial.input_groups),
        ["fixation", "ring 1", "ring 2", "rule"]
    );
    assert_eq!(
        names(&snap.trial.output_groups),
        ["fixation", "response ring"]
    );
    // the groups say what the generator puts there: the fixation input is on during the
    // fixation period, one rule unit (dm1's) is on for the whole trial, and the rule
    // group ends at the last channel
    let trial = task.trial(&mut sparse_rnn_lab::rng::SimRng::new(3));
    let group = |name: &str| {
        snap.trial
            .input_groups
            .iter()
            .find(|g| g.0 == name)
            .unwrap()
            .clone()
    };
    let (_, f0, _) = group("fixation");
    let fixation = trial.period("fixation").unwrap();
    assert!((fixation.start..fixation.end).all(|t| trial.inputs[[t, f0]] > 0.5));
    let (_, r0, r1) = group("rule");
    assert_eq!(r1, spec.n_inputs);
    let rule_on =
        |t: usize| -> Vec<usize> { (r0..r1).filter(|c| trial.inputs[[t, *c]] > 0.5).collect() };
    let first = rule_on(0);
    assert_eq!(first.len(), 1, "rule units on at step 0: {first:?}");
    assert!((0..trial.n_steps()).all(|t| rule_on(t) == first));
    let (_, last_output_start, last_output_end) = snap.trial.output_groups[1].clone();
    assert_eq!((last_output_start, last_output_end), (1, spec.n_outputs));
    // the input heatmap's channel axis and the output legend use the names
    let drawn = svg(|area| plot::trial_plot(area, &snap.trial).unwrap());
    for label in [
        "fixation",
        "ring 1",
        "ring 2",
        "rule",
        "response ring (32)",
        "target (dashed)",
    ] {
        assert!(
            drawn.contains(&format!(">\n{label}\n<")),
            "no `{label}` in the task view"
        );
    }
    assert!(
        !drawn.contains(">\nchannel\n<"),
        "the axis still says `channel`"
    );
}
