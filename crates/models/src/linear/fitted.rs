//! The fitted linear model.

use linalg_core::{MatRef, Parallelism};
use optim::Report;
use serde::{Deserialize, Serialize};

use super::path::predict_into;
use super::solver::{CdMode, LinearSolver};
use crate::data::{check_outputs, check_prediction_input, check_target};
use crate::error::Result;
use crate::metrics::regression::r2_score;
use crate::penalty::Penalty;

/// A fitted linear regression `yhat = x.w + b`, made by
/// [`LinearRegression::fit`](super::LinearRegression::fit).
///
/// Coefficients are on the caller's feature scale. Convergence information depends on the
/// solver:
///
/// | solver | [`report`](Self::report) | [`n_iter`](Self::n_iter) | [`converged`](Self::converged) | also |
/// |---|---|---|---|---|
/// | `qr`, `cholesky` | `None` | 0 (closed form) | the certificate is at rounding level | [`certificate`](Self::certificate), [`rank`](Self::rank) and [`aliased`](Self::aliased) (unpenalized), [`condition_estimate`](Self::condition_estimate) (Cholesky) |
/// | `cd` | `Some` | sweeps | the duality-gap test held | [`duality_gap`](Self::duality_gap), [`cd_mode`](Self::cd_mode) |
/// | `fista`, `gd` | `Some` | iterations | a gradient test held | [`learning_rate`](Self::learning_rate) (gd) |
/// | `sgd` | `Some` | epochs | the loss stopped improving | [`learning_rate`](Self::learning_rate) (constant rate) |
///
/// # Examples
/// ```
/// use linmod_models::mat;
/// use linmod_models::linear::{LinearRegression, LinearSolver};
/// // y = 1 + 2 x exactly
/// let x = mat![[0.0], [1.0], [2.0], [3.0]];
/// let fit = LinearRegression::new().fit(x.as_ref(), &[1.0, 3.0, 5.0, 7.0]).unwrap();
/// assert!((fit.coef()[0] - 2.0).abs() < 1e-12 && (fit.intercept() - 1.0).abs() < 1e-12);
/// assert_eq!(fit.solver(), LinearSolver::Cholesky);
/// assert_eq!(fit.n_iter(), 0);
/// let yhat = fit.predict(mat![[10.0]].as_ref()).unwrap();
/// assert!((yhat[0] - 21.0).abs() < 1e-10);
/// let json = serde_json::to_string(&fit).unwrap();
/// let back: linmod_models::linear::FittedLinear = serde_json::from_str(&json).unwrap();
/// assert_eq!(back, fit);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FittedLinear {
    pub(crate) coef: Vec<f64>,
    pub(crate) intercept: f64,
    pub(crate) fit_intercept: bool,
    pub(crate) penalty: Penalty,
    pub(crate) solver: LinearSolver,
    pub(crate) n_samples: usize,
    pub(crate) report: Option<Report>,
    pub(crate) cd_mode: Option<CdMode>,
    pub(crate) duality_gap: Option<f64>,
    pub(crate) rank: Option<usize>,
    pub(crate) condition_estimate: Option<f64>,
    pub(crate) learning_rate: Option<f64>,
    #[serde(default)]
    pub(crate) aliased: Vec<usize>,
    #[serde(default)]
    pub(crate) certificate: Option<f64>,
    #[serde(default = "unit_scale")]
    pub(crate) target_scale: f64,
    /// The objective at the solution in the units of `y` (`None` beyond f64's range).
    #[serde(default)]
    pub(crate) objective: Option<f64>,
}

fn unit_scale() -> f64 {
    1.0
}

/// The objective `1/(2n) sum_i s_i (y_i - x_i.w - b)^2 + penalty(w)` at a solution, with the
/// residuals scaled by their largest magnitude before squaring, so that only an objective
/// that is itself beyond f64's range is `None` (targets above about `1e154`). One pass over
/// `X`; `weights` are normalized to sum to `n`.
pub(crate) fn least_squares_objective<D: linalg_core::Design>(
    x: D,
    y: &[f64],
    weights: Option<&[f64]>,
    coef: &[f64],
    intercept: f64,
    penalty: Penalty,
) -> Option<f64> {
    let n = x.nrows();
    let mut r = vec![0.0; n];
    let w = MatRef::from_column_major_slice(coef, coef.len(), 1);
    linalg_core::mul_xw(x, w, &[intercept], &mut r, Parallelism::Rayon);
    r.iter_mut().zip(y).for_each(|(ri, yi)| *ri = yi - *ri);
    let top = r.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let mean_square = if top > 0.0 {
        let sum: f64 = match weights {
            Some(s) => r
                .iter()
                .zip(s)
                .map(|(v, si)| si * (v / top) * (v / top))
                .sum(),
            None => r.iter().map(|v| (v / top) * (v / top)).sum(),
        };
        top * top * (sum / n as f64)
    } else {
        0.0
    };
    Some(0.5 * mean_square + penalty.value(coef)).filter(|v| v.is_finite())
}

