//! Multiclass logistic regression: softmax (multinomial) or one-vs-rest.

use linalg_core::{Design, Mat, MatRef, Parallelism, log_sigmoid, mul_xw, softmax_in_place};
use optim::{Objective, Report};
use serde::{Deserialize, Serialize};

use crate::data::{
    check_design, check_outputs, check_prediction_input, check_target, first_non_finite,
};
use crate::error::{ModelError, Result};
use crate::labels::training_classes;
use crate::logistic::binary::LogisticRegression;
use crate::logistic::identifiability::check_separation;
use crate::logistic::reference_class::{ReferenceClass, to_reference, to_symmetric};
use crate::logistic::solver::{LogisticSolver, SolverSettings, minimize, minimize_smooth};
use crate::loss::{Softmax, cross_entropy};
use crate::objective::LinearObjective;
use crate::penalty::Penalty;
use crate::persist::{check_finite_field, check_len};

/// How a multiclass model is built from logistic regressions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Multiclass {
    /// One softmax model: `P(y = k | x) = softmax_k(W^T x + b)`, all classes fitted jointly.
    #[default]
    Softmax,
    /// One binary model per class (class `k` against the rest); probabilities are the `K`
    /// sigmoids normalized to sum to 1, as in scikit-learn.
    OneVsRest,
}

/// Multiclass logistic regression with labels `0, 1, ..., K-1`.
///
/// With [`Multiclass::Softmax`] (the default) it minimizes
/// `1/n sum_i s_i [logsumexp_k(z_ik) - z_{i,y_i}] + l1 |W|_1 + l2 |W|_F^2`, `z_i = W^T x_i + b`,
/// with the symmetric parametrization (one coefficient vector per class; see
/// [`MultinomialObjective`](crate::objective::MultinomialObjective)). Made from a [`LogisticRegression`] configuration with
/// [`LogisticRegression::multinomial`], so every setting (penalty, solver, tolerances, class
/// weights) carries over.
///
/// # Examples
/// Three clusters in the plane:
/// ```
/// use linmod_models::mat;
/// use linmod_models::logistic::{LogisticRegression, Multiclass};
/// let x = mat![[0.0, 0.1], [0.2, -0.1], [-0.1, 0.0], [3.0, 3.1], [2.9, 2.8], [3.2, 3.0],
///              [0.1, 3.0], [-0.2, 2.9], [0.0, 3.2]];
/// let y = [0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 2.0, 2.0, 2.0];
/// let fit = LogisticRegression::new().l2(1e-2).multinomial().fit(x.as_ref(), &y).unwrap();
/// assert_eq!(fit.n_classes(), 3);
/// assert_eq!(fit.predict(x.as_ref()).unwrap(), y.to_vec());
/// let ovr = LogisticRegression::new().l2(1e-2).multinomial().strategy(Multiclass::OneVsRest)
///     .fit(x.as_ref(), &y).unwrap();
/// assert_eq!(ovr.reports().len(), 3);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct MultinomialRegression {
    config: LogisticRegression,
    strategy: Multiclass,
    warm_start: Option<(Vec<f64>, Vec<f64>)>,
}

impl LogisticRegression {
    /// The multiclass model with this configuration (softmax by default).
    #[must_use]
    pub fn multinomial(self) -> MultinomialRegression {
        MultinomialRegression {
            config: self,
            strategy: Multiclass::Softmax,
            warm_start: None,
        }
    }
}

impl MultinomialRegression {
    /// Softmax (default) or one-vs-rest.
    #[must_use]
    pub fn strategy(mut self, strategy: Multiclass) -> Self {
        self.strategy = strategy;
        self
    }

    /// Starts the softmax solver from `coef` (`p x K`, column-major: class `k`'s coefficients
    /// at `k p .. (k+1) p`) and `intercepts` (`K`).
    #[must_use]
    pub fn warm_start(mut self, coef: Vec<f64>, intercepts: Vec<f64>) -> Self {
        self.warm_start = Some((coef, intercepts));
        self
    }

