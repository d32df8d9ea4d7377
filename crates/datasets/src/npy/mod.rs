//! Reading and writing NumPy `.npy` files.
//!
//! The format (numpy's `lib.format`): the magic string `\x93NUMPY`, a version, the length of
//! a header, the header itself (a Python dict literal giving `descr`, `fortran_order` and
//! `shape`), then the elements in C (row-major) or Fortran (column-major) order.
//!
//! The header is parsed here rather than with the `npyz` crate: npyz reads the data either
//! element by element through an iterator of `io::Result`s or into a `Vec` (a second full-size
//! copy), and its header parser pulls in a Python-literal grammar (`py_literal`, `pest`,
//! `num-bigint`). A design matrix must instead be streamed in chunks straight into the final
//! column-major [`Mat`], and the header is a small documented format.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;

use linalg_core::{Mat, MatRef};

use crate::Dataset;
use crate::dataset::{NonFinite, numbered_names};
use crate::error::{DatasetError, Result, shape_text};

mod header;
#[cfg(test)]
mod tests;

use header::{NpyFile, header_bytes, open, open_reader, read_up_to};

/// Bytes read or written per chunk: small enough for a row block and its decoded values to
/// stay in the L2 cache while they are scattered into the matrix columns.
const CHUNK_BYTES: usize = 1 << 18;

/// The memory order of a matrix written to `.npy`.
///
/// # Examples
/// ```
/// use linmod_datasets::NpyOrder;
/// assert_eq!(NpyOrder::default(), NpyOrder::C);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum NpyOrder {
    /// Row-major, numpy's default (`fortran_order: False`).
    #[default]
    C,
    /// Column-major (`fortran_order: True`), the layout of [`Mat`]: written and read without
    /// transposing.
    Fortran,
}

/// Reads a 2-D `.npy` array as a matrix.
///
/// Accepts little- and big-endian `float64` in C or Fortran order, and converts `float32` and
/// integer arrays (`int8` to `int64`, `uint8` to `uint64`) to `f64` (integers beyond `2^53`
/// are rounded). The data are read in chunks and scattered straight into the column-major
/// matrix, so the memory used is the size of the matrix plus less than a megabyte.
///
/// # Errors
/// Each names the file:
/// - [`DatasetError::Io`] if the file cannot be read;
/// - [`DatasetError::EmptyInput`] for an empty file or an array without elements;
/// - [`DatasetError::NpyBadMagic`] / [`DatasetError::NpyBadHeader`] when the file is not
///   an `.npy` file / its header is malformed;
/// - [`DatasetError::NpyUnsupportedDtype`] for other element types (bool, complex, strings,
///   structured, ...);
/// - [`DatasetError::NpyWrongDimension`] unless the array is 2-D;
/// - [`DatasetError::NpyTruncated`] if the file holds fewer bytes than the header announces;
/// - [`DatasetError::NonFiniteElement`] for NaN or infinity (with its row and column);
/// - [`DatasetError::OutOfMemory`] if the matrix cannot be allocated.
///
/// # Examples
/// ```
/// use linmod_datasets::{NpyOrder, read_npy_matrix, write_npy_matrix};
/// use linmod_datasets::mat;
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("x.npy");
/// let x = mat![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]];
/// write_npy_matrix(&path, x.as_ref(), NpyOrder::C)?;
/// assert_eq!(read_npy_matrix(&path)?, x);
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
pub fn read_npy_matrix(path: impl AsRef<Path>) -> Result<Mat<f64>> {
    Ok(read_matrix(open(path.as_ref())?, NonFinite::Reject)?.0)
}

