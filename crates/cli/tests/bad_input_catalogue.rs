//! The bad-input catalogue on the user's path, the `linmod` binary (`docs/robustness.md`
//! lists every case): data and model errors exit with code 1 and a one-line message naming
//! the file and the problem; usage errors exit with 2; nothing panics.

use std::path::Path;
use std::process::Command;

/// Runs `linmod args` in `dir`, expecting failure: returns (exit code, stderr).
fn fails(args: &[&str], dir: &Path) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_linmod"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success(), "linmod {args:?} should fail");
    assert!(!err.contains("panicked"), "linmod {args:?} panicked: {err}");
    (out.status.code().unwrap_or(-1), err)
}

/// A data error: exit code 1 and every `needle` in the message.
fn data_error(args: &[&str], dir: &Path, needles: &[&str]) {
    let (code, err) = fails(args, dir);
    assert_eq!(code, 1, "{err}");
    for needle in needles {
        assert!(err.contains(needle), "`{needle}` missing from: {err}");
    }
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) {
    std::fs::write(dir.join(name), bytes).unwrap();
}

fn fit_csv(file: &str, model: &str) -> Vec<String> {
    ["fit", "--data", file, "--target", "y", "--model", model]
        .map(String::from)
        .to_vec()
}

fn run_fit_csv(dir: &Path, file: &str, model: &str, needles: &[&str]) {
    let args = fit_csv(file, model);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    data_error(&args, dir, needles);
}

/// A `.npy` file written by numpy, from the reader's test fixtures.
fn fixture(name: &str) -> String {
    format!(
        "{}/../datasets/testdata/npy/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn cli_ragged_csv_row_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "d.csv", "a,y\n1,0\n2,1,7\n");
    run_fit_csv(
        dir.path(),
        "d.csv",
        "logistic",
        &["d.csv", "line 3", "expected 2 fields"],
    );
}

#[test]
fn cli_empty_csv_is_empty_input() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "d.csv", "");
    run_fit_csv(dir.path(), "d.csv", "linear", &["d.csv", "empty input"]);
}

#[test]
fn cli_nan_in_the_data_names_the_cell_and_the_remedy() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "d.csv", "a,y\n1,0.5\nNaN,1.5\n3,2\n");
    run_fit_csv(
        dir.path(),
        "d.csv",
        "linear",
        &[
            "line 3",
            "column 1",
            "non-finite",
            "--drop-non-finite skips such rows",
        ],
    );
    let (_, err) = fails(
        &fit_csv("d.csv", "linear")
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        dir.path(),
    );
    assert!(
        !err.contains("NonFinite::"),
        "the library's type in a CLI message: {err}"
    );
}

#[test]
fn cli_one_class_only_is_named() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "d.csv", "a,y\n1,1\n2,1\n3,1\n");
    run_fit_csv(dir.path(), "d.csv", "logistic", &["only one class (1)"]);
}

#[test]
fn cli_npy_with_a_wrong_dtype_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let (strings, vector) = (fixture("str.npy"), fixture("vec.npy"));
    data_error(
        &[
            "fit",
            "--data",
            &strings,
            "--target-file",
            &vector,
            "--model",
            "linear",
        ],
        dir.path(),
        &["str.npy", "unsupported .npy dtype '<U2'"],
    );
}

#[test]
fn cli_npy_target_that_is_a_matrix_is_a_wrong_dimension() {
    let dir = tempfile::tempdir().unwrap();
    let matrix = fixture("c_f8.npy");
    data_error(
        &[
            "fit",
            "--data",
            &matrix,
            "--target-file",
            &matrix,
            "--model",
            "linear",
        ],
        dir.path(),
        &["c_f8.npy", "expected a 1-D array", "shape (2, 3)"],
    );
}

#[test]
fn cli_target_file_of_another_length_names_both_files() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "x.csv", "a\n1\n2\n3\n");
    write(dir.path(), "t.csv", "y\n1\n2\n");
    data_error(
        &[
            "fit",
            "--data",
            "x.csv",
            "--target-file",
            "t.csv",
            "--model",
            "linear",
        ],
        dir.path(),
        &["t.csv has 2 values", "x.csv has 3 rows"],
    );
}

#[test]
fn cli_model_file_of_another_format_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "m.json", r#"{"format": "onnx", "version": 1}"#);
    write(dir.path(), "x.csv", "a\n1\n");
    data_error(
        &["predict", "--model", "m.json", "--data", "x.csv"],
        dir.path(),
        &["m.json", "not a linmod model file", "onnx"],
    );
}

