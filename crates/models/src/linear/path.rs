//! Regularization paths: the lasso / elastic-net solutions on a decreasing grid of penalties,
//! each solve warm-started from the previous one.

use linalg_core::{MatRef, Parallelism, mul_xw};
use serde::{Deserialize, Serialize};

use super::centering::Centered;
use super::lasso::{CdSettings, Prepared, solve};
use super::scaling::{TargetScale, scaled_target};
use super::solver::CdMode;
use crate::data::check_prediction_input;
use crate::error::{ModelError, Result};
use crate::penalty::Penalty;

/// The penalty grid stops here when `lambda_max` is zero (a constant target or features
/// uncorrelated with it): scikit-learn's choice, `numpy.finfo(float).resolution`, on the
/// target divided by its power-of-two scale (so that a target of magnitude `1e-300` is not
/// taken for a constant one).
const DEGENERATE_LAMBDA: f64 = 1e-15;

/// The smallest penalty `lambda` that makes every coefficient zero, for the elastic-net
/// parametrization `l1 = lambda r`, `l2 = lambda (1 - r) / 2` (`r = l1_ratio`):
///
/// ```text
/// lambda_max = max_j |x_cj^T S y_c| / (n r)
/// ```
///
/// with the centered (weighted) data when fitting an intercept. At `w = 0` the residual is
/// `y_c`, and `w = 0` satisfies the optimality conditions exactly when every correlation
/// `|x_cj^T S y_c| / n` is at most `l1`.
///
/// # Errors
/// Invalid data (as [`LinearRegression::fit`](super::LinearRegression::fit)) or
/// `l1_ratio` outside `(0, 1]`.
///
/// # Examples
/// ```
/// use linmod_models::mat;
/// use linmod_models::linear::lambda_max;
/// let x = mat![[1.0], [-1.0]];
/// // x^T y / n = (2 + 2) / 2
/// assert_eq!(lambda_max(x.as_ref(), &[2.0, -2.0], None, true, 1.0).unwrap(), 2.0);
/// assert_eq!(lambda_max(x.as_ref(), &[2.0, -2.0], None, true, 0.5).unwrap(), 4.0);
/// ```
pub fn lambda_max(
    x: MatRef<'_, f64>,
    y: &[f64],
    sample_weight: Option<&[f64]>,
    fit_intercept: bool,
    l1_ratio: f64,
) -> Result<f64> {
    check_l1_ratio(l1_ratio, false)?;
    let (target, y_scaled) = scaled_target(y, x.nrows())?;
    let data = Centered::new(
        x,
        &y_scaled,
        sample_weight,
        fit_intercept,
        Parallelism::Rayon,
    )?;
    let yc = data.centered_target();
    unscaled_lambda_max(&target, max_correlation(&data.xty(&yc)), l1_ratio)
}

/// `lambda_max` in the units of the target from the largest correlation `max_corr` of the
/// rescaled target, or [`ModelError::Overflow`] when it overflows (a target near `1e300`
/// with large features).
fn unscaled_lambda_max(target: &TargetScale, max_corr: f64, l1_ratio: f64) -> Result<f64> {
    let mut top = [max_corr / l1_ratio];
    target.up(
        "lambda_max = max_j |x_cj^T S y_c| / (n r) (divide the target by a power of ten)",
        &mut top,
    )?;
    Ok(top[0])
}

fn max_correlation(xty: &[f64]) -> f64 {
    xty.iter().fold(0.0f64, |m, v| m.max(v.abs()))
}

fn check_l1_ratio(r: f64, allow_zero: bool) -> Result<()> {
    let ok = if allow_zero {
        (0.0..=1.0).contains(&r)
    } else {
        r > 0.0 && r <= 1.0
    };
    if ok {
        Ok(())
    } else {
        Err(ModelError::InvalidParameter {
            name: "l1_ratio",
            value: r,
            requirement: if allow_zero {
                "in [0, 1]"
            } else {
                "in (0, 1] (a ridge path needs an explicit lambda grid)"
            },
        })
    }
}

