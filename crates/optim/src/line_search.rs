//! Line searches along a descent direction `d` from `x`: Armijo backtracking and the strong
//! Wolfe conditions.
//!
//! Both evaluate the value and the gradient at every trial point (one fused pass over the data
//! for linmod's models), so the accepted point's gradient is available without another pass.

use crate::error::{Result, check_range};
use crate::objective::Objective;
use crate::report::{Evaluations, LineSearchFailure};
use crate::vecops::{dot, first_non_finite, norm_inf, step_to};

/// The point a line search starts from.
#[derive(Clone, Copy, Debug)]
pub struct Point<'a> {
    /// The iterate.
    pub x: &'a [f64],
    /// `f(x)`.
    pub value: f64,
    /// `grad f(x)`.
    pub gradient: &'a [f64],
}

/// Buffers a line search writes the accepted point into (and uses for trials).
#[derive(Clone, Debug)]
pub struct Trial {
    /// The accepted point `x + step d`.
    pub x: Vec<f64>,
    /// The gradient at the accepted point.
    pub gradient: Vec<f64>,
    best_x: Vec<f64>,
    best_g: Vec<f64>,
}

impl Trial {
    /// Buffers for `n` variables.
    #[must_use]
    pub fn new(n: usize) -> Self {
        Self {
            x: vec![0.0; n],
            gradient: vec![0.0; n],
            best_x: vec![0.0; n],
            best_g: vec![0.0; n],
        }
    }
}

/// An accepted step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Accepted {
    /// Step length `alpha`.
    pub step: f64,
    /// `f(x + alpha d)`.
    pub value: f64,
}

/// Evaluates `f` and its gradient at `x + alpha d` into `trial`.
fn evaluate<O: Objective + ?Sized>(
    obj: &mut O,
    evals: &mut Evaluations,
    at: &Point<'_>,
    d: &[f64],
    alpha: f64,
    trial: &mut Trial,
) -> (f64, f64) {
    step_to(&mut trial.x, at.x, alpha, d);
    let f = obj.value_and_gradient(&trial.x, &mut trial.gradient);
    evals.value += 1;
    evals.gradient += 1;
    let finite = f.is_finite() && first_non_finite(&trial.gradient).is_none();
    let value = if finite { f } else { f64::NAN };
    (value, dot(&trial.gradient, d))
}

/// The sufficient-decrease test of both searches at a trial step `alpha` with value `f` and
/// directional derivative `dg`.
///
/// Armijo's `f <= f0 + c1 alpha dg0` is tested up to the rounding of `f0` (`4 eps |f0|`).
/// Near a minimizer the decrease of a good step falls below the rounding error of `f` (which
/// can exceed `eps |f|` when `f` sums terms that cancel), and only derivatives still tell good
/// steps from bad: then the approximate condition of Hager & Zhang (SIAM J. Optim. 16, 2005)
/// is accepted instead, `dg <= (2 c1 - 1) dg0` with `f <= f0 + 1e-6 |f0|`, which is Armijo's
/// condition for a quadratic but needs no difference of values.
fn sufficient_decrease(f0: f64, dg0: f64, c1: f64, alpha: f64, f: f64, dg: f64) -> bool {
    let exact = f <= f0 + c1 * alpha * dg0 + 4.0 * f64::EPSILON * f0.abs();
    let approximate = f <= f0 + 1e-6 * f0.abs() && dg <= (2.0 * c1 - 1.0) * dg0;
    exact || approximate
}

/// True when `alpha d` no longer changes `x` in floating point.
fn step_negligible(x: &[f64], d: &[f64], alpha: f64) -> bool {
    alpha * norm_inf(d) <= f64::EPSILON * norm_inf(x).max(f64::MIN_POSITIVE)
}

