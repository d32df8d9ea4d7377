//! Logistic fits: reference values, agreement between solvers, separation, rank deficiency,
//! weights, warm starts and bad input.

#![allow(clippy::float_cmp)] // exact zeros of L1 fits and exact labels are the point

use linalg_core::{Mat, MatRef, sigmoid};
use linmod_models::logistic::{ClassWeight, LogisticRegression, LogisticSolver, Multiclass};
use linmod_models::{ModelError, Penalty};
use optim::{Criterion, Stopping, Termination};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// n rows of p features U(-1, 1); y ~ Bernoulli(sigma(x.beta + b)).
fn simulate(n: usize, beta: &[f64], b: f64, seed: u64) -> (Mat<f64>, Vec<f64>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let p = beta.len();
    let x = Mat::from_fn(n, p, |_, _| rng.random_range(-1.0..1.0));
    let y = (0..n)
        .map(|i| {
            let z = b + (0..p).map(|j| x[(i, j)] * beta[j]).sum::<f64>();
            f64::from(u8::from(rng.random::<f64>() < sigmoid(z)))
        })
        .collect();
    (x, y)
}

fn max_diff(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).fold(0.0, |m, (x, y)| m.max((x - y).abs()))
}

#[test]
fn chd_matches_statsmodels() {
    // statsmodels 0.15.0, Logit(y, add_constant(age)).fit(tol=1e-14):
    // params [-6.708461428548, 0.131502027083]
    let chd = datasets::chd_age();
    for solver in [LogisticSolver::Newton, LogisticSolver::Lbfgs] {
        let fit = LogisticRegression::new()
            .solver(solver)
            .tol(1e-10)
            .fit(chd.x.as_ref(), &chd.y)
            .unwrap();
        assert!(fit.converged(), "{solver}: {}", fit.report().summary());
        assert!(
            (fit.intercept() + 6.708461428548).abs() < 1e-6,
            "{solver}: {}",
            fit.intercept()
        );
        assert!(
            (fit.coef()[0] - 0.131502027083).abs() < 1e-7,
            "{solver}: {}",
            fit.coef()[0]
        );
    }
}

#[test]
fn course_irls_rule_converges_in_a_few_newton_steps() {
    let (x, y) = simulate(10_000, &[1.0, -1.0], 1.0, 42);
    let fit = LogisticRegression::new()
        .solver(LogisticSolver::Newton)
        .stopping(
            Stopping::default()
                .gradient_tol(None)
                .param_tol(1e-8)
                .max_iter(100),
        )
        .fit(x.as_ref(), &y)
        .unwrap();
    assert_eq!(
        fit.report().termination,
        Termination::Converged {
            criterion: Criterion::ParameterChange
        }
    );
    assert!(fit.n_iter() <= 8, "{} iterations", fit.n_iter());
    // within a few standard errors (about 0.03 for n = 10 000) of the truth
    assert!((fit.intercept() - 1.0).abs() < 0.12 && (fit.coef()[0] - 1.0).abs() < 0.15);
    assert!((fit.coef()[1] + 1.0).abs() < 0.15);
}

#[test]
fn l2_solvers_agree() {
    let (x, y) = simulate(600, &[1.5, -2.0, 0.5, 0.0], -0.3, 1);
    let base = LogisticRegression::new().l2(0.01).tol(1e-10);
    let reference = base
        .clone()
        .solver(LogisticSolver::Newton)
        .fit(x.as_ref(), &y)
        .unwrap();
    assert!(reference.converged());
    let mut theta_ref = reference.coef().to_vec();
    theta_ref.push(reference.intercept());
    for solver in [
        LogisticSolver::Lbfgs,
        LogisticSolver::Fista,
        LogisticSolver::ProxNewton,
        LogisticSolver::GradientDescent,
    ] {
        let fit = base
            .clone()
            .solver(solver)
            .learning_rate(2.0)
            .max_iter(100_000)
            .fit(x.as_ref(), &y)
            .unwrap();
        assert!(fit.converged(), "{solver}: {}", fit.report().summary());
        let rel = (fit.objective() - reference.objective()).abs() / reference.objective();
        assert!(
            rel < 1e-9,
            "{solver}: objective {} vs {}",
            fit.objective(),
            reference.objective()
        );
        let mut theta = fit.coef().to_vec();
        theta.push(fit.intercept());
        assert!(
            max_diff(&theta, &theta_ref) < 1e-6,
            "{solver}: {theta:?} vs {theta_ref:?}"
        );
    }
    // SGD with a decaying effective step gets close, not exact
    let sgd = base
        .clone()
        .solver(LogisticSolver::Sgd)
        .learning_rate(0.05)
        .epochs(200)
        .seed(3)
        .fit(x.as_ref(), &y)
        .unwrap();
    assert!(
        !sgd.converged(),
        "SGD ran its epochs: {}",
        sgd.report().summary()
    );
    assert!((sgd.objective() - reference.objective()) / reference.objective() < 1e-2);
}

