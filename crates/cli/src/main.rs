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
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    if let Some(n) = cli.threads {
        if n == 0 {
            anyhow::bail!("--threads must be at least 1");
        }
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
