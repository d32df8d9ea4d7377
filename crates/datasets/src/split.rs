//! Train/test splits and k-fold cross-validation.

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use crate::Dataset;
use crate::dataset::labels;
use crate::error::{Result, invalid};

/// The rows of a training set and of a test set.
///
/// # Examples
/// ```
/// let s = linmod_datasets::TrainTestSplit::new(0.5).indices(&[0.0; 4])?;
/// assert_eq!((s.train.len(), s.test.len()), (2, 2));
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SplitIndices {
    /// Rows for training.
    pub train: Vec<usize>,
    /// Rows for testing.
    pub test: Vec<usize>,
}

impl SplitIndices {
    /// The training and test data sets.
    fn apply(&self, data: &Dataset) -> Result<(Dataset, Dataset)> {
        Ok((data.select(&self.train)?, data.select(&self.test)?))
    }
}

/// A random split into a training and a test set, optionally stratified.
///
/// The test set has `ceil(test_fraction * n)` rows (as in scikit-learn); both sets must be
/// non-empty. Rows are shuffled with `ChaCha8Rng::seed_from_u64(seed)` (default seed 0), and
/// both index lists come out in random order. Stratified, every class contributes to the test
/// set in proportion to its size (rounded by largest remainder), so the class proportions of
/// both sets match those of the data up to one row per class.
///
/// # Examples
/// ```
/// use linmod_datasets::TrainTestSplit;
/// let iris = linmod_datasets::iris();
/// let (train, test) = TrainTestSplit::new(0.2).seed(1).stratify(true).split(&iris)?;
/// assert_eq!(test.class_counts()?, vec![10, 10, 10]);
/// assert_eq!(train.n_samples(), 120);
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
#[derive(Clone, Debug)]
pub struct TrainTestSplit {
    test_fraction: f64,
    seed: u64,
    stratify: bool,
}

impl TrainTestSplit {
    /// A split with `test_fraction` of the rows in the test set (checked when splitting: in
    /// `(0, 1)`).
    #[must_use]
    pub fn new(test_fraction: f64) -> Self {
        Self {
            test_fraction,
            seed: 0,
            stratify: false,
        }
    }

