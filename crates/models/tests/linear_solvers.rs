//! The solvers of `LinearRegression` agree with each other and with an independent solve, on
//! seeded synthetic problems; the `auto` rule picks what its documentation says; iteration
//! limits and divergence are reported honestly.

#![allow(clippy::float_cmp)] // exact zeros, identical reruns and bit-equal solver choices are the point

use linalg_core::Mat;
use linmod_models::Penalty;
use linmod_models::linear::{CdMode, FittedLinear, LinearRegression, LinearSolver};
use linmod_models::objective::LeastSquaresObjective;
use optim::{Control, Criterion, Progress, Termination};

mod linear_support;
use linear_support::{
    DIRECT_TOL, ITERATIVE_TOL, OBJECTIVE_TOL, normal_equations_ols, objective, regression_problem,
    relative_diff, weights,
};

fn fit(config: LinearRegression, x: &Mat<f64>, y: &[f64], s: Option<&[f64]>) -> FittedLinear {
    match s {
        Some(s) => config.fit_weighted(x.as_ref(), y, s),
        None => config.fit(x.as_ref(), y),
    }
    .unwrap()
}

/// The objective of a fitted model, with or without an intercept.
fn objective_at(
    x: &Mat<f64>,
    y: &[f64],
    s: Option<&[f64]>,
    intercept: bool,
    penalty: Penalty,
    f: &FittedLinear,
) -> f64 {
    let mut loss =
        LeastSquaresObjective::least_squares(x.as_ref(), y, s, intercept, penalty).unwrap();
    let mut theta = f.coef().to_vec();
    if intercept {
        theta.push(f.intercept());
    }
    loss.total_value(&theta)
}

#[test]
fn closed_form_solvers_match_an_independent_normal_equations_solve() {
    let (x, y) = regression_problem(200, 6, 0.5, 1);
    let (b_ref, w_ref) = normal_equations_ols(&x, &y);
    for solver in [LinearSolver::Auto, LinearSolver::Qr, LinearSolver::Cholesky] {
        let f = fit(LinearRegression::new().solver(solver), &x, &y, None);
        assert!(
            relative_diff(f.coef(), &w_ref) < DIRECT_TOL,
            "{solver}: {:?}",
            f.coef()
        );
        assert!((f.intercept() - b_ref).abs() < DIRECT_TOL * b_ref.abs().max(1.0));
        assert_eq!(f.rank(), Some(6));
        assert_eq!(f.n_iter(), 0);
        assert!(f.converged());
    }
}

#[test]
fn integer_weights_count_rows_repeatedly() {
    let (x, y) = regression_problem(40, 3, 1.0, 2);
    let counts: Vec<usize> = (0..40).map(|i| 1 + i % 3).collect();
    let rows: Vec<usize> = (0..40)
        .flat_map(|i| std::iter::repeat_n(i, counts[i]))
        .collect();
    let xr = Mat::from_fn(rows.len(), 3, |r, j| x[(rows[r], j)]);
    let yr: Vec<f64> = rows.iter().map(|&i| y[i]).collect();
    let s: Vec<f64> = counts.iter().map(|&c| c as f64).collect();
    // weights normalized to sum to n make the weighted mean loss equal to the mean loss over
    // the repeated rows, so the same penalty gives the same fit
    for (solver, penalty, penalty_repeated) in [
        (LinearSolver::Qr, Penalty::none(), Penalty::none()),
        (
            LinearSolver::Cholesky,
            Penalty::l2(0.3).unwrap(),
            Penalty::l2(0.3).unwrap(),
        ),
        (
            LinearSolver::CoordinateDescent,
            Penalty::elastic_net(0.2, 0.1).unwrap(),
            Penalty::elastic_net(0.2, 0.1).unwrap(),
        ),
    ] {
        let config = LinearRegression::new().solver(solver).tol(1e-14);
        let weighted = fit(config.clone().penalty(penalty), &x, &y, Some(&s));
        let repeated = fit(config.penalty(penalty_repeated), &xr, &yr, None);
        assert!(
            relative_diff(weighted.coef(), repeated.coef()) < 1e-8,
            "{solver}: {:?} vs {:?}",
            weighted.coef(),
            repeated.coef()
        );
        assert!((weighted.intercept() - repeated.intercept()).abs() < 1e-8);
    }
}

