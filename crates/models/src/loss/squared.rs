//! The squared loss of least squares.

use super::Loss;

/// The squared loss `l(z; y) = (z - y)^2 / 2`, with `dl/dz = z - y` and `d2l/dz2 = 1`: its mean
/// is the objective `1/(2n) sum (y_i - x_i.w - b)^2` of linear regression.
///
/// # Examples
/// ```
/// use linmod_models::loss::{Loss, Squared};
/// assert_eq!(Squared.derivatives(3.0, 1.0), (2.0, 2.0, 1.0));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Squared;

impl Loss for Squared {
    #[inline]
    fn derivatives(&self, z: f64, y: f64) -> (f64, f64, f64) {
        let r = z - y;
        (0.5 * r * r, r, 1.0)
    }
}
