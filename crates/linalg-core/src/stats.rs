//! Column statistics of a data matrix.

use faer::MatRef;
use rayon::prelude::*;

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
    match par {
        Parallelism::Sequential => out
            .iter_mut()
            .enumerate()
            .for_each(|(j, s)| *s = x.column_sum(j)),
        Parallelism::Rayon => out
            .par_iter_mut()
            .enumerate()
            .for_each(|(j, s)| *s = x.column_sum(j)),
    }
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
    match weights {
        None => (0..x.ncols()).map(|j| x.col(j).sum() / n as f64).collect(),
        Some(s) => {
            assert_eq!(s.len(), n, "weights need one entry per row");
            let total: f64 = s.iter().sum();
            (0..x.ncols())
                .map(|j| x.col(j).iter().zip(s).map(|(v, w)| v * w).sum::<f64>() / total)
                .collect()
        }
    }
}

/// Standard deviations of the columns of `x` around `means`, with `ddof` delta degrees of
/// freedom: `sqrt(sum_i (x_ij - mean_j)^2 / (n - ddof))` (`ddof = 0`: population, as
/// scikit-learn's `StandardScaler`; `ddof = 1`: sample).
///
/// Computed in a second pass around the given means, which is accurate even when the means
/// are large compared with the spread. Returns zeros when `n <= ddof`.
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
    (0..x.ncols())
        .map(|j| {
            let m = means[j];
            let ss: f64 = x.col(j).iter().map(|v| (v - m) * (v - m)).sum();
            (ss / (n - ddof) as f64).sqrt()
        })
        .collect()
}
