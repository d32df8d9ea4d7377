//! The loops shared by the sparse storages: products of one compressed line with dense
//! vectors, and access to the columns of a dense `MatRef` as slices.

use faer::prelude::{Reborrow, ReborrowMut};
use faer::{MatMut, MatRef};

/// `sum_k values_k v[indices_k]`: one compressed line times a dense vector.
#[inline]
pub(super) fn line_dot(indices: &[u32], values: &[f64], v: &[f64]) -> f64 {
    let mut acc = [0.0f64; 2];
    let pairs = indices.len() / 2;
    for c in 0..pairs {
        acc[0] += values[2 * c] * v[indices[2 * c] as usize];
        acc[1] += values[2 * c + 1] * v[indices[2 * c + 1] as usize];
    }
    let mut total = acc[0] + acc[1];
    if indices.len() % 2 == 1 {
        let last = indices.len() - 1;
        total += values[last] * v[indices[last] as usize];
    }
    total
}

/// `v[indices_k] += alpha values_k`: a dense vector plus a multiple of one compressed line.
#[inline]
pub(super) fn line_axpy(indices: &[u32], values: &[f64], alpha: f64, v: &mut [f64]) {
    for (&j, &x) in indices.iter().zip(values) {
        v[j as usize] += alpha * x;
    }
}

/// Calls `f` with column `c` of `m` as a contiguous slice (copied only when the view is
/// strided, which the models' buffers never are).
pub(super) fn with_column<R>(m: MatRef<'_, f64>, c: usize, f: impl FnOnce(&[f64]) -> R) -> R {
    match m.col(c).try_as_col_major() {
        Some(col) => f(col.as_slice()),
        None => {
            let copy: Vec<f64> = m.col(c).iter().copied().collect();
            f(&copy)
        }
    }
}

/// Calls `f` with column `c` of `m` as a mutable contiguous slice (through a copy written
/// back when the view is strided).
pub(super) fn with_column_mut(mut m: MatMut<'_, f64>, c: usize, f: impl FnOnce(&mut [f64])) {
    if let Some(col) = m.rb_mut().col_mut(c).try_as_col_major_mut() {
        f(col.as_slice_mut());
        return;
    }
    let mut copy: Vec<f64> = m.rb().col(c).iter().copied().collect();
    f(&mut copy);
    for (dst, v) in m.col_mut(c).iter_mut().zip(copy) {
        *dst = v;
    }
}

/// Position of `target` in the sorted `indices`, if stored.
#[inline]
pub(super) fn find(indices: &[u32], target: usize) -> Option<usize> {
    u32::try_from(target)
        .ok()
        .and_then(|t| indices.binary_search(&t).ok())
}

/// The sub-range of a sorted line whose indices lie in `range`.
#[inline]
pub(super) fn span(indices: &[u32], range: &std::ops::Range<usize>) -> std::ops::Range<usize> {
    let lo = indices.partition_point(|&i| (i as usize) < range.start);
    let hi = lo + indices[lo..].partition_point(|&i| (i as usize) < range.end);
    lo..hi
}
