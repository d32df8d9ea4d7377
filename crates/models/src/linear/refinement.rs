//! Iterative refinement of a QR least-squares solution against the data (Björck's
//! augmented-system refinement with residuals in extra precision).
//!
//! The QR factorization is of a rounded copy of the centered, weighted design, so its
//! solution is exact for data perturbed by a few `eps` per entry, and wrong by about
//! `cond * eps` relative (more for large residuals, `cond^2 eps |r| / (|A| |x|)`). Each
//! refinement step computes the residuals of both block rows of
//!
//! ```text
//! [I   A~] [r    ]   [S^{1/2} y]
//! [A~^T 0] [theta] = [0        ],      A~ = S^{1/2} [1, X],  theta = (b, w)
//! ```
//!
//! from the original data with compensated arithmetic (`linalg_core::residual_compensated`,
//! `xtv_compensated`: about twice the working precision), and solves for the correction
//! with the existing factorization (`ScaledQr::solve_augmented`). While `cond * eps < 1`
//! the error shrinks by a factor of about `cond * eps` per step, down to the rounding of the
//! result itself: the correctly rounded solution of the data's problem, independent of the
//! residual size (Björck, *Numerical Methods for Least Squares Problems*, 1996, §2.9).
//!
//! The intercept column `u = S^{1/2} 1` is orthogonal to the centered columns, so the
//! correction splits: `db' = (u^T f - g_0) / n` for the intercept, the factorization for the
//! rest, and `theta = T^{-1} phi` with `T = [[1, m^T], [0, I]]` maps the centered
//! parametrization back (`b = b' - m.w`).

use linalg_core::{ScaledQr, residual_compensated, xtv_compensated};

use super::centering::Centered;

/// At most this many refinement steps: each gains about `-log10(cond * eps)` digits, so a
/// design with `cond < 1e12` reaches the rounding level of the result in three.
const MAX_STEPS: usize = 4;

/// Refines `(w, b)` (the intercept `b` is ignored without one) in place with the QR
/// factorization of the centered weighted design; returns the number of steps taken. Does
/// nothing for a rank-deficient factorization (the solution is not unique).
pub(crate) fn refine(data: &Centered<'_>, qr: &ScaledQr, w: &mut [f64], b: &mut f64) -> usize {
    let (n, p) = (data.n(), data.p());
    if qr.rank() < p || qr.nrows() != n {
        return 0;
    }
    let nf = n as f64;
    let sqrt_w = data.weights.as_ref().map(|_| data.sqrt_weights());
    let c = sqrt_w.as_deref();
    let u = |i: usize| c.map_or(1.0, |c| c[i]);
    let zero = vec![0.0; n];
    let mut r = residual_compensated(data.x, w, *b, data.y, c, &zero, data.par);
    let mut previous = f64::INFINITY;
    let mut steps = 0;
    while steps < MAX_STEPS {
        let f = residual_compensated(data.x, w, *b, data.y, c, &r, data.par);
        let (xtr, total) = xtv_compensated(data.x, &r, c, data.par);
        // g = -A~^T r; in the centered parametrization g'_w = g_w - m g_0
        let g0 = -total;
        let gw: Vec<f64> = (0..p).map(|j| -xtr[j] - data.x_mean[j] * g0).collect();
        let mut f_rest = f;
        let db_centered = if data.fit_intercept {
            let uf: f64 = f_rest.iter().enumerate().map(|(i, v)| u(i) * v).sum();
            let d = (uf - g0) / nf;
            f_rest
                .iter_mut()
                .enumerate()
                .for_each(|(i, v)| *v -= u(i) * d);
            d
        } else {
            0.0
        };
        let Some((dr, dw)) = qr.solve_augmented(&f_rest, &gw) else {
            break;
        };
        let db = if data.fit_intercept {
            db_centered - data.x_mean.iter().zip(&dw).map(|(m, d)| m * d).sum::<f64>()
        } else {
            0.0
        };
        let size = w.iter().fold(b.abs(), |m, v| m.max(v.abs()));
        let change = dw.iter().fold(db.abs(), |m, v| m.max(v.abs()));
        if !change.is_finite() || change > 0.5 * previous {
            // not contracting: the design is too ill-conditioned for refinement to help
            break;
        }
        w.iter_mut().zip(&dw).for_each(|(a, d)| *a += d);
        if data.fit_intercept {
            *b += db;
        }
        r.iter_mut().zip(&dr).for_each(|(a, d)| *a += d);
        steps += 1;
        previous = change;
        if change <= f64::EPSILON * size {
            break;
        }
    }
    steps
}
