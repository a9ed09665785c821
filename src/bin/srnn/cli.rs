//! The command-line grammar (clap derive). Each doc comment is the `--help` text of its
//! command or option; values are checked here (lists, ranges, shards), so a bad one is a
//! usage error naming the option and the value before anything runs.

use clap::{Args, Parser, Subcommand};
use sparse_rnn_lab::lab::eval::DEFAULT_EVAL_TRIALS;
use std::path::PathBuf;
use std::str::FromStr;

/// Build, train and dissect sparse recurrent neural networks (Sparse RNN Lab, native CLI).
///
/// Results are JSON lines on stdout; progress goes to stderr (a bar on a terminal, plain
/// lines otherwise). Run descriptions (`run.json`) have the page's shape:
/// {"network": {...}, "train": {...}, "task": {"id": ...}, "rule": {...}}.
#[derive(Debug, Parser)]
#[command(name = "srnn", version, propagate_version = true)]
pub struct Cli {
    /// No progress output on stderr (results on stdout are unchanged).
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Train a run description with the page's Session; one JSON line per evaluation.
    Train(TrainArgs),
    /// Write a trained model and one trial as a NumPy `.npz` (PsychRNN key names).
    Export(ExportArgs),
    /// Run a parameter sweep; one JSON line per point (shardable with --shard i/n).
    Sweep {
        /// Which sweep.
        #[command(subcommand)]
        sweep: Sweep,
    },
    /// Summarize sweep results read as JSON lines from stdin.
    Summarize {
        /// Which summary.
        #[command(subcommand)]
        what: Summary,
    },
    /// Re-run a paper's claims with its own settings: one JSON line per claim (paper value,
    /// ours, the criterion decided before the run, holds, seconds), then
    /// `reproduce: N of M claims hold`.
    Reproduce(ReproduceArgs),
}

/// Options of `srnn reproduce`.
#[derive(Debug, Args)]
pub struct ReproduceArgs {
    /// A paper (turcu, jarne-laje, rules, khona, yang, spiking), one group of it
    /// (turcu/capacity), or all.
    pub paper: String,
    /// The short variants (seconds per claim instead of minutes).
    #[arg(long)]
    pub quick: bool,
    /// Include each claim's chart in its JSON line.
    #[arg(long)]
    pub charts: bool,
    /// Keep the Jarne & Laje claims' trained networks in this directory (model files named
    /// by task, N, interval, seed and a hash of the settings): a network whose file is
    /// there is loaded instead of trained, and each new one is written as soon as it
    /// finishes, so an interrupted full `reproduce jarne-laje` resumes where it stopped;
    /// and the Khona sparsity sweep's study in DIR/khona-study (one curve and model per
    /// point; finished points are read, not retrained: `--models results` counts the
    /// committed LM-RNN study curves of results/khona-study).
    #[arg(long, value_name = "DIR")]
    pub models: Option<PathBuf>,
}

/// Options of `srnn train`.
#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Run description (JSON).
    #[arg(
        long,
        value_name = "run.json",
        required_unless_present = "preset",
        conflicts_with = "preset"
    )]
    pub config: Option<PathBuf>,
    /// A preset's run description instead of a file (turcu, khona, jarne, rules, yang,
    /// spytorch: the page's presets, defined once in `lab::presets`).
    #[arg(long, value_name = "id")]
    pub preset: Option<String>,
    /// Training steps to run (after those of a resumed model).
    #[arg(long, default_value_t = 1000)]
    pub steps: usize,
    /// Evaluate (and print a JSON line, and save --out) every this many steps, and after
    /// the last step.
    #[arg(long, default_value_t = 100, value_parser = positive)]
    pub eval_every: usize,
    /// Trials per evaluation.
    #[arg(long, default_value_t = DEFAULT_EVAL_TRIALS, value_parser = positive)]
    pub eval_trials: usize,
    /// Save the model (versioned JSON) here at every evaluation.
    #[arg(long, value_name = "model.json")]
    pub out: Option<PathBuf>,
    /// Start from this saved model's weights (its network config must equal the run's;
    /// the optimizer starts afresh, step numbers continue).
    #[arg(long, value_name = "model.json")]
    pub resume: Option<PathBuf>,
    /// After training, also write the network and one trial as a NumPy `.npz` here.
    #[arg(long, value_name = "net.npz")]
    pub npz: Option<PathBuf>,
    /// Score each task of a mixture on its own this-many trials (as Yang et al.'s code, 512);
    /// default: the task's share of the `--eval-trials` batch.
    #[arg(long, value_parser = positive)]
    pub per_task_trials: Option<usize>,
    /// Long-run mode (the page's "train until"): stop at the first evaluation whose mean
    /// per-task score is at least this (each task on its own `--per-task-trials` trials,
    /// 512 unless given); `--steps` is the step cap.
    #[arg(long, value_name = "target")]
    pub until_mean: Option<f64>,
    /// With `train.shards` > 1, compute the shards of each batch on this many threads
    /// (default: every core); a mixture's per-task evaluation (`--per-task-trials`,
    /// `--until-mean`) scores its tasks on as many. The weights and scores do not depend
    /// on it.
    #[arg(long, value_parser = positive)]
    pub threads: Option<usize>,
}

