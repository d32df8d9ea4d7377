//! Regularization paths and k-fold cross-validation for every GLM family, binary logistic
//! and multinomial regression: warm starts along a decreasing grid of penalties, held-out
//! deviance curves, `lambda_min` and the one-standard-error `lambda_1se`.

use std::borrow::Cow;

use linalg_core::MatRef;
use optim::Objective;
use serde::{Deserialize, Serialize};

use super::data::{GlmData, Prepared};
use super::family::GlmFamily;
use super::solve::{column_means, resolve_solver, solve};
use super::statistics::intercept_start;
use crate::data::{check_design, normalize_weights};
use crate::error::{ModelError, Result};
use crate::labels::{check_binary, training_classes};
use crate::linear::cv::{OneStandardError, assign_folds, one_standard_error};
use crate::logistic::LogisticSolver;
use crate::logistic::solver::SolverSettings;
use crate::loss::{Binomial, Family, MultiLoss, Softmax};
use crate::objective::LinearObjective;
use crate::penalty::Penalty;
use crate::settings::FitSettings;

/// The model a [`GlmPath`] fits.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PathModel {
    /// A GLM family (its data may have weights, an offset, an exposure, trials).
    Glm(GlmFamily),
    /// Binary logistic regression (labels 0/1): the binomial family.
    Logistic,
    /// Multinomial (softmax) regression, labels `0..K-1`, one coefficient vector per class.
    Multinomial,
}

/// A regularization path: fits at `n_lambdas` penalties from `lambda_max` (the smallest at
/// which every coefficient is 0) down to `eps lambda_max`, log-spaced, each warm-started from
/// the previous solution, with the penalty (glmnet's) `lambda [r |w|_1 + (1 - r)/2 |w|^2]`,
/// `r` = `l1_ratio`, i.e. `l1 = lambda r`, `l2 = lambda (1 - r) / 2`.
///
/// `lambda_max = max_j |g_j| / max(r, 1e-3)` with `g` the gradient of the mean half
/// deviance at the intercept-only fit. Each penalty is solved by the solver `auto` picks
/// (proximal Newton up to 1000 parameters, else FISTA; for `r = 0` Newton up to 1000, else L-BFGS) to the
/// tolerance `tol` on the minimum-norm subgradient (default `1e-8`). No screening rule
/// discards features: every fit works on all of them.
///
/// [`cross_validate`](Self::cross_validate) adds k-fold cross-validation on the same grid:
/// held-out rows get weight 0 in the training fits (`X` is never copied), the held-out mean
/// deviance `sum_test w_i d_i / sum_test w_i` is recorded per penalty and fold, and
/// `lambda_min` and `lambda_1se` are chosen as glmnet's `cv.glmnet` chooses them.
///
/// # Examples
/// ```
/// use linmod_models::Mat;
/// use linmod_models::glm::{GlmData, GlmFamily, GlmPath, PathModel};
/// let x = Mat::from_fn(60, 4, |i, j| (((i + 1) * (j + 2) * 7) % 13) as f64 / 13.0 - 0.5);
/// let y: Vec<f64> = (0..60).map(|i| ((3.0 * x[(i, 0)]).exp() * 2.0).round()).collect();
/// let path = GlmPath::new(PathModel::Glm(GlmFamily::Poisson))
///     .n_lambdas(20)
///     .fit(x.as_ref(), &GlmData::new(&y))
///     .unwrap();
/// assert!(path.coefs[0].iter().all(|w| *w == 0.0)); // lambda_max
/// assert!(path.deviance[19] < path.deviance[0]);
/// assert!(path.converged.iter().all(|c| *c));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct GlmPath {
    model: PathModel,
    l1_ratio: f64,
    n_lambdas: usize,
    eps: f64,
    lambdas: Option<Vec<f64>>,
    fit_intercept: bool,
    tol: f64,
    max_iter: usize,
    settings: FitSettings,
}