    /// Fits the model to `x` and labels `y` in `0..K`.
    ///
    /// # Errors
    /// As [`LogisticRegression::fit`], with labels that must be whole numbers `0..K-1`
    /// ([`ModelError::InvalidLabel`]), every class present ([`ModelError::MissingClass`]).
    pub fn fit<D: Design>(&self, x: D, y: &[f64]) -> Result<FittedMultinomial> {
        self.fit_with(x, y, None)
    }

    /// As [`fit`](Self::fit), with sample weights.
    ///
    /// # Errors
    /// As [`fit`](Self::fit), and invalid weights.
    pub fn fit_weighted<D: Design>(
        &self,
        x: D,
        y: &[f64],
        sample_weight: &[f64],
    ) -> Result<FittedMultinomial> {
        self.fit_with(x, y, Some(sample_weight))
    }

    fn fit_with<D: Design>(
        &self,
        x: D,
        y: &[f64],
        sample_weight: Option<&[f64]>,
    ) -> Result<FittedMultinomial> {
        check_design(&x)?;
        check_target(y, x.nrows())?;
        let (k, _) = training_classes(y)?;
        let weights = self.config.prepare(&x, y, sample_weight, k)?;
        match self.strategy {
            Multiclass::Softmax => self.fit_softmax(x, y, k, weights.as_deref()),
            Multiclass::OneVsRest => self.fit_one_vs_rest(x, y, k, weights.as_deref()),
        }
    }

    fn fit_softmax<D: Design>(
        &self,
        x: D,
        y: &[f64],
        k: usize,
        weights: Option<&[f64]>,
    ) -> Result<FittedMultinomial> {
        let cfg = &self.config;
        let (n, p) = (x.nrows(), x.ncols());
        let density = super::binary::density(&x);
        let mut obj = LinearObjective::from_checked(x, y, Softmax::new(k))
            .normalized_weights(weights)
            .intercept(cfg.fit_intercept)
            .penalty(cfg.penalty)?
            .parallelism(cfg.settings.parallelism);
        let dim = (p + usize::from(cfg.fit_intercept)) * k;
        let unpenalized = cfg.penalty.is_none();
        let solver = match cfg.solver {
            // the identifiable problem has (p + 1)(K - 1) parameters: Newton while its Hessian
            // is small, L-BFGS (on the same identifiable problem) beyond
            LogisticSolver::Auto if unpenalized => {
                if dim / k * (k - 1) <= REFERENCE_NEWTON_MAX_DIM {
                    LogisticSolver::Newton
                } else {
                    LogisticSolver::Lbfgs
                }
            }
            s => s.resolve_for(dim, cfg.penalty, density),
        };
        solver.check_penalty(cfg.penalty)?;
        solver.check_memory(dim)?;
        let x0 = self.start(p, k)?;
        let settings = SolverSettings::resolve(&cfg.settings);
        let mut report =
            if unpenalized && matches!(solver, LogisticSolver::Newton | LogisticSolver::Lbfgs) {
                fit_reference_class(&mut obj, solver, &settings, &x0, p, k, cfg.fit_intercept)?
            } else {
                minimize(
                    &mut obj,
                    solver,
                    (cfg.penalty.l1, 0..p * k),
                    &settings,
                    &x0,
                    None,
                )?
            };
        center_flat_directions(&mut report.x, p, k, cfg.fit_intercept, unpenalized);
        if cfg.penalty.is_none() {
            let mut probs = vec![0.0; n * k];
            obj.linear_predictors(&report.x, &mut probs);
            softmax_rows(&mut probs, n, k);
            // log-odds of the true class: log p - log(1 - p), large when p -> 1
            let right: Vec<f64> = (0..n)
                .map(|i| {
                    let py = probs[y[i] as usize * n + i];
                    py.ln() - (1.0 - py).max(f64::MIN_POSITIVE).ln()
                })
                .collect();
            check_separation(&mut obj, &report.x, &right, report.converged())?;
        }
        let intercepts = if cfg.fit_intercept {
            report.x[p * k..].to_vec()
        } else {
            vec![0.0; k]
        };
        Ok(FittedMultinomial {
            coef: report.x[..p * k].to_vec(),
            intercepts,
            n_features: p,
            n_classes: k,
            strategy: Multiclass::Softmax,
            solver,
            objective: report.value,
            reports: vec![report],
            penalty: cfg.penalty,
            fit_intercept: cfg.fit_intercept,
        })
    }

