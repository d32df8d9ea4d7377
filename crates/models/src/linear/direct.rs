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
    Cholesky, GramScratch, LinalgError, Mat, MatRef, ScaledQr, gram_matrix, weighted_gram,
};

use super::centering::Centered;
use super::certificate::{certify, certify_normal_equations};
use super::refinement::refine;
use super::solver::LinearSolver;
use crate::error::{ModelError, Result};

/// `auto` accepts the normal equations when the estimated condition number of the scaled
/// system matrix times the centering amplification is at most this.
pub(crate) const CONDITION_LIMIT: f64 = 1e6;

/// An explicitly chosen Cholesky solve is refused (`ModelError::IllConditioned`) when the
/// reciprocal of that condition number is below this: the normal equations would then lose
/// more than 10 of the 16 digits (the error of the solution is about `condition * eps`).
pub(crate) const CHOLESKY_RCOND_MIN: f64 = 1e-10;

/// Above this condition number (of the normal equations, times the centering amplification)
/// the Cholesky solution gets one step of iterative refinement with the residual computed
/// from the data (`w += C^{-1} X_c^T S r / n`): its error, about `condition * eps`, then
/// shrinks by another factor `condition * eps`. The QR solution is refined against the data
/// in compensated arithmetic above the same estimate. Below, either is within a few hundred
/// `eps` of the exact solution already.
pub(crate) const REFINE_ABOVE: f64 = 1e3;

/// Columns per block when the dual form builds its kernel matrix.
const KERNEL_BLOCK: usize = 128;

/// A closed-form solution.
#[derive(Clone, Debug)]
pub(crate) struct DirectFit {
    pub coef: Vec<f64>,
    /// `ybar - m.w` (0 without an intercept).
    pub intercept: f64,
    /// Numerical rank of the equilibrated design (unpenalized fits only).
    pub rank: Option<usize>,
    /// Columns beyond the numerical rank after equilibration (unpenalized QR fits).
    pub aliased: Vec<usize>,
    /// Estimated 1-norm condition number of the (scaled) system the Cholesky solver factored.
    pub condition: Option<f64>,
    /// `Qr` or `Cholesky`.
    pub solver: LinearSolver,
    /// The normal-equations residual `eta` of the returned solution (`certificate.rs`).
    pub certificate: f64,
}

impl DirectFit {
    /// A solution `(w, b)` with its certificate; `raw_norms` as for [`certify`].
    fn certified(
        data: &Centered<'_>,
        (coef, intercept): (Vec<f64>, f64),
        l2: f64,
        raw_norms: &[f64],
        solver: LinearSolver,
    ) -> Self {
        let certificate = certify(data, &coef, intercept, l2, raw_norms).eta;
        Self {
            coef,
            intercept,
            rank: None,
            aliased: Vec::new(),
            condition: None,
            solver,
            certificate,
        }
    }
}

/// `sqrt(sum_i s_i x_ij^2)` for every column, from the centered norm and the mean
/// (`sum s_i x^2 = sum s_i (x - m)^2 + n m^2` because the weights sum to `n`), without
/// overflow.
fn raw_norms_from_centered(data: &Centered<'_>, centered: &[f64]) -> Vec<f64> {
    let root_n = (data.n() as f64).sqrt();
    centered
        .iter()
        .zip(&data.x_mean)
        .map(|(c, m)| c.hypot(root_n * m.abs()))
        .collect()
}

