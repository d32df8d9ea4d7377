//! The `linmod` binary end to end: the tour, fit -> save -> predict -> evaluate round trips on
//! CSV and `.npy`, JSON output, and one test per class of error (exit code and message).

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn linmod(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_linmod"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

fn ok(args: &[&str], dir: &Path) -> String {
    let out = linmod(args, dir);
    assert!(
        out.status.success(),
        "linmod {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs a failing command; returns (exit code, stderr).
fn fails(args: &[&str], dir: &Path) -> (i32, String) {
    let out = linmod(args, dir);
    assert!(!out.status.success(), "linmod {args:?} should fail");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

/// The 33-row coronary-heart-disease table as CSV.
fn chd_csv(dir: &Path) {
    let d = linmod::datasets::chd_age();
    linmod::datasets::write_csv(dir.join("chd.csv"), &d).unwrap();
}

#[test]
fn the_tour_prints_every_step_and_writes_readable_figures() {
    let dir = tempfile::tempdir().unwrap();
    let text = ok(&["tour", "--out", "figs"], dir.path());
    for step in [
        "1. The sigmoid",
        "2. Logistic regression by IRLS",
        "3. Gradient descent",
        "4. Digits",
        "5. Regularization",
        "6. Linear regression",
        "7. Coronary heart disease",
    ] {
        assert!(text.contains(step), "missing {step}");
    }
    assert!(text.contains("converged in 6 iterations"), "{text}");
    let figs: Vec<_> = std::fs::read_dir(dir.path().join("figs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(figs.len() >= 8, "{figs:?}");
    for f in figs {
        let svg = std::fs::read_to_string(&f).unwrap();
        assert!(svg.starts_with("<svg"), "{}", f.display());
        // axis labels and a legend are text elements
        assert!(
            svg.matches("<text").count() > 10,
            "{} has too little text",
            f.display()
        );
    }
    // no subcommand runs the tour too
    let default = ok(&[], dir.path());
    assert!(default.contains("1. The sigmoid"));
}

#[test]
fn fit_save_predict_evaluate_on_csv() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    chd_csv(d);
    let json = ok(
        &[
            "fit", "--data", "chd.csv", "--target", "y", "--model", "logistic", "--format", "json",
            "--save", "m.json", "--tol", "1e-10",
        ],
        d,
    );
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["converged"], Value::Bool(true));
    assert!((v["intercept"].as_f64().unwrap() + 6.708461).abs() < 1e-5);
    assert!((v["coef"][0].as_f64().unwrap() - 0.131502).abs() < 1e-6);
    // statsmodels' standard errors, intercept first
    assert!((v["std_err"][0].as_f64().unwrap() - 2.353992).abs() < 1e-5);
    assert!((v["std_err"][1].as_f64().unwrap() - 0.046339).abs() < 1e-6);
    for key in ["statistic", "p_value", "conf_low", "conf_high"] {
        assert_eq!(v[key].as_array().unwrap().len(), 2, "{key}");
    }
    assert!(v["fit_seconds"].as_f64().unwrap() >= 0.0);
    assert!(v["objective"].as_f64().is_some() && v["iterations"].as_u64().is_some());
    // predict reads the CSV with its target column and picks the model's features by name
    let pred = ok(
        &[
            "predict", "--model", "m.json", "--data", "chd.csv", "--proba",
        ],
        d,
    );
    let lines: Vec<&str> = pred.lines().collect();
    assert_eq!(lines[0], "p1");
    assert_eq!(lines.len(), 34);
    let p0: f64 = lines[1].parse().unwrap();
    assert!(p0 > 0.0 && p0 < 0.1);
    let labels = ok(
        &[
            "predict",
            "--model",
            "m.json",
            "--data",
            "chd.csv",
            "--threshold",
            "0.75",
        ],
        d,
    );
    assert!(labels.lines().skip(1).all(|l| l == "0" || l == "1"));
    let eval = ok(
        &[
            "evaluate", "--model", "m.json", "--data", "chd.csv", "--target", "y", "--format",
            "json",
        ],
        d,
    );
    let e: Value = serde_json::from_str(&eval).unwrap();
    assert!(e["accuracy"].as_f64().unwrap() > 0.7);
    assert!(e["roc_auc"].as_f64().unwrap() > 0.8);
    assert_eq!(e["n_samples"], Value::from(33));
    let text = ok(
        &[
            "evaluate", "--model", "m.json", "--data", "chd.csv", "--target", "y",
        ],
        d,
    );
    assert!(text.contains("confusion matrix"), "{text}");
}

#[test]
fn simulate_then_fit_on_npy_and_linear_models() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(
        &[
            "simulate",
            "linear",
            "--n",
            "500",
            "--beta",
            "2,-1,0.5",
            "--intercept",
            "3",
            "--noise",
            "0.1",
            "--seed",
            "7",
            "--out",
            "x.npy",
        ],
        d,
    );
    assert!(d.join("x_y.npy").exists());
    let json = ok(
        &[
            "fit",
            "--data",
            "x.npy",
            "--target-file",
            "x_y.npy",
            "--model",
            "linear",
            "--format",
            "json",
            "--save",
            "lin.json",
        ],
        d,
    );
    let v: Value = serde_json::from_str(&json).unwrap();
    let coef: Vec<f64> = v["coef"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_f64().unwrap())
        .collect();
    assert!(
        (coef[0] - 2.0).abs() < 0.05
            && (coef[1] + 1.0).abs() < 0.05
            && (coef[2] - 0.5).abs() < 0.05,
        "{coef:?}"
    );
    assert!((v["intercept"].as_f64().unwrap() - 3.0).abs() < 0.05);
    assert!(v["statistics"]["r2"].as_f64().unwrap() > 0.99);
    let pred = ok(&["predict", "--model", "lin.json", "--data", "x.npy"], d);
    assert_eq!(pred.lines().count(), 501);
    let eval = ok(
        &[
            "evaluate",
            "--model",
            "lin.json",
            "--data",
            "x.npy",
            "--target-file",
            "x_y.npy",
            "--format",
            "json",
        ],
        d,
    );
    let e: Value = serde_json::from_str(&eval).unwrap();
    assert!(e["r2"].as_f64().unwrap() > 0.99 && e["rmse"].as_f64().unwrap() < 0.2);
    // the lasso path with cross-validation and a figure
    let path = ok(
        &[
            "path",
            "--data",
            "x.npy",
            "--target-file",
            "x_y.npy",
            "--n-lambdas",
            "20",
            "--folds",
            "3",
            "--plot",
            "path.svg",
            "--format",
            "json",
        ],
        d,
    );
    let p: Value = serde_json::from_str(&path).unwrap();
    assert_eq!(p["lambdas"].as_array().unwrap().len(), 20);
    assert!(p["lambda_min"].as_f64().is_some());
    assert!(d.join("path.svg").exists());
    // multinomial through CSV, one-vs-rest
    ok(
        &[
            "simulate",
            "multinomial",
            "--n",
            "300",
            "--p",
            "3",
            "--classes",
            "3",
            "--out",
            "m.csv",
        ],
        d,
    );
    let json = ok(
        &[
            "fit",
            "--data",
            "m.csv",
            "--target",
            "y",
            "--model",
            "multinomial",
            "--l2",
            "0.01",
            "--strategy",
            "ovr",
            "--format",
            "json",
        ],
        d,
    );
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["coef"].as_array().unwrap().len(), 3);
    assert_eq!(v["n_classes"], Value::from(3));
}

#[test]
fn usage_errors_exit_with_2() {
    let dir = tempfile::tempdir().unwrap();
    let (code, err) = fails(
        &["fit", "--data", "x.csv", "--model", "logistic", "--bogus"],
        dir.path(),
    );
    assert_eq!(code, 2);
    assert!(err.contains("--bogus"), "{err}");
    let (code, err) = fails(
        &[
            "fit", "--data", "x.csv", "--target", "y", "--model", "logistic", "--c", "1",
        ],
        dir.path(),
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--penalty"), "{err}");
    let (code, _) = fails(&["fit", "--data", "x.csv", "--model", "tree"], dir.path());
    assert_eq!(code, 2);
}

#[test]
fn a_missing_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let (code, err) = fails(
        &[
            "fit", "--data", "nope.csv", "--target", "y", "--model", "logistic",
        ],
        dir.path(),
    );
    assert_eq!(code, 1);
    assert!(err.contains("nope.csv"), "{err}");
    assert!(
        !err.contains("panicked") && !err.contains("backtrace"),
        "{err}"
    );
}

#[test]
fn a_bad_cell_names_its_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.csv", "a,b,y\n1,2,0\n3,oops,1\n");
    let (code, err) = fails(
        &[
            "fit", "--data", "bad.csv", "--target", "y", "--model", "logistic",
        ],
        dir.path(),
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("line 3") && err.contains("column 2") && err.contains("oops"),
        "{err}"
    );
}

#[test]
fn a_missing_target_column_lists_the_columns() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "d.csv", "a,b\n1,2\n3,4\n");
    let (code, err) = fails(
        &[
            "fit", "--data", "d.csv", "--target", "label", "--model", "linear",
        ],
        dir.path(),
    );
    assert_eq!(code, 1);
    assert!(err.contains("label"), "{err}");
}

