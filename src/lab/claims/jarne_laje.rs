//! Jarne & Laje claims (arXiv 1906.01094; J Comput Neurosci 2023; authors' numbers from
//! katejarne/RNN_study_with_keras, `shared/research/paper-figures.md` §4), trained the
//! authors' way through [`crate::lab::studies::jarne_laje`]: Keras SimpleRNN = the rate
//! form with dt = τ = 1 ms (h ← tanh(W h + W_in u)), N = 50, no recurrent bias, Glorot-
//! uniform W_in and readout, orthogonal W_rec, linear Dense readout *with* its bias
//! (`readout_bias`), MSE, Adam lr 1e-4 with Keras decay 1e-4, batch 64, up to 20 epochs of
//! 15 000 trials, stopping after the first epoch whose mean loss is below 5e-4 (AND) or
//! 1e-3 (time pulse). Their metric: the distance ‖target − output‖₂ over one trial.
//!
//! - AND damage: the networks train with input noise 0.1 (the authors' "con ruido"
//!   networks, [`AND_INPUT_NOISE_STD`]); the recurrent weights with |w| below the authors'
//!   thresholds (or only the positive / only the negative ones) are set to 0. The distance
//!   is measured per input condition on 10 trials with input noise 0.1 and averaged over
//!   the four conditions: the authors' "00" column grows with damage (0.22 → 4.38), which a
//!   silent trial cannot do (tanh, no recurrent bias, zero input: h stays 0 and y = b_out).
//! - Size and delay: the time-pulse task (inputs and targets with noise 0.03), distance on
//!   10 held-out trials per network, averaged. The authors score the same 10 trials
//!   (numpy seed 2: 5 with a pulse, 5 without) for every network; ours draws 10 per
//!   network (test seed 1000 + seed). `size-50` does not hold for a measured reason: the
//!   authors' networks, not their metric or trials, sit 0.3–0.7 above ours at every size and
//!   delay (docs/jarne-laje.md, "Time-pulse distances").
//!
//! Full: the authors' schedule on 10 networks per point (they used 11–50); natively,
//! [`set_model_dir`] (`srnn reproduce --models DIR`) keeps every trained network on disk so
//! the hours-long run resumes. Quick (CI and the page): 3 networks per point; AND networks
//! train 500 Adam steps at lr 2e-3 with the gradient norm clipped at 1 (enough for the four
//! AND rows to hold), time-pulse networks 250 steps at lr 1e-3 — under-trained (N = 50 and
//! N = 100 both on the loss ≈ 0.018 plateau), so quick `size-ratio` is shown but not
//! expected to hold: the authors' own training script at that budget (tf.keras, 234 steps
//! at lr 1e-3) sits on the same plateau with a ratio of 1.02–1.09 (the row's
//! `authors_code`).
//!
//! Groups: `and` (distance and damage), `spectra`, `size`, `delay`.

use super::chart::{chart, series};
use super::claim::{Criterion, Measured, Ours, Row};
use super::table::Group;
use crate::error::Result;
use crate::lab::clock::Stopwatch;
use crate::lab::report::spectrum;
use crate::lab::studies::jarne_laje::{
    and_task_options, and_test_trials, damage_table_on, mean_std, pulse_distances, run_description,
    trained_network, Damage, Schedule, AND_INPUT_NOISE_STD,
};
use crate::model::Network;
use crate::plot::Series;
use crate::tasks::jarne_laje::JarneLajeKind;
use crate::tasks::Trial;
use serde_json::json;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

/// The experiments.
pub const GROUPS: &[Group] = &[
    Group {
        id: "and",
        run: and,
    },
    Group {
        id: "spectra",
        run: spectra,
    },
    Group {
        id: "size",
        run: size,
    },
    Group {
        id: "delay",
        run: delay,
    },
];

