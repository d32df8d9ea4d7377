//! Tables through the command line: formulas, column selections, missing values, and the
//! saved design applied by `predict` and `evaluate` to raw rows. The penguins numbers are
//! statsmodels' (`crates/models/tests/reference/formula_penguins.py`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn linmod(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_linmod"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

/// Runs a command; returns (success, stdout, stderr).
fn run(args: &[&str], dir: &Path) -> (bool, String, String) {
    let out = linmod(args, dir);
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (out.status.success(), text(out.stdout), text(out.stderr))
}

fn penguins_csv() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../datasets/data/penguins.csv")
}

/// A table as a new user has one: an id, names with quoted commas, a text column, gaps.
const PASSENGERS: &str = "\
PassengerId,Name,Sex,Age,Fare,Survived
1,\"Braund, Mr. Owen Harris\",male,22,7.25,0
2,\"Cumings, Mrs. John Bradley\",female,38,71.2833,1
3,\"Heikkinen, Miss. Laina\",female,26,7.925,1
4,\"Futrelle, Mrs. Jacques Heath\",female,35,53.1,1
5,\"Allen, Mr. William Henry\",male,35,8.05,0
6,\"Moran, Mr. James\",male,,8.4583,0
7,\"McCarthy, Mr. Timothy J\",male,54,51.8625,0
8,\"Palsson, Master. Gosta Leonard\",male,2,21.075,1
9,\"Johnson, Mrs. Oscar W\",female,27,11.1333,1
10,\"Nasser, Mrs. Nicholas\",female,14,30.0708,0
11,\"Sandstrom, Miss. Marguerite Rut\",female,4,16.7,1
12,\"Bonnell, Miss. Elizabeth\",female,58,26.55,1
";

/// Runs a command that succeeds with JSON output; returns the JSON.
fn json(args: &[&str], dir: &Path) -> Value {
    let (ok, out, err) = run(&[args, &["--format", "json"]].concat(), dir);
    assert!(ok, "linmod {args:?}: {err}");
    serde_json::from_str(&out).unwrap()
}

#[test]
fn a_new_users_table_fits_through_a_formula_or_a_column_selection() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("p.csv"), PASSENGERS).unwrap();
    let fit = ["fit", "--data", "p.csv", "--model", "linear"];
    let with = |more: &[&'static str]| [&fit[..], more].concat();
    // without a formula, the text column is named with the remedy
    let (ok, _, err) = run(&with(&["--target", "Survived"]), d);
    assert!(!ok);
    assert!(
        err.contains("is not a number; text columns are used through --formula"),
        "{err}"
    );
    // a formula: the gap in Age is an error naming its line, unless rows are dropped
    let formula = with(&["--formula", "Survived ~ Age + C(Sex) + Fare"]);
    let (ok, _, err) = run(&formula, d);
    assert!(!ok);
    assert!(
        err.contains("p.csv, line 7, column `Age`: missing value"),
        "{err}"
    );
    assert!(err.contains("--missing drop"), "{err}");
    let v = json(&[&formula[..], &["--missing", "drop"]].concat(), d);
    assert_eq!(
        (v["dropped_rows"].as_u64(), v["n_samples"].as_u64()),
        (Some(1), Some(11))
    );
    assert_eq!(
        v["feature_names"],
        serde_json::json!(["C(Sex)[T.male]", "Age", "Fare"])
    );
    assert_eq!(v["coef"].as_array().unwrap().len(), 3);
    // a selection: the id and the name are left out, Sex is categorical
    let v = json(
        &with(&[
            "--target",
            "Survived",
            "--exclude",
            "PassengerId,Name",
            "--missing",
            "drop",
        ]),
        d,
    );
    assert_eq!(
        v["feature_names"],
        serde_json::json!(["Sex[T.male]", "Age", "Fare"])
    );
    let v = json(
        &with(&["--target", "Survived", "--features", "Fare,Sex"]),
        d,
    );
    assert_eq!(
        v["feature_names"],
        serde_json::json!(["Sex[T.male]", "Fare"])
    );
    assert_eq!(v["dropped_rows"], 0);
    // a formula error points at its place
    let (ok, _, err) = run(&with(&["--formula", "Survived ~ Age +"]), d);
    assert!(!ok);
    assert!(err.contains("formula error at character 17"), "{err}");
}

