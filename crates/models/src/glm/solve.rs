//! One solve of a GLM objective, in the centered parametrization when intercepts are fitted.

use linalg_core::{Design, MatRef};
use optim::Report;

use crate::error::Result;
use crate::logistic::LogisticSolver;
use crate::logistic::solver::{SolverSettings, minimize};
use crate::loss::MultiLoss;
use crate::objective::{Centered, LinearObjective};
use crate::penalty::Penalty;

/// The solver `auto` resolves to for a GLM of `dim` parameters: Newton's method (smooth) or
/// proximal Newton (with L1) up to 1000 parameters, else L-BFGS or FISTA; other solvers are
/// returned unchanged. GLMs take Newton-type steps further than the logistic rule (100): on the
/// insurance-shaped benchmark (6e5 rows, 296 parameters) proximal Newton converged in 4
/// iterations where L-BFGS needed 78 to 148, at half the time or less
/// (`docs/benchmarks.md`).
pub(crate) fn resolve_solver(
    solver: LogisticSolver,
    dim: usize,
    penalty: Penalty,
) -> LogisticSolver {
    match solver {
        LogisticSolver::Auto if dim <= 1000 && !penalty.has_l1() => LogisticSolver::Newton,
        other => other.resolve(dim, penalty),
    }
}

/// The column means of `x` (the centering of [`Centered`]).
pub(crate) fn column_means(x: MatRef<'_, f64>) -> Vec<f64> {
    let n = x.nrows() as f64;
    (0..x.ncols()).map(|j| x.column_sum(j) / n).collect()
}

/// Minimizes `obj` plus `l1 |W|_1` from `x0` with `solver`. With intercepts the solver runs
/// in the centered parameters (`means` the column means of `X`), where uncentered columns are
/// not collinear with the intercept; the report is returned in the original parameters, and
/// the convergence test is the one that held in the centered ones (its gradient, `T^T g`,
/// differs from the original only through the intercept's component, which vanishes at the
/// solution).
pub(crate) fn solve<L: MultiLoss>(
    obj: &mut LinearObjective<'_, MatRef<'_, f64>, L>,
    means: Option<&[f64]>,
    solver: LogisticSolver,
    l1: f64,
    settings: &SolverSettings,
    x0: &[f64],
) -> Result<Report> {
    let pk = obj.n_features() * obj.outputs();
    let k = obj.outputs();
    match means {
        Some(m) if obj.fits_intercept() => {
            let mut centered = Centered::new(obj, m.to_vec(), k);
            let start = centered.centered_of(x0);
            let mut report = minimize(&mut centered, solver, (l1, 0..pk), settings, &start, None)?;
            let mut original = vec![0.0; report.x.len()];
            centered.to_original(&report.x, &mut original);
            report.x = original;
            Ok(report)
        }
        _ => minimize(obj, solver, (l1, 0..pk), settings, x0, None),
    }
}
