//! Training the network: the digits exercise (accuracy, loss per epoch), reproducibility,
//! divergence, bad input and persistence.

#![allow(clippy::float_cmp)] // identical bits after a re-fit or a save/load round trip are the point

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use datasets::{StandardScaler, TrainTestSplit};
use linalg_core::{Mat, mat};
use linmod_models::ModelError;
use linmod_models::mlp::{Activation, FittedMlp, Init, Mlp};
use linmod_models::persist::{ModelFile, SavedModel};
use optim::{Divergence, Termination};

/// Digits, split 80/20 with stratification, standardized with the training statistics.
struct Digits {
    x_train: Mat<f64>,
    y_train: Vec<f64>,
    x_test: Mat<f64>,
    y_test: Vec<f64>,
}

fn digits() -> &'static Digits {
    static DIGITS: OnceLock<Digits> = OnceLock::new();
    DIGITS.get_or_init(|| {
        let (train, test) = TrainTestSplit::new(0.2)
            .seed(0)
            .stratify(true)
            .split(&datasets::digits())
            .unwrap();
        let (scaler, x_train) = StandardScaler::fit_transform(train.x.as_ref()).unwrap();
        let x_test = scaler.transform(test.x.as_ref()).unwrap();
        Digits {
            x_train,
            y_train: train.y,
            x_test,
            y_test: test.y,
        }
    })
}

/// The exercise's network (64 -> 32 ReLU -> 10, SGD 0.01, batches of 32, 100 epochs: the
/// defaults), trained once for the tests that inspect it.
fn exercise_fit() -> &'static (FittedMlp, Duration) {
    static FIT: OnceLock<(FittedMlp, Duration)> = OnceLock::new();
    FIT.get_or_init(|| {
        let d = digits();
        let start = Instant::now();
        let fit = Mlp::new().fit(d.x_train.as_ref(), &d.y_train).unwrap();
        (fit, start.elapsed())
    })
}

#[test]
fn digits_test_accuracy_with_the_exercise_settings() {
    let (fit, elapsed) = exercise_fit();
    let d = digits();
    assert_eq!(
        (fit.n_features(), fit.hidden(), fit.n_classes()),
        (64, 32, 10)
    );
    assert_eq!(fit.report().iterations, 100);
    assert_eq!(fit.report().termination, Termination::MaxIterations);
    assert!(!fit.converged());
    let train = fit.score(d.x_train.as_ref(), &d.y_train).unwrap();
    let test = fit.score(d.x_test.as_ref(), &d.y_test).unwrap();
    eprintln!(
        "digits network: train accuracy {train:.4}, test accuracy {test:.4}, {:.2} s",
        elapsed.as_secs_f64()
    );
    assert!(test >= 0.96, "test accuracy {test}");
    assert!(train >= test, "train {train} < test {test}");
    // the training loss the report ends with is the one the model has
    let loss = fit.log_loss(d.x_train.as_ref(), &d.y_train).unwrap();
    assert!((loss - fit.report().value).abs() < 1e-12, "{loss}");
}

#[test]
fn training_loss_decreases_over_epochs() {
    let (fit, _) = exercise_fit();
    let losses = fit.loss_history();
    assert_eq!(losses.len(), 101);
    assert_eq!(fit.report().history[0].iteration, 0);
    assert!(
        (losses[0] - 10f64.ln()).abs() < 1.0,
        "initial loss {}",
        losses[0]
    );
    assert!(losses[100] < losses[1], "{} vs {}", losses[100], losses[1]);
    assert!(losses[100] < 0.1 * losses[0], "{losses:?}");
    let increases = losses.windows(2).filter(|w| w[1] > w[0]).count();
    assert!(increases <= 5, "{increases} increases: {losses:?}");
}