impl GlmPath {
    /// A lasso path (`l1_ratio = 1`) of 100 penalties down to `1e-3 lambda_max`, with an
    /// intercept.
    #[must_use]
    pub fn new(model: PathModel) -> Self {
        Self {
            model,
            l1_ratio: 1.0,
            n_lambdas: 100,
            eps: 1e-3,
            lambdas: None,
            fit_intercept: true,
            tol: 1e-8,
            max_iter: 1000,
            settings: FitSettings::default(),
        }
    }

    /// Sets the L1 share `r` in `[0, 1]`.
    #[must_use]
    pub fn l1_ratio(mut self, r: f64) -> Self {
        self.l1_ratio = r;
        self
    }

    /// Sets the number of penalties (at least 1).
    #[must_use]
    pub fn n_lambdas(mut self, n: usize) -> Self {
        self.n_lambdas = n;
        self
    }

    /// Sets the smallest penalty as a fraction of `lambda_max`, in `(0, 1)`.
    #[must_use]
    pub fn eps(mut self, eps: f64) -> Self {
        self.eps = eps;
        self
    }

    /// Uses these penalties (positive, decreasing) instead of the grid.
    #[must_use]
    pub fn lambdas(mut self, lambdas: Vec<f64>) -> Self {
        self.lambdas = Some(lambdas);
        self
    }

    /// Fits intercepts (default) or not.
    #[must_use]
    pub fn fit_intercept(mut self, on: bool) -> Self {
        self.fit_intercept = on;
        self
    }

    /// Sets the tolerance of every fit (minimum-norm subgradient, default `1e-8`).
    #[must_use]
    pub fn tol(mut self, tol: f64) -> Self {
        self.tol = tol;
        self
    }

    /// Sets the iteration limit of every fit (default 1000).
    #[must_use]
    pub fn max_iter(mut self, max_iter: usize) -> Self {
        self.max_iter = max_iter;
        self
    }

    fn check(&self) -> Result<()> {
        let bad = |name, value: f64, requirement| {
            Err(ModelError::InvalidParameter {
                name,
                value,
                requirement,
            })
        };
        if !(0.0..=1.0).contains(&self.l1_ratio) {
            return bad("l1_ratio", self.l1_ratio, "in [0, 1]");
        }
        if !(self.eps > 0.0 && self.eps < 1.0) {
            return bad("eps", self.eps, "in (0, 1)");
        }
        if self.n_lambdas == 0 {
            return bad("n_lambdas", 0.0, "at least 1");
        }
        if let Some(l) = &self.lambdas {
            if let Some(i) = l.iter().position(|v| !(v.is_finite() && *v > 0.0)) {
                return bad("lambdas", l[i], "finite and > 0");
            }
            if l.windows(2).any(|w| w[1] > w[0]) || l.is_empty() {
                return Err(ModelError::Unsupported(
                    "the penalties of a path must be given in decreasing order".into(),
                ));
            }
        }
        Ok(())
    }

    /// Fits the path on `x` and `data`.
    ///
    /// # Errors
    /// Invalid settings; the data errors of [`Glm::fit`](super::Glm::fit) (for logistic:
    /// labels other than 0/1; multinomial: labels other than `0..K-1` with every class
    /// present).
    pub fn fit(&self, x: MatRef<'_, f64>, data: &GlmData<'_>) -> Result<GlmPathFit> {
        self.check()?;
        check_design(x)?;
        self.dispatch(x, data, |run| run.path(None, None))
    }

    /// Fits the path and cross-validates it with `folds` folds (rows shuffled by ChaCha8
    /// seeded with `seed`).
    ///
    /// # Errors
    /// As [`fit`](Self::fit), and `folds` outside `2..=n`.
    pub fn cross_validate(
        &self,
        x: MatRef<'_, f64>,
        data: &GlmData<'_>,
        folds: usize,
        seed: u64,
    ) -> Result<GlmCv> {
        self.check()?;
        check_design(x)?;
        let n = x.nrows();
        if folds < 2 || folds > n {
            return Err(ModelError::InvalidParameter {
                name: "folds",
                value: folds as f64,
                requirement: "at least 2 and at most the number of rows",
            });
        }
        self.dispatch(x, data, |run| run.cross_validate(folds, seed))
    }

