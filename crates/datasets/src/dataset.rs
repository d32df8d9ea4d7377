//! The [`Dataset`] type.

use linalg_core::Mat;

/// A design matrix with its target and descriptions.
///
/// # Examples
/// ```
/// use datasets::Dataset;
/// use linalg_core::mat;
/// let d = Dataset::new(mat![[1.0], [2.0]], vec![0.0, 1.0], vec!["x".into()], "toy".into());
/// assert_eq!((d.n_samples(), d.n_features()), (2, 1));
/// ```
#[derive(Clone, Debug)]
pub struct Dataset {
    /// Features, one row per sample (`n x p`).
    pub x: Mat<f64>,
    /// Target, one value per sample: class labels `0, 1, ...` stored as `f64`, or real values.
    pub y: Vec<f64>,
    /// Names of the `p` features.
    pub feature_names: Vec<String>,
    /// Names of the classes, indexed by label, for classification data; empty otherwise.
    pub target_names: Vec<String>,
    /// What the data are and where they come from.
    pub description: String,
}

impl Dataset {
    /// A data set without class names.
    ///
    /// # Panics
    /// If `y` or `feature_names` do not match the shape of `x`.
    #[must_use]
    pub fn new(x: Mat<f64>, y: Vec<f64>, feature_names: Vec<String>, description: String) -> Self {
        assert_eq!(y.len(), x.nrows(), "one target value per row");
        assert_eq!(feature_names.len(), x.ncols(), "one name per feature");
        Self {
            x,
            y,
            feature_names,
            target_names: Vec::new(),
            description,
        }
    }

    /// Number of samples (rows).
    #[must_use]
    pub fn n_samples(&self) -> usize {
        self.x.nrows()
    }

    /// Number of features (columns).
    #[must_use]
    pub fn n_features(&self) -> usize {
        self.x.ncols()
    }
}
