//! Goodness of fit of a GLM as R's `glm` reports it: deviance, null deviance, Pearson's
//! chi-squared, the dispersion, the log-likelihood and AIC.

use serde::{Deserialize, Serialize};

use super::data::Prepared;
use crate::loss::Family;

/// Goodness-of-fit statistics of a GLM fit (prior weights `w_i`, rows with `w_i > 0` counted
/// as observations, `k` estimated coefficients including the intercept).
///
/// | field | formula |
/// |---|---|
/// | `deviance` | `sum_i w_i d(y_i, mu_i)` |
/// | `null_deviance` | the deviance of the intercept-only model with the offset (without an intercept: `mu_i = g^{-1}(offset_i)`, as R) |
/// | `pearson_chi2` | `sum_i w_i (y_i - mu_i)^2 / V(mu_i)` |
/// | `scale` | `pearson_chi2 / (n - k)` for Gamma and Tweedie, 1 for Poisson and binomial |
/// | `log_likelihood` | R's: `sum_i w_i ln f(y_i; mu_i)`; for Gamma with the dispersion `deviance / sum_i w_i`; none for Tweedie |
/// | `aic` | `-2 log_likelihood + 2 (k + 1)` for Gamma (the dispersion counts), `-2 log_likelihood + 2 k` otherwise |
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GlmStatistics {
    /// The deviance.
    pub deviance: f64,
    /// The null deviance.
    pub null_deviance: f64,
    /// Pearson's chi-squared statistic.
    pub pearson_chi2: f64,
    /// The dispersion (scale) estimate.
    pub scale: f64,
    /// Observations (rows with positive weight).
    pub n_obs: f64,
    /// Residual degrees of freedom `n - k`.
    pub df_resid: f64,
    /// Degrees of freedom of the null model (`n - 1` with an intercept, `n` without).
    pub df_null: f64,
    /// The log-likelihood (R's convention), where the family defines one.
    pub log_likelihood: Option<f64>,
    /// Akaike's information criterion (R's convention), where the log-likelihood is defined.
    pub aic: Option<f64>,
}

/// The statistics of a fit with linear predictors `z` (offset included) and `rank`
/// coefficients (the intercept included).
pub(crate) fn statistics<F: Family>(
    family: &F,
    data: &Prepared<'_>,
    z: &[f64],
    rank: usize,
    intercept: bool,
) -> GlmStatistics {
    let y = &data.y[..];
    let (mut deviance, mut pearson, mut total_weight, mut n_obs) = (0.0, 0.0, 0.0, 0usize);
    for (i, (&zi, &yi)) in z.iter().zip(y).enumerate() {
        let w = data.weight(i);
        if w > 0.0 {
            let mu = family.mean(zi);
            deviance += w * family.unit_deviance(yi, mu);
            pearson += w * (yi - mu) * (yi - mu) / family.variance(mu);
            total_weight += w;
            n_obs += 1;
        }
    }
    let null_z = null_predictor(family, data, intercept);
    let null_deviance: f64 = (0..y.len())
        .map(|i| {
            let w = data.weight(i);
            if w > 0.0 {
                w * family.unit_deviance(y[i], family.mean(null_z + data.offset_at(i)))
            } else {
                0.0
            }
        })
        .sum();
    let df_resid = n_obs as f64 - rank as f64;
    let scale = if family.estimates_scale() {
        pearson / df_resid
    } else {
        1.0
    };
    // R's binomial AIC takes the trials as m when some row has more than one, else the weights
    let many_trials = data.trials.is_some_and(|t| t.iter().any(|v| *v > 1.0));
    let dispersion = deviance / total_weight;
    let log_likelihood = (0..y.len())
        .filter(|&i| data.weight(i) > 0.0)
        .map(|i| {
            let w = data.weight(i);
            let m = match data.trials {
                Some(t) if many_trials => t[i],
                _ => w,
            };
            family.log_likelihood(y[i], family.mean(z[i]), w, m, dispersion)
        })
        .sum::<Option<f64>>();
    let extra = usize::from(family.estimates_scale());
    let aic = log_likelihood.map(|ll| -2.0 * ll + 2.0 * (rank + extra) as f64);
    GlmStatistics {
        deviance,
        null_deviance,
        pearson_chi2: pearson,
        scale,
        n_obs: n_obs as f64,
        df_resid,
        df_null: n_obs as f64 - f64::from(u8::from(intercept)),
        log_likelihood,
        aic,
    }
}

/// The weighted mean of the target and the weights' sum.
pub(crate) fn weighted_mean(data: &Prepared<'_>) -> f64 {
    let (mut sy, mut sw) = (0.0, 0.0);
    for (i, yi) in data.y.iter().enumerate() {
        let w = data.weight(i);
        sy += w * yi;
        sw += w;
    }
    sy / sw
}

/// The linear predictor of the null model, without its offset: the intercept-only maximum
/// likelihood estimate (`g(weighted mean of y)` without an offset, a one-dimensional Newton
/// solve with one), or 0 without an intercept.
pub(crate) fn null_predictor<F: Family>(family: &F, data: &Prepared<'_>, intercept: bool) -> f64 {
    if !intercept {
        return 0.0;
    }
    let ybar = weighted_mean(data);
    if data.offset.is_none() {
        return family.link(ybar);
    }
    let start = intercept_start(family, data);
    let value = |b: f64| -> f64 {
        (0..data.y.len())
            .map(|i| data.weight(i) * family.loss(b + data.offset_at(i), data.y[i]))
            .sum()
    };
    let mut b = start;
    let mut f = value(b);
    for _ in 0..100 {
        let (mut g, mut h) = (0.0, 0.0);
        for i in 0..data.y.len() {
            let w = data.weight(i);
            let (_, d, c) = family.derivatives(b + data.offset_at(i), data.y[i]);
            g += w * d;
            h += w * c;
        }
        if h.is_nan() || h <= 0.0 || g == 0.0 {
            break;
        }
        let mut step = g / h;
        let mut accepted = false;
        for _ in 0..60 {
            let fb = value(b - step);
            if fb <= f {
                b -= step;
                f = fb;
                accepted = true;
                break;
            }
            step /= 2.0;
        }
        // converged once the Newton step is at rounding level of the intercept
        if !accepted || step.abs() <= 1e-14 * (1.0 + b.abs()) {
            break;
        }
    }
    b
}

/// A starting intercept: the null model's intercept for the log link with an offset
/// (`ln(sum w y / sum w e^o)`), `g(weighted mean of y)` otherwise, moved so that every linear
/// predictor is positive for the inverse link.
pub(crate) fn intercept_start<F: Family>(family: &F, data: &Prepared<'_>) -> f64 {
    let ybar = weighted_mean(data);
    match family.link_name() {
        "log" => {
            let (mut sy, mut se) = (0.0, 0.0);
            for (i, yi) in data.y.iter().enumerate() {
                let w = data.weight(i);
                sy += w * yi;
                se += w * data.offset_at(i).exp();
            }
            let b = (sy / se).ln();
            if b.is_finite() {
                b
            } else {
                family.link(ybar).max(-30.0)
            }
        }
        "inverse" => {
            let lowest = data
                .offset
                .as_ref()
                .map_or(0.0, |o| o.iter().copied().fold(f64::INFINITY, f64::min));
            family.link(ybar) + (-lowest).max(0.0)
        }
        _ => {
            let b = family.link(ybar);
            if b.is_finite() { b } else { 0.0 }
        }
    }
}
