//! Dump authors'-form Mod-Cog trials (noise off) as JSON lines, one per trial, for the
//! side-by-side comparison with the authors' generator (`scripts/modcog_vs_authors.py`).
//!
//! `cargo run --release --example ngym_trials -- <authors|corrected> <trials per task> [seed]`
//!
//! Each line: `{"id", "fix": [fixation input per step], "am": [argmax of the 32 ring
//! inputs], "mx": [their max], "sm": [their sum], "gt": [target action per step],
//! "am1", "am2": [argmax within modality 1, 2]}`. Every
//! trial gets its own environment (`env_seed` = trial index), as the authors' per-run
//! draws vary between runs.

use sparse_rnn_lab::rng::SimRng;
use sparse_rnn_lab::tasks::modcog_ngym::{self as ngym, NgymConfig, NgymForm, N_RING};
use std::io::Write;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let form = match args.get(1).map(String::as_str) {
        Some("corrected") => NgymForm::Corrected,
        _ => NgymForm::Authors,
    };
    let trials: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(200);
    let seed: u64 = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(1);
    let mut rng = SimRng::new(seed);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for id in ngym::ids() {
        for k in 0..trials {
            let config = NgymConfig {
                sigma: 0.0,
                variant: form,
                env_seed: k as u64 + seed * 1_000_003,
                ..NgymConfig::default()
            };
            let task = ngym::task(&id, &config).expect("known id");
            let (trial, _) = task.trial_with_conditions(&mut rng);
            let (mut fix, mut am, mut mx, mut sm, mut gt) =
                (vec![], vec![], vec![], vec![], vec![]);
            let (mut am1, mut am2) = (vec![], vec![]);
            for t in 0..trial.n_steps() {
                let row = trial.inputs.row(t);
                fix.push(row[0]);
                let ring: Vec<f32> = (1..=2 * N_RING).map(|c| row[c]).collect();
                let best = (0..ring.len()).fold(0, |b, i| if ring[i] > ring[b] { i } else { b });
                am.push(best);
                let first_max = |from: usize| {
                    (from..from + N_RING).fold(from, |b, i| if ring[i] > ring[b] { i } else { b })
                        - from
                };
                am1.push(first_max(0));
                am2.push(first_max(N_RING));
                mx.push(ring[best]);
                sm.push(ring.iter().sum::<f32>());
                let target = trial.targets.row(t);
                gt.push(
                    (0..target.len()).fold(0, |b, i| if target[i] > target[b] { i } else { b }),
                );
            }
            let line = serde_json::json!({"id": id.trim_start_matches("ngym-modcog-"),
                "fix": fix, "am": am, "mx": mx, "sm": sm, "gt": gt, "am1": am1, "am2": am2});
            writeln!(out, "{line}").expect("stdout");
        }
    }
}
