//! Linear-regression simulators, dense and sparse.

use rand::seq::index;
use rand::{Rng, RngExt};
use rand_distr::StandardNormal;

use super::{
    Simulation, Simulator, check_features, check_finite, check_non_negative, check_rows,
    column_major, linear_predictor,
};
use crate::Dataset;
use crate::dataset::numbered_names;
use crate::error::{Result, invalid};

/// Linear regression with chosen coefficients: `y = intercept + X coef + noise * e`, like
/// scikit-learn's `make_regression` but returning the truth.
///
/// Features are standard normal. With a correlation `rho` they follow an AR(1) process across
/// the columns: `x_1 = e_1`, `x_j = rho x_{j-1} + sqrt(1 - rho^2) e_j`, so every feature is
/// still `N(0, 1)` and `corr(x_j, x_k) = rho^|j - k|`: neighbouring features are alike, which
/// makes the problem harder for the lasso and better conditioned for ridge.
///
/// Defaults: intercept 0, noise standard deviation 1, correlation 0.
///
/// # Examples
/// ```
/// use linmod_datasets::simulate::{LinearRegression, Simulator};
/// let sim = LinearRegression::new(100, vec![2.0, -1.0])
///     .intercept(3.0)
///     .noise(0.0)
///     .simulate(7)?;
/// let (x, y) = (&sim.data.x, &sim.data.y);
/// assert!((y[0] - (3.0 + 2.0 * x[(0, 0)] - x[(0, 1)])).abs() < 1e-12);
/// assert_eq!(sim.truth.intercept, 3.0);
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
#[derive(Clone, Debug)]
pub struct LinearRegression {
    n: usize,
    coef: Vec<f64>,
    options: Options,
}

/// The settings both regression simulators share.
#[derive(Clone, Copy, Debug)]
struct Options {
    intercept: f64,
    noise: f64,
    rho: f64,
}

impl Options {
    const DEFAULT: Self = Self {
        intercept: 0.0,
        noise: 1.0,
        rho: 0.0,
    };

    fn check(&self) -> Result<()> {
        check_finite("intercept", &[self.intercept])?;
        check_non_negative("noise", self.noise)?;
        if !(self.rho > -1.0 && self.rho < 1.0) {
            return Err(invalid("rho", self.rho, "a correlation in (-1, 1)"));
        }
        Ok(())
    }
}

/// The setters of [`Options`], for both simulators.
macro_rules! option_setters {
    () => {
        /// The intercept (default 0; must be finite).
        #[must_use]
        pub fn intercept(mut self, intercept: f64) -> Self {
            self.options.intercept = intercept;
            self
        }

        /// The standard deviation of the Gaussian noise (default 1; must be finite and
        /// `>= 0`).
        #[must_use]
        pub fn noise(mut self, sd: f64) -> Self {
            self.options.noise = sd;
            self
        }

        /// The AR(1) correlation between neighbouring features (default 0; must lie in
        /// `(-1, 1)`).
        #[must_use]
        pub fn correlation(mut self, rho: f64) -> Self {
            self.options.rho = rho;
            self
        }
    };
}

impl LinearRegression {
    /// `n` rows with one feature per coefficient.
    ///
    /// Checked when simulating: `n >= 1`, at least one coefficient, all finite.
    #[must_use]
    pub fn new(n: usize, coef: Vec<f64>) -> Self {
        Self {
            n,
            coef,
            options: Options::DEFAULT,
        }
    }

    option_setters!();
}

/// The parameters of a linear-regression simulation.
///
/// # Examples
/// ```
/// use linmod_datasets::simulate::{LinearRegression, Simulator};
/// let sim = LinearRegression::new(10, vec![1.0, 2.0]).noise(0.5).simulate(0)?;
/// assert_eq!((sim.truth.noise, sim.truth.rho, sim.truth.intercept), (0.5, 0.0, 0.0));
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct LinearTruth {
    /// One coefficient per feature.
    pub coef: Vec<f64>,
    /// The intercept.
    pub intercept: f64,
    /// The standard deviation of the noise.
    pub noise: f64,
    /// The AR(1) correlation between neighbouring features.
    pub rho: f64,
}

