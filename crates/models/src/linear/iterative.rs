//! The `optim` solvers (gradient descent, minibatch SGD, FISTA) run on the least-squares
//! [`LinearObjective`](crate::objective::LinearObjective) over
//! the parameters `[w, b]`.

use linalg_core::Design;
use optim::{Fista, GradientDescent, Objective, Observer, Report, Schedule, Sgd, TrustRegion};

use super::centering::Centered;
use super::solver::LinearSolver;
use crate::error::Result;
use crate::loss::Squared;
use crate::objective::{LeastSquaresObjective, LinearObjective};
use crate::penalty::Penalty;

/// Power-method steps for the default learning rate of gradient descent.
const CURVATURE_ITERATIONS: usize = 50;

/// Runs an `optim` solver with or without the observer.
macro_rules! minimize {
    ($solver:expr, $obj:expr, $start:expr, $observer:expr) => {
        match $observer {
            Some(o) => $solver.minimize_observed(&mut $obj, $start, o)?,
            None => $solver.minimize(&mut $obj, $start)?,
        }
    };
}

/// Settings shared by the iterative solvers.
#[derive(Clone, Debug)]
pub(crate) struct IterativeSettings {
    pub tol: f64,
    pub max_iter: usize,
    pub learning_rate: Option<f64>,
    pub schedule: Option<Schedule>,
    pub epochs: usize,
    pub batch_size: usize,
    pub seed: u64,
    pub record_history: bool,
}

/// What an iterative solver returns.
pub(crate) struct IterativeFit {
    pub coef: Vec<f64>,
    pub intercept: f64,
    pub report: Report,
    /// The learning rate used (gradient descent and constant-rate SGD).
    pub learning_rate: Option<f64>,
}

/// Runs `solver` (`GradientDescent`, `Sgd`, `Fista` or `NewtonCg`) from `start = [w, b]`.
///
/// Gradient tests are relative to the spread of the target: `max |g| <= tol * sd(y)` with
/// `sd(y) = sqrt(y_c^T S y_c / n)` (1 when `y` is constant).
pub(crate) fn fit_iterative(
    data: &Centered<'_>,
    penalty: Penalty,
    solver: LinearSolver,
    settings: &IterativeSettings,
    start: &[f64],
    observer: Option<&mut dyn Observer>,
) -> Result<IterativeFit> {
    let yc = data.centered_target();
    let spread = data.target_scale(&yc);
    drop(yc);
    let obj = LeastSquaresObjective::from_checked(data.x, data.y, Squared)
        .normalized_weights(data.weights.as_deref())
        .intercept(data.fit_intercept)
        .penalty(penalty)?
        .parallelism(data.par);
    minimize_least_squares(obj, spread, solver, settings, start, observer)
}

/// Runs `solver` on the least-squares objective `obj` of any design from `start`, with
/// gradient tests relative to `sqrt(spread)`, `spread` the weighted variance of the target
/// (its mean square without an intercept).
pub(crate) fn minimize_least_squares<D: Design>(
    mut obj: LinearObjective<'_, D, Squared>,
    spread: f64,
    solver: LinearSolver,
    settings: &IterativeSettings,
    start: &[f64],
    observer: Option<&mut dyn Observer>,
) -> Result<IterativeFit> {
    let sd = if spread > 0.0 { spread.sqrt() } else { 1.0 };
    let mut learning_rate = None;
    let report = match solver {
        LinearSolver::GradientDescent => {
            let eta = match settings.learning_rate {
                Some(eta) => eta,
                None => {
                    let origin = vec![0.0; obj.dim()];
                    1.0 / obj
                        .curvature_estimate(&origin, CURVATURE_ITERATIONS)
                        .max(f64::MIN_POSITIVE)
                }
            };
            learning_rate = Some(eta);
            let gd = GradientDescent::new(eta)
                .max_iter(settings.max_iter)
                .gradient_tol(settings.tol * sd)
                .record_history(settings.record_history);
            minimize!(gd, obj, start, observer)
        }
        LinearSolver::Sgd => {
            let schedule = match settings.schedule {
                Some(s) => s,
                None => Schedule::Constant(settings.learning_rate.unwrap_or(0.01)),
            };
            if let Schedule::Constant(eta) = schedule {
                learning_rate = Some(eta);
            }
            let value_tol = settings.tol * if spread > 0.0 { spread } else { 1.0 };
            let sgd = Sgd::default()
                .schedule(schedule)
                .epochs(settings.epochs)
                .batch_size(settings.batch_size)
                .seed(settings.seed)
                .tol(value_tol, 5)
                .record_history(settings.record_history);
            minimize!(sgd, obj, start, observer)
        }
        LinearSolver::NewtonCg => {
            let tron = TrustRegion::default()
                .max_iter(settings.max_iter)
                .gradient_tol(settings.tol * sd)
                .record_history(settings.record_history);
            minimize!(tron, obj, start, observer)
        }
        _ => {
            let fista = Fista::default()
                .max_iter(settings.max_iter)
                .gradient_tol(settings.tol * sd)
                .record_history(settings.record_history);
            minimize!(fista, obj, start, observer)
        }
    };
    let p = obj.n_features();
    let coef = report.x[..p].to_vec();
    let intercept = if obj.fits_intercept() {
        report.x[p]
    } else {
        0.0
    };
    Ok(IterativeFit {
        coef,
        intercept,
        report,
        learning_rate,
    })
}
