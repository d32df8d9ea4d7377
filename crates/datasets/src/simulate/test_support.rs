//! Helpers for the statistical tests of the simulators.

use linalg_core::{GramScratch, Mat, Parallelism, solve_spd, symmetrize_lower, weighted_gram};

/// `[1, X]`: the design matrix with a leading column of ones.
pub(super) fn with_ones(x: &Mat<f64>) -> Mat<f64> {
    Mat::from_fn(x.nrows(), x.ncols() + 1, |i, j| {
        if j == 0 { 1.0 } else { x[(i, j - 1)] }
    })
}

/// `X^T diag(d) X`, both triangles.
pub(super) fn gram(x: &Mat<f64>, d: &[f64]) -> Mat<f64> {
    let mut scratch = GramScratch::for_matrix(x.as_ref());
    let mut h = Mat::<f64>::zeros(x.ncols(), x.ncols());
    weighted_gram(
        x.as_ref(),
        d,
        &mut scratch,
        Parallelism::Sequential,
        h.as_mut(),
        None,
    );
    symmetrize_lower(h.as_mut());
    h
}

/// The diagonal of `H^{-1}` for a positive definite `H`.
pub(super) fn inverse_diagonal(h: &Mat<f64>) -> Vec<f64> {
    (0..h.nrows())
        .map(|j| {
            let mut e = vec![0.0; h.nrows()];
            e[j] = 1.0;
            solve_spd(h.as_ref(), &e).expect("positive definite")[j]
        })
        .collect()
}

/// The diagonal of `(X^T X)^{-1}`.
pub(super) fn inverse_gram_diagonal(x: &Mat<f64>) -> Vec<f64> {
    inverse_diagonal(&gram(x, &vec![1.0; x.nrows()]))
}
