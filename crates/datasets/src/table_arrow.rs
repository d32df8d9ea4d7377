//! Tables from Apache Arrow record batches (feature `arrow`) and Parquet files (feature
//! `parquet`): what polars, pandas (pyarrow), DuckDB and Spark hand over.

use std::collections::HashMap;
use std::path::Path;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Float16Type, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type, UInt8Type,
    UInt16Type, UInt32Type, UInt64Type,
};
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, SchemaRef};

use crate::csv_parse::{SourceLines, out_of_memory};
use crate::error::{DatasetError, Result};
use crate::table::{Column, MISSING_CODE, Table};

/// A column being filled batch by batch.
enum Builder {
    Numeric {
        values: Vec<f64>,
        integer: bool,
    },
    Text {
        index: HashMap<String, u32>,
        levels: Vec<String>,
        codes: Vec<u32>,
    },
}

impl Builder {
    fn for_type(data_type: &DataType, name: &str, file: &Path, rows: usize) -> Result<Self> {
        let text = match data_type {
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => true,
            DataType::Dictionary(_, v)
                if matches!(
                    **v,
                    DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
                ) =>
            {
                true
            }
            t if t.is_numeric()
                && !matches!(
                    t,
                    DataType::Decimal32(..)
                        | DataType::Decimal64(..)
                        | DataType::Decimal128(..)
                        | DataType::Decimal256(..)
                ) =>
            {
                false
            }
            DataType::Boolean => false,
            other => {
                return Err(columnar(
                    file,
                    format!(
                        "column `{name}` has type {other}, which a table does not hold \
                         (numbers, booleans and strings do)"
                    ),
                ));
            }
        };
        if text {
            let mut codes = Vec::new();
            codes
                .try_reserve_exact(rows)
                .map_err(|_| out_of_memory(file, rows / 2))?;
            Ok(Self::Text {
                index: HashMap::new(),
                levels: Vec::new(),
                codes,
            })
        } else {
            let mut values = Vec::new();
            values
                .try_reserve_exact(rows)
                .map_err(|_| out_of_memory(file, rows))?;
            Ok(Self::Numeric {
                values,
                // booleans as 0 and 1
                integer: data_type.is_integer() || *data_type == DataType::Boolean,
            })
        }
    }

    fn push_text(&mut self, cell: Option<&str>, file: &Path) -> Result<()> {
        let Self::Text {
            index,
            levels,
            codes,
        } = self
        else {
            return Ok(());
        };
        let code = match cell {
            None => MISSING_CODE,
            Some(s) => match index.get(s) {
                Some(&c) => c,
                None => {
                    let c = u32::try_from(levels.len())
                        .ok()
                        .filter(|&c| c != MISSING_CODE)
                        .ok_or_else(|| out_of_memory(file, usize::MAX))?;
                    levels.push(s.to_owned());
                    index.insert(s.to_owned(), c);
                    c
                }
            },
        };
        codes.push(code);
        Ok(())
    }

