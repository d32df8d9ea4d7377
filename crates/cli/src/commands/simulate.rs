//! `linmod simulate`: data sets with known parameters, written as CSV or `.npy`.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use linmod::datasets::simulate::{Logistic, Multinomial, Simulator};
use linmod::datasets::{Dataset, NpyOrder, write_csv_to, write_npy_matrix_to, write_npy_vector_to};

use crate::args::{SimKind, SimulateArgs};
use crate::limits::MAX_SIMULATED_CELLS;
use crate::output::write_file;

/// Refuses sizes and file names that would make a silently wrong or unbounded output.
fn check(args: &SimulateArgs) -> Result<()> {
    let p = match args.kind {
        SimKind::Logistic => args.beta.as_ref().map_or(2, |b| b.len().saturating_sub(1)),
        SimKind::Linear => args.beta.as_ref().map_or(3, Vec::len),
        SimKind::Multinomial => args.p,
    };
    let coefficients = match args.kind {
        SimKind::Multinomial => p.checked_mul(args.classes),
        _ => Some(0),
    };
    let values = args
        .n
        .checked_mul(p.max(1))
        .zip(coefficients)
        .and_then(|(x, c)| x.checked_add(c));
    if values.is_none_or(|v| v > MAX_SIMULATED_CELLS) {
        bail!(
            "--n {} with {p} features is more than {MAX_SIMULATED_CELLS} values (800 MB); \
             simulate fewer rows or features",
            args.n
        );
    }
    if args.kind == SimKind::Multinomial && args.classes > args.n {
        bail!(
            "--classes {} is more than --n {}: every class needs rows",
            args.classes,
            args.n
        );
    }
    if let Some(y_path) = &args.out_y {
        if !has_extension(&args.out, "npy") {
            bail!("--out-y applies to .npy output; a .csv file holds the target as column `y`");
        }
        if same_file(&args.out, y_path) {
            bail!(
                "--out and --out-y name the same file ({}): the target would overwrite the features",
                y_path.display()
            );
        }
    }
    Ok(())
}

fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// The same path, or two names of one existing file.
fn same_file(a: &Path, b: &Path) -> bool {
    a == b
        || match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
}

pub fn run(args: &SimulateArgs) -> Result<()> {
    check(args)?;
    let (data, truth) = match args.kind {
        SimKind::Logistic => {
            let beta = args.beta.clone().unwrap_or_else(|| vec![1.0, 1.0, -1.0]);
            let sim = Logistic::new(args.n, beta).simulate(args.seed)?;
            (
                sim.data,
                format!(
                    "intercept {}, coefficients {:?}",
                    sim.truth.intercept, sim.truth.coef
                ),
            )
        }
        SimKind::Linear => {
            let coef = args.beta.clone().unwrap_or_else(|| vec![1.0, 2.0, -1.0]);
            let sim = linmod::datasets::simulate::LinearRegression::new(args.n, coef)
                .intercept(args.intercept)
                .noise(args.noise)
                .correlation(args.rho)
                .simulate(args.seed)?;
            (
                sim.data,
                format!(
                    "intercept {}, coefficients {:?}, noise sd {}",
                    sim.truth.intercept, sim.truth.coef, args.noise
                ),
            )
        }
        SimKind::Multinomial => {
            if args.beta.is_some() {
                bail!(
                    "--beta is not used by the multinomial simulator (it draws random coefficients)"
                );
            }
            let sim = Multinomial::random(args.n, args.p, args.classes).simulate(args.seed)?;
            (
                sim.data,
                format!(
                    "{} classes, {} features, random coefficients",
                    args.classes, args.p
                ),
            )
        }
    };
    write(&data, args)?;
    eprintln!(
        "wrote {} rows x {} features to {}; true parameters: {truth}",
        data.n_samples(),
        data.n_features(),
        args.out.display()
    );
    Ok(())
}

fn write(data: &Dataset, args: &SimulateArgs) -> Result<()> {
    if has_extension(&args.out, "csv") {
        return write_file(&args.out, |w| Ok(write_csv_to(w, data, &args.out)?));
    }
    if !has_extension(&args.out, "npy") {
        bail!(
            "{}: the output must end in .csv or .npy",
            args.out.display()
        );
    }
    let y_path = args.out_y.clone().unwrap_or_else(|| target_path(&args.out));
    if same_file(&args.out, &y_path) {
        bail!(
            "{}: the target file would be the features file; name another with --out-y",
            y_path.display()
        );
    }
    write_file(&args.out, |w| {
        Ok(write_npy_matrix_to(
            w,
            data.x.as_ref(),
            NpyOrder::C,
            &args.out,
        )?)
    })?;
    write_file(&y_path, |w| Ok(write_npy_vector_to(w, &data.y, &y_path)?))?;
    eprintln!("target written to {}", y_path.display());
    Ok(())
}

/// `data.npy` -> `data_y.npy`.
fn target_path(x_path: &std::path::Path) -> PathBuf {
    let stem = x_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    x_path.with_file_name(format!("{stem}_y.npy"))
}
