//! Exactness through the binary: an ill-conditioned polynomial design to the digits of its
//! exact solution with the certificate in the JSON, the typed refusal of an ill-conditioned explicit Cholesky solve,
//! aliased columns by name, targets of magnitude 1e250 without an infinity anywhere in the
//! output, the MNLogit summary of an unpenalized softmax fit, and divergence reported as
//! divergence. Every successful command's output is checked for NaN, infinities and nulls.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use linmod::linalg::pow_compensated;
use serde_json::Value;

fn linmod(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_linmod"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

/// Runs a command that must succeed and whose output holds no NaN, infinity or null.
fn ok(args: &[&str], dir: &Path) -> String {
    let out = linmod(args, dir);
    assert!(
        out.status.success(),
        "linmod {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    // how Rust prints non-finite numbers, as whole words
    let bad = text
        .split(|c: char| !(c.is_alphanumeric() || c == '.' || c == '-' || c == '_'))
        .find(|w| matches!(w.trim_start_matches('-'), "NaN" | "inf"));
    assert!(bad.is_none(), "{bad:?} in the output of {args:?}:\n{text}");
    text
}

/// JSON writes NaN and infinities as null: no value may be null.
fn no_null(v: &Value, path: &str) {
    match v {
        Value::Null => panic!("null at {path}"),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| no_null(x, &format!("{path}[{i}]"))),
        Value::Object(o) => o
            .iter()
            .for_each(|(k, x)| no_null(x, &format!("{path}.{k}"))),
        _ => {}
    }
}

fn json(args: &[&str], dir: &Path) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json", "--quiet"]);
    let v: Value = serde_json::from_str(&ok(&all, dir)).unwrap();
    no_null(&v, "$");
    v
}

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

/// Correct significant digits of `estimate` against `truth`, capped at 15.
fn digits(estimate: f64, truth: f64) -> f64 {
    let err = ((estimate - truth) / truth).abs();
    if err == 0.0 {
        15.0
    } else {
        (-err.log10()).min(15.0)
    }
}

// ---- python3 crates/models/tests/reference/exactness.py (mpmath 1.3.0, 60 digits) ----------
// of the exact least-squares solution of the Filip-shaped design, generated there and below by
// the same f64 formulas: the intercept and the x^10 coefficient, and their standard errors
const FILIP_ENDS: [f64; 2] = [1.8721286987270758, -7.10944561376394e-08];
const FILIP_ENDS_SE: [f64; 2] = [26.891866125857174, 8.290497206799514e-07];
// ----------------------------------------------------------------------------------------------

/// Filip's shape (a degree-10 polynomial in x on [-8.8, -3.13], condition number 4e9
/// after centering and scaling) as CSV, `y, x1 .. x10` with `xk = x^k` written to round-trip.
fn filip_shaped(dir: &Path) {
    let mut csv = String::from("y,x1,x2,x3,x4,x5,x6,x7,x8,x9,x10\n");
    for i in 0..82 {
        let x = -8.8 + 0.07 * i as f64;
        let y = 0.85 + 0.005 * x - 0.0004 * x * x + (((i * 37) % 11) as f64 - 5.0) * 1e-4;
        let row: Vec<String> = (1..=10)
            .map(|k| format!("{:?}", pow_compensated(x, k)))
            .collect();
        csv.push_str(&format!("{y:?},{}\n", row.join(",")));
    }
    std::fs::write(dir.join("filip.csv"), csv).unwrap();
}