    fn append(&mut self, array: &dyn Array, file: &Path) -> Result<()> {
        match self {
            Self::Numeric { values, integer } => {
                if array.null_count() > 0 {
                    // pandas reads an integer column with nulls as float
                    *integer = false;
                }
                let start = values.len();
                numeric_values(array, values);
                if values.len() != start + array.len() {
                    return Err(columnar(
                        file,
                        "a column changed type between batches".into(),
                    ));
                }
                for (i, v) in values[start..].iter_mut().enumerate() {
                    if array.is_null(i) {
                        *v = f64::NAN;
                    }
                }
            }
            Self::Text { .. } => {
                if let Some(a) = array.as_string_opt::<i32>() {
                    for i in 0..a.len() {
                        self.push_text(a.is_valid(i).then(|| a.value(i)), file)?;
                    }
                } else if let Some(a) = array.as_string_opt::<i64>() {
                    for i in 0..a.len() {
                        self.push_text(a.is_valid(i).then(|| a.value(i)), file)?;
                    }
                } else if let Some(a) = array.as_string_view_opt() {
                    for i in 0..a.len() {
                        self.push_text(a.is_valid(i).then(|| a.value(i)), file)?;
                    }
                } else if let Some(d) = array.as_any_dictionary_opt() {
                    // the dictionary's strings, then one code per row
                    let mut words = Builder::Text {
                        index: HashMap::new(),
                        levels: Vec::new(),
                        codes: Vec::new(),
                    };
                    words.append(d.values().as_ref(), file)?;
                    let Builder::Text {
                        levels: words,
                        codes: word_codes,
                        ..
                    } = words
                    else {
                        return Ok(());
                    };
                    let keys = d.normalized_keys();
                    for (i, &k) in keys.iter().enumerate() {
                        let word = word_codes
                            .get(k)
                            .filter(|&&c| c != MISSING_CODE && array.is_valid(i))
                            .map(|&c| words[c as usize].as_str());
                        self.push_text(word, file)?;
                    }
                } else {
                    return Err(columnar(
                        file,
                        "a column changed type between batches".into(),
                    ));
                }
            }
        }
        Ok(())
    }

    fn finish(self) -> Column {
        match self {
            Self::Numeric { values, integer } => Column::Numeric { values, integer },
            Self::Text { levels, codes, .. } => Column::Text { levels, codes },
        }
    }
}

/// Appends the values of a numeric or boolean array as `f64` (nulls as whatever the
/// buffer holds: the caller marks them).
fn numeric_values(array: &dyn Array, out: &mut Vec<f64>) {
    macro_rules! widen {
        ($($t:ty),*) => {
            $(if let Some(a) = array.as_primitive_opt::<$t>() {
                out.extend(a.values().iter().map(|&v| v as f64));
                return;
            })*
        };
    }
    if let Some(a) = array.as_primitive_opt::<Float16Type>() {
        out.extend(a.values().iter().map(|v| v.to_f64()));
        return;
    }
    #[allow(clippy::cast_precision_loss)] // integers above 2^53 round, as in pandas
    {
        widen!(
            Float64Type,
            Float32Type,
            Int8Type,
            Int16Type,
            Int32Type,
            Int64Type,
            UInt8Type,
            UInt16Type,
            UInt32Type,
            UInt64Type
        );
    }
    if let Some(a) = array.as_boolean_opt() {
        out.extend((0..a.len()).map(|i| f64::from(u8::from(a.value(i)))));
    }
}

fn columnar(file: &Path, message: String) -> DatasetError {
    DatasetError::Columnar {
        file: file.to_path_buf(),
        message,
    }
}

/// The table of record batches that share `schema`; `source` names them in errors.
fn from_batches<'a>(
    schema: &SchemaRef,
    batches: impl IntoIterator<Item = Result<RecordBatch>> + 'a,
    rows: usize,
    source: &Path,
) -> Result<Table> {
    let mut builders = schema
        .fields()
        .iter()
        .map(|f| Builder::for_type(f.data_type(), f.name(), source, rows))
        .collect::<Result<Vec<_>>>()?;
    for batch in batches {
        let batch = batch?;
        if batch.num_columns() != builders.len() {
            return Err(columnar(source, "a batch has another schema".into()));
        }
        for (b, column) in builders.iter_mut().zip(batch.columns()) {
            b.append(column.as_ref(), source)?;
        }
    }
    let names = schema.fields().iter().map(|f| f.name().clone()).collect();
    let columns = builders.into_iter().map(Builder::finish).collect();
    Table::with_source(names, columns, SourceLines::default(), source)
}

