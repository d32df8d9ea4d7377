//! Standardization of the features.

use linalg_core::{Mat, MatMut, MatRef, column_means, column_stds};

use crate::error::{DatasetError, Result, invalid};

/// Centres every feature on its training mean and divides it by its training standard
/// deviation (population, `ddof = 0`, as scikit-learn's `StandardScaler`).
///
/// Fit it on the training rows only, then transform the training and the test rows with the
/// same statistics. A constant column gets scale 1 (as in scikit-learn), so it becomes zeros
/// instead of NaN: a column counts as constant when its standard deviation is within the
/// rounding error of its mean, `std <= n eps |mean|`.
///
/// # Examples
/// ```
/// use linmod_datasets::StandardScaler;
/// use linmod_datasets::mat;
/// let train = mat![[1.0, 5.0], [3.0, 5.0]];
/// let (scaler, z) = StandardScaler::fit_transform(train.as_ref())?;
/// assert_eq!(scaler.mean(), &[2.0, 5.0]);
/// assert_eq!(scaler.scale(), &[1.0, 1.0]); // the constant column keeps scale 1
/// assert_eq!(z, mat![[-1.0, 0.0], [1.0, 0.0]]);
/// let back = scaler.inverse_transform(z.as_ref())?;
/// assert_eq!(back, train);
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct StandardScaler {
    mean: Vec<f64>,
    scale: Vec<f64>,
}

impl StandardScaler {
    /// Learns the mean and the scale of every column of `x`.
    ///
    /// The statistics are exact for columns of any magnitude: a column whose squares would
    /// overflow (values around `1e160`) or underflow is rescaled by a power of two first.
    ///
    /// # Errors
    /// [`DatasetError::InvalidParameter`] if `x` has no rows;
    /// [`DatasetError::NonFiniteValue`] if it holds NaN or an infinity, or if a column's
    /// values span more than the range of `f64` (its deviations from the mean overflow).
    ///
    /// # Examples
    /// ```
    /// use linmod_datasets::StandardScaler;
    /// let iris = linmod_datasets::iris();
    /// let s = StandardScaler::fit(iris.x.as_ref())?;
    /// assert!((s.mean()[0] - 5.843333).abs() < 1e-6);
    /// assert!((s.scale()[0] - 0.825301).abs() < 1e-6);
    /// # Ok::<(), linmod_datasets::DatasetError>(())
    /// ```
    pub fn fit(x: MatRef<'_, f64>) -> Result<Self> {
        let n = x.nrows();
        if n == 0 {
            return Err(invalid("x", "a matrix with 0 rows", "at least 1 row"));
        }
        for j in 0..x.ncols() {
            if let Some((row, &value)) = x.col(j).iter().enumerate().find(|(_, v)| !v.is_finite()) {
                return Err(DatasetError::NonFiniteValue {
                    what: "the matrix passed to StandardScaler::fit",
                    row,
                    column: j,
                    value,
                });
            }
        }
        // both are computed without overflow for any finite column (linalg-core rescales a
        // column whose sum or squares would overflow, or whose squares would underflow)
        let mean = column_means(x, None);
        let std = column_stds(x, &mean, 0);
        if let Some(j) = std.iter().position(|s| !s.is_finite()) {
            return Err(DatasetError::NonFiniteValue {
                what: "the standard deviations computed by StandardScaler::fit (the column's \
                       values span more than the range of f64)",
                row: 0,
                column: j,
                value: std[j],
            });
        }
        let scale = mean
            .iter()
            .zip(std)
            .map(|(m, s)| {
                // A constant column's computed deviation is the rounding error of its mean.
                if s <= n as f64 * f64::EPSILON * m.abs() || s == 0.0 {
                    1.0
                } else {
                    s
                }
            })
            .collect();
        Ok(Self { mean, scale })
    }