    fn fit_one_vs_rest<D: Design>(
        &self,
        x: D,
        y: &[f64],
        k: usize,
        weights: Option<&[f64]>,
    ) -> Result<FittedMultinomial> {
        let p = x.ncols();
        let mut coef = vec![0.0; p * k];
        let mut intercepts = vec![0.0; k];
        let mut reports = Vec::with_capacity(k);
        let mut objective = 0.0;
        let mut solver = LogisticSolver::Auto;
        let mut binary_cfg = self.config.clone();
        binary_cfg.warm_start = None;
        for c in 0..k {
            let yc: Vec<f64> = y
                .iter()
                .map(|&v| f64::from(u8::from(v as usize == c)))
                .collect();
            let fit = binary_cfg.fit_checked(&x, &yc, weights)?;
            coef[c * p..(c + 1) * p].copy_from_slice(fit.coef());
            intercepts[c] = fit.intercept();
            objective += fit.objective();
            solver = fit.solver();
            reports.push(fit.report().clone());
        }
        Ok(FittedMultinomial {
            coef,
            intercepts,
            n_features: p,
            n_classes: k,
            strategy: Multiclass::OneVsRest,
            solver,
            objective,
            reports,
            penalty: self.config.penalty,
            fit_intercept: self.config.fit_intercept,
        })
    }

    fn start(&self, p: usize, k: usize) -> Result<Vec<f64>> {
        let fit_intercept = self.config.fit_intercept;
        let mut x0 = vec![0.0; (p + usize::from(fit_intercept)) * k];
        if let Some((coef, b)) = &self.warm_start {
            if coef.len() != p * k || b.len() != k {
                return Err(ModelError::LengthMismatch {
                    what_a: "features x classes",
                    len_a: p * k,
                    what_b: "warm-start coefficients",
                    len_b: coef.len(),
                });
            }
            first_non_finite("warm-start coefficients", coef)?;
            first_non_finite("warm-start intercepts", b)?;
            x0[..p * k].copy_from_slice(coef);
            if fit_intercept {
                x0[p * k..].copy_from_slice(b);
            }
        }
        Ok(x0)
    }
}

/// Unpenalized softmax fits with `auto` use Newton's method on the identifiable problem
/// while it has at most this many parameters (a Hessian of 2 MB), L-BFGS beyond.
const REFERENCE_NEWTON_MAX_DIM: usize = 500;

/// Minimizes the unpenalized softmax objective `obj` in the identifiable form with class 0
/// as the reference (`reference_class`), with Newton's method or L-BFGS, from the symmetric
/// starting point `x0`, and returns the report in the symmetric layout: parameters summing
/// to zero over the classes, and the value and gradient norm of the symmetric objective
/// there.
///
/// The gradient of the symmetric objective has, for every feature, entries summing to zero
/// over the classes, so its class-0 entries are minus the sum of the others: the reduced
/// problem is solved to `gradient_tol / (K - 1)` so that the symmetric gradient meets
/// `gradient_tol`.
fn fit_reference_class<D: Design>(
    obj: &mut LinearObjective<'_, D, Softmax>,
    solver: LogisticSolver,
    settings: &SolverSettings,
    x0: &[f64],
    p: usize,
    k: usize,
    intercept: bool,
) -> Result<Report> {
    let mut reduced_settings = *settings;
    let share = (k - 1) as f64;
    let stop = &mut reduced_settings.stopping;
    stop.gradient_tol = stop.gradient_tol.map(|t| t / share);
    let start = to_reference(x0, p, k, intercept);
    let mut wrapped = ReferenceClass::new(&mut *obj, p, k, intercept);
    let mut report = minimize_smooth(&mut wrapped, solver, &reduced_settings, &start, None)?;
    drop(wrapped);
    report.x = to_symmetric(&report.x, p, k, intercept);
    let mut g = vec![0.0; report.x.len()];
    report.value = obj.value_and_gradient(&report.x, &mut g);
    report.grad_norm = g.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    Ok(report)
}

