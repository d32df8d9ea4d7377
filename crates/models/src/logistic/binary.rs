//! Binary logistic regression: the configuration and the fitted model.

use linalg_core::{Design, MatRef, Parallelism, mul_xw, sigmoid};
use optim::{Report, Stopping};
use serde::{Deserialize, Serialize};

use crate::data::{
    check_design, check_outputs, check_prediction_input, check_target, first_non_finite,
    normalize_weights,
};
use crate::error::{ModelError, Result};
use crate::inference::{self, FitForInference, InferenceOptions, Summary};
use crate::labels::{check_binary, is_binary_label};
use crate::logistic::class_weight::{ClassWeight, combined_weights};
use crate::logistic::identifiability::{check_full_rank, check_separation};
use crate::logistic::solver::{LogisticSolver, SolverSettings, minimize};
use crate::loss::{Logistic, Loss};
use crate::objective::LinearObjective;
use crate::penalty::Penalty;
use crate::persist::check_linear_predictor;
use crate::settings::FitSettings;

/// Logistic regression, `P(y = 1 | x) = sigma(x.w + b)`, fitted by minimizing
///
/// `1/n sum_i s_i [log(1 + e^{z_i}) - y_i z_i] + l1 |w|_1 + l2 |w|^2`,   `z_i = x_i.w + b`
///
/// (the mean negative log-likelihood plus a penalty that never touches the intercept). Labels
/// are 0 and 1. This is the unfitted configuration: setters never fail, [`fit`](Self::fit)
/// validates everything and returns a [`FittedLogistic`].
///
/// Defaults: no penalty, intercept fitted, solver `auto` (see [`LogisticSolver`]). The shared
/// [`FitSettings`]: [`tol`](Self::tol) is the bound on the infinity norm of the gradient (for L1
/// fits: of the minimum-norm subgradient or gradient mapping), default `1e-8`;
/// [`max_iter`](Self::max_iter) 1000 iterations; [`epochs`](Self::epochs) of `sgd` 1000;
/// learning rate 0.1, batch size 32, no momentum, seed 0.
///
/// Unpenalized fits are checked for identifiability: linearly dependent columns give
/// [`ModelError::RankDeficient`] before fitting, and separated classes (where the maximum
/// likelihood estimate does not exist) give [`ModelError::Separation`] after.
///
/// # Examples
/// The coronary-heart-disease-by-age table of the lecture:
/// ```
/// use linmod_models::logistic::LogisticRegression;
/// let chd = datasets::chd_age();
/// let fit = LogisticRegression::new().fit(chd.x.as_ref(), &chd.y).unwrap();
/// assert!(fit.converged());
/// assert!((fit.intercept() + 6.7085).abs() < 1e-3 && (fit.coef()[0] - 0.1315).abs() < 1e-3);
/// let p = fit.predict_proba(chd.x.as_ref()).unwrap();
/// assert!(p[0] < p[32]); // the risk grows with age
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LogisticRegression {
    pub(crate) penalty: Penalty,
    pub(crate) fit_intercept: bool,
    pub(crate) solver: LogisticSolver,
    pub(crate) settings: FitSettings,
    pub(crate) class_weight: ClassWeight,
    pub(crate) warm_start: Option<(Vec<f64>, f64)>,
}

impl LogisticRegression {
    /// Unpenalized logistic regression with an intercept and the `auto` solver.
    #[must_use]
    pub fn new() -> Self {
        Self {
            fit_intercept: true,
            ..Self::default()
        }
    }

    /// Sets the penalty.
    #[must_use]
    pub fn penalty(mut self, penalty: Penalty) -> Self {
        self.penalty = penalty;
        self
    }

    /// Sets the L1 strength (validated by `fit`).
    #[must_use]
    pub fn l1(mut self, l1: f64) -> Self {
        self.penalty.l1 = l1;
        self
    }