#[test]
fn l1_solvers_agree_and_give_exact_zeros() {
    let (x, y) = simulate(500, &[2.0, 0.0, -1.5, 0.0, 0.0, 0.3], 0.2, 2);
    for l2 in [0.0, 0.02] {
        let base = LogisticRegression::new().l1(0.03).l2(l2).tol(1e-10);
        let pn = base
            .clone()
            .solver(LogisticSolver::ProxNewton)
            .fit(x.as_ref(), &y)
            .unwrap();
        let fista = base
            .clone()
            .solver(LogisticSolver::Fista)
            .max_iter(100_000)
            .fit(x.as_ref(), &y)
            .unwrap();
        assert!(pn.converged() && fista.converged());
        let rel = (pn.objective() - fista.objective()).abs() / pn.objective();
        assert!(rel < 1e-9, "{} vs {}", pn.objective(), fista.objective());
        assert!(max_diff(pn.coef(), fista.coef()) < 1e-6);
        let zeros = pn.coef().iter().filter(|v| **v == 0.0).count();
        assert!(zeros >= 2, "expected exact zeros: {:?}", pn.coef());
        assert_eq!(
            zeros,
            fista.coef().iter().filter(|v| **v == 0.0).count(),
            "{:?} vs {:?}",
            pn.coef(),
            fista.coef()
        );
        assert_eq!(
            LogisticSolver::Auto.resolve(7, base.clone().fit(x.as_ref(), &y).unwrap().penalty()),
            LogisticSolver::ProxNewton
        );
    }
}

