//! Phase profile of the `reservoir` rule's ridge step (issue #22's speed table): where the
//! milliseconds of fitting a ridge readout go, natively and in the page's wasm, from one
//! run description — building the reservoir, drawing the batch, the states pass, gathering
//! the samples, accumulating X Xᵀ, the Cholesky solve, the loss after the fit — and then
//! the trainer's own step on the same session, to show that the phases account for it.
//!
//! The phases are the public pieces the trainer's step is made of
//! ([`crate::learning::reservoir`]: [`forward`], [`for_each_chunk`], [`Gram`],
//! [`loss_after_fit`]), run in the trainer's order on a batch drawn as the trainer draws
//! one. The clock is read only between whole phases. The gather is timed alone (its
//! chunks handed to a sink that only keeps them alive), and `X Xᵀ` is the gather with the
//! accumulation minus the gather alone.

use super::profile::PhaseRow;
use super::session::Session;
use crate::error::{Error, Result};
use crate::learning::reservoir::{for_each_chunk, loss_after_fit, ReservoirRule};
use crate::learning::LearningRule;
use crate::math::Gram;
use crate::train::{evaluate_batch, Trajectory};
use serde::Serialize;
use serde_json::Value;

/// The profile of one ridge step: the run's shape, one row per phase, and the trainer's
/// own step.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReservoirProfile {
    /// Reservoir units N.
    pub units: usize,
    /// Steps per trial T.
    pub steps: usize,
    /// Trials per batch.
    pub batch_size: usize,
    /// Recurrent synapses.
    pub synapses: usize,
    /// Samples the readout is fitted on (used steps × trials).
    pub samples: usize,
    /// One row per phase ([`RESERVOIR_PHASES`]), then the summary rows.
    pub rows: Vec<PhaseRow>,
}

/// The phases of a ridge step, in the trainer's order ([`PhaseRow::phase`] names).
pub const RESERVOIR_PHASES: &[&str] = &[
    "build (weights, spectral radius)",
    "trial generation",
    "states pass",
    "gather (states to f64 rows)",
    "X Xᵀ and X Yᵀ (Gram)",
    "Cholesky solve",
    "loss after the fit",
];

