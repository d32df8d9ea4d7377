//! Classification metrics.

use super::check_pair;
use crate::error::Result;

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

#[cfg(test)]
#[allow(clippy::float_cmp)] // hand-computed values are exact in binary
mod tests {
    use super::*;
    use crate::error::ModelError;

    #[test]
    fn errors_name_the_problem() {
        let e = accuracy(&[1.0], &[1.0, 0.0]).unwrap_err();
        assert!(
            e.to_string()
                .contains("y_true has 1 entries but y_pred has 2"),
            "{e}"
        );
        let e = accuracy(&[], &[]).unwrap_err();
        assert_eq!(e, ModelError::Empty { what: "y_true" });
    }

    #[test]
    fn hand_computed_values() {
        assert_eq!(
            accuracy(&[1.0, 1.0, 0.0, 0.0], &[1.0, 0.0, 0.0, 1.0]).unwrap(),
            0.5
        );
    }
}
