//! Proximal Newton for a twice-differentiable function plus an elastic-net penalty, with
//! coordinate descent on the quadratic model.

use linalg_core::{Mat, MatRef, symmetrize_lower};

use crate::coordinate_descent::CoordinateDescent;
use crate::driver::{Iteration, ONE_PASS, Solver, Start, Step, evaluate_start};
use crate::elastic_net::ElasticNet;
use crate::error::Result;
use crate::line_search::armijo_holds;
use crate::monitor::RunOptions;
use crate::objective::{Coordinates, SecondOrder};
use crate::report::{Divergence, LineSearchFailure, Termination};
use crate::run::{common_setters, entry_points};
use crate::stopping::Stopping;
use crate::vecops::{dot, lower_is_finite};

/// Proximal Newton (Lee, Sun & Saunders, "Proximal Newton-type methods for minimizing
/// composite functions", SIAM J. Optim. 24, 2014), the method of glmnet and glum for L1
/// penalized generalized linear models.
///
/// To minimize `F = f + h` (`f` with a Hessian, `h` the elastic-net penalty given to
/// [`new`](Self::new)), each iteration builds the quadratic model of `f` at `x` with the exact
/// Hessian `H` and gradient `g`, minimizes `g.d + d^T H d / 2 + h(x + d)` by
/// [`CoordinateDescent`] (to a tolerance that tightens as the outer iterates converge,
/// `1e-4 |s|^2` with `s` the minimum-norm subgradient of `F`), and halves the step `t` along
/// `d` until `F(x + t d) <= F(x) + 1e-4 t Delta`,
/// `Delta = g.d + h(x + d) - h(x) < 0` (at most 60 times). Near the solution `|Delta|` falls
/// below the rounding error of `F`, and values no longer tell a good step from a bad one:
/// then the unit step is accepted when `F(x + d) <= F(x) + 1e-6 |F(x)|` (the approximate
/// condition of Hager & Zhang, SIAM J. Optim. 16, 2005, on values alone).
///
/// Optimality is measured by the minimum-norm subgradient of `F` ([`ElasticNet::optimality`]),
/// to which the gradient tests of [`Stopping`] apply. A Hessian with a non-finite entry ends
/// the run with [`Termination::Diverged`] and the last finite iterate; a model step that
/// does not decrease `F` (`Delta >= 0` while not optimal) with [`Termination::Stalled`].
///
/// Defaults: `max_iter = 100`, `gradient_tol = 1e-8`. Requires [`SecondOrder`] (the full
/// Hessian: `O(n^2)` memory for `n` variables).
///
/// # Examples
/// `f = (x0^2 + 3 x1^2) / 2 - 3 x0 - x1` plus `|x|_1`: the minimizer is `(2, 0)`.
/// ```
/// use linmod_optim::{ElasticNet, ProxNewton, testfns::Quadratic};
/// let mut q = Quadratic::new(vec![1.0, 0.0, 0.0, 3.0], vec![-3.0, -1.0]).unwrap();
/// let r = ProxNewton::new(ElasticNet::new(1.0, 0.0).unwrap()).minimize(&mut q, &[0.0, 0.0]).unwrap();
/// assert!(r.converged(), "{}", r.summary());
/// assert!((r.x[0] - 2.0).abs() < 1e-12 && r.x[1] == 0.0);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct ProxNewton {
    penalty: ElasticNet,
    stopping: Stopping,
    options: RunOptions,
}

impl ProxNewton {
    /// Proximal Newton on `f + penalty`.
    #[must_use]
    pub fn new(penalty: ElasticNet) -> Self {
        Self {
            penalty,
            stopping: Stopping::default().max_iter(100),
            options: RunOptions::default(),
        }
    }

    common_setters!();

    /// Validates the configuration.
    ///
    /// # Errors
    /// [`OptimError::InvalidParameter`](crate::OptimError::InvalidParameter) for invalid
    /// tolerances.
    pub fn check(&self) -> Result<()> {
        self.stopping.check()
    }

    entry_points!(SecondOrder, "iterations");
}

/// The quadratic model `u^T H u / 2 + c^T u` of the smooth part, with `H u` kept up to date.
struct QuadraticModel<'a> {
    h: MatRef<'a, f64>,
    c: &'a [f64],
    hu: &'a mut [f64],
}

