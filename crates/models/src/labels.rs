//! Class labels stored as `f64`: 0/1 for binary models, `0, 1, ..., K-1` for multiclass
//! models, checked and turned into class indices once.

use linalg_core::MAX_CLASSES;

use crate::error::{ModelError, Result};

/// Fails unless `k` is a class count per-class buffers can be sized from (at most
/// 2^20 classes).
pub(crate) fn check_class_count(k: usize) -> Result<()> {
    if k <= MAX_CLASSES {
        Ok(())
    } else {
        Err(ModelError::InvalidParameter {
            name: "number of classes",
            value: k as f64,
            requirement: "at most 1048576 (2^20)",
        })
    }
}

/// The class index of every label, each a whole number in `0..k`.
///
/// # Errors
/// [`ModelError::InvalidLabel`] naming the first other value.
pub(crate) fn class_indices(y: &[f64], k: usize) -> Result<Vec<usize>> {
    y.iter()
        .enumerate()
        .map(|(row, &v)| {
            if v >= 0.0 && v.fract() == 0.0 && v < k as f64 {
                Ok(v as usize)
            } else {
                Err(ModelError::InvalidLabel {
                    row,
                    value: v,
                    expected: format!("whole numbers 0..{}", k.saturating_sub(1)),
                })
            }
        })
        .collect()
}

/// The number of classes `K` of training labels and their indices: the labels are whole
/// numbers `0..K-1`, every class occurs, and `K >= 2`.
///
/// # Errors
/// [`ModelError::InvalidLabel`] for a label that is not a class index, [`ModelError::MissingClass`] for a class that has no
/// samples; [`ModelError::SingleClass`]; [`ModelError::Empty`] for no labels.
pub(crate) fn training_classes(y: &[f64]) -> Result<(usize, Vec<usize>)> {
    let Some(&first) = y.first() else {
        return Err(ModelError::Empty { what: "y" });
    };
    let largest = y
        .iter()
        .copied()
        .filter(|v| v.is_finite() && *v < MAX_CLASSES as f64)
        .fold(0.0f64, f64::max);
    let k = largest as usize + 1;
    let labels = class_indices(y, k)?;
    let mut seen = vec![false; k];
    labels.iter().for_each(|&c| seen[c] = true);
    if k < 2 {
        return Err(ModelError::SingleClass { label: first });
    }
    match seen.iter().position(|s| !s) {
        Some(class) => {
            let present: Vec<usize> = (0..k).filter(|&c| seen[c]).collect();
            let shown: Vec<String> = present.iter().take(10).map(ToString::to_string).collect();
            let more = if present.len() > 10 { ", ..." } else { "" };
            Err(ModelError::MissingClass {
                class,
                n_classes: k,
                found: format!("{}{more}", shown.join(", ")),
            })
        }
        None => Ok((k, labels)),
    }
}

/// True for the labels 0 and 1 (exact: labels are whole numbers stored as `f64`).
#[allow(clippy::float_cmp)]
pub(crate) fn is_binary_label(v: f64) -> bool {
    v == 0.0 || v == 1.0
}

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

/// Number of samples per class for labels in `0..k`.
///
/// # Errors
/// [`ModelError::InvalidLabel`] for a label that is not a whole number in `0..k` (negative
/// and NaN labels included: they are never counted as class 0).
pub(crate) fn class_counts(y: &[f64], k: usize) -> Result<Vec<usize>> {
    let mut counts = vec![0usize; k];
    for c in class_indices(y, k)? {
        counts[c] += 1;
    }
    Ok(counts)
}
