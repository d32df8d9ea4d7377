//! Inference for the unpenalized softmax model in the base-outcome parametrization
//! (statsmodels' `MNLogit`): the log-odds of every class against class 0, with standard
//! errors from the inverse Fisher information of that identifiable parametrization.

use linalg_core::{Cholesky, Mat, MatRef};
use optim::{Objective, SecondOrder};

use crate::data::{check_design, check_target};
use crate::error::{ModelError, Result};
use crate::inference::{
    InferenceOptions, MaximumLikelihood, Summary, check_valid_fit, likelihood_summary, xlogy,
};
use crate::labels::class_indices;
use crate::logistic::multinomial::{FittedMultinomial, Multiclass};
use crate::logistic::reference_class::{ReferenceClass, to_reference};
use crate::loss::Softmax;
use crate::objective::MultinomialObjective;

impl FittedMultinomial {
    /// Standard errors, z statistics, p-values and confidence intervals of the log-odds of
    /// every class against class 0, with the likelihood-ratio test, on the training data
    /// `(x, y)`: statsmodels' `MNLogit(y, X).fit().summary()`.
    ///
    /// The softmax coefficients sum to zero over the classes; class `c`'s row of the table is
    /// `W_c - W_0` (and `b_c - b_0`), and the covariance is the inverse of the Fisher
    /// information `n H` of that identifiable parametrization (`H` the Hessian of the mean
    /// loss). Rows are named `y=c:const`, `y=c:<feature>`; the text form prints one block per
    /// class, as statsmodels does.
    ///
    /// Valid for unpenalized softmax fits that converged, without sample weights: checks that
    /// the score vanishes (infinity norm below `1e-5`).
    ///
    /// # Errors
    /// [`ModelError::InferenceUnavailable`] for one-vs-rest, penalized or unconverged fits,
    /// a score that does not vanish, or a singular information matrix; data errors.
    ///
    /// # Examples
    /// ```
    /// use linalg_core::Mat;
    /// use linmod_models::inference::InferenceOptions;
    /// use linmod_models::logistic::LogisticRegression;
    /// // three overlapping classes: the labels do not follow the features exactly
    /// let x = Mat::from_fn(90, 2, |i, j| ((i * (7 + 4 * j)) % 13) as f64);
    /// let y: Vec<f64> = (0..90).map(|i| ((i * 7 + i / 5) % 3) as f64).collect();
    /// let fit = LogisticRegression::new().multinomial().fit(x.as_ref(), &y).unwrap();
    /// let s = fit.summary(x.as_ref(), &y, &InferenceOptions::default()).unwrap();
    /// assert_eq!(s.model, "MNLogit");
    /// assert_eq!(s.names[..4], ["y=1:const", "y=1:x1", "y=1:x2", "y=2:const"]);
    /// assert_eq!(s.estimate.len(), 2 * 3);
    /// assert!(s.std_err.iter().all(|v| v.is_finite() && *v > 0.0));
    /// ```
    pub fn summary(
        &self,
        x: MatRef<'_, f64>,
        y: &[f64],
        opts: &InferenceOptions,
    ) -> Result<Summary> {
        if self.strategy() != Multiclass::Softmax {
            return Err(ModelError::InferenceUnavailable(
                "a one-vs-rest model is not one likelihood: fit the softmax model for a summary"
                    .into(),
            ));
        }
        let termination = self
            .reports()
            .first()
            .map_or_else(String::new, |r| r.termination.to_string());
        check_valid_fit(self.penalty(), self.converged(), &termination)?;
        check_design(x)?;
        check_target(y, x.nrows())?;
        let (p, k) = (self.n_features(), self.n_classes());
        if x.ncols() != p {
            return Err(ModelError::FeatureMismatch {
                expected: p,
                found: x.ncols(),
            });
        }
        opts.check(p)?;
        let labels = class_indices(y, k)?;
        let intercept = self.fit_intercept();
        let n = x.nrows();
        let nf = n as f64;
        let mut theta = self.coef().to_vec();
        if intercept {
            theta.extend_from_slice(self.intercepts());
        }
        let reduced = to_reference(&theta, p, k, intercept);
        let full = MultinomialObjective::new(x, y, Softmax::new(k))?.intercept(intercept);
        let mut obj = ReferenceClass::new(full, p, k, intercept);
        let m = obj.dim();
        let mut g = vec![0.0; m];
        let mean_loss = obj.value_and_gradient(&reduced, &mut g);
        let score = g.iter().fold(0.0f64, |a, v| a.max(v.abs()));
        if score > 1e-5 {
            return Err(ModelError::InferenceUnavailable(format!(
                "the coefficients are not the maximum-likelihood estimate for these data (largest \
                 mean score {score:.2e}); fit without weights and penalty, to convergence, on the \
                 same data"
            )));
        }
        let mut h = Mat::<f64>::zeros(m, m);
        obj.hessian(&reduced, h.as_mut());
        // the Fisher information of the log-likelihood is n times the mean loss's Hessian
        let h_inv = equilibrated_inverse(&h).ok_or_else(|| {
            ModelError::InferenceUnavailable(
                "the information matrix is singular to working precision (rank-deficient \
                 design or separated classes)"
                    .into(),
            )
        })?;
        // blocks per class c = 1..K: [b_c, w_c] (statsmodels' order), from the reduced layout
        // [w_1, ..., w_{K-1}, b_1, ..., b_{K-1}]
        let order: Vec<usize> = (1..k)
            .flat_map(|c| {
                let b = intercept.then_some(p * (k - 1) + c - 1);
                b.into_iter().chain((0..p).map(move |j| (c - 1) * p + j))
            })
            .collect();
        let estimate: Vec<f64> = order.iter().map(|&i| reduced[i]).collect();
        let cov = Mat::from_fn(m, m, |a, b| {
            let (i, j) = (order[a], order[b]);
            h_inv[(i, j)] / nf
        });
        let features = opts.row_names(p, intercept);
        let names = (1..k)
            .flat_map(|c| features.iter().map(move |f| format!("y={c}:{f}")))
            .collect();
        let mut counts = vec![0.0; k];
        labels.iter().for_each(|&c| counts[c] += 1.0);
        likelihood_summary(
            MaximumLikelihood {
                model: "MNLogit",
                names,
                estimate,
                cov,
                n_obs: nf,
                df_model: ((k - 1) * p) as f64,
                log_likelihood: -nf * mean_loss,
                ll_null: counts.iter().map(|&c| xlogy(c, c / nf)).sum(),
            },
            opts,
        )
    }
}

/// The inverse of the symmetric positive-definite matrix whose lower triangle is `h`,
/// factored after scaling to unit diagonal (so that features of large magnitude, such as
/// ages, do not decide what counts as singular); `None` when it is not positive definite.
fn equilibrated_inverse(h: &Mat<f64>) -> Option<Mat<f64>> {
    let m = h.nrows();
    let d: Vec<f64> = (0..m)
        .map(|i| {
            let v = h[(i, i)];
            if v > 0.0 { 1.0 / v.sqrt() } else { 1.0 }
        })
        .collect();
    let scaled = Mat::from_fn(
        m,
        m,
        |i, j| if i >= j { h[(i, j)] * d[i] * d[j] } else { 0.0 },
    );
    let inv = Cholesky::new(scaled.as_ref()).ok()?.inverse();
    Some(Mat::from_fn(m, m, |i, j| inv[(i, j)] * d[i] * d[j]))
}