/// The claims table.
pub const ROWS: &[Row] = &[
    Row {
        group: "and",
        id: "and-intact",
        claim: "a trained AND network's distance ‖target − output‖₂ over a trial (intact, mean of the 4 conditions)",
        paper_value: "0.23 (00 0.22, 11 0.26, 10 0.22, 01 0.23; mean of 11–12 networks, std 0.10–0.24) [code: files_damage/01_pos_y_neg/aug_20_.txt]",
        authors_code: Some("0.52 / 0.80: their published noise-trained networks And_con_ruido_orto_#04 / #14 on these noisy trials (docs/jarne-laje.md)"),
        criterion: Criterion::AtMost(0.5),
    },
    Row {
        group: "and",
        id: "and-prune-6",
        claim: "graceful degradation: removing the weights with |w| < 0.01 (≈ 6 %) costs little (distance / intact)",
        paper_value: "1.07 / 0.92 = 1.16 (sum over the 4 conditions) [code: aug_20_.txt]",
        authors_code: None,
        criterion: Criterion::AtMost(2.0),
    },
    Row {
        group: "and",
        id: "and-prune-36",
        claim: "removing the weights with |w| < 0.067 (≈ 36 %) ruins the task (distance / intact)",
        paper_value: "4.99 / 0.23 ≈ 22 (00: 4.38 / 0.22) [code: aug_20_.txt]",
        authors_code: None,
        criterion: Criterion::AtLeast(3.0),
    },
    Row {
        group: "and",
        id: "and-prune-sign",
        claim: "at threshold 0.025 (≈ 14 %), removing only one sign hurts less than both (max(pos, neg) / both)",
        paper_value: "positive only 0.58, negative only 0.41, both 1.40 (00) ⇒ 0.41 [code: 02_positivos, 03_negativos]",
        authors_code: None,
        criterion: Criterion::AtMost(1.0),
    },
    Row {
        group: "spectra",
        id: "spectra-outside",
        claim: "training moves eigenvalues out of the unit circle, differently per network (fewest outside)",
        paper_value: "spectra differ between networks [paper]; counts [not found]",
        authors_code: None,
        criterion: Criterion::AtLeast(1.0),
    },
    Row {
        group: "size",
        id: "size-50",
        claim: "time-pulse task, 150 ms delay, N = 50: distance",
        paper_value: "1.71 ± 0.13 [code: files_scale/size_at_150_ms.txt]",
        authors_code: Some("their one published pulse network (N = 50, trained at 20 ms) scores 0.97 on their trials, their table's short-delay end (25 ms: 0.99) — ours at 25 ms: 0.58–0.62; our 150-ms networks scored their way on their trials: 0.93 / 0.93 / 1.90 (seeds 1–3); their training script rerun on tf.keras: 0.87 / 0.98 / 1.28 at 150 ms, 0.59 at 25 ms — where ours land; their table sits 0.3–0.7 above our means at every size and delay (docs/jarne-laje.md)"),
        criterion: Criterion::Within {
            target: 1.71,
            tolerance: 0.4,
        },
    },
    Row {
        group: "size",
        id: "size-ratio",
        claim: "performance degrades gracefully with smaller networks: distance(N = 100) / distance(N = 50)",
        paper_value: "1.23 / 1.71 = 0.72 (N = 200: 1.10) [code: size_at_150_ms.txt]",
        authors_code: Some("at our quick budget their model does no better: their training script on tf.keras, 1 epoch (234 steps) at lr 1e-3, seeds 1–3, N = 50: 1.93 / 1.81 / 1.81, N = 100: 1.97 / 1.94 / 1.97 — ratio 1.02–1.09, on the same loss plateau (≈ 0.017) as our quick networks; past it (the full schedule) ours is 0.67 (docs/jarne-laje.md)"),
        criterion: Criterion::AtMost(1.0),
    },
    Row {
        group: "delay",
        id: "delay-ratio",
        claim: "performance degrades with a longer interval: distance(150 ms) / distance(25 ms), N = 50",
        paper_value: "1.71 / 0.99 = 1.7 [code: time_delay.txt]",
        authors_code: None,
        criterion: Criterion::AtLeast(1.0),
    },
];

/// Trained networks of this process, by (task, N, interval, seed, quick), so groups that
/// analyse the same networks (damage, spectra; size and delay share N = 50 at 150 ms)
/// train them once.
static TRAINED: Mutex<Option<HashMap<String, Network>>> = Mutex::new(None);

/// Directory of saved networks ([`set_model_dir`]); `None`: train every network afresh.
static MODEL_DIR: Mutex<Option<PathBuf>> = Mutex::new(None);

/// Keep this process's trained networks in `dir` (the native `srnn reproduce --models`):
/// each network is loaded from its file there when present, else trained and written
/// there as soon as it finishes ([`trained_network`], keyed by task, N, interval, seed and
/// a hash of the run description and schedule), so an interrupted full run resumes.
/// `None` (the default, and the page) trains every network.
pub fn set_model_dir(dir: Option<PathBuf>) {
    if let Ok(mut slot) = MODEL_DIR.lock() {
        *slot = dir;
    }
}

