//! Statistical inference for unpenalized fits: standard errors, test statistics, p-values,
//! confidence intervals and goodness of fit, in a summary table like statsmodels'.

use std::fmt::{self, Write as _};

use linalg_core::{
    Cholesky, GramScratch, Mat, MatRef, Parallelism, mul_xw, sigmoid, weighted_gram,
};
use serde::{Deserialize, Serialize};
use statrs::distribution::{ChiSquared, ContinuousCDF, FisherSnedecor, Normal, StudentsT};

use crate::data::{check_design, check_target, first_non_finite};
use crate::error::{ModelError, Result};
use crate::labels::is_binary_label;
use crate::loss::{Logistic, Loss};

/// How the covariance of the estimates is computed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CovarianceType {
    /// The model-based covariance: inverse Fisher information (logistic) or
    /// `sigma^2 (X^T X)^{-1}` (OLS).
    #[default]
    Nonrobust,
    /// Heteroskedasticity-robust sandwich `A^{-1} B A^{-1} n/(n - k)` (White's estimator with
    /// the HC1 small-sample factor). For OLS this is statsmodels' `cov_type="HC1"`; for logistic
    /// regression statsmodels' `Logit(...).fit(cov_type="HC1")` leaves the factor out, so its
    /// standard errors are these times `sqrt((n - k) / n)`.
    Hc1,
}

/// Options of a summary.
///
/// # Examples
/// ```
/// use linmod_models::inference::{CovarianceType, InferenceOptions};
/// let opts = InferenceOptions::default().level(0.9).covariance(CovarianceType::Hc1);
/// assert_eq!(opts.level, 0.9);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InferenceOptions {
    /// Confidence level of the intervals (default 0.95).
    pub level: f64,
    /// Covariance estimator (default nonrobust).
    pub covariance: CovarianceType,
    /// Feature names (default `x1, x2, ...`).
    pub names: Option<Vec<String>>,
    /// Name of the dependent variable (default `y`).
    pub dependent: String,
    /// Name of the intercept (default `const`, as statsmodels' arrays API; its formula API
    /// says `Intercept`).
    #[serde(default = "default_intercept_name")]
    pub intercept_name: String,
}

fn default_intercept_name() -> String {
    "const".into()
}

impl Default for InferenceOptions {
    fn default() -> Self {
        Self {
            level: 0.95,
            covariance: CovarianceType::Nonrobust,
            names: None,
            dependent: "y".into(),
            intercept_name: default_intercept_name(),
        }
    }
}

impl InferenceOptions {
    /// Sets the confidence level.
    #[must_use]
    pub fn level(mut self, level: f64) -> Self {
        self.level = level;
        self
    }

    /// Sets the covariance estimator.
    #[must_use]
    pub fn covariance(mut self, covariance: CovarianceType) -> Self {
        self.covariance = covariance;
        self
    }

    /// Sets the feature names.
    #[must_use]
    pub fn names(mut self, names: Vec<String>) -> Self {
        self.names = Some(names);
        self
    }

    /// Sets the name of the dependent variable.
    #[must_use]
    pub fn dependent(mut self, name: impl Into<String>) -> Self {
        self.dependent = name.into();
        self
    }

    /// Sets the name of the intercept.
    #[must_use]
    pub fn intercept_name(mut self, name: impl Into<String>) -> Self {
        self.intercept_name = name.into();
        self
    }

    pub(crate) fn check(&self, p: usize) -> Result<()> {
        if !(self.level > 0.0 && self.level < 1.0) {
            return Err(ModelError::InvalidParameter {
                name: "level",
                value: self.level,
                requirement: "in (0, 1)",
            });
        }
        if let Some(names) = &self.names
            && names.len() != p
        {
            return Err(ModelError::LengthMismatch {
                what_a: "features",
                len_a: p,
                what_b: "feature names",
                len_b: names.len(),
            });
        }
        Ok(())
    }

    pub(crate) fn row_names(&self, p: usize, intercept: bool) -> Vec<String> {
        let mut out = Vec::with_capacity(p + 1);
        if intercept {
            out.push(self.intercept_name.clone());
        }
        match &self.names {
            Some(n) => out.extend(n.iter().cloned()),
            None => out.extend((1..=p).map(|j| format!("x{j}"))),
        }
        out
    }
}

/// The distribution of the test statistics.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StatisticKind {
    /// Standard normal `z` (logistic regression).
    Z,
    /// Student's `t` with the residual degrees of freedom (OLS).
    T,
}

/// Goodness-of-fit statistics of a logistic regression.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogitFit {
    /// Log-likelihood of the constant-only model.
    pub ll_null: f64,
    /// Deviance `-2 log L`.
    pub deviance: f64,
    /// McFadden's pseudo R-squared `1 - log L / log L_null`.
    pub pseudo_r2: f64,
    /// Likelihood-ratio statistic `2 (log L - log L_null)`.
    pub llr: f64,
    /// Its p-value (chi-squared with `df_model` degrees of freedom).
    pub llr_p_value: f64,
}

