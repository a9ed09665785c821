//! Reports: the records the page and the CLI draw ([`Snapshot`], [`Analysis`]) computed
//! from a network and its task. Simulation, pruning and PCA happen here; `plot` only
//! draws the records.

use crate::analysis::{degradation_curve, principal_components, project, PruneOrder};
use crate::math::eigenvalues;
use crate::model::{Csr, Network};
use crate::plot::{
    downsample, Analysis, Chart, Heatmap, Series, Snapshot, SpikeRaster, TrialTraces,
    MAX_ACTIVITY_STEPS, MAX_CURVE_POINTS, MAX_HEATMAP_SIDE, MAX_INPUT_TRACES,
};
use crate::rng::SimRng;
use crate::tasks::{ChannelGroup, Task, Trial, TrialBatch, TrialLabel};
use crate::train::Trajectory;

/// Largest network whose eigenvalues are computed (O(N³) in the browser).
pub const MAX_EIGEN_NEURONS: usize = 512;
/// Fractions of synapses removed in the degradation curve.
pub const DEGRADATION_FRACTIONS: [f64; 10] = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
/// Trials per degradation point.
pub const DEGRADATION_TRIALS: usize = 64;
/// Trials drawn in the PCA view.
pub const PCA_TRIALS: usize = 8;
/// Most neurons used for PCA (evenly spaced).
const PCA_MAX_NEURONS: usize = 256;
/// Most time points per trial used for PCA (evenly spaced).
const PCA_MAX_STEPS: usize = 150;

/// The trial the plots show (drawn from the stream `"snapshot"` of `trial_seed`) and its
/// noise-free trajectory on `network`.
pub fn plotted_trial(
    network: &Network,
    task: &dyn Task,
    trial_seed: u64,
) -> (TrialBatch, Trajectory) {
    let trial = task.trial(&mut SimRng::derived(trial_seed, "snapshot"));
    let batch = TrialBatch::pack(vec![trial]);
    let trajectory = Trajectory::of_batch(network, &batch);
    (batch, trajectory)
}

/// Simulate one trial of `task` (drawn from `trial_seed`, without noise) on `network`
/// and gather it with the histories. `loss_history[i]` is the loss of step `i + 1`.
pub fn capture_snapshot(
    network: &Network,
    task: &dyn Task,
    loss_history: &[f32],
    accuracy: &[(usize, f32)],
    late_accuracy: &[(usize, f32)],
    trial_seed: u64,
) -> Snapshot {
    let (batch, trajectory) = plotted_trial(network, task, trial_seed);
    let n = network.n_neurons();
    let t_max = batch.n_steps;
    let activity = Heatmap::sample(n, t_max, MAX_HEATMAP_SIDE, MAX_ACTIVITY_STEPS, |i, t| {
        trajectory.state(i, t + 1, 0)
    });
    let points = |history: &[(usize, f32)]| -> Vec<(f32, f32)> {
        let stride = history.len().div_ceil(MAX_CURVE_POINTS).max(1);
        let kept = history.iter().rev().step_by(stride).rev();
        kept.map(|(s, a)| (*s as f32, *a)).collect()
    };
    Snapshot {
        step: loss_history.len(),
        loss: downsample(loss_history, MAX_CURVE_POINTS),
        accuracy: points(accuracy),
        late_accuracy: points(late_accuracy),
        activity,
        weights: Heatmap::from_csr(&network.w_rec, MAX_HEATMAP_SIDE),
        trial: traces(&batch.trials[0], &trajectory, task),
        per_task: Vec::new(),
        raster: spike_raster(network, &trajectory, task.spec().dt_ms),
    }
}

/// The spike raster of the plotted trial (`None` for rate networks): rows sorted by type,
/// excitatory before inhibitory (Dale's law), plain LIF before adaptive.
pub fn spike_raster(network: &Network, trajectory: &Trajectory, dt_ms: f64) -> Option<SpikeRaster> {
    let config = &network.config;
    if !config.dynamics.is_spiking() || trajectory.spikes.is_empty() {
        return None;
    }
    let n = network.n_neurons();
    let beta_a = config.adaptation_betas();
    let b_len = trajectory.batch_size;
    let stride = (trajectory.n_steps + 1) * b_len;
    let group = |i: usize| {
        let sign = if !network.has_dale() {
            ""
        } else if network.neuron_sign[i] > 0.0 {
            "excitatory "
        } else {
            "inhibitory "
        };
        let kind = if beta_a[i] != 0.0 { "ALIF" } else { "LIF" };
        format!("{sign}{kind}")
    };
    // spikes z_t of trial 0 at steps t = 1..=T (z_0 = 0 is the initial state)
    Some(SpikeRaster::new(
        dt_ms,
        n,
        trajectory.n_steps,
        group,
        |i, t| trajectory.spikes[i * stride + (t + 1) * b_len] > 0.0,
    ))
}

