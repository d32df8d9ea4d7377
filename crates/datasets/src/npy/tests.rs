//! Tests of the `.npy` reader and writer. The fixtures in `testdata/npy` were written by
//! numpy 2.4.6 (`testdata/npy/make.py`).
#![allow(clippy::float_cmp)] // values must come back bit for bit

use std::path::{Path, PathBuf};

use linalg_core::{Mat, mat};
use proptest::prelude::*;

use super::*;
use crate::test_util::finite;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/npy")
        .join(name)
}

fn special() -> Mat<f64> {
    mat![[0.1, -0.0, 1e-300], [5e-324, 1.7976931348623157e308, -2.5]]
}

fn assert_same_bits(a: &Mat<f64>, b: &Mat<f64>) {
    assert_eq!((a.nrows(), a.ncols()), (b.nrows(), b.ncols()));
    for j in 0..a.ncols() {
        for i in 0..a.nrows() {
            assert_eq!(a[(i, j)].to_bits(), b[(i, j)].to_bits(), "({i}, {j})");
        }
    }
}

#[path = "../../tests/support/npy_bytes.rs"]
mod npy_bytes;

use npy_bytes::{f64_bytes, npy_bytes};

/// A version 1.0 file with the given header dict and data bytes.
fn raw_npy(dir: &Path, name: &str, dict: &str, data: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, npy_bytes(dict, data)).unwrap();
    path
}

fn message(err: &DatasetError) -> String {
    err.to_string()
}

#[test]
fn reads_numpy_float64_in_c_fortran_big_endian_and_version_2() {
    for name in ["c_f8.npy", "f_f8.npy", "be_f8.npy", "v2.npy"] {
        let x = read_npy_matrix(fixture(name)).unwrap();
        assert_same_bits(&x, &special());
    }
}

#[test]
fn converts_float32_and_integers() {
    let f4 = read_npy_matrix(fixture("f4.npy")).unwrap();
    let expected = [[0.5, -1.25, 3.0], [f64::from(1e-3f32), 2.0, -0.0]];
    for (i, row) in expected.iter().enumerate() {
        for (j, &v) in row.iter().enumerate() {
            assert_eq!(f4[(i, j)].to_bits(), v.to_bits());
        }
    }
    let i8 = read_npy_matrix(fixture("i8.npy")).unwrap();
    assert_eq!(
        i8,
        mat![[1.0, -2.0, 3.0], [9_007_199_254_740_992.0, -5.0, 0.0]]
    );
    assert_eq!(
        read_npy_matrix(fixture("u1.npy")).unwrap(),
        mat![[0.0, 255.0], [7.0, 8.0]]
    );
    assert_eq!(
        read_npy_matrix(fixture("f_i4.npy")).unwrap(),
        mat![[1.0, 2.0], [3.0, 4.0]]
    );
}

#[test]
fn bytes_in_memory_read_as_the_file_does() {
    let dir = fixture("");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        // same values, or the same error naming the same file
        let from_file = read_npy_matrix(&path).map_err(|e| message(&e));
        let from_bytes = read_npy_matrix_from_bytes(&bytes, &path).map_err(|e| message(&e));
        assert_eq!(from_file, from_bytes, "{}", path.display());
        let from_file = read_npy_vector(&path).map_err(|e| message(&e));
        let from_bytes = read_npy_vector_from_bytes(&bytes, &path).map_err(|e| message(&e));
        assert_eq!(from_file, from_bytes, "{}", path.display());
    }
}

#[test]
fn reads_vectors_and_single_columns() {
    assert_eq!(
        read_npy_vector(fixture("vec.npy")).unwrap(),
        vec![1.5, -2.0, 0.1]
    );
    assert_eq!(
        read_npy_vector(fixture("col.npy")).unwrap(),
        vec![1.5, -2.0, 0.1]
    );
}

