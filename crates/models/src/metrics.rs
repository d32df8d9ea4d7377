//! Evaluation metrics, with the conventions of scikit-learn's `sklearn.metrics`.

use crate::error::{ModelError, Result};

fn check_pair(y_true: &[f64], y_pred: &[f64]) -> Result<()> {
    if y_true.len() != y_pred.len() {
        return Err(ModelError::LengthMismatch {
            what_a: "y_true",
            len_a: y_true.len(),
            what_b: "y_pred",
            len_b: y_pred.len(),
        });
    }
    if y_true.is_empty() {
        return Err(ModelError::Empty { what: "y_true" });
    }
    for (what, v) in [("y_true", y_true), ("y_pred", y_pred)] {
        if let Some((index, &value)) = v.iter().enumerate().find(|(_, x)| !x.is_finite()) {
            return Err(ModelError::NonFinite { what, index, value });
        }
    }
    Ok(())
}

/// Fraction of predictions equal to the true labels.
///
/// # Errors
/// Length mismatch, empty input or non-finite values.
///
/// # Examples
/// ```
/// use models::metrics::accuracy;
/// assert_eq!(accuracy(&[0.0, 1.0, 1.0, 0.0], &[0.0, 1.0, 0.0, 0.0]).unwrap(), 0.75);
/// ```
pub fn accuracy(y_true: &[f64], y_pred: &[f64]) -> Result<f64> {
    check_pair(y_true, y_pred)?;
    let hits = y_true
        .iter()
        .zip(y_pred)
        .filter(|(a, b)| (*a - *b).abs() == 0.0)
        .count();
    Ok(hits as f64 / y_true.len() as f64)
}

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
        let e = accuracy(&[1.0], &[1.0, 0.0]).unwrap_err();
        assert!(
            e.to_string()
                .contains("y_true has 1 entries but y_pred has 2"),
            "{e}"
        );
        let e = mean_squared_error(&[], &[]).unwrap_err();
        assert_eq!(e, ModelError::Empty { what: "y_true" });
        let e = mean_squared_error(&[1.0, 2.0], &[1.0, f64::NAN]).unwrap_err();
        assert!(e.to_string().contains("y_pred at index 1"), "{e}");
    }

    #[test]
    fn hand_computed_values() {
        assert_eq!(
            accuracy(&[1.0, 1.0, 0.0, 0.0], &[1.0, 0.0, 0.0, 1.0]).unwrap(),
            0.5
        );
        assert_eq!(mean_squared_error(&[0.0, 0.0], &[1.0, -3.0]).unwrap(), 5.0);
    }
}
