//! The Gamma family with the log link (the default) or the inverse link (canonical).

use serde::{Deserialize, Serialize};
use statrs::function::gamma::ln_gamma;

use super::Loss;
use super::family::{Family, expm1_minus};

/// The link of a [`Gamma`] model.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GammaLink {
    /// `mu = e^z` (the default: multiplicative effects, any real `z`).
    #[default]
    Log,
    /// `mu = 1 / z` (canonical; `z` must stay positive).
    Inverse,
}

/// Positive continuous targets (severities, durations) with variance `phi mu^2`: half the unit
/// deviance `d(y, mu) = 2 [y / mu - ln(y / mu) - 1]`, computed as `expm1(t) - t` with
/// `t = ln(y / mu)` (no cancellation near the fit).
///
/// | link | `l(z; y)` | `dl/dz` | `d2l/dz2` (observed) | expected |
/// |---|---|---|---|---|
/// | log, `mu = e^z` | `y e^{-z} - ln y + z - 1` | `1 - y e^{-z}` | `y e^{-z}` | `1` |
/// | inverse, `mu = 1/z` | `y z - ln(y z) - 1` | `y - 1/z` | `1/z^2` | `1/z^2` |
///
/// The log link is not canonical: Newton's method uses the observed information (convex in
/// `z`), inference the expected one, as R does. With the inverse link, `z <= 0` has no mean
/// and the loss is infinite there (the solvers' line searches step back).
///
/// # Examples
/// ```
/// use linmod_models::loss::{Gamma, GammaLink, Loss};
/// let g = Gamma::new(GammaLink::Log);
/// let (l, d, c) = g.derivatives(2.0_f64.ln(), 2.0);
/// assert!(l.abs() < 1e-16 && d.abs() < 1e-16 && (c - 1.0).abs() < 1e-15);
/// assert_eq!(Gamma::new(GammaLink::Inverse).loss(-1.0, 2.0), f64::INFINITY);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gamma {
    /// The link.
    pub link: GammaLink,
}

impl Gamma {
    /// The Gamma family with `link`.
    #[must_use]
    pub fn new(link: GammaLink) -> Self {
        Self { link }
    }

    /// `ln(y / mu)` from the linear predictor.
    #[inline]
    fn log_ratio(self, z: f64, y: f64) -> f64 {
        match self.link {
            GammaLink::Log => y.ln() - z,
            GammaLink::Inverse => (y * z).ln(),
        }
    }
}

impl Loss for Gamma {
    #[inline]
    fn derivatives(&self, z: f64, y: f64) -> (f64, f64, f64) {
        match self.link {
            GammaLink::Log => {
                let r = y * (-z).exp();
                (self.loss(z, y), 1.0 - r, r)
            }
            GammaLink::Inverse => {
                if z > 0.0 {
                    (self.loss(z, y), y - 1.0 / z, 1.0 / (z * z))
                } else {
                    (f64::INFINITY, f64::NAN, f64::NAN)
                }
            }
        }
    }

    #[inline]
    fn loss(&self, z: f64, y: f64) -> f64 {
        if self.link == GammaLink::Inverse && z <= 0.0 {
            return f64::INFINITY;
        }
        expm1_minus(self.log_ratio(z, y))
    }

    fn check_target(&self, y: &[f64]) -> crate::Result<()> {
        self.check_domain(y)
    }
}

impl Family for Gamma {
    fn name(&self) -> String {
        "Gamma".into()
    }

    fn link_name(&self) -> &'static str {
        match self.link {
            GammaLink::Log => "log",
            GammaLink::Inverse => "inverse",
        }
    }

    fn mean(&self, z: f64) -> f64 {
        match self.link {
            GammaLink::Log => z.exp(),
            GammaLink::Inverse => 1.0 / z,
        }
    }

    fn link(&self, mu: f64) -> f64 {
        match self.link {
            GammaLink::Log => mu.ln(),
            GammaLink::Inverse => 1.0 / mu,
        }
    }

    fn variance(&self, mu: f64) -> f64 {
        mu * mu
    }

    fn unit_deviance(&self, y: f64, mu: f64) -> f64 {
        2.0 * expm1_minus((y / mu).ln())
    }

    fn fisher_weight(&self, z: f64) -> f64 {
        match self.link {
            GammaLink::Log => 1.0,
            GammaLink::Inverse => 1.0 / (z * z),
        }
    }

    fn estimates_scale(&self) -> bool {
        true
    }

    /// `w ln f(y; a, mu / a)`, the Gamma density with shape `a = 1 / dispersion` and scale
    /// `mu dispersion` (R's `Gamma()$aic` with `dispersion = deviance / sum(w)`).
    fn log_likelihood(&self, y: f64, mu: f64, weight: f64, _: f64, dispersion: f64) -> Option<f64> {
        let a = 1.0 / dispersion;
        let s = mu * dispersion;
        Some(weight * (-ln_gamma(a) - a * s.ln() + (a - 1.0) * y.ln() - y / s))
    }

    fn target_domain(&self) -> (fn(f64) -> bool, &'static str) {
        (
            |y| y.is_finite() && y > 0.0,
            "a Gamma target must be finite and > 0",
        )
    }
}
