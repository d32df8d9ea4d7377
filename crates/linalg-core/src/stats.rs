//! Column statistics of a data matrix.

use faer::MatRef;

use crate::design::Design;
use crate::partition::Parallelism;

/// Sums of the columns of `x`, `s_j = sum_i x_ij`, with faer's vectorized reduction.
///
/// With [`Parallelism::Rayon`] the columns are shared out between threads, but each column is
/// summed by one thread in a fixed order, so the result is identical for any thread count.
/// A sum is finite exactly when its column holds no NaN or infinity and does not overflow,
/// which makes this pass a fast finiteness check as well.
///
/// # Examples
/// ```
/// use linmod_linalg_core::{Parallelism, column_sums, mat};
/// let x = mat![[1.0, 10.0], [3.0, f64::INFINITY]];
/// let s = column_sums(x.as_ref(), Parallelism::Rayon);
/// assert_eq!(s[0], 4.0);
/// assert!(s[1].is_infinite());
/// ```
#[must_use]
pub fn column_sums<D: Design>(x: D, par: Parallelism) -> Vec<f64> {
    let mut out = vec![0.0; x.ncols()];
    x.column_sums_into(&mut out, par);
    out
}

/// Means of the columns of `x` (one per feature), optionally weighted:
/// `mean_j = sum_i s_i x_ij / sum_i s_i`.
///
/// Returns zeros for a matrix without rows.
///
/// # Panics
/// If `weights` is given with a length other than the number of rows.
///
/// # Panics
/// If `weights` does not have one entry per row of `x`.
///
/// # Examples
/// ```
/// use linmod_linalg_core::{column_means, mat};
/// let x = mat![[1.0, 10.0], [3.0, 20.0]];
/// assert_eq!(column_means(x.as_ref(), None), vec![2.0, 15.0]);
/// assert_eq!(column_means(x.as_ref(), Some(&[3.0, 1.0])), vec![1.5, 12.5]);
/// ```
#[must_use]
pub fn column_means(x: MatRef<'_, f64>, weights: Option<&[f64]>) -> Vec<f64> {
    let n = x.nrows();
    if n == 0 {
        return vec![0.0; x.ncols()];
    }
    if let Some(s) = weights {
        assert_eq!(s.len(), n, "weights need one entry per row");
    }
    let total: f64 = weights.map_or(n as f64, |s| s.iter().sum());
    (0..x.ncols())
        .map(|j| {
            let col = x.col(j);
            let plain = match weights {
                None => col.sum(),
                Some(s) => col.iter().zip(s).map(|(v, w)| v * w).sum::<f64>(),
            } / total;
            if plain.is_finite() || !col.iter().all(|v| v.is_finite()) {
                return plain;
            }
            // finite values whose sum overflows: sum them divided by a power of two near
            // their largest magnitude (exact), and multiply back after dividing by the total
            let big = crate::power_of_two_scale(col.iter().fold(0.0f64, |m, v| m.max(v.abs())));
            let scaled = match weights {
                None => col.iter().map(|v| v / big).sum::<f64>(),
                Some(s) => col.iter().zip(s).map(|(v, w)| (v / big) * w).sum::<f64>(),
            };
            scaled / total * big
        })
        .collect()
}

/// Column means of finite data without overflow, from precomputed column sums: each sum
/// that is not finite (its column's values overflow when added) is recomputed on the
/// column divided by a power of two near its largest magnitude. Non-finite sums of
/// columns that hold NaN or an infinity stay as they are.
///
/// # Panics
/// If `sums` does not have one entry per column.
///
/// # Examples
/// ```
/// use linmod_linalg_core::{Parallelism, column_sums, means_from_sums, mat};
/// let x = mat![[f64::MAX, 1.0], [f64::MAX, 3.0]];
/// let sums = column_sums(x.as_ref(), Parallelism::Rayon);
/// assert!(sums[0].is_infinite());
/// assert_eq!(means_from_sums(x.as_ref(), &sums), vec![f64::MAX, 2.0]);
/// ```
#[must_use]
pub fn means_from_sums(x: MatRef<'_, f64>, sums: &[f64]) -> Vec<f64> {
    assert_eq!(sums.len(), x.ncols(), "sums need one entry per column");
    let n = x.nrows().max(1) as f64;
    sums.iter()
        .enumerate()
        .map(|(j, &s)| {
            if s.is_finite() {
                s / n
            } else {
                let col = x.col(j);
                if !col.iter().all(|v| v.is_finite()) {
                    return s / n;
                }
                let big = crate::power_of_two_scale(col.iter().fold(0.0f64, |m, v| m.max(v.abs())));
                col.iter().map(|v| v / big).sum::<f64>() / n * big
            }
        })
        .collect()
}

/// Standard deviations of the columns of `x` around `means`, with `ddof` delta degrees of
/// freedom: `sqrt(sum_i (x_ij - mean_j)^2 / (n - ddof))` (`ddof = 0`: population, as
/// scikit-learn's `StandardScaler`; `ddof = 1`: sample).
///
/// Computed in a second pass around the given means, which is accurate even when the means
/// are large compared with the spread, and without overflow or underflow of the squares for
/// any finite deviations (a third pass rescales the column when they would). A deviation
/// that itself overflows (values spanning more than `f64::MAX`) gives an infinite result.
/// Returns zeros when `n <= ddof`.
///
/// # Panics
/// If `means` does not have one entry per column.
///
/// # Panics
/// If `means` does not have one entry per column of `x`.
///
/// # Examples
/// ```
/// use linmod_linalg_core::{column_means, column_stds, mat};
/// let x = mat![[1.0, 5.0], [3.0, 5.0]];
/// let m = column_means(x.as_ref(), None);
/// assert_eq!(column_stds(x.as_ref(), &m, 0), vec![1.0, 0.0]);
/// ```
#[must_use]
pub fn column_stds(x: MatRef<'_, f64>, means: &[f64], ddof: usize) -> Vec<f64> {
    assert_eq!(means.len(), x.ncols(), "means need one entry per column");
    let n = x.nrows();
    if n <= ddof {
        return vec![0.0; x.ncols()];
    }
    let dof = (n - ddof) as f64;
    (0..x.ncols())
        .map(|j| {
            let m = means[j];
            let ss: f64 = x.col(j).iter().map(|v| (v - m) * (v - m)).sum();
            let plain = (ss / dof).sqrt();
            // squares beyond f64's range (deviations above about 1e154) overflow, and those
            // below about 1e-154 underflow: then divide the deviations by a power of two near
            // their largest magnitude first (exact), and multiply the root back
            if plain.is_finite() && ss > 1e-280 {
                return plain;
            }
            let big = x.col(j).iter().fold(0.0f64, |a, v| a.max((v - m).abs()));
            if big == 0.0 || !big.is_finite() {
                return if big == 0.0 { 0.0 } else { plain };
            }
            let scale = crate::power_of_two_scale(big);
            let ss: f64 = x
                .col(j)
                .iter()
                .map(|v| {
                    let d = (v - m) / scale;
                    d * d
                })
                .sum();
            (ss / dof).sqrt() * scale
        })
        .collect()
}
