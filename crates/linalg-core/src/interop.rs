//! Views between `ndarray` arrays and faer matrices, without copying (feature `ndarray`).
//!
//! Users of the `ndarray` ecosystem (linfa and friends) hold their data as `Array2<f64>`;
//! these functions let them pass it to linmod's models as a [`MatRef`] and read results back
//! as an `ArrayView2`, whatever the memory order (the view carries the strides).
//!
//! These functions take `ndarray` 0.17 types. Arrays of another version (linfa 0.8 uses
//! 0.16) need no feature: a contiguous array is a slice, which
//! [`MatRef::from_row_major_slice`] (standard layout) or [`MatRef::from_column_major_slice`]
//! (Fortran order) views without copying.

use faer::MatRef;
use faer_ext::{IntoFaer, IntoNdarray};
use ndarray::{ArrayView1, ArrayView2};

/// A faer view of an `ndarray` matrix (row-major, column-major or strided), sharing its
/// memory.
///
/// # Examples
/// ```
/// use ndarray::array;
/// let a = array![[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]];
/// let m = linmod_linalg_core::mat_from_ndarray(a.view());
/// assert_eq!((m.nrows(), m.ncols()), (3, 2));
/// assert_eq!(m[(2, 1)], 6.0);
/// ```
#[must_use]
pub fn mat_from_ndarray(a: ArrayView2<'_, f64>) -> MatRef<'_, f64> {
    a.into_faer()
}

/// An `ndarray` view of a faer matrix, sharing its memory.
///
/// # Examples
/// ```
/// use linmod_linalg_core::{mat, mat_to_ndarray};
/// let m = mat![[1.0, 2.0], [3.0, 4.0]];
/// let a = mat_to_ndarray(m.as_ref());
/// assert_eq!(a[[1, 0]], 3.0);
/// ```
#[must_use]
pub fn mat_to_ndarray(m: MatRef<'_, f64>) -> ArrayView2<'_, f64> {
    m.into_ndarray()
}

/// The elements of a one-dimensional array as a contiguous slice (a target or weight
/// vector), copying only when the array is not contiguous.
///
/// # Examples
/// ```
/// use ndarray::array;
/// let y = array![0.0, 1.0, 1.0];
/// assert_eq!(&*linmod_linalg_core::slice_from_ndarray(y.view()), &[0.0, 1.0, 1.0]);
/// ```
#[must_use]
pub fn slice_from_ndarray<'a>(v: ArrayView1<'a, f64>) -> std::borrow::Cow<'a, [f64]> {
    match v.to_slice() {
        Some(s) => std::borrow::Cow::Borrowed(s),
        None => std::borrow::Cow::Owned(v.iter().copied().collect()),
    }
}