/// Backtracking line search for the Armijo (sufficient decrease) condition
/// `f(x + a d) <= f(x) + c1 a g.d`, shrinking `a` by safeguarded quadratic interpolation
/// (Nocedal & Wright, *Numerical Optimization*, 2nd ed., Algorithm 3.1 and section 3.5).
///
/// Near a minimizer the predicted decrease of a step falls below the rounding level of `f`;
/// the condition is then tested up to rounding, or by the derivative (see
/// `sufficient_decrease` in the source), instead of shrinking the step to nothing.
///
/// Defaults: `c1 = 1e-4`, shrink factors kept within `[0.1, 0.5]`, 50 evaluations.
///
/// # Examples
/// ```
/// use linmod_optim::{Armijo, Evaluations, Objective, Point, Trial, testfns::Quadratic};
/// let mut q = Quadratic::new(vec![1.0], vec![0.0]).unwrap(); // f = x^2 / 2
/// let (x, mut g) = ([2.0], [0.0]);
/// let f = q.value_and_gradient(&x, &mut g);
/// let mut trial = Trial::new(1);
/// let acc = Armijo::default()
///     .search(&mut q, &mut Evaluations::default(), Point { x: &x, value: f, gradient: &g }, &[-2.0], 4.0, &mut trial)
///     .unwrap();
/// assert!(acc.value < f && acc.step < 4.0);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Armijo {
    /// Sufficient-decrease constant `c1` in (0, 1).
    pub c1: f64,
    /// Evaluation budget.
    pub max_evals: usize,
}

impl Default for Armijo {
    fn default() -> Self {
        Self {
            c1: 1e-4,
            max_evals: 50,
        }
    }
}

impl Armijo {
    /// Validates the constants.
    ///
    /// # Errors
    /// [`OptimError::InvalidParameter`](crate::OptimError::InvalidParameter) if `c1` is not in
    /// (0, 1) or the budget is 0.
    pub fn check(&self) -> Result<()> {
        check_range("c1", self.c1, 0.0, 1.0 - f64::EPSILON, true, "in (0, 1)")?;
        check_range(
            "max_evals",
            self.max_evals as f64,
            1.0,
            f64::MAX,
            false,
            ">= 1",
        )
    }

    /// Searches along `d` from `at`, starting with step `initial_step`.
    ///
    /// # Errors
    /// The [`LineSearchFailure`] when no step is accepted.
    pub fn search<O: Objective + ?Sized>(
        &self,
        obj: &mut O,
        evals: &mut Evaluations,
        at: Point<'_>,
        d: &[f64],
        initial_step: f64,
        trial: &mut Trial,
    ) -> std::result::Result<Accepted, LineSearchFailure> {
        let dg = dot(at.gradient, d);
        if dg.is_nan() || dg >= 0.0 {
            return Err(LineSearchFailure::NotDescentDirection);
        }
        let mut alpha = initial_step;
        let mut any_finite = false;
        for _ in 0..self.max_evals {
            let (f, dg_trial) = evaluate(obj, evals, &at, d, alpha, trial);
            if f.is_finite() {
                any_finite = true;
                if sufficient_decrease(at.value, dg, self.c1, alpha, f, dg_trial) {
                    return Ok(Accepted {
                        step: alpha,
                        value: f,
                    });
                }
                // minimizer of the quadratic through f(0), f'(0) and f(alpha)
                let q = -dg * alpha * alpha / (2.0 * (f - at.value - dg * alpha));
                alpha = q.clamp(0.1 * alpha, 0.5 * alpha);
            } else {
                alpha *= 0.1;
            }
            if step_negligible(at.x, d, alpha) {
                return Err(if any_finite {
                    LineSearchFailure::IntervalTooSmall
                } else {
                    LineSearchFailure::NonFiniteTrials
                });
            }
        }
        Err(if any_finite {
            LineSearchFailure::MaxEvaluations
        } else {
            LineSearchFailure::NonFiniteTrials
        })
    }
}

