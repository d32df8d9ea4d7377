//! Trust-region Newton with conjugate gradients on Hessian-vector products (TRON, the method
//! of LIBLINEAR's `-s 0` and `-s 2`).

use crate::driver::{Iteration, ONE_PASS, Solver, Start, Step, smooth_start};
use crate::error::{OptimError, Result};
use crate::monitor::RunOptions;
use crate::objective::SecondOrder;
use crate::report::{Divergence, Termination};
use crate::run::{common_setters, entry_points};
use crate::stopping::Stopping;
use crate::vecops::{dot, first_non_finite, grad_norm, norm2};

/// Ratios of actual to predicted reduction that decide how the radius changes (Lin, Weng &
/// Keerthi 2008, section 2.1: `eta_0, eta_1, eta_2`).
const ETA: [f64; 3] = [1e-4, 0.25, 0.75];
/// Factors the radius is multiplied by (`sigma_1, sigma_2, sigma_3`).
const SIGMA: [f64; 3] = [0.25, 0.5, 4.0];
/// Consecutive rejected steps after which the run is stalled (the radius has shrunk by at
/// least `4^60`).
const MAX_REJECTIONS: usize = 60;
/// Relative size of the rounding error of an objective value (`64 eps`).
const ROUNDING: f64 = 64.0 * f64::EPSILON;

/// Trust-region Newton-CG (TRON): at each iterate, conjugate gradients minimize the quadratic
/// model `g^T s + s^T H s / 2` inside the ball `|s| <= delta` (Steihaug's truncated CG,
/// stopped when the CG residual falls to `cg_tol |g|` or the step reaches the boundary); the
/// step is taken when the actual reduction is at least `1e-4` times the predicted one, and
/// the radius `delta` is updated from that ratio by the rules of Lin, Weng & Keerthi,
/// *Trust region Newton method for large-scale logistic regression*, JMLR 9 (2008),
/// Algorithm 2 and section 2.1 (the method of LIBLINEAR). A rejected step shrinks the radius
/// and is tried again within the same iteration. Once the predicted reduction is below the
/// rounding error of `f` (`64 eps |f|`), where the ratio would compare noise, a step is taken
/// when it reduces the gradient's Euclidean norm instead.
///
/// Each CG iteration costs one Hessian-vector product (for a linear model, one pass over `X`),
/// and no `n x n` matrix is formed: memory is six vectors. Converges from any start on
/// strictly convex problems, superlinearly near the solution. A non-finite Hessian-vector
/// product or value ends the run as diverged with the last finite iterate; 60 consecutive
/// rejected steps (the radius shrunk to rounding level) end it as stalled.
///
/// Defaults: `max_iter = 1000` outer iterations, `gradient_tol = 1e-8`, `cg_tol = 0.1`, at most
/// `dim` CG iterations per outer iteration (capped at 10 000). Requires [`SecondOrder`], of
/// which only the Hessian-vector product is used.
///
/// # Examples
/// ```
/// use linmod_optim::{TrustRegion, testfns::Rosenbrock};
/// let report = TrustRegion::default().minimize(&mut Rosenbrock::default(), &[-1.2, 1.0]).unwrap();
/// assert!(report.converged());
/// assert!((report.x[0] - 1.0).abs() < 1e-6 && (report.x[1] - 1.0).abs() < 1e-6);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrustRegion {
    cg_tol: f64,
    max_cg: Option<usize>,
    stopping: Stopping,
    options: RunOptions,
}

impl Default for TrustRegion {
    fn default() -> Self {
        Self {
            cg_tol: 0.1,
            max_cg: None,
            stopping: Stopping::default(),
            options: RunOptions::default(),
        }
    }
}

impl TrustRegion {
    /// Sets the relative tolerance of the inner CG: it stops once `|H s + g| <= cg_tol |g|`
    /// (default 0.1, LIBLINEAR's).
    #[must_use]
    pub fn cg_tol(mut self, cg_tol: f64) -> Self {
        self.cg_tol = cg_tol;
        self
    }

    /// Sets the most CG iterations per outer iteration (default: the dimension, at most
    /// 10 000).
    #[must_use]
    pub fn max_cg(mut self, max_cg: usize) -> Self {
        self.max_cg = Some(max_cg);
        self
    }

    common_setters!();

    /// Validates the configuration.
    ///
    /// # Errors
    /// [`OptimError::InvalidParameter`] for `cg_tol` outside `(0, 1)`, `max_cg = 0`, or
    /// invalid tolerances.
    pub fn check(&self) -> Result<()> {
        if !(self.cg_tol > 0.0 && self.cg_tol < 1.0) {
            return Err(OptimError::InvalidParameter {
                name: "cg_tol",
                value: self.cg_tol,
                requirement: "in (0, 1)",
            });
        }
        if self.max_cg == Some(0) {
            return Err(OptimError::InvalidParameter {
                name: "max_cg",
                value: 0.0,
                requirement: "at least 1",
            });
        }
        self.stopping.check()
    }

    entry_points!(SecondOrder, "iterations");
}

