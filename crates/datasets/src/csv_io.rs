//! Reading and writing data sets as CSV with a header.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufWriter, Read};
use std::path::Path;

use crate::Dataset;
use crate::csv_parse::{
    MAX_LINE_BYTES, Parsed, SourceLines, Spec, TargetColumn, csv_error, read_any, read_seekable,
};
use crate::dataset::NonFinite;
use crate::error::{DatasetError, Result};

/// How to read a CSV file: which column is the target, the delimiter, what to do with NaN
/// and infinite values, and the longest line accepted.
///
/// # Examples
/// ```
/// use linmod_datasets::{CsvOptions, NonFinite};
/// let opts = CsvOptions::new("price").delimiter(b';').non_finite(NonFinite::DropRows);
/// let features = CsvOptions::features().max_line_bytes(1 << 20);
/// ```
#[derive(Clone, Debug)]
pub struct CsvOptions {
    target: Option<String>,
    delimiter: u8,
    non_finite: NonFinite,
    max_line_bytes: usize,
}

impl CsvOptions {
    /// Read the column named `target` (in the header) as the target, every other column as a
    /// feature; comma-delimited; non-finite values rejected; lines up to
    /// [`MAX_LINE_BYTES`].
    #[must_use]
    pub fn new(target: impl Into<String>) -> Self {
        Self {
            target: Some(target.into()),
            ..Self::features()
        }
    }

    /// Every column a feature and no target (the input of predictions); otherwise as
    /// [`new`](Self::new).
    #[must_use]
    pub fn features() -> Self {
        Self {
            target: None,
            delimiter: b',',
            non_finite: NonFinite::Reject,
            max_line_bytes: MAX_LINE_BYTES,
        }
    }

    /// The field delimiter (default `b','`).
    #[must_use]
    pub fn delimiter(mut self, delimiter: u8) -> Self {
        self.delimiter = delimiter;
        self
    }

    /// What to do with NaN and infinite values (default [`NonFinite::Reject`]).
    #[must_use]
    pub fn non_finite(mut self, policy: NonFinite) -> Self {
        self.non_finite = policy;
        self
    }

    /// The longest line accepted, in bytes (default [`MAX_LINE_BYTES`], 16 MiB).
    #[must_use]
    pub fn max_line_bytes(mut self, bytes: usize) -> Self {
        self.max_line_bytes = bytes;
        self
    }

    fn spec(&self) -> Spec<'_> {
        Spec {
            delimiter: self.delimiter,
            header: true,
            non_finite: self.non_finite,
            target: self
                .target
                .as_deref()
                .map_or(TargetColumn::None, TargetColumn::Named),
            max_line_bytes: self.max_line_bytes,
        }
    }
}

/// Reads a CSV file with a header line: the column named in `options` is the target, the
/// others are the features, in file order (with [`CsvOptions::features`], every column is a
/// feature and the target is empty).
///
/// Cells are trimmed and parsed as `f64`; blank lines are skipped; lines end at `\n` (a `\r`
/// before it is trimmed). The file is read twice: once to check the header and count the
/// rows, once to parse the cells straight into the column-major matrix, reserved at its exact
/// size; the peak memory is the data (8 bytes a cell) plus one block of 65 536 cells. A source
/// that is not a regular file (a pipe) is first copied into memory.
///
/// # Errors
/// Each names the file and, where it applies, the line (1-based, the header is line 1) and
/// column (1-based, with its name):
/// - [`DatasetError::Io`] if the file cannot be read;
/// - [`DatasetError::EmptyInput`] for a file without a header or without data rows (or whose
///   every row was dropped);
/// - [`DatasetError::BadHeader`] for a first line of numbers only (no header) or a name that
///   is not UTF-8; [`DatasetError::DuplicateColumn`] for a name used twice (with both
///   positions);
/// - [`DatasetError::MissingColumn`] when the target name is not in the header (with close
///   matches);
/// - [`DatasetError::LineTooLong`] for a line longer than the limit;
/// - [`DatasetError::RaggedRow`] for a row with a different number of fields than the header;
/// - [`DatasetError::NonNumeric`] for a cell that is not a number (empty cells included);
/// - [`DatasetError::NonFiniteCell`] for NaN or infinity, unless [`NonFinite::DropRows`];
/// - [`DatasetError::OutOfMemory`] when the matrix cannot be allocated;
/// - [`DatasetError::Csv`] for malformed CSV.
///
/// # Examples
/// ```
/// use linmod_datasets::{CsvOptions, read_csv, write_csv};
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("iris.csv");
/// write_csv(&path, &linmod_datasets::iris())?;
/// let back = read_csv(&path, &CsvOptions::new("target"))?;
/// assert_eq!(back.x, linmod_datasets::iris().x);
/// assert_eq!(back.feature_names[0], "sepal length (cm)");
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
pub fn read_csv(path: impl AsRef<Path>, options: &CsvOptions) -> Result<Dataset> {
    read_csv_with_lines(path, options).map(|(d, _)| d)
}