    /// A scaler with known statistics (for example saved from an earlier fit).
    ///
    /// # Errors
    /// [`DatasetError::ShapeMismatch`] if the lengths differ;
    /// [`DatasetError::InvalidParameter`] for a non-finite mean or a scale that is not finite
    /// and positive.
    ///
    /// # Examples
    /// ```
    /// use linmod_datasets::StandardScaler;
    /// let s = StandardScaler::from_parts(vec![1.0], vec![2.0])?;
    /// assert!(StandardScaler::from_parts(vec![1.0], vec![0.0]).is_err());
    /// # Ok::<(), linmod_datasets::DatasetError>(())
    /// ```
    pub fn from_parts(mean: Vec<f64>, scale: Vec<f64>) -> Result<Self> {
        if mean.len() != scale.len() {
            return Err(DatasetError::ShapeMismatch {
                what: "scales (one per mean)",
                expected: mean.len(),
                found: scale.len(),
            });
        }
        if let Some(m) = mean.iter().find(|m| !m.is_finite()) {
            return Err(invalid("mean", m, "finite values"));
        }
        if let Some(s) = scale.iter().find(|s| !(s.is_finite() && **s > 0.0)) {
            return Err(invalid("scale", s, "finite positive values"));
        }
        Ok(Self { mean, scale })
    }

    /// [`StandardScaler::fit`] then [`StandardScaler::transform`] on the same matrix.
    ///
    /// # Errors
    /// As [`StandardScaler::fit`].
    ///
    /// # Examples
    /// See [`StandardScaler`].
    pub fn fit_transform(x: MatRef<'_, f64>) -> Result<(Self, Mat<f64>)> {
        let scaler = Self::fit(x)?;
        let z = scaler.transform(x)?;
        Ok((scaler, z))
    }

    /// The mean of every feature.
    ///
    /// # Examples
    /// See [`StandardScaler`].
    #[must_use]
    pub fn mean(&self) -> &[f64] {
        &self.mean
    }

    /// The scale of every feature: its standard deviation, or 1 for a constant feature.
    #[must_use]
    pub fn scale(&self) -> &[f64] {
        &self.scale
    }

    /// The number of features.
    #[must_use]
    pub fn n_features(&self) -> usize {
        self.mean.len()
    }

    /// `(x - mean) / scale`, column by column, into a new matrix.
    ///
    /// NaN stays NaN; finite values give finite values, or an error.
    ///
    /// # Errors
    /// [`DatasetError::ShapeMismatch`] if `x` does not have [`StandardScaler::n_features`]
    /// columns; [`DatasetError::NonFiniteValue`] if a finite value's standardized form
    /// overflows (a value far outside the training range of a column with a tiny scale).
    ///
    /// # Examples
    /// ```
    /// use linmod_datasets::StandardScaler;
    /// use linmod_datasets::mat;
    /// let s = StandardScaler::from_parts(vec![10.0], vec![2.0])?;
    /// assert_eq!(s.transform(mat![[14.0]].as_ref())?, mat![[2.0]]);
    /// # Ok::<(), linmod_datasets::DatasetError>(())
    /// ```
    pub fn transform(&self, x: MatRef<'_, f64>) -> Result<Mat<f64>> {
        let mut z = x.to_owned();
        self.transform_in_place(z.as_mut())?;
        Ok(z)
    }

    /// [`StandardScaler::transform`] in place.
    ///
    /// # Errors
    /// As [`StandardScaler::transform`].
    ///
    /// # Examples
    /// ```
    /// use linmod_datasets::StandardScaler;
    /// use linmod_datasets::mat;
    /// let s = StandardScaler::from_parts(vec![10.0], vec![2.0])?;
    /// let mut x = mat![[14.0], [8.0]];
    /// s.transform_in_place(x.as_mut())?;
    /// assert_eq!(x, mat![[2.0], [-1.0]]);
    /// # Ok::<(), linmod_datasets::DatasetError>(())
    /// ```
    pub fn transform_in_place(&self, x: MatMut<'_, f64>) -> Result<()> {
        self.apply(
            x,
            |v, m, s| (v - m) / s,
            "the standardized matrix ((x - mean) / scale overflows: a value far outside the \
             training range)",
        )
    }

