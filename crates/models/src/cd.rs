//! Cyclic coordinate descent on an elastic-net penalized quadratic, the inner solver shared by
//! the lasso in Gram ("covariance") mode and the proximal Newton method for L1 logistic
//! regression.
//!
//! It minimizes
//! `q(x) = 1/2 x^T Q x + c^T x + l1 sum_{j in J} |x_j| + l2 sum_{j in J} x_j^2`
//! for a symmetric positive-semidefinite `Q` and penalized coordinates `J` (the others, e.g.
//! intercepts, are free). The coordinate minimizer is
//! `x_j = S(Q_jj x_j - g_j, l1) / (Q_jj + 2 l2)` with `g = Q x + c` and the soft-thresholding
//! `S(v, t) = sign(v) max(|v| - t, 0)`; `Q x` is kept up to date in `O(dim)` per change.

use std::ops::Range;

use linalg_core::MatRef;
use optim::soft_threshold;

use crate::penalty::Penalty;

/// Settings of [`minimize_quadratic`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct CdSettings {
    /// Stop when a full sweep changes no coordinate by more than this, measured as
    /// `(Q_jj + 2 l2) dx_j^2` (the decrease of `q` the change is worth, glmnet's rule).
    pub tol: f64,
    /// Limit on sweeps (full or active-set).
    pub max_sweeps: usize,
}

/// What a call to [`minimize_quadratic`] did.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct CdOutcome {
    /// Sweeps performed (full and active-set).
    pub sweeps: usize,
    /// Whether a full sweep met the tolerance.
    pub converged: bool,
}

/// Minimizes the penalized quadratic from the warm start in `x`, updating `x` in place.
///
/// `qx` must hold `Q x` for the incoming `x` and is kept equal to `Q x`. `q` must be the full
/// symmetric matrix (both triangles). Sweeps alternate between all coordinates and the
/// active set (non-zero coordinates): after a full sweep, active-set sweeps run until they
/// converge, then a full sweep checks that no inactive coordinate wants to move.
pub(crate) fn minimize_quadratic(
    q: MatRef<'_, f64>,
    c: &[f64],
    penalty: Penalty,
    penalized: Range<usize>,
    x: &mut [f64],
    qx: &mut [f64],
    settings: CdSettings,
) -> CdOutcome {
    let dim = x.len();
    let mut active: Vec<usize> = Vec::with_capacity(dim);
    let mut sweeps = 0;
    loop {
        // full sweep
        let change = sweep(q, c, penalty, &penalized, x, qx, 0..dim);
        sweeps += 1;
        if change <= settings.tol {
            return CdOutcome {
                sweeps,
                converged: true,
            };
        }
        if sweeps >= settings.max_sweeps {
            return CdOutcome {
                sweeps,
                converged: false,
            };
        }
        active.clear();
        active.extend((0..dim).filter(|&j| x[j] != 0.0 || !penalized.contains(&j)));
        // active-set sweeps until they settle
        loop {
            let change = sweep(q, c, penalty, &penalized, x, qx, active.iter().copied());
            sweeps += 1;
            if sweeps >= settings.max_sweeps {
                return CdOutcome {
                    sweeps,
                    converged: false,
                };
            }
            if change <= settings.tol {
                break;
            }
        }
    }
}

/// One pass over `coords`; returns the largest `(Q_jj + 2 l2) dx_j^2`. `qx` must hold `Q x`
/// and is kept equal to it.
pub(crate) fn sweep(
    q: MatRef<'_, f64>,
    c: &[f64],
    penalty: Penalty,
    penalized: &Range<usize>,
    x: &mut [f64],
    qx: &mut [f64],
    coords: impl Iterator<Item = usize>,
) -> f64 {
    let mut max_change = 0.0f64;
    for j in coords {
        let qjj = q[(j, j)];
        let g = qx[j] + c[j];
        let old = x[j];
        let (l1, l2) = if penalized.contains(&j) {
            (penalty.l1, penalty.l2)
        } else {
            (0.0, 0.0)
        };
        let denom = qjj + 2.0 * l2;
        if denom <= 0.0 {
            // a direction of zero curvature (a constant or all-zero column): the quadratic
            // does not determine this coordinate, leave it where it is
            continue;
        }
        let new = soft_threshold(qjj * old - g, l1) / denom;
        let delta = new - old;
        if delta != 0.0 {
            x[j] = new;
            for (v, qk) in qx.iter_mut().zip(q.col(j).iter()) {
                *v += delta * qk;
            }
            max_change = max_change.max(denom * delta * delta);
        }
    }
    max_change
}

#[cfg(test)]
mod tests {
    use super::*;
    use linalg_core::Mat;

    /// Brute-force check of optimality: the subgradient condition at the solution.
    fn kkt_violation(q: &Mat<f64>, c: &[f64], pen: Penalty, pj: &Range<usize>, x: &[f64]) -> f64 {
        let n = x.len();
        let mut worst = 0.0f64;
        for j in 0..n {
            let g: f64 = (0..n).map(|k| q[(j, k)] * x[k]).sum::<f64>() + c[j];
            let v = if pj.contains(&j) {
                let g2 = g + 2.0 * pen.l2 * x[j];
                if x[j] == 0.0 {
                    (g2.abs() - pen.l1).max(0.0)
                } else {
                    (g2 + pen.l1 * x[j].signum()).abs()
                }
            } else {
                g.abs()
            };
            worst = worst.max(v);
        }
        worst
    }

    #[test]
    fn solves_penalized_quadratics_to_their_optimality_conditions() {
        let b = Mat::from_fn(12, 5, |i, j| (((i * 5 + j) * 37 % 17) as f64 - 8.0) / 8.0);
        let q = Mat::from_fn(5, 5, |a, c| {
            (0..12).map(|i| b[(i, a)] * b[(i, c)]).sum::<f64>() / 12.0
        });
        let c = [0.3, -0.2, 0.05, 0.4, -0.6];
        for (l1, l2) in [(0.0, 0.0), (0.05, 0.0), (0.05, 0.1), (10.0, 0.0)] {
            let pen = Penalty::elastic_net(l1, l2).unwrap();
            let mut x = vec![0.0; 5];
            let mut qx = vec![0.0; 5];
            let out = minimize_quadratic(
                q.as_ref(),
                &c,
                pen,
                0..4,
                &mut x,
                &mut qx,
                CdSettings {
                    tol: 1e-24,
                    max_sweeps: 100_000,
                },
            );
            assert!(out.converged, "l1={l1} l2={l2}");
            assert!(
                kkt_violation(&q, &c, pen, &(0..4), &x) < 1e-10,
                "l1={l1}: {x:?}"
            );
            if l1 >= 10.0 {
                assert!(
                    x[..4].iter().all(|v| *v == 0.0),
                    "a huge l1 zeroes every penalized coordinate"
                );
                assert!(x[4] != 0.0, "the free coordinate is not penalized");
            }
        }
    }
}
