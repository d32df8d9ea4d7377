//! The [`Dataset`] type and class-label helpers.

use linalg_core::Mat;

use crate::error::{DatasetError, Result};

/// Class labels must lie in `0..MAX_CLASSES`, which bounds the memory a label count takes.
///
/// # Examples
/// ```
/// assert!(linmod_datasets::class_counts(&[linmod_datasets::MAX_CLASSES as f64]).is_err());
/// ```
pub use linalg_core::MAX_CLASSES;

/// A design matrix with its target, names and provenance.
///
/// Classification targets hold the labels `0.0, 1.0, ..., K-1` as `f64`, with the class names in
/// `target_names` (indexed by label); regression targets hold real values and `target_names`
/// is empty.
///
/// The fields are public for easy access; functions that take a `Dataset` check that the
/// shapes still agree ([`Dataset::check`]).
///
/// # Examples
/// ```
/// use linmod_datasets::Dataset;
/// use linmod_datasets::mat;
/// let d = Dataset::new(mat![[1.0], [2.0]], vec![0.0, 1.0], vec!["x".into()], "toy".into())?;
/// assert_eq!((d.n_samples(), d.n_features()), (2, 1));
/// assert_eq!(d.target_name, "y");
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Dataset {
    /// Features, one row per sample (`n x p`).
    pub x: Mat<f64>,
    /// Target, one value per sample: class labels `0, 1, ...` stored as `f64`, or real values.
    pub y: Vec<f64>,
    /// Names of the `p` features.
    pub feature_names: Vec<String>,
    /// Name of the target (the CSV column it is read from or written to).
    pub target_name: String,
    /// Names of the classes, indexed by label, for classification data; empty otherwise.
    pub target_names: Vec<String>,
    /// What the data are and where they come from.
    pub description: String,
}

impl Dataset {
    /// A data set with target name `"y"` and no class names.
    ///
    /// # Errors
    /// [`DatasetError::ShapeMismatch`] if `y` or `feature_names` do not match the shape of `x`.
    ///
    /// # Examples
    /// ```
    /// use linmod_datasets::{Dataset, DatasetError};
    /// use linmod_datasets::mat;
    /// let err = Dataset::new(mat![[1.0]], vec![0.0, 1.0], vec!["x".into()], String::new());
    /// assert!(matches!(err, Err(DatasetError::ShapeMismatch { expected: 1, found: 2, .. })));
    /// ```
    pub fn new(
        x: Mat<f64>,
        y: Vec<f64>,
        feature_names: Vec<String>,
        description: String,
    ) -> Result<Self> {
        let d = Self {
            x,
            y,
            feature_names,
            target_name: "y".into(),
            target_names: Vec::new(),
            description,
        };
        d.check()?;
        Ok(d)
    }

    /// Sets the name of the target.
    ///
    /// # Examples
    /// ```
    /// let d = linmod_datasets::chd_age().with_target_name("chd");
    /// assert_eq!(d.target_name, "chd");
    /// ```
    #[must_use]
    pub fn with_target_name(mut self, name: impl Into<String>) -> Self {
        self.target_name = name.into();
        self
    }

    /// Sets the class names, indexed by label.
    ///
    /// # Examples
    /// ```
    /// let d = linmod_datasets::chd_age().with_target_names(vec!["no".into(), "yes".into()]);
    /// assert_eq!(d.target_names[1], "yes");
    /// ```
    #[must_use]
    pub fn with_target_names(mut self, names: Vec<String>) -> Self {
        self.target_names = names;
        self
    }

    /// Number of samples (rows).
    ///
    /// # Examples
    /// ```
    /// assert_eq!(linmod_datasets::wine().n_samples(), 178);
    /// ```
    #[must_use]
    pub fn n_samples(&self) -> usize {
        self.x.nrows()
    }

    /// Number of features (columns).
    ///
    /// # Examples
    /// ```
    /// assert_eq!(linmod_datasets::wine().n_features(), 13);
    /// ```
    #[must_use]
    pub fn n_features(&self) -> usize {
        self.x.ncols()
    }