/// Line search for the strong Wolfe conditions
/// `f(x + a d) <= f(x) + c1 a g.d` and `|grad f(x + a d).d| <= c2 |g.d|`
/// (Nocedal & Wright, *Numerical Optimization*, 2nd ed., Algorithms 3.5 and 3.6: bracketing,
/// then zoom with safeguarded cubic interpolation).
///
/// Defaults: `c1 = 1e-4`, `c2 = 0.9` (the values for quasi-Newton methods), 40 evaluations.
/// Sufficient decrease is tested up to the rounding of `f`, or by the derivative alone when
/// decreases fall below rounding near a minimizer (the "approximate Wolfe" conditions of
/// Hager & Zhang, SIAM J. Optim. 16, 2005). When the bracket shrinks to rounding level, the best point found is
/// accepted if it satisfies sufficient decrease and lowered `f` (it does not satisfy the
/// curvature condition); otherwise the search fails with
/// [`LineSearchFailure::IntervalTooSmall`].
///
/// # Examples
/// ```
/// use linmod_optim::{Evaluations, Objective, Point, StrongWolfe, Trial, testfns::Rosenbrock};
/// let mut r = Rosenbrock::default();
/// let x = [-1.2, 1.0];
/// let mut g = [0.0; 2];
/// let f = r.value_and_gradient(&x, &mut g);
/// let d = [-g[0], -g[1]];
/// let mut trial = Trial::new(2);
/// let acc = StrongWolfe::default()
///     .search(&mut r, &mut Evaluations::default(), Point { x: &x, value: f, gradient: &g }, &d, 1e-3, &mut trial)
///     .unwrap();
/// assert!(acc.value < f);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StrongWolfe {
    /// Sufficient-decrease constant `c1`.
    pub c1: f64,
    /// Curvature constant `c2`, with `c1 < c2 < 1`.
    pub c2: f64,
    /// Evaluation budget.
    pub max_evals: usize,
}

impl Default for StrongWolfe {
    fn default() -> Self {
        Self {
            c1: 1e-4,
            c2: 0.9,
            max_evals: 40,
        }
    }
}

/// One end of the zoom bracket.
#[derive(Clone, Copy, Debug)]
struct End {
    a: f64,
    f: f64,
    dg: f64,
}

/// Minimizer of the cubic through two points with values and slopes (Nocedal & Wright,
/// eq. 3.59), or `None` when it does not exist.
fn cubic_min(p: End, q: End) -> Option<f64> {
    let d1 = p.dg + q.dg - 3.0 * (p.f - q.f) / (p.a - q.a);
    let disc = d1 * d1 - p.dg * q.dg;
    if disc.is_nan() || disc < 0.0 {
        return None;
    }
    let d2 = (q.a - p.a).signum() * disc.sqrt();
    let a = q.a - (q.a - p.a) * (q.dg + d2 - d1) / (q.dg - p.dg + 2.0 * d2);
    a.is_finite().then_some(a)
}

impl StrongWolfe {
    /// Validates the constants.
    ///
    /// # Errors
    /// [`OptimError::InvalidParameter`](crate::OptimError::InvalidParameter) unless
    /// `0 < c1 < c2 < 1` and the budget is at least 1.
    pub fn check(&self) -> Result<()> {
        check_range("c1", self.c1, 0.0, 1.0 - f64::EPSILON, true, "in (0, 1)")?;
        check_range(
            "c2",
            self.c2,
            self.c1,
            1.0 - f64::EPSILON,
            true,
            "in (c1, 1)",
        )?;
        check_range(
            "max_evals",
            self.max_evals as f64,
            1.0,
            f64::MAX,
            false,
            ">= 1",
        )
    }

