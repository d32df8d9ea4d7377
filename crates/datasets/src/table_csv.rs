//! Reading a CSV file into a [`Table`]: column types inferred (or imposed), missing values
//! recognized, text stored once per distinct value.

use std::collections::HashMap;
use std::fs::File;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

use crate::csv_parse::{
    MAX_LINE_BYTES, SourceLines, Spec, TargetColumn, changed, check_unique, csv_reader,
    into_memory, line_of, next_record, out_of_memory, ragged, read_names, survey,
};
use crate::dataset::NonFinite;
use crate::error::{DatasetError, Result};
use crate::table::{Column, ColumnType, MISSING_CODE, Table};

/// The cells read as missing unless [`TableOptions::missing_values`] says otherwise: the
/// empty cell, `NA`, `NaN` and `null`.
pub const DEFAULT_MISSING: [&str; 4] = ["", "NA", "NaN", "null"];

/// How to read a CSV file into a [`Table`]: the delimiter, the cells that mean "missing",
/// column types that override the inference, and which columns to read.
///
/// # Examples
/// ```
/// use linmod_datasets::{ColumnType, TableOptions};
/// let opts = TableOptions::new()
///     .delimiter(b';')
///     .missing_values(["", "NA", "?"])
///     .column_type("zip", ColumnType::Text)
///     .only(["price", "zip", "rooms"]);
/// ```
#[derive(Clone, Debug)]
pub struct TableOptions {
    delimiter: u8,
    missing: Vec<String>,
    types: Vec<(String, ColumnType)>,
    only: Option<Vec<String>>,
    max_line_bytes: usize,
}

impl Default for TableOptions {
    fn default() -> Self {
        Self::new()
    }
}

impl TableOptions {
    /// Comma-delimited; [`DEFAULT_MISSING`] cells are missing; every column read, its type
    /// inferred; lines up to [`MAX_LINE_BYTES`].
    #[must_use]
    pub fn new() -> Self {
        Self {
            delimiter: b',',
            missing: DEFAULT_MISSING.iter().map(|s| (*s).to_owned()).collect(),
            types: Vec::new(),
            only: None,
            max_line_bytes: MAX_LINE_BYTES,
        }
    }

    /// The field delimiter (default `b','`).
    #[must_use]
    pub fn delimiter(mut self, delimiter: u8) -> Self {
        self.delimiter = delimiter;
        self
    }

    /// The cells (after trimming white space) that mean "missing", replacing
    /// [`DEFAULT_MISSING`]. A numeric cell that reads as NaN is missing whatever this list.
    #[must_use]
    pub fn missing_values<S: Into<String>>(mut self, tokens: impl IntoIterator<Item = S>) -> Self {
        self.missing = tokens.into_iter().map(Into::into).collect();
        self
    }

    /// The type of column `name`, instead of the inferred one: [`ColumnType::Text`] keeps
    /// numbers as text (codes, zip codes), [`ColumnType::Numeric`] makes a cell that is not a
    /// number an error.
    #[must_use]
    pub fn column_type(mut self, name: impl Into<String>, column_type: ColumnType) -> Self {
        self.types.push((name.into(), column_type));
        self
    }

    /// Reads only these columns (in file order); the cells of the others are not parsed, so
    /// whatever they hold is no error.
    #[must_use]
    pub fn only<S: Into<String>>(mut self, names: impl IntoIterator<Item = S>) -> Self {
        self.only = Some(names.into_iter().map(Into::into).collect());
        self
    }

    /// The longest line accepted, in bytes (default [`MAX_LINE_BYTES`], 16 MiB).
    #[must_use]
    pub fn max_line_bytes(mut self, bytes: usize) -> Self {
        self.max_line_bytes = bytes;
        self
    }

    /// The columns of [`only`](Self::only), if given.
    #[cfg_attr(not(feature = "parquet"), allow(dead_code))]
    pub(crate) fn only_columns(&self) -> Option<&[String]> {
        self.only.as_deref()
    }

    fn spec(&self) -> Spec<'static> {
        Spec {
            delimiter: self.delimiter,
            header: true,
            non_finite: NonFinite::Reject,
            target: TargetColumn::None,
            max_line_bytes: self.max_line_bytes,
        }
    }
}

