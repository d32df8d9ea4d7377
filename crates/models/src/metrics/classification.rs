//! Classification metrics.

use super::check_pair;
use crate::error::{ModelError, Result};
use crate::labels::is_binary_label;

/// Fraction of predictions equal to the true labels.
///
/// # Errors
/// Length mismatch, empty input or non-finite values.
///
/// # Examples
/// ```
/// use linmod_models::metrics::accuracy;
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

/// Checks that every entry of `y` is 0 or 1.
fn check_binary_labels(what: &'static str, y: &[f64]) -> Result<()> {
    match y.iter().enumerate().find(|(_, v)| !is_binary_label(**v)) {
        Some((row, &value)) => Err(ModelError::InvalidLabel {
            row,
            value,
            expected: format!("0 or 1 in {what}"),
        }),
        None => Ok(()),
    }
}

/// Checks that every entry of `y` is a whole number in `0..k`.
fn check_class_labels(what: &'static str, y: &[f64], k: usize) -> Result<()> {
    match y
        .iter()
        .enumerate()
        .find(|(_, v)| !(**v >= 0.0 && v.fract() == 0.0 && (**v as usize) < k))
    {
        Some((row, &value)) => Err(ModelError::InvalidLabel {
            row,
            value,
            expected: format!("whole numbers 0..{} in {what}", k.saturating_sub(1)),
        }),
        None => Ok(()),
    }
}

/// A `K x K` confusion matrix: `counts[t][p]` is the number of samples of true class `t`
/// predicted as class `p`.
///
/// # Examples
/// ```
/// use linmod_models::metrics::ConfusionMatrix;
/// let cm = ConfusionMatrix::new(&[0.0, 0.0, 1.0, 1.0, 1.0], &[0.0, 1.0, 1.0, 1.0, 0.0], 2).unwrap();
/// assert_eq!(cm.counts, vec![vec![1, 1], vec![1, 2]]);
/// assert_eq!(cm.precision(1)?, 2.0 / 3.0);
/// assert_eq!(cm.recall(1)?, 2.0 / 3.0);
/// assert!(cm.precision(5).is_err()); // no class 5 among 2
/// # Ok::<(), linmod_models::ModelError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfusionMatrix {
    /// Counts, rows = true class, columns = predicted class.
    pub counts: Vec<Vec<usize>>,
}

impl ConfusionMatrix {
    /// Counts the pairs `(y_true_i, y_pred_i)` for labels `0..k`.
    ///
    /// The matrix takes `8 k^2` bytes; [`top_confusions`](Self::top_confusions) summarizes a
    /// large one.
    ///
    /// # Errors
    /// Length mismatch, empty input, non-finite values, or labels outside `0..k`;
    /// [`ModelError::InvalidParameter`] for more than 2^20 classes and
    /// [`ModelError::OutOfMemory`] when the `k x k` counts cannot be allocated.
    pub fn new(y_true: &[f64], y_pred: &[f64], k: usize) -> Result<Self> {
        check_pair(y_true, y_pred)?;
        crate::labels::check_class_count(k)?;
        check_class_labels("y_true", y_true, k)?;
        check_class_labels("y_pred", y_pred, k)?;
        crate::memory::ensure_square(k, 1, "the k x k confusion matrix")?;
        let mut counts = vec![vec![0usize; k]; k];
        for (&t, &p) in y_true.iter().zip(y_pred) {
            counts[t as usize][p as usize] += 1;
        }
        Ok(Self { counts })
    }

    /// Number of classes.
    #[must_use]
    pub fn n_classes(&self) -> usize {
        self.counts.len()
    }

    fn predicted(&self, c: usize) -> usize {
        self.counts.iter().map(|row| row[c]).sum()
    }

    fn actual(&self, c: usize) -> usize {
        self.counts[c].iter().sum()
    }

    /// Fails unless `c` is one of the classes.
    fn check_class(&self, c: usize) -> Result<()> {
        if c < self.n_classes() {
            Ok(())
        } else {
            Err(ModelError::InvalidLabel {
                row: c,
                value: c as f64,
                expected: format!("a class of the matrix, 0..{}", self.n_classes() - 1),
            })
        }
    }