#[test]
fn ridge_primal_dual_and_qr_agree() {
    // p <= n: primal normal equations vs QR on the augmented matrix;
    // p > n: the dual (kernel) form vs the QR form of the dual
    for (n, p) in [(60, 8), (15, 40)] {
        let (x, y) = regression_problem(n, p, 0.3, 3);
        let s = weights(n, 4);
        for sw in [None, Some(s.as_slice())] {
            for intercept in [true, false] {
                let config = LinearRegression::new()
                    .penalty(Penalty::l2(0.05).unwrap())
                    .fit_intercept(intercept);
                let chol = fit(config.clone().solver(LinearSolver::Cholesky), &x, &y, sw);
                let qr = fit(config.clone().solver(LinearSolver::Qr), &x, &y, sw);
                let auto = fit(config.clone(), &x, &y, sw);
                let what = format!(
                    "n={n} p={p} weighted={} intercept={intercept}",
                    sw.is_some()
                );
                assert!(relative_diff(chol.coef(), qr.coef()) < DIRECT_TOL, "{what}");
                assert!((chol.intercept() - qr.intercept()).abs() < DIRECT_TOL * 10.0);
                assert_eq!(auto.coef(), chol.coef(), "{what}: auto is Cholesky here");
                assert_eq!(auto.solver(), LinearSolver::Cholesky);
                // coordinate descent on the centered problem (without an intercept the
                // uncentered columns of this problem are so collinear that it needs 1e5+
                // sweeps)
                if intercept {
                    let cd = fit(
                        config
                            .clone()
                            .solver(LinearSolver::CoordinateDescent)
                            .tol(1e-12)
                            .max_iter(100_000),
                        &x,
                        &y,
                        sw,
                    );
                    assert!(cd.converged(), "{what}: {:?}", cd.report());
                    // the duality gap bounds how far coordinate descent is from the optimum
                    let pen = Penalty::l2(0.05).unwrap();
                    let f_cd = objective_at(&x, &y, sw, intercept, pen, &cd);
                    let f_chol = objective_at(&x, &y, sw, intercept, pen, &chol);
                    let gap = cd.duality_gap().unwrap();
                    let rounding = 1e-12 * f_chol;
                    assert!(
                        f_cd - f_chol <= gap + rounding && f_chol - f_cd <= rounding,
                        "{what}: {f_cd} vs {f_chol}, gap {gap}"
                    );
                }
                assert_eq!(
                    chol.rank(),
                    None,
                    "rank is reported for unpenalized fits only"
                );
                assert!(chol.condition_estimate().unwrap() >= 1.0);
                if !intercept {
                    assert_eq!(chol.intercept(), 0.0);
                }
            }
        }
    }
}

#[test]
fn the_intercept_is_never_penalized() {
    let (x, y) = regression_problem(50, 3, 1.0, 5);
    let s = weights(50, 6);
    let weighted_mean = s.iter().zip(&y).map(|(a, b)| a * b).sum::<f64>() / s.iter().sum::<f64>();
    for penalty in [Penalty::l2(1e9).unwrap(), Penalty::l1(1e9).unwrap()] {
        let f = fit(LinearRegression::new().penalty(penalty), &x, &y, Some(&s));
        assert!(f.coef().iter().all(|w| w.abs() < 1e-6), "{:?}", f.coef());
        assert!((f.intercept() - weighted_mean).abs() < 1e-5);
    }
}

