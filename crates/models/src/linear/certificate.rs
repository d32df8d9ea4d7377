//! The certificate of a closed-form linear fit: the relative residual of its normal
//! equations, computed from the data in one pass ([`certify`]: QR and the dual form) or from
//! the normal equations the Cholesky solver formed ([`certify_normal_equations`]).
//!
//! For the design `A = S^{1/2} [1, X]` (`[X]` without an intercept), the target
//! `b = S^{1/2} y`, the parameters `theta = (b0, w)` and the residual `r = b - A theta`, the
//! least-squares (ridge: plus `l2 |w|^2`) solution satisfies `A^T r = 2 n l2 w` (0 for the
//! intercept). The certificate is the normwise backward error of those equations, column by
//! column:
//!
//! ```text
//! eta = max_j |a_j^T r - 2 n l2 w_j| / (|a_j| (|r| + |b| + sum_k |a_k| |theta_k|) + 2 n l2 |w_j|)
//! ```
//!
//! It does not change when a column or the target is multiplied by a constant. A backward
//! stable solver (QR) returns `eta` of a few units of rounding `eps`; a value far above means
//! that the returned coefficients do not solve the problem, whatever a convergence test
//! said. `eta` bounds the backward error, not the forward error: on an ill-conditioned design
//! every nearby solution has a small `eta`, which is why the Cholesky solver also checks the
//! condition number.

use linalg_core::{MatMut, MatRef, PassScratch, fused_gradient};

use super::centering::Centered;

/// A closed-form solution is certified when `eta <= CERTIFICATE_BOUND_FACTOR * eps *
/// sqrt(n + p)`: the rounding of the residual and of the dot products `a_j^T r` alone gives
/// `eta` of a few `eps sqrt(n)`, and a backward stable solver adds a small multiple of
/// `eps`. The factor leaves room for both on every test problem (`docs/math.md`).
pub(crate) const CERTIFICATE_BOUND_FACTOR: f64 = 64.0;

/// The certificate of a solution whose residual cannot be evaluated (a non-finite norm or
/// residual): finite, so that it survives a round trip through JSON (which has no infinity),
/// and far above every bound.
pub(crate) const UNCERTIFIABLE: f64 = f64::MAX;

/// The rounding-level bound on `eta` for `n` rows and `p` features.
pub(crate) fn certificate_bound(n: usize, p: usize) -> f64 {
    CERTIFICATE_BOUND_FACTOR * f64::EPSILON * ((n + p) as f64).sqrt()
}

/// `eta` of the module documentation evaluated on the normal equations the Cholesky solver
/// formed, instead of a pass over the data: with `C = X_c^T S X_c / n + 2 l2 I` and
/// `c = X_c^T S y_c / n` (`matrix`, lower triangle, and `rhs`), `X_c^T S r / n - 2 l2 w = c - C w`,
/// `|r|^2 = n (y_c^T S y_c / n - 2 w.c + w^T (C - 2 l2 I) w)`, the column norms from the
/// diagonal of `X^T S X / n` (`raw_diagonal`, which includes `2 l2`), and the intercept
/// equation `1^T S r = n (ybar - b0 - m.w)`.
///
/// `C` and `c` come from one pass over the data, with rounding errors of at most
/// `gamma_n |x_j| (|y| + sum_k |x_k| |w_k|)` in row `j` (`gamma_n ~ n eps`, typically
/// `sqrt(n) eps`): the same order as the rounding of a residual pass, so the two evaluations
/// of `eta` differ by rounding only, and this one costs `O(p^2)` instead of a pass over `X`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn certify_normal_equations(
    data: &Centered<'_>,
    matrix: MatRef<'_, f64>,
    rhs: &[f64],
    raw_diagonal: &[f64],
    yy: f64,
    w: &[f64],
    b0: f64,
    l2: f64,
) -> f64 {
    let (n, p) = (data.n(), data.p());
    let nf = n as f64;
    let sym = |i: usize, j: usize| {
        if i >= j {
            matrix[(i, j)]
        } else {
            matrix[(j, i)]
        }
    };
    let cw: Vec<f64> = (0..p)
        .map(|i| (0..p).map(|j| sym(i, j) * w[j]).sum::<f64>())
        .collect();
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
    let w_sq = dot(w, w);
    let rss = (nf * (yy - 2.0 * dot(w, rhs) + dot(w, &cw) - 2.0 * l2 * w_sq)).max(0.0);
    let b_norm = (0..n)
        .map(|i| data.weight(i) * data.y[i] * data.y[i])
        .sum::<f64>()
        .sqrt();
    let col_norm: Vec<f64> = raw_diagonal
        .iter()
        .map(|d| (nf * (d - 2.0 * l2)).max(0.0).sqrt())
        .collect();
    let ones_norm = nf.sqrt();
    let sum_r = if data.fit_intercept {
        nf * (data.y_mean - b0 - dot(&data.x_mean, w))
    } else {
        0.0
    };
    let mut scale =
        rss.sqrt() + b_norm + dot(&col_norm, &w.iter().map(|v| v.abs()).collect::<Vec<_>>());
    if data.fit_intercept {
        scale += ones_norm * b0.abs();
    }
    let shrink = 2.0 * nf * l2;
    let mut eta = 0.0f64;
    for j in 0..p {
        // x_j^T S r - 2 n l2 w_j = n (c_j - (C w)_j) + m_j 1^T S r
        let num = (nf * (rhs[j] - cw[j]) + data.x_mean[j] * sum_r).abs();
        let den = col_norm[j] * scale + shrink * w[j].abs();
        eta = eta.max(if num == 0.0 { 0.0 } else { num / den });
    }
    if data.fit_intercept && sum_r != 0.0 {
        eta = eta.max(sum_r.abs() / (ones_norm * scale));
    }
    if eta.is_finite() && scale.is_finite() {
        eta
    } else {
        UNCERTIFIABLE
    }
}