fn traces(trial: &Trial, trajectory: &Trajectory, task: &dyn Task) -> TrialTraces {
    let groups = |groups: Vec<ChannelGroup>| -> Vec<(String, usize, usize)> {
        groups
            .into_iter()
            .map(|g| (g.name, g.start, g.end))
            .collect()
    };
    let dt_ms = task.spec().dt_ms;
    let n_steps = trial.n_steps();
    let column = |array: &ndarray::Array2<f32>, c: usize| array.column(c).to_vec();
    let n_inputs = trial.inputs.ncols().min(MAX_INPUT_TRACES);
    let n_outputs = trial.targets.ncols();
    TrialTraces {
        dt_ms,
        n_steps,
        inputs: (0..n_inputs).map(|c| column(&trial.inputs, c)).collect(),
        outputs: (0..n_outputs)
            .map(|o| (0..n_steps).map(|t| trajectory.output(o, t, 0)).collect())
            .collect(),
        targets: (0..n_outputs).map(|o| column(&trial.targets, o)).collect(),
        mask: (0..n_outputs).map(|o| column(&trial.mask, o)).collect(),
        input_offset: input_offset(trial),
        periods: trial
            .periods
            .iter()
            .map(|p| (p.name.clone(), p.start, p.end))
            .collect(),
        input_map: Heatmap::sample(
            trial.inputs.ncols(),
            n_steps,
            MAX_HEATMAP_SIDE,
            MAX_ACTIVITY_STEPS,
            |c, t| trial.inputs[[t, c]],
        ),
        input_groups: groups(task.input_channels()),
        output_groups: groups(task.output_channels()),
    }
}

/// The step at which the trial's stimulus ends (the plots shade the trial up to it): the
/// end of its `stimulus` period if it names one; else one past the last step with any
/// non-zero input — but only when that comes before the trial's end. An input that runs
/// to the last step is not a stimulus followed by a response but the signal the network
/// is driven by throughout (Mackey-Glass, NARMA, the memory-capacity task): such a trial
/// has no stimulus period, and nothing is shaded as one (its unscored warm-up is shaded
/// by the output view, from the mask).
fn input_offset(trial: &Trial) -> Option<usize> {
    if let Some(period) = trial.period("stimulus") {
        return Some(period.end);
    }
    (0..trial.n_steps())
        .rev()
        .find(|t| trial.inputs.row(*t).iter().any(|x| *x != 0.0))
        .map(|t| t + 1)
        .filter(|end| *end < trial.n_steps())
}

/// Eigenvalues `(re, im)` of the recurrent matrix `w` (rows = postsynaptic), or an empty
/// list if it is larger than [`MAX_EIGEN_NEURONS`] or the QR iteration did not converge.
pub fn spectrum(w: &Csr) -> Vec<(f64, f64)> {
    let n = w.n_rows;
    if n == 0 || n > MAX_EIGEN_NEURONS || w.n_cols != n {
        return Vec::new();
    }
    let dense: Vec<f64> = w.to_dense().into_iter().map(f64::from).collect();
    eigenvalues(&dense, n)
        .map(|ev| ev.into_iter().map(|e| (e.re, e.im)).collect())
        .unwrap_or_default()
}

/// Analyse `network` on `task`: `eigen_before` is passed in (see [`spectrum`]; compute
/// it once from the initial weights), the rest is computed now from trials drawn from
/// `seed`. `step` is recorded as is.
pub fn capture_analysis(
    network: &Network,
    task: &dyn Task,
    eigen_before: Vec<(f64, f64)>,
    seed: u64,
    step: usize,
) -> Analysis {
    Analysis {
        step,
        eigen_before,
        eigen_after: spectrum(&network.w_rec),
        degradation: degradation(network, task, seed),
        pca: pca(network, task, seed),
    }
}