/// New rows as a user has them (text levels, no target, extra columns), shared with the
/// models' test and the reference script.
fn new_rows() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../models/tests/data/penguins_new_rows.csv")
}

/// The `line` and prediction columns of `predict`'s CSV.
fn predictions(csv: &str) -> Vec<(u64, f64)> {
    csv.lines()
        .skip(1)
        .map(|l| {
            let (line, v) = l.split_once(',').unwrap();
            (line.parse().unwrap(), v.parse().unwrap())
        })
        .collect()
}

fn close(got: &[(u64, f64)], want: &[f64]) {
    assert_eq!(got.len(), want.len());
    for ((_, g), w) in got.iter().zip(want) {
        assert!((g - w).abs() <= 1e-8 * w.abs(), "{g} vs {w}");
    }
}

#[test]
fn a_saved_formula_model_predicts_raw_rows_as_statsmodels() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let data = penguins_csv();
    let data = data.to_str().unwrap();
    std::fs::copy(new_rows(), d.join("new.csv")).unwrap();
    let ols = "body_mass_g ~ flipper_length_mm + C(species, Treatment(reference='Gentoo')) * sex + np.log(bill_depth_mm) + I(bill_length_mm**2)";
    let (ok, _, err) = run(
        &[
            "fit",
            "--data",
            data,
            "--model",
            "linear",
            "--formula",
            ols,
            "--missing",
            "drop",
            "--save",
            "ols.json",
        ],
        d,
    );
    assert!(ok, "{err}");
    let (ok, out, err) = run(&["predict", "--model", "ols.json", "--data", "new.csv"], d);
    assert!(ok, "{err}");
    let p = predictions(&out);
    assert_eq!(p.iter().map(|r| r.0).collect::<Vec<_>>(), [2, 3, 4, 5]);
    close(
        &p,
        &[
            3363.784277935635,
            5520.716058631529,
            3829.580148176627,
            3613.7532074268665,
        ],
    );

    // the logit needs a 0/1 target: `male`, missing where sex is
    let mut text = String::new();
    for (k, line) in std::fs::read_to_string(penguins_csv())
        .unwrap()
        .lines()
        .enumerate()
    {
        let sex = line.split(',').nth(6).unwrap();
        let male = match (k, sex) {
            (0, _) => "male",
            (_, "male") => "1",
            (_, "female") => "0",
            _ => "NA",
        };
        text.push_str(&format!("{line},{male}\n"));
    }
    std::fs::write(d.join("penguins.csv"), text).unwrap();
    let logit = "male ~ bill_depth_mm + body_mass_g + species + C(year)";
    let (ok, out, err) = run(
        &[
            "fit",
            "--data",
            "penguins.csv",
            "--model",
            "logistic",
            "--formula",
            logit,
            "--missing",
            "drop",
            "--tol",
            "1e-12",
            "--save",
            "logit.json",
            "--format",
            "json",
        ],
        d,
    );
    assert!(ok, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["names"][0], "Intercept");
    let (ok, out, err) = run(
        &[
            "predict",
            "--model",
            "logit.json",
            "--data",
            "new.csv",
            "--proba",
        ],
        d,
    );
    assert!(ok, "{err}");
    close(
        &predictions(&out),
        &[
            0.014102073005176505,
            0.9664824342143783,
            0.7066500065247288,
            0.6705158265552656,
        ],
    );
    let (ok, out, err) = run(
        &[
            "evaluate",
            "--model",
            "logit.json",
            "--data",
            "penguins.csv",
            "--format",
            "json",
        ],
        d,
    );
    assert!(ok, "{err}");
    assert!(err.contains("11 row(s) with a missing value"), "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["n_samples"], 333);
}

