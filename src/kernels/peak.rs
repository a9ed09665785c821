//! The peak of this build's vector multiply-add: the yardstick the step profile measures
//! every phase against (`lab::profile`).
//!
//! [`madd_peak_chains`] runs [`PEAK_CHAINS`] accumulators of [`F4::madd`] (as many as the
//! 16 vector registers of SSE and wasm engines hold beside the operand and a temporary),
//! all of whose madds in one round are independent: no loads, so its time is the
//! multiply-add throughput of the flavour (one fused FMA in "fma"; a multiply and an add
//! in "baseline"). The caller times it; the kernel only computes.

use super::simd::F4;

/// Independent accumulator chains of [`madd_peak_chains`].
pub const PEAK_CHAINS: usize = 12;

/// Floating-point operations of one [`madd_peak_chains`] call of `iterations` (2 per
/// multiply-add lane).
pub fn madd_peak_flop(iterations: usize) -> f64 {
    2.0 * 4.0 * PEAK_CHAINS as f64 * iterations as f64
}

/// `iterations` rounds of one [`F4::madd`] on each of [`PEAK_CHAINS`] accumulators,
/// `acc[k] ← acc[k] + a · acc[k + 1]` (the last one reads `acc[0]`, already updated this
/// round), starting from `acc[k] = k + b` in every lane; returns the sum of all lanes so
/// the work cannot be dropped. Each product reads an accumulator, so no product can be
/// computed once and shared (the baseline flavour's separate multiply would otherwise be
/// common to all chains and the loop would time adds only); within a round the madds are
/// independent, and the round-to-round latency is one madd's (plus one over the whole
/// ring), far below the [`PEAK_CHAINS`] madds' issue time.
pub fn madd_peak_chains(iterations: usize, a: f32, b: f32) -> f32 {
    let va = F4::splat(a);
    let mut acc = [F4::splat(0.0); PEAK_CHAINS];
    for (k, v) in acc.iter_mut().enumerate() {
        *v = F4::splat(k as f32 + b);
    }
    for _ in 0..iterations {
        for k in 0..PEAK_CHAINS {
            let next = acc[(k + 1) % PEAK_CHAINS];
            acc[k] = acc[k].madd(va, next);
        }
    }
    acc.iter().flat_map(|v| v.lanes()).sum()
}
