//! A table of named, typed columns: numbers or text, with missing values, and the line of the
//! source file each row came from.
//!
//! A [`Table`] is what a formula is applied to ([`Formula`](crate::Formula)): unlike a
//! [`Dataset`](crate::Dataset), it keeps text columns (as levels and codes, each distinct
//! text stored once) and missing cells, so that the choice of the columns, their encoding and
//! the treatment of missing values belong to the model, not to the reader.

use std::path::{Path, PathBuf};

use crate::csv_parse::SourceLines;
use crate::error::{DatasetError, Result};

/// The code of a missing cell in a text column.
pub const MISSING_CODE: u32 = u32::MAX;

/// The type of a column: inferred by the readers (numeric when every present cell is a
/// number), or imposed with [`TableOptions::column_type`](crate::TableOptions::column_type).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ColumnType {
    /// Numbers (`f64`); a formula uses them as they are, or as categories inside `C()`.
    Numeric,
    /// Text; a formula makes it categorical.
    Text,
}

/// One column of a [`Table`].
///
/// # Examples
/// ```
/// use linmod_datasets::Column;
/// let c = Column::text(["b", "a", "b"].map(Some))?;
/// assert_eq!(c.levels(), Some(&["b".to_string(), "a".to_string()][..]));
/// let n = Column::numeric(vec![1.0, f64::NAN, 3.0]);
/// assert!(n.is_missing(1) && !n.is_missing(2));
/// assert_eq!(n.missing_count(), 1);
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Column {
    /// Numbers; NaN marks a missing cell.
    Numeric {
        /// The values, one per row.
        values: Vec<f64>,
        /// True when every cell was written as an integer and none is missing (pandas reads
        /// such a column as `int64`: its levels print as `3`, not `3.0`).
        integer: bool,
    },
    /// Text as codes into a list of distinct values (in order of first appearance).
    Text {
        /// The distinct values.
        levels: Vec<String>,
        /// Index into `levels` for each row, [`MISSING_CODE`] for a missing cell.
        codes: Vec<u32>,
    },
}

impl Column {
    /// A numeric column (NaN for missing cells); integer-valued when every value is a finite
    /// integer.
    #[must_use]
    pub fn numeric(values: Vec<f64>) -> Self {
        let integer = values
            .iter()
            .all(|v| v.is_finite() && v.fract() == 0.0 && v.abs() < 9.007_199_254_740_992e15);
        Self::Numeric { values, integer }
    }

    /// A text column from optional strings (`None` for a missing cell).
    ///
    /// # Errors
    /// [`DatasetError::InvalidParameter`] with `u32::MAX` distinct values or more.
    pub fn text<S: AsRef<str>>(cells: impl IntoIterator<Item = Option<S>>) -> Result<Self> {
        let mut index = std::collections::HashMap::<String, u32>::new();
        let mut levels: Vec<String> = Vec::new();
        let mut codes = Vec::new();
        for cell in cells {
            let code = match cell {
                None => MISSING_CODE,
                Some(s) => match index.get(s.as_ref()) {
                    Some(&c) => c,
                    None => {
                        let c = u32::try_from(levels.len())
                            .ok()
                            .filter(|&c| c != MISSING_CODE)
                            .ok_or_else(|| {
                                crate::error::invalid(
                                    "levels",
                                    levels.len(),
                                    "fewer than 4294967295 distinct values in a text column",
                                )
                            })?;
                        levels.push(s.as_ref().to_owned());
                        index.insert(s.as_ref().to_owned(), c);
                        c
                    }
                },
            };
            codes.push(code);
        }
        Ok(Self::Text { levels, codes })
    }

    /// Number of rows.
    #[must_use]
    pub fn len(&self) -> usize {
        match self {
            Self::Numeric { values, .. } => values.len(),
            Self::Text { codes, .. } => codes.len(),
        }
    }

    /// True for a column without rows.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The column's type.
    #[must_use]
    pub fn column_type(&self) -> ColumnType {
        match self {
            Self::Numeric { .. } => ColumnType::Numeric,
            Self::Text { .. } => ColumnType::Text,
        }
    }

    /// True when the cell of `row` is missing.
    ///
    /// # Panics
    /// If `row` is out of range.
    #[must_use]
    pub fn is_missing(&self, row: usize) -> bool {
        match self {
            Self::Numeric { values, .. } => values[row].is_nan(),
            Self::Text { codes, .. } => codes[row] == MISSING_CODE,
        }
    }

    /// Number of missing cells.
    #[must_use]
    pub fn missing_count(&self) -> usize {
        match self {
            Self::Numeric { values, .. } => values.iter().filter(|v| v.is_nan()).count(),
            Self::Text { codes, .. } => codes.iter().filter(|&&c| c == MISSING_CODE).count(),
        }
    }

    /// The distinct values of a text column, in order of first appearance (`None` for a
    /// numeric column).
    #[must_use]
    pub fn levels(&self) -> Option<&[String]> {
        match self {
            Self::Text { levels, .. } => Some(levels),
            Self::Numeric { .. } => None,
        }
    }