fn degradation(network: &Network, task: &dyn Task, seed: u64) -> Chart {
    let batch = task.batch(
        &mut SimRng::derived(seed, "degradation"),
        DEGRADATION_TRIALS,
    );
    let series = [
        (PruneOrder::Random, "random"),
        (PruneOrder::Magnitude, "smallest |w| first"),
    ]
    .map(|(order, label)| Series {
        label: label.into(),
        points: degradation_curve(network, task, &batch, &DEGRADATION_FRACTIONS, order, seed)
            .into_iter()
            .map(|p| (p.fraction_removed, p.accuracy as f64))
            .collect(),
        markers: true,
        line: true,
    });
    // the readout stays as trained: for a reservoir (only its readout learned, with a
    // small ridge) removing even 1 % of the synapses moves the states off what the readout
    // was fitted to, and the one-step prediction falls below the series' mean (R² < 0,
    // drawn as 0) — a real result, which the title and the score's label say
    Chart {
        title: "Degradation, readout not refitted".into(),
        x_label: "fraction of synapses removed".into(),
        y_label: task.score_label().into(),
        y_range: Some((0.0, 1.02)),
        series: series.to_vec(),
    }
}

fn describe(label: &TrialLabel) -> String {
    match label {
        TrialLabel::Class(c) => format!("class {c}"),
        TrialLabel::Angle(a) => format!("{:.0} deg", a.to_degrees()),
        TrialLabel::Fixate => "fixate".into(),
        TrialLabel::Trace => "trace".into(),
    }
}

fn pca(network: &Network, task: &dyn Task, seed: u64) -> Chart {
    let batch = task.batch(&mut SimRng::derived(seed, "pca"), PCA_TRIALS);
    let trajectory = Trajectory::of_batch(network, &batch);
    let n = network.n_neurons();
    let neurons: Vec<usize> = (0..n.min(PCA_MAX_NEURONS))
        .map(|i| i * n / n.min(PCA_MAX_NEURONS))
        .collect();
    let steps = batch.n_steps.clamp(1, PCA_MAX_STEPS);
    let times: Vec<usize> = (0..steps).map(|s| 1 + s * batch.n_steps / steps).collect();
    let samples = batch.batch_size * times.len();
    let mut data = Vec::with_capacity(neurons.len() * samples);
    for &i in &neurons {
        for b in 0..batch.batch_size {
            data.extend(times.iter().map(|&t| trajectory.state(i, t, b)));
        }
    }
    let (axes, variances) = principal_components(&data, neurons.len(), samples, 2);
    let coords = project(&data, neurons.len(), samples, &axes);
    let total: f64 = variances.iter().sum::<f64>().max(f64::MIN_POSITIVE);
    let series = (0..batch.batch_size)
        .map(|b| Series {
            label: describe(&batch.trials[b].label),
            points: (0..times.len())
                .map(|s| {
                    let k = b * times.len() + s;
                    let pc = |a: usize| coords.get(a).map_or(0.0, |c| c[k]);
                    (pc(0), pc(1))
                })
                .collect(),
            markers: false,
            line: true,
        })
        .collect();
    let share = |a: usize| 100.0 * variances.get(a).copied().unwrap_or(0.0) / total;
    Chart {
        title: "Hidden-state trajectories (PCA)".into(),
        x_label: format!("PC1 ({:.0} % of top-2 variance)", share(0)),
        y_label: format!("PC2 ({:.0} %)", share(1)),
        y_range: None,
        series,
    }
}

/// Most trials drawn in the readout picture (evenly spaced over the task's conditions).
pub const MAX_READOUT_TRIALS: usize = 100;
/// How many times longer than in training the readout picture's post-stimulus period is
/// (the task's persistence variant), to show whether the decision holds after the input.
pub const READOUT_PERSISTENCE_FACTOR: f64 = 5.0;

