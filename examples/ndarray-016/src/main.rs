//! linmod on `ndarray` 0.16 arrays (the version linfa 0.8 uses) without copying them.
//!
//! An array whose memory is contiguous is a plain slice: `MatRef::from_row_major_slice` views
//! a standard-layout (row-major) array, `MatRef::from_column_major_slice` a Fortran-layout one,
//! with no dependency between linmod and any `ndarray` version. (For `ndarray` 0.17, the
//! `ndarray` feature of `linmod` adds `linalg::mat_from_ndarray`, which also takes strided
//! views.)
//!
//! Run with `cargo run -p ndarray-016`.

use linmod::linalg::MatRef;
use linmod::models::linear::LinearRegression;
use linmod::models::logistic::LogisticRegression;
use ndarray::{Array1, Array2, ArrayView2, Axis, ShapeBuilder, Slice};

/// A faer view of a contiguous `ndarray` matrix, sharing its memory; `None` for a strided view
/// (make it contiguous first with `as_standard_layout`).
fn view(a: ArrayView2<'_, f64>) -> Option<MatRef<'_, f64>> {
    let (n, p) = a.dim();
    if let Some(s) = a.to_slice() {
        return Some(MatRef::from_row_major_slice(s, n, p));
    }
    // a Fortran-layout array is the standard layout of its transpose
    a.reversed_axes()
        .to_slice()
        .map(|s| MatRef::from_column_major_slice(s, n, p))
}

fn main() -> Result<(), linmod::models::ModelError> {
    // y = 1 + 2 x0 - 3 x1 exactly, on a row-major array as linfa's datasets hold them
    let x = Array2::from_shape_fn((50, 2), |(i, j)| ((i * (3 + 4 * j)) % 11) as f64 - 5.0);
    let y: Array1<f64> = x
        .rows()
        .into_iter()
        .map(|r| 1.0 + 2.0 * r[0] - 3.0 * r[1])
        .collect();
    let m = view(x.view()).expect("a freshly built array is contiguous");
    assert_eq!(m.as_ptr(), x.as_ptr(), "the view shares the array's memory");
    let target = y.as_slice().expect("contiguous");

    let fit = LinearRegression::new().fit(m, target)?;
    println!(
        "row-major:    intercept {:.6}, coefficients {:.6?}",
        fit.intercept(),
        fit.coef()
    );
    assert!((fit.intercept() - 1.0).abs() < 1e-10);
    assert!((fit.coef()[0] - 2.0).abs() < 1e-10 && (fit.coef()[1] + 3.0).abs() < 1e-10);

    // predictions come back as a Vec, which an Array1 takes over without copying
    let predicted = Array1::from_vec(fit.predict(m)?);
    let worst = (&predicted - &y).iter().fold(0.0f64, |a, r| a.max(r.abs()));
    println!("largest prediction error {worst:.1e}");
    assert!(worst < 1e-9);

    // the same data in Fortran (column-major) order: also viewed without a copy
    let mut xf = Array2::zeros((50, 2).f());
    xf.assign(&x);
    let mf = view(xf.view()).expect("contiguous in column-major order");
    assert_eq!(mf.as_ptr(), xf.as_ptr());
    let labels: Vec<f64> = y.iter().map(|v| f64::from(u8::from(*v > 1.0))).collect();
    let logistic = LogisticRegression::new().l2(1e-2).fit(mf, &labels)?;
    println!(
        "column-major: logistic fit {} in {} iterations, training accuracy {:.3}",
        logistic.report().termination,
        logistic.n_iter(),
        logistic.score(mf, &labels)?
    );
    assert!(logistic.converged());

    // a strided view (every other row) is not contiguous: copy it into standard layout
    let every_other = x.slice_axis(Axis(0), Slice::new(0, None, 2));
    assert!(view(every_other).is_none());
    let copied = every_other.as_standard_layout();
    let ms = view(copied.view()).expect("standard layout");
    println!("strided view: {} rows after a copy", ms.nrows());
    Ok(())
}
