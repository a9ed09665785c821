//! The LM-RNN study's figure (Khona et al.'s: steps to criterion vs recurrent density, one
//! curve per mask kind, dense as a line) and its companion in CPU seconds, from the arms
//! of a study ([`summarize`]). The full sparsity claim draws the first for each network
//! size; `khona_study chart` writes both for the page's Khona preset
//! (`www/data/khona-lmrnn-n1024.json`: the native result beside the page's small run).

use crate::lab::studies::khona::{summarize, ArmSummary, PointOutcome, StudyPlan};
use crate::plot::{Chart, Series};
use serde_json::{json, Value};

/// The arms of mask kind `mask` (`local`, `random`, `dense`, `autapse`) in order of density.
pub fn arms_by_density<'a>(arms: &'a [ArmSummary], mask: &str) -> Vec<&'a ArmSummary> {
    let mut of: Vec<&ArmSummary> = arms.iter().filter(|a| a.mask == mask).collect();
    of.sort_by(|x, y| x.density.total_cmp(&y.density));
    of
}

/// One network size's curves of `value` (an arm's median steps or CPU seconds to
/// criterion) against density: local and random masks (by density), and dense as a
/// horizontal reference line across the sparse densities. Labels end in `N = n`.
pub fn density_series(n: usize, arms: &[ArmSummary], value: fn(&ArmSummary) -> f64) -> Vec<Series> {
    let of = |mask: &str| arms_by_density(arms, mask);
    let (local, random) = (of("local"), of("random"));
    let dense = of("dense").first().map_or(f64::NAN, |d| value(d));
    let max_density = local
        .iter()
        .chain(&random)
        .map(|a| a.density)
        .fold(0.0, f64::max);
    let curve = |arms: &[&ArmSummary]| -> Vec<(f64, f64)> {
        arms.iter().map(|a| (a.density, value(a))).collect()
    };
    let series = |label: String, points: Vec<(f64, f64)>| Series {
        label,
        points,
        markers: true,
        line: true,
    };
    vec![
        series(format!("local (2-D sheet), N = {n}"), curve(&local)),
        series(format!("random, equal density, N = {n}"), curve(&random)),
        series(
            format!("dense (reference), N = {n}"),
            vec![(0.0, dense), (max_density, dense)],
        ),
    ]
}