    /// `z * scale + mean`: back to the original units.
    ///
    /// # Errors
    /// As [`StandardScaler::transform`].
    ///
    /// # Examples
    /// ```
    /// use linmod_datasets::StandardScaler;
    /// use linmod_datasets::mat;
    /// let s = StandardScaler::from_parts(vec![10.0], vec![2.0])?;
    /// assert_eq!(s.inverse_transform(mat![[2.0]].as_ref())?, mat![[14.0]]);
    /// # Ok::<(), linmod_datasets::DatasetError>(())
    /// ```
    pub fn inverse_transform(&self, z: MatRef<'_, f64>) -> Result<Mat<f64>> {
        let mut x = z.to_owned();
        self.inverse_transform_in_place(x.as_mut())?;
        Ok(x)
    }

    /// [`StandardScaler::inverse_transform`] in place.
    ///
    /// # Errors
    /// As [`StandardScaler::transform`].
    ///
    /// # Examples
    /// ```
    /// use linmod_datasets::StandardScaler;
    /// use linmod_datasets::mat;
    /// let s = StandardScaler::from_parts(vec![10.0], vec![2.0])?;
    /// let mut z = mat![[2.0]];
    /// s.inverse_transform_in_place(z.as_mut())?;
    /// assert_eq!(z, mat![[14.0]]);
    /// # Ok::<(), linmod_datasets::DatasetError>(())
    /// ```
    pub fn inverse_transform_in_place(&self, z: MatMut<'_, f64>) -> Result<()> {
        self.apply(
            z,
            |v, m, s| v * s + m,
            "the matrix mapped back by the scaler (z * scale + mean overflows)",
        )
    }

