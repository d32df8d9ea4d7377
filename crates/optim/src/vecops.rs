//! Small dense-vector helpers on slices.

use linalg_core::MatRef;

pub(crate) fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

pub(crate) fn norm_inf(a: &[f64]) -> f64 {
    a.iter().fold(0.0, |m, v| m.max(v.abs()))
}

/// The larger of `m` and `a`, NaN when either is NaN (`f64::max` would skip a NaN, and the
/// driver must see it).
pub(crate) fn nan_max(m: f64, a: f64) -> f64 {
    if a > m || a.is_nan() { a } else { m }
}

/// The infinity norm of a gradient, NaN when an entry is NaN.
pub(crate) fn grad_norm(g: &[f64]) -> f64 {
    g.iter().fold(0.0, |m, v| nan_max(m, v.abs()))
}

pub(crate) fn norm2(a: &[f64]) -> f64 {
    dot(a, a).sqrt()
}

/// `out = x + alpha d`.
pub(crate) fn step_to(out: &mut [f64], x: &[f64], alpha: f64, d: &[f64]) {
    for ((o, xi), di) in out.iter_mut().zip(x).zip(d) {
        *o = xi + alpha * di;
    }
}

/// `max_i |a_i - b_i|`.
pub(crate) fn max_abs_diff(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).fold(0.0, |m, (x, y)| m.max((x - y).abs()))
}

/// Index and value of the first non-finite entry.
pub(crate) fn first_non_finite(a: &[f64]) -> Option<(usize, f64)> {
    a.iter()
        .enumerate()
        .find(|(_, v)| !v.is_finite())
        .map(|(i, v)| (i, *v))
}

/// True when the lower triangle (diagonal included) of the square `h` is finite: the part of a
/// Hessian that [`SecondOrder::hessian`](crate::SecondOrder::hessian) writes.
pub(crate) fn lower_is_finite(h: MatRef<'_, f64>) -> bool {
    (0..h.ncols()).all(|j| (j..h.nrows()).all(|i| h[(i, j)].is_finite()))
}