    /// The seed of the shuffle (default 0).
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Whether to keep the class proportions in both sets (default `false`; requires class
    /// labels as targets).
    #[must_use]
    pub fn stratify(mut self, stratify: bool) -> Self {
        self.stratify = stratify;
        self
    }

    /// The row indices of the split of `y.len()` rows (the values of `y` are used only when
    /// stratifying).
    ///
    /// # Errors
    /// [`DatasetError::InvalidParameter`](crate::DatasetError::InvalidParameter) if the
    /// fraction is not in `(0, 1)` or leaves a set empty;
    /// [`DatasetError::NotClassLabel`](crate::DatasetError::NotClassLabel) when stratifying a
    /// target that is not made of class labels.
    ///
    /// # Examples
    /// ```
    /// use linmod_datasets::TrainTestSplit;
    /// let s = TrainTestSplit::new(0.25).seed(3).indices(&[0.0; 8])?;
    /// assert_eq!((s.train.len(), s.test.len()), (6, 2));
    /// # Ok::<(), linmod_datasets::DatasetError>(())
    /// ```
    pub fn indices(&self, y: &[f64]) -> Result<SplitIndices> {
        let n = y.len();
        let f = self.test_fraction;
        if !(f > 0.0 && f < 1.0) {
            return Err(invalid("test_fraction", f, "a fraction in (0, 1)"));
        }
        // Exact for any realistic n; the float only rounds the product up.
        let n_test = (f * n as f64).ceil() as usize;
        if n_test == 0 || n_test >= n {
            return Err(invalid(
                "test_fraction",
                format!("{f} of {n} rows"),
                "a fraction leaving at least one row in each set",
            ));
        }
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let (mut train, mut test) = if self.stratify {
            let mut train = Vec::with_capacity(n - n_test);
            let mut test = Vec::with_capacity(n_test);
            let mut members = members_by_class(y)?;
            let quotas = largest_remainder(&members, n_test, n);
            for (rows, quota) in members.iter_mut().zip(quotas) {
                rows.shuffle(&mut rng);
                test.extend_from_slice(&rows[..quota]);
                train.extend_from_slice(&rows[quota..]);
            }
            (train, test)
        } else {
            let mut order: Vec<usize> = (0..n).collect();
            order.shuffle(&mut rng);
            let train = order.split_off(n_test);
            (train, order)
        };
        train.shuffle(&mut rng);
        test.shuffle(&mut rng);
        Ok(SplitIndices { train, test })
    }

    /// The training and the test data sets.
    ///
    /// # Errors
    /// As [`TrainTestSplit::indices`], and
    /// [`DatasetError::ShapeMismatch`](crate::DatasetError::ShapeMismatch) if the data set is
    /// inconsistent.
    ///
    /// # Examples
    /// See [`TrainTestSplit`].
    pub fn split(&self, data: &Dataset) -> Result<(Dataset, Dataset)> {
        data.check()?;
        self.indices(&data.y)?.apply(data)
    }
}

/// A shuffled train/test split: shorthand for
/// `TrainTestSplit::new(test_fraction).seed(seed).split(data)`.
///
/// # Errors
/// As [`TrainTestSplit::split`].
///
/// # Examples
/// ```
/// let (train, test) = linmod_datasets::train_test_split(&linmod_datasets::diabetes(), 0.25, 42)?;
/// assert_eq!((train.n_samples(), test.n_samples()), (331, 111));
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
pub fn train_test_split(
    data: &Dataset,
    test_fraction: f64,
    seed: u64,
) -> Result<(Dataset, Dataset)> {
    TrainTestSplit::new(test_fraction).seed(seed).split(data)
}

/// K-fold cross-validation: the rows are cut into `k` folds of sizes differing by at most
/// one (the first `n mod k` folds are one row larger); each fold is the test set once, with
/// the other folds as the training set.
///
/// Without shuffling the folds are consecutive runs of rows. Shuffled, the rows are permuted
/// first with `ChaCha8Rng::seed_from_u64(seed)`. Stratified, the rows of every class are dealt
/// out to the folds in turn, so that each fold holds each class's share up to one row. Index
/// lists come out sorted.
///
/// # Examples
/// ```
/// use linmod_datasets::KFold;
/// let folds = KFold::new(3).indices(&[0.0; 7])?;
/// assert_eq!(folds[0].test, vec![0, 1, 2]);
/// assert_eq!(folds[2].train, vec![0, 1, 2, 3, 4]);
///
/// let wine = linmod_datasets::wine();
/// for (train, test) in KFold::new(5).shuffle(7).stratify(true).split(&wine)? {
///     let counts = test.class_counts()?;
///     assert!(counts[1] == 14 || counts[1] == 15); // 71 rows of class 1 over 5 folds
///     assert_eq!(train.n_samples() + test.n_samples(), 178);
/// }
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
#[derive(Clone, Debug)]
pub struct KFold {
    k: usize,
    seed: Option<u64>,
    stratify: bool,
}

impl KFold {
    /// `k` folds (checked when splitting: `2 <= k <= n`), in row order, not stratified.
    #[must_use]
    pub fn new(k: usize) -> Self {
        Self {
            k,
            seed: None,
            stratify: false,
        }
    }

