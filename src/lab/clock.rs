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

/// CPU seconds (user + system) the calling thread has used, from Linux's
/// `/proc/thread-self/stat` (clock ticks of 1/100 s); `None` elsewhere (other systems,
/// wasm32). A study that trains one point per thread times each point with it, where the
/// process's CPU clock would add up every thread's.
pub fn thread_cpu_seconds() -> Option<f64> {
    #[cfg(target_os = "linux")]
    {
        let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
        // fields after the command name (which may hold spaces) close with ')'
        let after_name = stat.get(stat.rfind(')')? + 2..)?;
        let fields: Vec<&str> = after_name.split_whitespace().collect();
        let user: f64 = fields.get(11)?.parse().ok()?;
        let system: f64 = fields.get(12)?.parse().ok()?;
        Some((user + system) / 100.0)
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn the_thread_cpu_clock_counts_this_threads_work_only() {
        let start = thread_cpu_seconds().expect("Linux has /proc/thread-self/stat");
        // another thread's work does not enter this thread's clock
        let other = std::thread::spawn(|| {
            let start = thread_cpu_seconds().unwrap();
            let mut x = 0.0f64;
            let mut i = 0u64;
            while thread_cpu_seconds().unwrap() - start < 0.05 {
                x += (i as f64).sqrt();
                i += 1;
            }
            x
        });
        let waited = Stopwatch::start();
        let x = other.join().unwrap();
        assert!(x > 0.0 && waited.seconds() >= 0.05);
        let idle = thread_cpu_seconds().unwrap() - start;
        assert!(
            idle < 0.05,
            "this thread waited, yet its clock says {idle} s"
        );
        // this thread's own work does
        let mut y = 0.0f64;
        let mut i = 0u64;
        while thread_cpu_seconds().unwrap() - start < 0.03 {
            y += (i as f64).sqrt();
            i += 1;
            assert!(i < 10_000_000_000, "the clock never advanced ({y})");
        }
    }

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