/// Goodness-of-fit statistics of an ordinary least-squares regression.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OlsFit {
    /// R-squared (centered when the model has an intercept, uncentered otherwise).
    pub r2: f64,
    /// Adjusted R-squared.
    pub adj_r2: f64,
    /// F statistic of the hypothesis that every slope is 0 (a Wald test with the chosen
    /// covariance; the classical F for the nonrobust one).
    pub f_statistic: f64,
    /// Its p-value.
    pub f_p_value: f64,
    /// Residual variance estimate `SSR / df_resid`.
    pub sigma2: f64,
}

/// A coefficient table with the model's goodness of fit: what statsmodels' `summary()` shows,
/// as data. The intercept, when fitted, comes first (named `const`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// "Logit" or "OLS".
    pub model: String,
    /// Name of the dependent variable.
    pub dependent: String,
    /// Row names.
    pub names: Vec<String>,
    /// Estimates.
    pub estimate: Vec<f64>,
    /// Standard errors.
    pub std_err: Vec<f64>,
    /// `estimate / std_err`.
    pub statistic: Vec<f64>,
    /// Two-sided p-values.
    pub p_value: Vec<f64>,
    /// Lower confidence limits.
    pub conf_low: Vec<f64>,
    /// Upper confidence limits.
    pub conf_high: Vec<f64>,
    /// Covariance of the estimates, row-major, in the order of `names`.
    pub covariance_matrix: Vec<f64>,
    /// z or t.
    pub statistic_kind: StatisticKind,
    /// Confidence level.
    pub level: f64,
    /// Covariance estimator.
    pub covariance: CovarianceType,
    /// Number of observations.
    pub n_obs: f64,
    /// Model degrees of freedom (parameters excluding the intercept).
    pub df_model: f64,
    /// Residual degrees of freedom `n - k`.
    pub df_resid: f64,
    /// Log-likelihood at the estimates.
    pub log_likelihood: f64,
    /// Akaike's information criterion `-2 log L + 2 k`.
    pub aic: f64,
    /// Bayesian information criterion `-2 log L + k log n`.
    pub bic: f64,
    /// Logistic goodness of fit.
    pub logit: Option<LogitFit>,
    /// OLS goodness of fit.
    pub ols: Option<OlsFit>,
    /// GLM goodness of fit.
    pub glm: Option<GlmFit>,
}

/// The family and goodness of fit of a generalized linear model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GlmFit {
    /// The family ("Poisson", "Gamma", "Tweedie (power 1.5)", "Binomial").
    pub family: String,
    /// The link ("log", "inverse", "logit").
    pub link: String,
    /// Deviance, null deviance, Pearson chi-squared, scale, log-likelihood, AIC.
    pub statistics: crate::glm::GlmStatistics,
}

/// Refuses inference for penalized fits and fits that did not converge.
pub(crate) fn check_valid_fit(
    penalty: crate::penalty::Penalty,
    converged: bool,
    termination: &dyn fmt::Display,
) -> Result<()> {
    if !penalty.is_none() {
        return Err(ModelError::InferenceUnavailable(format!(
            "the fit is penalized (l1 = {}, l2 = {}): penalized estimates are biased and their \
             sampling distribution is not the one these standard errors describe; refit \
             without penalty",
            penalty.l1, penalty.l2
        )));
    }
    if !converged {
        return Err(ModelError::InferenceUnavailable(format!(
            "the fit did not converge ({termination})"
        )));
    }
    Ok(())
}

/// Everything a summary needs about a fit.
pub(crate) struct FitForInference<'a> {
    pub(crate) x: MatRef<'a, f64>,
    pub(crate) y: &'a [f64],
    pub(crate) coef: &'a [f64],
    pub(crate) intercept: Option<f64>,
}

impl FitForInference<'_> {
    fn check(&self) -> Result<()> {
        check_design(self.x)?;
        check_target(self.y, self.x.nrows())?;
        if self.x.ncols() != self.coef.len() {
            return Err(ModelError::FeatureMismatch {
                expected: self.coef.len(),
                found: self.x.ncols(),
            });
        }
        first_non_finite("coefficients", self.coef)
    }

    fn k(&self) -> usize {
        self.coef.len() + usize::from(self.intercept.is_some())
    }

    fn linear_predictor(&self) -> Vec<f64> {
        let p = self.coef.len();
        let mut z = vec![0.0; self.x.nrows()];
        let w = MatRef::from_column_major_slice(self.coef, p, 1);
        mul_xw(
            self.x,
            w,
            &[self.intercept.unwrap_or(0.0)],
            &mut z,
            Parallelism::Rayon,
        );
        z
    }

    /// `X~^T diag(d) X~` for `X~ = [1, X]` (intercept first when fitted), full symmetric.
    pub(crate) fn gram(&self, d: &[f64]) -> Mat<f64> {
        let p = self.coef.len();
        let off = usize::from(self.intercept.is_some());
        let mut g = Mat::<f64>::zeros(p, p);
        let mut xtd = vec![0.0; p];
        let mut scratch = GramScratch::for_matrix(self.x);
        let dsum = weighted_gram(
            self.x,
            d,
            &mut scratch,
            Parallelism::Rayon,
            g.as_mut(),
            Some(&mut xtd),
        );
        let k = p + off;
        Mat::from_fn(k, k, |a, b| {
            let (a, b) = if a >= b { (a, b) } else { (b, a) };
            match (a < off, b < off) {
                (true, true) => dsum,
                (false, true) => xtd[a - off],
                _ => g[(a - off, b - off)],
            }
        })
    }

    pub(crate) fn estimates(&self) -> Vec<f64> {
        self.intercept
            .iter()
            .copied()
            .chain(self.coef.iter().copied())
            .collect()
    }
}