/// A usage error: exit code 2 and every `needle` in the message.
fn usage_error(args: &[&str], dir: &Path, needles: &[&str]) {
    let (code, err) = fails(args, dir);
    assert_eq!(code, 2, "{err}");
    for needle in needles {
        assert!(err.contains(needle), "`{needle}` missing from: {err}");
    }
}

/// Runs `linmod args` in `dir`, expecting success; returns stdout.
fn succeeds(args: &[&str], dir: &Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_linmod"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "linmod {args:?} failed: {err}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn linear_data(dir: &Path) {
    write(dir, "d.csv", "a,y\n1,0.5\n2,1.5\n3,2\n4,3.1\n");
}

#[test]
fn cli_zero_threads_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    linear_data(dir.path());
    usage_error(
        &[
            "--threads",
            "0",
            "fit",
            "--data",
            "d.csv",
            "--target",
            "y",
            "--model",
            "linear",
        ],
        dir.path(),
        &["--threads", "must be from 1 to 256"],
    );
}

#[test]
fn cli_thousands_of_threads_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    linear_data(dir.path());
    let start = std::time::Instant::now();
    usage_error(
        &[
            "--threads",
            "4000",
            "fit",
            "--data",
            "d.csv",
            "--target",
            "y",
            "--model",
            "linear",
        ],
        dir.path(),
        &["invalid value '4000' for '--threads <N>'", "from 1 to 256"],
    );
    assert!(start.elapsed().as_secs_f64() < 5.0);
}

#[test]
fn cli_negative_tolerance_is_a_usage_error_naming_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    linear_data(dir.path());
    usage_error(
        &[
            "fit", "--data", "d.csv", "--target", "y", "--model", "linear", "--tol", "-1",
        ],
        dir.path(),
        &["'--tol <T>'", "must be finite and >= 0"],
    );
}

#[test]
fn cli_out_of_range_numbers_are_usage_errors_naming_flag_value_and_range() {
    let dir = tempfile::tempdir().unwrap();
    linear_data(dir.path());
    let fit = [
        "fit", "--data", "d.csv", "--target", "y", "--model", "linear",
    ];
    let cases: [(&[&str], &str); 8] = [
        (&["--l1", "-1"], "finite and >= 0"),
        (&["--l2", "1e308"], "at most 1e100"),
        (&["--c", "1e-320", "--penalty", "l2"], "at least 1e-100"),
        (&["--level", "2"], "strictly between 0 and 1"),
        (&["--level", "0"], "strictly between 0 and 1"),
        (&["--level", "1"], "strictly between 0 and 1"),
        (&["--level", "nan"], "strictly between 0 and 1"),
        (&["--learning-rate", "0"], "finite and > 0"),
    ];
    for (extra, range) in cases {
        let args: Vec<&str> = fit.iter().chain(extra).copied().collect();
        let (code, err) = fails(&args, dir.path());
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(
            err.contains(extra[0]) && err.contains(extra[1]) && err.contains(range),
            "{err}"
        );
        // echoed as written, never as hundreds of digits
        assert!(err.len() < 300, "{err}");
    }
}

#[test]
fn cli_path_with_one_fold_and_absurd_grids_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    linear_data(dir.path());
    let path = ["path", "--data", "d.csv", "--target", "y"];
    let with =
        |extra: &[&'static str]| -> Vec<&str> { path.iter().chain(extra).copied().collect() };
    usage_error(
        &with(&["--folds", "1"]),
        dir.path(),
        &["--folds", "0 (no cross-validation) or at least 2"],
    );
    usage_error(
        &with(&["--n-lambdas", "100000000"]),
        dir.path(),
        &["--n-lambdas", "from 1 to 10000"],
    );
}

#[test]
fn cli_features_are_found_by_name_and_a_missing_one_is_named_with_close_matches() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "d.csv",
        "age,income,y\n20,1,0.5\n30,3,1.5\n40,2,2\n50,5,3.1\n",
    );
    succeeds(
        &[
            "fit", "--data", "d.csv", "--target", "y", "--model", "linear", "--save", "m.json",
        ],
        dir.path(),
    );
    // same column count, other names: never a silent positional match
    write(dir.path(), "foo.csv", "foo,bar\n1,2\n");
    data_error(
        &["predict", "--model", "m.json", "--data", "foo.csv"],
        dir.path(),
        &[
            "foo.csv",
            "no column named `age`",
            "the columns are foo, bar",
        ],
    );
    write(dir.path(), "cased.csv", "Age,income\n1,2\n");
    data_error(
        &["predict", "--model", "m.json", "--data", "cased.csv"],
        dir.path(),
        &["no column named `age` (did you mean `Age`?)"],
    );
    // reordered columns with an extra one predict as the training order does
    write(dir.path(), "same.csv", "age,income\n20,1\n50,5\n");
    write(
        dir.path(),
        "shuffled.csv",
        "note,income,age\n9,1,20\n9,5,50\n",
    );
    let a = succeeds(
        &["predict", "--model", "m.json", "--data", "same.csv"],
        dir.path(),
    );
    let b = succeeds(
        &["predict", "--model", "m.json", "--data", "shuffled.csv"],
        dir.path(),
    );
    assert_eq!(a, b);
}

