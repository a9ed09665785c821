//! `srnn`: the native command line of Sparse RNN Lab, for headless runs and sweeps.
//!
//! ```text
//! srnn sweep capacity    --n 100,200 --k 2,4,8 --p 50,100 [--steps 300] [--seed 1] [--shard i/n]
//! srnn sweep percolation --n 100,400,1600 --k 1-24 [--trials 10] [--shard i/n]
//! srnn sweep sparsity    --task yang-go --n 64 --radius 1,1.5,2,3 [--steps 1000]
//!                        [--eval-every 50] [--criterion 0.9] [--seeds 1,2] [--shard i/n]
//! srnn sweep vary --config run.json --vary network.n_neurons=8,16,32,64 [--steps 500]
//!                  [--eval-every 100] [--seeds 1,2] [--shard i/n]
//! srnn summarize percolation [--criterion 0.5] < results.jsonl
//! srnn reproduce <turcu|jarne-laje|rules|all> [--quick] [--charts]
//! srnn train --config run.json [--steps 1000] [--eval-every 100] [--eval-trials 512]
//!            [--out model.json] [--resume model.json]
//! ```
//! `run.json` is the page's run description `{"network": {...}, "train": {...}, "task":
//! {"id": ...}, "rule": {...}}`, trained by the same `Session` as the page's `Simulator`
//! (so the same weights for every rule); training prints one JSON line per evaluation (loss, performance, per-task
//! performance for mixtures, wall time) and saves the model (versioned JSON) each time.
//! `--resume` starts from a saved model's weights (its network config must equal the
//! run's; the optimizer state starts afresh and step numbers continue from the file's).
//!
//! Sweeps print one JSON object per line on stdout (progress on stderr), so shards can run
//! under Slurm job arrays or GNU parallel and be concatenated.

use sparse_rnn_lab::lab::curve::run_curve;
use sparse_rnn_lab::lab::eval::DEFAULT_EVAL_TRIALS;
use sparse_rnn_lab::lab::session::Session;
use sparse_rnn_lab::lab::sweep::{
    capacity_points, min_k_for_full_connectivity, percolation_points, run_point, shard,
    sparsity_points,
};
use sparse_rnn_lab::persist::{load_model, save_model};
use std::io::BufRead;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `srnn reproduce <paper|all> [--quick] [--charts]`: the claims table (lab::claims).
    let result = match args.first().map(String::as_str) {
        Some("reproduce") => sparse_rnn_lab::lab::claims::cli_main(&args[1..]).map(|_| ()),
        _ => run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("srnn: {message}");
            ExitCode::from(2)
        }
    }
}

fn option<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
}

/// "1,2,5" or "1-24" (inclusive range) or a mix "1-4,8".
fn list(args: &[String], name: &str, default: &str) -> Result<Vec<usize>, String> {
    let text = option(args, name).unwrap_or(default);
    let mut values = Vec::new();
    for part in text.split(',') {
        let bad = || format!("{name}: cannot parse \"{part}\" (use 1,2,5 or 1-24)");
        if let Some((lo, hi)) = part.split_once('-') {
            let lo: usize = lo.trim().parse().map_err(|_| bad())?;
            let hi: usize = hi.trim().parse().map_err(|_| bad())?;
            values.extend(lo..=hi);
        } else {
            values.push(part.trim().parse().map_err(|_| bad())?);
        }
    }
    Ok(values)
}

fn number(args: &[String], name: &str, default: u64) -> Result<u64, String> {
    option(args, name).map_or(Ok(default), |v| {
        v.parse()
            .map_err(|_| format!("{name}: \"{v}\" is not a number"))
    })
}

fn parse_shard(args: &[String]) -> Result<(usize, usize), String> {
    let Some(text) = option(args, "--shard") else {
        return Ok((0, 1));
    };
    let (i, n) = text
        .split_once('/')
        .ok_or_else(|| format!("--shard: \"{text}\" must look like i/n"))?;
    let parse = |s: &str| {
        s.parse::<usize>()
            .map_err(|_| format!("--shard: \"{text}\" must look like i/n"))
    };
    Ok((parse(i)?, parse(n)?))
}

