//! The unfitted linear-regression configuration and the dispatch to the solvers.

use linalg_core::{Design, MatRef, Parallelism};
use optim::{Observer, Schedule};

use super::centering::Centered;
use super::direct::fit_direct;
use super::fitted::{FittedLinear, least_squares_objective};
use super::iterative::{IterativeSettings, fit_iterative};
use super::lasso::{CdSettings, Prepared, solve};
use super::scaling::scaled_target;
use super::solver::{CdMode, LinearSolver};
use super::sparse::fit_sparse;
use crate::data::first_non_finite;
use crate::error::{ModelError, Result};
use crate::penalty::Penalty;
use crate::settings::FitSettings;

/// Linear regression with an optional ridge, lasso or elastic-net penalty: minimizes
///
/// ```text
/// 1/(2n) sum_i s_i (y_i - x_i.w - b)^2 + l1 |w|_1 + l2 |w|^2
/// ```
///
/// with sample weights `s_i` normalized to sum to `n` and the intercept `b` never penalized.
///
/// A configuration: setters take and return `self`, never panic, and everything is validated
/// by [`fit`](Self::fit). Defaults: no penalty, an intercept, [`LinearSolver::Auto`] (see
/// there for the rule), `tol = 1e-7`, the solver's own iteration limit, rayon parallelism.
///
/// | setting | used by | default | meaning |
/// |---|---|---|---|
/// | [`tol`](Self::tol) | cd | `1e-7` | stop when the duality gap `<= tol * y_c^T S y_c / n` |
/// | | gd, fista | | stop when `max abs(gradient) <= tol * sd(y)` (gradient mapping for fista) |
/// | | sgd | | stop when the epoch loss improved by `< tol * var(y)` for 5 epochs |
/// | [`max_iter`](Self::max_iter) | cd / fista / gd | 1000 sweeps / 10 000 / 10 000 | iteration limit |
/// | [`learning_rate`](Self::learning_rate) | gd / sgd | `1/L` / `0.01` | step size; `L` is the largest Hessian eigenvalue (power method) |
/// | [`epochs`](Self::epochs), [`batch_size`](Self::batch_size), [`seed`](Self::seed), [`sgd_schedule`](Self::sgd_schedule) | sgd | 100, 32, 0, constant | minibatch settings |
/// | [`warm_start`](Self::warm_start) | cd, fista, gd, sgd | zeros | starting coefficients and intercept |
///
/// # Examples
/// ```
/// use linmod_models::Mat;
/// use linmod_models::Penalty;
/// use linmod_models::linear::{LinearRegression, LinearSolver};
/// let x = Mat::from_fn(50, 3, |i, j| ((i * 7 + j * 13) % 11) as f64 - 5.0);
/// let y: Vec<f64> = (0..50).map(|i| 2.0 * x[(i, 0)] - x[(i, 2)] + 0.5).collect();
///
/// let ols = LinearRegression::new().fit(x.as_ref(), &y).unwrap();
/// assert!((ols.coef()[0] - 2.0).abs() < 1e-10 && (ols.intercept() - 0.5).abs() < 1e-10);
///
/// // the lasso (sklearn's Lasso(alpha=0.1)) by coordinate descent
/// let lasso = LinearRegression::new()
///     .penalty(Penalty::sklearn_lasso(0.1).unwrap())
///     .fit(x.as_ref(), &y)
///     .unwrap();
/// assert_eq!(lasso.solver(), LinearSolver::CoordinateDescent);
/// assert!(lasso.converged() && lasso.duality_gap().unwrap() >= 0.0);
///
/// // the course's gradient descent, with its loss history
/// let gd = LinearRegression::new()
///     .solver(LinearSolver::GradientDescent)
///     .tol(1e-10)
///     .record_history(true)
///     .fit(x.as_ref(), &y)
///     .unwrap();
/// assert!(gd.converged());
/// assert!((gd.coef()[0] - 2.0).abs() < 1e-8);
/// let history = gd.loss_history();
/// assert!(history.first().unwrap() > history.last().unwrap());
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct LinearRegression {
    pub(super) penalty: Penalty,
    pub(super) fit_intercept: bool,
    pub(super) solver: LinearSolver,
    cd_mode: CdMode,
    settings: FitSettings,
    warm_start: Option<(Vec<f64>, f64)>,
}

/// The shared settings with the linear model's defaults filled in.
pub(super) struct Resolved {
    pub(super) tol: f64,
    pub(super) max_iter: Option<usize>,
    pub(super) learning_rate: Option<f64>,
    pub(super) schedule: Option<Schedule>,
    pub(super) epochs: usize,
    pub(super) batch_size: usize,
    pub(super) seed: u64,
    pub(super) record_history: bool,
    pub(super) parallelism: Parallelism,
}

