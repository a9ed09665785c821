//! Python-ready export: one `.npz` with everything needed to rebuild the network in NumPy
//! and re-simulate a trial, under PsychRNN's key names where PsychRNN has one.
//!
//! | key | shape | meaning |
//! |---|---|---|
//! | `W_in` | `[N, I]` | input weights (PsychRNN `W_in`) |
//! | `W_rec` | `[N, N]` | **effective** recurrent weights, mask and Dale signs applied (row = postsynaptic) |
//! | `W_out` | `[O, N]` | readout weights |
//! | `b_rec` | `[N]` | recurrent biases |
//! | `b_out` | `[O]` | readout biases (0 without `readout_bias`) |
//! | `Connectivity_rec` | `[N, N]` | 1 where a synapse exists (the mask) |
//! | `Dale_rec` | `[N, N]` | diagonal of Dale signs (+1 E, −1 I; identity without Dale's law) |
//! | `dale_signs` | `[N]` | the same signs as a vector |
//! | `init_state` | `[1, N]` | initial state (zeros: h₀ = 0, or x₀ = 0 in the voltage form) |
//! | `alpha` | `()` | dt / τ (float32, as the simulator uses it) |
//! | `config` | `()` | JSON string: `network` (the full network config: `dynamics`, `activation`, ...), `run`, `task`, `steps_done` |
//! | `trial_inputs` | `[T, I]` | the plotted trial's inputs (noise-free network run) |
//! | `trial_targets`, `trial_loss_mask` | `[T, O]` | its targets and loss weights |
//! | `trial_states` | `[T+1, N]` | the states, `trial_states[0] = init_state` (h, or x in the voltage form) |
//! | `trial_outputs` | `[T, O]` | the readout |
//! | `ob`, `gt` | `[T, I]`, `[T]` int64 | neurogym form ([`crate::tasks::ob_gt`]); `gt` only for the Yang / Mod-Cog layout |
//!
//! Dynamics (α = `alpha`, f = `config.network.activation`): rate form
//! `h ← (1−α)h + α f(W_rec h + W_in u + b_rec)`, `y = W_out h`; voltage form
//! `x ← (1−α)x + α (W_rec f(x) + W_in u + b_rec)`, `y = W_out f(x)`.

use super::session::Session;
use crate::error::{Error, Result};
use crate::lab::npz::Npz;
use crate::model::Network;
use crate::rng::SimRng;
use crate::tasks::ob_gt::neurogym_arrays;
use crate::tasks::{Task, TrialBatch};
use crate::train::Trajectory;
use serde_json::{json, Value};

/// Largest N exported (three dense N × N float32 matrices: 48 MiB at 2048).
pub const MAX_NPZ_NEURONS: usize = 2048;
/// Largest trial exported, in steps.
pub const MAX_NPZ_STEPS: usize = 100_000;

fn flat(array: &ndarray::Array2<f32>) -> Vec<f32> {
    array.iter().cloned().collect()
}

/// The `.npz` of `network` and the trial of `task` drawn from stream `"snapshot"` of
/// `trial_seed` (the trial the page plots), simulated without noise.
pub fn export_npz(
    network: &Network,
    task: &dyn Task,
    run: &Value,
    steps_done: usize,
    trial_seed: u64,
) -> Result<Vec<u8>> {
    let n = network.n_neurons();
    if n > MAX_NPZ_NEURONS {
        return Err(Error::field(
            "n_neurons",
            n,
            "must be <= 2048 for an .npz export",
        ));
    }
    let (inputs, outputs) = (network.n_inputs(), network.n_outputs());
    let trial = task.trial(&mut SimRng::derived(trial_seed, "snapshot"));
    let t_max = trial.n_steps();
    if t_max > MAX_NPZ_STEPS || trial.inputs.ncols() != inputs {
        return Err(Error::Shape {
            what: "exported trial",
            expected: format!("<= {MAX_NPZ_STEPS} steps of {inputs} inputs"),
            actual: format!("{t_max} steps of {} inputs", trial.inputs.ncols()),
        });
    }
    let batch = TrialBatch::pack(vec![trial.clone()]);
    let trajectory = Trajectory::of_batch(network, &batch);

    let mut npz = Npz::new();
    npz.add_f32("W_in", &network.w_in.to_dense(), &[n, inputs])?;
    npz.add_f32("W_rec", &network.w_rec.to_dense(), &[n, n])?;
    npz.add_f32("W_out", &network.w_out.to_dense(), &[outputs, n])?;
    npz.add_f32("b_rec", &network.bias, &[n])?;
    let b_out = if network.b_out.is_empty() {
        vec![0.0; outputs]
    } else {
        network.b_out.clone()
    };
    npz.add_f32("b_out", &b_out, &[outputs])?;
    let mut mask = network.w_rec.clone();
    mask.values.iter_mut().for_each(|v| *v = 1.0);
    npz.add_f32("Connectivity_rec", &mask.to_dense(), &[n, n])?;
    let mut dale = vec![0.0f32; n * n];
    for (i, s) in network.neuron_sign.iter().enumerate() {
        dale[i * n + i] = *s;
    }
    npz.add_f32("Dale_rec", &dale, &[n, n])?;
    npz.add_f32("dale_signs", &network.neuron_sign, &[n])?;
    npz.add_f32("init_state", &vec![0.0; n], &[1, n])?;
    npz.add_f32("alpha", &[network.config.alpha()], &[])?;
    let config = json!({
        "schema": "sparse-rnn-lab/npz", "version": 1, "network": network.config,
        "run": run, "task": task.spec(), "steps_done": steps_done,
    });
    npz.add_str("config", &config.to_string())?;

    npz.add_f32("trial_inputs", &flat(&trial.inputs), &[t_max, inputs])?;
    npz.add_f32("trial_targets", &flat(&trial.targets), &[t_max, outputs])?;
    npz.add_f32("trial_loss_mask", &flat(&trial.mask), &[t_max, outputs])?;
    let mut states = Vec::with_capacity((t_max + 1) * n);
    for t in 0..=t_max {
        states.extend((0..n).map(|i| trajectory.state(i, t, 0)));
    }
    npz.add_f32("trial_states", &states, &[t_max + 1, n])?;
    let mut readout = Vec::with_capacity(t_max * outputs);
    for t in 0..t_max {
        readout.extend((0..outputs).map(|o| trajectory.output(o, t, 0)));
    }
    npz.add_f32("trial_outputs", &readout, &[t_max, outputs])?;
    npz.add_f32("ob", &flat(&trial.inputs), &[t_max, inputs])?;
    if let Ok((_, gt)) = neurogym_arrays(&trial) {
        npz.add_i64("gt", &gt, &[t_max])?;
    }
    Ok(npz.finish())
}

/// [`export_npz`] of a session: its network, task, run description and plotted trial.
pub fn export_session_npz(session: &Session) -> Result<Vec<u8>> {
    export_npz(
        &session.trainer.network,
        session.trainer.task.as_ref(),
        &session.config,
        session.steps_done(),
        session.eval_seed(),
    )
}