#[test]
fn an_ill_conditioned_polynomial_reaches_its_exact_digits_with_a_certificate() {
    let dir = tempfile::tempdir().unwrap();
    filip_shaped(dir.path());
    let fit = json(
        &[
            "fit",
            "--data",
            "filip.csv",
            "--target",
            "y",
            "--model",
            "linear",
        ],
        dir.path(),
    );
    assert_eq!(fit["solver"], "qr");
    assert_eq!(fit["converged"], true);
    assert_eq!(fit["rank"], 10);
    assert_eq!(fit["aliased"].as_array().unwrap().len(), 0);
    let eta = fit["certificate"].as_f64().unwrap();
    assert!(eta <= fit["certificate_bound"].as_f64().unwrap(), "{eta}");
    let coef = numbers(&fit["coef"]);
    assert_eq!(coef.len(), 10);
    let estimate = [fit["intercept"].as_f64().unwrap(), coef[9]];
    let worst = estimate
        .iter()
        .zip(&FILIP_ENDS)
        .map(|(e, t)| digits(*e, *t))
        .fold(f64::INFINITY, f64::min);
    // QR on the scaled columns with refinement reaches the rounding of the result
    assert!(worst >= 12.0, "{worst} digits: {estimate:?}");
    let all_se = numbers(&fit["std_err"]);
    assert_eq!(all_se.len(), 11);
    let se = [all_se[0], all_se[10]];
    let worst_se = se
        .iter()
        .zip(&FILIP_ENDS_SE)
        .map(|(e, t)| digits(*e, *t))
        .fold(f64::INFINITY, f64::min);
    assert!(worst_se >= 6.0, "{worst_se} digits: {se:?}");
    // the normal equations square the condition number beyond 1 / eps
    let out = linmod(
        &[
            "fit",
            "--data",
            "filip.csv",
            "--target",
            "y",
            "--model",
            "linear",
            "--solver",
            "cholesky",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("ill-conditioned") && err.contains("qr solver"),
        "{err}"
    );
}

#[test]
fn aliased_columns_are_named_in_the_json() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("age,income,twice_age,y\n");
    for i in 0..30 {
        let age = 20.0 + (i * 7 % 50) as f64;
        let income = 1000.0 * ((i * 13 % 17) as f64 + 1.0);
        let y = 0.5 * age - 0.001 * income + ((i * 37 % 11) as f64 - 5.0) / 10.0;
        csv.push_str(&format!("{age},{income},{},{y}\n", 2.0 * age));
    }
    std::fs::write(dir.path().join("d.csv"), csv).unwrap();
    let fit = json(
        &[
            "fit", "--data", "d.csv", "--target", "y", "--model", "linear",
        ],
        dir.path(),
    );
    assert_eq!(fit["rank"], 2);
    let aliased: Vec<&str> = fit["aliased"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(aliased.len(), 1);
    assert!(
        aliased[0] == "age" || aliased[0] == "twice_age",
        "{aliased:?}"
    );
    // the minimum-norm coefficients of the scaled problem reproduce the slope 0.5 on age
    let c = numbers(&fit["coef"]);
    assert!((c[0] + 2.0 * c[2] - 0.5).abs() < 0.05, "{c:?}");
    assert!(
        fit["inference_unavailable"]
            .as_str()
            .unwrap()
            .contains("rank deficient")
    );
}

#[test]
fn targets_of_magnitude_1e250_give_exact_fits_and_no_infinity() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("a,b,y\n");
    let mut small = String::from("a,b,y\n");
    for i in 0..40 {
        let a = ((i * 7) % 17) as f64 - 8.0;
        let b = ((i * 7 + 13) % 17) as f64 - 8.0;
        let y = 3.0 * a - 2.0 * b + 1.0 + ((i * 37 % 11) as f64 - 5.0) / 10.0;
        csv.push_str(&format!("{a},{b},{:?}\n", y * 1e250));
        small.push_str(&format!("{a},{b},{y:?}\n"));
    }
    std::fs::write(dir.path().join("huge.csv"), csv).unwrap();
    std::fs::write(dir.path().join("small.csv"), small).unwrap();
    let fit = |data: &str, extra: &[&str]| {
        let mut args = vec!["fit", "--data", data, "--target", "y", "--model", "linear"];
        args.extend(extra);
        json(&args, dir.path())
    };
    let (huge, reference) = (fit("huge.csv", &[]), fit("small.csv", &[]));
    assert_eq!(huge["converged"], true);
    assert!(huge.get("objective").is_none() && huge["objective_note"].is_string());
    for (a, b) in numbers(&huge["coef"])
        .iter()
        .zip(numbers(&reference["coef"]))
    {
        assert!(digits(a / 1e250, b) >= 13.0, "{a} vs {b}");
    }
    // the covariance (sigma^2 ~ 1e500) is beyond f64: inference is refused by name
    assert!(
        huge["inference_unavailable"]
            .as_str()
            .unwrap()
            .contains("covariance")
    );
    let lasso = fit("huge.csv", &["--l1", "1e249", "--save", "lasso.json"]);
    let lasso_ref = fit("small.csv", &["--l1", "0.1"]);
    assert_eq!(lasso["converged"], true);
    assert!(lasso["duality_gap"].as_f64().unwrap() >= 0.0);
    for (a, b) in numbers(&lasso["coef"])
        .iter()
        .zip(numbers(&lasso_ref["coef"]))
    {
        assert!(digits(a / 1e250, b) >= 6.0, "{a} vs {b}");
    }
    let eval = json(
        &[
            "evaluate",
            "--model",
            "lasso.json",
            "--data",
            "huge.csv",
            "--target",
            "y",
        ],
        dir.path(),
    );
    assert!(eval["r2"].as_f64().unwrap() > 0.99);
    assert!(eval["rmse"].as_f64().unwrap() > 1e248);
    assert!(
        eval["unavailable"]["mse"]
            .as_str()
            .unwrap()
            .contains("mean squared error")
    );
    let text = ok(
        &[
            "evaluate",
            "--model",
            "lasso.json",
            "--data",
            "huge.csv",
            "--target",
            "y",
        ],
        dir.path(),
    );
    assert!(text.contains("mse unavailable"), "{text}");
}

