//! `srnn sweep …` and `srnn summarize …`: one JSON line per sweep point on stdout.

use crate::cli::{Shard, Summary, Sweep, Vary};
use crate::progress::Progress;
use sparse_rnn_lab::lab::curve::run_curve;
use sparse_rnn_lab::lab::sweep::{
    capacity_points, min_k_for_full_connectivity, percolation_points, run_point, set_rec_noise_std,
    shard, sparsity_points, SparsitySchedule, SweepPoint,
};
use std::io::BufRead;
use std::path::Path;

/// Run one sweep (its shard), printing each point's result as a JSON line.
pub fn sweep(which: Sweep, progress: &Progress) -> Result<(), String> {
    let (points, part) = match which {
        Sweep::Vary {
            config,
            vary,
            steps,
            eval_every,
            seeds,
            shard,
        } => {
            return sweep_vary(
                &config,
                &vary,
                (steps, eval_every),
                &seeds.0,
                shard,
                progress,
            )
        }
        Sweep::Capacity {
            n,
            k,
            p,
            steps,
            seed,
            shard,
        } => (capacity_points(&n.0, &k.0, &p.0, steps, seed), shard),
        Sweep::Percolation {
            n,
            k,
            trials,
            shard,
        } => (percolation_points(&n.0, &k.0, trials), shard),
        Sweep::Sparsity {
            task,
            tasks,
            n,
            radius,
            steps,
            eval_every,
            criterion,
            per_task_trials,
            learning_rates,
            rec_noise_std,
            masks,
            seeds,
            shard,
        } => {
            let seeds: Vec<u64> = seeds.0.iter().map(|s| *s as u64).collect();
            let task = sparsity_task(&task, tasks.as_deref());
            let schedule = SparsitySchedule {
                steps,
                eval_every,
                criterion,
                per_task_trials,
            };
            let mut points = sparsity_points(&task, n, &radius.0, schedule, &seeds)
                .map_err(|e| e.to_string())?;
            if let Some(std) = rec_noise_std {
                set_rec_noise_std(&mut points, std);
            }
            if let Some(list) = masks {
                let kinds: Vec<&str> = list.split(',').map(str::trim).collect();
                if let Some(bad) = kinds
                    .iter()
                    .find(|k| !["dense", "autapse", "local", "random"].contains(k))
                {
                    return Err(format!(
                        "--masks: \"{bad}\" is not one of dense, autapse, local, random"
                    ));
                }
                points.retain(|p| match p {
                    SweepPoint::Sparsity { mask, .. } => kinds.contains(&mask.as_str()),
                    _ => true,
                });
            }
            (
                with_learning_rates(points, learning_rates.map(|l| l.0)),
                shard,
            )
        }
    };
    let mine = shard(points, part.index, part.count).map_err(|e| e.to_string())?;
    let mut task = progress.start(mine.len(), "points", true);
    for point in &mine {
        let label = describe(point);
        let (wall, cpu) = (std::time::Instant::now(), cpu_seconds());
        let mut result = run_point(point).map_err(|e| format!("{label}: {e}"))?;
        if let (Some(map), SweepPoint::Sparsity { config, .. }) = (result.as_object_mut(), point) {
            map.insert(
                "learning_rate".into(),
                config["train"]["learning_rate"].clone(),
            );
            map.insert("seconds".into(), wall.elapsed().as_secs_f64().into());
            let used = cpu_seconds().zip(cpu).map(|(after, before)| after - before);
            map.insert("cpu_seconds".into(), used.into());
        }
        task.result(&result.to_string());
        task.advance(&label);
    }
    Ok(())
}

/// Every sparsity point once per learning rate (in that order), or unchanged.
fn with_learning_rates(points: Vec<SweepPoint>, rates: Option<Vec<f64>>) -> Vec<SweepPoint> {
    let Some(rates) = rates else {
        return points;
    };
    let mut out = Vec::new();
    for point in points {
        for rate in &rates {
            let mut copy = point.clone();
            if let SweepPoint::Sparsity { config, .. } = &mut copy {
                config["train"]["learning_rate"] = (*rate).into();
            }
            out.push(copy);
        }
    }
    out
}

