//! The design matrix `X` as the models see it: every kernel that touches `X`, for each way of
//! storing it.
//!
//! A model never reads `X` directly. It asks a [`Design`] for products on a block of rows
//! (the fused passes of [`fused_gradient`](crate::fused_gradient) and
//! [`weighted_gram`](crate::weighted_gram) are written once over these), for a column
//! (coordinate descent) or for a row (minibatch SGD). Dense matrices of any layout implement
//! it through faer's `MatRef`; other storages (sparse, categorical) implement the same methods
//! and every model runs on them unchanged.

use std::ops::Range;

use faer::{Accum, MatMut, MatRef};

use crate::partition::{Parallelism, RowBlocks};
use crate::vector_state::{matmul_seq, settle, vector_sum};

/// Every kernel a model needs from its design matrix `X` (`n x p`).
///
/// Block methods receive a range of rows and work on that block only; the blocked drivers of
/// this crate call them task by task in a fixed partition ([`RowBlocks`]) and add the task
/// results in order, so every result is identical for any thread count. Implementations must
/// be deterministic functions of their arguments.
///
/// # Panics
/// Implementations assert shapes (a range beyond `n`, `w` not `p x k`, buffers of the wrong
/// length): those are programming errors of the caller, never a property of user data.
///
/// # Examples
/// A dense matrix is a design:
/// ```
/// use linmod_linalg_core::{Design, mat};
/// let x = mat![[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]];
/// let d = x.as_ref();
/// assert_eq!((d.nrows(), d.ncols()), (3, 2));
/// let mut z = [0.0; 2];
/// d.block_predictors(1..3, mat![[1.0], [1.0]].as_ref(), &[0.5], &mut z);
/// assert_eq!(z, [7.5, 11.5]);
/// assert_eq!(d.column_dot(1, &[1.0, 1.0, 1.0]), 12.0);
/// assert_eq!(d.row_dot(2, &[1.0, -1.0]), -1.0);
/// ```
pub trait Design: Sync {
    /// Number of rows `n`.
    fn nrows(&self) -> usize;

    /// Number of columns `p`.
    fn ncols(&self) -> usize;

    /// The row partition of passes that keep a block of linear predictors in cache
    /// ([`RowBlocks::for_pass`] by default).
    fn pass_partition(&self) -> RowBlocks {
        RowBlocks::for_pass(self.nrows(), self.ncols())
    }

    /// The row partition of weighted Gram passes ([`RowBlocks::for_gram`] by default).
    fn gram_partition(&self) -> RowBlocks {
        RowBlocks::for_gram(self.nrows(), self.ncols())
    }