#[test]
fn an_unpenalized_softmax_fit_prints_the_mnlogit_table() {
    let dir = tempfile::tempdir().unwrap();
    let data =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../models/tests/data/multinomial_ages.csv");
    std::fs::copy(data, dir.path().join("ages.csv")).unwrap();
    let fit = json(
        &[
            "fit",
            "--data",
            "ages.csv",
            "--target",
            "y",
            "--model",
            "multinomial",
        ],
        dir.path(),
    );
    assert_eq!(fit["converged"], true);
    assert!(fit["iterations"].as_u64().unwrap() <= 15);
    let names: Vec<&str> = fit["names"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        names[..5],
        ["y=1:const", "y=1:age", "y=1:z", "y=1:flag", "y=2:const"]
    );
    // statsmodels 0.15.0 MNLogit (crates/models/tests/reference/multinomial_ages.py): the
    // standard errors of the log-odds of class 1 against class 0
    let se = numbers(&fit["std_err"]);
    let reference = [
        0.38470658975275884,
        0.006515460799294882,
        0.1359348762678569,
        0.24646599618113935,
    ];
    for (a, b) in se.iter().zip(reference) {
        assert!(digits(*a, b) >= 6.0, "{a} vs {b}");
    }
    let text = ok(
        &[
            "fit",
            "--data",
            "ages.csv",
            "--target",
            "y",
            "--model",
            "multinomial",
            "--quiet",
        ],
        dir.path(),
    );
    assert!(
        text.contains("MNLogit Regression Results") && text.contains("y=2"),
        "{text}"
    );
}

#[test]
fn a_learning_rate_too_large_for_unscaled_features_is_divergence_not_separation() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("dose,y\n");
    for i in 0..200 {
        // doses up to 1e6; the labels overlap (a dose effect of 1 per million)
        let dose = ((i * 37 % 101) as f64 - 50.0) * 2e4;
        let y = u8::from((i * 7 + i / 3) % 5 < 2 + usize::from(dose > 0.0));
        csv.push_str(&format!("{dose},{y}\n"));
    }
    std::fs::write(dir.path().join("dose.csv"), csv).unwrap();
    for solver in ["gd", "sgd"] {
        let fit = json(
            &[
                "fit", "--data", "dose.csv", "--target", "y", "--model", "logistic", "--solver",
                solver,
            ],
            dir.path(),
        );
        assert_eq!(fit["converged"], false);
        let t = fit["termination"].as_str().unwrap();
        assert!(
            t.starts_with("diverged") && t.contains("rescale") && t.contains("learning rate"),
            "{t}"
        );
    }
    // Newton on the same data converges: the estimate exists
    let newton = json(
        &[
            "fit", "--data", "dose.csv", "--target", "y", "--model", "logistic",
        ],
        dir.path(),
    );
    assert_eq!(newton["converged"], true);
}
