//! `linmod fit --model poisson|gamma|tweedie` end to end on the diabetes data: offset,
//! exposure and weight columns taken out of the features, the JSON statistics against the
//! library, predictions that apply the exposure, and errors that name the line and column.

use std::path::Path;
use std::process::{Command, Output};

use linmod::models::glm::{Glm, GlmData, GlmFamily};
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

fn fails(args: &[&str], dir: &Path) -> String {
    let out = linmod(args, dir);
    assert!(!out.status.success(), "linmod {args:?} should fail");
    String::from_utf8(out.stderr).unwrap()
}

fn diabetes_csv(dir: &Path) {
    let d = linmod::datasets::diabetes();
    linmod::datasets::write_csv(dir.join("diabetes.csv"), &d).unwrap();
}

fn column(name: &str) -> Vec<f64> {
    let d = linmod::datasets::diabetes();
    let j = d.feature_names.iter().position(|f| f == name).unwrap();
    d.x.col(j).iter().copied().collect()
}

#[test]
fn poisson_with_exposure_and_weights_reports_r_statistics() {
    let dir = tempfile::tempdir().unwrap();
    diabetes_csv(dir.path());
    let args = [
        "fit",
        "--data",
        "diabetes.csv",
        "--target",
        "target",
        "--model",
        "poisson",
        "--exposure",
        "age",
        "--weights",
        "sex",
        "--format",
        "json",
        "--save",
        "po.json",
    ];
    let v: Value = serde_json::from_str(&ok(&args, dir.path())).unwrap();
    let names: Vec<&str> = v["feature_names"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert!(!names.contains(&"age") && !names.contains(&"sex") && names.len() == 8);
    // the same fit through the library
    let d = linmod::datasets::diabetes();
    let keep: Vec<String> = names.iter().map(|s| (*s).to_string()).collect();
    let x = d.clone().select_features(&keep, "diabetes").unwrap().x;
    let (age, sex) = (column("age"), column("sex"));
    let fit = Glm::new(GlmFamily::Poisson)
        .fit(x.as_ref(), &GlmData::new(&d.y).exposure(&age).weights(&sex))
        .unwrap();
    let st = &v["statistics"];
    let s = fit.statistics();
    for (key, want) in [
        ("deviance", s.deviance),
        ("null_deviance", s.null_deviance),
        ("scale", 1.0),
        ("aic", s.aic.unwrap()),
        ("log_likelihood", s.log_likelihood.unwrap()),
    ] {
        let got = st[key].as_f64().unwrap();
        assert!(
            (got - want).abs() <= 1e-12 * want.abs(),
            "{key}: {got} vs {want}"
        );
    }
    assert!(v["std_err"].as_array().unwrap().len() == 9);
    // predictions apply the exposure column when the file has it
    let with = ok(
        &["predict", "--model", "po.json", "--data", "diabetes.csv"],
        dir.path(),
    );
    let first: f64 = with.lines().nth(1).unwrap().parse().unwrap();
    let mu = fit.predict(x.as_ref(), Some(&age), None).unwrap();
    assert!((first - mu[0]).abs() <= 1e-12 * mu[0]);
}

#[test]
fn tweedie_and_gamma_fits_report_what_their_family_defines() {
    let dir = tempfile::tempdir().unwrap();
    diabetes_csv(dir.path());
    let base = [
        "fit",
        "--data",
        "diabetes.csv",
        "--target",
        "target",
        "--format",
        "json",
    ];
    let tweedie = [&base[..], &["--model", "tweedie", "--power", "3"]].concat();
    let v: Value = serde_json::from_str(&ok(&tweedie, dir.path())).unwrap();
    assert!(v["statistics"]["aic"].is_null() && v["statistics"]["scale"].as_f64().unwrap() > 0.0);
    assert_eq!(v["power"].as_f64(), Some(3.0));
    let gamma = [&base[..], &["--model", "gamma", "--l1", "0.01"]].concat();
    let v: Value = serde_json::from_str(&ok(&gamma, dir.path())).unwrap();
    assert_eq!(v["solver"], "prox-newton");
    assert!(v["converged"].as_bool().unwrap());
    assert!(v["statistics"]["deviance"].as_f64().unwrap() > 0.0);
    let text = ok(
        &[
            "fit",
            "--data",
            "diabetes.csv",
            "--target",
            "target",
            "--model",
            "gamma",
            "--no-intercept",
        ],
        dir.path(),
    );
    assert!(
        text.contains("Generalized Linear Model Regression Results") && !text.contains("const"),
        "{text}"
    );
}

#[test]
fn glm_errors_name_the_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("claims.csv"),
        "x,exposure,y\n1.0,1.0,0\n2.0,0.5,1\n3.0,0.0,2\n4.0,2.0,3\n",
    )
    .unwrap();
    let base = ["fit", "--data", "claims.csv", "--target", "y"];
    let e = fails(
        &[&base[..], &["--model", "poisson", "--exposure", "exposure"]].concat(),
        dir.path(),
    );
    assert!(
        e.contains("line 4, column `exposure`") && e.contains("invalid exposure 0"),
        "{e}"
    );
    let e = fails(&[&base[..], &["--model", "gamma"]].concat(), dir.path());
    assert!(e.contains("line 2, column `y`") && e.contains("> 0"), "{e}");
    let e = fails(
        &[&base[..], &["--model", "poisson", "--power", "1.5"]].concat(),
        dir.path(),
    );
    assert!(e.contains("power applies to the tweedie family"), "{e}");
    let e = fails(
        &[&base[..], &["--model", "linear", "--offset", "x"]].concat(),
        dir.path(),
    );
    assert!(
        e.contains("apply to --model poisson, gamma and tweedie"),
        "{e}"
    );
    let e = fails(
        &[&base[..], &["--model", "poisson", "--offset", "expo"]].concat(),
        dir.path(),
    );
    assert!(e.contains("--offset") && e.contains("exposure"), "{e}");
}