/// Inverts a symmetric positive-definite matrix, or explains why inference is not possible.
pub(crate) fn inverse(a: &Mat<f64>) -> Result<Mat<f64>> {
    Cholesky::new(a.as_ref()).map(|c| c.inverse()).map_err(|_| {
        ModelError::InferenceUnavailable(
            "the information matrix is singular (rank-deficient design)".into(),
        )
    })
}

/// `A^{-1} B A^{-1} * factor`.
fn sandwich(a_inv: &Mat<f64>, b: &Mat<f64>, factor: f64) -> Mat<f64> {
    let k = a_inv.nrows();
    let t = a_inv * b;
    let s = &t * a_inv;
    Mat::from_fn(k, k, |i, j| s[(i, j)] * factor)
}

/// The columns of a coefficient table after the estimates.
pub(crate) struct Columns {
    pub(crate) std_err: Vec<f64>,
    pub(crate) statistic: Vec<f64>,
    pub(crate) p_value: Vec<f64>,
    pub(crate) conf_low: Vec<f64>,
    pub(crate) conf_high: Vec<f64>,
}

/// The table part of a summary from estimates and their covariance.
pub(crate) fn table(
    beta: &[f64],
    cov: &Mat<f64>,
    kind: StatisticKind,
    df_resid: f64,
    opts: &InferenceOptions,
) -> Result<Columns> {
    let k = beta.len();
    let std_err: Vec<f64> = (0..k).map(|j| cov[(j, j)].max(0.0).sqrt()).collect();
    let stat: Vec<f64> = beta.iter().zip(&std_err).map(|(b, s)| b / s).collect();
    let alpha = 1.0 - opts.level;
    let (p_value, q): (Vec<f64>, f64) = match kind {
        StatisticKind::Z => {
            let dist = Normal::new(0.0, 1.0)
                .map_err(|e| ModelError::InferenceUnavailable(e.to_string()))?;
            (
                stat.iter().map(|t| 2.0 * dist.sf(t.abs())).collect(),
                dist.inverse_cdf(1.0 - alpha / 2.0),
            )
        }
        StatisticKind::T => {
            let dist = StudentsT::new(0.0, 1.0, df_resid).map_err(|_| {
                ModelError::InferenceUnavailable(format!(
                    "no residual degrees of freedom (n - k = {df_resid})"
                ))
            })?;
            (
                stat.iter().map(|t| 2.0 * dist.sf(t.abs())).collect(),
                dist.inverse_cdf(1.0 - alpha / 2.0),
            )
        }
    };
    let conf_low = beta.iter().zip(&std_err).map(|(b, s)| b - q * s).collect();
    let conf_high = beta.iter().zip(&std_err).map(|(b, s)| b + q * s).collect();
    Ok(Columns {
        std_err,
        statistic: stat,
        p_value,
        conf_low,
        conf_high,
    })
}

pub(crate) fn row_major(m: &Mat<f64>) -> Vec<f64> {
    (0..m.nrows())
        .flat_map(|i| (0..m.ncols()).map(move |j| (i, j)))
        .map(|(i, j)| m[(i, j)])
        .collect()
}

/// Wald test that every non-intercept coefficient is zero: `b_s^T V_s^{-1} b_s / q`.
fn wald_slopes(beta: &[f64], cov: &Mat<f64>, off: usize) -> Result<f64> {
    let q = beta.len() - off;
    if q == 0 {
        return Ok(f64::NAN);
    }
    // scaled to unit diagonal first, so that the factorization does not depend on the units
    // of the features
    let d: Vec<f64> = (0..q)
        .map(|i| 1.0 / cov[(i + off, i + off)].max(f64::MIN_POSITIVE).sqrt())
        .collect();
    let vs = Mat::from_fn(q, q, |i, j| cov[(i + off, j + off)] * d[i] * d[j]);
    let chol = Cholesky::new(vs.as_ref()).map_err(|_| {
        ModelError::InferenceUnavailable(
            "the covariance of the slopes is singular to working precision".into(),
        )
    })?;
    let mut sol: Vec<f64> = beta[off..].iter().zip(&d).map(|(b, s)| b * s).collect();
    let scaled = sol.clone();
    chol.solve_in_place(&mut sol);
    Ok(scaled.iter().zip(&sol).map(|(a, b)| a * b).sum::<f64>() / q as f64)
}