/// Quick AND networks: Adam steps (of the authors' batch 64; the authors' ≈ 4 700).
const QUICK_AND_STEPS: usize = 500;
/// Quick AND networks: Adam learning rate (the authors' 1e-4, with their decay 1e-4).
const QUICK_AND_LEARNING_RATE: f64 = 2e-3;
/// Quick AND networks: the gradient's L2 norm is clipped to this (the authors clip
/// nothing). Without it, 250–1 000 steps at lr 5e-4 … 1e-2 leave most networks at the
/// mean answer (distance ≈ 4.3) or throw a trained one back there (docs/results.md,
/// `jl-quick-2026-12-03`).
const QUICK_AND_CLIP_NORM: f64 = 1.0;
/// Quick time-pulse networks: Adam steps of batch 64 at [`QUICK_PULSE_LEARNING_RATE`].
const QUICK_PULSE_STEPS: usize = 250;
/// Quick time-pulse networks: Adam learning rate, no clipping.
const QUICK_PULSE_LEARNING_RATE: f64 = 1e-3;

/// The schedule of the full (the authors') or the quick variant (for AND, the run
/// description also clips the gradient at [`QUICK_AND_CLIP_NORM`]: see [`trained`]).
fn schedule(kind: JarneLajeKind, quick: bool) -> Schedule {
    let authors = Schedule::authors(kind);
    if !quick {
        return authors;
    }
    let (steps, learning_rate) = if kind == JarneLajeKind::And {
        (QUICK_AND_STEPS, QUICK_AND_LEARNING_RATE)
    } else {
        (QUICK_PULSE_STEPS, QUICK_PULSE_LEARNING_RATE)
    };
    Schedule {
        epochs: 1,
        trials_per_epoch: steps * authors.batch_size,
        learning_rate,
        ..authors
    }
}

fn seeds(quick: bool) -> Vec<u64> {
    if quick {
        (1..=3).collect()
    } else {
        (1..=10).collect()
    }
}

/// The setting text of a claim on `kind` networks: `what`, the model, and the schedule
/// (the authors', or the quick one with its numbers).
fn setting(what: &str, kind: JarneLajeKind, quick: bool) -> String {
    let how = match (quick, kind) {
        (false, _) => "the authors' schedule: Adam lr 1e-4, decay 1e-4, batch 64, ≤ 20 epochs \
                       of 15 000 trials, early stop at loss < 5e-4 (AND) / 1e-3 (pulse)"
            .to_string(),
        (true, JarneLajeKind::And) => format!(
            "quick: {QUICK_AND_STEPS} steps of Adam lr {QUICK_AND_LEARNING_RATE} (decay 1e-4, \
             batch 64) with the gradient norm clipped at {QUICK_AND_CLIP_NORM} (authors: lr \
             1e-4, no clipping, ≤ 20 epochs of 15 000 trials, early stop)"
        ),
        (true, _) => format!(
            "quick: {QUICK_PULSE_STEPS} steps of Adam lr {QUICK_PULSE_LEARNING_RATE} (authors: \
             lr 1e-4, decay 1e-4, ≤ 20 epochs of 15 000 trials, early stop); under-trained: \
             N = 50 and N = 100 both sit at the loss ≈ 0.018 plateau"
        ),
    };
    format!(
        "{what}; SimpleRNN form (dt = τ = 1 ms, tanh, no recurrent bias), orthogonal W_rec, \
         Glorot-uniform W_in / W_out, readout bias, MSE; {how}"
    )
}

/// Train (or fetch from the cache) the authors' network for `kind`.
fn trained(
    kind: JarneLajeKind,
    n: usize,
    interval_ms: f64,
    seed: u64,
    quick: bool,
) -> Result<Network> {
    let key = format!("{}/{n}/{interval_ms}/{seed}/{quick}", kind.id());
    if let Some(network) = TRAINED
        .lock()
        .ok()
        .and_then(|cache| cache.as_ref().and_then(|c| c.get(&key).cloned()))
    {
        return Ok(network);
    }
    let schedule = schedule(kind, quick);
    let task = match kind {
        JarneLajeKind::TimePulse => json!({ "interval_ms": interval_ms }),
        JarneLajeKind::And => and_task_options(),
        _ => json!({}),
    };
    let dir = MODEL_DIR.lock().ok().and_then(|d| d.clone());
    let mut config = run_description(kind, &task, n, seed, &schedule);
    if quick && kind == JarneLajeKind::And {
        config["train"]["clip_norm"] = json!(QUICK_AND_CLIP_NORM);
    }
    let network = trained_network(config, &schedule, dir.as_deref())?;
    if let Ok(mut cache) = TRAINED.lock() {
        cache
            .get_or_insert_with(HashMap::new)
            .insert(key, network.clone());
    }
    Ok(network)
}