/// The state of a trust-region run.
#[derive(Debug)]
pub struct TrustRegionState {
    /// Gradient at the current iterate.
    g: Vec<f64>,
    /// Trust-region radius.
    delta: f64,
    /// The step, the CG residual `-(g + H s)`, the CG direction and `H d`.
    s: Vec<f64>,
    r: Vec<f64>,
    d: Vec<f64>,
    hd: Vec<f64>,
    /// Gradient at the trial point.
    g_new: Vec<f64>,
    max_cg: usize,
    first: bool,
}

/// How the inner CG ended.
struct CgResult {
    /// Whether the step reached the trust-region boundary.
    boundary: bool,
    /// Whether a Hessian-vector product was not finite.
    non_finite: bool,
}

impl TrustRegion {
    /// Steihaug's truncated CG for `min g^T s + s^T H s / 2` subject to `|s| <= delta`: writes
    /// `s` and the residual `r = -(g + H s)`.
    fn conjugate_gradient<O: SecondOrder + ?Sized>(
        &self,
        obj: &mut O,
        st: &mut TrustRegionState,
        it: &mut Iteration<'_>,
    ) -> CgResult {
        let TrustRegionState {
            g,
            s,
            r,
            d,
            hd,
            delta,
            max_cg,
            ..
        } = st;
        s.fill(0.0);
        r.iter_mut().zip(g.iter()).for_each(|(ri, gi)| *ri = -gi);
        d.copy_from_slice(r);
        let tol = self.cg_tol * norm2(g);
        let mut rr = dot(r, r);
        for _ in 0..*max_cg {
            if rr.sqrt() <= tol {
                break;
            }
            obj.hessian_vector_product(it.x, d, hd);
            it.evaluations.hessian_vector += 1;
            if first_non_finite(hd).is_some() {
                return CgResult {
                    boundary: false,
                    non_finite: true,
                };
            }
            let dhd = dot(d, hd);
            let alpha = rr / dhd;
            // a direction of non-positive curvature, or a full step beyond the radius: go to
            // the boundary along d
            let beyond = dhd <= 0.0 || {
                let ss: f64 = s
                    .iter()
                    .zip(d.iter())
                    .map(|(si, di)| (si + alpha * di).powi(2))
                    .sum();
                ss.sqrt() > *delta
            };
            if beyond {
                let tau = boundary_step(s, d, *delta);
                for (((si, ri), di), hdi) in
                    s.iter_mut().zip(r.iter_mut()).zip(d.iter()).zip(hd.iter())
                {
                    *si += tau * di;
                    *ri -= tau * hdi;
                }
                return CgResult {
                    boundary: true,
                    non_finite: false,
                };
            }
            for (((si, ri), di), hdi) in s.iter_mut().zip(r.iter_mut()).zip(d.iter()).zip(hd.iter())
            {
                *si += alpha * di;
                *ri -= alpha * hdi;
            }
            let rr_new = dot(r, r);
            let beta = rr_new / rr;
            d.iter_mut()
                .zip(r.iter())
                .for_each(|(di, ri)| *di = ri + beta * *di);
            rr = rr_new;
        }
        CgResult {
            boundary: false,
            non_finite: false,
        }
    }
}

/// The `tau >= 0` with `|s + tau d| = delta`, for `|s| <= delta` (the positive root, in the
/// form without cancellation).
fn boundary_step(s: &[f64], d: &[f64], delta: f64) -> f64 {
    let sd = dot(s, d);
    let ss = dot(s, s);
    let dd = dot(d, d);
    let gap = (delta * delta - ss).max(0.0);
    let rad = (sd * sd + dd * gap).sqrt();
    if sd >= 0.0 {
        gap / (sd + rad)
    } else {
        (rad - sd) / dd
    }
}

impl<O: SecondOrder + ?Sized> Solver<O> for TrustRegion {
    type State = TrustRegionState;

    fn init(&self, obj: &mut O, x: &mut [f64]) -> Result<(TrustRegionState, Start)> {
        let n = x.len();
        let (g, start) = smooth_start(obj, x)?;
        let delta = norm2(&g);
        let state = TrustRegionState {
            g,
            delta,
            s: vec![0.0; n],
            r: vec![0.0; n],
            d: vec![0.0; n],
            hd: vec![0.0; n],
            g_new: vec![0.0; n],
            max_cg: self.max_cg.unwrap_or(n.clamp(1, 10_000)),
            first: true,
        };
        Ok((state, start))
    }

