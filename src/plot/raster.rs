//! Spike raster of one trial: neurons (sorted by type) against time, one dot per spike.

use super::{plot_error, FONT};
use crate::error::Result;
use plotters::coord::Shift;
use plotters::prelude::*;
use serde::{Deserialize, Serialize};

/// Most neurons a raster keeps (evenly spaced within each group when there are more).
pub const MAX_RASTER_NEURONS: usize = 256;
/// Most spikes a raster keeps (the earliest; `truncated` says when more were dropped).
pub const MAX_RASTER_SPIKES: usize = 10_000;

/// A group of raster rows with one neuron type (e.g. "excitatory LIF", "inhibitory ALIF").
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RasterGroup {
    /// The type's name, shown in the legend.
    pub name: String,
    /// First row of the group.
    pub start: usize,
    /// One past its last row.
    pub end: usize,
}

/// The spikes of one trial as a small record: rows are neurons sorted by type (groups),
/// each spike a `(row, step)` pair.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SpikeRaster {
    /// Time step in milliseconds.
    pub dt_ms: f64,
    /// Steps of the trial.
    pub n_steps: usize,
    /// Rows kept (at most [`MAX_RASTER_NEURONS`]).
    pub n_rows: usize,
    /// Neurons of the network.
    pub n_neurons: usize,
    /// The row groups, in row order.
    pub groups: Vec<RasterGroup>,
    /// `(row, step)` of every kept spike, in time order.
    pub spikes: Vec<(u32, u32)>,
    /// Spikes of the kept rows dropped beyond [`MAX_RASTER_SPIKES`].
    pub truncated: usize,
}

impl SpikeRaster {
    /// The raster of `n_neurons` neurons over `n_steps` steps, where `spiked(i, t)` says
    /// whether neuron `i` spiked at step `t` and `group_of(i)` names its type. Rows are
    /// sorted by group (in order of first appearance), neurons kept in index order within a
    /// group; with more than [`MAX_RASTER_NEURONS`] neurons each group keeps its share,
    /// evenly spaced.
    pub fn new(
        dt_ms: f64,
        n_neurons: usize,
        n_steps: usize,
        group_of: impl Fn(usize) -> String,
        spiked: impl Fn(usize, usize) -> bool,
    ) -> Self {
        let mut names: Vec<String> = Vec::new();
        let mut members: Vec<Vec<usize>> = Vec::new();
        for i in 0..n_neurons {
            let name = group_of(i);
            match names.iter().position(|n| *n == name) {
                Some(g) => members[g].push(i),
                None => {
                    names.push(name);
                    members.push(vec![i]);
                }
            }
        }
        let mut rows = Vec::new();
        let mut groups = Vec::new();
        for (name, neurons) in names.into_iter().zip(members) {
            let share = if n_neurons <= MAX_RASTER_NEURONS {
                neurons.len()
            } else {
                (neurons.len() * MAX_RASTER_NEURONS / n_neurons).max(1)
            };
            let start = rows.len();
            rows.extend((0..share).map(|k| neurons[k * neurons.len() / share]));
            groups.push(RasterGroup {
                name,
                start,
                end: rows.len(),
            });
        }
        let mut spikes = Vec::new();
        let mut truncated = 0;
        for t in 0..n_steps {
            for (row, &i) in rows.iter().enumerate() {
                if spiked(i, t) {
                    if spikes.len() < MAX_RASTER_SPIKES {
                        spikes.push((row as u32, t as u32));
                    } else {
                        truncated += 1;
                    }
                }
            }
        }
        SpikeRaster {
            dt_ms,
            n_steps,
            n_rows: rows.len(),
            n_neurons,
            groups,
            spikes,
            truncated,
        }
    }
}

/// Colours of the raster's groups (cycled).
const GROUP_COLOURS: [RGBColor; 4] = [
    RGBColor(200, 40, 40),
    RGBColor(31, 90, 200),
    RGBColor(230, 120, 10),
    RGBColor(60, 150, 60),
];