#[test]
fn lasso_and_elastic_net_solvers_agree_on_the_objective() {
    let (x, y) = regression_problem(120, 7, 1.0, 7);
    let s = weights(120, 8);
    for penalty in [
        Penalty::l1(0.3).unwrap(),
        Penalty::elastic_net(0.2, 0.4).unwrap(),
    ] {
        for sw in [None, Some(s.as_slice())] {
            let config = LinearRegression::new().penalty(penalty);
            let cd = |mode| {
                let c = config.clone().solver(LinearSolver::CoordinateDescent);
                fit(c.cd_mode(mode).tol(1e-14), &x, &y, sw)
            };
            let (gram, residual) = (cd(CdMode::Gram), cd(CdMode::Residual));
            let fista_config = config.clone().solver(LinearSolver::Fista).tol(1e-12);
            let fista = fit(fista_config.max_iter(100_000), &x, &y, sw);
            assert_eq!(gram.cd_mode(), Some(CdMode::Gram));
            assert_eq!(residual.cd_mode(), Some(CdMode::Residual));
            for f in [&gram, &residual, &fista] {
                assert!(f.converged(), "{}", f.report().unwrap().summary());
            }
            // the gap tolerance is tol * y_c^T S y_c / n, twice the objective at w = 0 and
            // the weighted mean as intercept
            let ybar = match sw {
                Some(s) => {
                    s.iter().zip(&y).map(|(a, b)| a * b).sum::<f64>() / s.iter().sum::<f64>()
                }
                None => y.iter().sum::<f64>() / y.len() as f64,
            };
            let scale = 1e-14 * 2.0 * objective(&x, &y, sw, penalty, &[0.0; 7], ybar);
            for f in [&gram, &residual] {
                let gap = f.duality_gap().unwrap();
                assert!(
                    (0.0..=scale * (1.0 + 1e-9)).contains(&gap),
                    "gap {gap} > {scale}"
                );
                assert!(matches!(
                    f.report().unwrap().termination,
                    Termination::Converged {
                        criterion: Criterion::DualityGap
                    }
                ));
            }
            let objective_of =
                |f: &FittedLinear| objective(&x, &y, sw, penalty, f.coef(), f.intercept());
            let reference = objective_of(&gram);
            for f in [&residual, &fista] {
                let rel = (objective_of(f) - reference).abs() / reference;
                assert!(rel < OBJECTIVE_TOL, "{}: {rel:e}", f.solver());
            }
            // the report's value is the objective of the returned model
            let reported = gram.report().unwrap().value;
            assert!((reported - reference).abs() < 1e-12 * reference);
            assert!(relative_diff(residual.coef(), gram.coef()) < ITERATIVE_TOL);
            assert!(relative_diff(fista.coef(), gram.coef()) < ITERATIVE_TOL);
            // exact zeros agree
            let zeros = |f: &FittedLinear| f.coef().iter().map(|w| *w == 0.0).collect::<Vec<_>>();
            assert_eq!(zeros(&gram), zeros(&residual));
        }
    }
}

#[test]
fn coordinate_descent_without_intercept_and_on_a_transposed_view() {
    let (x, y) = regression_problem(80, 5, 0.5, 9);
    // the same data stored row-major: columns are not contiguous
    let xt = Mat::from_fn(5, 80, |j, i| x[(i, j)]);
    let view = xt.as_ref().transpose();
    let config = LinearRegression::new()
        .penalty(Penalty::elastic_net(0.1, 0.05).unwrap())
        .fit_intercept(false)
        .tol(1e-14);
    let a = config.fit(x.as_ref(), &y).unwrap();
    for mode in [CdMode::Gram, CdMode::Residual] {
        let b = config.clone().cd_mode(mode).fit(view, &y).unwrap();
        assert!(relative_diff(a.coef(), b.coef()) < 1e-9, "{mode:?}");
        assert_eq!(b.intercept(), 0.0);
    }
}

#[test]
fn warm_starts_at_the_solution_cost_nothing() {
    let (x, y) = regression_problem(100, 6, 1.0, 10);
    let config = LinearRegression::new()
        .penalty(Penalty::l1(0.2).unwrap())
        .tol(1e-12);
    let cold = config.fit(x.as_ref(), &y).unwrap();
    assert!(cold.n_iter() > 0);
    let warm = config
        .clone()
        .warm_start(cold.coef().to_vec(), cold.intercept())
        .fit(x.as_ref(), &y)
        .unwrap();
    assert_eq!(warm.n_iter(), 0);
    assert!(warm.converged());
    assert_eq!(warm.coef(), cold.coef());
    // gradient descent from the OLS solution stops at once too
    let ols = LinearRegression::new().fit(x.as_ref(), &y).unwrap();
    let gd = LinearRegression::new()
        .solver(LinearSolver::GradientDescent)
        .tol(1e-6)
        .warm_start(ols.coef().to_vec(), ols.intercept())
        .fit(x.as_ref(), &y)
        .unwrap();
    assert_eq!(gd.n_iter(), 0);
    assert!(gd.converged());
}

