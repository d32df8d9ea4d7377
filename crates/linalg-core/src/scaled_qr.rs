//! Least squares by a column-pivoted QR factorization of the equilibrated matrix, with the
//! rank decided on the scaled problem, the aliased columns named, and the inverse Gram matrix
//! from the triangular factor.
//!
//! Equilibration makes every decision independent of the units of the columns: a column of
//! ages and a column of incomes in cents, or the columns `x, x^2, ..., x^10` of a polynomial
//! design, are compared after each is scaled to unit norm. Without it a column that is
//! merely large in magnitude dominates the pivoting and a small but informative one looks
//! numerically zero.

use faer::dyn_stack::{MemBuffer, MemStack, StackReq};
use faer::linalg::householder::{
    apply_block_householder_sequence_transpose_on_the_left_in_place_scratch,
    apply_block_householder_sequence_transpose_on_the_left_in_place_with_conj,
};
use faer::linalg::qr::col_pivoting::factor::{qr_in_place, qr_in_place_scratch};
use faer::linalg::qr::no_pivoting::factor::{
    qr_in_place as qr_unpivoted, qr_in_place_scratch as qr_unpivoted_scratch,
    recommended_block_size,
};
use faer::linalg::triangular_solve::{
    solve_lower_triangular_in_place, solve_upper_triangular_in_place,
};
use faer::{Conj, Mat, MatMut, MatRef, Par};

use crate::error::Result;
use crate::lstsq::check_matrix_finite;

/// The power of two nearest to `norm` (1 for a zero or non-finite norm): dividing by it is
/// exact, so scaling a column changes no digit of its entries, and the scaled column norm is
/// within a factor `sqrt(2)` of 1.
#[must_use]
pub fn power_of_two_scale(norm: f64) -> f64 {
    if norm > 0.0 && norm.is_finite() {
        // log2 of a finite positive f64 lies in [-1075, 1024]
        let e = norm.log2().round().clamp(-1022.0, 1023.0) as i32;
        2f64.powi(e)
    } else {
        1.0
    }
}

/// The default rank cut-off of [`ScaledQr`] for an `n x p` matrix: `max(n, p) eps`, the rule
/// of MATLAB's `\` for rectangular systems.
#[must_use]
pub fn default_rank_tolerance(n: usize, p: usize) -> f64 {
    n.max(p) as f64 * f64::EPSILON
}

/// A column-pivoted QR factorization `A S^{-1} P = Q R` of an equilibrated matrix: `S` is
/// diagonal with powers of two near the column norms of `A` ([`power_of_two_scale`]), `P` the
/// column permutation (largest remaining scaled column first).
///
/// * **Rank.** The numerical rank `r` counts the pivots with `|R_kk| > tol |R_00|` (default
///   `tol = max(n, p) eps`, [`default_rank_tolerance`]); a column whose pivot falls below is
///   numerically a combination of the columns before it *after scaling*, and is reported by
///   [`aliased`](Self::aliased).
/// * **Solution.** [`solve`](Self::solve) returns the least-squares solution; when `r < p`,
///   the one whose scaled coefficients `S x` have minimum norm (a complete orthogonal
///   decomposition `[R11 R12] = L^T Z^T`, as LAPACK's `xGELSY`), which does not depend on
///   the units of the columns.
/// * **Covariance.** [`inverse_gram`](Self::inverse_gram) is `(A^T A)^{-1} =
///   S^{-1} P R^{-1} R^{-T} P^T S^{-1}`, from the triangular factor: it is as accurate as the
///   solution, where a Cholesky factorization of `A^T A` would square the condition number.
///
/// Everything runs sequentially, so results do not depend on the thread count. The
/// factorization keeps the `n x p` matrix (it holds `Q`).
///
/// # Examples
/// ```
/// use linmod_linalg_core::{Mat, ScaledQr};
/// // columns of very different magnitudes, and a third that repeats the first
/// let a = Mat::from_fn(5, 3, |i, j| {
///     let t = i as f64;
///     match j { 0 => t, 1 => 1e-6 * t * t, _ => t }
/// });
/// let qr = ScaledQr::new(a.clone(), None).unwrap();
/// assert_eq!(qr.rank(), 2);
/// assert_eq!(qr.aliased(), &[2]);
/// let y: Vec<f64> = (0..5).map(|i| 2.0 * i as f64 + 1e-6 * (i * i) as f64).collect();
/// let x = qr.solve(&y);
/// // the twins share the weight 2 equally (minimum norm); the small column keeps its own
/// assert!((x[0] - 1.0).abs() < 1e-12 && (x[2] - 1.0).abs() < 1e-12);
/// assert!((x[1] - 1.0).abs() < 1e-8);
/// assert!(qr.inverse_gram().is_none()); // singular
/// ```
#[derive(Clone, Debug)]
pub struct ScaledQr {
    /// Householder vectors below the diagonal, `R` on and above it.
    factor: Mat<f64>,
    coeff: Mat<f64>,
    /// `perm[k]` is the original column in pivot position `k`.
    perm: Vec<usize>,
    scale: Vec<f64>,
    rank: usize,
    /// For `rank < p`: `Z` (`p x r`, orthonormal columns) and `L` (`r x r`, upper
    /// triangular) with `[R11 R12]^T = Z L`.
    complete: Option<(Mat<f64>, Mat<f64>)>,
}

