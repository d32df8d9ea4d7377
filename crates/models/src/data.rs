//! Validation of user data: every check names the offending row, column or value.

use linalg_core::{Design, Parallelism, column_sums};

use crate::error::{ModelError, Result};

/// Checks that `x` (any [`Design`]: dense or sparse) has at least one row and column and only
/// finite values.
///
/// # Errors
/// [`ModelError::Empty`] or [`ModelError::NonFiniteFeature`] with the first bad position
/// (column by column).
///
/// # Examples
/// ```
/// use linmod_models::mat;
/// use linmod_models::{ModelError, check_design};
/// assert!(check_design(mat![[1.0, 2.0]].as_ref()).is_ok());
/// let bad = mat![[1.0, 2.0], [f64::NAN, 0.0]];
/// let err = check_design(bad.as_ref()).unwrap_err();
/// assert!(matches!(err, ModelError::NonFiniteFeature { row: 1, col: 0, .. }));
/// assert_eq!(err.to_string(), "non-finite value NaN in X at row 1, column 0");
/// ```
pub fn check_design<D: Design>(x: D) -> Result<()> {
    checked_column_sums(x).map(drop)
}

/// [`check_design`] that returns the column sums it checked with: a column without NaN or
/// infinity has a finite sum unless the sum overflows, so one vectorized pass decides, and
/// only a non-finite sum sends the column to the scan that finds the bad entry. The sums
/// give the column means at no further cost.
pub(crate) fn checked_column_sums<D: Design>(x: D) -> Result<Vec<f64>> {
    if x.nrows() == 0 {
        return Err(ModelError::Empty {
            what: "X (no rows)",
        });
    }
    if x.ncols() == 0 {
        return Err(ModelError::Empty {
            what: "X (no columns)",
        });
    }
    let sums = column_sums(&x, Parallelism::Rayon);
    for (j, s) in sums.iter().enumerate() {
        if !s.is_finite() {
            first_non_finite_feature(&x, j)?;
        }
    }
    Ok(sums)
}

/// Fails with [`ModelError::NonFiniteFeature`] at the first non-finite entry of column `j`
/// (read from the dense storage, or gathered into a vector of length `n` for other designs:
/// this runs only for a column whose sum is not finite).
fn first_non_finite_feature<D: Design>(x: &D, j: usize) -> Result<()> {
    let found = match x.as_dense() {
        Some(d) => d
            .col(j)
            .iter()
            .copied()
            .enumerate()
            .find(|(_, v)| !v.is_finite()),
        None => {
            let mut col = vec![0.0; x.nrows()];
            x.column_axpy(j, 1.0, &mut col);
            col.into_iter().enumerate().find(|(_, v)| !v.is_finite())
        }
    };
    match found {
        Some((i, v)) => Err(ModelError::NonFiniteFeature {
            row: i,
            col: j,
            value: v,
        }),
        None => Ok(()),
    }
}

/// Checks that the target has one finite value per row.
///
/// # Errors
/// [`ModelError::LengthMismatch`] or [`ModelError::NonFinite`].
pub fn check_target(y: &[f64], n_rows: usize) -> Result<()> {
    if y.len() != n_rows {
        return Err(ModelError::LengthMismatch {
            what_a: "X",
            len_a: n_rows,
            what_b: "y",
            len_b: y.len(),
        });
    }
    first_non_finite("y", y)
}

/// Fails with [`ModelError::NonFinite`] at the first non-finite entry of `v`.
pub(crate) fn first_non_finite(what: &'static str, v: &[f64]) -> Result<()> {
    match v.iter().enumerate().find(|(_, x)| !x.is_finite()) {
        Some((index, &value)) => Err(ModelError::NonFinite { what, index, value }),
        None => Ok(()),
    }
}