    /// Precision of class `c`: `TP / (TP + FP)`; 0 when nothing was predicted as `c`
    /// (scikit-learn's `zero_division=0`).
    ///
    /// # Errors
    /// [`ModelError::InvalidLabel`] when `c` is not a class of the matrix.
    pub fn precision(&self, c: usize) -> Result<f64> {
        self.check_class(c)?;
        Ok(self.precision_of(c))
    }

    /// Recall of class `c`: `TP / (TP + FN)`; 0 when class `c` does not occur.
    ///
    /// # Errors
    /// [`ModelError::InvalidLabel`] when `c` is not a class of the matrix.
    pub fn recall(&self, c: usize) -> Result<f64> {
        self.check_class(c)?;
        Ok(self.recall_of(c))
    }

    /// F1 score of class `c`: the harmonic mean `2 P R / (P + R)` (0 when both are 0).
    ///
    /// # Errors
    /// [`ModelError::InvalidLabel`] when `c` is not a class of the matrix.
    pub fn f1(&self, c: usize) -> Result<f64> {
        self.check_class(c)?;
        Ok(self.f1_of(c))
    }

    fn precision_of(&self, c: usize) -> f64 {
        ratio(self.counts[c][c], self.predicted(c))
    }

    fn recall_of(&self, c: usize) -> f64 {
        ratio(self.counts[c][c], self.actual(c))
    }