/// [`read_csv`], also returning the 1-based line of every data row, so that an error about
/// a row (an invalid label, say) can name its line in the file.
///
/// # Errors
/// As [`read_csv`].
///
/// # Examples
/// See [`SourceLines`].
pub fn read_csv_with_lines(
    path: impl AsRef<Path>,
    options: &CsvOptions,
) -> Result<(Dataset, SourceLines)> {
    let path = path.as_ref();
    let io = |source| DatasetError::Io {
        file: path.to_path_buf(),
        source,
    };
    let file = File::open(path).map_err(io)?;
    let regular = file.metadata().map_err(io)?.is_file();
    let spec = options.spec();
    let parsed = if regular {
        read_seekable(file, &spec, path)?
    } else {
        read_any(file, &spec, path)?
    };
    Ok(finish(parsed, path, options))
}

/// [`read_csv`] from any reader; `name` stands for the file in error messages. The text is
/// first copied into memory (the parser reads it twice).
///
/// # Errors
/// As [`read_csv`].
///
/// # Examples
/// ```
/// use linmod_datasets::{CsvOptions, read_csv_from};
/// let text = "a,y,b\n1,0,2\n3,1,4\n";
/// let d = read_csv_from(text.as_bytes(), "inline", &CsvOptions::new("y"))?;
/// assert_eq!(d.feature_names, vec!["a", "b"]);
/// assert_eq!(d.y, vec![0.0, 1.0]);
/// assert_eq!(d.x[(1, 1)], 4.0);
///
/// let err = read_csv_from("a,y\n1,x\n".as_bytes(), "inline", &CsvOptions::new("y"));
/// assert_eq!(
///     err.unwrap_err().to_string(),
///     "inline, line 2, column 2 (`y`): \"x\" is not a number"
/// );
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
pub fn read_csv_from<R: Read>(
    reader: R,
    name: impl AsRef<Path>,
    options: &CsvOptions,
) -> Result<Dataset> {
    let file = name.as_ref();
    let parsed = read_any(reader, &options.spec(), file)?;
    Ok(finish(parsed, file, options).0)
}

/// The data set and its lines, with a description of where it came from.
fn finish(parsed: Parsed, file: &Path, options: &CsvOptions) -> (Dataset, SourceLines) {
    let (n, p) = (parsed.x.nrows(), parsed.x.ncols());
    let mut description = match &parsed.target_name {
        Some(t) => format!(
            "read from {}: {n} rows, {p} features, target `{t}`",
            file.display()
        ),
        None => format!(
            "features read from {}: {n} rows, {p} columns",
            file.display()
        ),
    };
    if parsed.dropped > 0 {
        description.push_str(&format!(
            "; {} rows with non-finite values dropped",
            parsed.dropped
        ));
    }
    debug_assert_eq!(parsed.target_name.is_some(), options.target.is_some());
    let data = Dataset {
        x: parsed.x,
        y: parsed.y,
        feature_names: parsed.feature_names,
        target_name: parsed.target_name.unwrap_or_else(|| "y".into()),
        target_names: Vec::new(),
        description,
    };
    (data, parsed.lines)
}

/// Reads a CSV file with a header line as features only (every column a feature, an empty
/// target): the input of predictions. The same as [`read_csv`] with
/// [`CsvOptions::features`].
///
/// # Errors
/// As [`read_csv`], without the target-column errors.
///
/// # Examples
/// ```
/// use linmod_datasets::{NonFinite, read_csv_features};
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("x.csv");
/// std::fs::write(&path, "a,b\n1,2\n3,4\n").unwrap();
/// let d = read_csv_features(&path, b',', NonFinite::Reject)?;
/// assert_eq!(d.feature_names, vec!["a", "b"]);
/// assert_eq!((d.n_samples(), d.y.len()), (2, 0));
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
pub fn read_csv_features(
    path: impl AsRef<Path>,
    delimiter: u8,
    non_finite: NonFinite,
) -> Result<Dataset> {
    let options = CsvOptions::features()
        .delimiter(delimiter)
        .non_finite(non_finite);
    read_csv(path, &options)
}