    fn step(&self, obj: &mut O, st: &mut TrustRegionState, it: &mut Iteration<'_>) -> Step {
        let f = it.value;
        for _ in 0..MAX_REJECTIONS {
            let cg = self.conjugate_gradient(obj, st, it);
            if cg.non_finite {
                return Step::Diverged(Divergence::NonFiniteHessian);
            }
            for ((ni, xi), si) in it.next.iter_mut().zip(it.x).zip(&st.s) {
                *ni = xi + si;
            }
            let f_new = obj.value_and_gradient(it.next, &mut st.g_new);
            it.evaluations.value += ONE_PASS.value;
            it.evaluations.gradient += ONE_PASS.gradient;
            let gs = dot(&st.g, &st.s);
            // predicted reduction -(g^T s + s^T H s / 2), with H s = -(g + r)
            let predicted = -0.5 * (gs - dot(&st.s, &st.r));
            let actual = f - f_new;
            let snorm = norm2(&st.s);
            if st.first {
                st.delta = st.delta.min(snorm);
                st.first = false;
            }
            st.delta = next_radius(st.delta, snorm, gs, f, f_new, predicted, cg.boundary);
            // Near the solution the predicted reduction falls below the rounding of `f`, and
            // the ratio test compares noise: there the step is taken when it reduces the
            // gradient, which the model still predicts reliably.
            let noise = ROUNDING * f.abs();
            let decreased = if predicted.abs() <= noise {
                f_new.is_finite() && norm2(&st.g_new) < norm2(&st.g)
            } else {
                f_new.is_finite() && actual > ETA[0] * predicted
            };
            if decreased {
                std::mem::swap(&mut st.g, &mut st.g_new);
                return Step::moved(f_new, grad_norm(&st.g), snorm);
            }
            if predicted.abs() <= noise {
                // neither the value nor the gradient can be improved at rounding level
                return Step::Stop(Termination::Stalled);
            }
        }
        Step::Stop(Termination::Stalled)
    }
}

/// The radius after a trial step of length `snorm` (Lin, Weng & Keerthi 2008, section 2.1):
/// `alpha` minimizes the quadratic interpolating `f` along the step, and the ratio of actual
/// to predicted reduction chooses the interval the new radius is taken from.
fn next_radius(
    delta: f64,
    snorm: f64,
    gs: f64,
    f: f64,
    f_new: f64,
    predicted: f64,
    boundary: bool,
) -> f64 {
    let actual = f - f_new;
    let curvature = f_new - f - gs;
    let alpha = if !f_new.is_finite() {
        SIGMA[0]
    } else if curvature <= 0.0 {
        SIGMA[2]
    } else {
        SIGMA[0].max(-0.5 * gs / curvature)
    };
    if !f_new.is_finite() || actual < ETA[0] * predicted {
        (alpha * snorm).min(SIGMA[1] * delta)
    } else if actual < ETA[1] * predicted {
        (SIGMA[0] * delta).max((alpha * snorm).min(SIGMA[1] * delta))
    } else if actual < ETA[2] * predicted {
        (SIGMA[0] * delta).max((alpha * snorm).min(SIGMA[2] * delta))
    } else if boundary {
        SIGMA[2] * delta
    } else {
        delta.max((alpha * snorm).min(SIGMA[2] * delta))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testfns::{Quadratic, Rosenbrock};

    #[test]
    fn an_ill_conditioned_quadratic_is_solved_with_products_only() {
        // f = x^T A x / 2 + b^T x with A = diag(1, 10, 1e4) plus a coupling, x* = -A^{-1} b
        let a = vec![1.0, 0.5, 0.0, 0.5, 10.0, 0.0, 0.0, 0.0, 1e4];
        let mut q = Quadratic::new(a, vec![-1.0, 2.0, -3.0]).unwrap();
        let xstar = q.minimizer();
        let r = TrustRegion::default()
            .gradient_tol(1e-12)
            .minimize(&mut q, &[0.0; 3])
            .unwrap();
        assert!(r.converged(), "{:?}", r.termination);
        for (x, s) in r.x.iter().zip(&xstar) {
            assert!((x - s).abs() < 1e-12, "{x} vs {s}");
        }
        assert!(r.evaluations.hessian_vector > 0);
        assert_eq!(r.evaluations.hessian, 0);
    }

    #[test]
    fn rosenbrock_from_far_away_converges() {
        let r = TrustRegion::default()
            .minimize(&mut Rosenbrock::default(), &[-3.0, -4.0])
            .unwrap();
        assert!(r.converged(), "{:?}", r.termination);
        assert!((r.x[0] - 1.0).abs() < 1e-7 && (r.x[1] - 1.0).abs() < 1e-7);
    }

    #[test]
    fn the_boundary_root_is_on_the_sphere() {
        let (s, d) = ([0.3, -0.2], [1.0, 2.0]);
        for delta in [0.5, 1.0, 10.0] {
            let tau = boundary_step(&s, &d, delta);
            let end = [s[0] + tau * d[0], s[1] + tau * d[1]];
            assert!((norm2(&end) - delta).abs() < 1e-14 * delta);
            assert!(tau >= 0.0);
        }
    }

    #[test]
    fn invalid_settings_are_refused() {
        assert!(TrustRegion::default().cg_tol(1.0).check().is_err());
        assert!(TrustRegion::default().cg_tol(f64::NAN).check().is_err());
        assert!(TrustRegion::default().max_cg(0).check().is_err());
        assert!(TrustRegion::default().check().is_ok());
    }

    #[test]
    fn the_iteration_limit_is_not_convergence() {
        let r = TrustRegion::default()
            .max_iter(2)
            .minimize(&mut Rosenbrock::default(), &[-1.2, 1.0])
            .unwrap();
        assert_eq!(r.iterations, 2);
        assert!(!r.converged());
    }
}