#[test]
fn writes_the_bytes_numpy_writes() {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("c.npy");
    write_npy_matrix(&c, special().as_ref(), NpyOrder::C).unwrap();
    assert_eq!(
        std::fs::read(&c).unwrap(),
        std::fs::read(fixture("c_f8.npy")).unwrap()
    );
    let f = dir.path().join("f.npy");
    write_npy_matrix(&f, special().as_ref(), NpyOrder::Fortran).unwrap();
    assert_eq!(
        std::fs::read(&f).unwrap(),
        std::fs::read(fixture("f_f8.npy")).unwrap()
    );
    let v = dir.path().join("v.npy");
    write_npy_vector(&v, &[1.5, -2.0, 0.1]).unwrap();
    assert_eq!(
        std::fs::read(&v).unwrap(),
        std::fs::read(fixture("vec.npy")).unwrap()
    );
}

#[test]
fn round_trips_span_several_chunks() {
    let dir = tempfile::tempdir().unwrap();
    // 3000 x 37 x 8 bytes is about 1.7 chunks; 37 does not divide the chunk evenly.
    let x = Mat::from_fn(3000, 37, |i, j| (i as f64).sin() * 1e3 + j as f64 / 7.0);
    for order in [NpyOrder::C, NpyOrder::Fortran] {
        let path = dir.path().join("big.npy");
        write_npy_matrix(&path, x.as_ref(), order).unwrap();
        assert_same_bits(&read_npy_matrix(&path).unwrap(), &x);
    }
    let v: Vec<f64> = (0..100_000).map(|i| f64::from(i) / 3.0).collect();
    let path = dir.path().join("v.npy");
    write_npy_vector(&path, &v).unwrap();
    assert_eq!(read_npy_vector(&path).unwrap(), v);
    // A view that is not column-major is written correctly too.
    let t = x.transpose();
    write_npy_matrix(&path, t, NpyOrder::C).unwrap();
    assert_same_bits(&read_npy_matrix(&path).unwrap(), &t.to_owned());
}

proptest! {
    #![proptest_config(crate::test_util::cases(64))]

    #[test]
    fn write_then_read_gives_identical_bits(
        (n, p, values) in (1usize..40, 1usize..7)
            .prop_flat_map(|(n, p)| (Just(n), Just(p), proptest::collection::vec(finite(), n * p))),
        fortran in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let x = Mat::from_fn(n, p, |i, j| values[i * p + j]);
        let order = if fortran { NpyOrder::Fortran } else { NpyOrder::C };
        let (xp, yp) = (dir.path().join("x.npy"), dir.path().join("y.npy"));
        write_npy_matrix(&xp, x.as_ref(), order).unwrap();
        write_npy_vector(&yp, &values).unwrap();
        let back = read_npy_matrix(&xp).unwrap();
        let same = (0..n).all(|i| (0..p).all(|j| back[(i, j)].to_bits() == x[(i, j)].to_bits()));
        prop_assert!(same);
        let v = read_npy_vector(&yp).unwrap();
        prop_assert!(v.iter().zip(&values).all(|(a, b)| a.to_bits() == b.to_bits()));
    }
}

#[test]
fn datasets_round_trip_and_drop_non_finite_rows() {
    let dir = tempfile::tempdir().unwrap();
    let (xp, yp) = (dir.path().join("X.npy"), dir.path().join("y.npy"));
    let iris = crate::iris();
    write_npy_dataset(&xp, &yp, &iris, NpyOrder::C).unwrap();
    let back = read_npy_dataset(&xp, &yp, NonFinite::Reject).unwrap();
    assert_eq!(back.x, iris.x);
    assert_eq!(back.y, iris.y);

    let x = mat![[1.0, 2.0], [f64::NAN, 0.0], [3.0, 4.0], [5.0, 6.0]];
    write_npy_matrix(&xp, x.as_ref(), NpyOrder::Fortran).unwrap();
    write_npy_vector(&yp, &[0.0, 1.0, f64::INFINITY, 1.0]).unwrap();
    let err = read_npy_dataset(&xp, &yp, NonFinite::Reject).unwrap_err();
    assert!(message(&err).contains("y.npy: non-finite value inf at row 2, column 0"));
    let kept = read_npy_dataset(&xp, &yp, NonFinite::DropRows).unwrap();
    assert_eq!(kept.x, mat![[1.0, 2.0], [5.0, 6.0]]);
    assert_eq!(kept.y, vec![0.0, 1.0]);
    assert!(
        kept.description
            .contains("2 rows with non-finite values dropped")
    );

    write_npy_vector(&yp, &[f64::NAN; 4]).unwrap();
    let err = read_npy_dataset(&xp, &yp, NonFinite::DropRows).unwrap_err();
    assert!(matches!(err, DatasetError::EmptyInput { .. }));

    write_npy_vector(&yp, &[0.0; 3]).unwrap();
    let err = read_npy_dataset(&xp, &yp, NonFinite::DropRows).unwrap_err();
    assert_eq!(
        message(&err),
        "shape mismatch: expected 4 target values (one per row of X), found 3"
    );
}

