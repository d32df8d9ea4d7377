//! When the unpenalized maximum-likelihood estimate does not exist or is not unique:
//! rank-deficient designs (checked before fitting) and separated classes (checked after).

use linalg_core::{
    Cholesky, Design, GramScratch, LinalgError, Mat, Parallelism, factor_with_shift, weighted_gram,
};
use optim::SecondOrder;

use crate::error::{ModelError, Result};

/// Fails when the columns of `X` (with a column of ones when `fit_intercept`) are linearly
/// dependent, naming the first dependent column: then the unpenalized likelihood has a flat
/// direction and its maximizer is not unique.
///
/// Method: the Gram matrix of the (centered, when fitting an intercept) columns scaled to unit
/// norm is factored by Cholesky; a pivot below `1e-10` (a column whose part not explained by
/// the previous columns has relative norm below `1e-5`) marks the dependent column. Costs one
/// `O(n p^2)` pass.
pub(crate) fn check_full_rank<D: Design>(x: D, fit_intercept: bool) -> Result<()> {
    let (n, p) = (x.nrows(), x.ncols());
    let dim = p + usize::from(fit_intercept);
    if dim > n {
        // the rank is at most n: no need for the p x p Gram matrix to know it
        return Err(ModelError::RankDeficient {
            detail: format!(
                "{dim} coefficients{} but only {n} rows",
                if fit_intercept {
                    " (with the intercept)"
                } else {
                    ""
                }
            ),
        });
    }
    crate::memory::ensure_square(p, 1, "the p x p Gram matrix of the rank check")?;
    let mut gram = Mat::<f64>::zeros(p, p);
    let mut sums = vec![0.0; p];
    let ones = vec![1.0; n];
    let mut scratch = GramScratch::for_matrix(&x);
    weighted_gram(
        &x,
        &ones,
        &mut scratch,
        Parallelism::Rayon,
        gram.as_mut(),
        Some(&mut sums),
    );
    let raw_norm: Vec<f64> = (0..p).map(|j| gram[(j, j)].sqrt()).collect();
    // Squares beyond f64's range (|x| around 1e154 and more) leave no rank information, and
    // centering inf - inf would pass the column off as constant.
    if let Some(j) = raw_norm.iter().position(|v| !v.is_finite()) {
        return Err(LinalgError::NonFinite {
            what: "X^T X (the squares of a column overflow: rescale the features)",
            row: j,
            col: j,
            value: gram[(j, j)],
        }
        .into());
    }
    if fit_intercept {
        for j in 0..p {
            for i in j..p {
                gram[(i, j)] -= sums[i] * sums[j] / n as f64;
            }
        }
    }
    let scale: Vec<f64> = (0..p).map(|j| gram[(j, j)].max(0.0).sqrt()).collect();
    // centering a constant column leaves only rounding, about eps times its raw norm
    if let Some(j) = (0..p).position(|j| scale[j] <= 1e-8 * raw_norm[j] || raw_norm[j] == 0.0) {
        let detail = if raw_norm[j] == 0.0 && has_non_zero(&x, j) {
            // values below about 1e-154 have squares that underflow to 0
            format!(
                "column {j} is numerically zero: its squares underflow, so rescale the features"
            )
        } else if fit_intercept {
            format!("column {j} is constant, so it duplicates the intercept")
        } else {
            format!("column {j} is all zeros")
        };
        return Err(ModelError::RankDeficient { detail });
    }
    for j in 0..p {
        for i in j..p {
            gram[(i, j)] /= scale[i] * scale[j];
        }
    }
    let dependent = match Cholesky::new(gram.as_ref()) {
        Err(LinalgError::NotPositiveDefinite { index }) => Some(index),
        Err(e) => return Err(e.into()),
        Ok(chol) => (0..p).find(|&j| chol.l()[(j, j)].powi(2) < 1e-10),
    };
    match dependent {
        Some(j) => Err(ModelError::RankDeficient {
            detail: format!(
                "column {j} is (numerically) a linear combination of columns 0..{j}{}",
                if fit_intercept {
                    " and the intercept"
                } else {
                    ""
                }
            ),
        }),
        None => Ok(()),
    }
}

/// Whether column `j` holds a non-zero entry (its sum of absolute values: `x_j . sign(x_j)` is
/// not available without the column, so the column is gathered; called on an error path only).
fn has_non_zero<D: Design>(x: &D, j: usize) -> bool {
    let mut col = vec![0.0; x.nrows()];
    x.column_axpy(j, 1.0, &mut col);
    col.iter().any(|v| *v != 0.0)
}

