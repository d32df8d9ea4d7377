//! The CSV engine: two passes over the text, straight into the column-major matrix.
//!
//! The first pass counts the line breaks and bytes (no parsing, at the speed of reading, and
//! refusing over-long lines); the second reads the header, reserves the matrix and the target
//! for the most rows the counts allow (fallibly), and parses the cells into them block by
//! block. The peak memory is the data plus one block of rows, instead of a row-major copy of
//! the whole file.

use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

use linalg_core::Mat;

use crate::dataset::NonFinite;
use crate::error::{DatasetError, Result};

/// The longest line a CSV reader accepts, in bytes (16 MiB), unless
/// [`CsvOptions::max_line_bytes`](crate::CsvOptions::max_line_bytes) says otherwise: a file
/// without line breaks (such as `/dev/zero`) is refused instead of read until memory runs out.
pub const MAX_LINE_BYTES: usize = 16 << 20;

/// Cells parsed per block in the second pass before they are moved into the columns.
const BLOCK_CELLS: usize = 1 << 16;

/// Which column is the target.
#[derive(Clone, Copy, Debug)]
pub(crate) enum TargetColumn<'a> {
    /// None: every column is a feature.
    None,
    /// The column of this name in the header.
    Named(&'a str),
    /// The last column (the embedded header-less files).
    Last,
}

/// How to read one file.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Spec<'a> {
    pub delimiter: u8,
    pub header: bool,
    pub non_finite: NonFinite,
    pub target: TargetColumn<'a>,
    pub max_line_bytes: usize,
}

/// The 1-based line of each data row of a CSV file.
///
/// Stored as the rows where the line stops advancing by one per row (blank lines, dropped
/// rows, quoted cells spanning lines), so it takes no memory for a file without them.
///
/// # Examples
/// ```
/// use linmod_datasets::{CsvOptions, read_csv_with_lines};
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("d.csv");
/// std::fs::write(&path, "a,y\n1,0\n\n2,1\n").unwrap();
/// let (data, lines) = read_csv_with_lines(&path, &CsvOptions::new("y"))?;
/// assert_eq!(data.y, vec![0.0, 1.0]);
/// assert_eq!((lines.line(0), lines.line(1), lines.line(2)), (Some(2), Some(4), None));
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceLines {
    /// `(row, line)` where row `row` is on line `line`, and each following row on the next
    /// line, up to the next entry.
    breaks: Vec<(usize, u64)>,
    rows: usize,
}

impl SourceLines {
    pub(crate) fn push(&mut self, line: u64) {
        let row = self.rows;
        let predicted = self.breaks.last().map(|&(r, l)| l + (row - r) as u64);
        if predicted != Some(line) {
            self.breaks.push((row, line));
        }
        self.rows += 1;
    }

    /// The 1-based line of data row `row` (0-based), or `None` past the last row.
    #[must_use]
    pub fn line(&self, row: usize) -> Option<u64> {
        if row >= self.rows {
            return None;
        }
        let k = self.breaks.partition_point(|&(r, _)| r <= row);
        let (r, l) = self.breaks[k - 1];
        Some(l + (row - r) as u64)
    }

    /// Number of data rows.
    #[must_use]
    pub fn len(&self) -> usize {
        self.rows
    }

    /// True when there are no rows.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }
}

/// What the reader returns: the features, the target (empty without a target column), the
/// names and where each row came from.
pub(crate) struct Parsed {
    pub x: Mat<f64>,
    pub y: Vec<f64>,
    pub feature_names: Vec<String>,
    pub target_name: Option<String>,
    pub dropped: usize,
    pub lines: SourceLines,
}

/// Passes the bytes through while counting line lengths: a line longer than the limit ends
/// the read with an error (recorded here, since the CSV parser wraps it).
pub(crate) struct LineLimit<R> {
    inner: R,
    limit: usize,
    current: usize,
    newlines: u64,
    exceeded: Option<u64>,
}

impl<R: Read> Read for LineLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let chunk = &buf[..n];
        let newlines = memchr::memchr_iter(b'\n', chunk).count() as u64;
        self.current = match memchr::memrchr(b'\n', chunk) {
            Some(i) => n - i - 1,
            None => self.current.saturating_add(n),
        };
        if self.current > self.limit {
            // the long line is the one after the last newline seen
            self.exceeded = Some(self.newlines + newlines + 1);
            return Err(io::Error::other("line too long"));
        }
        self.newlines += newlines;
        Ok(n)
    }
}