/// The options each command accepts (anything else is an error, not silently ignored).
fn known_options(args: &[String]) -> &'static [&'static str] {
    match (
        args.first().map(String::as_str),
        args.get(1).map(String::as_str),
    ) {
        (Some("train"), _) => &[
            "--config",
            "--steps",
            "--eval-every",
            "--eval-trials",
            "--out",
            "--resume",
        ],
        (Some("sweep"), Some("capacity")) => &["--n", "--k", "--p", "--steps", "--seed", "--shard"],
        (Some("sweep"), Some("percolation")) => &["--n", "--k", "--trials", "--shard"],
        (Some("sweep"), Some("sparsity")) => &[
            "--task",
            "--n",
            "--radius",
            "--steps",
            "--eval-every",
            "--criterion",
            "--seeds",
            "--shard",
        ],
        (Some("sweep"), Some("vary")) => &[
            "--config",
            "--vary",
            "--steps",
            "--eval-every",
            "--seeds",
            "--shard",
        ],
        (Some("summarize"), _) => &["--criterion"],
        _ => &[],
    }
}

fn run(args: &[String]) -> Result<(), String> {
    let known = known_options(args);
    if let Some(bad) = args
        .iter()
        .find(|a| a.starts_with("--") && !known.contains(&a.as_str()))
    {
        return Err(format!(
            "unknown option {bad} (this command takes: {})",
            known.join(" ")
        ));
    }
    match args.first().map(String::as_str) {
        Some("sweep") => sweep(args),
        Some("summarize") => summarize(args),
        Some("train") => train(args),
        _ => Err(
            "usage: srnn train --config run.json [options] | srnn sweep \
                  capacity|percolation|sparsity [options] | srnn summarize percolation"
                .into(),
        ),
    }
}

/// `srnn sweep vary`: train a run description once per value of one dotted field (e.g.
/// `network.n_neurons` for degradation with size, `task.delay_ms` with interval length),
/// per seed; one JSON line per run with its accuracy curve.
fn sweep_vary(args: &[String]) -> Result<(), String> {
    let path = option(args, "--config").ok_or("sweep vary: --config <run.json> is required")?;
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let base: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
    let vary =
        option(args, "--vary").ok_or("sweep vary: --vary section.field=v1,v2,... is required")?;
    let (field, values) = vary
        .split_once('=')
        .ok_or("--vary must look like section.field=v1,v2")?;
    let (section, key) = field
        .split_once('.')
        .ok_or("--vary field must look like section.field")?;
    let steps = number(args, "--steps", 500)? as usize;
    let eval_every = number(args, "--eval-every", 100)? as usize;
    let seeds = list(args, "--seeds", "1")?;
    let mut runs = Vec::new();
    for seed in &seeds {
        for value in values.split(',') {
            let parsed: serde_json::Value =
                serde_json::from_str(value.trim()).unwrap_or_else(|_| value.trim().into());
            let mut config = base.clone();
            config[section][key] = parsed;
            config["network"]["seed"] = (*seed as u64).into();
            config["train"]["seed"] = (*seed as u64).into();
            runs.push((format!("{field}={} seed={seed}", value.trim()), config));
        }
    }
    let (index, shards) = parse_shard(args)?;
    if shards == 0 || index >= shards {
        return Err(format!(
            "--shard: {index}/{shards} must be i/n with 0 <= i < n"
        ));
    }
    let mine: Vec<_> = runs
        .into_iter()
        .enumerate()
        .filter(|(i, _)| i % shards == index)
        .collect();
    let total = mine.len();
    for (done, (_, (label, config))) in mine.into_iter().enumerate() {
        let result =
            run_curve(config, steps, eval_every, &label).map_err(|e| format!("{label}: {e}"))?;
        println!("{result}");
        eprintln!("[{}/{}] {label}", done + 1, total);
    }
    Ok(())
}

