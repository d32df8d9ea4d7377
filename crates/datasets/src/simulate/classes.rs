//! Multi-class simulators: softmax classification and Gaussian blobs.

use linalg_core::{Mat, softmax_in_place};
use rand::seq::SliceRandom;
use rand::{Rng, RngExt};
use rand_distr::StandardNormal;

use super::{
    Simulation, Simulator, check_classes, check_features, check_finite, check_non_negative,
    check_rows, column_major, linear_predictor,
};
use crate::Dataset;
use crate::dataset::{class_names, numbered_names};
use crate::error::{DatasetError, Result, invalid};

/// Multinomial (softmax) classification with `K` classes: features `U(-1, 1)` and
/// `P(y = k | x) = softmax(b + x W)_k`, with `W` of shape `p x K` (column `k` belongs to
/// class `k`) and `b` of length `K`.
///
/// Softmax does not change when the same vector is added to every column of `W` (and the same
/// number to every `b_k`), so only the centred parameters are identifiable. The truth is
/// returned centred: every row of `W` and the intercepts sum to zero. This is the limit that a
/// fit with the full (symmetric) parametrization and a vanishing L2 penalty converges to.
///
/// # Examples
/// Chosen coefficients:
/// ```
/// use linmod_datasets::simulate::{Multinomial, Simulator};
/// use linmod_datasets::mat;
/// let w = mat![[2.0, 0.0, -2.0]];
/// let sim = Multinomial::new(300, w, vec![0.0, 3.0, 0.0]).simulate(4)?;
/// assert_eq!(sim.data.target_names.len(), 3);
/// assert_eq!(sim.truth.intercepts, vec![-1.0, 2.0, -1.0]);
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
/// Random coefficients, `N(0, scale^2)`, zero intercepts:
/// ```
/// use linmod_datasets::simulate::{Multinomial, Simulator};
/// let sim = Multinomial::random(500, 4, 3).coef_scale(2.0).simulate(4)?;
/// assert_eq!((sim.truth.coef.nrows(), sim.truth.coef.ncols()), (4, 3));
/// assert!(sim.data.y.iter().all(|&y| y == 0.0 || y == 1.0 || y == 2.0));
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Multinomial {
    n: usize,
    params: MultinomialParams,
}

#[derive(Clone, Debug)]
enum MultinomialParams {
    Given {
        coef: Mat<f64>,
        intercepts: Vec<f64>,
    },
    Random {
        p: usize,
        k: usize,
        scale: f64,
    },
}

impl Multinomial {
    /// `n` rows with coefficients `coef` (`p x K`) and intercepts (length `K`).
    ///
    /// Checked when simulating: `n >= 1`, `p >= 1`, `K >= 2`, `intercepts.len() == K`, all
    /// values finite.
    #[must_use]
    pub fn new(n: usize, coef: Mat<f64>, intercepts: Vec<f64>) -> Self {
        Self {
            n,
            params: MultinomialParams::Given { coef, intercepts },
        }
    }

    /// `n` rows, `p` features and `k` classes, with coefficients drawn from `N(0, 1)` (see
    /// [`Multinomial::coef_scale`]) and zero intercepts.
    #[must_use]
    pub fn random(n: usize, p: usize, k: usize) -> Self {
        Self {
            n,
            params: MultinomialParams::Random { p, k, scale: 1.0 },
        }
    }

    /// The standard deviation of random coefficients (default 1; finite, `>= 0`). No effect
    /// on chosen coefficients.
    #[must_use]
    pub fn coef_scale(mut self, scale: f64) -> Self {
        if let MultinomialParams::Random { scale: s, .. } = &mut self.params {
            *s = scale;
        }
        self
    }
}

/// The parameters of a [`Multinomial`] simulation, centred (see [`Multinomial`]).
///
/// # Examples
/// ```
/// use linmod_datasets::simulate::{Multinomial, Simulator};
/// let sim = Multinomial::random(10, 2, 3).simulate(0)?;
/// let row_sum: f64 = sim.truth.coef.row(0).sum();
/// assert!(row_sum.abs() < 1e-12);
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct MultinomialTruth {
    /// Coefficients, `p x K`: column `k` belongs to class `k`.
    pub coef: Mat<f64>,
    /// Intercepts, one per class.
    pub intercepts: Vec<f64>,
}

