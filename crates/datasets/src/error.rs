//! The error type of `datasets`.

use std::path::PathBuf;

/// Everything that can go wrong when making, splitting, scaling, reading or writing data.
///
/// Variants are structured: a loader error names the file and, where there is one, the line
/// (1-based, the header being line 1) and column of the offending cell; an `.npy` error names
/// the file and the 0-based row and column of the element.
///
/// # Examples
/// ```
/// use linmod_datasets::DatasetError;
/// use linmod_datasets::simulate::{Logistic, Simulator};
/// let err = Logistic::new(0, vec![1.0, 2.0]).simulate(7).unwrap_err();
/// assert!(matches!(err, DatasetError::InvalidParameter { name: "n", .. }));
/// assert_eq!(err.to_string(), "invalid parameter `n` = 0: expected at least 1 row");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DatasetError {
    /// A parameter of a simulator, splitter or scaler is outside its domain.
    #[error("invalid parameter `{name}` = {value}: expected {expected}")]
    InvalidParameter {
        /// Name of the parameter.
        name: &'static str,
        /// The value given, formatted.
        value: String,
        /// What the parameter must satisfy.
        expected: &'static str,
    },
    /// Two things that must have the same length do not.
    #[error("shape mismatch: expected {expected} {what}, found {found}")]
    ShapeMismatch {
        /// What was counted (for example "target values (one per row of X)").
        what: &'static str,
        /// The length required.
        expected: usize,
        /// The length found.
        found: usize,
    },
    /// A target value is not a class label, where class labels are required.
    #[error(
        "target value {value_short} at row {row} is not a class label \
         (an integer in 0..{max_label})",
        max_label = linalg_core::MAX_CLASSES, value_short = linalg_core::Short(*.value))]
    NotClassLabel {
        /// Row of the value, 0-based.
        row: usize,
        /// The value.
        value: f64,
    },
    /// A row index is out of range.
    #[error("row index {index} is out of range for {len} rows")]
    IndexOutOfRange {
        /// The index given.
        index: usize,
        /// The number of rows.
        len: usize,
    },
    /// An in-memory matrix holds a NaN or an infinity where finite values are required.
    #[error("non-finite value {value_short} at row {row}, column {column} (0-based) of {what}", value_short = linalg_core::Short(*.value))]
    NonFiniteValue {
        /// What holds the value.
        what: &'static str,
        /// Row, 0-based.
        row: usize,
        /// Column, 0-based.
        column: usize,
        /// The value.
        value: f64,
    },
    /// Reading or writing a file failed.
    #[error("{}: {source}", .file.display())]
    Io {
        /// The file.
        file: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The input holds no data.
    #[error("{}: empty input: {reason}", .file.display())]
    EmptyInput {
        /// The file.
        file: PathBuf,
        /// What is missing.
        reason: &'static str,
    },
    /// The CSV header (or a data set's feature names) has no column of the requested name.
    #[error(
        "{}: no column named `{name}`{}; the columns are {}",
        .file.display(),
        crate::names::did_you_mean(.suggestions),
        crate::names::name_list(.available, 20)
    )]
    MissingColumn {
        /// The file.
        file: PathBuf,
        /// The name asked for.
        name: String,
        /// Close matches among the available names (case-insensitive, or a few edits away).
        suggestions: Vec<String>,
        /// The names in the header.
        available: Vec<String>,
    },
    /// The CSV header names a column twice (names are how columns are found).
    #[error(
        "{}, line 1: the header names column `{name}` twice (columns {first} and {second}); \
         column names must be unique",
        .file.display()
    )]
    DuplicateColumn {
        /// The file.
        file: PathBuf,
        /// The repeated name.
        name: String,
        /// 1-based position of its first occurrence.
        first: usize,
        /// 1-based position of its second occurrence.
        second: usize,
    },
    /// The CSV header line is not a list of column names.
    #[error("{}, line {line}: not a header line: {reason}", .file.display())]
    BadHeader {
        /// The file.
        file: PathBuf,
        /// Line, 1-based.
        line: u64,
        /// What is wrong.
        reason: String,
    },
    /// A line of a CSV file is longer than the reader's limit.
    #[error(
        "{}, line {line}: the line is longer than {limit} bytes (is this a CSV file?)",
        .file.display()
    )]
    LineTooLong {
        /// The file.
        file: PathBuf,
        /// Line, 1-based.
        line: u64,
        /// The limit in bytes.
        limit: usize,
    },
    /// A CSV row has a different number of fields than the header.
    #[error(
        "{}, line {line}: expected {expected} fields (as in the header), found {found}",
        .file.display()
    )]
    RaggedRow {
        /// The file.
        file: PathBuf,
        /// Line, 1-based.
        line: u64,
        /// Number of fields in the header.
        expected: usize,
        /// Number of fields on this line.
        found: usize,
    },
    /// A CSV cell is not a number.
    #[error(
        "{}, line {line}, column {column} (`{name}`): {value:?} is not a number",
        .file.display()
    )]
    NonNumeric {
        /// The file.
        file: PathBuf,
        /// Line, 1-based.
        line: u64,
        /// Column, 1-based.
        column: usize,
        /// Name of the column in the header.
        name: String,
        /// The cell's text.
        value: String,
    },
    /// A CSV cell holds NaN or an infinity (rejected unless rows with such values are dropped:
    /// [`NonFinite::DropRows`](crate::NonFinite::DropRows)).
    #[error(
        "{}, line {line}, column {column} (`{name}`): non-finite value {value:?} \
         (NaN and infinities are refused unless rows holding them are dropped)",
        .file.display()
    )]
    NonFiniteCell {
        /// The file.
        file: PathBuf,
        /// Line, 1-based.
        line: u64,
        /// Column, 1-based.
        column: usize,
        /// Name of the column in the header.
        name: String,
        /// The cell's text.
        value: String,
    },
    /// An `.npy` array holds NaN or an infinity (rejected unless rows with such values are
    /// dropped).
    #[error(
        "{}: non-finite value {value_short} at row {row}, column {column} (0-based)",
        .file.display(), value_short = linalg_core::Short(*.value))]
    NonFiniteElement {
        /// The file.
        file: PathBuf,
        /// Row, 0-based.
        row: usize,
        /// Column, 0-based (0 for a vector).
        column: usize,
        /// The value.
        value: f64,
    },
    /// The CSV parser failed (invalid UTF-8, unbalanced quotes, ...).
    #[error("{}{}: {source}", .file.display(), line_suffix(*.line))]
    Csv {
        /// The file.
        file: PathBuf,
        /// Line of the failure, 1-based, when known.
        line: Option<u64>,
        /// The underlying error.
        source: csv::Error,
    },
    /// The file does not start with the `.npy` magic string.
    #[error("{}: not an .npy file (the magic string \\x93NUMPY is missing)", .file.display())]
    NpyBadMagic {
        /// The file.
        file: PathBuf,
    },
    /// The `.npy` header is malformed.
    #[error("{}: malformed .npy header: {reason}", .file.display())]
    NpyBadHeader {
        /// The file.
        file: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// The `.npy` element type is not one this crate reads.
    #[error(
        "{}: unsupported .npy dtype {dtype} (supported: float64, float32 and integers, \
         either byte order)",
        .file.display()
    )]
    NpyUnsupportedDtype {
        /// The file.
        file: PathBuf,
        /// The `descr` of the header.
        dtype: String,
    },
    /// The `.npy` array has the wrong number of dimensions.
    #[error("{}: expected {expected}, found an array of shape {}", .file.display(), shape_text(.shape))]
    NpyWrongDimension {
        /// The file.
        file: PathBuf,
        /// What was expected.
        expected: &'static str,
        /// The shape in the file.
        shape: Vec<usize>,
    },
    /// The `.npy` file ends before all the elements its header announces.
    #[error(
        "{}: truncated .npy file: the header announces {expected} bytes of data, \
         the file holds {found}",
        .file.display()
    )]
    NpyTruncated {
        /// The file.
        file: PathBuf,
        /// Bytes of data the header announces.
        expected: u64,
        /// Bytes of data present.
        found: u64,
    },
    /// A malformed line of an svmlight / LIBSVM file.
    #[error("{}, line {line}, column {column}: {reason}", .file.display())]
    Svmlight {
        /// The file.
        file: PathBuf,
        /// The line, 1-based.
        line: u64,
        /// The byte column of the token, 1-based.
        column: usize,
        /// What is wrong.
        reason: String,
    },
    /// The arrays of a sparse-matrix file do not describe a matrix.
    #[error("{}: {source}", .file.display())]
    InvalidSparse {
        /// The file.
        file: PathBuf,
        /// What is wrong with the arrays.
        source: linalg_core::LinalgError,
    },
    /// A text cell is not valid UTF-8.
    #[error(
        "{}, line {line}, column {column} (`{name}`): the cell is not valid UTF-8 ({value:?})",
        .file.display()
    )]
    NotUtf8 {
        /// The file.
        file: PathBuf,
        /// Line, 1-based.
        line: u64,
        /// Column, 1-based.
        column: usize,
        /// Name of the column in the header.
        name: String,
        /// The cell's bytes, with invalid sequences replaced.
        value: String,
    },
    /// A column a formula uses holds a missing value (under the policy
    /// [`Missing::Error`](crate::Missing::Error)).
    #[error(
        "{}, column `{column}`: missing value (rows with missing values in the columns used \
         can be dropped instead)",
        place(.file, *.line, *.row)
    )]
    MissingValue {
        /// The file (or `<table>`).
        file: PathBuf,
        /// Line, 1-based (the header is line 1), when the table came from a file.
        line: Option<u64>,
        /// 0-based row of the table.
        row: usize,
        /// Name of the column.
        column: String,
    },
    /// A categorical column holds a level the encoding did not see when it was fitted.
    #[error(
        "{}, column `{column}`: level {value:?} was not seen when the model was fitted \
         (known levels: {})",
        place(.file, *.line, *.row),
        crate::names::name_list(.known, 20)
    )]
    UnseenLevel {
        /// The file (or `<table>`).
        file: PathBuf,
        /// Line, 1-based, when the table came from a file.
        line: Option<u64>,
        /// 0-based row of the table.
        row: usize,
        /// Name of the column.
        column: String,
        /// The unseen level.
        value: String,
        /// The levels of the encoding.
        known: Box<[String]>,
    },
    /// A value a formula cannot use: the logarithm of a non-positive number, text where a
    /// number is needed, a non-finite result.
    #[error("{}, column `{column}`: {value}: {reason}", place(.file, *.line, *.row))]
    BadValue {
        /// The file (or `<table>`).
        file: PathBuf,
        /// Line, 1-based, when the table came from a file.
        line: Option<u64>,
        /// 0-based row of the table.
        row: usize,
        /// Name of the column (or the formula term).
        column: String,
        /// The value, formatted.
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A formula does not parse, or uses something outside the supported subset.
    #[error(
        "formula error at character {position}: {reason}\n  {formula}\n  {caret:>width$}",
        caret = "^", width = .position
    )]
    Formula {
        /// The formula's text.
        formula: String,
        /// 1-based character position of the problem.
        position: usize,
        /// What is wrong.
        reason: String,
    },
    /// A formula or a design specification does not fit the table it is applied to.
    #[error("{reason}")]
    Design {
        /// What is wrong, naming the columns and terms.
        reason: String,
    },
    /// An Arrow batch or a Parquet file that cannot become a table.
    #[error("{}: {message}", .file.display())]
    Columnar {
        /// The file (or `<arrow>`).
        file: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// Memory for the data could not be reserved.
    #[error("{}: cannot allocate {bytes} bytes for the data", .file.display())]
    OutOfMemory {
        /// The file.
        file: PathBuf,
        /// Bytes requested.
        bytes: u64,
    },
}

/// Result type of `datasets`.
pub type Result<T> = std::result::Result<T, DatasetError>;

/// Where a row is: its file line, or its 0-based row for a table without lines.
fn place(file: &std::path::Path, line: Option<u64>, row: usize) -> String {
    match line {
        Some(l) => format!("{}, line {l}", file.display()),
        None => format!("{}, row {row} (0-based)", file.display()),
    }
}

fn line_suffix(line: Option<u64>) -> String {
    line.map_or_else(String::new, |l| format!(", line {l}"))
}

/// Formats a shape as numpy does: `(3,)`, `(2, 4)`, `()`.
pub(crate) fn shape_text(shape: &[usize]) -> String {
    match shape {
        [n] => format!("({n},)"),
        _ => {
            let parts: Vec<String> = shape.iter().map(ToString::to_string).collect();
            format!("({})", parts.join(", "))
        }
    }
}

/// An `InvalidParameter` error for `name` with the value formatted by `Display`.
pub(crate) fn invalid(
    name: &'static str,
    value: impl std::fmt::Display,
    expected: &'static str,
) -> DatasetError {
    DatasetError::InvalidParameter {
        name,
        value: value.to_string(),
        expected,
    }
}
