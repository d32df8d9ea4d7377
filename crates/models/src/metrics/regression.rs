//! Regression metrics.

use super::check_pair;
use crate::error::Result;

/// Mean squared error `1/n sum (y_i - yhat_i)^2`.
///
/// # Errors
/// Length mismatch, empty input or non-finite values.
///
/// # Examples
/// ```
/// use models::metrics::mean_squared_error;
/// assert_eq!(mean_squared_error(&[3.0, -0.5, 2.0, 7.0], &[2.5, 0.0, 2.0, 8.0]).unwrap(), 0.375);
/// ```
pub fn mean_squared_error(y_true: &[f64], y_pred: &[f64]) -> Result<f64> {
    check_pair(y_true, y_pred)?;
    let n = y_true.len() as f64;
    Ok(y_true
        .iter()
        .zip(y_pred)
        .map(|(a, b)| (a - b) * (a - b))
        .sum::<f64>()
        / n)
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // hand-computed values are exact in binary
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_problem() {
        let e = mean_squared_error(&[1.0, 2.0], &[1.0, f64::NAN]).unwrap_err();
        assert!(e.to_string().contains("y_pred at index 1"), "{e}");
    }

    #[test]
    fn hand_computed_values() {
        assert_eq!(mean_squared_error(&[0.0, 0.0], &[1.0, -3.0]).unwrap(), 5.0);
    }
}
