//! Cholesky factorization `A = L L^T` of symmetric positive-definite matrices, with a typed
//! error naming the failing pivot, and a diagonal-shift fallback for Newton steps.

use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::cholesky::llt::factor::{cholesky_in_place, cholesky_in_place_scratch};
use faer::linalg::triangular_solve::{
    solve_lower_triangular_in_place, solve_upper_triangular_in_place,
};
use faer::{Mat, MatMut, MatRef, Par};

use crate::error::{LinalgError, Result};

/// The Cholesky factor of a symmetric positive-definite matrix, reusable across
/// factorizations of the same size (a Newton solver refactors its Hessian every iteration
/// without allocating).
///
/// Only the lower triangle of the input is read. Factorizations run sequentially, so results
/// do not depend on the thread count.
///
/// # Examples
/// ```
/// use linmod_linalg_core::{Cholesky, LinalgError, mat};
/// let a = mat![[4.0, 2.0], [2.0, 3.0]];
/// let chol = Cholesky::new(a.as_ref()).unwrap();
/// let mut b = [2.0, 1.0];
/// chol.solve_in_place(&mut b);
/// assert!((b[0] - 0.5).abs() < 1e-15 && b[1].abs() < 1e-15);
///
/// let indefinite = mat![[1.0, 2.0], [2.0, 1.0]];
/// assert_eq!(Cholesky::new(indefinite.as_ref()).unwrap_err(),
///            LinalgError::NotPositiveDefinite { index: 1 });
/// ```
#[derive(Clone, Debug)]
pub struct Cholesky {
    l: Mat<f64>,
}

impl Cholesky {
    /// Storage for factorizations of `dim x dim` matrices; call [`factor`](Self::factor)
    /// before solving.
    #[must_use]
    pub fn with_dim(dim: usize) -> Self {
        Self {
            l: Mat::zeros(dim, dim),
        }
    }

    /// Factors the symmetric matrix whose lower triangle is in `a`.
    ///
    /// # Errors
    /// [`LinalgError::NotPositiveDefinite`] with the first non-positive pivot;
    /// [`LinalgError::NonFinite`] if the lower triangle holds NaN or an infinity.
    pub fn new(a: MatRef<'_, f64>) -> Result<Self> {
        let mut chol = Self::with_dim(a.nrows());
        chol.factor(a)?;
        Ok(chol)
    }

    /// Dimension of the factored matrix.
    #[must_use]
    pub fn dim(&self) -> usize {
        self.l.nrows()
    }

    /// Factors `a` (lower triangle read), reusing this storage.
    ///
    /// # Errors
    /// As [`new`](Self::new). After an error the factor is invalid until the next successful
    /// call.
    ///
    /// # Panics
    /// If `a` is not square of dimension [`dim`](Self::dim).
    pub fn factor(&mut self, a: MatRef<'_, f64>) -> Result<()> {
        self.factor_shifted(a, 0.0)
    }

    /// Factors `a + shift I` (lower triangle of `a` read), reusing this storage.
    ///
    /// # Errors
    /// As [`new`](Self::new).
    ///
    /// # Panics
    /// If `a` is not square of dimension [`dim`](Self::dim).
    pub fn factor_shifted(&mut self, a: MatRef<'_, f64>, shift: f64) -> Result<()> {
        let n = self.dim();
        assert_eq!((a.nrows(), a.ncols()), (n, n), "matrix has the wrong shape");
        check_lower_finite(a)?;
        self.l.copy_from_triangular_lower(a);
        for i in 0..n {
            self.l[(i, i)] += shift;
        }
        // O(n) scratch: the factorization itself works in place
        let mut mem = MemBuffer::new(cholesky_in_place_scratch::<f64>(
            n,
            Par::Seq,
            Default::default(),
        ));
        let stack = MemStack::new(&mut mem);
        cholesky_in_place(
            self.l.as_mut(),
            Default::default(),
            Par::Seq,
            stack,
            Default::default(),
        )
        .map_err(|e| match e {
            faer::linalg::cholesky::llt::factor::LltError::NonPositivePivot { index } => {
                LinalgError::NotPositiveDefinite { index }
            }
        })?;
        Ok(())
    }

