//! Fallible allocation: where a size comes from input, multiply in checked arithmetic and
//! reserve with `try_reserve`, so an impossible size is an [`Error::TooLarge`] naming what
//! was being allocated instead of a "capacity overflow" panic or an out-of-memory abort
//! (which in wasm kills the instance). Used by the trainer and the evaluation; the
//! estimate these guard is [`crate::budget`]'s.

use super::Trajectory;
use crate::error::{Error, Result};
use crate::model::Dynamics;
use crate::rng::SimRng;
use crate::tasks::{Task, Trial, TrialBatch};

/// `1.5 GiB`, `12.0 MiB`, `512 B` (binary units, one decimal).
pub fn human_bytes(bytes: f64) -> String {
    if !bytes.is_finite() {
        return "more than can be addressed".into();
    }
    let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    let mut value = bytes.max(0.0);
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < units.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{value:.0} B")
    } else {
        format!("{value:.1} {}", units[unit])
    }
}

/// The product of `factors`, or an error naming `what` if it overflows `usize`.
pub fn checked_len(factors: &[usize], what: &str) -> Result<usize> {
    factors
        .iter()
        .try_fold(1usize, |acc, &f| acc.checked_mul(f))
        .ok_or_else(|| {
            let shown: Vec<String> = factors.iter().map(|f| f.to_string()).collect();
            Error::TooLarge(format!(
                "{what}: {} elements do not fit in memory",
                shown.join(" × ")
            ))
        })
}

/// Make sure `buffer` can hold `len` elements without reallocating (its length is not
/// changed), or return an error naming `what` and the bytes asked for.
pub fn try_capacity<T>(buffer: &mut Vec<T>, len: usize, what: &str) -> Result<()> {
    let extra = len.saturating_sub(buffer.len());
    buffer.try_reserve_exact(extra).map_err(|_| {
        let bytes = len as f64 * std::mem::size_of::<T>() as f64;
        Error::TooLarge(format!(
            "cannot allocate {} for {what}: out of memory",
            human_bytes(bytes)
        ))
    })
}

/// A vector of `len` copies of `value`, allocated fallibly (see [`try_capacity`]).
pub fn try_filled<T: Clone>(len: usize, value: T, what: &str) -> Result<Vec<T>> {
    let mut buffer = Vec::new();
    try_capacity(&mut buffer, len, what)?;
    buffer.resize(len, value);
    Ok(buffer)
}

/// Check that `bytes` can be allocated right now by allocating them (fallibly) and
/// freeing them again. In wasm this grows the linear memory to fit, so the allocations
/// that follow reuse it; natively it catches sizes the allocator refuses outright. The
/// error names `what`.
pub fn probe(bytes: f64, what: &str) -> Result<()> {
    if !(bytes.is_finite() && bytes >= 0.0 && bytes <= isize::MAX as f64) {
        return Err(Error::TooLarge(format!(
            "cannot allocate {} for {what}: more than can be addressed",
            human_bytes(bytes)
        )));
    }
    let mut block: Vec<u8> = Vec::new();
    try_capacity(&mut block, bytes as usize, what)
}

/// [`Task::batch`] with fallible packing: the trials are drawn one by one (each bounded by
/// the task's own validation), then the packed buffers are sized in checked arithmetic and
/// [`probe`]d before [`TrialBatch::pack`]. Same trials, same random draws as
/// `task.batch(rng, batch_size)`.
pub fn try_batch(task: &dyn Task, rng: &mut SimRng, batch_size: usize) -> Result<TrialBatch> {
    let trials = try_trials(task, rng, batch_size)?;
    try_pack(task, trials)
}

/// The `batch_size` (at least 1) trials [`try_batch`] draws, unpacked; the trial list is
/// allocated fallibly.
pub fn try_trials(task: &dyn Task, rng: &mut SimRng, batch_size: usize) -> Result<Vec<Trial>> {
    let what = "the trial batch (channels × steps × trials)";
    let mut trials = Vec::new();
    try_capacity(&mut trials, batch_size.max(1), what)?;
    for _ in 0..batch_size.max(1) {
        trials.push(task.trial(rng));
    }
    Ok(trials)
}