impl ScaledQr {
    /// Equilibrates the columns of `a` in place and factors it. `tol` sets the rank cut-off
    /// relative to the largest pivot (`None`: [`default_rank_tolerance`]).
    ///
    /// # Errors
    /// [`LinalgError::NonFinite`](crate::LinalgError::NonFinite) if `a` holds NaN or an infinity.
    pub fn new(mut a: Mat<f64>, tol: Option<f64>) -> Result<Self> {
        let (n, p) = (a.nrows(), a.ncols());
        check_matrix_finite(a.as_ref())?;
        let tol = tol.unwrap_or_else(|| default_rank_tolerance(n, p));
        // faer's norm is computed without overflow for any finite column
        let scale: Vec<f64> = (0..p)
            .map(|j| power_of_two_scale(a.col(j).norm_l2()))
            .collect();
        for (j, s) in scale.iter().enumerate() {
            let inv = 1.0 / s;
            a.col_mut(j).iter_mut().for_each(|v| *v *= inv);
        }
        let size = n.min(p);
        let block_size = recommended_block_size::<f64>(n.max(1), p.max(1)).max(1);
        let mut coeff = Mat::<f64>::zeros(block_size, size);
        let mut perm = vec![0usize; p];
        let mut perm_inv = vec![0usize; p];
        if size > 0 {
            let mut mem = MemBuffer::new(qr_in_place_scratch::<usize, f64>(
                n,
                p,
                block_size,
                Par::Seq,
                Default::default(),
            ));
            qr_in_place(
                a.as_mut(),
                coeff.as_mut(),
                &mut perm,
                &mut perm_inv,
                Par::Seq,
                MemStack::new(&mut mem),
                Default::default(),
            );
        } else {
            perm.iter_mut().enumerate().for_each(|(k, v)| *v = k);
        }
        let r00 = if size > 0 { a[(0, 0)].abs() } else { 0.0 };
        let rank = (0..size)
            .take_while(|&k| {
                let v = a[(k, k)].abs();
                v.is_finite() && v > tol * r00 && v > 0.0
            })
            .count();
        let complete = (rank < p).then(|| complete_orthogonal(a.as_ref(), rank));
        Ok(Self {
            factor: a,
            coeff,
            perm,
            scale,
            rank,
            complete,
        })
    }

    /// Number of rows of the factored matrix.
    #[must_use]
    pub fn nrows(&self) -> usize {
        self.factor.nrows()
    }

    /// Number of columns of the factored matrix.
    #[must_use]
    pub fn ncols(&self) -> usize {
        self.factor.ncols()
    }

    /// The numerical rank of the equilibrated matrix.
    #[must_use]
    pub fn rank(&self) -> usize {
        self.rank
    }

    /// The columns beyond the numerical rank, in pivot order: each is (numerically, after
    /// scaling) a linear combination of the columns pivoted before it. Empty at full rank.
    #[must_use]
    pub fn aliased(&self) -> &[usize] {
        &self.perm[self.rank..]
    }

    /// The column scales `S` (powers of two near the column norms).
    #[must_use]
    pub fn scale(&self) -> &[f64] {
        &self.scale
    }