impl Coordinates for QuadraticModel<'_> {
    fn dim(&self) -> usize {
        self.c.len()
    }

    fn value(&mut self, u: &[f64]) -> f64 {
        0.5 * dot(u, self.hu) + dot(self.c, u)
    }

    fn partial(&mut self, _u: &[f64], j: usize) -> f64 {
        self.hu[j] + self.c[j]
    }

    fn curvature(&self, j: usize) -> f64 {
        self.h[(j, j)]
    }

    fn update(&mut self, j: usize, delta: f64) {
        for (v, hk) in self.hu.iter_mut().zip(self.h.col(j).iter()) {
            *v += delta * hk;
        }
    }

    fn cheap_certificate(&self) -> bool {
        true
    }
}

/// The state of a proximal Newton run.
#[derive(Clone, Debug)]
pub struct ProxNewtonState {
    /// The Hessian (both triangles once symmetrized).
    h: Mat<f64>,
    /// `H x` and the linear term `g - H x` of the model in `u = x + d`.
    hu: Vec<f64>,
    c: Vec<f64>,
    /// The gradient of `f` at the current iterate, and at the trial point.
    g: Vec<f64>,
    g_trial: Vec<f64>,
}

impl<O: SecondOrder + ?Sized> Solver<O> for ProxNewton {
    type State = ProxNewtonState;

    fn init(&self, obj: &mut O, x: &mut [f64]) -> Result<(ProxNewtonState, Start)> {
        let n = x.len();
        let (f, g) = evaluate_start(obj, x)?;
        let start = Start {
            evaluations: ONE_PASS,
            ..Start::new(f + self.penalty.value(x), self.penalty.optimality(x, &g))
        };
        let state = ProxNewtonState {
            h: Mat::zeros(n, n),
            hu: vec![0.0; n],
            c: vec![0.0; n],
            g,
            g_trial: vec![0.0; n],
        };
        Ok((state, start))
    }

    fn step(&self, obj: &mut O, st: &mut ProxNewtonState, it: &mut Iteration<'_>) -> Step {
        let (x, dim) = (it.x, it.x.len());
        obj.hessian(x, st.h.as_mut());
        it.evaluations.hessian += 1;
        if !lower_is_finite(st.h.as_ref()) {
            return Step::Diverged(Divergence::NonFiniteHessian);
        }
        symmetrize_lower(st.h.as_mut());
        // the model in u = x + d: u^T H u / 2 + (g - H x)^T u, warm-started at u = x
        for i in 0..dim {
            st.hu[i] = (0..dim).map(|k| st.h[(i, k)] * x[k]).sum();
            st.c[i] = st.g[i] - st.hu[i];
        }
        let opt = it.grad_norm;
        let inner = CoordinateDescent::new(self.penalty.clone())
            .tol((1e-4 * opt * opt).max(1e-30))
            .max_iter(10_000);
        let mut model = QuadraticModel {
            h: st.h.as_ref(),
            c: &st.c,
            hu: &mut st.hu,
        };
        let u = match inner.minimize(&mut model, x) {
            Ok(report) => report.x,
            // only a non-finite model at the start can fail: x, H and g are finite here
            Err(_) => return Step::Diverged(Divergence::NonFinite),
        };
        // predicted decrease, summed per coordinate: |u_j| - |x_j| and (u_j - x_j)(u_j + x_j)
        // are exact where the totals h(u) - h(x) would cancel catastrophically near the
        // solution
        let mut delta = 0.0;
        for j in 0..dim {
            let (l1, l2) = self.penalty.strengths(j);
            let d = u[j] - x[j];
            delta += st.g[j] * d;
            delta += l1 * (u[j].abs() - x[j].abs()) + l2 * d * (u[j] + x[j]);
        }
        if delta.is_nan() || delta > 0.0 {
            return Step::Stop(Termination::Stalled);
        }
        // a decrease below the rounding of F cannot be seen in its values: then the unit
        // step is accepted on a sanity bound, as in the approximate condition of Hager & Zhang
        let f0 = it.value;
        let invisible = -delta <= 4.0 * f64::EPSILON * f0.abs();
        let mut t = 1.0;
        for trial in 0..60 {
            for j in 0..dim {
                it.next[j] = x[j] + t * (u[j] - x[j]);
            }
            let f = obj.value_and_gradient(it.next, &mut st.g_trial);
            it.evaluations.value += 1;
            it.evaluations.gradient += 1;
            let big_f = f + self.penalty.value(it.next);
            let approximate = invisible && trial == 0 && big_f <= f0 + 1e-6 * f0.abs();
            if big_f.is_finite() && (armijo_holds(f0, delta, 1e-4, t, big_f) || approximate) {
                std::mem::swap(&mut st.g, &mut st.g_trial);
                return Step::moved(big_f, self.penalty.optimality(it.next, &st.g), t);
            }
            t *= 0.5;
        }
        Step::Stop(Termination::LineSearchFailed {
            reason: LineSearchFailure::MaxEvaluations,
        })
    }
}
