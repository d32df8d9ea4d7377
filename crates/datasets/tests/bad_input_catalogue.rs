//! The bad-input catalogue of the loaders (`docs/robustness.md` lists every case with its
//! behaviour): one test per case, each asserting the typed error and that its message names
//! the file and, where it applies, the line, column, value or shape. Never a panic, never a
//! data set with NaN that claims success.

mod support {
    pub mod npy_bytes;
}

use linmod_datasets::{
    CsvOptions, DatasetError, NonFinite, read_csv, read_csv_features_from, read_csv_from,
    read_csv_with_lines, read_npy_dataset, read_npy_matrix_from_bytes, read_npy_vector_from_bytes,
};
use support::npy_bytes::{f64_bytes, npy_bytes as npy};

fn csv_error(text: &str) -> DatasetError {
    read_csv_from(text.as_bytes(), "data.csv", &CsvOptions::new("y")).expect_err("must fail")
}

fn npy_matrix_error(bytes: &[u8]) -> String {
    read_npy_matrix_from_bytes(bytes, "x.npy")
        .expect_err("must fail")
        .to_string()
}

// --- CSV -----------------------------------------------------------------------------------

#[test]
fn csv_ragged_row_names_line_and_field_counts() {
    let e = csv_error("a,b,y\n1,2,0\n3,4\n");
    assert!(matches!(
        e,
        DatasetError::RaggedRow {
            line: 3,
            expected: 3,
            found: 2,
            ..
        }
    ));
    assert_eq!(
        e.to_string(),
        "data.csv, line 3: expected 3 fields (as in the header), found 2"
    );
}

#[test]
fn csv_non_numeric_cell_names_line_column_and_value() {
    let e = csv_error("a,y\n1,0\ntwo,1\n");
    assert_eq!(
        e.to_string(),
        "data.csv, line 3, column 1 (`a`): \"two\" is not a number"
    );
}

#[test]
fn csv_empty_cell_is_not_a_number() {
    let e = csv_error("a,y\n,1\n");
    assert!(matches!(
        e,
        DatasetError::NonNumeric {
            line: 2,
            column: 1,
            ..
        }
    ));
}

#[test]
fn csv_without_a_header_line_is_empty_input() {
    let e = csv_error("");
    assert_eq!(e.to_string(), "data.csv: empty input: no header line");
}

#[test]
fn csv_whose_first_line_is_numbers_has_no_header() {
    // A first line of numbers is data, not names: taking it for the header would silently
    // lose a row, so it is refused (for features-only files too).
    let e = csv_error("1,0\n2,1\n");
    assert!(matches!(e, DatasetError::BadHeader { line: 1, .. }), "{e}");
    assert_eq!(
        e.to_string(),
        "data.csv, line 1: not a header line: it holds numbers (1, 0), not column names: \
         the file needs a header line naming its columns"
    );
    let e = read_csv_features_from("0.5\n1\n".as_bytes(), "y.csv", b',', NonFinite::Reject)
        .unwrap_err();
    assert!(matches!(e, DatasetError::BadHeader { line: 1, .. }), "{e}");
}

#[test]
fn csv_header_without_rows_is_empty_input() {
    let e = csv_error("a,y\n\n\n");
    assert_eq!(
        e.to_string(),
        "data.csv: empty input: no data rows after the header"
    );
}

#[test]
fn csv_missing_target_column_lists_the_columns() {
    let e = csv_error("a,b\n1,2\n");
    assert!(
        matches!(&e, DatasetError::MissingColumn { name, available, .. }
        if name == "y" && available == &["a", "b"])
    );
}

#[test]
fn csv_missing_target_column_suggests_close_matches() {
    let e = read_csv_from(
        "Age,Label,x\n1,0,2\n".as_bytes(),
        "data.csv",
        &CsvOptions::new("label"),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "data.csv: no column named `label` (did you mean `Label`?); the columns are Age, Label, x"
    );
}

