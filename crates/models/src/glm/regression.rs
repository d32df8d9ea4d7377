//! The GLM estimator: configuration, fit and the fitted model.

use linalg_core::{MatRef, Parallelism, mul_xw};
use optim::{Objective, Report};
use serde::{Deserialize, Serialize};

use super::data::{GlmData, Prepared};
use super::family::{GlmFamily, with_family};
use super::solve::{column_means, resolve_solver, solve};
use super::statistics::{GlmStatistics, intercept_start, statistics};
use crate::data::{check_design, check_outputs, check_prediction_input, first_non_finite};
use crate::error::{ModelError, Result};
use crate::logistic::LogisticSolver;
use crate::logistic::identifiability::check_full_rank;
use crate::logistic::solver::SolverSettings;
use crate::loss::Family;
use crate::objective::LinearObjective;
use crate::penalty::Penalty;
use crate::persist::check_linear_predictor;
use crate::settings::FitSettings;

/// A generalized linear model `mu_i = g^{-1}(x_i.w + b + offset_i)` of a [`GlmFamily`],
/// fitted by minimizing
///
/// `1/(2n) sum_i s_i d(y_i, mu_i) + l1 |w|_1 + l2 |w|^2`
///
/// with `s_i` the prior weights normalized to sum to `n` (scikit-learn's GLM objective:
/// its `alpha` with `l1_ratio = r` is `l1 = alpha r`, `l2 = alpha (1 - r) / 2`).
///
/// Solvers (the logistic models' [`LogisticSolver`]): Newton's method (IRLS with the observed
/// information, step halving), L-BFGS, FISTA and proximal Newton with a coordinate-descent
/// inner loop for L1 and the elastic net; `auto` picks Newton (proximal Newton with L1) up to
/// 1000 parameters, else L-BFGS (FISTA with L1). Defaults: no penalty, intercept,
/// `auto`; [`tol`](Self::tol) bounds the infinity norm of the gradient (the minimum-norm
/// subgradient with L1), default `1e-10` (below R's default rule, which leaves 4 to 5
/// correct digits); at most 1000 iterations.
///
/// Unpenalized fits are checked for full rank first ([`ModelError::RankDeficient`]).
///
/// # Examples
/// Poisson counts with an exposure:
/// ```
/// use linmod_models::mat;
/// use linmod_models::glm::{Glm, GlmData, GlmFamily};
/// let x = mat![[0.0], [1.0], [2.0], [3.0], [4.0]];
/// let y = [1.0, 2.0, 2.0, 5.0, 9.0];
/// let exposure = [1.0, 1.0, 2.0, 2.0, 3.0];
/// let fit = Glm::new(GlmFamily::Poisson)
///     .fit(x.as_ref(), &GlmData::new(&y).exposure(&exposure))
///     .unwrap();
/// assert!(fit.converged());
/// let s = fit.statistics();
/// assert!(s.deviance < s.null_deviance);
/// let mu = fit.predict(x.as_ref(), Some(&exposure), None).unwrap();
/// assert!((mu.iter().sum::<f64>() - 19.0).abs() < 1e-9); // the score equation of the intercept
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Glm {
    pub(crate) family: GlmFamily,
    pub(crate) penalty: Penalty,
    pub(crate) fit_intercept: bool,
    pub(crate) solver: LogisticSolver,
    pub(crate) settings: FitSettings,
    pub(crate) warm_start: Option<Vec<f64>>,
}

impl Glm {
    /// An unpenalized GLM of `family` with an intercept and the `auto` solver.
    #[must_use]
    pub fn new(family: GlmFamily) -> Self {
        Self {
            family,
            penalty: Penalty::none(),
            fit_intercept: true,
            solver: LogisticSolver::Auto,
            settings: FitSettings::default(),
            warm_start: None,
        }
    }

    /// Sets the penalty.
    #[must_use]
    pub fn penalty(mut self, penalty: Penalty) -> Self {
        self.penalty = penalty;
        self
    }

