//! The `linmod` command line: the guided tour of the course (the default), and `fit`,
//! `predict`, `evaluate`, `simulate` and `path` for real data.
//!
//! Usage errors exit with code 2 (from clap), data and model errors with code 1 and a
//! one-line message naming the file, line, column or value.

#[macro_use]
mod output;
mod args;
mod commands;
mod input;
mod limits;
mod plot;
mod progress;

use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;

use args::{Cli, Command, TourArgs};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.is::<output::BrokenPipe>() => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", message(&e));
            ExitCode::from(1)
        }
    }
}

/// The error and its causes on one line, each cause once: library errors often repeat their
/// source's text (`file: No such file or directory`), which `{:#}` would print twice.
fn message(e: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in e.chain() {
        let part = cause.to_string();
        if text.contains(&part) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&part);
    }
    text
}

fn run(cli: Cli) -> Result<()> {
    // `--threads` is at most `limits::MAX_THREADS` (checked when parsed)
    if let Some(n) = cli.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .context("cannot set up the thread pool")?;
    }
    match cli.command {
        None => commands::tour::run(&TourArgs {
            out: "linmod-out".into(),
            png: false,
        }),
        Some(Command::Tour(a)) => commands::tour::run(&a),
        Some(Command::Fit(a)) => commands::fit::run(&a, cli.quiet),
        Some(Command::Predict(a)) => commands::predict::run(&a),
        Some(Command::Evaluate(a)) => commands::evaluate::run(&a),
        Some(Command::Simulate(a)) => commands::simulate::run(&a),
        Some(Command::Path(a)) => commands::path::run(&a, cli.quiet),
    }
}
