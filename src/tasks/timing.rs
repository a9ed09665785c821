//! Period durations: fixed or random, in milliseconds, turned into whole steps of `dt_ms`,
//! and their neurogym-style JSON form ([`parse_timing`]).

use crate::error::{Error, Result};
use crate::rng::SimRng;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Longest period a `timing` entry may ask for, ms (memory guard: the trial's arrays grow
/// with its length; the longest period of the papers' tasks is 2500 ms).
pub const MAX_PERIOD_MS: f64 = 10_000.0;

/// Per-period duration overrides, by period name (`fixation`, `stim1`, `delay1`, ...).
pub type Timing = BTreeMap<String, Duration>;

/// How long a period lasts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Duration {
    /// Always this many milliseconds.
    Fixed(f64),
    /// Uniform on `[lo_ms, hi_ms]`.
    Uniform {
        /// Lower bound in ms.
        lo_ms: f64,
        /// Upper bound in ms.
        hi_ms: f64,
    },
    /// One of these values (ms), equally likely.
    Choice(Vec<f64>),
    /// Exponential with mean `mean_ms` conditioned on `[min_ms, max_ms]` (equivalently,
    /// by memorylessness, `min_ms` + an exponential conditioned on `<= max_ms − min_ms`).
    TruncExp {
        /// Mean of the untruncated exponential, ms.
        mean_ms: f64,
        /// Minimum, ms.
        min_ms: f64,
        /// Maximum, ms.
        max_ms: f64,
    },
}

impl Duration {
    /// Draw a duration in milliseconds.
    pub fn sample_ms(&self, rng: &mut SimRng) -> f64 {
        match self {
            Duration::Fixed(ms) => *ms,
            Duration::Uniform { lo_ms, hi_ms } => rng.uniform_in(*lo_ms, *hi_ms),
            Duration::Choice(values) => *rng.choose(values),
            Duration::TruncExp {
                mean_ms,
                min_ms,
                max_ms,
            } => {
                // inverse CDF of min + Exp(mean) conditioned on <= max (exact, one draw)
                let span = 1.0 - crate::math::exp(-(max_ms - min_ms) / mean_ms);
                let value = min_ms - mean_ms * crate::math::ln(1.0 - rng.uniform() * span);
                value.clamp(*min_ms, *max_ms)
            }
        }
    }

    /// Draw a duration as a whole number of steps of `dt_ms` (rounded to nearest).
    pub fn sample_steps(&self, rng: &mut SimRng, dt_ms: f64) -> usize {
        ms_to_steps(self.sample_ms(rng), dt_ms)
    }

    /// Whether every parameter is finite and every value it can take lies in
    /// `[0, max_ms]` (and a truncated exponential has a positive mean, a uniform lo <= hi).
    pub fn is_within(&self, max_ms: f64) -> bool {
        let ok = |v: &f64| v.is_finite() && (0.0..=max_ms).contains(v);
        match self {
            Duration::Fixed(ms) => ok(ms),
            Duration::Uniform { lo_ms, hi_ms } => ok(lo_ms) && ok(hi_ms) && lo_ms <= hi_ms,
            Duration::Choice(values) => !values.is_empty() && values.iter().all(ok),
            Duration::TruncExp {
                mean_ms,
                min_ms,
                max_ms: hi,
            } => ok(min_ms) && ok(hi) && min_ms <= hi && mean_ms.is_finite() && *mean_ms > 0.0,
        }
    }

    /// Largest value this duration can take, in ms.
    pub fn max_ms(&self) -> f64 {
        match self {
            Duration::Fixed(ms) => *ms,
            Duration::Uniform { hi_ms, .. } => *hi_ms,
            Duration::Choice(values) => values.iter().cloned().fold(0.0, f64::max),
            Duration::TruncExp { max_ms, .. } => *max_ms,
        }
    }
}

fn timing_error(period: &str, value: &Value, expected: &str) -> Error {
    Error::Parse {
        what: "task.timing",
        reason: format!("`task.timing.{period}` {expected}, but is {value}"),
    }
}

/// A duration in ms: finite, in `[0, MAX_PERIOD_MS]`.
fn ms(period: &str, value: &Value) -> Result<f64> {
    match value.as_f64() {
        Some(v) if v.is_finite() && (0.0..=MAX_PERIOD_MS).contains(&v) => Ok(v),
        _ => Err(timing_error(
            period,
            value,
            "must be a number of ms in [0, 10000]",
        )),
    }
}

