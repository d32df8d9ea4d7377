//! What a GLM family adds to its [`Loss`]: the mean, variance and deviance of the exponential
//! family behind it, the weights of the expected (Fisher) information, and the target domain.

use super::Loss;
use crate::error::{ModelError, Result};

/// A generalized linear model family with its link: a [`Loss`] whose value is half the unit
/// deviance, `l(z; y) = d(y, mu) / 2` with `mu = g^{-1}(z)`, so that the mean loss is
/// `1/(2n) sum_i s_i d(y_i, mu_i)` (scikit-learn's GLM objective).
///
/// The loss's second derivative is the observed information of one row; the expected
/// (Fisher) information, which inference uses (as R's `glm` does), is
/// [`fisher_weight`](Self::fisher_weight). They agree for canonical links (Poisson with log,
/// binomial with logit, Gamma with inverse).
///
/// # Examples
/// ```
/// use linmod_models::loss::{Family, Loss, Poisson};
/// let (y, z) = (3.0, 0.5_f64);
/// let mu = Poisson.mean(z);
/// assert!((Poisson.loss(z, y) - Poisson.unit_deviance(y, mu) / 2.0).abs() < 1e-15);
/// assert_eq!(Poisson.variance(2.0), 2.0);
/// ```
pub trait Family: Loss {
    /// The family's name in reports ("Poisson", "Gamma", "Tweedie(p=1.5)", "Binomial").
    fn name(&self) -> String;

    /// The link's name ("log", "inverse", "logit").
    fn link_name(&self) -> &'static str;

    /// The mean `mu = g^{-1}(z)` of a linear predictor.
    fn mean(&self, z: f64) -> f64;

    /// The linear predictor `z = g(mu)` of a mean.
    fn link(&self, mu: f64) -> f64;

    /// The variance function `V(mu)`.
    fn variance(&self, mu: f64) -> f64;

    /// The unit deviance `d(y, mu)`.
    fn unit_deviance(&self, y: f64, mu: f64) -> f64;

    /// The expected information of one row of unit weight in its linear predictor,
    /// `(dmu/dz)^2 / V(mu)`: the IRLS weight and the weight of the covariance of the
    /// estimates.
    fn fisher_weight(&self, z: f64) -> f64;

    /// Whether the dispersion is estimated (Gamma, Tweedie) or fixed at 1 (Poisson,
    /// binomial).
    fn estimates_scale(&self) -> bool;

    /// The log-likelihood of row `i` as R's `glm` computes it for AIC, `None` where R's family
    /// defines none (Tweedie). `dispersion` is R's `deviance / sum(weights)` (used by Gamma
    /// only); `trials` the binomial `m_i` of R's formula.
    fn log_likelihood(
        &self,
        y: f64,
        mu: f64,
        weight: f64,
        trials: f64,
        dispersion: f64,
    ) -> Option<f64>;

    /// Whether `y` is in the family's domain, and the requirement in words.
    fn target_domain(&self) -> (fn(f64) -> bool, &'static str);

    /// Checks every target: [`ModelError::InvalidValue`] naming the first row outside the
    /// domain.
    ///
    /// # Errors
    /// As described.
    fn check_domain(&self, y: &[f64]) -> Result<()> {
        let (ok, requirement) = self.target_domain();
        match y.iter().position(|v| !ok(*v)) {
            Some(row) => Err(ModelError::InvalidValue {
                what: "target",
                row,
                value: y[row],
                requirement: requirement.into(),
            }),
            None => Ok(()),
        }
    }
}

/// `x ln(x / m)`, 0 at `x = 0`.
#[inline]
pub(crate) fn x_log_ratio(x: f64, m: f64) -> f64 {
    if x == 0.0 { 0.0 } else { x * (x / m).ln() }
}

/// `e^t - 1 - t` without cancellation near `t = 0` (`r - 1 - ln r` at `r = e^t`: the Gamma
/// half deviance).
#[inline]
pub(crate) fn expm1_minus(t: f64) -> f64 {
    if t.abs() < 1e-3 {
        // the series to t^5: relative error below 1e-16 for |t| < 1e-3
        let t2 = t * t;
        t2 * (0.5 + t * (1.0 / 6.0 + t * (1.0 / 24.0 + t * (1.0 / 120.0 + t / 720.0))))
    } else {
        t.exp_m1() - t
    }
}