    /// Prepares the data of the model and runs `body` with the monomorphized runner.
    fn dispatch<T>(
        &self,
        x: MatRef<'_, f64>,
        data: &GlmData<'_>,
        body: impl FnOnce(&dyn PathRun) -> Result<T>,
    ) -> Result<T> {
        let n = x.nrows();
        match self.model {
            PathModel::Glm(family) => super::with_family!(family, f => {
                let prepared = data.prepare(n, &f)?;
                let start = vec![intercept_start(&f, &prepared)];
                body(&Runner { cfg: self, x, loss: f, prepared, start, means: column_means(x) })
            }),
            PathModel::Logistic => {
                check_binary(data.y())?;
                let prepared = data.prepare(n, &Binomial)?;
                let start = vec![intercept_start(&Binomial, &prepared)];
                body(&Runner {
                    cfg: self,
                    x,
                    loss: Binomial,
                    prepared,
                    start,
                    means: column_means(x),
                })
            }
            PathModel::Multinomial => {
                let (k, _) = training_classes(data.y())?;
                let loss = Softmax::new(k);
                // the multinomial target is a label: only weights and offsets apply
                let prepared = data.prepare(n, &AnyTarget)?;
                MultiLoss::check_target(&loss, &prepared.y)?;
                body(&Runner {
                    cfg: self,
                    x,
                    loss,
                    prepared,
                    start: vec![0.0; k],
                    means: column_means(x),
                })
            }
        }
    }
}

/// A family-less target check for labels (the softmax loss checks them itself).
#[derive(Clone, Copy)]
struct AnyTarget;

impl crate::loss::Loss for AnyTarget {
    fn derivatives(&self, _: f64, _: f64) -> (f64, f64, f64) {
        (0.0, 0.0, 0.0)
    }
}

impl Family for AnyTarget {
    fn name(&self) -> String {
        String::new()
    }
    fn link_name(&self) -> &'static str {
        ""
    }
    fn mean(&self, z: f64) -> f64 {
        z
    }
    fn link(&self, mu: f64) -> f64 {
        mu
    }
    fn variance(&self, _: f64) -> f64 {
        1.0
    }
    fn unit_deviance(&self, _: f64, _: f64) -> f64 {
        0.0
    }
    fn fisher_weight(&self, _: f64) -> f64 {
        1.0
    }
    fn estimates_scale(&self) -> bool {
        false
    }
    fn log_likelihood(&self, _: f64, _: f64, _: f64, _: f64, _: f64) -> Option<f64> {
        None
    }
    fn target_domain(&self) -> (fn(f64) -> bool, &'static str) {
        (f64::is_finite, "a label must be finite")
    }
}

/// A path: index `l` of every vector belongs to `lambdas[l]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GlmPathFit {
    /// The penalties, decreasing.
    pub lambdas: Vec<f64>,
    /// The L1 share of the penalty.
    pub l1_ratio: f64,
    /// Linear predictors per row (1, or the number of classes).
    pub outputs: usize,
    /// Coefficients per penalty, `p x k` column-major (class `c` at `c p .. (c + 1) p`).
    pub coefs: Vec<Vec<f64>>,
    /// Intercepts per penalty (`k` each; zeros without intercepts).
    pub intercepts: Vec<Vec<f64>>,
    /// Training deviance `sum_i w_i d_i` per penalty (twice the cross-entropy for
    /// multinomial).
    pub deviance: Vec<f64>,
    /// Iterations per penalty.
    pub n_iters: Vec<usize>,
    /// Whether each fit met its convergence test.
    pub converged: Vec<bool>,
}

impl GlmPathFit {
    /// Number of penalties.
    #[must_use]
    pub fn len(&self) -> usize {
        self.lambdas.len()
    }

    /// Whether the path is empty (never, for a fitted path).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.lambdas.is_empty()
    }

    /// Non-zero coefficients at penalty `l`.
    #[must_use]
    pub fn nonzero(&self, l: usize) -> usize {
        self.coefs[l].iter().filter(|w| **w != 0.0).count()
    }
}

