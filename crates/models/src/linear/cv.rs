//! k-fold cross-validation over a regularization path.

use linalg_core::MatRef;
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::fitted::FittedLinear;
use super::path::{LinearPath, RegularizationPath, path_penalty, predict_into};
use super::regression::LinearRegression;
use super::solver::LinearSolver;
use crate::data::{check_design, normalize_weights};
use crate::error::{ModelError, Result};

/// k-fold cross-validation of a [`RegularizationPath`]: picks the penalty with the smallest
/// mean held-out MSE, and the largest penalty within one standard error of it.
///
/// The rows are shuffled (ChaCha8 seeded with `seed`) and cut into `k` folds whose sizes
/// differ by at most one (the first `n mod k` folds have one row more). For each fold the path
/// is computed on the other rows (on the grid of the full data, so that the folds share their
/// penalties), and the weighted mean squared error `sum_i s_i e_i^2 / sum_i s_i` on the fold's
/// rows is recorded for every penalty. Held-out rows are left out by giving them weight 0,
/// so `X` is never copied.
///
/// With the fold errors `MSE_f(lambda)`:
///
/// ```text
/// mean(lambda) = 1/k sum_f MSE_f(lambda)
/// se(lambda)   = sd_f(MSE_f(lambda)) / sqrt(k)        (sd with k - 1 degrees of freedom)
/// lambda_min   = argmin mean(lambda)
/// lambda_1se   = max { lambda : mean(lambda) <= mean(lambda_min) + se(lambda_min) }
/// ```
///
/// (Hastie, Tibshirani & Friedman, *The Elements of Statistical Learning*, 2nd ed., section
/// 7.10; glmnet's `cv.glmnet`.) Defaults: 5 folds, seed 0.
///
/// # Examples
/// ```
/// use linmod_models::Mat;
/// use linmod_models::linear::{CrossValidation, RegularizationPath};
/// let x = Mat::from_fn(80, 5, |i, j| (((i + 3) * (j + 1) * 7) % 17) as f64 - 8.0);
/// // only the first two features matter, plus a deterministic "noise"
/// let y: Vec<f64> = (0..80)
///     .map(|i| 2.0 * x[(i, 0)] - x[(i, 1)] + ((i * 37) % 11) as f64 - 5.0)
///     .collect();
/// let cv = CrossValidation::new(RegularizationPath::new().n_lambdas(30))
///     .folds(4)
///     .fit(x.as_ref(), &y)
///     .unwrap();
/// assert!(cv.lambda_1se >= cv.lambda_min);
/// assert!(cv.mse_mean[cv.index_min] <= cv.mse_mean[0]);
/// assert!(cv.model_min.converged());
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct CrossValidation {
    path: RegularizationPath,
    folds: usize,
    seed: u64,
}

impl CrossValidation {
    /// Cross-validates `path` (its grid, `l1_ratio`, intercept and tolerances).
    #[must_use]
    pub fn new(path: RegularizationPath) -> Self {
        Self {
            path,
            folds: 5,
            seed: 0,
        }
    }

    /// Sets the number of folds `k` (default 5; `2 <= k <= n`).
    #[must_use]
    pub fn folds(mut self, k: usize) -> Self {
        self.folds = k;
        self
    }

    /// Sets the seed of the shuffling (default 0).
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Runs the cross-validation and refits at `lambda_min` and `lambda_1se` on all the data.
    ///
    /// # Errors
    /// As [`RegularizationPath::fit`], plus [`ModelError::InvalidParameter`] for `k < 2` or
    /// `k > n`, and [`ModelError::Unsupported`] when a fold holds only rows of weight 0.
    pub fn fit(&self, x: MatRef<'_, f64>, y: &[f64]) -> Result<CvResult> {
        self.fit_inner(x, y, None)
    }

    /// As [`fit`](Self::fit) with sample weights (used for training and in the held-out
    /// errors).
    ///
    /// # Errors
    /// As [`fit`](Self::fit), plus invalid weights.
    pub fn fit_weighted(
        &self,
        x: MatRef<'_, f64>,
        y: &[f64],
        sample_weight: &[f64],
    ) -> Result<CvResult> {
        self.fit_inner(x, y, Some(sample_weight))
    }

