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
        &["line 3", "column 1", "non-finite"],
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

#[test]
fn cli_zero_threads_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "d.csv", "a,y\n1,0\n2,1\n");
    data_error(
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
        &["--threads must be at least 1"],
    );
}

#[test]
fn cli_negative_tolerance_is_named() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "d.csv", "a,y\n1,0.5\n2,1.5\n3,2\n");
    data_error(
        &[
            "fit", "--data", "d.csv", "--target", "y", "--model", "linear", "--tol", "-1",
        ],
        dir.path(),
        &["invalid tol = -1"],
    );
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
