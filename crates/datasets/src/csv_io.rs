//! Reading and writing data sets as CSV with a header.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufWriter, Read, Write as _};
use std::path::Path;

use linalg_core::Mat;

use crate::Dataset;
use crate::dataset::NonFinite;
use crate::error::{DatasetError, Result};

/// How to read a CSV file: which column is the target, the delimiter and what to do with NaN
/// and infinite values.
///
/// # Examples
/// ```
/// use linmod_datasets::{CsvOptions, NonFinite};
/// let opts = CsvOptions::new("price").delimiter(b';').non_finite(NonFinite::DropRows);
/// ```
#[derive(Clone, Debug)]
pub struct CsvOptions {
    target: String,
    delimiter: u8,
    non_finite: NonFinite,
}

impl CsvOptions {
    /// Read the column named `target` (in the header) as the target, every other column as a
    /// feature; comma-delimited; non-finite values rejected.
    #[must_use]
    pub fn new(target: impl Into<String>) -> Self {
        Self {
            target: target.into(),
            delimiter: b',',
            non_finite: NonFinite::Reject,
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
}

/// Reads a CSV file with a header line: the column named in `options` is the target, the
/// others are the features, in file order.
///
/// Cells are trimmed and parsed as `f64`; empty lines are skipped. The file is parsed row by
/// row into a growing row-major buffer that is then copied into the column-major matrix, so
/// the peak memory is two to three times the size of the data (use `.npy` for data sets near
/// the memory size).
///
/// # Errors
/// Each names the file and, where it applies, the line (1-based, the header is line 1) and
/// column (1-based, with its name):
/// - [`DatasetError::Io`] if the file cannot be read;
/// - [`DatasetError::EmptyInput`] for a file without a header or without data rows (or whose
///   every row was dropped);
/// - [`DatasetError::MissingColumn`] / [`DatasetError::DuplicateColumn`] when the target name
///   is not in the header / is there twice;
/// - [`DatasetError::RaggedRow`] for a row with a different number of fields than the header;
/// - [`DatasetError::NonNumeric`] for a cell that is not a number (empty cells included);
/// - [`DatasetError::NonFiniteCell`] for NaN or infinity, unless [`NonFinite::DropRows`];
/// - [`DatasetError::Csv`] for malformed CSV (invalid UTF-8, ...).
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
    let path = path.as_ref();
    let file = File::open(path).map_err(|source| DatasetError::Io {
        file: path.to_path_buf(),
        source,
    })?;
    read_csv_from(file, path, options)
}

/// [`read_csv`] from any reader; `name` stands for the file in error messages.
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
    let table = read_table(reader, file, options.delimiter, true, options.non_finite)?;
    let mut positions = (0..table.ncols).filter(|&j| table.names[j] == options.target);
    let target = positions
        .next()
        .ok_or_else(|| DatasetError::MissingColumn {
            file: file.to_path_buf(),
            name: options.target.clone(),
            available: table.names.clone(),
        })?;
    if positions.next().is_some() {
        return Err(DatasetError::DuplicateColumn {
            file: file.to_path_buf(),
            name: options.target.clone(),
        });
    }
    let dropped = table.dropped;
    let mut description = format!(
        "read from {}: {} rows, {} features, target `{}`",
        file.display(),
        table.nrows,
        table.ncols - 1,
        options.target
    );
    if dropped > 0 {
        description.push_str(&format!("; {dropped} rows with non-finite values dropped"));
    }
    Ok(table.into_dataset(Some(target), description))
}

/// Reads a CSV file with a header line as features only (every column a feature, an empty
/// target): the input of predictions.
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
    let path = path.as_ref();
    let file = File::open(path).map_err(|source| DatasetError::Io {
        file: path.to_path_buf(),
        source,
    })?;
    read_csv_features_from(file, path, delimiter, non_finite)
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
    let path = name.as_ref();
    let table = read_table(reader, path, delimiter, true, non_finite)?;
    let description = format!(
        "features read from {}: {} rows, {} columns",
        path.display(),
        table.nrows,
        table.ncols
    );
    Ok(table.into_dataset(None, description))
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
    let io = |source| DatasetError::Io {
        file: path.to_path_buf(),
        source,
    };
    let file = File::create(path).map_err(io)?;
    let mut w = csv::Writer::from_writer(BufWriter::new(file));
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

/// A numeric table read from delimited text: row-major values with the column names.
pub(crate) struct Table {
    /// Column names: the header, or `column 1, column 2, ...` without one.
    pub names: Vec<String>,
    pub nrows: usize,
    pub ncols: usize,
    /// Row-major, `nrows * ncols`.
    pub values: Vec<f64>,
    /// Rows dropped for non-finite values.
    pub dropped: usize,
}

