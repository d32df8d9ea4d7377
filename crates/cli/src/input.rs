//! Reading data files: CSV with a header, or NumPy `.npy`; and naming the place in a file
//! that an error about a row refers to.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use linmod::datasets::{
    CsvOptions, Dataset, DatasetError, NonFinite, SourceLines, SparseDataset, SvmlightOptions,
    read_csv_with_lines, read_npy_dataset, read_npy_matrix, read_npy_vector, read_svmlight,
};
use linmod::linalg::Short;
use linmod::linalg::{CsrMatrix, Mat};
use linmod::models::ModelError;

use crate::args::DataArgs;

/// True for a file whose columns have names (CSV), false for `.npy` and svmlight.
pub fn has_column_names(path: &Path) -> bool {
    !is_npy(path) && !is_svmlight(path)
}

/// True for an svmlight / LIBSVM file (`.svm`, `.svmlight`, `.libsvm`).
pub fn is_svmlight(path: &Path) -> bool {
    path.extension().is_some_and(|e| {
        ["svm", "svmlight", "libsvm"]
            .iter()
            .any(|k| e.eq_ignore_ascii_case(k))
    })
}

/// Reads an svmlight file with the given width.
pub fn svmlight(path: &Path, n_features: Option<usize>) -> Result<SparseDataset> {
    let mut opts = SvmlightOptions::default();
    if let Some(p) = n_features {
        opts = opts.n_features(p);
    }
    Ok(read_svmlight(path, &opts)?)
}

/// A data set standing for a sparse file's shape and labels: `x` has no rows, the features
/// are named `x1`, `x2`, ... by position (the design itself is [`Labelled::sparse`]).
fn sparse_stand_in(d: &SparseDataset, path: &Path) -> Dataset {
    Dataset {
        x: Mat::zeros(0, 0),
        y: d.y.clone(),
        feature_names: (1..=d.n_features()).map(|j| format!("x{j}")).collect(),
        target_name: "label".into(),
        target_names: Vec::new(),
        description: format!("sparse features read from {}", path.display()),
    }
}

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

/// A loader error in the command line's words: the remedy for a non-finite cell is a flag.
fn explained(e: DatasetError) -> anyhow::Error {
    match e {
        DatasetError::NonFiniteCell { .. } => {
            anyhow::anyhow!("{e}; --drop-non-finite skips such rows")
        }
        other => other.into(),
    }
}

/// Where the target values came from: a CSV column (with each row's line) or a `.npy` file.
enum TargetSource {
    Csv {
        file: PathBuf,
        column: String,
        lines: SourceLines,
    },
    Npy {
        file: PathBuf,
    },
    Svmlight {
        file: PathBuf,
    },
}

/// Labelled data and where each target value is in its file.
pub struct Labelled {
    /// The data (for a sparse file: its labels and feature names, with an empty `x`).
    pub data: Dataset,
    /// The design of a sparse file.
    pub sparse: Option<CsrMatrix>,
    source: TargetSource,
}

impl Labelled {
    /// Number of rows.
    pub fn n_samples(&self) -> usize {
        self.data.y.len()
    }

    /// Number of features.
    pub fn n_features(&self) -> usize {
        self.data.feature_names.len()
    }

    /// Where target value `row` (0-based) is, as a person finds it: the file and its 1-based
    /// line and column, or the 1-based element of a `.npy` vector.
    pub fn place(&self, row: usize) -> String {
        match &self.source {
            TargetSource::Csv {
                file,
                column,
                lines,
            } => match lines.line(row) {
                Some(line) => format!("{}, line {line}, column `{column}`", file.display()),
                None => format!("{}, data row {}", file.display(), row + 1),
            },
            TargetSource::Npy { file } => {
                format!("{}, element {} (1-based)", file.display(), row + 1)
            }
            // blank and comment lines are skipped, so the row is not a line number
            TargetSource::Svmlight { file } => {
                format!("{}, data row {} (the label)", file.display(), row + 1)
            }
        }
    }

    /// A model error about the target, located in its file; other errors as they are.
    pub fn locate(&self, e: ModelError) -> anyhow::Error {
        match e {
            ModelError::InvalidLabel {
                row,
                value,
                expected,
            } => anyhow::anyhow!(
                "{}: invalid label {}: labels must be {expected}",
                self.place(row),
                Short(value)
            ),
            ModelError::NonFinite {
                what: "y",
                index,
                value,
            } => anyhow::anyhow!("{}: non-finite target {}", self.place(index), Short(value)),
            other => other.into(),
        }
    }
}

