//! Khona, Chandra, Ma & Fiete 2023 (Neural Comput. 35(11)): autapse-only networks solve
//! the 20 Yang tasks but fail Mod-Cog's int/seq tasks; locality-masked (2-D sheet) RNNs
//! at an optimal sparsity reach criterion in fewer steps than random masks of equal
//! density and dense networks.
//!
//! Quick (`quick = true`, ≈ 1–2 min natively): N = 64, a few tasks, ≤ 2000 steps, two
//! seeds. Full: N = 256, more tasks, seeds and steps (tens of minutes to hours; the
//! settings are in each claim's `setting`).

use super::common::Finding as Claim;
use super::common::{format_scores, khona_run, mean_where, per_task, train, Clock};
use crate::error::Result;
use crate::plot::{Chart, Series};
use crate::tasks::modcog_ngym::{int_able, Base};
use serde_json::{json, Value};

const PAPER: &str = "Khona et al. 2023";

struct Plan {
    n: usize,
    yang_tasks: Value,
    yang_steps: usize,
    ngym_tasks: Value,
    ngym_steps: usize,
    sweep_tasks: Value,
    radii: Vec<f64>,
    seeds: Vec<u64>,
    sweep_max_steps: usize,
    criterion: f64,
    per_task_trials: usize,
}

fn plan(quick: bool) -> Plan {
    let ngym = |names: &[&str]| {
        let ids: Vec<String> = names.iter().map(|n| format!("ngym-modcog-{n}")).collect();
        json!({"id": "ngym-modcog-mixture", "tasks": ids})
    };
    if quick {
        Plan {
            n: 64,
            yang_tasks: json!({"id": "modcog-mixture",
                "tasks": ["modcog-go", "modcog-anti", "modcog-dm1", "modcog-delaygo"]}),
            yang_steps: 400,
            ngym_tasks: ngym(&["dlygo", "dlygoseqr", "dlygointr", "dm1"]),
            ngym_steps: 2000,
            sweep_tasks: ngym(&["dlygo", "dlygoseqr", "dlygointr", "dm1"]),
            radii: vec![1.5, 3.0],
            seeds: vec![1, 2],
            sweep_max_steps: 2500,
            criterion: 0.7,
            per_task_trials: 256,
        }
    } else {
        // the int-able delay tasks, as the generator defines them (D = 11)
        let ints: Vec<&str> = Base::ALL
            .into_iter()
            .filter(|b| int_able(*b))
            .map(Base::name)
            .collect();
        let mut names: Vec<String> = ints.iter().map(|s| s.to_string()).collect();
        names.extend(ints.iter().map(|s| format!("{s}seqr")));
        names.extend(ints.iter().map(|s| format!("{s}intr")));
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        Plan {
            n: 256,
            yang_tasks: json!({"id": "yang-mixture"}),
            yang_steps: 9000,
            ngym_tasks: ngym(&refs),
            ngym_steps: 20000,
            sweep_tasks: ngym(&["dlygo", "dlygoseqr", "dlygointr", "dm1"]),
            radii: vec![1.0, 1.5, 2.0, 3.0, 4.0, 6.0],
            seeds: vec![1, 2, 3, 4, 5],
            sweep_max_steps: 10000,
            criterion: 0.8,
            per_task_trials: 512,
        }
    }
}

fn claim(text: &str, setting: String, paper_value: &str) -> Claim {
    Claim {
        paper: PAPER.into(),
        claim: text.into(),
        setting,
        paper_value: paper_value.into(),
        ours: String::new(),
        holds: false,
        seconds: 0.0,
        chart: None,
    }
}

/// Run the claims, reporting each as it finishes.
pub fn run(quick: bool, report: &mut dyn FnMut(Claim)) -> Result<()> {
    run_plan(&plan(quick), report)
}

fn run_plan(p: &Plan, report: &mut dyn FnMut(Claim)) -> Result<()> {
    report(autapses_on_yang(p)?);
    report(autapses_on_modcog(p)?);
    report(sparsity_sweep(p)?);
    Ok(())
}