    fn fit_inner(
        &self,
        x: MatRef<'_, f64>,
        y: &[f64],
        sample_weight: Option<&[f64]>,
    ) -> Result<CvResult> {
        check_design(x)?;
        let n = x.nrows();
        let k = self.folds;
        if k < 2 || k > n {
            return Err(ModelError::InvalidParameter {
                name: "folds",
                value: k as f64,
                requirement: "at least 2 and at most the number of rows",
            });
        }
        let full = self.path.fit_inner_grid(x, y, sample_weight, None)?;
        let weights = normalize_weights(sample_weight, n)?;
        let weight = |i: usize| weights.as_ref().map_or(1.0, |s| s[i]);
        let fold_of = assign_folds(n, k, self.seed);
        let par = self.path.parallelism;
        let mut fold_mse = Vec::with_capacity(k);
        let mut yhat = vec![0.0; n];
        let mut train_w = vec![0.0; n];
        for f in 0..k {
            for (i, t) in train_w.iter_mut().enumerate() {
                *t = if fold_of[i] == f { 0.0 } else { weight(i) };
            }
            let test_weight: f64 = (0..n).filter(|&i| fold_of[i] == f).map(weight).sum();
            if test_weight <= 0.0 {
                return Err(ModelError::Unsupported(format!(
                    "cross-validation fold {f} holds only rows of weight 0"
                )));
            }
            let path = self
                .path
                .fit_inner_grid(x, y, Some(&train_w), Some(&full.lambdas))?;
            let errors: Vec<f64> = (0..path.len())
                .map(|l| {
                    predict_into(x, &path.coefs[l], path.intercepts[l], &mut yhat, par);
                    (0..n)
                        .filter(|&i| fold_of[i] == f)
                        .map(|i| weight(i) * (y[i] - yhat[i]).powi(2))
                        .sum::<f64>()
                        / test_weight
                })
                .collect();
            if errors.iter().any(|e| !e.is_finite()) {
                return Err(ModelError::Overflow {
                    what: "the held-out mean squared error of a cross-validation fold (divide \
                           the target by a power of ten)",
                });
            }
            fold_mse.push(errors);
        }
        let OneStandardError {
            mean: mse_mean,
            std_error: mse_std_error,
            index_min,
            index_1se,
        } = one_standard_error(&fold_mse);
        let model_min = self.refit(x, y, sample_weight, &full, index_min)?;
        let model_1se = self.refit(x, y, sample_weight, &full, index_1se)?;
        Ok(CvResult {
            lambda_min: full.lambdas[index_min],
            lambda_1se: full.lambdas[index_1se],
            lambdas: full.lambdas.clone(),
            l1_ratio: full.l1_ratio,
            mse_mean,
            mse_std_error,
            fold_mse,
            index_min,
            index_1se,
            path: full,
            model_min,
            model_1se,
        })
    }

    /// A [`FittedLinear`] at path index `k`, by coordinate descent warm-started from the path
    /// solution (which already meets the tolerance, so this costs one gap evaluation).
    fn refit(
        &self,
        x: MatRef<'_, f64>,
        y: &[f64],
        sample_weight: Option<&[f64]>,
        path: &LinearPath,
        k: usize,
    ) -> Result<FittedLinear> {
        let settings = &self.path;
        let config = LinearRegression::new()
            .penalty(path_penalty(path.lambdas[k], settings.l1_ratio)?)
            .fit_intercept(settings.fit_intercept)
            .solver(LinearSolver::CoordinateDescent)
            .cd_mode(settings.cd_mode)
            .tol(settings.tol)
            .max_iter(settings.max_iter)
            .parallelism(settings.parallelism)
            .warm_start(path.coefs[k].clone(), path.intercepts[k]);
        match sample_weight {
            Some(s) => config.fit_weighted(x, y, s),
            None => config.fit(x, y),
        }
    }
}

