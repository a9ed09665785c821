//! neurogym-style `timing` entries for the Yang and Mod-Cog tasks: each form's
//! distribution (seeded draws against its mean, spread and support), the errors naming
//! `task.timing.<period>`, and the effect on the trials' periods.

use serde_json::{json, Value};
use sparse_rnn_lab::rng::SimRng;
use sparse_rnn_lab::tasks::registry::build_task;
use sparse_rnn_lab::tasks::Duration;

const DRAWS: usize = 20_000;

fn draws(entry: Value) -> Vec<f64> {
    let duration = Duration::from_neurogym("delay1", &entry).unwrap();
    let mut rng = SimRng::new(11);
    (0..DRAWS).map(|_| duration.sample_ms(&mut rng)).collect()
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

fn variance(values: &[f64]) -> f64 {
    let m = mean(values);
    values.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / values.len() as f64
}

#[test]
fn a_number_and_constant_are_fixed() {
    assert!(draws(json!(300)).iter().all(|&v| v == 300.0));
    assert!(draws(json!(["constant", 450.5]))
        .iter()
        .all(|&v| v == 450.5));
}

/// Each of `values` drawn with frequency 1/k, within 4 standard errors.
fn check_choice(entry: Value, values: &[f64]) {
    let drawn = draws(entry);
    let p = 1.0 / values.len() as f64;
    let tolerance = 4.0 * (p * (1.0 - p) / DRAWS as f64).sqrt();
    for v in values {
        let share = drawn.iter().filter(|&&d| d == *v).count() as f64 / DRAWS as f64;
        assert!((share - p).abs() < tolerance, "{v}: {share} vs {p}");
    }
    assert!(drawn.iter().all(|d| values.contains(d)));
}

#[test]
fn a_list_and_choice_draw_each_value_equally_often() {
    check_choice(json!([200, 400, 800, 1600]), &[200.0, 400.0, 800.0, 1600.0]);
    check_choice(json!(["choice", [100, 300, 500]]), &[100.0, 300.0, 500.0]);
}

#[test]
fn uniform_has_the_mean_and_variance_of_its_interval() {
    let drawn = draws(json!(["uniform", [300, 700]]));
    assert!(drawn.iter().all(|v| (300.0..=700.0).contains(v)));
    assert!((mean(&drawn) - 500.0).abs() < 4.0 * (400.0 / 12f64.sqrt()) / (DRAWS as f64).sqrt());
    let expected_var = 400.0 * 400.0 / 12.0;
    assert!(
        (variance(&drawn) / expected_var - 1.0).abs() < 0.05,
        "{}",
        variance(&drawn)
    );
    // quartiles of a uniform
    let below = drawn.iter().filter(|&&v| v < 400.0).count() as f64 / DRAWS as f64;
    assert!((below - 0.25).abs() < 0.015, "{below}");
}

#[test]
fn truncated_exponential_matches_the_conditioned_exponential() {
    let (mu, lo, hi) = (300.0f64, 500.0f64, 1500.0f64);
    let drawn = draws(json!(["truncated_exponential", [mu, lo, hi]]));
    assert!(drawn.iter().all(|v| (lo..=hi).contains(v)));
    // Exp(mu) conditioned on [lo, hi]: lo + mu - L e^{-L/mu} / (1 - e^{-L/mu}), L = hi - lo
    let l = hi - lo;
    let q = (-l / mu).exp();
    let expected_mean = lo + mu - l * q / (1.0 - q);
    assert!(
        (mean(&drawn) - expected_mean).abs() < 5.0,
        "{} vs {expected_mean}",
        mean(&drawn)
    );
    // CDF at lo + mu: (1 - e^{-1}) / (1 - q)
    let cdf = (1.0 - (-1.0f64).exp()) / (1.0 - q);
    let below = drawn.iter().filter(|&&v| v < lo + mu).count() as f64 / DRAWS as f64;
    assert!((below - cdf).abs() < 0.015, "{below} vs {cdf}");
    // a narrow window far below the mean is still exact (no rejection fallback to max)
    let narrow = draws(json!(["truncated_exponential", [1000, 0, 10]]));
    assert!((mean(&narrow) - 5.0).abs() < 0.1, "{}", mean(&narrow));
}

fn error(options: Value) -> String {
    match build_task(options["id"].as_str().unwrap(), &options["options"]) {
        Ok(_) => panic!("accepted {options}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn bad_entries_are_refused_naming_the_period_and_value() {
    let cases = [
        (json!({"delay1": "long"}), "`task.timing.delay1`"),
        (json!({"delay1": 20000}), "20000"),
        (json!({"delay1": -5}), "-5"),
        (json!({"delay1": []}), "non-empty"),
        (json!({"delay1": ["uniform", [700, 300]]}), "low <= high"),
        (json!({"delay1": ["gamma", [1, 2]]}), "\"gamma\""),
        (
            json!({"delay1": ["truncated_exponential", [0, 1, 2]]}),
            "mean > 0",
        ),
        (
            json!({"delay1": ["truncated_exponential", [300, 100]]}),
            "[mean, min, max]",
        ),
        (json!({"delay1": ["choice", [100, "x"]]}), "\"x\""),
        (
            json!({"stim2": 100}),
            "`task.timing.stim2` is not a period of yang-delaygo",
        ),
    ];
    for (timing, expected) in cases {
        let e = error(json!({"id": "yang-delaygo", "options": {"timing": timing}}));
        assert!(
            e.contains("task.timing") && e.contains(expected),
            "{timing}: {e}"
        );
    }
    let e = error(json!({"id": "yang-go", "options": {"timing": [1, 2]}}));
    assert!(e.contains("task.timing"), "{e}");
    let e = error(json!({"id": "yang-mixture", "options": {"timing": {"stim3": 100}}}));
    assert!(
        e.contains("`task.timing.stim3`") && e.contains("delay2"),
        "{e}"
    );
}

#[test]
fn entries_replace_the_drawn_periods_and_nothing_else() {
    let options = json!({"sigma_x": 0, "timing": {"delay1": ["uniform", [300, 500]],
        "fixation": 100, "go": ["constant", 1000]}});
    let task = build_task("yang-delaygo", &options).unwrap();
    let mut rng = SimRng::new(3);
    let mut lengths = std::collections::BTreeSet::new();
    for _ in 0..200 {
        let trial = task.trial(&mut rng);
        let length = |name| trial.period(name).map(|p| p.end - p.start).unwrap();
        assert_eq!(length("fixation"), 5); // 100 ms / 20 ms
        assert_eq!(length("go"), 50);
        let delay = length("delay1");
        assert!((15..=25).contains(&delay), "{delay}");
        lengths.insert(delay);
        assert!([10, 20, 30].contains(&length("stim1"))); // the paper's {200, 400, 600}
    }
    assert!(lengths.len() >= 8, "{lengths:?}");
    // no timing (or an empty one) leaves the paper's trials bit for bit
    let plain = build_task("yang-delaygo", &json!({})).unwrap();
    let empty = build_task("yang-delaygo", &json!({"timing": {}})).unwrap();
    let (mut a, mut b) = (SimRng::new(8), SimRng::new(8));
    for _ in 0..10 {
        assert_eq!(plain.trial(&mut a), empty.trial(&mut b));
    }
}

#[test]
fn mod_cog_and_mixtures_take_timing_too() {
    // Mod-Cog int: the response rotation follows the (overridden) delay length
    let task = build_task("modcog-delaygo-intr", &json!({"timing": {"delay1": 1000}})).unwrap();
    let trial = task.trial(&mut SimRng::new(1));
    let delay = trial.period("delay1").unwrap();
    assert_eq!(delay.end - delay.start, 50);
    // a mixture accepts a period that only some of its tasks have
    let mixture = build_task("yang-mixture", &json!({"timing": {"stim2": 200}})).unwrap();
    let mut rng = SimRng::new(2);
    let with_stim2 = (0..100)
        .map(|_| mixture.trial(&mut rng))
        .filter_map(|t| t.period("stim2").map(|p| p.end - p.start))
        .collect::<Vec<_>>();
    assert!(
        !with_stim2.is_empty() && with_stim2.iter().all(|&l| l == 10),
        "{with_stim2:?}"
    );
}