/// The study's figure for the page: `{title, caption, seeds, charts: [steps, CPU
/// seconds]}` over the finished points of `outcomes` (each arm at its best learning rate,
/// medians over its finished seeds); the caption says how many seeds each arm has.
pub fn study_figure(plan: &StudyPlan, outcomes: &[PointOutcome]) -> Value {
    let arms = summarize(outcomes, plan.max_steps);
    let sizes: Vec<String> = plan.n_neurons.iter().map(|n| n.to_string()).collect();
    let per_arm: Vec<usize> = arms.iter().map(|a| a.steps.len()).collect();
    let (fewest, most) = (
        per_arm.iter().copied().min().unwrap_or(0),
        per_arm.iter().copied().max().unwrap_or(0),
    );
    let seeds = if fewest == most {
        format!("{most} seed{}", if most == 1 { "" } else { "s" })
    } else {
        format!("{fewest}–{most} seeds")
    };
    // the rates tried so far (a study may run its first rate first)
    let rates: Vec<String> = plan
        .learning_rates
        .iter()
        .filter(|&&lr| arms.iter().any(|a| a.per_rate.iter().any(|r| r.0 == lr)))
        .map(|r| r.to_string())
        .collect();
    let chart = |y_label: String, value: fn(&ArmSummary) -> f64, what: &str| Chart {
        title: format!(
            "{what} to {} vs density (N = {})",
            plan.criterion,
            sizes.join(", ")
        ),
        x_label: "recurrent density".into(),
        y_label,
        y_range: None,
        series: plan
            .n_neurons
            .iter()
            .flat_map(|&n| {
                let of_size: Vec<ArmSummary> = arms.iter().filter(|a| a.n == n).cloned().collect();
                density_series(n, &of_size, value)
            })
            .collect(),
    };
    let adam = match rates.as_slice() {
        [one] => format!("Adam {one}"),
        _ => format!("each arm at its best Adam rate of {}", rates.join(" / ")),
    };
    json!({
        "title": format!("Natively: the LM-RNN study at N = {}", sizes.join(", ")),
        "caption": format!(
            "Our native study, medians over {seeds} per arm ({adam}; criterion: mean \
             per-task performance {} on 512 trials, checked every {} steps; an arm that \
             never reached it is drawn at the cap, {} steps). Steps measure data \
             efficiency, CPU seconds what the sparse kernels save.",
            plan.criterion, plan.eval_every, plan.max_steps
        ),
        "seeds": [fewest, most],
        "charts": [
            chart("steps to criterion".into(), ArmSummary::median_steps, "Steps"),
            chart("CPU seconds to criterion (one core)".into(), |a| a.cpu_seconds, "CPU seconds"),
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(
        mask: &str,
        radius: f64,
        density: f64,
        seed: u64,
        steps: Option<usize>,
    ) -> PointOutcome {
        PointOutcome {
            key: format!("n16-{mask}-r{radius}-s{seed}"),
            n: 16,
            mask: mask.into(),
            radius,
            density,
            learning_rate: 0.003,
            seed,
            steps_to_criterion: steps,
            cpu_to_criterion: steps.map(|s| s as f64 / 100.0),
            cpu_at_end: Some(99.0),
            last_step: steps.unwrap_or(1000),
            best: 0.5,
            done: true,
        }
    }

    #[test]
    fn the_figure_has_the_papers_curves_with_medians_over_seeds() {
        let plan = StudyPlan::from_json(json!({
            "task": "ngym-modcog-go", "n_neurons": [16],
            "arms": [{"mask": "dense"}, {"mask": "local", "radius": 1.0},
                     {"mask": "random", "radius": 1.0}, {"mask": "local", "radius": 2.0},
                     {"mask": "random", "radius": 2.0}],
            "learning_rates": [0.003], "seeds": [1, 2], "max_steps": 1000,
            "eval_every": 100, "eval_trials": 64, "criterion": 0.8,
        }))
        .unwrap();
        let outcomes = vec![
            point("dense", 0.0, 1.0, 1, Some(300)),
            point("dense", 0.0, 1.0, 2, Some(500)),
            point("local", 2.0, 0.5, 1, Some(200)),
            point("local", 2.0, 0.5, 2, Some(400)),
            point("local", 1.0, 0.2, 1, None),
            point("random", 1.0, 0.2, 1, Some(600)),
            point("random", 2.0, 0.5, 1, Some(700)),
        ];
        let figure = study_figure(&plan, &outcomes);
        assert_eq!(figure["seeds"], json!([1, 2]));
        assert!(figure["caption"].as_str().unwrap().contains("1–2 seeds"));
        let steps: Chart = serde_json::from_value(figure["charts"][0].clone()).unwrap();
        let labels: Vec<&str> = steps.series.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "local (2-D sheet), N = 16",
                "random, equal density, N = 16",
                "dense (reference), N = 16"
            ]
        );
        // local by density: r1 unreached (the cap), r2 median of 200 and 400
        assert_eq!(steps.series[0].points, [(0.2, 1000.0), (0.5, 300.0)]);
        assert_eq!(steps.series[1].points, [(0.2, 600.0), (0.5, 700.0)]);
        // dense: median 400, drawn across the sparse densities
        assert_eq!(steps.series[2].points, [(0.0, 400.0), (0.5, 400.0)]);
        // CPU seconds: at the criterion, or at the end when unreached
        let cpu: Chart = serde_json::from_value(figure["charts"][1].clone()).unwrap();
        assert_eq!(cpu.series[0].points, [(0.2, 99.0), (0.5, 3.0)]);
        assert_eq!(cpu.series[2].points[0], (0.0, 4.0));
    }
}
