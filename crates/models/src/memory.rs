//! Allocations whose size comes from the input: checked before they are made.

use crate::error::{ModelError, Result};

/// Fails with [`ModelError::OutOfMemory`] unless `count` `f64` values (`None`: a count that
/// overflowed) can be allocated. The check reserves the memory and releases it at once; the
/// reservation touches no page, so it costs nothing when it succeeds, and it turns a request
/// the system cannot grant into an error instead of an abort.
pub(crate) fn ensure_f64s(count: Option<usize>, what: &'static str) -> Result<()> {
    let bytes = count.and_then(|c| c.checked_mul(8));
    let granted = bytes.is_some_and(|b| {
        let mut probe: Vec<u8> = Vec::new();
        b <= isize::MAX as usize && probe.try_reserve_exact(b).is_ok()
    });
    if granted {
        Ok(())
    } else {
        Err(ModelError::OutOfMemory {
            what,
            bytes: count.map_or(f64::INFINITY, |c| c as f64 * 8.0),
        })
    }
}

/// Fails unless a `dim x dim` matrix of `f64` (times `copies`) can be allocated.
pub(crate) fn ensure_square(dim: usize, copies: usize, what: &'static str) -> Result<()> {
    ensure_f64s(
        dim.checked_mul(dim).and_then(|d| d.checked_mul(copies)),
        what,
    )
}

/// `80.0 GB`, `512 bytes`: a size for a message.
pub(crate) fn size_text(bytes: f64) -> String {
    if !bytes.is_finite() {
        return "more bytes than an address can count".into();
    }
    let units = [(1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "kB")];
    match units.iter().find(|(scale, _)| bytes >= *scale) {
        Some((scale, unit)) => format!("{:.1} {unit}", bytes / scale),
        None => format!("{bytes} bytes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impossible_sizes_are_errors_and_small_ones_pass() {
        assert!(ensure_f64s(Some(1000), "a test").is_ok());
        let err = ensure_f64s(Some(usize::MAX / 8), "a test").unwrap_err();
        assert!(err.to_string().contains("a test needs"), "{err}");
        assert!(ensure_f64s(None, "a test").is_err());
        assert!(ensure_square(1 << 40, 1, "a test").is_err());
        assert_eq!(size_text(8e10), "80.0 GB");
        assert_eq!(size_text(512.0), "512 bytes");
    }
}