    /// Searches along `d` from `at`, starting with step `initial_step`.
    ///
    /// # Errors
    /// The [`LineSearchFailure`] when no step is accepted.
    pub fn search<O: Objective + ?Sized>(
        &self,
        obj: &mut O,
        evals: &mut Evaluations,
        at: Point<'_>,
        d: &[f64],
        initial_step: f64,
        trial: &mut Trial,
    ) -> std::result::Result<Accepted, LineSearchFailure> {
        let dg0 = dot(at.gradient, d);
        if dg0.is_nan() || dg0 >= 0.0 {
            return Err(LineSearchFailure::NotDescentDirection);
        }
        let rounding = 4.0 * f64::EPSILON * at.value.abs();
        let armijo =
            |a: f64, f: f64, dg: f64| sufficient_decrease(at.value, dg0, self.c1, a, f, dg);
        let curvature = |dg: f64| dg.abs() <= -self.c2 * dg0;
        let mut prev = End {
            a: 0.0,
            f: at.value,
            dg: dg0,
        };
        let mut alpha = initial_step;
        let mut used = 0;
        // best point satisfying sufficient decrease, kept in trial.best_*
        let mut best: Option<End> = None;
        let bracket = loop {
            if used >= self.max_evals {
                return self.give_up(best, at.value, trial, LineSearchFailure::MaxEvaluations);
            }
            let (f, dg) = evaluate(obj, evals, &at, d, alpha, trial);
            used += 1;
            let cur = End { a: alpha, f, dg };
            if !f.is_finite() {
                // too far: the minimizer lies between the previous point and here
                break (
                    prev,
                    End {
                        a: alpha,
                        f: f64::INFINITY,
                        dg: f64::NAN,
                    },
                );
            }
            if !armijo(alpha, f, dg) || (used > 1 && f > prev.f + rounding) {
                break (prev, cur);
            }
            remember(&mut best, cur, trial);
            if curvature(dg) {
                return Ok(Accepted {
                    step: alpha,
                    value: f,
                });
            }
            if dg >= 0.0 {
                break (cur, prev);
            }
            prev = cur;
            alpha *= 4.0;
        };
        let (mut lo, mut hi) = bracket;
        loop {
            if used >= self.max_evals {
                return self.give_up(best, at.value, trial, LineSearchFailure::MaxEvaluations);
            }
            let width = (hi.a - lo.a).abs();
            if step_negligible(at.x, d, width) {
                return self.give_up(best, at.value, trial, LineSearchFailure::IntervalTooSmall);
            }
            let (min, max) = (lo.a.min(hi.a), lo.a.max(hi.a));
            let guess = if hi.f.is_finite() && hi.dg.is_finite() {
                cubic_min(lo, hi)
            } else {
                None
            };
            let a = guess
                .unwrap_or(0.5 * (lo.a + hi.a))
                .clamp(min + 0.1 * width, max - 0.1 * width);
            let (f, dg) = evaluate(obj, evals, &at, d, a, trial);
            used += 1;
            let cur = End { a, f, dg };
            if !f.is_finite() {
                hi = End {
                    a,
                    f: f64::INFINITY,
                    dg: f64::NAN,
                };
                continue;
            }
            if !armijo(a, f, dg) || f > lo.f + rounding {
                hi = cur;
            } else {
                remember(&mut best, cur, trial);
                if curvature(dg) {
                    return Ok(Accepted { step: a, value: f });
                }
                if dg * (hi.a - lo.a) >= 0.0 {
                    hi = lo;
                }
                lo = cur;
            }
        }
    }

    /// Accepts the best sufficient-decrease point when it decreased `f`, else fails.
    fn give_up(
        &self,
        best: Option<End>,
        f0: f64,
        trial: &mut Trial,
        failure: LineSearchFailure,
    ) -> std::result::Result<Accepted, LineSearchFailure> {
        match best {
            // only a real decrease counts here: a rounding-level step is no progress
            Some(b) if b.f < f0 => {
                trial.x.copy_from_slice(&trial.best_x);
                trial.gradient.copy_from_slice(&trial.best_g);
                Ok(Accepted {
                    step: b.a,
                    value: b.f,
                })
            }
            _ => Err(failure),
        }
    }
}

fn remember(best: &mut Option<End>, cur: End, trial: &mut Trial) {
    if best.is_none_or(|b| cur.f < b.f) {
        *best = Some(cur);
        trial.best_x.copy_from_slice(&trial.x);
        trial.best_g.copy_from_slice(&trial.gradient);
    }
}

/// A line search of either kind.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LineSearch {
    /// Armijo backtracking.
    Armijo(Armijo),
    /// Strong Wolfe conditions.
    StrongWolfe(StrongWolfe),
}

impl LineSearch {
    /// Validates the constants.
    ///
    /// # Errors
    /// As the chosen search's `check`.
    pub fn check(&self) -> Result<()> {
        match self {
            LineSearch::Armijo(a) => a.check(),
            LineSearch::StrongWolfe(w) => w.check(),
        }
    }

    /// Runs the chosen search.
    ///
    /// # Errors
    /// The [`LineSearchFailure`] when no step is accepted.
    pub fn search<O: Objective + ?Sized>(
        &self,
        obj: &mut O,
        evals: &mut Evaluations,
        at: Point<'_>,
        d: &[f64],
        initial_step: f64,
        trial: &mut Trial,
    ) -> std::result::Result<Accepted, LineSearchFailure> {
        match self {
            LineSearch::Armijo(a) => a.search(obj, evals, at, d, initial_step, trial),
            LineSearch::StrongWolfe(w) => w.search(obj, evals, at, d, initial_step, trial),
        }
    }
}