    /// The ratio `|R_kk| / |R_00|` of the last pivot inside the rank to the first: a lower
    /// bound of the reciprocal 2-norm condition number of the equilibrated matrix (0 for a
    /// matrix of rank 0).
    #[must_use]
    pub fn pivot_ratio(&self) -> f64 {
        if self.rank == 0 {
            return 0.0;
        }
        self.factor[(self.rank - 1, self.rank - 1)].abs() / self.factor[(0, 0)].abs()
    }

    /// `Q^T b` (length `n`), overwriting `b`.
    fn apply_qt(&self, b: &mut [f64]) {
        let (n, p) = (self.nrows(), self.ncols());
        let size = n.min(p);
        if size == 0 {
            return;
        }
        let mut mem = MemBuffer::new(StackReq::any_of(&[
            apply_block_householder_sequence_transpose_on_the_left_in_place_scratch::<f64>(
                n,
                self.coeff.nrows(),
                1,
            ),
        ]));
        apply_block_householder_sequence_transpose_on_the_left_in_place_with_conj(
            self.factor.as_ref().subcols(0, size),
            self.coeff.as_ref(),
            Conj::Yes,
            MatMut::from_column_major_slice_mut(b, n, 1),
            Par::Seq,
            MemStack::new(&mut mem),
        );
    }

    /// The least-squares solution of `A x ~ b` (minimum norm of `S x` when rank deficient).
    ///
    /// # Panics
    /// If `b` does not have one entry per row.
    #[must_use]
    pub fn solve(&self, b: &[f64]) -> Vec<f64> {
        let (n, p, r) = (self.nrows(), self.ncols(), self.rank);
        assert_eq!(b.len(), n, "right-hand side needs one entry per row");
        let mut c = b.to_vec();
        self.apply_qt(&mut c);
        // z: the solution in pivoted, scaled coordinates
        let mut z = vec![0.0; p];
        match &self.complete {
            None => {
                z.copy_from_slice(&c[..p]);
                solve_upper_triangular_in_place(
                    self.factor.as_ref().get(..p, ..p),
                    MatMut::from_column_major_slice_mut(&mut z, p, 1),
                    Par::Seq,
                );
            }
            Some((zmat, l)) => {
                // [R11 R12] z = c1 with [R11 R12] = L^T Z^T: z = Z L^{-T} c1
                let mut t = c[..r].to_vec();
                solve_lower_triangular_in_place(
                    l.as_ref().transpose(),
                    MatMut::from_column_major_slice_mut(&mut t, r, 1),
                    Par::Seq,
                );
                for (i, zi) in z.iter_mut().enumerate() {
                    *zi = (0..r).map(|k| zmat[(i, k)] * t[k]).sum();
                }
            }
        }
        let mut x = vec![0.0; p];
        for (k, &j) in self.perm.iter().enumerate() {
            x[j] = z[k] / self.scale[j];
        }
        x
    }

    /// Solves the augmented system `[I A; A^T 0] [dr; dx] = [f; g]` with the factorization
    /// (Björck's form of least squares: `f = 0`, `g = 0` has the solution 0, and `f = b`,
    /// `g = 0` gives the residual and the solution of `min |A x - b|`). Returns `(dr, dx)`,
    /// or `None` when the matrix is rank deficient or wide.
    ///
    /// This is the correction step of iterative refinement for least squares (Björck,
    /// *Numerical Methods for Least Squares Problems*, section 2.9): with `f` and `g` the
    /// residuals of both block rows computed in extra precision, it converges to the exact
    /// solution of the data's problem even when the residual `b - A x` is large.
    ///
    /// # Panics
    /// If `f` does not have one entry per row or `g` one per column.
    #[must_use]
    pub fn solve_augmented(&self, f: &[f64], g: &[f64]) -> Option<(Vec<f64>, Vec<f64>)> {
        let (n, p) = (self.nrows(), self.ncols());
        assert_eq!(f.len(), n, "f needs one entry per row");
        assert_eq!(g.len(), p, "g needs one entry per column");
        if self.rank < p || n < p {
            return None;
        }
        let r = self.factor.as_ref().get(..p, ..p);
        // R^T h = P^T S^{-1} g
        let mut h: Vec<f64> = self.perm.iter().map(|&j| g[j] / self.scale[j]).collect();
        solve_lower_triangular_in_place(
            r.transpose(),
            MatMut::from_column_major_slice_mut(&mut h, p, 1),
            Par::Seq,
        );
        let mut c = f.to_vec();
        self.apply_qt(&mut c);
        // R u = d1 - h; then dr = Q [h; d2]
        let mut u: Vec<f64> = c[..p].iter().zip(&h).map(|(d, h)| d - h).collect();
        solve_upper_triangular_in_place(
            r,
            MatMut::from_column_major_slice_mut(&mut u, p, 1),
            Par::Seq,
        );
        c[..p].copy_from_slice(&h);
        self.apply_q(&mut c);
        let mut dx = vec![0.0; p];
        for (k, &j) in self.perm.iter().enumerate() {
            dx[j] = u[k] / self.scale[j];
        }
        Some((c, dx))
    }