#[test]
fn csv_target_named_twice_is_refused() {
    let e = csv_error("y,a,y\n1,2,3\n");
    assert!(
        matches!(
            e,
            DatasetError::DuplicateColumn {
                first: 1,
                second: 3,
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn csv_duplicate_feature_names_are_refused_with_both_positions() {
    // Any repeated name, not only the target's: columns are found by name, so a repeated
    // one would be ambiguous (and the features-only reader refuses it too).
    let e = csv_error("a,b,y,b\n1,2,0,3\n");
    assert_eq!(
        e.to_string(),
        "data.csv, line 1: the header names column `b` twice (columns 2 and 4); \
         column names must be unique"
    );
    let e = read_csv_features_from("a,a\n1,2\n".as_bytes(), "x.csv", b',', NonFinite::Reject)
        .unwrap_err();
    assert!(
        matches!(
            e,
            DatasetError::DuplicateColumn {
                first: 1,
                second: 2,
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn csv_line_longer_than_the_limit_is_refused() {
    // A file without line breaks (like /dev/zero) is refused at the limit instead of being
    // read until memory runs out.
    let opts = CsvOptions::new("y").max_line_bytes(64);
    let text = format!("a,y\n1,0\n{}", "1".repeat(200));
    let e = read_csv_from(text.as_bytes(), "data.csv", &opts).unwrap_err();
    assert!(
        matches!(
            e,
            DatasetError::LineTooLong {
                line: 3,
                limit: 64,
                ..
            }
        ),
        "{e}"
    );
    assert_eq!(
        e.to_string(),
        "data.csv, line 3: the line is longer than 64 bytes (is this a CSV file?)"
    );
    let zeros = std::io::Read::take(std::io::repeat(0), 1 << 20);
    let e = read_csv_from(
        zeros,
        "/dev/zero",
        &CsvOptions::new("y").max_line_bytes(1 << 16),
    )
    .unwrap_err();
    assert!(
        matches!(e, DatasetError::LineTooLong { line: 1, .. }),
        "{e}"
    );
}

#[cfg(unix)]
#[test]
fn csv_from_dev_zero_is_a_line_too_long() {
    let e = read_csv("/dev/zero", &CsvOptions::new("y")).unwrap_err();
    assert!(
        matches!(e, DatasetError::LineTooLong { line: 1, .. }),
        "{e}"
    );
}

#[test]
fn csv_crlf_line_numbers_are_the_lines_of_the_file() {
    let e = csv_error("a,y\r\n1,0\r\n\r\n2,x\r\n");
    assert!(
        matches!(
            e,
            DatasetError::NonNumeric {
                line: 4,
                column: 2,
                ..
            }
        ),
        "{e}"
    );
    let d = read_csv_from(
        "a,y\r\n1,0\r\n2,1\r\n".as_bytes(),
        "d.csv",
        &CsvOptions::new("y"),
    )
    .unwrap();
    assert_eq!(
        (d.feature_names[0].as_str(), d.target_name.as_str()),
        ("a", "y")
    );
    assert_eq!(d.y, vec![0.0, 1.0]);
}

#[test]
fn csv_rows_know_their_lines_past_blank_lines_and_dropped_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.csv");
    std::fs::write(&path, "a,y\n1,0\n\nnan,1\n2,1\n3,0\n").unwrap();
    let opts = CsvOptions::new("y").non_finite(NonFinite::DropRows);
    let (d, lines) = read_csv_with_lines(&path, &opts).unwrap();
    assert_eq!(d.y, vec![0.0, 1.0, 0.0]);
    let all: Vec<Option<u64>> = (0..4).map(|r| lines.line(r)).collect();
    assert_eq!(all, vec![Some(2), Some(5), Some(6), None]);
}

#[test]
fn csv_nan_cell_is_refused_by_default() {
    let e = csv_error("a,y\n1,0\nnan,1\n");
    assert_eq!(
        e.to_string(),
        "data.csv, line 3, column 1 (`a`): non-finite value \"nan\" \
         (NaN and infinities are refused unless rows holding them are dropped)"
    );
}

#[test]
fn csv_rows_with_infinities_are_dropped_and_counted_on_request() {
    let opts = CsvOptions::new("y").non_finite(NonFinite::DropRows);
    let d = read_csv_from("a,y\n1,0\ninf,1\n2,-inf\n3,1\n".as_bytes(), "d.csv", &opts).unwrap();
    assert_eq!(d.y, vec![0.0, 1.0]);
    assert!(d.x.col(0).iter().all(|v| v.is_finite()));
    assert!(
        d.description
            .contains("2 rows with non-finite values dropped")
    );
}

#[test]
fn csv_invalid_utf8_in_a_cell_is_not_a_number() {
    let e = read_csv_from(&b"a,y\n1\xfe,0\n"[..], "data.csv", &CsvOptions::new("y")).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("data.csv, line 2, column 1 (`a`):"),
        "{e}"
    );
}

#[test]
fn csv_huge_and_tiny_numbers_are_read_exactly() {
    let d = read_csv_from(
        "a,b,y\n1e300,1e-300,0\n-1.7976931348623157e308,5e-324,1\n".as_bytes(),
        "d.csv",
        &CsvOptions::new("y"),
    )
    .unwrap();
    assert_eq!(d.x[(0, 0)].to_bits(), 1e300f64.to_bits());
    assert_eq!(d.x[(1, 1)].to_bits(), 5e-324f64.to_bits());
    // beyond f64's range a number parses as infinity, which the default policy refuses
    let e = csv_error("a,y\n1e999,0\n");
    assert!(
        matches!(e, DatasetError::NonFiniteCell { line: 2, .. }),
        "{e}"
    );
}

#[test]
fn csv_features_file_with_a_ragged_row_is_refused() {
    let e = read_csv_features_from("a,b\n1,2\n3\n".as_bytes(), "x.csv", b',', NonFinite::Reject)
        .unwrap_err();
    assert!(matches!(e, DatasetError::RaggedRow { line: 3, .. }), "{e}");
}

#[test]
fn csv_missing_file_is_an_io_error_naming_it() {
    let e = read_csv("/nonexistent/data.csv", &CsvOptions::new("y")).unwrap_err();
    assert!(matches!(e, DatasetError::Io { .. }));
    assert!(e.to_string().starts_with("/nonexistent/data.csv: "), "{e}");
}

// --- .npy ----------------------------------------------------------------------------------

#[test]
fn npy_bool_dtype_is_unsupported_by_name() {
    let bytes = npy(
        "{'descr': '|b1', 'fortran_order': False, 'shape': (2, 1), }",
        &[1, 0],
    );
    assert_eq!(
        npy_matrix_error(&bytes),
        "x.npy: unsupported .npy dtype '|b1' (supported: float64, float32 and integers, \
         either byte order)"
    );
}

#[test]
fn npy_complex_dtype_is_unsupported() {
    let bytes = npy(
        "{'descr': '<c16', 'fortran_order': False, 'shape': (1, 1), }",
        &[0; 16],
    );
    assert!(npy_matrix_error(&bytes).contains("'<c16'"));
}

#[test]
fn npy_three_dimensional_array_is_not_a_matrix() {
    let bytes = npy(
        "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1, 2), }",
        &f64_bytes(&[1.0, 2.0]),
    );
    assert_eq!(
        npy_matrix_error(&bytes),
        "x.npy: expected a 2-D array (a design matrix), found an array of shape (1, 1, 2)"
    );
}

#[test]
fn npy_matrix_is_not_a_target_vector() {
    let bytes = npy(
        "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }",
        &f64_bytes(&[1.0, 2.0, 3.0, 4.0]),
    );
    let e = read_npy_vector_from_bytes(&bytes, "y.npy").unwrap_err();
    assert!(matches!(e, DatasetError::NpyWrongDimension { .. }), "{e}");
}

#[test]
fn npy_truncated_data_give_expected_and_found_sizes() {
    let bytes = npy(
        "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }",
        &f64_bytes(&[1.0; 5]),
    );
    let e = read_npy_matrix_from_bytes(&bytes, "x.npy").unwrap_err();
    assert!(
        matches!(
            e,
            DatasetError::NpyTruncated {
                expected: 48,
                found: 40,
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn npy_announcing_an_enormous_shape_fails_before_allocating() {
    let bytes = npy(
        "{'descr': '<f8', 'fortran_order': False, 'shape': (4000000000, 4000000000), }",
        &f64_bytes(&[1.0]),
    );
    let e = read_npy_matrix_from_bytes(&bytes, "x.npy").unwrap_err();
    assert!(
        matches!(
            e,
            DatasetError::NpyBadHeader { .. } | DatasetError::NpyTruncated { .. }
        ),
        "{e}"
    );
}

#[test]
fn npy_without_the_magic_string_is_not_an_npy_file() {
    let e = npy_matrix_error(b"PK\x03\x04 a zip archive, not an array");
    assert_eq!(
        e,
        "x.npy: not an .npy file (the magic string \\x93NUMPY is missing)"
    );
}

#[test]
fn npy_with_a_malformed_header_dict_is_refused() {
    let bytes = npy(
        "{'descr': '<f8', 'fortran_order': maybe, 'shape': (1, 1)}",
        &[0; 8],
    );
    let e = npy_matrix_error(&bytes);
    assert!(e.starts_with("x.npy: malformed .npy header"), "{e}");
}

#[test]
fn npy_empty_array_is_empty_input() {
    let bytes = npy(
        "{'descr': '<f8', 'fortran_order': False, 'shape': (0, 3), }",
        &[],
    );
    assert_eq!(
        npy_matrix_error(&bytes),
        "x.npy: empty input: the array has no elements"
    );
}

#[test]
fn npy_nan_element_names_its_row_and_column() {
    let bytes = npy(
        "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }",
        &f64_bytes(&[1.0, 2.0, 3.0, f64::NAN]),
    );
    let e = read_npy_matrix_from_bytes(&bytes, "x.npy").unwrap_err();
    assert!(
        matches!(
            e,
            DatasetError::NonFiniteElement {
                row: 1,
                column: 1,
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn npy_target_with_another_number_of_rows_is_a_shape_mismatch() {
    let dir = tempfile::tempdir().unwrap();
    let (xp, yp) = (dir.path().join("X.npy"), dir.path().join("y.npy"));
    let x = npy(
        "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 1), }",
        &f64_bytes(&[1.0, 2.0]),
    );
    let y = npy(
        "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }",
        &f64_bytes(&[0.0, 1.0, 1.0]),
    );
    std::fs::write(&xp, x).unwrap();
    std::fs::write(&yp, y).unwrap();
    let e = read_npy_dataset(&xp, &yp, NonFinite::Reject).unwrap_err();
    assert_eq!(
        e.to_string(),
        "shape mismatch: expected 2 target values (one per row of X), found 3"
    );
}

// --- svmlight / LIBSVM text ---------------------------------------------------------------

fn svm(text: &str) -> linmod_datasets::Result<linmod_datasets::SparseDataset> {
    svm_with(text, linmod_datasets::SvmlightOptions::default())
}

fn svm_with(
    text: &str,
    opts: linmod_datasets::SvmlightOptions,
) -> linmod_datasets::Result<linmod_datasets::SparseDataset> {
    linmod_datasets::read_svmlight_from(text.as_bytes(), "train.svm".as_ref(), &opts)
}

fn svm_error(text: &str) -> String {
    svm(text).unwrap_err().to_string()
}

#[test]
fn svmlight_unsorted_indices_name_line_and_column() {
    assert_eq!(
        svm_error("1 1:1\n0 2:1 5:2 3:1\n"),
        "train.svm, line 2, column 11: feature index 3 is not above the previous index 5 \
         (indices must increase within a line)"
    );
}

#[test]
fn svmlight_duplicate_index_is_refused() {
    assert_eq!(
        svm_error("1 4:1 4:2\n"),
        "train.svm, line 1, column 7: feature index 4 appears twice"
    );
}

#[test]
fn svmlight_index_beyond_n_features_is_located() {
    let opts = linmod_datasets::SvmlightOptions::default().n_features(3);
    let err = svm_with("1 1:1\n0 2:1 4:2\n", opts).unwrap_err();
    assert_eq!(
        err.to_string(),
        "train.svm, line 2, column 7: feature index 4 is beyond the 3 features fixed by \
         --n-features (the file's indices are 1-based)"
    );
    // a narrower test file takes the training width
    let d = svm_with("1 1:1\n", opts).unwrap();
    assert_eq!(d.n_features(), 3);
}

#[test]
fn svmlight_negative_and_non_integer_indices_are_refused() {
    assert_eq!(
        svm_error("1 -2:1\n"),
        "train.svm, line 1, column 3: feature index \"-2\" is negative"
    );
    assert_eq!(
        svm_error("1 1.5:1\n"),
        "train.svm, line 1, column 3: feature index \"1.5\" is not a non-negative integer"
    );
    assert!(svm_error("1 99999999999:1\n").contains("beyond the largest supported index"));
}

#[test]
fn svmlight_malformed_tokens_name_line_and_column() {
    assert_eq!(
        svm_error("1 1:1\n\nyes 1:2\n"),
        "train.svm, line 3, column 1: the label \"yes\" is not a number"
    );
    assert_eq!(
        svm_error("1 1:1 3\n"),
        "train.svm, line 1, column 7: expected index:value, found \"3\""
    );
    assert_eq!(
        svm_error("1 1:abc\n"),
        "train.svm, line 1, column 5: the value \"abc\" of feature index 1 is not a number"
    );
    assert!(svm_error("1,2 1:1\n").contains("multi-label files are not supported"));
}

#[test]
fn svmlight_non_finite_values_and_labels_are_refused() {
    assert_eq!(
        svm_error("1 1:1 2:nan\n"),
        "train.svm, line 1, column 9: non-finite value \"nan\" for feature index 2"
    );
    assert!(svm_error("1 2:inf\n").contains("non-finite value \"inf\""));
    assert_eq!(
        svm_error("-inf 1:1\n"),
        "train.svm, line 1, column 1: the label \"-inf\" is not finite"
    );
}

#[test]
fn svmlight_empty_rows_and_all_zero_columns_are_data() {
    // a label alone is a row of zeros; column 2 (index 2) is never stored
    let d = svm("1 1:1 3:2\n0\n# comment line\n\n1 qid:3 3:1 # trailing\n").unwrap();
    assert_eq!(d.y, [1.0, 0.0, 1.0]);
    assert_eq!((d.n_samples(), d.n_features()), (3, 3));
    assert_eq!(d.x.row(1).0.len(), 0);
    assert!(!d.zero_based);
    // index 0 makes the whole file 0-based
    let d = svm("1 0:1 3:2\n").unwrap();
    assert!(d.zero_based);
    assert_eq!((d.n_features(), d.x.row(0).0), (4, &[0, 3][..]));
}

#[test]
fn svmlight_without_rows_is_empty_input() {
    assert!(matches!(
        svm("# only a comment\n\n").unwrap_err(),
        linmod_datasets::DatasetError::EmptyInput { .. }
    ));
}

#[test]
fn svmlight_line_longer_than_the_limit_is_refused() {
    let long = format!(
        "1 {}\n",
        "1:1 ".repeat(linmod_datasets::MAX_SVMLIGHT_LINE_BYTES / 4 + 1)
    );
    assert!(svm_error(&long).contains("line 1, column 1: the line is longer than"));
}

mod svmlight_properties {
    use linmod_datasets::{CsrMatrix, SvmlightOptions, read_svmlight_from, write_svmlight_to};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]

        /// Any CSR matrix written as svmlight reads back equal (values and labels exactly).
        #[test]
        fn written_files_read_back_exactly(
            cells in proptest::collection::vec(proptest::option::weighted(0.3, -1e6f64..1e6), 1..60),
            labels in proptest::collection::vec(-3i32..3, 10),
        ) {
            let p = 6;
            let n = cells.len().div_ceil(p).min(10);
            let mut indptr = vec![0];
            let (mut indices, mut values) = (Vec::new(), Vec::new());
            for i in 0..n {
                for j in 0..p {
                    if let Some(Some(v)) = cells.get(i * p + j) {
                        indices.push(j as u32);
                        values.push(*v);
                    }
                }
                indptr.push(values.len());
            }
            let x = CsrMatrix::new(n, p, indptr, indices, values).unwrap();
            let y: Vec<f64> = labels[..n].iter().map(|&l| f64::from(l) * 0.5).collect();
            let mut out = Vec::new();
            write_svmlight_to(&mut out, "p.svm".as_ref(), &x, &y).unwrap();
            let back = read_svmlight_from(&out[..], "p.svm".as_ref(), &SvmlightOptions::default().n_features(p)).unwrap();
            prop_assert_eq!(back.x, x);
            prop_assert_eq!(back.y, y);
        }
    }
}
