//! Closed-form least squares and ridge: normal equations by Cholesky (primal, through the Gram
//! matrix; dual, through the kernel matrix when `p > n`) and QR least squares.
//!
//! All three solve the centered problem `min 1/(2n) |S^{1/2} (y_c - X_c w)|^2 + l2 |w|^2`:
//!
//! ```text
//! primal   (X_c^T S X_c / n + 2 l2 I) w = X_c^T S y_c / n
//! dual     (A A^T + 2 n l2 I) alpha = S^{1/2} y_c,   w = A^T alpha,   A = S^{1/2} X_c
//! QR       min |[A; sqrt(2 n l2) I] w - [S^{1/2} y_c; 0]|   (minimum-norm when rank deficient)
//! ```

use linalg_core::faer::linalg::matmul::triangular::{self, BlockStructure};
use linalg_core::faer::{Accum, Par};
use linalg_core::{
    Cholesky, GramScratch, LinalgError, Mat, MatRef, gram_matrix, lstsq, weighted_gram,
};

use super::centering::Centered;
use super::solver::LinearSolver;
use crate::error::{ModelError, Result};

/// `auto` accepts the normal equations when the estimated condition number of the scaled
/// system matrix times the centering amplification is at most this.
const CONDITION_LIMIT: f64 = 1e6;

/// Columns per block when the dual form builds its kernel matrix.
const KERNEL_BLOCK: usize = 128;

/// A closed-form solution.
#[derive(Clone, Debug)]
pub(crate) struct DirectFit {
    pub coef: Vec<f64>,
    /// Numerical rank of the design (unpenalized fits only).
    pub rank: Option<usize>,
    /// Estimated 1-norm condition number of the (scaled) system the Cholesky solver factored.
    pub condition: Option<f64>,
    /// `Qr` or `Cholesky`.
    pub solver: LinearSolver,
}

/// Solves by `choice` (`Auto`, `Qr` or `Cholesky`), see [`LinearSolver`] for the rule.
pub(crate) fn fit_direct(
    data: &Centered<'_>,
    yc: &[f64],
    l2: f64,
    choice: LinearSolver,
) -> Result<DirectFit> {
    let (n, p) = (data.n(), data.p());
    let wide = p > n;
    let strict = choice == LinearSolver::Cholesky;
    let cholesky = match choice {
        LinearSolver::Qr => None,
        LinearSolver::Cholesky | LinearSolver::Auto if wide => {
            if l2 > 0.0 || strict {
                dual(data, yc, l2, strict)?
            } else {
                None
            }
        }
        _ => primal(data, yc, l2, strict)?,
    };
    match cholesky {
        Some(fit) => Ok(fit),
        None => qr(data, yc, l2),
    }
}

/// The normal equations of the centered problem: lower triangle of the system matrix, the
/// right-hand side, and the diagonal of the uncentered matrix (to measure what centering
/// through the Gram matrix costs in accuracy).
pub(crate) struct NormalEquations {
    /// Lower triangle of `X_c^T S X_c / n + 2 l2 I`.
    pub matrix: Mat<f64>,
    /// `X_c^T S y_c / n`.
    pub rhs: Vec<f64>,
    /// Diagonal of `X^T S X / n + 2 l2 I`.
    pub raw_diagonal: Vec<f64>,
}

impl NormalEquations {
    /// One pass over `X` with `weighted_gram` (`D = S / n`), then the rank-one centering
    /// correction `X_c^T S X_c / n = X^T S X / n - m m^T`.
    pub fn new(data: &Centered<'_>, yc: &[f64], l2: f64) -> Self {
        let (n, p) = (data.n(), data.p());
        let nf = n as f64;
        let mut matrix = Mat::<f64>::zeros(p, p);
        let mut scratch = GramScratch::for_matrix(data.x);
        // unit weights: X^T X, scaled by 1/n below, without forming D X block by block
        let scale = match &data.weights {
            Some(s) => {
                let d: Vec<f64> = s.iter().map(|v| v / nf).collect();
                weighted_gram(data.x, &d, &mut scratch, data.par, matrix.as_mut(), None);
                1.0
            }
            None => {
                gram_matrix(data.x, &mut scratch, data.par, matrix.as_mut());
                1.0 / nf
            }
        };
        let mut raw_diagonal = vec![0.0; p];
        let m = &data.x_mean;
        for j in 0..p {
            for i in j..p {
                matrix[(i, j)] *= scale;
            }
            raw_diagonal[j] = matrix[(j, j)] + 2.0 * l2;
            for i in j..p {
                matrix[(i, j)] -= m[i] * m[j];
            }
            matrix[(j, j)] += 2.0 * l2;
        }
        Self {
            matrix,
            rhs: data.xty(yc),
            raw_diagonal,
        }
    }