/// Inference for an unpenalized binary logistic regression at its maximum-likelihood
/// estimate.
///
/// `Cov = (X~^T W X~)^{-1}`, `W = diag(p_i (1 - p_i))` (the inverse Fisher information), or the
/// HC1 sandwich with `B = X~^T diag((y_i - p_i)^2) X~`; `z = beta / se`, two-sided normal
/// p-values, intervals `beta +- z_{1 - alpha/2} se`. `log L = sum_i [y_i z_i - softplus(z_i)]`,
/// `L_null` from the constant-only model, deviance `-2 log L`, McFadden's pseudo R-squared,
/// AIC and BIC with `k` parameters.
///
/// Checks that the score `X~^T (y - p) / n` vanishes (infinity norm below `1e-5`): otherwise
/// the coefficients are not the unweighted maximum-likelihood estimate of these data.
///
/// # Errors
/// [`ModelError::InferenceUnavailable`] when the score does not vanish or the information is
/// singular or a statistic is not finite (no summary holds NaN or an infinity); data errors (shapes, non-finite values, labels other than
/// 0/1).
///
/// # Examples
/// ```
/// use linmod_models::inference::{InferenceOptions, logit};
/// let chd = datasets::chd_age();
/// // statsmodels 0.15.0: const -6.708461428548, age 0.131502027083
/// let s = logit(chd.x.as_ref(), &chd.y, &[0.131502027083], Some(-6.708461428548),
///               &InferenceOptions::default()).unwrap();
/// assert!((s.std_err[0] - 2.353992).abs() < 1e-5);
/// ```
pub fn logit(
    x: MatRef<'_, f64>,
    y: &[f64],
    coef: &[f64],
    intercept: Option<f64>,
    opts: &InferenceOptions,
) -> Result<Summary> {
    logit_fit(
        &FitForInference {
            x,
            y,
            coef,
            intercept,
        },
        opts,
    )
}

pub(crate) fn logit_fit(fit: &FitForInference<'_>, opts: &InferenceOptions) -> Result<Summary> {
    fit.check()?;
    opts.check(fit.coef.len())?;
    if let Some((row, &value)) = fit
        .y
        .iter()
        .enumerate()
        .find(|(_, v)| !is_binary_label(**v))
    {
        return Err(ModelError::InvalidLabel {
            row,
            value,
            expected: "0 or 1".into(),
        });
    }
    let n = fit.x.nrows();
    let nf = n as f64;
    let k = fit.k();
    let off = usize::from(fit.intercept.is_some());
    let z = fit.linear_predictor();
    let prob: Vec<f64> = z.iter().map(|&v| sigmoid(v)).collect();
    let resid: Vec<f64> = fit.y.iter().zip(&prob).map(|(y, p)| y - p).collect();
    // the score must vanish at the MLE
    let score_max = {
        let mut s = vec![0.0; k];
        for (i, &r) in resid.iter().enumerate() {
            if off == 1 {
                s[0] += r;
            }
            for j in 0..fit.coef.len() {
                s[j + off] += r * fit.x[(i, j)];
            }
        }
        s.iter().fold(0.0f64, |m, v| m.max(v.abs())) / nf
    };
    if score_max > 1e-5 {
        return Err(ModelError::InferenceUnavailable(format!(
            "the coefficients are not the maximum-likelihood estimate for these data (largest \
             mean score {score_max:.2e}); fit without weights and penalty, to convergence, on \
             the same data"
        )));
    }
    let w: Vec<f64> = z
        .iter()
        .zip(fit.y)
        .map(|(&zi, &yi)| Logistic.curvature(zi, yi))
        .collect();
    let info = fit.gram(&w);
    let info_inv = inverse(&info)?;
    let cov = match opts.covariance {
        CovarianceType::Nonrobust => info_inv,
        CovarianceType::Hc1 => {
            let r2: Vec<f64> = resid.iter().map(|r| r * r).collect();
            let meat = fit.gram(&r2);
            sandwich(&info_inv, &meat, nf / (nf - k as f64))
        }
    };
    let ll: f64 = z
        .iter()
        .zip(fit.y)
        .map(|(&zi, &yi)| -Logistic.loss(zi, yi))
        .sum();
    let ybar = fit.y.iter().sum::<f64>() / nf;
    let ll_null = nf * (xlogy(ybar, ybar) + xlogy(1.0 - ybar, 1.0 - ybar));
    likelihood_summary(
        MaximumLikelihood {
            model: "Logit",
            names: opts.row_names(fit.coef.len(), off == 1),
            estimate: fit.estimates(),
            cov,
            n_obs: nf,
            df_model: (k - off) as f64,
            log_likelihood: ll,
            ll_null,
        },
        opts,
    )
}

/// A maximum-likelihood fit, as its summary needs it.
pub(crate) struct MaximumLikelihood {
    pub(crate) model: &'static str,
    pub(crate) names: Vec<String>,
    pub(crate) estimate: Vec<f64>,
    pub(crate) cov: Mat<f64>,
    pub(crate) n_obs: f64,
    /// Parameters other than the intercept(s).
    pub(crate) df_model: f64,
    pub(crate) log_likelihood: f64,
    /// Log-likelihood of the intercept-only model.
    pub(crate) ll_null: f64,
}

