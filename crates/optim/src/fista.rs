//! Accelerated proximal gradient (FISTA) for composite objectives `f + h`.

use crate::driver::{Iteration, ONE_PASS, Solver, Start, Step, evaluate_start};
use crate::error::{Result, check_range};
use crate::monitor::RunOptions;
use crate::objective::Composite;
use crate::report::{Evaluations, LineSearchFailure, Termination};
use crate::run::{common_setters, entry_points};
use crate::stopping::Stopping;
use crate::vecops::{first_non_finite, max_abs_diff, norm2};

/// FISTA (Beck & Teboulle, "A fast iterative shrinkage-thresholding algorithm for linear
/// inverse problems", SIAM J. Imaging Sciences 2, 2009) with backtracking on the Lipschitz
/// constant `L` of `grad f` and adaptive restart.
///
/// Each iteration takes a proximal gradient step from the extrapolated point `y`:
/// `x+ = prox_{h/L}(y - grad f(y) / L)`, increasing `L` by `backtrack_factor` until the
/// quadratic upper bound `f(x+) <= f(y) + grad f(y).(x+ - y) + L/2 |x+ - y|^2` holds, then
/// extrapolates `y = x+ + (t_k - 1)/t_{k+1} (x+ - x)` with `t_{k+1} = (1 + sqrt(1 + 4 t_k^2))/2`.
/// With `restart` (default on) the momentum is reset whenever `F = f + h` increases
/// (O'Donoghue & Candès, "Adaptive restart for accelerated gradient schemes", 2015).
///
/// The gradient tests of [`Stopping`] apply to the *gradient mapping* `G = L (y - x+)`,
/// which is zero exactly at minimizers of `f + h`; the report's `grad_norm` is `max |G|` and
/// its `value` is `f + h`.
///
/// The starting `L` is `lipschitz` when given, else a secant estimate
/// `|grad f(x0 + s) - grad f(x0)| / |s|` along the gradient. Each iteration first tries
/// `shrink * L` (default 0.9, as TFOCS does: Becker, Candès & Grant, 2011), so the step
/// follows the local curvature instead of the worst curvature met so far. Defaults:
/// `max_iter = 10_000`, `gradient_tol = 1e-8`, `backtrack_factor = 2`.
///
/// # Examples
/// ```
/// use linmod_optim::{ElasticNet, Fista, Penalized, testfns::Quadratic};
/// // f = |x - (3, 0.5)|^2 / 2, h = |x|_1: the minimizer is (2, 0)
/// let q = Quadratic::new(vec![1.0, 0.0, 0.0, 1.0], vec![-3.0, -0.5]).unwrap();
/// let mut obj = Penalized::new(q, ElasticNet::new(1.0, 0.0).unwrap());
/// let r = Fista::default().minimize(&mut obj, &[0.0, 0.0]).unwrap();
/// assert!(r.converged());
/// assert!((r.x[0] - 2.0).abs() < 1e-8 && r.x[1] == 0.0);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fista {
    lipschitz: Option<f64>,
    backtrack_factor: f64,
    shrink: f64,
    restart: bool,
    stopping: Stopping,
    options: RunOptions,
}

impl Default for Fista {
    fn default() -> Self {
        Self {
            lipschitz: None,
            backtrack_factor: 2.0,
            shrink: 0.9,
            restart: true,
            stopping: Stopping::default().max_iter(10_000),
            options: RunOptions::default(),
        }
    }
}

impl Fista {
    /// Sets the starting Lipschitz estimate (default: secant estimate).
    #[must_use]
    pub fn lipschitz(mut self, l: f64) -> Self {
        self.lipschitz = Some(l);
        self
    }

    /// Sets the factor by which `L` grows when the upper bound fails (default 2).
    #[must_use]
    pub fn backtrack_factor(mut self, eta: f64) -> Self {
        self.backtrack_factor = eta;
        self
    }

    /// Sets the factor applied to `L` before each backtracking search, in (0, 1] (default 0.9;
    /// 1 gives the monotone backtracking of Beck & Teboulle).
    #[must_use]
    pub fn shrink(mut self, factor: f64) -> Self {
        self.shrink = factor;
        self
    }

    /// Turns adaptive restart on or off (default on).
    #[must_use]
    pub fn restart(mut self, on: bool) -> Self {
        self.restart = on;
        self
    }

    common_setters!();

    /// Validates the configuration.
    ///
    /// # Errors
    /// [`OptimError::InvalidParameter`](crate::OptimError::InvalidParameter) for a
    /// non-positive Lipschitz estimate, a backtracking factor `<= 1`, or invalid tolerances.
    pub fn check(&self) -> Result<()> {
        if let Some(l) = self.lipschitz {
            check_range("lipschitz", l, 0.0, f64::MAX, true, "finite and > 0")?;
        }
        check_range(
            "backtrack_factor",
            self.backtrack_factor,
            1.0,
            f64::MAX,
            true,
            "finite and > 1",
        )?;
        check_range("shrink", self.shrink, 0.0, 1.0, true, "in (0, 1]")?;
        self.stopping.check()
    }

    entry_points!(Composite, "iterations");

