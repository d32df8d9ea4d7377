//! Gradient descent: `x_{t+1} = x_t - eta grad f(x_t)`.

use crate::error::{Result, check_range};
use crate::line_search::{Armijo, LineSearch, Point, Trial};
use crate::monitor::{Observer, RunOptions};
use crate::objective::Objective;
use crate::report::{Divergence, Report, Termination};
use crate::run::{Begin, begin, common_setters, entry_points};
use crate::stopping::Stopping;
use crate::vecops::{first_non_finite, step_to};

/// Gradient descent with a fixed learning rate (the course algorithm) or a line search.
///
/// With a fixed learning rate `eta`, each iteration is `x <- x - eta grad f(x)`. On a function
/// whose gradient is `L`-Lipschitz, `eta < 2/L` decreases `f` at every iteration and
/// `eta = 1/L` is the classic safe choice; a larger `eta` makes the iterates bounce or blow up.
/// The run then stops with [`Termination::Diverged`]: when the value or gradient becomes
/// non-finite (the last finite iterate is returned), when the value increased at
/// `divergence_patience` consecutive iterations (default 10), or when it rose above its
/// starting value by more than rounding (`Divergence::AboveStart`: bouncing iterates that
/// never overflow).
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

    fn run<O: Objective + ?Sized>(
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
        let mut trial = Trial::new(n);
        let mut d = vec![0.0; n];
        let mut step = self.learning_rate;
        let mut increases = 0;
        let f_start = cur.f;
        let termination = loop {
            let (f_new, step_taken) = match &self.line_search {
                None => {
                    step_to(&mut trial.x, &cur.x, -step, &cur.g);
                    let f_new = obj.value_and_gradient(&trial.x, &mut trial.gradient);
                    monitor.evaluations.value += 1;
                    monitor.evaluations.gradient += 1;
                    if !f_new.is_finite() || first_non_finite(&trial.gradient).is_some() {
                        break Termination::Diverged {
                            iteration: cur.done + 1,
                            cause: Divergence::NonFinite,
                        };
                    }
                    (f_new, step)
                }
                Some(ls) => {
                    d.iter_mut().zip(&cur.g).for_each(|(di, gi)| *di = -gi);
                    let at = Point {
                        x: &cur.x,
                        value: cur.f,
                        gradient: &cur.g,
                    };
                    match ls.search(obj, &mut monitor.evaluations, at, &d, step, &mut trial) {
                        Ok(acc) => {
                            step = 2.0 * acc.step;
                            (acc.value, acc.step)
                        }
                        Err(reason) => break Termination::LineSearchFailed { reason },
                    }
                }
            };
            let f_old = cur.f;
            if let Some(t) = cur.advance(&mut trial, f_new, step_taken, &mut monitor) {
                break t;
            }
            if self.line_search.is_none() {
                if rose_above(cur.f, f_start) {
                    break Termination::Diverged {
                        iteration: cur.done,
                        cause: Divergence::AboveStart,
                    };
                }
                increases = if cur.f > f_old { increases + 1 } else { 0 };
                if increases >= self.divergence_patience {
                    break Termination::Diverged {
                        iteration: cur.done,
                        cause: Divergence::Increasing {
                            iterations: increases,
                        },
                    };
                }
            }
        };
        Ok(cur.finish(monitor, termination))
    }
}

/// True when `f` exceeds the starting value `f_start` by more than the rounding of either:
/// fixed-step gradient descent with a stable step never ends above its start.
pub(crate) fn rose_above(f: f64, f_start: f64) -> bool {
    f - f_start > 16.0 * f64::EPSILON * f.abs().max(f_start.abs())
}
