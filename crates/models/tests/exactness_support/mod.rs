//! The measure of accuracy of the exactness tests.
//!
//! # Accuracy policy
//! Accuracy is counted in correct significant digits, `-log10(|estimate - truth| / |truth|)`
//! (the "log relative error" of NIST's reference datasets, capped at 15 for agreement to rounding), per coefficient and
//! per standard error; a test asserts the smallest over all of them.

/// Correct significant digits of `estimate` against `truth`: `-log10` of the relative error,
/// capped at 15; against a true 0, digits of the absolute error relative to `scale`.
pub fn digits(estimate: f64, truth: f64, scale: f64) -> f64 {
    let err = (estimate - truth).abs();
    let reference = if truth == 0.0 { scale } else { truth.abs() };
    if err == 0.0 {
        15.0
    } else {
        (-(err / reference).log10()).min(15.0)
    }
}

/// The smallest number of correct digits over a vector (`scale` as in [`digits`]).
pub fn min_digits(estimate: &[f64], truth: &[f64], scale: f64) -> f64 {
    assert_eq!(estimate.len(), truth.len());
    estimate
        .iter()
        .zip(truth)
        .map(|(e, t)| digits(*e, *t, scale))
        .fold(f64::INFINITY, f64::min)
}