/// Configuration of a regularization path: coordinate descent on the penalties
/// `l1 = lambda r`, `l2 = lambda (1 - r) / 2` (`r = l1_ratio`; `lambda` is scikit-learn's
/// `alpha` and glmnet's `lambda`) for a decreasing grid of `lambda`.
///
/// The default grid has `n_lambdas = 100` values spaced evenly on a log scale from
/// [`lambda_max`] down to `eps * lambda_max` (`eps = 1e-3`), as glmnet and scikit-learn's
/// `enet_path`. Each solve starts from the previous solution (warm start) and reuses the Gram
/// matrix or residual of the previous one; gap-safe screening removes most features at the
/// large penalties. Tolerances as for [`LinearRegression`](super::LinearRegression) with the
/// `cd` solver: the duality gap at each `lambda` is at most `tol * y_c^T S y_c / n`.
///
/// # Examples
/// ```
/// use linmod_models::Mat;
/// use linmod_models::linear::RegularizationPath;
/// let x = Mat::from_fn(60, 4, |i, j| (((i + 1) * (j + 3)) % 13) as f64);
/// let y: Vec<f64> = (0..60).map(|i| x[(i, 0)] - 2.0 * x[(i, 3)]).collect();
/// let path = RegularizationPath::new().n_lambdas(30).eps(1e-4).fit(x.as_ref(), &y).unwrap();
/// assert_eq!(path.lambdas.len(), 30);
/// assert!(path.coefs[0].iter().all(|w| *w == 0.0));
/// assert!(path.converged.iter().all(|c| *c));
/// // at the smallest penalty the fit is close to least squares: w = (1, 0, 0, -2)
/// let last = path.coefs.last().unwrap();
/// assert!((last[0] - 1.0).abs() < 0.01 && (last[3] + 2.0).abs() < 0.01);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct RegularizationPath {
    n_lambdas: usize,
    eps: f64,
    pub(super) l1_ratio: f64,
    lambdas: Option<Vec<f64>>,
    pub(super) fit_intercept: bool,
    pub(super) tol: f64,
    pub(super) max_iter: usize,
    pub(super) cd_mode: CdMode,
    pub(super) parallelism: Parallelism,
}

impl Default for RegularizationPath {
    fn default() -> Self {
        Self {
            n_lambdas: 100,
            eps: 1e-3,
            l1_ratio: 1.0,
            lambdas: None,
            fit_intercept: true,
            tol: 1e-7,
            max_iter: 1000,
            cd_mode: CdMode::Auto,
            parallelism: Parallelism::Rayon,
        }
    }
}

impl RegularizationPath {
    /// The lasso path with the defaults above.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the number of penalties of the default grid (default 100).
    #[must_use]
    pub fn n_lambdas(mut self, n: usize) -> Self {
        self.n_lambdas = n;
        self
    }

    /// Sets the ratio of the smallest to the largest penalty of the default grid (default
    /// `1e-3`).
    #[must_use]
    pub fn eps(mut self, eps: f64) -> Self {
        self.eps = eps;
        self
    }

    /// Sets the L1 share `r` of the penalty (default 1: the lasso; `0 < r < 1`: elastic net;
    /// `r = 0`, ridge, needs an explicit grid).
    #[must_use]
    pub fn l1_ratio(mut self, r: f64) -> Self {
        self.l1_ratio = r;
        self
    }

    /// Uses these penalties instead of the default grid (sorted into decreasing order).
    #[must_use]
    pub fn lambdas(mut self, lambdas: Vec<f64>) -> Self {
        self.lambdas = Some(lambdas);
        self
    }

    /// Fits an intercept (default) or not.
    #[must_use]
    pub fn fit_intercept(mut self, on: bool) -> Self {
        self.fit_intercept = on;
        self
    }

    /// Sets the relative duality-gap tolerance of each solve (default `1e-7`).
    #[must_use]
    pub fn tol(mut self, tol: f64) -> Self {
        self.tol = tol;
        self
    }

    /// Sets the sweep limit of each solve (default 1000).
    #[must_use]
    pub fn max_iter(mut self, max_iter: usize) -> Self {
        self.max_iter = max_iter;
        self
    }

    /// Chooses Gram or residual mode (default [`CdMode::Auto`]).
    #[must_use]
    pub fn cd_mode(mut self, mode: CdMode) -> Self {
        self.cd_mode = mode;
        self
    }

    /// Sets how passes over `X` run (results do not depend on it).
    #[must_use]
    pub fn parallelism(mut self, par: Parallelism) -> Self {
        self.parallelism = par;
        self
    }

    /// Computes the path.
    ///
    /// # Errors
    /// Invalid data (as [`LinearRegression::fit`](super::LinearRegression::fit)); invalid
    /// settings ([`ModelError::InvalidParameter`]: `n_lambdas = 0`, `eps` outside `(0, 1)`,
    /// `l1_ratio` outside `[0, 1]` or 0 without an explicit grid, an explicit grid that is
    /// empty or holds a penalty that is not finite and positive, `tol <= 0`,
    /// `max_iter = 0`).
    pub fn fit(&self, x: MatRef<'_, f64>, y: &[f64]) -> Result<LinearPath> {
        self.fit_inner(x, y, None)
    }