impl LinearTruth {
    /// The indices of the non-zero coefficients, ascending.
    ///
    /// # Examples
    /// ```
    /// use linmod_datasets::simulate::{SparseRegression, Simulator};
    /// let sim = SparseRegression::new(50, 10, 3).simulate(1)?;
    /// assert_eq!(sim.truth.support().len(), 3);
    /// # Ok::<(), linmod_datasets::DatasetError>(())
    /// ```
    #[must_use]
    pub fn support(&self) -> Vec<usize> {
        (0..self.coef.len())
            .filter(|&j| self.coef[j] != 0.0)
            .collect()
    }
}

impl Simulator for LinearRegression {
    type Truth = LinearTruth;

    /// Draws the features column by column, then the noise row by row.
    fn simulate_with_rng<R: Rng + ?Sized>(&self, rng: &mut R) -> Result<Simulation<LinearTruth>> {
        check_rows(self.n)?;
        check_features(self.coef.len())?;
        check_finite("coef", &self.coef)?;
        self.options.check()?;
        let Options {
            intercept,
            noise,
            rho,
        } = self.options;
        let (n, p) = (self.n, self.coef.len());
        let innovation = (1.0 - rho * rho).sqrt();
        let mut previous = vec![0.0; n];
        let x = column_major(n, p, |i, j| {
            let e: f64 = rng.sample(StandardNormal);
            let v = if j == 0 {
                e
            } else {
                rho * previous[i] + innovation * e
            };
            previous[i] = v;
            v
        })?;
        let y: Vec<f64> = linear_predictor(&x, &self.coef, intercept)
            .into_iter()
            .map(|m| m + noise * rng.sample::<f64, _>(StandardNormal))
            .collect();
        if let Some(i) = y.iter().position(|v| !v.is_finite()) {
            // finite parameters whose products overflow: say so, instead of writing `inf`
            return Err(invalid(
                "coef",
                format!(
                    "{:?} (with intercept {intercept:?} and noise {noise:?}, the target of row \
                     {i} is {})",
                    self.coef, y[i]
                ),
                "coefficients, intercept and noise small enough for finite targets",
            ));
        }
        let description = format!(
            "linear regression simulation: {n} rows, {p} features x ~ N(0, 1) with AR(1) \
             correlation {rho}, y = {intercept} + x.coef + {noise} N(0, 1)"
        );
        Ok(Simulation {
            data: Dataset::new(x, y, numbered_names(p), description)?,
            truth: LinearTruth {
                coef: self.coef.clone(),
                intercept,
                noise,
                rho,
            },
        })
    }
}

/// Sparse linear regression for lasso experiments: `p` features of which `k`, chosen at
/// random, have coefficient `+-amplitude` (random signs); the others are exactly zero.
///
/// Features and noise as in [`LinearRegression`]. Defaults: amplitude 1, intercept 0, noise 1,
/// correlation 0. The truth's [`LinearTruth::support`] lists the non-zero coefficients.
///
/// # Examples
/// ```
/// use linmod_datasets::simulate::{SparseRegression, Simulator};
/// let sim = SparseRegression::new(200, 50, 5).amplitude(2.0).simulate(3)?;
/// assert_eq!(sim.data.n_features(), 50);
/// let support = sim.truth.support();
/// assert_eq!(support.len(), 5);
/// assert!(support.iter().all(|&j| sim.truth.coef[j].abs() == 2.0));
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
#[derive(Clone, Debug)]
pub struct SparseRegression {
    n: usize,
    p: usize,
    k: usize,
    amplitude: f64,
    options: Options,
}

impl SparseRegression {
    /// `n` rows, `p` features, `k` of them with a non-zero coefficient.
    ///
    /// Checked when simulating: `n >= 1`, `p >= 1`, `k <= p`.
    #[must_use]
    pub fn new(n: usize, p: usize, k: usize) -> Self {
        Self {
            n,
            p,
            k,
            amplitude: 1.0,
            options: Options::DEFAULT,
        }
    }