impl Resolved {
    /// The settings of the iterative solvers (at most 10 000 iterations by default).
    pub(super) fn iterative(&self) -> IterativeSettings {
        IterativeSettings {
            tol: self.tol,
            max_iter: self.max_iter.unwrap_or(10_000),
            learning_rate: self.learning_rate,
            schedule: self.schedule,
            epochs: self.epochs,
            batch_size: self.batch_size,
            seed: self.seed,
            record_history: self.record_history,
        }
    }
}

impl Default for LinearRegression {
    fn default() -> Self {
        Self {
            penalty: Penalty::none(),
            fit_intercept: true,
            solver: LinearSolver::Auto,
            cd_mode: CdMode::Auto,
            settings: FitSettings::default(),
            warm_start: None,
        }
    }
}

impl LinearRegression {
    /// Ordinary least squares with an intercept and the default settings.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the penalty (default none).
    #[must_use]
    pub fn penalty(mut self, penalty: Penalty) -> Self {
        self.penalty = penalty;
        self
    }

    /// Fits an intercept (default) or forces `b = 0`.
    #[must_use]
    pub fn fit_intercept(mut self, on: bool) -> Self {
        self.fit_intercept = on;
        self
    }

    /// Chooses the solver (default [`LinearSolver::Auto`]).
    #[must_use]
    pub fn solver(mut self, solver: LinearSolver) -> Self {
        self.solver = solver;
        self
    }

    /// Chooses how coordinate descent tracks the fit (default [`CdMode::Auto`]).
    #[must_use]
    pub fn cd_mode(mut self, mode: CdMode) -> Self {
        self.cd_mode = mode;
        self
    }

    crate::settings::settings_setters!();

    /// Starts iterative solvers from `coef` and `intercept` (ignored by closed-form solvers;
    /// coordinate descent uses `coef` only, since it solves for the intercept exactly, and the
    /// intercept is ignored without one). Checked against the data by [`fit`](Self::fit).
    #[must_use]
    pub fn warm_start(mut self, coef: Vec<f64>, intercept: f64) -> Self {
        self.warm_start = Some((coef, intercept));
        self
    }

    /// Fits the model to `x` (`n x p`) and `y` (length `n`).
    ///
    /// # Errors
    /// * invalid data: [`ModelError::Empty`] (no rows or columns),
    ///   [`ModelError::NonFiniteFeature`], [`ModelError::LengthMismatch`],
    ///   [`ModelError::NonFinite`];
    /// * invalid settings: [`ModelError::InvalidParameter`] (negative penalty, `tol <= 0`,
    ///   `max_iter = 0`, learning rate, epochs, batch size, warm start);
    /// * [`ModelError::Unsupported`] when the solver cannot handle the penalty (`qr`,
    ///   `cholesky`, `gd`, `sgd` with `l1 > 0`; `cd` without any penalty);
    /// * [`ModelError::RankDeficient`] (naming the aliased columns) when `cholesky` was chosen
    ///   explicitly for a design that is rank deficient after equilibration, and
    ///   [`ModelError::IllConditioned`] when it was chosen for normal equations whose
    ///   reciprocal condition number is below `1e-10` (`docs/math.md`, the rank and
    ///   conditioning policy);
    /// * [`ModelError::Overflow`] when a result is beyond `f64` even after the internal
    ///   rescaling of the target (a coefficient, `X^T X` of columns beyond `1e154` under an
    ///   explicit `cholesky` or coordinate descent).
    ///
    /// Stopping at an iteration limit is not an error: see
    /// [`FittedLinear::converged`].
    pub fn fit<D: Design>(&self, x: D, y: &[f64]) -> Result<FittedLinear> {
        self.fit_design(x, y, None, None)
    }

