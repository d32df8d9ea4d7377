//! Reading data files: CSV with a header, or NumPy `.npy`; and naming the place in a file
//! that an error about a row refers to.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use linmod::datasets::{
    ColumnType, CsvOptions, Dataset, DatasetError, DesignSpec, Formula, Missing, NonFinite,
    SourceLines, SparseDataset, SvmlightOptions, Table, TableOptions, Unseen, read_csv_with_lines,
    read_npy_dataset, read_npy_matrix, read_npy_vector, read_parquet, read_svmlight, read_table,
};
use linmod::linalg::Short;
use linmod::linalg::{CsrMatrix, Mat};
use linmod::models::ModelError;
use linmod::models::persist::ModelFile;

use crate::args::{DataArgs, MissingPolicy, UnseenPolicy};

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

fn is_parquet(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet") || e.eq_ignore_ascii_case("parq"))
}

/// A CSV or Parquet file as a table.
fn any_table(path: &Path, options: &TableOptions) -> Result<Table> {
    if is_parquet(path) {
        Ok(read_parquet(path, options)?)
    } else {
        read_table(path, options).map_err(explained)
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

/// A loader error in the command line's words: the remedy for a non-finite cell or a text
/// column is a flag.
pub fn explained(e: DatasetError) -> anyhow::Error {
    match e {
        DatasetError::NonFiniteCell { .. } => {
            anyhow::anyhow!("{e}; --drop-non-finite skips such rows")
        }
        DatasetError::NonNumeric { .. } => anyhow::anyhow!(
            "{e}; text columns are used through --formula \"y ~ ...\" or chosen with \
             --features / --exclude (then they are categorical)"
        ),
        DatasetError::MissingValue { .. } => {
            anyhow::anyhow!("{e}; --missing drop drops such rows")
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
    /// A table column, with the 1-based line of each row kept.
    Table {
        file: PathBuf,
        column: String,
        lines: Vec<Option<u64>>,
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
    /// The design, for data read through a formula or a column selection.
    pub design: Option<Design>,
}

/// The design of a table and what applying it did.
pub struct Design {
    pub spec: DesignSpec,
    /// Rows dropped for a missing value.
    pub dropped: usize,
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
            TargetSource::Table {
                file,
                column,
                lines,
            } => match lines.get(row).copied().flatten() {
                Some(line) => format!("{}, line {line}, column `{column}`", file.display()),
                None => format!("{}, data row {}", file.display(), row + 1),
            },
            // blank and comment lines are skipped, so the row is not a line number
            TargetSource::Svmlight { file } => {
                format!("{}, data row {} (the label)", file.display(), row + 1)
            }
        }
    }

    /// Where value `row` of another column of the data file (an offset, exposure or weight
    /// column) is.
    pub fn place_in(&self, row: usize, column: &str) -> String {
        match &self.source {
            TargetSource::Csv { file, lines, .. } => match lines.line(row) {
                Some(line) => format!("{}, line {line}, column `{column}`", file.display()),
                None => format!("{}, data row {}", file.display(), row + 1),
            },
            TargetSource::Npy { file } => format!("{}, row {} (1-based)", file.display(), row + 1),
            TargetSource::Table { file, lines, .. } => match lines.get(row).copied().flatten() {
                Some(line) => format!("{}, line {line}, column `{column}`", file.display()),
                None => format!("{}, data row {}", file.display(), row + 1),
            },
            TargetSource::Svmlight { file } => {
                format!("{}, data row {}, `{column}`", file.display(), row + 1)
            }
        }
    }

    /// Takes column `name` out of the features: an offset, exposure or weight column is data
    /// of the model, not a feature. `flag` names the option in errors.
    pub fn take_column(&mut self, name: &str, flag: &str) -> Result<Vec<f64>> {
        let file = match &self.source {
            TargetSource::Csv { file, .. } => file,
            TargetSource::Npy { .. } | TargetSource::Svmlight { .. } => {
                bail!(
                    "{flag} names a column of a CSV file; .npy and svmlight data have no column names"
                )
            }
            TargetSource::Table { .. } => bail!(
                "{flag} takes a column of the data file only without --formula, --features and \
                 --exclude"
            ),
        };
        let file = file.clone();
        let placeholder = Dataset {
            x: linmod::linalg::Mat::new(),
            y: Vec::new(),
            feature_names: Vec::new(),
            target_name: String::new(),
            target_names: Vec::new(),
            description: String::new(),
        };
        let data = std::mem::replace(&mut self.data, placeholder);
        let Some(j) = data.feature_names.iter().position(|f| f == name) else {
            let e = data.select_features(&[name.to_string()], &file).err();
            bail!(
                "{flag}: {}",
                e.map_or_else(|| format!("no column `{name}`"), |e| e.to_string())
            );
        };
        let values: Vec<f64> = data.x.col(j).iter().copied().collect();
        let rest: Vec<String> = data
            .feature_names
            .iter()
            .filter(|f| *f != name)
            .cloned()
            .collect();
        self.data = data.select_features(&rest, &file)?;
        Ok(values)
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
    let table = args.formula.is_some()
        || args.features.is_some()
        || args.exclude.is_some()
        || args.missing.is_some()
        || is_parquet(&args.data);
    if is_svmlight(&args.data) {
        if table {
            bail!(
                "{}: --formula, --features, --exclude and --missing apply to CSV tables; an \
                 svmlight file's features are numbered columns",
                args.data.display()
            );
        }
        return sparse_labelled(args);
    }
    if table {
        return from_table(args);
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
                design: None,
            })
        }
        (None, Some(target_file)) if is_npy(&args.data) && is_npy(target_file) => Ok(Labelled {
            data: read_npy_dataset(&args.data, target_file, non_finite)?,
            sparse: None,
            source: TargetSource::Npy {
                file: target_file.clone(),
            },
            design: None,
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
                design: None,
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
        design: None,
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
    if is_parquet(path) {
        bail!(
            "{}: Parquet input needs a model fitted with --formula, --features or --exclude \
             (whose design reads named columns)",
            path.display()
        );
    }
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

/// The reader's options from `--na-values` and `--column-type`.
fn table_options(args: &DataArgs) -> Result<TableOptions> {
    let mut options = TableOptions::new();
    if let Some(tokens) = &args.na_values {
        options = options.missing_values(tokens.iter().map(|t| t.trim().to_owned()));
    }
    for spec in &args.column_types {
        let Some((name, kind)) = spec.split_once('=') else {
            bail!("--column-type {spec:?}: expected NAME=text or NAME=numeric");
        };
        let kind = match kind.trim().to_ascii_lowercase().as_str() {
            "text" | "str" | "string" | "categorical" => ColumnType::Text,
            "numeric" | "number" | "float" => ColumnType::Numeric,
            other => bail!("--column-type {spec:?}: unknown type {other:?} (text or numeric)"),
        };
        options = options.column_type(name.trim(), kind);
    }
    Ok(options)
}

/// Features and target of a table, through a formula or a column selection.
fn from_table(args: &DataArgs) -> Result<Labelled> {
    if is_npy(&args.data) {
        bail!(
            "{}: --formula, --features, --exclude and --missing need a CSV or Parquet file with column names",
            args.data.display()
        );
    }
    let missing = match args.missing {
        Some(MissingPolicy::Drop) => Missing::Drop,
        Some(MissingPolicy::Error) | None => Missing::Error,
    };
    let options = table_options(args)?;
    let (table, spec) = if let Some(text) = &args.formula {
        let formula = Formula::parse(text)?;
        let table = any_table(&args.data, &options.only(formula.columns()))?;
        let spec = formula.spec(&table, missing)?;
        (table, spec)
    } else {
        let Some(target) = &args.target else {
            bail!("give the target with --target NAME (or write a --formula \"y ~ ...\")");
        };
        let table = any_table(&args.data, &options)?;
        table.require(target)?;
        let features: Vec<String> = match (&args.features, &args.exclude) {
            (Some(f), _) => f.iter().map(|n| n.trim().to_owned()).collect(),
            (None, excluded) => {
                let excluded: Vec<&str> = excluded.iter().flatten().map(|n| n.trim()).collect();
                for name in &excluded {
                    table.require(name)?;
                }
                table
                    .names()
                    .iter()
                    .filter(|n| *n != target && !excluded.contains(&n.as_str()))
                    .cloned()
                    .collect()
            }
        };
        if features.iter().any(|f| f == target) {
            bail!("--features names the target `{target}`");
        }
        let spec = DesignSpec::from_columns(&table, target, &features, missing)?;
        (table, spec)
    };
    let frame = spec.fit_frame(&table).map_err(explained)?;
    let lines = frame.rows.iter().map(|&i| table.line(i)).collect();
    let dropped = frame.dropped;
    let column = spec.target_name().unwrap_or("y").to_owned();
    let description = format!("read from {}", args.data.display());
    Ok(Labelled {
        sparse: None,
        data: frame.into_dataset(&spec, description),
        source: TargetSource::Table {
            file: args.data.clone(),
            column,
            lines,
        },
        design: Some(Design { spec, dropped }),
    })
}

/// The design a model file carries, checked against the file's feature names.
pub fn saved_design(file: &ModelFile, path: &Path) -> Result<Option<DesignSpec>> {
    let Some(value) = &file.design else {
        return Ok(None);
    };
    let corrupt = |e: &dyn std::fmt::Display| {
        anyhow::anyhow!("{}: corrupt model file: its design: {e}", path.display())
    };
    let spec: DesignSpec = serde_json::from_value(value.clone()).map_err(|e| corrupt(&e))?;
    spec.validate().map_err(|e| corrupt(&e))?;
    if file.feature_names.as_deref() != Some(spec.feature_names()) {
        return Err(corrupt(&"the feature names differ from the design's"));
    }
    Ok(Some(spec))
}

/// A table read for a saved design: its columns, with their types at fit.
pub fn design_table(spec: &DesignSpec, path: &Path, with_target: bool) -> Result<Table> {
    if is_npy(path) {
        bail!(
            "{}: this model was fitted on named columns; give a CSV file with a header or a Parquet file",
            path.display()
        );
    }
    any_table(path, &spec.read_options(with_target))
}

pub fn unseen(policy: UnseenPolicy) -> Unseen {
    match policy {
        UnseenPolicy::Error => Unseen::Error,
        UnseenPolicy::Reference => Unseen::Reference,
    }
}

/// A warning about levels encoded as the reference, on standard error.
pub fn warn_unseen(count: usize, path: &Path) {
    if count > 0 {
        eprintln!(
            "warning: {}: {count} cell(s) hold a level the model did not see; encoded as the \
             reference level",
            path.display()
        );
    }
}

/// Labelled rows for a saved design: the target and features of a raw table.
pub fn labelled_by_design(
    spec: &DesignSpec,
    path: &Path,
    policy: UnseenPolicy,
) -> Result<Labelled> {
    let table = design_table(spec, path, true)?;
    let frame = spec.labelled(&table, unseen(policy)).map_err(explained)?;
    warn_unseen(frame.unseen, path);
    let lines = frame.rows.iter().map(|&i| table.line(i)).collect();
    let dropped = frame.dropped;
    Ok(Labelled {
        sparse: None,
        data: frame.into_dataset(spec, format!("read from {}", path.display())),
        source: TargetSource::Table {
            file: path.to_path_buf(),
            column: spec.target_name().unwrap_or("y").to_owned(),
            lines,
        },
        design: Some(Design {
            spec: spec.clone(),
            dropped,
        }),
    })
}