    /// `Q b` (length `n`), overwriting `b`.
    fn apply_q(&self, b: &mut [f64]) {
        let (n, p) = (self.nrows(), self.ncols());
        let size = n.min(p);
        if size == 0 {
            return;
        }
        let mut mem = MemBuffer::new(
            faer::linalg::householder::apply_block_householder_sequence_on_the_left_in_place_scratch::<
                f64,
            >(n, self.coeff.nrows(), 1),
        );
        faer::linalg::householder::apply_block_householder_sequence_on_the_left_in_place_with_conj(
            self.factor.as_ref().subcols(0, size),
            self.coeff.as_ref(),
            Conj::No,
            MatMut::from_column_major_slice_mut(b, n, 1),
            Par::Seq,
            MemStack::new(&mut mem),
        );
    }

    /// `z = R^{-T} P^T S^{-1} v`, the vector with `|z|^2 = v^T (A^T A)^{-1} v` (a sum of
    /// squares, free of the cancellation of forming the quadratic form from the inverse), or
    /// `None` at rank deficiency. [`unwhiten`](Self::unwhiten) turns it into
    /// `(A^T A)^{-1} v`.
    ///
    /// # Panics
    /// If `v` does not have one entry per column.
    #[must_use]
    pub fn whiten(&self, v: &[f64]) -> Option<Vec<f64>> {
        let p = self.ncols();
        assert_eq!(v.len(), p, "v needs one entry per column");
        if self.rank < p {
            return None;
        }
        let mut z: Vec<f64> = self.perm.iter().map(|&j| v[j] / self.scale[j]).collect();
        solve_lower_triangular_in_place(
            self.factor.as_ref().get(..p, ..p).transpose(),
            MatMut::from_column_major_slice_mut(&mut z, p, 1),
            Par::Seq,
        );
        Some(z)
    }

    /// `S^{-1} P R^{-1} z`: with `z` from [`whiten`](Self::whiten), `(A^T A)^{-1} v`.
    ///
    /// # Panics
    /// If `z` does not have one entry per column or the factorization is rank deficient.
    #[must_use]
    pub fn unwhiten(&self, z: &[f64]) -> Vec<f64> {
        let p = self.ncols();
        assert_eq!(z.len(), p, "z needs one entry per column");
        assert_eq!(self.rank, p, "rank deficient");
        let mut u = z.to_vec();
        solve_upper_triangular_in_place(
            self.factor.as_ref().get(..p, ..p),
            MatMut::from_column_major_slice_mut(&mut u, p, 1),
            Par::Seq,
        );
        let mut out = vec![0.0; p];
        for (k, &j) in self.perm.iter().enumerate() {
            out[j] = u[k] / self.scale[j];
        }
        out
    }

