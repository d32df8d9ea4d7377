//! Gradient descent: `x_{t+1} = x_t - eta grad f(x_t)`.

use crate::driver::{Iteration, Solver, Start, Step, line_search_step, smooth_start};
use crate::error::{Result, check_range};
use crate::line_search::{Armijo, LineSearch, Point, Trial};
use crate::monitor::RunOptions;
use crate::objective::Objective;
use crate::run::{common_setters, entry_points};
use crate::stopping::Stopping;
use crate::vecops::{grad_norm, step_to};

/// Gradient descent with a fixed learning rate (the course algorithm) or a line search.
///
/// With a fixed learning rate `eta`, each iteration is `x <- x - eta grad f(x)`. On a function
/// whose gradient is `L`-Lipschitz, `eta < 2/L` decreases `f` at every iteration and
/// `eta = 1/L` is the classic safe choice; a larger `eta` makes the iterates bounce or blow up.
/// The run then stops with [`Termination::Diverged`](crate::Termination::Diverged): when the
/// value or gradient becomes non-finite (the last finite iterate is returned), when the value
/// increased at `divergence_patience` consecutive iterations (default 10), or when it rose
/// above its starting value by more than rounding (`Divergence::AboveStart`: bouncing iterates
/// that never overflow).
///
/// With a line search ([`GradientDescent::with_line_search`]) the step starts from the
/// learning rate at the first iteration and from twice the previous accepted step afterwards.
///
/// Defaults: `max_iter = 10_000`, `gradient_tol = 1e-8`. Reference: Nocedal & Wright,
/// *Numerical Optimization*, 2nd ed., chapter 3.
///
/// # Examples
/// ```
/// use linmod_optim::{GradientDescent, Termination, testfns::Quadratic};
/// // f = (x0^2 + 10 x1^2) / 2: L = 10
/// let mut q = Quadratic::new(vec![1.0, 0.0, 0.0, 10.0], vec![-1.0, -10.0]).unwrap();
/// let ok = GradientDescent::new(0.1).minimize(&mut q, &[0.0, 0.0]).unwrap();
/// assert!(ok.converged() && (ok.x[1] - 1.0).abs() < 1e-8);
/// let bad = GradientDescent::new(0.25).minimize(&mut q, &[0.0, 0.0]).unwrap(); // > 2/L
/// assert!(matches!(bad.termination, Termination::Diverged { .. }));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GradientDescent {
    learning_rate: f64,
    line_search: Option<LineSearch>,
    divergence_patience: usize,
    stopping: Stopping,
    options: RunOptions,
}

impl GradientDescent {
    /// Fixed learning rate `eta`.
    #[must_use]
    pub fn new(learning_rate: f64) -> Self {
        Self {
            learning_rate,
            line_search: None,
            divergence_patience: 10,
            stopping: Stopping::default().max_iter(10_000),
            options: RunOptions::default(),
        }
    }

    /// Step lengths chosen by `line_search` (first trial step 1).
    #[must_use]
    pub fn with_line_search(line_search: LineSearch) -> Self {
        Self {
            line_search: Some(line_search),
            ..Self::new(1.0)
        }
    }

    /// Armijo backtracking with default constants.
    #[must_use]
    pub fn with_backtracking() -> Self {
        Self::with_line_search(LineSearch::Armijo(Armijo::default()))
    }

    /// Sets the (fixed, or first trial) learning rate.
    #[must_use]
    pub fn learning_rate(mut self, eta: f64) -> Self {
        self.learning_rate = eta;
        self
    }

    /// Sets how many consecutive increases of the value count as divergence (fixed learning
    /// rate only; default 10).
    #[must_use]
    pub fn divergence_patience(mut self, iterations: usize) -> Self {
        self.divergence_patience = iterations;
        self
    }

    common_setters!();

    /// Validates the configuration.
    ///
    /// # Errors
    /// [`OptimError::InvalidParameter`](crate::OptimError::InvalidParameter) for a learning
    /// rate that is not finite and positive, a patience of 0, or invalid tolerances.
    pub fn check(&self) -> Result<()> {
        check_range(
            "learning_rate",
            self.learning_rate,
            0.0,
            f64::MAX,
            true,
            "finite and > 0",
        )?;
        check_range(
            "divergence_patience",
            self.divergence_patience as f64,
            1.0,
            f64::MAX,
            false,
            ">= 1",
        )?;
        if let Some(ls) = &self.line_search {
            ls.check()?;
        }
        self.stopping.check()
    }

    entry_points!(Objective, "iterations");
}

/// The state of a gradient-descent run.
#[derive(Clone, Debug)]
pub struct GdState {
    /// The gradient at the current iterate.
    g: Vec<f64>,
    /// The search direction `-g` (line search only).
    d: Vec<f64>,
    trial: Trial,
    /// The learning rate, or the next first trial step of the line search.
    step: f64,
}

impl<O: Objective + ?Sized> Solver<O> for GradientDescent {
    type State = GdState;

    fn init(&self, obj: &mut O, x: &mut [f64]) -> Result<(GdState, Start)> {
        let (g, start) = smooth_start(obj, x)?;
        let state = GdState {
            g,
            d: vec![
                0.0;
                if self.line_search.is_some() {
                    x.len()
                } else {
                    0
                }
            ],
            trial: Trial::new(x.len()),
            step: self.learning_rate,
        };
        Ok((state, start))
    }

    fn step(&self, obj: &mut O, st: &mut GdState, it: &mut Iteration<'_>) -> Step {
        let Some(ls) = &self.line_search else {
            step_to(it.next, it.x, -st.step, &st.g);
            let f = obj.value_and_gradient(it.next, &mut st.g);
            it.evaluations.value += 1;
            it.evaluations.gradient += 1;
            return Step::moved(f, grad_norm(&st.g), st.step);
        };
        st.d.iter_mut().zip(&st.g).for_each(|(di, gi)| *di = -gi);
        let at = Point {
            x: it.x,
            value: it.value,
            gradient: &st.g,
        };
        let result = ls.search(obj, it.evaluations, at, &st.d, st.step, &mut st.trial);
        if let Ok(acc) = result {
            st.step = 2.0 * acc.step;
        }
        line_search_step(result, &mut st.trial, &mut st.g, it.next)
    }

    fn divergence_patience(&self) -> Option<usize> {
        self.line_search
            .is_none()
            .then_some(self.divergence_patience)
    }

    /// Fixed-step gradient descent with a stable step never ends above its start: more than
    /// the rounding of the starting value is divergence.
    fn above_start_margin(&self, start: f64) -> Option<f64> {
        self.line_search
            .is_none()
            .then(|| 16.0 * f64::EPSILON * start.abs())
    }
}
