//! Reading data files: CSV with a header, or NumPy `.npy`.

use std::path::Path;

use anyhow::{Context, Result, bail};
use linmod::datasets::{
    CsvOptions, Dataset, NonFinite, read_csv, read_csv_features, read_npy_dataset, read_npy_matrix,
    read_npy_vector,
};
use linmod::linalg::Mat;

use crate::args::DataArgs;

fn is_npy(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("npy"))
}

fn policy(drop: bool) -> NonFinite {
    if drop {
        NonFinite::DropRows
    } else {
        NonFinite::Reject
    }
}

/// Features and target from `--data` and `--target` / `--target-file`.
pub fn labelled(args: &DataArgs) -> Result<Dataset> {
    let non_finite = policy(args.drop_non_finite);
    match (&args.target, &args.target_file) {
        (Some(name), None) => {
            if is_npy(&args.data) {
                bail!(
                    "{}: a .npy file has no column names; give the target with --target-file",
                    args.data.display()
                );
            }
            Ok(read_csv(
                &args.data,
                &CsvOptions::new(name.clone()).non_finite(non_finite),
            )?)
        }
        (None, Some(target_file)) if is_npy(&args.data) && is_npy(target_file) => {
            Ok(read_npy_dataset(&args.data, target_file, non_finite)?)
        }
        (None, Some(target_file)) => {
            if args.drop_non_finite {
                bail!(
                    "--drop-non-finite needs the target in the same file (--target NAME) or two .npy files"
                );
            }
            let x = features(&args.data, false)?;
            let y = target_values(target_file)?;
            if y.len() != x.n_samples() {
                bail!(
                    "{} has {} values but {} has {} rows",
                    target_file.display(),
                    y.len(),
                    args.data.display(),
                    x.n_samples()
                );
            }
            let mut d = x;
            d.y = y;
            d.check().with_context(|| {
                format!("{} with {}", args.data.display(), target_file.display())
            })?;
            Ok(d)
        }
        _ => bail!("give the target with --target NAME (CSV) or --target-file FILE"),
    }
}

/// A features-only file (the input of predictions).
pub fn features(path: &Path, drop_non_finite: bool) -> Result<Dataset> {
    if is_npy(path) {
        let x = read_npy_matrix(path)?;
        let names = (1..=x.ncols()).map(|j| format!("x{j}")).collect();
        Ok(Dataset {
            y: Vec::new(),
            feature_names: names,
            target_name: "y".into(),
            target_names: Vec::new(),
            description: format!("features read from {}", path.display()),
            x,
        })
    } else {
        Ok(read_csv_features(path, b',', policy(drop_non_finite))?)
    }
}

/// Target values: a `.npy` vector, or a CSV file with a single column (header optional).
fn target_values(path: &Path) -> Result<Vec<f64>> {
    if is_npy(path) {
        return Ok(read_npy_vector(path)?);
    }
    let d = read_csv_features(path, b',', NonFinite::Reject)?;
    if d.n_features() != 1 {
        bail!(
            "{}: a target file needs exactly one column, found {}",
            path.display(),
            d.n_features()
        );
    }
    Ok(d.x.col(0).iter().copied().collect())
}

/// The columns of `data` in the order of `names` when every name is present; otherwise the
/// data as they are.
pub fn select_columns(data: Dataset, names: Option<&[String]>) -> Dataset {
    let Some(names) = names else { return data };
    let idx: Option<Vec<usize>> = names
        .iter()
        .map(|n| data.feature_names.iter().position(|f| f == n))
        .collect();
    match idx {
        Some(idx)
            if data.feature_names.len() != names.len()
                || idx.iter().enumerate().any(|(a, b)| a != *b) =>
        {
            let x = Mat::from_fn(data.n_samples(), idx.len(), |i, j| data.x[(i, idx[j])]);
            Dataset {
                x,
                feature_names: names.to_vec(),
                ..data
            }
        }
        _ => data,
    }
}
