//! Regression metrics, with scikit-learn's conventions (`sklearn.metrics`).
//!
//! With residuals `e_i = y_i - yhat_i` and the mean `ybar` of `y`:
//!
//! | metric | formula | function |
//! |---|---|---|
//! | MSE | `1/n sum e_i^2` | [`mean_squared_error`] |
//! | RMSE | `sqrt(MSE)` | [`root_mean_squared_error`] |
//! | MAE | `1/n sum abs(e_i)` | [`mean_absolute_error`] |
//! | R^2 | `1 - sum e_i^2 / sum (y_i - ybar)^2` | [`r2_score`] |
//! | explained variance | `1 - Var(e) / Var(y)` | [`explained_variance_score`] |
//!
//! Every sum is taken over the values divided by a common power of two when their magnitude
//! is beyond `2^200` or below `2^-200` (an exact division): squares of targets around `1e200`
//! would overflow, and R^2 and the explained variance are ratios that need no rescaling
//! back. The MSE of such targets can itself be beyond `f64`; it is then an error
//! ([`ModelError::Overflow`]), while the RMSE, in the units of `y`, is finite.

use super::check_pair;
use crate::error::{ModelError, Result};
use linalg_core::power_of_two_scale;

/// Values whose largest magnitude is within `[2^-200, 2^200]` are summed as they are.
const SAFE: f64 = 1.6069380442589903e60; // 2^200

/// The power of two the values of `slices` are divided by before squaring (1 in the safe
/// range).
pub(crate) fn common_scale(slices: &[&[f64]]) -> f64 {
    let big = slices
        .iter()
        .flat_map(|s| s.iter())
        .fold(0.0f64, |m, v| m.max(v.abs()));
    if big == 0.0 || (1.0 / SAFE..=SAFE).contains(&big) {
        1.0
    } else {
        power_of_two_scale(big)
    }
}

/// `scale^2 * v` as a finite number, or [`ModelError::Overflow`] naming `what`.
fn rescaled_square(what: &'static str, v: f64, scale: f64) -> Result<f64> {
    finite(what, v * scale * scale)
}

/// `out` when finite, else [`ModelError::Overflow`] naming `what`.
fn finite(what: &'static str, out: f64) -> Result<f64> {
    if out.is_finite() {
        Ok(out)
    } else {
        Err(ModelError::Overflow { what })
    }
}

/// Mean squared error `1/n sum (y_i - yhat_i)^2`.
///
/// # Errors
/// Length mismatch, empty input or non-finite values; [`ModelError::Overflow`] when the
/// MSE itself is beyond `f64` (errors above about `1e154`).
///
/// # Examples
/// ```
/// use linmod_models::metrics::mean_squared_error;
/// assert_eq!(mean_squared_error(&[3.0, -0.5, 2.0, 7.0], &[2.5, 0.0, 2.0, 8.0]).unwrap(), 0.375);
/// ```
pub fn mean_squared_error(y_true: &[f64], y_pred: &[f64]) -> Result<f64> {
    check_pair(y_true, y_pred)?;
    let scale = common_scale(&[y_true, y_pred]);
    let mean = sum_of_squared_errors(y_true, y_pred, scale) / y_true.len() as f64;
    rescaled_square("the mean squared error (the RMSE is finite)", mean, scale)
}

/// Root mean squared error `sqrt(1/n sum (y_i - yhat_i)^2)`, in the units of `y`.
///
/// # Errors
/// Length mismatch, empty input or non-finite values; [`ModelError::Overflow`] when the
/// errors themselves are beyond `f64` (differences of values of opposite sign near
/// `f64::MAX`).
///
/// # Examples
/// ```
/// use linmod_models::metrics::regression::root_mean_squared_error;
/// assert_eq!(root_mean_squared_error(&[0.0, 0.0], &[3.0, -3.0]).unwrap(), 3.0);
/// ```
pub fn root_mean_squared_error(y_true: &[f64], y_pred: &[f64]) -> Result<f64> {
    check_pair(y_true, y_pred)?;
    let scale = common_scale(&[y_true, y_pred]);
    finite(
        "the root mean squared error (errors of opposite sign near f64::MAX)",
        (sum_of_squared_errors(y_true, y_pred, scale) / y_true.len() as f64).sqrt() * scale,
    )
}

