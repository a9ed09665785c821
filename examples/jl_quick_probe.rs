//! The Jarne & Laje claims' numbers (the quantities of `srnn reproduce jarne-laje`) for a
//! candidate quick schedule, per seed and as medians, with the seconds each part took:
//! how the quick schedule of `src/lab/claims/jarne_laje.rs` was chosen
//! (docs/results.md#jl-quick-2026-12-03).
//!
//! `jl_quick_probe <and steps> <and lr> <pulse steps> <pulse lr> <seeds> [and,size,delay]`
//! (one epoch of that many Adam steps, seeds 1..=seeds; the authors' batch 64 and decay
//! 1e-4). Environment: `CLIP` = the gradient-norm clip (default: none, the authors'),
//! `BATCH` = batch size, `DECAY` = Keras decay.
use serde_json::json;
use sparse_rnn_lab::lab::report::spectrum;
use sparse_rnn_lab::lab::studies::jarne_laje::{
    and_task_options, and_test_trials, damage_table_on, mean_std, pulse_distances, run_description,
    train, Damage, Schedule,
};
use sparse_rnn_lab::tasks::jarne_laje::JarneLajeKind;
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    }
}

fn sched(kind: JarneLajeKind, steps: usize, lr: f64) -> Schedule {
    let a = Schedule::authors(kind);
    let batch: usize = std::env::var("BATCH")
        .ok()
        .and_then(|b| b.parse().ok())
        .unwrap_or(a.batch_size);
    let decay: f64 = std::env::var("DECAY")
        .ok()
        .and_then(|b| b.parse().ok())
        .unwrap_or(a.lr_decay);
    Schedule {
        epochs: 1,
        trials_per_epoch: steps * batch,
        batch_size: batch,
        learning_rate: lr,
        lr_decay: decay,
        ..a
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let and_steps: usize = args[1].parse().unwrap();
    let and_lr: f64 = args[2].parse().unwrap();
    let pulse_steps: usize = args[3].parse().unwrap();
    let pulse_lr: f64 = args[4].parse().unwrap();
    let seeds: Vec<u64> = (1..=args[5].parse::<u64>().unwrap()).collect();
    let parts = args.get(6).cloned().unwrap_or("and,size,delay".into());
    println!("and {and_steps} steps lr {and_lr}; pulse {pulse_steps} steps lr {pulse_lr}; seeds {seeds:?}");
    if parts.contains("and") {
        let t = Instant::now();
        let s = sched(JarneLajeKind::And, and_steps, and_lr);
        let trials = and_test_trials().unwrap();
        let th = [0.0f32, 0.01, 0.025, 0.067];
        let (mut intact, mut p6, mut p36, mut sign, mut out) =
            (vec![], vec![], vec![], vec![], vec![]);
        for &seed in &seeds {
            let mut cfg = run_description(JarneLajeKind::And, &and_task_options(), 50, seed, &s);
            if let Some(c) = std::env::var("CLIP")
                .ok()
                .and_then(|c| c.parse::<f64>().ok())
            {
                cfg["train"]["clip_norm"] = json!(c);
            }
            let tr = train(cfg, &s).unwrap();
            let net = tr.network;
            let m = |d| -> Vec<f64> {
                damage_table_on(std::slice::from_ref(&net), d, &th, &trials)
                    .iter()
                    .map(|r| r.mean.iter().sum::<f64>() / 4.0)
                    .collect()
            };
            let (a, p, n) = (
                m(Damage::Magnitude),
                m(Damage::Positive),
                m(Damage::Negative),
            );
            let o = spectrum(&net.w_rec)
                .iter()
                .filter(|(r, i)| r * r + i * i > 1.0)
                .count();
            println!("  and seed {seed}: loss {:.4} intact {:.3} p6 {:.2} p36 {:.2} sign {:.2} outside {o}",
                tr.last_epoch_loss, a[0], a[1] / a[0], a[3] / a[0], p[2].max(n[2]) / a[2]);
            intact.push(a[0]);
            p6.push(a[1] / a[0]);
            p36.push(a[3] / a[0]);
            sign.push(p[2].max(n[2]) / a[2]);
            out.push(o as f64);
        }
        println!("AND medians: intact {:.3} (<=0.5) p6 {:.2} (<=2) p36 {:.2} (>=3) sign {:.2} (<=1) outside min {} ; {:.0} s",
            median(intact), median(p6), median(p36), median(sign), out.iter().cloned().fold(f64::INFINITY, f64::min), t.elapsed().as_secs_f64());
    }
    let pulse = |n: usize, ms: f64, seed: u64| -> (f64, f64) {
        let s = sched(JarneLajeKind::TimePulse, pulse_steps, pulse_lr);
        let mut cfg = run_description(
            JarneLajeKind::TimePulse,
            &json!({ "interval_ms": ms }),
            n,
            seed,
            &s,
        );
        if let Some(c) = std::env::var("CLIP")
            .ok()
            .and_then(|c| c.parse::<f64>().ok())
        {
            cfg["train"]["clip_norm"] = json!(c);
        }
        let tr = train(cfg, &s).unwrap();
        (
            mean_std(&pulse_distances(&tr.network, ms, 1000 + seed).unwrap()).0,
            tr.last_epoch_loss,
        )
    };
    let mut d50 = std::collections::HashMap::new();
    if parts.contains("size") {
        let t = Instant::now();
        let (mut s50, mut ratio) = (vec![], vec![]);
        for &seed in &seeds {
            let a = pulse(50, 150.0, seed);
            let t1 = Instant::now();
            let b = pulse(100, 150.0, seed);
            println!("  size seed {seed}: d50 {:.3} (loss {:.4}) d100 {:.3} (loss {:.4}) ratio {:.3}; N100 {:.0} s", a.0, a.1, b.0, b.1, b.0 / a.0, t1.elapsed().as_secs_f64());
            d50.insert(seed, a.0);
            s50.push(a.0);
            ratio.push(b.0 / a.0);
        }
        println!(
            "SIZE medians: size-50 {:.3} (1.71±0.4) ratio {:.3} (<=1) ; {:.0} s",
            median(s50),
            median(ratio),
            t.elapsed().as_secs_f64()
        );
    }
    if parts.contains("delay") {
        let t = Instant::now();
        let mut ratio = vec![];
        for &seed in &seeds {
            let long = match d50.get(&seed) {
                Some(d) => *d,
                None => pulse(50, 150.0, seed).0,
            };
            let short = pulse(50, 25.0, seed).0;
            println!(
                "  delay seed {seed}: d25 {short:.3} d150 {long:.3} ratio {:.3}",
                long / short
            );
            ratio.push(long / short);
        }
        println!(
            "DELAY median ratio {:.3} (>=1) ; {:.0} s",
            median(ratio),
            t.elapsed().as_secs_f64()
        );
    }
}