/// The summary of a maximum-likelihood fit: z statistics, intervals, McFadden's pseudo
/// R-squared, the likelihood-ratio test against the null model (chi-squared with `df_model`
/// degrees of freedom), AIC and BIC with `k = len(estimate)` parameters.
pub(crate) fn likelihood_summary(
    fit: MaximumLikelihood,
    opts: &InferenceOptions,
) -> Result<Summary> {
    let (nf, ll, ll_null) = (fit.n_obs, fit.log_likelihood, fit.ll_null);
    let params = fit.estimate.len() as f64;
    let df_resid = nf - params;
    let llr = 2.0 * (ll - ll_null);
    let llr_p_value = ChiSquared::new(fit.df_model).map_or(f64::NAN, |d| d.sf(llr));
    let Columns {
        std_err,
        statistic,
        p_value,
        conf_low,
        conf_high,
    } = table(&fit.estimate, &fit.cov, StatisticKind::Z, df_resid, opts)?;
    finite_summary(Summary {
        model: fit.model.into(),
        dependent: opts.dependent.clone(),
        names: fit.names,
        estimate: fit.estimate,
        std_err,
        statistic,
        p_value,
        conf_low,
        conf_high,
        covariance_matrix: row_major(&fit.cov),
        statistic_kind: StatisticKind::Z,
        level: opts.level,
        covariance: opts.covariance,
        n_obs: nf,
        df_model: fit.df_model,
        df_resid,
        log_likelihood: ll,
        aic: -2.0 * ll + 2.0 * params,
        bic: -2.0 * ll + params * nf.ln(),
        logit: Some(LogitFit {
            ll_null,
            deviance: -2.0 * ll,
            pseudo_r2: 1.0 - ll / ll_null,
            llr,
            llr_p_value,
        }),
        ols: None,
        glm: None,
    })
}

