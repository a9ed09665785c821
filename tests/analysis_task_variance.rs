//! Yang et al.'s task-variance analysis on a network whose answer is known, and its map
//! drawn to SVG.

use sparse_rnn_lab::analysis::{task_variance, TaskVarianceConfig};
use sparse_rnn_lab::model::{Activation, Connectivity, InitKind, Network, NetworkConfig};
use sparse_rnn_lab::tasks::registry::build_task;

/// 20 units without recurrence: units 0–7 see only modality 1, units 8–15 only modality 2,
/// units 16–19 nothing. On dm1 (modality 1 only) and dm2 (modality 2 only) the first group
/// varies only on dm1, the second only on dm2, the third never.
fn known_network() -> (Network, Box<dyn sparse_rnn_lab::tasks::Task>) {
    let task = build_task(
        "ngym-modcog-mixture",
        &serde_json::json!({"tasks": ["ngym-modcog-dm1", "ngym-modcog-dm2"], "sigma": 0.0}),
    )
    .unwrap();
    let spec = task.spec();
    let mut net = Network::new(NetworkConfig {
        n_neurons: 20,
        n_inputs: spec.n_inputs,
        n_outputs: spec.n_outputs,
        connectivity: Connectivity::Autapse,
        init: InitKind::Identity,
        gain: 0.0,
        activation: Activation::Relu,
        dt_ms: 100.0,
        tau_ms: 100.0,
        rec_noise_std: 0.0,
        ..Default::default()
    })
    .unwrap();
    for v in net
        .w_rec
        .values
        .iter_mut()
        .chain(net.w_rec_param.iter_mut())
    {
        *v = 0.0;
    }
    net.bias.iter_mut().for_each(|b| *b = 0.0);
    for row in 0..net.w_in.n_rows {
        for s in net.w_in.row_ptr[row]..net.w_in.row_ptr[row + 1] {
            let col = net.w_in.col_idx[s] as usize;
            let unit = row % 8;
            let on = match row / 8 {
                0 => col == 1 + 2 * unit,
                1 => col == 17 + 2 * unit,
                _ => false,
            };
            net.w_in.values[s] = if on { 1.0 } else { 0.0 };
        }
    }
    (net, task)
}

#[test]
fn clusters_recover_the_modality_groups_and_drop_silent_units() {
    let (net, task) = known_network();
    let config = TaskVarianceConfig {
        trials_per_task: 64,
        k_max: 6,
        ..Default::default()
    };
    let tv = task_variance(&net, task.as_ref(), &config).unwrap();
    assert_eq!(
        tv.units,
        (0..16).collect::<Vec<_>>(),
        "silent units excluded"
    );
    assert_eq!(tv.k, 2, "silhouettes {:?}", tv.silhouettes);
    assert!(tv.silhouette > 0.9, "{}", tv.silhouette);
    let first = tv.labels[0];
    assert!(tv.labels[..8].iter().all(|l| *l == first));
    assert!(tv.labels[8..].iter().all(|l| *l != first));
    for row in &tv.normalised {
        let max = row.iter().cloned().fold(0.0f32, f32::max);
        assert!((max - 1.0).abs() < 1e-6);
    }
    // dm1 row: the first group's cluster is at 1, the other at 0
    assert!((tv.cluster_map[0][first] - 1.0).abs() < 1e-6);
    assert!(tv.cluster_map[0][1 - first].abs() < 1e-6);
    assert!((tv.cluster_map[1][1 - first] - 1.0).abs() < 1e-6);
    assert_eq!(
        tv,
        task_variance(&net, task.as_ref(), &config).unwrap(),
        "deterministic"
    );
    let bad = TaskVarianceConfig {
        min_total_variance: 1e9,
        ..config
    };
    let e = task_variance(&net, task.as_ref(), &bad).unwrap_err();
    assert!(e.to_string().contains("min_total_variance"));
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn the_map_draws_one_cell_per_unit_and_task_with_names_and_boundaries() {
    use plotters::prelude::*;
    let (net, task) = known_network();
    let tv = task_variance(&net, task.as_ref(), &TaskVarianceConfig::default()).unwrap();
    let mut out = String::new();
    {
        let area = SVGBackend::with_string(&mut out, (640, 300)).into_drawing_area();
        sparse_rnn_lab::plot::task_variance_map(&area, &tv).unwrap();
    }
    let rects = out.matches("<rect").count();
    // background rect(s) + 16 units × 2 tasks + 2 clusters × 2 tasks
    assert!(rects >= 16 * 2 + 2 * 2, "{rects}");
    assert!(out.contains("ngym-modcog-dm1") && out.contains("ngym-modcog-dm2"));
    assert!(out.contains("k = 2"));
    let boundary = out
        .split("<polyline")
        .skip(1)
        .filter(|l| l.contains("stroke=\"#000000\""))
        .count();
    assert!(boundary >= 1, "cluster boundary line");
    let mut empty = String::new();
    {
        let area = SVGBackend::with_string(&mut empty, (300, 200)).into_drawing_area();
        sparse_rnn_lab::plot::task_variance_map(&area, &Default::default()).unwrap();
    }
    assert!(empty.contains("no data yet"));
}
