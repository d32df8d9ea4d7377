//! The bad-input catalogue of the models (`docs/robustness.md` lists every case with its
//! behaviour): one test per case, each asserting a typed error that names the problem, or a
//! documented, flagged result. Never a panic, never NaN in an output that claims success.

#![allow(clippy::float_cmp)] // error payloads carry the exact offending values

mod support;

use linalg_core::{Mat, mat};
use linmod_models::linear::{LinearRegression, LinearSolver};
use linmod_models::logistic::{LogisticRegression, LogisticSolver, Multiclass};
use linmod_models::persist::{ModelFile, SavedModel};
use linmod_models::{ModelError, Penalty};
use optim::{Divergence, Termination};
use support::{binary_problem, multiclass_problem, regression_problem};

/// A small binary problem without separation.
fn binary() -> (Mat<f64>, Vec<f64>) {
    binary_problem(60, 2, 7)
}

fn regression() -> (Mat<f64>, Vec<f64>) {
    regression_problem(30, 2, 8)
}

fn logistic_error(cfg: &LogisticRegression, x: &Mat<f64>, y: &[f64]) -> ModelError {
    cfg.fit(x.as_ref(), y).expect_err("the fit must fail")
}

// --- non-finite values ---------------------------------------------------------------------

#[test]
fn nan_in_x_names_its_row_and_column() {
    let (mut x, y) = binary();
    x[(4, 1)] = f64::NAN;
    let e = logistic_error(&LogisticRegression::new(), &x, &y);
    assert!(matches!(e, ModelError::NonFiniteFeature { row: 4, col: 1, value } if value.is_nan()));
    assert_eq!(
        e.to_string(),
        "non-finite value NaN in X at row 4, column 1"
    );
}

#[test]
fn infinity_in_x_of_a_multinomial_fit_names_its_position() {
    let (mut x, y) = multiclass_problem(30, 2, 3, 1);
    x[(7, 0)] = f64::NEG_INFINITY;
    let e = LogisticRegression::new()
        .l2(0.1)
        .multinomial()
        .fit(x.as_ref(), &y)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "non-finite value -inf in X at row 7, column 0"
    );
}

#[test]
fn nan_in_a_linear_target_names_its_index() {
    let (x, mut y) = regression();
    y[11] = f64::NAN;
    let e = LinearRegression::new().fit(x.as_ref(), &y).unwrap_err();
    assert!(matches!(
        e,
        ModelError::NonFinite {
            what: "y",
            index: 11,
            ..
        }
    ));
}

#[test]
fn infinite_label_is_a_non_finite_target() {
    let (x, mut y) = binary();
    y[2] = f64::INFINITY;
    let e = logistic_error(&LogisticRegression::new(), &x, &y);
    assert_eq!(e.to_string(), "non-finite value inf in y at index 2");
}

#[test]
fn nan_sample_weight_names_its_row() {
    let (x, y) = regression();
    let mut w = vec![1.0; y.len()];
    w[5] = f64::NAN;
    let e = LinearRegression::new()
        .fit_weighted(x.as_ref(), &y, &w)
        .unwrap_err();
    assert!(matches!(e, ModelError::InvalidWeight { row: 5, value } if value.is_nan()));
}

#[test]
fn nan_in_prediction_data_is_refused() {
    let (x, y) = binary();
    let fit = LogisticRegression::new().fit(x.as_ref(), &y).unwrap();
    let e = fit
        .predict_proba(mat![[0.0, f64::NAN]].as_ref())
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "non-finite value NaN in X at row 0, column 1"
    );
}

// --- empty, tiny and mismatched data -------------------------------------------------------

#[test]
fn no_rows_is_an_empty_error() {
    let e = LinearRegression::new()
        .fit(Mat::<f64>::zeros(0, 3).as_ref(), &[])
        .unwrap_err();
    assert_eq!(e.to_string(), "X (no rows) is empty");
}

#[test]
fn no_columns_is_an_empty_error() {
    let e = LogisticRegression::new()
        .fit(Mat::<f64>::zeros(4, 0).as_ref(), &[0.0, 1.0, 0.0, 1.0])
        .unwrap_err();
    assert_eq!(e.to_string(), "X (no columns) is empty");
}

#[test]
fn one_row_classification_has_a_single_class() {
    let e = LogisticRegression::new()
        .fit(mat![[1.0, 2.0]].as_ref(), &[1.0])
        .unwrap_err();
    assert_eq!(e, ModelError::SingleClass { label: 1.0 });
}

#[test]
fn one_row_multinomial_has_a_single_class() {
    let e = LogisticRegression::new()
        .multinomial()
        .fit(mat![[1.0, 2.0]].as_ref(), &[0.0])
        .unwrap_err();
    assert_eq!(e, ModelError::SingleClass { label: 0.0 });
}

#[test]
fn target_of_the_wrong_length_names_both_lengths() {
    let (x, y) = regression();
    let e = LinearRegression::new()
        .fit(x.as_ref(), &y[..29])
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "length mismatch: X has 30 entries but y has 29"
    );
}

