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

/// One end of a step interval: step `a`, value `f` (NaN when not finite) and slope `dg`.
#[derive(Clone, Copy, Debug)]
struct End {
    a: f64,
    f: f64,
    dg: f64,
}

/// What both searches share: the evaluations along `d` within their budget, the
/// sufficient-decrease test, the best point that passed it, and how a failed search ends.
struct Search<'a, 's, O: ?Sized> {
    obj: &'s mut O,
    evals: &'s mut Evaluations,
    at: Point<'a>,
    d: &'a [f64],
    trial: &'s mut Trial,
    /// `grad f(x).d`, negative.
    dg0: f64,
    c1: f64,
    budget: usize,
    used: usize,
    any_finite: bool,
    /// The lowest point that satisfied sufficient decrease, kept in `trial.best_*`.
    best: Option<End>,
}

impl<'a, 's, O: Objective + ?Sized> Search<'a, 's, O> {
    /// A search along `d` with constant `c1` and `budget` evaluations, or
    /// [`LineSearchFailure::NotDescentDirection`].
    fn new(
        obj: &'s mut O,
        evals: &'s mut Evaluations,
        (at, d): (Point<'a>, &'a [f64]),
        trial: &'s mut Trial,
        (c1, budget): (f64, usize),
    ) -> std::result::Result<Self, LineSearchFailure> {
        let dg0 = dot(at.gradient, d);
        if dg0.is_nan() || dg0 >= 0.0 {
            return Err(LineSearchFailure::NotDescentDirection);
        }
        Ok(Self {
            obj,
            evals,
            at,
            d,
            trial,
            dg0,
            c1,
            budget,
            used: 0,
            any_finite: false,
            best: None,
        })
    }

    /// The starting point as an interval end.
    fn origin(&self) -> End {
        End {
            a: 0.0,
            f: self.at.value,
            dg: self.dg0,
        }
    }

    /// Evaluates `f` and its gradient at `x + alpha d` into the trial buffers (`f` is NaN when
    /// the value or the gradient is not finite), or returns `None` when the budget is spent.
    fn evaluate(&mut self, alpha: f64) -> Option<End> {
        if self.used >= self.budget {
            return None;
        }
        self.used += 1;
        let trial = &mut *self.trial;
        step_to(&mut trial.x, self.at.x, alpha, self.d);
        let f = self.obj.value_and_gradient(&trial.x, &mut trial.gradient);
        self.evals.value += 1;
        self.evals.gradient += 1;
        let finite = f.is_finite() && first_non_finite(&trial.gradient).is_none();
        self.any_finite |= finite;
        Some(End {
            a: alpha,
            f: if finite { f } else { f64::NAN },
            dg: dot(&trial.gradient, self.d),
        })
    }

    /// The sufficient-decrease test of both searches.
    ///
    /// Armijo's `f <= f0 + c1 alpha dg0` is tested up to the rounding of `f0`
    /// ([`armijo_holds`]). Near a minimizer the decrease of a good step falls below the
    /// rounding error of `f` (which can exceed `eps |f|` when `f` sums terms that cancel), and
    /// only derivatives still tell good steps from bad: then the approximate condition of
    /// Hager & Zhang (SIAM J. Optim. 16, 2005) is accepted instead, `dg <= (2 c1 - 1) dg0`
    /// with `f <= f0 + 1e-6 |f0|`, which is Armijo's condition for a quadratic but needs no
    /// difference of values.
    fn sufficient_decrease(&self, e: End) -> bool {
        let f0 = self.at.value;
        let approximate = e.f <= f0 + 1e-6 * f0.abs() && e.dg <= (2.0 * self.c1 - 1.0) * self.dg0;
        armijo_holds(f0, self.dg0, self.c1, e.a, e.f) || approximate
    }

    /// True when a step of length `width` along `d` no longer changes `x` in floating point.
    fn negligible(&self, width: f64) -> bool {
        width * norm_inf(self.d) <= f64::EPSILON * norm_inf(self.at.x).max(f64::MIN_POSITIVE)
    }

    /// Keeps `e` (the point in the trial buffers) when it is the lowest sufficient-decrease
    /// point so far.
    fn remember(&mut self, e: End) {
        if self.best.is_none_or(|b| e.f < b.f) {
            self.best = Some(e);
            self.trial.best_x.copy_from_slice(&self.trial.x);
            self.trial.best_g.copy_from_slice(&self.trial.gradient);
        }
    }

