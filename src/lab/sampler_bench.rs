//! Micro-benchmark of the normal samplers on the recurrent noise's use: `scale` · z added
//! to every element of an f32 buffer, as the forward pass does. Three rows: the polar
//! method ([`SimRng::normal`], f64, software `ln`; the recurrent noise up to 2026-12-03),
//! the Ziggurat on the 32-bit words of a xoshiro256++ stream ([`SimRng::add_normals`], the
//! recurrent noise since), the same Ziggurat on ChaCha12 words (the intermediate step), and
//! the ChaCha12 generator alone (one f64 uniform, i.e. two words, per element).

use crate::rng::SimRng;
use serde::Serialize;

/// One sampler's time per draw.
#[derive(Debug, Clone, Serialize)]
pub struct SamplerTiming {
    /// Which sampler.
    pub sampler: &'static str,
    /// Median nanoseconds per draw over the repetitions.
    pub ns_per_draw: f64,
    /// Draws per repetition.
    pub draws: usize,
    /// Sum of the buffer after the last repetition (keeps the work observable).
    pub checksum: f64,
}

/// Time each sampler filling a buffer of `draws` (≥ 1) f32 values, `repetitions` times
/// (median), on `clock` (ms).
pub fn time_samplers(
    draws: usize,
    repetitions: usize,
    clock: &mut dyn FnMut() -> f64,
) -> Vec<SamplerTiming> {
    type Fill = fn(&mut SimRng, &mut [f32]);
    let samplers: [(&'static str, Fill); 4] = [
        ("polar (SimRng::normal, f64 + software ln)", |rng, out| {
            for o in out.iter_mut() {
                *o += 0.1 * rng.normal() as f32;
            }
        }),
        (
            "ziggurat on xoshiro256++ words (SimRng::add_normals)",
            |rng, out| rng.add_normals(out, 0.1),
        ),
        ("ziggurat on ChaCha12 words", |rng, out| {
            let tables = crate::rng::ziggurat::tables();
            let words = rng.chacha_words();
            for o in out.iter_mut() {
                *o += 0.1 * tables.sample(words) as f32;
            }
        }),
        ("ChaCha12 alone (one f64 uniform = 2 words)", |rng, out| {
            for o in out.iter_mut() {
                *o += 0.1 * rng.uniform() as f32;
            }
        }),
    ];
    let draws = draws.max(1);
    let mut buffer = vec![0.0f32; draws];
    samplers
        .iter()
        .map(|&(sampler, fill)| {
            let mut rng = SimRng::derived(1, "sampler-bench");
            fill(&mut rng, &mut buffer); // warm-up (tables, caches)
            let mut ns: Vec<f64> = (0..repetitions.max(1))
                .map(|_| {
                    buffer.fill(0.0);
                    let t0 = clock();
                    fill(&mut rng, &mut buffer);
                    (clock() - t0) * 1e6 / draws as f64
                })
                .collect();
            ns.sort_by(|a, b| a.total_cmp(b));
            SamplerTiming {
                sampler,
                ns_per_draw: ns[ns.len() / 2],
                draws,
                checksum: buffer.iter().map(|&x| x as f64).sum(),
            }
        })
        .collect()
}
