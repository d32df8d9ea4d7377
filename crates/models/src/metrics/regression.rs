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

use super::check_pair;
use crate::error::Result;

/// Mean squared error `1/n sum (y_i - yhat_i)^2`.
///
/// # Errors
/// Length mismatch, empty input or non-finite values.
///
/// # Examples
/// ```
/// use linmod_models::metrics::mean_squared_error;
/// assert_eq!(mean_squared_error(&[3.0, -0.5, 2.0, 7.0], &[2.5, 0.0, 2.0, 8.0]).unwrap(), 0.375);
/// ```
pub fn mean_squared_error(y_true: &[f64], y_pred: &[f64]) -> Result<f64> {
    check_pair(y_true, y_pred)?;
    Ok(sum_of_squared_errors(y_true, y_pred) / y_true.len() as f64)
}

/// Root mean squared error `sqrt(1/n sum (y_i - yhat_i)^2)`, in the units of `y`.
///
/// # Errors
/// Length mismatch, empty input or non-finite values.
///
/// # Examples
/// ```
/// use linmod_models::metrics::regression::root_mean_squared_error;
/// assert_eq!(root_mean_squared_error(&[0.0, 0.0], &[3.0, -3.0]).unwrap(), 3.0);
/// ```
pub fn root_mean_squared_error(y_true: &[f64], y_pred: &[f64]) -> Result<f64> {
    mean_squared_error(y_true, y_pred).map(f64::sqrt)
}

/// Mean absolute error `1/n sum |y_i - yhat_i|`.
///
/// # Errors
/// Length mismatch, empty input or non-finite values.
///
/// # Examples
/// ```
/// use linmod_models::metrics::regression::mean_absolute_error;
/// assert_eq!(mean_absolute_error(&[3.0, -0.5, 2.0, 7.0], &[2.5, 0.0, 2.0, 8.0]).unwrap(), 0.5);
/// ```
pub fn mean_absolute_error(y_true: &[f64], y_pred: &[f64]) -> Result<f64> {
    check_pair(y_true, y_pred)?;
    let total: f64 = y_true.iter().zip(y_pred).map(|(a, b)| (a - b).abs()).sum();
    Ok(total / y_true.len() as f64)
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
    let ss_res = sum_of_squared_errors(y_true, y_pred);
    let ss_tot = sum_of_squared_deviations(y_true.iter().copied());
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
    let ss_res = sum_of_squared_deviations(y_true.iter().zip(y_pred).map(|(a, b)| a - b));
    let ss_tot = sum_of_squared_deviations(y_true.iter().copied());
    Ok(ratio_score(ss_res, ss_tot))
}

fn sum_of_squared_errors(y_true: &[f64], y_pred: &[f64]) -> f64 {
    y_true
        .iter()
        .zip(y_pred)
        .map(|(a, b)| (a - b) * (a - b))
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
    fn r2_is_negative_for_worse_than_the_mean() {
        assert!(r2_score(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]).unwrap() < 0.0);
    }
}
