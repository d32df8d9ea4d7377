//! The Poisson family with the log link (canonical).

use statrs::function::gamma::ln_gamma;

use super::Loss;
use super::family::{Family, x_log_ratio};

/// Poisson counts with the log link, `mu = e^z`: half the unit deviance
/// `d(y, mu) = 2 [y ln(y / mu) - y + mu]`,
///
/// `l(z; y) = y (ln y - z) - y + e^z`, `dl/dz = e^z - y`, `d2l/dz2 = e^z` (observed and expected
/// information agree: the link is canonical). Targets `y >= 0` (not necessarily whole: rates
/// with weights are fitted the same way).
///
/// # Examples
/// ```
/// use linmod_models::loss::{Loss, Poisson};
/// let (l, d, c) = Poisson.derivatives(0.0, 1.0);
/// assert_eq!((l, d, c), (0.0, 0.0, 1.0)); // mu = y: no deviance
/// assert_eq!(Poisson.loss(0.0, 0.0), 1.0);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Poisson;

impl Loss for Poisson {
    #[inline]
    fn derivatives(&self, z: f64, y: f64) -> (f64, f64, f64) {
        let mu = z.exp();
        (self.loss(z, y), mu - y, mu)
    }

    #[inline]
    fn loss(&self, z: f64, y: f64) -> f64 {
        let mu = z.exp();
        if y > 0.0 {
            y * (y.ln() - z) - y + mu
        } else {
            mu
        }
    }

    fn check_target(&self, y: &[f64]) -> crate::Result<()> {
        self.check_domain(y)
    }
}

impl Family for Poisson {
    fn name(&self) -> String {
        "Poisson".into()
    }

    fn link_name(&self) -> &'static str {
        "log"
    }

    fn mean(&self, z: f64) -> f64 {
        z.exp()
    }

    fn link(&self, mu: f64) -> f64 {
        mu.ln()
    }

    fn variance(&self, mu: f64) -> f64 {
        mu
    }

    fn unit_deviance(&self, y: f64, mu: f64) -> f64 {
        2.0 * (x_log_ratio(y, mu) - y + mu)
    }

    fn fisher_weight(&self, z: f64) -> f64 {
        z.exp()
    }

    fn estimates_scale(&self) -> bool {
        false
    }

    /// `w [y ln mu - mu - ln Gamma(y + 1)]` (R's `dpois`, with the gamma function for
    /// targets that are not whole numbers).
    fn log_likelihood(&self, y: f64, mu: f64, weight: f64, _: f64, _: f64) -> Option<f64> {
        let ylogmu = if y == 0.0 { 0.0 } else { y * mu.ln() };
        Some(weight * (ylogmu - mu - ln_gamma(y + 1.0)))
    }

    fn target_domain(&self) -> (fn(f64) -> bool, &'static str) {
        (
            |y| y.is_finite() && y >= 0.0,
            "a Poisson target must be finite and >= 0",
        )
    }
}
