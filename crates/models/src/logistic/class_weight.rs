//! Labels and class weights.

use serde::{Deserialize, Serialize};

use crate::error::{ModelError, Result};
use crate::labels::{check_class_count, class_counts};

/// Weights per class, multiplied into the sample weights.
///
/// # Examples
/// ```
/// use linmod_models::logistic::ClassWeight;
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
    /// [`ModelError::InvalidParameter`] for a negative or non-finite custom weight or more than
    /// 2^20 classes,
    /// [`ModelError::InvalidLabel`] (balanced weights) for a label that is not a whole number
    /// in `0..k`.
    ///
    /// # Examples
    /// ```
    /// use linmod_models::logistic::ClassWeight;
    /// assert!(ClassWeight::Balanced.weights(&[0.0, 5.0], 2).is_err());
    /// assert!(ClassWeight::Balanced.weights(&[0.0, -1.0], 2).is_err());
    /// ```
    pub fn weights(&self, y: &[f64], k: usize) -> Result<Vec<f64>> {
        check_class_count(k)?;
        match self {
            ClassWeight::Uniform => Ok(vec![1.0; k]),
            ClassWeight::Balanced => {
                let counts = class_counts(y, k)?;
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