/// Turns scores `n x k` (column-major) into class probabilities, row by row.
fn softmax_rows(z: &mut [f64], n: usize, k: usize) {
    let mut row = vec![0.0; k];
    for i in 0..n {
        for c in 0..k {
            row[c] = z[c * n + i];
        }
        softmax_in_place(&mut row);
        for c in 0..k {
            z[c * n + i] = row[c];
        }
    }
}

/// Moves the softmax parameters `theta` (`W` column-major `p x K`, then `K` intercepts) to
/// the representative with intercepts summing to 0 (and, without a penalty, coefficients
/// summing to 0 over the classes). The loss does not change when one constant is added to
/// every intercept, or one vector to every class's coefficients when nothing penalizes them,
/// and a Newton step on the singular Hessian can drift along those directions by rounding;
/// the centered parameters are the ones the data determine.
fn center_flat_directions(theta: &mut [f64], p: usize, k: usize, intercepts: bool, free_w: bool) {
    let kf = k as f64;
    if intercepts {
        let b = &mut theta[p * k..p * k + k];
        let mean = b.iter().sum::<f64>() / kf;
        b.iter_mut().for_each(|v| *v -= mean);
    }
    if free_w {
        for j in 0..p {
            let mean = (0..k).map(|c| theta[c * p + j]).sum::<f64>() / kf;
            (0..k).for_each(|c| theta[c * p + j] -= mean);
        }
    }
}

/// A fitted multiclass logistic regression.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FittedMultinomial {
    coef: Vec<f64>,
    intercepts: Vec<f64>,
    n_features: usize,
    n_classes: usize,
    strategy: Multiclass,
    solver: LogisticSolver,
    objective: f64,
    reports: Vec<Report>,
    #[serde(default)]
    penalty: Penalty,
    #[serde(default = "intercept_fitted")]
    fit_intercept: bool,
}

fn intercept_fitted() -> bool {
    true
}

impl FittedMultinomial {
    /// Checks a deserialized model: consistent lengths and finite values.
    pub(crate) fn validate(&self) -> Result<()> {
        if self.n_classes < 2 {
            return Err(ModelError::Persistence(format!(
                "corrupt model: n_classes = {} (at least 2)",
                self.n_classes
            )));
        }
        crate::labels::check_class_count(self.n_classes)
            .map_err(|e| ModelError::Persistence(format!("corrupt model: {e}")))?;
        // a file may claim any sizes: their product must not wrap around
        let Some(cells) = self.n_features.checked_mul(self.n_classes) else {
            return Err(ModelError::Persistence(format!(
                "corrupt model: n_features x n_classes = {} x {} overflows",
                self.n_features, self.n_classes
            )));
        };
        check_len("coef", self.coef.len(), cells, "n_features x n_classes")?;
        check_len(
            "intercepts",
            self.intercepts.len(),
            self.n_classes,
            "one per class",
        )?;
        check_finite_field("coef", &self.coef)?;
        check_finite_field("intercepts", &self.intercepts)
    }

    /// Coefficients, `p x K` column-major: class `k`'s are `coef()[k p .. (k+1) p]`.
    #[must_use]
    pub fn coef(&self) -> &[f64] {
        &self.coef
    }

    /// The coefficients of class `k`.
    ///
    /// # Panics
    /// If `k >= n_classes()`.
    #[must_use]
    pub fn class_coef(&self, k: usize) -> &[f64] {
        &self.coef[k * self.n_features..(k + 1) * self.n_features]
    }

    /// One intercept per class. Softmax intercepts sum to 0: the loss does not change when
    /// one constant is added to all of them, and the centered ones are reported.
    #[must_use]
    pub fn intercepts(&self) -> &[f64] {
        &self.intercepts
    }