    /// The lower-triangular factor `L` (its strict upper triangle holds no meaning).
    #[must_use]
    pub fn l(&self) -> MatRef<'_, f64> {
        self.l.as_ref()
    }

    /// Solves `A x = b` in place (`b` becomes `x`).
    ///
    /// # Panics
    /// If `b` has a length other than [`dim`](Self::dim).
    pub fn solve_in_place(&self, b: &mut [f64]) {
        assert_eq!(b.len(), self.dim(), "right-hand side has the wrong length");
        let n = b.len();
        self.solve_mat_in_place(MatMut::from_column_major_slice_mut(b, n, 1));
    }

    /// Solves `A X = B` in place for several right-hand sides.
    ///
    /// # Panics
    /// If `b` has a number of rows other than [`dim`](Self::dim).
    pub fn solve_mat_in_place(&self, mut b: MatMut<'_, f64>) {
        assert_eq!(
            b.nrows(),
            self.dim(),
            "right-hand side has the wrong number of rows"
        );
        solve_lower_triangular_in_place(self.l.as_ref(), b.as_mut(), Par::Seq);
        solve_upper_triangular_in_place(self.l.as_ref().transpose(), b.as_mut(), Par::Seq);
    }

    /// The inverse `A^{-1}` (for covariance matrices; prefer solves elsewhere).
    #[must_use]
    pub fn inverse(&self) -> Mat<f64> {
        let mut inv = Mat::<f64>::identity(self.dim(), self.dim());
        self.solve_mat_in_place(inv.as_mut());
        inv
    }

    /// `log det A = 2 sum_i log L_ii`.
    #[must_use]
    pub fn log_det(&self) -> f64 {
        2.0 * (0..self.dim()).map(|i| self.l[(i, i)].ln()).sum::<f64>()
    }
}

/// Solves the symmetric positive-definite system `A x = b` (lower triangle of `A` read).
///
/// # Errors
/// As [`Cholesky::new`].
///
/// # Panics
/// If `a` is not square or `b` has the wrong length.
///
/// # Examples
/// ```
/// use linmod_linalg_core::{mat, solve_spd};
/// let x = solve_spd(mat![[4.0, 2.0], [2.0, 3.0]].as_ref(), &[6.0, 5.0]).unwrap();
/// assert!((x[0] - 1.0).abs() < 1e-15 && (x[1] - 1.0).abs() < 1e-15);
/// ```
pub fn solve_spd(a: MatRef<'_, f64>, b: &[f64]) -> Result<Vec<f64>> {
    let chol = Cholesky::new(a)?;
    let mut x = b.to_vec();
    chol.solve_in_place(&mut x);
    Ok(x)
}

/// Factors `A + tau I` with the smallest `tau` of a doubling sequence that makes the
/// factorization succeed, and returns `tau` (0 when `A` itself is positive definite).
///
/// This is "Cholesky with added multiple of the identity" (Nocedal & Wright, *Numerical
/// Optimization*, 2nd ed., Algorithm 3.3): start from `tau = 0` if the diagonal is positive,
/// else from `-min a_ii + beta` with `beta = 1e-3 * max(1, max |a_ii|)`, and double until the
/// factorization succeeds. A Newton solver uses it to turn an indefinite or singular Hessian
/// into a descent direction.
///
/// # Errors
/// [`LinalgError::NonFinite`] for NaN or infinite entries; [`LinalgError::ShiftLimit`] if no
/// shift below `1e300` works.
///
/// # Panics
/// If `a` is not square of dimension `chol.dim()`.
///
/// # Examples
/// ```
/// use linmod_linalg_core::{Cholesky, factor_with_shift, mat};
/// let mut chol = Cholesky::with_dim(2);
/// let singular = mat![[1.0, 1.0], [1.0, 1.0]];
/// let tau = factor_with_shift(&mut chol, singular.as_ref()).unwrap();
/// assert!(tau > 0.0);
/// let spd = mat![[2.0, 1.0], [1.0, 2.0]];
/// assert_eq!(factor_with_shift(&mut chol, spd.as_ref()).unwrap(), 0.0);
/// ```
pub fn factor_with_shift(chol: &mut Cholesky, a: MatRef<'_, f64>) -> Result<f64> {
    check_lower_finite(a)?;
    let n = a.nrows();
    let min_diag = (0..n).map(|i| a[(i, i)]).fold(f64::INFINITY, f64::min);
    let max_abs_diag = (0..n).map(|i| a[(i, i)].abs()).fold(0.0, f64::max);
    let beta = 1e-3 * max_abs_diag.max(1.0);
    let mut tau = if min_diag > 0.0 {
        0.0
    } else {
        -min_diag + beta
    };
    loop {
        match chol.factor_shifted(a, tau) {
            Ok(()) => return Ok(tau),
            Err(LinalgError::NotPositiveDefinite { .. }) => {
                tau = (2.0 * tau).max(beta);
                if tau > 1e300 {
                    return Err(LinalgError::ShiftLimit { shift: tau });
                }
            }
            Err(e) => return Err(e),
        }
    }
}

fn check_lower_finite(a: MatRef<'_, f64>) -> Result<()> {
    for j in 0..a.ncols() {
        for i in j..a.nrows() {
            let value = a[(i, j)];
            if !value.is_finite() {
                return Err(LinalgError::NonFinite {
                    what: "matrix",
                    row: i,
                    col: j,
                    value,
                });
            }
        }
    }
    Ok(())
}