#[test]
fn iteration_limits_are_never_convergence() {
    let (x, y) = regression_problem(100, 6, 1.0, 11);
    let cd = LinearRegression::new()
        .penalty(Penalty::l1(0.01).unwrap())
        .tol(1e-15)
        .max_iter(2)
        .fit(x.as_ref(), &y)
        .unwrap();
    assert!(!cd.converged());
    assert_eq!(cd.n_iter(), 2);
    assert_eq!(cd.report().unwrap().termination, Termination::MaxIterations);
    assert!(cd.duality_gap().unwrap() > 1e-15);
    let gd = LinearRegression::new()
        .solver(LinearSolver::GradientDescent)
        .max_iter(5)
        .fit(x.as_ref(), &y)
        .unwrap();
    assert!(!gd.converged());
    assert_eq!(gd.report().unwrap().termination, Termination::MaxIterations);
}

#[test]
fn gradient_descent_reaches_least_squares_and_records_the_loss() {
    let (x, y) = regression_problem(150, 4, 0.5, 12);
    let ols = LinearRegression::new().fit(x.as_ref(), &y).unwrap();
    let gd = LinearRegression::new()
        .solver(LinearSolver::GradientDescent)
        .tol(1e-12)
        .max_iter(200_000)
        .record_history(true)
        .fit(x.as_ref(), &y)
        .unwrap();
    assert!(gd.converged(), "{}", gd.report().unwrap().summary());
    assert!(relative_diff(gd.coef(), ols.coef()) < 1e-6);
    assert!((gd.intercept() - ols.intercept()).abs() < 1e-6);
    let history = gd.loss_history();
    assert_eq!(history.len(), gd.n_iter() + 1);
    // monotone with a learning rate of 1/L, up to rounding once converged
    assert!(
        history.windows(2).all(|w| w[1] <= w[0] * (1.0 + 1e-14)),
        "{history:?}"
    );
    assert!(gd.learning_rate().unwrap() > 0.0);
}

#[test]
fn too_large_a_learning_rate_diverges_and_says_so() {
    let (x, y) = regression_problem(50, 3, 0.5, 13);
    let gd = LinearRegression::new()
        .solver(LinearSolver::GradientDescent)
        .learning_rate(10.0)
        .fit(x.as_ref(), &y)
        .unwrap();
    assert!(!gd.converged());
    assert!(matches!(
        gd.report().unwrap().termination,
        Termination::Diverged { .. }
    ));
}

#[test]
fn minibatch_sgd_comes_close_in_mse() {
    let (x, y) = regression_problem(400, 3, 1.0, 14);
    let ols = LinearRegression::new().fit(x.as_ref(), &y).unwrap();
    let config = LinearRegression::new()
        .solver(LinearSolver::Sgd)
        .learning_rate(0.01)
        .epochs(200)
        .batch_size(16)
        .seed(3)
        .record_history(true);
    let sgd = config.fit(x.as_ref(), &y).unwrap();
    let mse = |f: &FittedLinear| {
        linmod_models::metrics::mean_squared_error(&y, &f.predict(x.as_ref()).unwrap()).unwrap()
    };
    let (m_ols, m_sgd) = (mse(&ols), mse(&sgd));
    assert!(m_sgd >= m_ols * (1.0 - 1e-12));
    assert!(m_sgd < 1.02 * m_ols, "sgd {m_sgd} vs ols {m_ols}");
    assert_eq!(
        sgd.loss_history().len(),
        sgd.n_iter() + 1,
        "one record per epoch"
    );
    // reproducible bit for bit with the same seed, different with another
    assert_eq!(config.fit(x.as_ref(), &y).unwrap().coef(), sgd.coef());
    assert_ne!(
        config.seed(4).fit(x.as_ref(), &y).unwrap().coef(),
        sgd.coef()
    );
}

