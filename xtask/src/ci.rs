//! `cargo xtask ci`: the checks CI runs, in order, stopping at the first failure: rustfmt,
//! tidy (the architecture invariants), clippy, the tests, the single-crate examples, rustdoc,
//! packing every publishable crate (`cargo xtask package`), and the benchmark suite at small
//! sizes.

use std::time::Instant;

use anyhow::{Result, bail};

use crate::cmd::{cargo, step, target_dir};

/// The example crates (`examples/`), each depending on one library crate as a downstream
/// project would; CI builds and runs them.
pub const EXAMPLES: [&str; 3] = ["optim-alone", "datasets-alone", "ndarray-016"];

/// Every check builds the workspace with the optional `ndarray` views on, so that one build
/// serves clippy's, the tests' and rustdoc's view of that code as well as the rest (the
/// feature only adds the `interop` module; the default build is a strict subset).
pub const FEATURES: &str = "linmod/ndarray";

pub fn run(args: &[String]) -> Result<()> {
    if let Some(extra) = args.first() {
        bail!("`cargo xtask ci` takes no arguments (got `{extra}`)");
    }
    let start = Instant::now();

    let mut fmt = cargo();
    fmt.args(["fmt", "--all", "--check"]);
    step("rustfmt --check", fmt)?;

    eprintln!("\n==> tidy (architecture invariants)");
    crate::tidy::run(&[])?;

    let mut clippy = cargo();
    clippy.args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--features",
        FEATURES,
        "--",
        "-D",
        "warnings",
    ]);
    step("clippy -D warnings", clippy)?;

    let mut test = cargo();
    test.args(["test", "--workspace", "--features", FEATURES]);
    // Property tests draw their cases from a fixed seed in CI, so a run is reproducible;
    // local runs explore new cases unless PROPTEST_RNG_SEED is set.
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        test.env("PROPTEST_RNG_SEED", "20261122");
    }
    step("tests (unit, integration, doc)", test)?;

    // the examples' binaries, then run: each asserts its own results. Selecting the tests
    // too resolves features as `cargo test` did, so nothing but the binaries is built again.
    let mut build = cargo();
    build.args([
        "build",
        "--workspace",
        "--exclude",
        "xtask",
        "--bins",
        "--tests",
        "--features",
        FEATURES,
    ]);
    step("build the examples", build)?;
    for example in EXAMPLES {
        let bin = target_dir().join("debug").join(example);
        step(
            &format!("run examples/{example}"),
            std::process::Command::new(bin),
        )?;
    }

    let mut doc = cargo();
    doc.args(["doc", "--workspace", "--no-deps", "--features", FEATURES]);
    doc.env("RUSTDOCFLAGS", "-D warnings");
    step("rustdoc -D warnings", doc)?;

    crate::package::run(&[])?;

    // the suite end to end at small sizes, in the dev profile the tests already built
    crate::bench::run_with_features(&["--quick".to_string()], Some(FEATURES))?;

    eprintln!(
        "\nall checks passed in {:.0} s",
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
