//! `srnn`: the native command line of Sparse RNN Lab, for headless runs and sweeps.
//!
//! ```text
//! srnn train --config run.json [--steps 1000] [--eval-every 100] [--eval-trials 512]
//!            [--out model.json] [--resume model.json] [--npz net.npz]
//! srnn export --config run.json --model model.json --out net.npz
//! srnn sweep capacity    --n 100,200 --k 2,4,8 --p 50,100 [--steps 300] [--seed 1] [--shard i/n]
//! srnn sweep percolation --n 100,400,1600 --k 1-24 [--trials 10] [--shard i/n]
//! srnn sweep sparsity    --task yang-go --n 64 --radius 1,1.5,2,3 [--steps 1000]
//!                        [--eval-every 50] [--criterion 0.9] [--seeds 1,2] [--shard i/n]
//! srnn sweep vary --config run.json --vary network.n_neurons=8,16,32,64 [--steps 500]
//!                  [--eval-every 100] [--seeds 1,2] [--shard i/n]
//! srnn summarize percolation [--criterion 0.5] < results.jsonl
//! srnn reproduce turcu|jarne-laje|khona|yang|rules|all|<paper>/<group> [--quick] [--charts] [--models DIR]
//! ```
//! `srnn help <command>` or `srnn <command> --help` describes each command and option.
//! `run.json` is the page's run description `{"network": {...}, "train": {...}, "task":
//! {"id": ...}, "rule": {...}}`, trained by the same `Session` as the page's `Simulator`.
//!
//! Results are JSON lines on stdout; progress goes to stderr: a progress bar when stderr is
//! a terminal (and `CI` is not set), one plain `[i/n] label` line per item otherwise
//! (`--quiet` silences it), so shards can run under Slurm job arrays or GNU parallel and be
//! concatenated. Usage errors (unknown options, bad values) exit with status 2, failures of
//! a run with status 1; both print a message naming the option or field and the value.
//!
//! Adding a command: one variant in [`Command`] (its doc comment is its `--help` text) and
//! one arm in [`run`]; put its code in its own module here.

#[cfg(not(target_arch = "wasm32"))]
mod cli;
#[cfg(not(target_arch = "wasm32"))]
mod export;
#[cfg(not(target_arch = "wasm32"))]
mod inputs;
#[cfg(not(target_arch = "wasm32"))]
mod progress;
#[cfg(not(target_arch = "wasm32"))]
mod reproduce;
#[cfg(not(target_arch = "wasm32"))]
mod sweep;
#[cfg(not(target_arch = "wasm32"))]
mod train;

#[cfg(not(target_arch = "wasm32"))]
use cli::{Cli, Command};

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    use clap::Parser;
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("srnn: {message}");
            std::process::ExitCode::from(1)
        }
    }
}

/// Dispatch one parsed command line.
#[cfg(not(target_arch = "wasm32"))]
fn run(cli: Cli) -> Result<(), String> {
    let progress = progress::Progress::new(cli.quiet);
    match cli.command {
        Command::Train(args) => train::train(&args, &progress),
        Command::Export(args) => export::export(&args),
        Command::Sweep { sweep } => sweep::sweep(sweep, &progress),
        Command::Summarize { what } => sweep::summarize(what),
        Command::Reproduce(args) => reproduce::reproduce(&args),
    }
}

/// The command line is native only; Cargo still builds the binary target when the wasm32
/// integration tests are compiled, so it gets an empty body there.
#[cfg(target_arch = "wasm32")]
fn main() {}