/// The normal-equations residual of one solution.
#[derive(Clone, Debug)]
pub(crate) struct Certificate {
    /// `eta` of the module documentation.
    pub eta: f64,
    /// `X^T S r / n - 2 l2 w`, minus the gradient of the objective in `w` (the correction a
    /// refinement step solves for), on the centered columns.
    pub centered_residual: Vec<f64>,
}

/// Computes the certificate of `(w, b0)` for the data in `data` (whose target may be the
/// internally rescaled one): one fused pass over `X` for `r` and `X^T S r`.
///
/// `raw_norms[j]` is `sqrt(sum_i s_i x_ij^2)` (the norm of the uncentered weighted column);
/// the caller has it from its factorization. A non-finite norm, residual or scale leaves the
/// solution uncertified (`eta` = [`UNCERTIFIABLE`]).
pub(crate) fn certify(
    data: &Centered<'_>,
    w: &[f64],
    b0: f64,
    l2: f64,
    raw_norms: &[f64],
) -> Certificate {
    let (n, p) = (data.n(), data.p());
    let nf = n as f64;
    let y = data.y;
    let weights = data.weights.as_deref();
    let mut scratch = PassScratch::for_matrix(data.x, 1);
    let mut xtr = vec![0.0; p];
    let mut sum_r = [0.0];
    let rss = fused_gradient(
        data.x,
        MatRef::from_column_major_slice(w, p, 1),
        &[b0],
        &mut scratch,
        data.par,
        |rows, z| {
            let mut ss = 0.0;
            for (i, zi) in rows.zip(z.iter_mut()) {
                let r = y[i] - *zi;
                let s = weights.map_or(1.0, |s| s[i]);
                ss += s * r * r;
                *zi = s * r;
            }
            ss
        },
        MatMut::from_column_major_slice_mut(&mut xtr, p, 1),
        &mut sum_r,
    );
    let r_norm = rss.sqrt();
    let b_norm = (0..n)
        .map(|i| weights.map_or(1.0, |s| s[i]) * y[i] * y[i])
        .sum::<f64>()
        .sqrt();
    let col_norm = raw_norms;
    let ones_norm = nf.sqrt();
    let mut scale = r_norm
        + b_norm
        + col_norm
            .iter()
            .zip(w)
            .map(|(a, v)| a * v.abs())
            .sum::<f64>();
    if data.fit_intercept {
        scale += ones_norm * b0.abs();
    }
    let certifiable = scale.is_finite() && rss.is_finite();
    let ratio = |num: f64, den: f64| {
        if num == 0.0 {
            0.0
        } else if den > 0.0 {
            num / den
        } else {
            UNCERTIFIABLE
        }
    };
    let shrink = 2.0 * nf * l2;
    let mut eta = 0.0f64;
    for j in 0..p {
        let num = (xtr[j] - shrink * w[j]).abs();
        let den = col_norm[j] * scale + shrink * w[j].abs();
        eta = eta.max(ratio(num, den));
    }
    if data.fit_intercept {
        eta = eta.max(ratio(sum_r[0].abs(), ones_norm * scale));
    }
    if !(certifiable && eta.is_finite()) {
        eta = UNCERTIFIABLE;
    }
    // X_c^T S r = X^T S r - m (1^T S r), divided by n, minus the penalty's gradient
    let centered_residual = (0..p)
        .map(|j| (xtr[j] - data.x_mean[j] * sum_r[0]) / nf - 2.0 * l2 * w[j])
        .collect();
    Certificate {
        eta,
        centered_residual,
    }
}