/// [`read_csv_features`] from any reader; `name` stands for the file in error messages.
///
/// # Errors
/// As [`read_csv_features`].
///
/// # Examples
/// ```
/// use linmod_datasets::{NonFinite, read_csv_features_from};
/// let d = read_csv_features_from("a;b\n1;2\n".as_bytes(), "inline", b';', NonFinite::Reject)?;
/// assert_eq!(d.feature_names, vec!["a", "b"]);
/// let err = read_csv_features_from("a,b\n1\n".as_bytes(), "inline", b',', NonFinite::Reject);
/// assert!(err.unwrap_err().to_string().starts_with("inline, line 2"));
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
pub fn read_csv_features_from<R: Read>(
    reader: R,
    name: impl AsRef<Path>,
    delimiter: u8,
    non_finite: NonFinite,
) -> Result<Dataset> {
    let options = CsvOptions::features()
        .delimiter(delimiter)
        .non_finite(non_finite);
    read_csv_from(reader, name, &options)
}

/// Parses an embedded header-less table (every column a feature, or the last the target).
pub(crate) fn read_embedded(
    text: &'static str,
    file: &Path,
    delimiter: u8,
    header: bool,
    last_is_target: bool,
) -> Result<Dataset> {
    let spec = Spec {
        delimiter,
        header,
        non_finite: NonFinite::Reject,
        target: if last_is_target {
            TargetColumn::Last
        } else {
            TargetColumn::None
        },
        max_line_bytes: MAX_LINE_BYTES,
    };
    let parsed = read_seekable(std::io::Cursor::new(text.as_bytes()), &spec, file)?;
    Ok(Dataset {
        x: parsed.x,
        y: parsed.y,
        feature_names: parsed.feature_names,
        target_name: parsed.target_name.unwrap_or_else(|| "y".into()),
        target_names: Vec::new(),
        description: String::new(),
    })
}

/// Writes a data set as CSV: a header with the feature names and the target name, then one
/// line per sample with the target last.
///
/// Numbers are written in Rust's shortest round-trip notation (`0.1`, `1e-300`), so reading
/// the file back gives the same bits; NaN and infinities are written as `NaN`, `inf`, `-inf`.
///
/// # Errors
/// [`DatasetError::Io`] naming the file; [`DatasetError::ShapeMismatch`] if the data set is
/// inconsistent.
///
/// # Examples
/// ```
/// use linmod_datasets::{CsvOptions, read_csv, write_csv};
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("chd.csv");
/// write_csv(&path, &linmod_datasets::chd_age())?;
/// let text = std::fs::read_to_string(&path).unwrap();
/// assert!(text.starts_with("age,y\n22.0,0.0\n"));
/// assert_eq!(read_csv(&path, &CsvOptions::new("y"))?.y, linmod_datasets::chd_age().y);
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
pub fn write_csv(path: impl AsRef<Path>, data: &Dataset) -> Result<()> {
    let path = path.as_ref();
    data.check()?;
    let file = File::create(path).map_err(|source| DatasetError::Io {
        file: path.to_path_buf(),
        source,
    })?;
    write_csv_to(BufWriter::new(file), data, path)
}

