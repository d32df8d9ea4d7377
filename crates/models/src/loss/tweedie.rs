//! The Tweedie family with the log link: compound Poisson-Gamma (`1 < p < 2`), Gamma
//! (`p = 2`) and beyond (`p > 2`, inverse Gaussian at `p = 3`).

use serde::{Deserialize, Serialize};

use super::family::{Family, expm1_minus};
use super::{Gamma, GammaLink, Loss};
use crate::error::{ModelError, Result};

/// Tweedie targets with variance `phi mu^p` and the log link `mu = e^z`: half the unit
/// deviance (for `p != 2`)
///
/// `d(y, mu) / 2 = y^{2-p} / ((1-p)(2-p)) - y mu^{1-p} / (1-p) + mu^{2-p} / (2-p)`,
///
/// `dl/dz = mu^{1-p} (mu - y)`; observed `d2l/dz2 = (2-p) mu^{2-p} + (p-1) y mu^{1-p}`.
/// At `p = 2` it is the [`Gamma`] deviance. Targets: `y >= 0` for `1 < p < 2` (exact zeros
/// are the point mass of a pure premium), `y > 0` for `p >= 2`.
///
/// For `p > 2` the observed curvature is negative where `mu > (p - 1) y / (p - 2)`, so the loss
/// is not convex in `z`; there [`derivatives`](Loss::derivatives) and
/// [`curvature`](Loss::curvature) return the expected information `mu^{2-p}` instead, which
/// keeps every Newton model convex (Fisher scoring). For `1 < p <= 2` they return the observed
/// curvature.
///
/// # Examples
/// ```
/// use linmod_models::loss::{Loss, Tweedie};
/// let t = Tweedie::new(1.5).unwrap();
/// let (l, d, _) = t.derivatives(0.0, 1.0);
/// assert!(l.abs() < 1e-15 && d == 0.0);
/// assert!(Tweedie::new(0.5).is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tweedie {
    power: f64,
}

impl Tweedie {
    /// The Tweedie family with power `p`.
    ///
    /// # Errors
    /// [`ModelError::InvalidParameter`] unless `p > 1` and finite.
    pub fn new(power: f64) -> Result<Self> {
        if !(power > 1.0 && power.is_finite()) {
            return Err(ModelError::InvalidParameter {
                name: "power",
                value: power,
                requirement: "finite and > 1 (1 < p < 2 compound Poisson-Gamma, p >= 2)",
            });
        }
        Ok(Self { power })
    }

    /// The power `p`.
    #[must_use]
    pub fn power(&self) -> f64 {
        self.power
    }

    /// Whether the deviance is the Gamma one (`p = 2`).
    #[inline]
    fn is_gamma(self) -> bool {
        self.power.to_bits() == 2f64.to_bits()
    }
}

impl Loss for Tweedie {
    #[inline]
    fn derivatives(&self, z: f64, y: f64) -> (f64, f64, f64) {
        let p = self.power;
        let mu1 = ((1.0 - p) * z).exp(); // mu^{1-p}
        let mu2 = mu1 * z.exp(); // mu^{2-p}
        let observed = (2.0 - p) * mu2 + (p - 1.0) * y * mu1;
        let c = if p > 2.0 { mu2 } else { observed };
        (self.loss(z, y), mu2 - y * mu1, c)
    }

    #[inline]
    fn loss(&self, z: f64, y: f64) -> f64 {
        if self.is_gamma() {
            return Gamma::new(GammaLink::Log).loss(z, y);
        }
        let p = self.power;
        let mu1 = ((1.0 - p) * z).exp();
        let mu2 = mu1 * z.exp();
        let y2 = if y > 0.0 { y.powf(2.0 - p) } else { 0.0 };
        y2 / ((1.0 - p) * (2.0 - p)) - y * mu1 / (1.0 - p) + mu2 / (2.0 - p)
    }

    fn curvature(&self, z: f64, y: f64) -> f64 {
        self.derivatives(z, y).2
    }

    fn check_target(&self, y: &[f64]) -> crate::Result<()> {
        self.check_domain(y)
    }
}

impl Family for Tweedie {
    fn name(&self) -> String {
        format!("Tweedie(p={})", self.power)
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
        mu.powf(self.power)
    }

    fn unit_deviance(&self, y: f64, mu: f64) -> f64 {
        if self.is_gamma() {
            return 2.0 * expm1_minus((y / mu).ln());
        }
        2.0 * self.loss(mu.ln(), y)
    }

    fn fisher_weight(&self, z: f64) -> f64 {
        ((2.0 - self.power) * z).exp()
    }

    fn estimates_scale(&self) -> bool {
        true
    }

    /// The Tweedie density has no closed form and R's `tweedie()` family defines no AIC.
    fn log_likelihood(&self, _: f64, _: f64, _: f64, _: f64, _: f64) -> Option<f64> {
        None
    }

    fn target_domain(&self) -> (fn(f64) -> bool, &'static str) {
        if self.power < 2.0 {
            (
                |y| y.is_finite() && y >= 0.0,
                "a Tweedie target with 1 < power < 2 must be finite and >= 0",
            )
        } else {
            (
                |y| y.is_finite() && y > 0.0,
                "a Tweedie target with power >= 2 must be finite and > 0",
            )
        }
    }
}
