//! Limited-memory BFGS.

use crate::driver::{Iteration, Solver, Start, Step, line_search_step, smooth_start};
use crate::error::{Result, check_range};
use crate::line_search::{Point, StrongWolfe, Trial};
use crate::monitor::RunOptions;
use crate::objective::Objective;
use crate::report::Termination;
use crate::run::{common_setters, entry_points};
use crate::stopping::Stopping;
use crate::vecops::{dot, norm2};

/// L-BFGS: a quasi-Newton method that approximates the inverse Hessian from the last `m`
/// steps `s = x_{k+1} - x_k` and gradient changes `y = g_{k+1} - g_k`, applied by the two-loop
/// recursion with the initial scaling `gamma = s.y / y.y` (Nocedal & Wright, *Numerical
/// Optimization*, 2nd ed., Algorithms 7.4 and 7.5).
///
/// Steps satisfy the strong Wolfe conditions ([`StrongWolfe`], `c2 = 0.9`). A pair is stored
/// only when the curvature condition `y.s > eps |y| |s|` holds, which keeps the approximation
/// positive definite. The first step is scaled to length 1 (`alpha_0 = 1 / |g|_2`). When a
/// line search fails, the memory is cleared and a steepest-descent step is tried once before
/// the run reports [`Termination::LineSearchFailed`].
///
/// Defaults: memory `m = 10`, `max_iter = 1000`, `gradient_tol = 1e-8`. Needs only
/// [`Objective`]; memory `O(m n)`, no allocation per iteration.
///
/// # Examples
/// ```
/// use linmod_optim::{Lbfgs, testfns::Rosenbrock};
/// let report = Lbfgs::default().minimize(&mut Rosenbrock::default(), &[-1.2, 1.0]).unwrap();
/// assert!(report.converged());
/// assert!((report.x[0] - 1.0).abs() < 1e-6);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Lbfgs {
    memory: usize,
    line_search: StrongWolfe,
    stopping: Stopping,
    options: RunOptions,
}

impl Default for Lbfgs {
    fn default() -> Self {
        Self {
            memory: 10,
            line_search: StrongWolfe::default(),
            stopping: Stopping::default(),
            options: RunOptions::default(),
        }
    }
}

/// The stored pairs, newest last, in a ring buffer.
#[derive(Clone, Debug)]
struct History {
    s: Vec<Vec<f64>>,
    y: Vec<Vec<f64>>,
    rho: Vec<f64>,
    alpha: Vec<f64>,
    len: usize,
    head: usize,
}

impl History {
    fn new(m: usize, n: usize) -> Self {
        Self {
            s: vec![vec![0.0; n]; m],
            y: vec![vec![0.0; n]; m],
            rho: vec![0.0; m],
            alpha: vec![0.0; m],
            len: 0,
            head: 0,
        }
    }

    fn clear(&mut self) {
        self.len = 0;
        self.head = 0;
    }

    /// Stores `s = x_new - x`, `y = g_new - g` if the curvature condition holds.
    fn push(&mut self, x_new: &[f64], x: &[f64], g_new: &[f64], g: &[f64]) -> bool {
        let (mut ys, mut yy, mut ss) = (0.0, 0.0, 0.0);
        for ((a, b), (c, d)) in x_new.iter().zip(x).zip(g_new.iter().zip(g)) {
            let (s, y) = (a - b, c - d);
            ys += y * s;
            yy += y * y;
            ss += s * s;
        }
        let threshold = f64::EPSILON * (yy * ss).sqrt();
        if ys.is_nan() || ys <= threshold {
            return false;
        }
        let m = self.s.len();
        let slot = (self.head + self.len) % m;
        for (((s, y), (a, b)), (c, d)) in self.s[slot]
            .iter_mut()
            .zip(self.y[slot].iter_mut())
            .zip(x_new.iter().zip(x))
            .zip(g_new.iter().zip(g))
        {
            *s = a - b;
            *y = c - d;
        }
        self.rho[slot] = 1.0 / ys;
        if self.len < m {
            self.len += 1;
        } else {
            self.head = (self.head + 1) % m;
        }
        true
    }