    /// `max_j raw_jj / centered_jj`: centering through the Gram matrix loses about `log10` of
    /// this many digits (`1 + m_j^2 / var_j` per column). Infinite for a constant column.
    pub fn centering_amplification(&self) -> f64 {
        (0..self.rhs.len())
            .map(|j| {
                let c = self.matrix[(j, j)];
                if c > 0.0 {
                    self.raw_diagonal[j] / c
                } else {
                    f64::INFINITY
                }
            })
            .fold(1.0, f64::max)
    }
}

/// The first column whose centered diagonal is zero up to rounding (a constant column, or an
/// all-zero one without an intercept).
fn constant_column(eq: &NormalEquations) -> Option<usize> {
    (0..eq.rhs.len()).find(|&j| eq.matrix[(j, j)] <= 64.0 * f64::EPSILON * eq.raw_diagonal[j])
}

/// A symmetric positive-definite system solved after symmetric diagonal scaling
/// `C = D A D`, `D = diag(A)^{-1/2}`, which makes the Cholesky factorization and the condition
/// estimate independent of the units of the features.
struct ScaledCholesky {
    chol: Cholesky,
    scale: Vec<f64>,
    condition: f64,
}

impl ScaledCholesky {
    /// Factors the matrix whose lower triangle is `a` (diagonal must be positive).
    fn new(a: &Mat<f64>) -> std::result::Result<Self, LinalgError> {
        let dim = a.nrows();
        let scale: Vec<f64> = (0..dim).map(|j| 1.0 / a[(j, j)].sqrt()).collect();
        let c = Mat::from_fn(dim, dim, |i, j| {
            if i >= j {
                a[(i, j)] * scale[i] * scale[j]
            } else {
                0.0
            }
        });
        let chol = Cholesky::new(c.as_ref())?;
        let condition = norm1_symmetric_lower(c.as_ref()) * inverse_norm1_estimate(&chol);
        Ok(Self {
            chol,
            scale,
            condition,
        })
    }

    /// Solves `A x = b` in place.
    fn solve_in_place(&self, b: &mut [f64]) {
        b.iter_mut().zip(&self.scale).for_each(|(v, s)| *v *= s);
        self.chol.solve_in_place(b);
        b.iter_mut().zip(&self.scale).for_each(|(v, s)| *v *= s);
    }
}

/// Normal equations by Cholesky. `Ok(None)` asks `auto` to use QR instead; with `strict`
/// (the caller chose Cholesky) a singular system is an error and an ill-conditioned one is
/// solved anyway.
fn primal(data: &Centered<'_>, yc: &[f64], l2: f64, strict: bool) -> Result<Option<DirectFit>> {
    let (n, p) = (data.n(), data.p());
    let eq = NormalEquations::new(data, yc, l2);
    if l2 == 0.0 {
        if let Some(j) = constant_column(&eq) {
            return reject(strict, format!("column {j} is constant"));
        }
        if data.fit_intercept && p >= n {
            return reject(
                strict,
                format!("{p} features but only {n} samples, so the centered design has rank < p"),
            );
        }
    }
    let Some(factored) = factor(&eq.matrix, strict, |index| {
        format!(
            "Cholesky pivot {index}: column {index} is (numerically) a linear combination of \
             the columns before it"
        )
    })?
    else {
        return Ok(None);
    };
    let condition = factored.condition * eq.centering_amplification();
    if !strict && condition > CONDITION_LIMIT {
        return Ok(None);
    }
    let mut coef = eq.rhs;
    factored.solve_in_place(&mut coef);
    Ok(Some(DirectFit {
        coef,
        rank: (l2 == 0.0).then_some(p),
        condition: Some(condition),
        solver: LinearSolver::Cholesky,
    }))
}

/// `auto` (not `strict`) falls back to QR (`Ok(None)`); an explicit Cholesky choice fails.
fn reject<T>(strict: bool, detail: String) -> Result<Option<T>> {
    if strict {
        Err(ModelError::RankDeficient { detail })
    } else {
        Ok(None)
    }
}

/// Factors the system, or rejects it (see [`reject`]) when a pivot is not positive, with
/// `describe(pivot)` as the explanation.
fn factor(
    matrix: &Mat<f64>,
    strict: bool,
    describe: impl FnOnce(usize) -> String,
) -> Result<Option<ScaledCholesky>> {
    match ScaledCholesky::new(matrix) {
        Ok(f) => Ok(Some(f)),
        Err(LinalgError::NotPositiveDefinite { index }) => reject(strict, describe(index)),
        Err(e) => Err(e.into()),
    }
}