    /// Sets the L2 strength (validated by `fit`).
    #[must_use]
    pub fn l2(mut self, l2: f64) -> Self {
        self.penalty.l2 = l2;
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

    crate::settings::settings_setters!();

    /// Replaces the stopping rules; for example the course's IRLS rule
    /// `Stopping::default().gradient_tol(None).param_tol(1e-8).max_iter(100)`. A later
    /// [`tol`](Self::tol) or [`max_iter`](Self::max_iter) adjusts them.
    #[must_use]
    pub fn stopping(mut self, stopping: Stopping) -> Self {
        self.settings.stopping = Some(stopping);
        self.settings.tol = None;
        self.settings.max_iter = None;
        self
    }

    /// Sets the class weights.
    #[must_use]
    pub fn class_weight(mut self, class_weight: ClassWeight) -> Self {
        self.class_weight = class_weight;
        self
    }

    /// Starts the solver from the given coefficients and intercept instead of zeros.
    #[must_use]
    pub fn warm_start(mut self, coef: Vec<f64>, intercept: f64) -> Self {
        self.warm_start = Some((coef, intercept));
        self
    }

    /// Fits the model to `x` (`n x p`: a dense `MatRef`, or a sparse [`CsrMatrix`]
    /// (`&CsrMatrix`) or any other [`Design`]) and labels `y` (0 or 1).
    ///
    /// [`CsrMatrix`]: linalg_core::CsrMatrix
    ///
    /// # Errors
    /// Empty or non-finite data, mismatched lengths, labels other than 0/1, a single class,
    /// invalid hyper-parameters, a solver that cannot handle the penalty, and for unpenalized
    /// fits rank deficiency or separation. Non-convergence is *not* an error: it is reported
    /// by [`FittedLogistic::converged`] and the report.
    pub fn fit<D: Design>(&self, x: D, y: &[f64]) -> Result<FittedLogistic> {
        self.fit_with(x, y, None)
    }

    /// As [`fit`](Self::fit), with sample weights (finite, non-negative, not all zero).
    ///
    /// # Errors
    /// As [`fit`](Self::fit), and invalid weights.
    pub fn fit_weighted<D: Design>(
        &self,
        x: D,
        y: &[f64],
        sample_weight: &[f64],
    ) -> Result<FittedLogistic> {
        self.fit_with(x, y, Some(sample_weight))
    }

    fn fit_with<D: Design>(
        &self,
        x: D,
        y: &[f64],
        sample_weight: Option<&[f64]>,
    ) -> Result<FittedLogistic> {
        check_design(&x)?;
        check_target(y, x.nrows())?;
        check_binary(y)?;
        let weights = self.prepare(&x, y, sample_weight, 2)?;
        self.fit_checked(x, y, weights.as_deref())
    }

    /// After the data and labels are checked: validates the penalty, combines and normalizes
    /// sample and class weights for `k` classes, and for unpenalized fits checks the rank of
    /// `x`.
    pub(crate) fn prepare<D: Design>(
        &self,
        x: D,
        y: &[f64],
        sample_weight: Option<&[f64]>,
        k: usize,
    ) -> Result<Option<Vec<f64>>> {
        self.penalty.check()?;
        let sw = normalize_weights(sample_weight, x.nrows())?;
        let weights = normalize_weights(
            combined_weights(sw.as_deref(), &self.class_weight, y, k)?.as_deref(),
            x.nrows(),
        )?;
        if self.penalty.is_none() {
            check_full_rank(x, self.fit_intercept)?;
        }
        Ok(weights)
    }

    /// Fits on validated data with normalized weights (also used by one-vs-rest).
    pub(crate) fn fit_checked<D: Design>(
        &self,
        x: D,
        y: &[f64],
        weights: Option<&[f64]>,
    ) -> Result<FittedLogistic> {
        let (n, p) = (x.nrows(), x.ncols());
        let solver = self.solver.resolve_for(
            p + usize::from(self.fit_intercept),
            self.penalty,
            density(&x),
        );
        let mut obj = LinearObjective::from_checked(x, y, Logistic)
            .normalized_weights(weights)
            .intercept(self.fit_intercept)
            .penalty(self.penalty)?
            .parallelism(self.settings.parallelism);
        let dim = p + usize::from(self.fit_intercept);
        solver.check_penalty(self.penalty)?;
        solver.check_memory(dim)?;
        let x0 = self.start(p)?;
        let settings = SolverSettings::resolve(&self.settings);
        let report = minimize(
            &mut obj,
            solver,
            (self.penalty.l1, 0..p),
            &settings,
            &x0,
            None,
        )?;
        if self.penalty.is_none() {
            let mut z = vec![0.0; n];
            obj.linear_predictors(&report.x, &mut z);
            let right: Vec<f64> = z
                .iter()
                .zip(y)
                .map(|(&zi, &yi)| if yi > 0.5 { zi } else { -zi })
                .collect();
            check_separation(&mut obj, &report.x, &right, report.converged())?;
        }
        Ok(FittedLogistic {
            coef: report.x[..p].to_vec(),
            intercept: if self.fit_intercept { report.x[p] } else { 0.0 },
            fit_intercept: self.fit_intercept,
            penalty: self.penalty,
            solver,
            objective: report.value,
            n_samples: n,
            report,
        })
    }

    fn start(&self, p: usize) -> Result<Vec<f64>> {
        let mut x0 = vec![0.0; p + usize::from(self.fit_intercept)];
        if let Some((coef, b)) = &self.warm_start {
            if coef.len() != p {
                return Err(ModelError::LengthMismatch {
                    what_a: "features",
                    len_a: p,
                    what_b: "warm-start coefficients",
                    len_b: coef.len(),
                });
            }
            first_non_finite("warm-start coefficients", coef)?;
            first_non_finite("warm-start intercept", &[*b])?;
            x0[..p].copy_from_slice(coef);
            if self.fit_intercept {
                x0[p] = *b;
            }
        }
        Ok(x0)
    }
}

/// The share of the entries of `x` that are stored (1 for dense designs).
pub(super) fn density<D: Design>(x: &D) -> f64 {
    let cells = (x.nrows() as f64) * (x.ncols() as f64);
    if cells > 0.0 {
        x.stored_entries() as f64 / cells
    } else {
        1.0
    }
}

/// A fitted binary logistic regression.
///
/// # Examples
/// ```
/// use linmod_models::mat;
/// use linmod_models::logistic::LogisticRegression;
/// let x = mat![[1.0], [2.0], [3.0], [4.0], [5.0], [6.0]];
/// let y = [0.0, 0.0, 1.0, 0.0, 1.0, 1.0];
/// let fit = LogisticRegression::new().l2(0.01).fit(x.as_ref(), &y).unwrap();
/// let p = fit.predict_proba(x.as_ref()).unwrap();
/// assert!(p.iter().all(|v| (0.0..=1.0).contains(v)));
/// assert_eq!(fit.predict(x.as_ref()).unwrap()[0], 0.0);
/// assert!(fit.score(x.as_ref(), &y).unwrap() >= 0.6);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FittedLogistic {
    coef: Vec<f64>,
    intercept: f64,
    fit_intercept: bool,
    penalty: Penalty,
    solver: LogisticSolver,
    objective: f64,
    n_samples: usize,
    report: Report,
}