fn autapses_on_yang(p: &Plan) -> Result<Claim> {
    let clock = Clock::start();
    let mut c = claim(
        "autapse-only networks solve the 20 Yang tasks (per-task performance vs a dense network at equal training)",
        format!(
            "{} on Yang's generator (dt 20 ms), N = {}, autapse (identity init, gain 1) vs dense, ReLU, Adam 3e-3, batch 32, {} steps each, seed 1; each task scored on its own {} trials (95 % Wilson CI)",
            p.yang_tasks, p.n, p.yang_steps, p.per_task_trials
        ),
        "a pool of separated autapses solves 20-Cog (abstract; accuracy not given in paper-figures.md)",
    );
    let mut lines = Vec::new();
    let mut means = Vec::new();
    for mask in ["autapse", "dense"] {
        let run = khona_run(&p.yang_tasks, p.n, mask, 0.0, 1)?;
        let mut out = train(run, p.yang_steps, p.yang_steps, 64, None)?;
        let scores = per_task(&mut out.session, p.per_task_trials)?;
        means.push(mean_where(&scores, |_| true));
        lines.push(format!("{mask}: {}", format_scores(&scores)));
    }
    c.ours = format!(
        "mean autapse {:.2}, dense {:.2} — {}",
        means[0],
        means[1],
        lines.join(" | ")
    );
    c.holds = means[0] >= 0.8 && means[0] >= means[1] - 0.1;
    c.seconds = clock.seconds();
    Ok(c)
}

fn autapses_on_modcog(p: &Plan) -> Result<Claim> {
    let clock = Clock::start();
    let mut c = claim(
        "autapse-only networks fail the int/seq tasks of Mod-Cog (a dense network learns them)",
        format!(
            "Mod-Cog authors' form (dt 100 ms) {}, N = {}, autapse (identity init, gain 1) vs dense, ReLU, Adam 3e-3, batch 32, {} steps each, seed 1; {} trials per task",
            p.ngym_tasks, p.n, p.ngym_steps, p.per_task_trials
        ),
        "int and seq are designed so that diagonal RNNs cannot solve them (README, abstract)",
    );
    let extended = |id: &str| id.contains("int") || id.contains("seq");
    let mut summary = Vec::new();
    let mut stats = Vec::new();
    for mask in ["autapse", "dense"] {
        let run = khona_run(&p.ngym_tasks, p.n, mask, 0.0, 1)?;
        let mut out = train(run, p.ngym_steps, p.ngym_steps, 64, None)?;
        let scores = per_task(&mut out.session, p.per_task_trials)?;
        let ext = mean_where(&scores, extended);
        let base = mean_where(&scores, |id| !extended(id));
        stats.push((ext, base));
        summary.push(format!(
            "{mask}: int/seq {ext:.2}, base {base:.2} ({})",
            format_scores(&scores)
        ));
    }
    c.ours = summary.join(" | ");
    let ((a_ext, a_base), (d_ext, _)) = (stats[0], stats[1]);
    c.holds = a_ext < 0.3 && d_ext > a_ext + 0.3 && a_base > 0.5;
    c.seconds = clock.seconds();
    Ok(c)
}