    /// Ends a search that met no acceptance condition: the best remembered point is accepted
    /// when it lowered `f` (a rounding-level step is no progress); otherwise the search fails
    /// with `failure`, or with [`LineSearchFailure::NonFiniteTrials`] when no trial was finite.
    fn give_up(
        self,
        failure: LineSearchFailure,
    ) -> std::result::Result<Accepted, LineSearchFailure> {
        match self.best {
            Some(b) if b.f < self.at.value => {
                self.trial.x.copy_from_slice(&self.trial.best_x);
                self.trial.gradient.copy_from_slice(&self.trial.best_g);
                Ok(b.accepted())
            }
            _ if !self.any_finite => Err(LineSearchFailure::NonFiniteTrials),
            _ => Err(failure),
        }
    }
}

impl End {
    fn accepted(self) -> Accepted {
        Accepted {
            step: self.a,
            value: self.f,
        }
    }
}

/// Armijo's sufficient-decrease condition `f <= f0 + c1 alpha slope` for a step `alpha` along
/// a direction of directional derivative `slope < 0`, tested up to the rounding of `f0`
/// (`4 eps |f0|`).
pub(crate) fn armijo_holds(f0: f64, slope: f64, c1: f64, alpha: f64, f: f64) -> bool {
    f <= f0 + c1 * alpha * slope + 4.0 * f64::EPSILON * f0.abs()
}

/// Backtracking line search for the Armijo (sufficient decrease) condition
/// `f(x + a d) <= f(x) + c1 a g.d`, shrinking `a` by safeguarded quadratic interpolation
/// (Nocedal & Wright, *Numerical Optimization*, 2nd ed., Algorithm 3.1 and section 3.5).
///
/// Near a minimizer the predicted decrease of a step falls below the rounding level of `f`;
/// the condition is then tested up to rounding, or by the derivative (see
/// `Search::sufficient_decrease` in the source), instead of shrinking the step to nothing.
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
        let mut s = Search::new(obj, evals, (at, d), trial, (self.c1, self.max_evals))?;
        let mut alpha = initial_step;
        while let Some(e) = s.evaluate(alpha) {
            if e.f.is_finite() {
                if s.sufficient_decrease(e) {
                    return Ok(e.accepted());
                }
                // minimizer of the quadratic through f(0), f'(0) and f(alpha)
                let q = -s.dg0 * alpha * alpha / (2.0 * (e.f - s.at.value - s.dg0 * alpha));
                alpha = q.clamp(0.1 * alpha, 0.5 * alpha);
            } else {
                alpha *= 0.1;
            }
            if s.negligible(alpha) {
                return s.give_up(LineSearchFailure::IntervalTooSmall);
            }
        }
        s.give_up(LineSearchFailure::MaxEvaluations)
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
        let mut s = Search::new(obj, evals, (at, d), trial, (self.c1, self.max_evals))?;
        let rounding = 4.0 * f64::EPSILON * s.at.value.abs();
        let (c2, dg0) = (self.c2, s.dg0);
        let curvature = |dg: f64| dg.abs() <= -c2 * dg0;
        let too_far = |a: f64| End {
            a,
            f: f64::INFINITY,
            dg: f64::NAN,
        };
        // bracketing: longer steps until an interval must hold an acceptable one
        let mut prev = s.origin();
        let mut alpha = initial_step;
        let (mut lo, mut hi) = loop {
            let Some(cur) = s.evaluate(alpha) else {
                return s.give_up(LineSearchFailure::MaxEvaluations);
            };
            if !cur.f.is_finite() {
                // too far: the minimizer lies between the previous point and here
                break (prev, too_far(alpha));
            }
            if !s.sufficient_decrease(cur) || (s.used > 1 && cur.f > prev.f + rounding) {
                break (prev, cur);
            }
            s.remember(cur);
            if curvature(cur.dg) {
                return Ok(cur.accepted());
            }
            if cur.dg >= 0.0 {
                break (cur, prev);
            }
            prev = cur;
            alpha *= 4.0;
        };
        // zoom: shrink the bracket, keeping sufficient decrease at `lo`
        loop {
            let width = (hi.a - lo.a).abs();
            if s.used < s.budget && s.negligible(width) {
                return s.give_up(LineSearchFailure::IntervalTooSmall);
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
            let Some(cur) = s.evaluate(a) else {
                return s.give_up(LineSearchFailure::MaxEvaluations);
            };
            if !cur.f.is_finite() {
                hi = too_far(a);
            } else if !s.sufficient_decrease(cur) || cur.f > lo.f + rounding {
                hi = cur;
            } else {
                s.remember(cur);
                if curvature(cur.dg) {
                    return Ok(cur.accepted());
                }
                if cur.dg * (hi.a - lo.a) >= 0.0 {
                    hi = lo;
                }
                lo = cur;
            }
        }
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