impl FittedLogistic {
    /// The coefficients `w`, one per feature.
    #[must_use]
    pub fn coef(&self) -> &[f64] {
        &self.coef
    }

    /// The intercept `b` (0 when not fitted).
    #[must_use]
    pub fn intercept(&self) -> f64 {
        self.intercept
    }

    /// Whether an intercept was fitted.
    #[must_use]
    pub fn fits_intercept(&self) -> bool {
        self.fit_intercept
    }

    /// Number of features.
    #[must_use]
    pub fn n_features(&self) -> usize {
        self.coef.len()
    }

    /// Number of training samples.
    #[must_use]
    pub fn n_samples(&self) -> usize {
        self.n_samples
    }

    /// The penalty the model was fitted with.
    #[must_use]
    pub fn penalty(&self) -> Penalty {
        self.penalty
    }

    /// The solver that ran (`auto` resolved).
    #[must_use]
    pub fn solver(&self) -> LogisticSolver {
        self.solver
    }

    /// The objective (mean loss plus penalty) at the solution.
    #[must_use]
    pub fn objective(&self) -> f64 {
        self.objective
    }

    /// The optimizer's report: iterations, termination, history.
    #[must_use]
    pub fn report(&self) -> &Report {
        &self.report
    }

    /// Iterations of the solver.
    #[must_use]
    pub fn n_iter(&self) -> usize {
        self.report.iterations
    }

