//! Turcu & Abbott's readout picture (`lab::report::readout_traces`, `Session::readout_traces`)
//! and the task view's labelled input panel. Native only (SVG backend).
#![cfg(not(target_arch = "wasm32"))]

use plotters::prelude::*;
use serde_json::json;
use sparse_rnn_lab::lab::report::{readout_traces, MAX_READOUT_TRIALS};
use sparse_rnn_lab::lab::session::Session;
use sparse_rnn_lab::plot::{self, Heatmap, TrialTraces};

fn svg(draw: impl FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>)) -> String {
    let mut out = String::new();
    {
        let area = SVGBackend::with_string(&mut out, (480, 360)).into_drawing_area();
        draw(&area);
    }
    out
}

/// The page's Turcu & Abbott run description at a small size.
fn turcu_session(n_patterns: usize) -> Session {
    Session::new(json!({
        "network": {"n_neurons": 40, "connectivity": "random-density", "density": 0.1,
                    "activation": "rectified-tanh", "dynamics": "voltage", "input_map": "identity",
                    "readout": "population", "readout_fraction": 0.1, "dt_ms": 10, "tau_ms": 100,
                    "train_bias": false, "seed": 3},
        "train": {"learning_rate": 0.15, "batch_size": 20, "clip_norm": 0, "seed": 3,
                  "loss": {"hinge": {"threshold": 0.5}}},
        "task": {"id": "turcu-classification", "n_patterns": n_patterns,
                 "target_high": 0.6, "target_low": 0.4}
    }))
    .unwrap()
}

#[test]
fn readout_picture_has_one_series_per_pattern_by_class_and_the_markers() {
    let mut session = turcu_session(20);
    let (before, untrained) = session
        .readout_traces()
        .expect("a Turcu task has the picture");
    assert!(
        before.series == untrained.series,
        "untrained: before = after"
    );
    session.train(30).unwrap();
    let (before_again, after) = session.readout_traces().unwrap();
    assert!(
        before_again.series[..20] == before.series[..20],
        "'before' is the network as built (the marker lines follow the shared range)"
    );
    assert!(
        after.series[..20] != before.series[..20],
        "training changed the readout"
    );
    let before = before_again;
    assert!(after.title.contains("after 30 steps"), "{}", after.title);
    for chart in [&before, &after] {
        // 20 patterns, then threshold, input offset, end of the training trial
        assert_eq!(chart.series.len(), 23);
        let labels: Vec<&str> = chart.series.iter().map(|s| s.label.as_str()).collect();
        let amplified = labels.iter().filter(|l| **l == "amplified class").count();
        let other = labels.iter().filter(|l| **l == "other class").count();
        assert_eq!((amplified, other), (10, 10), "{labels:?}");
        assert_eq!(
            labels[0], "amplified class",
            "amplified class drawn first (blue)"
        );
        assert_eq!(
            &labels[20..],
            &["decision threshold", "input ends", "end of training trial"]
        );
        // trials 5x longer after the input: 10 steps of input + 50 after, dt 10 ms
        assert_eq!(chart.series[0].points.len(), 60);
        assert_eq!(chart.series[0].points[59].0, 600.0);
        let threshold = chart.series[20].points[0].1;
        assert!(
            (threshold - 0.5).abs() < 1e-6,
            "threshold between 0.6 and 0.4"
        );
        assert_eq!(
            chart.series[21].points[0].0, 100.0,
            "input ends after 1 tau"
        );
        assert_eq!(
            chart.series[22].points[0].0, 200.0,
            "training trials last 2 tau"
        );
    }
    assert_eq!(before.y_range, after.y_range, "one y range for both");
    let (lo, hi) = after.y_range.unwrap();
    let inside = after
        .series
        .iter()
        .flat_map(|s| &s.points)
        .all(|p| p.1 >= lo && p.1 <= hi);
    assert!(inside, "every point inside the shared range");
    let out = svg(|area| plot::series_chart(area, &after).unwrap());
    assert!(
        out.contains("amplified class") && out.contains("input ends"),
        "legend"
    );
}

#[test]
fn readout_picture_is_thinned_and_absent_where_it_means_nothing() {
    let session = turcu_session(3 * MAX_READOUT_TRIALS);
    let (before, _) = session.readout_traces().unwrap();
    assert!(before.series.len() <= MAX_READOUT_TRIALS + 3);
    let yang =
        Session::new(json!({"network": {"n_neurons": 16}, "task": {"id": "yang-go"}})).unwrap();
    assert!(
        yang.readout_traces().is_none(),
        "no finite class-labelled conditions"
    );
    let network = &session.trainer.network;
    let task = session.trainer.task.as_ref();
    assert!(readout_traces(&[(network, "a")], task, 1).is_some());
}

#[test]
fn task_view_draws_few_inputs_as_labelled_lines_and_many_as_a_heatmap() {
    let mut trial = TrialTraces {
        dt_ms: 1.0,
        n_steps: 6,
        inputs: vec![vec![0.0, 1.0, 1.0, 0.0, 0.0, 0.0], vec![0.0; 6]],
        outputs: vec![vec![0.0; 6]],
        targets: vec![vec![0.0, 0.0, 0.0, 1.0, 1.0, 1.0]],
        mask: vec![vec![0.0, 0.0, 0.0, 1.0, 1.0, 1.0]],
        input_offset: Some(3),
        periods: vec![("stimulus".into(), 0, 3), ("response".into(), 3, 6)],
        ..Default::default()
    };
    trial.input_map = Heatmap::sample(2, 6, 256, 256, |c, t| trial.inputs[c][t]);
    let lines = svg(|area| plot::trial_plot(area, &trial).unwrap());
    assert!(lines.contains("Inputs (2 channels)"), "{lines}");
    assert!(lines.contains(">\ninput 1\n<") && lines.contains(">\ninput 2\n<"));
    assert!(lines.contains(">\noutput\n<") && lines.contains(">\ntarget\n<"));
    // input colours differ from the output's
    assert!(lines.contains("stroke=\"#D62728\""), "input 1 in red");
    trial.inputs.truncate(1);
    let map = svg(|area| plot::trial_plot(area, &trial).unwrap());
    assert!(
        map.contains("colour = value"),
        "more channels than traces: heatmap"
    );
    assert!(!map.contains("input 1"));
}