    /// Fits an intercept (default) or forces it to 0.
    #[must_use]
    pub fn fit_intercept(mut self, on: bool) -> Self {
        self.fit_intercept = on;
        self
    }

    /// Sets the solver.
    #[must_use]
    pub fn solver(mut self, solver: LogisticSolver) -> Self {
        self.solver = solver;
        self
    }

    /// Starts from these parameters (the coefficients, then the intercept when fitted).
    #[must_use]
    pub fn warm_start(mut self, theta: Vec<f64>) -> Self {
        self.warm_start = Some(theta);
        self
    }

    crate::settings::settings_setters!();

    /// The family.
    #[must_use]
    pub fn family(&self) -> GlmFamily {
        self.family
    }

    /// Fits the model to `x` (`n x p`) and `data`.
    ///
    /// # Errors
    /// Empty or non-finite `x`; targets, weights, offsets, exposures or trials of the wrong
    /// length or outside their domain ([`ModelError::InvalidValue`] naming the row and the
    /// value); an invalid penalty or a solver that cannot handle it; for unpenalized fits a
    /// rank-deficient design. Non-convergence is reported by [`FittedGlm::converged`].
    pub fn fit(&self, x: MatRef<'_, f64>, data: &GlmData<'_>) -> Result<FittedGlm> {
        check_design(x)?;
        self.penalty.check()?;
        self.family.check()?;
        with_family!(self.family, f => self.fit_family(x, data, f))
    }

    fn fit_family<F: Family + Copy>(
        &self,
        x: MatRef<'_, f64>,
        data: &GlmData<'_>,
        family: F,
    ) -> Result<FittedGlm> {
        let (n, p) = (x.nrows(), x.ncols());
        let prepared = data.prepare(n, &family)?;
        if self.penalty.is_none() {
            check_full_rank(x, self.fit_intercept)?;
        }
        let weights = crate::data::normalize_weights(prepared.weights.as_deref(), n)?;
        let mut obj = LinearObjective::from_checked(x, &prepared.y, family)
            .normalized_weights(weights.as_deref())
            .intercept(self.fit_intercept)
            .penalty(self.penalty)?
            .parallelism(self.settings.parallelism);
        if let Some(o) = &prepared.offset {
            obj = obj.offset(o)?;
        }
        let dim = obj.dim();
        let solver = resolve_solver(self.solver, dim, self.penalty);
        solver.check_penalty(self.penalty)?;
        solver.check_memory(dim)?;
        let x0 = self.start(p, &family, &prepared)?;
        if !obj.value(&x0).is_finite() {
            return Err(ModelError::Unsupported(format!(
                "the {} link has no mean at the starting point (a linear predictor <= 0); \
                 fit an intercept, or use the log link",
                family.link_name()
            )));
        }
        let mut resolved = self.settings;
        if resolved.tol.is_none() && resolved.stopping.is_none() {
            resolved.tol = Some(DEFAULT_TOL);
        }
        let settings = SolverSettings::resolve(&resolved);
        let means = column_means(x);
        let report = solve(
            &mut obj,
            Some(&means),
            solver,
            self.penalty.l1,
            &settings,
            &x0,
        )?;
        let mut z = vec![0.0; n];
        obj.linear_predictors(&report.x, &mut z);
        let rank = p + usize::from(self.fit_intercept);
        let stats = statistics(&family, &prepared, &z, rank, self.fit_intercept);
        Ok(FittedGlm {
            family: self.family,
            coef: report.x[..p].to_vec(),
            intercept: if self.fit_intercept { report.x[p] } else { 0.0 },
            fit_intercept: self.fit_intercept,
            penalty: self.penalty,
            solver,
            n_samples: n,
            statistics: stats,
            report,
            offset_column: None,
            exposure_column: None,
        })
    }