/// The dual (kernel) form for `p > n`: `(A A^T + 2 n l2 I) alpha = S^{1/2} y_c`, `w = A^T alpha`
/// with `A = S^{1/2} X_c`. The `n x n` kernel is built by blocks of centered columns, so `X`
/// is neither copied nor centered in place.
fn dual(data: &Centered<'_>, yc: &[f64], l2: f64, strict: bool) -> Result<Option<DirectFit>> {
    let n = data.n();
    if l2 == 0.0 && data.fit_intercept {
        return reject(
            strict,
            format!(
                "{} features but only {n} samples: the centered rows have rank at most {}",
                data.p(),
                n - 1
            ),
        );
    }
    let shift = 2.0 * n as f64 * l2;
    let mut kernel = centered_kernel(data);
    for i in 0..n {
        kernel[(i, i)] += shift;
    }
    if let Some(i) = (0..n).find(|&i| kernel[(i, i)] <= 0.0) {
        return reject(
            strict,
            format!("row {i} of the centered design is zero (the kernel matrix is singular)"),
        );
    }
    let Some(factored) = factor(&kernel, strict, |index| {
        format!(
            "Cholesky pivot {index} of the kernel matrix: row {index} of the centered design \
             is a linear combination of the rows before it"
        )
    })?
    else {
        return Ok(None);
    };
    drop(kernel);
    if !strict && factored.condition > CONDITION_LIMIT {
        return Ok(None);
    }
    let sqrt_w = data.sqrt_weights();
    let mut alpha: Vec<f64> = yc.iter().zip(&sqrt_w).map(|(a, b)| a * b).collect();
    factored.solve_in_place(&mut alpha);
    alpha.iter_mut().zip(&sqrt_w).for_each(|(a, s)| *a *= s);
    Ok(Some(DirectFit {
        coef: data.xtv_centered(&alpha),
        // the factored kernel has full rank n
        rank: (l2 == 0.0).then_some(n),
        condition: Some(factored.condition),
        solver: LinearSolver::Cholesky,
    }))
}

/// Lower triangle of `A A^T` with `A = S^{1/2} X_c`, accumulated over blocks of
/// `KERNEL_BLOCK` centered columns.
fn centered_kernel(data: &Centered<'_>) -> Mat<f64> {
    let (n, p) = (data.n(), data.p());
    let sqrt_w = data.sqrt_weights();
    let mut kernel = Mat::<f64>::zeros(n, n);
    let mut block = Mat::<f64>::zeros(n, KERNEL_BLOCK.min(p));
    for start in (0..p).step_by(KERNEL_BLOCK) {
        let width = KERNEL_BLOCK.min(p - start);
        for k in 0..width {
            let j = start + k;
            let m = data.x_mean[j];
            for (i, (dst, &xv)) in block
                .col_as_slice_mut(k)
                .iter_mut()
                .zip(data.x.col(j).iter())
                .enumerate()
            {
                *dst = sqrt_w[i] * (xv - m);
            }
        }
        let b = block.as_ref().subcols(0, width);
        // sequential: the result must not depend on the thread count
        triangular::matmul(
            kernel.as_mut(),
            BlockStructure::TriangularLower,
            Accum::Add,
            b,
            BlockStructure::Rectangular,
            b.transpose(),
            BlockStructure::Rectangular,
            1.0,
            Par::Seq,
        );
    }
    kernel
}

/// QR least squares on a centered, weighted copy of `X` (stacked on `sqrt(2 n l2) I` for
/// ridge). For ridge with `p > n` the equivalent `(p + n) x n` problem of the dual,
/// `min |[A^T; sqrt(c) I] alpha - [0; S^{1/2} y_c / sqrt(c)]|`, `c = 2 n l2`, keeps the copy
/// at the size of `X`.
fn qr(data: &Centered<'_>, yc: &[f64], l2: f64) -> Result<DirectFit> {
    let (n, p) = (data.n(), data.p());
    let sqrt_w = data.sqrt_weights();
    let centered = |i: usize, j: usize| sqrt_w[i] * (data.x[(i, j)] - data.x_mean[j]);
    let root = (2.0 * n as f64 * l2).sqrt();
    if l2 > 0.0 && p > n {
        let a = stacked(p, n, |r, i| centered(i, r), root);
        let mut t = vec![0.0; p + n];
        for i in 0..n {
            t[p + i] = sqrt_w[i] * yc[i] / root;
        }
        let sol = lstsq(a.as_ref(), &t, None)?;
        drop(a);
        let v: Vec<f64> = sol.coef.iter().zip(&sqrt_w).map(|(a, s)| a * s).collect();
        return Ok(DirectFit {
            coef: data.xtv_centered(&v),
            rank: None,
            condition: None,
            solver: LinearSolver::Qr,
        });
    }
    let a = stacked(n, p, centered, root);
    let mut b = vec![0.0; a.nrows()];
    for i in 0..n {
        b[i] = sqrt_w[i] * yc[i];
    }
    let sol = lstsq(a.as_ref(), &b, None)?;
    Ok(DirectFit {
        coef: sol.coef,
        rank: (l2 == 0.0).then_some(sol.rank),
        condition: None,
        solver: LinearSolver::Qr,
    })
}