    /// True only when a convergence test held.
    #[must_use]
    pub fn converged(&self) -> bool {
        self.report.converged()
    }

    /// The linear predictors `z_i = x_i.w + b` (log odds).
    ///
    /// # Errors
    /// [`ModelError::FeatureMismatch`] or non-finite values in `x`; [`ModelError::NonFinite`]
    /// when `x_i.w` overflows to NaN (infinite log odds are returned as such).
    pub fn decision_function<D: Design>(&self, x: D) -> Result<Vec<f64>> {
        check_prediction_input(&x, self.coef.len())?;
        let mut z = vec![0.0; x.nrows()];
        let w = MatRef::from_column_major_slice(&self.coef, self.coef.len(), 1);
        mul_xw(x, w, &[self.intercept], &mut z, Parallelism::Rayon);
        check_outputs(&z, z.len(), true)?;
        Ok(z)
    }

    /// `P(y = 1 | x_i) = sigma(z_i)`, computed stably for any `z`.
    ///
    /// # Errors
    /// As [`decision_function`](Self::decision_function).
    pub fn predict_proba<D: Design>(&self, x: D) -> Result<Vec<f64>> {
        Ok(self
            .decision_function(x)?
            .into_iter()
            .map(sigmoid)
            .collect())
    }

    /// Labels with threshold 0.5.
    ///
    /// # Errors
    /// As [`decision_function`](Self::decision_function).
    pub fn predict<D: Design>(&self, x: D) -> Result<Vec<f64>> {
        self.predict_with_threshold(x, 0.5)
    }

    /// Labels `1` where `P(y = 1 | x) >= threshold` (the course's spam filter uses 0.75).
    ///
    /// # Errors
    /// As [`decision_function`](Self::decision_function), and a threshold outside `[0, 1]`.
    pub fn predict_with_threshold<D: Design>(&self, x: D, threshold: f64) -> Result<Vec<f64>> {
        if !(0.0..=1.0).contains(&threshold) {
            return Err(ModelError::InvalidParameter {
                name: "threshold",
                value: threshold,
                requirement: "in [0, 1]",
            });
        }
        Ok(self
            .predict_proba(x)?
            .into_iter()
            .map(|p| f64::from(u8::from(p >= threshold)))
            .collect())
    }

    /// Accuracy on `(x, y)`.
    ///
    /// # Errors
    /// As [`decision_function`](Self::decision_function), and length mismatches.
    pub fn score<D: Design>(&self, x: D, y: &[f64]) -> Result<f64> {
        crate::metrics::accuracy(y, &self.predict(x)?)
    }

    /// Mean log loss on `(x, y)`, `1/n sum_i [log(1 + e^{z_i}) - y_i z_i]`, computed from the
    /// log odds (exact for any `z`, no clipping).
    ///
    /// # Errors
    /// As [`decision_function`](Self::decision_function), length mismatches, and labels other
    /// than 0/1.
    pub fn log_loss<D: Design>(&self, x: D, y: &[f64]) -> Result<f64> {
        let z = self.decision_function(x)?;
        check_target(y, z.len())?;
        check_binary_values(y)?;
        Ok(z.iter()
            .zip(y)
            .map(|(&zi, &yi)| Logistic.loss(zi, yi))
            .sum::<f64>()
            / z.len() as f64)
    }
}