    /// Applies `f(value, mean, scale)` to every entry; a finite value whose image is not
    /// finite (an overflow) is an error naming `what`, so that finite input never turns into
    /// an infinity or NaN silently. NaN input stays NaN.
    fn apply(
        &self,
        mut x: MatMut<'_, f64>,
        f: impl Fn(f64, f64, f64) -> f64,
        what: &'static str,
    ) -> Result<()> {
        if x.ncols() != self.n_features() {
            return Err(DatasetError::ShapeMismatch {
                what: "columns (as in the data the scaler was fitted on)",
                expected: self.n_features(),
                found: x.ncols(),
            });
        }
        for j in 0..x.ncols() {
            let (m, s) = (self.mean[j], self.scale[j]);
            for i in 0..x.nrows() {
                let v = x[(i, j)];
                let out = f(v, m, s);
                if v.is_finite() && !out.is_finite() {
                    return Err(DatasetError::NonFiniteValue {
                        what,
                        row: i,
                        column: j,
                        value: out,
                    });
                }
                x[(i, j)] = out;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // constant columns get exactly scale 1 and exact zeros
mod tests {
    use linalg_core::mat;
    use proptest::prelude::*;

    use super::*;

    fn matrix(max_rows: usize, max_cols: usize) -> impl Strategy<Value = Mat<f64>> {
        (1..=max_rows, 1..=max_cols).prop_flat_map(|(n, p)| {
            // Mix wide ranges, offsets and constant columns.
            (
                proptest::collection::vec(-1e6f64..1e6, n * p),
                proptest::collection::vec(any::<bool>(), p),
                proptest::collection::vec(-1e8f64..1e8, p),
            )
                .prop_map(move |(v, constant, offset)| {
                    Mat::from_fn(n, p, |i, j| {
                        offset[j] + if constant[j] { 0.1 } else { v[i + j * n] }
                    })
                })
        })
    }

    proptest! {
        #![proptest_config(crate::test_util::cases(64))]

        #[test]
        fn scaled_columns_have_mean_zero_and_unit_or_zero_std(x in matrix(30, 5)) {
            let (s, z) = StandardScaler::fit_transform(x.as_ref()).unwrap();
            let m = column_means(z.as_ref(), None);
            let sd = column_stds(z.as_ref(), &m, 0);
            for j in 0..x.ncols() {
                let finite = z.col(j).iter().all(|v| v.is_finite());
                prop_assert!(finite, "column {} not finite", j);
                prop_assert!(m[j].abs() < 1e-6, "mean {}", m[j]);
                let unit = (sd[j] - 1.0).abs() < 1e-9;
                let constant = sd[j] < 1e-6 && s.scale()[j] == 1.0;
                prop_assert!(unit || constant, "std {} scale {}", sd[j], s.scale()[j]);
            }
            let back = s.inverse_transform(z.as_ref()).unwrap();
            for j in 0..x.ncols() {
                for i in 0..x.nrows() {
                    let tol = 1e-9 * (1.0 + x[(i, j)].abs());
                    prop_assert!((back[(i, j)] - x[(i, j)]).abs() <= tol);
                }
            }
        }
    }

    #[test]
    fn constant_columns_give_zeros_not_nan() {
        // 0.1 cannot be represented exactly, so the computed mean is off by a rounding error.
        let x = Mat::from_fn(7, 2, |i, j| if j == 0 { 0.1 } else { i as f64 });
        let (s, z) = StandardScaler::fit_transform(x.as_ref()).unwrap();
        assert_eq!(s.scale()[0], 1.0);
        assert!(z.col(0).iter().all(|&v| v.abs() < 1e-15));
        assert!(z.col(1).iter().all(|v| v.is_finite()));
        let single_row = StandardScaler::fit(mat![[3.0, -4.0]].as_ref()).unwrap();
        assert_eq!(single_row.scale(), &[1.0, 1.0]);
    }

    #[test]
    fn columns_near_the_limits_of_f64_are_standardized() {
        // squares of 1e160 overflow and those of 1e-170 underflow: the scaler must still find
        // the spread (it was inf and 0, and the columns became zeros)
        for magnitude in [1e160, 1e300, 1e-170, 1e-300] {
            let x = Mat::from_fn(5, 1, |i, _| magnitude * (i as f64 - 1.5));
            let (s, z) = StandardScaler::fit_transform(x.as_ref()).unwrap();
            let expect = magnitude * 2f64.sqrt();
            assert!(
                (s.scale()[0] / expect - 1.0).abs() < 1e-14,
                "{magnitude}: {:?}",
                s.scale()
            );
            let zs: Vec<f64> = z.col(0).iter().copied().collect();
            // deviations -2, -1, 0, 1, 2 (times the magnitude) over sqrt(2)
            let want = [-2.0, -1.0, 0.0, 1.0, 2.0].map(|d: f64| d / 2f64.sqrt());
            for (a, b) in zs.iter().zip(want) {
                assert!((a - b).abs() < 1e-14, "{magnitude}: {zs:?}");
            }
        }
        // a value whose standardized form overflows is an error, not an infinity
        let s = StandardScaler::from_parts(vec![0.0], vec![1e-300]).unwrap();
        let e = s.transform(mat![[1e10]].as_ref()).unwrap_err();
        assert!(e.to_string().contains("overflows"), "{e}");
        // values spanning more than f64's range
        let e =
            StandardScaler::fit(mat![[f64::MAX], [-f64::MAX], [-f64::MAX]].as_ref()).unwrap_err();
        assert!(e.to_string().contains("span more than the range"), "{e}");
    }

    #[test]
    fn test_rows_use_the_training_statistics() {
        let train = mat![[0.0], [2.0]];
        let s = StandardScaler::fit(train.as_ref()).unwrap();
        let z = s.transform(mat![[4.0]].as_ref()).unwrap();
        assert!((z[(0, 0)] - 3.0).abs() < 1e-15);
    }

    #[test]
    fn errors_name_the_problem() {
        let err = StandardScaler::fit(Mat::<f64>::zeros(0, 2).as_ref()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid parameter `x` = a matrix with 0 rows: expected at least 1 row"
        );
        let err = StandardScaler::fit(mat![[1.0, 2.0], [3.0, f64::NAN]].as_ref()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "non-finite value NaN at row 1, column 1 (0-based) of the matrix passed to \
             StandardScaler::fit"
        );
        let s = StandardScaler::fit(mat![[1.0, 2.0]].as_ref()).unwrap();
        let err = s.transform(mat![[1.0]].as_ref()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "shape mismatch: expected 2 columns (as in the data the scaler was fitted on), found 1"
        );
        assert!(StandardScaler::from_parts(vec![1.0], vec![]).is_err());
        assert!(StandardScaler::from_parts(vec![f64::NAN], vec![1.0]).is_err());
        assert!(StandardScaler::from_parts(vec![1.0], vec![-1.0]).is_err());
    }
}
