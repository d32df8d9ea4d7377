//! Compressed sparse rows.

use std::ops::Range;

use faer::prelude::ReborrowMut;
use faer::{Mat, MatMut, MatRef};

use super::kernels::{find, line_axpy, line_dot, with_column, with_column_mut};
use super::{Compressed, CscMatrix, check_compressed, check_index_range};
use crate::design::Design;
use crate::error::Result;
use crate::partition::{Parallelism, RowBlocks};

/// A sparse `n x p` matrix in compressed sparse row (CSR) form: row `i`'s column indices are
/// `indices[indptr[i]..indptr[i + 1]]` (strictly increasing) and its values the same range of
/// `values`, as `scipy.sparse.csr_matrix` stores them.
///
/// As a [`Design`] it serves every row pass of the models (gradients, Hessian-vector
/// products, predictions, weighted Gram matrices for small `p`) in `O(nnz)`; column access
/// (coordinate descent) costs a binary search per row, so convert to [`CscMatrix`] for that.
/// Row passes use a fixed partition of the rows, so results are identical for any thread
/// count.
///
/// # Examples
/// ```
/// use linmod_linalg_core::{CsrMatrix, Design, mat};
/// // [[1, 0, 2], [0, 0, 3]]
/// let x = CsrMatrix::new(2, 3, vec![0, 2, 3], vec![0, 2, 2], vec![1.0, 2.0, 3.0])?;
/// assert_eq!(x.nnz(), 3);
/// assert_eq!(x.row_dot(0, &[1.0, 1.0, 1.0]), 3.0);
/// assert_eq!(x.to_dense(), mat![[1.0, 0.0, 2.0], [0.0, 0.0, 3.0]]);
/// // unsorted or repeated indices are refused
/// assert!(CsrMatrix::new(1, 3, vec![0, 2], vec![2, 0], vec![1.0, 1.0]).is_err());
/// # Ok::<(), linmod_linalg_core::LinalgError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct CsrMatrix {
    nrows: usize,
    ncols: usize,
    data: Compressed,
    /// The row partition of passes, fixed by the shape and the number of stored entries.
    part: RowBlocks,
}

impl CsrMatrix {
    /// The matrix with the given compressed arrays, validated.
    ///
    /// # Errors
    /// [`LinalgError::InvalidSparse`](crate::LinalgError::InvalidSparse) when `indptr` does not
    /// have `nrows + 1` entries, does not start at 0, decreases or does not end at the number
    /// of values, when `indices` and `values` differ in length, or when a row's indices are
    /// not strictly increasing or not below `ncols`;
    /// [`LinalgError::NonFinite`](crate::LinalgError::NonFinite) for a NaN or infinite value.
    pub fn new(
        nrows: usize,
        ncols: usize,
        indptr: Vec<usize>,
        indices: Vec<u32>,
        values: Vec<f64>,
    ) -> Result<Self> {
        check_compressed(
            (nrows, ncols),
            &indptr,
            &indices,
            &values,
            ("row", "column"),
        )?;
        Ok(Self::from_checked(nrows, ncols, indptr, indices, values))
    }

    pub(super) fn from_checked(
        nrows: usize,
        ncols: usize,
        indptr: Vec<usize>,
        indices: Vec<u32>,
        values: Vec<f64>,
    ) -> Self {
        let part = sparse_pass_partition(nrows, ncols, values.len());
        Self {
            nrows,
            ncols,
            data: Compressed {
                indptr,
                indices,
                values,
            },
            part,
        }
    }

    /// The non-zero entries of a dense matrix (exact zeros are not stored).
    ///
    /// # Errors
    /// As [`new`](Self::new): a non-finite entry, or more than `u32::MAX` columns.
    pub fn from_dense(x: MatRef<'_, f64>) -> Result<Self> {
        check_index_range(x.ncols(), "column")?;
        let mut indptr = Vec::with_capacity(x.nrows() + 1);
        indptr.push(0);
        let (mut indices, mut values) = (Vec::new(), Vec::new());
        for i in 0..x.nrows() {
            for j in 0..x.ncols() {
                let v = x[(i, j)];
                if v != 0.0 {
                    // j < ncols <= u32::MAX, checked above
                    indices.push(j as u32);
                    values.push(v);
                }
            }
            indptr.push(values.len());
        }
        Self::new(x.nrows(), x.ncols(), indptr, indices, values)
    }

    /// The same entries with `ncols` columns (at least the largest stored index plus one):
    /// how a test file with fewer features than the training file is read with the training
    /// width.
    ///
    /// # Errors
    /// [`LinalgError::InvalidSparse`](crate::LinalgError::InvalidSparse) naming the first row
    /// that stores a column at or beyond `ncols`.
    pub fn with_ncols(self, ncols: usize) -> Result<Self> {
        let Compressed {
            indptr,
            indices,
            values,
        } = self.data;
        Self::new(self.nrows, ncols, indptr, indices, values)
    }

    super::compressed_accessors!("row", "column");

    /// Row `i` as (column indices, values).
    ///
    /// # Panics
    /// If `i >= nrows`.
    #[must_use]
    pub fn row(&self, i: usize) -> (&[u32], &[f64]) {
        self.data.line(i)
    }

    /// The same matrix in compressed sparse column form (`O(nnz)` time and memory).
    ///
    /// # Errors
    /// [`LinalgError::InvalidSparse`](crate::LinalgError::InvalidSparse) when there are more
    /// than `u32::MAX` rows (CSC row indices are 32-bit).
    pub fn to_csc(&self) -> Result<CscMatrix> {
        check_index_range(self.nrows, "row")?;
        let t = self.data.transpose(self.ncols);
        Ok(CscMatrix::from_checked(
            self.nrows, self.ncols, t.indptr, t.indices, t.values,
        ))
    }