#[test]
fn cli_duplicate_column_names_are_refused_when_read() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "d.csv", "a,a,y\n1,2,0.5\n2,3,1.5\n3,5,2\n");
    run_fit_csv(
        dir.path(),
        "d.csv",
        "linear",
        &["d.csv, line 1", "column `a` twice (columns 1 and 2)"],
    );
}

#[test]
fn cli_npy_input_is_matched_by_position_with_the_exact_feature_count() {
    let dir = tempfile::tempdir().unwrap();
    linear_data(dir.path());
    succeeds(
        &[
            "fit", "--data", "d.csv", "--target", "y", "--model", "linear", "--save", "m.json",
        ],
        dir.path(),
    );
    succeeds(
        &[
            "simulate", "linear", "--n", "5", "--beta", "1,2", "--out", "x.npy",
        ],
        dir.path(),
    );
    data_error(
        &["predict", "--model", "m.json", "--data", "x.npy"],
        dir.path(),
        &[
            "x.npy",
            "the model has 1 features but the file has 2 columns",
            "by position",
        ],
    );
}

#[test]
fn cli_saving_over_a_model_replaces_it_whole() {
    let dir = tempfile::tempdir().unwrap();
    linear_data(dir.path());
    write(dir.path(), "m.json", "an old model");
    succeeds(
        &[
            "fit", "--data", "d.csv", "--target", "y", "--model", "linear", "--save", "m.json",
        ],
        dir.path(),
    );
    let text = std::fs::read_to_string(dir.path().join("m.json")).unwrap();
    assert!(text.starts_with('{') && text.contains("linmod-model"));
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
}

#[cfg(unix)]
#[test]
fn cli_dev_zero_as_data_is_a_line_too_long() {
    let dir = tempfile::tempdir().unwrap();
    data_error(
        &[
            "fit",
            "--data",
            "/dev/zero",
            "--target",
            "y",
            "--model",
            "linear",
        ],
        dir.path(),
        &["/dev/zero, line 1", "longer than 16777216 bytes"],
    );
}

#[test]
fn cli_crlf_files_report_the_lines_of_the_file() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "d.csv", "a,y\r\n1,0.5\r\n2,x\r\n");
    run_fit_csv(dir.path(), "d.csv", "linear", &["d.csv, line 3, column 2"]);
}

#[test]
fn cli_label_errors_name_the_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "d.csv", "a,y\n1,0\n2,1\n\n3,2\n4,1\n");
    run_fit_csv(
        dir.path(),
        "d.csv",
        "logistic",
        &["d.csv, line 5, column `y`: invalid label 2"],
    );
    // labels {1, 3}: the missing class is named, not a row
    write(dir.path(), "m.csv", "a,y\n1,3\n2,1\n3,3\n4,1\n");
    run_fit_csv(
        dir.path(),
        "m.csv",
        "multinomial",
        &["class 0 has no samples", "(found 1, 3)"],
    );
}

#[test]
fn cli_os_errors_name_their_cause_once() {
    let dir = tempfile::tempdir().unwrap();
    let (code, err) = fails(
        &[
            "fit",
            "--data",
            "missing.csv",
            "--target",
            "y",
            "--model",
            "linear",
        ],
        dir.path(),
    );
    assert_eq!(code, 1);
    assert!(err.contains("missing.csv"), "{err}");
    assert_eq!(err.matches("os error 2").count(), 1, "{err}");
}

#[test]
fn cli_target_file_without_a_header_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "x.csv", "a\n1\n2\n3\n");
    write(dir.path(), "y.csv", "0.5\n1.5\n2\n");
    data_error(
        &[
            "fit",
            "--data",
            "x.csv",
            "--target-file",
            "y.csv",
            "--model",
            "linear",
        ],
        dir.path(),
        &["y.csv, line 1: not a header line", "numbers"],
    );
}