/// The fold of each of `n` rows: the rows shuffled by ChaCha8 seeded with `seed`, cut into `k`
/// folds whose sizes differ by at most one (the first `n mod k` folds have one row more).
pub(crate) fn assign_folds(n: usize, k: usize, seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
    let (base, extra) = (n / k, n % k);
    let mut fold_of = vec![0; n];
    let mut pos = 0;
    for f in 0..k {
        let size = base + usize::from(f < extra);
        for &i in &order[pos..pos + size] {
            fold_of[i] = f;
        }
        pos += size;
    }
    fold_of
}

/// The mean held-out error per penalty, its standard error, and the penalties it picks.
pub(crate) struct OneStandardError {
    pub(crate) mean: Vec<f64>,
    pub(crate) std_error: Vec<f64>,
    pub(crate) index_min: usize,
    pub(crate) index_1se: usize,
}

/// `mean`, `se` (fold standard deviation with `k - 1` degrees of freedom over `sqrt(k)`), the
/// index of the smallest mean and the first (largest-penalty) index within one standard error
/// of it, from `fold_errors[fold][l]` on a decreasing grid.
pub(crate) fn one_standard_error(fold_errors: &[Vec<f64>]) -> OneStandardError {
    let kf = fold_errors.len() as f64;
    let n_lambdas = fold_errors.first().map_or(0, Vec::len);
    let mean: Vec<f64> = (0..n_lambdas)
        .map(|l| fold_errors.iter().map(|e| e[l]).sum::<f64>() / kf)
        .collect();
    let std_error: Vec<f64> = (0..n_lambdas)
        .map(|l| {
            let m = mean[l];
            let ss: f64 = fold_errors.iter().map(|e| (e[l] - m).powi(2)).sum();
            (ss / (kf - 1.0)).sqrt() / kf.sqrt()
        })
        .collect();
    let index_min = (0..n_lambdas)
        .min_by(|&a, &b| mean[a].total_cmp(&mean[b]))
        .unwrap_or(0);
    let bound = mean[index_min] + std_error[index_min];
    // the grid decreases, so the first index within the bound has the largest penalty
    let index_1se = (0..=index_min)
        .find(|&l| mean[l] <= bound)
        .unwrap_or(index_min);
    OneStandardError {
        mean,
        std_error,
        index_min,
        index_1se,
    }
}

/// The result of [`CrossValidation::fit`]: index `l` of the per-penalty vectors belongs to
/// `lambdas[l]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CvResult {
    /// The penalties (the grid of the full data), decreasing.
    pub lambdas: Vec<f64>,
    /// The L1 share of the penalty.
    pub l1_ratio: f64,
    /// Mean held-out MSE per penalty.
    pub mse_mean: Vec<f64>,
    /// Standard error of the mean held-out MSE per penalty.
    pub mse_std_error: Vec<f64>,
    /// Held-out MSE, `fold_mse[fold][l]`.
    pub fold_mse: Vec<Vec<f64>>,
    /// Index of the smallest mean MSE.
    pub index_min: usize,
    /// Index of the largest penalty within one standard error of the smallest mean MSE.
    pub index_1se: usize,
    /// `lambdas[index_min]`.
    pub lambda_min: f64,
    /// `lambdas[index_1se]`.
    pub lambda_1se: f64,
    /// The path on all the data.
    pub path: LinearPath,
    /// The model at `lambda_min`, fitted on all the data.
    pub model_min: FittedLinear,
    /// The model at `lambda_1se`, fitted on all the data.
    pub model_1se: FittedLinear,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_partition_the_rows_evenly() {
        let fold_of = assign_folds(10, 4, 7);
        let mut sizes = [0; 4];
        for f in &fold_of {
            sizes[*f] += 1;
        }
        assert_eq!(sizes, [3, 3, 2, 2]);
        assert_eq!(fold_of, assign_folds(10, 4, 7), "seeded");
        assert_ne!(fold_of, assign_folds(10, 4, 8));
    }
}