impl Table {
    /// The data set with column `target` as the target and the other columns as features
    /// (every column a feature and an empty target for `None`).
    pub fn into_dataset(self, target: Option<usize>, description: String) -> Dataset {
        let (n, c) = (self.nrows, self.ncols);
        let t = target.unwrap_or(c);
        let col = |j: usize| if j < t { j } else { j + 1 };
        let p = if target.is_some() { c - 1 } else { c };
        let x = Mat::from_fn(n, p, |i, j| self.values[i * c + col(j)]);
        let y = match target {
            Some(t) => (0..n).map(|i| self.values[i * c + t]).collect(),
            None => Vec::new(),
        };
        let feature_names = (0..p).map(|j| self.names[col(j)].clone()).collect();
        let target_name = target.map_or_else(|| "y".into(), |t| self.names[t].clone());
        Dataset {
            x,
            y,
            feature_names,
            target_name,
            target_names: Vec::new(),
            description,
        }
    }
}

fn csv_error(file: &Path, source: csv::Error) -> DatasetError {
    if source.is_io_error() {
        let text = source.to_string();
        let source = match source.into_kind() {
            csv::ErrorKind::Io(e) => e,
            _ => std::io::Error::other(text),
        };
        return DatasetError::Io {
            file: file.to_path_buf(),
            source,
        };
    }
    DatasetError::Csv {
        file: file.to_path_buf(),
        line: source.position().map(csv::Position::line),
        source,
    }
}

/// Reads delimited numeric text. Without a header, the first row fixes the number of columns.
pub(crate) fn read_table<R: Read>(
    reader: R,
    file: &Path,
    delimiter: u8,
    header: bool,
    non_finite: NonFinite,
) -> Result<Table> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(header)
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(reader);
    let empty = |reason| DatasetError::EmptyInput {
        file: file.to_path_buf(),
        reason,
    };
    let mut names: Vec<String> = if header {
        let h = rdr.headers().map_err(|e| csv_error(file, e))?;
        if h.is_empty() {
            return Err(empty("no header line"));
        }
        h.iter().map(str::to_owned).collect()
    } else {
        Vec::new()
    };
    let mut values = Vec::new();
    let (mut nrows, mut dropped) = (0, 0);
    let mut record = csv::ByteRecord::new();
    let mut row = Vec::new();
    while rdr
        .read_byte_record(&mut record)
        .map_err(|e| csv_error(file, e))?
    {
        let line = record.position().map_or(0, csv::Position::line);
        if names.is_empty() {
            names = (1..=record.len()).map(|j| format!("column {j}")).collect();
        }
        if record.len() != names.len() {
            return Err(DatasetError::RaggedRow {
                file: file.to_path_buf(),
                line,
                expected: names.len(),
                found: record.len(),
            });
        }
        row.clear();
        let mut finite = true;
        for (j, field) in record.iter().enumerate() {
            let text = String::from_utf8_lossy(field);
            let at = CellAt {
                file,
                line,
                column: j + 1,
                name: &names[j],
                value: &text,
            };
            let v: f64 = text.parse().map_err(|_| at.non_numeric())?;
            if !v.is_finite() {
                if non_finite == NonFinite::Reject {
                    return Err(at.non_finite());
                }
                finite = false;
            }
            row.push(v);
        }
        if finite {
            values.extend_from_slice(&row);
            nrows += 1;
        } else {
            dropped += 1;
        }
    }
    if nrows == 0 {
        return Err(empty(if dropped > 0 {
            "every row holds a non-finite value and was dropped"
        } else if header {
            "no data rows after the header"
        } else {
            "no data rows"
        }));
    }
    Ok(Table {
        ncols: names.len(),
        names,
        nrows,
        values,
        dropped,
    })
}

/// Where a bad cell is, for its error.
struct CellAt<'a> {
    file: &'a Path,
    line: u64,
    column: usize,
    name: &'a str,
    value: &'a str,
}

impl CellAt<'_> {
    fn non_numeric(&self) -> DatasetError {
        DatasetError::NonNumeric {
            file: self.file.to_path_buf(),
            line: self.line,
            column: self.column,
            name: self.name.to_owned(),
            value: self.value.to_owned(),
        }
    }

    fn non_finite(&self) -> DatasetError {
        DatasetError::NonFiniteCell {
            file: self.file.to_path_buf(),
            line: self.line,
            column: self.column,
            name: self.name.to_owned(),
            value: self.value.to_owned(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // values must come back bit for bit
mod tests {
    use std::path::PathBuf;

    use linalg_core::mat;
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
            format!("{file}: no column named `y` in the header (columns: a, b)")
        );
        let (file, err) = error("y,a,y\n1,2,3\n");
        assert_eq!(
            err.to_string(),
            format!("{file}: the header names column `y` more than once")
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
                 (use NonFinite::DropRows to skip such rows)"
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
        assert!(matches!(err, DatasetError::Csv { .. }), "{err}");
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
