//! `cargo xtask fuzz <target|all> [--seconds N] [--sanitizer address|none]`: runs the
//! cargo-fuzz targets of `fuzz/` for a given time each. Not part of CI.
//!
//! The only toolchain here is stable Rust, and cargo-fuzz passes nightly-only flags
//! (`-Zsanitizer`, ...) to rustc; `RUSTC_BOOTSTRAP=1` lets the stable compiler accept them.
//! That is acceptable for a local testing tool whose binaries are never shipped.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::cmd::{cargo, workspace_root};

/// The fuzz targets, each with the seed directories its corpus starts from (relative to the
/// workspace root). The `.npy` target starts from the reader's test fixtures (numpy's output).
const TARGETS: &[(&str, &[&str])] = &[
    ("csv", &["fuzz/seeds/csv"]),
    ("npy", &["crates/datasets/testdata/npy"]),
    ("model_json", &["fuzz/seeds/model_json"]),
    ("svmlight", &["fuzz/seeds/svmlight"]),
    ("formula", &["fuzz/seeds/formula"]),
];

pub fn run(args: &[String]) -> Result<()> {
    let opts = Options::parse(args)?;
    let root = workspace_root();
    let version = cargo().args(["fuzz", "--version"]).output();
    if !version.is_ok_and(|o| o.status.success()) {
        bail!("cargo-fuzz is not installed: run `cargo install cargo-fuzz --locked`");
    }
    let selected: Vec<_> = TARGETS
        .iter()
        .filter(|(name, _)| opts.target == "all" || opts.target == *name)
        .collect();
    let mut summary = Vec::new();
    for (name, seeds) in selected {
        let corpus = root.join("fuzz/corpus").join(name);
        std::fs::create_dir_all(&corpus)
            .with_context(|| format!("cannot create {}", corpus.display()))?;
        eprintln!(
            "\n==> fuzz {name} for {} s (sanitizer {})",
            opts.seconds, opts.sanitizer
        );
        let start = Instant::now();
        let mut cmd = cargo();
        cmd.env("RUSTC_BOOTSTRAP", "1")
            .args(["fuzz", "run", "--sanitizer", &opts.sanitizer, name]);
        cmd.arg(&corpus);
        cmd.args(seeds.iter().map(|s| root.join(s)).filter(|p| p.is_dir()));
        cmd.args([
            "--",
            &format!("-max_total_time={}", opts.seconds),
            // loader inputs beyond a few kilobytes only repeat what small ones exercise
            "-max_len=8192",
            "-rss_limit_mb=2048",
            "-print_final_stats=1",
        ]);
        let status = cmd
            .status()
            .with_context(|| format!("could not start `cargo fuzz run {name}`"))?;
        let secs = start.elapsed().as_secs_f64();
        if !status.success() {
            bail!(
                "fuzz target `{name}` failed after {secs:.0} s ({status}); the crashing input is \
                 under fuzz/artifacts/{name}/: reproduce with `RUSTC_BOOTSTRAP=1 cargo fuzz run \
                 --sanitizer {} {name} <file>`",
                opts.sanitizer
            );
        }
        summary.push(format!(
            "{name}: no crash in {secs:.0} s (corpus {} files)",
            count_files(&corpus)
        ));
    }
    eprintln!("\n{}", summary.join("\n"));
    Ok(())
}

struct Options {
    target: String,
    seconds: u64,
    sanitizer: String,
}

impl Options {
    fn parse(args: &[String]) -> Result<Self> {
        let mut it = args.iter();
        let Some(target) = it.next() else {
            bail!("usage: cargo xtask fuzz <target|all> [--seconds N] [--sanitizer address|none]");
        };
        let known = target == "all" || TARGETS.iter().any(|(n, _)| n == target);
        if !known {
            let names: Vec<_> = TARGETS.iter().map(|(n, _)| *n).collect();
            bail!(
                "unknown fuzz target `{target}` (expected all, {})",
                names.join(", ")
            );
        }
        let mut opts = Self {
            target: target.clone(),
            seconds: 600,
            sanitizer: "address".into(),
        };
        while let Some(flag) = it.next() {
            let value = it
                .next()
                .with_context(|| format!("`{flag}` needs a value"))?;
            match flag.as_str() {
                "--seconds" => {
                    opts.seconds = value.parse().ok().filter(|s| *s > 0).with_context(|| {
                        format!("--seconds must be a positive integer, got `{value}`")
                    })?;
                }
                "--minutes" => {
                    let m: u64 = value.parse().ok().filter(|m| *m > 0).with_context(|| {
                        format!("--minutes must be a positive integer, got `{value}`")
                    })?;
                    opts.seconds = m * 60;
                }
                "--sanitizer" if value == "address" || value == "none" => {
                    opts.sanitizer = value.clone();
                }
                "--sanitizer" => bail!("--sanitizer is `address` or `none`, got `{value}`"),
                other => bail!("unknown option `{other}` for `cargo xtask fuzz`"),
            }
        }
        Ok(opts)
    }
}

fn count_files(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| entries.count())
}