/// A non-empty list of durations.
fn ms_list(period: &str, value: &Value) -> Result<Vec<f64>> {
    match value.as_array() {
        Some(items) if !items.is_empty() => items.iter().map(|v| ms(period, v)).collect(),
        _ => Err(timing_error(
            period,
            value,
            "must be a non-empty list of ms",
        )),
    }
}

impl Duration {
    /// One neurogym-style `timing` entry for `period`: a number (fixed); a list of numbers
    /// (random choice); `["constant", x]`; `["uniform", [a, b]]`; `["choice", [a, b, ...]]`;
    /// `["truncated_exponential", [mean, min, max]]` (an exponential of mean `mean`
    /// conditioned on `[min, max]`, neurogym's `trunc_exp`). All values are ms in
    /// `[0, 10000]`; errors name `task.timing.<period>` and the value.
    pub fn from_neurogym(period: &str, value: &Value) -> Result<Duration> {
        let items = match value {
            Value::Number(_) => return Ok(Duration::Fixed(ms(period, value)?)),
            Value::Array(items) => items,
            _ => return Err(timing_error(period, value, "must be a number or a list")),
        };
        let Some(kind) = items.first().and_then(Value::as_str) else {
            return Ok(Duration::Choice(ms_list(period, value)?));
        };
        let [_, argument] = items.as_slice() else {
            return Err(timing_error(
                period,
                value,
                "must be [\"<distribution>\", arguments]",
            ));
        };
        match kind {
            "constant" => Ok(Duration::Fixed(ms(period, argument)?)),
            "choice" => Ok(Duration::Choice(ms_list(period, argument)?)),
            "uniform" => match ms_list(period, argument)?.as_slice() {
                [lo, hi] if lo <= hi => Ok(Duration::Uniform {
                    lo_ms: *lo,
                    hi_ms: *hi,
                }),
                _ => Err(timing_error(
                    period,
                    argument,
                    "must be [low, high] with low <= high",
                )),
            },
            "truncated_exponential" => match ms_list(period, argument)?.as_slice() {
                [mean, min, max] if *mean > 0.0 && min <= max => Ok(Duration::TruncExp {
                    mean_ms: *mean,
                    min_ms: *min,
                    max_ms: *max,
                }),
                _ => Err(timing_error(
                    period,
                    argument,
                    "must be [mean, min, max] with mean > 0 and min <= max",
                )),
            },
            other => Err(timing_error(
                period,
                &Value::from(other),
                "must name one of constant, uniform, choice, truncated_exponential",
            )),
        }
    }
}

/// Parse a task's `timing` option: a JSON object from period name to a neurogym-style
/// entry ([`Duration::from_neurogym`]). Which names a task has is checked by the task.
pub fn parse_timing(value: &Value) -> Result<Timing> {
    let Some(map) = value.as_object() else {
        return Err(Error::field(
            "task.timing",
            value,
            "must be an object {period: duration}",
        ));
    };
    map.iter()
        .map(|(period, entry)| Ok((period.clone(), Duration::from_neurogym(period, entry)?)))
        .collect()
}

/// Milliseconds to whole steps (nearest integer).
pub fn ms_to_steps(ms: f64, dt_ms: f64) -> usize {
    (ms / dt_ms).round().max(0.0) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_stay_in_their_ranges() {
        let mut rng = SimRng::new(3);
        let trunc = Duration::TruncExp {
            mean_ms: 300.0,
            min_ms: 500.0,
            max_ms: 1500.0,
        };
        let uniform = Duration::Uniform {
            lo_ms: 200.0,
            hi_ms: 600.0,
        };
        for _ in 0..2000 {
            let t = trunc.sample_ms(&mut rng);
            assert!((500.0..=1500.0).contains(&t), "{t}");
            let u = uniform.sample_ms(&mut rng);
            assert!((200.0..600.0).contains(&u));
        }
        assert_eq!(Duration::Fixed(100.0).sample_steps(&mut rng, 20.0), 5);
        assert_eq!(Duration::Choice(vec![1.0, 5.0]).max_ms(), 5.0);
    }
}