#[test]
fn auto_follows_its_rule() {
    // well conditioned, n >> p: normal equations
    let (x, y) = regression_problem(100, 4, 1.0, 15);
    let f = LinearRegression::new().fit(x.as_ref(), &y).unwrap();
    assert_eq!(f.solver(), LinearSolver::Cholesky);
    assert!(f.condition_estimate().unwrap() < 1e6);
    // features far from zero mean: centering through the Gram matrix would lose digits
    let shifted = Mat::from_fn(100, 4, |i, j| x[(i, j)] + 1e5);
    let f = LinearRegression::new().fit(shifted.as_ref(), &y).unwrap();
    assert_eq!(f.solver(), LinearSolver::Qr);
    // the same fit up to the intercept
    let g = LinearRegression::new().fit(x.as_ref(), &y).unwrap();
    assert!(relative_diff(f.coef(), g.coef()) < 1e-8);
    // p > n: dual ridge, minimum-norm least squares
    let (xw, yw) = regression_problem(10, 30, 1.0, 16);
    let ridge = LinearRegression::new()
        .penalty(Penalty::l2(0.1).unwrap())
        .fit(xw.as_ref(), &yw)
        .unwrap();
    assert_eq!(ridge.solver(), LinearSolver::Cholesky);
    let ols = LinearRegression::new().fit(xw.as_ref(), &yw).unwrap();
    assert_eq!(ols.solver(), LinearSolver::Qr);
    assert_eq!(ols.rank(), Some(9), "10 centered rows have rank 9");
    // an L1 penalty: coordinate descent, Gram mode for n >= 2p, residual mode otherwise
    let lasso = LinearRegression::new().penalty(Penalty::l1(0.1).unwrap());
    let f = lasso.fit(x.as_ref(), &y).unwrap();
    assert_eq!(f.solver(), LinearSolver::CoordinateDescent);
    assert_eq!(f.cd_mode(), Some(CdMode::Gram));
    assert_eq!(
        lasso.fit(xw.as_ref(), &yw).unwrap().cd_mode(),
        Some(CdMode::Residual)
    );
    assert_eq!(
        lasso.fit(shifted.as_ref(), &y).unwrap().cd_mode(),
        Some(CdMode::Residual)
    );
}

#[test]
fn an_observer_sees_every_iteration_and_can_stop_the_run() {
    let (x, y) = regression_problem(60, 3, 1.0, 17);
    let mut seen = 0;
    let mut stop_at_three = |p: &Progress<'_>| {
        seen = p.iteration;
        if p.iteration >= 3 {
            Control::Stop
        } else {
            Control::Continue
        }
    };
    let f = LinearRegression::new()
        .solver(LinearSolver::GradientDescent)
        .learning_rate(1e-4)
        .fit_observed(x.as_ref(), &y, None, &mut stop_at_three)
        .unwrap();
    assert_eq!(seen, 3);
    assert_eq!(
        f.report().unwrap().termination,
        Termination::StoppedByObserver
    );
    assert!(!f.converged());
}

#[test]
fn fitted_models_round_trip_through_json() {
    let (x, y) = regression_problem(60, 3, 1.0, 18);
    for config in [
        LinearRegression::new(),
        LinearRegression::new().penalty(Penalty::l1(0.1).unwrap()),
        LinearRegression::new()
            .solver(LinearSolver::GradientDescent)
            .record_history(true),
    ] {
        let f = config.fit(x.as_ref(), &y).unwrap();
        let json = serde_json::to_string(&f).unwrap();
        let back: FittedLinear = serde_json::from_str(&json).unwrap();
        assert_eq!(back, f);
        assert_eq!(
            back.predict(x.as_ref()).unwrap(),
            f.predict(x.as_ref()).unwrap()
        );
    }
}

#[test]
fn any_optim_solver_runs_on_the_objective() {
    use optim::{Lbfgs, Newton};
    let (x, y) = regression_problem(80, 4, 0.5, 19);
    let ols = LinearRegression::new().fit(x.as_ref(), &y).unwrap();
    let mut expect = ols.coef().to_vec();
    expect.push(ols.intercept());
    let mut f =
        LeastSquaresObjective::least_squares(x.as_ref(), &y, None, true, Penalty::none()).unwrap();
    // a quadratic: one Newton step lands on the minimizer
    let newton = Newton::default().minimize(&mut f, &[0.0; 5]).unwrap();
    assert!(
        newton.converged() && newton.iterations <= 2,
        "{}",
        newton.summary()
    );
    assert!(relative_diff(&newton.x, &expect) < 1e-9);
    let lbfgs = Lbfgs::default()
        .gradient_tol(1e-10)
        .minimize(&mut f, &[0.0; 5])
        .unwrap();
    assert!(lbfgs.converged(), "{}", lbfgs.summary());
    assert!(relative_diff(&lbfgs.x, &expect) < 1e-8);
}