impl FittedLinear {
    /// The coefficients `w` (one per feature).
    #[must_use]
    pub fn coef(&self) -> &[f64] {
        &self.coef
    }

    /// The intercept `b` (0 when fitted without one).
    #[must_use]
    pub fn intercept(&self) -> f64 {
        self.intercept
    }

    /// Number of features `p`.
    #[must_use]
    pub fn n_features(&self) -> usize {
        self.coef.len()
    }

    /// Number of rows of the training data.
    #[must_use]
    pub fn n_samples(&self) -> usize {
        self.n_samples
    }

    /// Whether an intercept was fitted.
    #[must_use]
    pub fn fits_intercept(&self) -> bool {
        self.fit_intercept
    }

    /// The penalty of the fit.
    #[must_use]
    pub fn penalty(&self) -> Penalty {
        self.penalty
    }

    /// The solver that ran (`auto` resolved: never [`LinearSolver::Auto`]).
    #[must_use]
    pub fn solver(&self) -> LinearSolver {
        self.solver
    }

    /// The run report of an iterative solver (`None` for closed-form solves). For coordinate
    /// descent `x` is `[w, b]`, `value` the objective, `grad_norm` the largest violation of
    /// the optimality conditions, and iterations are sweeps.
    #[must_use]
    pub fn report(&self) -> Option<&Report> {
        self.report.as_ref()
    }

    /// Iterations (sweeps for coordinate descent, epochs for SGD); 0 for closed-form solves.
    #[must_use]
    pub fn n_iter(&self) -> usize {
        self.report.as_ref().map_or(0, |r| r.iterations)
    }

    /// True when a convergence test held; false after an iteration limit, a divergence or a
    /// failed line search. A closed-form solve counts as converged only when its
    /// [`certificate`](Self::certificate) is at rounding level
    /// ([`certificate_bound`](Self::certificate_bound)).
    #[must_use]
    pub fn converged(&self) -> bool {
        let bound = self.certificate_bound();
        self.report.as_ref().is_none_or(Report::converged)
            && self.certificate.is_none_or(|eta| eta <= bound)
    }

    /// The objective `1/(2n) sum_i s_i (y_i - x_i.w - b)^2 + l1 |w|_1 + l2 |w|^2` at the
    /// solution, in the units of `y`; `None` when it is beyond the range of f64 (targets above
    /// about `1e154`, whose coefficients are still exact) or the model file did not record
    /// it.
    #[must_use]
    pub fn objective(&self) -> Option<f64> {
        self.objective
    }

    /// The relative normal-equations residual of a closed-form solution (`None` for iterative
    /// solvers, whose convergence tests certify them): with `A = S^{1/2} [1, X]`, the
    /// parameters `theta = (b, w)` and `r = S^{1/2} y - A theta`,
    ///
    /// ```text
    /// eta = max_j |a_j^T r - 2 n l2 w_j| / (|a_j| (|r| + |S^{1/2} y| + sum_k |a_k| |theta_k|) + 2 n l2 |w_j|)
    /// ```
    ///
    /// the backward error of the normal equations: computed from the data in one pass for
    /// QR and the dual form, and from the normal equations formed in the Gram pass for the
    /// Cholesky solver (whose rounding is of the same order). It does not depend on the units
    /// of the columns or the target.
    #[must_use]
    pub fn certificate(&self) -> Option<f64> {
        self.certificate
    }

    /// The rounding level a certificate must reach for [`converged`](Self::converged):
    /// `64 eps sqrt(n + p)`.
    #[must_use]
    pub fn certificate_bound(&self) -> f64 {
        super::certificate::certificate_bound(self.n_samples, self.coef.len())
    }

