//! Evaluation metrics, with the conventions of scikit-learn's `sklearn.metrics`.
//!
//! [`regression`] and [`classification`] hold the metrics; everything is re-exported here.

pub mod classification;
pub mod regression;

pub use classification::{
    ConfusionMatrix, RocCurve, ThresholdMetrics, accuracy, brier_score, log_loss,
    precision_recall_f1, roc_auc, roc_curve, threshold_sweep,
};
pub use regression::{
    explained_variance_score, mean_absolute_error, mean_squared_error, r2_score,
    root_mean_squared_error,
};

use crate::error::{ModelError, Result};

/// Checks a pair of equally long, non-empty, finite vectors.
pub(crate) fn check_pair(y_true: &[f64], y_pred: &[f64]) -> Result<()> {
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
