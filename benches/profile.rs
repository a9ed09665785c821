//! Phase profile of one training step of a preset (default `yang`): where every
//! millisecond goes, with GFLOP/s per phase (`lab::profile`).
//! `cargo bench --bench profile -- [preset] [--steps N] [--rounds R]
//! [--batching random,by-length,per-task] [--no-eval] [--json]`. One thread. The profiled
//! steps are interleaved with real trainer steps, so "unaccounted" is the trainer's time the
//! phases do not explain; several batchings are interleaved round by round (same load), and
//! the summary gives each one's trainer ms/step per round. First, each round: ns per draw
//! of the normal samplers on 2^21 noise values (`lab::sampler_bench`).

use sparse_rnn_lab::kernels::kernel_flavour;
use sparse_rnn_lab::lab::clock::now_ms;
use sparse_rnn_lab::lab::presets::preset;
use sparse_rnn_lab::lab::profile::{profile_run, StepProfile};
use sparse_rnn_lab::lab::sampler_bench::time_samplers;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value_of = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let steps: usize = value_of("--steps")
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let rounds: usize = value_of("--rounds")
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let batchings: Vec<String> = value_of("--batching")
        .unwrap_or_else(|| "random".into())
        .split(',')
        .map(str::to_string)
        .collect();
    let json = args.iter().any(|a| a == "--json");
    let with_eval = !args.iter().any(|a| a == "--no-eval");
    let valued = ["--steps", "--rounds", "--batching"];
    let id = args
        .iter()
        .enumerate()
        .find(|(i, a)| !a.starts_with("--") && (*i == 0 || !valued.contains(&args[i - 1].as_str())))
        .map(|(_, a)| a.clone())
        .unwrap_or_else(|| "yang".into());
    let preset = preset(&id).expect("a preset id");
    let evaluation = preset
        .long_run
        .as_ref()
        .filter(|_| with_eval)
        .map(|l| (l.per_task_trials, l.eval_every));
    let mut clock = now_ms;
    let mut last: Vec<Option<StepProfile>> = vec![None; batchings.len()];
    let mut per_round: Vec<Vec<f64>> = vec![Vec::new(); batchings.len()];
    for round in 0..rounds.max(1) {
        for t in time_samplers(1 << 21, 5, &mut clock) {
            if json {
                let mut value = serde_json::to_value(&t).expect("serialisable");
                value["round"] = round.into();
                value["runtime"] = "native".into();
                println!("{value}");
            } else {
                println!(
                    "round {round}: {:.2} ns per draw: {} (checksum {:.3})",
                    t.ns_per_draw, t.sampler, t.checksum
                );
            }
        }
        for (k, batching) in batchings.iter().enumerate() {
            let mut run = preset.run.clone();
            run["train"]["batching"] = batching.clone().into();
            let p = profile_run(run, steps, evaluation, &mut clock).expect("profile");
            if json {
                let mut value = serde_json::to_value(&p).expect("serialisable");
                value["preset"] = id.clone().into();
                value["batching"] = batching.clone().into();
                value["round"] = round.into();
                value["runtime"] = "native".into();
                value["flavour"] = kernel_flavour().into();
                println!("{value}");
            }
            per_round[k].push(p.trainer_ms);
            last[k] = Some(p);
        }
    }
    if json {
        return;
    }
    for (batching, p) in batchings.iter().zip(&last) {
        let Some(p) = p else { continue };
        println!(
            "\npreset {id}, batching {batching}, {} timed steps (last round), flavour {}; trials {:.1} steps on average, shards packed to {:.1} steps: {:.1} % of the lanes are padding",
            p.steps,
            kernel_flavour(),
            p.mean_trial_steps,
            p.mean_packed_steps,
            100.0 * p.padding_fraction
        );
        println!(
            "madd peak of this build (lab::profile::madd_peak_gflops): {:.2} GFLOP/s",
            p.madd_peak_gflops
        );
        println!("| phase | ms/step | % of trainer step | GFLOP/step | GFLOP/s | % of madd peak |");
        println!("|---|---|---|---|---|---|");
        for r in &p.rows {
            println!(
                "| {} | {:.2} | {:.1} | {:.3} | {:.2} | {:.0} |",
                r.phase,
                r.ms,
                100.0 * r.ms / p.trainer_ms,
                r.gflop,
                r.gflops(),
                100.0 * r.gflops() / p.madd_peak_gflops.max(1e-9)
            );
        }
    }
    println!("\n| batching | padding | trainer ms/step, each round | steps/s (best round) |");
    println!("|---|---|---|---|");
    for ((batching, p), times) in batchings.iter().zip(&last).zip(&per_round) {
        let shown: Vec<String> = times.iter().map(|t| format!("{t:.1}")).collect();
        let best = times.iter().cloned().fold(f64::INFINITY, f64::min);
        let padding = p.as_ref().map_or(0.0, |p| p.padding_fraction);
        println!(
            "| {batching} | {:.1} % | {} | {:.2} |",
            100.0 * padding,
            shown.join(", "),
            1e3 / best
        );
    }
}
