//! Models saved as versioned JSON: exact round trips, and clear errors for damaged files.

use linalg_core::Mat;
use linmod_models::logistic::LogisticRegression;
use linmod_models::persist::{ModelFile, SavedModel};

fn chd_model() -> (SavedModel, Mat<f64>) {
    let chd = datasets::chd_age();
    let fit = LogisticRegression::new()
        .record_history(true)
        .fit(chd.x.as_ref(), &chd.y)
        .unwrap();
    (SavedModel::Logistic(fit), chd.x)
}

fn bits(v: &[f64]) -> Vec<u64> {
    v.iter().map(|x| x.to_bits()).collect()
}

#[test]
fn save_load_predict_is_bit_identical() {
    let (model, x) = chd_model();
    let dir = std::env::temp_dir().join(format!("linmod-persist-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("model.json");
    ModelFile::new(model.clone(), Some(vec!["age".into()]))
        .unwrap()
        .save(&path)
        .unwrap();
    let back = ModelFile::load(&path).unwrap();
    assert_eq!(back.feature_names, Some(vec!["age".to_string()]));
    let (SavedModel::Logistic(a), SavedModel::Logistic(b)) = (&model, &back.model) else {
        panic!("kind changed");
    };
    assert_eq!(
        bits(&a.predict_proba(x.as_ref()).unwrap()),
        bits(&b.predict_proba(x.as_ref()).unwrap())
    );
    assert_eq!(a, b);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn multinomial_round_trip() {
    let x = Mat::from_fn(9, 2, |i, j| {
        ((i * 3 + j * 7) % 5) as f64 + if j == 0 { (i / 3) as f64 * 3.0 } else { 0.0 }
    });
    let y: Vec<f64> = (0..9).map(|i| (i / 3) as f64).collect();
    let fit = LogisticRegression::new()
        .l2(0.1)
        .multinomial()
        .fit(x.as_ref(), &y)
        .unwrap();
    let json = ModelFile::new(SavedModel::Multinomial(fit.clone()), None)
        .unwrap()
        .to_json()
        .unwrap();
    let back = ModelFile::from_json(&json).unwrap();
    assert_eq!(back.model, SavedModel::Multinomial(fit));
}

fn load_err(json: &str) -> String {
    ModelFile::from_json(json).unwrap_err().to_string()
}

#[test]
fn damaged_files_give_clear_errors() {
    let (model, _) = chd_model();
    let json = ModelFile::new(model, None).unwrap().to_json().unwrap();
    // truncated
    let e = load_err(&json[..json.len() - 40]);
    assert!(e.contains("corrupt model file at line"), "{e}");
    // not JSON
    assert!(load_err("hello").contains("corrupt model file at line 1"));
    // another format or a newer version
    let e = load_err(&json.replace("\"linmod-model\"", "\"other\""));
    assert!(e.contains("format is `other`"), "{e}");
    let e = load_err(&json.replace("\"version\": 1", "\"version\": 7"));
    assert!(e.contains("version 7 is newer"), "{e}");
    let e = load_err(r#"{"version": 1}"#);
    assert!(e.contains("no `format` field"), "{e}");
    // edited values
    let e = load_err(&json.replace("\"kind\": \"logistic\"", "\"kind\": \"tree\""));
    assert!(e.contains("unknown variant `tree`"), "{e}");
    let edited = json.replacen("\"coef\": [", "\"coef\": [1e999, ", 1);
    let e = load_err(&edited);
    assert!(e.contains("corrupt"), "{e}");
    let e = load_err(&json.replace("\"fit_intercept\": true", "\"fit_intercept\": false"));
    assert!(e.contains("fit_intercept is false"), "{e}");
}

#[test]
fn inconsistent_multinomial_lengths_are_caught() {
    let x = Mat::from_fn(6, 1, |i, _| i as f64);
    let y = [0.0, 0.0, 1.0, 1.0, 2.0, 2.0];
    let fit = LogisticRegression::new()
        .l2(0.1)
        .multinomial()
        .fit(x.as_ref(), &y)
        .unwrap();
    let json = ModelFile::new(SavedModel::Multinomial(fit), None)
        .unwrap()
        .to_json()
        .unwrap();
    let e = load_err(&json.replace("\"n_features\": 1", "\"n_features\": 2"));
    assert!(e.contains("coef has 3 entries, expected 6"), "{e}");
}

#[test]
fn loading_a_missing_file_names_it() {
    let e = ModelFile::load(std::path::Path::new("/nonexistent/model.json")).unwrap_err();
    assert!(e.to_string().contains("/nonexistent/model.json"), "{e}");
}

#[test]
fn prediction_checks_the_feature_count() {
    let (model, _) = chd_model();
    let SavedModel::Logistic(m) = model else {
        unreachable!()
    };
    let e = m.predict(Mat::<f64>::zeros(3, 2).as_ref()).unwrap_err();
    assert!(
        e.to_string()
            .contains("fitted on 1 features but the data have 2"),
        "{e}"
    );
}

#[test]
fn linear_round_trip_predicts_identically() {
    let d = datasets::diabetes();
    for pen in [
        linmod_models::Penalty::none(),
        linmod_models::Penalty::l1(0.5).unwrap(),
    ] {
        let fit = linmod_models::linear::LinearRegression::new()
            .penalty(pen)
            .fit(d.x.as_ref(), &d.y)
            .unwrap();
        let json = ModelFile::new(
            SavedModel::Linear(fit.clone()),
            Some(d.feature_names.clone()),
        )
        .unwrap()
        .to_json()
        .unwrap();
        let back = ModelFile::from_json(&json).unwrap();
        let SavedModel::Linear(b) = &back.model else {
            panic!("kind changed")
        };
        assert_eq!(
            bits(&fit.predict(d.x.as_ref()).unwrap()),
            bits(&b.predict(d.x.as_ref()).unwrap())
        );
        assert_eq!(b, &fit);
    }
}