/// The authors' damage thresholds this group reads: intact, ≈ 6 %, ≈ 14 %, ≈ 36 %.
const THRESHOLDS: [f32; 4] = [0.0, 0.01, 0.025, 0.067];

fn and(quick: bool) -> Result<Vec<Measured>> {
    let clock = Stopwatch::start();
    let seeds = seeds(quick);
    let trials: Vec<Vec<Trial>> = and_test_trials()?;
    // per seed: mean-over-conditions distance at each threshold, per damage kind
    let kinds = [Damage::Magnitude, Damage::Positive, Damage::Negative];
    let mut table: Vec<(u64, [[f64; 4]; 3], f64)> = Vec::new();
    for &seed in &seeds {
        let network = trained(JarneLajeKind::And, 50, 200.0, seed, quick)?;
        let mut row = [[0.0; 4]; 3];
        let mut removed_36 = 0.0;
        for (k, &damage) in kinds.iter().enumerate() {
            let rows =
                damage_table_on(std::slice::from_ref(&network), damage, &THRESHOLDS, &trials);
            for (i, r) in rows.iter().enumerate() {
                row[k][i] = r.mean.iter().sum::<f64>() / 4.0;
            }
            if damage == Damage::Magnitude {
                removed_36 = rows[3].percent_removed;
            }
        }
        table.push((seed, row, removed_36));
    }
    let per_seed = |f: &dyn Fn(&[[f64; 4]; 3]) -> f64| -> Ours {
        Ours::over_seeds(table.iter().map(|(seed, row, _)| (*seed, f(row))))
    };
    let removed: Vec<String> = table.iter().map(|(_, _, r)| format!("{r:.0} %")).collect();
    let mean_curve = |k: usize| -> Vec<(f64, f64)> {
        THRESHOLDS
            .iter()
            .enumerate()
            .map(|(i, &t)| {
                let values: Vec<f64> = table.iter().map(|(_, row, _)| row[k][i]).collect();
                (t as f64, mean_std(&values).0)
            })
            .collect()
    };
    let prune_chart = chart(
        "AND: distance vs damage threshold (mean over networks)",
        "threshold on |w| (the authors' 0.01 ≈ 6 %, 0.025 ≈ 14 %, 0.067 ≈ 36 %)",
        "distance ‖target − output‖₂ (mean of the 4 conditions)",
        vec![
            series("ours, |w| < threshold", mean_curve(0)),
            series("ours, positive only", mean_curve(1)),
            series("ours, negative only", mean_curve(2)),
            series(
                "authors, |w| < threshold",
                vec![(0.0, 0.230), (0.01, 0.268), (0.025, 1.305), (0.067, 4.986)],
            ),
        ],
    );
    let what = |extra: &str| {
        setting(
            &format!(
                "AND, N = 50, {} networks trained with input noise {AND_INPUT_NOISE_STD}; \
                 distance on 10 trials per condition with input noise {AND_INPUT_NOISE_STD}, \
                 mean of 00/11/10/01{extra}",
                seeds.len()
            ),
            JarneLajeKind::And,
            quick,
        )
    };
    Ok(vec![
        Measured::new("and-intact", what(""), per_seed(&|r| r[0][0]), &clock),
        Measured::new(
            "and-prune-6",
            what(""),
            per_seed(&|r| r[0][1] / r[0][0].max(1e-12)),
            &clock,
        )
        .chart(prune_chart),
        Measured::new(
            "and-prune-36",
            what(&format!("; removed at 0.067: {}", removed.join(", "))),
            per_seed(&|r| r[0][3] / r[0][0].max(1e-12)),
            &clock,
        ),
        Measured::new(
            "and-prune-sign",
            what(""),
            per_seed(&|r| r[1][2].max(r[2][2]) / r[0][2].max(1e-12)),
            &clock,
        ),
    ])
}

fn spectra(quick: bool) -> Result<Vec<Measured>> {
    let clock = Stopwatch::start();
    let mut series_list = Vec::new();
    let mut counts = Vec::new();
    for seed in seeds(quick) {
        let network = trained(JarneLajeKind::And, 50, 200.0, seed, quick)?;
        let eigen = spectrum(&network.w_rec);
        counts.push(
            eigen
                .iter()
                .filter(|(re, im)| re * re + im * im > 1.0)
                .count(),
        );
        series_list.push(Series {
            label: format!("seed {seed}"),
            points: eigen,
            markers: true,
            line: false,
        });
    }
    series_list.push(Series {
        label: "unit circle".into(),
        points: (0..=64)
            .map(|i| {
                let a = i as f64 * std::f64::consts::TAU / 64.0;
                (crate::math::cos(a), crate::math::sin(a))
            })
            .collect(),
        markers: false,
        line: true,
    });
    let min = counts.iter().copied().min().unwrap_or(0);
    Ok(vec![Measured::new(
        "spectra-outside",
        setting(
            &format!(
                "AND, N = 50, {} networks; |λ| > 1 per network: {counts:?}",
                counts.len()
            ),
            JarneLajeKind::And,
            quick,
        ),
        Ours::value(min as f64),
        &clock,
    )
    .chart(chart(
        "eigenvalues of trained AND networks",
        "Re λ",
        "Im λ",
        series_list,
    ))])
}

