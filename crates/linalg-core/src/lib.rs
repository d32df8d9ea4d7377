//! Dense linear-algebra kernels for linmod, on [`faer`].
//!
//! This is the only crate of the workspace that depends on faer: it re-exports the faer types
//! the other crates use ([`Mat`], [`MatRef`], [`Col`], ...) and the kernels every model is made
//! of:
//!
//! | kernel | computes |
//! |---|---|
//! | [`fused_gradient`] | `Z = X W + 1 b^T`, `R = f(Z)`, `X^T R` and `R^T 1` in **one** pass over `X` |
//! | [`fused_value`] | `sum f(X W + 1 b^T)` (value only) |
//! | [`mul_xw`], [`mul_xtr`] | `X W + 1 b^T`, `X^T R` |
//! | [`weighted_gram`] | lower triangle of `X^T diag(d) X`, plus `X^T d` and `sum d` |
//! | [`Cholesky`], [`solve_spd`], [`factor_with_shift`] | `A = L L^T`, solves, shifted fallback |
//! | [`lstsq`] | minimum-norm least squares (pivoted QR, SVD when rank deficient) |
//! | [`ScaledQr`] | pivoted QR of the equilibrated matrix: rank and aliased columns after scaling, solves, `(A^T A)^{-1}` |
//! | [`column_means`], [`column_stds`] | per-feature statistics |
//! | [`CsrMatrix`], [`CscMatrix`] | sparse designs: every kernel above in `O(nnz)` |
//! | [`sigmoid`], [`softplus`], [`log_sigmoid`], [`logsumexp`], [`softmax_in_place`] | stable scalars |
//!
//! # Determinism
//! Blocked kernels split the rows into a fixed partition ([`RowBlocks`]) that depends on the
//! shape only. Each task of the partition runs sequentially and the task results are added in
//! task order, so every result is bit-for-bit identical for any number of threads
//! ([`Parallelism::Rayon`] runs on the current rayon pool).
//!
//! # Example: the logistic-loss gradient in one pass
//! The mean logistic loss `L(w, b) = 1/n sum_i [softplus(z_i) - y_i z_i]`, `z = X w + b`, has
//! gradient `X^T (sigma(z) - y) / n`:
//! ```
//! use linmod_linalg_core::{Mat, Parallelism, PassScratch, fused_gradient, mat, sigmoid, softplus};
//! let x = mat![[0.5, 1.0], [-1.0, 2.0], [1.5, -0.5]];
//! let y = [1.0, 0.0, 1.0];
//! let w = mat![[0.1], [-0.2]];
//! let n = y.len() as f64;
//! let mut scratch = PassScratch::for_matrix(x.as_ref(), 1);
//! let mut grad = Mat::<f64>::zeros(2, 1);
//! let mut grad_b = [0.0];
//! let loss = fused_gradient(
//!     x.as_ref(), w.as_ref(), &[0.3], &mut scratch, Parallelism::Rayon,
//!     |rows, z| {
//!         let mut s = 0.0;
//!         for (zi, &yi) in z.iter_mut().zip(&y[rows]) {
//!             s += softplus(*zi) - yi * *zi;
//!             *zi = sigmoid(*zi) - yi;
//!         }
//!         s
//!     },
//!     grad.as_mut(), &mut grad_b,
//! ) / n;
//! assert!((loss - 0.558196).abs() < 1e-6);
//! assert!((grad[(0, 0)] / n + 0.410083).abs() < 1e-6);
//! ```

mod cholesky;
mod compensated;
mod design;
mod display;
mod error;
mod fused;
mod gram;
#[cfg(feature = "ndarray")]
mod interop;
mod limits;
mod lstsq;
mod partition;
mod products;
mod scaled_qr;
mod sparse;
mod special;
mod stats;
mod vector_state;

pub use cholesky::{Cholesky, factor_with_shift, solve_spd};
pub use compensated::{pow_compensated, residual_compensated, two_prod, two_sum, xtv_compensated};
pub use design::Design;
pub use display::Short;
pub use error::{LinalgError, Result};
pub use fused::{PassScratch, fused_gradient, fused_gradient_rows, fused_value};
pub use gram::{GramScratch, gram_matrix, symmetrize_lower, weighted_gram};
#[cfg(feature = "ndarray")]
pub use interop::{mat_from_ndarray, mat_to_ndarray, slice_from_ndarray};
pub use limits::MAX_CLASSES;
pub use lstsq::{LeastSquares, LstsqMethod, lstsq};
pub use partition::{Parallelism, RowBlocks};
pub use products::{mul_xtr, mul_xw};
pub use scaled_qr::{ScaledQr, default_rank_tolerance, power_of_two_scale};
pub use sparse::{CscMatrix, CsrMatrix};
pub use special::{log_sigmoid, logsumexp, sigmoid, softmax_in_place, softplus};
pub use stats::{column_means, column_stds, column_sums, means_from_sums};
pub use vector_state::matmul_seq;

/// The faer crate itself, for what the re-exports below do not cover.
pub use faer;
pub use faer::{Col, ColMut, ColRef, Mat, MatMut, MatRef, Row, RowMut, RowRef, col, mat, row};

// The README's examples run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
