//! The error type of `linalg-core`.

/// Numerical failures of the kernels in this crate.
///
/// Shape mismatches between arguments are programming errors and panic with a message (the
/// callers in `models` validate user data first); what depends on the *values* of the data is
/// reported here.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum LinalgError {
    /// The Cholesky factorization met a pivot that is not positive: the matrix is not positive
    /// definite (or is singular to working precision).
    #[error(
        "matrix is not positive definite: Cholesky pivot {index} (0-based) is not positive; \
         the matrix is indefinite or singular (a ridge penalty or a diagonal shift makes it definite)"
    )]
    NotPositiveDefinite {
        /// Index of the first failing pivot, 0-based.
        index: usize,
    },
    /// The diagonal-shift fallback reached its limit without producing a factorization.
    #[error(
        "could not make the matrix positive definite: the diagonal shift grew to {shift:e} \
         (the matrix probably holds non-finite values)"
    )]
    ShiftLimit {
        /// Last shift tried.
        shift: f64,
    },
    /// A value that must be finite is not.
    #[error("non-finite value {value} in {what} at row {row}, column {col}")]
    NonFinite {
        /// What holds the value (for example "matrix" or "right-hand side").
        what: &'static str,
        /// Row of the value, 0-based.
        row: usize,
        /// Column of the value, 0-based.
        col: usize,
        /// The value itself.
        value: f64,
    },
    /// The arrays of a sparse matrix do not describe one (offsets that decrease or do not
    /// match the entries, an index out of range, unsorted or repeated indices in a line).
    #[error("invalid sparse matrix: {detail}")]
    InvalidSparse {
        /// What is wrong, with the line and index concerned.
        detail: String,
    },
    /// The singular value decomposition did not converge.
    #[error("the singular value decomposition did not converge")]
    SvdNoConvergence,
}

/// Result type of `linalg-core`.
pub type Result<T> = std::result::Result<T, LinalgError>;
