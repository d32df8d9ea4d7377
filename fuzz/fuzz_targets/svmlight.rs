//! The svmlight / LIBSVM reader on arbitrary bytes: it returns a sparse data set or a typed
//! error, never panics, and a data set it returns is a valid CSR matrix (sorted in-range
//! indices, finite values) with one finite label per row, which writes and reads back equal.

#![no_main]

use datasets::{SvmlightOptions, read_svmlight_from, write_svmlight_to};
use libfuzzer_sys::fuzz_target;
use linalg_core::{CsrMatrix, Design};

fn check(x: &CsrMatrix, y: &[f64]) {
    assert_eq!(y.len(), x.nrows());
    assert!(y.iter().all(|v| v.is_finite()));
    assert!(x.values().iter().all(|v| v.is_finite()));
    // the arrays validate again as they are
    let again = CsrMatrix::new(
        x.nrows(),
        x.ncols(),
        x.indptr().to_vec(),
        x.indices().to_vec(),
        x.values().to_vec(),
    );
    assert!(again.is_ok(), "{again:?}");
}

fuzz_target!(|data: &[u8]| {
    // The first byte, when below 64, fixes --n-features, so that the width check is explored.
    let (opts, text) = match data.split_first() {
        Some((&f, rest)) if f < 64 => (SvmlightOptions::default().n_features(f.into()), rest),
        _ => (SvmlightOptions::default(), data),
    };
    if let Ok(d) = read_svmlight_from(text, "fuzz.svm".as_ref(), &opts) {
        check(&d.x, &d.y);
        let mut out = Vec::new();
        write_svmlight_to(&mut out, "fuzz.svm".as_ref(), &d.x, &d.y).expect("writes to memory");
        // written 1-based: read back with the same width, the matrix is the same
        let width = SvmlightOptions::default().n_features(d.x.ncols());
        let back = read_svmlight_from(&out[..], "back.svm".as_ref(), &width).expect("reads back");
        assert_eq!(back.x, d.x);
        assert_eq!(back.y, d.y);
    }
});