    fn f1_of(&self, c: usize) -> f64 {
        let (p, r) = (self.precision_of(c), self.recall_of(c));
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    /// The `count` largest off-diagonal cells, largest first (ties by true, then predicted
    /// class): `(true class, predicted class, samples)`. The summary of a matrix too large to
    /// print.
    ///
    /// # Examples
    /// ```
    /// use linmod_models::metrics::ConfusionMatrix;
    /// let cm = ConfusionMatrix::new(&[0.0, 1.0, 1.0, 2.0], &[1.0, 2.0, 2.0, 2.0], 3).unwrap();
    /// assert_eq!(cm.top_confusions(5), vec![(1, 2, 2), (0, 1, 1)]);
    /// ```
    #[must_use]
    pub fn top_confusions(&self, count: usize) -> Vec<(usize, usize, usize)> {
        let mut cells: Vec<(usize, usize, usize)> = self
            .counts
            .iter()
            .enumerate()
            .flat_map(|(t, row)| {
                row.iter()
                    .enumerate()
                    .filter(move |&(p, &c)| p != t && c > 0)
                    .map(move |(p, &c)| (t, p, c))
            })
            .collect();
        cells.sort_by(|a, b| b.2.cmp(&a.2).then((a.0, a.1).cmp(&(b.0, b.1))));
        cells.truncate(count);
        cells
    }

    /// Fraction of samples on the diagonal.
    #[must_use]
    pub fn accuracy(&self) -> f64 {
        let total: usize = self.counts.iter().flatten().sum();
        ratio(
            (0..self.n_classes()).map(|c| self.counts[c][c]).sum(),
            total,
        )
    }

    /// Unweighted mean over classes of precision, recall and F1 ("macro" averages).
    #[must_use]
    pub fn macro_averages(&self) -> (f64, f64, f64) {
        let k = self.n_classes() as f64;
        let sum = |f: &dyn Fn(usize) -> f64| (0..self.n_classes()).map(f).sum::<f64>() / k;
        (
            sum(&|c| self.precision_of(c)),
            sum(&|c| self.recall_of(c)),
            sum(&|c| self.f1_of(c)),
        )
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Precision, recall and F1 of the positive class (label 1) of a binary problem.
///
/// # Errors
/// Length mismatch, empty input, non-finite values, or labels other than 0/1.
///
/// # Examples
/// ```
/// use linmod_models::metrics::precision_recall_f1;
/// let (p, r, f1) = precision_recall_f1(&[1.0, 1.0, 0.0, 0.0], &[1.0, 0.0, 1.0, 0.0]).unwrap();
/// assert_eq!((p, r, f1), (0.5, 0.5, 0.5));
/// ```
pub fn precision_recall_f1(y_true: &[f64], y_pred: &[f64]) -> Result<(f64, f64, f64)> {
    check_binary_labels("y_true", y_true)?;
    check_binary_labels("y_pred", y_pred)?;
    let cm = ConfusionMatrix::new(y_true, y_pred, 2)?;
    Ok((cm.precision_of(1), cm.recall_of(1), cm.f1_of(1)))
}

/// Points of the ROC curve of scores for a binary problem.
#[derive(Clone, Debug, PartialEq)]
pub struct RocCurve {
    /// False-positive rates, increasing from 0 to 1.
    pub fpr: Vec<f64>,
    /// True-positive rates, increasing from 0 to 1.
    pub tpr: Vec<f64>,
    /// The score threshold of each point (`score >= threshold` is predicted positive); the
    /// first is `+inf` (nothing predicted positive).
    pub thresholds: Vec<f64>,
}

/// The ROC curve: one point per distinct score, from the highest threshold down (as
/// scikit-learn's `roc_curve(drop_intermediate=False)`).
///
/// # Errors
/// Length mismatch, empty input, non-finite scores, labels other than 0/1, or a single class
/// (the rates are undefined).
///
/// # Examples
/// ```
/// use linmod_models::metrics::roc_curve;
/// let roc = roc_curve(&[0.0, 0.0, 1.0, 1.0], &[0.1, 0.4, 0.35, 0.8]).unwrap();
/// assert_eq!(roc.fpr, vec![0.0, 0.0, 0.5, 0.5, 1.0]);
/// assert_eq!(roc.tpr, vec![0.0, 0.5, 0.5, 1.0, 1.0]);
/// ```
pub fn roc_curve(y_true: &[f64], scores: &[f64]) -> Result<RocCurve> {
    check_pair(y_true, scores)?;
    check_binary_labels("y_true", y_true)?;
    let pos = y_true.iter().filter(|v| **v > 0.5).count();
    let neg = y_true.len() - pos;
    if pos == 0 || neg == 0 {
        return Err(ModelError::SingleClass { label: y_true[0] });
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let mut curve = RocCurve {
        fpr: vec![0.0],
        tpr: vec![0.0],
        thresholds: vec![f64::INFINITY],
    };
    let (mut tp, mut fp) = (0usize, 0usize);
    for (rank, &i) in order.iter().enumerate() {
        if y_true[i] > 0.5 {
            tp += 1;
        } else {
            fp += 1;
        }
        let last_of_tie = order
            .get(rank + 1)
            .is_none_or(|&j| scores[j].partial_cmp(&scores[i]).is_some_and(|o| o.is_ne()));
        if last_of_tie {
            curve.fpr.push(fp as f64 / neg as f64);
            curve.tpr.push(tp as f64 / pos as f64);
            curve.thresholds.push(scores[i]);
        }
    }
    Ok(curve)
}

/// Area under the ROC curve by the trapezoidal rule: the probability that a random positive
/// scores above a random negative (ties count one half), i.e. the Mann-Whitney statistic
/// `U / (n_pos n_neg)`.
///
/// # Errors
/// As [`roc_curve`].
///
/// # Examples
/// ```
/// use linmod_models::metrics::roc_auc;
/// assert_eq!(roc_auc(&[0.0, 0.0, 1.0, 1.0], &[0.1, 0.4, 0.35, 0.8]).unwrap(), 0.75);
/// ```
pub fn roc_auc(y_true: &[f64], scores: &[f64]) -> Result<f64> {
    let roc = roc_curve(y_true, scores)?;
    Ok(roc
        .fpr
        .windows(2)
        .zip(roc.tpr.windows(2))
        .map(|(f, t)| (f[1] - f[0]) * (t[0] + t[1]) / 2.0)
        .sum())
}

/// Mean log loss of predicted probabilities `p_i = P(y_i = 1)`:
/// `-1/n sum_i [y_i log p_i + (1 - y_i) log(1 - p_i)]`.
///
/// Probabilities are not clipped: a probability of exactly 0 for a positive label gives an
/// infinite loss, which is the truth. Fitted models compute their log loss from the log odds
/// instead (`FittedLogistic::log_loss`), which is exact where `p` rounds to 0 or 1.
///
/// # Errors
/// Length mismatch, empty input, labels other than 0/1, or probabilities outside `[0, 1]`.
///
/// # Examples
/// ```
/// use linmod_models::metrics::log_loss;
/// // the course's single examples: P = 0.96 and P = 0.014 for a positive label
/// assert!((log_loss(&[1.0], &[0.96]).unwrap() - 0.0408).abs() < 1e-4);
/// assert!((log_loss(&[1.0], &[0.014]).unwrap() - 4.2687).abs() < 1e-4);
/// ```
pub fn log_loss(y_true: &[f64], proba: &[f64]) -> Result<f64> {
    check_probabilities(y_true, proba)?;
    let total: f64 = y_true
        .iter()
        .zip(proba)
        .map(|(&y, &p)| if y > 0.5 { -p.ln() } else { -(1.0 - p).ln() })
        .sum();
    Ok(total / y_true.len() as f64)
}

/// Brier score `1/n sum_i (p_i - y_i)^2` of probabilities of the positive class.
///
/// # Errors
/// As [`log_loss`].
///
/// # Examples
/// ```
/// use linmod_models::metrics::brier_score;
/// assert_eq!(brier_score(&[1.0, 0.0], &[0.75, 0.5]).unwrap(), (0.0625 + 0.25) / 2.0);
/// ```
pub fn brier_score(y_true: &[f64], proba: &[f64]) -> Result<f64> {
    check_probabilities(y_true, proba)?;
    Ok(y_true
        .iter()
        .zip(proba)
        .map(|(y, p)| (p - y) * (p - y))
        .sum::<f64>()
        / y_true.len() as f64)
}

fn check_probabilities(y_true: &[f64], proba: &[f64]) -> Result<()> {
    check_pair(y_true, proba)?;
    check_binary_labels("y_true", y_true)?;
    match proba
        .iter()
        .enumerate()
        .find(|(_, p)| !(0.0..=1.0).contains(*p))
    {
        Some((index, &value)) => Err(ModelError::InvalidProbability { index, value }),
        None => Ok(()),
    }
}

/// The metrics of the labels `1[p_i >= threshold]` at one threshold.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ThresholdMetrics {
    /// The threshold.
    pub threshold: f64,
    /// Accuracy.
    pub accuracy: f64,
    /// Precision of the positive class.
    pub precision: f64,
    /// Recall of the positive class.
    pub recall: f64,
    /// F1 of the positive class.
    pub f1: f64,
}

/// Accuracy, precision, recall and F1 of the positive class when probabilities are mapped to
/// labels with each threshold (the course maps with 0.5, or 0.75 for a spam filter).
///
/// # Errors
/// As [`log_loss`], and thresholds outside `[0, 1]`.
///
/// # Examples
/// ```
/// use linmod_models::metrics::threshold_sweep;
/// let rows = threshold_sweep(&[0.0, 1.0, 1.0], &[0.3, 0.6, 0.9], &[0.5, 0.75]).unwrap();
/// assert_eq!(rows[0].recall, 1.0);
/// assert_eq!(rows[1].recall, 0.5);
/// ```
pub fn threshold_sweep(
    y_true: &[f64],
    proba: &[f64],
    thresholds: &[f64],
) -> Result<Vec<ThresholdMetrics>> {
    check_probabilities(y_true, proba)?;
    thresholds
        .iter()
        .map(|&t| {
            if !(0.0..=1.0).contains(&t) {
                return Err(ModelError::InvalidParameter {
                    name: "threshold",
                    value: t,
                    requirement: "in [0, 1]",
                });
            }
            let pred: Vec<f64> = proba.iter().map(|&p| f64::from(u8::from(p >= t))).collect();
            let cm = ConfusionMatrix::new(y_true, &pred, 2)?;
            Ok(ThresholdMetrics {
                threshold: t,
                accuracy: cm.accuracy(),
                precision: cm.precision_of(1),
                recall: cm.recall_of(1),
                f1: cm.f1_of(1),
            })
        })
        .collect()
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