pub(crate) fn csv_reader<R: Read>(source: R, spec: &Spec<'_>) -> csv::Reader<LineLimit<R>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(spec.delimiter)
        // Lines end at `\n` only, so that line numbers are right for `\r\n` files too; the
        // `\r` before it is trimmed with the other white space.
        .terminator(csv::Terminator::Any(b'\n'))
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(LineLimit {
            inner: source,
            limit: spec.max_line_bytes,
            current: 0,
            newlines: 0,
            exceeded: None,
        })
}

/// The 1-based line of the record just read (its first line, for quoted cells spanning
/// lines), counted back from where the reader stopped: the parser's own start position of a
/// record is where it began looking, before any blank lines it skipped.
pub(crate) fn line_of<R: Read>(rdr: &csv::Reader<LineLimit<R>>, record: &csv::ByteRecord) -> u64 {
    let end = rdr.position().line();
    let inside = memchr::memchr_iter(b'\n', record.as_slice()).count() as u64;
    // a record ended by `\n` has moved the count past its own line; the last one of a file
    // without a final line break has not
    let terminated = u64::from(!rdr.is_done());
    end.saturating_sub(inside + terminated).max(1)
}

/// True for a record that is a blank line (a `\r\n` blank line reads as one empty field).
fn is_blank(record: &csv::ByteRecord) -> bool {
    record.len() == 1 && record[0].is_empty()
}

/// Reads the next non-blank record; `false` at the end.
pub(crate) fn next_record<R: Read>(
    rdr: &mut csv::Reader<LineLimit<R>>,
    record: &mut csv::ByteRecord,
    file: &Path,
) -> Result<bool> {
    loop {
        match rdr.read_byte_record(record) {
            Ok(true) if is_blank(record) => {}
            Ok(more) => return Ok(more),
            Err(e) => {
                return Err(match rdr.get_ref().exceeded {
                    Some(line) => DatasetError::LineTooLong {
                        file: file.to_path_buf(),
                        line,
                        limit: rdr.get_ref().limit,
                    },
                    None => csv_error(file, e),
                });
            }
        }
    }
}