/// [`read_npy_matrix`] from the bytes of an `.npy` file held in memory (embedded data, a
/// download, an archive member); `name` stands for the file in error messages.
///
/// # Errors
/// As [`read_npy_matrix`].
///
/// # Examples
/// ```
/// use linmod_datasets::{NpyOrder, read_npy_matrix_from_bytes, write_npy_matrix};
/// use linmod_datasets::mat;
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("x.npy");
/// let x = mat![[1.0, 2.0], [3.0, 4.0]];
/// write_npy_matrix(&path, x.as_ref(), NpyOrder::C)?;
/// let bytes = std::fs::read(&path).unwrap();
/// assert_eq!(read_npy_matrix_from_bytes(&bytes, "x.npy")?, x);
/// let err = read_npy_matrix_from_bytes(&bytes[..bytes.len() - 8], "x.npy").unwrap_err();
/// assert!(err.to_string().starts_with("x.npy: "));
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
pub fn read_npy_matrix_from_bytes(bytes: &[u8], name: impl AsRef<Path>) -> Result<Mat<f64>> {
    let npy = open_reader(bytes, bytes.len() as u64, name.as_ref())?;
    Ok(read_matrix(npy, NonFinite::Reject)?.0)
}

/// Reads a 1-D `.npy` array (shape `(n,)`, or `(n, 1)`) as a vector.
///
/// Element types as [`read_npy_matrix`].
///
/// # Errors
/// As [`read_npy_matrix`], with [`DatasetError::NpyWrongDimension`] unless the array is 1-D
/// or a single column.
///
/// # Examples
/// ```
/// use linmod_datasets::{read_npy_vector, write_npy_vector};
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("y.npy");
/// write_npy_vector(&path, &[0.0, 1.0, 1.0])?;
/// assert_eq!(read_npy_vector(&path)?, vec![0.0, 1.0, 1.0]);
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
pub fn read_npy_vector(path: impl AsRef<Path>) -> Result<Vec<f64>> {
    Ok(read_vector(open(path.as_ref())?, NonFinite::Reject)?.0)
}

/// [`read_npy_vector`] from the bytes of an `.npy` file held in memory; `name` stands for the
/// file in error messages.
///
/// # Errors
/// As [`read_npy_vector`].
///
/// # Examples
/// ```
/// use linmod_datasets::{read_npy_vector_from_bytes, write_npy_vector};
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("y.npy");
/// write_npy_vector(&path, &[0.0, 1.0])?;
/// let bytes = std::fs::read(&path).unwrap();
/// assert_eq!(read_npy_vector_from_bytes(&bytes, "y.npy")?, vec![0.0, 1.0]);
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
pub fn read_npy_vector_from_bytes(bytes: &[u8], name: impl AsRef<Path>) -> Result<Vec<f64>> {
    let npy = open_reader(bytes, bytes.len() as u64, name.as_ref())?;
    Ok(read_vector(npy, NonFinite::Reject)?.0)
}

/// Reads a design matrix and a target from two `.npy` files (as written by
/// [`write_npy_dataset`] or numpy's `np.save`).
///
/// Features are named `x1, ..., xp` and the target `y`. With [`NonFinite::DropRows`], rows
/// whose features or target hold NaN or an infinity are removed in place (no second copy).
///
/// # Errors
/// As [`read_npy_matrix`] and [`read_npy_vector`]; [`DatasetError::ShapeMismatch`] if the
/// target does not have one value per row; [`DatasetError::EmptyInput`] if every row was
/// dropped.
///
/// # Examples
/// ```
/// use linmod_datasets::{NonFinite, NpyOrder, read_npy_dataset, write_npy_dataset};
/// let dir = tempfile::tempdir().unwrap();
/// let (xp, yp) = (dir.path().join("X.npy"), dir.path().join("y.npy"));
/// write_npy_dataset(&xp, &yp, &linmod_datasets::wine(), NpyOrder::Fortran)?;
/// let back = read_npy_dataset(&xp, &yp, NonFinite::Reject)?;
/// assert_eq!(back.x, linmod_datasets::wine().x);
/// assert_eq!(back.feature_names[0], "x1");
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
pub fn read_npy_dataset(
    x_path: impl AsRef<Path>,
    y_path: impl AsRef<Path>,
    non_finite: NonFinite,
) -> Result<Dataset> {
    let (x_path, y_path) = (x_path.as_ref(), y_path.as_ref());
    let (mut y, y_bad) = read_vector(open(y_path)?, non_finite)?;
    let (mut x, x_bad) = read_matrix(open(x_path)?, non_finite)?;
    if y.len() != x.nrows() {
        return Err(DatasetError::ShapeMismatch {
            what: "target values (one per row of X)",
            expected: x.nrows(),
            found: y.len(),
        });
    }
    let mut dropped = 0;
    if x_bad || y_bad {
        let mut keep: Vec<bool> = y.iter().map(|v| v.is_finite()).collect();
        for j in 0..x.ncols() {
            for (k, v) in keep.iter_mut().zip(x.col_as_slice(j)) {
                *k &= v.is_finite();
            }
        }
        let kept = keep.iter().filter(|&&k| k).count();
        dropped = y.len() - kept;
        if kept == 0 {
            return Err(DatasetError::EmptyInput {
                file: x_path.to_path_buf(),
                reason: "every row holds a non-finite value and was dropped",
            });
        }
        for j in 0..x.ncols() {
            compact(x.col_as_slice_mut(j), &keep);
        }
        compact(&mut y, &keep);
        x.truncate(kept, x.ncols());
        y.truncate(kept);
    }
    let mut description = format!(
        "read from {} and {}: {} rows, {} features",
        x_path.display(),
        y_path.display(),
        x.nrows(),
        x.ncols()
    );
    if dropped > 0 {
        description.push_str(&format!("; {dropped} rows with non-finite values dropped"));
    }
    let p = x.ncols();
    Dataset::new(x, y, numbered_names(p), description)
}