impl Table {
    /// A table from Arrow record batches of one schema (polars' `DataFrame::to_arrow`,
    /// pyarrow, DuckDB): numeric and boolean columns become numeric (nulls missing), string
    /// and dictionary-encoded string columns text. Values are copied into the table's
    /// columns (8 bytes a row for a number, 4 for a text cell, each distinct string once).
    /// Errors name a row by its 0-based index across the batches (`<arrow>, row 7`).
    ///
    /// # Errors
    /// [`DatasetError::Columnar`] for a column of another type (dates, lists, decimals) or
    /// batches of different schemas; [`DatasetError::DuplicateColumn`];
    /// [`DatasetError::OutOfMemory`].
    ///
    /// # Examples
    /// ```
    /// use std::sync::Arc;
    /// use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
    /// use linmod_datasets::{ColumnType, Table};
    /// let batch = RecordBatch::try_from_iter([
    ///     ("age", Arc::new(Float64Array::from(vec![Some(22.0), None])) as ArrayRef),
    ///     ("sex", Arc::new(StringArray::from(vec!["male", "female"])) as ArrayRef),
    /// ])
    /// .unwrap();
    /// let t = Table::from_record_batches(&batch.schema(), &[batch])?;
    /// assert_eq!(t.column("sex").map(|c| c.column_type()), Some(ColumnType::Text));
    /// assert!(t.column("age").is_some_and(|c| c.is_missing(1)));
    /// # Ok::<(), linmod_datasets::DatasetError>(())
    /// ```
    pub fn from_record_batches(schema: &SchemaRef, batches: &[RecordBatch]) -> Result<Self> {
        let rows = batches.iter().map(RecordBatch::num_rows).sum();
        from_batches(
            schema,
            batches.iter().cloned().map(Ok),
            rows,
            Path::new("<arrow>"),
        )
    }
}

/// Reads a Parquet file into a [`Table`] (feature `parquet`; snappy-compressed or
/// uncompressed pages, as pandas and pyarrow write by default): the columns named in
/// [`TableOptions::only`](crate::TableOptions::only) (all by default), converted as
/// [`Table::from_record_batches`]. The row count in the file's footer sizes the columns
/// before they are filled. Errors name rows by their 0-based index.
///
/// # Errors
/// [`DatasetError::Io`]; [`DatasetError::Columnar`] for a file that is not Parquet, a
/// compression this build does not read, or a column of an unsupported type;
/// [`DatasetError::MissingColumn`] for a name in `only` that is not in the file;
/// [`DatasetError::OutOfMemory`].
///
/// # Examples
/// ```
/// use linmod_datasets::{TableOptions, read_parquet};
/// let err = read_parquet("no-such-file.parquet", &TableOptions::new()).unwrap_err();
/// assert!(err.to_string().starts_with("no-such-file.parquet: "));
/// ```
#[cfg(feature = "parquet")]
pub fn read_parquet(path: impl AsRef<Path>, options: &crate::TableOptions) -> Result<Table> {
    use arrow_array::RecordBatchReader;
    use parquet::arrow::ProjectionMask;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    let path = path.as_ref();
    let file = std::fs::File::open(path).map_err(|source| DatasetError::Io {
        file: path.to_path_buf(),
        source,
    })?;
    let fail = |e: &dyn std::fmt::Display| {
        let text = e.to_string();
        let hint = if text.contains("Disabled feature") {
            " (this build reads uncompressed and snappy-compressed Parquet, the default of \
             pandas and pyarrow; write the file with compression=\"snappy\")"
        } else {
            ""
        };
        columnar(path, format!("{text}{hint}"))
    };
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| fail(&e))?;
    let rows = usize::try_from(builder.metadata().file_metadata().num_rows())
        .map_err(|_| columnar(path, "a negative row count in the footer".into()))?;
    let names: Vec<String> = builder
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    let mut indices: Vec<usize> = (0..names.len()).collect();
    if let Some(only) = options.only_columns() {
        for name in only {
            if !names.contains(name) {
                return Err(crate::names::missing_column(path, name, &names));
            }
        }
        indices.retain(|&j| only.contains(&names[j]));
    }
    let mask = ProjectionMask::roots(builder.parquet_schema(), indices);
    let reader = builder
        .with_projection(mask)
        .with_batch_size(1 << 16)
        .build()
        .map_err(|e| fail(&e))?;
    let schema = reader.schema();
    from_batches(&schema, reader.map(|b| b.map_err(|e| fail(&e))), rows, path)
}