#[test]
fn sample_weights_of_the_wrong_length_are_refused() {
    let (x, y) = binary();
    let e = LogisticRegression::new()
        .fit_weighted(x.as_ref(), &y, &[1.0; 3])
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "length mismatch: X has 60 entries but sample weights has 3"
    );
}

#[test]
fn negative_sample_weight_names_its_row() {
    let (x, y) = binary();
    let mut w = vec![1.0; 60];
    w[9] = -0.5;
    let e = LogisticRegression::new()
        .fit_weighted(x.as_ref(), &y, &w)
        .unwrap_err();
    assert_eq!(
        e,
        ModelError::InvalidWeight {
            row: 9,
            value: -0.5
        }
    );
}

#[test]
fn all_zero_sample_weights_are_refused() {
    let (x, y) = regression();
    let e = LinearRegression::new()
        .fit_weighted(x.as_ref(), &y, &[0.0; 30])
        .unwrap_err();
    assert!(e.to_string().contains("not all 0"), "{e}");
}

// --- labels --------------------------------------------------------------------------------

#[test]
fn one_class_only_is_refused() {
    let (x, _) = binary();
    let e = logistic_error(&LogisticRegression::new(), &x, &[0.0; 60]);
    assert_eq!(
        e.to_string(),
        "only one class (0) is present in y: a classifier needs at least two"
    );
}

#[test]
fn binary_label_outside_0_1_names_row_and_value() {
    let (x, mut y) = binary();
    y[3] = -1.0;
    let e = logistic_error(&LogisticRegression::new(), &x, &y);
    assert!(
        matches!(&e, ModelError::InvalidLabel { row: 3, value, .. } if *value == -1.0),
        "{e}"
    );
    assert!(
        e.to_string().starts_with("invalid label -1 at row 3"),
        "{e}"
    );
}

#[test]
fn multinomial_label_that_is_not_a_whole_number_is_refused() {
    let (x, mut y) = multiclass_problem(30, 2, 3, 2);
    y[5] = 0.5;
    let e = LogisticRegression::new()
        .multinomial()
        .fit(x.as_ref(), &y)
        .unwrap_err();
    assert!(
        e.to_string().starts_with("invalid label 0.5 at row 5"),
        "{e}"
    );
}

#[test]
fn huge_class_label_is_refused_without_allocating_for_it() {
    let x = mat![[0.0], [1.0], [2.0]];
    let e = LogisticRegression::new()
        .multinomial()
        .fit(x.as_ref(), &[0.0, 1.0, 1e12])
        .unwrap_err();
    assert!(
        matches!(&e, ModelError::InvalidLabel { row: 2, value, .. } if *value == 1e12),
        "{e}"
    );
}

#[test]
fn a_class_without_samples_is_named() {
    let (x, _) = multiclass_problem(30, 2, 3, 3);
    let y: Vec<f64> = (0..30)
        .map(|i| if i % 2 == 0 { 0.0 } else { 2.0 })
        .collect();
    let e = LogisticRegression::new()
        .multinomial()
        .fit(x.as_ref(), &y)
        .unwrap_err();
    assert!(
        matches!(
            e,
            ModelError::MissingClass {
                class: 1,
                n_classes: 3,
                ..
            }
        ),
        "{e}"
    );
    assert_eq!(
        e.to_string(),
        "class 1 has no samples: multiclass labels must be the whole numbers 0..2 with every \
         class present (found 0, 2)"
    );
}

#[test]
fn labels_that_skip_class_0_name_the_missing_class_not_a_row() {
    // labels {1, 3}: classes 0 and 2 are missing; no row holds an invalid label
    let (x, _) = multiclass_problem(20, 2, 3, 4);
    let y: Vec<f64> = (0..20)
        .map(|i| if i % 2 == 0 { 3.0 } else { 1.0 })
        .collect();
    let e = LogisticRegression::new()
        .multinomial()
        .fit(x.as_ref(), &y)
        .unwrap_err();
    assert!(
        e.to_string().starts_with("class 0 has no samples")
            && e.to_string().contains("(found 1, 3)"),
        "{e}"
    );
}

// --- degenerate designs --------------------------------------------------------------------

#[test]
fn constant_column_in_an_unpenalized_logistic_fit_is_rank_deficiency() {
    let (mut x, y) = binary();
    x.col_mut(1).iter_mut().for_each(|v| *v = 3.0);
    let e = logistic_error(&LogisticRegression::new(), &x, &y);
    assert!(
        matches!(&e, ModelError::RankDeficient { detail } if detail.contains("column 1 is constant")),
        "{e}"
    );
}

#[test]
fn constant_column_with_an_l2_penalty_fits_with_a_zero_coefficient() {
    let (mut x, y) = binary();
    x.col_mut(1).iter_mut().for_each(|v| *v = 3.0);
    let fit = LogisticRegression::new()
        .l2(0.01)
        .fit(x.as_ref(), &y)
        .unwrap();
    assert!(fit.converged());
    // a constant column only shifts the intercept; the penalty sends its coefficient to 0
    assert!(fit.coef()[1].abs() < 1e-8, "{:?}", fit.coef());
}