/// Reads a CSV file with a header line into a [`Table`].
///
/// A column is numeric when every cell that is not missing is a number, text otherwise
/// ([`TableOptions::column_type`] decides instead where given); missing cells are the
/// [`DEFAULT_MISSING`] tokens (or [`TableOptions::missing_values`]); cells are trimmed;
/// quoted cells may hold the delimiter and line breaks. Each row keeps its 1-based line
/// ([`Table::line`]).
///
/// The file is read as [`read_csv`](crate::read_csv) reads it: one pass counts the lines,
/// which bound the rows, the columns are reserved at that size (8 bytes a row for a numeric
/// column, 4 for a text column, whose distinct values are stored once) and a second pass
/// fills them. A column inferred numeric that turns out to hold text is read again, as
/// text, in a third pass, so that its values keep their exact spelling. A source that is not
/// a regular file is first copied into memory.
///
/// # Errors
/// Each names the file and, where it applies, the 1-based line and the column:
/// [`DatasetError::Io`], [`DatasetError::EmptyInput`], [`DatasetError::BadHeader`],
/// [`DatasetError::DuplicateColumn`], [`DatasetError::MissingColumn`] (a name in
/// [`only`](TableOptions::only) or [`column_type`](TableOptions::column_type) that is not in
/// the header), [`DatasetError::LineTooLong`], [`DatasetError::RaggedRow`],
/// [`DatasetError::NonNumeric`] (a column declared numeric), [`DatasetError::NotUtf8`],
/// [`DatasetError::OutOfMemory`], [`DatasetError::Csv`].
///
/// # Examples
/// ```
/// use linmod_datasets::{Column, ColumnType, TableOptions, read_table_from};
/// let text = "id,name,sex,age,survived\n\
///             1,\"Braund, Mr. Owen\",male,22,0\n\
///             2,\"Cumings, Mrs. John\",female,,1\n";
/// let t = read_table_from(text.as_bytes(), "titanic.csv", &TableOptions::new())?;
/// assert_eq!(t.column("name").map(Column::column_type), Some(ColumnType::Text));
/// assert_eq!(t.column("age").map(|c| c.is_missing(1)), Some(true));
/// assert_eq!(t.line(1), Some(3));
///
/// let err = read_table_from(
///     text.as_bytes(),
///     "titanic.csv",
///     &TableOptions::new().column_type("sex", ColumnType::Numeric),
/// );
/// assert_eq!(
///     err.unwrap_err().to_string(),
///     "titanic.csv, line 2, column 3 (`sex`): \"male\" is not a number"
/// );
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
pub fn read_table(path: impl AsRef<Path>, options: &TableOptions) -> Result<Table> {
    let path = path.as_ref();
    let io = |source| DatasetError::Io {
        file: path.to_path_buf(),
        source,
    };
    let file = File::open(path).map_err(io)?;
    if file.metadata().map_err(io)?.is_file() {
        read_seekable(io::BufReader::with_capacity(1 << 16, file), options, path)
    } else {
        read_table_from(file, path, options)
    }
}

/// [`read_table`] from any reader; `name` stands for the file in error messages. The text
/// is first copied into memory (the parser reads it more than once).
///
/// # Errors
/// As [`read_table`].
///
/// # Examples
/// See [`read_table`].
pub fn read_table_from<R: Read>(
    reader: R,
    name: impl AsRef<Path>,
    options: &TableOptions,
) -> Result<Table> {
    let file = name.as_ref();
    let text = into_memory(reader, &options.spec(), file)?;
    read_seekable(io::Cursor::new(text), options, file)
}

fn read_seekable<S: Read + Seek>(
    mut source: S,
    options: &TableOptions,
    file: &Path,
) -> Result<Table> {
    let io = |source| DatasetError::Io {
        file: file.to_path_buf(),
        source,
    };
    let spec = options.spec();
    let start = source.stream_position().map_err(io)?;
    let counts = survey(&mut source, &spec, file)?;
    let mut as_text: Vec<String> = Vec::new();
    loop {
        source.seek(SeekFrom::Start(start)).map_err(io)?;
        match fill(&mut source, options, file, counts, &as_text)? {
            Filled::Table(t) => return Ok(t),
            Filled::Retry(names) => as_text.extend(names),
        }
    }
}

/// A fast hash for the cells of text columns (FNV-1a on 8-byte words): the keys are short
/// and come from the file being read, and SipHash would be most of the time spent on them.
#[derive(Default)]
struct CellHasher(u64);

impl Hasher for CellHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(c);
            h = (h ^ u64::from_le_bytes(word)).wrapping_mul(0x0000_0100_0000_01b3);
            h ^= h >> 29;
        }
        for &b in chunks.remainder() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = h;
    }
}

type CellMap = HashMap<Box<[u8]>, u32, BuildHasherDefault<CellHasher>>;

/// A column being read.
enum Builder {
    /// Not asked for: its cells are not parsed.
    Skip,
    Numeric {
        values: Vec<f64>,
        integer: bool,
        declared: bool,
    },
    Text {
        index: CellMap,
        levels: Vec<String>,
        codes: Vec<u32>,
        /// The code of the last cell: columns often repeat a value.
        last: Option<u32>,
    },
    /// Inferred numeric, found text: read again as text.
    Retry,
}

enum Filled {
    Table(Table),
    Retry(Vec<String>),
}

/// True for the text of an integer: an optional sign and digits.
fn is_integer_literal(field: &[u8]) -> bool {
    let digits = match field.first() {
        Some(b'+' | b'-') => &field[1..],
        _ => field,
    };
    !digits.is_empty() && digits.iter().all(u8::is_ascii_digit)
}