#[test]
fn invalid_labels_are_named() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "d.csv", "a,y\n1,0\n2,1\n3,2\n4,1\n");
    let (code, err) = fails(
        &[
            "fit", "--data", "d.csv", "--target", "y", "--model", "logistic",
        ],
        dir.path(),
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("d.csv, line 4, column `y`: invalid label 2"),
        "{err}"
    );
}

#[test]
fn separation_is_reported_with_advice() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "d.csv", "a,y\n1,0\n2,0\n3,0\n4,1\n5,1\n6,1\n");
    let (code, err) = fails(
        &[
            "fit", "--data", "d.csv", "--target", "y", "--model", "logistic",
        ],
        dir.path(),
    );
    assert_eq!(code, 1);
    assert!(err.contains("separation") && err.contains("L2"), "{err}");
    ok(
        &[
            "fit", "--data", "d.csv", "--target", "y", "--model", "logistic", "--l2", "0.01",
        ],
        dir.path(),
    );
}

#[test]
fn predicting_with_the_wrong_number_of_features_fails() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    chd_csv(d);
    ok(
        &[
            "fit", "--data", "chd.csv", "--target", "y", "--model", "logistic", "--save", "m.json",
        ],
        d,
    );
    // by name: the columns of a CSV file are found by the model's feature names
    write(d, "two.csv", "u,v\n1,2\n");
    let (code, err) = fails(&["predict", "--model", "m.json", "--data", "two.csv"], d);
    assert_eq!(code, 1);
    assert!(err.contains("two.csv: no column named `age`"), "{err}");
    // by position: a `.npy` file must have exactly the model's columns
    ok(
        &[
            "simulate", "linear", "--n", "3", "--beta", "1,2", "--out", "two.npy",
        ],
        d,
    );
    let (code, err) = fails(&["predict", "--model", "m.json", "--data", "two.npy"], d);
    assert_eq!(code, 1);
    assert!(
        err.contains("the model has 1 features but the file has 2 columns"),
        "{err}"
    );
}

