//! The contract every fitted model keeps: how the fit went ([`Fitted`], [`FitReport`]), the
//! coefficients of a linear model ([`LinearFit`]), and prediction ([`Classifier`],
//! [`Regressor`]).
//!
//! Each fitted type also has inherent methods of the same names (`fit.predict(x)`); the
//! traits let code (the command line, cross-validation, a user's pipeline) handle any model
//! the same way. Where a type's inherent method answers in a shape of its own (the binary
//! model's `predict_proba` returns `P(y = 1)` per row), the trait method answers in the
//! common shape (an `n x K` matrix), as its documentation says.

use linalg_core::{Mat, MatRef};
use optim::{Report, Termination};
use serde::Serialize;

use crate::error::{ModelError, Result};

/// How a fit went, in the same shape for every model and solver: what ran, whether a
/// convergence test held (and which, with the quantity it measured), how far it went, and the
/// objective it reached.
///
/// # Examples
/// ```
/// use linmod_models::estimator::Fitted;
/// use linmod_models::logistic::LogisticRegression;
/// let chd = datasets::chd_age();
/// let fit = LogisticRegression::new().fit(chd.x.as_ref(), &chd.y).unwrap();
/// let r = fit.fit_report();
/// assert!(r.converged && r.iterations > 0);
/// assert_eq!(r.measure, "gradient infinity norm");
/// assert!(r.optimality <= 1e-8);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FitReport {
    /// The solver that ran (`newton`, `qr`, `cd`, ...).
    pub solver: String,
    /// True only when a convergence test held (for closed-form solves: when the certificate
    /// is at rounding level).
    pub converged: bool,
    /// Why the run stopped, in words.
    pub termination: String,
    /// Iterations (sweeps for coordinate descent, epochs for SGD, 0 for closed forms).
    pub iterations: usize,
    /// The objective reached (mean loss plus penalty); `None` when it is beyond the range of
    /// f64 (least squares on targets above about `1e154`, whose coefficients are still exact).
    pub objective: Option<f64>,
    /// The quantity the convergence test measures, at the end.
    pub optimality: f64,
    /// What [`optimality`](Self::optimality) is: "gradient infinity norm", "duality gap",
    /// "normal-equations residual", ...
    pub measure: &'static str,
    /// Wall time of the fit in seconds (0 when it was not timed).
    pub seconds: f64,
}

impl FitReport {
    /// The report of an `optim` run by `solver`, whose optimality measure is `measure`.
    #[must_use]
    pub fn from_run(solver: impl ToString, report: &Report, measure: &'static str) -> Self {
        Self {
            solver: solver.to_string(),
            converged: report.converged(),
            termination: report.termination.to_string(),
            iterations: report.iterations,
            objective: Some(report.value).filter(|v| v.is_finite()),
            optimality: report.grad_norm,
            measure: match report.termination {
                Termination::Converged { criterion } => criterion_measure(criterion, measure),
                _ => measure,
            },
            seconds: report.elapsed.as_secs_f64(),
        }
    }

    /// One line: solver, how it stopped, iterations, objective and optimality.
    #[must_use]
    pub fn summary(&self) -> String {
        let objective = self.objective.map_or_else(
            || "an objective beyond the range of f64".to_string(),
            |v| format!("objective {v:.10e}"),
        );
        format!(
            "{}: {} after {} iterations, {objective}, {} {:.2e}",
            self.solver, self.termination, self.iterations, self.measure, self.optimality
        )
    }
}