/// [`write_csv`] to any writer (flushed at the end); `name` stands for the file in error
/// messages.
///
/// # Errors
/// As [`write_csv`].
///
/// # Examples
/// ```
/// let mut text = Vec::new();
/// linmod_datasets::write_csv_to(&mut text, &linmod_datasets::chd_age(), "chd.csv")?;
/// assert!(text.starts_with(b"age,y\n22.0,0.0\n"));
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
pub fn write_csv_to<W: std::io::Write>(
    writer: W,
    data: &Dataset,
    name: impl AsRef<Path>,
) -> Result<()> {
    let path = name.as_ref();
    data.check()?;
    let io = |source| DatasetError::Io {
        file: path.to_path_buf(),
        source,
    };
    let mut w = csv::Writer::from_writer(writer);
    let csv_err = |source: csv::Error| csv_error(path, source);
    let header = data
        .feature_names
        .iter()
        .chain(std::iter::once(&data.target_name));
    w.write_record(header).map_err(csv_err)?;
    let mut cell = String::new();
    for i in 0..data.n_samples() {
        let values = (0..data.n_features())
            .map(|j| data.x[(i, j)])
            .chain(std::iter::once(data.y[i]));
        for v in values {
            cell.clear();
            // `Debug` is the shortest representation that parses back to the same bits,
            // switching to exponent notation for very large and small magnitudes. Writing
            // to a `String` cannot fail.
            let _ = write!(cell, "{v:?}");
            w.write_field(&cell).map_err(csv_err)?;
        }
        w.write_record(None::<&[u8]>).map_err(csv_err)?;
    }
    let mut inner = w.into_inner().map_err(|e| io(e.into_error()))?;
    inner.flush().map_err(io)
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // values must come back bit for bit
mod tests {
    use std::path::PathBuf;

    use linalg_core::{Mat, mat};
    use proptest::prelude::*;

    use super::*;
    use crate::test_util::finite;

    /// Writes `text` to a file in `dir` and reads it with target `y`.
    fn load(dir: &Path, text: &str, options: &CsvOptions) -> (PathBuf, Result<Dataset>) {
        let path = dir.join("data.csv");
        std::fs::write(&path, text).unwrap();
        let result = read_csv(&path, options);
        (path, result)
    }

    fn error(text: &str) -> (String, DatasetError) {
        let dir = tempfile::tempdir().unwrap();
        let (path, result) = load(dir.path(), text, &CsvOptions::new("y"));
        let err = result.unwrap_err();
        (path.display().to_string(), err)
    }

    #[test]
    fn reads_target_by_name_with_quotes_spaces_and_blank_lines() {
        let text = "\"a, first\", y ,b\n 1.5 ,0, -2e3\n\n\"3\",1,+4\n";
        let dir = tempfile::tempdir().unwrap();
        let (_, d) = load(dir.path(), text, &CsvOptions::new("y"));
        let d = d.unwrap();
        assert_eq!(d.feature_names, vec!["a, first", "b"]);
        assert_eq!(d.x, mat![[1.5, -2000.0], [3.0, 4.0]]);
        assert_eq!(d.y, vec![0.0, 1.0]);
        assert_eq!(d.target_name, "y");
        let semi = read_csv_from(
            "y;x\n1;2\n".as_bytes(),
            "semi",
            &CsvOptions::new("y").delimiter(b';'),
        )
        .unwrap();
        assert_eq!(semi.x[(0, 0)], 2.0);
    }

    #[test]
    fn ragged_rows_name_file_line_and_counts() {
        let (file, err) = error("a,y\n1,2\n3,4,5\n");
        assert!(matches!(
            err,
            DatasetError::RaggedRow {
                line: 3,
                expected: 2,
                found: 3,
                ..
            }
        ));
        assert_eq!(
            err.to_string(),
            format!("{file}, line 3: expected 2 fields (as in the header), found 3")
        );
        let (_, err) = error("a,y\n1\n");
        assert!(
            err.to_string()
                .ends_with("line 2: expected 2 fields (as in the header), found 1")
        );
    }

    #[test]
    fn non_numeric_cells_name_line_column_and_value() {
        let (file, err) = error("a,b,y\n1,2,3\n4,abc,6\n");
        assert_eq!(
            err.to_string(),
            format!("{file}, line 3, column 2 (`b`): \"abc\" is not a number")
        );
        let (_, err) = error("a,y\n1,\n");
        assert!(
            err.to_string()
                .ends_with("line 2, column 2 (`y`): \"\" is not a number")
        );
        assert!(matches!(
            err,
            DatasetError::NonNumeric {
                line: 2,
                column: 2,
                ..
            }
        ));
    }

    #[test]
    fn empty_input_is_an_error() {
        let (file, err) = error("");
        assert_eq!(
            err.to_string(),
            format!("{file}: empty input: no header line")
        );
        let (file, err) = error("a,y\n");
        assert_eq!(
            err.to_string(),
            format!("{file}: empty input: no data rows after the header")
        );
    }

    #[test]
    fn missing_and_duplicate_target_columns_are_errors() {
        let (file, err) = error("a,b\n1,2\n");
        assert_eq!(
            err.to_string(),
            format!("{file}: no column named `y`; the columns are a, b")
        );
        let (file, err) = error("y,a,y\n1,2,3\n");
        assert_eq!(
            err.to_string(),
            format!(
                "{file}, line 1: the header names column `y` twice (columns 1 and 3); \
                 column names must be unique"
            )
        );
    }

    #[test]
    fn non_finite_values_are_rejected_or_their_rows_dropped() {
        let text = "a,y\n1,0\nNaN,1\n2,inf\n3,1\n";
        let (file, err) = error(text);
        assert_eq!(
            err.to_string(),
            format!(
                "{file}, line 3, column 1 (`a`): non-finite value \"NaN\" \
                 (NaN and infinities are refused unless rows holding them are dropped)"
            )
        );
        let dir = tempfile::tempdir().unwrap();
        let opts = CsvOptions::new("y").non_finite(NonFinite::DropRows);
        let (_, d) = load(dir.path(), text, &opts);
        let d = d.unwrap();
        assert_eq!(d.x, mat![[1.0], [3.0]]);
        assert_eq!(d.y, vec![0.0, 1.0]);
        assert!(
            d.description
                .contains("2 rows with non-finite values dropped")
        );
        let (_, all) = load(dir.path(), "a,y\n-inf,1\n", &opts);
        assert_eq!(
            all.unwrap_err().to_string(),
            format!(
                "{}: empty input: every row holds a non-finite value and was dropped",
                dir.path().join("data.csv").display()
            )
        );
        // Non-numeric text is an error even when non-finite rows are dropped.
        let (_, bad) = load(dir.path(), "a,y\nx,1\n", &opts);
        assert!(matches!(bad.unwrap_err(), DatasetError::NonNumeric { .. }));
    }

    #[test]
    fn unreadable_files_and_bad_csv_are_errors() {
        let err = read_csv("/nonexistent/dir/data.csv", &CsvOptions::new("y")).unwrap_err();
        assert!(matches!(err, DatasetError::Io { .. }));
        assert!(err.to_string().starts_with("/nonexistent/dir/data.csv: "));
        let err = read_csv_from(&b"a,y\n\xff,1\n"[..], "bytes", &CsvOptions::new("y"));
        assert!(
            err.unwrap_err()
                .to_string()
                .starts_with("bytes, line 2, column 1 (`a`)")
        );
        let err = read_csv_from(&b"\xff,y\n1,1\n"[..], "bytes", &CsvOptions::new("y"));
        let err = err.unwrap_err();
        assert!(
            matches!(err, DatasetError::BadHeader { line: 1, .. }),
            "{err}"
        );
        assert!(err.to_string().starts_with("bytes"), "{err}");
    }

    proptest! {
        #![proptest_config(crate::test_util::cases(64))]

        #[test]
        fn write_then_read_gives_identical_bits(
            (n, p, values) in (1usize..20, 1usize..5)
                .prop_flat_map(|(n, p)| (Just(n), Just(p), proptest::collection::vec(finite(), n * (p + 1)))),
        ) {
            let x = Mat::from_fn(n, p, |i, j| values[i * (p + 1) + j]);
            let y = (0..n).map(|i| values[i * (p + 1) + p]).collect();
            let names = (0..p).map(|j| format!("f,{j}")).collect();
            let d = Dataset::new(x, y, names, String::new()).unwrap().with_target_name("t");
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("d.csv");
            write_csv(&path, &d).unwrap();
            let back = read_csv(&path, &CsvOptions::new("t")).unwrap();
            prop_assert_eq!(&back.feature_names, &d.feature_names);
            let same_x = (0..n).all(|i| (0..p).all(|j| back.x[(i, j)].to_bits() == d.x[(i, j)].to_bits()));
            prop_assert!(same_x);
            prop_assert!(back.y.iter().zip(&d.y).all(|(a, b)| a.to_bits() == b.to_bits()));
        }
    }

    #[test]
    fn writing_an_inconsistent_data_set_is_an_error() {
        let mut d = crate::chd_age();
        d.feature_names.clear();
        let dir = tempfile::tempdir().unwrap();
        let err = write_csv(dir.path().join("x.csv"), &d).unwrap_err();
        assert!(matches!(err, DatasetError::ShapeMismatch { .. }));
        let err = write_csv("/nonexistent/dir/x.csv", &crate::chd_age()).unwrap_err();
        assert!(err.to_string().starts_with("/nonexistent/dir/x.csv: "));
    }
}
