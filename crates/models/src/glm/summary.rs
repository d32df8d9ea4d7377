//! Inference for unpenalized GLM fits: standard errors from the expected information scaled
//! by the dispersion, z or t statistics, intervals, in a statsmodels-style table.

use linalg_core::{Mat, MatRef};

use super::data::GlmData;
use super::regression::FittedGlm;
use super::statistics::statistics;
use super::with_family;
use crate::data::check_design;
use crate::error::{ModelError, Result};
use crate::inference::{
    self, Columns, CovarianceType, FitForInference, GlmFit, InferenceOptions, StatisticKind,
    Summary,
};
use crate::loss::Family;

/// Largest relative score `|sum_i w_i l'(z_i) x_ij| / sum_i w_i |l'(z_i) x_ij|` accepted as a
/// solution of the likelihood equations.
const SCORE_TOL: f64 = 1e-6;

impl FittedGlm {
    /// Standard errors, test statistics, p-values, intervals and goodness of fit on the
    /// training data, as R's `summary(glm(...))` and statsmodels' `GLM(...).fit().summary()`
    /// compute them.
    ///
    /// `Cov = phi (X~^T W X~)^{-1}` with `W_i = w_i (dmu/dz)^2 / V(mu_i)` (the expected
    /// information, R's choice; for the Gamma log link the observed information would give
    /// other numbers) and `phi` the [`scale`](super::GlmStatistics::scale). Statistics are
    /// `t` with `n - k` degrees of freedom where the scale is estimated (Gamma, Tweedie; R's
    /// convention, statsmodels uses `z` unless `use_t`), `z` otherwise.
    ///
    /// # Errors
    /// [`ModelError::InferenceUnavailable`] for penalized or unconverged fits, coefficients
    /// that do not solve the likelihood equations of `(x, data)` (other data), a singular
    /// information matrix, or the robust covariance (not available for GLMs); data errors as
    /// for fitting.
    ///
    /// # Examples
    /// ```
    /// use linmod_models::mat;
    /// use linmod_models::glm::{Glm, GlmData, GlmFamily};
    /// use linmod_models::inference::InferenceOptions;
    /// let x = mat![[0.0], [1.0], [2.0], [3.0], [4.0], [5.0]];
    /// let y = [1.0, 1.0, 3.0, 2.0, 6.0, 9.0];
    /// let data = GlmData::new(&y);
    /// let fit = Glm::new(GlmFamily::Poisson).fit(x.as_ref(), &data).unwrap();
    /// let s = fit.summary(x.as_ref(), &data, &InferenceOptions::default()).unwrap();
    /// assert!(s.std_err[1] > 0.0 && s.p_value[1] < 0.05);
    /// println!("{s}");
    /// ```
    pub fn summary(
        &self,
        x: MatRef<'_, f64>,
        data: &GlmData<'_>,
        opts: &InferenceOptions,
    ) -> Result<Summary> {
        inference::check_valid_fit(self.penalty(), self.converged(), &self.report().termination)?;
        check_design(x)?;
        if x.ncols() != self.n_features() {
            return Err(ModelError::FeatureMismatch {
                expected: self.n_features(),
                found: x.ncols(),
            });
        }
        opts.check(self.n_features())?;
        if opts.covariance != CovarianceType::Nonrobust {
            return Err(ModelError::InferenceUnavailable(
                "robust (HC1) standard errors are not available for GLMs".into(),
            ));
        }
        with_family!(self.family(), f => self.summary_of(x, data, opts, &f))
    }

    fn summary_of<F: Family>(
        &self,
        x: MatRef<'_, f64>,
        data: &GlmData<'_>,
        opts: &InferenceOptions,
        family: &F,
    ) -> Result<Summary> {
        let n = x.nrows();
        let prepared = data.prepare(n, family)?;
        let p = self.n_features();
        let intercept = self.fits_intercept();
        let mut z = self.linear_predictor(x, None, None)?;
        if let Some(o) = &prepared.offset {
            z.iter_mut().zip(o).for_each(|(zi, oi)| *zi += oi);
        }
        let fit = FitForInference {
            x,
            y: &prepared.y,
            coef: self.coef(),
            intercept: intercept.then_some(self.intercept()),
        };
        // the likelihood equations must hold for these data
        let off = usize::from(intercept);
        let k = p + off;
        let mut score = vec![0.0; k];
        let mut size = vec![0.0; k];
        for (i, (&zi, &yi)) in z.iter().zip(prepared.y.iter()).enumerate() {
            let r = prepared.weight(i) * family.loss_and_derivative(zi, yi).1;
            if intercept {
                score[0] += r;
                size[0] += r.abs();
            }
            for j in 0..p {
                score[j + off] += r * x[(i, j)];
                size[j + off] += (r * x[(i, j)]).abs();
            }
        }
        let worst = score
            .iter()
            .zip(&size)
            .map(|(s, a)| if *a > 0.0 { s.abs() / a } else { 0.0 })
            .fold(0.0f64, f64::max);
        if worst > SCORE_TOL {
            return Err(ModelError::InferenceUnavailable(format!(
                "the coefficients are not the maximum-likelihood estimate for these data \
                 (relative score {worst:.2e}); summarize the fit on its own training data"
            )));
        }
        let stats = statistics(family, &prepared, &z, k, intercept);
        let w: Vec<f64> = z
            .iter()
            .enumerate()
            .map(|(i, &zi)| prepared.weight(i) * family.fisher_weight(zi))
            .collect();
        let info_inv = inference::inverse(&fit.gram(&w))?;
        let cov = Mat::from_fn(k, k, |a, b| stats.scale * info_inv[(a, b)]);
        let kind = if family.estimates_scale() {
            StatisticKind::T
        } else {
            StatisticKind::Z
        };
        let estimate = fit.estimates();
        let Columns {
            std_err,
            statistic,
            p_value,
            conf_low,
            conf_high,
        } = inference::table(&estimate, &cov, kind, stats.df_resid, opts)?;
        let params = (k + usize::from(family.estimates_scale())) as f64;
        let ll = stats.log_likelihood.unwrap_or(f64::NAN);
        inference::finite_summary(Summary {
            model: "GLM".into(),
            dependent: opts.dependent.clone(),
            names: opts.row_names(p, intercept),
            estimate,
            std_err,
            statistic,
            p_value,
            conf_low,
            conf_high,
            covariance_matrix: inference::row_major(&cov),
            statistic_kind: kind,
            level: opts.level,
            covariance: opts.covariance,
            n_obs: stats.n_obs,
            df_model: (k - off) as f64,
            df_resid: stats.df_resid,
            log_likelihood: ll,
            aic: stats.aic.unwrap_or(f64::NAN),
            bic: -2.0 * ll + params * stats.n_obs.ln(),
            logit: None,
            ols: None,
            glm: Some(GlmFit {
                family: match self.family() {
                    super::GlmFamily::Tweedie { power } => format!("Tweedie(p={power})"),
                    other => other
                        .to_string()
                        .split(' ')
                        .next()
                        .unwrap_or("")
                        .to_string(),
                },
                link: family.link_name().into(),
                statistics: stats,
            }),
        })
    }
}