    /// `(A^T A)^{-1}` (`p x p`, both triangles) from the triangular factor, or `None` when
    /// the matrix is numerically rank deficient.
    #[must_use]
    pub fn inverse_gram(&self) -> Option<Mat<f64>> {
        let p = self.ncols();
        if self.rank < p {
            return None;
        }
        let mut r_inv = Mat::<f64>::identity(p, p);
        solve_upper_triangular_in_place(
            self.factor.as_ref().get(..p, ..p),
            r_inv.as_mut(),
            Par::Seq,
        );
        // M = R^{-1} R^{-T}; entry (a, b) sums over k >= max(a, b) (R^{-1} is upper triangular)
        let mut out = Mat::<f64>::zeros(p, p);
        for a in 0..p {
            for b in a..p {
                let m: f64 = (b..p).map(|k| r_inv[(a, k)] * r_inv[(b, k)]).sum();
                let (ja, jb) = (self.perm[a], self.perm[b]);
                let v = m / (self.scale[ja] * self.scale[jb]);
                out[(ja, jb)] = v;
                out[(jb, ja)] = v;
            }
        }
        Some(out)
    }
}

/// `Z` and `L` with `[R11 R12]^T = Z L` for the first `rank` rows of the (upper trapezoidal)
/// factor: a QR factorization of the `p x r` transpose.
fn complete_orthogonal(factor: MatRef<'_, f64>, rank: usize) -> (Mat<f64>, Mat<f64>) {
    let p = factor.ncols();
    let mut t = Mat::from_fn(p, rank, |i, k| if i >= k { factor[(k, i)] } else { 0.0 });
    if rank == 0 {
        return (t, Mat::zeros(0, 0));
    }
    let block_size = recommended_block_size::<f64>(p, rank).max(1);
    let mut coeff = Mat::<f64>::zeros(block_size, rank);
    let mut mem = MemBuffer::new(qr_unpivoted_scratch::<f64>(
        p,
        rank,
        block_size,
        Par::Seq,
        Default::default(),
    ));
    qr_unpivoted(
        t.as_mut(),
        coeff.as_mut(),
        Par::Seq,
        MemStack::new(&mut mem),
        Default::default(),
    );
    let l = Mat::from_fn(rank, rank, |i, j| if i <= j { t[(i, j)] } else { 0.0 });
    // Z = the first `rank` columns of Q: Q applied to the identity's first columns
    let mut z = Mat::<f64>::zeros(p, rank);
    for k in 0..rank {
        z[(k, k)] = 1.0;
    }
    let mut mem = MemBuffer::new(
        faer::linalg::householder::apply_block_householder_sequence_on_the_left_in_place_scratch::<
            f64,
        >(p, block_size, rank),
    );
    faer::linalg::householder::apply_block_householder_sequence_on_the_left_in_place_with_conj(
        t.as_ref(),
        coeff.as_ref(),
        Conj::No,
        z.as_mut(),
        Par::Seq,
        MemStack::new(&mut mem),
    );
    (z, l)
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // powers of two and zeros are exact
mod tests {
    use super::*;
    use crate::error::LinalgError;

    #[test]
    fn scales_are_exact_powers_of_two() {
        assert_eq!(power_of_two_scale(1.0), 1.0);
        assert_eq!(power_of_two_scale(3.0), 4.0);
        assert_eq!(power_of_two_scale(0.0), 1.0);
        assert_eq!(power_of_two_scale(f64::INFINITY), 1.0);
        let big = power_of_two_scale(1e300);
        assert!((big.log2() - big.log2().round()).abs() == 0.0 && (1e300 / big) < 2.0);
    }

    #[test]
    fn full_rank_solutions_match_the_normal_equations() {
        // x = (1, -2, 0.5) exactly, columns of magnitudes 1, 1e8, 1e-8
        let a = Mat::from_fn(7, 3, |i, j| {
            let t = i as f64 + 1.0;
            [t, 1e8 * t.sqrt(), 1e-8 * t * t][j]
        });
        let truth = [1.0, -2e-8, 0.5e8];
        let b: Vec<f64> = (0..7)
            .map(|i| (0..3).map(|j| a[(i, j)] * truth[j]).sum())
            .collect();
        let qr = ScaledQr::new(a.clone(), None).unwrap();
        assert_eq!(qr.rank(), 3);
        assert!(qr.aliased().is_empty());
        let x = qr.solve(&b);
        for j in 0..3 {
            assert!((x[j] - truth[j]).abs() <= 1e-12 * truth[j].abs(), "{x:?}");
        }
        // (A^T A)^{-1} (A^T A) = I, compared on unit-norm columns (D^{-1} G D^{-1})
        let inv = qr.inverse_gram().unwrap();
        let gram = a.transpose() * &a;
        let d: Vec<f64> = (0..3).map(|j| gram[(j, j)].sqrt()).collect();
        let inv_s = Mat::from_fn(3, 3, |i, j| inv[(i, j)] * d[i] * d[j]);
        let gram_s = Mat::from_fn(3, 3, |i, j| gram[(i, j)] / (d[i] * d[j]));
        let prod = &inv_s * &gram_s;
        for i in 0..3 {
            for j in 0..3 {
                let expect = if i == j { 1.0 } else { 0.0 };
                assert!(
                    (prod[(i, j)] - expect).abs() < 1e-9,
                    "{i} {j} {}",
                    prod[(i, j)]
                );
            }
        }
    }

    #[test]
    fn the_augmented_system_gives_the_residual_and_the_solution() {
        let a = Mat::from_fn(9, 3, |i, j| ((i * 7 + j * 3) % 5) as f64 + 0.5 * j as f64);
        let b: Vec<f64> = (0..9).map(|i| (i as f64).sin()).collect();
        let qr = ScaledQr::new(a.clone(), None).unwrap();
        let (r, x) = qr.solve_augmented(&b, &[0.0; 3]).unwrap();
        let direct = qr.solve(&b);
        for j in 0..3 {
            assert!((x[j] - direct[j]).abs() < 1e-13, "{x:?} vs {direct:?}");
        }
        for i in 0..9 {
            let fit: f64 = (0..3).map(|j| a[(i, j)] * x[j]).sum();
            assert!((r[i] - (b[i] - fit)).abs() < 1e-13);
        }
        // A^T r = 0 at the least-squares solution
        for j in 0..3 {
            let g: f64 = (0..9).map(|i| a[(i, j)] * r[i]).sum();
            assert!(g.abs() < 1e-12, "{g}");
        }
    }

    #[test]
    fn wide_and_empty_matrices() {
        // one row, two equal columns: the minimum-norm solution splits the weight
        let a = Mat::from_fn(1, 2, |_, _| 2.0);
        let qr = ScaledQr::new(a, None).unwrap();
        assert_eq!(qr.rank(), 1);
        assert_eq!(qr.aliased().len(), 1);
        let x = qr.solve(&[4.0]);
        assert!(
            (x[0] - 1.0).abs() < 1e-15 && (x[1] - 1.0).abs() < 1e-15,
            "{x:?}"
        );
        let zero = ScaledQr::new(Mat::<f64>::zeros(3, 2), None).unwrap();
        assert_eq!(zero.rank(), 0);
        assert_eq!(zero.solve(&[1.0, 2.0, 3.0]), vec![0.0, 0.0]);
        let mut bad = Mat::<f64>::zeros(2, 2);
        bad[(1, 0)] = f64::NAN;
        assert!(matches!(
            ScaledQr::new(bad, None),
            Err(LinalgError::NonFinite { row: 1, col: 0, .. })
        ));
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // an all-zero column gets exactly 0
mod exact_zero_tests {
    use super::*;

    #[test]
    fn exact_zero_and_duplicate_columns_do_not_poison_the_factor() {
        // integer data: the duplicate's remainder after elimination is exactly zero
        let a = Mat::from_fn(6, 4, |i, j| match j {
            0 => 1.0,
            1 => i as f64,
            2 => 0.0,
            _ => 2.0 * i as f64,
        });
        let qr = ScaledQr::new(a, None).unwrap();
        assert_eq!(qr.rank(), 2, "{:?}", qr.aliased());
        let b: Vec<f64> = (0..6).map(|i| 1.0 + 5.0 * i as f64).collect();
        let x = qr.solve(&b);
        assert!(x.iter().all(|v| v.is_finite()), "{x:?}");
        assert!((x[0] - 1.0).abs() < 1e-12, "{x:?}");
        assert_eq!(x[2], 0.0);
        // columns 1 and 3 (scaled) share the slope 5 by minimum norm
        let fit: Vec<f64> = (0..6)
            .map(|i| x[0] + x[1] * i as f64 + 2.0 * x[3] * i as f64)
            .collect();
        for (f, y) in fit.iter().zip(&b) {
            assert!((f - y).abs() < 1e-12);
        }
    }
}