    /// Shuffles the rows with the given seed before cutting the folds.
    #[must_use]
    pub fn shuffle(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Whether to keep the class proportions in every fold (default `false`; requires class
    /// labels as targets).
    #[must_use]
    pub fn stratify(mut self, stratify: bool) -> Self {
        self.stratify = stratify;
        self
    }

    /// The row indices of the `k` splits of `y.len()` rows (the values of `y` are used only
    /// when stratifying).
    ///
    /// # Errors
    /// [`DatasetError::InvalidParameter`](crate::DatasetError::InvalidParameter) unless
    /// `2 <= k <= n`; [`DatasetError::NotClassLabel`](crate::DatasetError::NotClassLabel) when
    /// stratifying a target that is not made of class labels.
    ///
    /// # Examples
    /// See [`KFold`].
    pub fn indices(&self, y: &[f64]) -> Result<Vec<SplitIndices>> {
        let (n, k) = (y.len(), self.k);
        if k < 2 || k > n {
            return Err(invalid(
                "k",
                format!("{k} folds of {n} rows"),
                "2 <= k <= number of rows",
            ));
        }
        let mut rng = self.seed.map(ChaCha8Rng::seed_from_u64);
        let mut fold_of = vec![0; n];
        if self.stratify {
            // Dealing the rows of the classes, one class after the other, round the folds
            // gives every fold each class's share up to one row, and fold sizes that differ
            // by at most one.
            let mut position = 0;
            for mut rows in members_by_class(y)? {
                if let Some(rng) = rng.as_mut() {
                    rows.shuffle(rng);
                }
                for i in rows {
                    fold_of[i] = position % k;
                    position += 1;
                }
            }
        } else {
            let mut order: Vec<usize> = (0..n).collect();
            if let Some(rng) = rng.as_mut() {
                order.shuffle(rng);
            }
            let (size, extra) = (n / k, n % k);
            let mut start = 0;
            for f in 0..k {
                let len = size + usize::from(f < extra);
                for &i in &order[start..start + len] {
                    fold_of[i] = f;
                }
                start += len;
            }
        }
        Ok((0..k)
            .map(|f| {
                let (test, train) = (0..n).partition(|&i| fold_of[i] == f);
                SplitIndices { train, test }
            })
            .collect())
    }

    /// The `k` pairs of training and test data sets.
    ///
    /// # Errors
    /// As [`KFold::indices`], and
    /// [`DatasetError::ShapeMismatch`](crate::DatasetError::ShapeMismatch) if the data set is
    /// inconsistent.
    ///
    /// # Examples
    /// See [`KFold`].
    pub fn split(&self, data: &Dataset) -> Result<Vec<(Dataset, Dataset)>> {
        data.check()?;
        self.indices(&data.y)?
            .iter()
            .map(|s| s.apply(data))
            .collect()
    }
}

/// The rows of every class, in row order, indexed by label (empty for absent labels).
fn members_by_class(y: &[f64]) -> Result<Vec<Vec<usize>>> {
    let labels = labels(y)?;
    let mut members = vec![Vec::new(); labels.iter().max().map_or(0, |m| m + 1)];
    for (i, c) in labels.into_iter().enumerate() {
        members[c].push(i);
    }
    Ok(members)
}

/// Splits `total` among the classes in proportion to their sizes (out of `n`): the floors of
/// the exact shares, then one more for the largest remainders (ties to the smaller label).
fn largest_remainder(members: &[Vec<usize>], total: usize, n: usize) -> Vec<usize> {
    // Integer arithmetic: share_c = total * n_c / n exactly, as quotient and remainder.
    let mut quotas: Vec<usize> = members.iter().map(|m| total * m.len() / n).collect();
    let mut order: Vec<usize> = (0..members.len()).collect();
    order.sort_by_key(|&c| std::cmp::Reverse(total * members[c].len() % n));
    let missing = total - quotas.iter().sum::<usize>();
    for &c in order.iter().take(missing) {
        quotas[c] += 1;
    }
    quotas
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::DatasetError;

    fn assert_partition(s: &SplitIndices, n: usize) {
        let mut all: Vec<usize> = s.train.iter().chain(&s.test).copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..n).collect::<Vec<_>>(), "disjoint and covering");
    }

    fn labels_strategy() -> impl Strategy<Value = Vec<f64>> {
        proptest::collection::vec(0usize..4, 2..120)
            .prop_map(|v| v.into_iter().map(|c| c as f64).collect())
    }

    fn counts(y: &[f64], rows: &[usize]) -> Vec<usize> {
        let mut c = vec![0; 4];
        for &i in rows {
            c[y[i] as usize] += 1;
        }
        c
    }

