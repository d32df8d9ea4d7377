//! Rank-deficient designs: duplicated and constant columns get the minimum-norm solution,
//! whose fitted values equal those of the full-rank problem.

#![allow(clippy::float_cmp)] // exact values are compared on purpose

use linalg_core::Mat;
use linmod_models::linear::{LinearRegression, LinearSolver};

mod linear_support;
use linear_support::{DIRECT_TOL, regression_problem, relative_diff};

/// `x` with the columns listed in `extra` appended (copies, or constants when `None`).
fn with_columns(x: &Mat<f64>, extra: &[Option<usize>]) -> Mat<f64> {
    let p = x.ncols();
    Mat::from_fn(x.nrows(), p + extra.len(), |i, j| {
        if j < p {
            x[(i, j)]
        } else {
            extra[j - p].map_or(3.0, |k| x[(i, k)])
        }
    })
}

#[test]
fn a_duplicated_column_splits_its_weight_equally() {
    let (x, y) = regression_problem(80, 4, 0.5, 21);
    let full = LinearRegression::new().fit(x.as_ref(), &y).unwrap();
    let twin = with_columns(&x, &[Some(2)]);
    for solver in [LinearSolver::Auto, LinearSolver::Qr] {
        let f = LinearRegression::new()
            .solver(solver)
            .fit(twin.as_ref(), &y)
            .unwrap();
        assert_eq!(f.solver(), LinearSolver::Qr, "auto falls back to QR");
        assert_eq!(f.rank(), Some(4));
        let w = f.coef();
        assert!((w[2] - w[4]).abs() < DIRECT_TOL * w[2].abs(), "{w:?}");
        assert!((w[2] + w[4] - full.coef()[2]).abs() < DIRECT_TOL * full.coef()[2].abs());
        assert!(relative_diff(&w[..2], &full.coef()[..2]) < DIRECT_TOL);
        assert!((f.intercept() - full.intercept()).abs() < DIRECT_TOL * full.intercept().abs());
        let yhat = f.predict(twin.as_ref()).unwrap();
        let yhat_full = full.predict(x.as_ref()).unwrap();
        assert!(relative_diff(&yhat, &yhat_full) < DIRECT_TOL);
    }
}

#[test]
fn a_constant_column_gets_no_weight() {
    let (x, y) = regression_problem(50, 3, 0.5, 22);
    let full = LinearRegression::new().fit(x.as_ref(), &y).unwrap();
    let with_const = with_columns(&x, &[None]);
    let f = LinearRegression::new()
        .fit(with_const.as_ref(), &y)
        .unwrap();
    assert_eq!(f.solver(), LinearSolver::Qr);
    assert_eq!(f.rank(), Some(3));
    assert!(f.coef()[3].abs() < 1e-12, "{:?}", f.coef());
    assert!(relative_diff(&f.coef()[..3], full.coef()) < DIRECT_TOL);
    // without an intercept the constant column plays its role
    let g = LinearRegression::new()
        .fit_intercept(false)
        .fit(with_const.as_ref(), &y)
        .unwrap();
    assert!((3.0 * g.coef()[3] - full.intercept()).abs() < 1e-9 * full.intercept().abs());
}

#[test]
fn ridge_and_the_lasso_handle_duplicates_without_fallback() {
    let (x, y) = regression_problem(60, 3, 0.5, 23);
    let twin = with_columns(&x, &[Some(0)]);
    let ridge = LinearRegression::new()
        .penalty(linmod_models::Penalty::l2(0.01).unwrap())
        .fit(twin.as_ref(), &y)
        .unwrap();
    assert_eq!(ridge.solver(), LinearSolver::Cholesky);
    // by symmetry the ridge solution splits equally too
    assert!((ridge.coef()[0] - ridge.coef()[3]).abs() < 1e-9 * ridge.coef()[0].abs());
    let lasso = LinearRegression::new()
        .penalty(linmod_models::Penalty::l1(0.01).unwrap())
        .tol(1e-12)
        .fit(twin.as_ref(), &y)
        .unwrap();
    assert!(lasso.converged());
    // the lasso solution is not unique with twins, but the twins' total weight is
    let single = LinearRegression::new()
        .penalty(linmod_models::Penalty::l1(0.01).unwrap())
        .tol(1e-12)
        .fit(x.as_ref(), &y)
        .unwrap();
    let total = lasso.coef()[0] + lasso.coef()[3];
    assert!((total - single.coef()[0]).abs() < 1e-6 * single.coef()[0].abs());
}