/// CPU time of this process (user + system, seconds) from `/proc/self/stat` (Linux;
/// `None` elsewhere): the sweep trains one point at a time, so the difference is the
/// point's CPU time, which does not depend on how busy the machine is.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after_name = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // fields 14 and 15 of stat (utime, stime) are 11 and 12 after the name and state
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// The task of a sparsity sweep: the id alone, or with `--tasks a,b,c` (a mixture's
/// component ids) the task object `{"id": id, "tasks": [a, b, c]}`.
fn sparsity_task(id: &str, tasks: Option<&str>) -> serde_json::Value {
    match tasks {
        None => id.into(),
        Some(list) => {
            let ids: Vec<&str> = list.split(',').map(str::trim).collect();
            serde_json::json!({"id": id, "tasks": ids})
        }
    }
}

/// A point as its JSON (what the plain progress lines show).
fn describe(point: &SweepPoint) -> String {
    serde_json::to_string(point).unwrap_or_default()
}

/// `srnn sweep vary`: train a run description once per value of one dotted field (e.g.
/// `network.n_neurons` for degradation with size, `task.delay_ms` with interval length),
/// per seed; one JSON line per run with its accuracy curve.
fn sweep_vary(
    path: &Path,
    vary: &Vary,
    (steps, eval_every): (usize, usize),
    seeds: &[usize],
    part: Shard,
    progress: &Progress,
) -> Result<(), String> {
    let base = crate::inputs::read_json(path)?;
    let field = format!("{}.{}", vary.section, vary.key);
    let mut runs = Vec::new();
    for seed in seeds {
        for value in &vary.values {
            let parsed: serde_json::Value =
                serde_json::from_str(value).unwrap_or_else(|_| value.as_str().into());
            let mut config = base.clone();
            if !config.is_object() {
                return Err(format!(
                    "{}: the run description must be a JSON object",
                    path.display()
                ));
            }
            config[&vary.section][&vary.key] = parsed;
            config["network"]["seed"] = (*seed as u64).into();
            config["train"]["seed"] = (*seed as u64).into();
            runs.push((format!("{field}={value} seed={seed}"), config));
        }
    }
    let mine: Vec<_> = runs
        .into_iter()
        .enumerate()
        .filter(|(i, _)| i % part.count == part.index)
        .map(|(_, run)| run)
        .collect();
    let mut task = progress.start(mine.len(), "runs", true);
    for (label, config) in mine {
        task.note(&label);
        let result =
            run_curve(config, steps, eval_every, &label).map_err(|e| format!("{label}: {e}"))?;
        task.result(&result.to_string());
        task.advance(&label);
    }
    Ok(())
}

/// `srnn summarize percolation`: a Markdown table from the sweep's JSON lines on stdin.
pub fn summarize(what: Summary) -> Result<(), String> {
    let Summary::Percolation { criterion } = what;
    let mut results = Vec::new();
    for (number, line) in std::io::stdin().lock().lines().enumerate() {
        let line = line.map_err(|e| format!("stdin: {e}"))?;
        if line.trim().is_empty() {
            continue;
        }
        let value = serde_json::from_str(&line)
            .map_err(|e| format!("stdin line {}: bad JSON: {e}", number + 1))?;
        results.push(value);
    }
    println!("| N | ln N | min K with P(fully strongly connected) >= {criterion} | K / ln N |");
    println!("|---|---|---|---|");
    for (n, ln_n, k) in min_k_for_full_connectivity(&results, criterion) {
        match k {
            Some(k) => println!("| {n} | {ln_n:.2} | {k} | {:.2} |", k as f64 / ln_n),
            None => println!("| {n} | {ln_n:.2} | not reached | - |"),
        }
    }
    Ok(())
}
