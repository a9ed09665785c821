//! Reports: the records the page and the CLI draw ([`Snapshot`], [`Analysis`]) computed
//! from a network and its task. Simulation, pruning and PCA happen here; `plot` only
//! draws the records.

use crate::analysis::{degradation_curve, principal_components, project, PruneOrder};
use crate::math::eigenvalues;
use crate::model::{Csr, Network};
use crate::plot::{
    downsample, Analysis, Chart, Heatmap, Series, Snapshot, TrialTraces, MAX_ACTIVITY_STEPS,
    MAX_CURVE_POINTS, MAX_HEATMAP_SIDE, MAX_INPUT_TRACES,
};
use crate::rng::SimRng;
use crate::tasks::{Task, Trial, TrialBatch, TrialLabel};
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
        trial: traces(&batch.trials[0], &trajectory, task.spec().dt_ms),
        per_task: Vec::new(),
    }
}

fn traces(trial: &Trial, trajectory: &Trajectory, dt_ms: f64) -> TrialTraces {
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
    }
}

/// End of the `stimulus` period if there is one, else one past the last step with any
/// non-zero input.
fn input_offset(trial: &Trial) -> Option<usize> {
    if let Some(period) = trial.period("stimulus") {
        return Some(period.end);
    }
    (0..trial.n_steps())
        .rev()
        .find(|t| trial.inputs.row(*t).iter().any(|x| *x != 0.0))
        .map(|t| t + 1)
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
    Chart {
        title: "Degradation: synapses removed after training".into(),
        x_label: "fraction of synapses removed".into(),
        y_label: "accuracy".into(),
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