/// The quantity a convergence criterion measured.
fn criterion_measure(criterion: optim::Criterion, default: &'static str) -> &'static str {
    use optim::Criterion;
    match criterion {
        Criterion::DualityGap => "duality gap",
        Criterion::ValueChange => "relative objective change",
        Criterion::ParameterChange => "largest parameter change",
        Criterion::CoordinateChange => "largest coordinate step",
        _ => default,
    }
}

/// A fitted model: how its fit went.
pub trait Fitted {
    /// Number of features the model was fitted on.
    fn n_features(&self) -> usize;

    /// How the fit went ([`FitReport`]).
    fn fit_report(&self) -> FitReport;

    /// The objective reached (mean loss plus penalty), `None` beyond the range of f64.
    fn objective(&self) -> Option<f64> {
        self.fit_report().objective
    }

    /// True only when a convergence test held.
    fn converged(&self) -> bool {
        self.fit_report().converged
    }
}

/// A fitted linear model: `k` linear predictors `z = x.W + b` (`k = 1` for binary logistic
/// and linear regression, the number of classes for softmax).
pub trait LinearFit: Fitted {
    /// The coefficients `W`, `p x k` (column `c` for linear predictor `c`).
    fn coefficients(&self) -> MatRef<'_, f64>;

    /// The intercepts `b` (`k` of them; zeros when none was fitted).
    fn intercepts(&self) -> &[f64];

    /// The linear predictors `X W + b` (`n x k`).
    ///
    /// # Errors
    /// A feature count other than [`n_features`](Fitted::n_features), non-finite features,
    /// or predictions that overflow.
    fn linear_predictors(&self, x: MatRef<'_, f64>) -> Result<Mat<f64>> {
        crate::data::check_prediction_input(x, self.n_features())?;
        let w = self.coefficients();
        let b = self.intercepts();
        let z = Mat::from_fn(x.nrows(), w.ncols(), |i, c| {
            b[c] + (0..w.nrows()).map(|j| x[(i, j)] * w[(j, c)]).sum::<f64>()
        });
        Ok(z)
    }
}

/// A fitted classifier with classes `0..K`.
pub trait Classifier: Fitted {
    /// Number of classes `K`.
    fn n_classes(&self) -> usize;

    /// The scores of each row (`n x k`: the log odds for a binary model, one score per
    /// class otherwise).
    ///
    /// # Errors
    /// A feature count other than the model's, non-finite features, scores that are NaN.
    fn decision_function(&self, x: MatRef<'_, f64>) -> Result<Mat<f64>>;

    /// The probability of each class for each row (`n x K`, rows summing to 1; for a binary
    /// model the columns are `P(y = 0)` and `P(y = 1)`).
    ///
    /// # Errors
    /// As [`decision_function`](Self::decision_function).
    fn predict_proba(&self, x: MatRef<'_, f64>) -> Result<Mat<f64>>;

    /// The predicted class of each row.
    ///
    /// # Errors
    /// As [`decision_function`](Self::decision_function).
    fn predict(&self, x: MatRef<'_, f64>) -> Result<Vec<f64>>;

    /// Class 1 where `P(y = 1) >= threshold`, else 0 (binary models; others refuse).
    ///
    /// # Errors
    /// As [`decision_function`](Self::decision_function), a threshold outside `[0, 1]`, and
    /// [`ModelError::Unsupported`] for more than two classes.
    fn predict_with_threshold(&self, x: MatRef<'_, f64>, threshold: f64) -> Result<Vec<f64>> {
        let _ = (x, threshold);
        Err(ModelError::Unsupported(format!(
            "a decision threshold applies to two classes; this model has {}",
            self.n_classes()
        )))
    }

    /// The mean log loss (cross-entropy) on labels `y`.
    ///
    /// # Errors
    /// As [`decision_function`](Self::decision_function), and labels that are not classes.
    fn log_loss(&self, x: MatRef<'_, f64>, y: &[f64]) -> Result<f64>;

    /// The accuracy on labels `y`.
    ///
    /// # Errors
    /// As [`log_loss`](Self::log_loss).
    fn score(&self, x: MatRef<'_, f64>, y: &[f64]) -> Result<f64>;
}

/// A fitted regression model.
pub trait Regressor: Fitted {
    /// The predictions for the rows of `x`.
    ///
    /// # Errors
    /// A feature count other than the model's, non-finite features, predictions that
    /// overflow.
    fn predict(&self, x: MatRef<'_, f64>) -> Result<Vec<f64>>;

    /// The coefficient of determination `R^2` on targets `y`.
    ///
    /// # Errors
    /// As [`predict`](Self::predict), and targets of the wrong length or not finite.
    fn score(&self, x: MatRef<'_, f64>, y: &[f64]) -> Result<f64>;
}