impl FittedLogistic {
    /// Standard errors, z statistics, p-values, confidence intervals and goodness of fit on the
    /// training data `(x, y)`, like statsmodels' `Logit(...).fit().summary()`.
    ///
    /// Valid only for the unpenalized maximum-likelihood estimate: penalized fits, fits that
    /// did not converge, and coefficients that do not solve the likelihood equations for
    /// `(x, y)` (other data, or a weighted fit) are refused. Separation and rank deficiency
    /// were already refused by `fit`.
    ///
    /// # Errors
    /// [`ModelError::InferenceUnavailable`] with the reason; data errors as for prediction.
    ///
    /// # Examples
    /// ```
    /// use linmod_models::inference::InferenceOptions;
    /// use linmod_models::logistic::LogisticRegression;
    /// let chd = datasets::chd_age();
    /// let fit = LogisticRegression::new().tol(1e-10).fit(chd.x.as_ref(), &chd.y).unwrap();
    /// let s = fit.summary(chd.x.as_ref(), &chd.y, &InferenceOptions::default().names(vec!["age".into()])).unwrap();
    /// assert!((s.std_err[1] - 0.046339).abs() < 1e-6); // statsmodels 0.15.0
    /// println!("{s}");
    /// ```
    pub fn summary(
        &self,
        x: MatRef<'_, f64>,
        y: &[f64],
        opts: &InferenceOptions,
    ) -> Result<Summary> {
        inference::check_valid_fit(self.penalty, self.converged(), &self.report.termination)?;
        inference::logit_fit(
            &FitForInference {
                x,
                y,
                coef: &self.coef,
                intercept: self.fit_intercept.then_some(self.intercept),
            },
            opts,
        )
    }
}

impl FittedLogistic {
    /// Checks a deserialized model: finite coefficients and intercept.
    pub(crate) fn validate(&self) -> Result<()> {
        check_linear_predictor(&self.coef, self.intercept, self.fit_intercept, self.penalty)
    }
}

fn check_binary_values(y: &[f64]) -> Result<()> {
    match y.iter().enumerate().find(|(_, v)| !is_binary_label(**v)) {
        Some((row, &value)) => Err(ModelError::InvalidLabel {
            row,
            value,
            expected: "0 or 1".into(),
        }),
        None => Ok(()),
    }
}

/// The binary model as a generic classifier: the trait methods answer in the common shapes
/// (`n x 1` scores, `n x 2` probabilities `[P(y = 0), P(y = 1)]`).
impl crate::estimator::Fitted for FittedLogistic {
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

    fn objective(&self) -> Option<f64> {
        Some(self.objective).filter(|v| v.is_finite())
    }

    fn converged(&self) -> bool {
        self.report.converged()
    }
}

impl crate::estimator::LinearFit for FittedLogistic {
    fn coefficients(&self) -> MatRef<'_, f64> {
        MatRef::from_column_major_slice(&self.coef, self.coef.len(), 1)
    }

    fn intercepts(&self) -> &[f64] {
        std::slice::from_ref(&self.intercept)
    }
}

impl crate::estimator::Classifier for FittedLogistic {
    fn n_classes(&self) -> usize {
        2
    }

    fn decision_function(&self, x: MatRef<'_, f64>) -> Result<linalg_core::Mat<f64>> {
        let z = FittedLogistic::decision_function(self, x)?;
        Ok(linalg_core::Mat::from_fn(z.len(), 1, |i, _| z[i]))
    }

    fn predict_proba(&self, x: MatRef<'_, f64>) -> Result<linalg_core::Mat<f64>> {
        let z = FittedLogistic::decision_function(self, x)?;
        // P(y = 0) = sigma(-z): exact where 1 - sigma(z) would round to 0
        Ok(linalg_core::Mat::from_fn(z.len(), 2, |i, c| {
            if c == 1 {
                sigmoid(z[i])
            } else {
                sigmoid(-z[i])
            }
        }))
    }

    fn predict(&self, x: MatRef<'_, f64>) -> Result<Vec<f64>> {
        FittedLogistic::predict(self, x)
    }

    fn predict_with_threshold(&self, x: MatRef<'_, f64>, threshold: f64) -> Result<Vec<f64>> {
        FittedLogistic::predict_with_threshold(self, x, threshold)
    }

    fn log_loss(&self, x: MatRef<'_, f64>, y: &[f64]) -> Result<f64> {
        FittedLogistic::log_loss(self, x, y)
    }

    fn score(&self, x: MatRef<'_, f64>, y: &[f64]) -> Result<f64> {
        FittedLogistic::score(self, x, y)
    }
}
