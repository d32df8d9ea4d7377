//! The binomial family with the logit link: proportions of successes out of trials.

use linalg_core::{sigmoid, softplus};
use statrs::function::factorial::ln_binomial;

use super::Loss;
use super::family::{Family, x_log_ratio};

/// Binomial proportions `y = successes / trials` in `[0, 1]` with the logit link
/// `mu = sigma(z)`; the trials enter as weights. Half the unit deviance
/// `d(y, mu) = 2 [y ln(y / mu) + (1 - y) ln((1 - y) / (1 - mu))]`:
///
/// `l(z; y) = softplus(z) - y z + y ln y + (1 - y) ln(1 - y)`, `dl/dz = sigma(z) - y`,
/// `d2l/dz2 = sigma(z)(1 - sigma(z))`.
///
/// For 0/1 targets the entropy terms vanish and this is the [`Logistic`](super::Logistic)
/// loss: the GLM objective of 0/1 data is the mean log loss.
///
/// # Examples
/// ```
/// use linmod_models::loss::{Binomial, Logistic, Loss};
/// assert_eq!(Binomial.loss(0.3, 1.0), Logistic.loss(0.3, 1.0));
/// assert!(Binomial.loss(0.0, 0.5).abs() < 1e-16); // mu = y
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Binomial;

impl Loss for Binomial {
    #[inline]
    fn derivatives(&self, z: f64, y: f64) -> (f64, f64, f64) {
        let p = sigmoid(z);
        (self.loss(z, y), p - y, p * (1.0 - p))
    }

    #[inline]
    fn loss(&self, z: f64, y: f64) -> f64 {
        let entropy = if y > 0.0 && y < 1.0 {
            y * y.ln() + (1.0 - y) * (-y).ln_1p()
        } else {
            0.0
        };
        if z.is_infinite() {
            // the limits where softplus(z) - y z is infinity minus infinity
            return if (z > 0.0 && y >= 1.0) || (z < 0.0 && y <= 0.0) {
                0.0
            } else {
                f64::INFINITY
            };
        }
        softplus(z) - y * z + entropy
    }

    fn check_target(&self, y: &[f64]) -> crate::Result<()> {
        self.check_domain(y)
    }
}

impl Family for Binomial {
    fn name(&self) -> String {
        "Binomial".into()
    }

    fn link_name(&self) -> &'static str {
        "logit"
    }

    fn mean(&self, z: f64) -> f64 {
        sigmoid(z)
    }

    fn link(&self, mu: f64) -> f64 {
        (mu / (1.0 - mu)).ln()
    }

    fn variance(&self, mu: f64) -> f64 {
        mu * (1.0 - mu)
    }

    fn unit_deviance(&self, y: f64, mu: f64) -> f64 {
        2.0 * (x_log_ratio(y, mu) + x_log_ratio(1.0 - y, 1.0 - mu))
    }

    fn fisher_weight(&self, z: f64) -> f64 {
        let p = sigmoid(z);
        p * (1.0 - p)
    }

    fn estimates_scale(&self) -> bool {
        false
    }

    /// R's `binomial()$aic` term: `(w / m) ln dbinom(round(m y), round(m), mu)` with `w` the
    /// row's total weight and `m` its trials (R takes the weights for `m` when every row has a
    /// single trial).
    fn log_likelihood(&self, y: f64, mu: f64, weight: f64, trials: f64, _: f64) -> Option<f64> {
        if trials <= 0.0 {
            return Some(0.0);
        }
        let m = trials.round();
        let k = (trials * y).round();
        let ln_choose = ln_binomial(m as u64, k as u64);
        let terms = if k == 0.0 { 0.0 } else { k * mu.ln() }
            + if m - k == 0.0 {
                0.0
            } else {
                (m - k) * (-mu).ln_1p()
            };
        Some(weight / trials * (ln_choose + terms))
    }

    fn target_domain(&self) -> (fn(f64) -> bool, &'static str) {
        (
            |y| (0.0..=1.0).contains(&y),
            "a binomial target (a proportion of successes) must be in [0, 1]",
        )
    }
}