/// Cross-validation of a path.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GlmCv {
    /// The path on all the data (its grid is the folds' grid).
    pub path: GlmPathFit,
    /// Mean held-out deviance per row (per unit of weight), per penalty.
    pub deviance_mean: Vec<f64>,
    /// Its standard error over the folds.
    pub deviance_std_error: Vec<f64>,
    /// Held-out mean deviance `fold_deviance[fold][l]`.
    pub fold_deviance: Vec<Vec<f64>>,
    /// Index of the smallest mean held-out deviance.
    pub index_min: usize,
    /// Index of the largest penalty within one standard error of it.
    pub index_1se: usize,
    /// `lambdas[index_min]`.
    pub lambda_min: f64,
    /// `lambdas[index_1se]`.
    pub lambda_1se: f64,
}

/// The path computations, object-safe so that one dispatch picks the loss.
trait PathRun {
    fn path(&self, train: Option<&[f64]>, grid: Option<&[f64]>) -> Result<GlmPathFit>;
    fn cross_validate(&self, folds: usize, seed: u64) -> Result<GlmCv>;
}

struct Runner<'a, L: MultiLoss + Clone> {
    cfg: &'a GlmPath,
    x: MatRef<'a, f64>,
    loss: L,
    prepared: Prepared<'a>,
    /// Starting intercepts of the null fit.
    start: Vec<f64>,
    /// Column means of `X` (the centered parametrization).
    means: Vec<f64>,
}

impl<L: MultiLoss + Clone> Runner<'_, L> {
    fn objective<'o>(
        &'o self,
        weights: Option<&'o [f64]>,
        penalty: Penalty,
    ) -> Result<LinearObjective<'o, MatRef<'o, f64>, L>> {
        let mut obj = LinearObjective::from_checked(self.x, &self.prepared.y, self.loss.clone())
            .normalized_weights(weights)
            .intercept(self.cfg.fit_intercept)
            .penalty(penalty)?
            .parallelism(self.cfg.settings.parallelism);
        if let Some(o) = &self.prepared.offset {
            obj = obj.offset(o)?;
        }
        Ok(obj)
    }

    /// `sum_i w_i 2 l(z_i; y_i)` at `theta` for the weights `w` (the deviance of GLM
    /// families, twice the cross-entropy for softmax).
    fn deviance(&self, theta: &[f64], w: &[f64], z: &mut [f64]) -> Result<f64> {
        let mut obj = self.objective(None, Penalty::none())?;
        obj.linear_predictors(theta, z);
        Ok(2.0 * self.loss.block_loss(z, &self.prepared.y, Some(w)))
    }

    fn settings(&self) -> SolverSettings {
        SolverSettings::resolve(&FitSettings {
            tol: Some(self.cfg.tol),
            max_iter: Some(self.cfg.max_iter),
            ..self.cfg.settings
        })
    }

    fn raw_weights(&self) -> Vec<f64> {
        (0..self.x.nrows())
            .map(|i| self.prepared.weight(i))
            .collect()
    }
}