/// Writes a matrix as a 2-D little-endian `float64` `.npy` file (format version 1.0), in C
/// (row-major, numpy's default) or Fortran (column-major) order; `np.load` reads either.
///
/// # Errors
/// [`DatasetError::Io`] naming the file.
///
/// # Examples
/// ```
/// use linmod_datasets::{NpyOrder, write_npy_matrix};
/// use linmod_datasets::mat;
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("x.npy");
/// write_npy_matrix(&path, mat![[1.0, 2.0]].as_ref(), NpyOrder::Fortran)?;
/// let bytes = std::fs::read(&path).unwrap();
/// assert_eq!(bytes.len(), 128 + 16);
/// assert!(bytes.starts_with(b"\x93NUMPY\x01\x00"));
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
pub fn write_npy_matrix(path: impl AsRef<Path>, x: MatRef<'_, f64>, order: NpyOrder) -> Result<()> {
    let path = path.as_ref();
    let file = File::create(path).map_err(|source| DatasetError::Io {
        file: path.to_path_buf(),
        source,
    })?;
    write_npy_matrix_to(file, x, order, path)
}

/// [`write_npy_matrix`] to any writer (flushed at the end); `name` stands for the file in
/// error messages.
///
/// # Errors
/// [`DatasetError::Io`] naming `name`.
///
/// # Examples
/// ```
/// use linmod_datasets::{NpyOrder, read_npy_matrix_from_bytes, write_npy_matrix_to};
/// use linalg_core::mat;
/// let mut bytes = Vec::new();
/// write_npy_matrix_to(&mut bytes, mat![[1.0, 2.0]].as_ref(), NpyOrder::C, "x.npy")?;
/// assert_eq!(read_npy_matrix_from_bytes(&bytes, "x.npy")?, mat![[1.0, 2.0]]);
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
pub fn write_npy_matrix_to<W: Write>(
    mut writer: W,
    x: MatRef<'_, f64>,
    order: NpyOrder,
    name: impl AsRef<Path>,
) -> Result<()> {
    let (n, p) = (x.nrows(), x.ncols());
    write_to(
        &mut writer,
        name.as_ref(),
        &[n, p],
        order == NpyOrder::Fortran,
        |w, buf| match order {
            NpyOrder::Fortran => {
                (0..p).try_for_each(|j| write_values(w, buf, x.col(j).iter().copied()))
            }
            NpyOrder::C => write_rows(w, buf, x),
        },
    )
}