#[test]
fn non_finite_values_are_located() {
    let err = read_npy_matrix(fixture("nan.npy")).unwrap_err();
    assert!(matches!(
        err,
        DatasetError::NonFiniteElement {
            row: 0,
            column: 1,
            ..
        }
    ));
    assert!(message(&err).ends_with("nan.npy: non-finite value NaN at row 0, column 1 (0-based)"));
    let err = read_npy_matrix(fixture("f_inf.npy")).unwrap_err();
    assert!(
        message(&err).ends_with("f_inf.npy: non-finite value -inf at row 1, column 0 (0-based)")
    );
}

#[test]
fn other_dtypes_are_rejected_by_name() {
    for (name, dtype) in [
        ("c16.npy", "'<c16'"),
        ("bool.npy", "'|b1'"),
        ("str.npy", "'<U2'"),
        ("structured.npy", "[('a', '<f8'), ('b', '<i4')]"),
    ] {
        let err = read_npy_matrix(fixture(name)).unwrap_err();
        assert!(
            matches!(err, DatasetError::NpyUnsupportedDtype { .. }),
            "{name}: {err}"
        );
        let text = message(&err);
        assert!(text.contains(name) && text.contains(dtype), "{text}");
    }
}

#[test]
fn wrong_dimensions_are_errors() {
    let cases = [
        (
            "vec.npy",
            true,
            "expected a 2-D array (a design matrix), found an array of shape (3,)",
        ),
        (
            "tensor3.npy",
            true,
            "expected a 2-D array (a design matrix), found an array of shape (2, 2, 2)",
        ),
        ("scalar.npy", true, "found an array of shape ()"),
        (
            "c_f8.npy",
            false,
            "expected a 1-D array (a target vector), found an array of shape (2, 3)",
        ),
        ("tensor3.npy", false, "shape (2, 2, 2)"),
    ];
    for (name, matrix, text) in cases {
        let err = if matrix {
            read_npy_matrix(fixture(name)).unwrap_err()
        } else {
            read_npy_vector(fixture(name)).unwrap_err()
        };
        assert!(matches!(err, DatasetError::NpyWrongDimension { .. }));
        let m = message(&err);
        assert!(m.contains(name) && m.contains(text), "{m}");
    }
}