    /// Number of features.
    #[must_use]
    pub fn n_features(&self) -> usize {
        self.n_features
    }

    /// Number of classes `K`.
    #[must_use]
    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    /// Softmax or one-vs-rest.
    #[must_use]
    pub fn strategy(&self) -> Multiclass {
        self.strategy
    }

    /// The solver that ran.
    #[must_use]
    pub fn solver(&self) -> LogisticSolver {
        self.solver
    }

    /// The penalty of the fit.
    #[must_use]
    pub fn penalty(&self) -> Penalty {
        self.penalty
    }

    /// Whether intercepts were fitted.
    #[must_use]
    pub fn fit_intercept(&self) -> bool {
        self.fit_intercept
    }

    /// The objective at the solution (one-vs-rest: the sum of the binary objectives).
    #[must_use]
    pub fn objective(&self) -> f64 {
        self.objective
    }

    /// The optimizer reports (one for softmax, `K` for one-vs-rest).
    #[must_use]
    pub fn reports(&self) -> &[Report] {
        &self.reports
    }

    /// True only when every fit converged.
    #[must_use]
    pub fn converged(&self) -> bool {
        self.reports.iter().all(Report::converged)
    }

    /// Total iterations over all fits.
    #[must_use]
    pub fn n_iter(&self) -> usize {
        self.reports.iter().map(|r| r.iterations).sum()
    }

    /// The scores `z_i = W^T x_i + b`, `n x K`.
    ///
    /// # Errors
    /// [`ModelError::FeatureMismatch`] or non-finite values in `x`; [`ModelError::NonFinite`]
    /// when a score overflows to NaN.
    pub fn decision_function<D: Design>(&self, x: D) -> Result<Mat<f64>> {
        check_prediction_input(&x, self.n_features)?;
        let (n, k) = (x.nrows(), self.n_classes);
        let mut z = vec![0.0; n * k];
        let w = MatRef::from_column_major_slice(&self.coef, self.n_features, k);
        mul_xw(x, w, &self.intercepts, &mut z, Parallelism::Rayon);
        check_outputs(&z, n, true)?;
        Ok(Mat::from_fn(n, k, |i, c| z[c * n + i]))
    }

    /// Class probabilities, `n x K`, rows summing to 1 (softmax, or normalized one-vs-rest
    /// sigmoids).
    ///
    /// # Errors
    /// As [`decision_function`](Self::decision_function).
    pub fn predict_proba<D: Design>(&self, x: D) -> Result<Mat<f64>> {
        let mut z = self.decision_function(x)?;
        let k = self.n_classes;
        let mut row = vec![0.0; k];
        for i in 0..z.nrows() {
            for c in 0..k {
                row[c] = z[(i, c)];
            }
            match self.strategy {
                Multiclass::Softmax => {
                    softmax_in_place(&mut row);
                }
                Multiclass::OneVsRest => {
                    // sigma(z_k) / sum_j sigma(z_j) = softmax(log sigma(z))_k, which stays
                    // exact when every sigma(z_j) underflows to 0 (z below about -745)
                    row.iter_mut().for_each(|v| *v = log_sigmoid(*v));
                    softmax_in_place(&mut row);
                }
            }
            for c in 0..k {
                z[(i, c)] = row[c];
            }
        }
        Ok(z)
    }

    /// The most probable class of each row (the first on ties).
    ///
    /// # Errors
    /// As [`decision_function`](Self::decision_function).
    pub fn predict<D: Design>(&self, x: D) -> Result<Vec<f64>> {
        let z = self.decision_function(x)?;
        Ok((0..z.nrows())
            .map(|i| {
                let mut best = 0;
                for c in 1..self.n_classes {
                    if z[(i, c)] > z[(i, best)] {
                        best = c;
                    }
                }
                best as f64
            })
            .collect())
    }

    /// Accuracy on `(x, y)`.
    ///
    /// # Errors
    /// As [`decision_function`](Self::decision_function), and length mismatches.
    pub fn score<D: Design>(&self, x: D, y: &[f64]) -> Result<f64> {
        crate::metrics::accuracy(y, &self.predict(x)?)
    }

