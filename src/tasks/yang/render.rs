//! Turning a task's drawn parameters (a plan) into a [`Trial`], the tuning curves, and the
//! shared score.

use super::{YangTask, N_OUTPUTS, RING, RULE_START};
use crate::math::{cos, sin};
use crate::rng::SimRng;
use crate::tasks::ring;
use crate::tasks::{Trial, TrialBuilder, TrialLabel};
use ndarray::ArrayView2;
use std::f64::consts::PI;

/// Mod-Cog rotation speed: 0.01 units per ms of Mod-Cog's 16-unit ring, in rad/ms.
pub const MODCOG_OMEGA_RAD_PER_MS: f64 = 0.01 * 2.0 * PI / 16.0;
/// Response period of Mod-Cog "seq" variants, ms.
pub const MODCOG_SEQ_RESPONSE_MS: f64 = 1000.0;
/// Target of the fixation output while fixating.
pub const FIX_TARGET: f32 = 0.8;
/// Target of every output when nothing else is asked.
pub const BASELINE: f32 = 0.05;

/// One stimulus bump.
#[derive(Debug, Clone)]
pub(crate) struct Stim {
    /// 0 or 1 (modality ring).
    pub ring: usize,
    /// Direction, rad.
    pub loc: f64,
    /// Multiplies the 0.8 tuning amplitude.
    pub strength: f64,
    /// Period at whose start the stimulus comes on.
    pub on: &'static str,
    /// Period at whose start it goes off (`None`: stays on to the end).
    pub off: Option<&'static str>,
}

/// What the network should do in the `go` period.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Goal {
    /// Saccade to this direction.
    Go(f64),
    /// Keep fixating.
    Fixate,
}

/// A drawn trial before rendering.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    /// Periods and their lengths in steps; the last one is `go`.
    pub periods: Vec<(&'static str, usize)>,
    /// Stimuli.
    pub stims: Vec<Stim>,
    /// Fixation input goes off at the start of `go` (false: on for the whole trial).
    pub fix_input_off: bool,
    /// Response.
    pub goal: Goal,
}

pub use crate::tasks::ring::circular_distance;
pub(crate) use crate::tasks::ring::{steps, wrap};

/// One of `values`, equally likely.
pub(crate) fn pick(rng: &mut SimRng, values: &[f64]) -> f64 {
    *rng.choose(values)
}

/// +1 or −1, equally likely.
pub(crate) fn random_sign(rng: &mut SimRng) -> f64 {
    if rng.chance(0.5) {
        1.0
    } else {
        -1.0
    }
}

/// Preferred direction of ring unit `k`.
pub fn preferred(k: usize) -> f64 {
    ring::unit_angle(k, RING)
}

/// The 32-unit tuning bump `0.8 · exp(−d²/2(π/8)²) · strength` centred at `loc`.
pub fn bump(loc: f64, strength: f64) -> Vec<f32> {
    ring::bump(RING, loc, strength)
}

