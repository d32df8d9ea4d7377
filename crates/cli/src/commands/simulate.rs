//! `linmod simulate`: data sets with known parameters, written as CSV or `.npy`.

use std::path::PathBuf;

use anyhow::{Result, bail};
use linmod::datasets::simulate::{Logistic, Multinomial, Simulator};
use linmod::datasets::{Dataset, NpyOrder, write_csv, write_npy_dataset};

use crate::args::{SimKind, SimulateArgs};

pub fn run(args: &SimulateArgs) -> Result<()> {
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
    let ext = args
        .out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("csv") => Ok(write_csv(&args.out, data)?),
        Some("npy") => {
            let y_path = args.out_y.clone().unwrap_or_else(|| target_path(&args.out));
            write_npy_dataset(&args.out, &y_path, data, NpyOrder::C)?;
            eprintln!("target written to {}", y_path.display());
            Ok(())
        }
        _ => bail!(
            "{}: the output must end in .csv or .npy",
            args.out.display()
        ),
    }
}

/// `data.npy` -> `data_y.npy`.
fn target_path(x_path: &std::path::Path) -> PathBuf {
    let stem = x_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    x_path.with_file_name(format!("{stem}_y.npy"))
}
