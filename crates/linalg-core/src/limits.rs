//! Limits on sizes that come from data rather than from memory, shared by every crate so that
//! a loader and a model agree on what they accept.

/// Class labels are whole numbers in `0..MAX_CLASSES`: a label bounds the per-class buffers
/// (counts, weights, coefficient columns) sized from it, so a stray large value is refused
/// before anything is allocated.
///
/// # Examples
/// ```
/// assert_eq!(linmod_linalg_core::MAX_CLASSES, 1 << 20);
/// ```
pub const MAX_CLASSES: usize = 1 << 20;
