//! Numbers in messages: as short as the value allows.

use std::fmt;

/// Displays an `f64` as a person would write it: whole numbers below `1e16` without a
/// fraction (`3`, `-1`), every other value in the shortest form that reads back to the same
/// bits (`0.1`, `1e308`, `1e-320`, `NaN`, `inf`); never the hundreds of digits of `{}` on
/// `1e308`.
///
/// # Examples
/// ```
/// use linmod_linalg_core::Short;
/// assert_eq!(Short(3.0).to_string(), "3");
/// assert_eq!(Short(-0.5).to_string(), "-0.5");
/// assert_eq!(Short(1e308).to_string(), "1e308");
/// assert_eq!(Short(1e-320).to_string(), "1e-320");
/// assert_eq!(Short(f64::NAN).to_string(), "NaN");
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Short(pub f64);

impl fmt::Display for Short {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = self.0;
        if v.fract() == 0.0 && v.abs() < 1e16 {
            write!(f, "{v}")
        } else {
            write!(f, "{v:?}")
        }
    }
}