#[test]
fn the_same_seed_gives_the_same_weight_bits() {
    let d = digits();
    let config = Mlp::new().epochs(3).momentum(0.5).seed(42);
    let a = config.fit(d.x_train.as_ref(), &d.y_train).unwrap();
    let b = config.fit(d.x_train.as_ref(), &d.y_train).unwrap();
    let bits = |f: &FittedMlp| {
        f.parameters()
            .iter()
            .map(|v| v.to_bits())
            .collect::<Vec<_>>()
    };
    assert_eq!(bits(&a), bits(&b));
    assert_eq!(a.loss_history(), b.loss_history());
    let c = config
        .clone()
        .seed(43)
        .fit(d.x_train.as_ref(), &d.y_train)
        .unwrap();
    assert_ne!(bits(&a), bits(&c));
}

#[test]
fn tanh_with_glorot_and_l2_also_learns_the_digits() {
    let d = digits();
    let fit = Mlp::new()
        .activation(Activation::Tanh)
        .l2(1e-4)
        .momentum(0.9)
        .epochs(20)
        .fit(d.x_train.as_ref(), &d.y_train)
        .unwrap();
    assert_eq!(
        Mlp::new().activation(Activation::Tanh).effective_init(),
        Init::Glorot
    );
    let test = fit.score(d.x_test.as_ref(), &d.y_test).unwrap();
    assert!(test >= 0.93, "test accuracy {test}");
    // the objective includes the penalty: it exceeds the plain cross-entropy
    let ce = fit.log_loss(d.x_train.as_ref(), &d.y_train).unwrap();
    assert!(fit.report().value > ce);
}

#[test]
fn a_huge_learning_rate_is_reported_as_divergence() {
    let d = digits();
    let fit = Mlp::new()
        .learning_rate(1e4)
        .epochs(20)
        .fit(d.x_train.as_ref(), &d.y_train)
        .unwrap();
    let report = fit.report();
    assert!(
        matches!(
            report.termination,
            Termination::Diverged {
                cause: Divergence::NonFinite,
                ..
            }
        ),
        "{}",
        report.summary()
    );
    assert!(
        report.summary().contains("diverged"),
        "{}",
        report.summary()
    );
    assert!(!fit.converged());
    assert!(fit.parameters().iter().all(|v| v.is_finite()));
    assert!(report.value.is_finite());
    assert!(fit.loss_history().iter().all(|v| v.is_finite()));
    // the last finite iterate still predicts
    assert_eq!(
        fit.predict(d.x_test.as_ref()).unwrap().len(),
        d.y_test.len()
    );
}

