//! The driver every solver runs under, and the [`Solver`] trait it drives.
//!
//! A solver says how to start ([`Solver::init`]) and how to take one step
//! ([`Solver::step`]); the [`Driver`] does everything else: it validates the starting point,
//! applies the stopping rules after every step, calls the observer, records the history,
//! ends the run when a value, gradient or Hessian stops being finite (keeping the last
//! finite iterate), watches for a value that keeps increasing, detects stalls and builds the
//! [`Report`]. The split follows argmin's solver / state / executor design.

use crate::error::{OptimError, Result};
use crate::line_search::{Accepted, Trial};
use crate::monitor::{Iterate, Monitor, Observer, RunOptions};
use crate::objective::Objective;
use crate::report::{Divergence, Evaluations, LineSearchFailure, Report, Termination};
use crate::stopping::{Criterion, Stopping};
use crate::vecops::{first_non_finite, grad_norm, max_abs_diff};

/// An iterative method, as the [`Driver`] runs it on a problem `P`.
///
/// The driver owns the iterate `x` with its value and gradient norm; the solver owns
/// everything else (gradients, memory, step lengths) in its [`State`](Self::State).
///
/// # Examples
/// Gradient descent with a fixed step, as a solver of its own:
/// ```
/// use linmod_optim::{Driver, Evaluations, Iteration, Objective, Result, RunOptions, Solver,
///                    Start, Step, Stopping, testfns::Quadratic};
///
/// struct FixedStep(f64);
///
/// impl<O: Objective> Solver<O> for FixedStep {
///     type State = Vec<f64>; // the gradient at the current iterate
///
///     fn init(&self, obj: &mut O, x: &mut [f64]) -> Result<(Vec<f64>, Start)> {
///         let mut g = vec![0.0; x.len()];
///         let f = obj.value_and_gradient(x, &mut g);
///         let norm = g.iter().fold(0.0f64, |m, v| m.max(v.abs()));
///         let evaluations = Evaluations { value: 1, gradient: 1, ..Evaluations::default() };
///         Ok((g, Start { evaluations, ..Start::new(f, norm) }))
///     }
///
///     fn step(&self, obj: &mut O, g: &mut Vec<f64>, it: &mut Iteration<'_>) -> Step {
///         for ((n, x), gi) in it.next.iter_mut().zip(it.x).zip(g.iter()) {
///             *n = x - self.0 * gi;
///         }
///         let f = obj.value_and_gradient(it.next, g);
///         it.evaluations.value += 1;
///         it.evaluations.gradient += 1;
///         let norm = g.iter().fold(0.0f64, |m, v| m.max(v.abs()));
///         Step::moved(f, norm, self.0)
///     }
/// }
///
/// let mut q = Quadratic::new(vec![2.0], vec![-2.0]).unwrap(); // f = x^2 - 2x
/// let driver = Driver::new(Stopping::default().gradient_tol(1e-10), RunOptions::default());
/// let report = driver.run(&FixedStep(0.25), &mut q, 1, &[0.0], None).unwrap();
/// assert!(report.converged() && (report.x[0] - 1.0).abs() < 1e-10);
/// ```
pub trait Solver<P: ?Sized> {
    /// What the solver keeps from one step to the next.
    type State;

    /// Evaluates the problem at the starting point `x` (finite, of the right length: the
    /// driver has checked) and builds the state. A solver may move `x` to a better start
    /// (coordinate descent zeroes coordinates that screening proves zero).
    ///
    /// # Errors
    /// A non-finite value or gradient at the start, or anything else that prevents the run.
    fn init(&self, problem: &mut P, x: &mut [f64]) -> Result<(Self::State, Start)>;

    /// Takes one step from the current iterate `it.x`: writes the new iterate into `it.next`
    /// and returns [`Step::Moved`], or ends the run.
    fn step(&self, problem: &mut P, state: &mut Self::State, it: &mut Iteration<'_>) -> Step;

    /// When `Some(k)`, the driver ends the run as diverged once the value has increased at
    /// `k` consecutive iterations (methods without a line search, which should decrease it
    /// at every step). Default `None`.
    fn divergence_patience(&self) -> Option<usize> {
        None
    }

    /// When `Some(m)`, the driver ends the run as diverged
    /// ([`Divergence::AboveStart`](crate::Divergence::AboveStart)) once the value exceeds its
    /// starting value `start` by more than `m` (fixed-step methods: a stable step never ends
    /// far above the start). Default `None`.
    fn above_start_margin(&self, start: f64) -> Option<f64> {
        let _ = start;
        None
    }
}

/// The state at the start of a run, as [`Solver::init`] reports it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Start {
    /// Objective value at the start.
    pub value: f64,
    /// The optimality measure the gradient tests apply to (infinity norm of the gradient, of
    /// the gradient mapping or of the minimum-norm subgradient).
    pub grad_norm: f64,
    /// A convergence test of the solver's own that already holds (a duality gap).
    pub converged: Option<Criterion>,
    /// The evaluations the start took.
    pub evaluations: Evaluations,
}

