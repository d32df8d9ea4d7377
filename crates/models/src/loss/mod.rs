//! Losses of one row in its linear predictor: the only place where a model's loss, and its
//! first and second derivatives, are written.
//!
//! A generalized linear model scores row `i` by its linear predictor `z_i = x_i.w + b` (plus an
//! offset) and pays a loss `l(z_i; y_i)`. Everything else (the passes over `X`, weights,
//! penalties, intercepts, the Hessian as a weighted Gram matrix) is the same for every loss
//! and lives in [`LinearObjective`](crate::objective::LinearObjective). A new loss is one type
//! implementing [`Loss`]; it then runs with every solver.
//!
//! | loss | `l(z; y)` | `dl/dz` | `d2l/dz2` | function |
//! |---|---|---|---|---|
//! | [`Logistic`] | `softplus(z) - y z` | `sigma(z) - y` | `sigma(z)(1 - sigma(z))` | [`Logistic::derivatives`] |
//! | [`Squared`] | `(z - y)^2 / 2` | `z - y` | `1` | [`Squared::derivatives`] |
//! | [`Softmax`] (K outputs) | `logsumexp(z) - z_y` | `softmax(z) - e_y` | `diag(p) - p p^T` | [`Softmax::row_gradient`] |
//! | [`Poisson`] (log link) | `y ln y - y z - y + e^z` | `e^z - y` | `e^z` | [`Poisson::derivatives`] |
//! | [`Gamma`] (log link) | `y e^{-z} - ln y + z - 1` | `1 - y e^{-z}` | `y e^{-z}` | [`Gamma::derivatives`] |
//! | [`Gamma`] (inverse link) | `y z - ln(y z) - 1` | `y - 1/z` | `1/z^2` | [`Gamma::derivatives`] |
//! | [`Tweedie`] (log link, `p != 2`) | `y^{2-p}/((1-p)(2-p)) - y mu^{1-p}/(1-p) + mu^{2-p}/(2-p)` | `mu^{1-p}(mu - y)` | `(2-p) mu^{2-p} + (p-1) y mu^{1-p}` (`mu^{2-p}` for `p > 2`) | [`Tweedie::derivatives`] |
//! | [`Binomial`] (logit, `y` a proportion) | `softplus(z) - y z + y ln y + (1-y) ln(1-y)` | `sigma(z) - y` | `sigma(z)(1 - sigma(z))` | [`Binomial::derivatives`] |
//!
//! The generalized-linear-model families (the last four) are half unit deviances, so that the
//! mean loss is `1/(2n) sum_i s_i d(y_i, mu_i)`; [`Family`] adds their means, variances,
//! deviances and expected information.

mod binomial;
mod family;
mod gamma;
mod logistic;
mod multi;
mod poisson;
mod softmax;
mod squared;
mod tweedie;

pub use binomial::Binomial;
pub use family::Family;
pub use gamma::{Gamma, GammaLink};
pub use logistic::Logistic;
pub use multi::MultiLoss;
pub use poisson::Poisson;
pub use softmax::{Softmax, cross_entropy};
pub use squared::Squared;
pub use tweedie::Tweedie;

use crate::error::Result;

/// The loss of one row as a function of its linear predictor `z` and target `y`, with its
/// first two derivatives in `z`.
///
/// Implement [`derivatives`](Self::derivatives) (and [`loss`](Self::loss) when the value alone
/// is cheaper); the blocked kernels, the objective, its gradient, Hessian, Hessian-vector
/// products, minibatch estimates and every solver follow.
///
/// Convexity in `z` (`d2l/dz2 >= 0`) is what makes Newton's method, L-BFGS and coordinate
/// descent converge to the global minimum; a loss that is not convex still runs, with the
/// solvers' usual guarantees for non-convex functions.
///
/// # Examples
/// The Huber loss, smooth enough for every solver:
/// ```
/// use linmod_models::loss::Loss;
/// struct Huber(f64);
/// impl Loss for Huber {
///     fn derivatives(&self, z: f64, y: f64) -> (f64, f64, f64) {
///         let r = z - y;
///         if r.abs() <= self.0 {
///             (0.5 * r * r, r, 1.0)
///         } else {
///             (self.0 * (r.abs() - 0.5 * self.0), self.0 * r.signum(), 0.0)
///         }
///     }
/// }
/// assert_eq!(Huber(1.0).loss(3.0, 0.0), 2.5);
/// ```
pub trait Loss: Sync {
    /// `(l(z; y), dl/dz, d2l/dz2)`.
    fn derivatives(&self, z: f64, y: f64) -> (f64, f64, f64);

    /// `l(z; y)`.
    fn loss(&self, z: f64, y: f64) -> f64 {
        self.derivatives(z, y).0
    }

    /// `(l(z; y), dl/dz)`.
    fn loss_and_derivative(&self, z: f64, y: f64) -> (f64, f64) {
        let (l, d, _) = self.derivatives(z, y);
        (l, d)
    }

    /// `d2l/dz2`.
    fn curvature(&self, z: f64, y: f64) -> f64 {
        self.derivatives(z, y).2
    }

    /// Checks the targets this loss is defined for (default: finite values).
    ///
    /// # Errors
    /// [`ModelError::NonFinite`](crate::ModelError::NonFinite) (or a loss-specific error) naming
    /// the first invalid target.
    fn check_target(&self, y: &[f64]) -> Result<()> {
        crate::data::first_non_finite("target", y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::float_cmp)] // the limits are exact
    fn losses_at_infinite_scores_are_their_limits() {
        let (inf, ninf) = (f64::INFINITY, f64::NEG_INFINITY);
        assert_eq!(Logistic.loss(inf, 1.0), 0.0);
        assert_eq!(Logistic.loss(ninf, 0.0), 0.0);
        assert_eq!(Logistic.loss(ninf, 1.0), inf);
        assert_eq!(cross_entropy(&mut [ninf, ninf], 0), std::f64::consts::LN_2);
        assert_eq!(
            cross_entropy(&mut [inf, inf, 0.0], 1),
            std::f64::consts::LN_2
        );
        assert_eq!(cross_entropy(&mut [inf, 0.0], 1), inf);
        assert!((cross_entropy(&mut [0.0, 0.0], 0) - std::f64::consts::LN_2).abs() < 1e-15);
    }
}