#[test]
fn bad_input_is_a_typed_error() {
    let x = mat![[0.0, 1.0], [1.0, 0.0], [2.0, 2.0]];
    let fit = |x: &Mat<f64>, y: &[f64]| Mlp::new().epochs(1).fit(x.as_ref(), y);
    assert!(matches!(
        fit(&x, &[0.0, 1.5, 1.0]),
        Err(ModelError::InvalidLabel { row: 1, .. })
    ));
    assert!(matches!(
        fit(&x, &[0.0, -1.0, 1.0]),
        Err(ModelError::InvalidLabel { row: 1, .. })
    ));
    assert!(matches!(
        fit(&x, &[0.0, 2.0, 2.0]),
        Err(ModelError::MissingClass { class: 1, .. })
    ));
    assert!(matches!(
        fit(&x, &[1.0, 1.0, 1.0]),
        Err(ModelError::MissingClass { class: 0, .. })
    ));
    assert!(matches!(
        fit(&x, &[0.0, 0.0, 0.0]),
        Err(ModelError::SingleClass { .. })
    ));
    assert!(matches!(
        fit(&x, &[0.0, f64::NAN, 1.0]),
        Err(ModelError::NonFinite { index: 1, .. })
    ));
    assert!(matches!(
        fit(&x, &[0.0, 1.0]),
        Err(ModelError::LengthMismatch { .. })
    ));
    let mut nan = x.clone();
    nan[(2, 1)] = f64::NAN;
    assert!(matches!(
        fit(&nan, &[0.0, 1.0, 1.0]),
        Err(ModelError::NonFiniteFeature { row: 2, col: 1, .. })
    ));
    assert!(matches!(
        fit(&Mat::zeros(0, 2), &[]),
        Err(ModelError::Empty { .. })
    ));
    let y = [0.0, 1.0, 1.0];
    for bad in [
        Mlp::new().hidden(0),
        Mlp::new().l2(-1.0),
        Mlp::new().l2(f64::NAN),
        Mlp::new().learning_rate(0.0),
        Mlp::new().batch_size(0),
        Mlp::new().momentum(1.0),
    ] {
        let err = bad.fit(x.as_ref(), &y).unwrap_err();
        assert!(
            matches!(
                err,
                ModelError::InvalidParameter { .. } | ModelError::Optim(_)
            ),
            "{err}"
        );
    }
    // features so large that the loss overflows: an error at the start, or a divergence
    // later, never non-finite weights
    for scale in [1e300, f64::MAX] {
        let huge = mat![[scale, scale], [-scale, scale], [scale, -scale]];
        match fit(&huge, &y) {
            Err(ModelError::Optim(e)) => assert!(e.to_string().contains("not finite"), "{e}"),
            Ok(m) => {
                assert!(m.parameters().iter().all(|v| v.is_finite()));
                assert!(
                    matches!(m.report().termination, Termination::Diverged { .. }),
                    "{}",
                    m.report().summary()
                );
            }
            Err(other) => panic!("{other}"),
        }
    }

    let model = fit(&x, &y).unwrap();
    assert!(matches!(
        model.predict(mat![[1.0, 2.0, 3.0]].as_ref()),
        Err(ModelError::FeatureMismatch {
            expected: 2,
            found: 3
        })
    ));
    assert!(matches!(
        model.predict_proba(mat![[f64::INFINITY, 0.0]].as_ref()),
        Err(ModelError::NonFiniteFeature { .. })
    ));
    assert!(matches!(
        model.log_loss(x.as_ref(), &[0.0, 1.0, 2.0]),
        Err(ModelError::InvalidLabel { row: 2, .. })
    ));
    assert!(matches!(
        model.score(x.as_ref(), &[0.0, 1.0]),
        Err(ModelError::LengthMismatch { .. })
    ));
}

#[test]
fn a_saved_network_predicts_identically() {
    let (fit, _) = exercise_fit();
    let d = digits();
    let file = ModelFile::new(SavedModel::Mlp(fit.clone()), None).unwrap();
    let json = file.to_json().unwrap();
    assert!(json.contains("\"kind\": \"mlp\""));
    let back = ModelFile::from_json(&json).unwrap();
    assert_eq!(back, file);
    let SavedModel::Mlp(loaded) = &back.model else {
        panic!("loaded {:?}", back.model);
    };
    let (a, b) = (
        fit.predict_proba(d.x_test.as_ref()).unwrap(),
        loaded.predict_proba(d.x_test.as_ref()).unwrap(),
    );
    assert_eq!(a, b);
    assert_eq!(
        fit.predict(d.x_test.as_ref()).unwrap(),
        loaded.predict(d.x_test.as_ref()).unwrap()
    );

    // corrupt files are refused with a message naming the problem
    let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let params = value["model"]["parameters"].as_array_mut().unwrap();
    params.pop();
    let err = ModelFile::from_json(&value.to_string()).unwrap_err();
    assert!(
        matches!(&err, ModelError::Persistence(m) if m.contains("parameters")),
        "{err}"
    );
    let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
    value["model"]["architecture"]["hidden"] = 0.into();
    let err = ModelFile::from_json(&value.to_string()).unwrap_err();
    assert!(
        matches!(&err, ModelError::Persistence(m) if m.contains("hidden")),
        "{err}"
    );
}