    /// As [`fit`](Self::fit) with sample weights (non-negative, not all zero; normalized to
    /// sum to `n`, so only their ratios matter).
    ///
    /// # Errors
    /// As [`fit`](Self::fit), plus [`ModelError::InvalidWeight`] and a length mismatch of
    /// the weights.
    ///
    /// # Examples
    /// ```
    /// use linmod_models::mat;
    /// use linmod_models::linear::LinearRegression;
    /// // a weight of 2 counts a row twice
    /// let x = mat![[0.0], [1.0], [2.0]];
    /// let y = [0.0, 1.0, 3.0];
    /// let weighted = LinearRegression::new().fit_weighted(x.as_ref(), &y, &[1.0, 1.0, 2.0]).unwrap();
    /// let x2 = mat![[0.0], [1.0], [2.0], [2.0]];
    /// let repeated = LinearRegression::new().fit(x2.as_ref(), &[0.0, 1.0, 3.0, 3.0]).unwrap();
    /// assert!((weighted.coef()[0] - repeated.coef()[0]).abs() < 1e-12);
    /// ```
    pub fn fit_weighted<D: Design>(
        &self,
        x: D,
        y: &[f64],
        sample_weight: &[f64],
    ) -> Result<FittedLinear> {
        self.fit_design(x, y, Some(sample_weight), None)
    }

    /// As [`fit`](Self::fit) (weighted when `sample_weight` is given), calling `observer`
    /// after every iteration of an iterative solver (progress bars, logging, early stop).
    ///
    /// # Errors
    /// As [`fit_weighted`](Self::fit_weighted).
    pub fn fit_observed<D: Design>(
        &self,
        x: D,
        y: &[f64],
        sample_weight: Option<&[f64]>,
        observer: &mut dyn Observer,
    ) -> Result<FittedLinear> {
        self.fit_design(x, y, sample_weight, Some(observer))
    }

    /// Dense designs take the direct and centered solvers; other designs (sparse) the
    /// solvers of [`fit_sparse`].
    fn fit_design<D: Design>(
        &self,
        x: D,
        y: &[f64],
        sample_weight: Option<&[f64]>,
        observer: Option<&mut dyn Observer>,
    ) -> Result<FittedLinear> {
        match x.as_dense() {
            Some(dense) => self.fit_inner(dense, y, sample_weight, observer),
            None => fit_sparse(self, &x, y, sample_weight, observer),
        }
    }

    /// The solver `auto` resolves to for this penalty, before looking at the data's
    /// conditioning (`Qr`/`Cholesky` are decided in the direct solver), or an error when the
    /// chosen solver cannot handle the penalty.
    pub(super) fn resolve_family(&self) -> Result<LinearSolver> {
        let l1 = self.penalty.l1;
        match self.solver {
            LinearSolver::Auto if l1 > 0.0 => Ok(LinearSolver::CoordinateDescent),
            s @ (LinearSolver::Qr
            | LinearSolver::Cholesky
            | LinearSolver::GradientDescent
            | LinearSolver::Sgd
            | LinearSolver::NewtonCg)
                if l1 > 0.0 =>
            {
                Err(ModelError::Unsupported(format!(
                    "the {s} solver cannot fit an L1 penalty (l1 = {l1}); use cd, fista or auto"
                )))
            }
            LinearSolver::CoordinateDescent if self.penalty.is_none() => {
                Err(ModelError::Unsupported(
                    "the cd solver stops on the duality gap, which needs a penalty (l1 > 0 or \
                     l2 > 0); use qr, cholesky or auto for ordinary least squares"
                        .to_string(),
                ))
            }
            s => Ok(s),
        }
    }

    /// Validates the settings and fills in the defaults: `tol = 1e-7`, 100 SGD epochs, batch
    /// size 32 (the iteration limits and learning rates depend on the solver).
    pub(super) fn check(&self) -> Result<Resolved> {
        self.penalty.check()?;
        let s = &self.settings;
        let r = Resolved {
            tol: s.tol.unwrap_or(1e-7),
            max_iter: s.max_iter.or(s.stopping.map(|st| st.max_iter)),
            learning_rate: s.learning_rate,
            schedule: s.schedule,
            epochs: s.epochs.unwrap_or(100),
            batch_size: s.batch_size_or_default(),
            seed: s.seed,
            record_history: s.record_history,
            parallelism: s.parallelism,
        };
        positive("tol", r.tol)?;
        if let Some(m) = r.max_iter {
            at_least_one("max_iter", m)?;
        }
        if let Some(eta) = r.learning_rate {
            positive("learning_rate", eta)?;
        }
        at_least_one("epochs", r.epochs)?;
        at_least_one("batch_size", r.batch_size)?;
        Ok(r)
    }

    pub(super) fn start(&self, p: usize, fit_intercept: bool) -> Result<Vec<f64>> {
        let mut start = vec![0.0; p + usize::from(fit_intercept)];
        if let Some((coef, b)) = &self.warm_start {
            if coef.len() != p {
                return Err(ModelError::LengthMismatch {
                    what_a: "X columns",
                    len_a: p,
                    what_b: "warm-start coefficients",
                    len_b: coef.len(),
                });
            }
            first_non_finite("warm-start coefficients", coef)?;
            first_non_finite("warm-start intercept", std::slice::from_ref(b))?;
            start[..p].copy_from_slice(coef);
            if fit_intercept {
                start[p] = *b;
            }
        }
        Ok(start)
    }