    /// Writes `Z = X_rows W + 1 b^T` into `z` (`len x k`, column-major, `len = rows.len()`).
    fn block_predictors(&self, rows: Range<usize>, w: MatRef<'_, f64>, b: &[f64], z: &mut [f64]);

    /// Adds `X_rows^T R` to `g` (`p x k`), for `R` of `len x k`.
    fn block_add_transpose_product(
        &self,
        rows: Range<usize>,
        r: MatRef<'_, f64>,
        g: MatMut<'_, f64>,
    );

    /// Adds the lower triangle of `X_rows^T diag(d) X_rows` (unit weights when `d` is `None`)
    /// to `gram` (`p x p`) and, with weights, `X_rows^T d` to `xtd`. `buf` holds
    /// [`gram_buffer_len`](Self::gram_buffer_len) entries of scratch.
    fn block_add_gram(
        &self,
        rows: Range<usize>,
        d: Option<&[f64]>,
        buf: &mut [f64],
        gram: MatMut<'_, f64>,
        xtd: &mut [f64],
    );

    /// Scratch entries [`block_add_gram`](Self::block_add_gram) needs for blocks of
    /// `block_rows` rows.
    fn gram_buffer_len(&self, block_rows: usize) -> usize;

    /// `sum_i x_ij` (a fast finiteness check too: finite exactly when column `j` holds no NaN
    /// or infinity and does not overflow).
    fn column_sum(&self, j: usize) -> f64;

    /// Writes every column sum into `out` (length `p`): by default [`column_sum`](Self::column_sum)
    /// per column, columns shared out between threads with [`Parallelism::Rayon`]; storages
    /// whose columns are not contiguous (CSR) override it with one pass over their entries.
    /// Either way each sum is added in a fixed order, so the result does not depend on the
    /// thread count.
    fn column_sums_into(&self, out: &mut [f64], par: Parallelism) {
        use rayon::prelude::*;
        match par {
            Parallelism::Sequential => out
                .iter_mut()
                .enumerate()
                .for_each(|(j, s)| *s = self.column_sum(j)),
            Parallelism::Rayon => out
                .par_iter_mut()
                .enumerate()
                .for_each(|(j, s)| *s = self.column_sum(j)),
        }
    }

    /// `x_j . v` for a vector `v` of length `n`.
    fn column_dot(&self, j: usize, v: &[f64]) -> f64;

    /// `v += alpha x_j` for a vector `v` of length `n`.
    fn column_axpy(&self, j: usize, alpha: f64, v: &mut [f64]);

    /// `x_i . w` for row `i` and `w` of length `p`.
    fn row_dot(&self, i: usize, w: &[f64]) -> f64;

    /// `out += alpha x_i` for row `i` and `out` of length `p`.
    fn row_axpy(&self, i: usize, alpha: f64, out: &mut [f64]);

    /// Writes `sum_i s_i x_ij^2` (unit `s` when `weights` is `None`) for every column `j` into
    /// `out` (length `p`): the curvatures of coordinate descent on least squares. The default
    /// reads each column through [`column_dot`](Self::column_dot) against a gathered copy of
    /// the column (`O(n p)` time, `O(n)` memory); dense and sparse storages override it with
    /// one pass over their entries.
    fn column_weighted_squares(&self, weights: Option<&[f64]>, out: &mut [f64]) {
        let mut col = vec![0.0; self.nrows()];
        for (j, o) in out.iter_mut().enumerate() {
            col.fill(0.0);
            self.column_axpy(j, 1.0, &mut col);
            if let Some(s) = weights {
                col.iter_mut().zip(s).for_each(|(c, si)| *c *= si);
            }
            *o = self.column_dot(j, &col);
        }
    }

    /// Whether [`column_dot`](Self::column_dot) and [`column_axpy`](Self::column_axpy) cost
    /// `O(entries of the column)` (dense and column-compressed storage), so that coordinate
    /// descent is efficient; `false` for row-compressed storage, where each costs a search in
    /// every row.
    fn has_fast_columns(&self) -> bool {
        true
    }

    /// Number of stored entries: `n p` for dense storage (saturating), the non-zeros for
    /// sparse storage. Solver choices use it to tell sparse problems from dense ones.
    fn stored_entries(&self) -> usize {
        self.nrows().saturating_mul(self.ncols())
    }

    /// The matrix as a dense view, when it is stored densely (the factorizations of least
    /// squares and inference work on dense matrices only).
    fn as_dense(&self) -> Option<MatRef<'_, f64>> {
        None
    }
}

impl<D: Design + ?Sized> Design for &D {
    fn nrows(&self) -> usize {
        (**self).nrows()
    }
    fn ncols(&self) -> usize {
        (**self).ncols()
    }
    fn pass_partition(&self) -> RowBlocks {
        (**self).pass_partition()
    }
    fn gram_partition(&self) -> RowBlocks {
        (**self).gram_partition()
    }
    fn block_predictors(&self, rows: Range<usize>, w: MatRef<'_, f64>, b: &[f64], z: &mut [f64]) {
        (**self).block_predictors(rows, w, b, z);
    }
    fn block_add_transpose_product(
        &self,
        rows: Range<usize>,
        r: MatRef<'_, f64>,
        g: MatMut<'_, f64>,
    ) {
        (**self).block_add_transpose_product(rows, r, g);
    }
    fn block_add_gram(
        &self,
        rows: Range<usize>,
        d: Option<&[f64]>,
        buf: &mut [f64],
        gram: MatMut<'_, f64>,
        xtd: &mut [f64],
    ) {
        (**self).block_add_gram(rows, d, buf, gram, xtd);
    }
    fn gram_buffer_len(&self, block_rows: usize) -> usize {
        (**self).gram_buffer_len(block_rows)
    }
    fn column_sum(&self, j: usize) -> f64 {
        (**self).column_sum(j)
    }
    fn column_sums_into(&self, out: &mut [f64], par: Parallelism) {
        (**self).column_sums_into(out, par);
    }
    fn column_dot(&self, j: usize, v: &[f64]) -> f64 {
        (**self).column_dot(j, v)
    }
    fn column_axpy(&self, j: usize, alpha: f64, v: &mut [f64]) {
        (**self).column_axpy(j, alpha, v);
    }
    fn row_dot(&self, i: usize, w: &[f64]) -> f64 {
        (**self).row_dot(i, w)
    }
    fn row_axpy(&self, i: usize, alpha: f64, out: &mut [f64]) {
        (**self).row_axpy(i, alpha, out);
    }
    fn stored_entries(&self) -> usize {
        (**self).stored_entries()
    }
    fn column_weighted_squares(&self, weights: Option<&[f64]>, out: &mut [f64]) {
        (**self).column_weighted_squares(weights, out);
    }
    fn has_fast_columns(&self) -> bool {
        (**self).has_fast_columns()
    }
    fn as_dense(&self) -> Option<MatRef<'_, f64>> {
        (**self).as_dense()
    }
}