/// Features and target from `--data` and `--target` / `--target-file`.
pub fn labelled(args: &DataArgs) -> Result<Labelled> {
    if is_svmlight(&args.data) {
        return sparse_labelled(args);
    }
    if args.n_features.is_some() {
        bail!("--n-features applies to svmlight files (.svm, .svmlight, .libsvm)");
    }
    let non_finite = policy(args.drop_non_finite);
    match (&args.target, &args.target_file) {
        (Some(name), None) => {
            if is_npy(&args.data) {
                bail!(
                    "{}: a .npy file has no column names; give the target with --target-file",
                    args.data.display()
                );
            }
            let options = CsvOptions::new(name.clone()).non_finite(non_finite);
            let (data, lines) = read_csv_with_lines(&args.data, &options).map_err(explained)?;
            Ok(Labelled {
                data,
                sparse: None,
                source: TargetSource::Csv {
                    file: args.data.clone(),
                    column: name.clone(),
                    lines,
                },
            })
        }
        (None, Some(target_file)) if is_npy(&args.data) && is_npy(target_file) => Ok(Labelled {
            data: read_npy_dataset(&args.data, target_file, non_finite)?,
            sparse: None,
            source: TargetSource::Npy {
                file: target_file.clone(),
            },
        }),
        (None, Some(target_file)) => {
            if args.drop_non_finite {
                bail!(
                    "--drop-non-finite needs the target in the same file (--target NAME) or two .npy files"
                );
            }
            let mut data = features(&args.data, false)?;
            let (y, source) = target_values(target_file)?;
            check_target_length(target_file, y.len(), &args.data, data.n_samples())?;
            data.y = y;
            Ok(Labelled {
                data,
                sparse: None,
                source,
            })
        }
        _ => bail!("give the target with --target NAME (CSV) or --target-file FILE"),
    }
}

/// Fails unless the target file has one value per row of the data file.
fn check_target_length(target: &Path, values: usize, data: &Path, rows: usize) -> Result<()> {
    if values != rows {
        bail!(
            "{} has {values} values but {} has {rows} rows",
            target.display(),
            data.display()
        );
    }
    Ok(())
}

/// An svmlight file: its labels, or those of `--target-file`.
fn sparse_labelled(args: &DataArgs) -> Result<Labelled> {
    if args.target.is_some() {
        bail!(
            "{}: an svmlight file has no column names; its labels are the first field of each \
             line (or give them with --target-file)",
            args.data.display()
        );
    }
    if args.drop_non_finite {
        bail!("--drop-non-finite applies to CSV and .npy files (svmlight files hold no NaN)");
    }
    let d = svmlight(&args.data, args.n_features)?;
    let mut data = sparse_stand_in(&d, &args.data);
    let source = match &args.target_file {
        Some(target_file) => {
            let (y, source) = target_values(target_file)?;
            check_target_length(target_file, y.len(), &args.data, d.n_samples())?;
            data.y = y;
            source
        }
        None => TargetSource::Svmlight {
            file: args.data.clone(),
        },
    };
    Ok(Labelled {
        data,
        sparse: Some(d.x),
        source,
    })
}

/// [`labelled`] for commands that need a dense design: an svmlight file is refused by name.
pub fn labelled_dense(args: &DataArgs, command: &str) -> Result<Labelled> {
    if is_svmlight(&args.data) {
        bail!(
            "{}: `linmod {command}` reads CSV and .npy files; svmlight files are read by fit \
             and predict",
            args.data.display()
        );
    }
    labelled(args)
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
        let options = CsvOptions::features().non_finite(policy(drop_non_finite));
        Ok(read_csv_with_lines(path, &options).map_err(explained)?.0)
    }
}

/// Target values: a `.npy` vector, or a CSV file with a header and a single column.
fn target_values(path: &Path) -> Result<(Vec<f64>, TargetSource)> {
    if is_npy(path) {
        let source = TargetSource::Npy {
            file: path.to_path_buf(),
        };
        return Ok((read_npy_vector(path)?, source));
    }
    let (d, lines) = read_csv_with_lines(path, &CsvOptions::features()).map_err(explained)?;
    if d.n_features() != 1 {
        bail!(
            "{}: a target file needs exactly one column, found {}",
            path.display(),
            d.n_features()
        );
    }
    let source = TargetSource::Csv {
        file: path.to_path_buf(),
        column: d.feature_names[0].clone(),
        lines,
    };
    Ok((d.x.col(0).iter().copied().collect(), source))
}

/// The model's features of `data`: from a CSV file, found by name (other columns, such as
/// the target, are ignored; a missing name is an error with close matches); from a `.npy`
/// file (no names), by position, with exactly the model's number of columns.
pub fn model_features(
    data: Dataset,
    file: &Path,
    names: Option<&[String]>,
    n_features: usize,
) -> Result<Dataset> {
    if is_npy(file) || names.is_none() {
        if data.n_features() != n_features {
            bail!(
                "{}: the model has {n_features} features but the file has {} columns \
                 (without column names, columns are matched by position{})",
                file.display(),
                data.n_features(),
                if is_npy(file) {
                    ""
                } else {
                    ": this model file has no feature names"
                }
            );
        }
        return Ok(data);
    }
    let names = names.unwrap_or_default();
    Ok(data.select_features(names, file)?)
}