impl MultinomialTruth {
    /// The class probabilities of every row of `x` (`n x K`).
    ///
    /// # Examples
    /// ```
    /// use linmod_datasets::simulate::{Multinomial, Simulator};
    /// let sim = Multinomial::random(10, 2, 3).simulate(0)?;
    /// let probs = sim.truth.probabilities(&sim.data.x);
    /// assert!((probs.row(0).sum() - 1.0).abs() < 1e-12);
    /// # Ok::<(), linmod_datasets::DatasetError>(())
    /// ```
    #[must_use]
    pub fn probabilities(&self, x: &Mat<f64>) -> Mat<f64> {
        let k = self.intercepts.len();
        let logits: Vec<Vec<f64>> = (0..k)
            .map(|c| linear_predictor(x, self.coef.col_as_slice(c), self.intercepts[c]))
            .collect();
        let mut probs = Mat::<f64>::zeros(x.nrows(), k);
        let mut row = vec![0.0; k];
        for i in 0..x.nrows() {
            for (r, z) in row.iter_mut().zip(&logits) {
                *r = z[i];
            }
            softmax_in_place(&mut row);
            for (c, &p) in row.iter().enumerate() {
                probs[(i, c)] = p;
            }
        }
        probs
    }
}

/// Subtracts the mean of every row of `coef` and the mean of the intercepts.
fn centred(mut coef: Mat<f64>, mut intercepts: Vec<f64>) -> MultinomialTruth {
    let k = intercepts.len() as f64;
    for i in 0..coef.nrows() {
        let mean = coef.row(i).sum() / k;
        for c in 0..coef.ncols() {
            coef[(i, c)] -= mean;
        }
    }
    let mean = intercepts.iter().sum::<f64>() / k;
    intercepts.iter_mut().for_each(|b| *b -= mean);
    MultinomialTruth { coef, intercepts }
}

/// Checks that a parameter matrix is finite.
fn check_matrix(name: &'static str, m: &Mat<f64>) -> Result<()> {
    for j in 0..m.ncols() {
        if let Some(i) = m.col_as_slice(j).iter().position(|v| !v.is_finite()) {
            let value = format!("{} at ({i}, {j})", m[(i, j)]);
            return Err(invalid(name, value, "finite values"));
        }
    }
    Ok(())
}

impl Simulator for Multinomial {
    type Truth = MultinomialTruth;

    /// Draws random coefficients (if asked) class by class, the features column by column,
    /// then one uniform per row for the labels.
    fn simulate_with_rng<R: Rng + ?Sized>(
        &self,
        rng: &mut R,
    ) -> Result<Simulation<MultinomialTruth>> {
        check_rows(self.n)?;
        let (coef, intercepts) = match &self.params {
            MultinomialParams::Given { coef, intercepts } => {
                check_features(coef.nrows())?;
                check_classes(coef.ncols())?;
                if intercepts.len() != coef.ncols() {
                    return Err(DatasetError::ShapeMismatch {
                        what: "intercepts (one per column of coef)",
                        expected: coef.ncols(),
                        found: intercepts.len(),
                    });
                }
                check_matrix("coef", coef)?;
                check_finite("intercepts", intercepts)?;
                (coef.clone(), intercepts.clone())
            }
            &MultinomialParams::Random { p, k, scale } => {
                check_features(p)?;
                check_classes(k)?;
                check_non_negative("coef_scale", scale)?;
                let coef = column_major(p, k, |_, _| scale * rng.sample::<f64, _>(StandardNormal))?;
                (coef, vec![0.0; k])
            }
        };
        let truth = centred(coef, intercepts);
        let (p, k) = (truth.coef.nrows(), truth.coef.ncols());
        let x = column_major(self.n, p, |_, _| rng.random_range(-1.0..1.0))?;
        let probs = truth.probabilities(&x);
        let y = (0..self.n)
            .map(|i| {
                let u: f64 = rng.random();
                let mut cumulative = 0.0;
                // Rounding can leave the total a little under 1: the last class takes the rest.
                let label = (0..k - 1)
                    .find(|&c| {
                        cumulative += probs[(i, c)];
                        u < cumulative
                    })
                    .unwrap_or(k - 1);
                label as f64
            })
            .collect();
        let description = format!(
            "multinomial (softmax) simulation: {} rows, {p} features x ~ U(-1, 1), {k} classes, \
             P(y = k | x) = softmax(b + x W)_k",
            self.n
        );
        let data =
            Dataset::new(x, y, numbered_names(p), description)?.with_target_names(class_names(k));
        Ok(Simulation { data, truth })
    }
}

