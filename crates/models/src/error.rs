//! The error type of `models`.

/// Errors of model fitting, prediction and evaluation.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// Two inputs that must have the same length do not.
    #[error("length mismatch: {what_a} has {len_a} entries but {what_b} has {len_b}")]
    LengthMismatch {
        /// First input.
        what_a: &'static str,
        /// Its length.
        len_a: usize,
        /// Second input.
        what_b: &'static str,
        /// Its length.
        len_b: usize,
    },
    /// An input is empty where at least one entry is needed.
    #[error("{what} is empty")]
    Empty {
        /// The empty input.
        what: &'static str,
    },
    /// A value that must be finite is not.
    #[error("non-finite value {value} in {what} at index {index}")]
    NonFinite {
        /// The input holding the value.
        what: &'static str,
        /// Position of the value.
        index: usize,
        /// The value.
        value: f64,
    },
}

/// Result type of `models`.
pub type Result<T> = std::result::Result<T, ModelError>;