fn sparsity_sweep(p: &Plan) -> Result<Claim> {
    let clock = Clock::start();
    let mut c = claim(
        "locality-masked RNNs at an optimal sparsity reach criterion in fewer steps than dense and than random masks of equal density",
        format!(
            "{} , N = {} ({}×{} sheet), radii {:?} (local, and random at the same density), dense; seeds {:?}; criterion {} mean performance on 128 trials, checked every 250 steps, at most {} steps (unreached counted as the maximum)",
            p.sweep_tasks, p.n, (p.n as f64).sqrt(), (p.n as f64).sqrt(), p.radii, p.seeds, p.criterion, p.sweep_max_steps
        ),
        "LM-RNNs train faster at an optimal sparsity, sparsity as low as 4 % (abstract); optimal density and speed-up not in paper-figures.md",
    );
    let mean_steps = |mask: &str, radius: f64| -> Result<(f64, f64, usize)> {
        let (mut total, mut density, mut missed) = (0.0, 0.0, 0);
        for seed in &p.seeds {
            let run = khona_run(&p.sweep_tasks, p.n, mask, radius, *seed)?;
            let out = train(run, p.sweep_max_steps, 250, 128, Some(p.criterion))?;
            total += out.reached.unwrap_or(p.sweep_max_steps) as f64;
            missed += usize::from(out.reached.is_none());
            density = out.density;
        }
        Ok((density, total / p.seeds.len() as f64, missed))
    };
    let mut series = Vec::new();
    let mut rows = Vec::new();
    let mut best_local = (f64::INFINITY, 0.0);
    for mask in ["local", "random"] {
        let mut points = Vec::new();
        for radius in &p.radii {
            let (density, steps, missed) = mean_steps(mask, *radius)?;
            points.push((density, steps));
            rows.push(format!(
                "{mask} r={radius} d={density:.3}: {steps:.0} steps ({missed} unreached)"
            ));
            if mask == "local" && steps < best_local.0 {
                best_local = (steps, density);
            }
        }
        series.push(Series {
            label: mask.into(),
            points,
            markers: true,
            line: true,
        });
    }
    let (_, dense_steps, dense_missed) = mean_steps("dense", 0.0)?;
    rows.push(format!(
        "dense d=1: {dense_steps:.0} steps ({dense_missed} unreached)"
    ));
    series.push(Series {
        label: "dense".into(),
        points: vec![(1.0, dense_steps)],
        markers: true,
        line: false,
    });
    let random_at_best = series[1]
        .points
        .iter()
        .find(|(d, _)| (d - best_local.1).abs() < 1e-9)
        .map_or(f64::NAN, |(_, s)| *s);
    c.ours = format!(
        "optimal local density {:.3} ({:.0} steps) vs random {:.0}, dense {:.0} — {}",
        best_local.1,
        best_local.0,
        random_at_best,
        dense_steps,
        rows.join("; ")
    );
    c.holds = best_local.0 < dense_steps && best_local.0 <= random_at_best && best_local.1 < 1.0;
    c.chart = Some(Chart {
        title: "Steps to criterion vs density (Khona et al.)".into(),
        x_label: "recurrent density".into(),
        y_label: format!("steps to {} performance (mean over seeds)", p.criterion),
        y_range: None,
        series,
    });
    c.seconds = clock.seconds();
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tiny_plan_reports_three_claims_with_the_sweep_chart() {
        let p = Plan {
            n: 16,
            yang_tasks: json!({"id": "modcog-mixture", "tasks": ["modcog-go", "modcog-anti"]}),
            yang_steps: 2,
            ngym_tasks: json!({"id": "ngym-modcog-mixture",
                "tasks": ["ngym-modcog-dlygo", "ngym-modcog-dlygoseqr"]}),
            ngym_steps: 2,
            sweep_tasks: json!({"id": "ngym-modcog-mixture", "tasks": ["ngym-modcog-go"]}),
            radii: vec![1.0],
            seeds: vec![1],
            sweep_max_steps: 2,
            criterion: 0.99,
            per_task_trials: 8,
        };
        let mut claims = Vec::new();
        run_plan(&p, &mut |c| claims.push(c)).unwrap();
        assert_eq!(claims.len(), 3);
        assert!(claims
            .iter()
            .all(|c| c.paper == PAPER && !c.ours.is_empty()));
        assert!(claims[0].ours.contains("go ") && claims[0].ours.contains("anti "));
        let chart = claims[2].chart.as_ref().expect("sweep chart");
        let labels: Vec<&str> = chart.series.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["local", "random", "dense"]);
        // nothing reaches 0.99 in 2 steps: every point is the maximum, so no speed-up
        assert!(chart
            .series
            .iter()
            .all(|s| s.points.iter().all(|(_, y)| *y == 2.0)));
        assert!(!claims[2].holds);
        let json = serde_json::to_value(&claims[2]).unwrap();
        for key in [
            "paper",
            "claim",
            "setting",
            "paper_value",
            "ours",
            "holds",
            "seconds",
        ] {
            assert!(json.get(key).is_some(), "{key}");
        }
    }
}