/// Sample weights normalized to sum to `n` (the convention of the objectives: `s_i = 1`
/// means unweighted), or `None` for unit weights.
///
/// # Errors
/// [`ModelError::LengthMismatch`] for a wrong length, [`ModelError::InvalidWeight`] for a
/// negative or non-finite weight or weights that are all zero.
///
/// # Examples
/// ```
/// let w = linmod_models::normalize_weights(Some(&[1.0, 3.0]), 2).unwrap().unwrap();
/// assert_eq!(w, vec![0.5, 1.5]);
/// assert!(linmod_models::normalize_weights(Some(&[1.0, -1.0]), 2).is_err());
/// // huge weights keep their proportions
/// let w = linmod_models::normalize_weights(Some(&[1e308, 1e308]), 2).unwrap().unwrap();
/// assert_eq!(w, vec![1.0, 1.0]);
/// ```
pub fn normalize_weights(weights: Option<&[f64]>, n: usize) -> Result<Option<Vec<f64>>> {
    let Some(w) = weights else { return Ok(None) };
    if w.len() != n {
        return Err(ModelError::LengthMismatch {
            what_a: "X",
            len_a: n,
            what_b: "sample weights",
            len_b: w.len(),
        });
    }
    if let Some((row, &value)) = w
        .iter()
        .enumerate()
        .find(|(_, v)| !v.is_finite() || **v < 0.0)
    {
        return Err(ModelError::InvalidWeight { row, value });
    }
    // Divided by the largest weight first, the sum cannot overflow (it is at most n), so
    // weights near f64's maximum keep their proportions instead of summing to infinity.
    let largest = w.iter().copied().fold(0.0, f64::max);
    if largest == 0.0 {
        return Err(ModelError::InvalidWeight { row: 0, value: 0.0 });
    }
    let total: f64 = w.iter().map(|v| v / largest).sum();
    let scale = n as f64 / total;
    Ok(Some(w.iter().map(|v| v / largest * scale).collect()))
}

/// Checks that a prediction matrix has the fitted number of features and finite values.
///
/// # Errors
/// [`ModelError::FeatureMismatch`] or [`ModelError::NonFiniteFeature`].
pub fn check_prediction_input<D: Design>(x: D, n_features: usize) -> Result<()> {
    if x.ncols() != n_features {
        return Err(ModelError::FeatureMismatch {
            expected: n_features,
            found: x.ncols(),
        });
    }
    for (j, s) in column_sums(&x, Parallelism::Rayon).iter().enumerate() {
        if !s.is_finite() {
            first_non_finite_feature(&x, j)?;
        }
    }
    Ok(())
}

/// What an overflowing prediction reports.
pub(crate) const OVERFLOW: &str =
    "the predictions (products of features and coefficients overflow: rescale the features)";

/// Fails with [`ModelError::NonFinite`] naming the first row whose outputs (`k` per row,
/// column-major `n x k`) hold NaN, or also an infinity unless `infinities_ok`: finite
/// features times finite coefficients can still overflow, and NaN must not pass for a
/// prediction. Classifiers accept infinite scores (their probabilities are exact limits).
pub(crate) fn check_outputs(values: &[f64], n: usize, infinities_ok: bool) -> Result<()> {
    let bad = |v: &f64| v.is_nan() || (!infinities_ok && v.is_infinite());
    match values.iter().position(bad) {
        Some(k) => Err(ModelError::NonFinite {
            what: OVERFLOW,
            index: k % n.max(1),
            value: values[k],
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn design_checks_find_the_bad_entry_and_accept_sums_that_overflow() {
        let mut x = linalg_core::Mat::<f64>::zeros(4, 3);
        x[(2, 1)] = f64::NEG_INFINITY;
        x[(3, 1)] = f64::NAN;
        x[(0, 2)] = f64::NAN;
        let e = check_design(x.as_ref()).unwrap_err();
        assert!(
            matches!(e, ModelError::NonFiniteFeature { row: 2, col: 1, value } if value == f64::NEG_INFINITY),
            "{e}"
        );
        let e = check_prediction_input(x.as_ref(), 3).unwrap_err();
        assert!(
            matches!(e, ModelError::NonFiniteFeature { row: 2, col: 1, .. }),
            "{e}"
        );
        // finite entries whose column sum overflows are valid data
        let big = linalg_core::Mat::<f64>::from_fn(3, 2, |_, _| f64::MAX);
        assert!(check_design(big.as_ref()).is_ok());
        assert!(check_prediction_input(big.as_ref(), 2).is_ok());
    }

    #[test]
    fn overflowing_outputs_are_located_by_row() {
        let nan_in_row_1_of_class_1 = [0.0, 1.0, 2.0, f64::NAN];
        let e = check_outputs(&nan_in_row_1_of_class_1, 2, true).unwrap_err();
        assert!(matches!(e, ModelError::NonFinite { index: 1, value, .. } if value.is_nan()));
        assert!(check_outputs(&[f64::INFINITY, 0.0], 2, true).is_ok());
        let e = check_outputs(&[0.0, f64::NEG_INFINITY], 2, false).unwrap_err();
        assert!(e.to_string().contains("overflow"), "{e}");
    }
}