#[test]
fn truncated_empty_and_malformed_files_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let full = std::fs::read(fixture("c_f8.npy")).unwrap();
    let cut = d.join("cut.npy");
    std::fs::write(&cut, &full[..full.len() - 5]).unwrap();
    let err = read_npy_matrix(&cut).unwrap_err();
    assert_eq!(
        message(&err),
        format!(
            "{}: truncated .npy file: the header announces 48 bytes of data, the file holds 43",
            cut.display()
        )
    );
    let cut_header = d.join("cut_header.npy");
    std::fs::write(&cut_header, &full[..40]).unwrap();
    let err = read_npy_matrix(&cut_header).unwrap_err();
    assert!(message(&err).contains("malformed .npy header: the file ends inside the header"));

    let empty = d.join("empty.npy");
    std::fs::write(&empty, b"").unwrap();
    assert!(
        message(&read_npy_matrix(&empty).unwrap_err())
            .ends_with("empty.npy: empty input: the file is empty")
    );
    let err = read_npy_matrix(fixture("empty.npy")).unwrap_err();
    assert!(message(&err).ends_with("empty.npy: empty input: the array has no elements"));

    let csv = d.join("data.npy");
    std::fs::write(&csv, b"a,b\n1,2\n").unwrap();
    let err = read_npy_matrix(&csv).unwrap_err();
    assert_eq!(
        message(&err),
        format!(
            "{}: not an .npy file (the magic string \\x93NUMPY is missing)",
            csv.display()
        )
    );
    let short = d.join("short.npy");
    std::fs::write(&short, b"\x93NUM").unwrap();
    assert!(matches!(
        read_npy_matrix(&short).unwrap_err(),
        DatasetError::NpyBadMagic { .. }
    ));

    let data = f64_bytes(&[1.0, 2.0]);
    let bad_headers = [
        (
            "{'descr': '<f8', 'fortran_order': False}",
            "no `shape` entry",
        ),
        (
            "{'descr': '<f8', 'shape': (1, 2)}",
            "no `fortran_order` entry",
        ),
        (
            "{'descr': '<f8', 'fortran_order': 0, 'shape': (1, 2)}",
            "`fortran_order` is not True or False",
        ),
        (
            "{'descr': '<f8', 'fortran_order': False, 'shape': 2}",
            "`shape` is not a tuple",
        ),
        (
            "{'descr': '<f8', 'fortran_order': False, 'shape': (1, -2)}",
            "unexpected input",
        ),
        (
            "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2)",
            "expected `}`",
        ),
        ("descr", "expected `{`"),
        (
            "{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999, 99999999999)}",
            "is too large",
        ),
    ];
    for (dict, reason) in bad_headers {
        let path = raw_npy(d, "bad.npy", dict, &data);
        let err = read_npy_matrix(&path).unwrap_err();
        assert!(
            matches!(err, DatasetError::NpyBadHeader { .. }),
            "{dict}: {err}"
        );
        let m = message(&err);
        assert!(
            m.contains("bad.npy: malformed .npy header") && m.contains(reason),
            "{m}"
        );
    }
    let mut v9 = full.clone();
    v9[6] = 9;
    let path = d.join("v9.npy");
    std::fs::write(&path, v9).unwrap();
    assert!(
        message(&read_npy_matrix(&path).unwrap_err()).contains("unsupported format version 9.0")
    );

    let missing = d.join("missing.npy");
    let err = read_npy_matrix(&missing).unwrap_err();
    assert!(matches!(err, DatasetError::Io { .. }));
    assert!(message(&err).contains("missing.npy"));
}

#[test]
fn header_variants_numpy_accepts_are_read() {
    let dir = tempfile::tempdir().unwrap();
    // Keys in another order, double quotes, Python 2 long integers, native byte order.
    let path = raw_npy(
        dir.path(),
        "v.npy",
        "{\"shape\": (2L, 1L), \"fortran_order\": False, \"descr\": \"=f8\"}",
        &f64_bytes(&[3.0, 4.0]),
    );
    assert_eq!(read_npy_matrix(&path).unwrap(), mat![[3.0], [4.0]]);
    let path = raw_npy(
        dir.path(),
        "w.npy",
        "{'descr': '>f8', 'fortran_order': False, 'shape': (3,), }",
        &[1.0f64, 2.0, 3.0]
            .iter()
            .flat_map(|v| v.to_be_bytes())
            .collect::<Vec<_>>(),
    );
    assert_eq!(read_npy_vector(&path).unwrap(), vec![1.0, 2.0, 3.0]);
}

#[test]
fn big_headers_use_format_version_2() {
    let h = header_bytes(&[1; 30_000], false);
    assert_eq!(&h[6..8], &[2, 0]);
    assert_eq!(h.len() % 64, 0);
    let small = header_bytes(&[5, 3], true);
    assert_eq!((&small[6..8], small.len()), (&[1u8, 0][..], 128));
}
