//! Progress on stderr: an `indicatif` bar when stderr is a terminal and `CI` is not set,
//! one plain `[i/n] label` line per finished item otherwise (readable in Slurm and GNU
//! parallel logs), nothing with `--quiet`. Results never go through here: they are JSON
//! lines on stdout.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// How progress is shown.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Mode {
    Bar,
    Lines,
    Quiet,
}

/// Where and how progress is shown for this process.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    mode: Mode,
}

/// Whether the environment says it is a CI run (`CI` set to anything but "", "0", "false").
fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && !v.eq_ignore_ascii_case("false"))
}

impl Progress {
    /// Pick the mode: quiet if asked, a bar on an interactive stderr outside CI, else lines.
    pub fn new(quiet: bool) -> Self {
        let mode = if quiet {
            Mode::Quiet
        } else if std::io::stderr().is_terminal() && !in_ci() {
            Mode::Bar
        } else {
            Mode::Lines
        };
        Progress { mode }
    }

    /// Start counting `total` items (`unit` names them in the bar: "points", "steps").
    /// `lines` = whether each finished item gets a plain line when there is no bar.
    pub fn start(&self, total: usize, unit: &str, lines: bool) -> Task {
        let bar = (self.mode == Mode::Bar).then(|| {
            let bar =
                ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
            let template =
                format!("{{bar:30}} {{pos}}/{{len}} {unit} [{{elapsed}} < {{eta}}] {{wide_msg}}");
            if let Ok(style) = ProgressStyle::with_template(&template) {
                bar.set_style(style);
            }
            bar
        });
        Task {
            bar,
            lines: lines && self.mode == Mode::Lines,
            total,
            done: 0,
        }
    }
}

/// Progress of one command.
pub struct Task {
    bar: Option<ProgressBar>,
    lines: bool,
    total: usize,
    done: usize,
}

impl Task {
    /// One more item finished, described by `label`.
    pub fn advance(&mut self, label: &str) {
        self.done += 1;
        if let Some(bar) = &self.bar {
            bar.set_message(label.to_string());
            bar.inc(1);
        } else if self.lines {
            eprintln!("[{}/{}] {label}", self.done, self.total);
        }
    }

    /// Show `message` beside the bar (no plain line).
    pub fn note(&self, message: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(message.to_string());
        }
    }

    /// Print a result line on stdout without tearing the bar.
    pub fn result(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| println!("{line}")),
            None => println!("{line}"),
        }
    }
}

impl Drop for Task {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish();
        }
    }
}