    /// `d = -H g` by the two-loop recursion.
    fn direction(&mut self, g: &[f64], d: &mut [f64]) {
        let m = self.s.len();
        d.iter_mut().zip(g).for_each(|(di, gi)| *di = -gi);
        for k in (0..self.len).rev() {
            let i = (self.head + k) % m;
            let a = self.rho[i] * dot(&self.s[i], d);
            self.alpha[i] = a;
            d.iter_mut()
                .zip(&self.y[i])
                .for_each(|(di, yi)| *di -= a * yi);
        }
        if self.len > 0 {
            let newest = (self.head + self.len - 1) % m;
            let gamma = 1.0 / (self.rho[newest] * dot(&self.y[newest], &self.y[newest]));
            d.iter_mut().for_each(|di| *di *= gamma);
        }
        for k in 0..self.len {
            let i = (self.head + k) % m;
            let b = self.rho[i] * dot(&self.y[i], d);
            let c = self.alpha[i] - b;
            d.iter_mut()
                .zip(&self.s[i])
                .for_each(|(di, si)| *di += c * si);
        }
    }
}

impl Lbfgs {
    /// Sets the number of stored pairs `m` (default 10).
    #[must_use]
    pub fn memory(mut self, m: usize) -> Self {
        self.memory = m;
        self
    }

    /// Sets the line search constants.
    #[must_use]
    pub fn line_search(mut self, wolfe: StrongWolfe) -> Self {
        self.line_search = wolfe;
        self
    }

    common_setters!();

    /// Validates the configuration.
    ///
    /// # Errors
    /// [`OptimError::InvalidParameter`](crate::OptimError::InvalidParameter) for a memory of 0,
    /// invalid line-search constants or tolerances.
    pub fn check(&self) -> Result<()> {
        check_range("memory", self.memory as f64, 1.0, f64::MAX, false, ">= 1")?;
        self.line_search.check()?;
        self.stopping.check()
    }

    entry_points!(Objective, "iterations");
}

/// The state of an L-BFGS run.
#[derive(Clone, Debug)]
pub struct LbfgsState {
    hist: History,
    /// The gradient at the current iterate.
    g: Vec<f64>,
    /// The search direction.
    d: Vec<f64>,
    trial: Trial,
}

impl<O: Objective + ?Sized> Solver<O> for Lbfgs {
    type State = LbfgsState;

    fn init(&self, obj: &mut O, x: &mut [f64]) -> Result<(LbfgsState, Start)> {
        let (g, start) = smooth_start(obj, x)?;
        let state = LbfgsState {
            hist: History::new(self.memory, x.len()),
            g,
            d: vec![0.0; x.len()],
            trial: Trial::new(x.len()),
        };
        Ok((state, start))
    }

    fn step(&self, obj: &mut O, st: &mut LbfgsState, it: &mut Iteration<'_>) -> Step {
        let mut retried = false;
        let acc = loop {
            st.hist.direction(&st.g, &mut st.d);
            let dg = dot(&st.d, &st.g);
            if dg.is_nan() || dg >= 0.0 {
                st.hist.clear();
                st.hist.direction(&st.g, &mut st.d);
            }
            let alpha0 = if st.hist.len == 0 {
                1.0 / norm2(&st.g)
            } else {
                1.0
            };
            let at = Point {
                x: it.x,
                value: it.value,
                gradient: &st.g,
            };
            match (self.line_search).search(obj, it.evaluations, at, &st.d, alpha0, &mut st.trial) {
                Ok(acc) => break acc,
                Err(reason) if retried || st.hist.len == 0 => {
                    return Step::Stop(Termination::LineSearchFailed { reason });
                }
                Err(_) => {
                    st.hist.clear();
                    retried = true;
                }
            }
        };
        st.hist.push(&st.trial.x, it.x, &st.trial.gradient, &st.g);
        line_search_step(Ok(acc), &mut st.trial, &mut st.g, it.next)
    }
}