impl Start {
    /// A start with `value` and `grad_norm`, no test of the solver's own and no evaluations
    /// counted.
    #[must_use]
    pub fn new(value: f64, grad_norm: f64) -> Self {
        Self {
            value,
            grad_norm,
            converged: None,
            evaluations: Evaluations::default(),
        }
    }
}

/// What a step works on besides its problem and state: the current iterate, the buffer for
/// the next one, and the run's counters.
#[derive(Debug)]
pub struct Iteration<'a> {
    /// The current iterate.
    pub x: &'a [f64],
    /// Objective value at `x`.
    pub value: f64,
    /// The optimality measure at `x` (see [`Start::grad_norm`]).
    pub grad_norm: f64,
    /// Where the step writes the next iterate: a buffer of the problem's dimension, which the
    /// solver may also swap with a buffer of its own.
    pub next: &'a mut Vec<f64>,
    /// Evaluation counts of the run, incremented by the solver.
    pub evaluations: &'a mut Evaluations,
    completed: usize,
    max_iter: usize,
}

impl Iteration<'_> {
    /// Iterations completed before this step.
    #[must_use]
    pub fn completed(&self) -> usize {
        self.completed
    }

    /// Iterations left before the limit (a step that counts several iterations, such as the
    /// sweeps of coordinate descent, stays within it).
    #[must_use]
    pub fn remaining(&self) -> usize {
        self.max_iter.saturating_sub(self.completed)
    }
}

/// How a step ended.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Step {
    /// The new iterate is in `next`.
    Moved(Move),
    /// The solver cannot go on (a failed line search, a stall); the current iterate is the
    /// result.
    Stop(Termination),
    /// A value, gradient or Hessian met during the step was not finite; the current (last
    /// finite) iterate is the result.
    Diverged(Divergence),
}

impl Step {
    /// [`Move::new`] as a step.
    #[must_use]
    pub fn moved(value: f64, grad_norm: f64, step: f64) -> Self {
        Step::Moved(Move::new(value, grad_norm, step))
    }
}

/// A step to a new iterate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Move {
    /// Objective value at the new iterate. The driver ends the run as diverged when it is
    /// not finite.
    pub value: f64,
    /// The optimality measure at the new iterate (NaN when any gradient entry is NaN, so
    /// that the driver sees it).
    pub grad_norm: f64,
    /// Step length taken (the history's `step`).
    pub step: f64,
    /// Iterations the step counts for (1; coordinate descent counts its sweeps).
    pub iterations: usize,
    /// A convergence test of the solver's own that holds at the new iterate.
    pub converged: Option<Criterion>,
}

impl Move {
    /// A move to a point with `value` and optimality measure `grad_norm`, after a step of
    /// length `step`, counted as one iteration.
    #[must_use]
    pub fn new(value: f64, grad_norm: f64, step: f64) -> Self {
        Self {
            value,
            grad_norm,
            step,
            iterations: 1,
            converged: None,
        }
    }
}

/// Runs a [`Solver`] under stopping rules and run options.
///
/// After every step it applies, in order: a convergence test of the solver's own or of
/// [`Stopping`] (a test that holds at the last allowed iteration counts as convergence), the
/// observer, the iteration limit, a stall (the iterate did not change while the optimality
/// measure is not zero) and, for solvers that ask for it, a value increasing at too many
/// consecutive iterations. A step whose value or optimality measure is not finite ends the
/// run with [`Termination::Diverged`] and the last finite iterate.
///
/// # Examples
/// ```
/// use linmod_optim::{Driver, Lbfgs, RunOptions, Stopping, testfns::Rosenbrock};
/// let driver = Driver::new(Stopping::default().max_iter(5), RunOptions::default());
/// let report = driver.run(&Lbfgs::default(), &mut Rosenbrock::default(), 2, &[-1.2, 1.0], None).unwrap();
/// assert_eq!(report.iterations, 5);
/// assert!(!report.converged());
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Driver {
    stopping: Stopping,
    options: RunOptions,
}

impl Driver {
    /// A driver applying `stopping`, with `options`.
    #[must_use]
    pub fn new(stopping: Stopping, options: RunOptions) -> Self {
        Self { stopping, options }
    }

