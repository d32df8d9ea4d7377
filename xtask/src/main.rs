//! Project automation: `cargo xtask <task>`.
//!
//! One module per task. Run `cargo xtask help` for the list.

mod bench;
mod ci;
mod cmd;
mod compare;
mod fuzz;
mod package;
mod tidy;

use std::process::ExitCode;

use anyhow::{Result, bail};

const HELP: &str = "\
usage: cargo xtask <task> [options]

tasks:
  ci      every check CI runs: rustfmt, clippy (-D warnings), tests (doc tests included),
          the single-crate examples, rustdoc (-D warnings), `package`, the quick
          benchmark; stops at the first failure
  bench   the benchmark suite; writes target/bench/report.md and report.json
          (cargo xtask bench --help for its options)
  compare linmod, scikit-learn and glum side by side on the suite's data (bench/compare.py;
          cargo xtask compare --help for its options)
  fuzz    <target|all> [--seconds N | --minutes N] [--sanitizer address|none]
          runs the cargo-fuzz targets (csv, npy, model_json, svmlight, formula) for N seconds each
          (default 600); needs `cargo install cargo-fuzz`; not part of CI
  tidy    the architecture invariants a program can check (docs/architecture.md)
  package `cargo publish --workspace --dry-run --no-verify`: packs every publishable
          crate without uploading; fails on any warning or a crate left out (needs the
          network for the crates.io index)
  help    this message
";

fn main() -> ExitCode {
    match dispatch() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn dispatch() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let task = args.next();
    let rest: Vec<String> = args.collect();
    match task.as_deref() {
        Some("ci") => ci::run(&rest),
        Some("bench") => bench::run(&rest),
        Some("compare") => compare::run(&rest),
        Some("fuzz") => fuzz::run(&rest),
        Some("tidy") => tidy::run(&rest),
        Some("package") => package::run(&rest),
        Some("help") | Some("--help") | Some("-h") | None => {
            print!("{HELP}");
            Ok(())
        }
        Some(other) => bail!("unknown task `{other}`\n\n{HELP}"),
    }
}
