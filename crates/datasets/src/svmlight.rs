//! svmlight / LIBSVM text files: `<label> [qid:<q>] <index>:<value> ... [# comment]`, one
//! row per line, read in one streaming pass into the arrays of a [`CsrMatrix`].

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use linalg_core::{CsrMatrix, Design};

use crate::error::{DatasetError, Result};

/// The longest line accepted (a row of a million stored entries fits).
pub const MAX_SVMLIGHT_LINE_BYTES: usize = 64 << 20;

/// How [`read_svmlight`] reads a file.
///
/// # Examples
/// ```
/// use linmod_datasets::SvmlightOptions;
/// let opts = SvmlightOptions::default().n_features(1000);
/// assert_eq!(opts.features(), Some(1000));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SvmlightOptions {
    n_features: Option<usize>,
}

impl SvmlightOptions {
    /// Fixes the number of features `p` (the training width, so that a test file whose
    /// highest feature is lower predicts): an index at or beyond `p` is an error. Without it
    /// `p` is the highest index read plus one.
    #[must_use]
    pub fn n_features(mut self, p: usize) -> Self {
        self.n_features = Some(p);
        self
    }

    /// The fixed number of features, if any.
    #[must_use]
    pub fn features(&self) -> Option<usize> {
        self.n_features
    }
}

/// A sparse design with its targets, as read from an svmlight / LIBSVM file.
#[derive(Clone, Debug, PartialEq)]
pub struct SparseDataset {
    /// The features, `n x p`.
    pub x: CsrMatrix,
    /// The label of every row, as written in the file.
    pub y: Vec<f64>,
    /// Whether the file's indices were read as 0-based (it uses index 0) rather than 1-based.
    pub zero_based: bool,
}

impl SparseDataset {
    /// Number of rows.
    #[must_use]
    pub fn n_samples(&self) -> usize {
        self.x.nrows()
    }

    /// Number of features.
    #[must_use]
    pub fn n_features(&self) -> usize {
        self.x.ncols()
    }
}

/// Reads an svmlight / LIBSVM file.
///
/// Each line is a label (a number), optionally `qid:<q>` (ignored), then `index:value` pairs
/// with strictly increasing indices, optionally followed by a `#` comment. Blank lines and
/// comment lines are skipped; a line with a label and no pairs is a row of zeros. Indices are
/// 1-based as LIBSVM writes them, unless the file uses index 0: then the whole file is read
/// as 0-based (scikit-learn's `load_svmlight_file` rule). The file is read once, straight into
/// the CSR arrays (memory about the size of those arrays, reserved fallibly).
///
/// # Errors
/// [`DatasetError::Io`] when the file cannot be read, [`DatasetError::EmptyInput`] when it
/// holds no rows, [`DatasetError::Svmlight`] with the file, the 1-based line and column and
/// the reason for a malformed label or pair, a negative or non-integer index, indices that
/// are not increasing, a non-finite value, an index at or beyond
/// [`SvmlightOptions::n_features`], or a line longer than [`MAX_SVMLIGHT_LINE_BYTES`];
/// [`DatasetError::OutOfMemory`] when the arrays cannot be allocated.
///
/// # Examples
/// ```
/// use linmod_datasets::{SvmlightOptions, read_svmlight_from};
/// let text = "+1 1:0.5 3:2\n-1 qid:7 2:1.5 # a comment\n";
/// let d = read_svmlight_from(text.as_bytes(), "a.svm".as_ref(), &SvmlightOptions::default())?;
/// assert_eq!(d.y, [1.0, -1.0]);
/// assert_eq!((d.n_samples(), d.n_features()), (2, 3));
/// assert_eq!(d.x.row(0), (&[0, 2][..], &[0.5, 2.0][..]));
/// let bad = read_svmlight_from("1 3:1 2:1\n".as_bytes(), "b.svm".as_ref(), &SvmlightOptions::default());
/// assert_eq!(
///     bad.unwrap_err().to_string(),
///     "b.svm, line 1, column 7: feature index 2 is not above the previous index 3 \
///      (indices must increase within a line)"
/// );
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
pub fn read_svmlight(path: impl AsRef<Path>, opts: &SvmlightOptions) -> Result<SparseDataset> {
    let path = path.as_ref();
    let file = File::open(path).map_err(|source| DatasetError::Io {
        file: path.to_path_buf(),
        source,
    })?;
    read_svmlight_from(BufReader::with_capacity(1 << 20, file), path, opts)
}

/// [`read_svmlight`] on any buffered reader; `name` is the file named in errors.
///
/// # Errors
/// As [`read_svmlight`].
pub fn read_svmlight_from<R: BufRead>(
    mut reader: R,
    name: &Path,
    opts: &SvmlightOptions,
) -> Result<SparseDataset> {
    let mut parser = Parser::new(name);
    let mut line = Vec::new();
    loop {
        line.clear();
        let read = <&mut R as Read>::take(&mut reader, MAX_SVMLIGHT_LINE_BYTES as u64 + 1)
            .read_until(b'\n', &mut line)
            .map_err(|source| DatasetError::Io {
                file: name.to_path_buf(),
                source,
            })?;
        if read == 0 {
            break;
        }
        parser.line += 1;
        if line.len() > MAX_SVMLIGHT_LINE_BYTES {
            return Err(parser.error(
                1,
                format!("the line is longer than {MAX_SVMLIGHT_LINE_BYTES} bytes"),
            ));
        }
        parser.parse_line(&line)?;
    }
    parser.finish(opts)
}

