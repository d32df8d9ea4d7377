//! Helpers shared by the tests of several modules.

use proptest::prelude::*;

/// Any finite `f64`, subnormals, signed zeros and extremes included.
pub(crate) fn finite() -> impl Strategy<Value = f64> {
    use proptest::num::f64::{NEGATIVE, NORMAL, POSITIVE, SUBNORMAL, ZERO};
    POSITIVE | NEGATIVE | NORMAL | SUBNORMAL | ZERO
}

/// A proptest configuration with `default` cases, or `PROPTEST_CASES` when set (a literal
/// `cases` field would ignore the variable: proptest reads it only for its own default).
pub(crate) fn cases(default: u32) -> ProptestConfig {
    let n = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig::with_cases(n)
}