/// Writes a slice as a 1-D little-endian `float64` `.npy` file.
///
/// # Errors
/// [`DatasetError::Io`] naming the file.
///
/// # Examples
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("y.npy");
/// linmod_datasets::write_npy_vector(&path, &[1.5, -2.0])?;
/// assert_eq!(linmod_datasets::read_npy_vector(&path)?, vec![1.5, -2.0]);
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
pub fn write_npy_vector(path: impl AsRef<Path>, v: &[f64]) -> Result<()> {
    let path = path.as_ref();
    let file = File::create(path).map_err(|source| DatasetError::Io {
        file: path.to_path_buf(),
        source,
    })?;
    write_npy_vector_to(file, v, path)
}

/// [`write_npy_vector`] to any writer (flushed at the end); `name` stands for the file in
/// error messages.
///
/// # Errors
/// [`DatasetError::Io`] naming `name`.
///
/// # Examples
/// ```
/// let mut bytes = Vec::new();
/// linmod_datasets::write_npy_vector_to(&mut bytes, &[1.5, -2.0], "y.npy")?;
/// assert_eq!(linmod_datasets::read_npy_vector_from_bytes(&bytes, "y.npy")?, vec![1.5, -2.0]);
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
pub fn write_npy_vector_to<W: Write>(
    mut writer: W,
    v: &[f64],
    name: impl AsRef<Path>,
) -> Result<()> {
    write_to(&mut writer, name.as_ref(), &[v.len()], false, |w, buf| {
        write_values(w, buf, v.iter().copied())
    })
}

/// Writes the features and the target of a data set as two `.npy` files (a 2-D matrix in the
/// given order and a 1-D vector), for `np.load` or [`read_npy_dataset`].
///
/// # Errors
/// [`DatasetError::Io`] naming the file; [`DatasetError::ShapeMismatch`] if the data set is
/// inconsistent.
///
/// # Examples
/// See [`read_npy_dataset`].
pub fn write_npy_dataset(
    x_path: impl AsRef<Path>,
    y_path: impl AsRef<Path>,
    data: &Dataset,
    order: NpyOrder,
) -> Result<()> {
    data.check()?;
    write_npy_matrix(x_path, data.x.as_ref(), order)?;
    write_npy_vector(y_path, &data.y)
}

/// Moves the kept entries to the front, in order.
fn compact(values: &mut [f64], keep: &[bool]) {
    let mut to = 0;
    for from in 0..values.len() {
        if keep[from] {
            values[to] = values[from];
            to += 1;
        }
    }
}

/// How element `k` of the file maps to a (row, column) of the result.
#[derive(Clone, Copy)]
enum Layout {
    RowMajor { ncols: usize },
    ColMajor { nrows: usize },
}

impl Layout {
    fn position(self, k: usize) -> (usize, usize) {
        match self {
            Self::RowMajor { ncols } => (k / ncols, k % ncols),
            Self::ColMajor { nrows } => (k % nrows, k / nrows),
        }
    }
}

/// Reads the elements of a file chunk by chunk, decoded to `f64`.
struct Chunks<R> {
    npy: NpyFile<R>,
    layout: Layout,
    reject_non_finite: bool,
    saw_non_finite: bool,
    /// Raw bytes of a chunk, for element types that need converting (empty otherwise).
    bytes: Vec<u8>,
    values: Vec<f64>,
    /// Elements read so far.
    done: usize,
}

