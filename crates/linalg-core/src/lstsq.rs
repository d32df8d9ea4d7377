//! Linear least squares `min_x |A x - y|_2` with the minimum-norm solution for rank-deficient
//! `A`, as numpy's `lstsq` returns.

use faer::diag::Diag;
use faer::dyn_stack::{MemBuffer, MemStack, StackReq};
use faer::linalg::qr::col_pivoting::factor::{qr_in_place, qr_in_place_scratch};
use faer::linalg::qr::col_pivoting::solve::{solve_lstsq_in_place, solve_lstsq_in_place_scratch};
use faer::linalg::qr::no_pivoting::factor::recommended_block_size;
use faer::linalg::svd::{ComputeSvdVectors, svd, svd_scratch};
use faer::{Mat, MatMut, MatRef, Par};

use crate::error::{LinalgError, Result};

/// How [`lstsq`] solved the problem.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LstsqMethod {
    /// Householder QR with column pivoting (the matrix had full column rank).
    Qr,
    /// Thin singular value decomposition, small singular values cut off (rank deficient,
    /// ill-conditioned, or more columns than rows).
    Svd,
}

/// The result of [`lstsq`].
#[derive(Clone, Debug, PartialEq)]
pub struct LeastSquares {
    /// The solution `x` (length = number of columns of `A`).
    pub coef: Vec<f64>,
    /// The numerical rank of `A` used for the solution.
    pub rank: usize,
    /// Which factorization produced the solution.
    pub method: LstsqMethod,
    /// Singular values of `A`, descending, when the SVD path ran (empty for QR).
    pub singular_values: Vec<f64>,
}

/// Solves `min_x |A x - y|_2`, returning the minimum-norm minimizer when `A` is rank
/// deficient.
///
/// `rcond` sets the rank cut-off: singular values `s_i <= rcond * s_max` count as zero. The
/// default `None` uses `eps * max(n, p)`, numpy's default. As in numpy, the decision is taken
/// on `A` as given, so a column that is merely small in magnitude can be cut off;
/// [`ScaledQr`](crate::ScaledQr) decides the rank after scaling every column to unit norm,
/// and is what the linear models use.
///
/// Method: a column-pivoted QR factorization `A P = Q R` first. If every pivot satisfies
/// `|R_kk| > sqrt(eps) |R_00|` the matrix is well conditioned and `x = P R^{-1} Q^T y` is the
/// unique solution. Otherwise (and whenever `A` has more columns than rows) the thin SVD
/// `A = U S V^T` gives `x = V S^+ U^T y`, the minimum-norm solution; pivoted QR alone would
/// return an arbitrary (or, in faer, NaN) solution there.
///
/// # Errors
/// [`LinalgError::NonFinite`] if `A` or `y` holds NaN or an infinity;
/// [`LinalgError::SvdNoConvergence`] if the SVD fails.
///
/// # Panics
/// If `y` does not have one entry per row of `A`.
///
/// # Examples
/// ```
/// use linmod_linalg_core::{LstsqMethod, lstsq, mat};
/// // the third column repeats the first: infinitely many solutions, the minimum-norm one
/// // splits the weight between the twins
/// let a = mat![[1.0, 0.0, 1.0], [0.0, 1.0, 0.0], [1.0, 1.0, 1.0], [2.0, 0.0, 2.0]];
/// let y = [2.0, 1.0, 3.0, 4.0];
/// let sol = lstsq(a.as_ref(), &y, None).unwrap();
/// assert_eq!(sol.rank, 2);
/// assert_eq!(sol.method, LstsqMethod::Svd);
/// assert!((sol.coef[0] - 1.0).abs() < 1e-12 && (sol.coef[2] - 1.0).abs() < 1e-12);
/// assert!((sol.coef[1] - 1.0).abs() < 1e-12);
/// ```
pub fn lstsq(a: MatRef<'_, f64>, y: &[f64], rcond: Option<f64>) -> Result<LeastSquares> {
    let (n, p) = (a.nrows(), a.ncols());
    assert_eq!(y.len(), n, "right-hand side needs one entry per row");
    check_finite(a, y)?;
    let rcond = rcond.unwrap_or(f64::EPSILON * n.max(p) as f64);
    if p == 0 || n == 0 {
        return Ok(LeastSquares {
            coef: vec![0.0; p],
            rank: 0,
            method: LstsqMethod::Svd,
            singular_values: Vec::new(),
        });
    }
    if n >= p
        && let Some(coef) = qr_solve(a, y)
    {
        return Ok(LeastSquares {
            coef,
            rank: p,
            method: LstsqMethod::Qr,
            singular_values: Vec::new(),
        });
    }
    svd_solve(a, y, rcond)
}