    fn fit_inner(
        &self,
        x: MatRef<'_, f64>,
        y: &[f64],
        sample_weight: Option<&[f64]>,
        observer: Option<&mut dyn Observer>,
    ) -> Result<FittedLinear> {
        let r = self.check()?;
        // squares of targets beyond 2^200 would overflow: solve for y / s, multiply back
        let (target, y_scaled) = scaled_target(y, x.nrows())?;
        let penalty = target.penalty(self.penalty);
        let data = Centered::new(
            x,
            &y_scaled,
            sample_weight,
            self.fit_intercept,
            r.parallelism,
        )?;
        let solver = self.resolve_family()?;
        let mut start = self.start(data.p(), self.fit_intercept)?;
        target.down(&mut start);
        let mut fitted = FittedLinear {
            coef: Vec::new(),
            intercept: 0.0,
            fit_intercept: self.fit_intercept,
            penalty: self.penalty,
            solver,
            n_samples: data.n(),
            report: None,
            cd_mode: None,
            duality_gap: None,
            rank: None,
            condition_estimate: None,
            learning_rate: None,
            aliased: Vec::new(),
            certificate: None,
            target_scale: target.0,
            objective: None,
        };
        match solver {
            LinearSolver::Auto | LinearSolver::Qr | LinearSolver::Cholesky => {
                let (n, p) = (data.n(), data.p());
                crate::memory::ensure_square(
                    n.min(p),
                    2,
                    "the direct solvers' min(n, p) x min(n, p) matrices (choose --solver cd or \
                     an iterative solver for this shape)",
                )?;
                let yc = data.centered_target();
                let direct = fit_direct(&data, &yc, penalty.l2, solver)?;
                fitted.intercept = direct.intercept;
                fitted.coef = direct.coef;
                fitted.solver = direct.solver;
                fitted.rank = direct.rank;
                fitted.aliased = direct.aliased;
                fitted.condition_estimate = direct.condition;
                fitted.certificate = Some(direct.certificate);
            }
            LinearSolver::CoordinateDescent => {
                let Prepared {
                    mut engine,
                    mode,
                    scale,
                    ..
                } = Prepared::new(&data, self.cd_mode);
                engine.check_finite()?;
                let mut w = start[..data.p()].to_vec();
                if w.iter().any(|v| *v != 0.0) {
                    engine.reset(&w);
                }
                let settings = CdSettings {
                    tol: r.tol,
                    max_iter: r.max_iter.unwrap_or(1000),
                    record_history: r.record_history,
                };
                let mut run = solve(&mut engine, &mut w, penalty, scale, settings, observer)?;
                drop(engine);
                fitted.intercept = data.intercept(&w);
                if self.fit_intercept {
                    run.report.x.push(fitted.intercept);
                }
                fitted.coef = w;
                fitted.cd_mode = Some(mode);
                fitted.duality_gap = Some(run.gap);
                fitted.report = Some(run.report);
            }
            LinearSolver::Fista
            | LinearSolver::GradientDescent
            | LinearSolver::Sgd
            | LinearSolver::NewtonCg => {
                let fit = fit_iterative(&data, penalty, solver, &r.iterative(), &start, observer)?;
                fitted.coef = fit.coef;
                fitted.intercept = fit.intercept;
                fitted.learning_rate = fit.learning_rate;
                fitted.report = Some(fit.report);
            }
        }
        target.up("a coefficient of the fit", &mut fitted.coef)?;
        target.up(
            "the intercept of the fit",
            std::slice::from_mut(&mut fitted.intercept),
        )?;
        fitted.objective = least_squares_objective(
            x,
            y,
            data.weights.as_deref(),
            &fitted.coef,
            fitted.intercept,
            self.penalty,
        );
        Ok(fitted)
    }
}

fn positive(name: &'static str, v: f64) -> Result<()> {
    if v.is_finite() && v > 0.0 {
        Ok(())
    } else {
        Err(ModelError::InvalidParameter {
            name,
            value: v,
            requirement: "finite and > 0",
        })
    }
}

fn at_least_one(name: &'static str, v: usize) -> Result<()> {
    if v >= 1 {
        Ok(())
    } else {
        Err(ModelError::InvalidParameter {
            name,
            value: v as f64,
            requirement: ">= 1",
        })
    }
}