/// Draw `raster`: time in ms against the neuron rows, one dot per spike coloured by the
/// neuron's group, with a legend naming the groups.
pub fn spike_raster<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    raster: &SpikeRaster,
) -> Result<()> {
    area.fill(&WHITE).map_err(plot_error)?;
    let dt = raster.dt_ms as f32;
    let t_end = (raster.n_steps.max(1) as f32) * dt;
    let rows = raster.n_rows.max(1) as f32;
    let mut caption = format!(
        "Spike raster ({} spikes, {} of {} neurons)",
        raster.spikes.len(),
        raster.n_rows,
        raster.n_neurons
    );
    if raster.truncated > 0 {
        caption.push_str(&format!(", {} later spikes not shown", raster.truncated));
    }
    let mut chart = ChartBuilder::on(area)
        .caption(caption, (FONT, 16))
        .margin(8)
        .x_label_area_size(36)
        .y_label_area_size(44)
        .build_cartesian_2d(0f32..t_end, 0f32..rows)
        .map_err(plot_error)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc("time (ms)")
        .y_desc("neuron (by type)")
        .x_label_formatter(&|x| format!("{x:.0}"))
        // whole neurons only: a few rows get one label each (not 2, 2, 3, 4, 4 from
        // rounding fractional ticks), many rows at most 10
        .y_labels(raster.n_rows.clamp(1, 10) + 1)
        .y_label_formatter(&|y| format!("{y:.0}"))
        .draw()
        .map_err(plot_error)?;
    for (g, group) in raster.groups.iter().enumerate() {
        let colour = GROUP_COLOURS[g % GROUP_COLOURS.len()];
        let dots = raster
            .spikes
            .iter()
            .filter(|(row, _)| (group.start..group.end).contains(&(*row as usize)))
            .map(move |&(row, t)| {
                let x = t as f32 * dt;
                let y = row as f32;
                Rectangle::new(
                    [(x, y), (x + dt.max(t_end / 800.0), y + 1.0)],
                    colour.filled(),
                )
            });
        chart
            .draw_series(dots)
            .map_err(plot_error)?
            .label(group.name.clone())
            .legend(move |(x, y)| Rectangle::new([(x, y - 4), (x + 8, y + 4)], colour.filled()));
    }
    if !raster.groups.is_empty() {
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .position(SeriesLabelPosition::UpperRight)
            .draw()
            .map_err(plot_error)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_sorted_by_type_and_spikes_kept_in_time_order() {
        // neurons 0, 2 inhibitory; 1, 3 excitatory; neuron i spikes at steps t ≡ i (mod 4)
        let raster = SpikeRaster::new(
            0.5,
            4,
            8,
            |i| if i % 2 == 0 { "I" } else { "E" }.to_string(),
            |i, t| t % 4 == i,
        );
        assert_eq!(raster.groups.len(), 2);
        assert_eq!(
            (raster.groups[0].name.as_str(), raster.groups[0].end),
            ("I", 2)
        );
        // rows: 0 → neuron 0, 1 → neuron 2, 2 → neuron 1, 3 → neuron 3
        assert_eq!(
            raster.spikes,
            vec![
                (0, 0),
                (2, 1),
                (1, 2),
                (3, 3),
                (0, 4),
                (2, 5),
                (1, 6),
                (3, 7)
            ]
        );
        assert_eq!(raster.truncated, 0);
    }

    #[test]
    fn large_networks_are_thinned_within_groups() {
        let raster = SpikeRaster::new(1.0, 1000, 2, |i| (i < 800).to_string(), |_, _| true);
        assert_eq!(raster.n_rows, 204 + 51);
        assert_eq!(raster.groups[1].start, 204);
        assert_eq!(raster.spikes.len(), 2 * raster.n_rows);
    }
}
