//! The one wall clock of the application layer: claims, long runs and reports time their
//! work with [`Stopwatch`]. Natively it reads `std::time::Instant`; wasm32 has no clock of
//! its own, so the binding installs `performance.now` with [`set_clock`] before anything
//! is timed (a wasm build without it reads 0 and the page times the call itself).

use std::sync::Mutex;

/// The installed millisecond clock; `None` = the native monotonic clock.
static CLOCK: Mutex<Option<fn() -> f64>> = Mutex::new(None);

/// Install the millisecond clock every [`Stopwatch`] reads (the wasm binding's
/// `performance.now`).
pub fn set_clock(clock: fn() -> f64) {
    if let Ok(mut slot) = CLOCK.lock() {
        *slot = Some(clock);
    }
}

/// Milliseconds on the installed clock (natively: since the first call).
pub fn now_ms() -> f64 {
    if let Some(clock) = CLOCK.lock().ok().and_then(|c| *c) {
        return clock();
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
        START
            .get_or_init(std::time::Instant::now)
            .elapsed()
            .as_secs_f64()
            * 1e3
    }
    #[cfg(target_arch = "wasm32")]
    {
        0.0
    }
}

/// Wall time since an experiment started.
#[derive(Debug, Clone, Copy)]
pub struct Stopwatch(f64);

impl Stopwatch {
    /// Start now.
    pub fn start() -> Self {
        Stopwatch(now_ms())
    }

    /// Seconds since [`Stopwatch::start`].
    pub fn seconds(&self) -> f64 {
        (now_ms() - self.0) / 1e3
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_native_clock_advances_while_work_is_done() {
        let watch = Stopwatch::start();
        // Real work, not a sleep: the clock must see it.
        let mut x = 0.0f64;
        let mut i = 0u64;
        while watch.seconds() <= 0.0 {
            x += (i as f64).sqrt();
            i += 1;
            assert!(i < 1_000_000_000, "the clock never advanced ({x})");
        }
        assert!(watch.seconds() > 0.0);
    }
}
