//! Exact rescaling of the target, so that the squares inside the linear solvers (residual
//! sums, duality gaps, `lambda_max`) stay finite for any finite target.
//!
//! The objective `1/(2n) |y - X w - b|^2 + l1 |w|_1 + l2 |w|^2` with `y = s y'`, `w = s w'`,
//! `b = s b'` is `s^2` times `1/(2n) |y' - X w' - b'|^2 + (l1 / s) |w'|_1 + l2 |w'|^2`: the
//! same problem on `y / s` with `l1 / s`, whose solution times `s` is the solution. With `s` a
//! power of two both divisions and the multiplication back are exact, so the rescaled fit
//! returns the same digits. Targets of ordinary magnitude are not rescaled at all.

use std::borrow::Cow;

use linalg_core::power_of_two_scale;

use crate::data::check_target;
use crate::error::{ModelError, Result};
use crate::penalty::Penalty;

/// Targets whose largest magnitude lies in `[2^-SAFE_EXPONENT, 2^SAFE_EXPONENT]` (about
/// `6e-61 .. 1.6e60`) are used as they are: their squares, summed over any number of rows,
/// stay far from overflow and underflow.
const SAFE_EXPONENT: i32 = 200;

/// The power of two `s` the target is divided by (1 for targets of ordinary magnitude).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct TargetScale(pub f64);

/// Checks the target (one finite value per row) and returns its scale with the rescaled
/// target, which the solvers see in place of `y`.
pub(crate) fn scaled_target(y: &[f64], n_rows: usize) -> Result<(TargetScale, Cow<'_, [f64]>)> {
    check_target(y, n_rows)?;
    let target = TargetScale::for_target(y);
    let scaled = target.apply(y);
    Ok((target, scaled))
}

impl TargetScale {
    /// The scale for the finite target `y`.
    pub fn for_target(y: &[f64]) -> Self {
        let big = y.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        let safe = (2f64.powi(-SAFE_EXPONENT)..=2f64.powi(SAFE_EXPONENT)).contains(&big);
        if big == 0.0 || safe {
            Self(1.0)
        } else {
            Self(power_of_two_scale(big))
        }
    }

    /// True when the target is used as it is.
    pub fn is_unit(&self) -> bool {
        self.0.to_bits() == 1f64.to_bits()
    }

    /// `y / s` (borrowed when `s = 1`).
    pub fn apply<'a>(&self, y: &'a [f64]) -> Cow<'a, [f64]> {
        if self.is_unit() {
            Cow::Borrowed(y)
        } else {
            let inv = 1.0 / self.0;
            Cow::Owned(y.iter().map(|v| v * inv).collect())
        }
    }

    /// The penalty of the rescaled problem: `l1 / s`, `l2` unchanged.
    pub fn penalty(&self, p: Penalty) -> Penalty {
        Penalty {
            l1: p.l1 / self.0,
            l2: p.l2,
        }
    }

    /// Coefficients of the rescaled problem for starting values `v` of the original one.
    pub fn down(&self, v: &mut [f64]) {
        let inv = 1.0 / self.0;
        v.iter_mut().for_each(|x| *x *= inv);
    }

    /// Multiplies values of the rescaled problem by `s`; fails with
    /// [`ModelError::Overflow`] naming `what` when one overflows.
    pub fn up(&self, what: &'static str, v: &mut [f64]) -> Result<()> {
        for x in v.iter_mut() {
            *x *= self.0;
            if !x.is_finite() {
                return Err(ModelError::Overflow { what });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // scaling by powers of two is exact
mod tests {
    use super::*;

    #[test]
    fn ordinary_targets_are_not_rescaled_and_extreme_ones_exactly() {
        assert_eq!(TargetScale::for_target(&[1e50, -3.0]), TargetScale(1.0));
        assert_eq!(TargetScale::for_target(&[0.0, 0.0]), TargetScale(1.0));
        let s = TargetScale::for_target(&[3e250, -1e200]);
        assert!(s.0 > 1e250 && s.0 < 1e251);
        let y = [3e250, -1e200, 7.0];
        let scaled = s.apply(&y);
        let mut back = scaled.to_vec();
        s.up("y", &mut back).unwrap();
        assert_eq!(back, y.to_vec());
        let tiny = TargetScale::for_target(&[1e-300]);
        assert!(tiny.0 < 1e-299);
        assert_eq!(s.penalty(Penalty { l1: 2.0, l2: 3.0 }).l2, 3.0);
        let mut over = [f64::MAX];
        assert!(s.up("coefficients", &mut over).is_err());
    }
}