    /// Checks that `y` has one value per row of `x` and `feature_names` one name per column.
    ///
    /// # Errors
    /// [`DatasetError::ShapeMismatch`] naming the part that does not fit.
    ///
    /// # Examples
    /// ```
    /// let mut d = linmod_datasets::iris();
    /// assert!(d.check().is_ok());
    /// d.y.pop();
    /// assert!(d.check().is_err());
    /// ```
    pub fn check(&self) -> Result<()> {
        if self.y.len() != self.x.nrows() {
            return Err(DatasetError::ShapeMismatch {
                what: "target values (one per row of X)",
                expected: self.x.nrows(),
                found: self.y.len(),
            });
        }
        if self.feature_names.len() != self.x.ncols() {
            return Err(DatasetError::ShapeMismatch {
                what: "feature names (one per column of X)",
                expected: self.x.ncols(),
                found: self.feature_names.len(),
            });
        }
        Ok(())
    }

    /// The data set made of the given rows, in the given order (repetitions allowed).
    ///
    /// # Errors
    /// [`DatasetError::IndexOutOfRange`] for an index `>= n_samples()`;
    /// [`DatasetError::ShapeMismatch`] if the data set itself is inconsistent.
    ///
    /// # Examples
    /// ```
    /// let iris = linmod_datasets::iris();
    /// let last_two = iris.select(&[149, 148])?;
    /// assert_eq!(last_two.y, vec![2.0, 2.0]);
    /// assert_eq!(last_two.x[(0, 0)], iris.x[(149, 0)]);
    /// # Ok::<(), linmod_datasets::DatasetError>(())
    /// ```
    pub fn select(&self, rows: &[usize]) -> Result<Self> {
        self.check()?;
        let n = self.n_samples();
        if let Some(&index) = rows.iter().find(|&&i| i >= n) {
            return Err(DatasetError::IndexOutOfRange { index, len: n });
        }
        Ok(Self {
            x: Mat::from_fn(rows.len(), self.n_features(), |i, j| self.x[(rows[i], j)]),
            y: rows.iter().map(|&i| self.y[i]).collect(),
            feature_names: self.feature_names.clone(),
            target_name: self.target_name.clone(),
            target_names: self.target_names.clone(),
            description: self.description.clone(),
        })
    }

    /// The data set whose features are the columns named `names`, in that order, found by
    /// name (moved without a copy when they are already in that order): extra columns are
    /// left out, and a name that is missing is an error naming it
    /// with close matches. `file` names the source in the error.
    ///
    /// # Errors
    /// [`DatasetError::MissingColumn`] for the first name not among the feature names.
    ///
    /// # Examples
    /// ```
    /// let d = linmod_datasets::diabetes();
    /// let two = d.clone().select_features(&["bmi".into(), "age".into()], "diabetes")?;
    /// assert_eq!(two.feature_names, vec!["bmi", "age"]);
    /// assert_eq!(two.x[(0, 1)], d.x[(0, 0)]);
    /// let err = d.select_features(&["BMI".into()], "diabetes").unwrap_err();
    /// assert!(err.to_string().contains("did you mean `bmi`?"), "{err}");
    /// # Ok::<(), linmod_datasets::DatasetError>(())
    /// ```
    pub fn select_features(
        self,
        names: &[String],
        file: impl AsRef<std::path::Path>,
    ) -> Result<Self> {
        let idx = names
            .iter()
            .map(|n| {
                self.feature_names
                    .iter()
                    .position(|f| f == n)
                    .ok_or_else(|| {
                        crate::names::missing_column(file.as_ref(), n, &self.feature_names)
                    })
            })
            .collect::<Result<Vec<usize>>>()?;
        if idx.len() == self.n_features() && idx.iter().enumerate().all(|(a, b)| a == *b) {
            // the columns are already in place: no copy
            return Ok(self);
        }
        let mut x = Mat::<f64>::new();
        x.try_reserve(self.n_samples(), idx.len())
            .map_err(|_| DatasetError::OutOfMemory {
                file: file.as_ref().to_path_buf(),
                bytes: (self.n_samples() as u64).saturating_mul(idx.len() as u64 * 8),
            })?;
        x.resize_with(self.n_samples(), idx.len(), |i, j| self.x[(i, idx[j])]);
        Ok(Self {
            x,
            feature_names: names.to_vec(),
            ..self
        })
    }