/// Dense matrices of any layout (column-major, row-major, strided views): every block product
/// is one sequential faer product on the block's sub-view (through
/// [`matmul_seq`](crate::matmul_seq), which leaves the vector unit clean for the scalar code
/// that follows).
impl Design for MatRef<'_, f64> {
    fn nrows(&self) -> usize {
        MatRef::nrows(self)
    }

    fn ncols(&self) -> usize {
        MatRef::ncols(self)
    }

    fn block_predictors(&self, rows: Range<usize>, w: MatRef<'_, f64>, b: &[f64], z: &mut [f64]) {
        let len = rows.len();
        let k = w.ncols();
        let zm = MatMut::from_column_major_slice_mut(z, len, k);
        matmul_seq(zm, Accum::Replace, self.subrows(rows.start, len), w, 1.0);
        for (c, &bc) in b.iter().enumerate() {
            if bc != 0.0 {
                z[c * len..(c + 1) * len].iter_mut().for_each(|v| *v += bc);
            }
        }
    }

    fn block_add_transpose_product(
        &self,
        rows: Range<usize>,
        r: MatRef<'_, f64>,
        g: MatMut<'_, f64>,
    ) {
        let xb = self.subrows(rows.start, rows.len());
        matmul_seq(g, Accum::Add, xb.transpose(), r, 1.0);
    }

    fn block_add_gram(
        &self,
        rows: Range<usize>,
        d: Option<&[f64]>,
        buf: &mut [f64],
        gram: MatMut<'_, f64>,
        xtd: &mut [f64],
    ) {
        use faer::linalg::matmul::triangular::{self, BlockStructure};
        let len = rows.len();
        let p = MatRef::ncols(self);
        let xb = self.subrows(rows.start, len);
        let rhs = match d {
            Some(db) => {
                let buf = &mut buf[..len * p];
                for j in 0..p {
                    let col = &mut buf[j * len..(j + 1) * len];
                    for ((v, &xv), &dv) in col.iter_mut().zip(xb.col(j).iter()).zip(db) {
                        *v = dv * xv;
                    }
                    xtd[j] += vector_sum(col);
                }
                MatRef::from_column_major_slice(&buf[..len * p], len, p)
            }
            None => xb,
        };
        triangular::matmul(
            gram,
            BlockStructure::TriangularLower,
            Accum::Add,
            xb.transpose(),
            BlockStructure::Rectangular,
            rhs,
            BlockStructure::Rectangular,
            1.0,
            faer::Par::Seq,
        );
        settle();
    }

    fn gram_buffer_len(&self, block_rows: usize) -> usize {
        block_rows.min(MatRef::nrows(self)) * MatRef::ncols(self)
    }

    fn column_sum(&self, j: usize) -> f64 {
        self.col(j).sum()
    }

    fn column_dot(&self, j: usize, v: &[f64]) -> f64 {
        let col = self.col(j);
        match col.try_as_col_major() {
            Some(c) => dot(c.as_slice(), v),
            None => col.iter().zip(v).map(|(a, b)| a * b).sum(),
        }
    }

    fn column_axpy(&self, j: usize, alpha: f64, v: &mut [f64]) {
        for (vi, xi) in v.iter_mut().zip(self.col(j).iter()) {
            *vi += alpha * xi;
        }
    }

    fn row_dot(&self, i: usize, w: &[f64]) -> f64 {
        self.row(i).iter().zip(w).map(|(a, b)| a * b).sum()
    }

    fn row_axpy(&self, i: usize, alpha: f64, out: &mut [f64]) {
        for (o, xi) in out.iter_mut().zip(self.row(i).iter()) {
            *o += alpha * xi;
        }
    }

    fn as_dense(&self) -> Option<MatRef<'_, f64>> {
        Some(*self)
    }
}

/// `a . b` with four independent accumulators (the compiler vectorizes them), in an order
/// that depends only on the length.
#[inline]
pub(crate) fn dot(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut acc = [0.0f64; 4];
    let chunks = n / 4;
    for c in 0..chunks {
        for l in 0..4 {
            acc[l] += a[4 * c + l] * b[4 * c + l];
        }
    }
    let mut tail = 0.0;
    for i in 4 * chunks..n {
        tail += a[i] * b[i];
    }
    (acc[0] + acc[2]) + (acc[1] + acc[3]) + tail
}