#[test]
fn paths_of_every_family_cross_validate_and_draw() {
    let dir = tempfile::tempdir().unwrap();
    diabetes_csv(dir.path());
    let d = linmod::datasets::iris();
    linmod::datasets::write_csv(dir.path().join("iris.csv"), &d).unwrap();
    let c = linmod::datasets::breast_cancer();
    linmod::datasets::write_csv(dir.path().join("cancer.csv"), &c).unwrap();
    for (file, target, model, extra) in [
        (
            "diabetes.csv",
            "target",
            "poisson",
            vec!["--exposure", "age"],
        ),
        ("diabetes.csv", "target", "gamma", vec![]),
        ("diabetes.csv", "target", "tweedie", vec!["--power", "1.5"]),
        ("cancer.csv", c.target_name.as_str(), "logistic", vec![]),
        ("iris.csv", d.target_name.as_str(), "multinomial", vec![]),
    ] {
        let mut args = vec![
            "path",
            "--data",
            file,
            "--target",
            target,
            "--model",
            model,
            "--n-lambdas",
            "12",
            "--folds",
            "3",
            "--format",
            "json",
            "--plot",
            "path.svg",
            "--plot-deviance",
            "cv.svg",
        ];
        args.extend(extra);
        let v: Value = serde_json::from_str(&ok(&args, dir.path())).unwrap();
        let lambdas = v["lambdas"].as_array().unwrap();
        assert_eq!(lambdas.len(), 12, "{model}");
        let (min, se) = (
            v["lambda_min"].as_f64().unwrap(),
            v["lambda_1se"].as_f64().unwrap(),
        );
        assert!(se >= min, "{model}");
        assert_eq!(v["cv_deviance_mean"].as_array().unwrap().len(), 12);
        let svg = std::fs::read_to_string(dir.path().join("cv.svg")).unwrap();
        assert!(
            svg.contains("<svg") && svg.contains("held-out deviance"),
            "{model}"
        );
        std::fs::remove_file(dir.path().join("cv.svg")).unwrap();
    }
    let e = fails(
        &[
            "path",
            "--data",
            "diabetes.csv",
            "--target",
            "target",
            "--model",
            "linear",
            "--exposure",
            "age",
        ],
        dir.path(),
    );
    assert!(e.contains("models other than linear"), "{e}");
}
