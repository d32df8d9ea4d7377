//! Sparse text-like data: tf-idf-shaped rows over a vocabulary with power-law word
//! frequencies, labelled by a logistic (or linear) model.

use linalg_core::{CsrMatrix, sigmoid};
use rand::{Rng, RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

use super::{check_features, check_rows};
use crate::error::{DatasetError, Result, invalid};
use crate::svmlight::SparseDataset;

/// A generator of sparse, text-shaped designs: `n` documents over a vocabulary of `p` words,
/// about `nnz_per_row` distinct words per document (uniformly between half and one and a half
/// times that), word `j` drawn with probability proportional to `1 / (j + 1)` (Zipf's law: the
/// first columns are in most rows, the last in almost none), values `u (1 + ln(j + 1))` with
/// `u` uniform in `[0.5, 1.5]` (a term frequency times an inverse document frequency), every
/// row scaled to unit Euclidean norm, as a tf-idf matrix is.
///
/// Labels come from `z_i = x_i . w + b` with `w_j ~ N(0, scale^2)`: `P(y = 1) = sigma(z)` for
/// classification (default), or `y = z + noise e` with `e ~ N(0, 1)` for regression. The
/// benchmark shapes are [`rcv1_shaped`](Self::rcv1_shaped) and
/// [`news20_shaped`](Self::news20_shaped).
///
/// # Examples
/// ```
/// use linmod_datasets::simulate::SparseText;
/// let (d, truth) = SparseText::new(500, 2000, 30).simulate(7)?;
/// assert_eq!((d.n_samples(), d.n_features()), (500, 2000));
/// assert!(d.x.nnz() > 500 * 15 && d.x.nnz() < 500 * 45);
/// let (idx, val) = d.x.row(0);
/// assert!((val.iter().map(|v| v * v).sum::<f64>() - 1.0).abs() < 1e-12);
/// assert!(d.y.iter().all(|&y| y == 0.0 || y == 1.0));
/// assert_eq!(truth.coef.len(), 2000);
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct SparseText {
    n: usize,
    p: usize,
    nnz_per_row: usize,
    scale: f64,
    intercept: f64,
    noise: Option<f64>,
}

/// The coefficients and intercept that generated a [`SparseText`] data set.
#[derive(Clone, Debug, PartialEq)]
pub struct TextTruth {
    /// One coefficient per word.
    pub coef: Vec<f64>,
    /// The intercept.
    pub intercept: f64,
}

impl SparseText {
    /// `n` rows, `p` columns, about `nnz_per_row` stored entries per row; coefficient scale 5,
    /// intercept 0, binary labels.
    #[must_use]
    pub fn new(n: usize, p: usize, nnz_per_row: usize) -> Self {
        Self {
            n,
            p,
            nnz_per_row,
            scale: 5.0,
            intercept: 0.0,
            noise: None,
        }
    }

    /// The shape of the RCV1 text-categorization set as LIBLINEAR's benchmarks use it:
    /// 200 000 x 50 000, about 60 entries per row.
    #[must_use]
    pub fn rcv1_shaped() -> Self {
        Self::new(200_000, 50_000, 60)
    }

    /// The shape of news20 (binary): 20 000 x 1 300 000, about 450 entries per row.
    #[must_use]
    pub fn news20_shaped() -> Self {
        Self::new(20_000, 1_300_000, 450)
    }

    /// Sets the standard deviation of the coefficients (default 5).
    #[must_use]
    pub fn scale(mut self, scale: f64) -> Self {
        self.scale = scale;
        self
    }

    /// Sets the intercept (default 0).
    #[must_use]
    pub fn intercept(mut self, b: f64) -> Self {
        self.intercept = b;
        self
    }

    /// Draws a continuous target `z + noise e` instead of binary labels.
    #[must_use]
    pub fn regression(mut self, noise: f64) -> Self {
        self.noise = Some(noise);
        self
    }

    /// Draws the data from `ChaCha8Rng::seed_from_u64(seed)`.
    ///
    /// # Errors
    /// As [`simulate_with_rng`](Self::simulate_with_rng).
    pub fn simulate(&self, seed: u64) -> Result<(SparseDataset, TextTruth)> {
        self.simulate_with_rng(&mut ChaCha8Rng::seed_from_u64(seed))
    }

    /// Draws the data from `rng`, row by row.
    ///
    /// # Errors
    /// [`DatasetError::InvalidParameter`] for no rows, no columns, more than `u32::MAX`
    /// columns, `nnz_per_row` of 0 or above `p`, a non-finite or negative scale, noise or a
    /// non-finite intercept; [`DatasetError::OutOfMemory`] when the arrays cannot be reserved.
    pub fn simulate_with_rng<R: Rng + ?Sized>(
        &self,
        rng: &mut R,
    ) -> Result<(SparseDataset, TextTruth)> {
        self.check()?;
        let (n, p, m) = (self.n, self.p, self.nnz_per_row);
        let coef: Vec<f64> = (0..p)
            .map(|_| self.scale * rng.sample::<f64, _>(StandardNormal))
            .collect();
        let max_entries = n.saturating_mul(m + m / 2 + 1);
        let oom = || DatasetError::OutOfMemory {
            file: "the simulated data".into(),
            bytes: (max_entries as u64).saturating_mul(12),
        };
        let (mut indptr, mut indices, mut values) = (Vec::new(), Vec::new(), Vec::new());
        indptr.try_reserve_exact(n + 1).map_err(|_| oom())?;
        indices.try_reserve_exact(max_entries).map_err(|_| oom())?;
        values.try_reserve_exact(max_entries).map_err(|_| oom())?;
        indptr.push(0);
        let mut y = Vec::with_capacity(n);
        let log_vocabulary = ((p + 1) as f64).ln();
        let mut row: Vec<u32> = Vec::with_capacity(2 * m + 1);
        for _ in 0..n {
            let k = rng.random_range(m.div_ceil(2)..=m + m / 2).min(p);
            row.clear();
            for _ in 0..k {
                // log-uniform on [1, p + 1): P(j) proportional to 1 / (j + 1)
                let j = (rng.random::<f64>() * log_vocabulary).exp() as usize - 1;
                row.push(j.min(p - 1) as u32);
            }
            row.sort_unstable();
            row.dedup();
            let start = values.len();
            let mut norm2 = 0.0;
            for &j in &row {
                let v = rng.random_range(0.5..1.5) * (1.0 + (f64::from(j) + 1.0).ln());
                norm2 += v * v;
                indices.push(j);
                values.push(v);
            }
            let inv = 1.0 / norm2.sqrt();
            let mut z = self.intercept;
            for (v, &j) in values[start..].iter_mut().zip(&row) {
                *v *= inv;
                z += *v * coef[j as usize];
            }
            y.push(match self.noise {
                Some(s) => z + s * rng.sample::<f64, _>(StandardNormal),
                None => f64::from(u8::from(rng.random::<f64>() < sigmoid(z))),
            });
            indptr.push(values.len());
        }
        let x = CsrMatrix::new(n, p, indptr, indices, values).map_err(|source| {
            DatasetError::InvalidSparse {
                file: "the simulated data".into(),
                source,
            }
        })?;
        let data = SparseDataset {
            x,
            y,
            zero_based: true,
        };
        let truth = TextTruth {
            coef,
            intercept: self.intercept,
        };
        Ok((data, truth))
    }

    fn check(&self) -> Result<()> {
        check_rows(self.n)?;
        check_features(self.p)?;
        if u32::try_from(self.p).is_err() {
            return Err(invalid("p", self.p, "at most 4294967295 columns"));
        }
        if self.nnz_per_row == 0 || self.nnz_per_row > self.p {
            return Err(invalid(
                "nnz_per_row",
                self.nnz_per_row,
                "from 1 to p entries per row",
            ));
        }
        if !(self.scale.is_finite() && self.scale >= 0.0) {
            return Err(invalid("scale", self.scale, "a finite value >= 0"));
        }
        if !self.intercept.is_finite() {
            return Err(invalid("intercept", self.intercept, "a finite value"));
        }
        if let Some(s) = self.noise
            && !(s.is_finite() && s >= 0.0)
        {
            return Err(invalid("noise", s, "a finite value >= 0"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use linalg_core::Design;

    #[test]
    fn frequencies_follow_the_power_law_and_draws_are_seeded() {
        let (d, _) = SparseText::new(4000, 1000, 20).simulate(3).unwrap();
        let mut counts = vec![0usize; 1000];
        d.x.indices().iter().for_each(|&j| counts[j as usize] += 1);
        // word 0 is in most documents, the last hundred words in few
        assert!(counts[0] > 4000 / 2, "{}", counts[0]);
        let tail: usize = counts[900..].iter().sum();
        assert!(tail < counts[0] / 2, "{tail}");
        let (again, _) = SparseText::new(4000, 1000, 20).simulate(3).unwrap();
        assert_eq!(again, d);
        let (other, _) = SparseText::new(4000, 1000, 20).simulate(4).unwrap();
        assert_ne!(other.x, d.x);
        // both classes, in proportions far from 0 and 1
        let ones = d.y.iter().sum::<f64>() / 4000.0;
        assert!((0.2..0.8).contains(&ones), "{ones}");
        assert_eq!(d.x.nrows(), 4000);
    }

    #[test]
    fn regression_targets_follow_the_truth() {
        let (d, truth) = SparseText::new(200, 300, 10)
            .intercept(2.0)
            .regression(0.0)
            .simulate(1)
            .unwrap();
        for i in [0, 99, 199] {
            let z = d.x.row_dot(i, &truth.coef) + 2.0;
            assert!((d.y[i] - z).abs() < 1e-12);
        }
    }

    #[test]
    fn invalid_settings_are_refused() {
        assert!(SparseText::new(0, 10, 1).simulate(0).is_err());
        assert!(SparseText::new(10, 10, 11).simulate(0).is_err());
        assert!(SparseText::new(10, 10, 0).simulate(0).is_err());
        assert!(
            SparseText::new(10, 10, 2)
                .scale(f64::NAN)
                .simulate(0)
                .is_err()
        );
        assert!(
            SparseText::new(10, 10, 2)
                .regression(-1.0)
                .simulate(0)
                .is_err()
        );
    }
}