/// Gaussian blobs, like scikit-learn's `make_blobs`: `K` centres and `x = centre(y) + std e`,
/// `e ~ N(0, I)`, with the rows spread as evenly as possible over the classes (the first
/// `n mod K` classes get one row more) and shuffled.
///
/// Defaults: centres drawn uniformly from the box `[-10, 10)^p`, cluster standard deviation 1.
///
/// # Examples
/// ```
/// use linmod_datasets::simulate::{Blobs, Simulator};
/// let sim = Blobs::new(100, 2, 3).cluster_std(0.5).simulate(1)?;
/// assert_eq!(sim.data.class_counts()?, vec![34, 33, 33]);
/// assert_eq!((sim.truth.centers.nrows(), sim.truth.centers.ncols()), (3, 2));
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Blobs {
    n: usize,
    centers: BlobCenters,
    cluster_std: f64,
}

#[derive(Clone, Debug)]
enum BlobCenters {
    Given(Mat<f64>),
    Random {
        p: usize,
        k: usize,
        lo: f64,
        hi: f64,
    },
}

impl Blobs {
    /// `n` rows, `p` features, `k` clusters with random centres.
    ///
    /// Checked when simulating: `n >= 1`, `p >= 1`, `k >= 2`.
    #[must_use]
    pub fn new(n: usize, p: usize, k: usize) -> Self {
        Self {
            n,
            centers: BlobCenters::Random {
                p,
                k,
                lo: -10.0,
                hi: 10.0,
            },
            cluster_std: 1.0,
        }
    }

    /// `n` rows around the given centres (`K x p`, one row per class).
    ///
    /// # Examples
    /// ```
    /// use linmod_datasets::simulate::{Blobs, Simulator};
    /// use linmod_datasets::mat;
    /// let sim = Blobs::with_centers(4, mat![[0.0, 0.0], [5.0, 5.0]]).cluster_std(0.0).simulate(2)?;
    /// for i in 0..4 {
    ///     assert_eq!(sim.data.x[(i, 0)], 5.0 * sim.data.y[i]);
    /// }
    /// # Ok::<(), linmod_datasets::DatasetError>(())
    /// ```
    #[must_use]
    pub fn with_centers(n: usize, centers: Mat<f64>) -> Self {
        Self {
            n,
            centers: BlobCenters::Given(centers),
            cluster_std: 1.0,
        }
    }

    /// The standard deviation of every cluster (default 1; finite, `>= 0`).
    #[must_use]
    pub fn cluster_std(mut self, sd: f64) -> Self {
        self.cluster_std = sd;
        self
    }

    /// The box `[lo, hi)^p` random centres are drawn from (default `[-10, 10)`). No effect on
    /// given centres.
    #[must_use]
    pub fn center_box(mut self, lo: f64, hi: f64) -> Self {
        if let BlobCenters::Random { lo: l, hi: h, .. } = &mut self.centers {
            (*l, *h) = (lo, hi);
        }
        self
    }
}

/// The parameters of a [`Blobs`] simulation.
///
/// # Examples
/// ```
/// use linmod_datasets::simulate::{Blobs, Simulator};
/// let sim = Blobs::new(10, 2, 3).center_box(0.0, 1.0).simulate(0)?;
/// assert!(sim.truth.centers.col(0).iter().all(|c| (0.0..1.0).contains(c)));
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct BlobsTruth {
    /// Centres, `K x p`: row `k` is the mean of class `k`.
    pub centers: Mat<f64>,
    /// The standard deviation of every cluster.
    pub cluster_std: f64,
}

impl Simulator for Blobs {
    type Truth = BlobsTruth;