    /// Number of samples of each class, indexed by label; see [`class_counts`].
    ///
    /// # Errors
    /// [`DatasetError::NotClassLabel`] if a target value is not a class label.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(linmod_datasets::iris().class_counts()?, vec![50, 50, 50]);
    /// # Ok::<(), linmod_datasets::DatasetError>(())
    /// ```
    pub fn class_counts(&self) -> Result<Vec<usize>> {
        class_counts(&self.y)
    }
}

/// How loaders treat NaN and infinite values.
///
/// # Examples
/// ```
/// use linmod_datasets::{CsvOptions, NonFinite};
/// let opts = CsvOptions::new("y").non_finite(NonFinite::DropRows);
/// assert_eq!(NonFinite::default(), NonFinite::Reject);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum NonFinite {
    /// Fail with an error naming the first non-finite value (the default).
    #[default]
    Reject,
    /// Drop every row whose features or target hold a non-finite value.
    DropRows,
}

/// The label of a target value: `Some(k)` when the value is an integer in `0..MAX_CLASSES`.
pub(crate) fn label_of(v: f64) -> Option<usize> {
    // The range check comes first, so the cast below is exact.
    if (0.0..MAX_CLASSES as f64).contains(&v) && v.fract() == 0.0 {
        Some(v as usize)
    } else {
        None
    }
}

/// The class labels of `y` as indices.
pub(crate) fn labels(y: &[f64]) -> Result<Vec<usize>> {
    y.iter()
        .enumerate()
        .map(|(row, &value)| label_of(value).ok_or(DatasetError::NotClassLabel { row, value }))
        .collect()
}

/// Number of samples of each class: entry `k` counts the values of `y` equal to `k`; the
/// length is the largest label plus one (0 for an empty `y`).
///
/// # Errors
/// [`DatasetError::NotClassLabel`] if a value is not an integer in `0..MAX_CLASSES`.
///
/// # Examples
/// ```
/// use linmod_datasets::class_counts;
/// assert_eq!(class_counts(&[0.0, 2.0, 2.0])?, vec![1, 0, 2]);
/// assert!(class_counts(&[0.5]).is_err());
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
pub fn class_counts(y: &[f64]) -> Result<Vec<usize>> {
    let labels = labels(y)?;
    let mut counts = vec![0; labels.iter().max().map_or(0, |m| m + 1)];
    for k in labels {
        counts[k] += 1;
    }
    Ok(counts)
}

/// Names `x1, ..., xp` for features that have no names of their own (1-based, so that with
/// an intercept `beta[j]` multiplies `xj`).
pub(crate) fn numbered_names(p: usize) -> Vec<String> {
    (1..=p).map(|j| format!("x{j}")).collect()
}

/// Names `class_0, ..., class_{k-1}`.
pub(crate) fn class_names(k: usize) -> Vec<String> {
    (0..k).map(|c| format!("class_{c}")).collect()
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // selected rows are exact copies
mod tests {
    use super::*;
    use linalg_core::mat;

    #[test]
    fn new_rejects_mismatched_names() {
        let err =
            Dataset::new(mat![[1.0, 2.0]], vec![0.0], vec!["a".into()], String::new()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "shape mismatch: expected 2 feature names (one per column of X), found 1"
        );
    }

    #[test]
    fn select_copies_rows_and_rejects_bad_indices() {
        let d = Dataset::new(
            mat![[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]],
            vec![0.0, 1.0, 2.0],
            numbered_names(2),
            "t".into(),
        )
        .unwrap();
        let s = d.select(&[2, 0, 2]).unwrap();
        assert_eq!(s.y, vec![2.0, 0.0, 2.0]);
        assert_eq!((s.x[(0, 1)], s.x[(1, 0)], s.x[(2, 0)]), (6.0, 1.0, 5.0));
        let err = d.select(&[0, 3]).unwrap_err();
        assert_eq!(err.to_string(), "row index 3 is out of range for 3 rows");
    }

    #[test]
    fn labels_must_be_small_non_negative_integers() {
        for bad in [-1.0, 0.5, f64::NAN, f64::INFINITY, MAX_CLASSES as f64] {
            let err = class_counts(&[0.0, bad]).unwrap_err();
            assert!(matches!(err, DatasetError::NotClassLabel { row: 1, .. }));
        }
        assert_eq!(class_counts(&[]).unwrap(), Vec::<usize>::new());
        assert_eq!(numbered_names(2), vec!["x1", "x2"]);
    }
}