/// Mean absolute error `1/n sum |y_i - yhat_i|`.
///
/// # Errors
/// As [`root_mean_squared_error`].
///
/// # Examples
/// ```
/// use linmod_models::metrics::regression::mean_absolute_error;
/// assert_eq!(mean_absolute_error(&[3.0, -0.5, 2.0, 7.0], &[2.5, 0.0, 2.0, 8.0]).unwrap(), 0.5);
/// ```
pub fn mean_absolute_error(y_true: &[f64], y_pred: &[f64]) -> Result<f64> {
    check_pair(y_true, y_pred)?;
    let scale = common_scale(&[y_true, y_pred]);
    let total: f64 = y_true
        .iter()
        .zip(y_pred)
        .map(|(a, b)| (a / scale - b / scale).abs())
        .sum();
    finite(
        "the mean absolute error (errors of opposite sign near f64::MAX)",
        total / y_true.len() as f64 * scale,
    )
}

/// Coefficient of determination `R^2 = 1 - sum (y_i - yhat_i)^2 / sum (y_i - ybar)^2`.
///
/// 1 for a perfect prediction, 0 for predicting the mean, negative for worse. When `y_true`
/// is constant the ratio is undefined; as scikit-learn does, the result is then 1 for a
/// perfect prediction and 0 otherwise.
///
/// # Errors
/// Length mismatch, empty input or non-finite values.
///
/// # Examples
/// ```
/// use linmod_models::metrics::regression::r2_score;
/// let r2 = r2_score(&[3.0, -0.5, 2.0, 7.0], &[2.5, 0.0, 2.0, 8.0]).unwrap();
/// assert!((r2 - 0.948608137).abs() < 1e-9);
/// assert_eq!(r2_score(&[1.0, 2.0, 3.0], &[2.0, 2.0, 2.0]).unwrap(), 0.0);
/// ```
pub fn r2_score(y_true: &[f64], y_pred: &[f64]) -> Result<f64> {
    check_pair(y_true, y_pred)?;
    let scale = common_scale(&[y_true, y_pred]);
    let ss_res = sum_of_squared_errors(y_true, y_pred, scale);
    let ss_tot = sum_of_squared_deviations(y_true.iter().map(|v| v / scale));
    Ok(ratio_score(ss_res, ss_tot))
}

/// Explained variance `1 - Var(y - yhat) / Var(y)` (population variances).
///
/// Equals [`r2_score`] when the residuals have mean zero (a least-squares fit with an
/// intercept on its training data); unlike R^2 it ignores a constant bias of the
/// predictions. Constant `y_true` is handled as in [`r2_score`].
///
/// # Errors
/// Length mismatch, empty input or non-finite values.
///
/// # Examples
/// ```
/// use linmod_models::metrics::regression::explained_variance_score;
/// // a constant offset of the predictions is not penalized
/// assert_eq!(explained_variance_score(&[1.0, 2.0, 3.0], &[2.0, 3.0, 4.0]).unwrap(), 1.0);
/// ```
pub fn explained_variance_score(y_true: &[f64], y_pred: &[f64]) -> Result<f64> {
    check_pair(y_true, y_pred)?;
    let scale = common_scale(&[y_true, y_pred]);
    let ss_res = sum_of_squared_deviations(
        y_true
            .iter()
            .zip(y_pred)
            .map(|(a, b)| a / scale - b / scale),
    );
    let ss_tot = sum_of_squared_deviations(y_true.iter().map(|v| v / scale));
    Ok(ratio_score(ss_res, ss_tot))
}

/// `sum ((y_i - yhat_i) / scale)^2`.
fn sum_of_squared_errors(y_true: &[f64], y_pred: &[f64], scale: f64) -> f64 {
    y_true
        .iter()
        .zip(y_pred)
        .map(|(a, b)| {
            let e = a / scale - b / scale;
            e * e
        })
        .sum()
}

/// `sum (v_i - mean(v))^2`, computed around the mean (two passes) for accuracy.
fn sum_of_squared_deviations(v: impl Iterator<Item = f64> + Clone) -> f64 {
    let (sum, count) = v.clone().fold((0.0, 0usize), |(s, c), x| (s + x, c + 1));
    let mean = sum / count as f64;
    v.map(|x| (x - mean) * (x - mean)).sum()
}