    /// The starting point: the warm start, or zero coefficients and the null model's
    /// intercept (which also keeps the inverse link's predictors positive).
    fn start<F: Family>(&self, p: usize, family: &F, data: &Prepared<'_>) -> Result<Vec<f64>> {
        let dim = p + usize::from(self.fit_intercept);
        if let Some(theta) = &self.warm_start {
            if theta.len() != dim {
                return Err(ModelError::LengthMismatch {
                    what_a: "parameters (coefficients and intercept)",
                    len_a: dim,
                    what_b: "warm-start values",
                    len_b: theta.len(),
                });
            }
            first_non_finite("warm-start values", theta)?;
            return Ok(theta.clone());
        }
        let mut x0 = vec![0.0; dim];
        if self.fit_intercept {
            x0[p] = intercept_start(family, data);
        }
        Ok(x0)
    }
}

/// The default gradient tolerance of GLM fits.
const DEFAULT_TOL: f64 = 1e-10;

/// A fitted generalized linear model.
///
/// # Examples
/// ```
/// use linmod_models::mat;
/// use linmod_models::glm::{Glm, GlmData, GlmFamily};
/// use linmod_models::loss::GammaLink;
/// let x = mat![[1.0], [2.0], [3.0], [4.0]];
/// let y = [2.0, 3.0, 7.0, 8.0];
/// let fit = Glm::new(GlmFamily::Gamma { link: GammaLink::Log }).fit(x.as_ref(), &GlmData::new(&y)).unwrap();
/// assert!(fit.coef()[0] > 0.0 && fit.statistics().scale > 0.0);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FittedGlm {
    family: GlmFamily,
    coef: Vec<f64>,
    intercept: f64,
    fit_intercept: bool,
    penalty: Penalty,
    solver: LogisticSolver,
    n_samples: usize,
    statistics: GlmStatistics,
    report: Report,
    /// The data columns the offset and the exposure were read from, for prediction from a
    /// file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    offset_column: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    exposure_column: Option<String>,
}

impl FittedGlm {
    /// Records the names of the data columns that held the offset and the exposure, so that
    /// predictions from a file apply them.
    #[must_use]
    pub fn with_known_columns(mut self, offset: Option<String>, exposure: Option<String>) -> Self {
        self.offset_column = offset;
        self.exposure_column = exposure;
        self
    }

    /// The column of the offset (see [`with_known_columns`](Self::with_known_columns)).
    #[must_use]
    pub fn offset_column(&self) -> Option<&str> {
        self.offset_column.as_deref()
    }

    /// The column of the exposure (see [`with_known_columns`](Self::with_known_columns)).
    #[must_use]
    pub fn exposure_column(&self) -> Option<&str> {
        self.exposure_column.as_deref()
    }

    /// The family.
    #[must_use]
    pub fn family(&self) -> GlmFamily {
        self.family
    }

    /// The coefficients `w`.
    #[must_use]
    pub fn coef(&self) -> &[f64] {
        &self.coef
    }

    /// The intercept (0 when not fitted).
    #[must_use]
    pub fn intercept(&self) -> f64 {
        self.intercept
    }

    /// Whether an intercept was fitted.
    #[must_use]
    pub fn fits_intercept(&self) -> bool {
        self.fit_intercept
    }

    /// The penalty.
    #[must_use]
    pub fn penalty(&self) -> Penalty {
        self.penalty
    }

    /// The solver that ran (`auto` resolved).
    #[must_use]
    pub fn solver(&self) -> LogisticSolver {
        self.solver
    }

    /// Number of features.
    #[must_use]
    pub fn n_features(&self) -> usize {
        self.coef.len()
    }

    /// Number of training rows.
    #[must_use]
    pub fn n_samples(&self) -> usize {
        self.n_samples
    }

    /// Deviance, null deviance, Pearson's chi-squared, the scale, the log-likelihood and AIC
    /// on the training data.
    #[must_use]
    pub fn statistics(&self) -> &GlmStatistics {
        &self.statistics
    }

    /// The optimizer's report.
    #[must_use]
    pub fn report(&self) -> &Report {
        &self.report
    }