/// Options of `srnn export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Run description (JSON) the model was trained with (gives the task of the trial).
    #[arg(long, value_name = "run.json")]
    pub config: PathBuf,
    /// Saved model (versioned JSON from `srnn train --out` or the page's "save model").
    #[arg(long, value_name = "model.json")]
    pub model: PathBuf,
    /// Where to write the `.npz`.
    #[arg(long, value_name = "net.npz")]
    pub out: PathBuf,
}

/// The sweeps.
#[derive(Debug, Subcommand)]
pub enum Sweep {
    /// Turcu & Abbott capacity: train a classifier per (N, K, P).
    Capacity {
        /// Neurons N (list: 1,2,5 or range 1-24).
        #[arg(long, default_value = "100")]
        n: List,
        /// In-degrees K.
        #[arg(long, default_value = "2,4,8")]
        k: List,
        /// Numbers of patterns P.
        #[arg(long, default_value = "25,50,100")]
        p: List,
        /// Training steps per point.
        #[arg(long, default_value_t = 300)]
        steps: usize,
        /// Seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Run only shard i of n (points i, i+n, i+2n, ...).
        #[arg(long, default_value = "0/1")]
        shard: Shard,
    },
    /// Largest strongly connected component of fixed-in-degree masks per (N, K, trial).
    Percolation {
        /// Neurons N (list: 1,2,5 or range 1-24).
        #[arg(long, default_value = "100,400,1600")]
        n: List,
        /// In-degrees K.
        #[arg(long, default_value = "1-24")]
        k: List,
        /// Random masks (seeds) per (N, K).
        #[arg(long, default_value_t = 10)]
        trials: usize,
        /// Run only shard i of n (points i, i+n, i+2n, ...).
        #[arg(long, default_value = "0/1")]
        shard: Shard,
    },
    /// Khona et al.: local vs random vs dense vs autapse masks on a task.
    Sparsity {
        /// Task id (registry).
        #[arg(long, default_value = "yang-go")]
        task: String,
        /// A mixture's component ids, comma-separated (e.g. `--task ngym-modcog-mixture
        /// --tasks ngym-modcog-dlygo,ngym-modcog-dlygoseqr`).
        #[arg(long)]
        tasks: Option<String>,
        /// Neurons.
        #[arg(long, default_value_t = 64)]
        n: usize,
        /// Sheet radii (grid units), comma-separated.
        #[arg(long, default_value = "1,1.5,2,3")]
        radius: Numbers,
        /// Maximum training steps per point.
        #[arg(long, default_value_t = 1000)]
        steps: usize,
        /// Evaluate every this many steps.
        #[arg(long, default_value_t = 50, value_parser = positive)]
        eval_every: usize,
        /// Performance criterion (0..1); a point stops when it reaches it.
        #[arg(long, default_value_t = 0.9)]
        criterion: f64,
        /// Trials per component task of each point's final per-task scores (0 = none).
        #[arg(long, default_value_t = 0)]
        per_task_trials: usize,
        /// Only these mask kinds (comma-separated, of dense, autapse, local, random;
        /// default all).
        #[arg(long)]
        masks: Option<String>,
        /// Adam learning rates (comma-separated): every point once per rate (default: the
        /// run description's 3e-3).
        #[arg(long)]
        learning_rates: Option<Numbers>,
        /// Recurrent noise std of every point's network (default: the run description's
        /// 0.05; the page's Khona sweep uses 0).
        #[arg(long)]
        rec_noise_std: Option<f64>,
        /// Seeds (list).
        #[arg(long, default_value = "1")]
        seeds: List,
        /// Run only shard i of n (points i, i+n, i+2n, ...).
        #[arg(long, default_value = "0/1")]
        shard: Shard,
    },
    /// Train a run description once per value of one dotted field, per seed.
    Vary {
        /// Run description (JSON).
        #[arg(long, value_name = "run.json")]
        config: PathBuf,
        /// The field and its values, e.g. network.n_neurons=8,16,32.
        #[arg(long, value_name = "section.field=v1,v2")]
        vary: Vary,
        /// Training steps per run.
        #[arg(long, default_value_t = 500)]
        steps: usize,
        /// Evaluate every this many steps.
        #[arg(long, default_value_t = 100, value_parser = positive)]
        eval_every: usize,
        /// Seeds (list); each sets network.seed and train.seed.
        #[arg(long, default_value = "1")]
        seeds: List,
        /// Run only shard i of n (runs i, i+n, i+2n, ...).
        #[arg(long, default_value = "0/1")]
        shard: Shard,
    },
}

