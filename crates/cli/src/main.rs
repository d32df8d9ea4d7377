//! The `linmod` command line.

use clap::{CommandFactory, Parser, Subcommand};

/// Linear models and the optimizers behind them.
#[derive(Parser, Debug)]
#[command(name = "linmod", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Print the version of linmod and of its crates.
    Version,
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Version) => {
            println!("linmod {}", env!("CARGO_PKG_VERSION"));
        }
        None => {
            println!("linmod {}", env!("CARGO_PKG_VERSION"));
            println!();
            Cli::command().print_help()?;
        }
    }
    Ok(())
}