/// `sqrt(sum_i s_i x_ij^2)` for every column, scaled by the column's largest magnitude so
/// that no square overflows.
fn raw_norms(data: &Centered<'_>) -> Vec<f64> {
    (0..data.p())
        .map(|j| {
            let col = data.x.col(j);
            let big = col.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            if big == 0.0 {
                return 0.0;
            }
            let ss: f64 = col
                .iter()
                .enumerate()
                .map(|(i, v)| data.weight(i) * (v / big) * (v / big))
                .sum();
            big * ss.sqrt()
        })
        .collect()
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

/// Fails with [`ModelError::Overflow`] when the normal equations hold a non-finite value:
/// finite data whose squares overflow (columns beyond about `1e154`).
fn check_finite_system(eq: &NormalEquations) -> Result<()> {
    let p = eq.rhs.len();
    for j in 0..p {
        for i in j..p {
            let v = eq.matrix[(i, j)];
            if !v.is_finite() {
                return Err(ModelError::Overflow {
                    what: "X^T X (products of columns of magnitude beyond 1e154: use the qr \
                           solver, or rescale the features)",
                });
            }
        }
    }
    if eq.rhs.iter().any(|v| !v.is_finite()) {
        return Err(ModelError::Overflow {
            what: "X^T y (products of a column and the target: use the qr solver, or rescale \
                   the features)",
        });
    }
    Ok(())
}

/// Refuses an explicitly chosen Cholesky solve whose condition number is beyond
/// [`CHOLESKY_RCOND_MIN`].
fn check_conditioning(condition: f64, what: &'static str) -> Result<()> {
    let rcond = 1.0 / condition;
    if rcond < CHOLESKY_RCOND_MIN || !rcond.is_finite() {
        return Err(ModelError::IllConditioned {
            what,
            rcond,
            threshold: CHOLESKY_RCOND_MIN,
        });
    }
    Ok(())
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
/// (the caller chose Cholesky) a singular system is an error, and so is one whose condition
/// number is beyond [`CHOLESKY_RCOND_MIN`] (`ModelError::IllConditioned`).
///
/// When the condition number exceeds [`REFINE_ABOVE`], one refinement step with the residual
/// from a pass over the data. The certificate is evaluated on the formed normal equations
/// (`certify_normal_equations`), at no further pass.
fn primal(data: &Centered<'_>, yc: &[f64], l2: f64, strict: bool) -> Result<Option<DirectFit>> {
    let (n, p) = (data.n(), data.p());
    let eq = NormalEquations::new(data, yc, l2);
    if let Err(e) = check_finite_system(&eq) {
        return if strict { Err(e) } else { Ok(None) };
    }
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
    let factored = match ScaledCholesky::new(&eq.matrix) {
        Ok(f) => f,
        Err(LinalgError::NotPositiveDefinite { .. }) if strict => {
            return Err(diagnose_singular_normal_equations(data, l2));
        }
        Err(LinalgError::NotPositiveDefinite { .. }) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let condition = factored.condition * eq.centering_amplification();
    if !strict && condition > CONDITION_LIMIT {
        return Ok(None);
    }
    if strict {
        check_conditioning(condition, "the normal equations X_c^T S X_c / n + 2 l2 I")?;
    }
    let mut coef = eq.rhs.clone();
    factored.solve_in_place(&mut coef);
    if condition > REFINE_ABOVE {
        // one refinement step with the residual computed from the data (one pass)
        let nf = n as f64;
        let raw_norms: Vec<f64> = eq
            .raw_diagonal
            .iter()
            .map(|d| (nf * (d - 2.0 * l2)).max(0.0).sqrt())
            .collect();
        let b = data.intercept(&coef);
        let cert = certify(data, &coef, b, l2, &raw_norms);
        if cert.eta.is_finite() {
            let mut step = cert.centered_residual;
            factored.solve_in_place(&mut step);
            coef.iter_mut().zip(&step).for_each(|(w, d)| *w += d);
        }
    }
    let intercept = data.intercept(&coef);
    // the certificate on the normal equations formed in the Gram pass (no second pass)
    let certificate = certify_normal_equations(
        data,
        eq.matrix.as_ref(),
        &eq.rhs,
        &eq.raw_diagonal,
        data.target_scale(yc),
        &coef,
        intercept,
        l2,
    );
    Ok(Some(DirectFit {
        coef,
        intercept,
        rank: (l2 == 0.0).then_some(p),
        aliased: Vec::new(),
        condition: Some(condition),
        solver: LinearSolver::Cholesky,
        certificate,
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

/// Why the normal equations were singular to working precision, for an explicit Cholesky
/// choice: the rank of the centered design itself, decided on its equilibrated columns by
/// [`ScaledQr`], tells a rank-deficient design (naming the aliased columns) from one that
/// is merely too ill-conditioned for the normal equations, whose condition number is the
/// square of the design's.
fn diagnose_singular_normal_equations(data: &Centered<'_>, l2: f64) -> ModelError {
    let (n, p) = (data.n(), data.p());
    let sqrt_w = data.sqrt_weights();
    let root = (2.0 * n as f64 * l2).sqrt();
    let a = stacked(
        n,
        p,
        |i, j| sqrt_w[i] * (data.x[(i, j)] - data.x_mean[j]),
        root,
    );
    match ScaledQr::new(a, None) {
        Ok(qr) if qr.rank() < p => {
            let names: Vec<String> = qr.aliased().iter().map(|j| format!("column {j}")).collect();
            ModelError::RankDeficient {
                detail: format!(
                    "{} (0-based) {} numerically a linear combination of the other columns \
                     after scaling every column to unit norm",
                    names.join(", "),
                    if names.len() == 1 { "is" } else { "are" }
                ),
            }
        }
        Ok(qr) => ModelError::IllConditioned {
            what: "the normal equations X_c^T S X_c / n + 2 l2 I",
            // the pivots of the design's QR bound its condition number from below; the normal
            // equations square it
            rcond: qr.pivot_ratio() * qr.pivot_ratio(),
            threshold: CHOLESKY_RCOND_MIN,
        },
        Err(e) => e.into(),
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
    if strict {
        check_conditioning(factored.condition, "the kernel matrix A A^T + 2 n l2 I")?;
    }
    let sqrt_w = data.sqrt_weights();
    let mut alpha: Vec<f64> = yc.iter().zip(&sqrt_w).map(|(a, b)| a * b).collect();
    factored.solve_in_place(&mut alpha);
    alpha.iter_mut().zip(&sqrt_w).for_each(|(a, s)| *a *= s);
    let coef = data.xtv_centered(&alpha);
    let b = data.intercept(&coef);
    let mut fit = DirectFit::certified(
        data,
        (coef, b),
        l2,
        &raw_norms(data),
        LinearSolver::Cholesky,
    );
    // the factored kernel has full rank n
    fit.rank = (l2 == 0.0).then_some(n);
    fit.condition = Some(factored.condition);
    Ok(Some(fit))
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
/// ridge), equilibrated and factored by [`ScaledQr`]: the rank is decided on the scaled
/// columns, and the columns beyond it are reported as aliased. An unpenalized solution is
/// refined against the data (`refinement.rs`) when the squared condition estimate
/// `1 / pivot_ratio^2` times the centering amplification exceeds [`REFINE_ABOVE`], the rule
/// of the normal equations. For ridge with `p > n` the equivalent `(p + n) x n`
/// problem of the dual, `min |[A^T; sqrt(c) I] alpha - [0; S^{1/2} y_c / sqrt(c)]|`,
/// `c = 2 n l2`, keeps the copy at the size of `X`.
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
        let sol = ScaledQr::new(a, None)?.solve(&t);
        let v: Vec<f64> = sol.iter().zip(&sqrt_w).map(|(a, s)| a * s).collect();
        let coef = data.xtv_centered(&v);
        let b = data.intercept(&coef);
        let fit = DirectFit::certified(data, (coef, b), l2, &raw_norms(data), LinearSolver::Qr);
        return Ok(fit);
    }
    let a = stacked(n, p, centered, root);
    let centered_norms: Vec<f64> = (0..p).map(|j| a.col(j).subrows(0, n).norm_l2()).collect();
    let raw = raw_norms_from_centered(data, &centered_norms);
    let rows = a.nrows();
    let qr = ScaledQr::new(a, None)?;
    let mut b = vec![0.0; rows];
    for i in 0..n {
        b[i] = sqrt_w[i] * yc[i];
    }
    let mut coef = qr.solve(&b);
    let mut intercept = data.intercept(&coef);
    // refinement buys digits where the normal equations' rule would: the squared condition
    // (1 / pivot ratio^2 bounds it from below) times the centering amplification above
    // REFINE_ABOVE; below, the QR solution is already within a few eps
    let amplification = raw
        .iter()
        .zip(&centered_norms)
        .map(|(r, c)| if *c > 0.0 { (r / c) * (r / c) } else { 1.0 })
        .fold(1.0, f64::max);
    let ratio = qr.pivot_ratio();
    if l2 == 0.0 && amplification > REFINE_ABOVE * ratio * ratio {
        refine(data, &qr, &mut coef, &mut intercept);
    }
    let mut fit = DirectFit::certified(data, (coef, intercept), l2, &raw, LinearSolver::Qr);
    if l2 == 0.0 {
        fit.rank = Some(qr.rank());
        fit.aliased = qr.aliased().to_vec();
    }
    Ok(fit)
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
