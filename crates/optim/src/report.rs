//! What a run returns: the solution, why it stopped, and how it got there.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::stopping::Criterion;

/// Why a run stopped. Only [`Termination::Converged`] means a convergence test held.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Termination {
    /// A convergence test held.
    Converged {
        /// The test that held.
        criterion: Criterion,
    },
    /// The iteration (or epoch) limit was reached before any convergence test held.
    MaxIterations,
    /// The line search could not find an acceptable step.
    LineSearchFailed {
        /// What went wrong.
        reason: LineSearchFailure,
    },
    /// The iterates diverged; the last finite iterate is returned.
    Diverged {
        /// The iteration at which divergence was detected.
        iteration: usize,
        /// What was observed.
        cause: Divergence,
    },
    /// No step could change the iterate any more (for example a zero step length), while no
    /// convergence test held.
    Stalled,
    /// The observer asked to stop.
    StoppedByObserver,
}

impl Termination {
    /// True only when a convergence test held.
    #[must_use]
    pub fn converged(&self) -> bool {
        matches!(self, Termination::Converged { .. })
    }

    /// A few words for tables: "converged", "iteration limit", "diverged", "line search
    /// failed", "stalled" or "stopped".
    ///
    /// # Examples
    /// ```
    /// use linmod_optim::Termination;
    /// assert_eq!(Termination::MaxIterations.label(), "iteration limit");
    /// ```
    #[must_use]
    pub fn label(&self) -> &'static str {
        match self {
            Termination::Converged { .. } => "converged",
            Termination::MaxIterations => "iteration limit",
            Termination::LineSearchFailed { .. } => "line search failed",
            Termination::Diverged { .. } => "diverged",
            Termination::Stalled => "stalled",
            Termination::StoppedByObserver => "stopped",
        }
    }
}

impl fmt::Display for Termination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Termination::Converged { criterion } => {
                write!(f, "converged ({})", criterion.describe())
            }
            Termination::MaxIterations => {
                write!(
                    f,
                    "stopped at the iteration limit without meeting a convergence test"
                )
            }
            Termination::LineSearchFailed { reason } => write!(f, "line search failed: {reason}"),
            Termination::Diverged { iteration, cause } => {
                let remedy = match cause {
                    Divergence::NonFiniteHessian => "check the scale of the data",
                    _ => {
                        "lower the learning rate or use a line search, or rescale the variables: \
                         the largest stable learning rate is 2 / L for the largest curvature L, \
                         which badly scaled variables make large"
                    }
                };
                write!(
                    f,
                    "diverged at iteration {iteration}: {cause}; the last finite iterate is \
                     returned ({remedy})"
                )
            }
            Termination::Stalled => {
                write!(
                    f,
                    "stalled: the step became too small to change the iterate"
                )
            }
            Termination::StoppedByObserver => write!(f, "stopped by the observer"),
        }
    }
}

/// Why a line search failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum LineSearchFailure {
    /// The search direction is not a descent direction (`g.d >= 0`).
    NotDescentDirection,
    /// The evaluation budget ran out before the conditions held.
    MaxEvaluations,
    /// The bracketing interval shrank below rounding level: no representable step satisfies
    /// the conditions (usually the iterate is as accurate as floating point allows).
    IntervalTooSmall,
    /// The objective was not finite at every trial step.
    NonFiniteTrials,
}

impl fmt::Display for LineSearchFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LineSearchFailure::NotDescentDirection => "the direction is not a descent direction",
            LineSearchFailure::MaxEvaluations => "evaluation budget exhausted",
            LineSearchFailure::IntervalTooSmall => {
                "the step interval shrank to rounding level (no further decrease is representable)"
            }
            LineSearchFailure::NonFiniteTrials => "the objective was not finite at any trial step",
        })
    }
}

/// What a divergence looked like.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Divergence {
    /// The objective value or gradient became NaN or infinite.
    NonFinite,
    /// The Hessian had a NaN or infinite entry.
    NonFiniteHessian,
    /// With a fixed learning rate, the objective increased at this many consecutive iterations
    /// (gradient descent with a step below `2/L` decreases it at every iteration).
    Increasing {
        /// Number of consecutive increases observed.
        iterations: usize,
    },
    /// With a fixed learning rate, the objective rose above its value at the starting point:
    /// the iterates bounce ever further out (a small enough learning rate decreases the
    /// objective from the start, for stochastic gradients up to a fluctuation far smaller).
    AboveStart,
}

impl fmt::Display for Divergence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Divergence::NonFinite => f.write_str("the objective or its gradient became non-finite"),
            Divergence::NonFiniteHessian => f.write_str("the Hessian became non-finite"),
            Divergence::Increasing { iterations } => write!(
                f,
                "the objective increased at {iterations} consecutive iterations"
            ),
            Divergence::AboveStart => f.write_str("the objective rose above its starting value"),
        }
    }
}

/// Counts of objective evaluations.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluations {
    /// Values (a fused value-and-gradient counts once here and once in `gradient`).
    pub value: usize,
    /// Gradients.
    pub gradient: usize,
    /// Full Hessians.
    pub hessian: usize,
    /// Hessian-vector products.
    pub hessian_vector: usize,
}

/// One row of a run's history.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct IterationRecord {
    /// Iteration (0 is the starting point; for SGD, the epoch).
    pub iteration: usize,
    /// Objective value after the iteration.
    pub value: f64,
    /// Infinity norm of the gradient (or gradient mapping) after the iteration.
    pub grad_norm: f64,
    /// Step length (line-search step, learning rate, or `1/L` for proximal methods); 0 at the
    /// start.
    pub step: f64,
}

/// The result of a run.
///
/// # Examples
/// ```
/// use linmod_optim::{GradientDescent, Objective, testfns::Quadratic};
/// let mut q = Quadratic::new(vec![2.0, 0.0, 0.0, 4.0], vec![-2.0, -4.0]).unwrap();
/// let report = GradientDescent::new(0.25).record_history(true).minimize(&mut q, &[0.0, 0.0]).unwrap();
/// assert!(report.converged());
/// assert!((report.x[0] - 1.0).abs() < 1e-8);
/// assert_eq!(report.history[0].iteration, 0);
/// println!("{}", report.summary());
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The final iterate (the last finite one after a divergence).
    pub x: Vec<f64>,
    /// Objective value at `x`.
    pub value: f64,
    /// Infinity norm of the gradient at `x` (for composite objectives: of the gradient
    /// mapping).
    pub grad_norm: f64,
    /// Iterations performed (epochs for SGD).
    pub iterations: usize,
    /// Evaluation counts.
    pub evaluations: Evaluations,
    /// Wall time of the run.
    pub elapsed: Duration,
    /// Why the run stopped.
    pub termination: Termination,
    /// Per-iteration records, when requested (iteration 0 first).
    pub history: Vec<IterationRecord>,
}

impl Report {
    /// True only when a convergence test held.
    #[must_use]
    pub fn converged(&self) -> bool {
        self.termination.converged()
    }

    /// One line: termination, iterations, value, gradient norm, time.
    #[must_use]
    pub fn summary(&self) -> String {
        format!(
            "{} after {} iterations: objective {:.12e}, gradient norm {:.3e}, {:.3} s",
            self.termination,
            self.iterations,
            self.value,
            self.grad_norm,
            self.elapsed.as_secs_f64()
        )
    }
}
