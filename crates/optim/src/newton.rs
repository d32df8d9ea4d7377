//! Newton's method with a Cholesky solve, a diagonal-shift fallback and backtracking.

use linalg_core::{Cholesky, Mat, factor_with_shift};

use crate::error::Result;
use crate::line_search::{Armijo, Point, Trial};
use crate::monitor::{Observer, RunOptions};
use crate::objective::SecondOrder;
use crate::report::{Report, Termination};
use crate::run::{Begin, begin, common_setters, entry_points};
use crate::stopping::Stopping;
use crate::vecops::dot;

/// Newton's method: solve `H d = -g` by Cholesky and take the longest step `alpha <= 1` that
/// satisfies the Armijo condition.
///
/// When the Hessian is not positive definite (non-convex regions, or singular Hessians of
/// rank-deficient problems) `H + tau I` is factored instead, with the smallest `tau` of a
/// doubling sequence that works (Nocedal & Wright, Algorithm 3.3): the direction is then a
/// descent direction and the step a damped Newton step. With the backtracking line search the
/// method converges from any start on strictly convex problems, and takes full steps (with
/// quadratic convergence) near the solution; a strictly convex quadratic is solved in one
/// iteration.
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

    fn run<O: SecondOrder + ?Sized>(
        &self,
        obj: &mut O,
        x0: &[f64],
        observer: Option<&mut dyn Observer>,
    ) -> Result<Report> {
        self.check()?;
        let n = x0.len();
        let (mut monitor, mut cur) = match begin(obj, x0, self.stopping, self.options, observer)? {
            Begin::Over(report) => return Ok(report),
            Begin::Run(monitor, current) => (monitor, current),
        };
        let mut hess = Mat::<f64>::zeros(n, n);
        let mut chol = Cholesky::with_dim(n);
        let mut d = vec![0.0; n];
        let mut trial = Trial::new(n);
        let termination = loop {
            obj.hessian(&cur.x, hess.as_mut());
            monitor.evaluations.hessian += 1;
            factor_with_shift(&mut chol, hess.as_ref())?;
            d.iter_mut().zip(&cur.g).for_each(|(di, gi)| *di = -gi);
            chol.solve_in_place(&mut d);
            let dg = dot(&d, &cur.g);
            if dg.is_nan() || dg >= 0.0 {
                // rounding in a nearly singular system: fall back to steepest descent
                d.iter_mut().zip(&cur.g).for_each(|(di, gi)| *di = -gi);
            }
            let at = Point {
                x: &cur.x,
                value: cur.f,
                gradient: &cur.g,
            };
            let acc = match self.line_search.search(
                obj,
                &mut monitor.evaluations,
                at,
                &d,
                1.0,
                &mut trial,
            ) {
                Ok(acc) => acc,
                Err(reason) => break Termination::LineSearchFailed { reason },
            };
            if let Some(t) = cur.advance(&mut trial, acc.value, acc.step, &mut monitor) {
                break t;
            }
        };
        Ok(cur.finish(monitor, termination))
    }
}
