//! The error type of `optim`.

use linalg_core::LinalgError;

/// Why a solver could not run.
///
/// Reasons a run *stopped* (iteration limit, divergence, line-search failure) are not errors:
/// they are reported as [`Termination`](crate::Termination) in the [`Report`](crate::Report),
/// together with the last iterate.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum OptimError {
    /// A solver setting is out of its valid range.
    #[error("invalid {name} = {value_short}: must be {requirement}", value_short = linalg_core::Short(*.value))]
    InvalidParameter {
        /// The setting.
        name: &'static str,
        /// The value given.
        value: f64,
        /// The valid range, in words.
        requirement: &'static str,
    },
    /// The starting point does not have the objective's dimension.
    #[error("starting point has {found} entries but the objective has dimension {expected}")]
    DimensionMismatch {
        /// The objective's dimension.
        expected: usize,
        /// The length of the starting point.
        found: usize,
    },
    /// The starting point, or the objective or its gradient there, is not finite.
    #[error(
        "{what} is not finite at the starting point (entry {index} = {value_short}); \
         choose another starting point or check the data", value_short = linalg_core::Short(*.value))]
    NonFiniteStart {
        /// "starting point", "objective value" or "gradient".
        what: &'static str,
        /// The offending entry (0 for the value).
        index: usize,
        /// The offending value.
        value: f64,
    },
    /// A factorization failed in a way no fallback could repair.
    #[error(transparent)]
    Linalg(#[from] LinalgError),
}

/// Result type of `optim`.
pub type Result<T> = std::result::Result<T, OptimError>;

/// Checks that a setting is finite and inside `[lo, hi]` (or `(lo, hi]` when `open_lo`).
pub(crate) fn check_range(
    name: &'static str,
    value: f64,
    lo: f64,
    hi: f64,
    open_lo: bool,
    requirement: &'static str,
) -> Result<()> {
    let above = if open_lo { value > lo } else { value >= lo };
    if value.is_finite() && above && value <= hi {
        Ok(())
    } else {
        Err(OptimError::InvalidParameter {
            name,
            value,
            requirement,
        })
    }
}