fn sweep(args: &[String]) -> Result<(), String> {
    if args.get(1).map(String::as_str) == Some("vary") {
        return sweep_vary(args);
    }
    let points = match args.get(1).map(String::as_str) {
        Some("capacity") => capacity_points(
            &list(args, "--n", "100")?,
            &list(args, "--k", "2,4,8")?,
            &list(args, "--p", "25,50,100")?,
            number(args, "--steps", 300)? as usize,
            number(args, "--seed", 1)?,
        ),
        Some("percolation") => percolation_points(
            &list(args, "--n", "100,400,1600")?,
            &list(args, "--k", "1-24")?,
            number(args, "--trials", 10)? as usize,
        ),
        Some("sparsity") => {
            let radii = option(args, "--radius")
                .unwrap_or("1,1.5,2,3")
                .split(',')
                .map(|r| {
                    r.trim()
                        .parse::<f64>()
                        .map_err(|_| format!("--radius: \"{r}\" is not a number"))
                })
                .collect::<Result<Vec<f64>, String>>()?;
            let criterion: f64 = option(args, "--criterion")
                .unwrap_or("0.9")
                .parse()
                .map_err(|_| "--criterion: not a number")?;
            let seeds: Vec<u64> = list(args, "--seeds", "1")?
                .into_iter()
                .map(|s| s as u64)
                .collect();
            sparsity_points(
                option(args, "--task").unwrap_or("yang-go"),
                number(args, "--n", 64)? as usize,
                &radii,
                number(args, "--steps", 1000)? as usize,
                number(args, "--eval-every", 50)? as usize,
                criterion,
                &seeds,
            )
        }
        other => {
            return Err(format!(
                "unknown sweep {other:?}; use capacity, percolation or sparsity"
            ))
        }
    };
    let (index, shards) = parse_shard(args)?;
    let mine = shard(points, index, shards).map_err(|e| e.to_string())?;
    let total = mine.len();
    for (done, point) in mine.iter().enumerate() {
        let result = run_point(point).map_err(|e| e.to_string())?;
        println!("{result}");
        eprintln!(
            "[{}/{}] {}",
            done + 1,
            total,
            serde_json::to_string(point).unwrap_or_default()
        );
    }
    Ok(())
}

fn train(args: &[String]) -> Result<(), String> {
    let path = option(args, "--config").ok_or("train: --config <run.json> is required")?;
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
    let steps = number(args, "--steps", 1000)? as usize;
    let eval_every = number(args, "--eval-every", 100)?.max(1) as usize;
    let eval_trials = number(args, "--eval-trials", DEFAULT_EVAL_TRIALS as u64)?.max(1) as usize;
    let mut session = match option(args, "--resume") {
        Some(saved) => {
            let text = std::fs::read_to_string(saved).map_err(|e| format!("{saved}: {e}"))?;
            let (network, steps_done) = load_model(&text).map_err(|e| format!("{saved}: {e}"))?;
            let fresh = Session::new(value.clone()).map_err(|e| e.to_string())?;
            if network.config != fresh.trainer.network.config {
                return Err(format!(
                    "{saved}: its network config differs from the run's"
                ));
            }
            Session::with_network(value, network, steps_done).map_err(|e| e.to_string())?
        }
        None => Session::new(value).map_err(|e| e.to_string())?,
    };
    let first_step = session.steps_done() + 1;
    let clock = std::time::Instant::now();
    for step in first_step..first_step + steps {
        let stats = session.train(1).map_err(|e| e.to_string())?;
        if step % eval_every == 0 || step + 1 == first_step + steps {
            let result = session.evaluate(eval_trials);
            let per_task: serde_json::Map<String, serde_json::Value> = result
                .per_task
                .unwrap_or_default()
                .into_iter()
                .map(|s| (s.task, s.score.into()))
                .collect();
            let line = serde_json::json!({"step": step, "train_loss": stats.loss,
                "eval_loss": result.loss, "performance": result.accuracy,
                "late_performance": result.late_accuracy, "per_task": per_task,
                "seconds": clock.elapsed().as_secs_f64()});
            println!("{line}");
            if let Some(out) = option(args, "--out") {
                let model = save_model(&session.trainer.network, session.steps_done());
                std::fs::write(out, model).map_err(|e| format!("{out}: {e}"))?;
            }
        }
    }
    Ok(())
}

fn summarize(args: &[String]) -> Result<(), String> {
    if args.get(1).map(String::as_str) != Some("percolation") {
        return Err("usage: srnn summarize percolation [--criterion 0.5] < results.jsonl".into());
    }
    let criterion: f64 = option(args, "--criterion")
        .unwrap_or("0.5")
        .parse()
        .map_err(|_| "--criterion: not a number")?;
    let mut results = Vec::new();
    for line in std::io::stdin().lock().lines() {
        let line = line.map_err(|e| e.to_string())?;
        if line.trim().is_empty() {
            continue;
        }
        results.push(serde_json::from_str(&line).map_err(|e| format!("bad JSON line: {e}"))?);
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
