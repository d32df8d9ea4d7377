//! Compressed sparse columns.

use std::ops::Range;

use faer::prelude::ReborrowMut;
use faer::{Mat, MatMut, MatRef};

use super::kernels::{find, line_axpy, line_dot, span, with_column, with_column_mut};
use super::{Compressed, CsrMatrix, check_compressed, check_index_range};
use crate::design::Design;
use crate::error::Result;
use crate::partition::{Parallelism, RowBlocks};

/// A sparse `n x p` matrix in compressed sparse column (CSC) form: column `j`'s row indices
/// are `indices[indptr[j]..indptr[j + 1]]` (strictly increasing) and its values the same
/// range of `values`, as `scipy.sparse.csc_matrix` stores them.
///
/// As a [`Design`] it serves column access (coordinate descent: `x_j . v`, `v += a x_j`,
/// column sums) in `O(nnz_j)`. Row-block passes work too (each column's entries in the block
/// are found by binary search, `O(p log n)` per block beyond the entries), but a [`CsrMatrix`]
/// is the storage for them.
///
/// # Examples
/// ```
/// use linmod_linalg_core::{CscMatrix, Design, mat};
/// // [[1, 0, 2], [0, 0, 3]]
/// let x = CscMatrix::new(2, 3, vec![0, 1, 1, 3], vec![0, 0, 1], vec![1.0, 2.0, 3.0])?;
/// assert_eq!(x.column_dot(2, &[1.0, 1.0]), 5.0);
/// assert_eq!(x.to_csr()?.to_dense(), mat![[1.0, 0.0, 2.0], [0.0, 0.0, 3.0]]);
/// # Ok::<(), linmod_linalg_core::LinalgError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct CscMatrix {
    nrows: usize,
    ncols: usize,
    data: Compressed,
    part: RowBlocks,
}

impl CscMatrix {
    /// The matrix with the given compressed arrays, validated.
    ///
    /// # Errors
    /// As [`CsrMatrix::new`], with columns in place of rows.
    pub fn new(
        nrows: usize,
        ncols: usize,
        indptr: Vec<usize>,
        indices: Vec<u32>,
        values: Vec<f64>,
    ) -> Result<Self> {
        check_compressed(
            (ncols, nrows),
            &indptr,
            &indices,
            &values,
            ("column", "row"),
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
        let part = super::csr::sparse_pass_partition(nrows, ncols, values.len());
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

    super::compressed_accessors!("column", "row");

    /// Column `j` as (row indices, values).
    ///
    /// # Panics
    /// If `j >= ncols`.
    #[must_use]
    pub fn column(&self, j: usize) -> (&[u32], &[f64]) {
        self.data.line(j)
    }

    /// The same matrix in compressed sparse row form (`O(nnz)` time and memory).
    ///
    /// # Errors
    /// [`LinalgError::InvalidSparse`](crate::LinalgError::InvalidSparse) when there are more
    /// than `u32::MAX` columns.
    pub fn to_csr(&self) -> Result<CsrMatrix> {
        check_index_range(self.ncols, "column")?;
        let t = self.data.transpose(self.nrows);
        Ok(CsrMatrix::from_checked(
            self.nrows, self.ncols, t.indptr, t.indices, t.values,
        ))
    }

    /// The dense matrix (for tests and small matrices: it allocates `n x p`).
    #[must_use]
    pub fn to_dense(&self) -> Mat<f64> {
        self.data.to_dense(self.nrows, self.ncols, false)
    }

    /// Column `j` restricted to the rows in `rows`.
    fn column_in(&self, j: usize, rows: &Range<usize>) -> (&[u32], &[f64]) {
        let (idx, val) = self.column(j);
        let s = span(idx, rows);
        (&idx[s.clone()], &val[s])
    }
}

/// CSC columns as a design: column kernels in `O(nnz_j)`, row blocks by binary search.
impl Design for CscMatrix {
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
            let zc = &mut z[c * len..(c + 1) * len];
            zc.fill(bc);
            with_column(w, c, |wc| {
                for (j, &wj) in wc.iter().enumerate() {
                    if wj != 0.0 {
                        let (idx, val) = self.column_in(j, &rows);
                        for (&i, &v) in idx.iter().zip(val) {
                            zc[i as usize - rows.start] += v * wj;
                        }
                    }
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
                    for (j, gj) in gc.iter_mut().enumerate() {
                        let (idx, val) = self.column_in(j, &rows);
                        *gj += idx
                            .iter()
                            .zip(val)
                            .map(|(&i, &v)| v * rc[i as usize - rows.start])
                            .sum::<f64>();
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
        let weight = |i: u32| d.map_or(1.0, |d| d[i as usize - rows.start]);
        for ja in 0..self.ncols {
            let (ia, va) = self.column_in(ja, &rows);
            if ia.is_empty() {
                continue;
            }
            if d.is_some() {
                xtd[ja] += ia.iter().zip(va).map(|(&i, &v)| weight(i) * v).sum::<f64>();
            }
            for jb in 0..=ja {
                let (ib, vb) = self.column_in(jb, &rows);
                // merge of two sorted row lists
                let (mut s, mut a, mut b) = (0.0, 0, 0);
                while a < ia.len() && b < ib.len() {
                    match ia[a].cmp(&ib[b]) {
                        std::cmp::Ordering::Less => a += 1,
                        std::cmp::Ordering::Greater => b += 1,
                        std::cmp::Ordering::Equal => {
                            s += weight(ia[a]) * va[a] * vb[b];
                            a += 1;
                            b += 1;
                        }
                    }
                }
                gram[(ja, jb)] += s;
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
        for (j, o) in out.iter_mut().enumerate() {
            let (idx, val) = self.column(j);
            *o = match weights {
                Some(w) => idx
                    .iter()
                    .zip(val)
                    .map(|(&i, &v)| w[i as usize] * v * v)
                    .sum(),
                None => val.iter().map(|v| v * v).sum(),
            };
        }
    }

    fn column_sum(&self, j: usize) -> f64 {
        self.column(j).1.iter().sum()
    }

    fn column_sums_into(&self, out: &mut [f64], _par: Parallelism) {
        for (j, s) in out.iter_mut().enumerate() {
            *s = self.column_sum(j);
        }
    }

    fn column_dot(&self, j: usize, v: &[f64]) -> f64 {
        let (idx, val) = self.column(j);
        line_dot(idx, val, v)
    }

    fn column_axpy(&self, j: usize, alpha: f64, v: &mut [f64]) {
        let (idx, val) = self.column(j);
        line_axpy(idx, val, alpha, v);
    }

    fn row_dot(&self, i: usize, w: &[f64]) -> f64 {
        (0..self.ncols)
            .filter_map(|j| {
                let (idx, val) = self.column(j);
                find(idx, i).map(|k| val[k] * w[j])
            })
            .sum()
    }

    fn row_axpy(&self, i: usize, alpha: f64, out: &mut [f64]) {
        for (j, o) in out.iter_mut().enumerate().take(self.ncols) {
            let (idx, val) = self.column(j);
            if let Some(k) = find(idx, i) {
                *o += alpha * val[k];
            }
        }
    }
}