    /// The columns that are numerically linear combinations of the others after each column
    /// is scaled to unit norm (unpenalized QR fits; empty at full rank). Their coefficients
    /// are those of the minimum-norm solution of the scaled problem.
    #[must_use]
    pub fn aliased(&self) -> &[usize] {
        &self.aliased
    }

    /// The power of two the target was divided by inside the solver (1 unless the largest
    /// `|y|` is beyond `2^200` or below `2^-200`). [`coef`](Self::coef) and
    /// [`intercept`](Self::intercept) are always in the units of `y`; the
    /// [`report`](Self::report), [`loss_history`](Self::loss_history) and
    /// [`duality_gap`](Self::duality_gap) describe the rescaled problem (target `y / s`,
    /// penalty `l1 / s`, `l2`), whose objective is the objective divided by `s^2`: for such
    /// targets the objective itself overflows.
    #[must_use]
    pub fn target_scale(&self) -> f64 {
        self.target_scale
    }

    /// The objective value after each iteration, when the history was recorded
    /// ([`record_history`](super::LinearRegression::record_history)); empty otherwise.
    #[must_use]
    pub fn loss_history(&self) -> Vec<f64> {
        self.report
            .as_ref()
            .map(|r| r.history.iter().map(|h| h.value).collect())
            .unwrap_or_default()
    }

    /// The final duality gap of coordinate descent (on the objective's scale: an upper bound
    /// on the distance of the objective value from its minimum).
    #[must_use]
    pub fn duality_gap(&self) -> Option<f64> {
        self.duality_gap
    }

    /// The mode coordinate descent ran in.
    #[must_use]
    pub fn cd_mode(&self) -> Option<CdMode> {
        self.cd_mode
    }

    /// The numerical rank of the centered design, for unpenalized closed-form fits (full:
    /// `p`, or `n` in the dual form, when the Cholesky solver succeeded).
    #[must_use]
    pub fn rank(&self) -> Option<usize> {
        self.rank
    }

    /// The estimated 1-norm condition number of the diagonally scaled system the Cholesky
    /// solver factored (times the centering amplification in the primal form).
    #[must_use]
    pub fn condition_estimate(&self) -> Option<f64> {
        self.condition_estimate
    }

    /// The learning rate gradient descent (or constant-rate SGD) used.
    #[must_use]
    pub fn learning_rate(&self) -> Option<f64> {
        self.learning_rate
    }

    /// Predictions `X w + b`.
    ///
    /// # Errors
    /// [`ModelError::FeatureMismatch`](crate::ModelError::FeatureMismatch) when `x` does not
    /// have [`n_features`](Self::n_features) columns;
    /// [`ModelError::NonFiniteFeature`](crate::ModelError::NonFiniteFeature) for NaN or
    /// infinite values; [`ModelError::NonFinite`](crate::ModelError::NonFinite) when a
    /// prediction overflows.
    pub fn predict<D: linalg_core::Design>(&self, x: D) -> Result<Vec<f64>> {
        check_prediction_input(&x, self.n_features())?;
        let mut out = vec![0.0; x.nrows()];
        predict_into(x, &self.coef, self.intercept, &mut out, Parallelism::Rayon);
        check_outputs(&out, out.len(), false)?;
        Ok(out)
    }

    /// The coefficient of determination `R^2` of the predictions on `x` against `y`
    /// ([`r2_score`]).
    ///
    /// # Errors
    /// As [`predict`](Self::predict), plus a target of the wrong length, an empty `x` or
    /// non-finite targets.
    pub fn score<D: linalg_core::Design>(&self, x: D, y: &[f64]) -> Result<f64> {
        check_target(y, x.nrows())?;
        let yhat = self.predict(x)?;
        r2_score(y, &yhat)
    }
}