/// The state of a streaming parse: the CSR arrays with raw (file) indices, and where the
/// largest index was seen.
struct Parser {
    file: PathBuf,
    line: u64,
    indptr: Vec<usize>,
    indices: Vec<u64>,
    values: Vec<f64>,
    y: Vec<f64>,
    saw_zero: bool,
    /// The largest raw index and its line and column.
    max_index: Option<(u64, u64, usize)>,
}

/// Raw indices beyond this cannot be stored as 32-bit column indices.
const MAX_RAW_INDEX: u64 = u32::MAX as u64;

impl Parser {
    fn new(file: &Path) -> Self {
        Self {
            file: file.to_path_buf(),
            line: 0,
            indptr: vec![0],
            indices: Vec::new(),
            values: Vec::new(),
            y: Vec::new(),
            saw_zero: false,
            max_index: None,
        }
    }

    fn error(&self, column: usize, reason: String) -> DatasetError {
        DatasetError::Svmlight {
            file: self.file.clone(),
            line: self.line,
            column,
            reason,
        }
    }

    fn out_of_memory(&self, entries: usize) -> DatasetError {
        DatasetError::OutOfMemory {
            file: self.file.clone(),
            bytes: (entries as u64).saturating_mul(16),
        }
    }

    /// Parses one line (with its newline, if any) into the arrays.
    fn parse_line(&mut self, raw: &[u8]) -> Result<()> {
        let content = match memchr::memchr(b'#', raw) {
            Some(k) => &raw[..k],
            None => raw,
        };
        let mut tokens = Tokens::new(content);
        let Some((col, label)) = tokens.next() else {
            return Ok(()); // blank or comment line
        };
        let text = token_text(label);
        let y = match text.parse::<f64>() {
            Ok(v) if v.is_finite() => v,
            Ok(_) => return Err(self.error(col, format!("the label {text:?} is not finite"))),
            Err(_) if text.contains(',') => {
                return Err(self.error(col, format!(
                    "the label {text:?} is a list of labels (multi-label files are not supported)"
                )));
            }
            Err(_) => return Err(self.error(col, format!("the label {text:?} is not a number"))),
        };
        let mut previous: Option<u64> = None;
        for (col, token) in tokens {
            let Some(colon) = memchr::memchr(b':', token) else {
                return Err(self.error(
                    col,
                    format!("expected index:value, found {:?}", token_text(token)),
                ));
            };
            let (key, value) = (&token[..colon], &token[colon + 1..]);
            if key == b"qid" {
                continue;
            }
            let index = self.parse_index(col, key)?;
            if let Some(prev) = previous
                && index <= prev
            {
                let reason = if index == prev {
                    format!("feature index {index} appears twice")
                } else {
                    format!(
                        "feature index {index} is not above the previous index {prev} \
                         (indices must increase within a line)"
                    )
                };
                return Err(self.error(col, reason));
            }
            previous = Some(index);
            let value_col = col + colon + 1;
            let text = token_text(value);
            let v = match text.parse::<f64>() {
                Ok(v) if v.is_finite() => v,
                Ok(_) => {
                    return Err(self.error(
                        value_col,
                        format!("non-finite value {text:?} for feature index {index}"),
                    ));
                }
                Err(_) => {
                    return Err(self.error(
                        value_col,
                        format!("the value {text:?} of feature index {index} is not a number"),
                    ));
                }
            };
            if index == 0 {
                self.saw_zero = true;
            }
            if self.max_index.is_none_or(|(m, _, _)| index > m) {
                self.max_index = Some((index, self.line, col));
            }
            if self.values.len() == self.values.capacity() {
                let extra = self.values.len().max(1024);
                self.values
                    .try_reserve(extra)
                    .and_then(|()| self.indices.try_reserve(extra))
                    .map_err(|_| self.out_of_memory(self.values.len() + extra))?;
            }
            self.indices.push(index);
            self.values.push(v);
        }
        self.indptr
            .try_reserve(1)
            .and_then(|()| self.y.try_reserve(1))
            .map_err(|_| self.out_of_memory(self.y.len()))?;
        self.indptr.push(self.values.len());
        self.y.push(y);
        Ok(())
    }