    /// As [`fit`](Self::fit) with sample weights.
    ///
    /// # Errors
    /// As [`fit`](Self::fit), plus invalid weights.
    pub fn fit_weighted(
        &self,
        x: MatRef<'_, f64>,
        y: &[f64],
        sample_weight: &[f64],
    ) -> Result<LinearPath> {
        self.fit_inner(x, y, Some(sample_weight))
    }

    fn check(&self) -> Result<()> {
        let invalid = |name, value, requirement| {
            Err(ModelError::InvalidParameter {
                name,
                value,
                requirement,
            })
        };
        check_l1_ratio(self.l1_ratio, self.lambdas.is_some())?;
        match &self.lambdas {
            Some(l) if l.is_empty() => return invalid("lambdas", 0.0, "not empty"),
            Some(l) => {
                if let Some(v) = l.iter().find(|v| !(v.is_finite() && **v > 0.0)) {
                    return invalid("lambdas", *v, "finite and > 0");
                }
            }
            None => {
                if self.n_lambdas == 0 {
                    return invalid("n_lambdas", 0.0, ">= 1");
                }
                if !(self.eps > 0.0 && self.eps < 1.0) {
                    return invalid("eps", self.eps, "in (0, 1)");
                }
            }
        }
        if !(self.tol.is_finite() && self.tol > 0.0) {
            return invalid("tol", self.tol, "finite and > 0");
        }
        if self.max_iter == 0 {
            return invalid("max_iter", 0.0, ">= 1");
        }
        Ok(())
    }

    /// The default grid below `top = lambda_max` (or the explicit one).
    fn grid_from_top(&self, top: f64) -> Vec<f64> {
        if let Some(l) = &self.lambdas {
            let mut l = l.clone();
            l.sort_by(|a, b| b.total_cmp(a));
            return l;
        }
        let k = self.n_lambdas;
        if k == 1 {
            return vec![top];
        }
        let log_eps = self.eps.ln();
        (0..k)
            .map(|i| top * (log_eps * i as f64 / (k - 1) as f64).exp())
            .collect()
    }

    /// Validates, then computes the path on `grid` (or the default grid when `None`).
    pub(crate) fn fit_inner_grid(
        &self,
        x: MatRef<'_, f64>,
        y: &[f64],
        sample_weight: Option<&[f64]>,
        grid: Option<&[f64]>,
    ) -> Result<LinearPath> {
        self.check()?;
        // as LinearRegression: a target beyond 2^200 is solved for y / s with l1 / s
        let (target, y_scaled) = scaled_target(y, x.nrows())?;
        let data = Centered::new(
            x,
            &y_scaled,
            sample_weight,
            self.fit_intercept,
            self.parallelism,
        )?;
        let Prepared {
            mut engine,
            mode,
            xty,
            scale,
        } = Prepared::new(&data, self.cd_mode);
        engine.check_finite()?;
        let lambdas = match grid {
            Some(g) => g.to_vec(),
            // an explicit grid needs no lambda_max (and may come with l1_ratio = 0)
            None if self.lambdas.is_some() => self.grid_from_top(f64::NAN),
            // degenerate (zero) lambda_max is judged on the rescaled target, whose largest
            // magnitude is near 1: a tiny target is not a constant one
            None if max_correlation(&xty) / self.l1_ratio <= DEGENERATE_LAMBDA => {
                vec![DEGENERATE_LAMBDA * target.0; self.n_lambdas]
            }
            None => self.grid_from_top(unscaled_lambda_max(
                &target,
                max_correlation(&xty),
                self.l1_ratio,
            )?),
        };
        let settings = CdSettings {
            tol: self.tol,
            max_iter: self.max_iter,
            record_history: false,
        };
        let p = data.p();
        let mut w = vec![0.0; p];
        let mut path = LinearPath {
            lambdas: lambdas.clone(),
            l1_ratio: self.l1_ratio,
            coefs: Vec::with_capacity(lambdas.len()),
            intercepts: Vec::with_capacity(lambdas.len()),
            duality_gaps: Vec::with_capacity(lambdas.len()),
            n_iters: Vec::with_capacity(lambdas.len()),
            converged: Vec::with_capacity(lambdas.len()),
            cd_mode: mode,
            target_scale: target.0,
        };
        for &lambda in &lambdas {
            let penalty = target.penalty(path_penalty(lambda, self.l1_ratio)?);
            let run = solve(&mut engine, &mut w, penalty, scale, settings, None)?;
            let mut coef = w.clone();
            let mut b = [data.intercept(&w)];
            target.up("a coefficient of the path", &mut coef)?;
            target.up("an intercept of the path", &mut b)?;
            path.intercepts.push(b[0]);
            path.coefs.push(coef);
            path.duality_gaps.push(run.gap);
            path.n_iters.push(run.report.iterations);
            path.converged.push(run.report.converged());
        }
        Ok(path)
    }