    /// Draws random centres (if asked) row by row, shuffles the labels, then the features
    /// column by column.
    fn simulate_with_rng<R: Rng + ?Sized>(&self, rng: &mut R) -> Result<Simulation<BlobsTruth>> {
        check_rows(self.n)?;
        check_non_negative("cluster_std", self.cluster_std)?;
        let centers = match &self.centers {
            BlobCenters::Given(c) => {
                check_classes(c.nrows())?;
                check_features(c.ncols())?;
                check_matrix("centers", c)?;
                c.clone()
            }
            &BlobCenters::Random { p, k, lo, hi } => {
                check_features(p)?;
                check_classes(k)?;
                // A box wider than f64::MAX cannot be sampled uniformly.
                if !(lo < hi && (hi - lo).is_finite()) {
                    return Err(invalid(
                        "center_box",
                        format!("[{lo}, {hi})"),
                        "finite bounds with lo < hi",
                    ));
                }
                let mut c = Mat::<f64>::zeros(k, p);
                for i in 0..k {
                    for j in 0..p {
                        c[(i, j)] = rng.random_range(lo..hi);
                    }
                }
                c
            }
        };
        let (k, p) = (centers.nrows(), centers.ncols());
        let mut labels: Vec<usize> = (0..self.n).map(|i| i % k).collect();
        labels.shuffle(rng);
        let sd = self.cluster_std;
        let x = column_major(self.n, p, |i, j| {
            centers[(labels[i], j)] + sd * rng.sample::<f64, _>(StandardNormal)
        })?;
        let description = format!(
            "Gaussian blobs: {} rows, {p} features, {k} clusters with standard deviation {sd}",
            self.n
        );
        let y = labels.iter().map(|&c| c as f64).collect();
        let data =
            Dataset::new(x, y, numbered_names(p), description)?.with_target_names(class_names(k));
        Ok(Simulation {
            data,
            truth: BlobsTruth {
                centers,
                cluster_std: sd,
            },
        })
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // determinism and centring are checked exactly
mod tests {
    use linalg_core::mat;

    use super::*;

    #[test]
    fn class_frequencies_match_the_mean_probabilities() {
        let w = mat![[1.5, -0.5, 0.0, -1.0], [0.0, 1.0, -2.0, 1.0]];
        let sim = Multinomial::new(20_000, w, vec![0.5, 0.0, -0.5, 0.2])
            .simulate(13)
            .unwrap();
        let probs = sim.truth.probabilities(&sim.data.x);
        let counts = sim.data.class_counts().unwrap();
        let n = sim.data.n_samples() as f64;
        for (c, &count) in counts.iter().enumerate() {
            let expected: f64 = probs.col(c).sum() / n;
            let var: f64 = probs.col(c).iter().map(|p| p * (1.0 - p)).sum::<f64>() / (n * n);
            let freq = count as f64 / n;
            assert!(
                (freq - expected).abs() < 4.0 * var.sqrt(),
                "class {c}: {freq} vs {expected}"
            );
        }
    }

    #[test]
    fn conditional_frequencies_follow_the_softmax() {
        // One binary feature-like split: rows with x1 > 0.5 favour class 0 strongly.
        let w = mat![[4.0, 0.0, -4.0]];
        let sim = Multinomial::new(20_000, w, vec![0.0; 3])
            .simulate(3)
            .unwrap();
        let probs = sim.truth.probabilities(&sim.data.x);
        let rows: Vec<usize> = (0..sim.data.n_samples())
            .filter(|&i| sim.data.x[(i, 0)] > 0.5)
            .collect();
        let m = rows.len() as f64;
        let expected: f64 = rows.iter().map(|&i| probs[(i, 0)]).sum::<f64>() / m;
        let freq = rows.iter().filter(|&&i| sim.data.y[i] == 0.0).count() as f64 / m;
        assert!((freq - expected).abs() < 4.0 * (expected * (1.0 - expected) / m).sqrt());
    }

    #[test]
    fn truth_is_centred_and_gives_the_same_probabilities() {
        let w = mat![[1.0, 2.0], [3.0, 5.0]];
        let sim = Multinomial::new(5, w.clone(), vec![1.0, 4.0])
            .simulate(0)
            .unwrap();
        assert_eq!(sim.truth.coef, mat![[-0.5, 0.5], [-1.0, 1.0]]);
        assert_eq!(sim.truth.intercepts, vec![-1.5, 1.5]);
        let raw = MultinomialTruth {
            coef: w,
            intercepts: vec![1.0, 4.0],
        };
        let (a, b) = (
            raw.probabilities(&sim.data.x),
            sim.truth.probabilities(&sim.data.x),
        );
        for i in 0..5 {
            assert!((a[(i, 0)] - b[(i, 0)]).abs() < 1e-14);
        }
    }

    #[test]
    fn random_multinomial_is_deterministic() {
        let a = Multinomial::random(50, 3, 4).simulate(6).unwrap();
        let b = Multinomial::random(50, 3, 4).simulate(6).unwrap();
        assert_eq!(a.truth, b.truth);
        assert_eq!(a.data.x, b.data.x);
        assert_eq!(a.data.y, b.data.y);
        let c = Multinomial::random(50, 3, 4)
            .coef_scale(0.0)
            .simulate(6)
            .unwrap();
        assert!(c.truth.coef.col_as_slice(0).iter().all(|&v| v == 0.0));
    }

    #[test]
    fn blobs_are_balanced_shuffled_and_centred() {
        let sim = Blobs::new(3_001, 3, 4)
            .cluster_std(2.0)
            .simulate(17)
            .unwrap();
        assert_eq!(sim.data.class_counts().unwrap(), vec![751, 750, 750, 750]);
        assert_ne!(&sim.data.y[..4], &[0.0, 1.0, 2.0, 3.0]);
        let centers = &sim.truth.centers;
        assert!((0..4).all(|c| (0..3).all(|j| (-10.0..10.0).contains(&centers[(c, j)]))));
        for c in 0..4 {
            let rows: Vec<usize> = (0..3_001).filter(|&i| sim.data.y[i] == c as f64).collect();
            for j in 0..3 {
                let mean =
                    rows.iter().map(|&i| sim.data.x[(i, j)]).sum::<f64>() / rows.len() as f64;
                let se = 2.0 / (rows.len() as f64).sqrt();
                assert!((mean - centers[(c, j)]).abs() < 4.0 * se);
            }
        }
        let again = Blobs::new(3_001, 3, 4)
            .cluster_std(2.0)
            .simulate(17)
            .unwrap();
        assert_eq!(again.data.x, sim.data.x);
    }

    #[test]
    fn invalid_parameters_are_errors() {
        let text = |e: DatasetError| e.to_string();
        assert!(text(Multinomial::random(5, 2, 1).simulate(0).unwrap_err()).contains("`k` = 1"));
        assert!(text(Multinomial::random(0, 2, 3).simulate(0).unwrap_err()).contains("`n` = 0"));
        assert!(
            text(
                Multinomial::random(5, 2, 3)
                    .coef_scale(-1.0)
                    .simulate(0)
                    .unwrap_err()
            )
            .contains("`coef_scale` = -1")
        );
        let err = Multinomial::new(5, mat![[1.0, 2.0]], vec![0.0])
            .simulate(0)
            .unwrap_err();
        assert_eq!(
            text(err),
            "shape mismatch: expected 2 intercepts (one per column of coef), found 1"
        );
        let err = Multinomial::new(5, mat![[1.0, f64::NAN]], vec![0.0; 2])
            .simulate(0)
            .unwrap_err();
        assert!(text(err).contains("`coef` = NaN at (0, 1)"));
        assert!(text(Blobs::new(5, 2, 1).simulate(0).unwrap_err()).contains("`k` = 1"));
        assert!(text(Blobs::new(5, 0, 2).simulate(0).unwrap_err()).contains("`p` = 0"));
        assert!(
            text(
                Blobs::new(5, 2, 2)
                    .cluster_std(f64::NAN)
                    .simulate(0)
                    .unwrap_err()
            )
            .contains("`cluster_std` = NaN")
        );
        for (lo, hi) in [(1.0, 1.0), (-f64::MAX, f64::MAX), (0.0, f64::INFINITY)] {
            let err = Blobs::new(5, 2, 2)
                .center_box(lo, hi)
                .simulate(0)
                .unwrap_err();
            assert!(text(err).contains("`center_box`"));
        }
        let err = Blobs::with_centers(5, mat![[1.0, 2.0]])
            .simulate(0)
            .unwrap_err();
        assert!(text(err).contains("`k` = 1"));
    }
}
