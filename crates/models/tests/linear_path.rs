//! Regularization paths and cross-validation on seeded synthetic problems.

#![allow(clippy::float_cmp)] // exact zeros of lasso solutions and identical reruns are the point

use linalg_core::Mat;
use linmod_models::Penalty;
use linmod_models::linear::{
    CdMode, CrossValidation, LinearRegression, LinearSolver, RegularizationPath, lambda_max,
};

mod linear_support;
use linear_support::{OBJECTIVE_TOL, objective, regression_problem, relative_diff, weights};

#[test]
fn the_path_starts_at_zero_and_lambda_max_is_the_smallest_such_penalty() {
    let (x, y) = regression_problem(100, 6, 2.0, 31);
    let lmax = lambda_max(x.as_ref(), &y, None, true, 1.0).unwrap();
    let path = RegularizationPath::new().fit(x.as_ref(), &y).unwrap();
    assert_eq!(path.len(), 100);
    assert!((path.lambdas[0] - lmax).abs() <= 1e-15 * lmax);
    assert!((path.lambdas[99] - 1e-3 * lmax).abs() <= 1e-12 * lmax);
    assert!(path.lambdas.windows(2).all(|l| l[1] < l[0]));
    assert!(path.coefs[0].iter().all(|w| *w == 0.0));
    assert_eq!(
        path.n_iters[0], 0,
        "zero is optimal at lambda_max: no sweep"
    );
    // just below lambda_max exactly one feature is active (the gap of w = 0 there is
    // (1e-6)^2 / 2 * y_c^T y_c / n, so the tolerance must be tighter to see it)
    let below = LinearRegression::new()
        .penalty(Penalty::l1(lmax * (1.0 - 1e-6)).unwrap())
        .tol(1e-15)
        .fit(x.as_ref(), &y)
        .unwrap();
    assert_eq!(below.coef().iter().filter(|w| **w != 0.0).count(), 1);
    assert!(path.converged.iter().all(|c| *c));
}

#[test]
fn path_entries_are_the_single_fits_at_the_same_penalty() {
    let (x, y) = regression_problem(90, 5, 1.0, 32);
    let s = weights(90, 33);
    for l1_ratio in [1.0, 0.6] {
        let path = RegularizationPath::new()
            .l1_ratio(l1_ratio)
            .n_lambdas(25)
            .tol(1e-13)
            .fit_weighted(x.as_ref(), &y, &s)
            .unwrap();
        let ybar = s.iter().zip(&y).map(|(a, b)| a * b).sum::<f64>() / s.iter().sum::<f64>();
        let scale = 2.0 * objective(&x, &y, Some(&s), Penalty::none(), &[0.0; 5], ybar);
        for k in [3, 12, 24] {
            let penalty = path.penalty(k);
            assert_eq!(penalty, Penalty::glmnet(path.lambdas[k], l1_ratio).unwrap());
            assert!(path.duality_gaps[k] <= 1e-13 * scale * (1.0 + 1e-9));
            let fista = LinearRegression::new()
                .penalty(penalty)
                .solver(LinearSolver::Fista)
                .tol(1e-13)
                .max_iter(200_000)
                .fit_weighted(x.as_ref(), &y, &s)
                .unwrap();
            assert!(fista.converged());
            let f_path = objective(
                &x,
                &y,
                Some(&s),
                penalty,
                &path.coefs[k],
                path.intercepts[k],
            );
            let f_fista = objective(&x, &y, Some(&s), penalty, fista.coef(), fista.intercept());
            assert!(
                (f_path - f_fista).abs() <= OBJECTIVE_TOL * f_fista,
                "lambda {}: {f_path} vs {f_fista}",
                path.lambdas[k]
            );
        }
    }
}

#[test]
fn gram_and_residual_paths_agree() {
    let (x, y) = regression_problem(70, 8, 1.0, 34);
    let config = RegularizationPath::new().n_lambdas(20).tol(1e-13);
    let gram = config
        .clone()
        .cd_mode(CdMode::Gram)
        .fit(x.as_ref(), &y)
        .unwrap();
    let residual = config
        .cd_mode(CdMode::Residual)
        .fit(x.as_ref(), &y)
        .unwrap();
    assert_eq!(gram.cd_mode, CdMode::Gram);
    assert_eq!(residual.cd_mode, CdMode::Residual);
    assert_eq!(gram.lambdas, residual.lambdas);
    for k in 0..20 {
        assert!(
            relative_diff(&gram.coefs[k], &residual.coefs[k]) < 1e-5,
            "{k}: {:?} vs {:?}",
            gram.coefs[k],
            residual.coefs[k]
        );
    }
}