    /// The cell of `row` as text: the string of a text cell, the number as Python prints it
    /// for a numeric one (`3` in an integer column, `3.0` otherwise), `None` when missing.
    ///
    /// # Panics
    /// If `row` is out of range.
    #[must_use]
    pub fn display(&self, row: usize) -> Option<String> {
        match self {
            Self::Numeric { values, integer } => {
                let v = values[row];
                (!v.is_nan()).then(|| number_label(v, *integer))
            }
            Self::Text { levels, codes } => {
                let c = codes[row];
                (c != MISSING_CODE).then(|| levels[c as usize].clone())
            }
        }
    }
}

/// A number as pandas / Python print it in a level name: `3` for an integer column, and
/// Python's `repr` of a float otherwise (`3.0`, `0.5`, `1e-05`, `1e+16`).
#[must_use]
pub(crate) fn number_label(v: f64, integer: bool) -> String {
    if integer {
        return format!("{v:.0}");
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf" } else { "-inf" }.into();
    }
    let a = v.abs();
    if a == 0.0 || (1e-4..1e16).contains(&a) {
        let s = format!("{v}");
        if s.contains('.') { s } else { format!("{s}.0") }
    } else {
        // Rust writes `1e-5` and `1.5e16`; Python `1e-05` and `1.5e+16`
        let s = format!("{v:e}");
        let (mantissa, exponent) = s.split_once('e').unwrap_or((&s, "0"));
        let (sign, digits) = match exponent.strip_prefix('-') {
            Some(d) => ('-', d),
            None => ('+', exponent),
        };
        format!("{mantissa}e{sign}{digits:0>2}")
    }
}

/// Named, typed columns of equal length, with the source of the rows.
///
/// Read one with [`read_table`](crate::read_table) (CSV), or build one from columns with
/// [`Table::new`].
///
/// # Examples
/// ```
/// use linmod_datasets::{Column, ColumnType, Table};
/// let t = Table::new(
///     vec!["age".into(), "sex".into()],
///     vec![Column::numeric(vec![22.0, f64::NAN]), Column::text([Some("male"), Some("female")])?],
/// )?;
/// assert_eq!((t.n_rows(), t.n_columns()), (2, 2));
/// assert_eq!(t.column("sex").map(|c| c.column_type()), Some(ColumnType::Text));
/// assert_eq!(t.line(1), None); // no file lines for a table built in memory
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    names: Vec<String>,
    columns: Vec<Column>,
    lines: SourceLines,
    source: PathBuf,
}

impl Table {
    /// A table from named columns, without file lines (errors locate rows by their 0-based
    /// index); the source is called `<table>` in messages.
    ///
    /// # Errors
    /// [`DatasetError::ShapeMismatch`] for names and columns of different counts or columns
    /// of different lengths; [`DatasetError::DuplicateColumn`] for a name used twice.
    pub fn new(names: Vec<String>, columns: Vec<Column>) -> Result<Self> {
        Self::with_source(names, columns, SourceLines::default(), "<table>")
    }

    pub(crate) fn with_source(
        names: Vec<String>,
        columns: Vec<Column>,
        lines: SourceLines,
        source: impl AsRef<Path>,
    ) -> Result<Self> {
        if names.len() != columns.len() {
            return Err(DatasetError::ShapeMismatch {
                what: "columns (one per name)",
                expected: names.len(),
                found: columns.len(),
            });
        }
        let n = columns.first().map_or(0, Column::len);
        if let Some(c) = columns.iter().find(|c| c.len() != n) {
            return Err(DatasetError::ShapeMismatch {
                what: "rows in every column",
                expected: n,
                found: c.len(),
            });
        }
        crate::csv_parse::check_unique(&names, source.as_ref())?;
        Ok(Self {
            names,
            columns,
            lines,
            source: source.as_ref().to_path_buf(),
        })
    }

    /// Number of rows.
    #[must_use]
    pub fn n_rows(&self) -> usize {
        self.columns.first().map_or(0, Column::len)
    }

    /// Number of columns.
    #[must_use]
    pub fn n_columns(&self) -> usize {
        self.columns.len()
    }

    /// The column names, in order.
    #[must_use]
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The columns, in order.
    #[must_use]
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// The column named `name`.
    #[must_use]
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.names
            .iter()
            .position(|n| n == name)
            .map(|j| &self.columns[j])
    }

    /// The column named `name`, or [`DatasetError::MissingColumn`] with close matches.
    ///
    /// # Errors
    /// When there is no such column.
    pub fn require(&self, name: &str) -> Result<&Column> {
        self.column(name)
            .ok_or_else(|| crate::names::missing_column(&self.source, name, &self.names))
    }

    /// The column of a bare column expression, if it is one and exists.
    pub(crate) fn require_column(&self, e: &crate::formula_parse::NumExpr) -> Option<&Column> {
        match e {
            crate::formula_parse::NumExpr::Column(name) => self.column(name),
            _ => None,
        }
    }

    /// The 1-based line of the source file that row `row` (0-based) came from; `None` for a
    /// table built in memory or a row out of range.
    #[must_use]
    pub fn line(&self, row: usize) -> Option<u64> {
        self.lines.line(row)
    }

    /// Where the table came from (the file, or `<table>`), as errors name it.
    #[must_use]
    pub fn source(&self) -> &Path {
        &self.source
    }
}