    fn fit_inner(
        &self,
        x: MatRef<'_, f64>,
        y: &[f64],
        sample_weight: Option<&[f64]>,
    ) -> Result<LinearPath> {
        self.fit_inner_grid(x, y, sample_weight, None)
    }
}

/// `l1 = lambda r`, `l2 = lambda (1 - r) / 2`.
pub(crate) fn path_penalty(lambda: f64, l1_ratio: f64) -> Result<Penalty> {
    Penalty::glmnet(lambda, l1_ratio)
}

/// A computed regularization path: entry `k` of every vector belongs to `lambdas[k]`.
///
/// # Examples
/// ```
/// use linmod_models::Mat;
/// use linmod_models::linear::RegularizationPath;
/// let x = Mat::from_fn(30, 2, |i, j| ((i * (j + 2)) % 7) as f64);
/// let y: Vec<f64> = (0..30).map(|i| x[(i, 1)]).collect();
/// let path = RegularizationPath::new().n_lambdas(5).fit(x.as_ref(), &y).unwrap();
/// let yhat = path.predict(4, x.as_ref()).unwrap();
/// assert_eq!(yhat.len(), 30);
/// assert_eq!(path.penalty(0).l1, path.lambdas[0]);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LinearPath {
    /// The penalties, decreasing.
    pub lambdas: Vec<f64>,
    /// The L1 share `r` (`l1 = lambda r`, `l2 = lambda (1 - r) / 2`).
    pub l1_ratio: f64,
    /// Coefficients per penalty.
    pub coefs: Vec<Vec<f64>>,
    /// Intercepts per penalty.
    pub intercepts: Vec<f64>,
    /// Final duality gap per penalty, on the objective of the target divided by
    /// [`target_scale`](Self::target_scale) (the objective itself when that is 1).
    pub duality_gaps: Vec<f64>,
    /// Coordinate-descent sweeps per penalty (0 when the warm start already met the
    /// tolerance).
    pub n_iters: Vec<usize>,
    /// Whether the gap test held at each penalty.
    pub converged: Vec<bool>,
    /// The mode coordinate descent ran in.
    pub cd_mode: CdMode,
    /// The power of two the target was divided by inside the solver (1 unless `|y|` is
    /// beyond `2^200` or below `2^-200`; see `FittedLinear::target_scale`). Coefficients,
    /// intercepts and penalties are always in the units of the target.
    #[serde(default = "unit_scale")]
    pub target_scale: f64,
}

fn unit_scale() -> f64 {
    1.0
}

impl LinearPath {
    /// Number of penalties.
    #[must_use]
    pub fn len(&self) -> usize {
        self.lambdas.len()
    }

    /// True for an empty path (never produced by [`RegularizationPath::fit`]).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.lambdas.is_empty()
    }

    /// The penalty at index `k`.
    ///
    /// # Panics
    /// If `k >= len()`.
    #[must_use]
    pub fn penalty(&self, k: usize) -> Penalty {
        let lambda = self.lambdas[k];
        Penalty {
            l1: lambda * self.l1_ratio,
            l2: lambda * (1.0 - self.l1_ratio) / 2.0,
        }
    }

    /// Predictions of the model at index `k`.
    ///
    /// # Errors
    /// A feature-count mismatch or non-finite values in `x`.
    ///
    /// # Panics
    /// If `k >= len()`.
    pub fn predict(&self, k: usize, x: MatRef<'_, f64>) -> Result<Vec<f64>> {
        let w = &self.coefs[k];
        check_prediction_input(x, w.len())?;
        let mut out = vec![0.0; x.nrows()];
        predict_into(x, w, self.intercepts[k], &mut out, Parallelism::Rayon);
        Ok(out)
    }
}

/// `out = X w + b`.
pub(crate) fn predict_into<D: linalg_core::Design>(
    x: D,
    w: &[f64],
    b: f64,
    out: &mut [f64],
    par: Parallelism,
) {
    mul_xw(
        x,
        MatRef::from_column_major_slice(w, w.len(), 1),
        &[b],
        out,
        par,
    );
}
