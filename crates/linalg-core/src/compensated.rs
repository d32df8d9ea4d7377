//! Residuals and products with `X` accurate to about twice the working precision
//! (compensated summation with error-free transformations), for iterative refinement.
//!
//! `two_sum(a, b)` returns `s = fl(a + b)` and the exact rounding error `t`, `a + b = s + t`
//! (Knuth); `two_prod(a, b)` returns `p = fl(a b)` and `e = a b - p` exactly, from one fused
//! multiply-add. Accumulating the errors separately ("Dot2", Ogita, Rump & Oishi, *Accurate
//! sum and dot product*, SIAM J. Sci. Comput. 26, 2005) gives a result as accurate as if it
//! were computed in double-double precision and then rounded: the error is
//! `eps |result| + n^2 eps^2 sum |terms|`. A refinement step with such residuals converges
//! to the solution of the problem posed by the data, not of its rounded copy.

use faer::MatRef;
use rayon::prelude::*;

use crate::partition::Parallelism;

/// `(s, t)` with `s = fl(a + b)` and `a + b = s + t` exactly.
#[inline]
#[must_use]
pub fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let bb = s - a;
    (s, (a - (s - bb)) + (b - bb))
}

/// `(p, e)` with `p = fl(a b)` and `a b = p + e` exactly (barring underflow).
#[inline]
#[must_use]
pub fn two_prod(a: f64, b: f64) -> (f64, f64) {
    let p = a * b;
    (p, a.mul_add(b, -p))
}

/// `x^k` carried in double-double (each product's exact error from [`two_prod`]) and
/// rounded once: within about half a unit in the last place, where repeated multiplication
/// in `f64` is off by up to `k / 2` units. Polynomial designs built from it (`x, x^2, ...`)
/// are the data rounded once, not `k` times.
///
/// # Examples
/// ```
/// use linmod_linalg_core::pow_compensated;
/// assert_eq!(pow_compensated(1.5, 10), 57.6650390625);
/// // 3^40 = 12157665459056928801 is not a double: the result is its nearest one
/// assert_eq!(pow_compensated(3.0, 40), 12157665459056928801.0);
/// ```
#[must_use]
pub fn pow_compensated(x: f64, k: usize) -> f64 {
    let (mut hi, mut lo) = (1.0f64, 0.0f64);
    for _ in 0..k {
        let (p, e) = two_prod(hi, x);
        let (s, t) = two_sum(p, lo * x + e);
        hi = s;
        lo = t;
    }
    hi + lo
}

/// Rows per task of the residual kernel: the rows are independent, so the split changes
/// nothing in the result.
const ROWS_PER_TASK: usize = 4096;

/// `out_i = c_i (y_i - b - x_i.w) - r_i` for every row, each computed with compensated
/// accumulation and rounded once (`c = 1` when `row_scale` is `None`): the residual of
/// the first block row of the augmented least-squares system `[I A; A^T 0] [r; theta] =
/// [c y; 0]` with `A = diag(c) [1, X]`.
///
/// # Panics
/// If the lengths do not match `x`.
///
/// # Examples
/// ```
/// use linmod_linalg_core::{Parallelism, mat, residual_compensated};
/// // 1 + 1e-17 - 1 is lost in plain arithmetic: 1e-16 * 0.1 is below half an ulp of 1
/// let x = mat![[1.0], [3.0]];
/// let out = residual_compensated(x.as_ref(), &[0.1], 0.0, &[0.1, 0.3 + 1e-17], None, &[0.0, 0.0],
///     Parallelism::Sequential);
/// assert!(out[0].abs() < 1e-17);
/// ```
#[must_use]
pub fn residual_compensated(
    x: MatRef<'_, f64>,
    w: &[f64],
    b: f64,
    y: &[f64],
    row_scale: Option<&[f64]>,
    r: &[f64],
    par: Parallelism,
) -> Vec<f64> {
    let (n, p) = (x.nrows(), x.ncols());
    assert_eq!(w.len(), p, "coefficients need one entry per column");
    assert_eq!(y.len(), n, "target needs one entry per row");
    assert_eq!(r.len(), n, "residuals need one entry per row");
    if let Some(c) = row_scale {
        assert_eq!(c.len(), n, "row scales need one entry per row");
    }
    let mut out = vec![0.0; n];
    let task = |(t, chunk): (usize, &mut [f64])| {
        let start = t * ROWS_PER_TASK;
        let len = chunk.len();
        let mut hi: Vec<f64> = y[start..start + len].to_vec();
        let mut lo = vec![0.0; len];
        let mut add = |k: usize, v: f64, err: f64| {
            let (s, e) = two_sum(hi[k], v);
            hi[k] = s;
            lo[k] += e + err;
        };
        for k in 0..len {
            add(k, -b, 0.0);
        }
        for (j, &wj) in w.iter().enumerate() {
            if wj == 0.0 {
                continue;
            }
            let col = x.col(j);
            for k in 0..len {
                let (prod, err) = two_prod(col[start + k], wj);
                add(k, -prod, -err);
            }
        }
        for (k, o) in chunk.iter_mut().enumerate() {
            let i = start + k;
            let c = row_scale.map_or(1.0, |c| c[i]);
            // c (hi + lo) - r with the product and the difference compensated again
            let (ph, pe) = two_prod(c, hi[k]);
            let (s, e) = two_sum(ph, -r[i]);
            *o = s + (e + pe + c * lo[k]);
        }
    };
    match par {
        Parallelism::Sequential => out.chunks_mut(ROWS_PER_TASK).enumerate().for_each(task),
        Parallelism::Rayon => out.par_chunks_mut(ROWS_PER_TASK).enumerate().for_each(task),
    }
    out
}

