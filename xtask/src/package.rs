//! `cargo xtask package`: packs every publishable crate as `cargo publish` would, without
//! uploading, and fails on any warning, on a library crate left out, or on an oversized
//! package.
//!
//! It runs `cargo publish --workspace --dry-run --no-verify --allow-dirty`. `--no-verify`
//! skips building each packed crate again from its extracted sources (a second build of the
//! whole stack, minutes on two cores); the tests build the same sources. `--allow-dirty`
//! packs the working tree as it is, committed or not. Cargo asks the crates.io index for the
//! dependencies' versions, so this step needs the network.

use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::cmd::cargo;

/// The packages that must be published, the library crates first.
const PUBLISHED: [&str; 6] = [
    "linmod-linalg-core",
    "linmod-optim",
    "linmod-datasets",
    "linmod-models",
    "linmod",
    "linmod-cli",
];

/// The largest compressed package allowed: the embedded data sets take about 180 KiB; the
/// registry's own limit is 10 MB.
const MAX_COMPRESSED_KIB: f64 = 1024.0;

/// The one warning a dry run always prints.
const DRY_RUN_NOTE: &str = "warning: aborting upload due to dry run";

pub fn run(args: &[String]) -> Result<()> {
    if let Some(extra) = args.first() {
        bail!("`cargo xtask package` takes no arguments (got `{extra}`)");
    }
    eprintln!("\n==> cargo publish --workspace --dry-run --no-verify");
    let mut cmd = cargo();
    cmd.args([
        "publish",
        "--workspace",
        "--dry-run",
        "--no-verify",
        "--allow-dirty",
    ]);
    let log = output_of(cmd)?;
    check(&log)
}

/// Runs `cmd` and returns what it wrote to stderr (where cargo reports), failing with that
/// text if it failed.
fn output_of(mut cmd: Command) -> Result<String> {
    let out = cmd
        .output()
        .with_context(|| format!("could not start {cmd:?}"))?;
    let log = String::from_utf8_lossy(&out.stderr).into_owned();
    if !out.status.success() {
        bail!("`cargo publish --dry-run` failed ({}):\n{log}", out.status);
    }
    Ok(log)
}

/// Checks a dry run's log: no warning besides the dry-run note, every package of
/// [`PUBLISHED`] packed, each under [`MAX_COMPRESSED_KIB`].
fn check(log: &str) -> Result<()> {
    let warnings: Vec<&str> = log
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("warning") && *l != DRY_RUN_NOTE)
        .collect();
    if !warnings.is_empty() {
        bail!(
            "packing printed warnings:\n  {}\n\nfull log:\n{log}",
            warnings.join("\n  ")
        );
    }
    let packed = packages(log)?;
    for name in PUBLISHED {
        let Some((_, files, kib)) = packed.iter().find(|(n, _, _)| n == name) else {
            bail!("`{name}` was not packed (publish = false?)\n\nfull log:\n{log}");
        };
        if *kib > MAX_COMPRESSED_KIB {
            bail!("`{name}` packs to {kib:.0} KiB compressed (limit {MAX_COMPRESSED_KIB:.0} KiB)");
        }
        eprintln!("    {name:<20} {files:>3} files, {kib:>6.1} KiB compressed");
    }
    if let Some((name, _, _)) = packed
        .iter()
        .find(|(n, _, _)| !PUBLISHED.contains(&n.as_str()))
    {
        bail!("`{name}` was packed but is not meant to be published (set publish = false)");
    }
    eprintln!("==> every crate packs, no warnings");
    Ok(())
}

/// `(package, files, compressed KiB)` from each pair of `Packaging name vX` and
/// `Packaged N files, S (C compressed)` lines.
fn packages(log: &str) -> Result<Vec<(String, usize, f64)>> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in log.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("Packaging ") {
            current = rest.split_whitespace().next().map(str::to_string);
        } else if let Some(rest) = line.strip_prefix("Packaged ") {
            let name = current
                .take()
                .with_context(|| format!("`{line}` without a package before it"))?;
            let files = rest
                .split_whitespace()
                .next()
                .and_then(|n| n.parse().ok())
                .with_context(|| format!("no file count in `{line}`"))?;
            let compressed = rest
                .rsplit_once('(')
                .and_then(|(_, c)| c.strip_suffix(" compressed)"))
                .with_context(|| format!("no compressed size in `{line}`"))?;
            out.push((name, files, kib(compressed)?));
        }
    }
    Ok(out)
}

/// Cargo's human-readable sizes (`512B`, `35.3KiB`, `1.2MiB`) in KiB.
fn kib(size: &str) -> Result<f64> {
    let split = size
        .find(|c: char| c.is_ascii_alphabetic())
        .with_context(|| format!("no unit in size `{size}`"))?;
    let (number, unit) = size.split_at(split);
    let value: f64 = number
        .parse()
        .with_context(|| format!("bad number in size `{size}`"))?;
    let scale = match unit {
        "B" => 1.0 / 1024.0,
        "KiB" => 1.0,
        "MiB" => 1024.0,
        "GiB" => 1024.0 * 1024.0,
        _ => bail!("unknown unit in size `{size}`"),
    };
    Ok(value * scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: &str = "    Updating crates.io index
   Packaging linmod-linalg-core v0.1.0 (/w/crates/linalg-core)
    Packaged 22 files, 128.5KiB (35.3KiB compressed)
   Packaging linmod-datasets v0.1.0 (/w/crates/datasets)
    Packaged 51 files, 660.1KiB (175.8KiB compressed)
   Uploading linmod-linalg-core v0.1.0 (/w/crates/linalg-core)
warning: aborting upload due to dry run
";

    #[test]
    fn sizes_are_read_in_kib() {
        assert!((kib("35.3KiB").unwrap() - 35.3).abs() < 1e-9);
        assert!((kib("2MiB").unwrap() - 2048.0).abs() < 1e-9);
        assert!((kib("512B").unwrap() - 0.5).abs() < 1e-9);
        assert!(kib("12").is_err());
        assert!(kib("3PiB").is_err());
    }

    #[test]
    fn packages_are_read_from_the_log() {
        let p = packages(LOG).unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!((p[1].0.as_str(), p[1].1), ("linmod-datasets", 51));
        assert!((p[1].2 - 175.8).abs() < 1e-9);
    }

    #[test]
    fn a_missing_crate_or_a_warning_fails() {
        // only two of the six packages are in the log
        let err = check(LOG).unwrap_err().to_string();
        assert!(err.contains("`linmod-optim` was not packed"), "{err}");
        let warned = format!("{LOG}warning: manifest has no description\n");
        let err = check(&warned).unwrap_err().to_string();
        assert!(err.contains("manifest has no description"), "{err}");
    }
}
