//! The binary logistic loss (the negative log-likelihood of a Bernoulli outcome).

use linalg_core::{sigmoid, softplus};

use super::Loss;
use crate::error::{ModelError, Result};
use crate::labels::is_binary_label;

/// The logistic loss `l(z; y) = softplus(z) - y z = log(1 + e^z) - y z` of a label
/// `y in {0, 1}` with log odds `z`: the negative log-likelihood of `P(y = 1) = sigma(z)`.
///
/// Derivatives: `dl/dz = sigma(z) - y`, `d2l/dz2 = sigma(z)(1 - sigma(z))` (the IRLS weight).
/// Computed from `z` with the stable `softplus` and `sigmoid`: no probability is ever clipped,
/// and at infinite `z` the loss takes its limits (0 on the side of the label, infinity on the
/// other) where the formula would give NaN.
///
/// # Examples
/// ```
/// use linmod_models::loss::{Logistic, Loss};
/// assert!((Logistic.loss(0.0, 1.0) - std::f64::consts::LN_2).abs() < 1e-15);
/// let (l, d, c) = Logistic.derivatives(0.0, 1.0);
/// assert_eq!((d, c), (-0.5, 0.25));
/// assert_eq!(Logistic.loss(f64::INFINITY, 1.0), 0.0);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Logistic;

impl Loss for Logistic {
    #[inline]
    fn derivatives(&self, z: f64, y: f64) -> (f64, f64, f64) {
        let p = sigmoid(z);
        (self.loss(z, y), p - y, p * (1.0 - p))
    }

    #[inline]
    fn loss(&self, z: f64, y: f64) -> f64 {
        if z.is_infinite() {
            if (z > 0.0) == (y > 0.5) {
                0.0
            } else {
                f64::INFINITY
            }
        } else {
            softplus(z) - y * z
        }
    }

    #[inline]
    fn loss_and_derivative(&self, z: f64, y: f64) -> (f64, f64) {
        (self.loss(z, y), sigmoid(z) - y)
    }

    #[inline]
    fn curvature(&self, z: f64, _y: f64) -> f64 {
        let p = sigmoid(z);
        p * (1.0 - p)
    }

    /// Labels must be 0 or 1.
    fn check_target(&self, y: &[f64]) -> Result<()> {
        match y.iter().position(|v| !is_binary_label(*v)) {
            Some(row) => Err(ModelError::InvalidLabel {
                row,
                value: y[row],
                expected: "0 or 1".into(),
            }),
            None => Ok(()),
        }
    }
}
