//! Validated regression data with the statistics that turn the intercept problem into a
//! centered one.
//!
//! With weights `s_i` normalized to `sum s_i = n`, the weighted means `m = X^T s / n` and
//! `ybar = s^T y / n`, the minimizer of `1/(2n) sum s_i (y_i - x_i.w - b)^2 + P(w)` over `b`
//! is `b = ybar - m.w` for every `w`. Substituting it leaves the centered problem
//! `1/(2n) sum s_i (y_ci - x_ci.w)^2 + P(w)` with `x_ci = x_i - m`, `y_ci = y_i - ybar`. The
//! solvers never copy `X` to center it: they work with `X` and `m`.

use linalg_core::{MatMut, MatRef, Parallelism, PassScratch, mul_xtr};

use crate::data::{check_target, checked_column_sums, normalize_weights};
use crate::error::Result;

/// The data of one fit.
#[derive(Clone, Debug)]
pub(crate) struct Centered<'a> {
    pub x: MatRef<'a, f64>,
    pub y: &'a [f64],
    /// Weights normalized to sum to `n`; `None` for unit weights.
    pub weights: Option<Vec<f64>>,
    pub fit_intercept: bool,
    /// Weighted column means (zeros without an intercept).
    pub x_mean: Vec<f64>,
    /// Weighted mean of `y` (0 without an intercept).
    pub y_mean: f64,
    pub par: Parallelism,
}

impl<'a> Centered<'a> {
    /// Validates `x`, `y` and the weights and computes the means.
    pub fn new(
        x: MatRef<'a, f64>,
        y: &'a [f64],
        sample_weight: Option<&[f64]>,
        fit_intercept: bool,
        par: Parallelism,
    ) -> Result<Self> {
        let sums = checked_column_sums(x)?;
        check_target(y, x.nrows())?;
        let weights = normalize_weights(sample_weight, x.nrows())?;
        if fit_intercept && weights.is_none() {
            let n = x.nrows() as f64;
            let x_mean = linalg_core::means_from_sums(x, &sums);
            let y_mean = y.iter().sum::<f64>() / n;
            return Ok(Self {
                x,
                y,
                weights,
                fit_intercept,
                x_mean,
                y_mean,
                par,
            });
        }
        Ok(Self::from_checked(x, y, weights, fit_intercept, par))
    }

    /// As [`new`](Self::new) for data already validated, with normalized weights.
    pub fn from_checked(
        x: MatRef<'a, f64>,
        y: &'a [f64],
        weights: Option<Vec<f64>>,
        fit_intercept: bool,
        par: Parallelism,
    ) -> Self {
        let (x_mean, y_mean) = if fit_intercept {
            let xm = linalg_core::column_means(x, weights.as_deref());
            let n = y.len() as f64;
            let ym = match &weights {
                Some(s) => s.iter().zip(y).map(|(a, b)| a * b).sum::<f64>() / n,
                None => y.iter().sum::<f64>() / n,
            };
            (xm, ym)
        } else {
            (vec![0.0; x.ncols()], 0.0)
        };
        Self {
            x,
            y,
            weights,
            fit_intercept,
            x_mean,
            y_mean,
            par,
        }
    }

    pub fn n(&self) -> usize {
        self.x.nrows()
    }

    pub fn p(&self) -> usize {
        self.x.ncols()
    }

    /// Weight of row `i`.
    #[inline]
    pub fn weight(&self, i: usize) -> f64 {
        self.weights.as_ref().map_or(1.0, |s| s[i])
    }

    /// `sqrt(s_i)` for every row.
    pub fn sqrt_weights(&self) -> Vec<f64> {
        (0..self.n()).map(|i| self.weight(i).sqrt()).collect()
    }

    /// `y_c = y - ybar`.
    pub fn centered_target(&self) -> Vec<f64> {
        self.y.iter().map(|v| v - self.y_mean).collect()
    }

    /// `y_c^T S y_c / n`: the mean squared deviation of the target, the scale of the
    /// objective (a fit predicting `ybar` has loss half of it).
    pub fn target_scale(&self, yc: &[f64]) -> f64 {
        let ss: f64 = yc
            .iter()
            .enumerate()
            .map(|(i, v)| self.weight(i) * v * v)
            .sum();
        ss / self.n() as f64
    }

    /// `X_c^T S y_c / n`, computed as `X^T v - m (1^T v)` with `v = S y_c / n` (the
    /// correction vanishes in exact arithmetic because `y_c` is centered).
    pub fn xty(&self, yc: &[f64]) -> Vec<f64> {
        let n = self.n() as f64;
        let v: Vec<f64> = yc
            .iter()
            .enumerate()
            .map(|(i, r)| self.weight(i) * r / n)
            .collect();
        self.xtv_centered(&v)
    }

    /// `X_c^T v` for any `v` of length `n`.
    pub fn xtv_centered(&self, v: &[f64]) -> Vec<f64> {
        let mut scratch = PassScratch::for_matrix(self.x, 1);
        let mut out = vec![0.0; self.p()];
        self.xtv_centered_into(v, &mut scratch, &mut out);
        out
    }

    /// `out = X_c^T v = X^T v - m (1^T v)`, one blocked pass over `X` with the caller's
    /// scratch.
    pub fn xtv_centered_into(&self, v: &[f64], scratch: &mut PassScratch, out: &mut [f64]) {
        let p = self.p();
        mul_xtr(
            self.x,
            v,
            scratch,
            self.par,
            MatMut::from_column_major_slice_mut(out, p, 1),
        );
        let vsum: f64 = v.iter().sum();
        for (o, m) in out.iter_mut().zip(&self.x_mean) {
            *o -= m * vsum;
        }
    }

    /// The intercept `ybar - m.w` that goes with the coefficients `w` (0 without an
    /// intercept).
    pub fn intercept(&self, w: &[f64]) -> f64 {
        if self.fit_intercept {
            self.y_mean - self.x_mean.iter().zip(w).map(|(a, b)| a * b).sum::<f64>()
        } else {
            0.0
        }
    }
}