impl<R: Read> Chunks<R> {
    /// Checks the size of the data and prepares chunks of about `CHUNK_BYTES` (whole rows of
    /// `unit` elements for a row-major matrix).
    fn new(npy: NpyFile<R>, layout: Layout, unit: usize, non_finite: NonFinite) -> Result<Self> {
        let size = npy.header.dtype.size();
        let total = npy
            .header
            .shape
            .iter()
            .try_fold(1usize, |a, &d| a.checked_mul(d));
        let expected =
            total
                .and_then(|t| t.checked_mul(size))
                .ok_or_else(|| DatasetError::NpyBadHeader {
                    file: npy.path.clone(),
                    reason: format!("shape {} is too large", shape_text(&npy.header.shape)),
                })?;
        if (expected as u64) > npy.data_bytes {
            return Err(DatasetError::NpyTruncated {
                file: npy.path.clone(),
                expected: expected as u64,
                found: npy.data_bytes,
            });
        }
        if expected == 0 {
            return Err(DatasetError::EmptyInput {
                file: npy.path.clone(),
                reason: "the array has no elements",
            });
        }
        let per_chunk = (CHUNK_BYTES / (unit * size)).max(1) * unit;
        let native = npy.header.dtype.is_native_f64();
        Ok(Self {
            npy,
            layout,
            reject_non_finite: non_finite == NonFinite::Reject,
            saw_non_finite: false,
            bytes: if native {
                Vec::new()
            } else {
                vec![0; per_chunk * size]
            },
            values: vec![0.0; per_chunk],
            done: 0,
        })
    }

    /// The number of elements of a full chunk.
    fn capacity(&self) -> usize {
        self.values.len()
    }

    /// Reads and decodes the next `count` elements (at most [`Chunks::capacity`]).
    // Called once per chunk: kept out of line so that the per-element loops that call it
    // stay small and are optimized alike.
    #[inline(never)]
    fn next(&mut self, count: usize) -> Result<&[f64]> {
        let dtype = self.npy.header.dtype;
        let native = dtype.is_native_f64();
        let wanted = count * dtype.size();
        // Native-endian f64 (the usual case) is read straight into the values.
        let bytes: &mut [u8] = if native {
            bytemuck::cast_slice_mut(&mut self.values[..count])
        } else {
            &mut self.bytes[..wanted]
        };
        let got = read_up_to(&mut self.npy.file, bytes).map_err(|source| DatasetError::Io {
            file: self.npy.path.clone(),
            source,
        })?;
        if got < wanted {
            // The file shrank after its size was checked.
            let size = dtype.size() as u64;
            return Err(DatasetError::NpyTruncated {
                file: self.npy.path.clone(),
                expected: self.npy.header.shape.iter().product::<usize>() as u64 * size,
                found: self.done as u64 * size + got as u64,
            });
        }
        let values = &mut self.values[..count];
        let all_finite = if native {
            values.iter().fold(true, |a, v| a & v.is_finite())
        } else {
            dtype.decode(&self.bytes[..wanted], values)
        };
        if !all_finite && let Some(k) = values.iter().position(|v| !v.is_finite()) {
            self.saw_non_finite = true;
            if self.reject_non_finite {
                let (row, column) = self.layout.position(self.done + k);
                return Err(DatasetError::NonFiniteElement {
                    file: self.npy.path.clone(),
                    row,
                    column,
                    value: values[k],
                });
            }
        }
        self.done += count;
        Ok(values)
    }
}

/// Reads a 2-D array; also returns whether it holds a non-finite value.
fn read_matrix<R: Read>(npy: NpyFile<R>, non_finite: NonFinite) -> Result<(Mat<f64>, bool)> {
    let path = npy.path.clone();
    let &[n, p] = npy.header.shape.as_slice() else {
        return Err(DatasetError::NpyWrongDimension {
            file: npy.path,
            expected: "a 2-D array (a design matrix)",
            shape: npy.header.shape,
        });
    };
    let fortran = npy.header.fortran_order;
    let (layout, unit) = if fortran {
        (Layout::ColMajor { nrows: n }, 1)
    } else {
        (Layout::RowMajor { ncols: p }, p)
    };
    let mut chunks = Chunks::new(npy, layout, unit, non_finite)?;
    let mut x = Mat::<f64>::new();
    x.try_reserve(n, p).map_err(|_| DatasetError::OutOfMemory {
        file: path.to_path_buf(),
        bytes: (n * p * 8) as u64,
    })?;
    // `resize_with` initialises the new entries from the closure in column-major order, so the
    // matrix is filled without first being zeroed and without a second copy of the data.
    if fortran {
        // The file's order is the matrix's: pull the elements one chunk at a time.
        let total = n * p;
        let (mut pos, mut len) = (0, 0);
        let mut failure = None;
        x.resize_with(n, p, |_, _| {
            if pos == len {
                if failure.is_some() {
                    return 0.0;
                }
                let count = chunks.capacity().min(total - chunks.done);
                if let Err(e) = chunks.next(count) {
                    failure = Some(e);
                    return 0.0;
                }
                (pos, len) = (0, count);
            }
            pos += 1;
            chunks.values[pos - 1]
        });
        if let Some(e) = failure {
            return Err(e);
        }
    } else {
        // Row blocks: decode a block, then scatter it into the columns.
        let rows_per_chunk = chunks.capacity() / p;
        let mut r0 = 0;
        while r0 < n {
            let rows = rows_per_chunk.min(n - r0);
            let block = chunks.next(rows * p)?;
            x.resize_with(r0 + rows, p, |i, j| block[(i - r0) * p + j]);
            r0 += rows;
        }
    }
    Ok((x, chunks.saw_non_finite))
}

