//! Yang et al.'s task-variance map: tasks (rows) × units ordered by cluster (left, with
//! cluster boundaries), and tasks × clusters (right, each cluster's mean normalised
//! variance). Draws a [`TaskVariance`] record; computes nothing.

use super::{plot_error, sequential, FONT};
use crate::analysis::TaskVariance;
use crate::error::Result;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Draw `record` on `area` ("no data yet" for an empty record).
pub fn task_variance_map<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    record: &TaskVariance,
) -> Result<()> {
    area.fill(&WHITE).map_err(plot_error)?;
    let n_tasks = record.tasks.len();
    if n_tasks == 0 || record.order.is_empty() {
        area.draw(&Text::new("no data yet", (20, 20), (FONT, 16)))
            .map_err(plot_error)?;
        return area.present().map_err(plot_error);
    }
    let width = area.dim_in_pixel().0 as f64;
    let (left, right) = area.split_horizontally((width * 0.68) as u32);
    let name = |y: f32| -> String {
        let row = n_tasks as f32 - y - 0.5;
        let i = row.round();
        if (row - i).abs() < 0.3 && i >= 0.0 && (i as usize) < n_tasks {
            record.tasks[i as usize].clone()
        } else {
            String::new()
        }
    };
    let units = record.order.len();
    let title = format!(
        "Normalised task variance: {units} units, k = {} (silhouette {:.2})",
        record.k, record.silhouette
    );
    let mut chart = ChartBuilder::on(&left)
        .caption(title, (FONT, 14))
        .margin(6)
        .x_label_area_size(30)
        .y_label_area_size(150)
        .build_cartesian_2d(0f32..units as f32, 0f32..n_tasks as f32)
        .map_err(plot_error)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc("unit (sorted by cluster)")
        .y_labels(n_tasks * 2 + 1)
        .y_label_formatter(&|y| name(*y))
        .x_label_formatter(&|x| format!("{x:.0}"))
        .draw()
        .map_err(plot_error)?;
    let top = n_tasks as f32;
    chart
        .draw_series(record.order.iter().enumerate().flat_map(|(x, unit)| {
            (0..n_tasks).map(move |t| {
                let v = record.normalised[*unit][t];
                let y1 = top - t as f32;
                Rectangle::new(
                    [(x as f32, y1 - 1.0), (x as f32 + 1.0, y1)],
                    sequential(v).filled(),
                )
            })
        }))
        .map_err(plot_error)?;
    let boundaries: Vec<f32> = (1..units)
        .filter(|i| record.labels[record.order[*i]] != record.labels[record.order[i - 1]])
        .map(|i| i as f32)
        .collect();
    chart
        .draw_series(
            boundaries
                .iter()
                .map(|x| PathElement::new(vec![(*x, 0.0), (*x, top)], BLACK.stroke_width(1))),
        )
        .map_err(plot_error)?;
    let k = record.k.max(1);
    let mut map = ChartBuilder::on(&right)
        .caption("Task × cluster", (FONT, 14))
        .margin(6)
        .x_label_area_size(30)
        .y_label_area_size(10)
        .build_cartesian_2d(0.5f32..k as f32 + 0.5, 0f32..n_tasks as f32)
        .map_err(plot_error)?;
    map.configure_mesh()
        .disable_mesh()
        .x_desc("cluster")
        .y_labels(0)
        .x_labels(k.min(12))
        .x_label_formatter(&|x| {
            // cluster numbers at the cell centres only
            if (x - x.round()).abs() < 0.01 {
                format!("{:.0}", x)
            } else {
                String::new()
            }
        })
        .draw()
        .map_err(plot_error)?;
    map.draw_series(record.cluster_map.iter().enumerate().flat_map(|(t, row)| {
        row.iter().enumerate().map(move |(c, v)| {
            let y1 = top - t as f32;
            Rectangle::new(
                [(c as f32 + 0.5, y1 - 1.0), (c as f32 + 1.5, y1)],
                sequential(*v).filled(),
            )
        })
    }))
    .map_err(plot_error)?;
    area.present().map_err(plot_error)
}