#[test]
fn new_rows_with_problems_are_named_by_column_value_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let data = penguins_csv();
    let data = data.to_str().unwrap();
    let (ok, _, err) = run(
        &[
            "fit",
            "--data",
            data,
            "--model",
            "linear",
            "--formula",
            "body_mass_g ~ species + flipper_length_mm",
            "--missing",
            "drop",
            "--save",
            "m.json",
        ],
        d,
    );
    assert!(ok, "{err}");
    std::fs::write(
        d.join("new.csv"),
        "species,flipper_length_mm\nAdelie,190\nEmperor,230\nGentoo,\n",
    )
    .unwrap();
    let (ok, _, err) = run(&["predict", "--model", "m.json", "--data", "new.csv"], d);
    assert!(!ok);
    assert!(
        err.contains("new.csv, line 3, column `species`: level \"Emperor\" was not seen when the model was fitted (known levels: Adelie, Chinstrap, Gentoo)"),
        "{err}"
    );
    // unseen levels as the reference, with a warning; the fit's policy drops line 4
    let (ok, out, err) = run(
        &[
            "predict",
            "--model",
            "m.json",
            "--data",
            "new.csv",
            "--unseen",
            "reference",
        ],
        d,
    );
    assert!(ok, "{err}");
    assert!(
        err.contains("1 cell(s) hold a level the model did not see"),
        "{err}"
    );
    assert_eq!(
        predictions(&out).iter().map(|r| r.0).collect::<Vec<_>>(),
        [2, 3]
    );
    // a column the design needs is named, with the file's columns
    std::fs::write(d.join("bad.csv"), "species,flipper\nAdelie,190\n").unwrap();
    let (ok, _, err) = run(&["predict", "--model", "m.json", "--data", "bad.csv"], d);
    assert!(!ok);
    assert!(err.contains("no column named `flipper_length_mm`"), "{err}");
    // a word in a numeric column
    std::fs::write(
        d.join("word.csv"),
        "species,flipper_length_mm\nAdelie,190\nGentoo,long\n",
    )
    .unwrap();
    let (ok, _, err) = run(&["predict", "--model", "m.json", "--data", "word.csv"], d);
    assert!(!ok);
    assert!(
        err.contains("word.csv, line 3, column 2 (`flipper_length_mm`): \"long\" is not a number"),
        "{err}"
    );
}

#[test]
fn a_parquet_file_fits_as_its_csv_does() {
    use std::sync::Arc;

    use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("p.csv"), PASSENGERS).unwrap();
    // the same columns as Arrow arrays: the gap in Age is a null
    let rows: Vec<Vec<&str>> = PASSENGERS
        .lines()
        .skip(1)
        .map(|l| {
            let (_, rest) = l.rsplit_once('"').unwrap();
            rest.trim_start_matches(',').split(',').collect()
        })
        .collect();
    let number = |k: usize| -> ArrayRef {
        Arc::new(Float64Array::from(
            rows.iter()
                .map(|r| r[k].parse().ok())
                .collect::<Vec<Option<f64>>>(),
        ))
    };
    let sex: ArrayRef = Arc::new(StringArray::from(
        rows.iter().map(|r| r[0]).collect::<Vec<_>>(),
    ));
    let batch = RecordBatch::try_from_iter([
        ("Sex", sex),
        ("Age", number(1)),
        ("Fare", number(2)),
        ("Survived", number(3)),
    ])
    .unwrap();
    let file = std::fs::File::create(d.join("p.parquet")).unwrap();
    let mut w = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), None).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
    let fit = |data: &str| {
        json(
            &[
                "fit",
                "--data",
                data,
                "--model",
                "linear",
                "--formula",
                "Survived ~ Age + Sex + Fare",
                "--missing",
                "drop",
            ],
            d,
        )
    };
    let (csv, parquet) = (fit("p.csv"), fit("p.parquet"));
    assert_eq!(parquet["feature_names"], csv["feature_names"]);
    assert_eq!(parquet["coef"], csv["coef"]);
    assert_eq!(parquet["dropped_rows"], 1);
}
