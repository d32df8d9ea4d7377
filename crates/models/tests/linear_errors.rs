//! Bad input gives typed errors that name the problem, never a panic.

#![allow(clippy::float_cmp)] // error payloads carry the exact offending values

use linalg_core::{Mat, mat};
use linmod_models::linear::{
    CrossValidation, LinearRegression, LinearSolver, RegularizationPath, lambda_max,
};
use linmod_models::loss::Squared;
use linmod_models::objective::LinearObjective;
use linmod_models::{ModelError, Penalty};

fn data() -> (Mat<f64>, Vec<f64>) {
    let x = Mat::from_fn(6, 2, |i, j| (i * (j + 1)) as f64 + 0.5 * j as f64);
    let y = vec![1.0, 2.0, 2.5, 4.0, 5.5, 6.0];
    (x, y)
}

#[test]
fn empty_and_mismatched_data() {
    let (x, y) = data();
    let none = Mat::<f64>::zeros(0, 2);
    let err = LinearRegression::new().fit(none.as_ref(), &[]).unwrap_err();
    assert_eq!(
        err,
        ModelError::Empty {
            what: "X (no rows)"
        }
    );
    let no_cols = Mat::<f64>::zeros(3, 0);
    assert!(matches!(
        LinearRegression::new().fit(no_cols.as_ref(), &[1.0; 3]),
        Err(ModelError::Empty { .. })
    ));
    let err = LinearRegression::new()
        .fit(x.as_ref(), &y[..5])
        .unwrap_err();
    assert!(matches!(
        err,
        ModelError::LengthMismatch {
            len_a: 6,
            len_b: 5,
            ..
        }
    ));
    let err = LinearRegression::new()
        .fit_weighted(x.as_ref(), &y, &[1.0; 4])
        .unwrap_err();
    assert!(err.to_string().contains("sample weights has 4"), "{err}");
}

#[test]
fn non_finite_values_are_located() {
    let (mut x, mut y) = data();
    y[3] = f64::NAN;
    let err = LinearRegression::new().fit(x.as_ref(), &y).unwrap_err();
    assert!(matches!(
        err,
        ModelError::NonFinite {
            what: "y",
            index: 3,
            ..
        }
    ));
    y[3] = 4.0;
    x[(2, 1)] = f64::INFINITY;
    for solver in LinearSolver::ALL {
        let err = LinearRegression::new()
            .solver(solver)
            .penalty(Penalty::l2(0.1).unwrap())
            .fit(x.as_ref(), &y)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "non-finite value inf in X at row 2, column 1"
        );
    }
}

#[test]
fn invalid_weights_are_rejected() {
    let (x, y) = data();
    let err = LinearRegression::new()
        .fit_weighted(x.as_ref(), &y, &[1.0, 1.0, -1.0, 1.0, 1.0, 1.0])
        .unwrap_err();
    assert_eq!(
        err,
        ModelError::InvalidWeight {
            row: 2,
            value: -1.0
        }
    );
    assert!(matches!(
        LinearRegression::new().fit_weighted(x.as_ref(), &y, &[0.0; 6]),
        Err(ModelError::InvalidWeight { .. })
    ));
}

#[test]
fn invalid_settings_are_rejected_at_fit_time() {
    let (x, y) = data();
    let cases: Vec<(LinearRegression, &str)> = vec![
        (
            LinearRegression::new().penalty(Penalty { l1: -1.0, l2: 0.0 }),
            "l1",
        ),
        (
            LinearRegression::new().penalty(Penalty {
                l1: 0.0,
                l2: f64::NAN,
            }),
            "l2",
        ),
        (LinearRegression::new().tol(0.0), "tol"),
        (LinearRegression::new().tol(f64::NAN), "tol"),
        (LinearRegression::new().max_iter(0), "max_iter"),
        (LinearRegression::new().learning_rate(-0.1), "learning_rate"),
        (LinearRegression::new().epochs(0), "epochs"),
        (LinearRegression::new().batch_size(0), "batch_size"),
    ];
    for (config, name) in cases {
        match config.fit(x.as_ref(), &y) {
            Err(ModelError::InvalidParameter { name: got, .. }) => assert_eq!(got, name),
            other => panic!("{name}: {other:?}"),
        }
    }
    assert!(Penalty::l1(-1.0).is_err());
    let err = LinearRegression::new()
        .solver(LinearSolver::GradientDescent)
        .warm_start(vec![1.0], 0.0)
        .fit(x.as_ref(), &y)
        .unwrap_err();
    assert!(matches!(
        err,
        ModelError::LengthMismatch {
            len_a: 2,
            len_b: 1,
            ..
        }
    ));
    let err = LinearRegression::new()
        .solver(LinearSolver::GradientDescent)
        .warm_start(vec![1.0, f64::NAN], 0.0)
        .fit(x.as_ref(), &y)
        .unwrap_err();
    assert!(matches!(err, ModelError::NonFinite { index: 1, .. }));
}