/// The summaries.
#[derive(Debug, Subcommand)]
pub enum Summary {
    /// Table of the smallest K with P(fully strongly connected) >= criterion, per N.
    Percolation {
        /// Probability criterion.
        #[arg(long, default_value_t = 0.5)]
        criterion: f64,
    },
}

/// An integer ≥ 1.
fn positive(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(v) if v >= 1 => Ok(v),
        _ => Err(format!("\"{text}\" is not an integer >= 1")),
    }
}

/// A list of non-negative integers: `1,2,5`, an inclusive range `1-24`, or a mix `1-4,8`.
#[derive(Debug, Clone, PartialEq)]
pub struct List(pub Vec<usize>);

/// Longest list accepted (a range like 1-1000000000 would otherwise allocate without end).
const MAX_LIST: usize = 100_000;

impl FromStr for List {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        let mut values = Vec::new();
        for part in text.split(',') {
            let bad = || format!("cannot parse \"{part}\" (use 1,2,5 or 1-24)");
            if let Some((lo, hi)) = part.split_once('-') {
                let lo: usize = lo.trim().parse().map_err(|_| bad())?;
                let hi: usize = hi.trim().parse().map_err(|_| bad())?;
                if hi < lo || hi - lo >= MAX_LIST {
                    return Err(format!(
                        "range \"{part}\" must be lo-hi with lo <= hi, at most {MAX_LIST} values"
                    ));
                }
                values.extend(lo..=hi);
            } else {
                values.push(part.trim().parse().map_err(|_| bad())?);
            }
            if values.len() > MAX_LIST {
                return Err(format!("more than {MAX_LIST} values"));
            }
        }
        Ok(List(values))
    }
}

/// A comma-separated list of finite numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct Numbers(pub Vec<f64>);

impl FromStr for Numbers {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        text.split(',')
            .map(|part| match part.trim().parse::<f64>() {
                Ok(v) if v.is_finite() => Ok(v),
                _ => Err(format!("\"{part}\" is not a finite number")),
            })
            .collect::<Result<_, _>>()
            .map(Numbers)
    }
}

/// `i/n`: run shard `i` of `n` (0 ≤ i < n).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shard {
    /// Which shard, 0-based.
    pub index: usize,
    /// How many shards.
    pub count: usize,
}

impl FromStr for Shard {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        let bad = || format!("\"{text}\" must be i/n with 0 <= i < n");
        let (i, n) = text.split_once('/').ok_or_else(bad)?;
        let index: usize = i.trim().parse().map_err(|_| bad())?;
        let count: usize = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

/// `section.field=v1,v2,...` of `srnn sweep vary`.
#[derive(Debug, Clone, PartialEq)]
pub struct Vary {
    /// Section of the run description (`network`, `train`, `task`, `rule`).
    pub section: String,
    /// Field within the section.
    pub key: String,
    /// The values as typed (each parsed as JSON, or taken as a string).
    pub values: Vec<String>,
}

impl FromStr for Vary {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        let (field, values) = text
            .split_once('=')
            .ok_or_else(|| format!("\"{text}\" must look like section.field=v1,v2"))?;
        let (section, key) = field
            .split_once('.')
            .ok_or_else(|| format!("\"{field}\" must look like section.field"))?;
        let values: Vec<String> = values.split(',').map(|v| v.trim().to_string()).collect();
        if values.iter().any(String::is_empty) {
            return Err(format!("\"{text}\" has an empty value"));
        }
        Ok(Vary {
            section: section.into(),
            key: key.into(),
            values,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_grammar_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn lists_ranges_and_shards_parse_or_name_the_value() {
        assert_eq!("1-4,8".parse::<List>().unwrap().0, vec![1, 2, 3, 4, 8]);
        assert!("1-x".parse::<List>().unwrap_err().contains("\"1-x\""));
        assert!("9-2".parse::<List>().is_err());
        assert_eq!(
            "2/3".parse::<Shard>().unwrap(),
            Shard { index: 2, count: 3 }
        );
        assert!("3/3".parse::<Shard>().unwrap_err().contains("3/3"));
        assert!("1.5,nan".parse::<Numbers>().unwrap_err().contains("nan"));
    }

    #[test]
    fn unknown_options_are_usage_errors_naming_them() {
        let e = Cli::try_parse_from(["srnn", "sweep", "percolation", "--bogus", "1"]).unwrap_err();
        assert_eq!(e.kind(), clap::error::ErrorKind::UnknownArgument);
        assert!(e.to_string().contains("--bogus"), "{e}");
        let e = Cli::try_parse_from(["srnn", "train", "--config", "r.json", "--steps", "ten"])
            .unwrap_err();
        assert!(
            e.to_string().contains("ten") && e.to_string().contains("--steps"),
            "{e}"
        );
    }
}