/// Profile one ridge step of the run description `config` (a `reservoir` rule with a
/// ridge readout), reading `clock` (milliseconds) between phases. Besides the phases it
/// times, for reference, a second states pass with the fitted readout (what the loss
/// after the fit cost before [`loss_after_fit`] reused the step's states), then the
/// trainer's own first step on a fresh session of the same run.
pub fn profile_reservoir(
    config: Value,
    clock: &mut dyn FnMut() -> f64,
) -> Result<ReservoirProfile> {
    let t0 = clock();
    let mut session = Session::new(config.clone())?;
    let build_ms = clock() - t0;
    let rule: ReservoirRule =
        match &session.trainer.rule {
            LearningRule::Reservoir(rule) if rule.dfa_learning_rate == 0.0 => rule.clone(),
            _ => return Err(Error::field(
                "rule.rule",
                "not reservoir",
                "the reservoir profile needs the reservoir rule with a ridge readout and no DFA",
            )),
        };
    let trainer = &mut session.trainer;
    let (n, o) = (trainer.network.n_neurons(), trainer.network.n_outputs());
    let t = clock();
    let batch = trainer.next_batch()?;
    let generation_ms = clock() - t;

    let mut trajectory = Trajectory::default();
    let t = clock();
    trajectory.simulate(&trainer.network, &batch);
    let states_ms = clock() - t;

    let mut samples = 0usize;
    let t = clock();
    for_each_chunk(&trajectory, &batch, rule.warmup, |x, y| {
        samples += std::hint::black_box(x).len() / n.max(1);
        std::hint::black_box(y);
    });
    let gather_ms = clock() - t;

    let mut gram = Gram::new(n, o);
    let t = clock();
    for_each_chunk(&trajectory, &batch, rule.warmup, |x, y| {
        gram.add_samples(x, y)
    });
    let gram_ms = (clock() - t - gather_ms).max(0.0);

    let t = clock();
    let w = gram.solve(rule.ridge, "rule.ridge")?;
    let solve_ms = clock() - t;

    let mut fitted = trainer.network.clone();
    for (slot, v) in fitted.w_out.values.iter_mut().zip(&w) {
        *slot = *v as f32;
    }
    fitted.w_out.sync_transpose();
    let t = clock();
    let loss = loss_after_fit(
        &fitted,
        trainer.task.as_ref(),
        &batch,
        trainer.config.loss,
        &mut trajectory,
    );
    let loss_ms = clock() - t;
    let t = clock();
    let (again, _) = evaluate_batch(&fitted, trainer.task.as_ref(), &batch, trainer.config.loss);
    let second_pass_ms = clock() - t;
    if loss.to_bits() != again.to_bits() {
        return Err(Error::field(
            "rule",
            format!("{loss} vs {again}"),
            "the loss after the fit differs from the evaluated loss (a bug)",
        ));
    }
    drop(trajectory);

    let mut fresh = Session::new(config)?;
    let t = clock();
    fresh.train(1)?;
    let trainer_ms = clock() - t;

    let nnz = trainer.network.w_rec.nnz();
    let lanes = (batch.n_steps * batch.batch_size) as f64;
    let gflop = [
        0.0,
        0.0,
        // a multiply-add per synapse and per input weight, every step and trial
        2.0 * (nnz + trainer.network.w_in.nnz()) as f64 * lanes / 1e9,
        0.0,
        // the upper triangle of X Xᵀ (with the diagonal) and X Yᵀ, a multiply-add each
        2.0 * samples as f64 * ((n * (n + 1) / 2) as f64 + (n * o) as f64) / 1e9,
        // Cholesky n³/3 multiply-adds, then two triangular solves per target
        (2.0 * (n as f64).powi(3) / 3.0 + 4.0 * (n * n * o) as f64) / 1e9,
        2.0 * (n * o) as f64 * lanes / 1e9,
    ];
    let times = [
        build_ms,
        generation_ms,
        states_ms,
        gather_ms,
        gram_ms,
        solve_ms,
        loss_ms,
    ];
    let mut rows: Vec<PhaseRow> = RESERVOIR_PHASES
        .iter()
        .zip(times.iter().zip(gflop))
        .map(|(phase, (ms, gflop))| PhaseRow {
            phase: phase.to_string(),
            ms: *ms,
            gflop,
        })
        .collect();
    let step_ms: f64 = times[1..].iter().sum();
    rows.push(PhaseRow {
        phase: "sum of the step's phases (all but build)".into(),
        ms: step_ms,
        gflop: gflop[1..].iter().sum(),
    });
    rows.push(PhaseRow {
        phase: "trainer step (measured, fresh session)".into(),
        ms: trainer_ms,
        gflop: 0.0,
    });
    rows.push(PhaseRow {
        phase: "for reference: a second states pass for the loss (before)".into(),
        ms: second_pass_ms,
        gflop: gflop[2],
    });
    Ok(ReservoirProfile {
        units: n,
        steps: batch.n_steps,
        batch_size: batch.batch_size,
        synapses: nnz,
        samples,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_profile_has_every_phase_and_refuses_other_rules() {
        let run = serde_json::json!({
            "reservoir": {"units": 40, "lr": 0.3, "sr": 1.25, "seed": 1},
            "task": {"id": "mackey-glass", "n_steps": 300, "warmup": 0},
            "train": {"batch_size": 1, "seed": 1},
            "rule": {"rule": "reservoir", "readout": "ridge", "ridge": 1e-6, "warmup": 100}
        });
        let mut ms = 0.0;
        let mut clock = || {
            ms += 1.0;
            ms
        };
        let profile = profile_reservoir(run, &mut clock).unwrap();
        assert_eq!(
            (profile.units, profile.steps, profile.samples),
            (40, 300, 200)
        );
        let names: Vec<&str> = profile.rows.iter().map(|r| r.phase.as_str()).collect();
        assert_eq!(&names[..RESERVOIR_PHASES.len()], RESERVOIR_PHASES);
        assert!(profile.rows.iter().all(|r| r.ms >= 0.0 && r.gflop >= 0.0));
        let bptt = serde_json::json!({
            "network": {"n_neurons": 20},
            "task": {"id": "jl-xor"},
            "train": {"batch_size": 4, "seed": 1}
        });
        let e = profile_reservoir(bptt, &mut clock).unwrap_err().to_string();
        assert!(e.contains("rule.rule"), "{e}");
    }
}