impl FittedLinear {
    /// Standard errors, t statistics, p-values, confidence intervals, R-squared and the F
    /// test on the training data `(x, y)`, like statsmodels' `OLS(...).fit().summary()`.
    ///
    /// Valid for unpenalized least squares only (`inference::ols` also checks that the normal
    /// equations hold for `(x, y)`); penalized fits and fits that did not converge are refused.
    ///
    /// # Errors
    /// [`ModelError::InferenceUnavailable`](crate::ModelError::InferenceUnavailable) with the
    /// reason; data errors as for prediction.
    ///
    /// # Examples
    /// ```
    /// use linmod_models::mat;
    /// use linmod_models::inference::InferenceOptions;
    /// use linmod_models::linear::LinearRegression;
    /// let x = mat![[0.0], [1.0], [2.0], [3.0]];
    /// let y = [1.0, 3.0, 5.0, 7.5];
    /// let fit = LinearRegression::new().fit(x.as_ref(), &y).unwrap();
    /// let s = fit.summary(x.as_ref(), &y, &InferenceOptions::default()).unwrap();
    /// assert!((s.ols.unwrap().r2 - 0.996765).abs() < 1e-6);
    /// ```
    pub fn summary(
        &self,
        x: MatRef<'_, f64>,
        y: &[f64],
        opts: &crate::inference::InferenceOptions,
    ) -> Result<crate::inference::Summary> {
        let termination = self
            .report
            .as_ref()
            .map_or_else(|| "closed form".to_string(), |r| r.termination.to_string());
        crate::inference::check_valid_fit(self.penalty, self.converged(), &termination)?;
        crate::inference::ols(
            x,
            y,
            &self.coef,
            self.fit_intercept.then_some(self.intercept),
            opts,
        )
    }

    /// Checks a deserialized model: finite coefficients and intercept, a valid penalty.
    pub(crate) fn validate(&self) -> Result<()> {
        crate::persist::check_linear_predictor(
            &self.coef,
            self.intercept,
            self.fit_intercept,
            self.penalty,
        )?;
        let scale_ok = self.target_scale.is_finite() && self.target_scale > 0.0;
        let certificate_ok = self.certificate.is_none_or(|eta| eta >= 0.0);
        if scale_ok && certificate_ok {
            Ok(())
        } else {
            Err(crate::ModelError::Persistence(format!(
                "corrupt model: target_scale = {} must be finite and positive, certificate = {:?} \
                 non-negative",
                self.target_scale, self.certificate
            )))
        }
    }
}

impl crate::estimator::Fitted for FittedLinear {
    fn n_features(&self) -> usize {
        self.coef.len()
    }

    /// Iterative solvers report their run (in the units of the rescaled problem for targets
    /// beyond `2^200`, see [`target_scale`](FittedLinear::target_scale)); closed forms report
    /// the certificate as their optimality measure, and converge when it is at rounding
    /// level.
    fn fit_report(&self) -> crate::estimator::FitReport {
        use crate::estimator::FitReport;
        let mut report = match &self.report {
            Some(r) => {
                let measure = match self.solver {
                    LinearSolver::CoordinateDescent => "duality gap",
                    LinearSolver::Sgd => "gradient infinity norm",
                    LinearSolver::Fista => "gradient mapping infinity norm",
                    _ => "gradient infinity norm",
                };
                let mut f = FitReport::from_run(self.solver, r, measure);
                if let Some(gap) = self.duality_gap {
                    f.optimality = gap;
                }
                f
            }
            None => {
                let eta = self.certificate.unwrap_or(0.0);
                let converged = self.converged();
                FitReport {
                    solver: self.solver.to_string(),
                    converged,
                    termination: if converged {
                        "closed form, certified: the normal-equations residual is at rounding \
                         level"
                            .into()
                    } else {
                        format!(
                            "closed form without a certificate: the normal-equations residual \
                             {eta:.2e} is above the rounding bound {:.2e}",
                            self.certificate_bound()
                        )
                    },
                    iterations: 0,
                    objective: None,
                    optimality: eta,
                    measure: "normal-equations residual",
                    seconds: 0.0,
                }
            }
        };
        report.objective = self.objective;
        report
    }

    fn objective(&self) -> Option<f64> {
        self.objective
    }

    fn converged(&self) -> bool {
        FittedLinear::converged(self)
    }
}

impl crate::estimator::LinearFit for FittedLinear {
    fn coefficients(&self) -> MatRef<'_, f64> {
        MatRef::from_column_major_slice(&self.coef, self.coef.len(), 1)
    }

    fn intercepts(&self) -> &[f64] {
        std::slice::from_ref(&self.intercept)
    }
}

impl crate::estimator::Regressor for FittedLinear {
    fn predict(&self, x: MatRef<'_, f64>) -> Result<Vec<f64>> {
        FittedLinear::predict(self, x)
    }

    fn score(&self, x: MatRef<'_, f64>, y: &[f64]) -> Result<f64> {
        FittedLinear::score(self, x, y)
    }
}