#[test]
fn the_path_ends_near_least_squares() {
    let (x, y) = regression_problem(200, 4, 1.0, 35);
    let ols = LinearRegression::new().fit(x.as_ref(), &y).unwrap();
    let path = RegularizationPath::new()
        .eps(1e-7)
        .n_lambdas(40)
        .tol(1e-14)
        .fit(x.as_ref(), &y)
        .unwrap();
    let last = path.coefs.last().unwrap();
    assert!(
        relative_diff(last, ols.coef()) < 1e-5,
        "{last:?} vs {:?}",
        ols.coef()
    );
    // the L1 norm grows along a lasso path of uncorrelated features
    let norms: Vec<f64> = path
        .coefs
        .iter()
        .map(|w| w.iter().map(|v| v.abs()).sum())
        .collect();
    assert!(norms.windows(2).all(|n| n[1] >= n[0] - 1e-9));
}

#[test]
fn an_elastic_net_path_starts_higher_and_explicit_grids_are_sorted() {
    let (x, y) = regression_problem(60, 3, 1.0, 36);
    let l1 = lambda_max(x.as_ref(), &y, None, true, 1.0).unwrap();
    let l_half = lambda_max(x.as_ref(), &y, None, true, 0.5).unwrap();
    assert!((l_half - 2.0 * l1).abs() <= 1e-14 * l1);
    let path = RegularizationPath::new()
        .lambdas(vec![0.01, 1.0, 0.1])
        .fit(x.as_ref(), &y)
        .unwrap();
    assert_eq!(path.lambdas, vec![1.0, 0.1, 0.01]);
    // a constant target: every coefficient is zero on the whole grid
    let flat = vec![2.5; 60];
    let path = RegularizationPath::new()
        .n_lambdas(5)
        .fit(x.as_ref(), &flat)
        .unwrap();
    assert!(path.coefs.iter().flatten().all(|w| *w == 0.0));
    assert!(path.intercepts.iter().all(|b| (b - 2.5).abs() < 1e-15));
}

#[test]
fn cross_validation_picks_a_sparse_model_on_sparse_data() {
    // 3 informative features of 10, the others pure noise
    let n = 150;
    let (noise_x, _) = regression_problem(n, 10, 0.0, 37);
    let x = Mat::from_fn(n, 10, |i, j| noise_x[(i, j)] / (1.0 + j as f64));
    let (_, e) = regression_problem(n, 1, 1.0, 38);
    let y: Vec<f64> = (0..n)
        .map(|i| 3.0 * x[(i, 0)] - 2.0 * x[(i, 1)] + x[(i, 2)] + (e[i] - 1.0 - 0.5 * x[(i, 0)]))
        .collect();
    let cv = CrossValidation::new(RegularizationPath::new().n_lambdas(40))
        .folds(5)
        .seed(1)
        .fit(x.as_ref(), &y)
        .unwrap();
    assert_eq!(cv.fold_mse.len(), 5);
    assert!(cv.fold_mse.iter().all(|f| f.len() == 40));
    assert!(cv.index_1se <= cv.index_min);
    assert!(cv.lambda_1se >= cv.lambda_min);
    let bound = cv.mse_mean[cv.index_min] + cv.mse_std_error[cv.index_min];
    assert!(cv.mse_mean[cv.index_1se] <= bound);
    assert!(cv.mse_mean.iter().all(|m| *m >= cv.mse_mean[cv.index_min]));
    // the null model (lambda_max) is much worse than the chosen one
    assert!(cv.mse_mean[0] > 2.0 * cv.mse_mean[cv.index_min]);
    // the refits are the path's models
    assert_eq!(cv.model_min.coef(), cv.path.coefs[cv.index_min].as_slice());
    assert_eq!(cv.model_min.n_iter(), 0);
    assert!(cv.model_1se.converged());
    let informative = cv.model_1se.coef()[..3].iter().all(|w| *w != 0.0);
    assert!(informative, "{:?}", cv.model_1se.coef());
    let active = cv.model_1se.coef().iter().filter(|w| **w != 0.0).count();
    assert!(active < 10, "the 1se model drops noise features");
    // seeded
    let again = CrossValidation::new(RegularizationPath::new().n_lambdas(40))
        .folds(5)
        .seed(1)
        .fit(x.as_ref(), &y)
        .unwrap();
    assert_eq!(again.mse_mean, cv.mse_mean);
}

#[test]
fn weighted_cross_validation_runs_and_weights_matter() {
    let (x, y) = regression_problem(60, 4, 2.0, 39);
    let s = weights(60, 40);
    let cv = CrossValidation::new(RegularizationPath::new().n_lambdas(15))
        .folds(3)
        .fit_weighted(x.as_ref(), &y, &s)
        .unwrap();
    let plain = CrossValidation::new(RegularizationPath::new().n_lambdas(15))
        .folds(3)
        .fit(x.as_ref(), &y)
        .unwrap();
    assert_ne!(cv.mse_mean, plain.mse_mean);
    assert!(cv.model_min.converged());
}