/// `1 - ss_res / ss_tot`, with scikit-learn's convention for `ss_tot = 0`.
fn ratio_score(ss_res: f64, ss_tot: f64) -> f64 {
    if ss_tot > 0.0 {
        1.0 - ss_res / ss_tot
    } else if ss_res == 0.0 {
        1.0
    } else {
        0.0
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // hand-computed values are exact in binary
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_problem() {
        let e = mean_squared_error(&[1.0, 2.0], &[1.0, f64::NAN]).unwrap_err();
        assert!(e.to_string().contains("y_pred at index 1"), "{e}");
        for f in [
            root_mean_squared_error,
            mean_absolute_error,
            r2_score,
            explained_variance_score,
        ] {
            assert!(f(&[1.0], &[1.0, 2.0]).is_err());
            assert!(f(&[], &[]).is_err());
            assert!(f(&[f64::INFINITY], &[1.0]).is_err());
        }
    }

    #[test]
    fn hand_computed_values() {
        assert_eq!(mean_squared_error(&[0.0, 0.0], &[1.0, -3.0]).unwrap(), 5.0);
        assert_eq!(
            root_mean_squared_error(&[0.0, 0.0], &[4.0, 0.0]).unwrap(),
            8f64.sqrt()
        );
        assert_eq!(mean_absolute_error(&[0.0, 0.0], &[1.0, -3.0]).unwrap(), 2.0);
        // y = (1, 2, 3, 4), yhat = (1, 2, 3, 2): ss_res = 4, ss_tot = 5
        let r2 = r2_score(&[1.0, 2.0, 3.0, 4.0], &[1.0, 2.0, 3.0, 2.0]).unwrap();
        assert!((r2 - 0.2).abs() < 1e-15, "{r2}");
        // residuals (0, 0, 0, 2): variance 0.75; Var(y) = 1.25
        let ev = explained_variance_score(&[1.0, 2.0, 3.0, 4.0], &[1.0, 2.0, 3.0, 2.0]).unwrap();
        assert!((ev - 0.4).abs() < 1e-15, "{ev}");
    }

    #[test]
    fn constant_targets_follow_scikit_learn() {
        assert_eq!(r2_score(&[2.0, 2.0], &[2.0, 2.0]).unwrap(), 1.0);
        assert_eq!(r2_score(&[2.0, 2.0], &[2.0, 3.0]).unwrap(), 0.0);
        assert_eq!(
            explained_variance_score(&[2.0, 2.0], &[3.0, 3.0]).unwrap(),
            1.0
        );
    }

    #[test]
    fn targets_near_the_limits_of_f64_give_finite_metrics_or_a_typed_error() {
        let y = [1e300, -2e300, 3e300, 0.5e300];
        let yhat = [1.1e300, -2.1e300, 2.9e300, 0.4e300];
        let r2 = r2_score(&y, &yhat).unwrap();
        let small: Vec<f64> = y.iter().map(|v| v * 1e-300).collect();
        let small_hat: Vec<f64> = yhat.iter().map(|v| v * 1e-300).collect();
        assert!(
            (r2 - r2_score(&small, &small_hat).unwrap()).abs() < 1e-14,
            "{r2}"
        );
        let rmse = root_mean_squared_error(&y, &yhat).unwrap();
        assert!((rmse / 1e299 - 1.0).abs() < 1e-12, "{rmse}");
        let mae = mean_absolute_error(&y, &yhat).unwrap();
        assert!((mae / 1e299 - 1.0).abs() < 1e-12, "{mae}");
        let ev = explained_variance_score(&y, &yhat).unwrap();
        assert!(ev.is_finite() && ev > 0.99);
        let e = mean_squared_error(&y, &yhat).unwrap_err();
        assert!(e.to_string().contains("mean squared error"), "{e}");
        // opposite extremes: the difference of two finite values overflows
        assert!(root_mean_squared_error(&[f64::MAX], &[-f64::MAX]).is_err());
        // at 1e150 the MSE (1e298) is representable although its terms' sum of squares
        // would need care
        let m = mean_squared_error(&[1e150, -1e150], &[0.0, 0.0]).unwrap();
        assert!((m / 1e300 - 1.0).abs() < 1e-12, "{m}");
    }

    #[test]
    fn r2_is_negative_for_worse_than_the_mean() {
        assert!(r2_score(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]).unwrap() < 0.0);
    }
}