/// Draw the periods as `(name, steps)` from ms values.
pub(crate) fn periods_ms(list: &[(&'static str, f64)], dt: f64) -> Vec<(&'static str, usize)> {
    list.iter()
        .map(|(name, ms)| (*name, steps(*ms, dt)))
        .collect()
}

pub(crate) fn render(task: &YangTask, plan: Plan, rng: &mut SimRng) -> Trial {
    let dt = task.config.dt_ms;
    let mut periods = plan.periods;
    if task.ext.seq.is_some() {
        if let Some(last) = periods.last_mut() {
            last.1 = steps(MODCOG_SEQ_RESPONSE_MS, dt);
        }
    }
    for (name, length) in periods.iter_mut() {
        if let Some(duration) = task.config.timing.get(*name) {
            *length = steps(duration.sample_ms(rng), dt);
        }
    }
    let mut b = TrialBuilder::new(&periods, task.n_inputs(), N_OUTPUTS);
    let n = b.n_steps();
    let go = b.range("go");
    let fix_end = if plan.fix_input_off { go.start } else { n };
    b.add_input(0..fix_end, 0, 1.0);
    for stim in &plan.stims {
        let start = b.range(stim.on).start;
        let end = stim.off.map_or(n, |p| b.range(p).start);
        b.add_input_vector(
            start..end,
            1 + stim.ring * RING,
            &bump(stim.loc, stim.strength),
        );
    }
    b.add_input(0..n, RULE_START + task.rule_index, 1.0);
    let sigma = task.config.input_noise_std();
    if sigma > 0.0 {
        add_noise(b.inputs_mut(), sigma as f32, rng);
    }
    for channel in 0..N_OUTPUTS {
        b.set_target(0..n, channel, BASELINE);
    }
    let label = match plan.goal {
        Goal::Fixate => {
            b.set_target(0..n, 0, FIX_TARGET);
            TrialLabel::Fixate
        }
        Goal::Go(loc) => {
            b.set_target(0..go.start, 0, FIX_TARGET);
            let mut target = loc;
            if let Some(turn) = task.ext.int {
                let delay = b.range("delay1");
                let delay_ms = (delay.end - delay.start) as f64 * dt;
                target += turn.sign() * MODCOG_OMEGA_RAD_PER_MS * delay_ms;
            }
            let speed = task
                .ext
                .seq
                .map_or(0.0, |t| t.sign() * MODCOG_OMEGA_RAD_PER_MS);
            let mut last = target;
            for t in go.clone() {
                last = target + speed * (t - go.start) as f64 * dt;
                let ring: Vec<f32> = bump(last, 1.0).iter().map(|v| v + BASELINE).collect();
                b.set_target_vector(t..t + 1, 1, &ring);
            }
            TrialLabel::Angle(wrap(last))
        }
    };
    let pre_on = steps(100.0, dt);
    let check_on = (go.start + steps(100.0, dt)).min(n);
    b.set_mask(check_on..n, 5.0);
    b.set_mask_channel(check_on..n, 0, 10.0);
    if pre_on < go.start {
        b.set_mask(pre_on..go.start, 1.0);
        b.set_mask_channel(pre_on..go.start, 0, 2.0);
    }
    b.build(label)
}

/// Add `sigma` · z (z ~ N(0, 1) i.i.d.) to every input of the trial in one pass of the
/// fast sampler ([`SimRng::add_normals`]: the Ziggurat on a xoshiro256++ stream seeded
/// from `rng`), in row-major order.
fn add_noise(inputs: &mut ndarray::Array2<f32>, sigma: f32, rng: &mut SimRng) {
    match inputs.as_slice_mut() {
        Some(values) => rng.add_normals(values, sigma),
        None => {
            let mut noise = vec![0.0f32; inputs.len()];
            rng.add_normals(&mut noise, sigma);
            inputs.iter_mut().zip(&noise).for_each(|(x, z)| *x += z);
        }
    }
}

/// Population-vector direction test: is the ring readout within 0.2π of `target`?
/// Follows the paper's `popvec` (weights divided by their sum, so a negative sum flips the
/// vector), written without atan2: the angle test is a dot product against cos(0.2π).
pub fn ring_points_at(ring: &[f32], target: f64) -> bool {
    let (mut c, mut s, mut sum) = (0.0f64, 0.0f64, 0.0f64);
    for (k, y) in ring.iter().enumerate() {
        let y = *y as f64;
        c += y * cos(preferred(k));
        s += y * sin(preferred(k));
        sum += y;
    }
    if sum == 0.0 || !sum.is_finite() {
        return false;
    }
    let (c, s) = (c / sum, s / sum);
    let norm = (c * c + s * s).sqrt();
    norm > 0.0 && c * cos(target) + s * sin(target) > cos(0.2 * PI) * norm
}

/// The Yang score (see the module docs).
pub(crate) fn score(dt: f64, strict: bool, trial: &Trial, outputs: ArrayView2<f32>) -> f32 {
    let n = outputs.nrows();
    if n == 0 || outputs.ncols() < N_OUTPUTS {
        return 0.0;
    }
    if strict {
        let go_start = trial.period("go").map_or(n, |p| p.start).min(n);
        let pre_on = steps(100.0, dt);
        if (pre_on..go_start).any(|t| outputs[[t, 0]].is_nan() || outputs[[t, 0]] <= 0.5) {
            return 0.0;
        }
    }
    let last = outputs.row(n - 1);
    let fixating = last[0] > 0.5;
    let ring: Vec<f32> = last.iter().skip(1).take(RING).cloned().collect();
    let correct = match trial.label {
        TrialLabel::Fixate => fixating,
        TrialLabel::Angle(target) => !fixating && ring_points_at(&ring, target),
        _ => false,
    };
    correct as u8 as f32
}

#[cfg(test)]
mod tests {
    use super::super::{YangConfig, YangKind, YangTask};
    use crate::rng::tests::not_standard_normal;
    use crate::rng::SimRng;
    use crate::tasks::Task;

    /// The input noise of a trial: a noisy trial minus the same trial drawn without noise
    /// (the plan and timing draws come before the noise), over 10⁶ input values, in units
    /// of σ = `input_noise_std`: N(0, 1) by moments, tails and KS; and the same check
    /// rejects it at 1 % off in σ (so it can fail).
    #[test]
    fn input_noise_is_normal_with_the_configured_std() {
        let noisy = YangTask::new(YangKind::Go, YangConfig::default()).unwrap();
        let quiet_config = YangConfig {
            sigma_x: 0.0,
            ..YangConfig::default()
        };
        let quiet = YangTask::new(YangKind::Go, quiet_config).unwrap();
        let sigma = noisy.config.input_noise_std();
        let mut diffs = Vec::new();
        let mut seed = 0;
        while diffs.len() < 1_000_000 {
            let a = noisy.trial(&mut SimRng::new(seed));
            let b = quiet.trial(&mut SimRng::new(seed));
            assert_eq!(a.inputs.dim(), b.inputs.dim());
            diffs.extend(a.inputs.iter().zip(&b.inputs).map(|(x, y)| (x - y) as f64));
            seed += 1;
        }
        let mut unit: Vec<f64> = diffs.iter().map(|d| d / sigma).collect();
        assert_eq!(not_standard_normal(&mut unit), None);
        let mut off: Vec<f64> = diffs.iter().map(|d| d / (1.01 * sigma)).collect();
        assert!(not_standard_normal(&mut off).is_some());
    }
}
