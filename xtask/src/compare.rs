//! `cargo xtask compare`: linmod side by side with scikit-learn and glum on the same data.
//!
//! Builds the release binary, writes the fit cases of the benchmark suite as `.npy` files
//! (`cargo xtask bench --write-data`), and runs `bench/compare.py` on them. The script drops
//! `OPENBLAS_*` variables before numpy loads (they can pin an older, slower kernel) and prints
//! the BLAS kernel the references ran on.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Result, bail};

use crate::cmd::{cargo, step, workspace_root};

const HELP: &str = "\
usage: cargo xtask compare [--only a,b] [--reps N] [--dir DIR] [--quick]

  --only a,b   only these cases (names as in cases.json)
  --reps N     timed fits per tool and case (default 3)
  --dir DIR    where the data go (default target/compare)
  --quick      the suite's small sizes (a smoke test of the script)
Needs python3 with numpy, scikit-learn, glum and threadpoolctl.
";

pub fn run(args: &[String]) -> Result<()> {
    let mut only = None;
    let mut reps = None;
    let mut quick = false;
    let mut dir = workspace_root().join("target/compare");
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--only" | "--reps" | "--dir" => {
                let Some(v) = it.next() else {
                    bail!("`{a}` needs a value");
                };
                match a.as_str() {
                    "--only" => only = Some(v.clone()),
                    "--reps" => reps = Some(v.clone()),
                    _ => dir = std::env::current_dir()?.join(PathBuf::from(v)),
                }
            }
            "--quick" => quick = true,
            "--help" | "-h" => {
                eprint!("{HELP}");
                return Ok(());
            }
            other => bail!("`cargo xtask compare` does not know `{other}`\n\n{HELP}"),
        }
    }
    let mut build = cargo();
    build.args(["build", "--release", "-p", "linmod-cli"]);
    step("build the release binary", build)?;
    let mut write = vec!["--write-data".to_string(), dir.display().to_string()];
    if quick {
        write.push("--quick".into());
    }
    crate::bench::run(&write)?;
    let root = workspace_root();
    let mut py = Command::new("python3");
    py.arg(root.join("bench/compare.py"))
        .arg(&dir)
        .arg("--linmod")
        .arg(root.join("target/release/linmod"));
    if let Some(o) = only {
        py.args(["--only", &o]);
    }
    if let Some(r) = reps {
        py.args(["--reps", &r]);
    }
    step("bench/compare.py", py)
}