#[test]
fn cli_simulate_refuses_outputs_and_sizes_that_would_be_wrong_or_unbounded() {
    let dir = tempfile::tempdir().unwrap();
    data_error(
        &["simulate", "linear", "--out", "s.npy", "--out-y", "s.npy"],
        dir.path(),
        &["--out and --out-y name the same file"],
    );
    data_error(
        &[
            "simulate",
            "linear",
            "--beta",
            "1e308,1e308",
            "--out",
            "s.csv",
        ],
        dir.path(),
        &["coef", "finite targets"],
    );
    assert!(!dir.path().join("s.csv").exists());
    usage_error(
        &[
            "simulate",
            "multinomial",
            "--classes",
            "1000000000000",
            "--out",
            "s.csv",
        ],
        dir.path(),
        &["--classes", "from 2 to 65536"],
    );
    data_error(
        &[
            "simulate",
            "multinomial",
            "--classes",
            "50",
            "--n",
            "10",
            "--out",
            "s.csv",
        ],
        dir.path(),
        &["--classes 50 is more than --n 10"],
    );
    data_error(
        &[
            "simulate",
            "multinomial",
            "--p",
            "100000000",
            "--n",
            "20",
            "--out",
            "s.csv",
        ],
        dir.path(),
        &["more than 100000000 values"],
    );
}

#[test]
fn cli_many_classes_get_a_summary_and_the_whole_matrix_on_request() {
    let dir = tempfile::tempdir().unwrap();
    succeeds(
        &[
            "simulate",
            "multinomial",
            "--n",
            "600",
            "--p",
            "3",
            "--classes",
            "25",
            "--out",
            "s.csv",
        ],
        dir.path(),
    );
    succeeds(
        &[
            "fit",
            "--data",
            "s.csv",
            "--target",
            "y",
            "--model",
            "multinomial",
            "--l2",
            "0.01",
            "--save",
            "m.json",
        ],
        dir.path(),
    );
    let text = succeeds(
        &[
            "evaluate",
            "--model",
            "m.json",
            "--data",
            "s.csv",
            "--target",
            "y",
            "--confusion-matrix",
            "cm.csv",
        ],
        dir.path(),
    );
    assert!(
        text.contains("25 classes: the 20 largest confusions"),
        "{text}"
    );
    assert!(text.lines().count() < 60, "{text}");
    let cm = std::fs::read_to_string(dir.path().join("cm.csv")).unwrap();
    assert_eq!(cm.lines().count(), 26);
    let total: usize = cm
        .lines()
        .skip(1)
        .flat_map(|l| l.split(',').skip(1).map(|c| c.parse::<usize>().unwrap()))
        .sum();
    assert_eq!(total, 600);
}

#[test]
fn cli_unknown_model_kind_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let (code, err) = fails(
        &[
            "fit", "--data", "d.csv", "--target", "y", "--model", "forest",
        ],
        dir.path(),
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("forest"), "{err}");
}

#[test]
fn cli_svmlight_unsorted_indices_name_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "d.svm", "+1 1:1 2:1\n-1 4:1 3:2\n");
    data_error(
        &[
            "fit", "--data", "d.svm", "--model", "logistic", "--l2", "0.1",
        ],
        dir.path(),
        &["d.svm, line 2, column 8", "not above the previous index 4"],
    );
}

#[test]
fn cli_svmlight_index_beyond_n_features_is_located() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "d.svm", "1 1:1\n0 7:1\n");
    data_error(
        &[
            "fit",
            "--data",
            "d.svm",
            "--n-features",
            "5",
            "--model",
            "logistic",
            "--l2",
            "0.1",
        ],
        dir.path(),
        &[
            "d.svm, line 2, column 3",
            "beyond the 5 features fixed by --n-features",
        ],
    );
}

#[test]
fn cli_svmlight_takes_no_target_column() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "d.svm", "1 1:1\n0 2:1\n");
    data_error(
        &[
            "fit", "--data", "d.svm", "--target", "y", "--model", "logistic",
        ],
        dir.path(),
        &["d.svm: an svmlight file has no column names"],
    );
}

#[test]
fn cli_svmlight_invalid_label_names_the_row() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "d.svm", "1 1:1\n# comment\n2 2:1\n0 1:1\n");
    data_error(
        &[
            "fit", "--data", "d.svm", "--model", "logistic", "--l2", "0.1",
        ],
        dir.path(),
        &["d.svm, data row 2 (the label)", "invalid label 2"],
    );
}

#[test]
fn cli_svmlight_is_refused_by_evaluate_and_path() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "d.svm", "1 1:1\n0 2:1\n");
    data_error(
        &["path", "--data", "d.svm"],
        dir.path(),
        &["d.svm: `linmod path` reads CSV and .npy files"],
    );
}
