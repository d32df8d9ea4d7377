//! Helpers shared by the tests of several modules.

use proptest::prelude::*;

/// Any finite `f64`, subnormals, signed zeros and extremes included.
pub(crate) fn finite() -> impl Strategy<Value = f64> {
    use proptest::num::f64::{NEGATIVE, NORMAL, POSITIVE, SUBNORMAL, ZERO};
    POSITIVE | NEGATIVE | NORMAL | SUBNORMAL | ZERO
}