    /// Mean log loss `1/n sum_i -log p_{i,y_i}` on `(x, y)` (softmax: `logsumexp(z_i) - z_{i,y_i}`
    /// from the scores, exact for any magnitude).
    ///
    /// # Errors
    /// As [`decision_function`](Self::decision_function), length mismatches, and labels
    /// outside `0..K`.
    pub fn log_loss<D: Design>(&self, x: D, y: &[f64]) -> Result<f64> {
        let z = self.decision_function(x)?;
        check_target(y, z.nrows())?;
        let k = self.n_classes;
        let mut total = 0.0;
        let mut row = vec![0.0; k];
        for (i, &label) in y.iter().enumerate() {
            if !(label >= 0.0 && label.fract() == 0.0 && (label as usize) < k) {
                return Err(ModelError::InvalidLabel {
                    row: i,
                    value: label,
                    expected: format!("whole numbers 0..{}", k - 1),
                });
            }
            for c in 0..k {
                row[c] = z[(i, c)];
            }
            if self.strategy == Multiclass::OneVsRest {
                // p_k = sigma(z_k) / sum_j sigma(z_j): the cross-entropy of log sigma(z)
                row.iter_mut().for_each(|v| *v = log_sigmoid(*v));
            }
            total += cross_entropy(&mut row, label as usize);
        }
        Ok(total / y.len() as f64)
    }
}

impl crate::estimator::Fitted for FittedMultinomial {
    fn n_features(&self) -> usize {
        self.n_features
    }

    /// Softmax fits report their run; one-vs-rest fits combine their `K` runs: converged when
    /// all converged, the largest optimality measure, all iterations, the summed time.
    fn fit_report(&self) -> crate::estimator::FitReport {
        use crate::estimator::FitReport;
        let measure = "gradient infinity norm";
        let mut reports = self.reports.iter();
        let Some(first) = reports.next() else {
            return FitReport {
                solver: self.solver.to_string(),
                converged: false,
                termination: "no run".into(),
                iterations: 0,
                objective: None,
                optimality: f64::INFINITY,
                measure,
                seconds: 0.0,
            };
        };
        let mut f = FitReport::from_run(self.solver, first, measure);
        for r in reports {
            let g = FitReport::from_run(self.solver, r, measure);
            if f.converged && !g.converged {
                f.termination = g.termination;
            }
            f.converged &= g.converged;
            f.iterations += g.iterations;
            f.optimality = f.optimality.max(g.optimality);
            f.seconds += g.seconds;
        }
        f.objective = Some(self.objective).filter(|v| v.is_finite());
        f
    }

    fn objective(&self) -> Option<f64> {
        Some(self.objective).filter(|v| v.is_finite())
    }

    fn converged(&self) -> bool {
        FittedMultinomial::converged(self)
    }
}

impl crate::estimator::LinearFit for FittedMultinomial {
    fn coefficients(&self) -> MatRef<'_, f64> {
        MatRef::from_column_major_slice(&self.coef, self.n_features, self.n_classes)
    }

    fn intercepts(&self) -> &[f64] {
        &self.intercepts
    }
}

impl crate::estimator::Classifier for FittedMultinomial {
    fn n_classes(&self) -> usize {
        self.n_classes
    }

    fn decision_function(&self, x: MatRef<'_, f64>) -> Result<Mat<f64>> {
        FittedMultinomial::decision_function(self, x)
    }

    fn predict_proba(&self, x: MatRef<'_, f64>) -> Result<Mat<f64>> {
        FittedMultinomial::predict_proba(self, x)
    }

    fn predict(&self, x: MatRef<'_, f64>) -> Result<Vec<f64>> {
        FittedMultinomial::predict(self, x)
    }

    fn log_loss(&self, x: MatRef<'_, f64>, y: &[f64]) -> Result<f64> {
        FittedMultinomial::log_loss(self, x, y)
    }

    fn score(&self, x: MatRef<'_, f64>, y: &[f64]) -> Result<f64> {
        FittedMultinomial::score(self, x, y)
    }
}