#[test]
fn solvers_that_cannot_handle_the_penalty_say_so() {
    let (x, y) = data();
    for solver in [
        LinearSolver::Qr,
        LinearSolver::Cholesky,
        LinearSolver::GradientDescent,
        LinearSolver::Sgd,
    ] {
        let err = LinearRegression::new()
            .solver(solver)
            .penalty(Penalty::l1(0.1).unwrap())
            .fit(x.as_ref(), &y)
            .unwrap_err();
        let ModelError::Unsupported(msg) = err else {
            panic!("{solver}: {err:?}")
        };
        assert!(msg.contains(&format!("the {solver} solver")), "{msg}");
    }
    let err = LinearRegression::new()
        .solver(LinearSolver::CoordinateDescent)
        .fit(x.as_ref(), &y)
        .unwrap_err();
    assert!(
        matches!(&err, ModelError::Unsupported(m) if m.contains("duality gap")),
        "{err}"
    );
}

#[test]
fn explicit_cholesky_reports_rank_deficiency() {
    let x = mat![[1.0, 2.0], [2.0, 4.0], [3.0, 6.0], [4.0, 8.1]];
    let dup = Mat::from_fn(4, 2, |i, _| x[(i, 0)]);
    let err = LinearRegression::new()
        .solver(LinearSolver::Cholesky)
        .fit(dup.as_ref(), &[1.0, 2.0, 3.0, 4.0])
        .unwrap_err();
    assert!(
        matches!(&err, ModelError::RankDeficient { detail } if detail.contains("column 1")),
        "{err}"
    );
    let constant = mat![[1.0, 5.0], [2.0, 5.0], [3.0, 5.0]];
    let err = LinearRegression::new()
        .solver(LinearSolver::Cholesky)
        .fit(constant.as_ref(), &[1.0, 2.0, 4.0])
        .unwrap_err();
    assert!(
        matches!(&err, ModelError::RankDeficient { detail } if detail == "column 1 is constant"),
        "{err}"
    );
}

#[test]
fn predictions_check_their_input() {
    let (x, y) = data();
    let fit = LinearRegression::new().fit(x.as_ref(), &y).unwrap();
    let wrong = Mat::<f64>::zeros(3, 3);
    assert_eq!(
        fit.predict(wrong.as_ref()).unwrap_err(),
        ModelError::FeatureMismatch {
            expected: 2,
            found: 3
        }
    );
    let nan = mat![[1.0, f64::NAN]];
    assert!(matches!(
        fit.predict(nan.as_ref()),
        Err(ModelError::NonFiniteFeature { row: 0, col: 1, .. })
    ));
    assert!(matches!(
        fit.score(x.as_ref(), &y[..2]),
        Err(ModelError::LengthMismatch { .. })
    ));
}