    /// The absolute value of the non-zero coefficients (default 1; finite, `>= 0`).
    #[must_use]
    pub fn amplitude(mut self, amplitude: f64) -> Self {
        self.amplitude = amplitude;
        self
    }

    option_setters!();
}

impl Simulator for SparseRegression {
    type Truth = LinearTruth;

    /// Draws the support and the signs, then the data as [`LinearRegression`] does.
    fn simulate_with_rng<R: Rng + ?Sized>(&self, rng: &mut R) -> Result<Simulation<LinearTruth>> {
        check_rows(self.n)?;
        check_features(self.p)?;
        if self.k > self.p {
            return Err(invalid("k", self.k, "at most p non-zero coefficients"));
        }
        check_non_negative("amplitude", self.amplitude)?;
        self.options.check()?;
        let mut coef = vec![0.0; self.p];
        for j in index::sample(rng, self.p, self.k) {
            coef[j] = if rng.random_bool(0.5) {
                self.amplitude
            } else {
                -self.amplitude
            };
        }
        let mut sim = LinearRegression {
            n: self.n,
            coef,
            options: self.options,
        }
        .simulate_with_rng(rng)?;
        sim.data.description = format!(
            "sparse {} ({} non-zero coefficients of amplitude {})",
            sim.data.description, self.k, self.amplitude
        );
        Ok(sim)
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // determinism and exact coefficients are checked bit for bit
mod tests {
    use linalg_core::{column_means, column_stds, lstsq};

    use super::super::test_support::{inverse_gram_diagonal, with_ones};
    use super::*;
    use crate::DatasetError;

    /// OLS with an intercept: estimates `(b, w...)` and their standard errors.
    fn ols(sim: &Simulation<LinearTruth>) -> (Vec<f64>, Vec<f64>) {
        let xa = with_ones(&sim.data.x);
        let fit = lstsq(xa.as_ref(), &sim.data.y, None).unwrap();
        let n = xa.nrows() as f64;
        let resid = linear_predictor(&xa, &fit.coef, 0.0)
            .iter()
            .zip(&sim.data.y)
            .map(|(m, y)| (y - m) * (y - m))
            .sum::<f64>();
        let sigma = (resid / (n - xa.ncols() as f64)).sqrt();
        let se = inverse_gram_diagonal(&xa)
            .iter()
            .map(|v| sigma * v.sqrt())
            .collect();
        (fit.coef, se)
    }

    fn assert_within_four_se(est: &[f64], se: &[f64], truth: &[f64]) {
        for j in 0..truth.len() {
            assert!(
                (est[j] - truth[j]).abs() <= 4.0 * se[j],
                "coefficient {j}: {} +- {} vs {}",
                est[j],
                se[j],
                truth[j]
            );
        }
    }

    #[test]
    fn ols_recovers_coefficients_with_correlated_features() {
        let coef = vec![1.0, -2.0, 0.5, 0.0, 3.0];
        let sim = LinearRegression::new(5_000, coef.clone())
            .intercept(-1.5)
            .noise(2.0)
            .correlation(0.7)
            .simulate(11)
            .unwrap();
        let (est, se) = ols(&sim);
        let truth: Vec<f64> = std::iter::once(-1.5).chain(coef).collect();
        assert_within_four_se(&est, &se, &truth);
    }

    #[test]
    fn features_are_standard_normal_with_ar1_correlation() {
        let rho = -0.6;
        let sim = LinearRegression::new(20_000, vec![0.0; 3])
            .correlation(rho)
            .simulate(5)
            .unwrap();
        let x = sim.data.x.as_ref();
        let m = column_means(x, None);
        let s = column_stds(x, &m, 0);
        let n = x.nrows() as f64;
        for j in 0..3 {
            assert!(m[j].abs() < 4.0 / n.sqrt(), "mean {}", m[j]);
            assert!((s[j] - 1.0).abs() < 0.03, "std {}", s[j]);
        }
        let corr = |a: usize, b: usize| {
            (0..x.nrows())
                .map(|i| (x[(i, a)] - m[a]) * (x[(i, b)] - m[b]))
                .sum::<f64>()
                / (n * s[a] * s[b])
        };
        assert!((corr(0, 1) - rho).abs() < 0.03);
        assert!((corr(0, 2) - rho * rho).abs() < 0.03);
    }

    #[test]
    fn noise_level_is_the_residual_standard_deviation() {
        let sim = LinearRegression::new(20_000, vec![1.0, 1.0])
            .noise(0.5)
            .simulate(8)
            .unwrap();
        let fitted = linear_predictor(&sim.data.x, &[1.0, 1.0], 0.0);
        let ss: f64 = fitted
            .iter()
            .zip(&sim.data.y)
            .map(|(f, y)| (y - f) * (y - f))
            .sum();
        let sd = (ss / 20_000.0).sqrt();
        assert!((sd - 0.5).abs() < 0.02, "{sd}");
    }

    #[test]
    fn sparse_truth_has_k_non_zero_coefficients_and_is_recovered() {
        let sim = SparseRegression::new(3_000, 20, 4)
            .amplitude(1.5)
            .intercept(0.5)
            .noise(1.0)
            .correlation(0.3)
            .simulate(21)
            .unwrap();
        let truth = &sim.truth;
        assert_eq!(truth.support().len(), 4);
        assert!(truth.coef.iter().all(|&c| c == 0.0 || c.abs() == 1.5));
        let (est, se) = ols(&sim);
        let full: Vec<f64> = std::iter::once(0.5).chain(truth.coef.clone()).collect();
        assert_within_four_se(&est, &se, &full);
        let again = SparseRegression::new(3_000, 20, 4)
            .amplitude(1.5)
            .intercept(0.5)
            .correlation(0.3)
            .simulate(21)
            .unwrap();
        assert_eq!(again.truth, sim.truth);
        assert_eq!(again.data.y, sim.data.y);
    }

    #[test]
    fn sparse_support_is_uniform_over_features() {
        let mut hits = [0usize; 5];
        for seed in 0..400 {
            let sim = SparseRegression::new(1, 5, 1).simulate(seed).unwrap();
            hits[sim.truth.support()[0]] += 1;
        }
        assert!(hits.iter().all(|&h| (50..=110).contains(&h)), "{hits:?}");
    }

    #[test]
    fn invalid_parameters_are_errors() {
        let bad = |r: Result<Simulation<LinearTruth>>, text: &str| {
            let err = r.unwrap_err();
            assert!(matches!(err, DatasetError::InvalidParameter { .. }));
            assert!(err.to_string().contains(text), "{err}");
        };
        bad(LinearRegression::new(0, vec![1.0]).simulate(0), "`n` = 0");
        bad(LinearRegression::new(3, vec![]).simulate(0), "`p` = 0");
        bad(
            LinearRegression::new(3, vec![1.0]).noise(-1.0).simulate(0),
            "`noise` = -1",
        );
        bad(
            LinearRegression::new(3, vec![1.0])
                .correlation(1.0)
                .simulate(0),
            "`rho` = 1: expected a correlation in (-1, 1)",
        );
        bad(
            LinearRegression::new(3, vec![1.0])
                .correlation(f64::NAN)
                .simulate(0),
            "`rho` = NaN",
        );
        bad(
            LinearRegression::new(3, vec![1.0])
                .intercept(f64::INFINITY)
                .simulate(0),
            "`intercept` = inf",
        );
        bad(SparseRegression::new(3, 2, 3).simulate(0), "`k` = 3");
        bad(SparseRegression::new(3, 0, 0).simulate(0), "`p` = 0");
        bad(
            SparseRegression::new(3, 2, 1).amplitude(-1.0).simulate(0),
            "`amplitude` = -1",
        );
        // k = 0 is pure noise
        let sim = SparseRegression::new(3, 2, 0).simulate(0).unwrap();
        assert!(sim.truth.support().is_empty());
    }
}