    proptest! {
        #![proptest_config(crate::test_util::cases(64))]

        #[test]
        fn train_test_split_partitions_and_stratifies(
            y in labels_strategy(), f in 0.05f64..0.95, seed in any::<u64>()
        ) {
            let n = y.len();
            let n_test = (f * n as f64).ceil() as usize;
            prop_assume!(n_test < n);
            for stratify in [false, true] {
                let s = TrainTestSplit::new(f).seed(seed).stratify(stratify).indices(&y).unwrap();
                assert_partition(&s, n);
                prop_assert_eq!(s.test.len(), n_test);
                if stratify {
                    let (all, test) = (counts(&y, &(0..n).collect::<Vec<_>>()), counts(&y, &s.test));
                    for c in 0..4 {
                        let share = n_test as f64 * all[c] as f64 / n as f64;
                        prop_assert!((test[c] as f64 - share).abs() < 1.0, "class {}: {} vs {}", c, test[c], share);
                    }
                }
            }
        }

        #[test]
        fn k_folds_partition_every_row_once(y in labels_strategy(), k in 2usize..8, seed in any::<u64>()) {
            prop_assume!(k <= y.len());
            let n = y.len();
            for (shuffle, stratify) in [(false, false), (true, false), (false, true), (true, true)] {
                let mut kf = KFold::new(k).stratify(stratify);
                if shuffle {
                    kf = kf.shuffle(seed);
                }
                let folds = kf.indices(&y).unwrap();
                prop_assert_eq!(folds.len(), k);
                let mut seen = vec![0; n];
                for f in &folds {
                    assert_partition(f, n);
                    f.test.iter().for_each(|&i| seen[i] += 1);
                    let size = f.test.len();
                    prop_assert!(size == n / k || size == n / k + 1);
                }
                prop_assert!(seen.iter().all(|&s| s == 1));
                if stratify {
                    let all = counts(&y, &(0..n).collect::<Vec<_>>());
                    for f in &folds {
                        let c = counts(&y, &f.test);
                        for l in 0..4 {
                            prop_assert!(c[l] == all[l] / k || c[l] == all[l].div_ceil(k));
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn splits_are_deterministic_for_a_seed() {
        let y: Vec<f64> = (0..50).map(|i| f64::from(i % 3)).collect();
        let a = TrainTestSplit::new(0.3).seed(5).indices(&y).unwrap();
        let b = TrainTestSplit::new(0.3).seed(5).indices(&y).unwrap();
        let c = TrainTestSplit::new(0.3).seed(6).indices(&y).unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
        let f1 = KFold::new(4).shuffle(2).indices(&y).unwrap();
        assert_eq!(f1, KFold::new(4).shuffle(2).indices(&y).unwrap());
        assert_ne!(f1, KFold::new(4).indices(&y).unwrap());
    }

    #[test]
    fn split_data_sets_carry_the_rows() {
        let d = crate::iris();
        let (train, test) = TrainTestSplit::new(0.1).seed(9).split(&d).unwrap();
        assert_eq!((train.n_samples(), test.n_samples()), (135, 15));
        assert_eq!(train.feature_names, d.feature_names);
        let s = TrainTestSplit::new(0.1).seed(9).indices(&d.y).unwrap();
        assert_eq!(test.x[(0, 2)].to_bits(), d.x[(s.test[0], 2)].to_bits());
    }

    #[test]
    fn invalid_splits_are_errors() {
        let y = [0.0, 1.0, 0.0];
        for f in [0.0, 1.0, -0.1, f64::NAN] {
            let err = TrainTestSplit::new(f).indices(&y).unwrap_err();
            assert!(err.to_string().contains("`test_fraction`"), "{err}");
        }
        let err = TrainTestSplit::new(0.9).indices(&y).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid parameter `test_fraction` = 0.9 of 3 rows: expected a fraction leaving at \
             least one row in each set"
        );
        let err = TrainTestSplit::new(0.5)
            .stratify(true)
            .indices(&[0.0, 1.5])
            .unwrap_err();
        assert!(matches!(err, DatasetError::NotClassLabel { row: 1, .. }));
        let err = KFold::new(4).indices(&y).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid parameter `k` = 4 folds of 3 rows: expected 2 <= k <= number of rows"
        );
        assert!(KFold::new(1).indices(&y).is_err());
        let err = KFold::new(2)
            .stratify(true)
            .indices(&[0.0, -1.0])
            .unwrap_err();
        assert!(matches!(err, DatasetError::NotClassLabel { row: 1, .. }));
    }
}
