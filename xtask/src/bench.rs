//! `cargo xtask bench`: the benchmark suite (`crates/facade/benches/suite`).
//!
//! Options are passed to the suite: `--quick` (small sizes; a smoke test, timings not
//! meaningful), `--filter a,b` (cases whose name contains one of the words), `--reps N`,
//! `--write-data DIR` (write the fit cases as `.npy` plus `cases.json` for
//! `bench/compare.py`), `--out DIR` (default `target/bench`).
//!
//! The full suite runs the `bench` profile (release settings). `--quick` runs in the dev
//! profile, whose dependencies CI has already built for the tests, so the smoke test adds no
//! second optimized build of the workspace.

use anyhow::{Result, bail};

use std::path::Path;

use crate::cmd::{cargo, step, workspace_root};

const KNOWN: [&str; 6] = [
    "--quick",
    "--filter",
    "--reps",
    "--write-data",
    "--out",
    "--help",
];

pub fn run(args: &[String]) -> Result<()> {
    run_with_features(args, None)
}

/// [`run`] with cargo features for the build (`cargo xtask ci` passes its own, so that the
/// quick suite reuses the build of the tests).
pub fn run_with_features(args: &[String], features: Option<&str>) -> Result<()> {
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if !KNOWN.contains(&a.as_str()) {
            bail!(
                "`cargo xtask bench` does not know `{a}` (options: {})",
                KNOWN.join(", ")
            );
        }
        if a == "--help" {
            eprint!("{}", HELP);
            return Ok(());
        }
        if matches!(a.as_str(), "--filter" | "--reps" | "--write-data" | "--out")
            && it.next().is_none()
        {
            bail!("`{a}` needs a value");
        }
    }
    let quick = args.iter().any(|a| a == "--quick");
    let mut cmd = cargo();
    // `--workspace` resolves features as `cargo test --workspace` does, so that the quick
    // suite in CI reuses the dependencies the tests built (the suite is linmod's only bench)
    cmd.args(["bench", "--workspace", "--bench", "suite"]);
    if let Some(f) = features {
        cmd.args(["--features", f]);
    }
    if quick {
        cmd.args(["--profile", "dev"]);
    }
    cmd.arg("--");
    // cargo runs benches in the package's directory: paths are made absolute against the
    // caller's directory, and the report goes to the workspace's `target/bench` by default
    let here = std::env::current_dir()?;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        cmd.arg(a);
        let path = matches!(a.as_str(), "--write-data" | "--out");
        if path || matches!(a.as_str(), "--filter" | "--reps") {
            let Some(v) = it.next() else { break };
            if path {
                cmd.arg(here.join(Path::new(v)));
            } else {
                cmd.arg(v);
            }
        }
    }
    if !args.iter().any(|a| a == "--out") {
        cmd.arg("--out").arg(workspace_root().join("target/bench"));
    }
    step(
        if quick {
            "benchmark suite (quick)"
        } else {
            "benchmark suite"
        },
        cmd,
    )
}

const HELP: &str = "\
usage: cargo xtask bench [--quick] [--filter a,b] [--reps N] [--write-data DIR] [--out DIR]

  --quick           small sizes in the dev profile: a smoke test, timings not meaningful
  --filter a,b      only the cases whose name contains one of the words
  --reps N          timed runs per case (default 3, 7 for the kernels, 1 with --quick)
  --write-data DIR  write the fit cases as .npy and cases.json for bench/compare.py
  --out DIR         where report.md and report.json go (default target/bench)
";
