//! Accelerated proximal gradient (FISTA) for composite objectives `f + h`.

use crate::error::{Result, check_range};
use crate::monitor::{Iterate, Monitor, Observer, RunOptions};
use crate::objective::Composite;
use crate::report::{LineSearchFailure, Report, Termination};
use crate::run::{common_setters, entry_points, evaluate_start};
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

    fn run<O: Composite + ?Sized>(
        &self,
        obj: &mut O,
        x0: &[f64],
        observer: Option<&mut dyn Observer>,
    ) -> Result<Report> {
        self.check()?;
        let n = x0.len();
        let mut x = x0.to_vec();
        let mut gy = vec![0.0; n];
        let (f0, _) = evaluate_start(obj, &x, &mut gy)?;
        let mut monitor = Monitor::new(self.stopping, self.options, observer);
        monitor.evaluations.value += 1;
        monitor.evaluations.gradient += 1;
        let mut lip = match self.lipschitz {
            Some(l) => l,
            None => self.secant_lipschitz(obj, &x, &gy, &mut monitor),
        };
        let mut big_f = f0 + obj.nonsmooth_value(&x);
        let mut xn = vec![0.0; n];
        // gradient mapping at the start, with the initial L
        prox_step(obj, &x, &gy, lip, &mut xn);
        let mut gmap = lip * max_abs_diff(&x, &xn);
        if let Some(t) = monitor.start(big_f, gmap) {
            return Ok(monitor.finish(x, big_f, gmap, 0, t));
        }
        let mut y = x.clone();
        let mut fy = f0;
        let mut t: f64 = 1.0;
        let mut done = 0;
        let termination = loop {
            let iter = done + 1;
            let mut f_new = f64::NAN;
            let mut accepted = false;
            // try a slightly longer step first: without it, an L inflated once (by rounding
            // near the solution, or by a high-curvature region) would cap every later step
            lip = (lip * self.shrink).max(f64::MIN_POSITIVE);
            for _ in 0..200 {
                prox_step(obj, &y, &gy, lip, &mut xn);
                f_new = obj.value(&xn);
                monitor.evaluations.value += 1;
                if f_new.is_finite() {
                    let mut lin = 0.0;
                    let mut sq = 0.0;
                    for ((a, b), g) in xn.iter().zip(&y).zip(&gy) {
                        let d = a - b;
                        lin += g * d;
                        sq += d * d;
                    }
                    let rounding = 4.0 * f64::EPSILON * fy.abs();
                    if f_new <= fy + lin + 0.5 * lip * sq + rounding {
                        accepted = true;
                        break;
                    }
                }
                lip *= self.backtrack_factor;
            }
            if !accepted {
                let reason = if f_new.is_finite() {
                    LineSearchFailure::MaxEvaluations
                } else {
                    LineSearchFailure::NonFiniteTrials
                };
                break Termination::LineSearchFailed { reason };
            }
            done = iter;
            gmap = lip * max_abs_diff(&y, &xn);
            let big_f_new = f_new + obj.nonsmooth_value(&xn);
            if self.restart && big_f_new > big_f {
                t = 1.0;
            }
            let t_next = 0.5 * (1.0 + (1.0 + 4.0 * t * t).sqrt());
            let beta = (t - 1.0) / t_next;
            let max_change = max_abs_diff(&xn, &x);
            for ((yi, xni), xi) in y.iter_mut().zip(&xn).zip(&x) {
                *yi = xni + beta * (xni - xi);
            }
            std::mem::swap(&mut x, &mut xn);
            let big_f_old = big_f;
            big_f = big_f_new;
            t = t_next;
            fy = obj.value_and_gradient(&y, &mut gy);
            monitor.evaluations.value += 1;
            monitor.evaluations.gradient += 1;
            if !fy.is_finite() || first_non_finite(&gy).is_some() {
                // the extrapolated point left the domain: restart from x
                y.copy_from_slice(&x);
                t = 1.0;
                fy = obj.value_and_gradient(&y, &mut gy);
                monitor.evaluations.value += 1;
                monitor.evaluations.gradient += 1;
            }
            let it = Iterate {
                iteration: iter,
                x: &x,
                value: big_f,
                previous_value: big_f_old,
                grad_norm: gmap,
                step: 1.0 / lip,
                max_change,
            };
            if let Some(t) = monitor.iteration(&it) {
                break t;
            }
            if max_change == 0.0 && gmap > 0.0 {
                break Termination::Stalled;
            }
        };
        Ok(monitor.finish(x, big_f, gmap, done, termination))
    }

    /// `|grad f(x + s) - grad f(x)| / |s|` for a small step `s` along `-grad f(x)`.
    fn secant_lipschitz<O: Composite + ?Sized>(
        &self,
        obj: &mut O,
        x: &[f64],
        g: &[f64],
        monitor: &mut Monitor<'_>,
    ) -> f64 {
        let gn = norm2(g);
        if gn.is_nan() || gn <= 0.0 {
            return 1.0;
        }
        let h = 1e-4 * (1.0 + norm2(x)) / gn;
        let xs: Vec<f64> = x.iter().zip(g).map(|(a, b)| a - h * b).collect();
        let mut gs = vec![0.0; x.len()];
        obj.gradient(&xs, &mut gs);
        monitor.evaluations.gradient += 1;
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

/// `out = prox_{h/L}(y - g / L)`.
fn prox_step<O: Composite + ?Sized>(obj: &O, y: &[f64], g: &[f64], lip: f64, out: &mut [f64]) {
    for ((o, yi), gi) in out.iter_mut().zip(y).zip(g) {
        *o = yi - gi / lip;
    }
    obj.prox(1.0 / lip, out);
}