impl<L: MultiLoss + Clone> PathRun for Runner<'_, L> {
    fn path(&self, train: Option<&[f64]>, grid: Option<&[f64]>) -> Result<GlmPathFit> {
        let (n, p, k) = (self.x.nrows(), self.x.ncols(), self.loss.outputs());
        let raw = match train {
            Some(t) => Cow::Borrowed(t),
            None => Cow::Owned(self.raw_weights()),
        };
        let weights = normalize_weights(Some(&raw), n)?;
        let r = self.cfg.l1_ratio;
        let settings = self.settings();
        // the intercept-only fit: an L1 strength that keeps every coefficient at 0
        let dim = p * k + if self.cfg.fit_intercept { k } else { 0 };
        let mut theta = vec![0.0; dim];
        if self.cfg.fit_intercept {
            theta[p * k..].copy_from_slice(&self.start);
            let huge = Penalty::l1(1e300)?;
            let mut obj = self.objective(weights.as_deref(), huge)?;
            let report = solve(
                &mut obj,
                None,
                LogisticSolver::ProxNewton,
                huge.l1,
                &settings,
                &theta,
            )?;
            theta = report.x;
        }
        let lambdas = match grid
            .map(<[f64]>::to_vec)
            .or_else(|| self.cfg.lambdas.clone())
        {
            Some(l) => l,
            None => {
                let mut g = vec![0.0; dim];
                self.objective(weights.as_deref(), Penalty::none())?
                    .gradient(&theta, &mut g);
                let top = g[..p * k].iter().fold(0.0f64, |m, v| m.max(v.abs())) / r.max(1e-3);
                if !(top.is_finite() && top > 0.0) {
                    return Err(ModelError::Unsupported(format!(
                        "no regularization path: the gradient at the intercept-only fit is \
                         {top} (constant features or a constant target)"
                    )));
                }
                let m = self.cfg.n_lambdas;
                (0..m)
                    .map(|i| {
                        let t = if m == 1 {
                            0.0
                        } else {
                            i as f64 / (m - 1) as f64
                        };
                        top * self.cfg.eps.powf(t)
                    })
                    .collect()
            }
        };
        let mut out = GlmPathFit {
            lambdas: lambdas.clone(),
            l1_ratio: r,
            outputs: k,
            coefs: Vec::with_capacity(lambdas.len()),
            intercepts: Vec::with_capacity(lambdas.len()),
            deviance: Vec::with_capacity(lambdas.len()),
            n_iters: Vec::with_capacity(lambdas.len()),
            converged: Vec::with_capacity(lambdas.len()),
        };
        let mut z = vec![0.0; n * k];
        for &lambda in &lambdas {
            let pen = Penalty::elastic_net(lambda * r, lambda * (1.0 - r) / 2.0)?;
            let mut obj = self.objective(weights.as_deref(), pen)?;
            let solver = resolve_solver(LogisticSolver::Auto, dim, pen);
            solver.check_memory(dim)?;
            let report = solve(
                &mut obj,
                Some(&self.means),
                solver,
                pen.l1,
                &settings,
                &theta,
            )?;
            theta.clone_from(&report.x);
            out.coefs.push(theta[..p * k].to_vec());
            out.intercepts.push(if self.cfg.fit_intercept {
                theta[p * k..].to_vec()
            } else {
                vec![0.0; k]
            });
            out.deviance.push(self.deviance(&theta, &raw, &mut z)?);
            out.n_iters.push(report.iterations);
            out.converged.push(report.converged());
        }
        Ok(out)
    }

    fn cross_validate(&self, folds: usize, seed: u64) -> Result<GlmCv> {
        let n = self.x.nrows();
        let full = self.path(None, None)?;
        let raw = self.raw_weights();
        let fold_of = assign_folds(n, folds, seed);
        let (mut train, mut test) = (vec![0.0; n], vec![0.0; n]);
        let mut z = vec![0.0; n * self.loss.outputs()];
        let mut fold_deviance = Vec::with_capacity(folds);
        for f in 0..folds {
            for i in 0..n {
                let held_out = fold_of[i] == f;
                train[i] = if held_out { 0.0 } else { raw[i] };
                test[i] = if held_out { raw[i] } else { 0.0 };
            }
            let test_weight: f64 = test.iter().sum();
            if test_weight <= 0.0 {
                return Err(ModelError::Unsupported(format!(
                    "cross-validation fold {f} holds only rows of weight 0"
                )));
            }
            let path = self.path(Some(&train), Some(&full.lambdas))?;
            let mut errors = Vec::with_capacity(path.len());
            for l in 0..path.len() {
                let mut theta = path.coefs[l].clone();
                if self.cfg.fit_intercept {
                    theta.extend_from_slice(&path.intercepts[l]);
                }
                errors.push(self.deviance(&theta, &test, &mut z)? / test_weight);
            }
            fold_deviance.push(errors);
        }
        let OneStandardError {
            mean,
            std_error,
            index_min,
            index_1se,
        } = one_standard_error(&fold_deviance);
        Ok(GlmCv {
            lambda_min: full.lambdas[index_min],
            lambda_1se: full.lambdas[index_1se],
            path: full,
            deviance_mean: mean,
            deviance_std_error: std_error,
            fold_deviance,
            index_min,
            index_1se,
        })
    }
}