    /// Minimizes `problem` (of dimension `dim`) from `x0` with `solver`, calling `observer`
    /// every `observe_every` iterations.
    ///
    /// # Errors
    /// Invalid stopping rules, a starting point of the wrong length or not finite, or what
    /// [`Solver::init`] reports (a non-finite objective at the start). Stopping for any other
    /// reason is reported in [`Report::termination`].
    pub fn run<P, S>(
        &self,
        solver: &S,
        problem: &mut P,
        dim: usize,
        x0: &[f64],
        observer: Option<&mut dyn Observer>,
    ) -> Result<Report>
    where
        P: ?Sized,
        S: Solver<P> + ?Sized,
    {
        self.stopping.check()?;
        if x0.len() != dim {
            return Err(OptimError::DimensionMismatch {
                expected: dim,
                found: x0.len(),
            });
        }
        if let Some((index, value)) = first_non_finite(x0) {
            return Err(OptimError::NonFiniteStart {
                what: "starting point",
                index,
                value,
            });
        }
        let mut monitor = Monitor::new(self.stopping, self.options, observer);
        let mut x = x0.to_vec();
        let (mut state, start) = solver.init(problem, &mut x)?;
        for (what, value) in [
            ("objective value", start.value),
            ("gradient norm", start.grad_norm),
        ] {
            if !value.is_finite() {
                return Err(OptimError::NonFiniteStart {
                    what,
                    index: 0,
                    value,
                });
            }
        }
        let mut evaluations = start.evaluations;
        let (mut value, mut grad_norm) = (start.value, start.grad_norm);
        if let Some(t) = monitor.start(value, grad_norm, start.converged) {
            return Ok(monitor.finish(x, value, grad_norm, 0, t, evaluations));
        }
        let patience = solver.divergence_patience();
        let margin = solver.above_start_margin(start.value);
        let mut increases = 0;
        let mut completed = 0;
        let mut next = vec![0.0; dim];
        let termination = loop {
            let mut it = Iteration {
                x: &x,
                value,
                grad_norm,
                next: &mut next,
                evaluations: &mut evaluations,
                completed,
                max_iter: self.stopping.max_iter,
            };
            let m = match solver.step(problem, &mut state, &mut it) {
                Step::Moved(m) if m.value.is_finite() && m.grad_norm.is_finite() => m,
                Step::Moved(_) => break diverged(completed, Divergence::NonFinite),
                Step::Diverged(cause) => break diverged(completed, cause),
                Step::Stop(t) => break t,
            };
            completed += m.iterations.max(1);
            let max_change = max_abs_diff(&next, &x);
            std::mem::swap(&mut x, &mut next);
            let previous = value;
            (value, grad_norm) = (m.value, m.grad_norm);
            let it = Iterate {
                iteration: completed,
                x: &x,
                value,
                previous_value: previous,
                grad_norm,
                step: m.step,
                max_change,
            };
            if let Some(t) = monitor.iteration(&it, m.converged) {
                break t;
            }
            if max_change == 0.0 && grad_norm > 0.0 {
                break Termination::Stalled;
            }
            if margin.is_some_and(|m| value - start.value > m) {
                break Termination::Diverged {
                    iteration: completed,
                    cause: Divergence::AboveStart,
                };
            }
            if let Some(k) = patience {
                increases = if value > previous { increases + 1 } else { 0 };
                if increases >= k {
                    break Termination::Diverged {
                        iteration: completed,
                        cause: Divergence::Increasing {
                            iterations: increases,
                        },
                    };
                }
            }
        };
        Ok(monitor.finish(x, value, grad_norm, completed, termination, evaluations))
    }
}

/// Divergence detected during the step after `completed` iterations.
fn diverged(completed: usize, cause: Divergence) -> Termination {
    Termination::Diverged {
        iteration: completed + 1,
        cause,
    }
}

/// Evaluates `obj` and its gradient at the start `x`, with typed errors for a non-finite
/// value or gradient entry.
pub(crate) fn evaluate_start<O: Objective + ?Sized>(
    obj: &mut O,
    x: &[f64],
) -> Result<(f64, Vec<f64>)> {
    let mut g = vec![0.0; x.len()];
    let f = obj.value_and_gradient(x, &mut g);
    if !f.is_finite() {
        return Err(OptimError::NonFiniteStart {
            what: "objective value",
            index: 0,
            value: f,
        });
    }
    if let Some((index, value)) = first_non_finite(&g) {
        return Err(OptimError::NonFiniteStart {
            what: "gradient",
            index,
            value,
        });
    }
    Ok((f, g))
}

/// One fused value-and-gradient evaluation.
pub(crate) const ONE_PASS: Evaluations = Evaluations {
    value: 1,
    gradient: 1,
    hessian: 0,
    hessian_vector: 0,
};

/// The start of a method on a smooth objective: the gradient at `x`, and the value with the
/// infinity norm of that gradient.
pub(crate) fn smooth_start<O: Objective + ?Sized>(
    obj: &mut O,
    x: &[f64],
) -> Result<(Vec<f64>, Start)> {
    let (f, g) = evaluate_start(obj, x)?;
    let start = Start {
        evaluations: ONE_PASS,
        ..Start::new(f, grad_norm(&g))
    };
    Ok((g, start))
}

/// The step to the point a line search accepted in `trial`: the point goes to `next`, its
/// gradient to `g`; a failed search ends the run.
pub(crate) fn line_search_step(
    result: std::result::Result<Accepted, LineSearchFailure>,
    trial: &mut Trial,
    g: &mut Vec<f64>,
    next: &mut Vec<f64>,
) -> Step {
    match result {
        Ok(acc) => {
            std::mem::swap(next, &mut trial.x);
            std::mem::swap(g, &mut trial.gradient);
            Step::moved(acc.value, grad_norm(g), acc.step)
        }
        Err(reason) => Step::Stop(Termination::LineSearchFailed { reason }),
    }
}