    fn parse_index(&self, col: usize, key: &[u8]) -> Result<u64> {
        let text = token_text(key);
        if key.is_empty() || !key.iter().all(u8::is_ascii_digit) {
            let what = if text.starts_with('-') {
                "is negative"
            } else {
                "is not a non-negative integer"
            };
            return Err(self.error(col, format!("feature index {text:?} {what}")));
        }
        match text.parse::<u64>() {
            Ok(v) if v <= MAX_RAW_INDEX => Ok(v),
            _ => Err(self.error(
                col,
                format!(
                    "feature index {text} is beyond the largest supported index {MAX_RAW_INDEX}"
                ),
            )),
        }
    }

    /// Decides the index base, checks the width and builds the matrix.
    fn finish(self, opts: &SvmlightOptions) -> Result<SparseDataset> {
        if self.y.is_empty() {
            return Err(DatasetError::EmptyInput {
                file: self.file,
                reason: "no rows (only blank or comment lines)",
            });
        }
        let base = u64::from(!self.saw_zero);
        let needed = self
            .max_index
            .map_or(0, |(m, _, _)| (m - base + 1) as usize);
        let p = match (opts.n_features, self.max_index) {
            (Some(p), Some((m, line, column))) if needed > p => {
                return Err(DatasetError::Svmlight {
                    file: self.file,
                    line,
                    column,
                    reason: format!(
                        "feature index {m} is beyond the {p} features fixed by --n-features \
                         (the file's indices are {}-based)",
                        base
                    ),
                });
            }
            (Some(p), _) => p,
            (None, _) => needed,
        };
        // indices were checked to be at most u32::MAX, and at least `base`
        let indices: Vec<u32> = self.indices.iter().map(|&j| (j - base) as u32).collect();
        let n = self.y.len();
        let x = CsrMatrix::new(n, p, self.indptr, indices, self.values).map_err(|source| {
            DatasetError::InvalidSparse {
                file: self.file.clone(),
                source,
            }
        })?;
        Ok(SparseDataset {
            x,
            y: self.y,
            zero_based: self.saw_zero,
        })
    }
}

/// Whitespace-separated tokens of a line with their 1-based byte columns.
struct Tokens<'a> {
    line: &'a [u8],
    pos: usize,
}

impl<'a> Tokens<'a> {
    fn new(line: &'a [u8]) -> Self {
        Self { line, pos: 0 }
    }
}

impl<'a> Iterator for Tokens<'a> {
    type Item = (usize, &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let rest = &self.line[self.pos..];
        let start = self.pos + rest.iter().position(|b| !b.is_ascii_whitespace())?;
        let len = self.line[start..]
            .iter()
            .position(u8::is_ascii_whitespace)
            .unwrap_or(self.line.len() - start);
        self.pos = start + len;
        Some((start + 1, &self.line[start..start + len]))
    }
}

/// A token as text for parsing and messages (invalid UTF-8 replaced, which no number has).
fn token_text(token: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(token)
}

/// Writes `x` and `y` as an svmlight file with 1-based indices (LIBSVM's convention), values
/// in the shortest form that reads back exactly.
///
/// # Errors
/// [`DatasetError::ShapeMismatch`] when `y` does not have one label per row, and
/// [`DatasetError::Io`] when the file cannot be written.
///
/// # Examples
/// ```
/// use linmod_datasets::{CsrMatrix, SvmlightOptions, read_svmlight_from, write_svmlight_to};
/// let x = CsrMatrix::new(2, 3, vec![0, 2, 2], vec![0, 2], vec![0.5, -1.0]).unwrap();
/// let mut out = Vec::new();
/// write_svmlight_to(&mut out, "a.svm".as_ref(), &x, &[1.0, 0.0])?;
/// assert_eq!(String::from_utf8(out.clone()).unwrap(), "1 1:0.5 3:-1\n0\n");
/// let back = read_svmlight_from(&out[..], "a.svm".as_ref(), &SvmlightOptions::default().n_features(3))?;
/// assert_eq!(back.x, x);
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
pub fn write_svmlight_to<W: Write>(out: W, name: &Path, x: &CsrMatrix, y: &[f64]) -> Result<()> {
    if y.len() != x.nrows() {
        return Err(DatasetError::ShapeMismatch {
            what: "labels",
            expected: x.nrows(),
            found: y.len(),
        });
    }
    let io = |source| DatasetError::Io {
        file: name.to_path_buf(),
        source,
    };
    let mut out = std::io::BufWriter::new(out);
    for (i, label) in y.iter().enumerate() {
        write!(out, "{label}").map_err(io)?;
        let (idx, val) = x.row(i);
        for (j, v) in idx.iter().zip(val) {
            write!(out, " {}:{v}", j + 1).map_err(io)?;
        }
        out.write_all(b"\n").map_err(io)?;
    }
    out.flush().map_err(io)
}

/// [`write_svmlight_to`] into a file at `path`.
///
/// # Errors
/// As [`write_svmlight_to`].
pub fn write_svmlight(path: impl AsRef<Path>, x: &CsrMatrix, y: &[f64]) -> Result<()> {
    let path = path.as_ref();
    let file = File::create(path).map_err(|source| DatasetError::Io {
        file: path.to_path_buf(),
        source,
    })?;
    write_svmlight_to(file, path, x, y)
}
