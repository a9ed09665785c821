//! Period durations: fixed or random, in milliseconds, turned into whole steps of `dt_ms`.

use crate::rng::SimRng;
use serde::{Deserialize, Serialize};

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
    /// Exponential with mean `mean_ms`, truncated to `[min_ms, max_ms]` by rejection.
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
                for _ in 0..1000 {
                    let value = min_ms - mean_ms * crate::math::ln(1.0 - rng.uniform());
                    if value <= *max_ms {
                        return value;
                    }
                }
                *max_ms
            }
        }
    }

    /// Draw a duration as a whole number of steps of `dt_ms` (rounded to nearest).
    pub fn sample_steps(&self, rng: &mut SimRng, dt_ms: f64) -> usize {
        ms_to_steps(self.sample_ms(rng), dt_ms)
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