/// Mean distance of the time-pulse network (N, delay, seed) on its 10 held-out trials.
fn pulse_distance(n: usize, interval_ms: f64, seed: u64, quick: bool) -> Result<f64> {
    let network = trained(JarneLajeKind::TimePulse, n, interval_ms, seed, quick)?;
    Ok(mean_std(&pulse_distances(&network, interval_ms, 1000 + seed)?).0)
}

fn size(quick: bool) -> Result<Vec<Measured>> {
    let clock = Stopwatch::start();
    let seeds = seeds(quick);
    let mut small = Vec::new();
    let mut ratio = Vec::new();
    for &seed in &seeds {
        let d50 = pulse_distance(50, 150.0, seed, quick)?;
        let d100 = pulse_distance(100, 150.0, seed, quick)?;
        small.push((seed, d50));
        ratio.push((seed, d100 / d50.max(1e-12)));
    }
    let mean_of = |v: &[(u64, f64)]| mean_std(&v.iter().map(|x| x.1).collect::<Vec<_>>()).0;
    let d100: Vec<(u64, f64)> = small
        .iter()
        .zip(&ratio)
        .map(|((s, d), (_, r))| (*s, d * r))
        .collect();
    let what = setting(
        &format!(
            "pulse task, 150 ms delay, input and target noise 0.03, {} networks per N; distance \
             on 10 held-out trials",
            seeds.len()
        ),
        JarneLajeKind::TimePulse,
        quick,
    );
    Ok(vec![
        Measured::new("size-50", &what, Ours::over_seeds(small.clone()), &clock),
        Measured::new("size-ratio", &what, Ours::over_seeds(ratio), &clock).chart(chart(
            "pulse task: distance vs network size (mean over networks)",
            "N",
            "distance ‖target − output‖₂",
            vec![
                series(
                    "ours",
                    vec![(50.0, mean_of(&small)), (100.0, mean_of(&d100))],
                ),
                series(
                    "authors",
                    vec![
                        (50.0, 1.71),
                        (100.0, 1.23),
                        (200.0, 1.10),
                        (300.0, 1.08),
                        (500.0, 1.20),
                    ],
                ),
            ],
        )),
    ])
}

fn delay(quick: bool) -> Result<Vec<Measured>> {
    let clock = Stopwatch::start();
    let seeds = seeds(quick);
    let delays: &[f64] = if quick {
        &[25.0, 150.0]
    } else {
        &[25.0, 100.0, 150.0]
    };
    // per delay: (seed, distance)
    let mut per_delay: Vec<Vec<(u64, f64)>> = Vec::new();
    for &d in delays {
        let mut row = Vec::new();
        for &seed in &seeds {
            row.push((seed, pulse_distance(50, d, seed, quick)?));
        }
        per_delay.push(row);
    }
    let ratio: Vec<(u64, f64)> = per_delay[per_delay.len() - 1]
        .iter()
        .zip(&per_delay[0])
        .map(|((seed, long), (_, short))| (*seed, long / short.max(1e-12)))
        .collect();
    let points: Vec<(f64, f64)> = delays
        .iter()
        .zip(&per_delay)
        .map(|(&d, row)| (d, mean_std(&row.iter().map(|x| x.1).collect::<Vec<_>>()).0))
        .collect();
    Ok(vec![Measured::new(
        "delay-ratio",
        setting(
            &format!(
                "pulse task, N = 50, delays {delays:?} ms, noise 0.03, {} networks per delay",
                seeds.len()
            ),
            JarneLajeKind::TimePulse,
            quick,
        ),
        Ours::over_seeds(ratio),
        &clock,
    )
    .chart(chart(
        "pulse task: distance vs delay (mean over networks)",
        "delay (ms)",
        "distance ‖target − output‖₂",
        vec![
            series("ours", points),
            series(
                "authors",
                vec![
                    (25.0, 0.99),
                    (50.0, 1.27),
                    (100.0, 1.74),
                    (150.0, 1.71),
                    (170.0, 1.86),
                ],
            ),
        ],
    ))])
}
