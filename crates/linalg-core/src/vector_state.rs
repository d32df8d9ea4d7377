//! Matrix products that leave the vector unit in a clean state.
//!
//! On x86-64, faer multiplies matrices with hand-written AVX kernels that return without
//! `vzeroupper`. Until the upper halves of the YMM registers are cleared, every SSE
//! instruction that follows (scalar code compiled for the x86-64 baseline, and libm's `exp`)
//! pays a state-transition penalty: the softmax after a product ran up to 10 times slower.
//! A faer reduction runs compiled AVX code, which ends with `vzeroupper`, so one on a tiny
//! vector after each product clears the state in nanoseconds. Building for the native CPU
//! (the workspace's `.cargo/config.toml`) avoids the penalty too, but crates that depend on
//! linmod are built with their own flags.

use faer::linalg::matmul::matmul;
use faer::{Accum, ColRef, MatMut, MatRef, Par};

/// Clears the upper halves of the vector registers after faer's AVX kernels (see the module
/// documentation).
#[inline]
pub(crate) fn settle() {
    std::hint::black_box(ColRef::from_slice(std::hint::black_box(&[0.0f64; 4])).sum());
}

/// `dst = alpha lhs rhs` (`Accum::Replace`) or `dst += alpha lhs rhs` (`Accum::Add`),
/// sequentially, leaving the vector unit clean for the scalar code that follows.
///
/// # Panics
/// If the shapes do not match.
///
/// # Examples
/// ```
/// use linmod_linalg_core::{Mat, faer::Accum, mat, matmul_seq};
/// let a = mat![[1.0, 2.0], [3.0, 4.0]];
/// let mut c = Mat::<f64>::zeros(2, 2);
/// matmul_seq(c.as_mut(), Accum::Replace, a.as_ref(), a.as_ref(), 1.0);
/// assert_eq!(c[(1, 1)], 22.0);
/// ```
pub fn matmul_seq(
    dst: MatMut<'_, f64>,
    accum: Accum,
    lhs: MatRef<'_, f64>,
    rhs: MatRef<'_, f64>,
    alpha: f64,
) {
    matmul(dst, accum, lhs, rhs, alpha, Par::Seq);
    settle();
}

/// `sum_i v_i` with faer's vectorized reduction: several accumulators instead of one serial
/// chain of dependent additions (about 4 times faster on long slices), in an order that
/// depends only on the length.
#[inline]
pub(crate) fn vector_sum(v: &[f64]) -> f64 {
    ColRef::from_slice(v).sum()
}