/// Reads a 1-D array (or a single column); also returns whether it holds a non-finite value.
fn read_vector<R: Read>(npy: NpyFile<R>, non_finite: NonFinite) -> Result<(Vec<f64>, bool)> {
    let path = npy.path.clone();
    let n = match npy.header.shape.as_slice() {
        &[n] | &[n, 1] => n,
        _ => {
            return Err(DatasetError::NpyWrongDimension {
                file: npy.path,
                expected: "a 1-D array (a target vector)",
                shape: npy.header.shape,
            });
        }
    };
    let mut chunks = Chunks::new(npy, Layout::ColMajor { nrows: n }, 1, non_finite)?;
    let mut y = Vec::new();
    y.try_reserve_exact(n)
        .map_err(|_| DatasetError::OutOfMemory {
            file: path.to_path_buf(),
            bytes: (n * 8) as u64,
        })?;
    while y.len() < n {
        let count = chunks.capacity().min(n - y.len());
        y.extend_from_slice(chunks.next(count)?);
    }
    Ok((y, chunks.saw_non_finite))
}

fn write_to(
    w: &mut dyn Write,
    path: &Path,
    shape: &[usize],
    fortran_order: bool,
    body: impl FnOnce(&mut dyn Write, &mut Vec<u8>) -> io::Result<()>,
) -> Result<()> {
    let io_err = |source| DatasetError::Io {
        file: path.to_path_buf(),
        source,
    };
    w.write_all(&header_bytes(shape, fortran_order))
        .map_err(io_err)?;
    let mut buf = Vec::with_capacity(CHUNK_BYTES);
    body(w, &mut buf).map_err(io_err)?;
    w.flush().map_err(io_err)
}

/// Writes values in order, a chunk at a time.
fn write_values(
    w: &mut dyn Write,
    buf: &mut Vec<u8>,
    values: impl Iterator<Item = f64>,
) -> io::Result<()> {
    buf.clear();
    for v in values {
        buf.extend_from_slice(&v.to_le_bytes());
        if buf.len() >= CHUNK_BYTES {
            w.write_all(buf)?;
            buf.clear();
        }
    }
    w.write_all(buf)
}

/// Writes a matrix in row-major order, transposing a block of rows at a time.
fn write_rows(w: &mut dyn Write, buf: &mut Vec<u8>, x: MatRef<'_, f64>) -> io::Result<()> {
    let (n, p) = (x.nrows(), x.ncols());
    if p == 0 {
        return Ok(());
    }
    let rows_per_chunk = (CHUNK_BYTES / (8 * p)).max(1);
    let mut r0 = 0;
    while r0 < n {
        let rows = rows_per_chunk.min(n - r0);
        buf.clear();
        buf.resize(rows * p * 8, 0);
        for j in 0..p {
            for (i, v) in x.col(j).subrows(r0, rows).iter().enumerate() {
                let at = (i * p + j) * 8;
                buf[at..at + 8].copy_from_slice(&v.to_le_bytes());
            }
        }
        w.write_all(buf)?;
        r0 += rows;
    }
    Ok(())
}
