//! Linear regression on designs that are not stored densely (CSR, CSC): coordinate descent
//! with residual updates for penalties with an L1 part, the trust-region Newton-CG method
//! (conjugate gradients on the normal equations through products with `X` and `X^T`)
//! otherwise. Nothing of size `n x p` or `p x p` is formed and `X` is never centered:
//! coordinate descent centers implicitly, the other solvers fit the intercept as a parameter.

use linalg_core::{Design, MatRef, Parallelism, mul_xw};
use optim::{CoordinateDescent, Coordinates, ElasticNet, Observer};

use super::fitted::{FittedLinear, least_squares_objective};
use super::iterative::minimize_least_squares;
use super::regression::LinearRegression;
use super::scaling::scaled_target;
use super::solver::LinearSolver;
use crate::data::{check_design, normalize_weights};
use crate::error::{ModelError, Result};
use crate::loss::Squared;
use crate::objective::LinearObjective;

/// Fits `cfg` on a design without a dense view.
///
/// `auto` resolves to coordinate descent when the penalty has an L1 part, the rows are
/// unweighted and the design reads columns cheaply ([`Design::has_fast_columns`]: a
/// [`CscMatrix`](linalg_core::CscMatrix)), to FISTA for other L1 fits, and to `newton-cg`
/// without an L1 part. `qr` and `cholesky` factor a dense `X` and are refused.
pub(super) fn fit_sparse<D: Design>(
    cfg: &LinearRegression,
    x: &D,
    y: &[f64],
    sample_weight: Option<&[f64]>,
    observer: Option<&mut dyn Observer>,
) -> Result<FittedLinear> {
    let r = cfg.check()?;
    check_design(x)?;
    let (n, p) = (x.nrows(), x.ncols());
    let (target, y_scaled) = scaled_target(y, n)?;
    let weights = normalize_weights(sample_weight, n)?;
    let penalty = target.penalty(cfg.penalty);
    let solver = match (cfg.solver, cfg.resolve_family()?) {
        (LinearSolver::Auto, LinearSolver::CoordinateDescent)
            if weights.is_some() || !x.has_fast_columns() =>
        {
            LinearSolver::Fista
        }
        (_, LinearSolver::Auto) => LinearSolver::NewtonCg,
        (_, s @ (LinearSolver::Qr | LinearSolver::Cholesky)) => {
            return Err(ModelError::Unsupported(format!(
                "the {s} solver factors a dense X; for a sparse X use auto, cd, newton-cg, \
                 fista, gd or sgd"
            )));
        }
        (_, LinearSolver::CoordinateDescent) if weights.is_some() => {
            return Err(ModelError::Unsupported(
                "coordinate descent on a sparse X takes no sample weights; use auto (fista) \
                 or fista"
                    .to_string(),
            ));
        }
        (_, s) => s,
    };
    let mut start = cfg.start(p, cfg.fit_intercept)?;
    target.down(&mut start);
    let spread = target_spread(&y_scaled, weights.as_deref(), cfg.fit_intercept);
    let (coef, intercept, report) = if solver == LinearSolver::CoordinateDescent {
        let (mut problem, y_mean) =
            ResidualCoordinates::new(x, &y_scaled, &start[..p], cfg.fit_intercept);
        let cd = CoordinateDescent::new(ElasticNet::new(penalty.l1, penalty.l2)?)
            .tol(r.tol * if spread > 0.0 { spread } else { 1.0 })
            .max_iter(r.max_iter.unwrap_or(1000))
            .record_history(r.record_history);
        let mut report = cd.minimize_with(&mut problem, &start[..p], observer)?;
        let b = y_mean
            - problem
                .means
                .iter()
                .zip(&report.x)
                .map(|(m, w)| m * w)
                .sum::<f64>();
        let coef = report.x.clone();
        if cfg.fit_intercept {
            report.x.push(b);
        }
        (coef, b, report)
    } else {
        let obj = LinearObjective::new(x, &y_scaled, Squared)?
            .normalized_weights(weights.as_deref())
            .intercept(cfg.fit_intercept)
            .penalty(penalty)?
            .parallelism(r.parallelism);
        let fit = minimize_least_squares(obj, spread, solver, &r.iterative(), &start, observer)?;
        (fit.coef, fit.intercept, fit.report)
    };
    let mut fitted = FittedLinear {
        coef,
        intercept,
        fit_intercept: cfg.fit_intercept,
        penalty: cfg.penalty,
        solver,
        n_samples: n,
        report: Some(report),
        cd_mode: None,
        duality_gap: None,
        rank: None,
        condition_estimate: None,
        learning_rate: None,
        aliased: Vec::new(),
        certificate: None,
        target_scale: target.0,
        objective: None,
    };
    target.up("a coefficient of the fit", &mut fitted.coef)?;
    target.up(
        "the intercept of the fit",
        std::slice::from_mut(&mut fitted.intercept),
    )?;
    fitted.objective = least_squares_objective(
        x,
        y,
        weights.as_deref(),
        &fitted.coef,
        fitted.intercept,
        cfg.penalty,
    );
    Ok(fitted)
}