    /// `|grad f(x + s) - grad f(x)| / |s|` for a small step `s` along `-grad f(x)`.
    fn secant_lipschitz<O: Composite + ?Sized>(
        &self,
        obj: &mut O,
        x: &[f64],
        g: &[f64],
        evaluations: &mut Evaluations,
    ) -> f64 {
        let gn = norm2(g);
        if gn.is_nan() || gn <= 0.0 {
            return 1.0;
        }
        let h = 1e-4 * (1.0 + norm2(x)) / gn;
        let xs: Vec<f64> = x.iter().zip(g).map(|(a, b)| a - h * b).collect();
        let mut gs = vec![0.0; x.len()];
        obj.gradient(&xs, &mut gs);
        evaluations.gradient += 1;
        let dy: f64 = gs
            .iter()
            .zip(g)
            .map(|(a, b)| (a - b) * (a - b))
            .sum::<f64>()
            .sqrt();
        let l = dy / (h * gn);
        if l.is_finite() && l > 0.0 { l } else { 1.0 }
    }
}

/// The state of a FISTA run.
#[derive(Clone, Debug)]
pub struct FistaState {
    /// The extrapolated point, `f(y)` and `grad f(y)`.
    y: Vec<f64>,
    fy: f64,
    gy: Vec<f64>,
    /// The momentum parameter `t_k`.
    t: f64,
    /// The current Lipschitz estimate `L`.
    lip: f64,
}

impl<O: Composite + ?Sized> Solver<O> for Fista {
    type State = FistaState;

    fn init(&self, obj: &mut O, x: &mut [f64]) -> Result<(FistaState, Start)> {
        let (f0, gy) = evaluate_start(obj, x)?;
        let mut evaluations = ONE_PASS;
        let lip = match self.lipschitz {
            Some(l) => l,
            None => self.secant_lipschitz(obj, x, &gy, &mut evaluations),
        };
        // the gradient mapping at the start, with the initial L
        let mut xn = vec![0.0; x.len()];
        prox_step(obj, x, &gy, lip, &mut xn);
        let start = Start {
            evaluations,
            ..Start::new(f0 + obj.nonsmooth_value(x), lip * max_abs_diff(x, &xn))
        };
        let state = FistaState {
            y: x.to_vec(),
            fy: f0,
            gy,
            t: 1.0,
            lip,
        };
        Ok((state, start))
    }

    fn step(&self, obj: &mut O, st: &mut FistaState, it: &mut Iteration<'_>) -> Step {
        let evaluations = &mut *it.evaluations;
        let next = &mut **it.next;
        let mut f_new = f64::NAN;
        let mut accepted = false;
        // try a slightly longer step first: without it, an L inflated once (by rounding
        // near the solution, or by a high-curvature region) would cap every later step
        st.lip = (st.lip * self.shrink).max(f64::MIN_POSITIVE);
        for _ in 0..200 {
            prox_step(obj, &st.y, &st.gy, st.lip, next);
            f_new = obj.value(next);
            evaluations.value += 1;
            if f_new.is_finite() {
                let mut lin = 0.0;
                let mut sq = 0.0;
                for ((a, b), g) in next.iter().zip(&st.y).zip(&st.gy) {
                    let d = a - b;
                    lin += g * d;
                    sq += d * d;
                }
                let rounding = 4.0 * f64::EPSILON * st.fy.abs();
                if f_new <= st.fy + lin + 0.5 * st.lip * sq + rounding {
                    accepted = true;
                    break;
                }
            }
            st.lip *= self.backtrack_factor;
        }
        if !accepted {
            let reason = if f_new.is_finite() {
                LineSearchFailure::MaxEvaluations
            } else {
                LineSearchFailure::NonFiniteTrials
            };
            return Step::Stop(Termination::LineSearchFailed { reason });
        }
        let gmap = st.lip * max_abs_diff(&st.y, next);
        let big_f_new = f_new + obj.nonsmooth_value(next);
        if self.restart && big_f_new > it.value {
            st.t = 1.0;
        }
        let t_next = 0.5 * (1.0 + (1.0 + 4.0 * st.t * st.t).sqrt());
        let beta = (st.t - 1.0) / t_next;
        for ((yi, xni), xi) in st.y.iter_mut().zip(next.iter()).zip(it.x) {
            *yi = xni + beta * (xni - xi);
        }
        st.t = t_next;
        st.fy = obj.value_and_gradient(&st.y, &mut st.gy);
        evaluations.value += 1;
        evaluations.gradient += 1;
        if !st.fy.is_finite() || first_non_finite(&st.gy).is_some() {
            // the extrapolated point left the domain: restart from the new iterate
            st.y.copy_from_slice(next);
            st.t = 1.0;
            st.fy = obj.value_and_gradient(&st.y, &mut st.gy);
            evaluations.value += 1;
            evaluations.gradient += 1;
        }
        Step::moved(big_f_new, gmap, 1.0 / st.lip)
    }
}

/// `out = prox_{h/L}(y - g / L)`.
fn prox_step<O: Composite + ?Sized>(obj: &O, y: &[f64], g: &[f64], lip: f64, out: &mut [f64]) {
    for ((o, yi), gi) in out.iter_mut().zip(y).zip(g) {
        *o = yi - gi / lip;
    }
    obj.prox(1.0 / lip, out);
}