/// The `rows x cols` matrix `top(r, c)` stacked on `root I` (`cols x cols`), or `top` alone
/// when `root = 0`.
fn stacked(rows: usize, cols: usize, top: impl Fn(usize, usize) -> f64, root: f64) -> Mat<f64> {
    let extra = if root > 0.0 { cols } else { 0 };
    Mat::from_fn(rows + extra, cols, |r, c| {
        if r < rows {
            top(r, c)
        } else if r - rows == c {
            root
        } else {
            0.0
        }
    })
}

/// `|A|_1` (largest column sum of absolute values) of a symmetric matrix given by its lower
/// triangle.
fn norm1_symmetric_lower(a: MatRef<'_, f64>) -> f64 {
    let dim = a.nrows();
    (0..dim)
        .map(|j| {
            (0..dim)
                .map(|i| if i >= j { a[(i, j)] } else { a[(j, i)] }.abs())
                .sum::<f64>()
        })
        .fold(0.0, f64::max)
}

/// An estimate (a lower bound, usually within a factor of 3) of `|A^{-1}|_1` for the
/// symmetric positive-definite `A` factored in `chol`, from a few solves: Hager's method
/// with Higham's safeguard (Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed.,
/// Algorithm 15.4; LAPACK's `xLACON`).
fn inverse_norm1_estimate(chol: &Cholesky) -> f64 {
    let dim = chol.dim();
    let mut x = vec![1.0 / dim as f64; dim];
    let mut estimate = 0.0f64;
    let mut previous_j = usize::MAX;
    for iteration in 0..5 {
        let mut y = x.clone();
        chol.solve_in_place(&mut y);
        let norm: f64 = y.iter().map(|v| v.abs()).sum();
        if iteration > 0 && norm <= estimate {
            break;
        }
        estimate = norm;
        // A is symmetric, so A^{-T} sign(y) is another solve with A
        let mut z: Vec<f64> = y
            .iter()
            .map(|v| if *v >= 0.0 { 1.0 } else { -1.0 })
            .collect();
        chol.solve_in_place(&mut z);
        let (j, zmax) = z.iter().enumerate().fold((0, 0.0f64), |(bj, bv), (k, v)| {
            if v.abs() > bv { (k, v.abs()) } else { (bj, bv) }
        });
        let ztx: f64 = z.iter().zip(&x).map(|(a, b)| a * b).sum();
        if zmax <= ztx || j == previous_j {
            break;
        }
        previous_j = j;
        x.fill(0.0);
        x[j] = 1.0;
    }
    // Higham's alternating vector catches matrices on which the iteration stalls
    let mut b: Vec<f64> = (0..dim)
        .map(|i| {
            let sign = if i % 2 == 0 { 1.0 } else { -1.0 };
            sign * (1.0 + i as f64 / (dim.max(2) - 1) as f64)
        })
        .collect();
    chol.solve_in_place(&mut b);
    let alt = 2.0 * b.iter().map(|v| v.abs()).sum::<f64>() / (3.0 * dim as f64);
    estimate.max(alt)
}

#[cfg(test)]
mod tests {
    use super::*;
    use linalg_core::mat;

    fn dense_inverse_norm1(a: &Mat<f64>) -> f64 {
        let chol = Cholesky::new(a.as_ref()).unwrap();
        let inv = chol.inverse();
        (0..a.nrows())
            .map(|j| (0..a.nrows()).map(|i| inv[(i, j)].abs()).sum::<f64>())
            .fold(0.0, f64::max)
    }

    #[test]
    fn the_condition_estimate_is_a_close_lower_bound() {
        // Hilbert matrices: condition numbers from 19 to 1e10
        for dim in [2, 4, 6, 8] {
            let a = Mat::from_fn(dim, dim, |i, j| 1.0 / (i + j + 1) as f64);
            let exact = dense_inverse_norm1(&a);
            let est = inverse_norm1_estimate(&Cholesky::new(a.as_ref()).unwrap());
            assert!(est <= exact * (1.0 + 1e-6), "dim {dim}: {est} > {exact}");
            assert!(est >= exact / 3.0, "dim {dim}: {est} << {exact}");
        }
        let eye = mat![[1.0, 0.0], [0.0, 1.0]];
        let est = inverse_norm1_estimate(&Cholesky::new(eye.as_ref()).unwrap());
        assert!((est - 1.0).abs() < 1e-15);
    }
}