/// `(X^T diag(c) v, c^T v)` with every dot product computed by compensated accumulation and
/// rounded once (`c = 1` when `row_scale` is `None`).
///
/// # Panics
/// If the lengths do not match `x`.
///
/// # Examples
/// ```
/// use linmod_linalg_core::{Parallelism, mat, xtv_compensated};
/// let x = mat![[1e16], [1.0], [-1e16]];
/// let (g, s) = xtv_compensated(x.as_ref(), &[1.0, 1.0, 1.0], None, Parallelism::Sequential);
/// assert_eq!(g[0], 1.0); // plain summation gives 0
/// assert_eq!(s, 3.0);
/// ```
#[must_use]
pub fn xtv_compensated(
    x: MatRef<'_, f64>,
    v: &[f64],
    row_scale: Option<&[f64]>,
    par: Parallelism,
) -> (Vec<f64>, f64) {
    let (n, p) = (x.nrows(), x.ncols());
    assert_eq!(v.len(), n, "vector needs one entry per row");
    // c_i v_i = hi_i + lo_i exactly
    let (hi_v, lo_v): (Vec<f64>, Vec<f64>) = match row_scale {
        Some(c) => {
            assert_eq!(c.len(), n, "row scales need one entry per row");
            v.iter().zip(c).map(|(a, b)| two_prod(*a, *b)).unzip()
        }
        None => (v.to_vec(), vec![0.0; n]),
    };
    let dot = |col: &mut dyn Iterator<Item = f64>| {
        let (mut hi, mut lo) = (0.0f64, 0.0f64);
        for ((a, h), l) in col.zip(&hi_v).zip(&lo_v) {
            let (prod, err) = two_prod(a, *h);
            let (s, e) = two_sum(hi, prod);
            hi = s;
            lo += e + err + a * l;
        }
        hi + lo
    };
    let mut g = vec![0.0; p];
    let fill = |(j, gj): (usize, &mut f64)| *gj = dot(&mut x.col(j).iter().copied());
    match par {
        Parallelism::Sequential => g.iter_mut().enumerate().for_each(fill),
        Parallelism::Rayon => g.par_iter_mut().enumerate().for_each(fill),
    }
    let total = dot(&mut std::iter::repeat_n(1.0, n));
    (g, total)
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // error-free transformations are exact
mod tests {
    use super::*;

    #[test]
    fn error_free_transformations_are_exact() {
        let (s, t) = two_sum(1.0, 1e-17);
        assert_eq!((s, t), (1.0, 1e-17));
        let a = 1.0 + f64::EPSILON;
        let (p, e) = two_prod(a, a);
        // (1 + eps)^2 = 1 + 2 eps + eps^2: the eps^2 is the error term
        assert_eq!(p, 1.0 + 2.0 * f64::EPSILON);
        assert_eq!(e, f64::EPSILON * f64::EPSILON);
    }
}
