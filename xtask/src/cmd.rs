//! Running cargo steps with a header, a timing line and a clear failure message.

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

/// The workspace root (the parent of the xtask crate).
pub fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

/// Where cargo builds: `CARGO_TARGET_DIR`, or `target/` in the workspace.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|d| {
            if d.is_absolute() {
                d
            } else {
                workspace_root().join(d)
            }
        })
        .unwrap_or_else(|| workspace_root().join("target"))
}

/// The cargo that launched us (`CARGO`), or `cargo` from the path.
pub fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(workspace_root());
    cmd
}

/// Runs one named step; fails with the step's name and exit status.
pub fn step(name: &str, mut cmd: Command) -> Result<()> {
    eprintln!("\n==> {name}");
    let start = Instant::now();
    let status = cmd
        .status()
        .with_context(|| format!("could not start step `{name}` ({cmd:?})"))?;
    let secs = start.elapsed().as_secs_f64();
    if !status.success() {
        bail!("step `{name}` failed ({status}) after {secs:.1} s");
    }
    eprintln!("==> {name}: ok ({secs:.1} s)");
    Ok(())
}