#[test]
fn duplicated_column_in_an_unpenalized_logistic_fit_is_rank_deficiency() {
    let (x, y) = binary();
    let dup = Mat::from_fn(60, 3, |i, j| x[(i, j.min(1))]);
    let e = logistic_error(&LogisticRegression::new(), &dup, &y);
    assert!(
        matches!(&e, ModelError::RankDeficient { detail } if detail.contains("column 2 is (numerically) a linear combination")),
        "{e}"
    );
}

#[test]
fn duplicated_column_in_ols_gives_the_minimum_norm_fit_and_reports_the_rank() {
    let (x, y) = regression();
    let dup = Mat::from_fn(30, 3, |i, j| x[(i, j.min(1))]);
    let fit = LinearRegression::new().fit(dup.as_ref(), &y).unwrap();
    let single = LinearRegression::new().fit(x.as_ref(), &y).unwrap();
    assert_eq!(fit.rank(), Some(2));
    // the weight of the duplicated feature is split evenly between its copies
    let (a, b) = (fit.coef()[1], fit.coef()[2]);
    assert!((a - b).abs() < 1e-10 && (a + b - single.coef()[1]).abs() < 1e-10);
}

#[test]
fn more_features_than_rows_in_an_unpenalized_logistic_fit_is_rank_deficiency() {
    let x = Mat::from_fn(4, 6, |i, j| ((i + 2) * (j + 1) % 7) as f64);
    let e = logistic_error(&LogisticRegression::new(), &x, &[0.0, 1.0, 0.0, 1.0]);
    assert!(matches!(e, ModelError::RankDeficient { .. }), "{e}");
}

#[test]
fn more_features_than_rows_in_ols_interpolates_with_the_minimum_norm_and_reports_the_rank() {
    let (x, _) = regression_problem(4, 6, 11);
    let y = [1.0, -1.0, 2.0, 0.5];
    let fit = LinearRegression::new().fit(x.as_ref(), &y).unwrap();
    assert_eq!(fit.solver(), LinearSolver::Qr);
    assert_eq!(fit.rank(), Some(3)); // four centered rows span three dimensions
    let yhat = fit.predict(x.as_ref()).unwrap();
    assert!(
        yhat.iter().zip(&y).all(|(a, b)| (a - b).abs() < 1e-9),
        "{yhat:?}"
    );
}