#[test]
fn separation_is_reported_and_l2_fixes_it() {
    let x = Mat::from_fn(6, 1, |i, _| (i + 1) as f64);
    let perfect = [0.0, 0.0, 0.0, 1.0, 1.0, 1.0];
    let err = LogisticRegression::new()
        .fit(x.as_ref(), &perfect)
        .unwrap_err();
    assert!(
        matches!(
            err,
            ModelError::Separation {
                kind: "perfect",
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("L2 penalty"), "{err}");
    let fit = LogisticRegression::new()
        .l2(1e-2)
        .fit(x.as_ref(), &perfect)
        .unwrap();
    assert!(fit.converged());
    assert!(fit.coef()[0].is_finite() && fit.coef()[0] > 0.0);

    // x = 3 carries both labels: only the other rows are separated
    let xq = Mat::from_fn(8, 1, |i, _| [1.0, 2.0, 3.0, 3.0, 3.0, 3.0, 4.0, 5.0][i]);
    let quasi = [0.0, 0.0, 0.0, 1.0, 0.0, 1.0, 1.0, 1.0];
    for solver in [LogisticSolver::Newton, LogisticSolver::Lbfgs] {
        let err = LogisticRegression::new()
            .solver(solver)
            .fit(xq.as_ref(), &quasi)
            .unwrap_err();
        assert!(
            matches!(
                err,
                ModelError::Separation {
                    kind: "quasi-perfect",
                    ..
                }
            ),
            "{solver}: {err}"
        );
    }
}

#[test]
fn a_finite_maximum_is_not_flagged() {
    // well-mixed labels: the estimate exists even with a far-away row
    let (mut x, y) = simulate(300, &[1.0], 0.0, 5);
    x[(0, 0)] = if y[0] == 1.0 { 40.0 } else { -40.0 };
    let fit = LogisticRegression::new().fit(x.as_ref(), &y).unwrap();
    assert!(fit.converged());
}

#[test]
fn rank_deficiency_is_reported_unless_penalized() {
    let (base, y) = simulate(200, &[1.0, -1.0], 0.0, 6);
    let dup = Mat::from_fn(200, 3, |i, j| base[(i, if j == 2 { 0 } else { j })]);
    let err = LogisticRegression::new().fit(dup.as_ref(), &y).unwrap_err();
    assert!(matches!(err, ModelError::RankDeficient { .. }), "{err}");
    assert!(err.to_string().contains("column 2"), "{err}");
    let constant = Mat::from_fn(200, 2, |i, j| if j == 1 { 3.0 } else { base[(i, 0)] });
    let err = LogisticRegression::new()
        .fit(constant.as_ref(), &y)
        .unwrap_err();
    assert!(err.to_string().contains("column 1 is constant"), "{err}");
    // penalized fits are unique: the twins share the weight equally
    let fit = LogisticRegression::new()
        .l2(1e-3)
        .fit(dup.as_ref(), &y)
        .unwrap();
    assert!(fit.converged());
    assert!((fit.coef()[0] - fit.coef()[2]).abs() < 1e-8);
    let fit = LogisticRegression::new()
        .l2(1e-3)
        .fit(constant.as_ref(), &y)
        .unwrap();
    assert!(fit.converged() && fit.coef()[1].abs() < 1e-6);
}

#[test]
fn weights_duplicate_rows_and_balance_classes() {
    let (x, y) = simulate(120, &[1.0, 0.5], -1.0, 7);
    let cfg = LogisticRegression::new().l2(1e-3).tol(1e-11);
    // weight 2 on every row equals unit weights (weights are normalized)
    let w2 = vec![2.0; 120];
    let a = cfg.fit(x.as_ref(), &y).unwrap();
    let b = cfg.fit_weighted(x.as_ref(), &y, &w2).unwrap();
    assert!(max_diff(a.coef(), b.coef()) < 1e-9);
    // duplicating the first 10 rows equals weight 2 on them
    let n2 = 130;
    let xd = Mat::from_fn(n2, 2, |i, j| x[(if i < 120 { i } else { i - 120 }, j)]);
    let yd: Vec<f64> = (0..n2)
        .map(|i| y[if i < 120 { i } else { i - 120 }])
        .collect();
    let mut w = vec![1.0; 120];
    w[..10].iter_mut().for_each(|v| *v = 2.0);
    let dup = cfg
        .clone()
        .l2(1e-3 * 120.0 / 130.0)
        .fit(xd.as_ref(), &yd)
        .unwrap();
    let weighted = cfg
        .clone()
        .l2(1e-3 * 120.0 / 130.0)
        .fit_weighted(x.as_ref(), &y, &w)
        .unwrap();
    assert!(
        max_diff(dup.coef(), weighted.coef()) < 1e-7,
        "{:?} vs {:?}",
        dup.coef(),
        weighted.coef()
    );
    // balanced class weights equal the explicit sample weights n / (2 n_k)
    let n1 = y.iter().filter(|v| **v == 1.0).count() as f64;
    let n0 = 120.0 - n1;
    let sw: Vec<f64> = y
        .iter()
        .map(|&v| {
            if v == 1.0 {
                120.0 / (2.0 * n1)
            } else {
                120.0 / (2.0 * n0)
            }
        })
        .collect();
    let bal = cfg
        .clone()
        .class_weight(ClassWeight::Balanced)
        .fit(x.as_ref(), &y)
        .unwrap();
    let exp = cfg.fit_weighted(x.as_ref(), &y, &sw).unwrap();
    assert!(max_diff(bal.coef(), exp.coef()) < 1e-9);
    assert!(
        bal.intercept() > a.intercept(),
        "balancing lifts the rare positive class"
    );
}

#[test]
fn warm_start_from_the_solution_needs_no_iteration() {
    let (x, y) = simulate(300, &[1.0, -2.0], 0.5, 8);
    let cfg = LogisticRegression::new().l2(1e-2).tol(1e-9);
    let fit = cfg.fit(x.as_ref(), &y).unwrap();
    let again = cfg
        .clone()
        .warm_start(fit.coef().to_vec(), fit.intercept())
        .fit(x.as_ref(), &y)
        .unwrap();
    assert_eq!(again.n_iter(), 0);
    assert!(again.converged());
    let err = cfg
        .warm_start(vec![0.0], 0.0)
        .fit(x.as_ref(), &y)
        .unwrap_err();
    assert!(
        err.to_string().contains("warm-start coefficients has 1"),
        "{err}"
    );
}

#[test]
fn predictions_are_stable_and_thresholds_apply() {
    let x = Mat::from_fn(4, 1, |i, _| [-1.0, 0.0, 0.5, 1.0][i]);
    let y = [0.0, 0.0, 1.0, 1.0];
    let fit = LogisticRegression::new()
        .l2(0.1)
        .fit(x.as_ref(), &y)
        .unwrap();
    let far = Mat::from_fn(2, 1, |i, _| if i == 0 { 1e6 } else { -1e6 });
    let p = fit.predict_proba(far.as_ref()).unwrap();
    assert_eq!(p, vec![1.0, 0.0]);
    let probs = fit.predict_proba(x.as_ref()).unwrap();
    let at_075 = fit.predict_with_threshold(x.as_ref(), 0.75).unwrap();
    for (pr, label) in probs.iter().zip(&at_075) {
        assert_eq!(*label, f64::from(u8::from(*pr >= 0.75)));
    }
    assert!(fit.predict_with_threshold(x.as_ref(), 1.5).is_err());
    let ll = fit.log_loss(x.as_ref(), &y).unwrap();
    let manual: f64 = probs
        .iter()
        .zip(&y)
        .map(|(p, y)| -(y * p.ln() + (1.0 - y) * (1.0 - p).ln()))
        .sum::<f64>()
        / 4.0;
    assert!((ll - manual).abs() < 1e-12);
    let wrong = Mat::<f64>::zeros(2, 3);
    assert_eq!(
        fit.predict(wrong.as_ref()).unwrap_err(),
        ModelError::FeatureMismatch {
            expected: 1,
            found: 3
        }
    );
}

#[test]
fn bad_inputs_are_typed_errors() {
    let x = Mat::from_fn(4, 1, |i, _| i as f64);
    let fit = |x: MatRef<'_, f64>, y: &[f64]| LogisticRegression::new().l2(1.0).fit(x, y);
    let e = fit(x.as_ref(), &[0.0, 1.0, 2.0, 1.0]).unwrap_err();
    assert!(e.to_string().contains("invalid label 2 at row 2"), "{e}");
    let e = fit(x.as_ref(), &[1.0; 4]).unwrap_err();
    assert!(matches!(e, ModelError::SingleClass { .. }), "{e}");
    let e = fit(x.as_ref(), &[0.0, 1.0]).unwrap_err();
    assert!(matches!(e, ModelError::LengthMismatch { .. }), "{e}");
    let mut xn = x.clone();
    xn[(3, 0)] = f64::INFINITY;
    let e = fit(xn.as_ref(), &[0.0, 1.0, 0.0, 1.0]).unwrap_err();
    assert!(e.to_string().contains("row 3, column 0"), "{e}");
    let e = fit(Mat::<f64>::zeros(0, 2).as_ref(), &[]).unwrap_err();
    assert!(matches!(e, ModelError::Empty { .. }), "{e}");
    let y = [0.0, 1.0, 0.0, 1.0];
    let e = LogisticRegression::new()
        .l2(-1.0)
        .fit(x.as_ref(), &y)
        .unwrap_err();
    assert!(e.to_string().contains("l2 = -1"), "{e}");
    let e = LogisticRegression::new()
        .l1(0.1)
        .solver(LogisticSolver::Newton)
        .fit(x.as_ref(), &y)
        .unwrap_err();
    assert!(matches!(e, ModelError::Unsupported(_)), "{e}");
    let e = LogisticRegression::new()
        .l2(1.0)
        .tol(-1.0)
        .fit(x.as_ref(), &y)
        .unwrap_err();
    assert!(e.to_string().contains("gradient_tol"), "{e}");
    let e = LogisticRegression::new()
        .l2(1.0)
        .fit_weighted(x.as_ref(), &y, &[1.0, 1.0, -1.0, 1.0])
        .unwrap_err();
    assert!(e.to_string().contains("row 2"), "{e}");
    let e = LogisticRegression::new()
        .l2(1.0)
        .solver(LogisticSolver::GradientDescent)
        .learning_rate(0.0)
        .fit(x.as_ref(), &y)
        .unwrap_err();
    assert!(e.to_string().contains("learning_rate"), "{e}");
    assert!(Penalty::inverse_c_l2(0.0).is_err());
}

#[test]
fn iteration_limit_is_not_convergence() {
    let (x, y) = simulate(200, &[1.0], 0.0, 9);
    let fit = LogisticRegression::new()
        .l2(1e-3)
        .solver(LogisticSolver::Lbfgs)
        .max_iter(1)
        .fit(x.as_ref(), &y)
        .unwrap();
    assert!(!fit.converged());
    assert_eq!(fit.report().termination, Termination::MaxIterations);
}

#[test]
fn gradient_descent_with_too_large_a_rate_reports_divergence() {
    let (x, y) = simulate(200, &[1.0, 1.0], 0.0, 10);
    // standardized features would need eta < 8 / lambda_max; on U(-1, 1) features a rate of
    // 500 overshoots the optimum at every step
    let fit = LogisticRegression::new()
        .l2(0.5)
        .solver(LogisticSolver::GradientDescent)
        .learning_rate(500.0)
        .fit(x.as_ref(), &y)
        .unwrap();
    assert!(
        matches!(fit.report().termination, Termination::Diverged { .. }),
        "{:?}",
        fit.report().termination
    );
    assert!(!fit.converged());
    assert!(fit.coef().iter().all(|v| v.is_finite()));
}

/// Three classes with distinct directions.
fn three_classes(n: usize, seed: u64) -> (Mat<f64>, Vec<f64>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let x = Mat::from_fn(n, 2, |_, _| rng.random_range(-1.0..1.0));
    let w = [[2.0, 0.0], [-1.0, 1.7], [-1.0, -1.7]];
    let y = (0..n)
        .map(|i| {
            let mut z: Vec<f64> = w
                .iter()
                .map(|c| c[0] * x[(i, 0)] + c[1] * x[(i, 1)])
                .collect();
            linalg_core::softmax_in_place(&mut z);
            let u: f64 = rng.random();
            if u < z[0] {
                0.0
            } else if u < z[0] + z[1] {
                1.0
            } else {
                2.0
            }
        })
        .collect();
    (x, y)
}

#[test]
fn multinomial_solvers_agree() {
    let (x, y) = three_classes(400, 11);
    let base = LogisticRegression::new().l2(1e-2).tol(1e-10).multinomial();
    let newton = LogisticRegression::new()
        .l2(1e-2)
        .tol(1e-10)
        .solver(LogisticSolver::Newton)
        .multinomial()
        .fit(x.as_ref(), &y)
        .unwrap();
    let lbfgs = LogisticRegression::new()
        .l2(1e-2)
        .tol(1e-10)
        .solver(LogisticSolver::Lbfgs)
        .multinomial()
        .fit(x.as_ref(), &y)
        .unwrap();
    let auto = base.fit(x.as_ref(), &y).unwrap();
    assert!(newton.converged() && lbfgs.converged() && auto.converged());
    assert!((newton.objective() - lbfgs.objective()).abs() / newton.objective() < 1e-9);
    assert!(max_diff(newton.coef(), lbfgs.coef()) < 1e-6);
    // symmetric parametrization: the class coefficients sum to zero
    for j in 0..2 {
        let s: f64 = (0..3).map(|k| newton.class_coef(k)[j]).sum();
        assert!(s.abs() < 1e-8, "sum over classes {s}");
    }
    let p = newton.predict_proba(x.as_ref()).unwrap();
    for i in 0..p.nrows() {
        let s: f64 = (0..3).map(|c| p[(i, c)]).sum();
        assert!((s - 1.0).abs() < 1e-12);
    }
    assert!(newton.score(x.as_ref(), &y).unwrap() > 0.6);
    let ll = newton.log_loss(x.as_ref(), &y).unwrap();
    let manual: f64 = (0..y.len())
        .map(|i| -p[(i, y[i] as usize)].ln())
        .sum::<f64>()
        / y.len() as f64;
    assert!((ll - manual).abs() < 1e-12);
    // L1 multinomial: proximal Newton and FISTA agree
    let pn = LogisticRegression::new()
        .l1(0.01)
        .tol(1e-10)
        .solver(LogisticSolver::ProxNewton)
        .multinomial()
        .fit(x.as_ref(), &y)
        .unwrap();
    let fi = LogisticRegression::new()
        .l1(0.01)
        .tol(1e-10)
        .solver(LogisticSolver::Fista)
        .max_iter(100_000)
        .multinomial()
        .fit(x.as_ref(), &y)
        .unwrap();
    assert!(pn.converged() && fi.converged());
    assert!((pn.objective() - fi.objective()).abs() / pn.objective() < 1e-9);
    // one-vs-rest
    let ovr = LogisticRegression::new()
        .l2(1e-2)
        .multinomial()
        .strategy(Multiclass::OneVsRest)
        .fit(x.as_ref(), &y)
        .unwrap();
    assert_eq!(ovr.reports().len(), 3);
    assert!(ovr.converged());
    assert!(ovr.score(x.as_ref(), &y).unwrap() > 0.6);
}

#[test]
fn multiclass_labels_are_validated() {
    let (x, mut y) = three_classes(30, 12);
    y[4] = 1.5;
    let e = LogisticRegression::new()
        .multinomial()
        .fit(x.as_ref(), &y)
        .unwrap_err();
    assert!(e.to_string().contains("invalid label 1.5 at row 4"), "{e}");
    let y2: Vec<f64> = (0..30)
        .map(|i| if i % 2 == 0 { 0.0 } else { 2.0 })
        .collect();
    let e = LogisticRegression::new()
        .multinomial()
        .fit(x.as_ref(), &y2)
        .unwrap_err();
    assert!(e.to_string().contains("class 1 has no samples"), "{e}");
}