/// The weighted variance of `y` about its weighted mean (about 0 without an intercept): the
/// scale of the tolerances.
fn target_spread(y: &[f64], weights: Option<&[f64]>, intercept: bool) -> f64 {
    let n = y.len() as f64;
    let s = |i: usize| weights.map_or(1.0, |w| w[i]);
    let mean = if intercept {
        y.iter().enumerate().map(|(i, v)| s(i) * v).sum::<f64>() / n
    } else {
        0.0
    };
    y.iter()
        .enumerate()
        .map(|(i, v)| s(i) * (v - mean) * (v - mean))
        .sum::<f64>()
        / n
}

/// Least squares on the centered problem, `1/(2n) |y_c - X_c w|^2` with `X_c = X - 1 m^T`
/// (`m` the column means; `m = 0` and `y_c = y` without an intercept), coordinate by
/// coordinate, without forming `X_c`: the residual `y_c - X_c w` is kept as `r + c 1`, a
/// vector updated only where column `j` has entries (`r -= delta x_j`) and a scalar
/// (`c += delta m_j`), with `sum_i r_i` kept too. Then the partial derivative is
/// `-(x_j . r - m_j sum r) / n` (the `c` terms cancel) and every update costs
/// `O(entries of column j)`: glmnet's implicit centering of sparse designs. The intercept
/// follows at the end, `b = mean(y) - m . w`.
struct ResidualCoordinates<'a, D: Design> {
    x: &'a D,
    r: Vec<f64>,
    shift: f64,
    sum_r: f64,
    /// Column means (zeros without an intercept) and sums.
    means: Vec<f64>,
    sums: Vec<f64>,
    /// `|x_j - m_j|^2 / n` per column.
    curvature: Vec<f64>,
}

impl<'a, D: Design> ResidualCoordinates<'a, D> {
    /// The problem at coefficients `w` for target `y`; returns it with `mean(y)` (0 without
    /// an intercept).
    fn new(x: &'a D, y: &[f64], w: &[f64], intercept: bool) -> (Self, f64) {
        let (n, p) = (x.nrows(), x.ncols());
        let nf = n as f64;
        let mut sums = vec![0.0; p];
        if intercept {
            x.column_sums_into(&mut sums, Parallelism::Rayon);
        }
        let means: Vec<f64> = sums.iter().map(|s| s / nf).collect();
        let y_mean = if intercept {
            y.iter().sum::<f64>() / nf
        } else {
            0.0
        };
        let mut r = vec![0.0; n];
        mul_xw(
            x,
            MatRef::from_column_major_slice(w, p, 1),
            &[0.0],
            &mut r,
            Parallelism::Rayon,
        );
        r.iter_mut()
            .zip(y)
            .for_each(|(ri, yi)| *ri = (yi - y_mean) - *ri);
        let shift: f64 = means.iter().zip(w).map(|(m, wj)| m * wj).sum();
        let sum_r = r.iter().sum();
        let mut curvature = vec![0.0; p];
        x.column_weighted_squares(None, &mut curvature);
        for (c, m) in curvature.iter_mut().zip(&means) {
            *c = (*c / nf - m * m).max(0.0);
        }
        let problem = Self {
            x,
            r,
            shift,
            sum_r,
            means,
            sums,
            curvature,
        };
        (problem, y_mean)
    }
}

impl<D: Design> Coordinates for ResidualCoordinates<'_, D> {
    fn dim(&self) -> usize {
        self.x.ncols()
    }

    fn value(&mut self, _x: &[f64]) -> f64 {
        let n = self.r.len() as f64;
        let c = self.shift;
        let squares: f64 = self.r.iter().map(|v| v * v).sum();
        0.5 * (squares + 2.0 * c * self.sum_r + n * c * c) / n
    }

    fn partial(&mut self, _x: &[f64], j: usize) -> f64 {
        let n = self.r.len() as f64;
        -(self.x.column_dot(j, &self.r) - self.means[j] * self.sum_r) / n
    }

    fn curvature(&self, j: usize) -> f64 {
        self.curvature[j]
    }

    fn update(&mut self, j: usize, delta: f64) {
        self.x.column_axpy(j, -delta, &mut self.r);
        self.shift += delta * self.means[j];
        self.sum_r -= delta * self.sums[j];
    }
}