/// Turcu & Abbott's signature picture, one chart per `(network, title)`: the readout of
/// every condition trial of `task` (its patterns, at most [`MAX_READOUT_TRIALS`], evenly
/// spaced) over a trial whose post-stimulus period is [`READOUT_PERSISTENCE_FACTOR`]×
/// the training one, one series per trial labelled by class (the amplified class first,
/// so it takes the first palette colour), plus the decision threshold (midpoint of the
/// two classes' targets) and vertical lines where the input ends and where the training
/// trial ended. All charts share one y range so "before" and "after" compare. `None`
/// unless the network has one output and the task a finite set of class-labelled
/// conditions (trials drawn from `seed`, without noise).
pub fn readout_traces(
    networks: &[(&Network, &str)],
    task: &dyn Task,
    seed: u64,
) -> Option<Vec<Chart>> {
    if networks.iter().any(|(net, _)| net.n_outputs() != 1) {
        return None;
    }
    let training_steps = task.trial(&mut SimRng::derived(seed, "readout")).n_steps();
    let long = task.persistence_variant(READOUT_PERSISTENCE_FACTOR);
    let shown: &dyn Task = long.as_deref().unwrap_or(task);
    let all = shown.condition_trials(&mut SimRng::derived(seed, "readout"))?;
    let class_of = |t: &Trial| match t.label {
        TrialLabel::Class(c) => Some(c),
        _ => None,
    };
    if all.is_empty() || all.iter().any(|t| class_of(t).is_none()) {
        return None;
    }
    let stride = all.len().div_ceil(MAX_READOUT_TRIALS).max(1);
    let mut trials: Vec<Trial> = all.into_iter().step_by(stride).collect();
    trials.sort_by_key(|t| std::cmp::Reverse(class_of(t)));
    let turcu = task.spec().id.starts_with("turcu");
    let name = |class: usize| match (turcu, class) {
        (true, 1) => "amplified class".to_string(),
        (true, _) => "other class".to_string(),
        (false, c) => format!("class {c}"),
    };
    let threshold = class_threshold(&trials);
    let offset = input_offset(&trials[0]);
    let dt = shown.spec().dt_ms;
    let batch = TrialBatch::pack(trials);
    let mut charts: Vec<Chart> = networks
        .iter()
        .map(|(network, title)| {
            let trajectory = Trajectory::of_batch(network, &batch);
            let series = batch
                .trials
                .iter()
                .enumerate()
                .map(|(b, trial)| Series {
                    label: name(class_of(trial).unwrap_or(0)),
                    points: (0..trial.n_steps())
                        .map(|t| ((t + 1) as f64 * dt, trajectory.output(0, t, b) as f64))
                        .collect(),
                    markers: false,
                    line: true,
                })
                .collect();
            Chart {
                title: (*title).to_string(),
                x_label: "time (ms)".into(),
                y_label: "readout (mean rate)".into(),
                y_range: None,
                series,
            }
        })
        .collect();
    let values = charts
        .iter()
        .flat_map(|c| c.series.iter().flat_map(|s| s.points.iter().map(|p| p.1)))
        .chain(threshold)
        .filter(|v| v.is_finite());
    let (lo, hi) = values.fold((0.0f64, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let hi = if hi > lo { hi } else { lo + 1.0 };
    let (lo, hi) = (lo - 0.05 * (hi - lo), hi + 0.05 * (hi - lo));
    let t_end = batch.n_steps as f64 * dt;
    let vertical = |label: &str, x: f64| Series {
        label: label.into(),
        points: vec![(x, lo), (x, hi)],
        markers: false,
        line: true,
    };
    for chart in &mut charts {
        chart.y_range = Some((lo, hi));
        if let Some(threshold) = threshold {
            chart.series.push(Series {
                label: "decision threshold".into(),
                points: vec![(0.0, threshold), (t_end, threshold)],
                markers: false,
                line: true,
            });
        }
        if let Some(offset) = offset {
            chart
                .series
                .push(vertical("input ends", offset as f64 * dt));
        }
        chart.series.push(vertical(
            "end of training trial",
            training_steps as f64 * dt,
        ));
    }
    Some(charts)
}

/// Midpoint between the mean final target of class-1 trials and that of the others (the
/// readout threshold of a two-class task), or `None` without both classes.
fn class_threshold(trials: &[Trial]) -> Option<f64> {
    let final_target = |t: &Trial| t.targets[[t.n_steps() - 1, 0]] as f64;
    let mean = |high: bool| {
        let values: Vec<f64> = trials
            .iter()
            .filter(|t| (t.label == TrialLabel::Class(1)) == high)
            .map(final_target)
            .collect();
        (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
    };
    Some((mean(true)? + mean(false)?) / 2.0)
}
