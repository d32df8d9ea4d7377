//! Newton's method with a Cholesky solve, a diagonal-shift fallback and backtracking.

use linalg_core::{Cholesky, Mat, factor_with_shift};

use crate::driver::{Iteration, Solver, Start, Step, line_search_step, smooth_start};
use crate::error::Result;
use crate::line_search::{Armijo, Point, Trial};
use crate::monitor::RunOptions;
use crate::objective::SecondOrder;
use crate::report::Divergence;
use crate::run::{common_setters, entry_points};
use crate::stopping::Stopping;
use crate::vecops::{dot, lower_is_finite};

/// Newton's method: solve `H d = -g` by Cholesky and take the longest step `alpha <= 1` that
/// satisfies the Armijo condition.
///
/// When the Hessian is not positive definite (non-convex regions, or singular Hessians of
/// rank-deficient problems) `H + tau I` is factored instead, with the smallest `tau` of a
/// doubling sequence that works (Nocedal & Wright, Algorithm 3.3): the direction is then a
/// descent direction and the step a damped Newton step. When no shift works, or rounding
/// leaves the solve without descent, the step is a steepest-descent step. With the
/// backtracking line search the method converges from any start on strictly convex problems,
/// and takes full steps (with quadratic convergence) near the solution; a strictly convex
/// quadratic is solved in one iteration. A Hessian with a non-finite entry ends the run with
/// [`Termination::Diverged`](crate::Termination::Diverged) and the last finite iterate.
///
/// For generalized linear models this is iteratively reweighted least squares (IRLS).
///
/// Defaults: `max_iter = 100`, `gradient_tol = 1e-8`, Armijo `c1 = 1e-4`. Requires
/// [`SecondOrder`] (the full Hessian; `O(n^2)` memory and `O(n^3)` per iteration for `n`
/// variables). Reference: Nocedal & Wright, *Numerical Optimization*, 2nd ed., chapter 3.4.
///
/// # Examples
/// ```
/// use linmod_optim::{Newton, testfns::Rosenbrock};
/// let report = Newton::default().minimize(&mut Rosenbrock::default(), &[-1.2, 1.0]).unwrap();
/// assert!(report.converged());
/// assert!((report.x[0] - 1.0).abs() < 1e-6 && (report.x[1] - 1.0).abs() < 1e-6);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Newton {
    line_search: Armijo,
    stopping: Stopping,
    options: RunOptions,
}

impl Default for Newton {
    fn default() -> Self {
        Self {
            line_search: Armijo::default(),
            stopping: Stopping::default().max_iter(100),
            options: RunOptions::default(),
        }
    }
}

impl Newton {
    /// Sets the backtracking line search.
    #[must_use]
    pub fn line_search(mut self, armijo: Armijo) -> Self {
        self.line_search = armijo;
        self
    }

    common_setters!();

    /// Validates the configuration.
    ///
    /// # Errors
    /// [`OptimError::InvalidParameter`](crate::OptimError::InvalidParameter) for invalid
    /// line-search constants or tolerances.
    pub fn check(&self) -> Result<()> {
        self.line_search.check()?;
        self.stopping.check()
    }

    entry_points!(SecondOrder, "iterations");
}

/// The state of a Newton run.
#[derive(Debug)]
pub struct NewtonState {
    /// The gradient at the current iterate.
    g: Vec<f64>,
    hess: Mat<f64>,
    chol: Cholesky,
    /// The search direction.
    d: Vec<f64>,
    trial: Trial,
}

impl<O: SecondOrder + ?Sized> Solver<O> for Newton {
    type State = NewtonState;

    fn init(&self, obj: &mut O, x: &mut [f64]) -> Result<(NewtonState, Start)> {
        let n = x.len();
        let (g, start) = smooth_start(obj, x)?;
        let state = NewtonState {
            g,
            hess: Mat::zeros(n, n),
            chol: Cholesky::with_dim(n),
            d: vec![0.0; n],
            trial: Trial::new(n),
        };
        Ok((state, start))
    }

    fn step(&self, obj: &mut O, st: &mut NewtonState, it: &mut Iteration<'_>) -> Step {
        obj.hessian(it.x, st.hess.as_mut());
        it.evaluations.hessian += 1;
        if !lower_is_finite(st.hess.as_ref()) {
            return Step::Diverged(Divergence::NonFiniteHessian);
        }
        st.d.iter_mut().zip(&st.g).for_each(|(di, gi)| *di = -gi);
        if factor_with_shift(&mut st.chol, st.hess.as_ref()).is_ok() {
            st.chol.solve_in_place(&mut st.d);
            let dg = dot(&st.d, &st.g);
            if dg.is_nan() || dg >= 0.0 {
                // rounding in a nearly singular system: fall back to steepest descent
                st.d.iter_mut().zip(&st.g).for_each(|(di, gi)| *di = -gi);
            }
        }
        let at = Point {
            x: it.x,
            value: it.value,
            gradient: &st.g,
        };
        let result = (self.line_search).search(obj, it.evaluations, at, &st.d, 1.0, &mut st.trial);
        line_search_step(result, &mut st.trial, &mut st.g, it.next)
    }
}