    /// The dense matrix (for tests and small matrices: it allocates `n x p`).
    #[must_use]
    pub fn to_dense(&self) -> Mat<f64> {
        self.data.to_dense(self.nrows, self.ncols, true)
    }
}

/// Rows per block of sparse passes: small, since a block only holds its linear predictors.
const SPARSE_BLOCK_ROWS: usize = 256;
/// Most tasks of a sparse pass.
const SPARSE_MAX_TASKS: usize = 16;

/// The pass partition of a sparse matrix: blocks of 256 rows, grouped into at most 16 tasks
/// and at most `nnz / (2 p)`, so that the per-task partial results (`p` numbers each) and their
/// reduction stay small beside the `nnz` entries a pass reads. Depends only on the shape and
/// `nnz`, never on the thread count.
pub(super) fn sparse_pass_partition(n: usize, p: usize, nnz: usize) -> RowBlocks {
    let n_blocks = n.div_ceil(SPARSE_BLOCK_ROWS).max(1);
    let tasks = (nnz / (2 * p.max(1))).clamp(1, SPARSE_MAX_TASKS);
    RowBlocks::new(n, SPARSE_BLOCK_ROWS, n_blocks.div_ceil(tasks))
}

/// CSR rows as a design: every row pass reads each stored entry once.
impl Design for CsrMatrix {
    fn nrows(&self) -> usize {
        self.nrows
    }

    fn ncols(&self) -> usize {
        self.ncols
    }

    fn pass_partition(&self) -> RowBlocks {
        self.part
    }

    fn block_predictors(&self, rows: Range<usize>, w: MatRef<'_, f64>, b: &[f64], z: &mut [f64]) {
        let len = rows.len();
        for (c, &bc) in b.iter().enumerate().take(w.ncols()) {
            with_column(w, c, |wc| {
                for (zi, i) in z[c * len..(c + 1) * len].iter_mut().zip(rows.clone()) {
                    let (idx, val) = self.row(i);
                    *zi = line_dot(idx, val, wc) + bc;
                }
            });
        }
    }

    fn block_add_transpose_product(
        &self,
        rows: Range<usize>,
        r: MatRef<'_, f64>,
        mut g: MatMut<'_, f64>,
    ) {
        for c in 0..r.ncols() {
            with_column(r, c, |rc| {
                with_column_mut(g.rb_mut(), c, |gc| {
                    for (&ri, i) in rc.iter().zip(rows.clone()) {
                        if ri != 0.0 {
                            let (idx, val) = self.row(i);
                            line_axpy(idx, val, ri, gc);
                        }
                    }
                });
            });
        }
    }

    fn block_add_gram(
        &self,
        rows: Range<usize>,
        d: Option<&[f64]>,
        _buf: &mut [f64],
        mut gram: MatMut<'_, f64>,
        xtd: &mut [f64],
    ) {
        for (o, i) in rows.enumerate() {
            let di = d.map_or(1.0, |d| d[o]);
            if di == 0.0 {
                continue;
            }
            let (idx, val) = self.row(i);
            for (a, (&ja, &va)) in idx.iter().zip(val).enumerate() {
                let dva = di * va;
                if d.is_some() {
                    xtd[ja as usize] += dva;
                }
                // indices increase within a row, so (ja, jb) with b <= a is in the lower triangle
                for (&jb, &vb) in idx[..=a].iter().zip(&val[..=a]) {
                    gram[(ja as usize, jb as usize)] += dva * vb;
                }
            }
        }
    }

    fn gram_buffer_len(&self, _block_rows: usize) -> usize {
        0
    }

    fn stored_entries(&self) -> usize {
        self.nnz()
    }

    fn column_weighted_squares(&self, weights: Option<&[f64]>, out: &mut [f64]) {
        out.fill(0.0);
        for i in 0..self.nrows {
            let s = weights.map_or(1.0, |w| w[i]);
            let (idx, val) = self.row(i);
            for (&j, &v) in idx.iter().zip(val) {
                out[j as usize] += s * v * v;
            }
        }
    }

    fn has_fast_columns(&self) -> bool {
        false
    }

    fn column_sum(&self, j: usize) -> f64 {
        (0..self.nrows)
            .filter_map(|i| {
                let (idx, val) = self.row(i);
                find(idx, j).map(|k| val[k])
            })
            .sum()
    }

    fn column_sums_into(&self, out: &mut [f64], _par: Parallelism) {
        out.fill(0.0);
        for (&j, &v) in self.data.indices.iter().zip(&self.data.values) {
            out[j as usize] += v;
        }
    }

    fn column_dot(&self, j: usize, v: &[f64]) -> f64 {
        (0..self.nrows)
            .filter_map(|i| {
                let (idx, val) = self.row(i);
                find(idx, j).map(|k| val[k] * v[i])
            })
            .sum()
    }

    fn column_axpy(&self, j: usize, alpha: f64, v: &mut [f64]) {
        for (i, vi) in v.iter_mut().enumerate().take(self.nrows) {
            let (idx, val) = self.row(i);
            if let Some(k) = find(idx, j) {
                *vi += alpha * val[k];
            }
        }
    }

    fn row_dot(&self, i: usize, w: &[f64]) -> f64 {
        let (idx, val) = self.row(i);
        line_dot(idx, val, w)
    }

    fn row_axpy(&self, i: usize, alpha: f64, out: &mut [f64]) {
        let (idx, val) = self.row(i);
        line_axpy(idx, val, alpha, out);
    }
}