#[test]
fn perfectly_separable_binary_data_are_a_separation_error() {
    let x = Mat::from_fn(20, 1, |i, _| i as f64);
    let y: Vec<f64> = (0..20).map(|i| f64::from(u8::from(i >= 10))).collect();
    let e = logistic_error(&LogisticRegression::new(), &x, &y);
    assert!(
        matches!(
            e,
            ModelError::Separation {
                kind: "perfect",
                ..
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("Add an L2 penalty"), "{e}");
}

#[test]
fn perfectly_separable_classes_are_a_multinomial_separation_error() {
    let x = Mat::from_fn(30, 1, |i, _| i as f64);
    let y: Vec<f64> = (0..30).map(|i| (i / 10) as f64).collect();
    let e = LogisticRegression::new()
        .multinomial()
        .fit(x.as_ref(), &y)
        .unwrap_err();
    assert!(matches!(e, ModelError::Separation { .. }), "{e}");
}

#[test]
fn separable_data_with_an_l2_penalty_fit_finitely() {
    let x = Mat::from_fn(20, 1, |i, _| i as f64);
    let y: Vec<f64> = (0..20).map(|i| f64::from(u8::from(i >= 10))).collect();
    let fit = LogisticRegression::new()
        .l2(1e-3)
        .fit(x.as_ref(), &y)
        .unwrap();
    assert!(fit.converged() && fit.coef()[0].is_finite() && fit.coef()[0] > 0.0);
    assert_eq!(fit.score(x.as_ref(), &y).unwrap(), 1.0);
}

// --- hyper-parameters ----------------------------------------------------------------------

#[test]
fn negative_l1_penalty_is_an_invalid_parameter() {
    let (x, y) = regression();
    let e = LinearRegression::new()
        .penalty(Penalty { l1: -0.1, l2: 0.0 })
        .fit(x.as_ref(), &y)
        .unwrap_err();
    assert_eq!(e.to_string(), "invalid l1 = -0.1: must be finite and >= 0");
}

#[test]
fn nan_l2_penalty_is_an_invalid_parameter() {
    let (x, y) = binary();
    let e = logistic_error(&LogisticRegression::new().l2(f64::NAN), &x, &y);
    assert!(
        matches!(e, ModelError::InvalidParameter { name: "l2", value, .. } if value.is_nan()),
        "{e}"
    );
}

#[test]
fn infinite_penalty_is_an_invalid_parameter() {
    let (x, y) = binary();
    let e = logistic_error(&LogisticRegression::new().l1(f64::INFINITY), &x, &y);
    assert_eq!(e.to_string(), "invalid l1 = inf: must be finite and >= 0");
}

#[test]
fn negative_logistic_tolerance_is_an_invalid_parameter() {
    let (x, y) = binary();
    let e = logistic_error(&LogisticRegression::new().tol(-1e-8), &x, &y);
    assert!(e.to_string().contains("gradient_tol = -1e-8"), "{e}");
}

#[test]
fn nan_linear_tolerance_is_an_invalid_parameter() {
    let (x, y) = regression();
    let e = LinearRegression::new()
        .tol(f64::NAN)
        .fit(x.as_ref(), &y)
        .unwrap_err();
    assert_eq!(e.to_string(), "invalid tol = NaN: must be finite and > 0");
}

#[test]
fn infinite_linear_tolerance_is_an_invalid_parameter() {
    let (x, y) = regression();
    let e = LinearRegression::new()
        .solver(LinearSolver::GradientDescent)
        .tol(f64::INFINITY)
        .fit(x.as_ref(), &y)
        .unwrap_err();
    assert_eq!(e.to_string(), "invalid tol = inf: must be finite and > 0");
}

#[test]
fn zero_iterations_of_a_logistic_solver_report_the_start_unconverged() {
    let (x, y) = binary();
    let fit = LogisticRegression::new()
        .l2(0.1)
        .solver(LogisticSolver::Lbfgs)
        .max_iter(0)
        .fit(x.as_ref(), &y)
        .unwrap();
    assert!(!fit.converged());
    assert_eq!(fit.report().termination, Termination::MaxIterations);
    assert!(fit.coef().iter().all(|&w| w == 0.0));
}

#[test]
fn zero_iterations_of_a_linear_solver_are_an_invalid_parameter() {
    let (x, y) = regression();
    let e = LinearRegression::new()
        .solver(LinearSolver::Fista)
        .max_iter(0)
        .fit(x.as_ref(), &y)
        .unwrap_err();
    assert_eq!(e.to_string(), "invalid max_iter = 0: must be >= 1");
}

#[test]
fn a_diverging_learning_rate_is_reported_with_the_last_finite_iterate() {
    let (x, y) = regression();
    let fit = LinearRegression::new()
        .solver(LinearSolver::GradientDescent)
        .learning_rate(10.0)
        .fit(x.as_ref(), &y)
        .unwrap();
    let report = fit.report().unwrap();
    assert!(
        matches!(report.termination, Termination::Diverged { .. }),
        "{}",
        report.termination
    );
    assert!(!fit.converged());
    assert!(fit.coef().iter().all(|w| w.is_finite()) && fit.intercept().is_finite());
}

#[test]
fn a_diverging_sgd_learning_rate_is_reported_as_divergence() {
    let (x, y) = binary();
    let fit = LogisticRegression::new()
        .l2(0.1)
        .solver(LogisticSolver::Sgd)
        .learning_rate(1e6)
        .fit(x.as_ref(), &y)
        .unwrap();
    assert!(!fit.converged());
    assert!(
        matches!(fit.report().termination, Termination::Diverged { .. }),
        "{}",
        fit.report().termination
    );
    assert!(fit.coef().iter().all(|w| w.is_finite()));
}

#[test]
fn an_l1_penalty_with_a_smooth_only_solver_is_unsupported() {
    let (x, y) = regression();
    let e = LinearRegression::new()
        .penalty(Penalty::l1(0.1).unwrap())
        .solver(LinearSolver::Cholesky)
        .fit(x.as_ref(), &y)
        .unwrap_err();
    assert!(matches!(&e, ModelError::Unsupported(m) if m.contains("cannot fit an L1 penalty")));
}

#[test]
fn a_threshold_outside_0_1_is_an_invalid_parameter() {
    let (x, y) = binary();
    let fit = LogisticRegression::new().fit(x.as_ref(), &y).unwrap();
    let e = fit.predict_with_threshold(x.as_ref(), 1.5).unwrap_err();
    assert_eq!(e.to_string(), "invalid threshold = 1.5: must be in [0, 1]");
}

#[test]
fn a_warm_start_of_the_wrong_length_is_refused() {
    let (x, y) = binary();
    let e = logistic_error(
        &LogisticRegression::new().warm_start(vec![0.0; 5], 0.0),
        &x,
        &y,
    );
    assert!(
        matches!(
            e,
            ModelError::LengthMismatch {
                len_a: 2,
                len_b: 5,
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn a_non_finite_warm_start_is_refused() {
    let (x, y) = regression();
    let e = LinearRegression::new()
        .solver(LinearSolver::GradientDescent)
        .warm_start(vec![0.0, f64::NAN], 0.0)
        .fit(x.as_ref(), &y)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "non-finite value NaN in warm-start coefficients at index 1"
    );
}

// --- models applied to other data, model files ---------------------------------------------

#[test]
fn a_multinomial_model_applied_to_the_wrong_number_of_features_fails() {
    let (x, y) = multiclass_problem(30, 2, 3, 4);
    let fit = LogisticRegression::new()
        .l2(0.1)
        .multinomial()
        .fit(x.as_ref(), &y)
        .unwrap();
    let e = fit.predict(Mat::<f64>::zeros(2, 3).as_ref()).unwrap_err();
    assert_eq!(
        e,
        ModelError::FeatureMismatch {
            expected: 2,
            found: 3
        }
    );
}

#[test]
fn a_linear_model_applied_to_the_wrong_number_of_features_fails() {
    let (x, y) = regression();
    let fit = LinearRegression::new().fit(x.as_ref(), &y).unwrap();
    let e = fit.predict(Mat::<f64>::zeros(2, 1).as_ref()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the model was fitted on 2 features but the data have 1"
    );
}

fn linear_model_json() -> String {
    let (x, y) = regression();
    let fit = LinearRegression::new().fit(x.as_ref(), &y).unwrap();
    ModelFile::new(SavedModel::Linear(fit), Some(vec!["a".into(), "b".into()]))
        .unwrap()
        .to_json()
        .unwrap()
}

#[test]
fn a_truncated_model_file_is_corrupt_with_its_position() {
    let json = linear_model_json();
    let e = ModelFile::from_json(&json[..json.len() / 3]).unwrap_err();
    assert!(
        matches!(&e, ModelError::Persistence(m) if m.starts_with("corrupt model file at line")),
        "{e}"
    );
}

#[test]
fn an_empty_model_file_is_corrupt() {
    let e = ModelFile::from_json("").unwrap_err();
    assert!(
        e.to_string().starts_with("corrupt model file at line 1"),
        "{e}"
    );
}

#[test]
fn a_model_file_with_a_wrong_field_type_is_corrupt() {
    let json = linear_model_json().replacen("\"coef\": [", "\"coef\": [\"one\", ", 1);
    let e = ModelFile::from_json(&json).unwrap_err();
    assert!(e.to_string().contains("corrupt model file"), "{e}");
}

#[test]
fn a_model_file_whose_feature_names_do_not_match_is_refused() {
    let json = linear_model_json().replace("\"b\"\n", "\"b\", \"c\"\n");
    let e = ModelFile::from_json(&json).unwrap_err();
    assert!(
        matches!(
            e,
            ModelError::LengthMismatch {
                len_a: 2,
                len_b: 3,
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn a_model_file_of_version_0_is_refused() {
    let json = linear_model_json().replace("\"version\": 1", "\"version\": 0");
    let e = ModelFile::from_json(&json).unwrap_err();
    assert_eq!(e.to_string(), "model file has no valid `version`");
}

/// The file of a softmax model on one feature and two classes.
fn one_feature_two_class_model() -> String {
    let (x, y) = multiclass_problem(30, 1, 2, 5);
    let fit = LogisticRegression::new()
        .l2(0.1)
        .multinomial()
        .fit(x.as_ref(), &y)
        .unwrap();
    ModelFile::new(SavedModel::Multinomial(fit), None)
        .unwrap()
        .to_json()
        .unwrap()
}

#[test]
fn a_multinomial_model_file_with_one_class_is_refused() {
    let json = one_feature_two_class_model().replace("\"n_classes\": 2", "\"n_classes\": 1");
    let e = ModelFile::from_json(&json).unwrap_err();
    assert!(e.to_string().contains("n_classes = 1"), "{e}");
}

// --- extreme magnitudes --------------------------------------------------------------------

/// `binary()` with every feature multiplied by `scale`.
fn scaled_binary(scale: f64) -> (Mat<f64>, Vec<f64>) {
    let (x, y) = binary();
    (
        Mat::from_fn(x.nrows(), x.ncols(), |i, j| x[(i, j)] * scale),
        y,
    )
}

#[test]
fn huge_features_in_an_unpenalized_logistic_fit_report_the_overflow() {
    let (x, y) = scaled_binary(1e300);
    let e = logistic_error(&LogisticRegression::new(), &x, &y);
    assert_eq!(
        e.to_string(),
        "non-finite value inf in X^T X (the squares of a column overflow: rescale the features) \
         at row 0, column 0"
    );
}

#[test]
fn huge_features_in_a_penalized_newton_fit_diverge_with_the_last_finite_iterate() {
    let (x, y) = scaled_binary(1e300);
    let fit = LogisticRegression::new()
        .l2(0.1)
        .fit(x.as_ref(), &y)
        .unwrap();
    let termination = fit.report().termination;
    assert!(
        matches!(
            termination,
            Termination::Diverged {
                iteration: 1,
                cause: Divergence::NonFiniteHessian
            }
        ),
        "{termination}"
    );
    assert!(!fit.converged());
    assert!(termination.to_string().contains("Hessian"), "{termination}");
    // the Hessian at the start overflows: the start is the last finite iterate
    assert!(fit.coef().iter().all(|w| *w == 0.0) && fit.objective().is_finite());
}

#[test]
fn huge_features_with_lbfgs_stop_unconverged_at_a_finite_point() {
    let (x, y) = scaled_binary(1e300);
    let fit = LogisticRegression::new()
        .l2(0.1)
        .solver(LogisticSolver::Lbfgs)
        .fit(x.as_ref(), &y)
        .unwrap();
    assert!(!fit.converged(), "{}", fit.report().termination);
    assert!(fit.coef().iter().all(|w| w.is_finite()) && fit.objective().is_finite());
}

#[test]
fn huge_features_in_ols_are_solved_by_qr_and_refused_by_explicit_normal_equations() {
    let (x, y) = regression();
    let big = Mat::from_fn(30, 2, |i, j| x[(i, j)] * 1e300);
    let reference = LinearRegression::new()
        .solver(LinearSolver::Qr)
        .fit(x.as_ref(), &y)
        .unwrap();
    let fit = LinearRegression::new()
        .solver(LinearSolver::Qr)
        .fit(big.as_ref(), &y)
        .unwrap();
    for (a, b) in fit.coef().iter().zip(reference.coef()) {
        assert!(
            (a * 1e300 - b).abs() < 1e-9 * b.abs().max(1.0),
            "{a} vs {b}"
        );
    }
    // the Gram matrix of the normal equations overflows: auto falls back to QR, and an
    // explicit Cholesky choice is a typed error naming X^T X, not a wrong fit
    let auto = LinearRegression::new().fit(big.as_ref(), &y).unwrap();
    assert_eq!(auto.solver(), LinearSolver::Qr);
    assert_eq!(auto.coef(), fit.coef());
    let e = LinearRegression::new()
        .solver(LinearSolver::Cholesky)
        .fit(big.as_ref(), &y)
        .unwrap_err();
    assert!(
        matches!(&e, ModelError::Overflow { what } if what.starts_with("X^T X")),
        "{e}"
    );
}

#[test]
fn tiny_features_in_an_unpenalized_logistic_fit_report_the_underflow() {
    let (x, y) = scaled_binary(1e-300);
    let e = logistic_error(&LogisticRegression::new(), &x, &y);
    assert!(
        matches!(&e, ModelError::RankDeficient { detail } if detail.contains("column 0 is numerically zero: its squares underflow")),
        "{e}"
    );
}

#[test]
fn tiny_features_in_ols_give_coefficients_on_the_caller_scale() {
    let (x, y) = regression();
    let tiny = Mat::from_fn(30, 2, |i, j| x[(i, j)] * 1e-300);
    let reference = LinearRegression::new().fit(x.as_ref(), &y).unwrap();
    let fit = LinearRegression::new().fit(tiny.as_ref(), &y).unwrap();
    for (a, b) in fit.coef().iter().zip(reference.coef()) {
        assert!(
            (a * 1e-300 - b).abs() < 1e-9 * b.abs().max(1.0),
            "{a} vs {b}"
        );
    }
}

#[test]
fn a_huge_linear_target_scales_the_coefficients() {
    let (x, y) = regression();
    let big: Vec<f64> = y.iter().map(|v| v * 1e300).collect();
    let reference = LinearRegression::new().fit(x.as_ref(), &y).unwrap();
    let fit = LinearRegression::new().fit(x.as_ref(), &big).unwrap();
    for (a, b) in fit.coef().iter().zip(reference.coef()) {
        assert!(
            (a / 1e300 - b).abs() < 1e-9 * b.abs().max(1.0),
            "{a} vs {b}"
        );
    }
}

/// Every sign pattern of `+-f64::MAX` over `p` features, one row each: finite inputs whose
/// products with coefficients above 1 in magnitude overflow.
fn overflowing_rows(p: usize) -> Mat<f64> {
    Mat::from_fn(1 << p, p, |i, j| {
        if (i >> j) & 1 == 0 {
            f64::MAX
        } else {
            -f64::MAX
        }
    })
}

/// Scores of rows that overflow are infinite (exact limits of the probabilities) or, where
/// overflows of both signs meet, an overflow error naming the row: never NaN.
fn assert_no_nan_row_by_row(
    x: &Mat<f64>,
    predict: impl Fn(Mat<f64>) -> Result<Vec<f64>, ModelError>,
) {
    for i in 0..x.nrows() {
        let row = Mat::from_fn(1, x.ncols(), |_, j| x[(i, j)]);
        match predict(row) {
            Ok(v) => assert!(v.iter().all(|p| !p.is_nan()), "row {i}: {v:?}"),
            Err(e) => assert!(
                matches!(e, ModelError::NonFinite { index: 0, .. })
                    && e.to_string().contains("overflow"),
                "row {i}: {e}"
            ),
        }
    }
}

#[test]
fn logistic_predictions_on_overflowing_inputs_are_never_nan() {
    let (x, y) = binary_problem(200, 4, 9);
    let x = Mat::from_fn(200, 4, |i, j| x[(i, j)] * 1e-3);
    let fit = LogisticRegression::new().fit(x.as_ref(), &y).unwrap();
    assert!(fit.coef().iter().all(|w| w.abs() > 1.0), "{:?}", fit.coef());
    assert_no_nan_row_by_row(&overflowing_rows(4), |r| fit.predict_proba(r.as_ref()));
    // one overflow alone is an infinite log-odds, and an exact probability
    let p = fit
        .predict_proba(mat![[f64::MAX, 0.0, 0.0, 0.0]].as_ref())
        .unwrap();
    assert!(p[0] == 0.0 || p[0] == 1.0, "{p:?}");
}

#[test]
fn multinomial_predictions_on_overflowing_inputs_are_never_nan() {
    let (x, y) = multiclass_problem(200, 4, 3, 10);
    let x = Mat::from_fn(200, 4, |i, j| x[(i, j)] * 1e-3);
    let fit = LogisticRegression::new()
        .l2(1e-9)
        .multinomial()
        .fit(x.as_ref(), &y)
        .unwrap();
    assert!(fit.coef().iter().all(|w| w.abs() > 1.0), "{:?}", fit.coef());
    let rows = overflowing_rows(4);
    assert_no_nan_row_by_row(&rows, |r| {
        fit.predict_proba(r.as_ref())
            .map(|m| (0..m.ncols()).map(|c| m[(0, c)]).collect())
    });
}

#[test]
fn linear_predictions_that_overflow_are_an_error() {
    let (x, y) = regression();
    let small = Mat::from_fn(30, 2, |i, j| x[(i, j)] * 1e-3);
    let fit = LinearRegression::new().fit(small.as_ref(), &y).unwrap();
    assert!(fit.coef()[0].abs() > 1.0);
    let e = fit.predict(mat![[f64::MAX, 0.0]].as_ref()).unwrap_err();
    assert!(
        matches!(e, ModelError::NonFinite { index: 0, value, .. } if value.is_infinite()),
        "{e}"
    );
    assert!(
        e.to_string().contains("overflow: rescale the features"),
        "{e}"
    );
}

#[test]
fn one_vs_rest_probabilities_stay_exact_when_every_sigmoid_underflows() {
    let (x, y) = multiclass_problem(30, 1, 3, 12);
    let fit = LogisticRegression::new()
        .l2(0.1)
        .multinomial()
        .strategy(Multiclass::OneVsRest)
        .fit(x.as_ref(), &y)
        .unwrap();
    // a saved model edited to scores z = -1000 x - (0, 1, 2): at x = 1 every sigmoid is 0
    let json = ModelFile::new(SavedModel::Multinomial(fit), None)
        .unwrap()
        .to_json()
        .unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    v["model"]["coef"] = serde_json::json!([-1000.0, -1000.0, -1000.0]);
    v["model"]["intercepts"] = serde_json::json!([0.0, -1.0, -2.0]);
    let SavedModel::Multinomial(model) = ModelFile::from_json(&v.to_string()).unwrap().model else {
        unreachable!()
    };
    let p = model.predict_proba(mat![[1.0]].as_ref()).unwrap();
    // sigma(z_k) / sum_j sigma(z_j) tends to softmax(z) as z -> -inf
    let e = [1.0, (-1f64).exp(), (-2f64).exp()];
    let total: f64 = e.iter().sum();
    for c in 0..3 {
        assert!((p[(0, c)] - e[c] / total).abs() < 1e-12, "{p:?}");
    }
    let loss = model.log_loss(mat![[1.0]].as_ref(), &[0.0]).unwrap();
    assert!((loss + (e[0] / total).ln()).abs() < 1e-12, "{loss}");
}

#[test]
fn log_loss_at_infinite_scores_is_its_limit_not_nan() {
    let (x, y) = scaled_binary(1e-3);
    let fit = LogisticRegression::new().fit(x.as_ref(), &y).unwrap();
    // x_0 w_0 overflows: the log-odds are infinite, on the side of the sign of w_0
    let row = mat![[f64::MAX.copysign(fit.coef()[0]), 0.0]];
    assert_eq!(fit.log_loss(row.as_ref(), &[1.0]).unwrap(), 0.0);
    assert_eq!(fit.log_loss(row.as_ref(), &[0.0]).unwrap(), f64::INFINITY);
}

// --- sizes, allocations and values a caller can pass (never a panic) ------------------------

#[test]
fn balanced_class_weights_refuse_labels_outside_the_classes() {
    use linmod_models::logistic::ClassWeight;
    for bad in [5.0, -1.0, f64::NAN, 0.5] {
        let e = ClassWeight::Balanced.weights(&[0.0, bad], 2).unwrap_err();
        assert!(
            matches!(e, ModelError::InvalidLabel { row: 1, .. }),
            "{bad}: {e}"
        );
    }
    let e = ClassWeight::Uniform.weights(&[], 1 << 40).unwrap_err();
    assert!(matches!(e, ModelError::InvalidParameter { .. }), "{e}");
}

#[test]
fn confusion_matrix_queries_outside_its_classes_are_errors() {
    use linmod_models::metrics::ConfusionMatrix;
    let cm = ConfusionMatrix::new(&[0.0, 1.0], &[1.0, 1.0], 2).unwrap();
    for e in [
        cm.precision(5).unwrap_err(),
        cm.recall(2).unwrap_err(),
        cm.f1(7).unwrap_err(),
    ] {
        assert!(e.to_string().contains("a class of the matrix, 0..1"), "{e}");
    }
    assert_eq!(cm.precision(1).unwrap(), 0.5);
}

#[test]
fn a_confusion_matrix_of_a_trillion_classes_is_refused_without_allocating() {
    use linmod_models::metrics::ConfusionMatrix;
    let e = ConfusionMatrix::new(&[0.0], &[0.0], 1_000_000_000_000).unwrap_err();
    assert!(matches!(e, ModelError::InvalidParameter { .. }), "{e}");
    // within the class limit, k^2 cells beyond memory are a typed error too
    let e = ConfusionMatrix::new(&[0.0], &[0.0], 1 << 20).unwrap_err();
    assert!(matches!(e, ModelError::OutOfMemory { .. }), "{e}");
    assert!(e.to_string().contains("8.8 TB"), "{e}");
}

#[test]
fn a_network_with_a_trillion_hidden_units_is_an_allocation_error() {
    use linmod_models::mlp::Mlp;
    let (x, y) = binary();
    let e = Mlp::new()
        .hidden(1_000_000_000_000)
        .epochs(1)
        .fit(x.as_ref(), &y)
        .unwrap_err();
    assert!(matches!(e, ModelError::OutOfMemory { .. }), "{e}");
}

#[test]
fn a_wide_unpenalized_logistic_fit_is_rank_deficient_without_a_p_by_p_matrix() {
    // 20 x 100 000: the p x p Gram matrix would take 80 GB
    let x = Mat::from_fn(20, 100_000, |i, j| ((i * 7 + j * 13) % 11) as f64);
    let y: Vec<f64> = (0..20).map(|i| (i % 2) as f64).collect();
    let e = logistic_error(&LogisticRegression::new(), &x, &y);
    assert!(
        e.to_string()
            .contains("100001 coefficients (with the intercept) but only 20 rows"),
        "{e}"
    );
}

#[test]
fn a_newton_solver_on_a_hundred_thousand_features_is_an_allocation_error() {
    let x = Mat::from_fn(20, 100_000, |i, j| ((i * 7 + j * 13) % 11) as f64);
    let y: Vec<f64> = (0..20).map(|i| (i % 2) as f64).collect();
    let cfg = LogisticRegression::new()
        .l2(1.0)
        .solver(LogisticSolver::Newton);
    let e = logistic_error(&cfg, &x, &y);
    assert!(matches!(e, ModelError::OutOfMemory { .. }), "{e}");
    assert!(e.to_string().contains("choose the lbfgs"), "{e}");
    // the default solver for this shape keeps no p x p matrix and fits
    let fit = LogisticRegression::new()
        .l2(1.0)
        .fit(x.as_ref(), &y)
        .unwrap();
    assert_eq!(fit.solver(), LogisticSolver::Lbfgs);
    assert!(fit.coef().iter().all(|w| w.is_finite()));
}

#[test]
fn a_model_file_whose_sizes_overflow_is_corrupt() {
    // 1 feature x 2 classes: 2 coefficients; a file claiming 2^63 + 1 features makes the
    // product wrap around to 2 in unchecked arithmetic
    let json = one_feature_two_class_model();
    assert!(json.contains("\"n_features\": 1,"));
    let json = json.replace(
        "\"n_features\": 1,",
        &format!("\"n_features\": {},", (1u64 << 63) + 1),
    );
    let e = ModelFile::from_json(&json).unwrap_err();
    assert!(e.to_string().contains("overflows"), "{e}");
}

#[test]
fn huge_penalties_and_tiny_c_are_refused_naming_the_limit() {
    let e = Penalty::l2(1e308).unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid l2 = 1e308: must be finite, >= 0 and at most 1e100 (stronger penalties overflow)"
    );
    let e = Penalty::inverse_c_l2(1e-320).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("invalid C = 1e-320: must be finite and at least 1e-100"),
        "{e}"
    );
}

#[test]
fn huge_sample_weights_keep_their_proportions() {
    let (x, y) = binary();
    let w = vec![1e308; y.len()];
    let weighted = LogisticRegression::new()
        .fit_weighted(x.as_ref(), &y, &w)
        .unwrap();
    let plain = LogisticRegression::new().fit(x.as_ref(), &y).unwrap();
    for (a, b) in weighted.coef().iter().zip(plain.coef()) {
        assert!((a - b).abs() < 1e-8, "{a} vs {b}");
    }
}

#[test]
fn saving_over_a_model_is_atomic_and_loading_checks_the_kind() {
    use linmod_models::linear::FittedLinear;
    use linmod_models::logistic::FittedLogistic;
    let (x, y) = binary();
    let fit = LogisticRegression::new().fit(x.as_ref(), &y).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.json");
    fit.save(&path).unwrap();
    assert_eq!(FittedLogistic::load(&path).unwrap(), fit);
    let e = FittedLinear::load(&path).unwrap_err();
    assert!(
        e.to_string()
            .ends_with("the file holds a logistic model, not a linear one"),
        "{e}"
    );
    // saving into a folder that does not exist names the path and leaves nothing behind
    let e = fit.save(dir.path().join("missing/model.json")).unwrap_err();
    assert!(e.to_string().contains("missing/model.json"), "{e}");
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 1);
}