    /// True only when a convergence test held.
    #[must_use]
    pub fn converged(&self) -> bool {
        self.report.converged()
    }

    /// The linear predictors `x_i.w + b + offset_i + ln(exposure_i)`.
    ///
    /// # Errors
    /// A feature count other than the model's, non-finite features; offsets or exposures of
    /// the wrong length, not finite or (exposures) not positive; predictors that overflow.
    pub fn linear_predictor(
        &self,
        x: MatRef<'_, f64>,
        exposure: Option<&[f64]>,
        offset: Option<&[f64]>,
    ) -> Result<Vec<f64>> {
        check_prediction_input(x, self.coef.len())?;
        let n = x.nrows();
        let mut z = vec![0.0; n];
        let w = MatRef::from_column_major_slice(&self.coef, self.coef.len(), 1);
        mul_xw(x, w, &[self.intercept], &mut z, Parallelism::Rayon);
        let y = vec![0.0; n];
        let mut known = GlmData::new(&y);
        if let Some(e) = exposure {
            known = known.exposure(e);
        }
        if let Some(o) = offset {
            known = known.offset(o);
        }
        // the family's target check is not wanted here: only offsets and exposures
        let prepared = known.prepare(n, &crate::loss::Poisson)?;
        if let Some(o) = &prepared.offset {
            z.iter_mut().zip(o).for_each(|(zi, oi)| *zi += oi);
        }
        check_outputs(&z, n, true)?;
        Ok(z)
    }

    /// The predicted means `mu_i = g^{-1}(z_i)` (expected counts over the exposure for
    /// Poisson; proportions for binomial).
    ///
    /// # Errors
    /// As [`linear_predictor`](Self::linear_predictor).
    pub fn predict(
        &self,
        x: MatRef<'_, f64>,
        exposure: Option<&[f64]>,
        offset: Option<&[f64]>,
    ) -> Result<Vec<f64>> {
        Ok(self
            .linear_predictor(x, exposure, offset)?
            .into_iter()
            .map(|z| self.family.mean(z))
            .collect())
    }

    /// Checks a deserialized model.
    pub(crate) fn validate(&self) -> Result<()> {
        self.family
            .check()
            .map_err(|e| ModelError::Persistence(format!("corrupt model: {e}")))?;
        check_linear_predictor(&self.coef, self.intercept, self.fit_intercept, self.penalty)
    }
}

impl crate::estimator::Fitted for FittedGlm {
    fn n_features(&self) -> usize {
        self.coef.len()
    }

    fn fit_report(&self) -> crate::estimator::FitReport {
        let measure = if self.penalty.has_l1() {
            "minimum-norm subgradient infinity norm"
        } else {
            "gradient infinity norm"
        };
        crate::estimator::FitReport::from_run(self.solver, &self.report, measure)
    }
}

impl crate::estimator::LinearFit for FittedGlm {
    fn coefficients(&self) -> MatRef<'_, f64> {
        MatRef::from_column_major_slice(&self.coef, self.coef.len(), 1)
    }

    fn intercepts(&self) -> &[f64] {
        std::slice::from_ref(&self.intercept)
    }
}

/// The GLM as a generic regressor: predictions are means without offset or exposure, the
/// score is the fraction of deviance explained `1 - D / D_null` (scikit-learn's `D^2`).
impl crate::estimator::Regressor for FittedGlm {
    fn predict(&self, x: MatRef<'_, f64>) -> Result<Vec<f64>> {
        FittedGlm::predict(self, x, None, None)
    }

    fn score(&self, x: MatRef<'_, f64>, y: &[f64]) -> Result<f64> {
        let z = self.linear_predictor(x, None, None)?;
        let data = GlmData::new(y);
        with_family!(self.family, f => {
            let prepared = data.prepare(z.len(), &f)?;
            let s = statistics(&f, &prepared, &z, 0, true);
            Ok(1.0 - s.deviance / s.null_deviance)
        })
    }
}