/// The pivoted-QR solution, or `None` when a pivot is small enough that the rank decision
/// belongs to the SVD.
fn qr_solve(a: MatRef<'_, f64>, y: &[f64]) -> Option<Vec<f64>> {
    let (n, p) = (a.nrows(), a.ncols());
    let block_size = recommended_block_size::<f64>(n, p);
    let mut qr = a.to_owned();
    let mut q_coeff = Mat::<f64>::zeros(block_size, p);
    let mut perm = vec![0usize; p];
    let mut perm_inv = vec![0usize; p];
    let mut mem = MemBuffer::new(StackReq::any_of(&[
        qr_in_place_scratch::<usize, f64>(n, p, block_size, Par::Seq, Default::default()),
        solve_lstsq_in_place_scratch::<usize, f64>(n, p, block_size, 1, Par::Seq),
    ]));
    let (_, perm_ref) = qr_in_place(
        qr.as_mut(),
        q_coeff.as_mut(),
        &mut perm,
        &mut perm_inv,
        Par::Seq,
        MemStack::new(&mut mem),
        Default::default(),
    );
    let r00 = qr[(0, 0)].abs();
    let threshold = f64::EPSILON.sqrt() * r00;
    // NaN pivots (from an all-zero column) must also fall through to the SVD
    let is_clear_pivot = |v: f64| v.abs() > threshold && v.is_finite();
    if r00.is_nan() || r00 == 0.0 || !(0..p).all(|k| is_clear_pivot(qr[(k, k)])) {
        return None;
    }
    let mut rhs = y.to_vec();
    solve_lstsq_in_place(
        qr.as_ref(),
        q_coeff.as_ref(),
        qr.as_ref(),
        perm_ref,
        MatMut::from_column_major_slice_mut(&mut rhs, n, 1),
        Par::Seq,
        MemStack::new(&mut mem),
    );
    rhs.truncate(p);
    rhs.iter().all(|v| v.is_finite()).then_some(rhs)
}

fn svd_solve(a: MatRef<'_, f64>, y: &[f64], rcond: f64) -> Result<LeastSquares> {
    let (n, p) = (a.nrows(), a.ncols());
    let m = n.min(p);
    let mut u = Mat::<f64>::zeros(n, m);
    let mut v = Mat::<f64>::zeros(p, m);
    let mut s = Diag::<f64>::zeros(m);
    let mut mem = MemBuffer::new(svd_scratch::<f64>(
        n,
        p,
        ComputeSvdVectors::Thin,
        ComputeSvdVectors::Thin,
        Par::Seq,
        Default::default(),
    ));
    svd(
        a,
        s.as_mut(),
        Some(u.as_mut()),
        Some(v.as_mut()),
        Par::Seq,
        MemStack::new(&mut mem),
        Default::default(),
    )
    .map_err(|_| LinalgError::SvdNoConvergence)?;
    let singular_values: Vec<f64> = s.column_vector().iter().copied().collect();
    let s_max = singular_values.iter().copied().fold(0.0, f64::max);
    let cutoff = rcond * s_max;
    let mut coef = vec![0.0; p];
    let mut rank = 0;
    for (i, &si) in singular_values.iter().enumerate() {
        if si <= cutoff || si == 0.0 {
            continue;
        }
        rank += 1;
        let uty: f64 = u.col(i).iter().zip(y).map(|(a, b)| a * b).sum();
        let scale = uty / si;
        for (c, vj) in coef.iter_mut().zip(v.col(i).iter()) {
            *c += scale * vj;
        }
    }
    Ok(LeastSquares {
        coef,
        rank,
        method: LstsqMethod::Svd,
        singular_values,
    })
}

/// Fails with [`LinalgError::NonFinite`] at the first NaN or infinity of `a`, column by
/// column.
pub(crate) fn check_matrix_finite(a: MatRef<'_, f64>) -> Result<()> {
    for j in 0..a.ncols() {
        if let Some((i, &value)) = a.col(j).iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(LinalgError::NonFinite {
                what: "matrix",
                row: i,
                col: j,
                value,
            });
        }
    }
    Ok(())
}

fn check_finite(a: MatRef<'_, f64>, y: &[f64]) -> Result<()> {
    check_matrix_finite(a)?;
    if let Some((i, &value)) = y.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(LinalgError::NonFinite {
            what: "right-hand side",
            row: i,
            col: 0,
            value,
        });
    }
    Ok(())
}