/// Pack `trials` (at least one) of `task` after sizing the packed buffers in checked
/// arithmetic and [`probe`]-ing them.
pub fn try_pack(task: &dyn Task, trials: Vec<Trial>) -> Result<TrialBatch> {
    let what = "the trial batch (channels × steps × trials)";
    let steps = trials.iter().map(|t| t.n_steps()).max().unwrap_or(0);
    let spec = task.spec();
    let channels = spec.n_inputs + 2 * spec.n_outputs;
    let values = checked_len(&[channels, steps, trials.len()], what)?;
    probe(values as f64 * 4.0, what)?;
    Ok(TrialBatch::pack(trials))
}

/// Reserve the buffers [`crate::train::forward`] will size for a batch of `batch_size`
/// trials of `n_steps` steps, so that its `resize` cannot fail: the sizes are multiplied
/// in checked arithmetic and reserved fallibly. Call before `forward` where the batch
/// size comes from input. `packed_noise`: the recurrent noise will be drawn for a packed
/// layout ([`crate::train::recurrent_noise`] then draws the padded `[N][T·B]` block into
/// a scratch of its own before moving each trial's draws to its lanes), so reserve that
/// scratch too.
pub fn reserve_trajectory(
    trajectory: &mut Trajectory,
    n_neurons: usize,
    n_outputs: usize,
    (n_steps, batch_size): (usize, usize),
    dynamics: Dynamics,
    packed_noise: bool,
) -> Result<()> {
    let what = "the trajectory (n_neurons × steps × batch_size)";
    let lanes = checked_len(&[n_steps, batch_size], what)?;
    let with_initial = lanes
        .checked_add(batch_size)
        .ok_or_else(|| Error::TooLarge(format!("{what}: too many elements")))?;
    let states = checked_len(&[n_neurons, with_initial], what)?;
    let rates = checked_len(&[n_neurons, lanes], what)?;
    let outputs = checked_len(&[n_outputs, lanes], what)?;
    try_capacity(&mut trajectory.states, states, what)?;
    try_capacity(&mut trajectory.rates, rates, what)?;
    try_capacity(&mut trajectory.outputs, outputs, what)?;
    if packed_noise {
        let what = "the recurrent noise of a packed batch (n_neurons × steps × batch_size)";
        try_capacity(&mut trajectory.noise_draws, rates, what)?;
    }
    if dynamics == Dynamics::Voltage {
        try_capacity(&mut trajectory.voltage_rates, states, what)?;
    }
    if dynamics.is_spiking() {
        try_capacity(&mut trajectory.spikes, states, what)?;
        try_capacity(&mut trajectory.filtered, states, what)?;
        try_capacity(&mut trajectory.surrogate, rates, what)?;
        try_capacity(&mut trajectory.thresholds, rates, what)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impossible_sizes_are_errors_not_panics() {
        let e = checked_len(&[usize::MAX, 2], "w").unwrap_err().to_string();
        assert!(e.contains('w') && e.contains("do not fit"), "{e}");
        let e = try_filled(usize::MAX / 2, 0.0f32, "the batch")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("cannot allocate") && e.contains("the batch"),
            "{e}"
        );
        assert_eq!(try_filled(3, 1u8, "x").unwrap(), vec![1, 1, 1]);
        let mut t = Trajectory::default();
        let huge = (1 << 30, 1 << 20);
        assert!(reserve_trajectory(&mut t, 1 << 20, 1, huge, Dynamics::Rate, false).is_err());
        reserve_trajectory(&mut t, 4, 2, (10, 3), Dynamics::Voltage, false).unwrap();
        assert!(t.states.capacity() >= 4 * 33 && t.voltage_rates.capacity() >= 4 * 33);
        assert_eq!(t.noise_draws.capacity(), 0);
        // the packed layout's noise scratch is reserved only when asked for
        let e = reserve_trajectory(&mut t, 4, 2, (10, 3), Dynamics::Rate, true);
        assert!(e.is_ok() && t.noise_draws.capacity() >= 4 * 30);
        assert!(probe(f64::INFINITY, "x").is_err());
        assert!(probe(1e30, "x").is_err());
        assert!(probe(1024.0, "x").is_ok());
    }

    #[test]
    fn try_batch_draws_the_same_trials_as_task_batch() {
        let task = crate::tasks::registry::build_task("yang-go", &serde_json::json!({})).unwrap();
        let a = task.batch(&mut SimRng::new(4), 5);
        let b = try_batch(task.as_ref(), &mut SimRng::new(4), 5).unwrap();
        assert_eq!((a.inputs, a.targets, a.mask), (b.inputs, b.targets, b.mask));
    }
}