/// `s` when every number in it is finite; otherwise [`ModelError::InferenceUnavailable`]
/// naming the first quantity that is not (a summary is printed and saved as it is, and no NaN or
/// infinity may pass for a statistic).
pub(crate) fn finite_summary(s: Summary) -> Result<Summary> {
    let columns: [(&'static str, &[f64]); 7] = [
        ("estimates", &s.estimate),
        ("standard errors", &s.std_err),
        ("test statistics", &s.statistic),
        ("p-values", &s.p_value),
        ("lower confidence limits", &s.conf_low),
        ("upper confidence limits", &s.conf_high),
        ("covariance matrix", &s.covariance_matrix),
    ];
    let mut scalars = vec![s.n_obs, s.df_model, s.df_resid];
    // a GLM family without a likelihood (Tweedie) reports none: NaN there is "not defined"
    if s.glm
        .as_ref()
        .is_none_or(|g| g.statistics.log_likelihood.is_some())
    {
        scalars.extend([s.log_likelihood, s.aic, s.bic]);
    }
    if let Some(g) = &s.glm {
        let st = &g.statistics;
        scalars.extend([st.deviance, st.null_deviance, st.pearson_chi2, st.scale]);
    }
    if let Some(l) = &s.logit {
        scalars.extend([l.ll_null, l.deviance, l.pseudo_r2, l.llr, l.llr_p_value]);
    }
    if let Some(o) = &s.ols {
        scalars.extend([o.r2, o.adj_r2, o.f_statistic, o.f_p_value, o.sigma2]);
    }
    let all = columns
        .into_iter()
        .chain([("goodness-of-fit statistics", &scalars[..])]);
    for (what, values) in all {
        if let Some(index) = values.iter().position(|v| !v.is_finite()) {
            return Err(ModelError::InferenceUnavailable(format!(
                "entry {index} of the {what} is not a finite number"
            )));
        }
    }
    Ok(s)
}

/// `x log y`, 0 when `x = 0`.
pub(crate) fn xlogy(x: f64, y: f64) -> f64 {
    if x == 0.0 { 0.0 } else { x * y.ln() }
}

/// Inference for an ordinary least-squares fit.
///
/// `sigma^2 = SSR / (n - k)`, `Cov = sigma^2 (X~^T X~)^{-1}` or the HC1 sandwich with
/// `B = X~^T diag(e_i^2) X~`; `t = beta / se` with `n - k` degrees of freedom. `R^2 = 1 - SSR/SST`
/// (SST centered with an intercept, uncentered without), adjusted `R^2 = 1 - (1 - R^2)(n - c)/(n - k)`
/// (`c = 1` with an intercept), the F statistic of all slopes (Wald form), the Gaussian
/// log-likelihood `-n/2 (log(2 pi SSR / n) + 1)`, AIC and BIC.
///
/// `(X~^T X~)^{-1}` comes from the QR factorization of the centered design with every column
/// scaled to unit norm (`linalg_core::ScaledQr`), so the standard errors are as accurate as
/// the coefficients of a QR fit even where `X~^T X~` is singular to working precision (a
/// degree-10 polynomial). Sums of squares are taken on `y` divided by a power of two when
/// `|y|` is beyond `2^200`, so every statistic stays finite.
///
/// Checks that the normal equations hold (their relative residual, as
/// `FittedLinear::certificate` defines it, below `1e-6`): otherwise the coefficients are not
/// the least-squares fit of these data.
///
/// # Errors
/// [`ModelError::InferenceUnavailable`] when the normal equations do not hold, `n <= k`, the
/// fit is exact (zero residuals), or the design is numerically rank deficient after scaling
/// (naming the aliased columns), or a statistic is not finite; [`ModelError::Overflow`]
/// when the covariance matrix itself is beyond `f64` (targets above about `1e154`); data
/// errors (shapes, non-finite values).
///
/// # Examples
/// ```
/// use linmod_models::mat;
/// use linmod_models::inference::{InferenceOptions, ols};
/// // y = 1 + 2 x exactly except for the last point
/// let x = mat![[0.0], [1.0], [2.0], [3.0]];
/// let y = [1.0, 3.0, 5.0, 7.5];
/// // least squares: slope 2.15, intercept 0.9
/// let s = ols(x.as_ref(), &y, &[2.15], Some(0.9), &InferenceOptions::default()).unwrap();
/// assert!((s.ols.as_ref().unwrap().r2 - 0.996765).abs() < 1e-6); // statsmodels 0.15.0
/// ```
pub fn ols(
    x: MatRef<'_, f64>,
    y: &[f64],
    coef: &[f64],
    intercept: Option<f64>,
    opts: &InferenceOptions,
) -> Result<Summary> {
    ols_fit(
        &FitForInference {
            x,
            y,
            coef,
            intercept,
        },
        opts,
    )
}

pub(crate) fn ols_fit(fit: &FitForInference<'_>, opts: &InferenceOptions) -> Result<Summary> {
    fit.check()?;
    opts.check(fit.coef.len())?;
    let n = fit.x.nrows();
    let nf = n as f64;
    let k = fit.k();
    let off = usize::from(fit.intercept.is_some());
    if n <= k {
        return Err(ModelError::InferenceUnavailable(format!(
            "{n} observations leave no residual degrees of freedom for {k} parameters"
        )));
    }
    let z = fit.linear_predictor();
    // residuals and sums of squares on y / scale (an exact power of two; 1 for targets of
    // ordinary magnitude), so that targets up to f64's range give finite statistics
    let scale = crate::metrics::regression::common_scale(&[fit.y, &z]);
    let e: Vec<f64> = fit
        .y
        .iter()
        .zip(&z)
        .map(|(y, f)| y / scale - f / scale)
        .collect();
    let ssr: f64 = e.iter().map(|v| v * v).sum();
    if ssr == 0.0 {
        return Err(ModelError::InferenceUnavailable(
            "the fit is exact (every residual is zero): the residual variance and the standard \
             errors are 0, and t statistics are undefined"
                .into(),
        ));
    }
    let eta = normal_equations_residual(fit, &e, scale);
    if eta > 1e-6 {
        return Err(ModelError::InferenceUnavailable(format!(
            "the coefficients are not the least-squares fit of these data (relative residual \
             of the normal equations {eta:.2e}); fit without penalty or weights on the same data"
        )));
    }
    let df_resid = nf - k as f64;
    let sigma2 = ssr / df_resid;
    let xtx_inv = crate::linear::ols_inverse_gram(fit.x, off == 1, opts.names.as_deref())?;
    let cov = match opts.covariance {
        CovarianceType::Nonrobust => Mat::from_fn(k, k, |i, j| xtx_inv[(i, j)] * sigma2),
        CovarianceType::Hc1 => {
            let e2: Vec<f64> = e.iter().map(|v| v * v).collect();
            sandwich(&xtx_inv, &fit.gram(&e2), nf / df_resid)
        }
    };
    let ybar = fit.y.iter().map(|v| v / scale).sum::<f64>() / nf;
    let sst: f64 = if off == 1 {
        fit.y
            .iter()
            .map(|v| (v / scale - ybar) * (v / scale - ybar))
            .sum()
    } else {
        fit.y.iter().map(|v| (v / scale) * (v / scale)).sum()
    };
    let r2 = 1.0 - ssr / sst;
    let adj_r2 = 1.0 - (1.0 - r2) * (nf - off as f64) / df_resid;
    let beta = fit.estimates();
    let beta_scaled: Vec<f64> = beta.iter().map(|b| b / scale).collect();
    let df_model = (k - off) as f64;
    // the classical F of the nonrobust covariance needs no inverse: (SSM / q) / (SSR / df)
    let f_statistic = match opts.covariance {
        CovarianceType::Nonrobust => ((sst - ssr) / df_model) / (ssr / df_resid),
        CovarianceType::Hc1 => wald_slopes(&beta_scaled, &cov, off)?,
    };
    let f_p_value = FisherSnedecor::new(df_model, df_resid).map_or(f64::NAN, |d| d.sf(f_statistic));
    // log(SSR) = log(ssr) + 2 log(scale): finite even when SSR itself is not
    let ll = -nf / 2.0 * ((2.0 * std::f64::consts::PI * ssr / nf).ln() + 2.0 * scale.ln() + 1.0);
    let Columns {
        std_err,
        statistic,
        p_value,
        conf_low,
        conf_high,
    } = table(&beta_scaled, &cov, StatisticKind::T, df_resid, opts)?;
    let up = |v: Vec<f64>| -> Vec<f64> { v.into_iter().map(|x| x * scale).collect() };
    let (std_err, conf_low, conf_high) = (up(std_err), up(conf_low), up(conf_high));
    let cov = Mat::from_fn(k, k, |i, j| cov[(i, j)] * scale * scale);
    let sigma2 = sigma2 * scale * scale;
    if cov
        .col_iter()
        .flat_map(|c| c.iter())
        .chain([&sigma2])
        .any(|v| !v.is_finite())
    {
        return Err(ModelError::Overflow {
            what: "the covariance of the estimates (sigma^2 of targets beyond about 1e154: \
                   divide the target by a power of ten)",
        });
    }
    finite_summary(Summary {
        model: "OLS".into(),
        dependent: opts.dependent.clone(),
        names: opts.row_names(fit.coef.len(), off == 1),
        estimate: beta,
        std_err,
        statistic,
        p_value,
        conf_low,
        conf_high,
        covariance_matrix: row_major(&cov),
        statistic_kind: StatisticKind::T,
        level: opts.level,
        covariance: opts.covariance,
        n_obs: nf,
        df_model,
        df_resid,
        log_likelihood: ll,
        aic: -2.0 * ll + 2.0 * k as f64,
        bic: -2.0 * ll + k as f64 * nf.ln(),
        logit: None,
        ols: Some(OlsFit {
            r2,
            adj_r2,
            f_statistic,
            f_p_value,
            sigma2,
        }),
        glm: None,
    })
}

/// The relative residual of the normal equations of `fit` with residuals `e` given on the
/// scale `1 / scale` (the unweighted version of `FittedLinear::certificate`):
/// `max_j |x~_j^T e| / (|x~_j| (|e| + |y| + sum_k |x~_k| |theta_k|))`, each term divided by
/// `scale`, so that nothing overflows.
fn normal_equations_residual(fit: &FitForInference<'_>, e: &[f64], scale: f64) -> f64 {
    let (n, p) = (fit.x.nrows(), fit.coef.len());
    let norm = |v: &mut dyn Iterator<Item = f64>| v.map(|a| a * a).sum::<f64>().sqrt();
    let e_norm = norm(&mut e.iter().copied());
    let y_norm = norm(&mut fit.y.iter().map(|v| v / scale));
    let col_norm: Vec<f64> = (0..p)
        .map(|j| {
            let c = fit.x.col(j);
            let big = c.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            if big == 0.0 {
                0.0
            } else {
                big * norm(&mut c.iter().map(|v| v / big))
            }
        })
        .collect();
    let root_n = (n as f64).sqrt();
    let mut size = e_norm
        + y_norm
        + col_norm
            .iter()
            .zip(fit.coef)
            .map(|(c, w)| c * (w / scale).abs())
            .sum::<f64>();
    if let Some(b) = fit.intercept {
        size += root_n * (b / scale).abs();
    }
    let mut eta = 0.0f64;
    if fit.intercept.is_some() {
        eta = eta.max(e.iter().sum::<f64>().abs() / (root_n * size));
    }
    for (j, norm) in col_norm.iter().enumerate() {
        let dot: f64 = fit.x.col(j).iter().zip(e).map(|(a, b)| a * b).sum();
        if dot != 0.0 {
            eta = eta.max(dot.abs() / (norm * size));
        }
    }
    if eta.is_nan() { f64::INFINITY } else { eta }
}

/// A number in at most `width` characters: fixed with `decimals` decimals when it fits and
/// is not tiny, else scientific.
fn num(v: f64, width: usize, decimals: usize) -> String {
    let fixed = format!("{v:.decimals$}");
    let tiny = v != 0.0 && v.abs() < 0.5 * 10f64.powi(-(decimals as i32));
    if fixed.len() <= width && !tiny {
        fixed
    } else {
        format!("{v:.3e}")
    }
}

impl Summary {
    /// The summary as a text table aligned like statsmodels' `summary()`.
    #[must_use]
    pub fn to_text(&self) -> String {
        const W: usize = 78;
        let title = match self.model.as_str() {
            "Logit" => "Logit Regression Results",
            "MNLogit" => "MNLogit Regression Results",
            "GLM" => "Generalized Linear Model Regression Results",
            _ => "OLS Regression Results",
        };
        let likelihood = self.model != "OLS";
        let mut left: Vec<(String, String)> = vec![
            ("Dep. Variable:".into(), self.dependent.clone()),
            ("Model:".into(), self.model.clone()),
            (
                "Method:".into(),
                if likelihood { "MLE" } else { "Least Squares" }.into(),
            ),
            (
                "Covariance Type:".into(),
                match self.covariance {
                    CovarianceType::Nonrobust => "nonrobust",
                    CovarianceType::Hc1 => "HC1",
                }
                .into(),
            ),
        ];
        let mut right: Vec<(String, String)> = vec![
            ("No. Observations:".into(), format!("{}", self.n_obs)),
            ("Df Residuals:".into(), format!("{}", self.df_resid)),
            ("Df Model:".into(), format!("{}", self.df_model)),
        ];
        if let Some(l) = &self.logit {
            right.push(("Pseudo R-squ.:".into(), format!("{:.4}", l.pseudo_r2)));
            right.push((
                "Log-Likelihood:".into(),
                format!("{:.3}", self.log_likelihood),
            ));
            right.push(("LL-Null:".into(), format!("{:.3}", l.ll_null)));
            right.push(("LLR p-value:".into(), format!("{:.4e}", l.llr_p_value)));
        }
        if let Some(o) = &self.ols {
            right.push(("R-squared:".into(), format!("{:.4}", o.r2)));
            right.push(("Adj. R-squared:".into(), format!("{:.4}", o.adj_r2)));
            right.push(("F-statistic:".into(), format!("{:.4}", o.f_statistic)));
            right.push(("Prob (F-statistic):".into(), format!("{:.4e}", o.f_p_value)));
            right.push((
                "Log-Likelihood:".into(),
                format!("{:.3}", self.log_likelihood),
            ));
        }
        if let Some(g) = &self.glm {
            left.insert(2, ("Model Family:".into(), g.family.clone()));
            left.insert(3, ("Link Function:".into(), g.link.clone()));
            let st = &g.statistics;
            right.push(("Scale:".into(), format!("{:.5}", st.scale)));
            right.push((
                "Log-Likelihood:".into(),
                st.log_likelihood
                    .map_or_else(|| "n/a".into(), |v| format!("{v:.3}")),
            ));
            right.push(("Deviance:".into(), format!("{:.5}", st.deviance)));
            right.push(("Null Deviance:".into(), format!("{:.5}", st.null_deviance)));
            right.push(("Pearson chi2:".into(), format!("{:.4}", st.pearson_chi2)));
            if let Some(aic) = st.aic {
                right.push(("AIC (R):".into(), format!("{aic:.4}")));
            }
        } else {
            right.push(("AIC:".into(), format!("{:.4}", self.aic)));
            right.push(("BIC:".into(), format!("{:.4}", self.bic)));
        }
        while left.len() < right.len() {
            left.push((String::new(), String::new()));
        }
        let mut out = String::new();
        let _ = writeln!(out, "{title:^W$}");
        let _ = writeln!(out, "{}", "=".repeat(W));
        for ((lk, lv), (rk, rv)) in left.iter().zip(
            right
                .iter()
                .chain(std::iter::repeat(&(String::new(), String::new()))),
        ) {
            let _ = writeln!(
                out,
                "{:<37}   {:<38}",
                format!("{lk:<20}{lv:>17}"),
                format!("{rk:<20}{rv:>18}")
            );
        }
        // as statsmodels: the name column is as wide as the longest name (10 at least), and
        // the rules of the coefficient table follow its width
        let name_w = (0..self.names.len())
            .map(|i| {
                let (eq, row) = self.row_label(i);
                eq.chars().count().max(row.chars().count())
            })
            .max()
            .unwrap_or(0)
            .max(10);
        let table_w = name_w + W - 10;
        let _ = writeln!(out, "{}", "=".repeat(table_w));
        let lo = (1.0 - self.level) / 2.0;
        let (stat, pcol) = match self.statistic_kind {
            StatisticKind::Z => ("z", "P>|z|"),
            StatisticKind::T => ("t", "P>|t|"),
        };
        let lo_name = format!("[{lo:.3}");
        let hi_name = format!("{:.3}]", 1.0 - lo);
        // MNLogit rows are named `y=c:name`: one block per equation, headed by `y=c`
        let mut equation: Option<&str> = None;
        for i in 0..self.names.len() {
            let (eq, row_name) = self.row_label(i);
            if equation != Some(eq) {
                if equation.is_some() {
                    let _ = writeln!(out, "{}", "-".repeat(table_w));
                }
                let _ = writeln!(
                    out,
                    "{:>name_w$}{:>11}{:>11}{:>11}{:>11}{:>12}{:>12}",
                    eq, "coef", "std err", stat, pcol, lo_name, hi_name
                );
                let _ = writeln!(out, "{}", "-".repeat(table_w));
                equation = Some(eq);
            }
            let _ = writeln!(
                out,
                "{:<name_w$}{:>11}{:>11}{:>11}{:>11}{:>12}{:>12}",
                row_name,
                num(self.estimate[i], 10, 4),
                num(self.std_err[i], 10, 3),
                num(self.statistic[i], 10, 3),
                format!("{:.3}", self.p_value[i]),
                num(self.conf_low[i], 11, 3),
                num(self.conf_high[i], 11, 3),
            );
        }
        let _ = writeln!(out, "{}", "=".repeat(table_w));
        out
    }
}

impl Summary {
    /// The equation (empty except for MNLogit, whose rows are named `y=c:name`) and the name
    /// of coefficient row `i`.
    fn row_label(&self, i: usize) -> (&str, &str) {
        match self.names[i].split_once(':') {
            Some((e, r)) if self.model == "MNLogit" => (e, r),
            _ => ("", self.names[i].as_str()),
        }
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_text())
    }
}