/// The separation check of an unpenalized fit that stopped at `theta`, honest about what
/// the stop establishes.
///
/// * After convergence, [`detect_separation`] (perfect or quasi-perfect separation).
/// * Otherwise (iteration limit, divergence of a first-order solver, a failed line search)
///   the iterate proves separation only when it puts every observation strictly on the side
///   of its label (`fitted_right > 0` for every row: for the multinomial model, a fitted
///   probability above 1/2 for every row's class). Such coefficients, multiplied by any
///   factor, keep doing so while the likelihood tends to 1: the classes are perfectly
///   separated. Anything less is not evidence (an iterate blown up by too large a learning
///   rate has large `|z|` on both sides), and the fit is returned with its termination.
pub(crate) fn check_separation<O: SecondOrder + ?Sized>(
    obj: &mut O,
    theta: &[f64],
    fitted_right: &[f64],
    converged: bool,
) -> Result<()> {
    if converged {
        return detect_separation(obj, theta, fitted_right);
    }
    if !fitted_right.is_empty() && fitted_right.iter().all(|v| *v > 0.0) {
        return Err(ModelError::Separation {
            kind: "perfect",
            detail: format!(
                "the solver stopped without converging at coefficients that put all {} \
                 observations on the side of their labels, so a hyperplane separates the classes",
                fitted_right.len()
            ),
        });
    }
    Ok(())
}

/// `|z| >= SATURATION` on the side of the label means a fitted probability within `3e-7` of
/// the label.
const SATURATION: f64 = 15.0;

/// Detects perfect and quasi-perfect separation after an unpenalized fit at `theta`.
///
/// `fitted_right` holds, per row, how far the row's fitted log-odds are on the correct side of
/// its label (for binary models `z_i` when `y_i = 1` and `-z_i` when `y_i = 0`; for the
/// multinomial model `log p_{i,y_i} - log(1 - p_{i,y_i})`). Rows with `fitted_right >= 15` are
/// fitted to within `3e-7` of their labels.
///
/// * Every row saturated: **perfect separation**; the likelihood tends to 1 as the
///   coefficients grow, so the estimate does not exist.
/// * Some rows saturated and the Newton step at `theta` still large (its infinity norm above
///   `1e-3 max(1, |theta|_inf)`) while the gradient is tiny: the likelihood keeps increasing
///   along a direction of recession, **quasi-perfect separation**. At a genuine maximum the
///   Newton step is as small as the gradient.
pub(crate) fn detect_separation<O: SecondOrder + ?Sized>(
    obj: &mut O,
    theta: &[f64],
    fitted_right: &[f64],
) -> Result<()> {
    let saturated: Vec<usize> = fitted_right
        .iter()
        .enumerate()
        .filter(|(_, v)| **v >= SATURATION)
        .map(|(i, _)| i)
        .collect();
    let n = fitted_right.len();
    if saturated.is_empty() {
        return Ok(());
    }
    if saturated.len() == n {
        return Err(ModelError::Separation {
            kind: "perfect",
            detail: format!(
                "all {n} observations are fitted with probability within 3e-7 of their labels"
            ),
        });
    }
    let dim = obj.dim();
    let mut g = vec![0.0; dim];
    obj.gradient(theta, &mut g);
    let mut h = Mat::<f64>::zeros(dim, dim);
    obj.hessian(theta, h.as_mut());
    // Solve with the Hessian scaled to unit diagonal, so that the shift added to a singular
    // Hessian is relative to its curvature. The multinomial Hessian is always singular (the
    // symmetric parametrization's flat direction, to which the gradient is orthogonal), and at
    // a separated fit its curvature is tiny: an absolute shift would swamp it and hide the step.
    let scale: Vec<f64> = (0..dim)
        .map(|i| {
            let d = h[(i, i)];
            if d > 0.0 { 1.0 / d.sqrt() } else { 1.0 }
        })
        .collect();
    for j in 0..dim {
        for i in j..dim {
            h[(i, j)] *= scale[i] * scale[j];
        }
    }
    g.iter_mut().zip(&scale).for_each(|(v, s)| *v *= s);
    let mut chol = Cholesky::with_dim(dim);
    factor_with_shift(&mut chol, h.as_ref())?;
    chol.solve_in_place(&mut g);
    g.iter_mut().zip(&scale).for_each(|(v, s)| *v *= s);
    let step = g.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let size = theta.iter().fold(1.0f64, |m, v| m.max(v.abs()));
    if step > 1e-3 * size {
        return Err(ModelError::Separation {
            kind: "quasi-perfect",
            detail: format!(
                "{} of {n} observations (the first is row {}) are fitted with probability within \
                 3e-7 of their labels, and the Newton step is still {step:.3} while the gradient \
                 vanishes",
                saturated.len(),
                saturated[0]
            ),
        });
    }
    Ok(())
}