#[test]
fn path_and_cross_validation_settings_are_checked() {
    let (x, y) = data();
    let cases = [
        (RegularizationPath::new().n_lambdas(0), "n_lambdas"),
        (RegularizationPath::new().eps(1.0), "eps"),
        (RegularizationPath::new().eps(0.0), "eps"),
        (RegularizationPath::new().l1_ratio(0.0), "l1_ratio"),
        (RegularizationPath::new().l1_ratio(1.5), "l1_ratio"),
        (RegularizationPath::new().lambdas(vec![]), "lambdas"),
        (
            RegularizationPath::new().lambdas(vec![1.0, -1.0]),
            "lambdas",
        ),
        (RegularizationPath::new().lambdas(vec![0.0]), "lambdas"),
        (RegularizationPath::new().tol(-1.0), "tol"),
        (RegularizationPath::new().max_iter(0), "max_iter"),
    ];
    for (path, name) in cases {
        match path.fit(x.as_ref(), &y) {
            Err(ModelError::InvalidParameter { name: got, .. }) => assert_eq!(got, name),
            other => panic!("{name}: {other:?}"),
        }
    }
    // a ridge path with an explicit grid is fine
    assert!(
        RegularizationPath::new()
            .l1_ratio(0.0)
            .lambdas(vec![1.0, 0.1])
            .fit(x.as_ref(), &y)
            .is_ok()
    );
    for k in [0, 1, 7] {
        let err = CrossValidation::new(RegularizationPath::new().n_lambdas(5))
            .folds(k)
            .fit(x.as_ref(), &y)
            .unwrap_err();
        assert!(
            matches!(err, ModelError::InvalidParameter { name: "folds", .. }),
            "{k}"
        );
    }
    assert!(matches!(
        lambda_max(x.as_ref(), &y, None, true, 0.0),
        Err(ModelError::InvalidParameter {
            name: "l1_ratio",
            ..
        })
    ));
}

#[test]
fn the_objective_validates_its_data() {
    let (x, y) = data();
    assert!(
        LinearObjective::new(x.as_ref(), &y[..3], Squared)
            .and_then(|f| f.weights(None))
            .map(|f| f.intercept(true))
            .and_then(|f| f.penalty(Penalty::none()))
            .is_err()
    );
    assert!(
        LinearObjective::new(x.as_ref(), &y, Squared)
            .and_then(|f| f.weights(None))
            .map(|f| f.intercept(true))
            .and_then(|f| f.penalty(Penalty { l1: 0.0, l2: -1.0 }))
            .is_err()
    );
    assert!(
        LinearObjective::new(x.as_ref(), &y, Squared)
            .and_then(|f| f.weights(Some(&[-1.0; 6])))
            .map(|f| f.intercept(true))
            .and_then(|f| f.penalty(Penalty::none()))
            .is_err()
    );
}

#[test]
fn a_single_row_fits_the_mean() {
    let x = mat![[3.0, 4.0]];
    for solver in [LinearSolver::Auto, LinearSolver::Qr] {
        let fit = LinearRegression::new()
            .solver(solver)
            .fit(x.as_ref(), &[7.0])
            .unwrap();
        assert_eq!(fit.coef(), &[0.0, 0.0]);
        assert!((fit.intercept() - 7.0).abs() < 1e-15);
    }
}

#[test]
fn explicit_cholesky_without_penalty_needs_full_rank_rows_when_wide() {
    let x = Mat::from_fn(3, 5, |i, j| ((i + 1) * (j + 2) % 7) as f64);
    let y = [1.0, 2.0, 0.5];
    let err = LinearRegression::new()
        .solver(LinearSolver::Cholesky)
        .fit(x.as_ref(), &y)
        .unwrap_err();
    assert!(
        matches!(&err, ModelError::RankDeficient { detail } if detail.contains("rank at most 2")),
        "{err}"
    );
    // without an intercept the minimum-norm interpolant comes from the kernel form
    let fit = LinearRegression::new()
        .solver(LinearSolver::Cholesky)
        .fit_intercept(false)
        .fit(x.as_ref(), &y)
        .unwrap();
    let qr = LinearRegression::new()
        .solver(LinearSolver::Qr)
        .fit_intercept(false)
        .fit(x.as_ref(), &y)
        .unwrap();
    let diff = fit
        .coef()
        .iter()
        .zip(qr.coef())
        .fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
    assert!(diff < 1e-10, "{:?} vs {:?}", fit.coef(), qr.coef());
    assert_eq!((fit.rank(), qr.rank()), (Some(3), Some(3)));
}
