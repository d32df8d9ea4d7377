//! Labels and class weights.

use serde::{Deserialize, Serialize};

use crate::data::is_binary_label;
use crate::error::{ModelError, Result};

/// Checks binary labels: every `y_i` is 0 or 1 and both classes occur.
///
/// # Errors
/// [`ModelError::InvalidLabel`] naming the first offending row and value;
/// [`ModelError::SingleClass`] when only one class occurs.
pub(crate) fn check_binary(y: &[f64]) -> Result<()> {
    if let Some((row, &value)) = y.iter().enumerate().find(|(_, v)| !is_binary_label(**v)) {
        return Err(ModelError::InvalidLabel {
            row,
            value,
            expected:
                "0 or 1 (binary logistic regression; use the multinomial model for more classes)"
                    .into(),
        });
    }
    let ones = y.iter().filter(|v| **v > 0.5).count();
    if ones == 0 || ones == y.len() {
        return Err(ModelError::SingleClass { label: y[0] });
    }
    Ok(())
}

/// Checks multiclass labels `0, 1, ..., K-1` (whole numbers, every class present, at least
/// two) and returns `K`.
///
/// # Errors
/// [`ModelError::InvalidLabel`] for a negative, fractional or non-finite label, or for a
/// class between 0 and the largest label that never occurs; [`ModelError::SingleClass`].
pub(crate) fn check_multiclass(y: &[f64]) -> Result<usize> {
    let bad = |row: usize, value: f64| ModelError::InvalidLabel {
        row,
        value,
        expected: "whole numbers 0, 1, ..., K-1".into(),
    };
    for (row, &v) in y.iter().enumerate() {
        if !(v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v < 1e6) {
            return Err(bad(row, v));
        }
    }
    let k = y.iter().fold(0.0f64, |m, v| m.max(*v)) as usize + 1;
    let counts = class_counts(y, k);
    if let Some(missing) = counts.iter().position(|&c| c == 0) {
        return Err(ModelError::InvalidLabel {
            row: 0,
            value: missing as f64,
            expected: format!(
                "every class 0..{} to occur, but class {missing} has no samples",
                k - 1
            ),
        });
    }
    if k < 2 {
        return Err(ModelError::SingleClass { label: y[0] });
    }
    Ok(k)
}

pub(crate) fn class_counts(y: &[f64], k: usize) -> Vec<usize> {
    let mut counts = vec![0usize; k];
    for &v in y {
        counts[v as usize] += 1;
    }
    counts
}

/// Weights per class, multiplied into the sample weights.
///
/// # Examples
/// ```
/// use models::logistic::ClassWeight;
/// let w = ClassWeight::Balanced.weights(&[0.0, 0.0, 0.0, 1.0], 2).unwrap();
/// assert_eq!(w, vec![4.0 / 6.0, 2.0]); // n / (K n_k)
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum ClassWeight {
    /// Every class weighs 1.
    #[default]
    Uniform,
    /// `n / (K n_k)` for class `k` (scikit-learn's "balanced").
    Balanced,
    /// One weight per class, indexed by label.
    Custom(Vec<f64>),
}

impl ClassWeight {
    /// The weight of each of the `k` classes for labels `y`.
    ///
    /// # Errors
    /// [`ModelError::LengthMismatch`] when a custom vector does not have `k` entries,
    /// [`ModelError::InvalidParameter`] for a negative or non-finite custom weight.
    pub fn weights(&self, y: &[f64], k: usize) -> Result<Vec<f64>> {
        match self {
            ClassWeight::Uniform => Ok(vec![1.0; k]),
            ClassWeight::Balanced => {
                let counts = class_counts(y, k);
                let n = y.len() as f64;
                Ok(counts
                    .iter()
                    .map(|&c| {
                        if c == 0 {
                            0.0
                        } else {
                            n / (k as f64 * c as f64)
                        }
                    })
                    .collect())
            }
            ClassWeight::Custom(w) => {
                if w.len() != k {
                    return Err(ModelError::LengthMismatch {
                        what_a: "classes",
                        len_a: k,
                        what_b: "class weights",
                        len_b: w.len(),
                    });
                }
                if let Some(&v) = w.iter().find(|v| !v.is_finite() || **v < 0.0) {
                    return Err(ModelError::InvalidParameter {
                        name: "class weight",
                        value: v,
                        requirement: "finite and >= 0",
                    });
                }
                Ok(w.clone())
            }
        }
    }
}

/// Combines sample weights and class weights into `s_i = sample_i * class_{y_i}` (or `None`
/// when both are uniform), before normalization.
pub(crate) fn combined_weights(
    sample_weight: Option<&[f64]>,
    class_weight: &ClassWeight,
    y: &[f64],
    k: usize,
) -> Result<Option<Vec<f64>>> {
    if matches!(class_weight, ClassWeight::Uniform) {
        return Ok(sample_weight.map(<[f64]>::to_vec));
    }
    let cw = class_weight.weights(y, k)?;
    Ok(Some(
        y.iter()
            .enumerate()
            .map(|(i, &label)| sample_weight.map_or(1.0, |s| s[i]) * cw[label as usize])
            .collect(),
    ))
}