fn fill<R: Read>(
    source: R,
    options: &TableOptions,
    file: &Path,
    (newlines, bytes): (u64, u64),
    as_text: &[String],
) -> Result<Filled> {
    let spec = options.spec();
    let mut rdr = csv_reader(source, &spec);
    let (names, _) = read_names(&mut rdr, &spec, file)?;
    let c = names.len();
    for name in options
        .types
        .iter()
        .map(|(n, _)| n)
        .chain(options.only.iter().flatten())
    {
        if !names.contains(name) {
            return Err(crate::names::missing_column(file, name, &names));
        }
    }
    // At most one row per line, and a row of c cells takes at least c bytes (c - 1
    // delimiters and a line break, all cells empty).
    let bound = newlines
        .saturating_add(1)
        .min(bytes.saturating_add(1) / (c as u64).max(1) + 1);
    let rows = usize::try_from(bound).map_err(|_| out_of_memory(file, usize::MAX))?;
    let mut builders = Vec::with_capacity(c);
    for name in &names {
        let wanted = options.only.as_ref().is_none_or(|o| o.contains(name));
        let declared = options
            .types
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|&(_, t)| t);
        let text = declared == Some(ColumnType::Text) || as_text.contains(name);
        builders.push(if !wanted {
            Builder::Skip
        } else if text {
            let mut codes = Vec::new();
            codes
                .try_reserve_exact(rows)
                .map_err(|_| out_of_memory(file, rows / 2))?;
            Builder::Text {
                index: CellMap::default(),
                levels: Vec::new(),
                codes,
                last: None,
            }
        } else {
            let mut values = Vec::new();
            values
                .try_reserve_exact(rows)
                .map_err(|_| out_of_memory(file, rows))?;
            Builder::Numeric {
                values,
                integer: true,
                declared: declared == Some(ColumnType::Numeric),
            }
        });
    }
    let missing: Vec<&[u8]> = options.missing.iter().map(String::as_bytes).collect();
    let is_missing = |field: &[u8]| missing.contains(&field);
    let mut lines = SourceLines::default();
    let mut record = csv::ByteRecord::new();
    let mut kept = 0usize;
    let mut retry = Vec::new();
    while next_record(&mut rdr, &mut record, file)? {
        let line = line_of(&rdr, &record);
        if record.len() != c {
            return Err(ragged(file, line, &record, c));
        }
        // the file may have changed between the passes: never write past the reservation
        if kept == rows {
            return Err(changed(file));
        }
        kept += 1;
        lines.push(line);
        for (j, (field, builder)) in record.iter().zip(&mut builders).enumerate() {
            match builder {
                Builder::Skip | Builder::Retry => {}
                Builder::Numeric {
                    values,
                    integer,
                    declared,
                } => {
                    if is_missing(field) {
                        values.push(f64::NAN);
                        *integer = false;
                        continue;
                    }
                    match std::str::from_utf8(field).ok().and_then(|s| s.parse().ok()) {
                        Some(v) => {
                            let v: f64 = v;
                            *integer = *integer && is_integer_literal(field);
                            values.push(v);
                        }
                        None if *declared => {
                            return Err(DatasetError::NonNumeric {
                                file: file.to_path_buf(),
                                line,
                                column: j + 1,
                                name: names[j].clone(),
                                value: String::from_utf8_lossy(field).into_owned(),
                            });
                        }
                        None => {
                            retry.push(names[j].clone());
                            *builder = Builder::Retry;
                        }
                    }
                }
                Builder::Text {
                    index,
                    levels,
                    codes,
                    last,
                } => {
                    if is_missing(field) {
                        codes.push(MISSING_CODE);
                        continue;
                    }
                    if let Some(code) = *last
                        && levels[code as usize].as_bytes() == field
                    {
                        codes.push(code);
                        continue;
                    }
                    let code = match index.get(field) {
                        Some(&code) => code,
                        None => {
                            let text =
                                std::str::from_utf8(field).map_err(|_| DatasetError::NotUtf8 {
                                    file: file.to_path_buf(),
                                    line,
                                    column: j + 1,
                                    name: names[j].clone(),
                                    value: String::from_utf8_lossy(field).into_owned(),
                                })?;
                            // (the number of levels is at most the number of rows, which
                            // fits the reservation of the codes)
                            let code = u32::try_from(levels.len())
                                .ok()
                                .filter(|&c| c != MISSING_CODE)
                                .ok_or_else(|| out_of_memory(file, usize::MAX))?;
                            levels.push(text.to_owned());
                            index.insert(field.into(), code);
                            code
                        }
                    };
                    *last = Some(code);
                    codes.push(code);
                }
            }
        }
    }
    if !retry.is_empty() {
        return Ok(Filled::Retry(retry));
    }
    if kept == 0 {
        return Err(DatasetError::EmptyInput {
            file: file.to_path_buf(),
            reason: "no data rows after the header",
        });
    }
    let mut kept_names = Vec::with_capacity(c);
    let mut columns = Vec::with_capacity(c);
    for (name, builder) in names.into_iter().zip(builders) {
        let column = match builder {
            Builder::Skip | Builder::Retry => continue,
            Builder::Numeric {
                values, integer, ..
            } => Column::Numeric { values, integer },
            Builder::Text { levels, codes, .. } => Column::Text { levels, codes },
        };
        kept_names.push(name);
        columns.push(column);
    }
    check_unique(&kept_names, file)?;
    Table::with_source(kept_names, columns, lines, file).map(Filled::Table)
}