#[test]
fn a_corrupt_model_file_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    chd_csv(d);
    ok(
        &[
            "fit", "--data", "chd.csv", "--target", "y", "--model", "logistic", "--save", "m.json",
        ],
        d,
    );
    let text = std::fs::read_to_string(d.join("m.json")).unwrap();
    write(d, "cut.json", &text[..text.len() / 2]);
    let (code, err) = fails(&["predict", "--model", "cut.json", "--data", "chd.csv"], d);
    assert_eq!(code, 1);
    assert!(
        err.contains("cut.json") && err.contains("corrupt model file at line"),
        "{err}"
    );
}

#[test]
fn invalid_hyper_parameters_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    chd_csv(d);
    let (code, err) = fails(
        &[
            "fit", "--data", "chd.csv", "--target", "y", "--model", "logistic", "--l2", "-1",
        ],
        d,
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("'--l2 <X>'") && err.contains("must be finite, >= 0"),
        "{err}"
    );
    let (_, err) = fails(
        &[
            "fit", "--data", "chd.csv", "--target", "y", "--model", "logistic", "--solver",
            "simplex",
        ],
        d,
    );
    assert!(err.contains("unknown solver `simplex`"), "{err}");
}

#[test]
fn fit_save_predict_on_svmlight() {
    let dir = tempfile::tempdir().unwrap();
    // two overlapping classes in LIBSVM's -1/+1 convention, feature 3 never used
    let mut text = String::new();
    for i in 0..60 {
        let label = if i % 3 == 0 { "-1" } else { "+1" };
        let a = (i % 7) as f64 / 7.0;
        let b = ((i * 5) % 11) as f64 / 11.0;
        text.push_str(&format!(
            "{label} 1:{a} 2:{b} 4:{}\n",
            if i % 2 == 0 { 1 } else { 0 }
        ));
    }
    write(dir.path(), "train.svm", &text);
    let json = ok(
        &[
            "fit",
            "--data",
            "train.svm",
            "--model",
            "logistic",
            "--l2",
            "0.01",
            "--format",
            "json",
            "--save",
            "m.json",
        ],
        dir.path(),
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["n_features"], 4);
    assert_eq!(v["n_samples"], 60);
    assert_eq!(v["converged"], true);
    assert_eq!(v["coef"].as_array().unwrap()[2], 0.0);
    // a test file with fewer features predicts with the model's width
    write(dir.path(), "test.svm", "1 1:0.5\n-1 2:0.25\n");
    let out = ok(
        &[
            "predict", "--model", "m.json", "--data", "test.svm", "--proba",
        ],
        dir.path(),
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "p1");
    assert_eq!(lines.len(), 3);
    assert!(
        lines[1..]
            .iter()
            .all(|l| l.parse::<f64>().is_ok_and(|p| (0.0..=1.0).contains(&p)))
    );
    // lasso on the same file goes through coordinate descent on columns
    let json = ok(
        &[
            "fit",
            "--data",
            "train.svm",
            "--model",
            "linear",
            "--l1",
            "0.01",
            "--format",
            "json",
        ],
        dir.path(),
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["solver"], "cd");
    assert_eq!(v["converged"], true);
}