pub(crate) fn csv_error(file: &Path, source: csv::Error) -> DatasetError {
    if source.is_io_error() {
        let text = source.to_string();
        let source = match source.into_kind() {
            csv::ErrorKind::Io(e) => e,
            _ => io::Error::other(text),
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

/// The header's names (checked: valid UTF-8, not all numbers, no name twice) or numbered
/// names for a file without a header, and the number of columns.
pub(crate) fn read_names<R: Read>(
    rdr: &mut csv::Reader<LineLimit<R>>,
    spec: &Spec<'_>,
    file: &Path,
) -> Result<(Vec<String>, Option<csv::ByteRecord>)> {
    let mut record = csv::ByteRecord::new();
    if !next_record(rdr, &mut record, file)? {
        return Err(DatasetError::EmptyInput {
            file: file.to_path_buf(),
            reason: if spec.header {
                "no header line"
            } else {
                "no data rows"
            },
        });
    }
    if !spec.header {
        let names = (1..=record.len()).map(|j| format!("column {j}")).collect();
        return Ok((names, Some(record)));
    }
    let line = line_of(rdr, &record);
    let mut names = Vec::with_capacity(record.len());
    for (j, field) in record.iter().enumerate() {
        let name = std::str::from_utf8(field).map_err(|_| DatasetError::BadHeader {
            file: file.to_path_buf(),
            line,
            reason: format!(
                "column {} has a name that is not valid UTF-8 ({:?})",
                j + 1,
                String::from_utf8_lossy(field)
            ),
        })?;
        names.push(name.to_owned());
    }
    if names.iter().all(|n| n.parse::<f64>().is_ok()) {
        let shown: Vec<&str> = names.iter().take(3).map(String::as_str).collect();
        return Err(DatasetError::BadHeader {
            file: file.to_path_buf(),
            line,
            reason: format!(
                "it holds numbers ({}{}), not column names: the file needs a header line \
                 naming its columns",
                shown.join(", "),
                if names.len() > 3 { ", ..." } else { "" }
            ),
        });
    }
    check_unique(&names, file)?;
    Ok((names, None))
}

/// Refuses a header naming a column twice, with both 1-based positions.
pub(crate) fn check_unique(names: &[String], file: &Path) -> Result<()> {
    let mut order: Vec<usize> = (0..names.len()).collect();
    // A stable sort keeps equal names in file order, so the first two are adjacent.
    order.sort_by(|&a, &b| names[a].cmp(&names[b]));
    let mut first_clash: Option<(usize, usize)> = None;
    for w in order.windows(2) {
        if names[w[0]] == names[w[1]] {
            let pair = (w[0], w[1]);
            if first_clash.is_none_or(|(_, s)| pair.1 < s) {
                first_clash = Some(pair);
            }
        }
    }
    match first_clash {
        Some((first, second)) => Err(DatasetError::DuplicateColumn {
            file: file.to_path_buf(),
            name: names[first].clone(),
            first: first + 1,
            second: second + 1,
        }),
        None => Ok(()),
    }
}

pub(crate) fn ragged(
    file: &Path,
    line: u64,
    record: &csv::ByteRecord,
    expected: usize,
) -> DatasetError {
    DatasetError::RaggedRow {
        file: file.to_path_buf(),
        line,
        expected,
        found: record.len(),
    }
}

/// The first pass: the number of line breaks and of bytes, which bound the number of data
/// rows (a row of `c` numbers takes at least `2c` bytes); no parsing, so it runs at the
/// speed of reading, and lines longer than the limit are refused here.
pub(crate) fn survey<R: Read>(source: R, spec: &Spec<'_>, file: &Path) -> Result<(u64, u64)> {
    let mut limited = LineLimit {
        inner: source,
        limit: spec.max_line_bytes,
        current: 0,
        newlines: 0,
        exceeded: None,
    };
    match io::copy(&mut limited, &mut io::sink()) {
        Ok(bytes) => Ok((limited.newlines, bytes)),
        Err(source) => Err(match limited.exceeded {
            Some(line) => DatasetError::LineTooLong {
                file: file.to_path_buf(),
                line,
                limit: spec.max_line_bytes,
            },
            None => DatasetError::Io {
                file: file.to_path_buf(),
                source,
            },
        }),
    }
}

fn target_index(names: &[String], spec: &Spec<'_>, file: &Path) -> Result<Option<usize>> {
    match spec.target {
        TargetColumn::None => Ok(None),
        TargetColumn::Last => Ok(Some(names.len() - 1)),
        TargetColumn::Named(target) => match names.iter().position(|n| n == target) {
            Some(t) => Ok(Some(t)),
            None => Err(crate::names::missing_column(file, target, names)),
        },
    }
}

/// The error for a file that holds more rows in the second pass than the first counted.
pub(crate) fn changed(file: &Path) -> DatasetError {
    DatasetError::Io {
        file: file.to_path_buf(),
        source: io::Error::other("the file changed while it was read"),
    }
}

pub(crate) fn out_of_memory(file: &Path, cells: usize) -> DatasetError {
    DatasetError::OutOfMemory {
        file: file.to_path_buf(),
        bytes: (cells as u64).saturating_mul(8),
    }
}

/// The second pass: parses the `rows` records into the reserved matrix and target.
fn fill<R: Read>(
    source: R,
    spec: &Spec<'_>,
    file: &Path,
    (newlines, bytes): (u64, u64),
) -> Result<Parsed> {
    let mut rdr = csv_reader(source, spec);
    let (names, first) = read_names(&mut rdr, spec, file)?;
    let c = names.len();
    let target = target_index(&names, spec, file)?;
    let p = c - usize::from(target.is_some());
    // At most one row per line, and a row of c numbers takes at least 2c bytes (c digits,
    // c - 1 delimiters, a line break). The bound is exact for a file without blank lines;
    // reserved memory that no row fills is never touched, so it is not resident either.
    let bound = newlines
        .saturating_add(1)
        .min(bytes.saturating_add(1) / (2 * c as u64).max(1));
    let rows = usize::try_from(bound).map_err(|_| out_of_memory(file, usize::MAX))?;
    let mut x = Mat::<f64>::new();
    let cells = rows
        .checked_mul(p)
        .ok_or_else(|| out_of_memory(file, usize::MAX))?;
    if p > 0 {
        // (faer reserves a column's worth of rows even for zero columns)
        x.try_reserve(rows, p)
            .map_err(|_| out_of_memory(file, cells))?;
    }
    let mut y = Vec::new();
    if target.is_some() {
        y.try_reserve_exact(rows)
            .map_err(|_| out_of_memory(file, rows))?;
    }
    let block_rows = (BLOCK_CELLS / c.max(1)).max(1);
    let mut block: Vec<f64> = Vec::with_capacity(block_rows * p);
    let mut row = vec![0.0; c];
    let mut lines = SourceLines::default();
    let mut dropped = 0;
    let mut record = first.unwrap_or_default();
    let mut pending = !record.is_empty();
    let flush = |x: &mut Mat<f64>, block: &mut Vec<f64>| {
        // (a target-only table, p = 0, gets its rows-by-0 matrix at the end)
        if p > 0 && !block.is_empty() {
            let r0 = x.nrows();
            let r = block.len() / p;
            x.resize_with(r0 + r, p, |i, j| block[(i - r0) * p + j]);
        }
        block.clear();
    };
    let mut kept = 0usize;
    while std::mem::take(&mut pending) || next_record(&mut rdr, &mut record, file)? {
        let line = line_of(&rdr, &record);
        if record.len() != c {
            return Err(ragged(file, line, &record, c));
        }
        let mut finite = true;
        for (j, field) in record.iter().enumerate() {
            let v =
                parse_cell(field).ok_or_else(|| cell_error(file, line, j, &names, field, false))?;
            if !v.is_finite() {
                if spec.non_finite == NonFinite::Reject {
                    return Err(cell_error(file, line, j, &names, field, true));
                }
                finite = false;
            }
            row[j] = v;
        }
        if !finite {
            dropped += 1;
            continue;
        }
        // the file may have changed between the passes: never write past the reservation
        if kept == rows {
            return Err(changed(file));
        }
        kept += 1;
        lines.push(line);
        for (j, &v) in row.iter().enumerate() {
            if Some(j) == target {
                y.push(v);
            } else {
                block.push(v);
            }
        }
        if block.len() >= block_rows * p.max(1) {
            flush(&mut x, &mut block);
        }
    }
    flush(&mut x, &mut block);
    if p == 0 {
        x = Mat::zeros(kept, 0);
    }
    if kept == 0 {
        return Err(DatasetError::EmptyInput {
            file: file.to_path_buf(),
            reason: if dropped > 0 {
                "every row holds a non-finite value and was dropped"
            } else if spec.header {
                "no data rows after the header"
            } else {
                "no data rows"
            },
        });
    }
    let target_name = target.map(|t| names[t].clone());
    let feature_names = names
        .into_iter()
        .enumerate()
        .filter(|(j, _)| Some(*j) != target)
        .map(|(_, n)| n)
        .collect();
    Ok(Parsed {
        x,
        y,
        feature_names,
        target_name,
        dropped,
        lines,
    })
}

fn parse_cell(field: &[u8]) -> Option<f64> {
    std::str::from_utf8(field).ok()?.parse().ok()
}

fn cell_error(
    file: &Path,
    line: u64,
    j: usize,
    names: &[String],
    field: &[u8],
    non_finite: bool,
) -> DatasetError {
    let (file, column, name) = (file.to_path_buf(), j + 1, names[j].clone());
    let value = String::from_utf8_lossy(field).into_owned();
    if non_finite {
        DatasetError::NonFiniteCell {
            file,
            line,
            column,
            name,
            value,
        }
    } else {
        DatasetError::NonNumeric {
            file,
            line,
            column,
            name,
            value,
        }
    }
}

/// Reads a seekable source in two passes from its current position.
pub(crate) fn read_seekable<S: Read + Seek>(
    mut source: S,
    spec: &Spec<'_>,
    file: &Path,
) -> Result<Parsed> {
    let io = |source| DatasetError::Io {
        file: file.to_path_buf(),
        source,
    };
    let start = source.stream_position().map_err(io)?;
    let counts = survey(&mut source, spec, file)?;
    source.seek(SeekFrom::Start(start)).map_err(io)?;
    fill(source, spec, file, counts)
}

/// Reads any source: a regular file in two passes; anything else (a pipe, a device) is first
/// copied into memory, line length checked, and read from there.
pub(crate) fn read_any<R: Read>(source: R, spec: &Spec<'_>, file: &Path) -> Result<Parsed> {
    read_seekable(
        io::Cursor::new(into_memory(source, spec, file)?),
        spec,
        file,
    )
}

/// The whole text of a source, its line lengths checked.
pub(crate) fn into_memory<R: Read>(source: R, spec: &Spec<'_>, file: &Path) -> Result<Vec<u8>> {
    let mut limited = LineLimit {
        inner: source,
        limit: spec.max_line_bytes,
        current: 0,
        newlines: 0,
        exceeded: None,
    };
    let mut text = Vec::new();
    if let Err(source) = limited.read_to_end(&mut text) {
        return Err(match limited.exceeded {
            Some(line) => DatasetError::LineTooLong {
                file: file.to_path_buf(),
                line,
                limit: spec.max_line_bytes,
            },
            None => DatasetError::Io {
                file: file.to_path_buf(),
                source,
            },
        });
    }
    Ok(text)
}
