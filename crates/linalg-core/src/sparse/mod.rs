//! Compressed sparse matrices: [`CsrMatrix`] (rows) and [`CscMatrix`] (columns), both
//! [`Design`](crate::Design)s, so every model runs on them without densifying.
//!
//! Both store three arrays, as SciPy and LIBSVM do: `indptr` (one offset per major line plus
//! one), `indices` (the minor index of each stored entry, strictly increasing within a line)
//! and `values`. Indices are `u32` (12 bytes per entry with the value): the passes over a
//! sparse matrix are bound by memory traffic, and no data set of the kind these types serve
//! has more than four billion features or rows.
//!
//! Use CSR for row passes (gradients, Hessian-vector products, predictions) and CSC for
//! column access (coordinate descent); [`CsrMatrix::to_csc`] and [`CscMatrix::to_csr`]
//! convert in `O(nnz)` time and memory.

mod csc;
mod csr;
mod kernels;

pub use csc::CscMatrix;
pub use csr::CsrMatrix;

use faer::Mat;

use crate::error::{LinalgError, Result};

/// The three arrays of compressed storage, validated by the owning type.
#[derive(Clone, Debug, PartialEq)]
struct Compressed {
    indptr: Vec<usize>,
    indices: Vec<u32>,
    values: Vec<f64>,
}

impl Compressed {
    /// Line `l` (a row of CSR, a column of CSC) as (indices, values).
    #[inline]
    fn line(&self, l: usize) -> (&[u32], &[f64]) {
        let r = self.indptr[l]..self.indptr[l + 1];
        (&self.indices[r.clone()], &self.values[r])
    }

    /// The storage of the transpose, for `n_minor` positions per line.
    fn transpose(&self, n_minor: usize) -> Self {
        let (indptr, indices, values) =
            transpose_compressed(n_minor, &self.indptr, &self.indices, &self.values);
        Self {
            indptr,
            indices,
            values,
        }
    }

    /// The dense `nrows x ncols` matrix; lines are rows when `rows` (CSR), else columns.
    fn to_dense(&self, nrows: usize, ncols: usize, rows: bool) -> Mat<f64> {
        let mut out = Mat::zeros(nrows, ncols);
        for l in 0..self.indptr.len() - 1 {
            let (idx, val) = self.line(l);
            for (&m, &v) in idx.iter().zip(val) {
                let (i, j) = if rows {
                    (l, m as usize)
                } else {
                    (m as usize, l)
                };
                out[(i, j)] = v;
            }
        }
        out
    }
}

/// The accessors of a compressed type with field `data: Compressed`; `$line` names its lines.
macro_rules! compressed_accessors {
    ($line:literal, $minor:literal) => {
        /// Number of stored entries.
        #[must_use]
        pub fn nnz(&self) -> usize {
            self.data.values.len()
        }

        #[doc = concat!("The ", $line, " offsets (one per ", $line, ", plus one).")]
        #[must_use]
        pub fn indptr(&self) -> &[usize] {
            &self.data.indptr
        }

        #[doc = concat!("The ", $minor, " index of every stored entry.")]
        #[must_use]
        pub fn indices(&self) -> &[u32] {
            &self.data.indices
        }

        /// The value of every stored entry.
        #[must_use]
        pub fn values(&self) -> &[f64] {
            &self.data.values
        }
    };
}
use compressed_accessors;

/// Checks the compressed arrays of a matrix with `n_major` lines (rows of a CSR matrix,
/// columns of a CSC one) and `n_minor` positions per line: `indptr` starts at 0, never
/// decreases and ends at `nnz`; indices are below `n_minor` and strictly increasing within a
/// line; values are finite. `major` and `minor` name the line kinds in messages.
fn check_compressed(
    (n_major, n_minor): (usize, usize),
    indptr: &[usize],
    indices: &[u32],
    values: &[f64],
    (major, minor): (&'static str, &'static str),
) -> Result<()> {
    let invalid = |detail: String| Err(LinalgError::InvalidSparse { detail });
    if indptr.len() != n_major + 1 {
        return invalid(format!(
            "indptr has {} entries, expected {} ({n_major} {major}s + 1)",
            indptr.len(),
            n_major + 1
        ));
    }
    if indices.len() != values.len() {
        return invalid(format!(
            "{} indices but {} values",
            indices.len(),
            values.len()
        ));
    }
    if indptr[0] != 0 {
        return invalid(format!("indptr starts at {}, expected 0", indptr[0]));
    }
    if indptr[n_major] != values.len() {
        return invalid(format!(
            "indptr ends at {}, but there are {} stored entries",
            indptr[n_major],
            values.len()
        ));
    }
    // monotone offsets first: then every line's range lies within the entries
    if let Some(line) = (0..n_major).find(|&l| indptr[l + 1] < indptr[l]) {
        return invalid(format!(
            "indptr decreases at {major} {line} ({} then {})",
            indptr[line],
            indptr[line + 1]
        ));
    }
    for line in 0..n_major {
        let (start, end) = (indptr[line], indptr[line + 1]);
        let mut previous: Option<u32> = None;
        for (&idx, &v) in indices[start..end].iter().zip(&values[start..end]) {
            if idx as usize >= n_minor {
                return invalid(format!(
                    "{major} {line} has {minor} index {idx}, beyond the {n_minor} {minor}s"
                ));
            }
            if let Some(prev) = previous
                && idx <= prev
            {
                let what = if idx == prev {
                    "repeats"
                } else {
                    "is not sorted at"
                };
                return invalid(format!("{major} {line} {what} {minor} index {idx}"));
            }
            if !v.is_finite() {
                let (row, col) = if major == "row" {
                    (line, idx as usize)
                } else {
                    (idx as usize, line)
                };
                return Err(LinalgError::NonFinite {
                    what: "sparse matrix",
                    row,
                    col,
                    value: v,
                });
            }
            previous = Some(idx);
        }
    }
    Ok(())
}

/// Transposes compressed storage: `n_major` lines over `n_minor` positions become `n_minor`
/// lines over `n_major` positions (CSR to CSC and back), in `O(nnz + n_major + n_minor)`,
/// indices sorted by construction.
fn transpose_compressed(
    n_minor: usize,
    indptr: &[usize],
    indices: &[u32],
    values: &[f64],
) -> (Vec<usize>, Vec<u32>, Vec<f64>) {
    let nnz = values.len();
    let mut counts = vec![0usize; n_minor + 1];
    for &j in indices {
        counts[j as usize + 1] += 1;
    }
    for j in 0..n_minor {
        counts[j + 1] += counts[j];
    }
    let out_ptr = counts.clone();
    let mut next = counts;
    let mut out_idx = vec![0u32; nnz];
    let mut out_val = vec![0.0; nnz];
    for line in 0..indptr.len() - 1 {
        for k in indptr[line]..indptr[line + 1] {
            let j = indices[k] as usize;
            let dst = next[j];
            // the major count was checked to fit in u32 by the caller
            out_idx[dst] = line as u32;
            out_val[dst] = values[k];
            next[j] += 1;
        }
    }
    (out_ptr, out_idx, out_val)
}

/// Fails unless `n` lines can be indexed by `u32` (the indices of the transposed storage).
fn check_index_range(n: usize, what: &'static str) -> Result<()> {
    if u32::try_from(n).is_err() {
        return Err(LinalgError::InvalidSparse {
            detail: format!("{n} {what}s: sparse indices are 32-bit (at most 4294967295)"),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests;
